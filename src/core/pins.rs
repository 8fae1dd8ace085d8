//! 📌 on any room message puts it in the logboek with its sender, time and
//! text; removing the last 📌 says so in the logboek. Nothing is erased, and
//! a message is pinned once however many 📌 it gets.

use chrono::{DateTime, Utc};

use super::shortcuts::{Reaction, RoomMessage, answer};
use super::{Core, LogDraft, Outcome, View};
use crate::catalogue::{MAX_TEXT_CHARS, clean};
use crate::model::{Incident, LogKind, Pin, Stamp};
use crate::render::chat::Names;
use crate::reply::Reply;
use crate::timeexpr::format_full;

/// More pins than this in one incident is no longer a selection.
const MAX_PINS: usize = 1000;

/// The removal of a reaction (a redaction of its event).
pub struct Unreaction<'a> {
    pub sender: &'a str,
    /// The reaction's event id.
    pub reaction: &'a str,
    pub now: DateTime<Utc>,
    pub names: &'a dyn Names,
}

impl Core {
    pub(super) fn pin(&self, view: &View, r: &Reaction) -> Outcome {
        let refuse = |text: String| {
            let outcome = answer(Outcome::reply(Reply::say(text)), r.target);
            self.with_room_effects(view.active, outcome, r.now, r.members)
        };
        let Some(active) = view.active else {
            return refuse(format!(
                "📌 Er loopt geen incident, dus er is geen logboek om dit in te zetten. Open er een met {}incident open <titel>.",
                self.prefix
            ));
        };
        let Some(message) = r.message else {
            return refuse(
                "⚠️ Dat bericht kan ik (nog) niet lezen, dus het staat niet in het logboek. Haal je 📌 later weg en zet hem terug.".to_string(),
            );
        };
        let mut incident = active.clone();
        let stamp = Stamp {
            by: r.sender.to_string(),
            at: r.now,
        };
        let count = incident.pins.len();
        let fresh = match incident.pins.iter_mut().find(|p| p.event_id == r.target) {
            Some(pin) if pin.unpinned.is_none() => {
                // Pinned already: this 📌 only helps hold it.
                pin.reactions.push(r.event_id.to_string());
                return self.changed(view, incident, Vec::new(), r.now, r.members);
            }
            Some(pin) => {
                pin.unpinned = None;
                pin.pinned = stamp;
                pin.reactions = vec![r.event_id.to_string()];
                false
            }
            None if count >= MAX_PINS => {
                return refuse(format!(
                    "⛔ Dit incident heeft al {MAX_PINS} vastgepinde berichten, het maximum. Leg het vast met {}log <tekst>.",
                    self.prefix
                ));
            }
            None => {
                incident.pins.push(new_pin(r, message, stamp));
                true
            }
        };
        let pin = incident.pins.iter().find(|p| p.event_id == r.target);
        let log = pin.map(pinned_entry).into_iter().collect();
        let mut outcome = self.changed(view, incident, log, r.now, r.members);
        // The bot's ✅ from the first time is still on the message.
        if fresh {
            outcome.effects.push(crate::effect::Effect::React {
                to: r.target.to_string(),
                key: "✅".to_string(),
            });
        }
        outcome
    }

    /// The end of a 📌 reaction: when it was the last on its message, the
    /// logboek says the message is no longer pinned. `None`: not a pin.
    pub fn unreact(&self, view: &View, u: &Unreaction) -> Option<Outcome> {
        let active = view.active?;
        let index = active
            .pins
            .iter()
            .position(|p| p.reactions.iter().any(|r| r == u.reaction))?;
        let mut incident = active.clone();
        let pin = &mut incident.pins[index];
        pin.reactions.retain(|r| r != u.reaction);
        let mut log = Vec::new();
        if pin.reactions.is_empty() {
            pin.unpinned = Some(Stamp {
                by: u.sender.to_string(),
                at: u.now,
            });
            log.push(LogDraft {
                actor: u.sender.to_string(),
                kind: LogKind::Unpinned,
                text: format!(
                    "Niet meer vastgepind: bericht van {} ({}): {}",
                    pin.sender,
                    format_full(pin.sent_at),
                    shortened(&pin.text)
                ),
            });
        }
        Some(self.changed(view, incident, log, u.now, u.names))
    }

    fn changed(
        &self,
        view: &View,
        incident: Incident,
        log: Vec<LogDraft>,
        now: DateTime<Utc>,
        names: &dyn Names,
    ) -> Outcome {
        let outcome = Outcome {
            incident: Some(incident),
            log,
            ..Outcome::default()
        };
        self.with_room_effects(view.active, outcome, now, names)
    }
}

fn new_pin(r: &Reaction, message: &RoomMessage, pinned: Stamp) -> Pin {
    // One logboek line: a message's own line breaks become " / ".
    let text = clean(&message.text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let text = if text.chars().count() > MAX_TEXT_CHARS {
        text.chars().take(MAX_TEXT_CHARS).chain(['…']).collect()
    } else {
        text
    };
    Pin {
        event_id: r.target.to_string(),
        sender: message.sender.clone(),
        sent_at: message.sent_at,
        text,
        pinned,
        reactions: vec![r.event_id.to_string()],
        unpinned: None,
    }
}

/// The message in the logboek under its own sender.
fn pinned_entry(pin: &Pin) -> LogDraft {
    LogDraft {
        actor: pin.sender.clone(),
        kind: LogKind::Pinned,
        text: format!(
            "{} (bericht van {}; vastgepind door {})",
            pin.text,
            format_full(pin.sent_at),
            pin.pinned.by
        ),
    }
}

fn shortened(text: &str) -> String {
    const SHOWN: usize = 80;
    if text.chars().count() > SHOWN {
        text.chars().take(SHOWN).chain(['…']).collect()
    } else {
        text.to_string()
    }
}
