//! What the clock makes the bot say: deadline mentions, the overdue digest,
//! public-update cadence, checklist nudges and unfilled roles.
//!
//! Everything is derived from the incident's state and the time handed in:
//! [`plan`] lists what is coming, [`Core::tick`] says what is due and records
//! that it did, so nothing is said twice and a restart loses nothing.

use chrono::{DateTime, Duration, Utc};

use super::{
    Core, LogDraft, Outcome, Refusal, checklists, live, oneliners, press, rumours, shortcuts,
};
use crate::draaiboek::{self, Draaiboek};
use crate::model::{Action, ActionStatus, Incident, LogKind, PublicUpdate, RoomRecord};
use crate::render::chat::{Names, plural};
use crate::timeexpr::{format_clock, format_duration, parse_duration};
pub use crate::view::Planned;
use crate::view::{Reminder, ReminderSaid};

/// Who the scheduler is in the logboek.
pub const BOT: &str = "kernteam-bot";

/// A reminder sent more than this after its time is marked as late.
const LATE_AFTER: Duration = Duration::minutes(2);

/// The longest `!stil` a team can ask for: a crisis does not sleep long.
const MAX_QUIET: Duration = Duration::hours(8);

impl Planned {
    /// Nudges wait while the room is quiet; an owner's deadline never does.
    fn snoozable(&self) -> bool {
        !matches!(
            self,
            Planned::Warning { .. }
                | Planned::Deadline { .. }
                | Planned::PressWarning { .. }
                | Planned::PressDeadline { .. }
                | Planned::SitrapRefresh
        )
    }
}

fn minutes(m: u32) -> Duration {
    Duration::minutes(m.into())
}

/// Every reminder still to come for this incident, with its time (which may
/// lie in the past: then it is due). Closed incidents have none, but their
/// sitrap may still need its final edit.
pub fn plan(book: &Draaiboek, incident: &Incident) -> Vec<(DateTime<Utc>, Planned)> {
    let refresh = live::refresh_at(incident).map(|at| (at, Planned::SitrapRefresh));
    if incident.closed.is_some() {
        return refresh.into_iter().collect();
    }
    let cadence = &book.cadence;
    let notes = &incident.reminders;
    let mut plan = Vec::new();

    let open_with_deadline = incident
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .filter_map(|a| a.deadline.map(|d| (a, d)));
    let warning = minutes(cadence.deadline_warning_minutes);
    let mut earliest_deadline: Option<DateTime<Utc>> = None;
    for (action, deadline) in open_with_deadline {
        earliest_deadline = Some(earliest_deadline.map_or(deadline, |e| e.min(deadline)));
        if action.deadline_reminded {
            continue;
        }
        // No warning for a deadline set closer than the warning time.
        if !action.warned && deadline - warning > action.created.at {
            plan.push((deadline - warning, Planned::Warning { action: action.nr }));
        }
        plan.push((deadline, Planned::Deadline { action: action.nr }));
    }

    let press_deadline = press::plan(incident, warning, &mut plan);
    if let Some(earliest) = earliest_deadline.into_iter().chain(press_deadline).min() {
        // The owner hears at the deadline; the chair a while later, and then
        // at most once per interval for all overdue actions together.
        let first = earliest + warning;
        let at = match notes.overdue_digest_at {
            Some(last) => first.max(last + minutes(cadence.overdue_digest_minutes)),
            None => first,
        };
        plan.push((at, Planned::OverdueDigest));
    }

    let update_every = match &notes.last_update {
        None => Some(minutes(cadence.first_update_minutes)),
        Some(_) => book
            .phase(&incident.phase)
            .and_then(|p| p.update_every_minutes)
            .map(minutes),
    };
    if let Some(every) = update_every {
        let since = notes
            .last_update
            .as_ref()
            .map_or(incident.opened_at, |u| u.at);
        let due = since + every;
        let at = match notes.update_nudged_at {
            Some(nudged) if nudged >= due => nudged + every,
            _ => due,
        };
        plan.push((at, Planned::PublicUpdate));
    }

    if open_phase_items(book, incident) > 0 || rumours::any_open(incident) {
        let since = notes
            .checklist_nudged_at
            .map_or(incident.phase_since, |n| n.max(incident.phase_since));
        plan.push((
            since + minutes(cadence.checklist_nudge_minutes),
            Planned::ChecklistNudge,
        ));
    }

    if let Some(at) = notes.roles_check_at {
        plan.push((at, Planned::UnfilledRoles));
    }

    if let Some(quiet) = notes.quiet_until {
        for (at, item) in &mut plan {
            if item.snoozable() && *at < quiet {
                *at = quiet;
            }
        }
    }
    plan.extend(refresh);
    plan.sort_by_key(|(at, _)| *at);
    plan
}

pub fn next_due(book: &Draaiboek, incident: &Incident) -> Option<DateTime<Utc>> {
    plan(book, incident).first().map(|(at, _)| *at)
}

fn open_phase_items(book: &Draaiboek, incident: &Incident) -> usize {
    book.phase(&incident.phase).map_or(0, |phase| {
        (checklists::phase_steps(book, incident, phase).iter())
            .map(|step| step.open.len())
            .sum()
    })
}

/// The key roles nobody holds, e.g. woordvoerder and notulist.
pub fn missing_key_roles(book: &Draaiboek, incident: &Incident) -> Vec<String> {
    book.roles
        .iter()
        .filter(|r| r.key && !incident.roles.contains_key(&r.id))
        .map(|r| r.id.clone())
        .collect()
}

impl Core {
    /// Says everything that is due at `now` in one message, and records it.
    pub fn tick(
        &self,
        incident: &Incident,
        room: &RoomRecord,
        now: DateTime<Utc>,
        names: &dyn Names,
    ) -> Outcome {
        let book = &self.draaiboek;
        let due: Vec<(DateTime<Utc>, Planned)> = plan(book, incident)
            .into_iter()
            .filter(|(at, _)| *at <= now)
            .collect();
        if due.is_empty() {
            return Outcome::default();
        }
        let mut next = incident.clone();
        let mut sections = Vec::new();
        let mut log = Vec::new();
        // The deadline itself supersedes its warning when both are due.
        let superseded = |item: &Planned| {
            let deadline = match item {
                Planned::Warning { action } => Planned::Deadline { action: *action },
                Planned::PressWarning { question } => Planned::PressDeadline {
                    question: *question,
                },
                _ => return false,
            };
            due.iter().any(|(_, i)| *i == deadline)
        };
        for (_, item) in &due {
            if superseded(item) {
                continue;
            }
            if let Some((section, text)) = remind(book, &mut next, item, now) {
                sections.push(section);
                log.push(text);
            }
        }
        let late_since = due
            .iter()
            .filter(|(_, item)| *item != Planned::SitrapRefresh)
            .map(|(at, _)| *at)
            .find(|at| now - *at > LATE_AFTER)
            .filter(|_| !sections.is_empty());
        let mut effects = Vec::new();
        let mut room_after = None;
        if !sections.is_empty() {
            let chat = self.chat(names, now);
            let said = ReminderSaid::Due {
                late_since,
                sections,
            };
            let said = said.into();
            let (shown, rest) = chat.page(chat.render(&said));
            if let Some(rest) = rest {
                let mut room = room.clone();
                room.more.insert(String::new(), rest);
                room_after = Some(room);
            }
            effects.push(shortcuts::message(shown, &said, Some(incident.id)));
        }
        let outcome = Outcome {
            lane: None,
            next_due: next_due(book, &next),
            incident: Some(next),
            log: log
                .into_iter()
                .map(|text| LogDraft {
                    actor: BOT.to_string(),
                    kind: LogKind::Reminder,
                    text,
                })
                .collect(),
            effects,
            room: room_after,
        };
        self.with_room_effects(Some(incident), outcome, now, names)
    }
}

/// Says one due item, records in `next` that it was said, and returns the
/// section and its logboek line; `None` when there is nothing left to say.
fn remind(
    book: &Draaiboek,
    next: &mut Incident,
    item: &Planned,
    now: DateTime<Utc>,
) -> Option<(Reminder, String)> {
    match item {
        Planned::Warning { action } => {
            let a = action_mut(next, *action);
            a.warned = true;
            let text = format!("Herinnering actie {} aan {}", a.nr, a.owner);
            Some((Reminder::Warning(a.clone()), text))
        }
        Planned::Deadline { action } => {
            let a = action_mut(next, *action);
            a.warned = true;
            a.deadline_reminded = true;
            let text = format!("Deadline actie {} gemeld aan {}", a.nr, a.owner);
            Some((Reminder::Deadline(a.clone()), text))
        }
        Planned::OverdueDigest => overdue_digest(next, now),
        Planned::PublicUpdate => {
            next.reminders.update_nudged_at = Some(now);
            let section = Reminder::UpdateDue {
                chair: holder(next, draaiboek::CHAIR),
                adviser: holder(next, draaiboek::COMMS_ADVISER),
                last: next.reminders.last_update.clone(),
                opened_at: next.opened_at,
                approved: oneliners::approved_lines(next),
            };
            Some((section, "Publieksupdate herinnerd".to_string()))
        }
        Planned::ChecklistNudge => {
            let phase = book.phase(&next.phase)?;
            next.reminders.checklist_nudged_at = Some(now);
            let (rumours, watchers) = rumours::for_nudge(next);
            let text = match rumours.len() {
                0 => "Open checklistpunten herinnerd".to_string(),
                n => format!(
                    "Open checklistpunten en {n} open {} herinnerd",
                    plural(n, "gerucht", "geruchten")
                ),
            };
            let section = Reminder::ChecklistNudge {
                phase: phase.id.clone(),
                steps: checklists::phase_steps(book, next, phase),
                rumours,
                watchers,
            };
            Some((section, text))
        }
        Planned::PressWarning { .. } | Planned::PressDeadline { .. } => press::remind(next, item),
        // Not a message: `Core::with_room_effects` edits the sitrap.
        Planned::SitrapRefresh => None,
        Planned::UnfilledRoles => {
            next.reminders.roles_check_at = None;
            let missing = missing_key_roles(book, next);
            if missing.is_empty() {
                return None;
            }
            let text = format!("Onbezette rollen gemeld: {}", missing.join(", "));
            Some((Reminder::UnfilledRoles(missing), text))
        }
    }
}

/// All overdue actions and press questions, for the voorzitter.
fn overdue_digest(next: &mut Incident, now: DateTime<Utc>) -> Option<(Reminder, String)> {
    let overdue: Vec<Action> = next
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .filter(|a| a.deadline.is_some_and(|d| d <= now))
        .cloned()
        .collect();
    let late_press = press::overdue(next, now);
    if overdue.is_empty() && late_press.is_empty() {
        return None;
    }
    next.reminders.overdue_digest_at = Some(now);
    let counts = [
        (overdue.len(), "actie", "acties"),
        (late_press.len(), "persvraag", "persvragen"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} te late {}", plural(*n, one, many)))
        .collect();
    let text = format!("{} gemeld aan voorzitter", parts.join(" en "));
    let chair = holder(next, draaiboek::CHAIR);
    let section = Reminder::Overdue {
        chair,
        actions: overdue,
        press: late_press,
    };
    Some((section, text))
}

fn holder(incident: &Incident, role: &str) -> Option<String> {
    incident.roles.get(role).map(|h| h.user.clone())
}

fn action_mut(incident: &mut Incident, nr: u32) -> &mut Action {
    incident
        .actions
        .iter_mut()
        .find(|a| a.nr == nr)
        .expect("planned from this incident's actions")
}

// --- the commands ------------------------------------------------------------

/// A public update went out at `update.at`: the cadence starts again from
/// there (an earlier one than the last recorded changes nothing).
pub(super) fn record_public_update(incident: &mut Incident, update: PublicUpdate) {
    incident.updates.push(update.clone());
    let notes = &mut incident.reminders;
    if notes
        .last_update
        .as_ref()
        .is_none_or(|last| last.at <= update.at)
    {
        notes.last_update = Some(update);
        notes.update_nudged_at = None;
    }
}

/// The phase and its update cadence in minutes, when it has one.
pub(super) fn cadence(book: &Draaiboek, incident: &Incident) -> Option<(String, u32)> {
    book.phase(&incident.phase)
        .and_then(|p| p.update_every_minutes.map(|m| (p.id.clone(), m)))
}

pub(super) fn public_update(cx: &mut super::Cx) -> Result<(), Refusal> {
    let text = cx.text("tekst")?.to_string();
    let update = PublicUpdate {
        text: text.clone(),
        by: cx.sender().to_string(),
        at: cx.now(),
    };
    let next = cadence(cx.book(), cx.incident());
    record_public_update(cx.incident_mut(), update.clone());
    cx.log(LogKind::PublicUpdate, format!("Publieksupdate: {text}"));
    cx.say(ReminderSaid::UpdateRecorded { update, next });
    Ok(())
}

pub(super) fn quiet(cx: &mut super::Cx) -> Result<(), Refusal> {
    let input = cx.text("duur")?.trim().to_lowercase();
    let now = cx.now();
    if matches!(input.as_str(), "uit" | "stop" | "off" | "klaar") {
        if cx.incident().reminders.quiet_until.is_none_or(|q| q <= now) {
            cx.say(ReminderSaid::WasNotQuiet);
            return Ok(());
        }
        cx.incident_mut().reminders.quiet_until = None;
        cx.log(LogKind::Quiet, "Herinneringen weer aan");
        cx.say(ReminderSaid::QuietOff);
        return Ok(());
    }
    let span = parse_duration(&input).map_err(|e| Refusal::Usage(e.to_string()))?;
    if span > MAX_QUIET {
        return Err(Refusal::Usage(format!(
            "Maximaal {} stil; kies een kortere duur.",
            format_duration(MAX_QUIET)
        )));
    }
    let until = now + span;
    cx.incident_mut().reminders.quiet_until = Some(until);
    cx.log(
        LogKind::Quiet,
        format!("Herinneringen stil tot {}", format_clock(until)),
    );
    cx.say(ReminderSaid::QuietUntil(until));
    Ok(())
}

pub(super) fn list(cx: &mut super::Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let incident = cx.incident();
    let items = plan(cx.book(), incident);
    let quiet_until = incident.reminders.quiet_until.filter(|q| *q > now);
    let actions = incident.actions.clone();
    cx.say(ReminderSaid::Planned {
        items,
        actions,
        quiet_until,
    });
    Ok(())
}
