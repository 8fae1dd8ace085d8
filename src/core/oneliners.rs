use super::four_eyes::{self, Kind};
use super::{Cx, Refusal, desk};
use crate::catalogue::Nr;
use crate::model::{LogKind, Oneliner, Stamp, Version, Versioned};
use crate::view::{ApprovedLine, OnelinerSaid, PendingLine};

/// `ouders: De school is open` → (Some("ouders"), "De school is open").
pub(super) fn split_audience(text: &str) -> (Option<String>, String) {
    if let Some((head, rest)) = text.split_once(':') {
        let head = head.trim();
        let rest = rest.trim();
        let one_word = !head.is_empty()
            && head.chars().count() <= 30
            && head.chars().all(|c| c.is_alphanumeric() || c == '-');
        if one_word && !rest.is_empty() {
            return (Some(head.to_lowercase()), rest.to_string());
        }
    }
    (None, text.trim().to_string())
}

/// A oneliner is a headline-sized text: at most this many per incident.
const MAX_ONELINERS: usize = 200;

const ONELINER: Kind = Kind {
    noun: "Oneliner",
    command: "oneliner",
};

fn stamp(cx: &Cx) -> Stamp {
    Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    }
}

pub(super) fn propose(cx: &mut Cx) -> Result<(), Refusal> {
    let (audience, text) = split_audience(cx.text("tekst")?);
    if cx.incident().oneliners.len() >= MAX_ONELINERS {
        return Err(Refusal::No(format!(
            "Dit incident heeft al {MAX_ONELINERS} oneliners, het maximum. Trek oude in of pas een bestaande aan met {}oneliner wijzig <nr> <tekst>.",
            cx.prefix()
        )));
    }
    let body = Versioned::new(text.clone(), stamp(cx));
    let incident = cx.incident_mut();
    let nr = incident.oneliners.iter().map(|o| o.nr).max().unwrap_or(0) + 1;
    incident.oneliners.push(Oneliner {
        nr,
        audience: audience.clone(),
        body,
    });
    let for_whom = audience
        .as_ref()
        .map(|a| format!(" (doelgroep {a})"))
        .unwrap_or_default();
    cx.log(
        LogKind::OnelinerProposed,
        format!("Oneliner {nr}.1{for_whom} voorgesteld: {text}"),
    );
    cx.say(OnelinerSaid::Proposed {
        nr,
        version: 1,
        audience,
        text,
        still_current: None,
    });
    Ok(())
}

/// The index of the oneliner the command names.
fn find(cx: &Cx, nr: &Nr) -> Result<usize, Refusal> {
    nr.value
        .and_then(|n| cx.incident().oneliners.iter().position(|o| o.nr == n))
        .ok_or_else(|| {
            Refusal::Usage(format!(
                "Oneliner {nr} bestaat niet. Zie {}oneliners.",
                cx.prefix()
            ))
        })
}

pub(super) fn approve(cx: &mut Cx) -> Result<(), Refusal> {
    let label = cx.label("nr")?.clone();
    let index = find(cx, &label.nr)?;
    let oneliner = &cx.incident().oneliners[index];
    let nr = oneliner.nr;
    let version = four_eyes::approvable(cx, &ONELINER, nr, &oneliner.body, label.version.as_ref())?;
    let (stamp, tell) = (stamp(cx), desk::speakers(cx));
    let approved = &mut cx.incident_mut().oneliners[index].body.versions[version - 1];
    approved.approved = Some(stamp);
    let text = approved.text.clone();
    cx.log(
        LogKind::OnelinerApproved,
        format!("Oneliner {nr}.{version} goedgekeurd: {text}"),
    );
    cx.say(OnelinerSaid::Approved {
        nr,
        version,
        text,
        tell,
    });
    Ok(())
}

pub(super) fn retract(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let oneliner = &cx.incident().oneliners[index];
    let nr = oneliner.nr;
    four_eyes::retractable(cx, &ONELINER, nr, &oneliner.body)?;
    let stamp = stamp(cx);
    cx.incident_mut().oneliners[index].body.retracted = Some(stamp);
    cx.log(
        LogKind::OnelinerRetracted,
        format!("Oneliner {nr} ingetrokken"),
    );
    cx.say(OnelinerSaid::Retracted { nr });
    Ok(())
}

pub(super) fn edit(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let oneliner = &cx.incident().oneliners[index];
    four_eyes::not_retracted(cx, &ONELINER, oneliner.nr, &oneliner.body)?;
    let text = cx.text("tekst")?.trim().to_string();
    let version = Version {
        text: text.clone(),
        proposed: stamp(cx),
        approved: None,
    };
    let oneliner = &mut cx.incident_mut().oneliners[index];
    oneliner.body.versions.push(version);
    let (nr, number) = (oneliner.nr, oneliner.body.versions.len());
    let still_current = oneliner.body.current().map(|(_, v)| v.text.clone());
    cx.log(
        LogKind::OnelinerProposed,
        format!("Oneliner {nr}.{number} voorgesteld: {text}"),
    );
    cx.say(OnelinerSaid::Proposed {
        nr,
        version: number,
        audience: None,
        text,
        still_current,
    });
    Ok(())
}

pub(super) fn versions(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let oneliner = cx.incident().oneliners[index].clone();
    cx.say(OnelinerSaid::Versions(oneliner));
    Ok(())
}

pub(super) fn pending(cx: &mut Cx) -> Result<(), Refusal> {
    let pending = cx
        .incident()
        .oneliners
        .iter()
        .filter_map(|o| {
            o.body.pending().map(|(version, v)| PendingLine {
                nr: o.nr,
                version,
                audience: o.audience.clone(),
                text: v.text.clone(),
                by: v.proposed.by.clone(),
            })
        })
        .collect();
    cx.say(OnelinerSaid::Pending(pending));
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let audience = cx.args.text("doelgroep").map(str::to_lowercase);
    let kept = |i: &crate::model::Incident| -> Vec<ApprovedLine> {
        let all = approved_lines(i).into_iter();
        all.filter(|l| audience.is_none() || l.audience == audience)
            .collect()
    };
    if let Some(incidents) = desk::everywhere(cx, kept) {
        cx.say(OnelinerSaid::Everywhere(incidents));
        return Ok(());
    }
    let incident = cx.incident();
    let approved = kept(incident);
    let pending = incident
        .oneliners
        .iter()
        .filter(|o| o.body.pending().is_some())
        .map(|o| o.nr)
        .collect();
    cx.say(OnelinerSaid::List {
        audience,
        approved,
        pending,
    });
    Ok(())
}

/// What woordvoerders may say now, in order.
pub(super) fn approved_lines(incident: &crate::model::Incident) -> Vec<ApprovedLine> {
    incident
        .oneliners
        .iter()
        .filter_map(|o| {
            o.body.current().map(|(version, v)| ApprovedLine {
                nr: o.nr,
                version,
                audience: o.audience.clone(),
                text: v.text.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split_audience;

    #[test]
    fn a_single_word_before_a_colon_is_the_audience() {
        assert_eq!(
            split_audience("ouders: De school is open"),
            (Some("ouders".into()), "De school is open".into())
        );
        assert_eq!(split_audience("Let op: x"), (None, "Let op: x".into()));
        assert_eq!(split_audience("om 14:00 persconferentie").0, None);
    }
}
