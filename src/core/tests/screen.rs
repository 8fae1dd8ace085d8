//! Replies are read on phones: every catalogue example, typed in a scripted
//! incident, answers within one screen, names people by their name, and uses
//! none of the wording errors that crept in before.

use super::*;
use crate::render::chat::{SCREEN_CHARS, SCREEN_LINES};

/// A busy incident: roles, actions, oneliners, a scenario, ticked items.
fn busy_team() -> Team {
    let mut t = Team::with_incident();
    t.members = crate::people::Members::new(
        [
            (CHAIR, "Els Voorzitter"),
            (SPOKES, "Willem Woord"),
            (COMMS, "Carla Comms"),
            (POLICE, "Agent Piet"),
            ("@anna:gemeente.nl", "Anna"),
            ("@jan:politie.nl", "Jan"),
        ]
        .map(|(id, name)| (id.to_string(), Some(name.to_string()))),
    );
    t.say(CHAIR, "!incident scenario familiedrama");
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    for i in 1..=8 {
        t.say(
            POLICE,
            &format!("!actie Taak nummer {i} met een wat langere omschrijving over {i} uur"),
        );
        t.say(SPOKES, &format!("!oneliner voorstel Kernboodschap {i}: we zijn met bewoners, school en ouders in gesprek."));
        t.say(COMMS, &format!("!oneliner goedkeuren {i}.1"));
        t.say(
            POLICE,
            &format!("!log Melding {i} van de wijkagent over de situatie bij de school"),
        );
        t.say(
            CHAIR,
            &format!("!besluit Besluit {i}: de burgemeester spreekt de buurt toe"),
        );
    }
    t
}

fn assert_fits(line: &str, reply: &str) {
    for message in reply.split("\n---\n") {
        let lines = message.lines().count();
        let chars = message.chars().filter(|c| *c != '\n').count();
        assert!(
            lines <= SCREEN_LINES && chars <= SCREEN_CHARS,
            "{line}: {lines} lines, {chars} characters:\n{message}"
        );
    }
}

#[test]
fn every_catalogue_example_answers_within_one_phone_screen() {
    let examples: Vec<(String, String)> = Core::built_in()
        .catalogue
        .commands
        .iter()
        .flat_map(|c| c.examples.iter().map(move |e| (c.id.clone(), e.clone())))
        .collect();
    for (id, example) in examples {
        let mut t = busy_team();
        if id == "incident-open" {
            t.say(CHAIR, "!incident sluit");
        }
        let reply = t.say(CHAIR, &example);
        assert_fits(&example, &reply);
        let more = t.say(CHAIR, "!meer");
        assert_fits("!meer", &more);
    }
}

#[test]
fn replies_name_people_by_their_display_name_and_the_logboek_keeps_ids() {
    let mut t = busy_team();
    let sitrap = t.say(CHAIR, "!sitrap");
    assert!(
        sitrap.contains("Agent Piet") && !sitrap.contains(POLICE),
        "{sitrap}"
    );
    let roles = t.say_all(CHAIR, "!rollen");
    assert!(roles.contains("Woordvoerder: Willem Woord"), "{roles}");
    let reply = t.say(CHAIR, "!actie Bel de school @anna");
    assert!(reply.contains("Eigenaar: Anna"), "{reply}");
    let reply = t.say(CHAIR, "!rol omgevingsanalist Jan");
    assert!(reply.contains("Jan is nu Omgevingsanalist"), "{reply}");
    let entry = t.log.borrow().last().cloned().unwrap();
    assert!(
        entry.text.contains("@jan:politie.nl") && entry.actor == CHAIR,
        "{entry:?}"
    );
}

/// Wording errors that were in the templates once, and must not return.
const KNOWN_ERRORS: &[&str] = &[
    "sinds om ",
    "tot om ",
    "t/m om ",
    "uiterlijk om ",
    "elke 1 uur",
    "elke 1 dag",
    "actie(s)",
    "eigenaar is jij",
    "Uitgegaan?",
    "Verlaat:",
];

#[test]
fn no_reply_template_carries_a_known_wording_error() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
    let mut files = vec![];
    for dir in ["src/render/chat", "src/core", "commands"] {
        for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && !path.ends_with("screen.rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for error in KNOWN_ERRORS {
            assert!(
                !text.contains(error),
                "{} contains {error:?}",
                path.display()
            );
        }
    }
}

#[test]
fn what_the_team_reads_carries_no_known_wording_error() {
    let mut t = busy_team();
    t.later(600);
    let mut said = String::new();
    for line in [
        "!sitrap",
        "!acties",
        "!fase",
        "!incidenten",
        "!herinneringen",
        "!fase onrust",
        "!update Persbericht",
    ] {
        said.push_str(&t.say_all(CHAIR, line));
    }
    said.push_str(&t.tick());
    for error in KNOWN_ERRORS {
        assert!(!said.contains(error), "{error:?} in {said}");
    }
}
