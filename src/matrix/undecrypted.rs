//! Events the bot could not decrypt yet because their room key had not
//! arrived. Kept (also across restarts, in the SDK's store), at most
//! [`PER_ROOM`] per room, and decrypted again later, so a command is handled
//! once its key arrives; the normal path then applies (exactly once,
//! catch-up window).
//!
//! The list's lock is never held across an await: retrying (which may wait
//! for the key backup) never holds up the sync loop, which keeps new events.

use std::sync::Mutex;

use chrono::{Duration, Utc};
use matrix_sdk::Client;
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, RoomId};
use serde::{Deserialize, Serialize};
use tracing::warn;

use super::message::to_datetime;

const KEY: &[u8] = b"kernteam-bot/undecrypted";
/// A key that has not come after a day will not come.
const KEEP: Duration = Duration::days(1);
/// More are not kept per room; the oldest go first.
pub const PER_ROOM: usize = 100;

#[derive(Clone, Serialize, Deserialize)]
pub struct Kept {
    pub room: OwnedRoomId,
    event_id: OwnedEventId,
    sent: MilliSecondsSinceUnixEpoch,
    pub event: Raw<OriginalSyncRoomEncryptedEvent>,
}

#[derive(Default)]
struct List {
    kept: Vec<Kept>,
    /// Counts changes, so that a save can tell whether it saved the latest.
    version: u64,
}

pub struct Undecrypted {
    list: Mutex<List>,
}

impl Undecrypted {
    pub async fn load(client: &Client) -> anyhow::Result<Undecrypted> {
        let kept = match client.state_store().get_custom_value(KEY).await? {
            Some(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                warn!("dropping unreadable list of undecrypted events: {e}");
                Vec::new()
            }),
            None => Vec::new(),
        };
        Ok(Undecrypted {
            list: Mutex::new(List { kept, version: 0 }),
        })
    }

    fn list(&self) -> std::sync::MutexGuard<'_, List> {
        self.list.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps an event to try again, and saves the list before returning.
    pub async fn keep(
        &self,
        client: &Client,
        room: &RoomId,
        raw: &Raw<AnySyncTimelineEvent>,
    ) -> anyhow::Result<()> {
        let (Some(event_id), Some(sent)) = (
            raw.get_field::<OwnedEventId>("event_id")?,
            raw.get_field::<MilliSecondsSinceUnixEpoch>("origin_server_ts")?,
        ) else {
            return Ok(());
        };
        {
            let mut list = self.list();
            if list.kept.iter().any(|k| k.event_id == event_id) {
                return Ok(());
            }
            list.kept.push(Kept {
                room: room.to_owned(),
                event_id,
                sent,
                // Only m.room.encrypted events end up undecryptable.
                event: raw.clone().cast_unchecked(),
            });
            if let Some(dropped) = drop_oldest_beyond(&mut list.kept, room, PER_ROOM) {
                warn!(%room, event = %dropped, "too many undecryptable events; dropped the oldest");
            }
            list.version += 1;
        }
        self.save(client).await
    }

    /// The kept events `decrypt` can decrypt now. They are no longer kept
    /// once [`Undecrypted::save`] is called after handling them (a crash
    /// before that decrypts them again at the next start). Events older than
    /// a day are given up. No lock is held while `decrypt` runs.
    pub async fn decrypt_now<T, F, Fut>(&self, decrypt: F) -> Vec<T>
    where
        F: Fn(Kept) -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let snapshot = self.list().kept.clone();
        let oldest = Utc::now() - KEEP;
        let mut done = Vec::new();
        let mut decrypted = Vec::new();
        for k in snapshot {
            if to_datetime(k.sent) < oldest {
                warn!(event = %k.event_id, "no room key arrived within a day; giving up on the event");
                done.push(k.event_id);
            } else if let Some(event) = decrypt(k.clone()).await {
                tracing::info!(event = %k.event_id, "decrypted after its room key arrived");
                done.push(k.event_id);
                decrypted.push(event);
            }
        }
        if !done.is_empty() {
            let mut list = self.list();
            list.kept.retain(|k| !done.contains(&k.event_id));
            list.version += 1;
        }
        decrypted
    }

    /// Writes the list; if it changed meanwhile, writes it again, so the
    /// last write is the latest list.
    pub async fn save(&self, client: &Client) -> anyhow::Result<()> {
        loop {
            let (version, json) = {
                let list = self.list();
                (list.version, serde_json::to_vec(&list.kept)?)
            };
            client
                .state_store()
                .set_custom_value_no_read(KEY, json)
                .await?;
            if self.list().version == version {
                return Ok(());
            }
        }
    }

    #[cfg(test)]
    fn kept_in(&self, room: &RoomId) -> Vec<OwnedEventId> {
        let list = self.list();
        list.kept
            .iter()
            .filter(|k| k.room == room)
            .map(|k| k.event_id.clone())
            .collect()
    }
}

/// Drops the oldest kept event of `room` while it has more than `max`.
/// Returns the last dropped.
fn drop_oldest_beyond(kept: &mut Vec<Kept>, room: &RoomId, max: usize) -> Option<OwnedEventId> {
    let mut dropped = None;
    while kept.iter().filter(|k| k.room == room).count() > max {
        let (oldest, _) = kept
            .iter()
            .enumerate()
            .filter(|(_, k)| k.room == room)
            .min_by_key(|(_, k)| k.sent)?;
        dropped = Some(kept.remove(oldest).event_id);
    }
    dropped
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use matrix_sdk::ruma::{owned_room_id, room_id};

    use super::*;

    fn event(n: u64) -> Raw<AnySyncTimelineEvent> {
        let now = u64::try_from(Utc::now().timestamp_millis()).unwrap();
        Raw::from_json_string(format!(
            r#"{{"type":"m.room.encrypted","event_id":"$e{n}","sender":"@a:b.nl","origin_server_ts":{},"content":{{}}}}"#,
            now - 1_000_000 + n
        ))
        .unwrap()
    }

    async fn offline_client() -> Client {
        Client::builder()
            .homeserver_url("http://127.0.0.1:9")
            .build()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn at_most_a_hundred_per_room_are_kept_and_the_oldest_go() {
        let client = offline_client().await;
        let list = Undecrypted::load(&client).await.unwrap();
        let busy = room_id!("!druk:b.nl");
        let quiet = room_id!("!stil:b.nl");
        for n in 0..130 {
            list.keep(&client, busy, &event(n)).await.unwrap();
        }
        list.keep(&client, quiet, &event(500)).await.unwrap();
        let kept = list.kept_in(busy);
        assert_eq!(kept.len(), PER_ROOM);
        assert_eq!(kept[0].as_str(), "$e30", "the 30 oldest went");
        assert_eq!(list.kept_in(quiet).len(), 1, "other rooms keep theirs");
        // And so it is saved.
        let reloaded = Undecrypted::load(&client).await.unwrap();
        assert_eq!(reloaded.kept_in(busy).len(), PER_ROOM);
    }

    #[tokio::test]
    async fn keeping_an_event_does_not_wait_for_a_retry_in_progress() {
        let client = offline_client().await;
        let list = Arc::new(Undecrypted::load(&client).await.unwrap());
        let room = owned_room_id!("!r:b.nl");
        list.keep(&client, &room, &event(1)).await.unwrap();
        let (unblock, blocked) = tokio::sync::oneshot::channel::<()>();
        let blocked = Arc::new(std::sync::Mutex::new(Some(blocked)));
        let retrying = list.clone();
        let retry = tokio::spawn(async move {
            // A decryption that waits (as for the key backup) until told.
            retrying
                .decrypt_now(|k: Kept| {
                    let wait = blocked.lock().unwrap().take();
                    async move {
                        wait?.await.ok()?;
                        Some(k.room)
                    }
                })
                .await
        });
        tokio::task::yield_now().await;
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            list.keep(&client, &room, &event(2)),
        )
        .await
        .expect("the sync loop's keep did not wait")
        .unwrap();
        unblock.send(()).unwrap();
        assert_eq!(retry.await.unwrap(), vec![room.clone()]);
        let kept = list.kept_in(&room);
        assert_eq!(kept.len(), 1, "the decrypted one went, the new one stays");
        assert_eq!(kept[0].as_str(), "$e2");
    }
}
