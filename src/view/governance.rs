//! What opschaling and the close of an incident say (§2.3, §3.4).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{ScaleChange, UserId};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ScalingSaid {
    Set {
        level: String,
        previous: Option<String>,
        /// This change brings the incident under GRIP.
        grip_reached: bool,
    },
    Unchanged {
        level: String,
        since: DateTime<Utc>,
    },
    Shown(Vec<ScaleChange>),
}

/// What closing still needs, and what the team should know first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosingCheck {
    pub title: String,
    pub oral_evaluation: Option<bool>,
    pub evaluation_owner: Option<UserId>,
    pub reason: Option<String>,
    /// Checklists of the last phase (nazorg, evaluatie, …) with nothing ticked.
    pub untouched: Vec<String>,
    pub open_actions: usize,
}

impl ClosingCheck {
    /// Both outcomes of §3.4 are known: `!incident sluit bevestig` may close.
    pub fn complete(&self) -> bool {
        self.oral_evaluation.is_some() && self.evaluation_owner.is_some()
    }
}
