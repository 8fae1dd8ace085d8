//! The core's behaviour, specified through what a team member sees. No store,
//! no clock: a tiny in-memory world applies each outcome.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::model::{Incident, LogEntry, RoomRecord};
use crate::render::chat::Ids;

pub(super) const CHAIR: &str = "@voorzitter:gemeente.nl";
pub(super) const SPOKES: &str = "@woordvoerder:gemeente.nl";
pub(super) const COMMS: &str = "@comms:gemeente.nl";
pub(super) const POLICE: &str = "@agent:politie.nl";

pub(super) struct Team {
    pub(super) core: Core,
    pub(super) room: RoomRecord,
    pub(super) incidents: BTreeMap<u64, Incident>,
    pub(super) log: RefCell<Vec<LogEntry>>,
    pub(super) now: DateTime<Utc>,
    pub(super) moderators: Vec<&'static str>,
    /// Empty unless a test is about names: people then show as their IDs.
    pub(super) members: crate::people::Members,
    /// Set when the room is a direct chat: the incidents the sender reaches.
    pub(super) direct: Option<Vec<Incident>>,
}

impl LogRead for Team {
    fn tail(&self, incident: u64, n: usize) -> Vec<LogEntry> {
        let log = self.log.borrow();
        let all: Vec<_> = log
            .iter()
            .filter(|e| e.incident == incident)
            .cloned()
            .collect();
        all[all.len().saturating_sub(n)..].to_vec()
    }
}

impl Team {
    pub(super) fn new() -> Team {
        Team {
            core: Core::built_in(),
            room: RoomRecord::default(),
            incidents: BTreeMap::new(),
            log: RefCell::new(Vec::new()),
            // Monday 23 November 2026, 10:00 in Amsterdam.
            now: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            moderators: Vec::new(),
            members: crate::people::Members::default(),
            direct: None,
        }
    }

    /// A team with an open incident, its chair and comms adviser in place.
    pub(super) fn with_incident() -> Team {
        let mut t = Team::new();
        t.say(CHAIR, "!incident open Onrust Oosterwijk");
        t.say(CHAIR, &format!("!rol communicatieadviseur {COMMS}"));
        t.say(CHAIR, &format!("!rol woordvoerder {SPOKES}"));
        t
    }

    pub(super) fn outcome(&self, sender: &str, line: &str) -> Outcome {
        let active = self.room.active.and_then(|id| self.incidents.get(&id));
        let view = View {
            room: &self.room,
            active,
            next_incident_id: self.incidents.len() as u64 + 1,
            log: self,
            last_closed: match active {
                Some(_) => None,
                None => self
                    .room
                    .incidents
                    .last()
                    .and_then(|s| self.incidents.get(&s.id)),
            },
            direct: self.direct.as_deref(),
        };
        let line = self.core.command_line(line).expect("tests type commands");
        self.core.handle(
            &view,
            &Request {
                room: "!room:gemeente.nl",
                sender,
                sender_is_moderator: self.moderators.contains(&sender),
                line,
                now: self.now,
                members: &self.members,
            },
        )
    }

    /// Types a command and returns what the room sees.
    pub(super) fn say(&mut self, sender: &str, line: &str) -> String {
        let outcome = self.outcome(sender, line);
        self.apply(&outcome)
    }

    /// The whole reply: the first screen and every `!meer` after it.
    pub(super) fn say_all(&mut self, sender: &str, line: &str) -> String {
        let mut all = self.say(sender, line);
        while all.ends_with("!meer") {
            let cut = all.rfind("\n➕ Nog").unwrap_or(all.len());
            all.truncate(cut);
            all.push('\n');
            all.push_str(&self.say(sender, "!meer"));
        }
        all
    }

    pub(super) fn apply(&mut self, outcome: &Outcome) -> String {
        if let Some(room) = outcome.room.clone() {
            self.room = room;
        }
        if let Some(mut incident) = outcome.incident.clone() {
            for draft in &outcome.log {
                incident.log_len += 1;
                self.log.borrow_mut().push(LogEntry {
                    incident: incident.id,
                    seq: incident.log_len,
                    at: self.now,
                    actor: draft.actor.clone(),
                    kind: draft.kind,
                    text: draft.text.clone(),
                    prev: String::new(),
                    hash: String::new(),
                });
            }
            self.incidents.insert(incident.id, incident);
        }
        outcome
            .messages()
            .iter()
            .map(|r| r.plain())
            .collect::<Vec<_>>()
            .join("\n---\n")
    }

    /// The scheduler's turn at the current time: what the room sees.
    pub(super) fn tick(&mut self) -> String {
        let outcome = self.core.tick(self.incident(), &self.room, self.now, &Ids);
        self.apply(&outcome)
    }

    /// Runs the scheduler at every moment something falls due up to `minutes`
    /// from now, as the real one would, and returns what it said, by minute.
    pub(super) fn run_for(&mut self, minutes: i64) -> Vec<(i64, String)> {
        let start = self.now;
        let end = start + Duration::minutes(minutes);
        let mut said = Vec::new();
        while let Some(due) =
            crate::core::reminders::next_due(&self.core.draaiboek, self.incident())
        {
            if due > end {
                break;
            }
            self.now = due.max(self.now);
            let reply = self.tick();
            if !reply.is_empty() {
                said.push(((self.now - start).num_minutes(), reply));
            }
        }
        self.now = end;
        said
    }

    /// The voorzitter closes the incident as §3.4 asks: both outcomes, then
    /// the confirmation. Returns what the room sees on confirming.
    pub(super) fn close(&mut self) -> String {
        self.say(CHAIR, "!incident sluit mondeling:ja evaluatie:mij");
        self.say(CHAIR, "!incident sluit bevestig")
    }

    pub(super) fn incident(&self) -> &Incident {
        &self.incidents[&self.room.active.expect("an active incident")]
    }

    /// For tests of the caps: the active incident, to fill it directly.
    pub(super) fn incident_mut(&mut self) -> &mut Incident {
        let id = self.room.active.expect("an active incident");
        self.incidents.get_mut(&id).expect("its record")
    }

    pub(super) fn later(&mut self, minutes: i64) {
        self.now += Duration::minutes(minutes);
    }
}

pub(super) fn refused(reply: &str) -> bool {
    reply.starts_with('⛔')
}

mod actions;
mod audiences;
mod authorisation;
mod checklists;
mod closing;
mod contacts;
mod diagnosis;
mod direct;
mod governance;
mod help;
mod incidents;
mod logbook;
mod oneliners;
mod phases;
mod press;
mod qa;
mod reminders;
mod roles;
mod room_effects;
mod rumours;
mod screen;
mod texts;
