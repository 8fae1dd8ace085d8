use super::{Chat, short};
use crate::model::{Decision, GivenAdvice};
use crate::reply::Reply;
use crate::view::{DeskCount, LogSaid, Sitrap};

/// How many of the most urgent actions the sitrap names.
const SITRAP_ACTIONS: usize = 3;
/// How many of the latest decisions and advices `!besluiten` shows first.
const LATEST: usize = 4;

pub(super) fn render(chat: &Chat, said: &LogSaid) -> Reply {
    match said {
        LogSaid::Noted { at } => Reply::say(format!(
            "📝 In het logboek ({}).",
            crate::timeexpr::format_clock(*at)
        )),
        LogSaid::Decided {
            nr,
            text,
            decided_by,
        } => {
            let mut r = Reply::new();
            r.text(format!("⚖️ Besluit {nr} vastgelegd: ")).bold(text);
            if let Some(who) = decided_by {
                r.newline()
                    .text(format!("Besloten door: {}", decider_name(chat, who)));
            }
            r
        }
        LogSaid::Advised { nr, text } => {
            let mut r = Reply::new();
            r.text(format!("💡 Advies {nr} aan de driehoek vastgelegd: "))
                .bold(text);
            r.newline().text(format!(
                "Dit is een advies; de driehoek beslist. Besluit genomen? {}besluit <tekst> door driehoek",
                chat.prefix
            ));
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
        LogSaid::Decisions { decisions, advices } => decision_list(chat, decisions, advices),
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
    if let Some(level) = &s.scale {
        r.text(format!(" · {}", chat.level_name(level)));
    }
    roles_line(chat, &mut r, s);
    actions_line(chat, &mut r, s);
    r.newline().text(format!(
        "💬 Oneliners: {} goedgekeurd, {} wacht op goedkeuring",
        s.approved.len(),
        s.pending
    ));
    desk_line(chat, &mut r, &s.desk);
    checklist_line(chat, &mut r, s);
    r
}

/// The first step with open items; what the phase brings back, counted.
fn checklist_line(chat: &Chat, r: &mut Reply, s: &Sitrap) {
    match (s.steps.iter()).find(|step| !step.revisit && !step.open.is_empty()) {
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
    let again: usize = (s.steps.iter())
        .filter(|step| step.revisit)
        .map(|step| step.open.len())
        .sum();
    if again > 0 {
        r.text(format!(" · 🔁 {again} opnieuw bekijken"));
    }
    if let Some(at) = s.closed {
        r.newline()
            .bold(format!("🔒 Gesloten {}", chat.when(at)))
            .text(" — dit is de eindstand.");
    }
}

/// Decisions and advices in separate sections, the latest of each first;
/// earlier ones on `!meer`.
fn decision_list(chat: &Chat, decisions: &[Decision], advices: &[GivenAdvice]) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    if decisions.is_empty() && advices.is_empty() {
        r.text(format!(
            "Nog geen besluiten of adviezen. Vastleggen: {p}besluit <tekst> [door burgemeester|driehoek|<rol>] · {p}advies <tekst>"
        ));
        return r;
    }
    let decided: Vec<String> = (decisions.iter().enumerate())
        .map(|(i, d)| decision_line(chat, i + 1, d))
        .collect();
    let advised: Vec<String> = (advices.iter().enumerate())
        .map(|(i, a)| {
            let from = if a.diagnosis_advice.is_some() {
                "🩺 "
            } else {
                ""
            };
            let by = format!("{} ({})", chat.name(&a.by), chat.when(a.at));
            format!("{}. {from}{} — {by}", i + 1, a.text)
        })
        .collect();
    section(
        &mut r,
        &format!("⚖️ Besluiten ({})", decided.len()),
        &decided,
    );
    r.newline();
    let title = format!(
        "💡 Adviezen aan de burgemeester/driehoek ({})",
        advised.len()
    );
    section(&mut r, &title, &advised);
    earlier(&mut r, "Eerdere besluiten:", &decided);
    earlier(&mut r, "Eerdere adviezen:", &advised);
    r
}

/// The lines `section` left out, after the first screen.
fn earlier(r: &mut Reply, title: &str, lines: &[String]) {
    let skipped = lines.len().saturating_sub(LATEST);
    if skipped > 0 {
        r.fold().newline().text(title);
        for line in &lines[..skipped] {
            r.newline().text(line);
        }
    }
}

/// A heading and the latest `LATEST` lines.
fn section(r: &mut Reply, title: &str, lines: &[String]) {
    r.text(format!("{title}:"));
    if lines.is_empty() {
        r.text(" nog geen");
    }
    let skip = lines.len().saturating_sub(LATEST);
    if skip > 0 {
        r.text(format!(" de laatste {LATEST}"));
    }
    for line in &lines[skip..] {
        r.newline().text(line);
    }
}

/// "3. Tekst — Burgemeester (vastgelegd door Els, 14:05)".
fn decision_line(chat: &Chat, nr: usize, d: &Decision) -> String {
    let when = chat.when(d.at);
    match &d.decided_by {
        Some(who) => format!(
            "{nr}. {} — {} (vastgelegd door {}, {when})",
            d.text,
            decider_name(chat, who),
            chat.name(&d.by)
        ),
        None => format!("{nr}. {} — {} ({when})", d.text, chat.name(&d.by)),
    }
}

/// A role by its name; the driehoek and the kernteam as such.
fn decider_name(chat: &Chat, who: &str) -> String {
    match who {
        "driehoek" => "Lokale driehoek".to_string(),
        "kernteam" => "Kernteam".to_string(),
        role => chat.role_name(role),
    }
}

/// "📰 Pers: 2 open (1 te laat) · teksten: 1 wacht · geruchten: 1 open",
/// once the desk has something open.
fn desk_line(chat: &Chat, r: &mut Reply, d: &DeskCount) {
    if d.press_open + d.texts_waiting + d.rumours_open == 0 {
        return;
    }
    let late = match d.press_late {
        0 => String::new(),
        n => format!(" ({n} te laat)"),
    };
    r.newline().text(format!(
        "📰 Pers: {} open{late} · teksten: {} wacht · geruchten: {} open ({}persvragen)",
        d.press_open, d.texts_waiting, d.rumours_open, chat.prefix
    ));
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
