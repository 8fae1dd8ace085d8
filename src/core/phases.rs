use super::{Cx, Refusal, checklists, reminders, scaling};
use crate::model::{LogKind, PhaseChange};
use crate::view::PhaseSaid;

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let incident = cx.incident();
    let said = PhaseSaid::Shown {
        phase: incident.phase.clone(),
        since: incident.phase_since,
        history: incident.phase_history.clone(),
    };
    cx.say(said);
    Ok(())
}

pub(super) fn set(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.text("fase")?;
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
        let since = cx.incident().phase_since;
        cx.say(PhaseSaid::Unchanged {
            phase: phase.id,
            since,
        });
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
        by,
    });
    cx.log(
        LogKind::PhaseChanged,
        format!("Fase: {previous_name} → {}", phase.name),
    );
    let checklist = checklists::phase_steps(cx.book(), cx.incident(), &phase);
    let missing_roles = reminders::missing_key_roles(cx.book(), cx.incident());
    let scale = scaling::current(cx.incident());
    cx.say(PhaseSaid::Set {
        phase: phase.id,
        checklist,
        missing_roles,
        scale,
    });
    Ok(())
}
