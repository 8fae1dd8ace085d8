use super::{Cx, Refusal, checklists};
use crate::model::{LogKind, PhaseChange};
use crate::reply::Reply;
use crate::timeexpr::format_moment;

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let incident = cx.incident();
    let book = cx.book();
    let name = |id: &str| book.phase(id).map_or(id.to_string(), |p| p.name.clone());
    let mut r = Reply::new();
    r.text("Fase: ").bold(name(&incident.phase)).text(format!(
        " sinds {}",
        format_moment(incident.phase_since, now)
    ));
    if let Some(phase) = book.phase(&incident.phase) {
        r.newline().text(&phase.meaning);
    }
    if incident.phase_history.len() > 1 {
        r.newline().text("Verloop:");
        for change in &incident.phase_history {
            r.item().text(format!(
                "{} {} ({})",
                format_moment(change.at, now),
                name(&change.phase),
                change.by
            ));
        }
    }
    r.newline().text(format!(
        "Wijzigen (voorzitter): {}fase <rust|dreiging|onrust|escalatie|terugkeer>",
        cx.prefix()
    ));
    cx.reply(r);
    Ok(())
}

pub(super) fn set(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.args.text("fase").unwrap_or_default();
    let Some(phase) = cx.book().phase(word).cloned() else {
        let known: Vec<String> = cx
            .book()
            .phases
            .iter()
            .map(|p| format!("{} ({})", p.id, p.number))
            .collect();
        return Err(Refusal::Usage(format!(
            "Fase '{word}' ken ik niet. Kies uit: {}.",
            known.join(", ")
        )));
    };
    if cx.incident().phase == phase.id {
        cx.reply(Reply::say(format!(
            "De fase is al {} (sinds {}).",
            phase.name,
            format_moment(cx.incident().phase_since, cx.now())
        )));
        return Ok(());
    }
    let now = cx.now();
    let by = cx.sender().to_string();
    let previous = cx.incident().phase.clone();
    let previous_name = cx
        .book()
        .phase(&previous)
        .map_or(previous, |p| p.name.clone());
    let incident = cx.incident_mut();
    incident.phase = phase.id.clone();
    incident.phase_since = now;
    incident.phase_history.push(PhaseChange {
        phase: phase.id.clone(),
        at: now,
        by: by.clone(),
    });
    cx.log(
        LogKind::PhaseChanged,
        format!("Fase: {previous_name} → {}", phase.name),
    );
    let mut r = Reply::new();
    r.text(format!("📢 Nieuwe fase ({}/5): ", phase.number))
        .bold(&phase.name);
    r.newline().text(&phase.meaning);
    if let Some(minutes) = phase.update_every_minutes {
        r.newline().text(format!(
            "Publieksupdate: minstens elke {}.",
            crate::timeexpr::format_duration(chrono::Duration::minutes(minutes.into()))
        ));
    }
    checklists::append_phase_checklist(cx, &mut r, &phase);
    if let Some(missing) = super::reminders::missing_key_roles(cx.book(), cx.incident()) {
        r.newline().text(format!(
            "👥 Nog onbezet: {missing}. Verdeel met {}rol <rol> @naam.",
            cx.prefix()
        ));
    }
    cx.reply(r);
    Ok(())
}
