//! Doelgroepen of an incident and the approved words each gets, so that it
//! is clear who is not yet being told anything ("Informeer de betrokkenen
//! eerst", Bijlage 5). The scenario proposes defaults.

use super::{Cx, Refusal, desk, oneliners, texts};
use crate::model::desk::TargetGroup;
use crate::model::{Incident, LogKind};
use crate::view::{AudienceSaid, GroupMessages};

/// A doelgroep is a word: `buurt`, `school-ouders`, `sportclub`.
const MAX_NAME_CHARS: usize = 30;
const MAX_GROUPS: usize = 100;

pub(super) fn add(cx: &mut Cx) -> Result<(), Refusal> {
    let id = group_id(cx, cx.text("naam")?)?;
    let channels = match cx.args.text("kanalen") {
        Some(words) => channels(cx, words)?,
        None => default_channels(cx, &id),
    };
    let existing = cx.incident().desk.audiences.iter().position(|g| g.id == id);
    let group = match existing {
        Some(i) if cx.args.text("kanalen").is_none() => {
            let group = cx.incident().desk.audiences[i].clone();
            cx.say(AudienceSaid::Unchanged(group));
            return Ok(());
        }
        Some(i) => {
            let group = &mut cx.incident_mut().desk.audiences[i];
            group.channels = channels;
            group.clone()
        }
        None => {
            if cx.incident().desk.audiences.len() >= MAX_GROUPS {
                return Err(Refusal::No(format!(
                    "Dit incident heeft al {MAX_GROUPS} doelgroepen, het maximum."
                )));
            }
            let group = TargetGroup {
                id,
                channels,
                added: desk::stamp(cx),
            };
            cx.incident_mut().desk.audiences.push(group.clone());
            group
        }
    };
    cx.log(
        LogKind::TargetGroup,
        format!("Doelgroep {} ({})", group.id, group.channels.join(", ")),
    );
    cx.say(AudienceSaid::Added {
        group,
        updated: existing.is_some(),
    });
    Ok(())
}

/// The draaiboek's id for a known doelgroep, otherwise the word itself.
fn group_id(cx: &Cx, word: &str) -> Result<String, Refusal> {
    if let Some(a) = cx.book().audience(word) {
        return Ok(a.id.clone());
    }
    let word = word.to_lowercase();
    let valid = word.chars().count() <= MAX_NAME_CHARS
        && word.chars().all(|c| c.is_alphanumeric() || c == '-');
    if !valid {
        return Err(Refusal::Usage(format!(
            "Een doelgroep is één woord van hoogstens {MAX_NAME_CHARS} tekens (letters, cijfers, -), zoals buurt of school-ouders."
        )));
    }
    Ok(word)
}

/// `social website` or `social, website` → channel ids; unknown ones refused.
fn channels(cx: &Cx, words: &str) -> Result<Vec<String>, Refusal> {
    let mut ids: Vec<String> = Vec::new();
    for word in words.split([' ', ',', ';']).filter(|w| !w.is_empty()) {
        let Some(channel) = cx.book().channel(word) else {
            let known: Vec<&str> = cx.book().channels.iter().map(|c| c.id.as_str()).collect();
            return Err(Refusal::Usage(format!(
                "Kanaal '{word}' ken ik niet. Kies uit: {}.",
                known.join(", ")
            )));
        };
        if !ids.contains(&channel.id) {
            ids.push(channel.id.clone());
        }
    }
    Ok(ids)
}

fn default_channels(cx: &Cx, id: &str) -> Vec<String> {
    cx.book()
        .audience(id)
        .map(|a| a.channels.clone())
        .unwrap_or_default()
}

/// Adds the doelgroepen the scenario proposes that are not there yet.
pub(super) fn adopt(cx: &mut Cx) -> Result<(), Refusal> {
    let proposed = scenario_ids(cx);
    if proposed.is_empty() {
        let scenario = cx.incident().scenario.clone();
        cx.say(AudienceSaid::NothingToAdopt { scenario });
        return Ok(());
    }
    let have = |id: &String| cx.incident().desk.audiences.iter().any(|g| g.id == *id);
    let (already, added): (Vec<String>, Vec<String>) = proposed.into_iter().partition(have);
    let stamp = desk::stamp(cx);
    let groups: Vec<TargetGroup> = added
        .iter()
        .map(|id| TargetGroup {
            id: id.clone(),
            channels: default_channels(cx, id),
            added: stamp.clone(),
        })
        .collect();
    if !groups.is_empty() {
        cx.incident_mut().desk.audiences.extend(groups);
        cx.log(
            LogKind::TargetGroup,
            format!("Doelgroepen uit het scenario: {}", added.join(", ")),
        );
    }
    cx.say(AudienceSaid::Adopted { added, already });
    Ok(())
}

fn scenario_ids(cx: &Cx) -> Vec<String> {
    let scenario = cx.incident().scenario.as_deref();
    scenario
        .and_then(|s| cx.book().scenario(s))
        .map(|s| s.audiences.clone())
        .unwrap_or_default()
}

/// The scenario's doelgroepen the incident does not have yet.
fn suggested(cx: &Cx, incident: &Incident) -> Vec<String> {
    scenario_ids(cx)
        .into_iter()
        .filter(|id| !incident.desk.audiences.iter().any(|g| g.id == *id))
        .collect()
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let incident = cx.incident();
    let lines = oneliners::approved_lines(incident);
    let approved = texts::approved_texts(incident);
    let groups = incident
        .desk
        .audiences
        .iter()
        .map(|g| GroupMessages {
            group: g.clone(),
            oneliners: lines
                .iter()
                .filter(|l| l.audience.as_deref() == Some(&g.id))
                .cloned()
                .collect(),
            texts: approved
                .iter()
                .filter(|t| t.audience.as_deref() == Some(&g.id))
                .cloned()
                .collect(),
        })
        .collect();
    let suggested = suggested(cx, incident);
    cx.say(AudienceSaid::List { groups, suggested });
    Ok(())
}
