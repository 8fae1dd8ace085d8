use super::{Cx, Refusal};
use crate::model::{LogKind, Oneliner, OnelinerVersion, Stamp};
use crate::view::{ApprovedLine, OnelinerSaid};

/// `ouders: De school is open` → (Some("ouders"), "De school is open").
fn split_audience(text: &str) -> (Option<String>, String) {
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

fn stamp(cx: &Cx) -> Stamp {
    Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    }
}

pub(super) fn propose(cx: &mut Cx) -> Result<(), Refusal> {
    let (audience, text) = split_audience(cx.args.text("tekst").unwrap_or_default());
    let version = OnelinerVersion {
        text: text.clone(),
        proposed: stamp(cx),
        approved: None,
    };
    let incident = cx.incident_mut();
    let nr = incident.oneliners.iter().map(|o| o.nr).max().unwrap_or(0) + 1;
    incident.oneliners.push(Oneliner {
        nr,
        audience: audience.clone(),
        versions: vec![version],
        retracted: None,
    });
    let for_whom = audience
        .as_ref()
        .map(|a| format!(" (doelgroep {a})"))
        .unwrap_or_default();
    cx.log(
        LogKind::OnelinerProposed,
        format!("Oneliner {nr}{for_whom} voorgesteld: {text}"),
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

fn find(cx: &Cx) -> Result<usize, Refusal> {
    let nr = cx.args.number("nr").unwrap_or_default();
    cx.incident()
        .oneliners
        .iter()
        .position(|o| o.nr == nr)
        .ok_or_else(|| {
            Refusal::Usage(format!(
                "Oneliner {nr} bestaat niet. Zie {}oneliners.",
                cx.prefix()
            ))
        })
}

fn refuse_retracted(o: &Oneliner) -> Result<(), Refusal> {
    match &o.retracted {
        Some(s) => Err(Refusal::No(format!(
            "Oneliner {} is ingetrokken door {}.",
            o.nr, s.by
        ))),
        None => Ok(()),
    }
}

pub(super) fn approve(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx)?;
    let oneliner = &cx.incident().oneliners[index];
    refuse_retracted(oneliner)?;
    let Some((version, pending)) = oneliner.pending() else {
        return Err(Refusal::No(format!(
            "Oneliner {} heeft geen versie die op goedkeuring wacht.",
            oneliner.nr
        )));
    };
    if pending.proposed.by == cx.sender() {
        return Err(Refusal::No(format!(
            "Vier ogen: je kunt je eigen voorstel niet goedkeuren. Vraag de voorzitter of communicatieadviseur{}.",
            cx.holders_of(crate::catalogue::Who::VoorzitterOfCommunicatieadviseur)
        )));
    }
    let stamp = stamp(cx);
    let oneliner = &mut cx.incident_mut().oneliners[index];
    let text = {
        let v = oneliner.versions.last_mut().expect("pending() found it");
        v.approved = Some(stamp);
        v.text.clone()
    };
    let nr = oneliner.nr;
    cx.log(
        LogKind::OnelinerApproved,
        format!("Oneliner {nr} versie {version} goedgekeurd: {text}"),
    );
    cx.say(OnelinerSaid::Approved { nr, version, text });
    Ok(())
}

pub(super) fn retract(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx)?;
    let oneliner = &cx.incident().oneliners[index];
    refuse_retracted(oneliner)?;
    let latest = oneliner.versions.last().expect("a oneliner has a version");
    if latest.proposed.by == cx.sender() {
        return Err(Refusal::No(
            "Vier ogen: je kunt je eigen oneliner niet intrekken. Vraag de voorzitter of communicatieadviseur."
                .into(),
        ));
    }
    let stamp = stamp(cx);
    let oneliner = &mut cx.incident_mut().oneliners[index];
    oneliner.retracted = Some(stamp);
    let nr = oneliner.nr;
    cx.log(
        LogKind::OnelinerRetracted,
        format!("Oneliner {nr} ingetrokken"),
    );
    cx.say(OnelinerSaid::Retracted { nr });
    Ok(())
}

pub(super) fn edit(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx)?;
    refuse_retracted(&cx.incident().oneliners[index])?;
    let text = cx.args.text("tekst").unwrap_or_default().trim().to_string();
    let version = OnelinerVersion {
        text: text.clone(),
        proposed: stamp(cx),
        approved: None,
    };
    let oneliner = &mut cx.incident_mut().oneliners[index];
    oneliner.versions.push(version);
    let (nr, number) = (oneliner.nr, oneliner.versions.len());
    let still_current = oneliner.current().map(|v| v.text.clone());
    cx.log(
        LogKind::OnelinerProposed,
        format!("Oneliner {nr} versie {number} voorgesteld: {text}"),
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

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let audience = cx.args.text("doelgroep").map(str::to_lowercase);
    let incident = cx.incident();
    let approved = approved_lines(incident)
        .into_iter()
        .filter(|l| audience.is_none() || l.audience == audience)
        .collect();
    let pending = incident
        .oneliners
        .iter()
        .filter(|o| o.pending().is_some())
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
            o.current().map(|v| ApprovedLine {
                nr: o.nr,
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
