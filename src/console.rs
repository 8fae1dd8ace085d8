//! Console mode: the engine driven from stdin, one command per line, replies
//! to stdout. `/als @user:server` switches the sender; `/tijd <moment>` sets
//! the clock (for scripted exercises: `/tijd 2026-11-21 18:00`, then
//! `/tijd over 20 min`); an export is written as a file into `exports`.

use std::io::{BufRead, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::effect::Effect;
use crate::engine::{Engine, Handled, Incoming};
use crate::store::OutboxItem;
use crate::timeexpr::{ZONE, format_full, parse_moment};

/// The room all console commands act in.
pub const CONSOLE_ROOM: &str = "!console:localhost";

pub fn run(
    engine: &Engine,
    mut sender: String,
    input: impl BufRead,
    mut out: impl Write,
    clock: impl Fn() -> DateTime<Utc>,
    exports: &Path,
) -> anyhow::Result<()> {
    let mut set_time: Option<DateTime<Utc>> = None;
    let now = |set: &Option<DateTime<Utc>>| set.unwrap_or_else(&clock);
    // Anything written but not yet shown (a crash between commit and print).
    for item in engine.store().pending_outbox()? {
        if item.room == CONSOLE_ROOM {
            show(engine, &item, &mut out, exports, now(&set_time))?;
        }
    }
    for line in input.lines() {
        let line = line?;
        // The scheduler's turn: what fell due since the last line.
        for item in engine.tick(now(&set_time))? {
            show(engine, &item, &mut out, exports, now(&set_time))?;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("/tijd") {
            match new_time(rest.trim(), set_time, now(&set_time)) {
                Ok(at) => {
                    set_time = Some(at);
                    writeln!(out, "(het is nu {})\n", format_full(at))?;
                }
                Err(why) => writeln!(
                    out,
                    "⚠️ {why} Gebruik: /tijd 2026-11-21 18:00 of /tijd over 20 min\n"
                )?,
            }
            continue;
        }
        if let Some(rest) = trimmed
            .strip_prefix("/als")
            .or_else(|| trimmed.strip_prefix("/as"))
        {
            let (id, name) = rest.trim().split_once(' ').unwrap_or((rest.trim(), ""));
            match crate::catalogue::parse_user(id, &sender) {
                Some(user) if id.starts_with('@') => {
                    sender = user;
                    if !name.trim().is_empty() {
                        let mut members = engine.members(CONSOLE_ROOM);
                        members.join(&sender, Some(name.trim().to_string()));
                        engine.set_members(CONSOLE_ROOM, members);
                    }
                    writeln!(out, "(je bent nu {sender})\n")?;
                }
                _ => writeln!(out, "⚠️ Gebruik: /als @gebruiker:server [naam]\n")?,
            }
            continue;
        }
        let handled = engine.handle(&Incoming {
            room: CONSOLE_ROOM,
            sender: &sender,
            sender_is_moderator: false,
            body: trimmed,
            event_id: None,
            now: now(&set_time),
        })?;
        match handled {
            Handled::NotACommand => writeln!(
                out,
                "(geen commando; begin met {}, bijvoorbeeld {}help)\n",
                engine.core().prefix,
                engine.core().prefix
            )?,
            Handled::AlreadyHandled => {}
            Handled::Ignored => writeln!(out, "(genegeerd: te veel commando's achter elkaar)\n")?,
            Handled::Replies(items) => {
                for item in items {
                    show(engine, &item, &mut out, exports, now(&set_time))?;
                }
            }
        }
        out.flush()?;
    }
    Ok(())
}

/// `2026-11-21 18:00` (Amsterdam) or any moment `!actie` understands; never
/// back before a time set earlier, so the logboek stays in order.
fn new_time(
    input: &str,
    set: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, String> {
    let at = match NaiveDateTime::parse_from_str(input, "%Y-%m-%d %H:%M") {
        Ok(local) => local
            .and_local_timezone(ZONE)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("{input} bestaat niet in Amsterdamse tijd."))?,
        Err(_) => parse_moment(input, now).map_err(|e| e.to_string())?,
    };
    match set {
        Some(earlier) if at < earlier => Err("De tijd kan alleen vooruit.".into()),
        _ => Ok(at),
    }
}

/// Prints an effect and marks it done; an export becomes a file in `exports`.
fn show(
    engine: &Engine,
    item: &OutboxItem,
    out: &mut impl Write,
    exports: &Path,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    match &item.effect {
        Effect::Upload { incident, format } => match engine.export(*incident, *format, now)? {
            Some(file) => {
                std::fs::create_dir_all(exports)?;
                let path = exports.join(&file.name);
                std::fs::write(&path, &file.bytes)?;
                writeln!(out, "📎 {} ({} bytes)\n", path.display(), file.bytes.len())?;
            }
            None => writeln!(out, "⚠️ Incident {incident} bestaat niet meer.\n")?,
        },
        _ => writeln!(out, "{}\n", item.effect.plain())?,
    }
    engine.store().mark_sent(item.id)?;
    Ok(())
}
