//! The ids of handled events (exactly once), in 65,536 buckets by hash,
//! each a value of lines `<unix seconds> <event id>`.
//!
//! Why buckets: sled keeps an in-memory record per page, so a million event
//! ids as keys of their own cost about 42 MiB of RAM at every start. In
//! buckets they fill few pages, and every write to a bucket drops the ids
//! older than [`RETENTION`], so the set stays as large as a month of
//! commands. An event older than that is not handled at all (see
//! [`is_too_old`]): a redelivered one could no longer be recognised.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionResult, TransactionalTree};
use sled::{Db, Tree};

use super::StoreError;

/// The tree of buckets.
pub(super) const TREE: &str = "seen";
/// The tree of stores from before buckets: event id → RFC 3339 time.
const UNBUCKETED: &str = "events";

/// How long a handled event's id is kept: longer than the longest catch-up
/// window (a week), so every command that can still be executed is
/// recognised when it comes again.
pub const RETENTION: Duration = Duration::days(30);

/// An event sent before `now - RETENTION` is ignored: whether it was
/// handled can no longer be told.
pub fn is_too_old(sent: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - sent > RETENTION
}

fn bucket(event_id: &str) -> [u8; 2] {
    let digest = Sha256::digest(event_id.as_bytes());
    [digest[0], digest[1]]
}

/// `(seconds, id)` of each line of a bucket.
fn lines(bucket: &[u8]) -> impl Iterator<Item = (i64, &[u8])> {
    bucket.split(|b| *b == b'\n').filter_map(|line| {
        let space = line.iter().position(|b| *b == b' ')?;
        let seconds = std::str::from_utf8(&line[..space]).ok()?.parse().ok()?;
        Some((seconds, &line[space + 1..]))
    })
}

fn holds(bucket: &[u8], event_id: &str) -> bool {
    lines(bucket).any(|(_, id)| id == event_id.as_bytes())
}

pub(super) fn contains(seen: &Tree, event_id: &str) -> Result<bool, StoreError> {
    Ok(seen
        .get(bucket(event_id))?
        .is_some_and(|b| holds(&b, event_id)))
}

/// Records `event_id` unless it is there; false if it was (handled before).
/// Drops the bucket's ids older than [`RETENTION`] on the way.
pub(super) fn insert(
    seen: &TransactionalTree,
    event_id: &str,
    now: DateTime<Utc>,
) -> ConflictableTransactionResult<bool, StoreError> {
    let key = bucket(event_id);
    let old = seen.get(key)?.map(|v| v.to_vec()).unwrap_or_default();
    if holds(&old, event_id) {
        return Ok(false);
    }
    let kept = kept_lines(&old, now);
    seen.insert(&key, with_line(kept, now.timestamp(), event_id))?;
    Ok(true)
}

fn kept_lines(bucket: &[u8], now: DateTime<Utc>) -> Vec<u8> {
    let oldest = (now - RETENTION).timestamp();
    let mut kept = Vec::with_capacity(bucket.len() + 64);
    for (seconds, id) in lines(bucket).filter(|(s, _)| *s >= oldest) {
        kept.extend_from_slice(seconds.to_string().as_bytes());
        kept.push(b' ');
        kept.extend_from_slice(id);
        kept.push(b'\n');
    }
    kept
}

fn with_line(mut bucket: Vec<u8>, seconds: i64, event_id: &str) -> Vec<u8> {
    bucket.extend_from_slice(format!("{seconds} {event_id}\n").as_bytes());
    bucket
}

/// Moves a store's event ids from before buckets into buckets; the old
/// tree is dropped once they are on disk. Later writes prune them.
pub(super) fn migrate(db: &Db, seen: &Tree) -> Result<(), StoreError> {
    let Some(old) = super::existing_tree(db, UNBUCKETED)? else {
        return Ok(());
    };
    for item in old.iter() {
        let (id, at) = item?;
        let (Ok(id), Some(at)) = (std::str::from_utf8(&id), parse_time(&at)) else {
            continue;
        };
        let key = bucket(id);
        let bucket = seen.get(key)?.map(|v| v.to_vec()).unwrap_or_default();
        if !holds(&bucket, id) {
            seen.insert(key, with_line(bucket, at.timestamp(), id))?;
        }
    }
    super::drop_once_moved(db, UNBUCKETED)
}

fn parse_time(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use sled::Transactional;

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap() + Duration::days(day.into())
    }

    fn tree() -> (tempfile::TempDir, Db, Tree) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let seen = db.open_tree(TREE).unwrap();
        (dir, db, seen)
    }

    fn record(seen: &Tree, event_id: &str, now: DateTime<Utc>) -> bool {
        (seen,)
            .transaction(|(seen,)| insert(seen, event_id, now))
            .unwrap()
    }

    /// Another event id that lands in the same bucket as `event_id`.
    fn neighbour_of(event_id: &str) -> String {
        (0..)
            .map(|n| format!("$buur{n}"))
            .find(|id| bucket(id) == bucket(event_id))
            .unwrap()
    }

    #[test]
    fn an_event_is_recorded_once_and_recognised_after() {
        let (_dir, _db, seen) = tree();
        assert!(!contains(&seen, "$a").unwrap());
        assert!(record(&seen, "$a", at(0)));
        assert!(contains(&seen, "$a").unwrap());
        assert!(!record(&seen, "$a", at(0)), "a second time is refused");
        let neighbour = neighbour_of("$a");
        assert!(!contains(&seen, &neighbour).unwrap());
        assert!(record(&seen, &neighbour, at(1)));
        assert!(contains(&seen, "$a").unwrap(), "a neighbour keeps it");
    }

    #[test]
    fn a_bucket_forgets_ids_older_than_the_retention_when_written() {
        let (_dir, _db, seen) = tree();
        record(&seen, "$a", at(0));
        let neighbour = neighbour_of("$a");
        record(&seen, &neighbour, at(0) + RETENTION + Duration::seconds(1));
        assert!(!contains(&seen, "$a").unwrap());
        assert!(contains(&seen, &neighbour).unwrap());
        assert!(is_too_old(at(0), at(0) + RETENTION + Duration::seconds(1)));
        assert!(!is_too_old(at(0), at(0) + RETENTION));
    }

    #[test]
    fn event_ids_from_before_buckets_are_moved_into_buckets() {
        let (_dir, db, seen) = tree();
        let old = db.open_tree(UNBUCKETED).unwrap();
        for id in ["$een", "$twee"] {
            old.insert(id, at(0).to_rfc3339().as_bytes()).unwrap();
        }
        migrate(&db, &seen).unwrap();
        assert!(contains(&seen, "$een").unwrap());
        assert!(contains(&seen, "$twee").unwrap());
        assert!(
            !db.tree_names()
                .iter()
                .any(|n| n.as_ref() == UNBUCKETED.as_bytes())
        );
    }
}
