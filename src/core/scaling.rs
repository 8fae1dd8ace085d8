//! Opschaling (§2.3): the level the burgemeester asked for, as the voorzitter
//! records it. The bot records; it never scales up by itself.

use super::{Cx, Refusal};
use crate::model::{Incident, LogKind, ScaleChange};
use crate::view::ScalingSaid;

/// `!opschaling <niveau>` (voorzitter).
pub(super) fn set(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.text("niveau")?;
    let Some(level) = cx.book().scale_level(word).cloned() else {
        let known: Vec<&str> = (cx.book().scale_levels.iter())
            .map(|l| l.id.as_str())
            .collect();
        return Err(Refusal::Usage(format!(
            "Niveau '{word}' ken ik niet. Kies uit: {}.",
            known.join(", ")
        )));
    };
    let current = cx.incident().scale.last().cloned();
    if let Some(current) = current.as_ref().filter(|c| c.level == level.id) {
        cx.say(ScalingSaid::Unchanged {
            level: level.id,
            since: current.at,
        });
        return Ok(());
    }
    let previous = current.map(|c| c.level);
    let previous_level = previous.as_deref().and_then(|p| cx.book().scale_level(p));
    let was_grip = previous_level.is_some_and(|l| l.grip);
    let from = previous_level.map_or_else(String::new, |l| format!("{} → ", l.name));
    let change = ScaleChange {
        level: level.id.clone(),
        at: cx.now(),
        by: cx.sender().to_string(),
    };
    cx.incident_mut().scale.push(change);
    cx.log(
        LogKind::Scaling,
        format!("Opschaling: {from}{}", level.name),
    );
    cx.say(ScalingSaid::Set {
        level: level.id,
        previous,
        grip_reached: level.grip && !was_grip,
    });
    Ok(())
}

/// `!opschaling`: the level in force and how it got there.
pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let history = cx.incident().scale.clone();
    cx.say(ScalingSaid::Shown(history));
    Ok(())
}

/// The level in force, for the sitrap and the phase message.
pub(super) fn current(incident: &Incident) -> Option<String> {
    incident.scale.last().map(|c| c.level.clone())
}
