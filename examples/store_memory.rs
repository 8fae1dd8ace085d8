//! The store's own memory (not a test): opens a copy of a store, records a
//! few commands, and prints the process's anonymous memory every second for
//! 40 s, as sled's background work may grow it after the first write.
//!
//!   cargo run --release --example store_memory -- DIR [--build]
//!
//! `--build` first writes 1,000,000 logboek entries into DIR (100 incidents
//! of 10,000) command by command, each flushed, as the bot writes them.
//! scripts/bench-startup.sh measures the whole bot; this isolates the store.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use kernteam_bot::core::Core;
use kernteam_bot::engine::{Engine, Handled, Incoming};
use kernteam_bot::store::Store;

fn anonymous_kib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("RssAnon:"))
                .map(|l| l["RssAnon:".len()..].trim().to_string())
        })
        .unwrap_or_default()
}

fn command(engine: &Engine, room: &str, body: &str, event_id: &str) -> anyhow::Result<()> {
    let handled = engine.handle(&Incoming {
        room,
        sender: "@voorzitter:localhost",
        sender_is_moderator: true,
        body,
        event_id: Some(event_id),
        now: Utc::now(),
    })?;
    if let Handled::Replies(items) = handled {
        for item in items {
            engine.store().mark_sent(item.id)?;
        }
    }
    Ok(())
}

fn build(dir: &Path) -> anyhow::Result<()> {
    let engine = Engine::new(Core::built_in(), Store::open(dir)?);
    let started = Instant::now();
    for i in 0..100 {
        let room = format!("!old{i}:localhost");
        for n in 0..10_000 {
            let body = match n {
                0 => format!("!incident open Oud incident {i}"),
                9_999 => "!incident sluit".to_string(),
                _ => format!("!log Melding {n}"),
            };
            command(
                &engine,
                &room,
                &body,
                &format!("${:0>43}", format!("{i}x{n}")),
            )?;
        }
        println!(
            "incident {i} written after {:.0?}: anon {}",
            started.elapsed(),
            anonymous_kib()
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: store_memory DIR [--build]");
    let dir = Path::new(&dir);
    if std::env::args().any(|a| a == "--build") {
        build(dir)?;
    }
    println!("before opening: anon {}", anonymous_kib());
    let engine = Engine::new(Core::built_in(), Store::open(dir)?);
    println!("opened: anon {}", anonymous_kib());
    let room = "!new:localhost";
    for (i, body) in ["!incident open Nieuw", "!log een", "!log twee"]
        .iter()
        .enumerate()
    {
        command(&engine, room, body, &format!("$new{i}"))?;
    }
    println!("three commands recorded: anon {}", anonymous_kib());
    for second in 1..=40 {
        std::thread::sleep(Duration::from_secs(1));
        if second % 5 == 0 {
            println!("{second} s later: anon {}", anonymous_kib());
        }
    }
    Ok(())
}
