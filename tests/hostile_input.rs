//! Hostile and odd input through the engine and its store: every line gets
//! a clear Dutch answer or is stored and shown safely; nothing panics, no
//! user markup is rendered, nobody is mentioned by accident.

use chrono::{DateTime, Duration, TimeZone, Utc};
use regex::Regex;

use kernteam_bot::core::Core;
use kernteam_bot::engine::{Engine, Handled, Incoming};
use kernteam_bot::store::{Store, Verification};

const ROOM: &str = "!kernteam:gemeente.nl";
const CHAIR: &str = "@voorzitter:gemeente.nl";
const MEMBER: &str = "@lid:gemeente.nl";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn inputs() -> Vec<String> {
    let huge = "x".repeat(100_000);
    let mut inputs: Vec<String> = [
        // empty and whitespace-only
        "!",
        "!   ",
        "!\t",
        "!\u{200B}",
        "!\u{0}",
        // control characters, NUL, RTL override, zero-width
        "!log a\u{0}b",
        "!log \u{7}bel",
        "!actie Bellen\u{202E}tnedi",
        "!incident scenario \u{202E}nedez",
        "!oneliner voorstel zero\u{200B}width",
        "!log \u{1b}[31mrood",
        "!fase\u{0}escalatie",
        "!log \u{2066}geïsoleerd\u{2069}",
        "!besluit \u{FEFF}BOM",
        // HTML, markdown and @room in titles, oneliners and log lines
        "!log <script>alert(1)</script>",
        "!log <img src=x onerror=alert(1)>",
        "!oneliner voorstel <b>vet</b> **ster** [link](http://x)",
        "!actie <a href='http://evil'>klik</a> @lid:gemeente.nl",
        "!log @room alle hens",
        "!oneliner voorstel @room: iedereen naar buiten",
        "!besluit </b><script>x</script>",
        "!log &lt;al ge-escaped&gt; &amp;",
        "!log \"aanhalingstekens' en `ticks`",
        "!rol notulist <script>",
        "!incident scenario <b>zeden</b>",
        "!checklist <i>x</i>",
        "!update <a href=\"javascript:alert(1)\">x</a>",
        "!log # kop\n- lijst\n> citaat",
        // mentions of users who are not there, and broken mentions
        "!actie Bellen @niemand:nergens.nl",
        "!rol notulist @niemand:nergens.nl",
        "!actie 1 @x",
        "!rol woordvoerder @",
        "!rol woordvoerder @:",
        "!rol woordvoerder @a:",
        "!actie 1 @@@:x",
        // numbers out of range
        "!actie 0 klaar",
        "!actie -1 vervalt",
        "!actie 18446744073709551616 klaar",
        "!actie 99999999999 klaar",
        "!logboek 0",
        "!logboek -5",
        "!logboek 100000000000",
        "!oneliner goedkeuren 0.0",
        "!oneliner goedkeuren 1.99999999999",
        "!oneliner goedkeuren -1.-1",
        "!oneliner 0",
        "!fase 0",
        "!fase 6",
        "!fase -1",
        "!checklist afvinken BV99999",
        // dates
        "!actie Bellen 0000-01-01 09:00",
        "!actie Bellen 9999-12-31 23:59",
        "!actie Bellen 2027-02-31 10:00",
        "!actie 1 deadline 2027-02-31 10:00",
        "!actie Bellen 2027-03-28 02:30",
        "!actie 1 deadline 25:99",
        "!actie 1 deadline gisteren 10:00",
        "!stil 0 min",
        "!stil 99999 uur",
        "!stil -5 min",
        // capitals and extra spaces
        "!FASE   ESCALATIE",
        "!Actie   Bellen    Over 2 UUR",
        "!ROL NOTULIST MIJ",
        "!HELP",
        "!  fase",
        "!Incident",
        "!OneLiners",
        "!ONELINER   GOEDKEUREN   1",
        // the rest
        "!help !!!",
        "!?",
        "!incident scenario",
        "!checklist afvinken",
        "!acties mijn extra",
        "!onbekend commando",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    inputs.push(format!("!log {huge}"));
    inputs.push(format!("!incident open {huge}"));
    inputs.push(format!("!oneliner voorstel {}", "ü".repeat(3000)));
    inputs.push(format!("!help {}", "a ".repeat(1500)));
    inputs
}

/// Only the bot's own markup: bold, code, line breaks and matrix.to pills.
fn assert_safe_html(input: &str, html: &str) {
    let tag = Regex::new(r"<[^>]*>").unwrap();
    let allowed =
        Regex::new(r#"^(</?b>|</?code>|<br>|</a>|<a href="https://matrix\.to/#/@[^"<>]+">)$"#)
            .unwrap();
    for t in tag.find_iter(html) {
        assert!(
            allowed.is_match(t.as_str()),
            "{input:?} renders markup {:?} in {html}",
            t.as_str()
        );
    }
}

fn assert_clean_text(input: &str, plain: &str) {
    let hidden = |c: char| {
        (c.is_control() && c != '\n')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || c == '\u{200B}'
    };
    assert!(
        !plain.chars().any(hidden),
        "{input:?} shows hidden characters: {plain:?}"
    );
}

#[test]
fn hostile_input_gets_a_clear_answer_or_is_stored_and_shown_safely() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
    let send = |sender: &str, body: &str, minute: i64| {
        engine
            .handle(&Incoming {
                room: ROOM,
                sender,
                sender_is_moderator: false,
                body,
                event_id: None,
                now: now() + Duration::minutes(minute),
            })
            .unwrap()
    };
    send(CHAIR, "!incident open Onrust <i>Oosterwijk</i> @room", 0);
    send(CHAIR, "!actie Eerste actie over 3 uur", 0);
    let inputs = inputs();
    assert!(inputs.len() >= 60, "{} inputs", inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        for sender in [CHAIR, MEMBER] {
            let Handled::Replies(items) = send(sender, input, 1 + i as i64) else {
                panic!("{input:?} from {sender}: silence");
            };
            assert!(!items.is_empty(), "{input:?}: no reply");
            for item in &items {
                let plain = item.effect.plain();
                let Some(reply) = item.effect.text() else {
                    continue;
                };
                assert!(!plain.trim().is_empty(), "{input:?}: empty reply");
                assert_safe_html(input, &reply.html());
                assert_clean_text(input, &plain);
                assert!(
                    reply
                        .mentions
                        .iter()
                        .all(|m| m.starts_with('@') && m.contains(':') && m != "@room"),
                    "{input:?} mentions {:?}",
                    reply.mentions
                );
                if plain.starts_with('⚠') {
                    assert!(
                        plain.contains('!'),
                        "{input:?}: an error must show what to type: {plain}"
                    );
                }
                assert!(
                    plain.chars().count() < 16_000,
                    "{input:?}: reply of {} characters",
                    plain.len()
                );
            }
        }
    }
    // An exclamation is no command: the bot stays out of the conversation.
    for chat in ["!😀", "!!!", "! wow", "!! let op"] {
        assert_eq!(send(MEMBER, chat, 400), Handled::NotACommand, "{chat:?}");
    }
    // What was stored reads back escaped, and the logboek is intact.
    let mut html = String::new();
    let mut line = "!logboek 50";
    loop {
        let Handled::Replies(items) = send(CHAIR, line, 500) else {
            panic!("{line}: silence")
        };
        let reply = items[0].effect.message().expect("a message");
        html.push_str(&reply.html());
        if !reply.plain().ends_with("!meer") {
            break;
        }
        line = "!meer";
    }
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(matches!(
        engine.store().verify().unwrap(),
        Verification::Intact { .. }
    ));
}
