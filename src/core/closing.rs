//! The close of an incident (§3.4). The last kernteam meeting settles two
//! outcomes: a short oral evaluation, and who is responsible for the
//! integral evaluation. `!incident sluit` gathers them (at once or step by
//! step) and warns about what is still open; `!incident sluit bevestig` closes.

use super::{Cx, Refusal};
use crate::catalogue::{Speaker, find_user};
use crate::model::{ActionStatus, ClosingDraft, Closure, LogKind};
use crate::view::{ClosingCheck, IncidentSaid};

/// `!incident sluit [mondeling:ja|nee] [evaluatie:@wie] [reden]`.
pub(super) fn prepare(cx: &mut Cx) -> Result<(), Refusal> {
    let mut draft = cx.incident().closing.clone().unwrap_or_default();
    if let Some(text) = cx.args.text("uitkomsten") {
        read_outcomes(cx, text, &mut draft)?;
        cx.incident_mut().closing = Some(draft.clone());
    }
    let check = check(cx, &draft);
    cx.say(IncidentSaid::Closing(Box::new(check)));
    Ok(())
}

/// `!incident sluit bevestig`: closes once both outcomes are known.
pub(super) fn confirm(cx: &mut Cx) -> Result<(), Refusal> {
    let p = cx.prefix();
    let Some(draft) = cx.incident().closing.clone() else {
        return Err(Refusal::No(format!(
            "Eerst de uitkomsten van het laatste overleg: {p}incident sluit mondeling:ja evaluatie:@wie [reden]"
        )));
    };
    let (Some(oral), Some(owner)) = (draft.oral_evaluation, draft.evaluation_owner.clone()) else {
        return Err(Refusal::No(format!(
            "Nog nodig: {}. Zie {p}incident sluit",
            missing(&draft).join(" en ")
        )));
    };
    let check = check(cx, &draft);
    close(cx, draft.reason.clone(), oral, owner.clone());
    cx.say(IncidentSaid::Closed {
        title: check.title,
        reason: draft.reason,
        open_actions: check.open_actions,
        oral_evaluation: Some(oral),
        evaluation_owner: Some(owner),
    });
    Ok(())
}

fn close(cx: &mut Cx, reason: Option<String>, oral: bool, owner: String) {
    let now = cx.now();
    let by = cx.sender().to_string();
    let incident = cx.incident_mut();
    incident.closing = None;
    incident.closed = Some(Closure {
        by,
        at: now,
        reason: reason.clone(),
        oral_evaluation: Some(oral),
        evaluation_owner: Some(owner.clone()),
    });
    let id = incident.id;
    cx.room.active = None;
    if let Some(summary) = cx.room.incidents.iter_mut().find(|s| s.id == id) {
        summary.closed_at = Some(now);
    }
    cx.room_changed = true;
    let reason = reason.map(|r| format!(": {r}")).unwrap_or_default();
    let held = if oral { "gehouden" } else { "niet gehouden" };
    cx.log(
        LogKind::IncidentClosed,
        format!(
            "Incident gesloten{reason}. Korte mondelinge evaluatie: {held}. Verantwoordelijk voor de integrale evaluatie: {owner}"
        ),
    );
}

/// Reads `mondeling:ja`, `evaluatie:@jan` and the words of the reason.
fn read_outcomes(cx: &Cx, text: &str, draft: &mut ClosingDraft) -> Result<(), Refusal> {
    let mut reason = Vec::new();
    for word in text.split_whitespace() {
        let (key, value) = word.split_once([':', '=']).unwrap_or((word, ""));
        match key.to_lowercase().as_str() {
            "mondeling" => draft.oral_evaluation = Some(yes_or_no(value)?),
            "evaluatie" => draft.evaluation_owner = Some(owner(cx, value)?),
            _ => reason.push(word),
        }
    }
    if !reason.is_empty() {
        draft.reason = Some(reason.join(" "));
    }
    Ok(())
}

fn yes_or_no(value: &str) -> Result<bool, Refusal> {
    match value.to_lowercase().as_str() {
        "ja" | "j" | "yes" => Ok(true),
        "nee" | "n" | "no" => Ok(false),
        _ => Err(Refusal::Usage(format!(
            "mondeling:{value} — zeg mondeling:ja of mondeling:nee (is er kort mondeling geëvalueerd?)."
        ))),
    }
}

fn owner(cx: &Cx, value: &str) -> Result<String, Refusal> {
    let speaker = Speaker {
        sender: cx.sender(),
        members: cx.req.members,
    };
    find_user(value, &speaker).map_err(|e| {
        Refusal::Usage(format!(
            "evaluatie:{value} — noem wie verantwoordelijk is voor de integrale evaluatie. {e}"
        ))
    })
}

fn missing(draft: &ClosingDraft) -> Vec<&'static str> {
    let mut out = Vec::new();
    if draft.oral_evaluation.is_none() {
        out.push("mondeling:ja|nee");
    }
    if draft.evaluation_owner.is_none() {
        out.push("evaluatie:@wie");
    }
    out
}

/// The outcomes so far, and what the team should know before closing: the
/// checklists of the last phase (nazorg, evaluatie, …) nobody touched, and
/// open actions.
fn check(cx: &Cx, draft: &ClosingDraft) -> ClosingCheck {
    let book = cx.book();
    let incident = cx.incident();
    let last = book.phases.iter().max_by_key(|p| p.number);
    let untouched = last
        .map(|p| p.checklists.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|id| book.checklist(id))
        .filter(|list| {
            !list
                .items
                .iter()
                .any(|i| incident.ticked.contains_key(&i.id))
        })
        .map(|list| list.id.clone())
        .collect();
    ClosingCheck {
        title: incident.title.clone(),
        oral_evaluation: draft.oral_evaluation,
        evaluation_owner: draft.evaluation_owner.clone(),
        reason: draft.reason.clone(),
        untouched,
        open_actions: (incident.actions.iter())
            .filter(|a| a.status == ActionStatus::Open)
            .count(),
    }
}
