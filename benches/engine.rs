//! Command handling time on a large store: 10,000 incidents and 1,000,000
//! logboek entries (override with KERNTEAM_BENCH_INCIDENTS / _ENTRIES).
//!
//! `cargo bench --bench engine` runs it in full; under `cargo test` it runs a
//! small version so that it keeps compiling and working.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};

use kernteam_bot::core::Core;
use kernteam_bot::engine::{Engine, Handled, Incoming};
use kernteam_bot::store::Store;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn room(i: u64) -> String {
    format!("!room{i}:gemeente.nl")
}

/// The time of the next command: two seconds after the previous one, a
/// pace the flood limit (10 commands in 10 s per sender) lets through.
struct Clock(std::cell::Cell<DateTime<Utc>>);

impl Clock {
    fn next(&self) -> DateTime<Utc> {
        let now = self.0.get();
        self.0.set(now + chrono::Duration::seconds(2));
        now
    }
}

fn say(engine: &Engine, room: &str, body: &str, clock: &Clock) -> Duration {
    let now = clock.next();
    let start = Instant::now();
    let handled = engine
        .handle(&Incoming {
            room,
            sender: "@voorzitter:gemeente.nl",
            sender_is_moderator: false,
            body,
            event_id: None,
            now,
        })
        .expect("store works");
    let took = start.elapsed();
    if let Handled::Replies(items) = handled {
        for item in items {
            engine.store().mark_sent(item.id).expect("store works");
        }
    }
    took
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn dir_mib(path: &std::path::Path) -> f64 {
    fn walk(p: &std::path::Path) -> u64 {
        std::fs::read_dir(p)
            .map(|d| {
                d.flatten()
                    .map(|e| match e.metadata() {
                        Ok(m) if m.is_dir() => walk(&e.path()),
                        Ok(m) => m.len(),
                        Err(_) => 0,
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(path) as f64 / (1024.0 * 1024.0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let incidents = if full {
        env_or("KERNTEAM_BENCH_INCIDENTS", 10_000)
    } else {
        20
    };
    let entries = if full {
        env_or("KERNTEAM_BENCH_ENTRIES", 1_000_000)
    } else {
        400
    };
    let per_incident = (entries / incidents).max(4);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Clock(Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap().into());

    let load = Instant::now();
    {
        let engine = Engine::new(
            Core::built_in(),
            Store::open_for_bulk_load(dir.path()).unwrap(),
        );
        for i in 0..incidents {
            let r = room(i);
            // Opening writes 3 entries (opened, voorzitter, phase).
            say(&engine, &r, &format!("!incident open Incident {i}"), &clock);
            for n in 3..per_incident {
                say(
                    &engine,
                    &r,
                    &format!("!log Melding {n} in incident {i}"),
                    &clock,
                );
            }
            if i + 1 < incidents {
                say(&engine, &r, "!incident sluit", &clock);
            }
        }
        engine.store().flush().unwrap();
    }
    let load = load.elapsed();

    let engine = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
    let hot = room(incidents - 1);
    clock.0.set(clock.0.get() + chrono::Duration::hours(1));
    let commands = [
        "!log Nieuwe melding van de wijkagent",
        "!actie Buurt uitlopen over 2 uur",
        "!fase onrust",
        "!fase dreiging",
        "!sitrap",
        "!logboek 10",
        "!acties",
        "!oneliners",
        "!koffie",
    ];
    let rounds = if full { 200 } else { 5 };
    println!(
        "store: {incidents} incidents, {} logboek entries, loaded in {:.1} s, {:.0} MiB on disk",
        incidents * per_incident,
        load.as_secs_f64(),
        dir_mib(dir.path())
    );
    println!(
        "{:<40} {:>9} {:>9} {:>9}",
        "command (durable, fsync)", "p50 µs", "p99 µs", "max µs"
    );
    for command in commands {
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| say(&engine, &hot, command, &clock))
            .collect();
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize].as_micros();
        println!(
            "{command:<40} {:>9} {:>9} {:>9}",
            pct(0.5),
            pct(0.99),
            times.last().unwrap().as_micros()
        );
    }
    println!("resident memory: {:.0} MiB", rss_mib());
    let verify = Instant::now();
    let verdict = engine.store().verify().unwrap();
    println!(
        "verify: {verdict} in {:.1} s",
        verify.elapsed().as_secs_f64()
    );
}
