//! The crisis diagnosis (§3.2) as the team answers it: rounds of answers,
//! who answers, and the advice the team chose. It lives in the room until an
//! incident is opened, then in the incident (see `core::diagnosis`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Stamp, UserId};

/// One answer: the high(er)-risk pole, the low(er)-risk pole, or "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pole {
    High,
    Low,
    Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisRecord {
    /// Oldest first; the last one is the round being answered.
    pub rounds: Vec<DiagnosisRound>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisRound {
    pub started: Stamp,
    /// The only one who answers: the starter, or whoever took over.
    pub answerer: UserId,
    /// Question id → answer; a question not here is still open.
    pub answers: BTreeMap<String, Pole>,
    /// Question ids in the order they were answered, for `!terug`.
    pub trail: Vec<String>,
    /// `!diagnose stop`: nothing is answered until `!diagnose` resumes.
    pub paused: bool,
    /// The question `!terug` went back to: asked next, before the first open one.
    #[serde(default)]
    pub back_to: Option<String>,
    /// The advice the team recorded for this round.
    pub advice: Option<ChosenAdvice>,
}

/// An advice of §3.2 the team chose, to the burgemeester or driehoek.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChosenAdvice {
    pub number: u8,
    pub note: Option<String>,
    pub chosen: Stamp,
}

impl DiagnosisRecord {
    pub fn current(&self) -> Option<&DiagnosisRound> {
        self.rounds.last()
    }

    pub fn current_mut(&mut self) -> Option<&mut DiagnosisRound> {
        self.rounds.last_mut()
    }
}

impl DiagnosisRound {
    pub fn new(started: Stamp) -> DiagnosisRound {
        DiagnosisRound {
            answerer: started.by.clone(),
            started,
            answers: BTreeMap::new(),
            trail: Vec::new(),
            paused: false,
            back_to: None,
            advice: None,
        }
    }

    /// Records an answer; an answered question moves to the end of the trail.
    pub fn answer(&mut self, question: &str, pole: Pole) {
        self.answers.insert(question.to_string(), pole);
        self.trail.retain(|q| q != question);
        self.trail.push(question.to_string());
    }

    /// Takes back the last answer: its question and what it was.
    pub fn undo(&mut self) -> Option<(String, Pole)> {
        let question = self.trail.pop()?;
        let pole = self.answers.remove(&question)?;
        Some((question, pole))
    }
}
