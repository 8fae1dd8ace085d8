use chrono::{DateTime, Utc};

use super::{Cx, Refusal};
use crate::catalogue::{Speaker, find_user, parse_user};
use crate::model::{Action, ActionStatus, LogKind, Stamp};
use crate::timeexpr::{
    format_moment, invalid_trailing_moment, parse_moment, split_trailing_moment,
};
use crate::view::{ActionFilter, ActionSaid};

/// More open actions than this is no longer a list anyone can follow.
const MAX_OPEN_ACTIONS: usize = 500;

pub(super) fn new(cx: &mut Cx) -> Result<(), Refusal> {
    let raw = cx.text("omschrijving")?.to_string();
    let open = cx
        .incident()
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .count();
    if open >= MAX_OPEN_ACTIONS {
        return Err(Refusal::No(format!(
            "Er staan al {MAX_OPEN_ACTIONS} acties open, het maximum. Rond er eerst af of laat ze vervallen ({}acties).",
            cx.prefix()
        )));
    }
    let now = cx.now();
    if parse_moment(&raw, now).is_ok() {
        return Err(Refusal::Usage(
            "Wat moet er gebeuren? Zet de omschrijving vóór de tijd.".into(),
        ));
    }
    if let Some(error) = invalid_trailing_moment(&raw, now) {
        return Err(Refusal::Usage(error.to_string()));
    }
    let (text, deadline) = split_trailing_moment(&raw, now);
    let speaker = Speaker {
        sender: cx.sender(),
        members: cx.req.members,
    };
    let (text, owner) = take_owner(&text, &speaker).map_err(Refusal::Usage)?;
    if text.is_empty() {
        return Err(Refusal::Usage(
            "Wat moet er gebeuren? De omschrijving ontbreekt.".into(),
        ));
    }
    if let Some(deadline) = deadline {
        refuse_past(deadline, now)?;
    }
    let owner = owner.unwrap_or_else(|| cx.sender().to_string());
    let creator = cx.sender().to_string();
    let incident = cx.incident_mut();
    let nr = incident.actions.iter().map(|a| a.nr).max().unwrap_or(0) + 1;
    incident.actions.push(Action {
        nr,
        text: text.clone(),
        owner: owner.clone(),
        deadline,
        created: Stamp {
            by: creator,
            at: now,
        },
        status: ActionStatus::Open,
        warned: false,
        deadline_reminded: false,
    });
    let due = deadline.map(|d| format!(", deadline {}", format_moment(d, now)));
    cx.log(
        LogKind::ActionCreated,
        format!(
            "Actie {nr}: {text} (eigenaar {owner}{})",
            due.clone().unwrap_or_default()
        ),
    );
    let created = cx.incident().actions.last().cloned().expect("just pushed");
    cx.say(ActionSaid::Created(created));
    Ok(())
}

/// The last `@user` word of the text is the owner; it leaves the description.
fn take_owner(text: &str, speaker: &Speaker) -> Result<(String, Option<String>), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mention = words
        .iter()
        .rposition(|w| w.starts_with('@') && parse_user(w, speaker.sender).is_some());
    let Some(i) = mention else {
        return Ok((words.join(" "), None));
    };
    let owner = find_user(words[i], speaker)?;
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, w)| *w)
        .collect();
    Ok((rest.join(" "), Some(owner)))
}

/// Deadlines further ahead than this are typing errors, not crisis work.
const FURTHEST_DEADLINE_DAYS: i64 = 366;

fn refuse_past(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Refusal> {
    if deadline > now + chrono::Duration::days(FURTHEST_DEADLINE_DAYS) {
        return Err(Refusal::Usage(format!(
            "Die deadline ({}) ligt meer dan een jaar vooruit. Kies een tijd binnen een jaar, bijvoorbeeld morgen 9:00.",
            format_moment(deadline, now)
        )));
    }
    if deadline <= now {
        return Err(Refusal::Usage(format!(
            "Die deadline ({}) is al voorbij. Kies een tijd in de toekomst, bijvoorbeeld over 1 uur of morgen 9:00.",
            format_moment(deadline, now)
        )));
    }
    Ok(())
}

/// The action `nr`, if the sender may change it (owner, creator or chair).
fn changeable(cx: &Cx) -> Result<usize, Refusal> {
    let nr = cx.number("nr")?;
    let incident = cx.incident();
    let found = nr
        .value
        .and_then(|n| incident.actions.iter().position(|a| a.nr == n));
    let Some(index) = found else {
        return Err(Refusal::Usage(format!(
            "Actie {nr} bestaat niet. Zie {}acties alle.",
            cx.prefix()
        )));
    };
    let action = &incident.actions[index];
    let sender = cx.sender();
    if action.owner != sender && action.created.by != sender && !cx.is_chair(sender) {
        return Err(Refusal::No(format!(
            "Actie {nr} is van {}. Alleen de eigenaar, wie hem maakte ({}) of de voorzitter kan hem wijzigen.",
            action.owner, action.created.by
        )));
    }
    if let ActionStatus::Done(s) | ActionStatus::Cancelled(s) = &action.status {
        let what = if matches!(action.status, ActionStatus::Done(_)) {
            "klaar gemeld"
        } else {
            "vervallen"
        };
        return Err(Refusal::No(format!(
            "Actie {nr} is al {what} door {} ({}).",
            s.by,
            format_moment(s.at, cx.now())
        )));
    }
    Ok(index)
}

fn finish(cx: &mut Cx, done: bool) -> Result<(), Refusal> {
    let index = changeable(cx)?;
    let stamp = Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    };
    let action = &mut cx.incident_mut().actions[index];
    action.status = if done {
        ActionStatus::Done(stamp)
    } else {
        ActionStatus::Cancelled(stamp)
    };
    let finished = action.clone();
    let word = if done { "klaar" } else { "vervallen" };
    cx.log(
        LogKind::ActionChanged,
        format!("Actie {} {word}: {}", finished.nr, finished.text),
    );
    cx.say(ActionSaid::Finished(finished));
    Ok(())
}

pub(super) fn done(cx: &mut Cx) -> Result<(), Refusal> {
    finish(cx, true)
}

pub(super) fn cancel(cx: &mut Cx) -> Result<(), Refusal> {
    finish(cx, false)
}

pub(super) fn deadline(cx: &mut Cx) -> Result<(), Refusal> {
    let index = changeable(cx)?;
    let now = cx.now();
    let input = cx.text("tijd")?;
    let deadline = parse_moment(input, now).map_err(|e| Refusal::Usage(e.to_string()))?;
    refuse_past(deadline, now)?;
    let action = &mut cx.incident_mut().actions[index];
    action.deadline = Some(deadline);
    action.warned = false;
    action.deadline_reminded = false;
    let changed = action.clone();
    cx.log(
        LogKind::ActionChanged,
        format!(
            "Actie {}: deadline {}",
            changed.nr,
            format_moment(deadline, now)
        ),
    );
    cx.say(ActionSaid::DeadlineSet(changed));
    Ok(())
}

pub(super) fn assign(cx: &mut Cx) -> Result<(), Refusal> {
    let index = changeable(cx)?;
    let who = cx.user("wie")?.to_string();
    let action = &mut cx.incident_mut().actions[index];
    let previous = std::mem::replace(&mut action.owner, who.clone());
    let action = action.clone();
    cx.log(
        LogKind::ActionChanged,
        format!("Actie {}: eigenaar {who} (was {previous})", action.nr),
    );
    cx.say(ActionSaid::Reassigned { action, previous });
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let filter = match cx.args.text("filter").map(str::to_lowercase).as_deref() {
        None | Some("open") => ActionFilter::Open,
        Some("mijn" | "mine" | "my") => ActionFilter::Mine,
        Some("alle" | "all") => ActionFilter::All,
        Some(other) => {
            return Err(Refusal::Usage(format!(
                "'{other}' ken ik niet; kies mijn of alle, of laat het weg."
            )));
        }
    };
    let sender = cx.sender();
    let keep = |a: &Action| match filter {
        ActionFilter::Open => a.status == ActionStatus::Open,
        ActionFilter::Mine => a.status == ActionStatus::Open && a.owner == sender,
        ActionFilter::All => true,
    };
    let mut actions: Vec<Action> = cx
        .incident()
        .actions
        .iter()
        .filter(|a| keep(a))
        .cloned()
        .collect();
    by_urgency(&mut actions);
    cx.say(ActionSaid::List { filter, actions });
    Ok(())
}

/// Soonest deadline first; actions without deadline after those with one.
pub(super) fn by_urgency(actions: &mut [Action]) {
    actions.sort_by_key(|a| (a.deadline.is_none(), a.deadline, a.nr));
}
