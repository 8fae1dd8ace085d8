//! The state the core reads and writes. Everything here is plain data: the
//! store serialises it, the core transforms it, nothing here does I/O.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::reply::Reply;

mod diagnosis;
mod governance;

pub use diagnosis::{ChosenAdvice, DiagnosisRecord, DiagnosisRound, Pole};
pub use governance::{ClosingDraft, GivenAdvice, ScaleChange};
pub mod desk;

pub type UserId = String;
pub type IncidentId = u64;

/// What the store keeps per Matrix room.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomRecord {
    pub active: Option<IncidentId>,
    pub incidents: Vec<IncidentSummary>,
    /// The rest of each person's last long reply, for `!meer`; the key ""
    /// holds the rest of the bot's own last long message (reminders).
    #[serde(default)]
    pub more: BTreeMap<UserId, Reply>,
    /// A crisis diagnosis begun before any incident was opened; opening one
    /// takes it over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<DiagnosisRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// An exercise (`!oefening open`): kept apart from real incidents.
    #[serde(default)]
    pub exercise: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    pub room: String,
    pub title: String,
    pub scenario: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub opened_by: UserId,
    pub closed: Option<Closure>,
    pub phase: String,
    pub phase_since: DateTime<Utc>,
    pub phase_history: Vec<PhaseChange>,
    /// Role id → holder.
    pub roles: BTreeMap<String, Holder>,
    pub actions: Vec<Action>,
    pub oneliners: Vec<Oneliner>,
    /// Press questions, texts, rumours, target groups and Q&A.
    #[serde(default)]
    pub desk: desk::Desk,
    /// Checklist item id → who ticked it.
    pub ticked: BTreeMap<String, Stamp>,
    pub decisions: Vec<Decision>,
    /// Number of logboek entries and the hash of the last one: the chain's head,
    /// kept here so that `verify` also catches a truncated logboek.
    pub log_len: u64,
    pub log_head: String,
    /// What the scheduler has already said, so nothing is said twice.
    #[serde(default)]
    pub reminders: ReminderBook,
    /// The crisis diagnosis (§3.2), begun before or during the incident.
    #[serde(default)]
    pub diagnosis: Option<DiagnosisRecord>,
    /// Opschaling levels recorded, oldest first; the last one holds.
    #[serde(default)]
    pub scale: Vec<ScaleChange>,
    /// Advice from the kernteam to the burgemeester or driehoek.
    #[serde(default)]
    pub advices: Vec<GivenAdvice>,
    /// The outcomes `!incident sluit` gathered, awaiting confirmation.
    #[serde(default)]
    pub closing: Option<ClosingDraft>,
    /// Every change of a role's holder, oldest first: who held what, from
    /// when to when (`roles` keeps only the current holders).
    #[serde(default)]
    pub role_history: Vec<RoleChange>,
    /// Every public update, oldest first (`reminders.last_update` is the newest).
    #[serde(default)]
    pub updates: Vec<PublicUpdate>,
    /// An exercise (`!oefening open`): every message of it says so.
    #[serde(default)]
    pub exercise: bool,
    /// Room messages pinned to the logboek with a 📌 reaction, in order.
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// The sitrap message that the bot keeps up to date.
    #[serde(default)]
    pub live_sitrap: LiveSitrap,
}

/// A room message pinned to the logboek (a 📌 reaction on it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    /// The pinned message's event id: one pin per message.
    pub event_id: String,
    /// Who wrote the message, when, and what.
    pub sender: UserId,
    pub sent_at: DateTime<Utc>,
    pub text: String,
    /// Who pinned it first, and when.
    pub pinned: Stamp,
    /// The 📌 reactions that hold it pinned; when the last one is removed,
    /// the pin is over (and the logboek says so).
    pub reactions: Vec<String>,
    pub unpinned: Option<Stamp>,
}

/// The bookkeeping of the living sitrap: what it shows and when it was
/// last edited, so that it is edited only when it changed, at most every
/// `core::live::EDIT_EVERY`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveSitrap {
    /// A hash of the text last posted or edited in; `None`: never posted.
    pub shown: Option<String>,
    pub shown_at: Option<DateTime<Utc>>,
    /// Since when the situation differs from what the message shows.
    pub stale_since: Option<DateTime<Utc>>,
}

/// A role got a holder (`holder: Some`) or became free (`None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleChange {
    pub role: String,
    pub holder: Option<UserId>,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

/// The public updates and the reminders' bookkeeping of one incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReminderBook {
    pub last_update: Option<PublicUpdate>,
    pub update_nudged_at: Option<DateTime<Utc>>,
    pub overdue_digest_at: Option<DateTime<Utc>>,
    pub checklist_nudged_at: Option<DateTime<Utc>>,
    /// When to name unfilled key roles; cleared once named.
    pub roles_check_at: Option<DateTime<Utc>>,
    /// `!stil`: nudges wait until then; owners' deadline mentions do not.
    pub quiet_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicUpdate {
    pub text: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// §3.4: a short oral evaluation was held.
    #[serde(default)]
    pub oral_evaluation: Option<bool>,
    /// §3.4: who is responsible for the integral evaluation.
    #[serde(default)]
    pub evaluation_owner: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseChange {
    pub phase: String,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub user: UserId,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub nr: u32,
    pub text: String,
    pub owner: UserId,
    pub deadline: Option<DateTime<Utc>>,
    pub created: Stamp,
    pub status: ActionStatus,
    /// The owner was warned before the deadline / mentioned at it.
    #[serde(default)]
    pub warned: bool,
    #[serde(default)]
    pub deadline_reminded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ActionStatus {
    Open,
    Done(Stamp),
    Cancelled(Stamp),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Oneliner {
    pub nr: u32,
    pub audience: Option<String>,
    #[serde(flatten)]
    pub body: Versioned,
}

/// A text that goes out only after four eyes: every change is a new
/// version, and each approval names exactly the version it approves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Versioned {
    pub versions: Vec<Version>,
    pub retracted: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub text: String,
    pub proposed: Stamp,
    pub approved: Option<Stamp>,
}

impl Versioned {
    pub fn new(text: String, proposed: Stamp) -> Versioned {
        Versioned {
            versions: vec![Version {
                text,
                proposed,
                approved: None,
            }],
            retracted: None,
        }
    }

    /// The last approved version and its number (from 1): what may be said.
    pub fn current(&self) -> Option<(usize, &Version)> {
        if self.retracted.is_some() {
            return None;
        }
        let index = self.versions.iter().rposition(|v| v.approved.is_some())?;
        Some((index + 1, &self.versions[index]))
    }

    /// The versions proposed since the last approval, oldest first.
    pub fn since_approval(&self) -> &[Version] {
        let start = self
            .versions
            .iter()
            .rposition(|v| v.approved.is_some())
            .map_or(0, |i| i + 1);
        &self.versions[start..]
    }

    /// The newest version and its number, if it awaits approval.
    pub fn pending(&self) -> Option<(usize, &Version)> {
        let newest = self.versions.last()?;
        (newest.approved.is_none() && self.retracted.is_none())
            .then_some((self.versions.len(), newest))
    }

    /// Whether `user` wrote any version that awaits approval: then they may
    /// neither approve nor retract (four eyes).
    pub fn touched_by(&self, user: &str) -> bool {
        self.since_approval().iter().any(|v| v.proposed.by == user)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    /// Who recorded it.
    pub by: UserId,
    pub at: DateTime<Utc>,
    /// Who decided, when the line said so: `driehoek`, `kernteam` or a role id.
    #[serde(default)]
    pub decided_by: Option<String>,
}

/// One line of the append-only logboek, as stored. `hash` covers every other
/// field, `prev` links to the entry before: together a hash chain per incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub incident: IncidentId,
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: UserId,
    pub kind: LogKind,
    pub text: String,
    pub prev: String,
    pub hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogKind {
    IncidentOpened,
    ScenarioChosen,
    IncidentClosed,
    PhaseChanged,
    RoleAssigned,
    RoleReleased,
    ActionCreated,
    ActionChanged,
    OnelinerProposed,
    OnelinerApproved,
    OnelinerRetracted,
    ChecklistTicked,
    Note,
    Decision,
    PublicUpdate,
    Quiet,
    Reminder,
    /// The chain's count and head as posted in the room (see `anchor`).
    Anchor,
    /// A message the homeserver refused for good.
    Undelivered,
    /// Commands not carried out because their sender flooded the room.
    Ignored,
    /// A message pinned in or unpinned from the room.
    Pinned,
    Unpinned,
    /// The record left the chat (`!export`).
    Export,
    Diagnosis,
    DiagnosisAdvice,
    Advice,
    Scaling,
    PressQuestion,
    TextProposed,
    TextApproved,
    TextRetracted,
    TextPublished,
    Rumour,
    TargetGroup,
    QaProposed,
    QaApproved,
    QaRetracted,
}

impl LogKind {
    /// A short Dutch label for the logboek view.
    pub fn label(self) -> &'static str {
        match self {
            LogKind::IncidentOpened => "incident geopend",
            LogKind::ScenarioChosen => "scenario",
            LogKind::IncidentClosed => "incident gesloten",
            LogKind::PhaseChanged => "fase",
            LogKind::RoleAssigned => "rol",
            LogKind::RoleReleased => "rol vrij",
            LogKind::ActionCreated => "actie",
            LogKind::ActionChanged => "actie",
            LogKind::OnelinerProposed => "oneliner voorstel",
            LogKind::OnelinerApproved => "oneliner goedgekeurd",
            LogKind::OnelinerRetracted => "oneliner ingetrokken",
            LogKind::ChecklistTicked => "checklist",
            LogKind::Note => "notitie",
            LogKind::Decision => "besluit",
            LogKind::PublicUpdate => "publieksupdate",
            LogKind::Quiet => "stil",
            LogKind::Reminder => "herinnering",
            LogKind::Anchor => "anker",
            LogKind::Undelivered => "niet afgeleverd",
            LogKind::Ignored => "genegeerd",
            LogKind::Pinned => "vastgepind",
            LogKind::Unpinned => "losgemaakt",
            LogKind::Export => "export",
            LogKind::Diagnosis => "crisisdiagnose",
            LogKind::DiagnosisAdvice => "advies diagnose",
            LogKind::Advice => "advies",
            LogKind::Scaling => "opschaling",
            LogKind::PressQuestion => "persvraag",
            LogKind::TextProposed => "tekst voorstel",
            LogKind::TextApproved => "tekst goedgekeurd",
            LogKind::TextRetracted => "tekst ingetrokken",
            LogKind::TextPublished => "tekst gepubliceerd",
            LogKind::Rumour => "gerucht",
            LogKind::TargetGroup => "doelgroep",
            LogKind::QaProposed => "q&a voorstel",
            LogKind::QaApproved => "q&a goedgekeurd",
            LogKind::QaRetracted => "q&a ingetrokken",
        }
    }
}
