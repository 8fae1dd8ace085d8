//! What the crisis diagnosis (§3.2) says: the next question, a round's
//! result, the rounds side by side. Questions and advices are draaiboek ids.

use serde::Serialize;

use crate::draaiboek::PartCounts;
use crate::model::{ChosenAdvice, Pole, Stamp, UserId};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DiagnosisSaid {
    /// Where the current round stands and what to answer next.
    Progress(Progress),
    Paused {
        round: usize,
        answered: usize,
        total: usize,
    },
    Result(DiagnosisResult),
    AdviceChosen {
        round: usize,
        number: u8,
        note: Option<String>,
        /// In the logboek now; otherwise once an incident is opened.
        logged: bool,
    },
    /// A diagnosis from before the incident, now part of it.
    Attached(Vec<RoundSummary>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub round: usize,
    pub answerer: UserId,
    /// The question to answer now; none once every question is answered.
    pub question: Option<String>,
    pub answered: usize,
    pub total: usize,
    /// What just happened, echoed so a phone user sees it landed.
    pub step: Step,
    /// Every round, when there are several (`!diagnose` compares them).
    pub compare: Vec<RoundSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    Started,
    Resumed,
    Answered {
        question: String,
        pole: Pole,
    },
    /// `!terug`: this question again, and what its answer was.
    Back {
        question: String,
        was: Pole,
    },
    Run {
        part: String,
        given: usize,
    },
    TakenOver {
        previous: UserId,
    },
    /// Someone looks who does not answer this round.
    Watching,
}

/// One round at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundSummary {
    pub round: usize,
    pub started: Stamp,
    pub answerer: UserId,
    /// Per part id (`A`, `B`, `C`), in the draaiboek's order.
    pub counts: Vec<(String, PartCounts)>,
    /// The §3.2 advice numbers that fit the answers (`Diagnosis::advise`).
    pub suggested: Vec<u8>,
    pub advice: Option<ChosenAdvice>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosisResult {
    pub summary: RoundSummary,
    /// The questions answered with their high-risk pole, in order.
    pub high: Vec<String>,
}
