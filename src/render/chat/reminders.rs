use chrono::Duration;

use super::{Chat, actions, plural, short};
use crate::model::desk::{PressQuestion, Rumour};
use crate::model::{Action, PublicUpdate};
use crate::reply::Reply;
use crate::timeexpr::{format_clock, format_duration, format_every};
use crate::view::{ApprovedLine, Planned, Reminder, ReminderSaid, StepStatus};

pub(super) fn render(chat: &Chat, said: &ReminderSaid) -> Reply {
    match said {
        ReminderSaid::UpdateRecorded { update, next } => update_recorded(chat, update, next),
        ReminderSaid::QuietUntil(until) => Reply::say(format!(
            "🔕 Herinneringen stil tot {}. Deadlines van eigenaren gaan door. Eerder aan: {}stil uit",
            chat.moment(*until),
            chat.prefix
        )),
        ReminderSaid::QuietOff => Reply::say("🔔 Herinneringen staan weer aan."),
        ReminderSaid::WasNotQuiet => Reply::say("Herinneringen stonden niet stil."),
        ReminderSaid::Planned {
            items,
            actions,
            quiet_until,
        } => planned(chat, items, actions, *quiet_until),
        ReminderSaid::Due {
            late_since,
            sections,
        } => due(chat, *late_since, sections),
    }
}

fn update_recorded(chat: &Chat, update: &PublicUpdate, next: &Option<(String, u32)>) -> Reply {
    let mut r = Reply::say(format!(
        "📣 Publieksupdate vastgelegd ({}).",
        format_clock(update.at)
    ));
    r.newline();
    next_update(chat, &mut r, update.at, next);
    r
}

/// When the next public update is due after one at `at`, by the phase's cadence.
pub(super) fn next_update(
    chat: &Chat,
    r: &mut Reply,
    at: chrono::DateTime<chrono::Utc>,
    next: &Option<(String, u32)>,
) {
    match next {
        Some((phase, every)) => {
            let every = Duration::minutes((*every).into());
            r.text(format!(
                "Volgende uiterlijk {} (fase {}: {}, {}).",
                chat.moment(at + every),
                chat.phase_name(phase),
                format_every(every),
                chat.book.cadence.label
            ))
        }
        None => r.text("In deze fase geldt geen vaste frequentie voor updates."),
    };
}

fn planned(
    chat: &Chat,
    items: &[(chrono::DateTime<chrono::Utc>, Planned)],
    actions: &[Action],
    quiet_until: Option<chrono::DateTime<chrono::Utc>>,
) -> Reply {
    let action = |nr: &u32| match actions.iter().find(|a| a.nr == *nr) {
        Some(a) => format!("{nr} ({}, {})", short(&a.text, 40), chat.name(&a.owner)),
        None => nr.to_string(),
    };
    let mut r = Reply::say("🗓️ Ingepland:");
    if items.is_empty() {
        r.item().text("niets");
    }
    for (at, item) in items {
        let when = if *at <= chat.now {
            "nu".to_string()
        } else {
            chat.moment(*at)
        };
        let what = match item {
            Planned::Warning { action: nr } => {
                format!("vooraankondiging deadline actie {}", action(nr))
            }
            Planned::Deadline { action: nr } => format!("deadline actie {}", action(nr)),
            Planned::OverdueDigest => "overzicht te late acties voor de voorzitter".into(),
            Planned::PublicUpdate => {
                format!("publieksupdate nodig ({})", chat.book.cadence.label)
            }
            Planned::ChecklistNudge => "open checklistpunten".into(),
            Planned::UnfilledRoles => "onbezette rollen".into(),
            Planned::PressWarning { question } => {
                format!("vooraankondiging deadline persvraag {question}")
            }
            Planned::PressDeadline { question } => format!("deadline persvraag {question}"),
            Planned::SitrapRefresh => "vastgezette sitrap bijwerken".into(),
        };
        r.item().text(format!("{when}: {what}"));
    }
    if let Some(quiet) = quiet_until {
        r.newline().text(format!(
            "🔕 Stil tot {} (deadlines van eigenaren gaan door).",
            chat.moment(quiet)
        ));
    }
    r
}

fn due(
    chat: &Chat,
    late_since: Option<chrono::DateTime<chrono::Utc>>,
    sections: &[Reminder],
) -> Reply {
    let mut r = Reply::new();
    if let Some(first) = late_since {
        r.text(format!(
            "🕰️ Vertraagd: de bot was niet bereikbaar (sinds {}).",
            format_clock(first)
        ));
    }
    for section in sections {
        if !r.is_empty() {
            r.newline();
        }
        reminder(chat, &mut r, section);
    }
    r
}

fn reminder(chat: &Chat, r: &mut Reply, section: &Reminder) {
    let p = chat.prefix;
    match section {
        Reminder::Warning(a) => {
            let deadline = a.deadline.unwrap_or(chat.now);
            r.text("⏰ ");
            chat.mention(r, &a.owner);
            r.text(format!(
                " actie {}: {} — deadline {} (over {}).",
                a.nr,
                a.text,
                chat.moment(deadline),
                format_duration(deadline - chat.now)
            ));
        }
        Reminder::Deadline(a) => {
            r.text("⏰ ");
            chat.mention(r, &a.owner);
            r.text(format!(
                " deadline van actie {}: {} ({}). Klaar? {p}actie {} klaar",
                a.nr,
                a.text,
                format_clock(a.deadline.unwrap_or(chat.now)),
                a.nr
            ));
        }
        Reminder::Overdue {
            chair,
            actions: overdue,
            press,
        } => overdue_digest(chat, r, chair.as_deref(), overdue, press),
        Reminder::UpdateDue {
            chair,
            adviser,
            last,
            opened_at,
            approved,
        } => update_due(chat, r, chair, adviser, last, *opened_at, approved),
        Reminder::ChecklistNudge {
            phase,
            steps,
            rumours,
            watchers,
        } => {
            let open_items = steps.iter().any(|s| !s.open.is_empty());
            if open_items {
                checklist_nudge(chat, r, phase, steps);
            }
            if !rumours.is_empty() {
                if open_items {
                    r.newline();
                }
                open_rumours(chat, r, rumours, watchers);
            }
        }
        Reminder::PressWarning(q) => press_reminder(chat, r, q, false),
        Reminder::PressDeadline(q) => press_reminder(chat, r, q, true),
        Reminder::UnfilledRoles(missing) => {
            r.text(format!(
                "👥 Nog onbezet: {}. Verdeel met {p}rol <rol> <wie> of neem er een met {p}rol <rol> mij.",
                chat.role_names(missing)
            ));
        }
    }
}

fn overdue_digest(
    chat: &Chat,
    r: &mut Reply,
    chair: Option<&str>,
    overdue: &[Action],
    press: &[PressQuestion],
) {
    r.text("⚠️ Te laat (");
    holder_or_vacancy(chat, r, chair, crate::draaiboek::CHAIR);
    r.text(format!("): {}", late_count(overdue.len(), press.len())));
    for a in overdue {
        r.item();
        actions::line(chat, r, a);
    }
    for q in press {
        r.item();
        press_line(chat, r, q);
    }
}

/// The owner of a press question, before or at its deadline.
fn press_reminder(chat: &Chat, r: &mut Reply, q: &PressQuestion, at_deadline: bool) {
    let deadline = q.deadline.unwrap_or(chat.now);
    let question = short(&q.question, 80);
    r.text("⏰ ");
    chat.mention(r, &q.owner);
    if at_deadline {
        r.text(format!(
            " deadline van persvraag {} van {}: “{question}” ({}). Beantwoord? {}persvraag {} beantwoord <samenvatting>",
            q.nr,
            q.medium,
            format_clock(deadline),
            chat.prefix,
            q.nr
        ));
    } else {
        r.text(format!(
            " persvraag {} van {}: “{question}” — deadline {} (over {}).",
            q.nr,
            q.medium,
            chat.moment(deadline),
            format_duration(deadline - chat.now)
        ));
    }
}

/// "2 acties en 1 persvraag".
fn late_count(actions: usize, press: usize) -> String {
    let mut parts = Vec::new();
    if actions > 0 || press == 0 {
        parts.push(format!("{actions} {}", plural(actions, "actie", "acties")));
    }
    if press > 0 {
        parts.push(format!(
            "{press} {}",
            plural(press, "persvraag", "persvragen")
        ));
    }
    parts.join(" en ")
}

fn press_line(chat: &Chat, r: &mut Reply, q: &PressQuestion) {
    r.text(format!(
        "📰 Persvraag {} ({}): {} — {}",
        q.nr,
        q.medium,
        short(&q.question, 50),
        chat.name(&q.owner)
    ));
    if let Some(d) = q.deadline {
        r.text(format!(", deadline {}", chat.when(d)));
    }
}

fn checklist_nudge(chat: &Chat, r: &mut Reply, phase: &str, steps: &[StepStatus]) {
    r.text(format!("☑️ Nog open in fase {}:", chat.phase_name(phase)));
    for step in steps.iter().filter(|s| !s.open.is_empty()) {
        r.item().text(format!(
            "{}: {}",
            chat.list_name(&step.list),
            step.open.join(" ")
        ));
    }
    r.newline()
        .text(format!("Details: {}checklist <stap>", chat.prefix));
}

/// How many open rumours the nudge names; the rest is on `!geruchten`.
const NUDGE_RUMOURS: usize = 3;

fn open_rumours(chat: &Chat, r: &mut Reply, rumours: &[Rumour], watchers: &[String]) {
    let n = rumours.len();
    r.text(format!("🗣️ {n} open {}", plural(n, "gerucht", "geruchten")));
    if !watchers.is_empty() {
        r.text(" (");
        chat.mention_all(r, watchers);
        r.text(")");
    }
    r.text(":");
    for rumour in rumours.iter().take(NUDGE_RUMOURS) {
        r.item().text(format!(
            "{}. {} ({})",
            rumour.nr,
            short(&rumour.text, 60),
            rumour.verdict.word()
        ));
    }
    r.newline().text(format!(
        "Alle: {p}geruchten · beantwoord: {p}gerucht <nr> weerlegd <tekst>",
        p = chat.prefix
    ));
}

fn update_due(
    chat: &Chat,
    r: &mut Reply,
    chair: &Option<String>,
    adviser: &Option<String>,
    last: &Option<PublicUpdate>,
    opened_at: chrono::DateTime<chrono::Utc>,
    approved: &[ApprovedLine],
) {
    r.text("📣 Publieksupdate nodig (");
    holder_or_vacancy(chat, r, chair.as_deref(), crate::draaiboek::CHAIR);
    r.text(", ");
    holder_or_vacancy(chat, r, adviser.as_deref(), crate::draaiboek::COMMS_ADVISER);
    r.text("). ");
    match last {
        Some(u) => r.text(format!(
            "Laatste update {}: “{}”.",
            chat.moment(u.at),
            u.text
        )),
        None => r.text(format!(
            "Nog geen update sinds het incident {} begon.",
            chat.moment(opened_at)
        )),
    };
    if approved.is_empty() {
        r.newline().text("Nog geen goedgekeurde oneliners.");
    } else {
        r.newline().text("Goedgekeurde oneliners:");
        for line in approved {
            r.newline().text(format!("{}. ", line.nr)).quote(&line.text);
        }
    }
    r.newline()
        .text(format!("Verstuurd? {}update <tekst>", chat.prefix));
}

fn holder_or_vacancy(chat: &Chat, r: &mut Reply, holder: Option<&str>, role: &str) {
    match holder {
        Some(user) => chat.mention(r, user),
        None => {
            r.text(format!("{} onbezet", chat.role_name(role)));
        }
    }
}
