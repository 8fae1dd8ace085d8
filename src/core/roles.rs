use super::{Cx, Refusal};
use crate::draaiboek::{CHAIR, Role};
use crate::model::{Holder, LogKind};
use crate::reply::Reply;

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
        cx.reply(Reply::say(format!("{who} is al {}.", role.name)));
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
    cx.incident_mut().roles.insert(
        role.id.clone(),
        Holder {
            user: who.clone(),
            since: now,
        },
    );
    let text = match &current {
        Some(previous) => format!("{who} is {} (was {previous})", role.name),
        None => format!("{who} is {}", role.name),
    };
    cx.log(LogKind::RoleAssigned, text);
    let mut r = Reply::new();
    r.text("👤 ")
        .mention(&who)
        .text(" is nu ")
        .bold(&role.name)
        .text(".");
    if let Some(previous) = current {
        r.text(format!(" (was {previous})"));
    }
    role_tasks(&mut r, &role);
    cx.reply(r);
    Ok(())
}

fn role_tasks(r: &mut Reply, role: &Role) {
    r.newline().text(&role.summary);
    r.newline().bold("Taken:");
    for task in &role.tasks {
        r.item().text(task);
    }
}

pub(super) fn release(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let sender = cx.sender().to_string();
    let Some(holder) = cx.holder(&role.id).map(str::to_string) else {
        cx.reply(Reply::say(format!("{} is al onbezet.", role.name)));
        return Ok(());
    };
    if holder != sender && !cx.is_chair(&sender) {
        return Err(Refusal::No(format!(
            "Alleen {holder} zelf of de voorzitter kan {} vrijmaken.",
            role.name
        )));
    }
    cx.incident_mut().roles.remove(&role.id);
    cx.log(
        LogKind::RoleReleased,
        format!("{} vrij (was {holder})", role.name),
    );
    let mut r = Reply::say(format!("{} is nu onbezet (was {holder}).", role.name));
    if role.id == CHAIR {
        r.newline().text(format!(
            "Zonder voorzitter kan iemand de rol nemen met {}rol voorzitter mij.",
            cx.prefix()
        ));
    }
    cx.reply(r);
    Ok(())
}

pub(super) fn card(cx: &mut Cx) -> Result<(), Refusal> {
    let role = role(cx)?;
    let mut r = Reply::new();
    r.text("🪪 ").bold(&role.name).text(": ");
    match cx.holder(&role.id) {
        Some(holder) => r.text(holder),
        None => r.text(format!(
            "onbezet — neem hem met {}rol {} mij",
            cx.prefix(),
            role.id
        )),
    };
    role_tasks(&mut r, &role);
    cx.reply(r);
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let mut r = Reply::new();
    r.text("Rollen:");
    let roles = cx.book().roles.clone();
    for (heading, seats) in [("Kernteam", false), ("Partners", true)] {
        r.newline().bold(heading);
        for role in roles.iter().filter(|r| r.seat == seats) {
            r.item().text(format!("{}: ", role.name));
            match cx.holder(&role.id) {
                Some(holder) => r.text(holder),
                None if role.key => r.text("⚠️ onbezet"),
                None => r.text("onbezet"),
            };
        }
    }
    r.newline()
        .text(format!("Rolkaart: {}rol <rol>", cx.prefix()));
    cx.reply(r);
    Ok(())
}
