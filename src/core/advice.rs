//! Advice and decision kept apart (§2.1–2.2): the kernteam prepares and
//! advises, the burgemeester or the lokale driehoek decides. `!advies`
//! records advice; `!besluit … door <wie>` records who decided.

use super::{Cx, Refusal};
use crate::draaiboek::Draaiboek;
use crate::model::{GivenAdvice, LogKind};
use crate::view::LogSaid;

/// Who may decide besides the roles of the draaiboek.
const BODIES: [&str; 2] = ["driehoek", "kernteam"];

/// `!advies <tekst>`: advice from the kernteam to the driehoek.
pub(super) fn advice(cx: &mut Cx) -> Result<(), Refusal> {
    let text = cx.text("tekst")?.to_string();
    let given = GivenAdvice {
        text: text.clone(),
        by: cx.sender().to_string(),
        at: cx.now(),
        diagnosis_advice: None,
    };
    let incident = cx.incident_mut();
    incident.advices.push(given);
    let nr = incident.advices.len();
    cx.log(LogKind::Advice, format!("Advies aan de driehoek: {text}"));
    cx.say(LogSaid::Advised { nr, text });
    Ok(())
}

/// Splits "… door [de] burgemeester" off a decision: the text and who
/// decided (`driehoek`, `kernteam` or a role id). Any other last words stay
/// part of the text.
pub(super) fn decider(book: &Draaiboek, text: &str) -> (String, Option<String>) {
    let lower = text.to_lowercase();
    let Some(at) = lower.rfind(" door ") else {
        return (text.to_string(), None);
    };
    let tail = text[at + " door ".len()..].trim().trim_end_matches('.');
    let word = tail
        .strip_prefix("de ")
        .or_else(|| tail.strip_prefix("De "))
        .unwrap_or(tail)
        .trim();
    let lowered = word.to_lowercase();
    let who = if BODIES.contains(&lowered.as_str()) {
        Some(lowered)
    } else {
        book.role(word).map(|r| r.id.clone())
    };
    match who {
        Some(who) if !word.contains(char::is_whitespace) => {
            (text[..at].trim_end().to_string(), Some(who))
        }
        _ => (text.to_string(), None),
    }
}
