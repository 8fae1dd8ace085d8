//! The flood limit: more than [`LIMIT`] (or the configured `flood_limit`)
//! commands from one sender within
//! [`WINDOW`] gets one notice, and what that sender sends in the
//! [`WINDOW`] after it is not carried out. Reactions that do something (a
//! shortcut, a pin) count as commands.
//!
//! Ignored commands are recorded as handled (their event ids, like any
//! command's), so they are not carried out later either, not after a
//! restart nor when the homeserver delivers them again. The logboek gets one
//! entry per flood (when the room has an incident), not one per ignored
//! command: a flooding account must not flood the logboek too.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::Amsterdam;

use crate::core::reminders::{self, BOT};
use crate::core::{Core, LogDraft, Outcome};
use crate::effect::Effect;
use crate::engine::{Handled, Incoming};
use crate::model::LogKind;
use crate::render::chat::Names;
use crate::reply::Reply;
use crate::store::{Store, StoreError};

pub const LIMIT: usize = 10;
pub const WINDOW: Duration = Duration::seconds(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Handle,
    /// The command that went over the limit: one notice; the sender's
    /// commands are ignored until `until`.
    Warn {
        until: DateTime<Utc>,
    },
    Ignore,
}

#[derive(Debug, Default)]
struct Sender {
    /// When this sender's recent commands were handled, oldest first.
    handled: VecDeque<DateTime<Utc>>,
    ignore_until: Option<DateTime<Utc>>,
}

impl Sender {
    fn forget_before(&mut self, now: DateTime<Utc>) {
        while self.handled.front().is_some_and(|t| *t <= now - WINDOW) {
            self.handled.pop_front();
        }
        if self.ignore_until.is_some_and(|t| t <= now) {
            self.ignore_until = None;
        }
    }
}

/// Pure: the time is handed in with every command.
#[derive(Debug)]
pub struct FloodLimiter {
    /// Commands per sender within [`WINDOW`].
    limit: usize,
    senders: HashMap<String, Sender>,
}

impl Default for FloodLimiter {
    fn default() -> FloodLimiter {
        FloodLimiter::new(LIMIT)
    }
}

impl FloodLimiter {
    pub fn new(limit: usize) -> FloodLimiter {
        FloodLimiter {
            limit,
            senders: HashMap::new(),
        }
    }

    pub fn check(&mut self, sender: &str, now: DateTime<Utc>) -> Verdict {
        // Keeps only senders active within the window: memory stays small.
        self.senders.retain(|_, s| {
            s.forget_before(now);
            !s.handled.is_empty() || s.ignore_until.is_some()
        });
        let s = self.senders.entry(sender.to_string()).or_default();
        if s.ignore_until.is_some() {
            return Verdict::Ignore;
        }
        if s.handled.len() >= self.limit {
            let until = now + WINDOW;
            s.handled.clear();
            s.ignore_until = Some(until);
            return Verdict::Warn { until };
        }
        s.handled.push_back(now);
        Verdict::Handle
    }
}

/// Runs before the core: `None` lets the command through; otherwise the
/// command is recorded as handled (with the notice and the logboek entry
/// when it is the one that went over the limit).
pub fn screen(
    limiter: &Mutex<FloodLimiter>,
    core: &Core,
    store: &Store,
    msg: &Incoming,
    names: &dyn Names,
) -> Result<Option<Handled>, StoreError> {
    let (verdict, limit) = {
        let mut limiter = limiter.lock().unwrap_or_else(|p| p.into_inner());
        (limiter.check(msg.sender, msg.now), limiter.limit)
    };
    let outcome = match verdict {
        Verdict::Handle => return Ok(None),
        Verdict::Ignore => {
            tracing::info!(sender = msg.sender, event = ?msg.event_id, "flood: command ignored");
            Outcome::default()
        }
        Verdict::Warn { until } => {
            tracing::warn!(
                sender = msg.sender,
                "flood: more than {limit} commands in {WINDOW}"
            );
            let name = names.name(msg.sender);
            warning(core, store, msg, (until, limit), &name)?
        }
    };
    let outcome = Outcome {
        lane: Some(msg.sender.to_string()),
        ..outcome
    };
    let written = match msg.event_id {
        Some(_) => store.apply(msg.room, msg.event_id, &outcome, msg.now)?,
        None if outcome.effects.is_empty() => Some(Vec::new()),
        None => store.apply(msg.room, None, &outcome, msg.now)?,
    };
    Ok(Some(match written {
        None => Handled::AlreadyHandled,
        Some(items) if items.is_empty() => Handled::Ignored,
        Some(items) => Handled::Replies(items),
    }))
}

/// The notice, and the logboek entry in the room's active incident.
fn warning(
    core: &Core,
    store: &Store,
    msg: &Incoming,
    (until, limit): (DateTime<Utc>, usize),
    name: &str,
) -> Result<Outcome, StoreError> {
    let mut notice = Reply::say(format!(
        "⏳ Even rustig: meer dan {limit} commando's of reacties binnen {} seconden van ",
        WINDOW.num_seconds()
    ));
    notice.mention(msg.sender, name).text(format!(
        ". Wat je de komende {} seconden stuurt, voer ik niet uit; stuur het daarna opnieuw als het nog nodig is.",
        WINDOW.num_seconds()
    ));
    let mut outcome = Outcome {
        effects: vec![Effect::Send(notice)],
        ..Outcome::default()
    };
    let Some(active) = store.room(msg.room)?.active else {
        return Ok(outcome);
    };
    let Some(incident) = store.incident(active)? else {
        return Ok(outcome);
    };
    outcome.log.push(LogDraft {
        actor: BOT.to_string(),
        kind: LogKind::Ignored,
        text: format!(
            "Commando's en reacties van {} genegeerd tot {}: meer dan {limit} binnen {} seconden",
            msg.sender,
            until.with_timezone(&Amsterdam).format("%H:%M:%S"),
            WINDOW.num_seconds()
        ),
    });
    outcome.next_due = reminders::next_due(&core.draaiboek, &incident);
    outcome.incident = Some(incident);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::engine::Engine;

    const ROOM: &str = "!kernteam:gemeente.nl";
    const JAN: &str = "@jan:gemeente.nl";

    fn t(millis: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::milliseconds(millis)
    }

    #[test]
    fn the_eleventh_command_in_ten_seconds_warns_once_and_the_rest_is_ignored() {
        let mut limiter = FloodLimiter::default();
        for i in 0..10 {
            assert_eq!(limiter.check(JAN, t(i * 100)), Verdict::Handle, "{i}");
        }
        assert_eq!(
            limiter.check(JAN, t(1_000)),
            Verdict::Warn { until: t(11_000) }
        );
        for ms in [1_100, 5_000, 10_999] {
            assert_eq!(limiter.check(JAN, t(ms)), Verdict::Ignore, "{ms}");
        }
        // Others are not affected.
        assert_eq!(
            limiter.check("@piet:gemeente.nl", t(2_000)),
            Verdict::Handle
        );
        assert_eq!(limiter.check(JAN, t(11_000)), Verdict::Handle);
    }

    #[test]
    fn a_configured_limit_replaces_the_default() {
        let mut limiter = FloodLimiter::new(3);
        for i in 0..3 {
            assert_eq!(limiter.check(JAN, t(i)), Verdict::Handle, "{i}");
        }
        assert_eq!(limiter.check(JAN, t(3)), Verdict::Warn { until: t(10_003) });
    }

    #[test]
    fn a_steady_pace_of_one_command_a_second_is_never_limited() {
        let mut limiter = FloodLimiter::default();
        for s in 0..100 {
            assert_eq!(limiter.check(JAN, t(s * 1_000)), Verdict::Handle, "{s}");
        }
    }

    #[test]
    fn quiet_senders_are_forgotten() {
        let mut limiter = FloodLimiter::default();
        for i in 0..50 {
            limiter.check(&format!("@u{i}:gemeente.nl"), t(0));
        }
        limiter.check(JAN, t(60_000));
        assert_eq!(limiter.senders.len(), 1);
    }

    fn say(e: &Engine, event: &str, body: &str, now: DateTime<Utc>) -> Handled {
        e.handle(&Incoming {
            room: ROOM,
            sender: JAN,
            sender_is_moderator: false,
            body,
            event_id: Some(event),
            now,
        })
        .unwrap()
    }

    #[test]
    fn the_notice_names_the_sender_as_the_room_knows_them() {
        let dir = tempfile::tempdir().unwrap();
        let e = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
        let jan = (JAN.to_string(), Some("Jan de Vries".to_string()));
        e.set_members(ROOM, crate::people::Members::new([jan]));
        for i in 0..10 {
            say(&e, &format!("${i}"), "!fase", t(i));
        }
        let Handled::Replies(warned) = say(&e, "$10", "!fase", t(10)) else {
            panic!("a notice");
        };
        let text = warned[0].effect.plain();
        assert!(
            text.contains("van Jan de Vries.") && !text.contains(JAN),
            "{text}"
        );
    }

    #[test]
    fn a_flood_gets_one_notice_one_logboek_entry_and_is_never_carried_out() {
        let dir = tempfile::tempdir().unwrap();
        let e = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
        say(&e, "$0", "!incident open Onrust", t(0));
        for i in 1..10 {
            say(&e, &format!("${i}"), &format!("!log {i}"), t(i * 10));
        }
        let Handled::Replies(warned) = say(&e, "$10", "!log 10", t(200)) else {
            panic!("a notice");
        };
        let text = warned[0].effect.plain();
        assert!(
            text.starts_with("⏳ Even rustig: meer dan 10 commando's of reacties"),
            "{text}"
        );
        assert!(warned[0].effect.plain().contains(JAN));
        assert_eq!(say(&e, "$11", "!log 11", t(300)), Handled::Ignored);
        assert!(
            e.store().is_processed("$11").unwrap(),
            "never handled later"
        );
        assert_eq!(
            say(&e, "$11", "!log 11", t(20_000)),
            Handled::AlreadyHandled
        );
        let logged = say(&e, "$12", "!logboek 3", t(20_000));
        let Handled::Replies(items) = logged else {
            panic!("a reply")
        };
        let log = items[0].effect.plain();
        assert!(
            log.contains(
                "[genegeerd] Commando's en reacties van @jan:gemeente.nl genegeerd tot 10:00:10"
            ),
            "{log}"
        );
        assert!(
            log.contains("[notitie] 9") && !log.contains("[notitie] 10"),
            "{log}"
        );
    }
}
