//! Delivers committed replies: one queue per room (replies keep their
//! order), sent with the outbox item's transaction ID so that a resend after
//! a crash is deduplicated by the homeserver, then marked sent. The sync
//! loop never waits for a send.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::ruma::{OwnedTransactionId, RoomId};
use matrix_sdk::{Client, Room, RoomState};
use tokio::sync::mpsc;
use tokio::task::block_in_place;
use tracing::{debug, error, warn};

use super::{Backoff, message};
use crate::effect::Effect;
use crate::engine::Engine;
use crate::store::OutboxItem;

pub struct Outbox {
    client: Client,
    engine: Arc<Engine>,
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<OutboxItem>>>,
}

enum Failure {
    /// Worth retrying: the network or the homeserver is down.
    Transient(matrix_sdk::Error),
    /// Will never work (the bot left the room, the server refuses it).
    Permanent(String),
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

    async fn deliver(&self, item: OutboxItem) {
        let mut backoff = Backoff::new();
        loop {
            let started = Instant::now();
            match self.send(&item).await {
                Ok(()) => {
                    debug!(elapsed = ?started.elapsed(), txn = %item.txn_id, "reply sent");
                    break;
                }
                Err(Failure::Permanent(why)) => {
                    warn!(room = %item.room, txn = %item.txn_id, "reply dropped: {why}");
                    break;
                }
                Err(Failure::Transient(e)) => {
                    warn!(room = %item.room, "sending a reply failed, retrying in {:?}: {e}", backoff.next);
                    backoff.wait().await;
                }
            }
        }
        if let Err(e) = self.engine.store().mark_sent(item.id) {
            // It stays in the outbox and is resent (deduplicated) at the next start.
            error!("cannot mark reply {} as sent: {e}", item.id);
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<(), Failure> {
        let room_id = RoomId::parse(&item.room).map_err(|e| Failure::Permanent(e.to_string()))?;
        let room = self
            .client
            .get_room(&room_id)
            .filter(|r| r.state() == RoomState::Joined)
            .ok_or_else(|| Failure::Permanent("the bot is not in this room".to_string()))?;
        let txn_id = OwnedTransactionId::from(item.txn_id.as_str());
        match &item.effect {
            Effect::Send(reply) => room
                .send(message::notice(reply))
                .with_transaction_id(txn_id)
                .await
                .map(drop)
                .map_err(classify),
            Effect::Upload { incident, format } => {
                self.upload(&room, txn_id, *incident, *format).await
            }
        }
    }

    /// The incident's record as an `m.file`, rendered now. matrix-sdk
    /// encrypts the file itself (AES-CTR, key in the event) in an encrypted
    /// room. A resend after a crash uploads again; the event is deduplicated.
    async fn upload(
        &self,
        room: &Room,
        txn_id: OwnedTransactionId,
        incident: crate::model::IncidentId,
        format: crate::render::ExportFormat,
    ) -> Result<(), Failure> {
        let now = chrono::Utc::now();
        let file = block_in_place(|| self.engine.export(incident, format, now))
            .map_err(|e| Failure::Permanent(format!("export of incident {incident}: {e}")))?
            .ok_or_else(|| Failure::Permanent(format!("incident {incident} does not exist")))?;
        let mime: mime::Mime = file
            .mime
            .parse()
            .map_err(|e| Failure::Permanent(format!("mime type {}: {e}", file.mime)))?;
        room.send_attachment(
            file.name,
            &mime,
            file.bytes,
            AttachmentConfig::new().txn_id(txn_id),
        )
        .await
        .map(drop)
        .map_err(classify)
    }
}

fn classify(e: matrix_sdk::Error) -> Failure {
    match e.as_client_api_error() {
        Some(api) if api.status_code.is_client_error() && api.status_code.as_u16() != 429 => {
            Failure::Permanent(e.to_string())
        }
        _ => Failure::Transient(e),
    }
}
