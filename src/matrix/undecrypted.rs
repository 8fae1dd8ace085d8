//! Events the bot could not decrypt yet because their room key had not
//! arrived. Kept (also across restarts, in the SDK's store) and decrypted
//! again later, so a command is handled once its key arrives; the normal
//! path then applies (exactly once, catch-up window).

use chrono::{Duration, Utc};
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, RoomId};
use matrix_sdk::{Client, Room};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use tracing::{info, warn};

use super::message::to_datetime;

const KEY: &[u8] = b"kernteam-bot/undecrypted";
/// A key that has not come after a day will not come.
const KEEP: Duration = Duration::days(1);

#[derive(Serialize, Deserialize)]
struct Kept {
    room: OwnedRoomId,
    event_id: OwnedEventId,
    sent: MilliSecondsSinceUnixEpoch,
    event: Raw<OriginalSyncRoomEncryptedEvent>,
}

pub struct Undecrypted {
    kept: Mutex<Vec<Kept>>,
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
            kept: Mutex::new(kept),
        })
    }

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
        let mut kept = self.kept.lock().await;
        if kept.iter().any(|k| k.event_id == event_id) {
            return Ok(());
        }
        kept.push(Kept {
            room: room.to_owned(),
            event_id,
            sent,
            // Only m.room.encrypted events end up undecryptable.
            event: raw.clone().cast_unchecked(),
        });
        save(client, &kept).await
    }

    /// The kept events that can be decrypted now; they are no longer kept
    /// once [`Undecrypted::save`] is called after handling them (a crash
    /// before that decrypts them again at the next start).
    pub async fn decrypt_now(&self, client: &Client) -> Vec<(Room, TimelineEvent)> {
        let mut kept = self.kept.lock().await;
        if kept.is_empty() {
            return Vec::new();
        }
        let oldest = Utc::now() - KEEP;
        let mut decrypted = Vec::new();
        let mut still = Vec::new();
        for k in kept.drain(..) {
            if to_datetime(k.sent) < oldest {
                warn!(event = %k.event_id, "no room key arrived within a day; giving up on the event");
                continue;
            }
            let Some(room) = client.get_room(&k.room) else {
                continue;
            };
            match room.decrypt_event(&k.event, None).await {
                Ok(event) if !event.kind.is_utd() => {
                    info!(event = %k.event_id, "decrypted after its room key arrived");
                    decrypted.push((room, event));
                }
                _ => still.push(k),
            }
        }
        *kept = still;
        decrypted
    }

    pub async fn save(&self, client: &Client) -> anyhow::Result<()> {
        save(client, &self.kept.lock().await).await
    }
}

async fn save(client: &Client, kept: &[Kept]) -> anyhow::Result<()> {
    client
        .state_store()
        .set_custom_value_no_read(KEY, serde_json::to_vec(kept)?)
        .await?;
    Ok(())
}
