use super::Chat;
use crate::draaiboek::{CHAIR, Role};
use crate::reply::Reply;
use crate::view::{RoleSaid, RoleStatus};

pub(super) fn render(chat: &Chat, said: &RoleSaid) -> Reply {
    match said {
        RoleSaid::Assigned {
            role,
            who,
            previous,
        } => assigned(chat, role, who, previous.as_deref()),
        RoleSaid::AlreadyHeld { role, who } => Reply::say(format!(
            "{} is al {}.",
            chat.name(who),
            chat.role_name(role)
        )),
        RoleSaid::Released { role, previous } => {
            let mut r = Reply::say(format!(
                "{} is nu onbezet (was {}).",
                chat.role_name(role),
                chat.name(previous)
            ));
            if role == CHAIR {
                r.newline().text(format!(
                    "Zonder voorzitter kan iemand de rol nemen met {}rol voorzitter mij.",
                    chat.prefix
                ));
            }
            r
        }
        RoleSaid::AlreadyFree { role } => {
            Reply::say(format!("{} is al onbezet.", chat.role_name(role)))
        }
        RoleSaid::Card { role, holder } => card(chat, role, holder.as_deref()),
        RoleSaid::List(roles) => list(chat, roles),
    }
}

fn assigned(chat: &Chat, role: &str, who: &str, previous: Option<&str>) -> Reply {
    let mut r = Reply::new();
    r.text("👤 ");
    chat.mention(&mut r, who);
    r.text(" is nu ").bold(chat.role_name(role)).text(".");
    if let Some(previous) = previous {
        r.text(format!(" (was {})", chat.name(previous)));
    }
    if let Some(role) = chat.book.role(role) {
        tasks(&mut r, role);
    }
    r
}

fn tasks(r: &mut Reply, role: &Role) {
    r.newline().text(&role.summary);
    r.newline().bold("Taken:");
    for task in &role.tasks {
        r.item().text(task);
    }
}

fn card(chat: &Chat, id: &str, holder: Option<&str>) -> Reply {
    let mut r = Reply::new();
    r.text("🪪 ").bold(chat.role_name(id)).text(": ");
    match holder {
        Some(holder) => r.text(chat.name(holder)),
        None => r.text(format!(
            "onbezet — neem hem met {}rol {id} mij",
            chat.prefix
        )),
    };
    if let Some(role) = chat.book.role(id) {
        tasks(&mut r, role);
    }
    r
}

/// Who holds what, kernteam first; unfilled key roles marked. The partner
/// seats and the free other roles wait for `!meer`.
fn list(chat: &Chat, roles: &[RoleStatus]) -> Reply {
    let mut r = Reply::new();
    r.text("👥 Rollen (rolkaart: ")
        .text(format!("{}rol <rol>):", chat.prefix));
    let known = |seat: bool| {
        roles.iter().filter_map(move |status| {
            chat.book
                .role(&status.role)
                .filter(|role| role.seat == seat)
                .map(|role| (role, status))
        })
    };
    let first = |(role, status): &(&crate::draaiboek::Role, &RoleStatus)| {
        status.holder.is_some() || role.key
    };
    let (now, later): (Vec<_>, Vec<_>) = known(false).partition(first);
    for (role, status) in now {
        role_line(chat, &mut r, role, status);
    }
    r.fold();
    for (role, status) in later {
        role_line(chat, &mut r, role, status);
    }
    r.newline().bold("Partners");
    for (role, status) in known(true) {
        role_line(chat, &mut r, role, status);
    }
    r
}

fn role_line(chat: &Chat, r: &mut Reply, role: &Role, status: &RoleStatus) {
    r.item().text(format!("{}: ", role.name));
    match &status.holder {
        Some(holder) => r.text(chat.name(holder)),
        None if role.key => r.text("⚠️ onbezet"),
        None => r.text("onbezet"),
    };
}
