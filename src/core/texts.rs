//! Texts for any channel of the draaiboek (website, persbericht, social, …),
//! under the same four eyes as oneliners: every change is a version, an
//! approval names one, and only approved texts are marked published.

use chrono::Duration;

use super::four_eyes::{self, Kind};
use super::{Cx, Refusal, desk, oneliners, reminders};
use crate::catalogue::Nr;
use crate::draaiboek::{CHAIR, COMMS_ADVISER};
use crate::model::desk::{Publication, Text};
use crate::model::{Incident, LogKind, PublicUpdate, Versioned};
use crate::timeexpr::{format_clock, parse_moment};
use crate::view::{ApprovedText, TextSaid};

/// More texts than this per incident is no longer a desk anyone can follow.
const MAX_TEXTS: usize = 500;

const TEXT: Kind = Kind {
    noun: "Tekst",
    command: "tekst",
};

pub(super) fn propose(cx: &mut Cx) -> Result<(), Refusal> {
    let channel = channel(cx, cx.text("kanaal")?)?;
    let (audience, text) = split_known_audience(cx, cx.text("tekst")?);
    if cx.incident().desk.texts.len() >= MAX_TEXTS {
        return Err(Refusal::No(format!(
            "Dit incident heeft al {MAX_TEXTS} teksten, het maximum. Pas een bestaande aan met {}tekst wijzig <nr> <tekst>.",
            cx.prefix()
        )));
    }
    let body = Versioned::new(text.clone(), desk::stamp(cx));
    let incident = cx.incident_mut();
    let nr = desk::next_nr(incident.desk.texts.iter().map(|t| t.nr));
    incident.desk.texts.push(Text {
        nr,
        channel: channel.clone(),
        audience: audience.clone(),
        body,
        published: Vec::new(),
    });
    let for_whom = audience
        .as_ref()
        .map(|a| format!(", doelgroep {a}"))
        .unwrap_or_default();
    cx.log(
        LogKind::TextProposed,
        format!("Tekst {nr}.1 ({channel}{for_whom}) voorgesteld: {text}"),
    );
    cx.say(TextSaid::Proposed {
        nr,
        version: 1,
        channel,
        audience,
        text,
        still_current: None,
    });
    Ok(())
}

/// The draaiboek channel `word` names (a team's own channel too).
fn channel(cx: &Cx, word: &str) -> Result<String, Refusal> {
    match cx.book().channel(word) {
        Some(c) => Ok(c.id.clone()),
        None => Err(Refusal::Usage(format!(
            "Kanaal '{word}' ken ik niet. Kies uit: {}.",
            channel_ids(cx)
        ))),
    }
}

fn channel_ids(cx: &Cx) -> String {
    let ids: Vec<&str> = cx.book().channels.iter().map(|c| c.id.as_str()).collect();
    ids.join(", ")
}

/// `buurt: De school is open` → (Some("buurt"), …), but only for a
/// doelgroep of this incident or the draaiboek; "Let op: …" stays text.
fn split_known_audience(cx: &Cx, text: &str) -> (Option<String>, String) {
    match oneliners::split_audience(text) {
        (Some(word), rest) => match audience_id(cx, &word) {
            Some(id) => (Some(id), rest),
            None => (None, text.trim().to_string()),
        },
        (None, rest) => (None, rest),
    }
}

/// A doelgroep id: the incident's own, or one of the draaiboek.
pub(super) fn audience_id(cx: &Cx, word: &str) -> Option<String> {
    let word = word.to_lowercase();
    let incident = cx.incident.as_ref();
    if incident.is_some_and(|i| i.desk.audiences.iter().any(|g| g.id == word)) {
        return Some(word);
    }
    cx.book().audience(&word).map(|a| a.id.clone())
}

/// The index of the text the command names.
fn find(cx: &Cx, nr: &Nr) -> Result<usize, Refusal> {
    nr.value
        .and_then(|n| cx.incident().desk.texts.iter().position(|t| t.nr == n))
        .ok_or_else(|| {
            Refusal::Usage(format!(
                "Tekst {nr} bestaat niet. Zie {}teksten.",
                cx.prefix()
            ))
        })
}

pub(super) fn edit(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let t = &cx.incident().desk.texts[index];
    four_eyes::not_retracted(cx, &TEXT, t.nr, &t.body)?;
    let text = cx.text("tekst")?.trim().to_string();
    let by = desk::stamp(cx);
    let t = &mut cx.incident_mut().desk.texts[index];
    let (version, still_current) = four_eyes::add_version(&mut t.body, text.clone(), by);
    let (nr, channel, audience) = (t.nr, t.channel.clone(), t.audience.clone());
    cx.log(
        LogKind::TextProposed,
        format!("Tekst {nr}.{version} voorgesteld: {text}"),
    );
    cx.say(TextSaid::Proposed {
        nr,
        version,
        channel,
        audience,
        text,
        still_current,
    });
    Ok(())
}

pub(super) fn approve(cx: &mut Cx) -> Result<(), Refusal> {
    let label = cx.label("nr")?.clone();
    let index = find(cx, &label.nr)?;
    let t = &cx.incident().desk.texts[index];
    let version = four_eyes::approvable(cx, &TEXT, t.nr, &t.body, label.version.as_ref())?;
    let (by, tell) = (desk::stamp(cx), desk::speakers(cx));
    let t = &mut cx.incident_mut().desk.texts[index];
    let text = four_eyes::approve(&mut t.body, version, by);
    let (nr, channel) = (t.nr, t.channel.clone());
    let approved = approved_text(t).expect("just approved");
    cx.log(
        LogKind::TextApproved,
        format!("Tekst {nr}.{version} ({channel}) goedgekeurd: {text}"),
    );
    cx.say(TextSaid::Approved {
        text: approved,
        tell,
    });
    Ok(())
}

pub(super) fn retract(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let t = &cx.incident().desk.texts[index];
    let nr = t.nr;
    four_eyes::retractable(cx, &TEXT, nr, &t.body)?;
    let by = desk::stamp(cx);
    cx.incident_mut().desk.texts[index].body.retracted = Some(by);
    cx.log(LogKind::TextRetracted, format!("Tekst {nr} ingetrokken"));
    cx.say(TextSaid::Retracted { nr });
    Ok(())
}

/// Records that the approved version went out; it counts as a public update.
pub(super) fn published(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let t = &cx.incident().desk.texts[index];
    four_eyes::not_retracted(cx, &TEXT, t.nr, &t.body)?;
    let Some((version, _)) = t.body.current() else {
        return Err(not_approved(cx, t));
    };
    let at = publication_time(cx)?;
    let by = cx.sender().to_string();
    let incident = cx.incident_mut();
    let t = &mut incident.desk.texts[index];
    t.published.push(Publication {
        version,
        at,
        by: by.clone(),
    });
    let text = approved_text(t).expect("checked above");
    let channel = t.channel.clone();
    let update = PublicUpdate {
        text: format!("Tekst {}.{version} gepubliceerd ({channel})", text.nr),
        by,
        at,
    };
    reminders::record_public_update(incident, update);
    let next = reminders::cadence(cx.book(), cx.incident());
    cx.log(
        LogKind::TextPublished,
        format!(
            "Tekst {}.{version} gepubliceerd ({channel}) om {}",
            text.nr,
            format_clock(at)
        ),
    );
    cx.say(TextSaid::Published { text, next });
    Ok(())
}

fn not_approved(cx: &Cx, t: &Text) -> Refusal {
    let newest = t.body.versions.len();
    Refusal::No(format!(
        "Tekst {nr} is nog niet goedgekeurd en kan dus niet naar buiten. Goedkeuren doet de voorzitter of communicatieadviseur{}, niet wie een versie schreef: {}tekst goedkeuren {nr}.{newest}",
        cx.holders_of(&[CHAIR, COMMS_ADVISER]),
        cx.prefix(),
        nr = t.nr
    ))
}

/// Now, or the time typed (`9:45` is today): not in the future.
fn publication_time(cx: &Cx) -> Result<chrono::DateTime<chrono::Utc>, Refusal> {
    let now = cx.now();
    let Some(input) = cx.args.text("tijd") else {
        return Ok(now);
    };
    let at = parse_moment(input, now).map_err(|e| Refusal::Usage(e.to_string()))?;
    if at > now + Duration::minutes(1) {
        return Err(Refusal::Usage(format!(
            "{} ligt in de toekomst. Leg de publicatie vast als die gebeurd is, of laat de tijd weg (nu).",
            format_clock(at)
        )));
    }
    Ok(at)
}

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let label = cx.label("nr")?.clone();
    let index = find(cx, &label.nr)?;
    let text = cx.incident().desk.texts[index].clone();
    let newest = text.body.versions.len();
    let version = match label.version.as_ref().map(|v| v.value) {
        None => newest,
        Some(Some(v)) if (v as usize) <= newest => v as usize,
        Some(_) => {
            return Err(Refusal::Usage(format!(
                "Tekst {} heeft geen versie {}; de nieuwste is {}.{newest}.",
                text.nr,
                label.version.expect("named"),
                text.nr
            )));
        }
    };
    cx.say(TextSaid::Shown { text, version });
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let filter = match cx.args.text("filter") {
        None => None,
        Some(word) => Some(list_filter(cx, word)?),
    };
    let kept = |i: &Incident| -> Vec<ApprovedText> {
        let all = approved_texts(i).into_iter();
        all.filter(|t| filter.as_ref().is_none_or(|f| keeps(f, t)))
            .collect()
    };
    if let Some(incidents) = desk::everywhere(cx, kept) {
        cx.say(TextSaid::Everywhere(incidents));
        return Ok(());
    }
    let incident = cx.incident();
    let texts = kept(incident);
    let pending = incident
        .desk
        .texts
        .iter()
        .filter(|t| t.body.pending().is_some())
        .map(|t| t.nr)
        .collect();
    cx.say(TextSaid::List {
        filter: filter.map(|f| f.id().to_string()),
        texts,
        pending,
    });
    Ok(())
}

enum Filter {
    Channel(String),
    Audience(String),
}

impl Filter {
    fn id(&self) -> &str {
        match self {
            Filter::Channel(id) | Filter::Audience(id) => id,
        }
    }
}

fn list_filter(cx: &Cx, word: &str) -> Result<Filter, Refusal> {
    if let Some(c) = cx.book().channel(word) {
        return Ok(Filter::Channel(c.id.clone()));
    }
    audience_id(cx, word).map(Filter::Audience).ok_or_else(|| {
        Refusal::Usage(format!(
            "'{word}' is geen kanaal of doelgroep. Kanalen: {}; doelgroepen: {}doelgroepen.",
            channel_ids(cx),
            cx.prefix()
        ))
    })
}

fn keeps(filter: &Filter, t: &ApprovedText) -> bool {
    match filter {
        Filter::Channel(id) => t.channel == *id,
        Filter::Audience(id) => t.audience.as_deref() == Some(id),
    }
}

/// The approved, current texts, in order.
pub(super) fn approved_texts(incident: &Incident) -> Vec<ApprovedText> {
    incident
        .desk
        .texts
        .iter()
        .filter_map(approved_text)
        .collect()
}

/// The text's approved, current version, if it has one.
pub(super) fn approved_text(t: &Text) -> Option<ApprovedText> {
    let (version, v) = t.body.current()?;
    Some(ApprovedText {
        nr: t.nr,
        version,
        channel: t.channel.clone(),
        audience: t.audience.clone(),
        text: v.text.clone(),
        published: t
            .published
            .iter()
            .filter(|p| p.version == version)
            .map(|p| p.at)
            .max(),
    })
}
