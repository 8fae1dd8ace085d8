use super::{Chat, checklists};
use crate::reply::Reply;
use crate::timeexpr::format_every;
use crate::view::{PhaseSaid, StepStatus};

/// How many open items of the current step the phase message names.
const PHASE_ITEMS: usize = 2;

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
            scale,
        } => set(chat, phase, checklist, missing_roles, scale.as_deref()),
    }
}

/// "rust|dreiging|…" from the loaded draaiboek.
fn phase_words(chat: &Chat) -> String {
    let words: Vec<&str> = chat.book.phases.iter().map(|p| p.id.as_str()).collect();
    words.join("|")
}

fn set(
    chat: &Chat,
    id: &str,
    checklist: &[StepStatus],
    missing_roles: &[String],
    scale: Option<&str>,
) -> Reply {
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
    if let Some(level) = scale {
        r.text(format!(" · opschaling: {}", chat.level_name(level)));
    }
    r.newline().text(&phase.meaning);
    if let Some(minutes) = phase.update_every_minutes {
        r.newline().text(format!(
            "📣 Publieksupdate {} ({}).",
            format_every(chrono::Duration::minutes(minutes.into())),
            chat.book.cadence.label
        ));
    }
    if !missing_roles.is_empty() {
        r.newline().text(format!(
            "👥 Nog onbezet: {}. Verdeel met {}rol <rol> <wie>.",
            chat.role_names(missing_roles),
            chat.prefix
        ));
    }
    checklists::again(chat, &mut r, checklist, false);
    checklists::now(chat, &mut r, checklist, PHASE_ITEMS);
    r
}
