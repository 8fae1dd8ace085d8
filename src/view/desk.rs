//! What the communication desk says: press questions, texts, rumours,
//! target groups, Q&A and contacts (see the matching `core` modules).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ApprovedLine;
use crate::model::UserId;
use crate::model::desk::{PressQuestion, Qa, Rumour, TargetGroup, Text};

/// The items of one incident, for a direct chat that sees several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfIncident<T> {
    /// The incident's title.
    pub incident: String,
    pub items: Vec<T>,
}

/// Which press questions a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PressFilter {
    Open,
    Mine,
    All,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PressSaid {
    Registered {
        question: PressQuestion,
        /// Nobody holds the woordvoerder role: the sender owns it for now.
        no_spokesperson: bool,
    },
    Reassigned {
        question: PressQuestion,
        previous: UserId,
    },
    AlreadyOwned(PressQuestion),
    /// Answered, referred or dropped: its status says which.
    Closed(PressQuestion),
    List {
        filter: PressFilter,
        questions: Vec<PressQuestion>,
    },
    /// From a direct chat: per incident of the rooms the sender is in.
    Everywhere {
        filter: PressFilter,
        incidents: Vec<OfIncident<PressQuestion>>,
    },
}

/// An approved, current text, ready to copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedText {
    pub nr: u32,
    pub version: usize,
    pub channel: String,
    pub audience: Option<String>,
    pub text: String,
    /// When this version last went out.
    pub published: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TextSaid {
    Proposed {
        nr: u32,
        version: usize,
        channel: String,
        audience: Option<String>,
        text: String,
        /// An approved version stays in force until this one is approved.
        still_current: Option<usize>,
    },
    Approved {
        text: ApprovedText,
        /// The woordvoerders and publieksvoorlichters, who use it.
        tell: Vec<UserId>,
    },
    Retracted {
        nr: u32,
    },
    Published {
        text: ApprovedText,
        /// The phase and its update cadence in minutes, when it has one.
        next: Option<(String, u32)>,
    },
    /// One text: the state of every version, then `version` in full.
    Shown {
        text: Text,
        version: usize,
    },
    List {
        /// A channel or doelgroep id.
        filter: Option<String>,
        texts: Vec<ApprovedText>,
        /// Texts with a version that awaits approval.
        pending: Vec<u32>,
    },
    Everywhere(Vec<OfIncident<ApprovedText>>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RumourSaid {
    Registered(Rumour),
    Judged(Rumour),
    Refuted {
        rumour: Rumour,
        text: ApprovedText,
    },
    /// Open rumours first.
    List(Vec<Rumour>),
}

/// A doelgroep and the approved words it gets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMessages {
    pub group: TargetGroup,
    pub oneliners: Vec<ApprovedLine>,
    pub texts: Vec<ApprovedText>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AudienceSaid {
    Added {
        group: TargetGroup,
        /// It was there already; its channels changed.
        updated: bool,
    },
    Unchanged(TargetGroup),
    Adopted {
        added: Vec<String>,
        already: Vec<String>,
    },
    /// Nothing to adopt: no scenario, or one without doelgroepen.
    NothingToAdopt {
        scenario: Option<String>,
    },
    List {
        groups: Vec<GroupMessages>,
        /// The scenario's default doelgroepen not yet added.
        suggested: Vec<String>,
    },
}

/// An approved, current question and answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedQa {
    pub nr: u32,
    pub version: usize,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum QaSaid {
    Proposed {
        nr: u32,
        version: usize,
        question: String,
        answer: String,
        still_current: Option<usize>,
    },
    Approved(ApprovedQa),
    Retracted {
        nr: u32,
    },
    Versions(Qa),
    List {
        search: Option<String>,
        items: Vec<ApprovedQa>,
        pending: Vec<u32>,
    },
    Everywhere(Vec<OfIncident<ApprovedQa>>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ContactSaid {
    /// Indices into the draaiboek's `contacts`.
    List {
        filter: Option<String>,
        found: Vec<usize>,
    },
}

/// The desk on the sitrap's one line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeskCount {
    pub press_open: usize,
    pub press_late: usize,
    /// Texts with a version that awaits approval.
    pub texts_waiting: usize,
    pub rumours_open: usize,
}
