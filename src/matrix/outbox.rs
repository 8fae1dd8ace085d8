//! Delivers committed replies and other room effects in lanes (see
//! [`lane`]; each keeps its order), once their commit is on disk
//! (`flusher.rs`: one flush for all items committed meanwhile), sent with
//! the outbox item's transaction ID so that a resend after a crash is
//! deduplicated by the homeserver, then reported back (`Engine::delivered`:
//! done, and the event it became). The sync loop never waits for a send.
//! Effects other than a plain message are carried out in `effects.rs`.
//!
//! A reply too large for one event goes out in numbered parts (each with its
//! own stable transaction ID). A reply the homeserver refuses for good is
//! never dropped silently: the room gets a notice, the logboek an entry, and
//! the store keeps it as undelivered (not as sent).

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::FutureExt;
use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId, RoomId};
use matrix_sdk::{Client, EncryptionState, Room, RoomState};
use tokio::sync::{mpsc, watch};
use tokio::task::block_in_place;
use tracing::{debug, error, warn};

use super::flusher::Flusher;
use super::{Backoff, effects, message};
use crate::effect::{Effect, Subject};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::store::{FAILURE_TXN_PREFIX, OutboxItem};

pub struct Outbox {
    client: Client,
    engine: Arc<Engine>,
    /// One queue per lane (see [`lane`]): each delivers in order, lanes
    /// side by side, so one member's replies never wait for another's.
    queues: Mutex<HashMap<(String, String), mpsc::UnboundedSender<OutboxItem>>>,
    /// Per encrypted room: the lanes take turns to send (see [`Outbox::send`]).
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    in_flight: InFlight,
    /// Items wait here until their commit is on disk.
    flusher: Flusher<OutboxItem>,
}

/// How many items were pushed and not yet delivered (or given up on).
#[derive(Default)]
struct InFlight(watch::Sender<usize>);

impl InFlight {
    fn add(&self) {
        self.0.send_modify(|n| *n += 1);
    }

    fn done(&self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }

    fn is_empty(&self) -> bool {
        *self.0.borrow() == 0
    }

    /// Waits until nothing is in flight, at most `limit`; whether it came to that.
    async fn emptied(&self, limit: Duration) -> bool {
        let mut count = self.0.subscribe();
        tokio::time::timeout(limit, count.wait_for(|n| *n == 0))
            .await
            .is_ok()
    }
}

/// The queue an item goes in: the living sitrap's edits, pin and unpin
/// together (edits must not overtake each other; each waits for the
/// message itself, see `effects::wait_for_its_message`); the rest per
/// person whose command it answers (their replies keep their order, the
/// sitrap's first message after the reply that opened it), the bot's own
/// reminders in the room's lane.
fn lane(item: &OutboxItem) -> (String, String) {
    let sitrap = match &item.effect {
        Effect::Edit { about, .. } | Effect::Pin { about } | Effect::Unpin { about } => {
            matches!(about, Subject::Sitrap { .. })
        }
        _ => false,
    };
    let lane = match (&item.lane, sitrap) {
        (_, true) => "sitrap".to_string(),
        (Some(person), false) => person.clone(),
        (None, false) => String::new(),
    };
    (item.room.clone(), lane)
}

pub(super) enum Failure {
    /// Worth retrying: the network or the homeserver is down.
    Transient(matrix_sdk::Error),
    /// Will never work: the server refuses it (`why`), or the bot is not
    /// in the room (`in_room` false: nobody there to tell).
    Permanent { why: String, in_room: bool },
    /// The SDK panicked (see [`Outbox::send`]): tried again.
    Panicked,
}

impl From<matrix_sdk::Error> for Failure {
    fn from(e: matrix_sdk::Error) -> Failure {
        match e.as_client_api_error() {
            Some(api) if api.status_code.is_client_error() && api.status_code.as_u16() != 429 => {
                let code = e
                    .client_api_error_kind()
                    .map(|kind| kind.errcode().to_string())
                    .unwrap_or_default();
                Failure::Permanent {
                    why: format!("{} {code}", api.status_code.as_u16())
                        .trim_end()
                        .to_string(),
                    in_room: true,
                }
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
    /// The outbox, and its task that hands flushed items to their lanes.
    pub fn start(client: Client, engine: Arc<Engine>) -> Arc<Outbox> {
        let store = engine.clone();
        let outbox = Arc::new(Outbox {
            client,
            engine,
            queues: Mutex::new(HashMap::new()),
            turns: Mutex::new(HashMap::new()),
            in_flight: InFlight::default(),
            flusher: Flusher::new(move || store.store().flush()),
        });
        let releasing = outbox.clone();
        tokio::spawn(async move {
            loop {
                for item in releasing.flusher.next_batch().await {
                    releasing.enqueue(item);
                }
            }
        });
        outbox
    }

    /// Whether everything pushed has been delivered.
    pub fn is_idle(&self) -> bool {
        self.in_flight.is_empty()
    }

    /// Waits until everything pushed has been delivered, at most `limit`;
    /// whether it was.
    pub async fn settled(&self, limit: Duration) -> bool {
        self.in_flight.emptied(limit).await
    }

    /// Sends `item` once its commit is on disk (see `flusher.rs`).
    pub fn push(&self, item: OutboxItem) {
        self.in_flight.add();
        self.flusher.push(item);
    }

    /// Waits until every commit made so far is on disk.
    pub async fn durable(&self) {
        self.flusher.durable().await;
    }

    fn enqueue(self: &Arc<Self>, item: OutboxItem) {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        let queue = queues.entry(lane(&item)).or_insert_with(|| {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let outbox = self.clone();
            tokio::spawn(async move {
                while let Some(item) = rx.recv().await {
                    outbox.deliver(item).await;
                    outbox.in_flight.done();
                }
            });
            tx
        });
        // The receiving task lives as long as the process.
        let _ = queue.send(item);
    }

    async fn deliver(self: &Arc<Self>, item: OutboxItem) {
        let mut backoff = Backoff::new();
        effects::wait_for_its_message(&self.engine, &item).await;
        let done = loop {
            let started = Instant::now();
            // A panic in the SDK must not end the lane: the item is tried again.
            let sent = AssertUnwindSafe(self.send(&item)).catch_unwind().await;
            match sent.unwrap_or_else(|_| Err(Failure::Panicked)) {
                Ok(done) => {
                    debug!(elapsed = ?started.elapsed(), txn = %item.txn_id, "reply sent");
                    break done;
                }
                Err(Failure::Permanent { why, in_room }) => {
                    return self.undeliverable(item, &why, in_room);
                }
                Err(Failure::Transient(e)) => {
                    warn!(room = %item.room, "sending a reply failed, retrying in {:?}: {e}", backoff.next);
                    backoff.wait().await;
                }
                Err(Failure::Panicked) => {
                    error!(room = %item.room, txn = %item.txn_id, "sending a reply panicked, retrying in {:?}", backoff.next);
                    backoff.wait().await;
                }
            }
        };
        let recorded = match done {
            Done::Event(event_id) => self.engine.delivered(item.id, event_id.as_str()),
            Done::Nothing => self.engine.store().mark_sent(item.id),
            Done::NotPermitted { needed, has } => block_in_place(|| {
                self.engine
                    .not_permitted(&item, needed, has, Utc::now())
                    .map(|notices| notices.into_iter().for_each(|n| self.push(n)))
            }),
        };
        match recorded {
            // Not waited for: if the bot stops before it is on disk, the
            // item is resent at the next start, and deduplicated.
            Ok(()) => self.flusher.flush_soon(),
            // It stays in the outbox and is resent (deduplicated) at the next start.
            Err(e) => error!("cannot mark reply {} as sent: {e}", item.id),
        }
    }

    /// Records a refused reply and tells the room (unless the refused
    /// message was itself such a notice, or the bot is not in the room).
    fn undeliverable(self: &Arc<Self>, item: OutboxItem, why: &str, in_room: bool) {
        error!(room = %item.room, txn = %item.txn_id, "the homeserver refused a reply: {why}");
        let plain = item.effect.plain();
        let first = plain.lines().next().unwrap_or_default();
        let notice = (in_room && !item.txn_id.starts_with(FAILURE_TXN_PREFIX))
            .then(|| message::undelivered(first, why));
        let log = message::undelivered_log(first, why);
        let recorded = block_in_place(|| {
            self.engine
                .exclusive(|store| store.record_undelivered(&item, why, &log, notice, Utc::now()))
        });
        match recorded {
            Ok(Some(notice)) => self.push(notice),
            Ok(None) => {}
            // It stays in the outbox: tried again at the next start.
            Err(e) => error!("cannot record the refused reply {}: {e}", item.id),
        }
    }

    async fn send(&self, item: &OutboxItem) -> Result<Done, Failure> {
        let not_here = |why: String| Failure::Permanent {
            why,
            in_room: false,
        };
        let room_id = RoomId::parse(&item.room).map_err(|e| not_here(e.to_string()))?;
        let room = self
            .client
            .get_room(&room_id)
            .filter(|r| r.state() == RoomState::Joined)
            .ok_or_else(|| not_here("the bot is not in this room".to_string()))?;
        // matrix-sdk 0.18 cannot encrypt two messages for one room at once:
        // a send can find the room key rotated under it (every 100 messages)
        // and panics ("Session expired", matrix-sdk-crypto's group sessions).
        let _turn = match room.encryption_state() {
            EncryptionState::NotEncrypted => None,
            _ => Some(self.turn(&item.room).lock_owned().await),
        };
        match &item.effect {
            Effect::Send(reply) => send_parts(&room, reply, &item.txn_id).await,
            Effect::Upload { incident, format } => {
                let txn_id = OwnedTransactionId::from(item.txn_id.as_str());
                self.upload(&room, txn_id, *incident, *format).await
            }
            _ => effects::carry_out(&self.engine, &room, item).await,
        }
    }

    fn turn(&self, room: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
        turns.entry(room.to_string()).or_default().clone()
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
    ) -> Result<Done, Failure> {
        let permanent = |why: String| Failure::Permanent { why, in_room: true };
        let file = block_in_place(|| self.engine.export(incident, format, Utc::now()))
            .map_err(|e| permanent(format!("export of incident {incident}: {e}")))?
            .ok_or_else(|| permanent(format!("incident {incident} does not exist")))?;
        let mime: mime::Mime = file
            .mime
            .parse()
            .map_err(|e| permanent(format!("mime type {}: {e}", file.mime)))?;
        let sent = room
            .send_attachment(
                file.name,
                &mime,
                file.bytes,
                AttachmentConfig::new().txn_id(txn_id),
            )
            .await?;
        Ok(Done::Event(sent.event_id))
    }
}

/// A reply too large for one event goes in numbered parts.
async fn send_parts(room: &Room, reply: &Reply, txn_id: &str) -> Result<Done, Failure> {
    let parts = message::split(reply, message::MAX_CONTENT_BYTES);
    let mut last = None;
    for (i, part) in parts.iter().enumerate() {
        // Stable per part: what a retry or a restart sends again, the
        // homeserver deduplicates.
        let txn = match parts.len() {
            1 => txn_id.to_string(),
            _ => format!("{txn_id}-{}", i + 1),
        };
        let sent = send_part(room, part, &txn).await.map_err(|f| match f {
            Failure::Permanent { why, in_room } if parts.len() > 1 => Failure::Permanent {
                why: format!("deel {} van {}: {why}", i + 1, parts.len()),
                in_room,
            },
            other => other,
        })?;
        last = Some(sent);
    }
    Ok(last.map_or(Done::Nothing, Done::Event))
}

async fn send_part(room: &Room, part: &Reply, txn: &str) -> Result<OwnedEventId, Failure> {
    let sent = room
        .send(message::message(part))
        .with_transaction_id(OwnedTransactionId::from(txn))
        .await?;
    Ok(sent.response.event_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(lane: Option<&str>, effect: Effect) -> OutboxItem {
        OutboxItem {
            id: 1,
            room: "!r:x".into(),
            lane: lane.map(str::to_string),
            txn_id: "t".into(),
            effect,
        }
    }

    #[tokio::test]
    async fn settling_says_whether_every_item_was_delivered_within_the_limit() {
        let in_flight = Arc::new(InFlight::default());
        assert!(in_flight.emptied(Duration::ZERO).await, "nothing pushed");
        in_flight.add();
        in_flight.add();
        assert!(!in_flight.emptied(Duration::from_millis(20)).await);
        let delivering = in_flight.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            delivering.done();
            delivering.done();
        });
        assert!(in_flight.emptied(Duration::from_secs(5)).await);
        assert!(in_flight.is_empty());
    }

    #[test]
    fn each_person_has_a_lane_and_the_sitrap_keeps_its_edits_and_pin_together() {
        let say = |who| item(Some(who), Effect::Send(Reply::say("x")));
        assert_ne!(lane(&say("@a:x")), lane(&say("@b:x")));
        assert_eq!(lane(&say("@a:x")), lane(&say("@a:x")));
        let sitrap = Subject::Sitrap { incident: 1 };
        let post = item(
            Some("@a:x"),
            Effect::Post {
                reply: Reply::say("x"),
                about: sitrap.clone(),
            },
        );
        let edit = item(
            Some("@b:x"),
            Effect::Edit {
                about: sitrap.clone(),
                reply: Reply::say("y"),
            },
        );
        let pin = item(None, Effect::Pin { about: sitrap });
        assert_eq!(
            lane(&post),
            lane(&say("@a:x")),
            "after the reply that opened it"
        );
        assert_eq!(lane(&edit), lane(&pin));
        assert_ne!(lane(&edit), lane(&say("@b:x")));
        let reminder = item(None, Effect::Send(Reply::say("⏰")));
        assert_eq!(lane(&reminder), ("!r:x".to_string(), String::new()));
    }
}
