//! How the logboek lies in sled: [`CHUNK`] entries per value, one JSON
//! entry per line, keyed by incident and chunk number.
//!
//! Why chunks: sled keeps an in-memory record of every page it has written,
//! and a leaf page holds at most 16 values. With one entry per value a
//! store of a million entries cost about 32 MiB of RAM from the moment it
//! was opened; with 16 entries per value it costs about 4 MiB
//! (scripts/bench-startup.sh). Appending rewrites one chunk of at most 16
//! lines, in the same transaction as the rest of the command.

use sled::transaction::{ConflictableTransactionResult, TransactionalTree};
use sled::{Db, Tree};

use crate::model::{IncidentId, LogEntry};

use super::StoreError;

/// Entries per stored value.
pub(super) const CHUNK: u64 = 16;
/// The tree of chunks.
pub(super) const TREE: &str = "logboek";
/// The tree of stores from before chunks: one entry per value, keyed by
/// incident and sequence number.
const UNCHUNKED: &str = "log";

/// The key of the chunk that holds entry `seq` (from 1) of `incident`.
pub(super) fn key(incident: IncidentId, seq: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&incident.to_be_bytes());
    key[8..].copy_from_slice(&((seq - 1) / CHUNK).to_be_bytes());
    key
}

/// The incident a chunk key belongs to.
pub(super) fn incident_of(key: &[u8]) -> Option<IncidentId> {
    Some(u64::from_be_bytes(key.get(..8)?.try_into().ok()?))
}

/// Entries with their chunk's key and their JSON line, in order.
pub(super) type Lines = Vec<([u8; 16], Vec<u8>)>;

pub(super) fn lines(entries: &[LogEntry]) -> Result<Lines, serde_json::Error> {
    entries
        .iter()
        .map(|e| {
            let mut line = serde_json::to_vec(e)?;
            line.push(b'\n');
            Ok((key(e.incident, e.seq), line))
        })
        .collect()
}

/// Appends `lines` to their chunks, inside a transaction.
pub(super) fn append(
    log: &TransactionalTree,
    lines: &Lines,
) -> ConflictableTransactionResult<(), StoreError> {
    for (key, line) in lines {
        let mut chunk = log.get(key)?.map(|v| v.to_vec()).unwrap_or_default();
        chunk.extend_from_slice(line);
        log.insert(key, chunk)?;
    }
    Ok(())
}

/// The entries of one stored chunk, oldest first.
pub(super) fn entries(chunk: &[u8]) -> Vec<Result<LogEntry, StoreError>> {
    chunk
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| Ok(serde_json::from_slice(line)?))
        .collect()
}

/// Entry `seq` of `incident`, if stored.
pub(super) fn get(
    log: &Tree,
    incident: IncidentId,
    seq: u64,
) -> Result<Option<LogEntry>, StoreError> {
    let Some(chunk) = log.get(key(incident, seq))? else {
        return Ok(None);
    };
    for entry in entries(&chunk) {
        let entry = entry?;
        if entry.seq == seq {
            return Ok(Some(entry));
        }
    }
    Ok(None)
}

/// Moves a store from before chunks into chunks, byte for byte, so every
/// hash stays as it was. The old tree is dropped only after the chunks are
/// on disk; an interrupted move starts again from the old tree.
pub(super) fn migrate(db: &Db, log: &Tree) -> Result<(), StoreError> {
    let Some(old) = super::existing_tree(db, UNCHUNKED)? else {
        return Ok(());
    };
    let mut pending: Option<([u8; 16], Vec<u8>)> = None;
    for item in old.iter() {
        let (old_key, value) = item?;
        let incident = incident_of(&old_key).unwrap_or_default();
        let seq = old_key
            .get(8..16)
            .map_or(1, |b| u64::from_be_bytes(b.try_into().expect("8")));
        let key = key(incident, seq);
        match &mut pending {
            Some((k, chunk)) if *k == key => chunk.extend_from_slice(&value),
            _ => {
                if let Some((k, chunk)) = pending.take() {
                    log.insert(k, chunk)?;
                }
                pending = Some((key, value.to_vec()));
            }
        }
        if let Some((_, chunk)) = &mut pending {
            chunk.push(b'\n');
        }
    }
    if let Some((k, chunk)) = pending {
        log.insert(k, chunk)?;
    }
    super::drop_once_moved(db, UNCHUNKED)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::core::{Core, LogRead};
    use crate::engine::{Engine, Incoming};
    use crate::store::{Store, Verification};

    /// An incident whose logboek fills several chunks.
    fn logged(dir: &std::path::Path, logs: usize) -> Engine {
        let engine = Engine::new(Core::built_in(), Store::open(dir).unwrap());
        let say = |minute: u32, body: &str| {
            engine
                .handle(&Incoming {
                    room: "!kernteam:gemeente.nl",
                    sender: "@voorzitter:gemeente.nl",
                    sender_is_moderator: false,
                    body,
                    event_id: None,
                    now: Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap(),
                })
                .unwrap();
        };
        say(0, "!incident open Onrust");
        for n in 0..logs {
            say(1, &format!("!log Melding {n}"));
        }
        engine
    }

    fn texts(entries: &[LogEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.text.as_str()).collect()
    }

    #[test]
    fn a_logboek_of_several_chunks_reads_in_order_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let engine = logged(dir.path(), 40);
        let store = engine.store();
        let all: Vec<LogEntry> = store.log_entries(1).map(Result::unwrap).collect();
        let seqs: Vec<u64> = all.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, (1..=all.len() as u64).collect::<Vec<_>>());
        assert!(all.len() > 2 * CHUNK as usize);
        assert_eq!(store.log.len(), all.len().div_ceil(CHUNK as usize));

        let tail = store.tail(1, 20);
        assert_eq!(tail.len(), 20);
        assert_eq!(texts(&tail), texts(&all[all.len() - 20..]));
        assert_eq!(store.tail(1, 1000).len(), all.len());
        assert!(matches!(
            store.verify().unwrap(),
            Verification::Intact { incidents: 1, .. }
        ));
    }

    #[test]
    fn a_store_from_before_chunks_is_moved_into_chunks_with_every_hash_intact() {
        let dir = tempfile::tempdir().unwrap();
        let before: Vec<LogEntry> = {
            let engine = logged(dir.path(), 20);
            let store = engine.store();
            let entries: Vec<LogEntry> = store.log_entries(1).map(Result::unwrap).collect();
            // Lay the logboek out as stores before chunks did.
            let old = store.db.open_tree(UNCHUNKED).unwrap();
            for e in &entries {
                let mut key = [0; 16];
                key[..8].copy_from_slice(&e.incident.to_be_bytes());
                key[8..].copy_from_slice(&e.seq.to_be_bytes());
                old.insert(key, serde_json::to_vec(e).unwrap()).unwrap();
            }
            store.log.clear().unwrap();
            store.flush().unwrap();
            entries
        };
        let store = Store::open(dir.path()).unwrap();
        let after: Vec<LogEntry> = store.log_entries(1).map(Result::unwrap).collect();
        assert_eq!(after, before);
        assert!(matches!(
            store.verify().unwrap(),
            Verification::Intact { incidents: 1, .. }
        ));
        let names = store.db.tree_names();
        assert!(!names.iter().any(|n| n.as_ref() == UNCHUNKED.as_bytes()));
    }
}
