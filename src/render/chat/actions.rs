use super::Chat;
use crate::model::{Action, ActionStatus};
use crate::reply::Reply;
use crate::view::{ActionFilter, ActionSaid};

pub(super) fn render(chat: &Chat, said: &ActionSaid) -> Reply {
    match said {
        ActionSaid::Created(a) => created(chat, a),
        ActionSaid::Finished(a) => {
            let (icon, word) = match a.status {
                ActionStatus::Done(_) => ("✅", "klaar"),
                _ => ("🗑️", "vervallen"),
            };
            Reply::say(format!("{icon} Actie {} {word}: {}", a.nr, a.text))
        }
        ActionSaid::DeadlineSet(a) => {
            let mut r = Reply::new();
            let when = a.deadline.map(|d| chat.moment(d)).unwrap_or_default();
            r.text(format!("⏰ Actie {}: deadline {when} (eigenaar ", a.nr));
            chat.mention(&mut r, &a.owner);
            r.text(")");
            r
        }
        ActionSaid::Reassigned { action, .. } => {
            let mut r = Reply::new();
            r.text(format!(
                "🎯 Actie {} ({}) is nu van ",
                action.nr, action.text
            ));
            chat.mention(&mut r, &action.owner);
            r.text(".");
            r
        }
        ActionSaid::List { filter, actions } => list(chat, *filter, actions),
    }
}

fn created(chat: &Chat, a: &Action) -> Reply {
    let mut r = Reply::new();
    r.text(format!("🎯 Actie {}: ", a.nr)).bold(&a.text);
    r.newline().text("Eigenaar: ");
    chat.mention(&mut r, &a.owner);
    match a.deadline {
        Some(d) => r.newline().text(format!("Deadline: {}", chat.moment(d))),
        None => r.newline().text(format!(
            "Geen deadline. Zet er een met {}actie {} deadline <tijd>.",
            chat.prefix, a.nr
        )),
    };
    r
}

fn list(chat: &Chat, filter: ActionFilter, actions: &[Action]) -> Reply {
    let title = match filter {
        ActionFilter::Open => "Open acties",
        ActionFilter::Mine => "Jouw open acties",
        ActionFilter::All => "Alle acties",
    };
    let mut r = Reply::new();
    if actions.is_empty() {
        r.text(format!("{title}: geen."));
        return r;
    }
    r.text(format!("{title} ({}):", actions.len()));
    for a in actions {
        r.newline();
        line(chat, &mut r, a);
    }
    r
}

/// One action on one line: status, number, text, owner, deadline.
pub(super) fn line(chat: &Chat, r: &mut Reply, a: &Action) {
    let overdue = a.status == ActionStatus::Open && a.deadline.is_some_and(|d| d <= chat.now);
    let icon = match &a.status {
        ActionStatus::Done(_) => "✅",
        ActionStatus::Cancelled(_) => "🗑️",
        ActionStatus::Open if overdue => "⚠️",
        ActionStatus::Open => "⬜",
    };
    r.text(format!(
        "{icon} {}. {} — {}",
        a.nr,
        a.text,
        chat.name(&a.owner)
    ));
    if let Some(d) = a.deadline {
        let late = if overdue { " (te laat)" } else { "" };
        r.text(format!(" — {}{late}", chat.moment(d)));
    }
}
