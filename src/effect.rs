//! What an outcome asks of the world besides state: messages and other
//! room actions, carried out by the adapter (or printed by the console) in
//! order, per room, after the change that caused them is on disk.

use serde::{Deserialize, Serialize};

use crate::reply::Reply;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// A new message (an `m.notice`) in the room.
    Send(Reply),
}

impl Effect {
    /// The text a person would read, for the console and for tests.
    pub fn plain(&self) -> String {
        match self {
            Effect::Send(reply) => reply.plain(),
        }
    }
}
