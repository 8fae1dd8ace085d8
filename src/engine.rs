//! The engine: the pure core plus the store, one command at a time.
//!
//! Both the console and the Matrix adapter drive this; it is the only place
//! where state is read, handed to the core, and the outcome written back.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::core::{Core, Request, View};
use crate::store::{OutboxItem, Store, StoreError};

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
}

pub struct Engine {
    core: Core,
    store: Store,
    /// One command at a time: the core reads a state and the store writes its
    /// successor, so two interleaved commands would lose one of the changes.
    serial: Mutex<()>,
}

impl Engine {
    pub fn new(core: Core, store: Store) -> Engine {
        Engine {
            core,
            store,
            serial: Mutex::new(()),
        }
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
        let room = self.store.room(msg.room)?;
        let active = match room.active {
            Some(id) => self.store.incident(id)?,
            None => None,
        };
        let view = View {
            room: &room,
            active: active.as_ref(),
            next_incident_id: self.store.next_incident_id()?,
            log: &self.store,
        };
        let request = Request {
            room: msg.room,
            sender: msg.sender,
            sender_is_moderator: msg.sender_is_moderator,
            line,
            now: msg.now,
        };
        let outcome = self.core.handle(&view, &request);
        Ok(
            match self
                .store
                .apply(msg.room, msg.event_id, &outcome, msg.now)?
            {
                Some(items) => Handled::Replies(items),
                None => Handled::AlreadyHandled,
            },
        )
    }
}
