//! The communication desk of one incident: press questions, texts for any
//! channel under four eyes, rumours, target groups and Q&A. Plain data, kept
//! in [`Incident::desk`](super::Incident).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Stamp, UserId, Versioned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    #[serde(default)]
    pub press: Vec<PressQuestion>,
    #[serde(default)]
    pub texts: Vec<Text>,
    #[serde(default)]
    pub rumours: Vec<Rumour>,
    /// The incident's doelgroepen, in the order they were added.
    #[serde(default)]
    pub audiences: Vec<TargetGroup>,
    #[serde(default)]
    pub qa: Vec<Qa>,
}

/// A question from the press, with whoever answers it (a woordvoerder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PressQuestion {
    pub nr: u32,
    /// Who asks: `RTV Oost`, `NOS`.
    pub medium: String,
    pub question: String,
    pub owner: UserId,
    pub deadline: Option<DateTime<Utc>>,
    pub created: Stamp,
    pub status: PressStatus,
    /// The owner was warned before the deadline / mentioned at it.
    #[serde(default)]
    pub warned: bool,
    #[serde(default)]
    pub deadline_reminded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PressStatus {
    Open,
    Answered {
        by: Stamp,
        summary: String,
    },
    /// Another party speaks (the OM on criminal facts): a `[[partners]]`
    /// id of the draaiboek, or the name as typed.
    Referred {
        by: Stamp,
        party: String,
    },
    Dropped(Stamp),
}

impl PressQuestion {
    pub fn is_open(&self) -> bool {
        self.status == PressStatus::Open
    }

    /// Open with its deadline passed at `now`.
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.deadline.is_some_and(|d| d <= now)
    }
}

/// A text for one channel (website, persbericht, …), versioned under four eyes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub nr: u32,
    /// A `[[channels]]` id of the draaiboek.
    pub channel: String,
    /// A doelgroep id (the incident's or the draaiboek's).
    pub audience: Option<String>,
    #[serde(flatten)]
    pub body: Versioned,
    #[serde(default)]
    pub published: Vec<Publication>,
}

/// One time an approved version went out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub version: usize,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rumour {
    pub nr: u32,
    pub text: String,
    pub created: Stamp,
    pub verdict: Verdict,
    /// Why the team thinks so.
    pub note: Option<String>,
    /// Who gave the verdict, and when.
    pub judged: Option<Stamp>,
    /// The approved text that answers it; until then the rumour is open.
    pub answered_by: Option<u32>,
}

impl Rumour {
    pub fn is_open(&self) -> bool {
        self.answered_by.is_none()
    }
}

/// What the team knows of a rumour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Unknown,
    True,
    False,
}

impl Verdict {
    /// The word the team types and reads.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Unknown => "onbekend",
            Verdict::True => "klopt",
            Verdict::False => "klopt niet",
        }
    }

    pub fn parse(word: &str) -> Option<Verdict> {
        match word.to_lowercase().as_str() {
            "klopt" | "waar" | "true" => Some(Verdict::True),
            "klopt-niet" | "kloptniet" | "onwaar" | "false" => Some(Verdict::False),
            "onbekend" | "unknown" => Some(Verdict::Unknown),
            _ => None,
        }
    }
}

/// A doelgroep of this incident and the channels that reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    /// An `[[audiences]]` id of the draaiboek, or the team's own word.
    pub id: String,
    /// `[[channels]]` ids.
    pub channels: Vec<String>,
    pub added: Stamp,
}

/// A question and its answer for the balie, the phone line and partners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qa {
    pub nr: u32,
    /// Each version's text is `vraag | antwoord` (see [`split_qa`]).
    #[serde(flatten)]
    pub body: Versioned,
}

/// `vraag | antwoord` → (vraag, antwoord), both trimmed; `None` without a `|`
/// or with an empty side.
pub fn split_qa(text: &str) -> Option<(String, String)> {
    let (question, answer) = text.split_once('|')?;
    let (question, answer) = (question.trim(), answer.trim());
    (!question.is_empty() && !answer.is_empty()).then(|| (question.to_string(), answer.to_string()))
}
