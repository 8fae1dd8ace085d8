//! Burst benchmark client, run by scripts/bench-roundtrip.sh: five team
//! members send 200 commands into one room with a bot, in waves of 50 at
//! once (see [`burst`]),
//! and the reply time of every command is measured (send → the reply shown
//! in the first member's client). Several bots are measured in turn, round
//! after round, each in its own room, so drift hits all of them alike.
//!
//! The k-th reply is paired with the k-th command in the timeline. That is
//! exact for a bot that answers in timeline order; kernteam-bot keeps the
//! order per member only, and for it the pairing gives the right mean but a
//! blurred spread (its exactly-once, in-order answers are tested in
//! tests/load.rs).
//!
//! Environment: BENCH_HOMESERVER; BENCH_SENDERS, five or more
//! `@user:server=password` separated by spaces; BENCH_BOTS, `@bot:server=!command`
//! separated by `;` (`{n}` in a command becomes the command's number);
//! BENCH_ENCRYPTED (1 or 0, default 0); BENCH_COMMANDS (default 200);
//! BENCH_ROUNDS (default 3); BENCH_SETUP, a
//! command the first member sends once in each room before the warm-up
//! (e.g. `!incident open Burst`).
//! Prints `BURST bot=… p50=… p99=… max=… n=… replies=…` per bot.
#![recursion_limit = "256"]

// Shared with examples/roundtrip.rs.
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use kernteam_bot::flood;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UserId};

use support::{Arrival, Member, env, member, ms, percentile};

struct Target {
    bot: OwnedUserId,
    command: String,
    room: OwnedRoomId,
    samples: Vec<Duration>,
    replies: usize,
    sent: usize,
}

fn env_or(name: &str, default: u64) -> anyhow::Result<u64> {
    std::env::var(name).map_or(Ok(default), |v| Ok(v.parse()?))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let homeserver = env("BENCH_HOMESERVER")?;
    let encrypted = env_or("BENCH_ENCRYPTED", 0)? == 1;
    let commands = env_or("BENCH_COMMANDS", 200)? as usize;
    let rounds = env_or("BENCH_ROUNDS", 3)?;
    let mut senders = Vec::new();
    for pair in env("BENCH_SENDERS")?.split_whitespace() {
        let (user, password) = pair
            .split_once('=')
            .context("BENCH_SENDERS: user=password")?;
        senders.push(member(&homeserver, user, password).await?);
    }
    if senders.len() < 2 {
        bail!("BENCH_SENDERS needs at least two members");
    }
    let mut targets = Vec::new();
    for spec in env("BENCH_BOTS")?
        .split(';')
        .filter(|s| !s.trim().is_empty())
    {
        let (bot, command) = spec
            .trim()
            .split_once('=')
            .context("BENCH_BOTS: @bot=!cmd")?;
        let bot = UserId::parse(bot)?;
        let room = team_room(&senders, &bot, encrypted).await?;
        targets.push(Target {
            bot,
            command: command.to_string(),
            room,
            samples: Vec::new(),
            replies: 0,
            sent: 0,
        });
    }
    // Warm-up: every member's room keys shared, every bot awake.
    for target in &targets {
        if let Ok(setup) = std::env::var("BENCH_SETUP") {
            senders[0].send(&target.room, &setup).await?;
            let bot = target.bot.clone();
            senders[0].arrival(|a| a.sender == bot).await?;
        }
        for i in 0..senders.len() {
            let text = target.command.replace("{n}", &format!("w{i}"));
            senders[i].send(&target.room, &text).await?;
            let bot = target.bot.clone();
            let room = target.room.clone();
            senders[0]
                .arrival(|a| a.sender == bot && a.room == room)
                .await?;
        }
    }
    let (tx, observed) = observe(&mut senders[0]);
    let senders = Arc::new(senders);
    for round in 0..rounds {
        for target in &mut targets {
            tokio::time::sleep(Duration::from_secs(2)).await;
            observed.lock().unwrap().clear();
            let sent = burst(&senders, target, commands, round).await?;
            let (samples, replies) = collect(&observed, &sent, target).await;
            target.samples.extend(samples);
            target.replies += replies;
            target.sent += sent.len();
        }
    }
    drop(tx);
    let mode = if encrypted {
        "encrypted"
    } else {
        "unencrypted"
    };
    for t in &targets {
        println!(
            "BURST bot={} mode={mode} p50={:.1} p99={:.1} max={:.1} n={} sent={} replies={}",
            t.bot,
            ms(percentile(&t.samples, 50.0)),
            ms(percentile(&t.samples, 99.0)),
            ms(percentile(&t.samples, 100.0)),
            t.samples.len(),
            t.sent,
            t.replies
        );
    }
    Ok(())
}

/// A room created by the first sender with every sender and the bot in it.
async fn team_room(
    senders: &[Member],
    bot: &UserId,
    encrypted: bool,
) -> anyhow::Result<OwnedRoomId> {
    let mut invite: Vec<OwnedUserId> = senders[1..].iter().map(Member::id).collect();
    invite.push(bot.to_owned());
    let room = senders[0].create_room(&invite, encrypted).await?;
    for s in &senders[1..] {
        s.client.join_room_by_id(&room).await?;
    }
    let mut everyone: Vec<OwnedUserId> = senders.iter().map(Member::id).collect();
    everyone.push(bot.to_owned());
    let everyone: Vec<&UserId> = everyone.iter().map(|u| &**u).collect();
    for s in senders {
        s.sees_joined(&room, &everyone).await?;
    }
    Ok(room)
}

type Observed = Arc<Mutex<Vec<Arrival>>>;

/// Everything the first sender's client shows, in timeline order.
fn observe(first: &mut Member) -> (tokio::task::JoinHandle<()>, Observed) {
    let observed: Observed = Arc::default();
    let sink = observed.clone();
    let mut arrivals = std::mem::replace(
        &mut first.arrivals,
        tokio::sync::mpsc::unbounded_channel().1,
    );
    let task = tokio::spawn(async move {
        while let Some(a) = arrivals.recv().await {
            sink.lock().unwrap().push(a);
        }
    });
    (task, observed)
}

/// Every sender sends its share of the commands in waves: all senders at
/// once, each [`flood::LIMIT`] commands back to back (as fast as a member
/// may: more is flooding, which the bot refuses), each wave after a pause
/// of the limit's window. Returns when every send was started: event
/// ID → the moment its send began.
async fn burst(
    senders: &Arc<Vec<Member>>,
    target: &Target,
    commands: usize,
    round: u64,
) -> anyhow::Result<HashMap<OwnedEventId, Instant>> {
    let n = senders.len();
    let per_sender = commands.div_ceil(n);
    let pause = flood::WINDOW.to_std()? + Duration::from_secs(1);
    let mut tasks = Vec::new();
    for s in 0..n {
        let senders = senders.clone();
        let room = target.room.clone();
        let command = target.command.clone();
        tasks.push(tokio::spawn(async move {
            let mut sent = Vec::new();
            for i in (0..per_sender).filter(|i| i * n + s < commands) {
                // Also before the first wave: the warm-up counts too.
                if i % flood::LIMIT == 0 {
                    tokio::time::sleep(pause).await;
                }
                let text = command.replace("{n}", &format!("r{round}s{s}c{i}"));
                let began = Instant::now();
                let event = senders[s].send(&room, &text).await?;
                sent.push((event, began));
            }
            anyhow::Ok(sent)
        }));
    }
    let mut sent = HashMap::new();
    for task in tasks {
        sent.extend(task.await??);
    }
    Ok(sent)
}

/// Waits until the bot answered every command (or a minute passed) and
/// pairs the k-th reply with the k-th command in the timeline.
async fn collect(
    observed: &Observed,
    sent: &HashMap<OwnedEventId, Instant>,
    target: &Target,
) -> (Vec<Duration>, usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (commands, replies) = {
            let seen = observed.lock().unwrap();
            let commands: Vec<Instant> = seen
                .iter()
                .filter(|a| a.room == target.room)
                .filter_map(|a| sent.get(&a.event_id).copied())
                .collect();
            let replies: Vec<Instant> = seen
                .iter()
                .filter(|a| a.room == target.room && a.sender == target.bot)
                .map(|a| a.at)
                .collect();
            (commands, replies)
        };
        let done = replies.len() >= sent.len() && commands.len() == sent.len();
        if done || Instant::now() > deadline {
            let samples = commands
                .iter()
                .zip(&replies)
                .map(|(c, r)| r.saturating_duration_since(*c))
                .collect();
            return (samples, replies.len());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
