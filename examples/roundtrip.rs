//! Round-trip benchmark client, run by scripts/bench-roundtrip.sh (which
//! starts Synapse and the bot and sets the environment below).
//!
//! In one encrypted room with the bot, it measures alternately
//! - one client→client trip: A sends a message, B's client shows it;
//! - the bot's round trip: A sends a cheap command (`!fase`), A's client
//!   shows the bot's reply;
//!
//! and prints p50/p99 of both, the floor (two client→client trips) and the
//! ratio bot / floor, and one line `RESULT …` for scripts/bench-roundtrip.sh.
//!
//! Environment: BENCH_HOMESERVER, BENCH_A_USER, BENCH_A_PASSWORD,
//! BENCH_B_USER, BENCH_B_PASSWORD, BENCH_BOT_USER, BENCH_SAMPLES (default 200).
#![recursion_limit = "256"]

// Shared with examples/burst.rs, which uses all of it.
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use anyhow::Context;
use matrix_sdk::ruma::UserId;

use support::{Arrival, env, member, ms, percentile};

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

    let room = a.create_room(&[b_id.clone(), bot.clone()], true).await?;
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
    println!(
        "RESULT bot={bot} p50={:.1} p99={:.1} floor_p50={:.1} floor_p99={:.1} n={samples}",
        ms(bot50),
        ms(bot99),
        ms(floor50),
        ms(floor99)
    );
    Ok(())
}
