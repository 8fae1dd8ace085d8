//! Memory and start-up benchmark, run by scripts/bench-startup.sh: the bot
//! with a store of 1,000,000 logboek entries (100 incidents of 10,000),
//! its resident memory when idle, and the time from a restart after
//! `kill -9` to its first reply.
//!
//! Environment: BENCH_HOMESERVER, BENCH_USER and BENCH_PASSWORD (a team
//! member), BENCH_BOT_USER, BENCH_BOT_BIN, BENCH_BOT_CONFIG (its bot.toml),
//! BENCH_BOT_STATE (the bot's store directory, `<data_dir>/state`; built
//! first if missing), BENCH_ENTRIES (default 1,000,000), BENCH_RESTARTS
//! (default 5), BENCH_ONLY_BUILD (only build the store). Prints `RESULT …` lines.
#![recursion_limit = "256"]

// Shared with examples/burst.rs, which uses all of it.
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kernteam_bot::core::Core;
use kernteam_bot::engine::{Engine, Handled, Incoming};
use kernteam_bot::store::Store;
use matrix_sdk::ruma::{OwnedUserId, UserId};

use support::{env, member, ms, percentile};

const INCIDENTS: u64 = 100;

/// How long after its last reply the bot counts as idle: long enough for
/// background work a write sets off (sled's segment cleaner took some 40 s
/// to grow the memory of a reopened store, before the store turned it off).
const SETTLE: Duration = Duration::from_secs(45);

/// Incidents of the same length, written without a flush per command. Each
/// command has an event id of Synapse's length, as the bot records them.
fn build_store(dir: &Path, entries: u64) -> anyhow::Result<()> {
    let engine = Engine::new(Core::built_in(), Store::open_for_bulk_load(dir)?);
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    let per_incident = entries / INCIDENTS;
    for i in 0..INCIDENTS {
        let room = format!("!old{i}:localhost");
        let mut sent = 0;
        let mut say = |body: &str| -> anyhow::Result<()> {
            sent += 1;
            let event_id = format!("${:0>43}", format!("{i}x{sent}"));
            let handled = engine.handle(&Incoming {
                room: &room,
                sender: "@voorzitter:localhost",
                sender_is_moderator: true,
                body,
                event_id: Some(&event_id),
                now: at,
            })?;
            if let Handled::Replies(items) = handled {
                for item in items {
                    engine.store().mark_sent(item.id)?;
                }
            }
            Ok(())
        };
        // Opening writes three entries (opened, voorzitter, phase).
        say(&format!("!incident open Oud incident {i}"))?;
        for n in 3..per_incident {
            say(&format!("!log Melding {n}"))?;
        }
        say("!incident sluit")?;
    }
    engine.store().flush()?;
    Ok(())
}

fn start_bot() -> anyhow::Result<Child> {
    Ok(Command::new(env("BENCH_BOT_BIN")?)
        .args(["run", "--config", &env("BENCH_BOT_CONFIG")?])
        .spawn()?)
}

/// Resident memory of a process, from /proc: all, anonymous (heap) and
/// file-backed (mostly the binary's code), in MiB.
struct Resident {
    total: f64,
    anon: f64,
    file: f64,
    threads: u32,
}

impl std::fmt::Display for Resident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.1} (anon {:.1}, file {:.1}) threads={}",
            self.total, self.anon, self.file, self.threads
        )
    }
}

fn resident(pid: u32) -> anyhow::Result<Resident> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok(Resident {
        total: field("VmRSS:") / 1024.0,
        anon: field("RssAnon:") / 1024.0,
        file: field("RssFile:") / 1024.0,
        threads: field("Threads:") as u32,
    })
}

/// With BENCH_SMAPS set: the largest anonymous mappings of a process, to
/// see where its heap memory lies (glibc arenas, thread stacks, [heap]).
fn print_largest_anonymous(pid: u32) -> anyhow::Result<()> {
    if std::env::var("BENCH_SMAPS").is_err() {
        return Ok(());
    }
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps"))?;
    let mut mappings: Vec<(u64, String)> = Vec::new();
    let mut name = String::new();
    for line in smaps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields
            .first()
            .is_some_and(|f| f.contains('-') && !f.ends_with(':'))
        {
            let range = fields[0];
            name = format!("{range} {}", fields.get(5).copied().unwrap_or("(anon)"));
        } else if fields.first() == Some(&"Anonymous:") {
            let kib: u64 = fields[1].parse().unwrap_or(0);
            if kib > 0 {
                mappings.push((kib, name.clone()));
            }
        }
    }
    mappings.sort_by_key(|m| std::cmp::Reverse(m.0));
    let total: u64 = mappings.iter().map(|m| m.0).sum();
    println!(
        "anonymous: {total} KiB in {} mappings; largest:",
        mappings.len()
    );
    for (kib, name) in mappings.iter().take(12) {
        println!("  {kib:>7} KiB {name}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let entries: u64 = std::env::var("BENCH_ENTRIES").map_or(Ok(1_000_000), |v| v.parse())?;
    let restarts: usize = std::env::var("BENCH_RESTARTS").map_or(Ok(5), |v| v.parse())?;
    let state = env("BENCH_BOT_STATE")?;
    if !Path::new(&state).exists() {
        let started = Instant::now();
        build_store(Path::new(&state), entries)?;
        println!(
            "built a store of {entries} logboek entries in {:.0?}",
            started.elapsed()
        );
    }
    if std::env::var("BENCH_ONLY_BUILD").is_ok() {
        return Ok(());
    }
    let homeserver = env("BENCH_HOMESERVER")?;
    let bot_id: OwnedUserId = UserId::parse(env("BENCH_BOT_USER")?)?;

    let mut bot = start_bot()?;
    let mut chair = member(&homeserver, &env("BENCH_USER")?, &env("BENCH_PASSWORD")?).await?;
    let room = chair
        .create_room(std::slice::from_ref(&bot_id), true)
        .await?;
    chair.sees_joined(&room, &[&bot_id]).await?;
    chair.send(&room, "!incident open Start").await?;
    chair.arrival(|a| a.sender == bot_id).await?;
    tokio::time::sleep(SETTLE).await;
    let idle = resident(bot.id())?;
    println!("RESULT idle_rss_mib={idle} entries={entries}");
    print_largest_anonymous(bot.id())?;

    let mut times = Vec::new();
    for i in 0..restarts {
        bot.kill()?;
        bot.wait()?;
        let started = Instant::now();
        bot = start_bot()?;
        let text = format!("!log Na herstart {i}");
        chair.send(&room, &text).await?;
        let at = chair
            .arrival(|a| a.sender == bot_id && a.body.starts_with("📝"))
            .await?;
        times.push(at - started);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    tokio::time::sleep(SETTLE).await;
    let after = resident(bot.id())?;
    print_largest_anonymous(bot.id())?;
    bot.kill()?;
    bot.wait()?;
    println!(
        "RESULT restart_to_first_reply_p50_ms={:.0} max_ms={:.0} n={restarts} idle_rss_after_restart_mib={after}",
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 100.0))
    );
    Ok(())
}
