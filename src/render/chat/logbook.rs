use super::{Chat, short};
use crate::reply::Reply;
use crate::view::{LogSaid, Sitrap};

/// How many of the most urgent actions the sitrap names.
const SITRAP_ACTIONS: usize = 3;

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

/// One line each: phase, roles, actions, oneliners, checklist.
fn sitrap_reply(chat: &Chat, s: &Sitrap) -> Reply {
    let h = &s.header;
    let mut r = Reply::new();
    r.text("🧭 ").bold(&h.title);
    if let Some(scenario) = h.scenario.as_deref().and_then(|id| chat.book.scenario(id)) {
        r.text(format!(" ({})", scenario.name));
    }
    r.text(format!(
        " — fase {} sinds {}",
        chat.phase_name(&h.phase),
        chat.when(h.phase_since)
    ));
    roles_line(chat, &mut r, s);
    actions_line(chat, &mut r, s);
    r.newline().text(format!(
        "💬 Oneliners: {} goedgekeurd, {} wacht op goedkeuring",
        s.approved.len(),
        s.pending
    ));
    match s.steps.iter().find(|step| !step.open.is_empty()) {
        Some(step) => r.newline().text(format!(
            "☑️ {} — {} open van {} ({}checklist)",
            chat.list_name(&step.list),
            step.open.len(),
            step.total,
            chat.prefix
        )),
        None => r
            .newline()
            .text("☑️ Checklist van deze fase: alles afgevinkt"),
    };
    if let Some(at) = s.closed {
        r.newline()
            .bold(format!("🔒 Gesloten {}", chat.when(at)))
            .text(" — dit is de eindstand.");
    }
    r
}

fn roles_line(chat: &Chat, r: &mut Reply, s: &Sitrap) {
    let filled = s
        .roles
        .iter()
        .filter(|status| status.holder.is_some())
        .count();
    let missing: Vec<String> = s
        .roles
        .iter()
        .filter(|status| status.holder.is_none())
        .filter(|status| chat.book.role(&status.role).is_some_and(|role| role.key))
        .map(|status| status.role.clone())
        .collect();
    r.newline().text(format!("👥 Rollen: {filled} bezet"));
    if missing.is_empty() {
        r.text("; alle sleutelrollen bezet");
    } else {
        r.text(format!("; ⚠️ onbezet: {}", chat.role_names(&missing)));
    }
}

fn actions_line(chat: &Chat, r: &mut Reply, s: &Sitrap) {
    let open = s.open_actions.len();
    r.newline()
        .text(format!("🎯 Acties: {open} open, {} te laat", s.overdue));
    let urgent: Vec<String> = s
        .open_actions
        .iter()
        .take(SITRAP_ACTIONS)
        .map(|a| {
            let when = a
                .deadline
                .map(|d| format!(", {}", chat.when(d)))
                .unwrap_or_default();
            let late = if a.deadline.is_some_and(|d| d <= chat.now) {
                " ⚠️"
            } else {
                ""
            };
            format!(
                "{}. {} ({}{when}){late}",
                a.nr,
                short(&a.text, 40),
                chat.name(&a.owner)
            )
        })
        .collect();
    if !urgent.is_empty() {
        r.text(format!(" — {}", urgent.join("; ")));
    }
}
