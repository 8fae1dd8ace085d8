//! Reactions and their removal in, and what the adapter reports back after
//! carrying out an effect: the same engine path as commands (one at a time,
//! the event id recorded with the change, exactly once).

use chrono::{DateTime, Utc};

use super::{Engine, Handled, Incoming};
use crate::core::{Outcome, Reaction, RoomMessage, Unreaction, View};
use crate::effect::{Effect, Subject};
use crate::flood;
use crate::model::{Incident, RoomRecord};
use crate::reply::Reply;
use crate::store::{OutboxItem, StoreError};

/// A reaction (`m.reaction`) as the engine sees it.
#[derive(Debug, Clone)]
pub struct Reacted<'a> {
    pub room: &'a str,
    pub sender: &'a str,
    pub sender_is_moderator: bool,
    /// The reaction's event id; handled at most once.
    pub event_id: &'a str,
    pub key: &'a str,
    /// The event reacted to.
    pub target: &'a str,
    /// That event's message, when `Core::wants_message` asked for it and it
    /// could be read.
    pub message: Option<RoomMessage>,
    pub now: DateTime<Utc>,
    /// Arrived after the catch-up window: this notice instead of its effect.
    pub too_late: Option<Reply>,
}

/// A redaction (`m.room.redaction`): the removal of a reaction, perhaps.
#[derive(Debug, Clone)]
pub struct Redacted<'a> {
    pub room: &'a str,
    pub sender: &'a str,
    /// The redaction's own event id; handled at most once.
    pub event_id: &'a str,
    /// The event it removes.
    pub redacts: &'a str,
    pub now: DateTime<Utc>,
    pub too_late: Option<Reply>,
}

impl Engine {
    /// Handles a reaction; `NotACommand` when it means nothing to the bot.
    pub fn react(&self, r: &Reacted) -> Result<Handled, StoreError> {
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        if self.store.is_processed(r.event_id)? {
            return Ok(Handled::AlreadyHandled);
        }
        let about = self.store.subject_of(r.target)?;
        let (room, active) = self.load(r.room)?;
        let view = self.view(&room, active.as_ref())?;
        let members = self.members(r.room);
        let outcome = self.core.react(
            &view,
            &Reaction {
                room: r.room,
                sender: r.sender,
                sender_is_moderator: r.sender_is_moderator,
                event_id: r.event_id,
                key: r.key,
                target: r.target,
                about: about.as_ref(),
                message: r.message.as_ref(),
                now: r.now,
                members: &members,
            },
        );
        // A reaction that does something counts towards the flood limit
        // like a command: tapping ✅ fifty times is no way round it.
        if outcome.is_some() && r.too_late.is_none() {
            let as_command = Incoming {
                room: r.room,
                sender: r.sender,
                sender_is_moderator: r.sender_is_moderator,
                body: r.key,
                event_id: Some(r.event_id),
                now: r.now,
            };
            if let Some(handled) =
                flood::screen(&self.flood, &self.core, &self.store, &as_command, &members)?
            {
                return Ok(handled);
            }
        }
        let late = r.too_late.as_ref().map(|notice| Effect::Answer {
            to: r.target.to_string(),
            reply: notice.clone(),
        });
        self.write(r.room, r.event_id, outcome, late, r.now)
    }

    /// Handles a redaction; `NotACommand` unless it ended a pin.
    pub fn unreact(&self, r: &Redacted) -> Result<Handled, StoreError> {
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        if self.store.is_processed(r.event_id)? {
            return Ok(Handled::AlreadyHandled);
        }
        let (room, active) = self.load(r.room)?;
        let view = self.view(&room, active.as_ref())?;
        let members = self.members(r.room);
        let outcome = self.core.unreact(
            &view,
            &Unreaction {
                sender: r.sender,
                reaction: r.redacts,
                now: r.now,
                names: &members,
            },
        );
        let late = r.too_late.clone().map(Effect::Send);
        self.write(r.room, r.event_id, outcome, late, r.now)
    }

    /// The adapter carried out outbox item `id` and it became the event
    /// `event_id`: the item is done, and a message about a subject can be
    /// found again (for edits, pins and reactions to it).
    pub fn delivered(&self, id: u64, event_id: &str) -> Result<(), StoreError> {
        self.store.delivered(id, event_id)
    }

    /// The event id of the latest message about `about`, once delivered.
    pub fn event_of(&self, about: &Subject) -> Result<Option<String>, StoreError> {
        self.store.event_of(about)
    }

    /// Whether a message about `about` queued before outbox item `id` is
    /// still to be delivered (in another lane of the outbox): an edit, pin
    /// or unpin of it must wait for it.
    pub fn post_pending(&self, about: &Subject, id: u64) -> Result<bool, StoreError> {
        Ok(self.store.pending_outbox()?.iter().any(|item| {
            item.id < id && matches!(&item.effect, Effect::Post { about: a, .. } if a == about)
        }))
    }

    /// The adapter may not pin what `item` asked to pin: the room needs
    /// power level `needed` for that and the bot has `has`. Returns the
    /// notice to send (once: the item is done).
    pub fn not_permitted(
        &self,
        item: &OutboxItem,
        needed: i64,
        has: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        self.store.mark_sent(item.id)?;
        let Effect::Pin { about } = &item.effect else {
            return Ok(Vec::new());
        };
        let Some(incident) = self.store.incident(about.incident())? else {
            return Ok(Vec::new());
        };
        let members = self.members(&item.room);
        let outcome = self
            .core
            .sitrap_not_pinned(&incident, needed, has, now, &members);
        Ok(self
            .store
            .apply(&item.room, None, &outcome, now)?
            .unwrap_or_default())
    }

    fn load(&self, room: &str) -> Result<(RoomRecord, Option<Incident>), StoreError> {
        let room = self.store.room(room)?;
        let active = match room.active {
            Some(id) => self.store.incident(id)?,
            None => None,
        };
        Ok((room, active))
    }

    fn view<'a>(
        &'a self,
        room: &'a RoomRecord,
        active: Option<&'a Incident>,
    ) -> Result<View<'a>, StoreError> {
        Ok(View {
            room,
            active,
            next_incident_id: self.store.next_incident_id()?,
            log: &self.store,
            last_closed: None,
            direct: None,
        })
    }

    /// Writes what a reaction or redaction did, or, when it came too late,
    /// only `late` in its place. Nothing is recorded for one that meant nothing.
    fn write(
        &self,
        room: &str,
        event_id: &str,
        outcome: Option<Outcome>,
        late: Option<Effect>,
        now: DateTime<Utc>,
    ) -> Result<Handled, StoreError> {
        let Some(outcome) = outcome else {
            return Ok(Handled::NotACommand);
        };
        let outcome = match late {
            Some(notice) => Outcome {
                effects: vec![notice],
                ..Outcome::default()
            },
            None => outcome,
        };
        let written = self.store.apply(room, Some(event_id), &outcome, now)?;
        if outcome.incident.is_some() {
            self.agenda_changed.notify_one();
        }
        Ok(match written {
            Some(items) => Handled::Replies(items),
            None => Handled::AlreadyHandled,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::core::Core;
    use crate::engine::Incoming;
    use crate::model::{ActionStatus, LogKind};
    use crate::store::Store;

    const ROOM: &str = "!kernteam:gemeente.nl";
    const CHAIR: &str = "@voorzitter:gemeente.nl";
    const MEMBER: &str = "@lid:gemeente.nl";

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn engine(dir: &std::path::Path) -> Engine {
        Engine::new(Core::built_in(), Store::open(dir).unwrap())
    }

    fn say(e: &Engine, body: &str) -> Vec<OutboxItem> {
        let handled = e
            .handle(&Incoming {
                room: ROOM,
                sender: CHAIR,
                sender_is_moderator: false,
                body,
                event_id: None,
                now: t0(),
            })
            .unwrap();
        let Handled::Replies(items) = handled else {
            panic!("{handled:?}")
        };
        items
    }

    /// Delivers every item as the adapter would: `$<item id>` is its event.
    fn deliver(store: &Store, items: &[OutboxItem]) {
        for item in items {
            store.delivered(item.id, &format!("${}", item.id)).unwrap();
        }
    }

    fn posted(items: &[OutboxItem], about: &Subject) -> String {
        let item = items
            .iter()
            .find(|i| i.effect.about() == Some(about))
            .expect("a message about it");
        format!("${}", item.id)
    }

    fn reaction<'a>(event_id: &'a str, key: &'a str, target: &'a str) -> Reacted<'a> {
        Reacted {
            room: ROOM,
            sender: CHAIR,
            sender_is_moderator: false,
            event_id,
            key,
            target,
            message: None,
            now: t0(),
            too_late: None,
        }
    }

    #[test]
    fn a_reaction_to_a_delivered_message_runs_its_shortcut_once() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        deliver(e.store(), &say(&e, "!incident open Onrust"));
        let items = say(&e, "!actie Bellen");
        deliver(e.store(), &items);
        assert!(e.store().pending_outbox().unwrap().is_empty());
        let target = posted(&items, &Subject::Action { incident: 1, nr: 1 });
        let Handled::Replies(answer) = e.react(&reaction("$r1", "✅", &target)).unwrap() else {
            panic!("the action is done");
        };
        assert!(
            matches!(&answer[0].effect, Effect::Answer { to, reply }
                if *to == target && reply.plain().starts_with("✅ Actie 1 klaar")),
            "{answer:?}"
        );
        let incident = e.store().incident(1).unwrap().unwrap();
        assert!(matches!(incident.actions[0].status, ActionStatus::Done(_)));
        assert_eq!(
            e.react(&reaction("$r1", "✅", &target)).unwrap(),
            Handled::AlreadyHandled
        );
    }

    #[test]
    fn tapping_a_shortcut_more_than_ten_times_in_ten_seconds_is_flooding() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        deliver(e.store(), &say(&e, "!incident open Onrust"));
        let items = say(&e, "!actie Bellen");
        deliver(e.store(), &items);
        let target = posted(&items, &Subject::Action { incident: 1, nr: 1 });
        let tap = |i: usize| {
            e.react(&reaction(&format!("$tap{i}"), "✅", &target))
                .unwrap()
        };
        for i in 0..10 {
            assert!(matches!(tap(i), Handled::Replies(_)), "tap {i}");
        }
        let Handled::Replies(warning) = tap(10) else {
            panic!("the eleventh tap is warned about");
        };
        assert!(
            warning[0].effect.plain().starts_with("⏳ Even rustig"),
            "{warning:?}"
        );
        assert_eq!(tap(11), Handled::Ignored);
        assert_eq!(
            e.react(&reaction("$other", "🙂", &target)).unwrap(),
            Handled::NotACommand,
            "a reaction that means nothing does not count"
        );
    }

    #[test]
    fn an_edit_waits_for_its_message_while_that_is_still_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        deliver(e.store(), &say(&e, "!incident open Onrust"));
        let action = Subject::Action { incident: 1, nr: 1 };
        let items = say(&e, "!actie Bellen");
        let post = items.iter().find(|i| i.effect.about() == Some(&action));
        let later = post.expect("a message about the action").id + 1;
        assert!(e.post_pending(&action, later).unwrap());
        assert!(
            !e.post_pending(&action, 0).unwrap(),
            "only posts queued before"
        );
        deliver(e.store(), &items);
        assert!(!e.post_pending(&action, later).unwrap());
    }

    #[test]
    fn every_message_of_an_exercise_says_so_the_logboek_anchor_too() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        let items = say(&e, "!oefening open Rellen");
        let texts: Vec<String> = items
            .iter()
            .filter_map(|i| i.effect.text())
            .map(|r| r.plain())
            .collect();
        assert!(texts.iter().any(|t| t.contains("⚓")), "{texts:?}");
        assert!(
            texts.iter().all(|t| t.starts_with("🧪 OEFENING\n")),
            "{texts:?}"
        );
    }

    #[test]
    fn a_reaction_that_means_nothing_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, "!incident open Onrust");
        let handled = e.react(&reaction("$r1", "🎉", "$iets")).unwrap();
        assert_eq!(handled, Handled::NotACommand);
        assert!(!e.store().is_processed("$r1").unwrap());
    }

    #[test]
    fn delivery_ties_the_sitrap_to_its_event_for_the_edits_and_the_pin() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        let items = say(&e, "!incident open Onrust");
        let sitrap = Subject::Sitrap { incident: 1 };
        assert!(items.iter().any(|i| i.effect
            == Effect::Pin {
                about: sitrap.clone()
            }));
        deliver(e.store(), &items);
        let event = posted(&items, &sitrap);
        assert_eq!(e.event_of(&sitrap).unwrap(), Some(event.clone()));
        assert_eq!(e.store().subject_of(&event).unwrap(), Some(sitrap));
    }

    #[test]
    fn a_pin_the_bot_may_not_make_is_told_with_the_level_it_needs() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        let items = say(&e, "!incident open Onrust");
        let pin = items
            .iter()
            .find(|i| matches!(i.effect, Effect::Pin { .. }))
            .unwrap();
        let notice = e.not_permitted(pin, 50, 0, t0()).unwrap();
        assert_eq!(notice.len(), 1);
        let text = notice[0].effect.plain();
        assert!(text.contains("machtsniveau 50 nodig, ik heb 0"), "{text}");
        let pending = e.store().pending_outbox().unwrap();
        assert!(!pending.iter().any(|i| i.id == pin.id), "the pin is done");
    }

    #[test]
    fn a_late_reaction_gets_the_notice_instead_of_its_effect() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, "!incident open Onrust");
        let items = say(&e, "!actie Bellen");
        deliver(e.store(), &items);
        let target = posted(&items, &Subject::Action { incident: 1, nr: 1 });
        let late = Reacted {
            too_late: Some(Reply::say("⏱️ Niet uitgevoerd")),
            ..reaction("$r1", "✅", &target)
        };
        let Handled::Replies(notice) = e.react(&late).unwrap() else {
            panic!()
        };
        assert_eq!(notice[0].effect.plain(), "⏱️ Niet uitgevoerd");
        let incident = e.store().incident(1).unwrap().unwrap();
        assert_eq!(incident.actions[0].status, ActionStatus::Open);
    }

    #[test]
    fn a_pin_and_its_removal_are_written_to_the_logboek_exactly_once() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, "!incident open Onrust");
        let pin = Reacted {
            sender: MEMBER,
            message: Some(RoomMessage {
                sender: "@agent:politie.nl".into(),
                sent_at: t0(),
                text: "Menigte groeit".into(),
            }),
            ..reaction("$pin", "📌", "$bericht")
        };
        assert!(matches!(e.react(&pin).unwrap(), Handled::Replies(_)));
        assert_eq!(e.react(&pin).unwrap(), Handled::AlreadyHandled);
        let removal = Redacted {
            room: ROOM,
            sender: MEMBER,
            event_id: "$weg",
            redacts: "$pin",
            now: t0(),
            too_late: None,
        };
        e.unreact(&removal).unwrap();
        assert_eq!(e.unreact(&removal).unwrap(), Handled::AlreadyHandled);
        let kinds: Vec<LogKind> = e
            .store()
            .log_entries(1)
            .map(|entry| entry.unwrap().kind)
            .filter(|k| matches!(k, LogKind::Pinned | LogKind::Unpinned))
            .collect();
        assert_eq!(kinds, [LogKind::Pinned, LogKind::Unpinned]);
    }
}
