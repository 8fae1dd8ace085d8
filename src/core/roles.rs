use super::{Cx, Refusal};
use crate::draaiboek::Role;
use crate::model::{Holder, LogKind, RoleChange};
use crate::view::{RoleSaid, RoleStatus};

fn role(cx: &Cx) -> Result<Role, Refusal> {
    let word = cx.args.text("rol").unwrap_or_default();
    cx.book().role(word).cloned().ok_or_else(|| {
        let known: Vec<_> = cx.book().roles.iter().map(|r| r.id.as_str()).collect();
        Refusal::Usage(format!(
            "Rol '{word}' ken ik niet. Rollen: {}.",
            known.join(", ")
        ))
    })
}

pub(super) fn assign(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let who = cx.args.user("wie").unwrap_or_default().to_string();
    let sender = cx.sender().to_string();
    let current = cx.holder(&role.id).map(str::to_string);
    if current.as_deref() == Some(who.as_str()) {
        cx.say(RoleSaid::AlreadyHeld { role: role.id, who });
        return Ok(());
    }
    let chair = cx.is_chair(&sender);
    if who != sender && !chair {
        return Err(Refusal::No(format!(
            "Alleen de voorzitter wijst rollen aan anderen toe{}. Zelf een vrije rol nemen kan met {}rol {} mij.",
            cx.holders_of(crate::catalogue::Who::Voorzitter),
            cx.prefix(),
            role.id
        )));
    }
    if let Some(holder) = &current
        && !chair
    {
        return Err(Refusal::No(format!(
            "{} is al bezet door {holder}. Vraag de voorzitter om de rol over te dragen.",
            role.name
        )));
    }
    let now = cx.now();
    let incident = cx.incident_mut();
    incident.roles.insert(
        role.id.clone(),
        Holder {
            user: who.clone(),
            since: now,
        },
    );
    incident.role_history.push(RoleChange {
        role: role.id.clone(),
        holder: Some(who.clone()),
        at: now,
        by: sender,
    });
    let text = match &current {
        Some(previous) => format!("{who} is {} (was {previous})", role.name),
        None => format!("{who} is {}", role.name),
    };
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
    if holder != sender && !cx.is_chair(&sender) {
        return Err(Refusal::No(format!(
            "Alleen {holder} zelf of de voorzitter kan {} vrijmaken.",
            role.name
        )));
    }
    let now = cx.now();
    let incident = cx.incident_mut();
    incident.roles.remove(&role.id);
    incident.role_history.push(RoleChange {
        role: role.id.clone(),
        holder: None,
        at: now,
        by: sender,
    });
    cx.log(
        LogKind::RoleReleased,
        format!("{} vrij (was {holder})", role.name),
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
