//! The engine: the pure core plus the store, one command at a time.
//!
//! Both the console and the Matrix adapter drive this; it is the only place
//! where state is read, handed to the core, and the outcome written back.

mod room_effects;

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use chrono::{DateTime, Utc};

use crate::core::{Core, Request, View, reminders};
use crate::draaiboek::Draaiboek;
use crate::flood::{self, FloodLimiter};
use crate::model::{Incident, IncidentId};
use crate::people::Members;
use crate::record::{ChainMode, Record};
use crate::render::{ExportFile, ExportFormat};
use crate::store::{OutboxItem, Store, StoreError};

pub use room_effects::{Reacted, Redacted};

/// A message as the engine sees it, whatever transport brought it.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    pub room: &'a str,
    pub sender: &'a str,
    pub sender_is_moderator: bool,
    pub body: &'a str,
    /// The Matrix event id; handled at most once. `None` from the console.
    pub event_id: Option<&'a str>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    /// Not a command (no prefix): nothing happened.
    NotACommand,
    /// This event was handled before; its replies were already written.
    AlreadyHandled,
    /// Handled; these replies are in the outbox, to be sent and then marked sent.
    Replies(Vec<OutboxItem>),
    /// Not carried out: its sender is flooding (see `flood`); recorded as handled.
    Ignored,
}

pub struct Engine {
    core: Core,
    store: Store,
    /// Woken when a change may have moved the agenda (see `scheduler`).
    agenda_changed: tokio::sync::Notify,
    /// One command at a time: the core reads a state and the store writes its
    /// successor, so two interleaved commands would lose one of the changes.
    serial: Mutex<()>,
    /// Each room's members as the adapter last saw them.
    members: RwLock<HashMap<String, Members>>,
    flood: Mutex<FloodLimiter>,
}

impl Engine {
    /// Commands per sender within the flood window (default [`flood::LIMIT`]).
    pub fn with_flood_limit(self, limit: usize) -> Engine {
        Engine {
            flood: Mutex::new(FloodLimiter::new(limit)),
            ..self
        }
    }

    pub fn new(core: Core, store: Store) -> Engine {
        Engine {
            core,
            store,
            agenda_changed: tokio::sync::Notify::new(),
            serial: Mutex::new(()),
            members: RwLock::new(HashMap::new()),
            flood: Mutex::default(),
        }
    }

    /// The adapter's news about who is in `room` and by what name.
    pub fn set_members(&self, room: &str, members: Members) {
        let mut all = self.members.write().unwrap_or_else(|p| p.into_inner());
        all.insert(room.to_string(), members);
    }

    /// The bot left `room`: it no longer knows who is there, so a direct
    /// chat shows nothing from it.
    pub fn forget_members(&self, room: &str) {
        let mut all = self.members.write().unwrap_or_else(|p| p.into_inner());
        all.remove(room);
    }

    pub fn knows_members(&self, room: &str) -> bool {
        let all = self.members.read().unwrap_or_else(|p| p.into_inner());
        all.contains_key(room)
    }

    pub fn members(&self, room: &str) -> Members {
        let all = self.members.read().unwrap_or_else(|p| p.into_inner());
        all.get(room).cloned().unwrap_or_default()
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn handle(&self, msg: &Incoming) -> Result<Handled, StoreError> {
        let Some(line) = self.core.command_line(msg.body) else {
            return Ok(Handled::NotACommand);
        };
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(event) = msg.event_id
            && self.store.is_processed(event)?
        {
            return Ok(Handled::AlreadyHandled);
        }
        // A room member flooding the room, not someone scripting the
        // console (no event id): only room events are limited.
        if msg.event_id.is_some()
            && let Some(handled) = flood::screen(
                &self.flood,
                &self.core,
                &self.store,
                msg,
                &self.members(msg.room),
            )?
        {
            return Ok(handled);
        }
        let room = self.store.room(msg.room)?;
        let active = match room.active {
            Some(id) => self.store.incident(id)?,
            None => None,
        };
        let last_closed = match (&active, room.incidents.last()) {
            (None, Some(last)) => self.store.incident(last.id)?,
            _ => None,
        };
        let members = self.members(msg.room);
        let direct = match active {
            None if is_direct(&members, msg.sender) => Some(self.reach(msg.sender, msg.room)?),
            _ => None,
        };
        let view = View {
            room: &room,
            active: active.as_ref(),
            next_incident_id: self.store.next_incident_id()?,
            log: &self.store,
            last_closed: last_closed.as_ref(),
            direct: direct.as_deref(),
        };
        let request = Request {
            room: msg.room,
            sender: msg.sender,
            sender_is_moderator: msg.sender_is_moderator,
            line,
            now: msg.now,
            members: &members,
        };
        let outcome = self.core.handle(&view, &request);
        let written = self
            .store
            .apply(msg.room, msg.event_id, &outcome, msg.now)?;
        if outcome.incident.is_some() {
            self.agenda_changed.notify_one();
        }
        Ok(match written {
            Some(items) => Handled::Replies(items),
            None => Handled::AlreadyHandled,
        })
    }

    /// The active incidents of the rooms other than `here` where `user` is
    /// a joined member, oldest first: what a direct chat may show them.
    fn reach(&self, user: &str, here: &str) -> Result<Vec<Incident>, StoreError> {
        let rooms: Vec<String> = {
            let all = self.members.read().unwrap_or_else(|p| p.into_inner());
            all.iter()
                .filter(|(room, members)| *room != here && members.contains(user))
                .map(|(room, _)| room.clone())
                .collect()
        };
        let mut incidents = Vec::new();
        for room in rooms {
            if let Some(id) = self.store.room(&room)?.active
                && let Some(incident) = self.store.incident(id)?
                && incident.closed.is_none()
            {
                incidents.push(incident);
            }
        }
        incidents.sort_by_key(|i| i.id);
        Ok(incidents)
    }

    /// Says everything that is due at `now`, incident by incident, and writes
    /// it like a command: the reminder, its logboek entry and the new agenda
    /// in one transaction.
    pub fn tick(&self, now: DateTime<Utc>) -> Result<Vec<OutboxItem>, StoreError> {
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        let mut sent = Vec::new();
        for id in self.store.due_until(now)? {
            let Some(incident) = self.store.incident(id)? else {
                continue;
            };
            let members = self.members(&incident.room);
            let room = self.store.room(&incident.room)?;
            let mut outcome = self.core.tick(&incident, &room, now, &members);
            if outcome.incident.is_none() {
                // Nothing was due after all (the agenda was stale): re-plan.
                outcome.next_due = reminders::next_due(&self.core.draaiboek, &incident);
                outcome.incident = Some(incident.clone());
            }
            if let Some(items) = self.store.apply(&incident.room, None, &outcome, now)? {
                sent.extend(items);
            }
        }
        Ok(sent)
    }

    /// Runs `f` on the store while no command or tick runs, for writes
    /// outside them (a failed delivery) that must not interleave with one.
    pub fn exclusive<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        let _turn = self.serial.lock().unwrap_or_else(|p| p.into_inner());
        f(&self.store)
    }

    /// The incident's record as a file, as it stands at `now`.
    pub fn export(
        &self,
        incident: IncidentId,
        format: ExportFormat,
        now: DateTime<Utc>,
    ) -> Result<Option<ExportFile>, StoreError> {
        let record = load_record(&self.store, &self.core.draaiboek, incident, now)?;
        Ok(record.map(|r| ExportFile::new(&r, format)))
    }

    /// The next moment the scheduler has work.
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.store.next_due()
    }

    /// Resolves when a command may have changed the agenda.
    pub async fn agenda_changed(&self) {
        self.agenda_changed.notified().await;
    }
}

/// The record of an incident from the store: its state and whole logboek.
pub fn load_record(
    store: &Store,
    book: &Draaiboek,
    incident: IncidentId,
    now: DateTime<Utc>,
) -> Result<Option<Record>, StoreError> {
    let Some(state) = store.incident(incident)? else {
        return Ok(None);
    };
    let log = store.log_entries(incident).collect::<Result<Vec<_>, _>>()?;
    let mut record = Record::build(&state, &log, book, now);
    if store.keys(incident)? {
        record.chain.mode = ChainMode::HmacSha256;
    }
    Ok(Some(record))
}

/// A direct chat: the homeserver's whole membership is the sender and one
/// other (the bot, which is in every room it hears).
fn is_direct(members: &Members, sender: &str) -> bool {
    members.known() && members.len() == 2 && members.contains(sender)
}

#[cfg(test)]
mod direct_tests;

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    const ROOM: &str = "!kernteam:gemeente.nl";
    const CHAIR: &str = "@voorzitter:gemeente.nl";

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn open(dir: &std::path::Path) -> Engine {
        Engine::new(Core::built_in(), Store::open(dir).unwrap())
    }

    fn say(engine: &Engine, body: &str, now: DateTime<Utc>) {
        engine
            .handle(&Incoming {
                room: ROOM,
                sender: CHAIR,
                sender_is_moderator: false,
                body,
                event_id: None,
                now,
            })
            .unwrap();
    }

    fn texts(items: &[OutboxItem]) -> String {
        items.iter().map(|i| i.effect.plain()).collect()
    }

    #[test]
    fn the_agenda_follows_the_incident_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = open(dir.path());
            say(&e, "!incident open Onrust", t0());
            // Unfilled roles are named ten minutes after opening.
            assert_eq!(e.next_due().unwrap(), Some(t0() + Duration::minutes(10)));
            // A minute on: the sitrap is edited at once, not 10 s later.
            let t1 = t0() + Duration::minutes(1);
            say(&e, "!actie Bellen over 5 min", t1);
            assert_eq!(e.next_due().unwrap(), Some(t1 + Duration::minutes(5)));
        }
        // Down for three hours; on restart everything due comes once, late.
        let e = open(dir.path());
        let later = t0() + Duration::hours(3);
        let first = e.tick(later).unwrap();
        let (messages, others): (Vec<_>, Vec<_>) =
            first.iter().partition(|i| i.effect.message().is_some());
        assert_eq!(messages.len(), 2, "merged into one message, then an anchor");
        assert!(
            matches!(others[..], [i] if matches!(i.effect, crate::effect::Effect::Edit { .. })),
            "and the sitrap shows the late action: {others:?}"
        );
        let text = texts(&first);
        assert!(text.starts_with("🕰️ Vertraagd"), "{text}");
        assert!(
            text.contains("deadline van actie 1") && text.contains("👥 Nog onbezet"),
            "{text}"
        );
        assert!(e.tick(later).unwrap().is_empty(), "nothing twice");
        assert!(e.next_due().unwrap().unwrap() > later);
    }

    #[test]
    fn closing_an_incident_drops_its_reminders() {
        let dir = tempfile::tempdir().unwrap();
        let e = open(dir.path());
        say(&e, "!incident open Onrust", t0());
        say(&e, "!actie Bellen over 30 min", t0());
        say(
            &e,
            "!incident sluit mondeling:ja evaluatie:mij",
            t0() + Duration::minutes(1),
        );
        say(&e, "!incident sluit bevestig", t0() + Duration::minutes(2));
        assert_eq!(e.next_due().unwrap(), None);
        assert!(e.tick(t0() + Duration::hours(4)).unwrap().is_empty());
    }

    #[test]
    fn reminders_go_to_the_incidents_room_and_wait_in_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let e = open(dir.path());
        say(&e, "!incident open Onrust", t0());
        for item in e.store().pending_outbox().unwrap() {
            e.store().mark_sent(item.id).unwrap();
        }
        let items = e.tick(t0() + Duration::minutes(10)).unwrap();
        assert_eq!(items[0].room, ROOM);
        assert_eq!(e.store().pending_outbox().unwrap(), items);
    }
}
