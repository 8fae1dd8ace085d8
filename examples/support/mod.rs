//! What the benchmark clients share: a team member's client that reports
//! every message the moment its sync delivers it, and percentiles.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, RoomId, UserId};
use matrix_sdk::{Client, Room, RoomMemberships};
use tokio::sync::mpsc;

/// A message as it arrives in a client, with the moment it was seen.
pub struct Arrival {
    pub event_id: OwnedEventId,
    pub room: OwnedRoomId,
    pub sender: OwnedUserId,
    pub notice: bool,
    pub body: String,
    pub at: Instant,
}

pub struct Member {
    pub client: Client,
    pub arrivals: mpsc::UnboundedReceiver<Arrival>,
    _store: tempfile::TempDir,
}

pub fn env(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set"))
}

/// Logs in and keeps syncing with its own `sync_once` loop (no pause between
/// responses), reporting every message the moment its sync delivers it.
pub async fn member(homeserver: &str, user: &str, password: &str) -> anyhow::Result<Member> {
    let store = tempfile::TempDir::new()?;
    let client = Client::builder()
        .homeserver_url(homeserver)
        .sqlite_store(store.path(), None)
        .build()
        .await?;
    client
        .matrix_auth()
        .login_username(user, password)
        .initial_device_display_name("bench")
        .send()
        .await?;
    let (tx, arrivals) = mpsc::unbounded_channel();
    client.add_event_handler(move |ev: OriginalSyncRoomMessageEvent, room: Room| {
        let tx = tx.clone();
        async move {
            let at = Instant::now();
            let (notice, body) = match ev.content.msgtype {
                MessageType::Notice(n) => (true, n.body),
                MessageType::Text(t) => (false, t.body),
                _ => return,
            };
            let _ = tx.send(Arrival {
                event_id: ev.event_id,
                room: room.room_id().to_owned(),
                sender: ev.sender,
                notice,
                body,
                at,
            });
        }
    });
    client.sync_once(SyncSettings::default()).await?;
    let syncing = client.clone();
    tokio::spawn(async move {
        loop {
            let settings = SyncSettings::default().timeout(Duration::from_secs(30));
            if let Err(e) = syncing.sync_once(settings).await {
                eprintln!("sync error: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    });
    Ok(Member {
        client,
        arrivals,
        _store: store,
    })
}

impl Member {
    pub fn id(&self) -> OwnedUserId {
        self.client.user_id().expect("logged in").to_owned()
    }

    pub async fn send(&self, room: &RoomId, text: &str) -> anyhow::Result<OwnedEventId> {
        let room = self.client.get_room(room).context("unknown room")?;
        Ok(room
            .send(RoomMessageEventContent::text_plain(text))
            .await?
            .response
            .event_id)
    }

    /// Waits for the first arrival that matches; earlier ones are dropped.
    pub async fn arrival(&mut self, matches: impl Fn(&Arrival) -> bool) -> anyhow::Result<Instant> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let arrival = tokio::time::timeout_at(deadline, self.arrivals.recv())
                .await
                .context("no matching message within 30 s")?
                .context("sync loop ended")?;
            if matches(&arrival) {
                return Ok(arrival.at);
            }
        }
    }

    /// A private room (encrypted or not) with these invitees.
    pub async fn create_room(
        &self,
        invite: &[OwnedUserId],
        encrypted: bool,
    ) -> anyhow::Result<OwnedRoomId> {
        let mut request = CreateRoom::new();
        request.preset = Some(RoomPreset::PrivateChat);
        request.invite = invite.to_vec();
        if encrypted {
            request.initial_state = vec![
                InitialStateEvent::with_empty_state_key(
                    RoomEncryptionEventContent::with_recommended_defaults(),
                )
                .to_raw_any(),
            ];
        }
        Ok(self.client.create_room(request).await?.room_id().to_owned())
    }

    pub async fn sees_joined(&self, room: &RoomId, users: &[&UserId]) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(room) = self.client.get_room(room) {
                let members = room.members_no_sync(RoomMemberships::JOIN).await?;
                if users
                    .iter()
                    .all(|u| members.iter().any(|m| m.user_id() == *u))
                {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!("{users:?} did not all join");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The nearest-rank percentile `p` (0–100) of the samples.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
