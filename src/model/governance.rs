//! Opschaling, advice to the driehoek, and the close of an incident (§2.1–2.3,
//! §3.4): who advised, who decided, and what the last meeting settled.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::UserId;

/// One recorded opschaling level (a `[[scale_levels]]` id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleChange {
    pub level: String,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

/// Advice from the kernteam to the burgemeester or driehoek: not a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GivenAdvice {
    pub text: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
    /// The §3.2 advice number, when it came from the crisis diagnosis.
    #[serde(default)]
    pub diagnosis_advice: Option<u8>,
}

/// What `!incident sluit` has gathered so far; closing needs both outcomes
/// of §3.4 and `!incident sluit bevestig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClosingDraft {
    /// A short oral evaluation was held.
    pub oral_evaluation: Option<bool>,
    /// Who is responsible for the integral evaluation.
    pub evaluation_owner: Option<UserId>,
    pub reason: Option<String>,
}
