use chrono::Duration;

use super::{Chat, actions, plural, short};
use crate::model::{Action, PublicUpdate};
use crate::reply::Reply;
use crate::timeexpr::{format_clock, format_duration, format_every};
use crate::view::{ApprovedLine, Planned, Reminder, ReminderSaid};

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
    match next {
        Some((phase, every)) => {
            let every = Duration::minutes((*every).into());
            r.newline().text(format!(
                "Volgende uiterlijk {} (fase {}: {}, {}).",
                chat.moment(update.at + every),
                chat.phase_name(phase),
                format_every(every),
                chat.book.cadence.label
            ))
        }
        None => r
            .newline()
            .text("In deze fase geldt geen vaste frequentie voor updates."),
    };
    r
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
            Planned::PublicUpdate => "publieksupdate nodig".into(),
            Planned::ChecklistNudge => "open checklistpunten".into(),
            Planned::UnfilledRoles => "onbezette rollen".into(),
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
        } => {
            r.text("⚠️ Te laat (");
            holder_or_vacancy(chat, r, chair.as_deref(), crate::draaiboek::CHAIR);
            let n = overdue.len();
            r.text(format!("): {n} {}", plural(n, "actie", "acties")));
            for a in overdue {
                r.item();
                actions::line(chat, r, a);
            }
        }
        Reminder::UpdateDue {
            chair,
            adviser,
            last,
            opened_at,
            approved,
        } => update_due(chat, r, chair, adviser, last, *opened_at, approved),
        Reminder::ChecklistNudge { phase, steps } => {
            r.text(format!("☑️ Nog open in fase {}:", chat.phase_name(phase)));
            for step in steps.iter().filter(|s| !s.open.is_empty()) {
                r.item().text(format!(
                    "{}: {}",
                    chat.list_name(&step.list),
                    step.open.join(" ")
                ));
            }
            r.newline().text(format!("Details: {p}checklist <stap>"));
        }
        Reminder::UnfilledRoles(missing) => {
            r.text(format!(
                "👥 Nog onbezet: {}. Verdeel met {p}rol <rol> <wie> of neem er een met {p}rol <rol> mij.",
                chat.role_names(missing)
            ));
        }
    }
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
