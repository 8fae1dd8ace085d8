//! Logboek anchors: the chain's length and head, posted in the room. The
//! room's history lives on the homeserver and on every member's phone, out of
//! reach of whoever controls the bot's disk; `kernteam-bot verify --anchor`
//! checks that the stored chain still contains what was posted.
//!
//! The store writes an anchor (a message and a logboek entry) in the same
//! transaction as the entries it follows, when [`due`] says so.

use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::core::LogDraft;
use crate::core::reminders::BOT;
use crate::model::{IncidentId, LogKind};
use crate::reply::{Line, Reply, escape};

/// While entries are added, an anchor comes at least this often.
pub const INTERVAL: Duration = Duration::hours(1);

/// The last anchor of an incident (kept in the store's meta tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub at: DateTime<Utc>,
    /// Entries in the chain before the anchor entry.
    pub count: u64,
}

/// Whether the entries just sealed (`sealed`) call for an anchor: at every
/// decision, phase change and close, and otherwise once an [`INTERVAL`] has
/// passed since the last anchor (or since the incident was opened).
pub fn due(
    sealed: &[LogKind],
    last: Option<Mark>,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    let milestone = sealed.iter().any(|k| {
        matches!(
            k,
            LogKind::Decision | LogKind::PhaseChanged | LogKind::IncidentClosed
        )
    });
    let since = last.map_or(opened, |m| m.at);
    !sealed.is_empty() && (milestone || now - since >= INTERVAL)
}

/// The anchor's logboek entry: the count and head of the chain before it.
pub fn draft(count: u64, head: &str) -> LogDraft {
    LogDraft {
        actor: BOT.to_string(),
        kind: LogKind::Anchor,
        text: format!("Logboek-anker: {count} regels, keten {head}"),
    }
}

/// The anchor as the room sees it: one line, with the full hash to quote.
pub fn notice(incident: IncidentId, count: u64, head: &str) -> Reply {
    let short = match (head.get(..4), head.get(head.len().saturating_sub(4)..)) {
        (Some(start), Some(end)) if head.len() > 8 => format!("{start}…{end}"),
        _ => head.to_string(),
    };
    let text = format!("⚓ Logboek-anker incident {incident}: {count} regels, keten {short}");
    let line = Line {
        plain: format!("{text} (volledig: {head})"),
        html: format!(
            "{} (volledig: <code>{}</code>)",
            escape(&text),
            escape(head)
        ),
    };
    Reply::from_lines(vec![line], Default::default())
}

/// An anchor as given to `verify --anchor <incident>:<count>:<hash>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub incident: IncidentId,
    pub count: u64,
    pub hash: String,
}

impl FromStr for Anchor {
    type Err = String;

    fn from_str(s: &str) -> Result<Anchor, String> {
        const USAGE: &str = "expected <incident>:<count>:<hash>, e.g. 3:57:9f2c… (the full hash from the anchor in the room)";
        let mut parts = s.trim().splitn(3, ':');
        let (Some(incident), Some(count), Some(hash)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(USAGE.to_string());
        };
        let hash = hash.trim().to_ascii_lowercase();
        match (incident.parse(), count.parse()) {
            (Ok(incident), Ok(count))
                if count > 0 && hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Ok(Anchor {
                    incident,
                    count,
                    hash,
                })
            }
            _ => Err(USAGE.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn mark(minutes: i64) -> Option<Mark> {
        Some(Mark {
            at: t(minutes),
            count: 3,
        })
    }

    #[test]
    fn decisions_phase_changes_and_closing_are_anchored_at_once() {
        for kind in [
            LogKind::Decision,
            LogKind::PhaseChanged,
            LogKind::IncidentClosed,
        ] {
            assert!(due(&[LogKind::Note, kind], mark(1), t(0), t(2)), "{kind:?}");
        }
    }

    #[test]
    fn other_entries_are_anchored_once_an_hour_has_passed() {
        assert!(!due(&[LogKind::Note], mark(0), t(0), t(59)));
        assert!(due(&[LogKind::Note], mark(0), t(0), t(60)));
        // Before the first anchor, the hour counts from the opening.
        assert!(!due(&[LogKind::ActionCreated], None, t(0), t(30)));
        assert!(due(&[LogKind::ActionCreated], None, t(0), t(61)));
    }

    #[test]
    fn nothing_sealed_means_no_anchor() {
        assert!(!due(&[], mark(0), t(0), t(600)));
    }

    #[test]
    fn the_notice_is_one_line_with_the_full_hash() {
        let head = format!("9f2c{}e41a", "0".repeat(56));
        let notice = notice(3, 57, &head);
        assert_eq!(
            notice.plain(),
            format!("⚓ Logboek-anker incident 3: 57 regels, keten 9f2c…e41a (volledig: {head})")
        );
        assert_eq!(notice.lines().len(), 1);
    }

    #[test]
    fn anchors_are_read_from_the_command_line() {
        let hash = "AB".repeat(32);
        let anchor: Anchor = format!("3:57:{hash}").parse().unwrap();
        assert_eq!(anchor.incident, 3);
        assert_eq!(anchor.count, 57);
        assert_eq!(anchor.hash, hash.to_lowercase());
        for bad in [
            "3:57".to_string(),
            format!("3:0:{hash}"),
            format!("x:1:{hash}"),
            "3:57:9f2c…e41a".to_string(),
        ] {
            assert!(bad.parse::<Anchor>().is_err(), "{bad}");
        }
    }
}
