//! Q&A for the balie, the information number and partners: a question and
//! its answer, under the same four eyes as oneliners and texts. Approved
//! Q&A are what they may say ("eenduidige Q&A's … voor alle partners").

use super::four_eyes::{self, Kind};
use super::{Cx, Refusal, desk};
use crate::catalogue::Nr;
use crate::model::desk::{Qa, split_qa};
use crate::model::{Incident, LogKind, Versioned};
use crate::view::{ApprovedQa, QaSaid};

const MAX_QA: usize = 500;

const QA: Kind = Kind {
    noun: "Q&A",
    command: "qa",
};

/// `vraag | antwoord`, normalised, or a refusal that shows the form.
fn question_and_answer(cx: &Cx) -> Result<(String, String, String), Refusal> {
    let Some((question, answer)) = split_qa(cx.text("tekst")?) else {
        return Err(Refusal::Usage(
            "Schrijf de vraag, dan |, dan het antwoord.".into(),
        ));
    };
    let text = format!("{question} | {answer}");
    Ok((question, answer, text))
}

pub(super) fn propose(cx: &mut Cx) -> Result<(), Refusal> {
    let (question, answer, text) = question_and_answer(cx)?;
    if cx.incident().desk.qa.len() >= MAX_QA {
        return Err(Refusal::No(format!(
            "Dit incident heeft al {MAX_QA} Q&A's, het maximum. Pas een bestaande aan met {}qa wijzig <nr> <vraag> | <antwoord>.",
            cx.prefix()
        )));
    }
    let body = Versioned::new(text.clone(), desk::stamp(cx));
    let incident = cx.incident_mut();
    let nr = desk::next_nr(incident.desk.qa.iter().map(|q| q.nr));
    incident.desk.qa.push(Qa { nr, body });
    cx.log(
        LogKind::QaProposed,
        format!("Q&A {nr}.1 voorgesteld: {text}"),
    );
    cx.say(QaSaid::Proposed {
        nr,
        version: 1,
        question,
        answer,
        still_current: None,
    });
    Ok(())
}

fn find(cx: &Cx, nr: &Nr) -> Result<usize, Refusal> {
    nr.value
        .and_then(|n| cx.incident().desk.qa.iter().position(|q| q.nr == n))
        .ok_or_else(|| Refusal::Usage(format!("Q&A {nr} bestaat niet. Zie {}qa.", cx.prefix())))
}

pub(super) fn edit(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let qa = &cx.incident().desk.qa[index];
    four_eyes::not_retracted(cx, &QA, qa.nr, &qa.body)?;
    let (question, answer, text) = question_and_answer(cx)?;
    let by = desk::stamp(cx);
    let qa = &mut cx.incident_mut().desk.qa[index];
    let (version, still_current) = four_eyes::add_version(&mut qa.body, text.clone(), by);
    let nr = qa.nr;
    cx.log(
        LogKind::QaProposed,
        format!("Q&A {nr}.{version} voorgesteld: {text}"),
    );
    cx.say(QaSaid::Proposed {
        nr,
        version,
        question,
        answer,
        still_current,
    });
    Ok(())
}

pub(super) fn approve(cx: &mut Cx) -> Result<(), Refusal> {
    let label = cx.label("nr")?.clone();
    let index = find(cx, &label.nr)?;
    let qa = &cx.incident().desk.qa[index];
    let version = four_eyes::approvable(cx, &QA, qa.nr, &qa.body, label.version.as_ref())?;
    let by = desk::stamp(cx);
    let qa = &mut cx.incident_mut().desk.qa[index];
    let text = four_eyes::approve(&mut qa.body, version, by);
    let approved = approved_qa(qa).expect("just approved");
    cx.log(
        LogKind::QaApproved,
        format!("Q&A {}.{version} goedgekeurd: {text}", approved.nr),
    );
    cx.say(QaSaid::Approved(approved));
    Ok(())
}

pub(super) fn retract(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let qa = &cx.incident().desk.qa[index];
    let nr = qa.nr;
    four_eyes::retractable(cx, &QA, nr, &qa.body)?;
    let by = desk::stamp(cx);
    cx.incident_mut().desk.qa[index].body.retracted = Some(by);
    cx.log(LogKind::QaRetracted, format!("Q&A {nr} ingetrokken"));
    cx.say(QaSaid::Retracted { nr });
    Ok(())
}

pub(super) fn versions(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let qa = cx.incident().desk.qa[index].clone();
    cx.say(QaSaid::Versions(qa));
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let search = cx.args.text("zoekwoord").map(|s| s.trim().to_lowercase());
    let found = |i: &Incident| -> Vec<ApprovedQa> {
        let all = approved(i).into_iter();
        all.filter(|q| search.as_deref().is_none_or(|s| matches(q, s)))
            .collect()
    };
    if let Some(incidents) = desk::everywhere(cx, found) {
        cx.say(QaSaid::Everywhere(incidents));
        return Ok(());
    }
    let incident = cx.incident();
    let items = found(incident);
    let pending = incident
        .desk
        .qa
        .iter()
        .filter(|q| q.body.pending().is_some())
        .map(|q| q.nr)
        .collect();
    cx.say(QaSaid::List {
        search,
        items,
        pending,
    });
    Ok(())
}

fn matches(qa: &ApprovedQa, search: &str) -> bool {
    qa.question.to_lowercase().contains(search) || qa.answer.to_lowercase().contains(search)
}

/// The approved, current Q&A, in order.
fn approved(incident: &Incident) -> Vec<ApprovedQa> {
    incident.desk.qa.iter().filter_map(approved_qa).collect()
}

fn approved_qa(qa: &Qa) -> Option<ApprovedQa> {
    let (version, v) = qa.body.current()?;
    let (question, answer) = split_qa(&v.text)?;
    Some(ApprovedQa {
        nr: qa.nr,
        version,
        question,
        answer,
    })
}
