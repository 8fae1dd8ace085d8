//! Round-trip benchmark client, run by scripts/bench-roundtrip.sh (which
//! starts Synapse and the bot and sets the environment below).
//!
//! In one encrypted room with the bot, it measures alternately
//! - one client→client trip: A sends a message, B's client shows it;
//! - the bot's round trip: A sends a cheap command (`!fase`), A's client
//!   shows the bot's reply;
//!
//! and prints p50/p99 of both, the floor (two client→client trips) and the
//! ratio bot / floor.
//!
//! Environment: BENCH_HOMESERVER, BENCH_A_USER, BENCH_A_PASSWORD,
//! BENCH_B_USER, BENCH_B_PASSWORD, BENCH_BOT_USER, BENCH_SAMPLES (default 200).
#![recursion_limit = "256"]

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};
use matrix_sdk::{Client, RoomMemberships};
use tokio::sync::mpsc;

/// A message as it arrives in a client, with the moment it was seen.
struct Arrival {
    sender: OwnedUserId,
    notice: bool,
    body: String,
    at: Instant,
}

struct Member {
    client: Client,
    arrivals: mpsc::UnboundedReceiver<Arrival>,
    _store: tempfile::TempDir,
}

fn env(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set"))
}

/// Logs in and keeps syncing with its own `sync_once` loop (no pause between
/// responses), reporting every message the moment its sync delivers it.
async fn member(homeserver: &str, user: &str, password: &str) -> anyhow::Result<Member> {
    let store = tempfile::TempDir::new()?;
    let client = Client::builder()
        .homeserver_url(homeserver)
        .sqlite_store(store.path(), None)
        .build()
        .await?;
    client
        .matrix_auth()
        .login_username(user, password)
        .initial_device_display_name("roundtrip")
        .send()
        .await?;
    let (tx, arrivals) = mpsc::unbounded_channel();
    client.add_event_handler(move |ev: OriginalSyncRoomMessageEvent| {
        let tx = tx.clone();
        async move {
            let at = Instant::now();
            let (notice, body) = match ev.content.msgtype {
                MessageType::Notice(n) => (true, n.body),
                MessageType::Text(t) => (false, t.body),
                _ => return,
            };
            let _ = tx.send(Arrival {
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
    async fn send(&self, room: &RoomId, text: &str) -> anyhow::Result<()> {
        let room = self.client.get_room(room).context("unknown room")?;
        room.send(RoomMessageEventContent::text_plain(text)).await?;
        Ok(())
    }

    /// Waits for the first arrival that matches; earlier ones are dropped.
    async fn arrival(&mut self, matches: impl Fn(&Arrival) -> bool) -> anyhow::Result<Instant> {
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

    async fn sees_joined(&self, room: &RoomId, users: &[&UserId]) -> anyhow::Result<()> {
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

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let homeserver = env("BENCH_HOMESERVER")?;
    let samples: usize = std::env::var("BENCH_SAMPLES").map_or(Ok(200), |s| s.parse())?;
    let bot = UserId::parse(env("BENCH_BOT_USER")?)?;
    let mut a = member(
        &homeserver,
        &env("BENCH_A_USER")?,
        &env("BENCH_A_PASSWORD")?,
    )
    .await?;
    let mut b = member(
        &homeserver,
        &env("BENCH_B_USER")?,
        &env("BENCH_B_PASSWORD")?,
    )
    .await?;
    let a_id = a.client.user_id().context("A has no user id")?.to_owned();
    let b_id = b.client.user_id().context("B has no user id")?.to_owned();

    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PrivateChat);
    request.invite = vec![b_id.clone(), bot.clone()];
    request.initial_state = vec![
        InitialStateEvent::with_empty_state_key(
            RoomEncryptionEventContent::with_recommended_defaults(),
        )
        .to_raw_any(),
    ];
    let room: OwnedRoomId = a.client.create_room(request).await?.room_id().to_owned();
    b.client.join_room_by_id(&room).await?;
    let everyone = [&*a_id, &*b_id, &*bot];
    a.sees_joined(&room, &everyone).await?;
    b.sees_joined(&room, &everyone).await?;

    // Warm-up: room keys shared, an incident open so `!fase` has something to show.
    a.send(&room, "!incident open Benchmark").await?;
    a.arrival(|m| m.sender == bot && m.notice).await?;
    for i in 0..5 {
        b.send(&room, &format!("warm-up {i}")).await?;
        a.arrival(|m| m.body == format!("warm-up {i}")).await?;
    }

    let mut one_way = Vec::with_capacity(samples);
    let mut round_trip = Vec::with_capacity(samples);
    // Every sample starts from a quiet system: all clients (and the bot)
    // have processed everything the previous sample caused.
    let settle = || tokio::time::sleep(Duration::from_millis(50));
    for i in 0..samples {
        let text = format!("ping {i}");
        settle().await;
        let sent = Instant::now();
        a.send(&room, &text).await?;
        one_way.push(b.arrival(|m| m.body == text).await? - sent);

        settle().await;
        let sent = Instant::now();
        a.send(&room, "!fase").await?;
        // The reply to `!fase`, not a reminder the bot may send meanwhile.
        let reply = |m: &Arrival| m.sender == bot && m.notice && m.body.starts_with("Fase: ");
        round_trip.push(a.arrival(reply).await? - sent);
    }

    let (ow50, ow99) = (percentile(&one_way, 50.0), percentile(&one_way, 99.0));
    let (bot50, bot99) = (percentile(&round_trip, 50.0), percentile(&round_trip, 99.0));
    let (floor50, floor99) = (ow50 * 2, ow99 * 2);
    println!("samples: {samples} of each, alternating, in one encrypted room (A, B and the bot)");
    println!(
        "one-way client→client   p50 {:7.1} ms   p99 {:7.1} ms",
        ms(ow50),
        ms(ow99)
    );
    println!(
        "floor (2 × one-way)     p50 {:7.1} ms   p99 {:7.1} ms",
        ms(floor50),
        ms(floor99)
    );
    println!(
        "bot round trip          p50 {:7.1} ms   p99 {:7.1} ms",
        ms(bot50),
        ms(bot99)
    );
    println!(
        "ratio bot / floor       p50 {:7.2}      p99 {:7.2}      (target ≤ 1.10 and ≤ 1.25)",
        ms(bot50) / ms(floor50),
        ms(bot99) / ms(floor99)
    );
    Ok(())
}
