use super::{Cx, Refusal, actions, advice, checklists, desk, incidents, oneliners, scaling};
use crate::model::{ActionStatus, Decision, LogKind};
use crate::view::{LogSaid, RoleStatus, Sitrap};

const DEFAULT_LOG_LINES: u32 = 10;
const MAX_LOG_LINES: u32 = 50;
const MAX_DECISIONS: usize = 5000;

pub(super) fn note(cx: &mut Cx) -> Result<(), Refusal> {
    let text = cx.text("tekst")?.to_string();
    cx.log(LogKind::Note, text);
    cx.say(LogSaid::Noted { at: cx.now() });
    Ok(())
}

pub(super) fn decision(cx: &mut Cx) -> Result<(), Refusal> {
    let (text, decided_by) = advice::decider(cx.book(), cx.text("tekst")?);
    if cx.incident().decisions.len() >= MAX_DECISIONS {
        return Err(Refusal::No(format!(
            "Dit incident heeft al {MAX_DECISIONS} besluiten, het maximum. Leg het vast met {}log <tekst>.",
            cx.prefix()
        )));
    }
    let decision = Decision {
        text: text.clone(),
        by: cx.sender().to_string(),
        at: cx.now(),
        decided_by: decided_by.clone(),
    };
    let incident = cx.incident_mut();
    incident.decisions.push(decision);
    let nr = incident.decisions.len();
    let logged = match &decided_by {
        Some(who) => format!("{text} (besloten door: {who})"),
        None => text.clone(),
    };
    cx.log(LogKind::Decision, logged);
    cx.say(LogSaid::Decided {
        nr,
        text,
        decided_by,
    });
    Ok(())
}

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let wanted = match cx.args.number("aantal") {
        None => DEFAULT_LOG_LINES,
        Some(n) => match n.value {
            Some(v) if v <= MAX_LOG_LINES => v,
            _ => {
                return Err(Refusal::Usage(format!(
                    "Kies 1 tot {MAX_LOG_LINES} regels; het hele logboek gaat via de export."
                )));
            }
        },
    };
    let incident = cx.incident();
    let entries = cx.view.log.tail(incident.id, wanted as usize);
    let total = incident.log_len;
    cx.say(LogSaid::Logbook { entries, total });
    Ok(())
}

pub(super) fn decisions(cx: &mut Cx) -> Result<(), Refusal> {
    let decisions = cx.incident().decisions.clone();
    let advices = cx.incident().advices.clone();
    cx.say(LogSaid::Decisions { decisions, advices });
    Ok(())
}

pub(super) fn sitrep(cx: &mut Cx) -> Result<(), Refusal> {
    let sitrap = sitrap(cx.book(), cx.incident(), cx.now());
    cx.say(LogSaid::Sitrap(Box::new(sitrap)));
    Ok(())
}

/// The situation now, for `!sitrap`.
pub(super) fn sitrap(
    book: &crate::draaiboek::Draaiboek,
    incident: &crate::model::Incident,
    now: chrono::DateTime<chrono::Utc>,
) -> Sitrap {
    let roles = book
        .roles
        .iter()
        .map(|r| RoleStatus {
            role: r.id.clone(),
            holder: incident.roles.get(&r.id).map(|h| h.user.clone()),
        })
        .collect();
    let mut open_actions: Vec<_> = incident
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .cloned()
        .collect();
    actions::by_urgency(&mut open_actions);
    let overdue = open_actions
        .iter()
        .filter(|a| a.deadline.is_some_and(|d| d <= now))
        .count();
    let steps = book
        .phase(&incident.phase)
        .map(|p| checklists::phase_steps(book, incident, p))
        .unwrap_or_default();
    Sitrap {
        header: incidents::header(incident),
        scale: scaling::current(incident),
        roles,
        open_actions,
        overdue,
        approved: oneliners::approved_lines(incident),
        pending: incident
            .oneliners
            .iter()
            .filter(|o| o.body.pending().is_some())
            .count(),
        steps,
        desk: desk::count(incident, now),
        closed: incident.closed.as_ref().map(|c| c.at),
    }
}
