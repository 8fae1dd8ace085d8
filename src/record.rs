//! The whole record of one incident as it leaves the chat: for the evaluation
//! (Handreiking §3.4, Bijlage 5 stap 6), an Inspectie feitenrelaas and Woo
//! requests.
//!
//! [`Record::build`] is a pure function of the incident, its complete
//! logboek and the draaiboek. The renderers (`render::markdown`,
//! `render::html`, and JSON through serde, schema `docs/export.schema.json`)
//! only format it; [`verify`] checks a JSON export against itself. Every
//! dated statement in a section names the logboek entry that recorded it
//! (`seq`), so a changed word anywhere in the file is caught: in the logboek
//! by the hash chain, in a section by the entry it names.

mod claims;
pub mod verify;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::draaiboek::Draaiboek;
use crate::model::{ActionStatus, Incident, IncidentId, LogEntry, LogKind, PublicUpdate, UserId};
use crate::timeexpr::ZONE;

/// Raised whenever a field changes meaning or goes away (a new optional
/// field does not need it); `docs/export.schema.json` describes this version.
pub const SCHEMA_VERSION: u32 = 1;

/// The logboek kinds marked on the timeline picture, in legend order. A kind
/// added here (a diagnosis advice, say) is drawn without touching a renderer.
pub const MARKED: &[LogKind] = &[
    LogKind::Decision,
    LogKind::PublicUpdate,
    LogKind::DiagnosisAdvice,
];

/// The logboek kinds of the chronological overview (the milestones).
pub const MILESTONES: &[LogKind] = &[
    LogKind::IncidentOpened,
    LogKind::ScenarioChosen,
    LogKind::PhaseChanged,
    LogKind::Decision,
    LogKind::Advice,
    LogKind::DiagnosisAdvice,
    LogKind::Scaling,
    LogKind::OnelinerApproved,
    LogKind::TextPublished,
    LogKind::OnelinerRetracted,
    LogKind::PublicUpdate,
    LogKind::Pinned,
    LogKind::Anchor,
    LogKind::IncidentClosed,
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema_version: u32,
    /// The program and version that made the file, e.g. "kernteam-bot 0.1.0".
    pub generator: String,
    pub generated_at: DateTime<Utc>,
    pub incident: Header,
    pub phases: Vec<PhasePeriod>,
    pub roles: Vec<RolePeriod>,
    pub actions: Vec<ActionRecord>,
    pub decisions: Vec<DecisionRecord>,
    pub oneliners: Vec<OnelinerRecord>,
    pub public_updates: Vec<UpdateRecord>,
    pub checklist: Vec<TickRecord>,
    /// The reminders the bot sent: `seq`s of logboek entries.
    pub reminders: Vec<u64>,
    /// Messages pinned in or unpinned from the room: `seq`s of logboek entries.
    pub pins: Vec<u64>,
    /// The whole logboek, oldest first.
    pub log: Vec<LogLine>,
    pub chain: Chain,
    pub anchors: Vec<AnchorRecord>,
}

/// When something happened, who did it, and the logboek entry that says so
/// (`None` when no entry matches, e.g. data from before a field existed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub by: Option<UserId>,
    pub seq: Option<u64>,
}

impl Event {
    fn new(at: DateTime<Utc>, by: &str) -> Event {
        Event {
            at,
            by: Some(by.to_string()),
            seq: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub id: IncidentId,
    pub room: String,
    pub title: String,
    pub scenario: Option<ScenarioRecord>,
    pub opened: Event,
    pub closed: Option<Event>,
    pub close_reason: Option<String>,
    /// An exercise (`!oefening open`): every rendering says OEFENING.
    #[serde(default)]
    pub exercise: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRecord {
    pub id: String,
    pub name: String,
    pub chosen: Option<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhasePeriod {
    pub phase: String,
    /// 1..=5 in the draaiboek's order; `None` for a phase it no longer has.
    pub number: Option<u8>,
    pub name: String,
    pub from: Event,
    /// The next phase's start or the closing; `None` while it lasts.
    pub until: Option<DateTime<Utc>>,
    pub seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolePeriod {
    pub role: String,
    pub name: String,
    pub user: UserId,
    pub from: Event,
    /// Released or handed over; `None` while held.
    pub until: Option<Event>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionState {
    Open,
    Done,
    Dropped,
}

/// An action as it stands; owner and deadline are the latest values, their
/// earlier values are in the logboek.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub nr: u32,
    pub text: String,
    pub owner: UserId,
    pub deadline: Option<DateTime<Utc>>,
    pub created: Event,
    pub state: ActionState,
    /// Done or dropped: when and by whom.
    pub finished: Option<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub nr: usize,
    pub text: String,
    pub decided: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnelinerRecord {
    pub nr: u32,
    pub audience: Option<String>,
    pub versions: Vec<VersionRecord>,
    pub retracted: Option<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRecord {
    pub version: usize,
    pub text: String,
    pub proposed: Event,
    pub approved: Option<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateRecord {
    pub nr: usize,
    pub text: String,
    pub made: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TickRecord {
    pub item: String,
    pub list: String,
    pub text: String,
    pub ticked: Event,
}

/// One logboek entry with everything needed to recompute its hash, plus
/// the local time and the label for readers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// The same moment in Europe/Amsterdam, e.g. "2026-11-23T10:00:00+01:00".
    pub at_local: String,
    pub actor: UserId,
    pub kind: LogKind,
    pub label: String,
    pub text: String,
    pub prev: String,
    pub hash: String,
}

impl LogLine {
    fn from_entry(e: &LogEntry) -> LogLine {
        LogLine {
            seq: e.seq,
            at: e.at,
            at_local: local_time(e.at),
            actor: e.actor.clone(),
            kind: e.kind,
            label: e.kind.label().to_string(),
            text: e.text.clone(),
            prev: e.prev.clone(),
            hash: e.hash.clone(),
        }
    }
}

/// How the entries' hashes are made: plain SHA-256 (`store::entry_hash`),
/// which anyone can recompute, or keyed, which needs the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChainMode {
    Sha256,
    HmacSha256,
}

/// The chain's length and head as the incident records them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    pub mode: ChainMode,
    pub length: u64,
    pub head: String,
}

/// An anchor entry and the entry whose hash it names (the first 64-digit
/// hexadecimal word of its text), if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorRecord {
    pub seq: u64,
    pub anchored_hash: Option<String>,
    pub anchored_seq: Option<u64>,
}

/// A statement of a section and the logboek words that must back it.
pub struct Claim {
    /// What it is, in Dutch, for messages: "besluit 2".
    pub what: String,
    pub kinds: &'static [LogKind],
    pub texts: Vec<String>,
}

/// "2026-11-23T10:00:00+01:00": the moment in Europe/Amsterdam.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ZONE)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

impl Record {
    /// The record of `incident` from its whole logboek (oldest first).
    pub fn build(
        incident: &Incident,
        log: &[LogEntry],
        book: &Draaiboek,
        now: DateTime<Utc>,
    ) -> Record {
        let mut record = Record {
            schema_version: SCHEMA_VERSION,
            generator: format!("kernteam-bot {}", env!("CARGO_PKG_VERSION")),
            generated_at: now,
            incident: header(incident, book, log),
            phases: phases(incident, book),
            roles: roles(incident, book),
            actions: incident.actions.iter().map(action).collect(),
            decisions: incident
                .decisions
                .iter()
                .enumerate()
                .map(|(i, d)| DecisionRecord {
                    nr: i + 1,
                    text: d.text.clone(),
                    decided: Event::new(d.at, &d.by),
                })
                .collect(),
            oneliners: incident.oneliners.iter().map(oneliner).collect(),
            public_updates: updates(incident),
            checklist: ticks(incident, book),
            reminders: seqs(log, &[LogKind::Reminder]),
            pins: seqs(log, &[LogKind::Pinned, LogKind::Unpinned]),
            log: log.iter().map(LogLine::from_entry).collect(),
            chain: Chain {
                mode: ChainMode::Sha256,
                length: incident.log_len,
                head: incident.log_head.clone(),
            },
            anchors: anchors(log),
        };
        let lines = std::mem::take(&mut record.log);
        let index = Index::new(&lines);
        record.for_each_claim(&mut |claim, event| index.link(&claim, event));
        record.log = lines;
        record
    }

    /// Whether the logboek is as long as the incident says and ends in its
    /// head: not so in a store copied while it was being written.
    pub fn is_complete(&self) -> bool {
        self.log.len() as u64 == self.chain.length
            && self.log.last().map_or("", |l| l.hash.as_str()) == self.chain.head
    }

    /// The logboek entry numbered `seq`.
    pub fn entry(&self, seq: u64) -> Option<&LogLine> {
        let at = self.log.partition_point(|l| l.seq < seq);
        self.log.get(at).filter(|l| l.seq == seq)
    }

    /// The milestones, oldest first.
    pub fn milestones(&self) -> impl Iterator<Item = &LogLine> {
        self.log.iter().filter(|l| MILESTONES.contains(&l.kind))
    }

    /// Per marked kind (in [`MARKED`] order), its entries.
    pub fn marked(&self) -> Vec<(LogKind, Vec<&LogLine>)> {
        MARKED
            .iter()
            .map(|k| (*k, self.log.iter().filter(|l| l.kind == *k).collect()))
            .collect()
    }

    /// From the opening to the closing (or to the export, while it lasts).
    pub fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.incident.opened.at;
        let last = self.log.last().map_or(start, |l| l.at);
        let end = match &self.incident.closed {
            Some(closed) => closed.at.max(last),
            None => self.generated_at.max(last),
        };
        (start, end)
    }

    pub fn summary(&self) -> Summary {
        let count = |state| self.actions.iter().filter(|a| a.state == state).count();
        Summary {
            duration: self
                .incident
                .closed
                .as_ref()
                .map(|c| c.at - self.incident.opened.at),
            phase_changes: self.phases.len().saturating_sub(1),
            people: {
                let mut people: Vec<&str> = self.roles.iter().map(|r| r.user.as_str()).collect();
                people.sort_unstable();
                people.dedup();
                people.len()
            },
            actions_open: count(ActionState::Open),
            actions_done: count(ActionState::Done),
            actions_dropped: count(ActionState::Dropped),
            decisions: self.decisions.len(),
            oneliners_approved: self
                .oneliners
                .iter()
                .filter(|o| o.versions.iter().any(|v| v.approved.is_some()))
                .count(),
            updates: self.public_updates.len(),
            reminders: self.reminders.len(),
            entries: self.log.len(),
        }
    }
}

/// The numbers on the first page.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Opening to closing; `None` while the incident lasts.
    pub duration: Option<Duration>,
    pub phase_changes: usize,
    /// Different people who held a role.
    pub people: usize,
    pub actions_open: usize,
    pub actions_done: usize,
    pub actions_dropped: usize,
    pub decisions: usize,
    pub oneliners_approved: usize,
    pub updates: usize,
    pub reminders: usize,
    pub entries: usize,
}

fn header(incident: &Incident, book: &Draaiboek, log: &[LogEntry]) -> Header {
    let scenario = incident.scenario.as_ref().map(|id| ScenarioRecord {
        id: id.clone(),
        name: book
            .scenario(id)
            .map_or_else(|| id.clone(), |s| s.name.clone()),
        chosen: log
            .iter()
            .rev()
            .find(|e| e.kind == LogKind::ScenarioChosen)
            .map(|e| Event::new(e.at, &e.actor)),
    });
    Header {
        id: incident.id,
        room: incident.room.clone(),
        title: incident.title.clone(),
        scenario,
        opened: Event::new(incident.opened_at, &incident.opened_by),
        closed: incident.closed.as_ref().map(|c| Event::new(c.at, &c.by)),
        close_reason: incident.closed.as_ref().and_then(|c| c.reason.clone()),
        exercise: incident.exercise,
    }
}

fn phases(incident: &Incident, book: &Draaiboek) -> Vec<PhasePeriod> {
    let end = incident.closed.as_ref().map(|c| c.at);
    let history = &incident.phase_history;
    history
        .iter()
        .enumerate()
        .map(|(i, change)| {
            let until = history.get(i + 1).map(|next| next.at).or(end);
            let phase = book.phase(&change.phase);
            PhasePeriod {
                phase: change.phase.clone(),
                number: phase.map(|p| p.number),
                name: phase.map_or_else(|| change.phase.clone(), |p| p.name.clone()),
                from: Event::new(change.at, &change.by),
                until,
                seconds: until.map(|u| (u - change.at).num_seconds()),
            }
        })
        .collect()
}

fn roles(incident: &Incident, book: &Draaiboek) -> Vec<RolePeriod> {
    let name = |id: &str| {
        book.role(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let mut periods: Vec<RolePeriod> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for change in &incident.role_history {
        if let Some(i) = open.remove(change.role.as_str()) {
            periods[i].until = Some(Event::new(change.at, &change.by));
        }
        if let Some(user) = &change.holder {
            open.insert(&change.role, periods.len());
            periods.push(RolePeriod {
                role: change.role.clone(),
                name: name(&change.role),
                user: user.clone(),
                from: Event::new(change.at, &change.by),
                until: None,
            });
        }
    }
    // Holders from before the history was kept: who assigned them is
    // filled in from the logboek entry, when one matches.
    for (role, holder) in &incident.roles {
        let known = open
            .get(role.as_str())
            .is_some_and(|i| periods[*i].user == holder.user);
        if !known {
            periods.push(RolePeriod {
                role: role.clone(),
                name: name(role),
                user: holder.user.clone(),
                from: Event {
                    at: holder.since,
                    by: None,
                    seq: None,
                },
                until: None,
            });
        }
    }
    periods.sort_by_key(|p| p.from.at);
    periods
}

fn action(a: &crate::model::Action) -> ActionRecord {
    let (state, finished) = match &a.status {
        ActionStatus::Open => (ActionState::Open, None),
        ActionStatus::Done(s) => (ActionState::Done, Some(Event::new(s.at, &s.by))),
        ActionStatus::Cancelled(s) => (ActionState::Dropped, Some(Event::new(s.at, &s.by))),
    };
    ActionRecord {
        nr: a.nr,
        text: a.text.clone(),
        owner: a.owner.clone(),
        deadline: a.deadline,
        created: Event::new(a.created.at, &a.created.by),
        state,
        finished,
    }
}

fn oneliner(o: &crate::model::Oneliner) -> OnelinerRecord {
    OnelinerRecord {
        nr: o.nr,
        audience: o.audience.clone(),
        versions: o
            .body
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| VersionRecord {
                version: i + 1,
                text: v.text.clone(),
                proposed: Event::new(v.proposed.at, &v.proposed.by),
                approved: v.approved.as_ref().map(|s| Event::new(s.at, &s.by)),
            })
            .collect(),
        retracted: o.body.retracted.as_ref().map(|s| Event::new(s.at, &s.by)),
    }
}

fn updates(incident: &Incident) -> Vec<UpdateRecord> {
    let mut all: Vec<&PublicUpdate> = incident.updates.iter().collect();
    // Incidents from before every update was kept still have the last one.
    if let Some(last) = &incident.reminders.last_update
        && !all.contains(&last)
    {
        all.push(last);
    }
    all.into_iter()
        .enumerate()
        .map(|(i, u)| UpdateRecord {
            nr: i + 1,
            text: u.text.clone(),
            made: Event::new(u.at, &u.by),
        })
        .collect()
}

fn ticks(incident: &Incident, book: &Draaiboek) -> Vec<TickRecord> {
    let mut ticks: Vec<TickRecord> = incident
        .ticked
        .iter()
        .map(|(id, stamp)| {
            let found = book.checklist_item(id);
            TickRecord {
                item: id.clone(),
                list: found.map_or_else(String::new, |(l, _)| l.name.clone()),
                text: found.map_or_else(String::new, |(_, i)| i.text.clone()),
                ticked: Event::new(stamp.at, &stamp.by),
            }
        })
        .collect();
    ticks.sort_by(|a, b| (a.ticked.at, &a.item).cmp(&(b.ticked.at, &b.item)));
    ticks
}

fn seqs(log: &[LogEntry], kinds: &[LogKind]) -> Vec<u64> {
    log.iter()
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| e.seq)
        .collect()
}

fn anchors(log: &[LogEntry]) -> Vec<AnchorRecord> {
    let by_hash: HashMap<&str, u64> = log.iter().map(|e| (e.hash.as_str(), e.seq)).collect();
    log.iter()
        .filter(|e| e.kind == LogKind::Anchor)
        .map(|e| {
            let hash = named_hash(&e.text);
            AnchorRecord {
                seq: e.seq,
                anchored_seq: hash
                    .and_then(|h| by_hash.get(h).copied())
                    .filter(|s| *s < e.seq),
                anchored_hash: hash.map(str::to_string),
            }
        })
        .collect()
}

/// The first word of 64 hexadecimal digits: a SHA-256 hash.
pub fn named_hash(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 64)
}

/// Whether `line` is the entry that backs `claim` about `event`.
pub fn corroborates(line: &LogLine, claim: &Claim, event: &Event) -> bool {
    claim.kinds.contains(&line.kind)
        && line.at == event.at
        && event.by.as_ref().is_none_or(|by| *by == line.actor)
        && claim.texts.iter().all(|t| line.text.contains(t.as_str()))
}

/// The logboek by (kind, time), to find a claim's entry without a scan.
struct Index<'a> {
    lines: &'a [LogLine],
    at: HashMap<(LogKind, DateTime<Utc>), Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(lines: &'a [LogLine]) -> Index<'a> {
        let mut at: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, line) in lines.iter().enumerate() {
            at.entry((line.kind, line.at)).or_default().push(i);
        }
        Index { lines, at }
    }

    fn link(&self, claim: &Claim, event: &mut Event) {
        let found = claim
            .kinds
            .iter()
            .filter_map(|k| self.at.get(&(*k, event.at)))
            .flatten()
            .map(|i| &self.lines[*i])
            .find(|line| corroborates(line, claim, event));
        if let Some(line) = found {
            event.seq = Some(line.seq);
            event.by.get_or_insert_with(|| line.actor.clone());
        }
    }
}

#[cfg(test)]
mod tests;
