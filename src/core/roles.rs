use super::{Cx, Refusal};
use crate::draaiboek::{CHAIR, Role};
use crate::model::{Holder, LogKind};
use crate::view::{RoleSaid, RoleStatus};

fn role(cx: &Cx) -> Result<Role, Refusal> {
    let word = cx.text("rol")?;
    cx.book().role(word).cloned().ok_or_else(|| {
        let known: Vec<_> = cx.book().roles.iter().map(|r| r.id.as_str()).collect();
        Refusal::Usage(format!(
            "Rol '{word}' ken ik niet. Rollen: {}.",
            known.join(", ")
        ))
    })
}

/// Who may give `role` to `who`: the voorzitter role by its holder or a
/// room moderator; roles with rights by the voorzitter; other roles by the
/// voorzitter, or by anyone to themselves while free.
fn may_assign(cx: &Cx, role: &Role, who: &str, current: Option<&str>) -> Result<(), Refusal> {
    let sender = cx.sender();
    let chair = cx.is_chair(sender);
    let p = cx.prefix();
    if role.id == CHAIR {
        if chair || cx.req.sender_is_moderator {
            return Ok(());
        }
        return Err(Refusal::No(format!(
            "Alleen de voorzitter{} of een moderator van de ruimte geeft de rol voorzitter.",
            cx.holders_of(&[CHAIR])
        )));
    }
    if chair {
        return Ok(());
    }
    if role.rights {
        return Err(Refusal::No(format!(
            "{} heeft rechten en wordt toegewezen door de voorzitter{}.",
            role.name,
            cx.holders_of(&[CHAIR])
        )));
    }
    if who != sender {
        return Err(Refusal::No(format!(
            "Alleen de voorzitter wijst rollen aan anderen toe{}. Zelf een vrije rol nemen kan met {p}rol {} mij.",
            cx.holders_of(&[CHAIR]),
            role.id
        )));
    }
    if let Some(holder) = current {
        return Err(Refusal::No(format!(
            "{} is al bezet door {}. Vraag de voorzitter om de rol over te dragen.",
            role.name,
            cx.name(holder)
        )));
    }
    Ok(())
}

pub(super) fn assign(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let who = cx.user("wie")?.to_string();
    let current = cx.holder(&role.id).map(str::to_string);
    if current.as_deref() == Some(who.as_str()) {
        cx.say(RoleSaid::AlreadyHeld { role: role.id, who });
        return Ok(());
    }
    may_assign(cx, &role, &who, current.as_deref())?;
    let now = cx.now();
    cx.incident_mut().roles.insert(
        role.id.clone(),
        Holder {
            user: who.clone(),
            since: now,
        },
    );
    let mut text = match &current {
        Some(previous) => format!("{who} is {} (was {previous})", role.name),
        None => format!("{who} is {}", role.name),
    };
    let sender = cx.sender().to_string();
    if role.id == CHAIR && current.as_deref() != Some(sender.as_str()) {
        text.push_str(&format!("; als moderator gedaan door {sender}"));
    }
    cx.log(LogKind::RoleAssigned, text);
    cx.say(RoleSaid::Assigned {
        role: role.id,
        who,
        previous: current,
    });
    Ok(())
}

pub(super) fn release(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let sender = cx.sender().to_string();
    let Some(holder) = cx.holder(&role.id).map(str::to_string) else {
        cx.say(RoleSaid::AlreadyFree { role: role.id });
        return Ok(());
    };
    let allowed = holder == sender
        || if role.id == CHAIR {
            cx.req.sender_is_moderator
        } else {
            cx.is_chair(&sender)
        };
    if !allowed {
        let who = if role.id == CHAIR {
            "een moderator van de ruimte"
        } else {
            "de voorzitter"
        };
        return Err(Refusal::No(format!(
            "Alleen {} zelf of {who} kan {} vrijmaken.",
            cx.name(&holder),
            role.name
        )));
    }
    cx.incident_mut().roles.remove(&role.id);
    cx.log(
        LogKind::RoleReleased,
        format!("{} vrij (was {holder}; door {sender})", role.name),
    );
    cx.say(RoleSaid::Released {
        role: role.id,
        previous: holder,
    });
    Ok(())
}

pub(super) fn card(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let holder = cx.holder(&role.id).map(str::to_string);
    cx.say(RoleSaid::Card {
        role: role.id,
        holder,
    });
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let roles = cx
        .book()
        .roles
        .iter()
        .map(|r| RoleStatus {
            role: r.id.clone(),
            holder: cx.holder(&r.id).map(str::to_string),
        })
        .collect();
    cx.say(RoleSaid::List(roles));
    Ok(())
}
