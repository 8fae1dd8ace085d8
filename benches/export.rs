//! Export time of one incident with a long logboek: 10,000 entries by
//! default (KERNTEAM_BENCH_EXPORT_ENTRIES), per format, from the store to
//! the finished file (`Engine::export`: read, build the record, render),
//! and `verify --export` of the JSON.
//!
//! `cargo bench --bench export` runs it in full (release build); under
//! `cargo test` it runs a small version so that it keeps working.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};

use kernteam_bot::core::Core;
use kernteam_bot::engine::{Engine, Handled, Incoming, load_record};
use kernteam_bot::record::verify::{Verdict, verify_json};
use kernteam_bot::render::ExportFormat;
use kernteam_bot::store::Store;

const ROOM: &str = "!kernteam:gemeente.nl";

fn say(engine: &Engine, body: &str, minute: i64) {
    let now =
        Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute);
    let handled = engine
        .handle(&Incoming {
            room: ROOM,
            sender: "@voorzitter:gemeente.nl",
            sender_is_moderator: false,
            body,
            event_id: None,
            now,
        })
        .expect("store works");
    if let Handled::Replies(items) = handled {
        for item in items {
            engine.store().mark_sent(item.id).expect("store works");
        }
    }
}

/// A busy incident: mostly notes, with decisions, actions and updates among them.
fn fill(engine: &Engine, entries: u64) {
    say(engine, "!incident open Grote onrust in de binnenstad", 0);
    for n in 3..entries {
        let minute = (n / 4) as i64;
        let body = match n % 50 {
            0 => format!("!besluit Besluit {n}: extra inzet in de wijk"),
            10 => format!("!actie Taak {n} uitvoeren"),
            20 => format!("!update Publieksupdate {n}: blijf weg uit het centrum"),
            30 if n % 200 == 30 => [
                "!fase onrust",
                "!fase escalatie",
                "!fase dreiging",
                "!fase terugkeer",
            ][(n / 200 % 4) as usize]
                .to_string(),
            _ => {
                format!("!log Melding {n}: situatie bij het plein, <geen> bijzonderheden & rustig")
            }
        };
        say(engine, &body, minute);
    }
}

fn median(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(*times.last().unwrap()))
}

fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    f();
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let entries: u64 = if full {
        std::env::var("KERNTEAM_BENCH_EXPORT_ENTRIES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000)
    } else {
        200
    };
    let rounds = if full { 20 } else { 2 };
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let engine = Engine::new(
            Core::built_in(),
            Store::open_for_bulk_load(dir.path()).unwrap(),
        );
        fill(&engine, entries);
        engine.store().flush().unwrap();
    }
    let engine = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
    let now = Utc::now();
    let record = load_record(engine.store(), &engine.core().draaiboek, 1, now)
        .unwrap()
        .unwrap();
    println!(
        "incident with {} logboek entries ({} decisions, {} actions, {} updates, {} phases)",
        record.log.len(),
        record.decisions.len(),
        record.actions.len(),
        record.public_updates.len(),
        record.phases.len()
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "step (median of rounds)", "ms p50", "ms max", "size"
    );
    let (p50, max) = time(rounds, || {
        load_record(engine.store(), &engine.core().draaiboek, 1, now)
    });
    println!(
        "{:<34} {p50:>10.1} {max:>10.1}",
        "read store + build record"
    );
    for format in ExportFormat::ALL {
        let size = engine.export(1, format, now).unwrap().unwrap().bytes.len();
        let (p50, max) = time(rounds, || engine.export(1, format, now));
        println!(
            "{:<34} {p50:>10.1} {max:>10.1} {:>9} kB",
            format!("export {} (read, build, render)", format.word()),
            size / 1024
        );
    }
    let json = String::from_utf8(
        engine
            .export(1, ExportFormat::Json, now)
            .unwrap()
            .unwrap()
            .bytes,
    )
    .unwrap();
    let (p50, max) = time(rounds, || verify_json(&json));
    println!("{:<34} {p50:>10.1} {max:>10.1}", "verify --export (json)");
    assert!(matches!(
        verify_json(&json).unwrap(),
        Verdict::Intact { .. }
    ));
}
