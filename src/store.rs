//! The sled store: rooms, incidents, the hash-chained logboek, processed
//! event ids and the outbox, all written in one transaction per command so
//! that a crash never separates a change from its logboek entry or its reply.
//!
//! Trust: the chain is plain SHA-256 or keyed (HMAC-SHA256, see `chain`);
//! anchors (see `anchor`) put its length and head in the room, written in the
//! same transaction as the entries they follow; `verify` checks every
//! incident the store ever counted, and the chain against anchors.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::{
    ConflictableTransactionError, ConflictableTransactionResult, TransactionError,
    TransactionalTree,
};
use sled::{Transactional, Tree};

use crate::anchor::{self, Anchor, Mark};
use crate::chain::{Chain, ChainError, ChainRecord, LogKey, Sealed};
use crate::core::reminders::BOT;
use crate::core::{LogDraft, LogRead, Outcome};
use crate::effect::{Effect, Subject};
use crate::model::{Incident, IncidentId, LogEntry, LogKind, RoomRecord};
use crate::private;

mod chunks;
pub mod seen;
use crate::reply::Reply;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: corrupt record: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    #[error("store: {0}")]
    Chain(#[from] ChainError),
}

impl From<TransactionError<StoreError>> for StoreError {
    fn from(e: TransactionError<StoreError>) -> Self {
        match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(e) => StoreError::Sled(e),
        }
    }
}

/// An effect written with the change that caused it, carried out after the commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: u64,
    pub room: String,
    /// Whose command it answers (see `Outcome::lane`); `None`: the bot's own.
    #[serde(default)]
    pub lane: Option<String>,
    /// Stable per effect, so a resend after a crash is deduplicated by the
    /// homeserver (Matrix transaction ids are idempotent per device).
    pub txn_id: String,
    pub effect: Effect,
}

/// Transaction ids of the notices that say a message was not delivered.
pub const FAILURE_TXN_PREFIX: &str = "kb-fail-";

/// A message the homeserver refused for good: out of the outbox, never marked sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undelivered {
    pub item: OutboxItem,
    pub why: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    /// Flush after every change (the default). Off while bulk loading, and
    /// where the caller flushes for a group of commits ([`Store::grouping_commits`]).
    durable: bool,
    chain: Chain,
    rooms: Tree,
    incidents: Tree,
    log: Tree,
    /// Handled event ids (exactly once), in buckets ([`seen`]).
    seen: Tree,
    outbox: Tree,
    undelivered: Tree,
    meta: Tree,
    /// The scheduler's agenda: (due time, incident) → (), ordered by time.
    due: Tree,
    /// Incident → its key in `due`, to move it when the time changes.
    due_of: Tree,
    /// Event id of a bot message → the [`Subject`] it is about.
    subject_of: Tree,
    /// Subject key → the event id of the latest message about it.
    event_of: Tree,
}

/// sled's page cache. A command reads the room, its active incident and the
/// logboek's tail; 8 MiB holds that for many rooms (scripts/bench-startup.sh
/// measures the bot's memory with a store of a million entries).
const CACHE_BYTES: u64 = 8 * 1024 * 1024;
const NEXT_INCIDENT: &[u8] = b"next_incident";
const NEXT_OUTBOX: &[u8] = b"next_outbox";
/// The kind of chain ([`ChainRecord`]).
const CHAIN: &[u8] = b"chain";
/// Followed by an incident id: its last anchor ([`Mark`]).
const ANCHOR: &[u8] = b"anchor/";

fn anchor_key(incident: IncidentId) -> Vec<u8> {
    [ANCHOR, &incident.to_be_bytes()].concat()
}

fn due_key(at: DateTime<Utc>, incident: IncidentId) -> [u8; 16] {
    let mut key = [0; 16];
    // Times before 1970 do not occur; clamping keeps the key order sound.
    let millis = at.timestamp_millis().max(0) as u64;
    key[..8].copy_from_slice(&millis.to_be_bytes());
    key[8..].copy_from_slice(&incident.to_be_bytes());
    key
}

fn due_key_parts(key: &[u8]) -> Option<(DateTime<Utc>, IncidentId)> {
    let millis = u64::from_be_bytes(key.get(..8)?.try_into().ok()?);
    let incident = u64::from_be_bytes(key.get(8..16)?.try_into().ok()?);
    Some((DateTime::from_timestamp_millis(millis as i64)?, incident))
}

fn read_u64(bytes: Option<sled::IVec>) -> u64 {
    bytes
        .and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
        .map_or(0, u64::from_be_bytes)
}

/// The plain (unkeyed) hash of an entry: SHA-256 over every field but the hash itself.
pub fn entry_hash(
    incident: IncidentId,
    seq: u64,
    at: DateTime<Utc>,
    actor: &str,
    kind: LogKind,
    text: &str,
    prev: &str,
) -> String {
    Sealed {
        incident,
        seq,
        at,
        actor,
        kind,
        text,
        prev,
    }
    .sha256()
}

/// The hash an entry must carry, from its own fields.
fn expected_hash(chain: &Chain, entry: &LogEntry) -> String {
    chain.hash(&Sealed {
        incident: entry.incident,
        seq: entry.seq,
        at: entry.at,
        actor: &entry.actor,
        kind: entry.kind,
        text: &entry.text,
        prev: &entry.prev,
    })
}

fn seal(chain: &Chain, incident: &mut Incident, draft: &LogDraft, at: DateTime<Utc>) -> LogEntry {
    let seq = incident.log_len + 1;
    let prev = incident.log_head.clone();
    let hash = chain.hash(&Sealed {
        incident: incident.id,
        seq,
        at,
        actor: &draft.actor,
        kind: draft.kind,
        text: &draft.text,
        prev: &prev,
    });
    incident.log_len = seq;
    incident.log_head = hash.clone();
    LogEntry {
        incident: incident.id,
        seq,
        at,
        actor: draft.actor.clone(),
        kind: draft.kind,
        text: draft.text.clone(),
        prev,
        hash,
    }
}

/// An outcome with its entries sealed, and the anchor if one is due.
struct SealedOutcome {
    incident: Option<Incident>,
    entries: Vec<LogEntry>,
    effects: Vec<Effect>,
    mark: Option<(IncidentId, Mark)>,
}

fn incident_record(incident: &Incident) -> Result<(IncidentId, Vec<u8>), serde_json::Error> {
    Ok((incident.id, serde_json::to_vec(incident)?))
}

/// Puts `effects` in the outbox, each with the transaction id `txn_id(index, outbox id)`.
fn queue(
    outbox: &TransactionalTree,
    meta: &TransactionalTree,
    (room, lane): (&str, Option<&str>),
    effects: &[Effect],
    txn_id: impl Fn(usize, u64) -> String,
) -> ConflictableTransactionResult<Vec<OutboxItem>, StoreError> {
    let mut next = read_u64(meta.get(NEXT_OUTBOX)?);
    let mut items = Vec::new();
    for (index, effect) in effects.iter().enumerate() {
        next += 1;
        let item = OutboxItem {
            id: next,
            room: room.to_string(),
            lane: lane.map(str::to_string),
            txn_id: txn_id(index, next),
            effect: effect.clone(),
        };
        let json = serde_json::to_vec(&item)
            .map_err(|e| ConflictableTransactionError::Abort(StoreError::from(e)))?;
        outbox.insert(&next.to_be_bytes(), json)?;
        items.push(item);
    }
    meta.insert(NEXT_OUTBOX, &next.to_be_bytes())?;
    Ok(items)
}

/// The chain a store has, given the key the caller holds. Opened for
/// writing, a new or plain store records its kind; with a key, a plain
/// store becomes keyed from its next incident on.
fn settle_chain(meta: &Tree, key: Option<LogKey>, verifying: bool) -> Result<Chain, StoreError> {
    let recorded: Option<ChainRecord> = meta
        .get(CHAIN)?
        .map(|b| serde_json::from_slice(&b))
        .transpose()?;
    let record = match recorded {
        Some(ChainRecord::Sha256) | None if !verifying => {
            let record = match &key {
                Some(key) => ChainRecord::keyed(key, read_u64(meta.get(NEXT_INCIDENT)?).max(1)),
                None => ChainRecord::Sha256,
            };
            if recorded.as_ref() != Some(&record) {
                meta.insert(CHAIN, serde_json::to_vec(&record)?)?;
                meta.flush()?;
            }
            record
        }
        Some(record) => record,
        // A store from before chains were recorded: plain.
        None => ChainRecord::Sha256,
    };
    Ok(Chain::from_record(&record, key)?)
}

/// How long opening waits for a store another handle still locks.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

/// sled's background threads release the store's file lock a moment after
/// the last handle is dropped, so a restart (or a test reopening the store)
/// waits for it briefly; a store held by a running bot still fails.
fn open_sled(dir: &Path) -> Result<sled::Db, sled::Error> {
    let started = std::time::Instant::now();
    loop {
        // sled caches up to 1 GiB by default; a bot on a small VM should not.
        let opened = sled::Config::new()
            .path(dir)
            .cache_capacity(CACHE_BYTES)
            // No background flusher: every write is flushed by the store
            // itself, and the flusher also runs sled's segment cleaner,
            // which pages in every page it moves and never gives the memory
            // back. Reopened after a million logboek entries written command
            // by command, a store grew from 7 to 55 MiB within 40 s of the
            // next write with it, and stayed at 7.4 MiB without it; written
            // without it, the file was 4% larger (examples/store_memory.rs).
            .flush_every_ms(None)
            .open();
        match opened {
            Err(sled::Error::Io(e)) if is_locked(&e) && started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// sled reports a held lock only in the message of an `Other` error.
fn is_locked(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Other && e.to_string().starts_with("could not acquire lock")
}

/// A tree of an older layout, if the store still has it.
fn existing_tree(db: &sled::Db, name: &str) -> Result<Option<Tree>, StoreError> {
    let exists = db
        .tree_names()
        .iter()
        .any(|n| n.as_ref() == name.as_bytes());
    Ok(if exists {
        Some(db.open_tree(name)?)
    } else {
        None
    })
}

/// Drops a tree whose contents were moved, once the move is on disk, so an
/// interrupted move starts again from the old tree.
fn drop_once_moved(db: &sled::Db, name: &str) -> Result<(), StoreError> {
    db.flush()?;
    db.drop_tree(name)?;
    db.flush()?;
    Ok(())
}

impl Store {
    /// A store with a plain chain (see [`Store::open_keyed`]).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(dir, true, None, false)
    }

    /// With `key`, new incidents' chains are keyed; a keyed store needs its key.
    pub fn open_keyed(dir: &Path, key: Option<LogKey>) -> Result<Store, StoreError> {
        Self::open_with(dir, true, key, false)
    }

    /// For `verify`: records nothing about the chain; a key given for a
    /// plain store is an error (a keyed store's record may have been removed).
    pub fn open_to_verify(dir: &Path, key: Option<LogKey>) -> Result<Store, StoreError> {
        Self::open_with(dir, true, key, true)
    }

    /// For reading a copy (the export): no key needed, nothing hashed; the
    /// chain's record only says which incidents are keyed.
    pub fn open_to_read(dir: &Path) -> Result<Store, StoreError> {
        Self::open_inner(dir, true, |_| Ok(Chain::plain()))
    }

    /// Whether incident `id`'s chain is keyed (HMAC), from the chain's record.
    pub fn keys(&self, id: IncidentId) -> Result<bool, StoreError> {
        let record: Option<ChainRecord> = self
            .meta
            .get(CHAIN)?
            .map(|b| serde_json::from_slice(&b))
            .transpose()?;
        Ok(matches!(record, Some(ChainRecord::HmacSha256 { keyed_from, .. }) if id >= keyed_from))
    }

    /// Commits are no longer flushed one by one: the caller flushes
    /// ([`Store::flush`]) before it acts on them, once for all commits made
    /// meanwhile (group commit, the Matrix adapter's outbox).
    pub fn grouping_commits(self) -> Store {
        Store {
            durable: false,
            ..self
        }
    }

    /// For loading many records at once (benchmarks, imports): changes are
    /// flushed only by [`Store::flush`], so a crash may lose the latest ones.
    pub fn open_for_bulk_load(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(dir, false, None, false)
    }

    fn open_with(
        dir: &Path,
        durable: bool,
        key: Option<LogKey>,
        verifying: bool,
    ) -> Result<Store, StoreError> {
        Self::open_inner(dir, durable, |meta| settle_chain(meta, key, verifying))
    }

    fn open_inner(
        dir: &Path,
        durable: bool,
        chain: impl FnOnce(&Tree) -> Result<Chain, StoreError>,
    ) -> Result<Store, StoreError> {
        private::warn_loosened(&private::make_private(dir)?);
        let db = open_sled(dir)?;
        // The files sled just created.
        private::make_private(dir)?;
        let meta = db.open_tree("meta")?;
        let log = db.open_tree(chunks::TREE)?;
        chunks::migrate(&db, &log)?;
        let seen = db.open_tree(seen::TREE)?;
        seen::migrate(&db, &seen)?;
        Ok(Store {
            durable,
            chain: chain(&meta)?,
            rooms: db.open_tree("rooms")?,
            incidents: db.open_tree("incidents")?,
            log,
            seen,
            outbox: db.open_tree("outbox")?,
            undelivered: db.open_tree("undelivered")?,
            meta,
            due: db.open_tree("due")?,
            due_of: db.open_tree("due_of")?,
            subject_of: db.open_tree("subject_of")?,
            event_of: db.open_tree("event_of")?,
            db,
        })
    }

    /// Whether the logboek's chain is keyed (HMAC) for new incidents.
    pub fn is_keyed(&self) -> bool {
        self.chain.is_keyed()
    }

    pub fn room(&self, room: &str) -> Result<RoomRecord, StoreError> {
        Ok(match self.rooms.get(room)? {
            Some(bytes) => serde_json::from_slice(&bytes)?,
            None => RoomRecord::default(),
        })
    }

    pub fn incident(&self, id: IncidentId) -> Result<Option<Incident>, StoreError> {
        Ok(match self.incidents.get(id.to_be_bytes())? {
            Some(bytes) => Some(serde_json::from_slice(&bytes)?),
            None => None,
        })
    }

    pub fn next_incident_id(&self) -> Result<IncidentId, StoreError> {
        Ok(read_u64(self.meta.get(NEXT_INCIDENT)?).max(1))
    }

    pub fn is_processed(&self, event_id: &str) -> Result<bool, StoreError> {
        seen::contains(&self.seen, event_id)
    }

    fn anchor_mark(&self, incident: IncidentId) -> Result<Option<Mark>, StoreError> {
        Ok(match self.meta.get(anchor_key(incident))? {
            Some(bytes) => Some(serde_json::from_slice(&bytes)?),
            None => None,
        })
    }

    /// Seals the outcome's drafts into its incident's chain, then the anchor
    /// entry if one is due (naming the chain before it) and its message.
    fn seal_outcome(
        &self,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<SealedOutcome, StoreError> {
        let mut sealed = SealedOutcome {
            incident: outcome.incident.clone(),
            entries: Vec::new(),
            effects: outcome.effects.clone(),
            mark: None,
        };
        let Some(incident) = sealed.incident.as_mut() else {
            return Ok(sealed);
        };
        sealed.entries = outcome
            .log
            .iter()
            .map(|d| seal(&self.chain, incident, d, now))
            .collect();
        let kinds: Vec<LogKind> = sealed.entries.iter().map(|e| e.kind).collect();
        if anchor::due(
            &kinds,
            self.anchor_mark(incident.id)?,
            incident.opened_at,
            now,
        ) {
            let (count, head) = (incident.log_len, incident.log_head.clone());
            let entry = seal(&self.chain, incident, &anchor::draft(count, &head), now);
            sealed.entries.push(entry);
            let mut notice = Effect::Send(anchor::notice(incident.id, count, &head));
            if incident.exercise {
                crate::core::live::mark_exercise(&mut notice);
            }
            sealed.effects.push(notice);
            sealed.mark = Some((incident.id, Mark { at: now, count }));
        }
        Ok(sealed)
    }

    /// Writes an outcome in one transaction: room, incident with its sealed
    /// logboek entries (and an anchor when due), the event id (exactly once)
    /// and the replies (outbox).
    /// Returns the outbox items to send, or `None` if the event was handled before.
    pub fn apply(
        &self,
        room: &str,
        event_id: Option<&str>,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<OutboxItem>>, StoreError> {
        let sealed = self.seal_outcome(outcome, now)?;
        let room_json = outcome.room.as_ref().map(serde_json::to_vec).transpose()?;
        let incident_json = sealed.incident.as_ref().map(incident_record).transpose()?;
        let entry_lines = chunks::lines(&sealed.entries)?;
        let mark_json = sealed
            .mark
            .map(|(id, mark)| {
                Ok::<_, serde_json::Error>((anchor_key(id), serde_json::to_vec(&mark)?))
            })
            .transpose()?;
        let txn_id = |index: usize, next: u64| match event_id {
            Some(e) => format!("kb-{}-{index}", &hex::encode(Sha256::digest(e))[..24]),
            None => format!("kb-local-{next}"),
        };

        let result = (
            &self.rooms,
            &self.incidents,
            &self.log,
            &self.seen,
            &self.outbox,
            &self.meta,
            &self.due,
            &self.due_of,
        )
            .transaction(|(rooms, incidents, log, seen, outbox, meta, due, due_of)| {
                if let Some(event) = event_id
                    && !seen::insert(seen, event, now)?
                {
                    return Ok(None);
                }
                if let Some(json) = &room_json {
                    rooms.insert(room, json.as_slice())?;
                }
                if let Some((id, json)) = &incident_json {
                    incidents.insert(&id.to_be_bytes(), json.as_slice())?;
                    if let Some(old) = due_of.remove(&id.to_be_bytes())? {
                        due.remove(old)?;
                    }
                    if let Some(at) = outcome.next_due {
                        let key = due_key(at, *id);
                        due.insert(&key, &[])?;
                        due_of.insert(&id.to_be_bytes(), &key)?;
                    }
                    if read_u64(meta.get(NEXT_INCIDENT)?) <= *id {
                        meta.insert(NEXT_INCIDENT, &(id + 1).to_be_bytes())?;
                    }
                }
                chunks::append(log, &entry_lines)?;
                if let Some((key, json)) = &mark_json {
                    meta.insert(key.as_slice(), json.as_slice())?;
                }
                let to = (room, outcome.lane.as_deref());
                queue(outbox, meta, to, &sealed.effects, txn_id).map(Some)
            })?;
        // A change is acknowledged only once it is on disk.
        self.flush_if_durable()?;
        Ok(result)
    }

    /// A message the homeserver refused for good. In one transaction: out of
    /// the outbox into `undelivered` (so nothing says it was delivered), an
    /// entry in the room's logboek (its active incident, else its latest),
    /// and `notice` queued to tell the room. Returns the notice's outbox item.
    pub fn record_undelivered(
        &self,
        failed: &OutboxItem,
        why: &str,
        log_text: &str,
        notice: Option<Reply>,
        now: DateTime<Utc>,
    ) -> Result<Option<OutboxItem>, StoreError> {
        let room = self.room(&failed.room)?;
        let mut incident = match room.active.or(room.incidents.last().map(|s| s.id)) {
            Some(id) => self.incident(id)?,
            None => None,
        };
        let draft = LogDraft {
            actor: BOT.to_string(),
            kind: LogKind::Undelivered,
            text: log_text.to_string(),
        };
        let entries: Vec<LogEntry> = incident
            .iter_mut()
            .map(|i| seal(&self.chain, i, &draft, now))
            .collect();
        let incident_json = incident.as_ref().map(incident_record).transpose()?;
        let entry_lines = chunks::lines(&entries)?;
        let record = serde_json::to_vec(&Undelivered {
            item: failed.clone(),
            why: why.to_string(),
            at: now,
        })?;
        let effects: Vec<Effect> = notice.into_iter().map(Effect::Send).collect();
        let id = failed.id.to_be_bytes();
        let items = (
            &self.incidents,
            &self.log,
            &self.outbox,
            &self.meta,
            &self.undelivered,
        )
            .transaction(|(incidents, log, outbox, meta, undelivered)| {
                outbox.remove(&id)?;
                undelivered.insert(&id, record.as_slice())?;
                if let Some((id, json)) = &incident_json {
                    incidents.insert(&id.to_be_bytes(), json.as_slice())?;
                }
                chunks::append(log, &entry_lines)?;
                let to = (failed.room.as_str(), failed.lane.as_deref());
                queue(outbox, meta, to, &effects, |_, _| {
                    format!("{FAILURE_TXN_PREFIX}{}", failed.id)
                })
            })?;
        self.db.flush()?;
        Ok(items.into_iter().next())
    }

    /// Messages the homeserver refused for good, oldest first.
    pub fn undelivered(&self) -> Result<Vec<Undelivered>, StoreError> {
        self.undelivered
            .iter()
            .values()
            .map(|v| Ok(serde_json::from_slice(&v?)?))
            .collect()
    }

    /// When the scheduler must next wake up, for any incident.
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .due
            .first()?
            .and_then(|(key, _)| due_key_parts(&key))
            .map(|(at, _)| at))
    }

    /// Incidents with something due at or before `now`, soonest first.
    pub fn due_until(&self, now: DateTime<Utc>) -> Result<Vec<IncidentId>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.due.iter() {
            let (key, _) = entry?;
            match due_key_parts(&key) {
                Some((at, id)) if at <= now => ids.push(id),
                _ => break,
            }
        }
        Ok(ids)
    }

    /// Replies written but not yet confirmed sent, oldest first (after a crash).
    pub fn pending_outbox(&self) -> Result<Vec<OutboxItem>, StoreError> {
        self.outbox
            .iter()
            .values()
            .map(|v| Ok(serde_json::from_slice(&v?)?))
            .collect()
    }

    pub fn mark_sent(&self, id: u64) -> Result<(), StoreError> {
        self.outbox.remove(id.to_be_bytes())?;
        self.flush_if_durable()
    }

    /// An outbox item was carried out and became the event `event_id`: it
    /// leaves the outbox and, if it is about a subject, the event and the
    /// subject are recorded both ways (in one transaction).
    pub fn delivered(&self, id: u64, event_id: &str) -> Result<(), StoreError> {
        (&self.outbox, &self.subject_of, &self.event_of).transaction(
            |(outbox, subject_of, event_of)| {
                let Some(bytes) = outbox.remove(&id.to_be_bytes())? else {
                    return Ok(());
                };
                let item: OutboxItem = serde_json::from_slice(&bytes)
                    .map_err(|e| ConflictableTransactionError::Abort(StoreError::from(e)))?;
                if let Some(about) = item.effect.about() {
                    subject_of.insert(event_id, about.key().as_bytes())?;
                    event_of.insert(about.key().as_bytes(), event_id)?;
                }
                Ok(())
            },
        )?;
        // Flushed at once (grouping commits: soon, by the caller): no
        // background flusher would write it later, and the homeserver
        // deduplicates a resent item only for a day.
        self.flush_if_durable()
    }

    fn flush_if_durable(&self) -> Result<(), StoreError> {
        if self.durable {
            self.db.flush()?;
        }
        Ok(())
    }

    /// What the bot's message `event_id` is about, if the bot sent it about something.
    pub fn subject_of(&self, event_id: &str) -> Result<Option<Subject>, StoreError> {
        Ok(match self.subject_of.get(event_id)? {
            Some(bytes) => Some(serde_json::from_slice(&bytes)?),
            None => None,
        })
    }

    /// The event id of the latest message about `about`.
    pub fn event_of(&self, about: &Subject) -> Result<Option<String>, StoreError> {
        Ok(self
            .event_of
            .get(about.key())?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// All entries of an incident's logboek, oldest first.
    pub fn log_entries(
        &self,
        incident: IncidentId,
    ) -> impl Iterator<Item = Result<LogEntry, StoreError>> + '_ {
        self.log
            .scan_prefix(incident.to_be_bytes())
            .values()
            .flat_map(|chunk| match chunk {
                Ok(chunk) => chunks::entries(&chunk),
                Err(e) => vec![Err(e.into())],
            })
    }

    pub fn incidents(&self) -> impl Iterator<Item = Result<Incident, StoreError>> + '_ {
        self.incidents
            .iter()
            .values()
            .map(|v| Ok(serde_json::from_slice(&v?)?))
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    /// Raw access for tests that tamper with the store on purpose.
    #[cfg(test)]
    pub(crate) fn trees(&self) -> (&Tree, &Tree, &Tree, &Tree) {
        (&self.log, &self.incidents, &self.rooms, &self.meta)
    }

    /// Checks every incident the store counted and its hash chain.
    pub fn verify(&self) -> Result<Verification, StoreError> {
        self.verify_with(&[])
    }

    /// [`Store::verify`], and that each anchor's entry is in the chain.
    pub fn verify_with(&self, anchors: &[Anchor]) -> Result<Verification, StoreError> {
        let next = self.next_incident_id()?;
        if let Some(broken) = self.beyond_count(next)? {
            return Ok(broken);
        }
        let mut entries = 0;
        for id in 1..next {
            let Some(incident) = self.incident(id)? else {
                return Ok(Verification::incident(
                    id,
                    "het incident ontbreekt (verwijderd)",
                ));
            };
            if let Some(broken) = self.unlisted(id, &incident)? {
                return Ok(broken);
            }
            match self.walk_chain(&incident)? {
                Ok(n) => entries += n,
                Err(broken) => return Ok(broken),
            }
        }
        for anchor in anchors {
            if let Some(broken) = self.check_anchor(anchor, next)? {
                return Ok(broken);
            }
        }
        Ok(Verification::Intact {
            incidents: next - 1,
            entries,
            anchors: anchors.len(),
        })
    }

    /// Incidents or logboek entries with an id the count never reached.
    fn beyond_count(&self, next: IncidentId) -> Result<Option<Verification>, StoreError> {
        let last_incident = self.incidents.last()?.map(|(k, _)| read_u64(Some(k)));
        let last_logged = self.log.last()?.and_then(|(k, _)| chunks::incident_of(&k));
        Ok(match last_incident.max(last_logged) {
            Some(id) if id >= next => Some(Verification::incident(
                id,
                "staat niet in de telling van incidenten (teller teruggezet?)",
            )),
            _ => None,
        })
    }

    /// An incident whose record or room does not name it.
    fn unlisted(
        &self,
        id: IncidentId,
        incident: &Incident,
    ) -> Result<Option<Verification>, StoreError> {
        if incident.id != id {
            return Ok(Some(Verification::incident(
                id,
                "het incidentrecord draagt een ander nummer",
            )));
        }
        let listed = self
            .room(&incident.room)?
            .incidents
            .iter()
            .any(|s| s.id == id);
        Ok((!listed).then(|| {
            Verification::incident(
                id,
                "de ruimte van het incident noemt het niet (verwijderd?)",
            )
        }))
    }

    /// The number of entries, or where the chain breaks.
    fn walk_chain(&self, incident: &Incident) -> Result<Result<u64, Verification>, StoreError> {
        let mut prev = String::new();
        let mut expected_seq = 1;
        for entry in self.log_entries(incident.id) {
            let entry = entry?;
            let broken = |problem: &str| Verification::entry(incident.id, expected_seq, problem);
            if entry.seq != expected_seq || entry.incident != incident.id {
                return Ok(Err(broken("regel ontbreekt of staat op de verkeerde plek")));
            }
            if entry.prev != prev {
                return Ok(Err(broken("verwijst niet naar de vorige regel")));
            }
            if expected_hash(&self.chain, &entry) != entry.hash {
                return Ok(Err(broken("inhoud is gewijzigd (hash klopt niet)")));
            }
            prev = entry.hash;
            expected_seq += 1;
        }
        let count = expected_seq - 1;
        if count != incident.log_len || prev != incident.log_head {
            return Ok(Err(Verification::entry(
                incident.id,
                expected_seq,
                &format!(
                    "logboek eindigt na {count} regels, verwacht {} (regels verwijderd)",
                    incident.log_len
                ),
            )));
        }
        Ok(Ok(count))
    }

    fn check_anchor(
        &self,
        anchor: &Anchor,
        next: IncidentId,
    ) -> Result<Option<Verification>, StoreError> {
        let id = anchor.incident;
        if id == 0 || id >= next {
            return Ok(Some(Verification::incident(
                id,
                "het anker noemt een incident dat er niet is",
            )));
        }
        Ok(match chunks::get(&self.log, id, anchor.count)? {
            None => Some(Verification::entry(
                id,
                anchor.count,
                "het anker noemt een regel die er niet is (logboek ingekort)",
            )),
            Some(entry) if entry.hash != anchor.hash => Some(Verification::entry(
                id,
                anchor.count,
                &format!(
                    "wijkt af van het anker in de ruimte (logboek herschreven): hash {}, anker {}",
                    entry.hash, anchor.hash
                ),
            )),
            Some(_) => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        incidents: u64,
        entries: u64,
        /// Anchors checked (all match).
        anchors: usize,
    },
    Broken {
        incident: IncidentId,
        /// The entry where it breaks, if it is about one.
        seq: Option<u64>,
        problem: String,
    },
}

impl Verification {
    fn incident(incident: IncidentId, problem: &str) -> Verification {
        Verification::Broken {
            incident,
            seq: None,
            problem: problem.to_string(),
        }
    }

    fn entry(incident: IncidentId, seq: u64, problem: &str) -> Verification {
        Verification::Broken {
            incident,
            seq: Some(seq),
            problem: problem.to_string(),
        }
    }
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verification::Intact {
                incidents,
                entries,
                anchors,
            } => {
                write!(
                    f,
                    "OK: {incidents} incidenten, {entries} logboekregels, hashketen intact"
                )?;
                match anchors {
                    0 => Ok(()),
                    1 => write!(f, "; het anker klopt"),
                    n => write!(f, "; alle {n} ankers kloppen"),
                }
            }
            Verification::Broken {
                incident,
                seq: Some(seq),
                problem,
            } => write!(f, "FOUT: incident {incident}, regel {seq}: {problem}"),
            Verification::Broken {
                incident,
                seq: None,
                problem,
            } => write!(f, "FOUT: incident {incident}: {problem}"),
        }
    }
}

impl LogRead for Store {
    fn tail(&self, incident: IncidentId, n: usize) -> Vec<LogEntry> {
        let mut tail: Vec<LogEntry> = Vec::with_capacity(n);
        for chunk in self.log.scan_prefix(incident.to_be_bytes()).values().rev() {
            let Ok(chunk) = chunk else { break };
            let newest_first = chunks::entries(&chunk).into_iter().rev().flatten();
            tail.extend(newest_first.take(n - tail.len()));
            if tail.len() == n {
                break;
            }
        }
        tail.reverse();
        tail
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use chrono::{Duration, TimeZone, Utc};

    use super::*;
    use crate::core::Core;
    use crate::engine::{Engine, Handled, Incoming};

    const ROOM: &str = "!kernteam:gemeente.nl";
    const CHAIR: &str = "@voorzitter:gemeente.nl";

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap()
    }

    fn say(engine: &Engine, event: Option<&str>, body: &str, minute: u32) -> Handled {
        say_at(engine, event, body, at(minute))
    }

    fn say_at(engine: &Engine, event: Option<&str>, body: &str, now: DateTime<Utc>) -> Handled {
        engine
            .handle(&Incoming {
                room: ROOM,
                sender: CHAIR,
                sender_is_moderator: false,
                body,
                event_id: event,
                now,
            })
            .unwrap()
    }

    fn items(handled: Handled) -> Vec<OutboxItem> {
        match handled {
            Handled::Replies(items) => items,
            other => panic!("no replies: {other:?}"),
        }
    }

    fn plain(handled: &Handled) -> String {
        match handled {
            Handled::Replies(items) => items.iter().map(|i| i.effect.plain()).collect(),
            other => format!("{other:?}"),
        }
    }

    fn engine(dir: &Path) -> Engine {
        Engine::new(Core::built_in(), Store::open(dir).unwrap())
    }

    fn keyed_engine(dir: &Path, key: &LogKey) -> Engine {
        let store = Store::open_keyed(dir, Some(key.clone())).unwrap();
        Engine::new(Core::built_in(), store)
    }

    fn key(byte: u8) -> LogKey {
        LogKey::new([byte; 32]).unwrap()
    }

    fn entry(store: &Store, incident: IncidentId, seq: u64) -> LogEntry {
        let (log, ..) = store.trees();
        chunks::get(log, incident, seq).unwrap().unwrap()
    }

    /// Rewrites the stored chunk that holds entry `seq`, as a forger would.
    fn forge_chunk(
        store: &Store,
        incident: IncidentId,
        seq: u64,
        change: impl FnOnce(&mut Vec<LogEntry>),
    ) {
        let (log, ..) = store.trees();
        let key = chunks::key(incident, seq);
        let mut entries: Vec<LogEntry> = chunks::entries(&log.get(key).unwrap().unwrap())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        change(&mut entries);
        log.insert(
            key,
            chunks::lines(&entries)
                .unwrap()
                .into_iter()
                .flat_map(|(_, line)| line)
                .collect::<Vec<u8>>(),
        )
        .unwrap();
    }

    /// Changes a stored entry behind the store's back, as a forger would.
    fn tamper(store: &Store, incident: IncidentId, seq: u64, change: impl FnOnce(&mut LogEntry)) {
        forge_chunk(store, incident, seq, |entries| {
            change(entries.iter_mut().find(|e| e.seq == seq).unwrap())
        });
    }

    /// A forger with write access but without any key: rewrites entries
    /// `from..` (a changed text, plain hashes, links redone) and the head.
    fn rewrite_from(store: &Store, incident: IncidentId, from: u64) {
        let mut record = store.incident(incident).unwrap().unwrap();
        let mut prev = entry(store, incident, from).prev;
        for seq in from..=record.log_len {
            tamper(store, incident, seq, |e| {
                if seq == from {
                    e.text = "Vervalst".into();
                }
                e.prev = prev.clone();
                e.hash = entry_hash(e.incident, e.seq, e.at, &e.actor, e.kind, &e.text, &e.prev);
                prev = e.hash.clone();
            });
        }
        record.log_head = prev;
        let (_, incidents, ..) = store.trees();
        incidents
            .insert(incident.to_be_bytes(), serde_json::to_vec(&record).unwrap())
            .unwrap();
    }

    /// The anchor a member can quote from the room's message.
    fn anchor_in(items: &[OutboxItem]) -> Anchor {
        let text = items
            .iter()
            .map(|i| i.effect.plain())
            .find(|t| t.starts_with("⚓"))
            .expect("an anchor was posted");
        let incident = text
            .split("incident ")
            .nth(1)
            .unwrap()
            .split(':')
            .next()
            .unwrap();
        let count = text.split(": ").nth(1).unwrap().split(' ').next().unwrap();
        let hash = text
            .split("volledig: ")
            .nth(1)
            .unwrap()
            .trim_end_matches(')');
        format!("{incident}:{count}:{hash}").parse().unwrap()
    }

    #[test]
    fn state_survives_reopening_the_store() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = engine(dir.path());
            say(&e, None, "!incident open Onrust", 0);
            say(&e, None, "!fase escalatie", 1);
            say(&e, None, "!actie Bellen over 2 uur", 2);
        }
        let e = engine(dir.path());
        let reply = plain(&say(&e, None, "!sitrap", 3));
        assert!(
            reply.contains("Onrust") && reply.contains("Escalatie"),
            "{reply}"
        );
        assert!(reply.contains("Bellen"), "{reply}");
        assert!(matches!(
            e.store().verify().unwrap(),
            Verification::Intact { incidents: 1, .. }
        ));
    }

    #[test]
    fn an_event_is_handled_once_even_when_delivered_twice() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, Some("$open"), "!incident open Onrust", 0);
        let first = say(&e, Some("$log"), "!log Eerste melding", 1);
        assert!(matches!(first, Handled::Replies(_)));
        assert_eq!(
            say(&e, Some("$log"), "!log Eerste melding", 2),
            Handled::AlreadyHandled
        );
        let reply = plain(&say(&e, None, "!logboek", 3));
        assert_eq!(reply.matches("Eerste melding").count(), 1, "{reply}");
    }

    #[test]
    fn replies_stay_in_the_outbox_until_marked_sent_with_a_stable_transaction_id() {
        let dir = tempfile::tempdir().unwrap();
        let written = {
            let e = engine(dir.path());
            items(say(&e, Some("$open"), "!incident open Onrust", 0))
        };
        // Reopened as after kill -9 between commit and send.
        let e = engine(dir.path());
        let pending = e.store().pending_outbox().unwrap();
        assert_eq!(
            pending.len(),
            4,
            "the reply, the sitrap, its pin and the anchor"
        );
        assert_eq!(pending[..3], written[..3], "with their transaction ids");
        for item in pending {
            e.store().mark_sent(item.id).unwrap();
        }
        assert!(e.store().pending_outbox().unwrap().is_empty());
    }

    #[test]
    fn verify_reports_a_changed_entry() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        // Entries 1–3, anchor 4, the decision 5, its anchor 6.
        say(&e, None, "!besluit Geen persconferentie", 1);
        say(&e, None, "!log Rustig", 2);
        tamper(e.store(), 1, 5, |entry| {
            entry.text = "Wel een persconferentie".into()
        });
        let verdict = e.store().verify().unwrap();
        assert_eq!(
            verdict.to_string(),
            "FOUT: incident 1, regel 5: inhoud is gewijzigd (hash klopt niet)"
        );
    }

    #[test]
    fn verify_reports_a_removed_last_entry() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        say(&e, None, "!log Rustig", 1);
        forge_chunk(e.store(), 1, 5, |entries| entries.retain(|e| e.seq != 5));
        let verdict = e.store().verify().unwrap();
        assert!(
            verdict.to_string().contains("regels verwijderd"),
            "{verdict}"
        );
    }

    #[test]
    fn verify_reports_a_rehashed_entry_by_its_broken_link() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        say(&e, None, "!log Een", 1);
        say(&e, None, "!log Twee", 2);
        // A forger who also recomputes the hash still breaks the next link.
        tamper(e.store(), 1, 5, |entry| {
            entry.text = "Vervalst".into();
            entry.hash = expected_hash(&Chain::default(), entry);
        });
        let verdict = e.store().verify().unwrap().to_string();
        assert_eq!(
            verdict,
            "FOUT: incident 1, regel 6: verwijst niet naar de vorige regel"
        );
    }

    #[test]
    fn a_refused_command_changes_nothing_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        let before = e.store().incident(1).unwrap();
        say(&e, None, "!fase paniek", 1);
        assert_eq!(e.store().incident(1).unwrap(), before);
    }

    #[test]
    fn a_decision_is_anchored_in_the_room_with_the_chain_before_the_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        let items = items(say(&e, None, "!besluit Geen persconferentie", 1));
        assert_eq!(items.len(), 2, "the reply, then the anchor");
        assert!(items[0].effect.plain().starts_with("⚖️ Besluit 1"));
        let anchor = anchor_in(&items);
        let decision = entry(e.store(), 1, 5);
        assert_eq!(decision.kind, LogKind::Decision);
        assert_eq!((anchor.incident, anchor.count), (1, 5));
        assert_eq!(anchor.hash, decision.hash);
        let logged = entry(e.store(), 1, 6);
        assert_eq!(logged.kind, LogKind::Anchor);
        assert_eq!(logged.actor, BOT);
        assert_eq!(
            logged.text,
            format!("Logboek-anker: 5 regels, keten {}", decision.hash)
        );
        assert_eq!(
            e.store().verify_with(&[anchor]).unwrap().to_string(),
            "OK: 1 incidenten, 6 logboekregels, hashketen intact; het anker klopt"
        );
    }

    #[test]
    fn ordinary_entries_are_anchored_at_most_hourly() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        assert_eq!(items(say(&e, None, "!log Een", 10)).len(), 1, "no anchor");
        let messages = items(say(&e, None, "!actie Bellen", 50))
            .into_iter()
            .filter(|i| i.effect.message().is_some())
            .count();
        assert_eq!(messages, 1, "no anchor (the other item edits the sitrap)");
        let later = items(say_at(&e, None, "!log Twee", at(0) + Duration::minutes(61)));
        assert_eq!(anchor_in(&later).count, 7);
        let next = items(say_at(&e, None, "!log Drie", at(0) + Duration::minutes(62)));
        assert_eq!(next.len(), 1, "the hour starts again");
    }

    #[test]
    fn a_rewritten_chain_with_its_head_passes_alone_but_fails_against_an_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        let anchor = anchor_in(&items(say(&e, None, "!besluit Wij ontruimen", 1)));
        say(&e, None, "!log Een", 2);
        say(&e, None, "!log Twee", 3);
        rewrite_from(e.store(), 1, 2);
        // Chain and head agree again: on its own, the store cannot tell.
        assert!(matches!(
            e.store().verify().unwrap(),
            Verification::Intact { .. }
        ));
        let verdict = e.store().verify_with(&[anchor]).unwrap().to_string();
        assert!(
            verdict.starts_with("FOUT: incident 1, regel 5: wijkt af van het anker"),
            "{verdict}"
        );
    }

    #[test]
    fn a_deleted_incident_record_fails_verify() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Eerste", 0);
        say(&e, None, "!incident sluit mondeling:ja evaluatie:mij", 1);
        say(&e, None, "!incident sluit bevestig", 1);
        say(&e, None, "!incident open Tweede", 2);
        let (_, incidents, ..) = e.store().trees();
        incidents.remove(1u64.to_be_bytes()).unwrap();
        assert_eq!(
            e.store().verify().unwrap().to_string(),
            "FOUT: incident 1: het incident ontbreekt (verwijderd)"
        );
    }

    #[test]
    fn an_incident_its_room_does_not_list_fails_verify() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Eerste", 0);
        let (.., rooms, _) = e.store().trees();
        let mut room = e.store().room(ROOM).unwrap();
        room.incidents.clear();
        rooms
            .insert(ROOM, serde_json::to_vec(&room).unwrap())
            .unwrap();
        assert_eq!(
            e.store().verify().unwrap().to_string(),
            "FOUT: incident 1: de ruimte van het incident noemt het niet (verwijderd?)"
        );
    }

    #[test]
    fn an_incident_erased_with_its_count_is_caught_by_its_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Eerste", 0);
        say(&e, None, "!incident sluit mondeling:ja evaluatie:mij", 1);
        say(&e, None, "!incident sluit bevestig", 1);
        let anchor = anchor_in(&items(say(&e, None, "!incident open Tweede", 2)));
        let (log, incidents, rooms, meta) = e.store().trees();
        // Entries left behind betray it.
        incidents.remove(2u64.to_be_bytes()).unwrap();
        meta.insert(NEXT_INCIDENT, &2u64.to_be_bytes()).unwrap();
        let verdict = e.store().verify().unwrap().to_string();
        assert!(
            verdict.starts_with("FOUT: incident 2: staat niet in de telling"),
            "{verdict}"
        );
        // Erased completely, only the room's anchor remembers it.
        for key in log.scan_prefix(2u64.to_be_bytes()).keys() {
            log.remove(key.unwrap()).unwrap();
        }
        let mut room = e.store().room(ROOM).unwrap();
        room.incidents.retain(|s| s.id == 1);
        room.active = None;
        rooms
            .insert(ROOM, serde_json::to_vec(&room).unwrap())
            .unwrap();
        assert!(matches!(
            e.store().verify().unwrap(),
            Verification::Intact { .. }
        ));
        assert_eq!(
            e.store().verify_with(&[anchor]).unwrap().to_string(),
            "FOUT: incident 2: het anker noemt een incident dat er niet is"
        );
    }

    #[test]
    fn a_keyed_chain_rewritten_without_the_key_fails_verify() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = keyed_engine(dir.path(), &key(7));
            say(&e, None, "!incident open Onrust", 0);
            say(&e, None, "!log Een", 1);
            say(&e, None, "!log Twee", 2);
            rewrite_from(e.store(), 1, 5);
        }
        let store = Store::open_to_verify(dir.path(), Some(key(7))).unwrap();
        assert_eq!(
            store.verify().unwrap().to_string(),
            "FOUT: incident 1, regel 5: inhoud is gewijzigd (hash klopt niet)"
        );
    }

    #[test]
    fn a_keyed_store_is_verified_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = keyed_engine(dir.path(), &key(7));
            say(&e, None, "!incident open Onrust", 0);
        }
        let store = Store::open_to_verify(dir.path(), Some(key(7))).unwrap();
        assert!(matches!(
            store.verify().unwrap(),
            Verification::Intact { .. }
        ));
        drop(store);
        for (given, error) in [
            (None, ChainError::KeyNeeded),
            (Some(key(8)), ChainError::WrongKey),
        ] {
            let err = Store::open_to_verify(dir.path(), given).err().unwrap();
            assert!(
                matches!(err, StoreError::Chain(e) if e == error),
                "{error:?}"
            );
        }
        // Nor can the bot write to it without the key.
        assert!(Store::open(dir.path()).is_err());
    }

    #[test]
    fn a_keyed_store_made_plain_again_is_caught_when_verified_with_the_key() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = keyed_engine(dir.path(), &key(7));
            say(&e, None, "!incident open Onrust", 0);
            // The forger rehashes everything plainly and records a plain chain.
            rewrite_from(e.store(), 1, 1);
            let (.., meta) = e.store().trees();
            meta.insert(CHAIN, serde_json::to_vec(&ChainRecord::Sha256).unwrap())
                .unwrap();
        }
        let err = Store::open_to_verify(dir.path(), Some(key(7)))
            .err()
            .unwrap();
        assert!(
            matches!(err, StoreError::Chain(ChainError::NotKeyed)),
            "{err}"
        );
    }

    #[test]
    fn reopening_waits_for_a_store_that_is_being_released() {
        let dir = tempfile::tempdir().unwrap();
        let held = Store::open(dir.path()).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(held);
        });
        let reopened = Store::open(dir.path());
        assert!(reopened.is_ok(), "{:?}", reopened.err());
        releaser.join().unwrap();
    }

    #[test]
    fn a_plain_store_given_a_key_keys_its_new_incidents_and_stays_verifiable() {
        let dir = tempfile::tempdir().unwrap();
        {
            let e = engine(dir.path());
            say(&e, None, "!incident open Eerste", 0);
            say(&e, None, "!incident sluit mondeling:ja evaluatie:mij", 1);
            say(&e, None, "!incident sluit bevestig", 1);
        }
        let e = keyed_engine(dir.path(), &key(7));
        assert!(e.store().is_keyed());
        say(&e, None, "!incident open Tweede", 2);
        let first = entry(e.store(), 1, 1);
        assert_eq!(first.hash, expected_hash(&Chain::default(), &first));
        let second = entry(e.store(), 2, 1);
        assert_ne!(second.hash, expected_hash(&Chain::default(), &second));
        drop(e);
        let store = Store::open_to_verify(dir.path(), Some(key(7))).unwrap();
        assert!(matches!(
            store.verify().unwrap(),
            Verification::Intact { incidents: 2, .. }
        ));
    }

    #[test]
    fn a_refused_message_is_recorded_not_marked_sent_and_announced_once() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        let failed = items(say(&e, None, "!logboek 50", 1)).remove(0);
        let notice = Reply::say("⚠️ Niet afgeleverd");
        let queued = e
            .store()
            .record_undelivered(
                &failed,
                "413 M_TOO_LARGE",
                "Bericht niet afgeleverd",
                Some(notice),
                at(2),
            )
            .unwrap()
            .expect("the notice is queued");
        assert_eq!(queued.txn_id, format!("kb-fail-{}", failed.id));
        let pending = e.store().pending_outbox().unwrap();
        assert!(
            !pending.iter().any(|i| i.id == failed.id),
            "not pending as if to be sent"
        );
        assert!(pending.contains(&queued));
        let undelivered = e.store().undelivered().unwrap();
        assert_eq!(undelivered.len(), 1);
        assert_eq!(
            (&undelivered[0].item, undelivered[0].why.as_str()),
            (&failed, "413 M_TOO_LARGE")
        );
        let last = e.store().tail(1, 1).remove(0);
        assert_eq!(
            (last.kind, last.actor.as_str()),
            (LogKind::Undelivered, BOT)
        );
        assert!(matches!(
            e.store().verify().unwrap(),
            Verification::Intact { .. }
        ));
    }

    #[test]
    fn the_store_directory_and_its_files_are_private_also_when_they_were_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        drop(engine(&path));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(path.join("db"), std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(engine(&path));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o700);
        for file in std::fs::read_dir(&path).unwrap() {
            let file = file.unwrap();
            if file.file_type().unwrap().is_file() {
                assert_eq!(mode(&file.path()), 0o600, "{}", file.path().display());
            }
        }
    }
}
