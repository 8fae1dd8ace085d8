//! Matrix messages ↔ the engine's text: what a user typed (with mention
//! pills turned back into user IDs) and the bot's replies as `m.notice`.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::relation::{InReplyTo, Reply as ReplyTo};
use matrix_sdk::ruma::events::room::message::{Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedUserId};
use regex::Regex;

use crate::reply::Reply;
use crate::timeexpr::{format_duration, format_moment};

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

/// A reply as the `m.notice` users see: HTML with a plain-text fallback, and
/// `m.mentions` so that the mentioned users' phones notify.
pub fn notice(reply: &Reply) -> RoomMessageEventContent {
    let users = reply
        .mentions
        .iter()
        .filter_map(|u| OwnedUserId::try_from(u.as_str()).ok());
    RoomMessageEventContent::notice_html(reply.plain(), reply.html())
        .add_mentions(Mentions::with_user_ids(users))
}

/// A notice in answer to the event `to` (`m.in_reply_to`): what a reaction
/// to that event did.
pub fn answer(reply: &Reply, to: OwnedEventId) -> RoomMessageEventContent {
    let mut content = notice(reply);
    content.relates_to = Some(Relation::Reply(ReplyTo::new(InReplyTo::new(to))));
    content
}

/// The one notice for a command that arrived too late to be carried out.
pub fn too_late(
    command: &str,
    sender: &str,
    sent: DateTime<Utc>,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Reply {
    const SHOWN: usize = 80;
    let shown: String = if command.chars().count() > SHOWN {
        command.chars().take(SHOWN).chain(['…']).collect()
    } else {
        command.to_string()
    };
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
    fn notice_carries_html_and_mentions() {
        let mut reply = Reply::say("📌 Actie 1 voor ");
        reply.mention("@jan:gemeente.nl", "@jan:gemeente.nl");
        let json = serde_json::to_value(notice(&reply)).unwrap();
        assert_eq!(json["msgtype"], "m.notice");
        assert_eq!(json["format"], "org.matrix.custom.html");
        assert_eq!(json["body"], "📌 Actie 1 voor @jan:gemeente.nl");
        assert_eq!(json["m.mentions"]["user_ids"][0], "@jan:gemeente.nl");
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
            r.plain().starts_with(
                "⏱️ Niet uitgevoerd: “!fase escalatie” van @x:gemeente.nl (om 14:02)."
            )
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
