//! What the clock makes the bot say: deadline mentions, the overdue digest,
//! public-update cadence, checklist nudges and unfilled roles.
//!
//! Everything is derived from the incident's state and the time handed in:
//! [`plan`] lists what is coming, [`Core::tick`] says what is due and records
//! that it did, so nothing is said twice and a restart loses nothing.

use chrono::{DateTime, Duration, Utc};

use super::{Core, LogDraft, Outcome, Refusal, checklists};
use crate::draaiboek::{self, Draaiboek};
use crate::model::{ActionStatus, Incident, LogKind, PublicUpdate};
use crate::reply::Reply;
use crate::timeexpr::{format_clock, format_duration, format_moment, parse_duration};

/// Who the scheduler is in the logboek.
pub const BOT: &str = "kernteam-bot";

/// A reminder sent more than this after its time is marked as late.
const LATE_AFTER: Duration = Duration::minutes(2);

/// The longest `!stil` a team can ask for: a crisis does not sleep long.
const MAX_QUIET: Duration = Duration::hours(8);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// The owner, some minutes before the deadline.
    Warning { action: u32 },
    /// The owner, at the deadline.
    Deadline { action: u32 },
    /// The voorzitter: all overdue actions in one message.
    OverdueDigest,
    /// The voorzitter and communicatieadviseur: a public update is due.
    PublicUpdate,
    /// The room: open checklist items of the current phase.
    ChecklistNudge,
    /// The room: key roles nobody holds.
    UnfilledRoles,
}

impl Planned {
    /// Nudges wait while the room is quiet; an owner's deadline never does.
    fn snoozable(&self) -> bool {
        !matches!(self, Planned::Warning { .. } | Planned::Deadline { .. })
    }
}

fn minutes(m: u32) -> Duration {
    Duration::minutes(m.into())
}

/// Every reminder still to come for this incident, with its time (which may
/// lie in the past: then it is due). Closed incidents have none.
pub fn plan(book: &Draaiboek, incident: &Incident) -> Vec<(DateTime<Utc>, Planned)> {
    if incident.closed.is_some() {
        return Vec::new();
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

    if let Some(earliest) = earliest_deadline {
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

    if open_phase_items(book, incident) > 0 {
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
    plan.sort_by_key(|(at, _)| *at);
    plan
}

pub fn next_due(book: &Draaiboek, incident: &Incident) -> Option<DateTime<Utc>> {
    plan(book, incident).first().map(|(at, _)| *at)
}

fn open_phase_items(book: &Draaiboek, incident: &Incident) -> usize {
    book.phase(&incident.phase).map_or(0, |phase| {
        phase
            .checklists
            .iter()
            .filter_map(|c| book.checklist(c))
            .map(|list| checklists::open_items(incident, list).len())
            .sum()
    })
}

/// "woordvoerder, notulist" when key roles are empty.
pub fn missing_key_roles(book: &Draaiboek, incident: &Incident) -> Option<String> {
    let missing: Vec<&str> = book
        .roles
        .iter()
        .filter(|r| r.key && !incident.roles.contains_key(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

impl Core {
    /// Says everything that is due at `now` in one message, and records it.
    pub fn tick(&self, incident: &Incident, now: DateTime<Utc>) -> Outcome {
        let book = &self.draaiboek;
        let due: Vec<(DateTime<Utc>, Planned)> = plan(book, incident)
            .into_iter()
            .filter(|(at, _)| *at <= now)
            .collect();
        if due.is_empty() {
            return Outcome::default();
        }
        let mut next = incident.clone();
        let mut r = Reply::new();
        let mut log = Vec::new();
        let late: Vec<DateTime<Utc>> = due
            .iter()
            .map(|(at, _)| *at)
            .filter(|at| now - *at > LATE_AFTER)
            .collect();
        let p = &self.prefix;

        // The deadline itself supersedes its warning when both are due.
        let deadlines: Vec<u32> = due
            .iter()
            .filter_map(|(_, item)| match item {
                Planned::Deadline { action } => Some(*action),
                _ => None,
            })
            .collect();
        for (_, item) in &due {
            match item {
                Planned::Warning { action } if !deadlines.contains(action) => {
                    let a = action_mut(&mut next, *action);
                    a.warned = true;
                    let deadline = a.deadline.expect("planned from a deadline");
                    section(&mut r).text("⏰ ").mention(&a.owner).text(format!(
                        " actie {}: {} — deadline {} (over {}).",
                        a.nr,
                        a.text,
                        format_moment(deadline, now),
                        format_duration(deadline - now)
                    ));
                    log.push(format!("Herinnering actie {} aan {}", a.nr, a.owner));
                }
                Planned::Warning { .. } => {}
                Planned::Deadline { action } => {
                    let a = action_mut(&mut next, *action);
                    a.warned = true;
                    a.deadline_reminded = true;
                    section(&mut r).text("⏰ ").mention(&a.owner).text(format!(
                        " deadline van actie {}: {} ({}). Klaar? {p}actie {} klaar",
                        a.nr,
                        a.text,
                        format_clock(a.deadline.expect("planned from a deadline")),
                        a.nr
                    ));
                    log.push(format!("Deadline actie {} gemeld aan {}", a.nr, a.owner));
                }
                Planned::OverdueDigest => {
                    let overdue: Vec<_> = next
                        .actions
                        .iter()
                        .filter(|a| a.status == ActionStatus::Open)
                        .filter(|a| a.deadline.is_some_and(|d| d <= now))
                        .collect();
                    if overdue.is_empty() {
                        continue;
                    }
                    let s = section(&mut r);
                    s.text("⚠️ Te laat (");
                    mention_role_or_room(s, &next, draaiboek::CHAIR);
                    s.text(format!("): {} actie(s)", overdue.len()));
                    for a in &overdue {
                        s.item();
                        super::actions::append_action(s, a, now);
                    }
                    log.push(format!(
                        "{} te late actie(s) gemeld aan voorzitter",
                        overdue.len()
                    ));
                    next.reminders.overdue_digest_at = Some(now);
                }
                Planned::PublicUpdate => {
                    let s = section(&mut r);
                    s.text("📣 Publieksupdate nodig (");
                    mention_role_or_room(s, &next, draaiboek::CHAIR);
                    s.text(", ");
                    mention_role_or_room(s, &next, draaiboek::COMMS_ADVISER);
                    s.text("). ");
                    match &next.reminders.last_update {
                        Some(u) => s.text(format!(
                            "Laatste update {}: “{}”.",
                            format_moment(u.at, now),
                            u.text
                        )),
                        None => s.text(format!(
                            "Nog geen update sinds het incident {} begon.",
                            format_moment(next.opened_at, now)
                        )),
                    };
                    let approved: Vec<_> = next
                        .oneliners
                        .iter()
                        .filter_map(|o| o.current().map(|v| (o.nr, v.text.clone())))
                        .collect();
                    if approved.is_empty() {
                        s.newline().text("Nog geen goedgekeurde oneliners.");
                    } else {
                        s.newline().text("Goedgekeurde oneliners:");
                        for (nr, text) in approved {
                            s.newline().text(format!("{nr}. ")).quote(text);
                        }
                    }
                    s.newline().text(format!("Uitgegaan? {p}update <tekst>"));
                    log.push("Publieksupdate herinnerd".to_string());
                    next.reminders.update_nudged_at = Some(now);
                }
                Planned::ChecklistNudge => {
                    let Some(phase) = book.phase(&next.phase) else {
                        continue;
                    };
                    let s = section(&mut r);
                    s.text(format!("☑️ Nog open in fase {}:", phase.name));
                    for list in phase.checklists.iter().filter_map(|c| book.checklist(c)) {
                        let open = checklists::open_items(&next, list);
                        if !open.is_empty() {
                            let ids: Vec<_> = open.iter().map(|i| i.id.as_str()).collect();
                            s.item().text(format!("{}: {}", list.name, ids.join(" ")));
                        }
                    }
                    s.newline().text(format!("Details: {p}checklist <stap>"));
                    log.push("Open checklistpunten herinnerd".to_string());
                    next.reminders.checklist_nudged_at = Some(now);
                }
                Planned::UnfilledRoles => {
                    next.reminders.roles_check_at = None;
                    if let Some(missing) = missing_key_roles(book, &next) {
                        section(&mut r).text(format!(
                            "👥 Nog onbezet: {missing}. Verdeel met {p}rol <rol> @naam of neem er een met {p}rol <rol> mij."
                        ));
                        log.push(format!("Onbezette rollen gemeld: {missing}"));
                    }
                }
            }
        }
        if let Some(first) = late.first().filter(|_| !r.is_empty()) {
            let mut late = Reply::say(format!(
                "🕰️ Verlaat: de bot was niet bereikbaar (sinds {}).",
                format_clock(*first)
            ));
            late.newline().append(r);
            r = late;
        }
        let log = log
            .into_iter()
            .map(|text| LogDraft {
                actor: BOT.to_string(),
                kind: LogKind::Reminder,
                text,
            })
            .collect();
        Outcome {
            next_due: next_due(book, &next),
            incident: Some(next),
            log,
            replies: if r.is_empty() { Vec::new() } else { vec![r] },
            room: None,
        }
    }
}

fn action_mut(incident: &mut Incident, nr: u32) -> &mut crate::model::Action {
    incident
        .actions
        .iter_mut()
        .find(|a| a.nr == nr)
        .expect("planned from this incident's actions")
}

/// Starts a new paragraph unless the message is still empty.
fn section(r: &mut Reply) -> &mut Reply {
    if !r.is_empty() {
        r.newline();
    }
    r
}

fn mention_role_or_room(r: &mut Reply, incident: &Incident, role: &str) {
    match incident.roles.get(role) {
        Some(holder) => r.mention(&holder.user),
        None => r.text(format!("{role} onbezet")),
    };
}

// --- the commands ------------------------------------------------------------

pub(super) fn public_update(cx: &mut super::Cx) -> Result<(), Refusal> {
    let text = cx.args.text("tekst").unwrap_or_default().to_string();
    let now = cx.now();
    let update = PublicUpdate {
        text: text.clone(),
        by: cx.sender().to_string(),
        at: now,
    };
    let book = cx.core.draaiboek.clone();
    let incident = cx.incident_mut();
    incident.reminders.last_update = Some(update);
    incident.reminders.update_nudged_at = None;
    let phase = book.phase(&incident.phase).cloned();
    cx.log(LogKind::PublicUpdate, format!("Publieksupdate: {text}"));
    let mut r = Reply::new();
    r.text(format!(
        "📣 Publieksupdate vastgelegd ({}).",
        format_clock(now)
    ));
    match phase
        .as_ref()
        .and_then(|p| p.update_every_minutes.map(|m| (p, m)))
    {
        Some((phase, every)) => r.newline().text(format!(
            "Volgende uiterlijk {} (fase {}: elke {}).",
            format_moment(now + minutes(every), now),
            phase.id,
            format_duration(minutes(every))
        )),
        None => r
            .newline()
            .text("In deze fase geldt geen vaste frequentie voor updates."),
    };
    cx.reply(r);
    Ok(())
}

pub(super) fn quiet(cx: &mut super::Cx) -> Result<(), Refusal> {
    let input = cx
        .args
        .text("duur")
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let now = cx.now();
    if matches!(input.as_str(), "uit" | "stop" | "off" | "klaar") {
        if cx.incident().reminders.quiet_until.is_none_or(|q| q <= now) {
            cx.reply(Reply::say("Herinneringen stonden niet stil."));
            return Ok(());
        }
        cx.incident_mut().reminders.quiet_until = None;
        cx.log(LogKind::Quiet, "Herinneringen weer aan");
        cx.reply(Reply::say("🔔 Herinneringen staan weer aan."));
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
    cx.reply(Reply::say(format!(
        "🔕 Herinneringen stil tot {}. Deadlines van eigenaren gaan door. Eerder aan: {}stil uit",
        format_moment(until, now),
        cx.prefix()
    )));
    Ok(())
}

pub(super) fn list(cx: &mut super::Cx) -> Result<(), Refusal> {
    let now = cx.now();
    let incident = cx.incident();
    let mut r = Reply::new();
    r.text("🗓️ Ingepland:");
    let planned = plan(cx.book(), incident);
    if planned.is_empty() {
        r.item().text("niets");
    }
    for (at, item) in planned {
        let when = if at <= now {
            "nu".to_string()
        } else {
            format_moment(at, now)
        };
        let what = match item {
            Planned::Warning { action } => format!("vooraankondiging deadline actie {action}"),
            Planned::Deadline { action } => format!("deadline actie {action}"),
            Planned::OverdueDigest => "overzicht te late acties voor de voorzitter".into(),
            Planned::PublicUpdate => "publieksupdate nodig".into(),
            Planned::ChecklistNudge => "open checklistpunten".into(),
            Planned::UnfilledRoles => "onbezette rollen".into(),
        };
        r.item().text(format!("{when}: {what}"));
    }
    if let Some(quiet) = incident.reminders.quiet_until.filter(|q| *q > now) {
        r.newline().text(format!(
            "🔕 Stil tot {} (deadlines van eigenaren gaan door).",
            format_moment(quiet, now)
        ));
    }
    cx.reply(r);
    Ok(())
}
