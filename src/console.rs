//! Console mode: the engine driven from stdin, one command per line, replies
//! to stdout. `/als @user:server` switches the sender.

use std::io::{BufRead, Write};

use chrono::{DateTime, Utc};

use crate::engine::{Engine, Handled, Incoming};

/// The room all console commands act in.
pub const CONSOLE_ROOM: &str = "!console:localhost";

pub fn run(
    engine: &Engine,
    mut sender: String,
    input: impl BufRead,
    mut out: impl Write,
    clock: impl Fn() -> DateTime<Utc>,
) -> anyhow::Result<()> {
    // Anything written but not yet shown (a crash between commit and print).
    for item in engine.store().pending_outbox()? {
        if item.room == CONSOLE_ROOM {
            writeln!(out, "{}\n", item.effect.plain())?;
            engine.store().mark_sent(item.id)?;
        }
    }
    for line in input.lines() {
        let line = line?;
        // The scheduler's turn: what fell due since the last line.
        for item in engine.tick(clock())? {
            writeln!(out, "{}\n", item.effect.plain())?;
            engine.store().mark_sent(item.id)?;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
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
            now: clock(),
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
                    writeln!(out, "{}\n", item.effect.plain())?;
                    engine.store().mark_sent(item.id)?;
                }
            }
        }
        out.flush()?;
    }
    Ok(())
}
