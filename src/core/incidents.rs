use std::collections::BTreeMap;

use super::{Cx, Refusal, checklists, diagnosis};
use crate::draaiboek::CHAIR;
use chrono::Duration;

use crate::model::{
    Holder, Incident, IncidentSummary, LogKind, PhaseChange, ReminderBook, RoleChange,
};
use crate::timeexpr::format_moment;
use crate::view::{IncidentHeader, IncidentSaid};

/// How many first things to do a new incident shows.
const FIRST_STEPS: usize = 3;

pub(super) fn open(cx: &mut Cx) -> Result<(), Refusal> {
    open_as(cx, false)
}

/// `!oefening open`: an incident marked as an exercise.
pub(super) fn open_exercise(cx: &mut Cx) -> Result<(), Refusal> {
    open_as(cx, true)
}

fn open_as(cx: &mut Cx, exercise: bool) -> Result<(), Refusal> {
    if let Some(active) = &cx.incident {
        return Err(Refusal::No(format!(
            "Er loopt al een incident in deze ruimte: “{}” (geopend {}). Sluit dat eerst af met {}incident sluit.",
            active.title,
            format_moment(active.opened_at, cx.now()),
            cx.prefix()
        )));
    }
    let title = cx.text("titel")?.to_string();
    let now = cx.now();
    let sender = cx.sender().to_string();
    let phase = cx.book().opening_phase().clone();
    let id = cx.view.next_incident_id;
    let mut roles = BTreeMap::new();
    roles.insert(
        CHAIR.to_string(),
        Holder {
            user: sender.clone(),
            since: now,
        },
    );
    cx.incident = Some(Incident {
        id,
        room: cx.req.room.to_string(),
        title: title.clone(),
        scenario: None,
        opened_at: now,
        opened_by: sender.clone(),
        closed: None,
        phase: phase.id.clone(),
        phase_since: now,
        phase_history: vec![PhaseChange {
            phase: phase.id.clone(),
            at: now,
            by: sender.clone(),
        }],
        roles,
        actions: Vec::new(),
        oneliners: Vec::new(),
        desk: Default::default(),
        ticked: BTreeMap::new(),
        decisions: Vec::new(),
        log_len: 0,
        log_head: String::new(),
        reminders: ReminderBook {
            roles_check_at: Some(
                now + Duration::minutes(cx.book().cadence.unfilled_roles_after_minutes.into()),
            ),
            ..ReminderBook::default()
        },
        role_history: vec![RoleChange {
            role: CHAIR.to_string(),
            holder: Some(sender.clone()),
            at: now,
            by: sender.clone(),
        }],
        updates: Vec::new(),
        diagnosis: None,
        scale: Vec::new(),
        advices: Vec::new(),
        closing: None,
        exercise,
        pins: Vec::new(),
        live_sitrap: Default::default(),
    });
    cx.incident_changed = true;
    cx.room.active = Some(id);
    cx.room.incidents.push(IncidentSummary {
        id,
        title: title.clone(),
        opened_at: now,
        closed_at: None,
        exercise,
    });
    cx.room_changed = true;
    let what = if exercise { "Oefening" } else { "Incident" };
    cx.log(LogKind::IncidentOpened, format!("{what} geopend: {title}"));
    cx.log(
        LogKind::RoleAssigned,
        format!("{sender} is voorzitter (opende het incident)"),
    );
    cx.log(LogKind::PhaseChanged, format!("Fase: {}", phase.name));

    let first_steps = checklists::first_steps(cx.book(), cx.incident(), &phase, FIRST_STEPS);
    let first_update_due = now + Duration::minutes(cx.book().cadence.first_update_minutes.into());
    cx.say(IncidentSaid::Opened {
        title,
        chair: sender,
        phase: phase.id,
        first_steps,
        first_update_due,
    });
    diagnosis::attach(cx);
    Ok(())
}

pub(super) fn scenario(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.text("scenario")?;
    let Some(scenario) = cx.book().scenario(word).cloned() else {
        let known: Vec<_> = cx.book().scenarios.iter().map(|s| s.id.as_str()).collect();
        return Err(Refusal::Usage(format!(
            "Scenario '{word}' ken ik niet. Kies uit: {}.",
            known.join(", ")
        )));
    };
    cx.incident_mut().scenario = Some(scenario.id.clone());
    cx.log(
        LogKind::ScenarioChosen,
        format!("Scenario: {}", scenario.name),
    );
    cx.say(IncidentSaid::ScenarioChosen {
        scenario: scenario.id,
    });
    Ok(())
}

pub(super) fn scenario_details(cx: &mut Cx) -> Result<(), Refusal> {
    let Some(scenario) = cx.incident().scenario.clone() else {
        return Err(Refusal::No(format!(
            "Er is nog geen scenario gekozen. Kies er een met {}incident scenario <scenario>.",
            cx.prefix()
        )));
    };
    cx.say(IncidentSaid::ScenarioDetails { scenario });
    Ok(())
}

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let said = match &cx.incident {
        Some(incident) => IncidentSaid::Shown(header(incident)),
        None => IncidentSaid::NoneActive,
    };
    cx.say(said);
    Ok(())
}

pub(super) fn header(i: &Incident) -> IncidentHeader {
    IncidentHeader {
        id: i.id,
        title: i.title.clone(),
        opened_at: i.opened_at,
        opened_by: i.opened_by.clone(),
        scenario: i.scenario.clone(),
        phase: i.phase.clone(),
        phase_since: i.phase_since,
    }
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    cx.say(IncidentSaid::List(cx.room.incidents.clone()));
    Ok(())
}
