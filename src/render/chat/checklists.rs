use super::Chat;
use crate::reply::Reply;
use crate::view::{ChecklistSaid, ItemStatus, StepStatus};

/// How many open items a checklist shows before `!meer`.
const NEXT_ITEMS: usize = 5;

pub(super) fn render(chat: &Chat, said: &ChecklistSaid) -> Reply {
    match said {
        ChecklistSaid::Step { list, items } => step(chat, list, items),
        ChecklistSaid::ForPhase { phase, steps } => {
            let mut r = Reply::new();
            r.text("☑️ Checklist fase ").bold(chat.phase_name(phase));
            now(chat, &mut r, steps, NEXT_ITEMS);
            r.newline().text(format!(
                "Afvinken: {p}checklist afvinken <punt> · hele stap: {p}checklist <stap>",
                p = chat.prefix
            ));
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

/// The next open items of one step, then the ticked ones on `!meer`.
fn step(chat: &Chat, list: &str, items: &[ItemStatus]) -> Reply {
    let open: Vec<&ItemStatus> = items.iter().filter(|i| i.ticked.is_none()).collect();
    let mut r = Reply::new();
    r.text("☑️ ").bold(chat.list_name(list)).text(format!(
        " — {} open van {}",
        open.len(),
        items.len()
    ));
    for (i, status) in open.iter().enumerate() {
        if i == NEXT_ITEMS {
            r.fold();
        }
        r.newline().text(format!(
            "⬜ {} {}",
            status.item,
            chat.item_text(&status.item)
        ));
    }
    if open.len() <= NEXT_ITEMS {
        r.newline().text(format!(
            "Afvinken: {}checklist afvinken <punt>",
            chat.prefix
        ));
    }
    r.fold();
    for status in items {
        if let Some(stamp) = &status.ticked {
            r.newline().text(format!(
                "✅ {} {} ({}, {})",
                status.item,
                chat.item_text(&status.item),
                chat.name(&stamp.by),
                chat.moment(stamp.at)
            ));
        }
    }
    r
}

/// What to do now: the first step with open items and its next `n` items,
/// and the other steps as counts on one line.
pub(super) fn now(chat: &Chat, r: &mut Reply, steps: &[StepStatus], n: usize) {
    let Some(current) = steps.iter().find(|s| !s.open.is_empty()) else {
        r.newline()
            .text("☑️ Alle punten van deze fase zijn afgevinkt.");
        return;
    };
    r.newline()
        .bold(chat.list_name(&current.list))
        .text(format!(
            " — {} open van {}",
            current.open.len(),
            current.total
        ));
    for item in current.open.iter().take(n) {
        r.newline()
            .text(format!("⬜ {item} {}", chat.item_text(item)));
    }
    let others: Vec<String> = steps
        .iter()
        .filter(|s| s.list != current.list && !s.open.is_empty())
        .map(|s| format!("{} {} open", chat.list_name(&s.list), s.open.len()))
        .collect();
    if !others.is_empty() {
        r.newline().text(format!("Daarna: {}", others.join(" · ")));
    }
}
