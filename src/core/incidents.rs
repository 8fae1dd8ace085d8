use std::collections::BTreeMap;

use super::{Cx, Refusal, checklists};
use crate::draaiboek::CHAIR;
use chrono::Duration;

use crate::model::{
    Closure, Holder, Incident, IncidentSummary, LogKind, PhaseChange, ReminderBook,
};
use crate::reply::Reply;
use crate::timeexpr::format_moment;

pub(super) fn open(cx: &mut Cx) -> Result<(), Refusal> {
    if let Some(active) = &cx.incident {
        return Err(Refusal::No(format!(
            "Er loopt al een incident in deze ruimte: “{}” (geopend {}). Sluit dat eerst met {}incident sluit [reden].",
            active.title,
            format_moment(active.opened_at, cx.now()),
            cx.prefix()
        )));
    }
    let title = cx.args.text("titel").unwrap_or_default().to_string();
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
    });
    cx.incident_changed = true;
    cx.room.active = Some(id);
    cx.room.incidents.push(IncidentSummary {
        id,
        title: title.clone(),
        opened_at: now,
        closed_at: None,
    });
    cx.room_changed = true;
    cx.log(
        LogKind::IncidentOpened,
        format!("Incident geopend: {title}"),
    );
    cx.log(
        LogKind::RoleAssigned,
        format!("{sender} is voorzitter (opende het incident)"),
    );
    cx.log(LogKind::PhaseChanged, format!("Fase: {}", phase.name));

    let mut r = Reply::new();
    r.text("🚨 Incident geopend: ").bold(&title);
    r.newline().text("Voorzitter: ").mention(&sender);
    r.newline()
        .text("Fase: ")
        .bold(&phase.name)
        .text(format!(" — {}", phase.meaning));
    checklists::append_phase_checklist(cx, &mut r, &phase);
    let p = cx.prefix().to_string();
    r.newline().text(format!(
        "Eerste publieksupdate uiterlijk {} (gouden uur); vastleggen met {p}update <tekst>.",
        crate::timeexpr::format_moment(
            now + Duration::minutes(cx.book().cadence.first_update_minutes.into()),
            now
        )
    ));
    r.newline().text("Volgende stappen:");
    r.item().text(format!(
        "{p}incident scenario <scenario> — zeden, evenement, polarisatie, schulden-geweld, familiedrama, media, geweld, wmo-misbruik, overig"
    ));
    r.item().text(format!(
        "{p}rol woordvoerder @naam — rollen verdelen ({p}rollen)"
    ));
    r.item().text(format!("{p}checklist — wat nu te doen"));
    cx.reply(r);
    Ok(())
}

pub(super) fn scenario(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.args.text("scenario").unwrap_or_default();
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
    let mut r = Reply::new();
    r.text("📋 Scenario: ").bold(&scenario.name);
    r.newline().text(&scenario.description);
    r.newline()
        .bold("Partners:")
        .text(" ")
        .text(scenario.partners.join(", "));
    if !scenario.dilemmas.is_empty() {
        r.newline().bold("Dilemma's:");
        for d in &scenario.dilemmas {
            r.item().text(d);
        }
    }
    r.newline().bold("Tips:");
    for t in &scenario.tips {
        r.item().text(t);
    }
    cx.reply(r);
    Ok(())
}

pub(super) fn close(cx: &mut Cx) -> Result<(), Refusal> {
    let reason = cx.args.text("reden").map(str::to_string);
    let now = cx.now();
    let by = cx.sender().to_string();
    let incident = cx.incident_mut();
    incident.closed = Some(Closure {
        by: by.clone(),
        at: now,
        reason: reason.clone(),
    });
    let (id, title) = (incident.id, incident.title.clone());
    let open_actions = incident
        .actions
        .iter()
        .filter(|a| a.status == crate::model::ActionStatus::Open)
        .count();
    cx.room.active = None;
    if let Some(summary) = cx.room.incidents.iter_mut().find(|s| s.id == id) {
        summary.closed_at = Some(now);
    }
    cx.room_changed = true;
    let text = match &reason {
        Some(reason) => format!("Incident gesloten: {reason}"),
        None => "Incident gesloten".to_string(),
    };
    cx.log(LogKind::IncidentClosed, text);
    let mut r = Reply::new();
    r.text("✅ Incident gesloten: ").bold(&title);
    if let Some(reason) = reason {
        r.newline().text(format!("Reden: {reason}"));
    }
    if open_actions > 0 {
        r.newline().text(format!(
            "Let op: {open_actions} actie(s) stonden nog open; ze blijven in het logboek."
        ));
    }
    r.newline()
        .text("Vergeet nazorg en evaluatie niet (Handreiking, bijlage 5).");
    cx.reply(r);
    Ok(())
}

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let Some(incident) = &cx.incident else {
        let p = cx.prefix();
        let mut r = Reply::say("Geen actief incident in deze ruimte.");
        r.newline().text(format!(
            "Open er een met {p}incident open <titel>; eerdere: {p}incidenten."
        ));
        cx.reply(r);
        return Ok(());
    };
    let now = cx.now();
    let book = cx.book();
    let mut r = Reply::new();
    r.text(format!("🚨 Incident {}: ", incident.id))
        .bold(&incident.title);
    r.newline().text(format!(
        "Geopend {} door {}",
        format_moment(incident.opened_at, now),
        incident.opened_by
    ));
    let scenario = incident
        .scenario
        .as_deref()
        .and_then(|s| book.scenario(s))
        .map_or("nog niet gekozen", |s| s.name.as_str());
    r.newline().text(format!("Scenario: {scenario}"));
    let phase = book
        .phase(&incident.phase)
        .map_or(incident.phase.as_str(), |p| p.name.as_str());
    r.newline().text("Fase: ").bold(phase).text(format!(
        " sinds {}",
        format_moment(incident.phase_since, now)
    ));
    cx.reply(r);
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let mut r = Reply::new();
    if cx.room.incidents.is_empty() {
        r.text(format!(
            "Nog geen incidenten in deze ruimte. Open er een met {}incident open <titel>.",
            cx.prefix()
        ));
    } else {
        r.text("Incidenten in deze ruimte:");
        for s in cx.room.incidents.iter().rev() {
            r.item().text(format!("{}: ", s.id)).bold(&s.title);
            match s.closed_at {
                None => r.text(format!(
                    " — actief, sinds {}",
                    format_moment(s.opened_at, now)
                )),
                Some(at) => r.text(format!(
                    " — {} t/m {}",
                    format_moment(s.opened_at, now),
                    format_moment(at, now)
                )),
            };
        }
    }
    cx.reply(r);
    Ok(())
}
