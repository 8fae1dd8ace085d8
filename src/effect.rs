//! What an outcome asks of the world besides state: messages and other
//! room actions, carried out by the adapter (or printed by the console) in
//! order, per room, after the change that caused them is on disk.

use serde::{Deserialize, Serialize};

use crate::model::IncidentId;
use crate::render::ExportFormat;
use crate::reply::Reply;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// A new message (an `m.notice`) in the room.
    Send(Reply),
    /// The incident's record as a file (`m.file`; encrypted in an encrypted
    /// room). Rendered when it is sent (`Engine::export`), so no file sits
    /// in the outbox.
    Upload {
        incident: IncidentId,
        format: ExportFormat,
    },
}

impl Effect {
    /// The text a person would read, for the console and for tests.
    pub fn plain(&self) -> String {
        match self {
            Effect::Send(reply) => reply.plain(),
            Effect::Upload { incident, format } => {
                format!("📎 Export ({}) van incident {incident}", format.word())
            }
        }
    }
}
