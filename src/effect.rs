//! What an outcome asks of the world besides state: messages and other
//! room actions, carried out by the adapter (or printed by the console) in
//! order, per room, after the change that caused them is on disk.
//!
//! A new kind of room action is a new variant here, its execution in
//! `matrix/effects.rs`, and its line in [`Effect::plain`] for the console.
//! What the adapter learns while carrying one out (the event id of a sent
//! message) comes back through `Engine::delivered`; the store then knows
//! which event is about which [`Subject`], so that later effects (an edit, a
//! pin) and reactions to it can name the subject instead of an event.

use serde::{Deserialize, Serialize};

use crate::model::IncidentId;
use crate::render::ExportFormat;
use crate::reply::Reply;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// A new message in the room (`matrix::message::message`).
    Send(Reply),
    /// The incident's record as a file (`m.file`; encrypted in an encrypted
    /// room). Rendered when it is sent (`Engine::export`), so no file sits
    /// in the outbox.
    Upload {
        incident: IncidentId,
        format: ExportFormat,
    },
    /// A new message about `about`: its event id is recorded once sent, so
    /// that reactions to it and edits of it find their subject.
    Post { reply: Reply, about: Subject },
    /// A message in answer to one event (`m.in_reply_to`): what a reaction
    /// to that event caused or why it was refused.
    Answer { to: String, reply: Reply },
    /// Replaces the text of the message posted about `about` (`m.replace`).
    Edit { about: Subject, reply: Reply },
    /// Pins the message posted about `about` to the room (`m.room.pinned_events`).
    Pin { about: Subject },
    /// Takes it off the room's pinned messages.
    Unpin { about: Subject },
    /// A reaction (`m.reaction`) with `key` to the event `to`.
    React { to: String, key: String },
}

/// What a bot message is about, so that the bot can find it again and knows
/// what a reaction to it means (see `commands/reactions.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Subject {
    /// The incident's living sitrap (posted once, then edited).
    Sitrap { incident: IncidentId },
    /// An action: its creation reply or a deadline reminder.
    Action { incident: IncidentId, nr: u32 },
    /// One version of a oneliner: the proposal or edit that shows it.
    Oneliner {
        incident: IncidentId,
        nr: u32,
        version: usize,
    },
    /// A press question: its registration reply.
    #[serde(rename = "press-question")]
    PressQuestion { incident: IncidentId, nr: u32 },
}

impl Subject {
    pub fn incident(&self) -> IncidentId {
        match self {
            Subject::Sitrap { incident }
            | Subject::Action { incident, .. }
            | Subject::Oneliner { incident, .. }
            | Subject::PressQuestion { incident, .. } => *incident,
        }
    }

    /// The subject as the store's key: stable, one per subject.
    pub fn key(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }

    /// The subject's kind (`action`) and fields (`nr` → `3`), as the
    /// reaction table names them.
    pub fn fields(&self) -> (String, Vec<(String, String)>) {
        let serde_json::Value::Object(map) = serde_json::to_value(self).expect("plain data") else {
            unreachable!("a tagged enum serialises to an object")
        };
        let mut kind = String::new();
        let mut fields = Vec::new();
        for (name, value) in map {
            let text = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            if name == "kind" {
                kind = text;
            } else {
                fields.push((name, text));
            }
        }
        (kind, fields)
    }
}

impl Effect {
    /// The text a person would read, for the console and for tests; room
    /// actions other than a message are one short line.
    pub fn plain(&self) -> String {
        match self {
            Effect::Upload { incident, format } => {
                format!("📎 Export ({}) van incident {incident}", format.word())
            }
            Effect::Send(reply) | Effect::Post { reply, .. } | Effect::Answer { reply, .. } => {
                reply.plain()
            }
            Effect::Edit { about, .. } => format!("✏️ Bijgewerkt: {}", about.describe()),
            Effect::Pin { about } => format!("📌 Vastgezet: {}", about.describe()),
            Effect::Unpin { about } => format!("📌 Losgemaakt: {}", about.describe()),
            Effect::React { key, .. } => format!("(reactie {key})"),
        }
    }

    /// The message this effect sends, if it is a new message.
    pub fn message(&self) -> Option<&Reply> {
        match self {
            Effect::Send(reply) | Effect::Post { reply, .. } | Effect::Answer { reply, .. } => {
                Some(reply)
            }
            _ => None,
        }
    }

    /// The text it shows in the room: a new message's or an edit's.
    pub fn text(&self) -> Option<&Reply> {
        match self {
            Effect::Edit { reply, .. } => Some(reply),
            other => other.message(),
        }
    }

    /// The subject a sent message is about, recorded with its event id.
    pub fn about(&self) -> Option<&Subject> {
        match self {
            Effect::Post { about, .. } => Some(about),
            _ => None,
        }
    }
}

impl Subject {
    /// "sitrap", "actie 3", "oneliner 3.2": for the console's lines.
    pub fn describe(&self) -> String {
        match self {
            Subject::Sitrap { .. } => "sitrap".to_string(),
            Subject::Action { nr, .. } => format!("actie {nr}"),
            Subject::Oneliner { nr, version, .. } => format!("oneliner {nr}.{version}"),
            Subject::PressQuestion { nr, .. } => format!("persvraag {nr}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_names_its_kind_and_fields_for_the_reaction_table() {
        let (kind, fields) = Subject::Oneliner {
            incident: 4,
            nr: 3,
            version: 2,
        }
        .fields();
        assert_eq!(kind, "oneliner");
        assert!(fields.contains(&("nr".into(), "3".into())));
        assert!(fields.contains(&("version".into(), "2".into())));
    }
}
