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

fn list(chat: &Chat, roles: &[RoleStatus]) -> Reply {
    let mut r = Reply::new();
    r.text("Rollen:");
    for (heading, seats) in [("Kernteam", false), ("Partners", true)] {
        r.newline().bold(heading);
        for status in roles {
            let Some(role) = chat.book.role(&status.role).filter(|r| r.seat == seats) else {
                continue;
            };
            r.item().text(format!("{}: ", role.name));
            match &status.holder {
                Some(holder) => r.text(chat.name(holder)),
                None if role.key => r.text("⚠️ onbezet"),
                None => r.text("onbezet"),
            };
        }
    }
    r.newline()
        .text(format!("Rolkaart: {}rol <rol>", chat.prefix));
    r
}
