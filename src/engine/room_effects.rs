//! Reactions and their removal in, and what the adapter reports back after
//! carrying out an effect: the same engine path as commands (one at a time,
//! the event id recorded with the change, exactly once).

use chrono::{DateTime, Utc};

use super::{Engine, Handled};
use crate::core::{Outcome, Reaction, RoomMessage, Unreaction, View};
use crate::effect::{Effect, Subject};
use crate::model::{Incident, RoomRecord};
use crate::render::chat::Ids;
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
                names: &Ids,
            },
        );
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
        let outcome = self.core.unreact(
            &view,
            &Unreaction {
                sender: r.sender,
                reaction: r.redacts,
                now: r.now,
                names: &Ids,
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
        let outcome = self
            .core
            .sitrap_not_pinned(&incident, needed, has, now, &Ids);
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
