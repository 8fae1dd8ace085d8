use super::Chat;
use crate::reply::Reply;
use crate::view::{ChecklistSaid, ItemStatus, StepStatus};

/// How many open items of one step fit a phone screen in an overview.
const ITEMS_PER_STEP: usize = 5;

pub(super) fn render(chat: &Chat, said: &ChecklistSaid) -> Reply {
    match said {
        ChecklistSaid::Step { list, items } => step(chat, list, items),
        ChecklistSaid::ForPhase { phase, steps: s } => {
            let mut r = Reply::new();
            r.text("Checklist voor fase ").bold(chat.phase_name(phase));
            steps(chat, &mut r, s);
            r
        }
        ChecklistSaid::Ticked {
            list,
            item,
            remaining,
        } => Reply::say(format!(
            "✅ {item} afgevinkt: {}. Nog {remaining} open in {}.",
            chat.item_text(item),
            chat.list_name(list)
        )),
        ChecklistSaid::AlreadyTicked { item, by } => Reply::say(format!(
            "{item} was al afgevinkt door {} ({}).",
            chat.name(&by.by),
            chat.moment(by.at)
        )),
    }
}

fn step(chat: &Chat, list: &str, items: &[ItemStatus]) -> Reply {
    let done = items.iter().filter(|i| i.ticked.is_some()).count();
    let mut r = Reply::new();
    r.text("☑️ ")
        .bold(chat.list_name(list))
        .text(format!(" ({done}/{} afgevinkt)", items.len()));
    for status in items {
        let text = chat.item_text(&status.item);
        match &status.ticked {
            Some(stamp) => r.newline().text(format!(
                "✅ {} {text} ({}, {})",
                status.item,
                chat.name(&stamp.by),
                chat.moment(stamp.at)
            )),
            None => r.newline().text(format!("⬜ {} {text}", status.item)),
        };
    }
    r.newline().text(format!(
        "Afvinken: {}checklist afvinken <punt>",
        chat.prefix
    ));
    r
}

/// The open items of the steps that matter in a phase, compact.
pub(super) fn steps(chat: &Chat, r: &mut Reply, steps: &[StepStatus]) {
    for step in steps {
        r.newline().bold(chat.list_name(&step.list)).text(format!(
            " ({} open van {})",
            step.open.len(),
            step.total
        ));
        for item in step.open.iter().take(ITEMS_PER_STEP) {
            r.newline()
                .text(format!("⬜ {item} {}", chat.item_text(item)));
        }
        if step.open.len() > ITEMS_PER_STEP {
            r.newline().text(format!(
                "… en {} meer: {}checklist {}",
                step.open.len() - ITEMS_PER_STEP,
                chat.prefix,
                step.list
            ));
        }
    }
}
