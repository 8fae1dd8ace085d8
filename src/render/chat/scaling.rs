//! Opschaling (§2.3): the level recorded, what it means, and under GRIP that
//! the crisis organisation takes over the kernteam's tasks (§2.3.2).

use super::Chat;
use crate::model::ScaleChange;
use crate::reply::Reply;
use crate::view::ScalingSaid;

pub(super) fn render(chat: &Chat, said: &ScalingSaid) -> Reply {
    match said {
        ScalingSaid::Set {
            level,
            previous,
            grip_reached,
        } => set(chat, level, previous.as_deref(), *grip_reached),
        ScalingSaid::Unchanged { level, since } => Reply::say(format!(
            "De opschaling is al {} (sinds {}).",
            chat.level_name(level),
            chat.moment(*since)
        )),
        ScalingSaid::Shown(history) => shown(chat, history),
    }
}

fn set(chat: &Chat, level: &str, previous: Option<&str>, grip_reached: bool) -> Reply {
    let mut r = Reply::new();
    r.text("📈 Opschaling vastgelegd: ")
        .bold(chat.level_name(level));
    if let Some(previous) = previous {
        r.text(format!(" (was {})", chat.level_name(previous)));
    }
    let scaling = &chat.book.scaling;
    if grip_reached && !scaling.under_grip.is_empty() {
        r.newline().text(format!("⚠️ {}", scaling.under_grip));
    }
    if let Some(l) = chat.book.scale_level(level) {
        r.newline().text(&l.meaning);
    }
    if !scaling.request.is_empty() {
        if grip_reached {
            r.fold();
        }
        r.newline().text(&scaling.request);
    }
    r
}

fn shown(chat: &Chat, history: &[ScaleChange]) -> Reply {
    let p = chat.prefix;
    let words: Vec<&str> = (chat.book.scale_levels.iter())
        .map(|l| l.id.as_str())
        .collect();
    let mut r = Reply::new();
    match history.last() {
        Some(now) => {
            r.text("📈 Opschaling: ")
                .bold(chat.level_name(&now.level))
                .text(format!(
                    " sinds {} ({})",
                    chat.moment(now.at),
                    chat.name(&now.by)
                ));
            if let Some(l) = chat.book.scale_level(&now.level) {
                r.newline().text(&l.meaning);
            }
        }
        None => {
            r.text("📈 Nog geen opschaling vastgelegd.");
        }
    }
    r.newline().text(format!(
        "Vastleggen (voorzitter): {p}opschaling <{}>",
        words.join("|")
    ));
    if history.len() > 1 {
        r.fold().newline().text("Verloop:");
        for change in history {
            r.item().text(format!(
                "{} {} ({})",
                chat.moment(change.at),
                chat.level_name(&change.level),
                chat.name(&change.by)
            ));
        }
    }
    r
}
