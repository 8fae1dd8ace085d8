//! The sled store: rooms, incidents, the hash-chained logboek, processed
//! event ids and the outbox, all written in one transaction per command so
//! that a crash never separates a change from its logboek entry or its reply.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::{Transactional, Tree};

use crate::core::{LogDraft, LogRead, Outcome};
use crate::effect::Effect;
use crate::model::{Incident, IncidentId, LogEntry, LogKind, RoomRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sled(#[from] sled::Error),
    #[error("store: corrupt record: {0}")]
    Corrupt(#[from] serde_json::Error),
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
    /// Stable per effect, so a resend after a crash is deduplicated by the
    /// homeserver (Matrix transaction ids are idempotent per device).
    pub txn_id: String,
    pub effect: Effect,
}

#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    /// Flush after every change (the default). Off only while bulk loading.
    durable: bool,
    rooms: Tree,
    incidents: Tree,
    log: Tree,
    events: Tree,
    outbox: Tree,
    meta: Tree,
    /// The scheduler's agenda: (due time, incident) → (), ordered by time.
    due: Tree,
    /// Incident → its key in `due`, to move it when the time changes.
    due_of: Tree,
}

/// sled's page cache. A command reads the room, its active incident and the
/// logboek's tail; 8 MiB holds that for many rooms (scripts/bench-startup.sh
/// measures the bot's memory with a store of a million entries).
const CACHE_BYTES: u64 = 8 * 1024 * 1024;
const NEXT_INCIDENT: &[u8] = b"next_incident";
const NEXT_OUTBOX: &[u8] = b"next_outbox";

fn log_key(incident: IncidentId, seq: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&incident.to_be_bytes());
    key[8..].copy_from_slice(&seq.to_be_bytes());
    key
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

/// The hash of an entry: SHA-256 over every field but the hash itself.
pub fn entry_hash(
    incident: IncidentId,
    seq: u64,
    at: DateTime<Utc>,
    actor: &str,
    kind: LogKind,
    text: &str,
    prev: &str,
) -> String {
    #[derive(Serialize)]
    struct Sealed<'a> {
        incident: IncidentId,
        seq: u64,
        at: DateTime<Utc>,
        actor: &'a str,
        kind: LogKind,
        text: &'a str,
        prev: &'a str,
    }
    let canonical = serde_json::to_vec(&Sealed {
        incident,
        seq,
        at,
        actor,
        kind,
        text,
        prev,
    })
    .expect("plain data serialises");
    hex::encode(Sha256::digest(canonical))
}

/// The hash an entry must carry, from its own fields.
fn expected_hash(entry: &LogEntry) -> String {
    entry_hash(
        entry.incident,
        entry.seq,
        entry.at,
        &entry.actor,
        entry.kind,
        &entry.text,
        &entry.prev,
    )
}

fn seal(incident: &mut Incident, draft: &LogDraft, at: DateTime<Utc>) -> LogEntry {
    let seq = incident.log_len + 1;
    let prev = incident.log_head.clone();
    let hash = entry_hash(
        incident.id,
        seq,
        at,
        &draft.actor,
        draft.kind,
        &draft.text,
        &prev,
    );
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

impl Store {
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(dir, true)
    }

    /// For loading many records at once (benchmarks, imports): changes are
    /// flushed only by [`Store::flush`], so a crash may lose the latest ones.
    pub fn open_for_bulk_load(dir: &Path) -> Result<Store, StoreError> {
        Self::open_with(dir, false)
    }

    fn open_with(dir: &Path, durable: bool) -> Result<Store, StoreError> {
        // sled caches up to 1 GiB by default; a bot on a small VM should not.
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(CACHE_BYTES)
            .open()?;
        Ok(Store {
            durable,
            rooms: db.open_tree("rooms")?,
            incidents: db.open_tree("incidents")?,
            log: db.open_tree("log")?,
            events: db.open_tree("events")?,
            outbox: db.open_tree("outbox")?,
            meta: db.open_tree("meta")?,
            due: db.open_tree("due")?,
            due_of: db.open_tree("due_of")?,
            db,
        })
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
        Ok(self.events.contains_key(event_id)?)
    }

    /// Writes an outcome in one transaction: room, incident with its sealed
    /// logboek entries, the event id (exactly once) and the replies (outbox).
    /// Returns the outbox items to send, or `None` if the event was handled before.
    pub fn apply(
        &self,
        room: &str,
        event_id: Option<&str>,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<OutboxItem>>, StoreError> {
        let mut incident = outcome.incident.clone();
        let entries: Vec<LogEntry> = match incident.as_mut() {
            Some(i) => outcome.log.iter().map(|d| seal(i, d, now)).collect(),
            None => Vec::new(),
        };
        let room_json = outcome.room.as_ref().map(serde_json::to_vec).transpose()?;
        let incident_json = incident
            .as_ref()
            .map(|i| Ok::<_, serde_json::Error>((i.id, serde_json::to_vec(i)?)))
            .transpose()?;
        let entry_json = entries
            .iter()
            .map(|e| Ok((log_key(e.incident, e.seq), serde_json::to_vec(e)?)))
            .collect::<Result<Vec<_>, serde_json::Error>>()?;

        let result = (
            &self.rooms,
            &self.incidents,
            &self.log,
            &self.events,
            &self.outbox,
            &self.meta,
            &self.due,
            &self.due_of,
        )
            .transaction(
                |(rooms, incidents, log, events, outbox, meta, due, due_of)| {
                    if let Some(event) = event_id {
                        if events.get(event)?.is_some() {
                            return Ok(None);
                        }
                        events.insert(event, now.to_rfc3339().as_bytes())?;
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
                    for (key, json) in &entry_json {
                        log.insert(key, json.as_slice())?;
                    }
                    let mut next = read_u64(meta.get(NEXT_OUTBOX)?);
                    let mut items = Vec::new();
                    for (index, effect) in outcome.effects.iter().enumerate() {
                        next += 1;
                        let txn_id = match event_id {
                            Some(e) => format!(
                                "kb-{}-{index}",
                                hex::encode(Sha256::digest(e))[..24].to_owned()
                            ),
                            None => format!("kb-local-{next}"),
                        };
                        let item = OutboxItem {
                            id: next,
                            room: room.to_string(),
                            txn_id,
                            effect: effect.clone(),
                        };
                        let json = serde_json::to_vec(&item).map_err(|e| {
                            ConflictableTransactionError::Abort(StoreError::from(e))
                        })?;
                        outbox.insert(&next.to_be_bytes(), json)?;
                        items.push(item);
                    }
                    meta.insert(NEXT_OUTBOX, &next.to_be_bytes())?;
                    Ok(Some(items))
                },
            )?;
        // A change is acknowledged only once it is on disk.
        if self.durable {
            self.db.flush()?;
        }
        Ok(result)
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
        Ok(())
    }

    /// All entries of an incident's logboek, oldest first.
    pub fn log_entries(
        &self,
        incident: IncidentId,
    ) -> impl Iterator<Item = Result<LogEntry, StoreError>> + '_ {
        self.log
            .scan_prefix(incident.to_be_bytes())
            .values()
            .map(|v| Ok(serde_json::from_slice(&v?)?))
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

    /// Raw access for tests that tamper with the logboek on purpose.
    #[cfg(test)]
    pub(crate) fn log_tree(&self) -> &Tree {
        &self.log
    }

    /// Walks every incident's hash chain.
    pub fn verify(&self) -> Result<Verification, StoreError> {
        let mut incidents = 0;
        let mut entries = 0;
        for incident in self.incidents() {
            let incident = incident?;
            incidents += 1;
            let mut prev = String::new();
            let mut expected_seq = 1;
            for entry in self.log_entries(incident.id) {
                let entry = entry?;
                let broken = |problem: &str| Verification::Broken {
                    incident: incident.id,
                    seq: expected_seq,
                    problem: problem.to_string(),
                };
                if entry.seq != expected_seq || entry.incident != incident.id {
                    return Ok(broken("regel ontbreekt of staat op de verkeerde plek"));
                }
                if entry.prev != prev {
                    return Ok(broken("verwijst niet naar de vorige regel"));
                }
                if expected_hash(&entry) != entry.hash {
                    return Ok(broken("inhoud is gewijzigd (hash klopt niet)"));
                }
                prev = entry.hash;
                expected_seq += 1;
                entries += 1;
            }
            if expected_seq - 1 != incident.log_len || prev != incident.log_head {
                return Ok(Verification::Broken {
                    incident: incident.id,
                    seq: expected_seq,
                    problem: format!(
                        "logboek eindigt na {} regels, verwacht {} (regels verwijderd)",
                        expected_seq - 1,
                        incident.log_len
                    ),
                });
            }
        }
        Ok(Verification::Intact { incidents, entries })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        incidents: u64,
        entries: u64,
    },
    Broken {
        incident: IncidentId,
        seq: u64,
        problem: String,
    },
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verification::Intact { incidents, entries } => write!(
                f,
                "OK: {incidents} incidenten, {entries} logboekregels, hashketen intact"
            ),
            Verification::Broken {
                incident,
                seq,
                problem,
            } => write!(f, "FOUT: incident {incident}, regel {seq}: {problem}"),
        }
    }
}

impl LogRead for Store {
    fn tail(&self, incident: IncidentId, n: usize) -> Vec<LogEntry> {
        let mut tail: Vec<LogEntry> = self
            .log
            .scan_prefix(incident.to_be_bytes())
            .values()
            .rev()
            .take(n)
            .filter_map(|v| v.ok().and_then(|v| serde_json::from_slice(&v).ok()))
            .collect();
        tail.reverse();
        tail
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::Core;
    use crate::engine::{Engine, Handled, Incoming};

    const ROOM: &str = "!kernteam:gemeente.nl";
    const CHAIR: &str = "@voorzitter:gemeente.nl";

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap()
    }

    fn say(engine: &Engine, event: Option<&str>, body: &str, minute: u32) -> Handled {
        engine
            .handle(&Incoming {
                room: ROOM,
                sender: CHAIR,
                sender_is_moderator: false,
                body,
                event_id: event,
                now: at(minute),
            })
            .unwrap()
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

    /// Changes a stored entry behind the store's back, as a forger would.
    fn tamper(store: &Store, incident: IncidentId, seq: u64, change: impl FnOnce(&mut LogEntry)) {
        let key = log_key(incident, seq);
        let mut entry: LogEntry =
            serde_json::from_slice(&store.log_tree().get(key).unwrap().unwrap()).unwrap();
        change(&mut entry);
        store
            .log_tree()
            .insert(key, serde_json::to_vec(&entry).unwrap())
            .unwrap();
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
        let txn = {
            let e = engine(dir.path());
            let Handled::Replies(items) = say(&e, Some("$open"), "!incident open Onrust", 0) else {
                panic!("a reply");
            };
            items[0].txn_id.clone()
        };
        // Reopened as after kill -9 between commit and send.
        let e = engine(dir.path());
        let pending = e.store().pending_outbox().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].txn_id, txn);
        e.store().mark_sent(pending[0].id).unwrap();
        assert!(e.store().pending_outbox().unwrap().is_empty());
    }

    #[test]
    fn verify_reports_a_changed_entry() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        say(&e, None, "!besluit Geen persconferentie", 1);
        say(&e, None, "!log Rustig", 2);
        tamper(e.store(), 1, 4, |entry| {
            entry.text = "Wel een persconferentie".into()
        });
        let verdict = e.store().verify().unwrap();
        assert_eq!(
            verdict.to_string(),
            "FOUT: incident 1, regel 4: inhoud is gewijzigd (hash klopt niet)"
        );
    }

    #[test]
    fn verify_reports_a_removed_last_entry() {
        let dir = tempfile::tempdir().unwrap();
        let e = engine(dir.path());
        say(&e, None, "!incident open Onrust", 0);
        say(&e, None, "!log Rustig", 1);
        e.store().log_tree().remove(log_key(1, 4)).unwrap();
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
        tamper(e.store(), 1, 4, |entry| {
            entry.text = "Vervalst".into();
            entry.hash = expected_hash(entry);
        });
        let verdict = e.store().verify().unwrap().to_string();
        assert_eq!(
            verdict,
            "FOUT: incident 1, regel 5: verwijst niet naar de vorige regel"
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
}
