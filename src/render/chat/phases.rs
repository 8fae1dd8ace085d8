use super::{Chat, checklists};
use crate::reply::Reply;
use crate::timeexpr::format_every;
use crate::view::{PhaseSaid, StepStatus};

pub(super) fn render(chat: &Chat, said: &PhaseSaid) -> Reply {
    match said {
        PhaseSaid::Shown {
            phase,
            since,
            history,
        } => {
            let mut r = Reply::new();
            r.text("Fase: ")
                .bold(chat.phase_name(phase))
                .text(format!(" sinds {}", chat.moment(*since)));
            if let Some(phase) = chat.book.phase(phase) {
                r.newline().text(&phase.meaning);
            }
            r.newline().text(format!(
                "Wijzigen (voorzitter): {}fase <{}>",
                chat.prefix,
                phase_words(chat)
            ));
            if history.len() > 1 {
                r.fold().newline().text("Verloop:");
                for change in history {
                    r.item().text(format!(
                        "{} {} ({})",
                        chat.moment(change.at),
                        chat.phase_name(&change.phase),
                        chat.name(&change.by)
                    ));
                }
            }
            r
        }
        PhaseSaid::Unchanged { phase, since } => Reply::say(format!(
            "De fase is al {} (sinds {}).",
            chat.phase_name(phase),
            chat.moment(*since)
        )),
        PhaseSaid::Set {
            phase,
            checklist,
            missing_roles,
        } => set(chat, phase, checklist, missing_roles),
    }
}

/// "rust|dreiging|…" from the loaded draaiboek.
fn phase_words(chat: &Chat) -> String {
    let words: Vec<&str> = chat.book.phases.iter().map(|p| p.id.as_str()).collect();
    words.join("|")
}

fn set(chat: &Chat, id: &str, checklist: &[StepStatus], missing_roles: &[String]) -> Reply {
    let mut r = Reply::new();
    let Some(phase) = chat.book.phase(id) else {
        r.text(format!("📢 Nieuwe fase: {id}"));
        return r;
    };
    r.text(format!(
        "📢 Nieuwe fase ({}/{}): ",
        phase.number,
        chat.book.phases.len()
    ))
    .bold(&phase.name);
    r.newline().text(&phase.meaning);
    if let Some(minutes) = phase.update_every_minutes {
        r.newline().text(format!(
            "📣 Publieksupdate {} ({}).",
            format_every(chrono::Duration::minutes(minutes.into())),
            chat.book.cadence.label
        ));
    }
    checklists::now(chat, &mut r, checklist, 3);
    if !missing_roles.is_empty() {
        r.newline().text(format!(
            "👥 Nog onbezet: {}. Verdeel met {}rol <rol> <wie>.",
            chat.role_names(missing_roles),
            chat.prefix
        ));
    }
    r
}
