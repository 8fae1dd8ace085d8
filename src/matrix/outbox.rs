//! Delivers committed replies: one queue per room (replies keep their
//! order), sent with the outbox item's transaction ID so that a resend after
//! a crash is deduplicated by the homeserver, then marked sent. The sync
//! loop never waits for a send.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId, RoomId};
use matrix_sdk::{Client, RoomState};
use tokio::sync::mpsc;
use tracing::{debug, error, warn};

use super::{Backoff, effects, message};
use crate::effect::Effect;
use crate::engine::Engine;
use crate::store::OutboxItem;

pub struct Outbox {
    client: Client,
    engine: Arc<Engine>,
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<OutboxItem>>>,
}

pub(super) enum Failure {
    /// Worth retrying: the network or the homeserver is down.
    Transient(matrix_sdk::Error),
    /// Will never work (the bot left the room, the server refuses it).
    Permanent(String),
}

impl From<matrix_sdk::Error> for Failure {
    fn from(e: matrix_sdk::Error) -> Failure {
        match e.as_client_api_error() {
            Some(api) if api.status_code.is_client_error() && api.status_code.as_u16() != 429 => {
                Failure::Permanent(e.to_string())
            }
            _ => Failure::Transient(e),
        }
    }
}

/// What carrying out an item gave, to report back to the engine.
pub(super) enum Done {
    /// The event it became (a message, an edit, a reaction).
    Event(OwnedEventId),
    /// Done, without an event of its own (a pin).
    Nothing,
    /// The bot may not do it: it needs power level `needed`, has `has`.
    NotPermitted { needed: i64, has: i64 },
}

impl Outbox {
    pub fn new(client: Client, engine: Arc<Engine>) -> Outbox {
        Outbox {
            client,
            engine,
            queues: Mutex::new(HashMap::new()),
        }
    }

    pub fn push(self: &Arc<Self>, item: OutboxItem) {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        let queue = queues.entry(item.room.clone()).or_insert_with(|| {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let outbox = self.clone();
            tokio::spawn(async move {
                while let Some(item) = rx.recv().await {
                    outbox.deliver(item).await;
                }
            });
            tx
        });
        // The receiving task lives as long as the process.
        let _ = queue.send(item);
    }

    async fn deliver(self: &Arc<Self>, item: OutboxItem) {
        let mut backoff = Backoff::new();
        let done = loop {
            let started = Instant::now();
            match self.send(&item).await {
                Ok(done) => {
                    debug!(elapsed = ?started.elapsed(), txn = %item.txn_id, "reply sent");
                    break done;
                }
                Err(Failure::Permanent(why)) => {
                    warn!(room = %item.room, txn = %item.txn_id, "reply dropped: {why}");
                    break Done::Nothing;
                }
                Err(Failure::Transient(e)) => {
                    warn!(room = %item.room, "sending a reply failed, retrying in {:?}: {e}", backoff.next);
                    backoff.wait().await;
                }
            }
        };
        let recorded = match done {
            Done::Event(event_id) => self.engine.delivered(item.id, event_id.as_str()),
            Done::Nothing => self.engine.store().mark_sent(item.id),
            Done::NotPermitted { needed, has } => self
                .engine
                .not_permitted(&item, needed, has, Utc::now())
                .map(|notices| notices.into_iter().for_each(|n| self.push(n))),
        };
        if let Err(e) = recorded {
            // It stays in the outbox and is resent (deduplicated) at the next start.
            error!("cannot mark reply {} as sent: {e}", item.id);
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<Done, Failure> {
        let room_id = RoomId::parse(&item.room).map_err(|e| Failure::Permanent(e.to_string()))?;
        let room = self
            .client
            .get_room(&room_id)
            .filter(|r| r.state() == RoomState::Joined)
            .ok_or_else(|| Failure::Permanent("the bot is not in this room".to_string()))?;
        let Effect::Send(reply) = &item.effect else {
            return effects::carry_out(&self.engine, &room, item).await;
        };
        let sent = room
            .send(message::notice(reply))
            .with_transaction_id(OwnedTransactionId::from(item.txn_id.as_str()))
            .await?;
        Ok(Done::Event(sent.response.event_id))
    }
}
