//! What the core decided, as data: every handler returns one or more
//! [`Said`] values, and the renderers (`render::chat` for the room; the
//! export formats for the record) turn the same data into text. A new output
//! format is a new renderer over these types; it never repeats a decision.
//!
//! Ids (phase, role, checklist, scenario) refer to the loaded draaiboek,
//! which every renderer has; everything that is state is carried here.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::reply::Reply;

pub mod desk;
pub use desk::*;

use crate::model::desk::{PressQuestion, Rumour};
use crate::model::{
    Action, Decision, GivenAdvice, IncidentId, IncidentSummary, LogEntry, Oneliner, PhaseChange,
    PublicUpdate, Stamp, UserId,
};
use crate::render::ExportFormat;

mod diagnosis;
mod governance;

pub use diagnosis::{DiagnosisResult, DiagnosisSaid, Progress, RoundSummary, Step};
pub use governance::{ClosingCheck, ScalingSaid};

/// Everything a handler or the scheduler can say, by area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Said {
    Incident(IncidentSaid),
    Phase(PhaseSaid),
    Role(RoleSaid),
    Action(ActionSaid),
    Oneliner(OnelinerSaid),
    Checklist(ChecklistSaid),
    Log(LogSaid),
    Reminder(ReminderSaid),
    Help(HelpSaid),
    Export(ExportSaid),
    Diagnosis(DiagnosisSaid),
    Scaling(ScalingSaid),
    Press(PressSaid),
    Text(TextSaid),
    Rumour(RumourSaid),
    Audience(AudienceSaid),
    Qa(QaSaid),
    Contact(ContactSaid),
}

macro_rules! area {
    ($($area:ident($kind:ident)),* $(,)?) => {$(
        impl From<$kind> for Said {
            fn from(said: $kind) -> Said {
                Said::$area(said)
            }
        }
    )*};
}

area!(
    Incident(IncidentSaid),
    Phase(PhaseSaid),
    Role(RoleSaid),
    Action(ActionSaid),
    Oneliner(OnelinerSaid),
    Checklist(ChecklistSaid),
    Log(LogSaid),
    Reminder(ReminderSaid),
    Help(HelpSaid),
    Export(ExportSaid),
    Diagnosis(DiagnosisSaid),
    Scaling(ScalingSaid),
    Press(PressSaid),
    Text(TextSaid),
    Rumour(RumourSaid),
    Audience(AudienceSaid),
    Qa(QaSaid),
    Contact(ContactSaid),
);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum IncidentSaid {
    Opened {
        title: String,
        chair: UserId,
        phase: String,
        /// The first things to do: open checklist item ids.
        first_steps: Vec<String>,
        first_update_due: DateTime<Utc>,
    },
    ScenarioChosen {
        scenario: String,
    },
    /// Everything the draaiboek says about the incident's scenario.
    ScenarioDetails {
        scenario: String,
    },
    /// `!incident sluit`: what closing needs (§3.4) before `bevestig`.
    Closing(Box<ClosingCheck>),
    Closed {
        title: String,
        reason: Option<String>,
        open_actions: usize,
        oral_evaluation: Option<bool>,
        evaluation_owner: Option<UserId>,
    },
    NoneActive,
    Shown(IncidentHeader),
    List(Vec<IncidentSummary>),
    /// The bot may not pin the living sitrap: the power level it needs for
    /// `m.room.pinned_events`, and its own.
    SitrapNotPinned {
        needed: i64,
        has: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PhaseSaid {
    Shown {
        phase: String,
        since: DateTime<Utc>,
        history: Vec<PhaseChange>,
    },
    Unchanged {
        phase: String,
        since: DateTime<Utc>,
    },
    Set {
        phase: String,
        checklist: Vec<StepStatus>,
        missing_roles: Vec<String>,
        /// The opschaling level in force, if one was recorded.
        scale: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RoleSaid {
    Assigned {
        role: String,
        who: UserId,
        previous: Option<UserId>,
    },
    AlreadyHeld {
        role: String,
        who: UserId,
    },
    Released {
        role: String,
        previous: UserId,
    },
    AlreadyFree {
        role: String,
    },
    Card {
        role: String,
        holder: Option<UserId>,
    },
    List(Vec<RoleStatus>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ActionSaid {
    Created(Action),
    Finished(Action),
    DeadlineSet(Action),
    Reassigned {
        action: Action,
        previous: UserId,
    },
    List {
        filter: ActionFilter,
        actions: Vec<Action>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OnelinerSaid {
    Proposed {
        nr: u32,
        version: usize,
        audience: Option<String>,
        text: String,
        /// The approved version that stays in force until this one is approved.
        still_current: Option<String>,
    },
    Approved {
        nr: u32,
        version: usize,
        text: String,
        /// The woordvoerders and publieksvoorlichters, who use it.
        tell: Vec<UserId>,
    },
    Retracted {
        nr: u32,
    },
    List {
        audience: Option<String>,
        approved: Vec<ApprovedLine>,
        pending: Vec<u32>,
    },
    /// From a direct chat: per incident of the rooms the sender is in.
    Everywhere(Vec<OfIncident<ApprovedLine>>),
    /// Every version, who proposed and who approved it.
    Versions(Oneliner),
    Pending(Vec<PendingLine>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChecklistSaid {
    Step {
        list: String,
        items: Vec<ItemStatus>,
    },
    ForPhase {
        phase: String,
        steps: Vec<StepStatus>,
    },
    Ticked {
        list: String,
        item: String,
        remaining: usize,
    },
    AlreadyTicked {
        item: String,
        by: Stamp,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LogSaid {
    Noted {
        at: DateTime<Utc>,
    },
    Decided {
        nr: usize,
        text: String,
        decided_by: Option<String>,
    },
    Advised {
        nr: usize,
        text: String,
    },
    Logbook {
        entries: Vec<LogEntry>,
        total: u64,
    },
    /// Decisions and advices, kept apart.
    Decisions {
        decisions: Vec<Decision>,
        advices: Vec<GivenAdvice>,
    },
    Sitrap(Box<Sitrap>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ReminderSaid {
    UpdateRecorded {
        update: PublicUpdate,
        /// The phase and its cadence in minutes, when the phase has one.
        next: Option<(String, u32)>,
    },
    QuietUntil(DateTime<Utc>),
    QuietOff,
    WasNotQuiet,
    Planned {
        items: Vec<(DateTime<Utc>, Planned)>,
        /// The actions the items name.
        actions: Vec<Action>,
        quiet_until: Option<DateTime<Utc>>,
    },
    Due {
        /// The earliest due time, when the bot was down and is late.
        late_since: Option<DateTime<Utc>>,
        sections: Vec<Reminder>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExportSaid {
    /// The file follows as an upload.
    Coming {
        incident: IncidentId,
        title: String,
        closed: bool,
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HelpSaid {
    Overview,
    /// The commands (catalogue ids) a topic is about.
    Topic(Vec<String>),
    /// The continuation of a long message, already worded; none left.
    More(Option<Reply>),
}

/// Which actions a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionFilter {
    Open,
    Mine,
    All,
}

/// An incident at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentHeader {
    pub id: IncidentId,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub opened_by: UserId,
    pub scenario: Option<String>,
    pub phase: String,
    pub phase_since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleStatus {
    pub role: String,
    pub holder: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedLine {
    pub nr: u32,
    pub version: usize,
    pub audience: Option<String>,
    pub text: String,
}

/// A version that awaits approval, and who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingLine {
    pub nr: u32,
    pub version: usize,
    pub audience: Option<String>,
    pub text: String,
    pub by: UserId,
}

/// One checklist step: its open items (in order) and its size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStatus {
    pub list: String,
    pub open: Vec<String>,
    pub total: usize,
    /// A step the phase brings back (Bijlage 5 is a cycle): only its items
    /// marked `revisit`, open again if they were ticked in an earlier phase.
    pub revisit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStatus {
    pub item: String,
    pub ticked: Option<Stamp>,
}

/// Everything on one screen: the situation now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sitrap {
    pub header: IncidentHeader,
    /// The opschaling level in force, if one was recorded.
    pub scale: Option<String>,
    pub roles: Vec<RoleStatus>,
    /// Open actions, most urgent first.
    pub open_actions: Vec<Action>,
    pub overdue: usize,
    pub approved: Vec<ApprovedLine>,
    /// Oneliners with a version that awaits approval.
    pub pending: usize,
    pub steps: Vec<StepStatus>,
    pub desk: DeskCount,
    /// When the incident closed: the living sitrap's final version says so.
    pub closed: Option<DateTime<Utc>>,
}

/// Something the scheduler has planned (see `core::reminders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// The owner of a press question, some minutes before its deadline.
    PressWarning { question: u32 },
    /// The owner of a press question, at its deadline.
    PressDeadline { question: u32 },
    /// The living sitrap is behind; edited no sooner than 10 s after the last edit.
    SitrapRefresh,
}

/// One part of a reminder message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Reminder {
    Warning(Action),
    Deadline(Action),
    Overdue {
        chair: Option<UserId>,
        actions: Vec<Action>,
        press: Vec<PressQuestion>,
    },
    UpdateDue {
        chair: Option<UserId>,
        adviser: Option<UserId>,
        last: Option<PublicUpdate>,
        opened_at: DateTime<Utc>,
        approved: Vec<ApprovedLine>,
    },
    ChecklistNudge {
        phase: String,
        steps: Vec<StepStatus>,
        /// Open rumours, for the omgevingsanalist and communicatieadviseur.
        rumours: Vec<Rumour>,
        watchers: Vec<UserId>,
    },
    UnfilledRoles(Vec<String>),
    PressWarning(PressQuestion),
    PressDeadline(PressQuestion),
}
