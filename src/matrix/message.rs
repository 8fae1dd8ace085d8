//! Matrix messages ↔ the engine's text: what a user typed (with mention
//! pills turned back into user IDs) and the bot's replies: `m.notice`, or
//! `m.text` when they address people.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::{InReplyTo, Reply as ReplyTo};
use matrix_sdk::ruma::events::room::message::{Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedUserId};
use regex::Regex;

use crate::reply::{Line, Reply, escape};
use crate::timeexpr::{format_duration, format_moment};

/// The largest message content the bot sends, in bytes of JSON (plain and
/// HTML body together, and the rest of the content). Matrix allows 64 KiB per
/// event, and encryption makes an event about a third larger.
pub const MAX_CONTENT_BYTES: usize = 16 * 1024;
/// Room for the part number "(12/34) " in front of a part.
const NUMBER_ROOM: usize = 16;

/// The command text of a message. Clients put a mention's display name in
/// the plain body and the user ID only in the HTML pill
/// (`<a href="https://matrix.to/#/@jan:example.org">Jan</a>`), so when the
/// HTML has pills it is the source, with every pill replaced by its user ID.
pub fn command_text(body: &str, html: Option<&str>) -> String {
    static PILL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?is)<a\s[^>]*href\s*=\s*["']https://matrix\.to/#/((?:@|%40)[^"'?/]+)[^"']*["'][^>]*>.*?</a>"#)
            .expect("valid regex")
    });
    static REPLY_FALLBACK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?is)<mx-reply>.*?</mx-reply>").expect("valid regex"));
    static LINE_BREAK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>|</p>\s*<p>").expect("valid regex"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));

    let Some(html) = html.filter(|h| PILL.is_match(h)) else {
        return body.to_string();
    };
    let html = REPLY_FALLBACK.replace_all(html, "");
    let html = PILL.replace_all(&html, |c: &regex::Captures| percent_decode(&c[1]));
    let html = LINE_BREAK.replace_all(&html, "\n");
    unescape(&TAG.replace_all(&html, ""))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// A reply as users see it: HTML with a plain-text fallback, or plain text
/// alone when the HTML would only repeat it (half the bytes, on every
/// member's phone and in the homeserver, for most replies). A reply that
/// mentions people is addressed to them: it is an `m.text` with
/// `m.mentions`, so their phones notify, because the default push rules
/// silence every `m.notice` before they look at mentions
/// (`.m.rule.suppress_notices`). Any other reply is an `m.notice`, as bots
/// answer, and has no `m.mentions`: the field would say nothing, and Synapse
/// validates it against a schema on every event (3 ms more per reply).
pub fn message(reply: &Reply) -> RoomMessageEventContent {
    if reply.mentions.is_empty() {
        return notice(reply);
    }
    let users = reply
        .mentions
        .iter()
        .filter_map(|u| OwnedUserId::try_from(u.as_str()).ok());
    let content = if reply.is_plain() {
        RoomMessageEventContent::text_plain(reply.plain())
    } else {
        RoomMessageEventContent::text_html(reply.plain(), reply.html())
    };
    content.add_mentions(Mentions::with_user_ids(users))
}

/// A reply that notifies nobody: the pills show names, nobody's phone rings.
/// Edits are such, or every edit of the living sitrap would ring again.
pub fn notice(reply: &Reply) -> RoomMessageEventContent {
    if reply.is_plain() {
        RoomMessageEventContent::notice_plain(reply.plain())
    } else {
        RoomMessageEventContent::notice_html(reply.plain(), reply.html())
    }
}

/// A reply in answer to the event `to` (`m.in_reply_to`): what a reaction
/// to that event did.
pub fn answer(reply: &Reply, to: OwnedEventId) -> RoomMessageEventContent {
    let mut content = message(reply);
    content.relates_to = Some(Relation::Reply(ReplyTo::new(InReplyTo::new(to))));
    content
}

/// The bytes of a reply as an event's content.
fn content_bytes(reply: &Reply) -> usize {
    serde_json::to_vec(&message(reply)).map_or(usize::MAX, |json| json.len())
}

/// A reply in as many numbered messages ("(1/3) …") as it takes for each
/// to stay under `max` bytes of content, cut between lines. A line too long
/// for a message of its own is cut too (as plain text). Each part mentions
/// the users whose pills it shows.
pub fn split(reply: &Reply, max: usize) -> Vec<Reply> {
    if content_bytes(reply) < max {
        return vec![reply.clone()];
    }
    let budget = max - NUMBER_ROOM;
    let mut parts: Vec<Vec<Line>> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for line in reply
        .lines()
        .iter()
        .flat_map(|l| cut_line(l, reply, budget))
    {
        current.push(line);
        if current.len() > 1 && content_bytes(&part(&current, reply)) >= budget {
            let line = current.pop().expect("just pushed");
            parts.push(std::mem::replace(&mut current, vec![line]));
        }
    }
    parts.push(current);
    let total = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, mut lines)| {
            let number = format!("({}/{total}) ", i + 1);
            lines[0].plain.insert_str(0, &number);
            lines[0].html.insert_str(0, &number);
            part(&lines, reply)
        })
        .collect()
}

/// Lines of `whole` as a reply, with the mentions whose pills they hold.
fn part(lines: &[Line], whole: &Reply) -> Reply {
    let mentions = whole
        .mentions
        .iter()
        .filter(|user| {
            let pill = format!("https://matrix.to/#/{}\"", escape(user));
            lines.iter().any(|l| l.html.contains(&pill))
        })
        .cloned()
        .collect();
    Reply::from_lines(lines.to_vec(), mentions)
}

/// `line` as it is if it fits a message alone, else in pieces of plain
/// text that each do (formatting is lost, no word is).
fn cut_line(line: &Line, whole: &Reply, budget: usize) -> Vec<Line> {
    if content_bytes(&part(std::slice::from_ref(line), whole)) < budget {
        return vec![line.clone()];
    }
    let room = budget - content_bytes(&part(&[Line::default()], whole));
    let mut pieces = Vec::new();
    let (mut piece, mut bytes) = (String::new(), 0);
    for c in line.plain.chars() {
        // The character in the JSON of the plain body and of the HTML body.
        let cost = json_len(&c.to_string()) + json_len(&escape(&c.to_string()));
        if bytes + cost >= room {
            pieces.push(std::mem::take(&mut piece));
            bytes = 0;
        }
        piece.push(c);
        bytes += cost;
    }
    pieces.push(piece);
    pieces
        .into_iter()
        .map(|p| Line {
            html: escape(&p),
            plain: p,
        })
        .collect()
}

fn json_len(text: &str) -> usize {
    serde_json::to_string(text).map_or(0, |s| s.len() - 2)
}

/// The notice that a message could not be delivered: what it began with and why.
pub fn undelivered(first_line: &str, why: &str) -> Reply {
    Reply::say(format!(
        "⚠️ Een bericht van de bot kon niet worden afgeleverd (“{}”: {why}). Vraag het opnieuw op.",
        shorten(first_line, 40)
    ))
}

/// The logboek's record of a message that could not be delivered.
pub fn undelivered_log(first_line: &str, why: &str) -> String {
    format!(
        "Bericht niet afgeleverd ({why}): “{}”",
        shorten(first_line, 80)
    )
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.chars().take(max).chain(['…']).collect()
    } else {
        text.to_string()
    }
}

/// The one notice for a command that arrived too late to be carried out.
pub fn too_late(
    command: &str,
    sender: &str,
    sent: DateTime<Utc>,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Reply {
    let shown = shorten(command, 80);
    let mut r = Reply::new();
    r.text("⏱️ Niet uitgevoerd: ")
        .quote(shown)
        .text(" van ")
        .mention(sender, sender)
        .text(format!(" ({}).", format_moment(sent, now)))
        .newline()
        .text(format!(
            "Het kwam pas na meer dan {} bij de bot aan (bot of server was niet bereikbaar). Stuur het opnieuw als het nog nodig is.",
            format_duration(window)
        ));
    r
}

pub fn to_datetime(ts: MilliSecondsSinceUnixEpoch) -> DateTime<Utc> {
    i64::try_from(u64::from(ts.get()))
        .ok()
        .and_then(DateTime::from_timestamp_millis)
        .unwrap_or(DateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_messages_are_taken_as_typed() {
        assert_eq!(command_text("!fase escalatie", None), "!fase escalatie");
        assert_eq!(
            command_text("!fase <b>", Some("!fase &lt;b&gt;")),
            "!fase <b>"
        );
    }

    #[test]
    fn pills_become_user_ids() {
        let html =
            r#"!rol woordvoerder <a href="https://matrix.to/#/@jan:gemeente.nl">Jan de Vries</a>"#;
        assert_eq!(
            command_text("!rol woordvoerder Jan de Vries", Some(html)),
            "!rol woordvoerder @jan:gemeente.nl"
        );
    }

    #[test]
    fn encoded_pills_and_markup_are_cleaned() {
        let html = "<p>!actie Bel &amp; mail <a href='https://matrix.to/#/%40piet%3Aexample.org?via=x'>Piet</a></p>";
        assert_eq!(
            command_text("!actie Bel & mail Piet", Some(html)),
            "!actie Bel & mail @piet:example.org"
        );
    }

    #[test]
    fn reply_fallback_is_dropped() {
        let html = r#"<mx-reply><blockquote>old</blockquote></mx-reply>!actie 1 <a href="https://matrix.to/#/@a:b.nl">A</a>"#;
        assert_eq!(
            command_text("> old\n\n!actie 1 A", Some(html)),
            "!actie 1 @a:b.nl"
        );
    }

    #[test]
    fn a_reply_that_names_people_is_a_text_that_notifies_them() {
        let mut reply = Reply::say("📌 Actie 1 voor ");
        reply.mention("@jan:gemeente.nl", "@jan:gemeente.nl");
        let json = serde_json::to_value(message(&reply)).unwrap();
        assert_eq!(json["msgtype"], "m.text");
        assert_eq!(json["format"], "org.matrix.custom.html");
        assert_eq!(json["body"], "📌 Actie 1 voor @jan:gemeente.nl");
        assert_eq!(json["m.mentions"]["user_ids"][0], "@jan:gemeente.nl");
    }

    #[test]
    fn a_reply_that_names_nobody_is_a_notice_without_mentions() {
        let mut reply = Reply::say("Fase: ");
        reply.bold("rust <1>");
        let json = serde_json::to_value(message(&reply)).unwrap();
        assert_eq!(json["msgtype"], "m.notice");
        assert_eq!(json["formatted_body"], "Fase: <b>rust &lt;1&gt;</b>");
        assert!(json.get("m.mentions").is_none(), "{json}");
    }

    #[test]
    fn a_reply_without_markup_is_plain_text_only() {
        let mut reply = Reply::say("Fase: rust <1> & 'onrust'");
        reply.newline().text("Volgende stap: beeldvorming");
        let json = serde_json::to_value(message(&reply)).unwrap();
        assert_eq!(
            json["body"],
            "Fase: rust <1> & 'onrust'\nVolgende stap: beeldvorming"
        );
        assert!(json.get("formatted_body").is_none(), "{json}");
        assert!(json.get("format").is_none(), "{json}");
    }

    #[test]
    fn an_edit_notifies_nobody_even_when_it_names_people() {
        let mut reply = Reply::say("🧭 Voorzitter: ");
        reply.mention("@jan:gemeente.nl", "Jan");
        let json = serde_json::to_value(notice(&reply)).unwrap();
        assert_eq!(json["msgtype"], "m.notice");
        assert!(
            json["formatted_body"]
                .as_str()
                .unwrap()
                .contains("matrix.to")
        );
        assert!(json.get("m.mentions").is_none(), "{json}");
    }

    fn long_reply(lines: usize, width: usize) -> Reply {
        let mut r = Reply::say("📖 Logboek");
        for i in 0..lines {
            r.newline()
                .text(format!("regel-{i:02} "))
                .text("a & b <c> ".repeat(width / 10));
        }
        r
    }

    #[test]
    fn a_short_reply_is_sent_as_it_is() {
        let reply = long_reply(3, 100);
        assert_eq!(split(&reply, MAX_CONTENT_BYTES), vec![reply]);
    }

    #[test]
    fn a_long_reply_is_split_between_lines_into_numbered_parts_under_the_limit() {
        let reply = long_reply(50, 2000);
        let parts = split(&reply, MAX_CONTENT_BYTES);
        assert!(parts.len() > 3, "{}", parts.len());
        for (i, part) in parts.iter().enumerate() {
            let bytes = serde_json::to_vec(&message(part)).unwrap().len();
            assert!(bytes < MAX_CONTENT_BYTES, "part {i}: {bytes} bytes");
            let number = format!("({}/{}) ", i + 1, parts.len());
            assert!(part.plain().starts_with(&number), "{}", part.plain());
            assert!(part.html().starts_with(&number));
        }
        // Nothing lost, nothing cut: the parts are the reply's lines.
        let lines: Vec<Line> = parts.iter().flat_map(|p| p.lines().to_vec()).collect();
        assert_eq!(lines.len(), reply.lines().len());
        let joined: String = parts
            .iter()
            .map(|p| p.plain())
            .collect::<Vec<_>>()
            .join("\n");
        for i in 0..50 {
            assert_eq!(joined.matches(&format!("regel-{i:02} ")).count(), 1, "{i}");
        }
    }

    #[test]
    fn a_line_too_long_for_one_message_is_cut_and_kept_whole() {
        let text = "x&".repeat(20_000);
        let mut reply = Reply::say("Begin");
        reply.newline().text(&text);
        let parts = split(&reply, MAX_CONTENT_BYTES);
        assert!(parts.len() >= 3);
        let mut rest = String::new();
        for part in &parts {
            assert!(serde_json::to_vec(&message(part)).unwrap().len() < MAX_CONTENT_BYTES);
            for line in part.lines() {
                rest.push_str(line.plain.split_once(") ").map_or(&line.plain, |(_, t)| t));
            }
        }
        assert_eq!(rest, format!("Begin{text}"));
    }

    #[test]
    fn each_part_mentions_only_the_users_it_shows() {
        let mut reply = Reply::say("Acties");
        reply.newline().mention("@jan:gemeente.nl", "Jan");
        for _ in 0..20 {
            reply.newline().text("y".repeat(2000));
        }
        reply.newline().mention("@piet:gemeente.nl", "Piet");
        let parts = split(&reply, MAX_CONTENT_BYTES);
        let first = &parts[0].mentions;
        let last = &parts[parts.len() - 1].mentions;
        assert!(first.contains("@jan:gemeente.nl") && !first.contains("@piet:gemeente.nl"));
        assert!(last.contains("@piet:gemeente.nl") && !last.contains("@jan:gemeente.nl"));
    }

    #[test]
    fn an_undelivered_message_is_named_short_in_the_room() {
        let notice = undelivered(
            &"📖 Logboek: laatste 50 van 80 regels".repeat(3),
            "413 M_TOO_LARGE",
        );
        let text = notice.plain();
        assert!(
            text.starts_with("⚠️ Een bericht van de bot kon niet worden afgeleverd (“📖 Logboek"),
            "{text}"
        );
        assert!(
            text.ends_with("…”: 413 M_TOO_LARGE). Vraag het opnieuw op."),
            "{text}"
        );
    }

    #[test]
    fn too_late_names_command_sender_and_time() {
        let sent = DateTime::parse_from_rfc3339("2026-11-23T13:02:00Z")
            .unwrap()
            .to_utc();
        let now = sent + chrono::Duration::minutes(40);
        let r = too_late(
            "!fase escalatie",
            "@x:gemeente.nl",
            sent,
            chrono::Duration::minutes(15),
            now,
        );
        assert!(
            r.plain()
                .starts_with("⏱️ Niet uitgevoerd: “!fase escalatie” van @x:gemeente.nl (14:02).")
        );
        assert!(r.plain().contains("meer dan 15 min"));
        assert!(r.mentions.contains("@x:gemeente.nl"));
        let long = format!("!log {}", "x".repeat(200));
        assert!(
            too_late(&long, "@x:a.nl", sent, chrono::Duration::minutes(15), now)
                .plain()
                .contains("x…”")
        );
    }
}
