use super::{Chat, actions};
use crate::reply::Reply;
use crate::view::{LogSaid, Sitrap};

/// How many open actions the sitrap lists.
const SITRAP_ACTIONS: usize = 5;

pub(super) fn render(chat: &Chat, said: &LogSaid) -> Reply {
    match said {
        LogSaid::Noted { at } => Reply::say(format!(
            "📝 In het logboek ({}).",
            crate::timeexpr::format_clock(*at)
        )),
        LogSaid::Decided { nr, text } => {
            let mut r = Reply::new();
            r.text(format!("⚖️ Besluit {nr} vastgelegd: ")).bold(text);
            r
        }
        LogSaid::Logbook { entries, total } => {
            let mut r = Reply::new();
            r.text(format!(
                "📖 Logboek: laatste {} van {total} regels",
                entries.len()
            ));
            for e in entries {
                r.newline().text(format!(
                    "{} {} [{}] {}",
                    chat.when(e.at),
                    chat.name(&e.actor),
                    e.kind.label(),
                    e.text
                ));
            }
            r
        }
        LogSaid::Decisions(decisions) => {
            let mut r = Reply::new();
            if decisions.is_empty() {
                r.text(format!(
                    "Nog geen besluiten. Leg er een vast met {}besluit <tekst>.",
                    chat.prefix
                ));
                return r;
            }
            r.text(format!("⚖️ Besluiten ({}):", decisions.len()));
            for (i, d) in decisions.iter().enumerate() {
                r.newline().text(format!(
                    "{}. {} — {} ({})",
                    i + 1,
                    d.text,
                    chat.name(&d.by),
                    chat.when(d.at)
                ));
            }
            r
        }
        LogSaid::Sitrap(sitrap) => sitrap_reply(chat, sitrap),
    }
}

fn sitrap_reply(chat: &Chat, s: &Sitrap) -> Reply {
    let h = &s.header;
    let mut r = Reply::new();
    r.text("🧭 ").bold(&h.title);
    let scenario = h
        .scenario
        .as_deref()
        .and_then(|id| chat.book.scenario(id))
        .map_or("scenario nog niet gekozen", |s| s.name.as_str());
    r.newline().text(format!("Scenario: {scenario}"));
    r.newline()
        .text("Fase: ")
        .bold(chat.phase_name(&h.phase))
        .text(format!(" sinds {}", chat.when(h.phase_since)));

    r.newline().bold("Rollen:");
    for status in &s.roles {
        let Some(role) = chat.book.role(&status.role) else {
            continue;
        };
        match &status.holder {
            Some(holder) => r.text(format!(" {} {};", role.name, chat.name(holder))),
            None if role.key => r.text(format!(" {} ⚠️ onbezet;", role.name)),
            None => &mut r,
        };
    }

    r.newline().bold(format!(
        "Acties: {} open, {} te laat",
        s.open_actions.len(),
        s.overdue
    ));
    for a in s.open_actions.iter().take(SITRAP_ACTIONS) {
        r.newline();
        actions::line(chat, &mut r, a);
    }
    if s.open_actions.len() > SITRAP_ACTIONS {
        r.newline()
            .text(format!("… {}acties voor de rest", chat.prefix));
    }

    r.newline()
        .bold(format!("Oneliners: {} goedgekeurd", s.approved.len()));
    for line in &s.approved {
        r.newline().text(format!("{}. ", line.nr)).quote(&line.text);
    }
    for step in s.steps.iter().filter(|s| !s.open.is_empty()) {
        r.newline().text(format!(
            "☑️ {}: {} open ({})",
            chat.list_name(&step.list),
            step.open.len(),
            step.open.join(" ")
        ));
    }
    if let Some(at) = s.closed {
        r.newline()
            .bold(format!("🔒 Gesloten {}", chat.when(at)))
            .text(" — dit is de eindstand.");
    }
    r
}
