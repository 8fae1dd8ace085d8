//! The state the core reads and writes. Everything here is plain data: the
//! store serialises it, the core transforms it, nothing here does I/O.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type UserId = String;
pub type IncidentId = u64;

/// What the store keeps per Matrix room.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomRecord {
    pub active: Option<IncidentId>,
    pub incidents: Vec<IncidentSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
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
    /// Every change of a role's holder, oldest first: who held what, from
    /// when to when (`roles` keeps only the current holders).
    #[serde(default)]
    pub role_history: Vec<RoleChange>,
    /// Every public update, oldest first (`reminders.last_update` is the newest).
    #[serde(default)]
    pub updates: Vec<PublicUpdate>,
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
    pub versions: Vec<OnelinerVersion>,
    pub retracted: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnelinerVersion {
    pub text: String,
    pub proposed: Stamp,
    pub approved: Option<Stamp>,
}

impl Oneliner {
    /// The last approved version: what woordvoerders may say.
    pub fn current(&self) -> Option<&OnelinerVersion> {
        if self.retracted.is_some() {
            return None;
        }
        self.versions.iter().rev().find(|v| v.approved.is_some())
    }

    /// The newest version if it still awaits approval.
    pub fn pending(&self) -> Option<(usize, &OnelinerVersion)> {
        let last = self.versions.len().checked_sub(1)?;
        let version = &self.versions[last];
        (version.approved.is_none() && self.retracted.is_none()).then_some((last + 1, version))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
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
    /// The chain's head published outside the logboek (see `record`).
    Anchor,
    /// A message pinned in or unpinned from the room.
    Pinned,
    Unpinned,
    /// The record left the chat (`!export`).
    Export,
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
            LogKind::Pinned => "vastgezet",
            LogKind::Unpinned => "losgemaakt",
            LogKind::Export => "export",
        }
    }
}
