//! Persvragen: questions from the press, each with an owner (the
//! woordvoerder when there is one), a deadline that gets the same reminders
//! as an action's, and an end: answered, referred to another party, dropped.

use chrono::{DateTime, Duration, Utc};

use super::{Cx, Refusal, actions, desk};
use crate::draaiboek::{CHAIR, COMMS_ADVISER, SPOKESPERSON};
use crate::model::desk::{PressQuestion, PressStatus};
use crate::model::{Incident, LogKind};
use crate::timeexpr::{format_moment, invalid_trailing_moment, split_trailing_moment};
use crate::view::{Planned, PressFilter, PressSaid, Reminder};

/// More open press questions than this is no longer a list anyone can follow.
const MAX_OPEN: usize = 500;
/// `RTV Oost`, `De Twentsche Courant Tubantia`: a name, not a sentence.
const MAX_MEDIUM_CHARS: usize = 60;

pub(super) fn new(cx: &mut Cx) -> Result<(), Refusal> {
    let raw = cx.text("vraag")?.to_string();
    let now = cx.now();
    let (text, deadline) = split_deadline(&raw, now)?;
    let Some((medium, question)) = split_medium(&text) else {
        return Err(Refusal::Usage(
            "Noem eerst het medium en dan de vraag, met een dubbele punt ertussen.".into(),
        ));
    };
    if let Some(deadline) = deadline {
        actions::refuse_past(deadline, now)?;
    }
    let open = cx.incident().desk.press.iter().filter(|q| q.is_open());
    if open.count() >= MAX_OPEN {
        return Err(Refusal::No(format!(
            "Er staan al {MAX_OPEN} persvragen open, het maximum. Handel er eerst af ({}persvragen).",
            cx.prefix()
        )));
    }
    let spokesperson = cx.holder(SPOKESPERSON).map(str::to_string);
    let owner = spokesperson
        .clone()
        .unwrap_or_else(|| cx.sender().to_string());
    let created = desk::stamp(cx);
    let incident = cx.incident_mut();
    let nr = desk::next_nr(incident.desk.press.iter().map(|q| q.nr));
    let question = PressQuestion {
        nr,
        medium,
        question,
        owner,
        deadline,
        created,
        status: PressStatus::Open,
        warned: false,
        deadline_reminded: false,
    };
    incident.desk.press.push(question.clone());
    let due = deadline.map(|d| format!(", deadline {}", format_moment(d, now)));
    cx.log(
        LogKind::PressQuestion,
        format!(
            "Persvraag {nr} van {}: {} (eigenaar {}{})",
            question.medium,
            question.question,
            question.owner,
            due.unwrap_or_default()
        ),
    );
    cx.say(PressSaid::Registered {
        question,
        no_spokesperson: spokesperson.is_none(),
    });
    Ok(())
}

/// A deadline at the end, as actions take it; but a question that ends
/// with its question mark has none ("Wat gebeurde er om 14:00?").
fn split_deadline(
    raw: &str,
    now: DateTime<Utc>,
) -> Result<(String, Option<DateTime<Utc>>), Refusal> {
    if raw.trim_end().ends_with('?') {
        return Ok((raw.trim().to_string(), None));
    }
    if let Some(error) = invalid_trailing_moment(raw, now) {
        return Err(Refusal::Usage(error.to_string()));
    }
    Ok(split_trailing_moment(raw, now))
}

/// `RTV Oost: Is de school open?` → ("RTV Oost", "Is de school open?"). A
/// colon between two digits is a time, not the separator.
fn split_medium(text: &str) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    let at = text.char_indices().map(|(i, _)| i).find(|&i| {
        bytes[i] == b':'
            && !(i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })?;
    let (medium, question) = (text[..at].trim(), text[at + 1..].trim());
    let fits = !medium.is_empty() && medium.chars().count() <= MAX_MEDIUM_CHARS;
    (fits && !question.is_empty()).then(|| (medium.to_string(), question.to_string()))
}

/// The index of the open question `nr`, if the sender may change it: its
/// owner, who registered it, the voorzitter or the communicatieadviseur, or
/// anyone who takes it on themselves (`for_self`).
fn changeable(cx: &Cx, for_self: bool) -> Result<usize, Refusal> {
    let nr = cx.number("nr")?;
    let questions = &cx.incident().desk.press;
    let Some(index) = nr
        .value
        .and_then(|n| questions.iter().position(|q| q.nr == n))
    else {
        return Err(Refusal::Usage(format!(
            "Persvraag {nr} bestaat niet. Zie {}persvragen alle.",
            cx.prefix()
        )));
    };
    let q = &questions[index];
    if let Some((word, stamp)) = closed(&q.status) {
        return Err(Refusal::No(format!(
            "Persvraag {nr} is al {word} door {} ({}).",
            cx.name(&stamp.by),
            format_moment(stamp.at, cx.now())
        )));
    }
    let sender = cx.sender();
    let allowed = for_self
        || q.owner == sender
        || q.created.by == sender
        || cx.holds(CHAIR, sender)
        || cx.holds(COMMS_ADVISER, sender);
    if !allowed {
        return Err(Refusal::No(format!(
            "Persvraag {nr} is van {}. Alleen de eigenaar, wie hem registreerde ({}), de voorzitter of de communicatieadviseur kan hem wijzigen; zelf overnemen kan met {}persvraag {nr} mij.",
            cx.name(&q.owner),
            cx.name(&q.created.by),
            cx.prefix()
        )));
    }
    Ok(index)
}

fn closed(status: &PressStatus) -> Option<(&'static str, &crate::model::Stamp)> {
    match status {
        PressStatus::Open => None,
        PressStatus::Answered { by, .. } => Some(("beantwoord", by)),
        PressStatus::Referred { by, .. } => Some(("doorverwezen", by)),
        PressStatus::Dropped(by) => Some(("vervallen", by)),
    }
}

pub(super) fn assign(cx: &mut Cx) -> Result<(), Refusal> {
    let who = cx.user("wie")?.to_string();
    let index = changeable(cx, who == cx.sender())?;
    let now = cx.now();
    let q = &mut cx.incident_mut().desk.press[index];
    if q.owner == who {
        let q = q.clone();
        cx.say(PressSaid::AlreadyOwned(q));
        return Ok(());
    }
    let previous = std::mem::replace(&mut q.owner, who.clone());
    // The new owner hears the deadline that is still to come.
    if q.deadline.is_some_and(|d| d > now) {
        q.warned = false;
        q.deadline_reminded = false;
    }
    let question = q.clone();
    cx.log(
        LogKind::PressQuestion,
        format!("Persvraag {}: eigenaar {who} (was {previous})", question.nr),
    );
    cx.say(PressSaid::Reassigned { question, previous });
    Ok(())
}

/// Ends an open question with `status` and logs `what`.
fn close(cx: &mut Cx, status: PressStatus, what: String) -> Result<(), Refusal> {
    let index = changeable(cx, false)?;
    let q = &mut cx.incident_mut().desk.press[index];
    q.status = status;
    let question = q.clone();
    cx.log(
        LogKind::PressQuestion,
        format!("Persvraag {} {what}", question.nr),
    );
    cx.say(PressSaid::Closed(question));
    Ok(())
}

pub(super) fn answer(cx: &mut Cx) -> Result<(), Refusal> {
    let summary = cx.text("samenvatting")?.trim().to_string();
    let by = desk::stamp(cx);
    let what = format!("beantwoord: {summary}");
    close(cx, PressStatus::Answered { by, summary }, what)
}

/// The party as a draaiboek partner id where it names one (`OM`,
/// `openbaar ministerie`), otherwise as typed.
pub(super) fn refer(cx: &mut Cx) -> Result<(), Refusal> {
    let typed = cx.text("partij")?.trim().to_string();
    let book = cx.book();
    let party = book
        .partner(&typed)
        .or_else(|| book.partner(&typed.replace(' ', "-")))
        .map_or(typed, |p| p.id.clone());
    let by = desk::stamp(cx);
    let what = format!("doorverwezen naar {party}");
    close(cx, PressStatus::Referred { by, party }, what)
}

pub(super) fn drop(cx: &mut Cx) -> Result<(), Refusal> {
    let by = desk::stamp(cx);
    close(cx, PressStatus::Dropped(by), "vervallen".into())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let filter = match cx.args.text("filter").map(str::to_lowercase).as_deref() {
        None | Some("open") => PressFilter::Open,
        Some("mijn" | "mine" | "my") => PressFilter::Mine,
        Some("alle" | "all") => PressFilter::All,
        Some(other) => {
            return Err(Refusal::Usage(format!(
                "'{other}' ken ik niet; kies open, mijn of alle, of laat het weg."
            )));
        }
    };
    let sender = cx.sender().to_string();
    let pick = |i: &Incident| select(i, filter, &sender);
    if let Some(incidents) = desk::everywhere(cx, pick) {
        cx.say(PressSaid::Everywhere { filter, incidents });
        return Ok(());
    }
    let questions = select(cx.incident(), filter, &sender);
    cx.say(PressSaid::List { filter, questions });
    Ok(())
}

/// The questions a filter keeps: open ones by deadline, then the rest.
fn select(incident: &Incident, filter: PressFilter, sender: &str) -> Vec<PressQuestion> {
    let mut questions: Vec<PressQuestion> = incident
        .desk
        .press
        .iter()
        .filter(|q| match filter {
            PressFilter::Open => q.is_open(),
            PressFilter::Mine => q.is_open() && q.owner == sender,
            PressFilter::All => true,
        })
        .cloned()
        .collect();
    questions.sort_by_key(|q| (!q.is_open(), q.deadline.is_none(), q.deadline, q.nr));
    questions
}

// --- reminders ---------------------------------------------------------------

/// Adds the press questions' warnings and deadlines to `plan`; returns the
/// earliest deadline of an open question (for the overdue digest).
pub(super) fn plan(
    incident: &Incident,
    warning: Duration,
    plan: &mut Vec<(DateTime<Utc>, Planned)>,
) -> Option<DateTime<Utc>> {
    let mut earliest: Option<DateTime<Utc>> = None;
    let open = incident.desk.press.iter().filter(|q| q.is_open());
    for (q, deadline) in open.filter_map(|q| q.deadline.map(|d| (q, d))) {
        earliest = Some(earliest.map_or(deadline, |e| e.min(deadline)));
        if q.deadline_reminded {
            continue;
        }
        if !q.warned && deadline - warning > q.created.at {
            plan.push((deadline - warning, Planned::PressWarning { question: q.nr }));
        }
        plan.push((deadline, Planned::PressDeadline { question: q.nr }));
    }
    earliest
}

/// Says a press question's warning or deadline and records that it did.
pub(super) fn remind(next: &mut Incident, item: &Planned) -> Option<(Reminder, String)> {
    let (nr, at_deadline) = match item {
        Planned::PressWarning { question } => (*question, false),
        Planned::PressDeadline { question } => (*question, true),
        _ => return None,
    };
    let q = next.desk.press.iter_mut().find(|q| q.nr == nr)?;
    q.warned = true;
    q.deadline_reminded |= at_deadline;
    let q = q.clone();
    Some(if at_deadline {
        let text = format!("Deadline persvraag {nr} gemeld aan {}", q.owner);
        (Reminder::PressDeadline(q), text)
    } else {
        let text = format!("Herinnering persvraag {nr} aan {}", q.owner);
        (Reminder::PressWarning(q), text)
    })
}

/// Open questions whose deadline has passed, most overdue first.
pub(super) fn overdue(incident: &Incident, now: DateTime<Utc>) -> Vec<PressQuestion> {
    let mut late: Vec<PressQuestion> = incident
        .desk
        .press
        .iter()
        .filter(|q| q.is_late(now))
        .cloned()
        .collect();
    late.sort_by_key(|q| (q.deadline, q.nr));
    late
}

#[cfg(test)]
mod tests {
    use super::split_medium;

    #[test]
    fn the_medium_ends_at_the_first_colon_that_is_not_a_time() {
        assert_eq!(
            split_medium("RTV Oost: Is de school open?"),
            Some(("RTV Oost".into(), "Is de school open?".into()))
        );
        assert_eq!(
            split_medium("NOS: Wat gebeurde er om 14:00?").unwrap().0,
            "NOS"
        );
        assert_eq!(split_medium("Is de school om 14:00 open?"), None);
        assert_eq!(split_medium("NOS:"), None);
    }
}
