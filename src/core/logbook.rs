use chrono::{DateTime, Utc};

use super::{Cx, Refusal, actions, checklists};
use crate::model::{ActionStatus, LogKind};
use crate::reply::Reply;
use crate::timeexpr::{ZONE, format_clock, format_moment};

const DEFAULT_LOG_LINES: u32 = 10;
const MAX_LOG_LINES: u32 = 50;

/// "14:05" today, otherwise "ma 30 nov 14:05" and the like.
fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at.with_timezone(&ZONE).date_naive() == now.with_timezone(&ZONE).date_naive() {
        format_clock(at)
    } else {
        format_moment(at, now)
    }
}

pub(super) fn note(cx: &mut Cx) -> Result<(), Refusal> {
    let text = cx.args.text("tekst").unwrap_or_default().to_string();
    cx.log(LogKind::Note, text);
    cx.reply(Reply::say(format!(
        "📝 In het logboek ({}).",
        format_clock(cx.now())
    )));
    Ok(())
}

pub(super) fn decision(cx: &mut Cx) -> Result<(), Refusal> {
    let text = cx.args.text("tekst").unwrap_or_default().to_string();
    let decision = crate::model::Decision {
        text: text.clone(),
        by: cx.sender().to_string(),
        at: cx.now(),
    };
    let incident = cx.incident_mut();
    incident.decisions.push(decision);
    let nr = incident.decisions.len();
    cx.log(LogKind::Decision, text.clone());
    let mut r = Reply::new();
    r.text(format!("⚖️ Besluit {nr} vastgelegd: ")).bold(text);
    cx.reply(r);
    Ok(())
}

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let wanted = cx.args.number("aantal").unwrap_or(DEFAULT_LOG_LINES);
    if wanted > MAX_LOG_LINES {
        return Err(Refusal::Usage(format!(
            "Maximaal {MAX_LOG_LINES} regels in de chat; het hele logboek gaat via de export."
        )));
    }
    let incident = cx.incident();
    let entries = cx.view.log.tail(incident.id, wanted as usize);
    let now = cx.now();
    let mut r = Reply::new();
    r.text(format!(
        "📖 Logboek: laatste {} van {} regels",
        entries.len(),
        incident.log_len
    ));
    for e in entries {
        r.newline().text(format!(
            "{} {} [{}] {}",
            when(e.at, now),
            e.actor,
            e.kind.label(),
            e.text
        ));
    }
    cx.reply(r);
    Ok(())
}

pub(super) fn decisions(cx: &mut Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let incident = cx.incident();
    let mut r = Reply::new();
    if incident.decisions.is_empty() {
        r.text(format!(
            "Nog geen besluiten. Leg er een vast met {}besluit <tekst>.",
            cx.prefix()
        ));
    } else {
        r.text(format!("⚖️ Besluiten ({}):", incident.decisions.len()));
        for (i, d) in incident.decisions.iter().enumerate() {
            r.newline().text(format!(
                "{}. {} — {} ({})",
                i + 1,
                d.text,
                d.by,
                when(d.at, now)
            ));
        }
    }
    cx.reply(r);
    Ok(())
}

pub(super) fn sitrep(cx: &mut Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let incident = cx.incident();
    let book = cx.book();
    let mut r = Reply::new();
    r.text("🧭 ").bold(&incident.title);
    let scenario = incident
        .scenario
        .as_deref()
        .and_then(|s| book.scenario(s))
        .map_or("scenario nog niet gekozen", |s| s.name.as_str());
    r.newline().text(format!("Scenario: {scenario}"));
    let phase = book.phase(&incident.phase);
    r.newline()
        .text("Fase: ")
        .bold(phase.map_or(incident.phase.as_str(), |p| p.name.as_str()))
        .text(format!(" sinds {}", when(incident.phase_since, now)));

    r.newline().bold("Rollen:");
    for role in &book.roles {
        match incident.roles.get(&role.id) {
            Some(h) => {
                r.text(format!(" {} {};", role.name, h.user));
            }
            None if role.key => {
                r.text(format!(" {} ⚠️ onbezet;", role.name));
            }
            None => {}
        }
    }

    let open: Vec<_> = incident
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .collect();
    let overdue = open
        .iter()
        .filter(|a| a.deadline.is_some_and(|d| d <= now))
        .count();
    r.newline()
        .bold(format!("Acties: {} open, {overdue} te laat", open.len()));
    let mut shown = open.clone();
    shown.sort_by_key(|a| (a.deadline.is_none(), a.deadline, a.nr));
    for a in shown.iter().take(5) {
        r.newline();
        actions::append_action(&mut r, a, now);
    }
    if open.len() > 5 {
        r.newline()
            .text(format!("… {}acties voor de rest", cx.prefix()));
    }

    let approved: Vec<_> = incident
        .oneliners
        .iter()
        .filter_map(|o| o.current().map(|v| (o.nr, v.text.as_str())))
        .collect();
    r.newline()
        .bold(format!("Oneliners: {} goedgekeurd", approved.len()));
    for (nr, text) in approved {
        r.newline().text(format!("{nr}. ")).quote(text);
    }

    if let Some(phase) = phase {
        for step in &phase.checklists {
            if let Some(list) = book.checklist(step) {
                let open = checklists::open_items(incident, list);
                if !open.is_empty() {
                    let ids: Vec<_> = open.iter().map(|i| i.id.as_str()).collect();
                    r.newline().text(format!(
                        "☑️ {}: {} open ({})",
                        list.name,
                        open.len(),
                        ids.join(" ")
                    ));
                }
            }
        }
    }
    cx.reply(r);
    Ok(())
}
