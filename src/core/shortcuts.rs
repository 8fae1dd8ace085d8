//! Reactions as shortcuts: a reaction to a bot message about a subject runs
//! the command that `commands/reactions.toml` names for (subject kind, key),
//! as the person who reacted, through the normal command path. The answer
//! goes to the reacted message (`m.in_reply_to`). 📌 is the pin rule
//! (`pins.rs`).

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Core, Outcome, Request, View};
use crate::effect::{Effect, Subject};
use crate::model::IncidentId;
use crate::people::Members;
use crate::reply::Reply;
use crate::view::{ActionSaid, OnelinerSaid, PressSaid, Reminder, ReminderSaid, Said};

const TABLE: &str = include_str!("../../commands/reactions.toml");

/// The reaction key that pins a message to the logboek.
pub const PIN: &str = "📌";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    shortcut: Vec<Shortcut>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Shortcut {
    pub(super) subject: String,
    pub(super) keys: Vec<String>,
    pub(super) command: String,
}

pub(super) static SHORTCUTS: LazyLock<Vec<Shortcut>> = LazyLock::new(|| {
    toml::from_str::<Table>(TABLE)
        .expect("commands/reactions.toml is checked by tests")
        .shortcut
});

/// A reaction someone put on an event in the room.
pub struct Reaction<'a> {
    pub room: &'a str,
    pub sender: &'a str,
    pub sender_is_moderator: bool,
    /// The reaction's own event id (a pin ends when it is redacted).
    pub event_id: &'a str,
    pub key: &'a str,
    /// The event reacted to.
    pub target: &'a str,
    /// What the bot's message `target` is about, if it is one.
    pub about: Option<&'a Subject>,
    /// The reacted-to message, when [`Core::wants_message`] asked for it
    /// (`None`: it could not be read).
    pub message: Option<&'a RoomMessage>,
    pub now: DateTime<Utc>,
    pub members: &'a Members,
}

/// A message as the room showed it: for the logboek when it is pinned.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomMessage {
    pub sender: String,
    pub sent_at: DateTime<Utc>,
    pub text: String,
}

/// "👍🏽", "✅️" → "👍", "✅": a key as the table names it.
pub fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'))
        .collect::<String>()
        .trim()
        .to_string()
}

impl Core {
    /// Whether a reaction with `key` needs the reacted-to message itself.
    pub fn wants_message(&self, key: &str) -> bool {
        normalize(key) == PIN
    }

    /// What a reaction does, or `None` when it means nothing to the bot.
    pub fn react(&self, view: &View, r: &Reaction) -> Option<Outcome> {
        let outcome = self.reaction(view, r)?;
        Some(Outcome {
            lane: Some(r.sender.to_string()),
            ..outcome
        })
    }

    fn reaction(&self, view: &View, r: &Reaction) -> Option<Outcome> {
        let key = normalize(r.key);
        if key == PIN {
            return Some(self.pin(view, r));
        }
        let about = r.about?;
        let line = shortcut_line(about, &key)?;
        let outcome = match view.active {
            Some(active) if active.id == about.incident() => self.decide(
                view,
                &Request {
                    room: r.room,
                    sender: r.sender,
                    sender_is_moderator: r.sender_is_moderator,
                    line: &line,
                    now: r.now,
                    members: r.members,
                },
            ),
            _ => Outcome::reply(Reply::say(
                "⛔ Dat bericht hoort bij een incident dat niet meer loopt; er is niets gedaan.",
            )),
        };
        let outcome = answer(outcome, r.target);
        Some(self.with_room_effects(view.active, outcome, r.now, r.members))
    }
}

/// The command line a reaction with `key` on a message about `about` runs.
pub(super) fn shortcut_line(about: &Subject, key: &str) -> Option<String> {
    let (kind, fields) = about.fields();
    let row = SHORTCUTS
        .iter()
        .find(|s| s.subject == kind && s.keys.iter().any(|k| normalize(k) == key))?;
    let mut line = row.command.clone();
    for (name, value) in fields {
        line = line.replace(&format!("{{{name}}}"), &value);
    }
    Some(line)
}

/// The outcome's messages as answers to `target`; a refusal (nothing
/// changed) in one line, since the reacting user typed nothing to correct.
pub(super) fn answer(mut outcome: Outcome, target: &str) -> Outcome {
    let brief = !outcome.changes_state();
    for effect in &mut outcome.effects {
        if let Effect::Send(reply) = effect {
            let reply = std::mem::take(reply);
            let reply = match (brief, reply.lines().first()) {
                (true, Some(first)) => Reply::from_lines(vec![first.clone()], reply.mentions),
                _ => reply,
            };
            *effect = Effect::Answer {
                to: target.to_string(),
                reply,
            };
        }
    }
    outcome
}

/// A message of the core: about a subject when a reaction to it can mean
/// something (see the table) or the bot must find it again.
pub(super) fn message(reply: Reply, said: &Said, incident: Option<IncidentId>) -> Effect {
    match incident.and_then(|i| subject_of(said, i)) {
        Some(about) => Effect::Post { reply, about },
        None => Effect::Send(reply),
    }
}

fn subject_of(said: &Said, incident: IncidentId) -> Option<Subject> {
    let action = |nr| Some(Subject::Action { incident, nr });
    match said {
        Said::Action(
            ActionSaid::Created(a)
            | ActionSaid::DeadlineSet(a)
            | ActionSaid::Reassigned { action: a, .. },
        ) => action(a.nr),
        Said::Oneliner(OnelinerSaid::Proposed { nr, version, .. }) => Some(Subject::Oneliner {
            incident,
            nr: *nr,
            version: *version,
        }),
        Said::Press(PressSaid::Registered { question, .. }) => Some(Subject::PressQuestion {
            incident,
            nr: question.nr,
        }),
        Said::Reminder(ReminderSaid::Due { sections, .. }) => {
            let mut nrs = sections.iter().filter_map(|s| match s {
                Reminder::Warning(a) | Reminder::Deadline(a) => Some(a.nr),
                _ => None,
            });
            // One action per message, or a reaction could not say which.
            match (nrs.next(), nrs.next()) {
                (Some(nr), None) => action(nr),
                _ => None,
            }
        }
        _ => None,
    }
}
