//! Geruchten en feiten: rumours the team hears, what it knows of them, and
//! the approved text that answers each. A rumour is open until one does.

use super::{Cx, Refusal, desk, texts};
use crate::catalogue::Nr;
use crate::draaiboek::{COMMS_ADVISER, ENVIRONMENT_ANALYST};
use crate::model::desk::{Rumour, Verdict};
use crate::model::{Incident, LogKind, UserId};
use crate::view::RumourSaid;

/// More rumours than this per incident is no longer a list anyone can follow.
const MAX_RUMOURS: usize = 1000;

pub(super) fn new(cx: &mut Cx) -> Result<(), Refusal> {
    let text = cx.text("tekst")?.trim().to_string();
    if cx.incident().desk.rumours.len() >= MAX_RUMOURS {
        return Err(Refusal::No(format!(
            "Dit incident heeft al {MAX_RUMOURS} geruchten, het maximum."
        )));
    }
    let created = desk::stamp(cx);
    let incident = cx.incident_mut();
    let nr = desk::next_nr(incident.desk.rumours.iter().map(|r| r.nr));
    let rumour = Rumour {
        nr,
        text: text.clone(),
        created,
        verdict: Verdict::Unknown,
        note: None,
        judged: None,
        answered_by: None,
    };
    incident.desk.rumours.push(rumour.clone());
    cx.log(LogKind::Rumour, format!("Gerucht {nr}: {text}"));
    cx.say(RumourSaid::Registered(rumour));
    Ok(())
}

fn find(cx: &Cx, nr: &Nr) -> Result<usize, Refusal> {
    nr.value
        .and_then(|n| cx.incident().desk.rumours.iter().position(|r| r.nr == n))
        .ok_or_else(|| {
            Refusal::Usage(format!(
                "Gerucht {nr} bestaat niet. Zie {}geruchten.",
                cx.prefix()
            ))
        })
}

pub(super) fn verdict(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.text("oordeel")?;
    let Some(verdict) = Verdict::parse(word) else {
        return Err(Refusal::Usage(format!(
            "'{word}' is geen oordeel: kies klopt, klopt-niet of onbekend. Een nieuw gerucht dat met een getal begint? Zet het getal verderop."
        )));
    };
    let (verdict, note) = klopt_niet(verdict, cx.args.text("toelichting"));
    let index = find(cx, &cx.number("nr")?.clone())?;
    let judged = desk::stamp(cx);
    let r = &mut cx.incident_mut().desk.rumours[index];
    r.verdict = verdict;
    r.note = note;
    r.judged = Some(judged);
    let rumour = r.clone();
    let why = rumour
        .note
        .as_ref()
        .map(|n| format!(" — {n}"))
        .unwrap_or_default();
    cx.log(
        LogKind::Rumour,
        format!("Gerucht {}: {}{why}", rumour.nr, verdict.word()),
    );
    cx.say(RumourSaid::Judged(rumour));
    Ok(())
}

/// "klopt niet …" typed with a space means klopt-niet, never klopt.
fn klopt_niet(verdict: Verdict, note: Option<&str>) -> (Verdict, Option<String>) {
    let note = note.map(str::trim);
    match note.and_then(|n| n.split_once(char::is_whitespace).or(Some((n, "")))) {
        Some((first, rest)) if verdict == Verdict::True && first.eq_ignore_ascii_case("niet") => {
            let rest = rest.trim();
            (Verdict::False, (!rest.is_empty()).then(|| rest.to_string()))
        }
        _ => (verdict, note.map(str::to_string)),
    }
}

pub(super) fn refuted(cx: &mut Cx) -> Result<(), Refusal> {
    let index = find(cx, &cx.number("nr")?.clone())?;
    let wanted = cx.number("tekst")?.clone();
    let incident = cx.incident();
    let Some(text) = wanted
        .value
        .and_then(|n| incident.desk.texts.iter().find(|t| t.nr == n))
    else {
        return Err(Refusal::Usage(format!(
            "Tekst {wanted} bestaat niet. Zie {}teksten.",
            cx.prefix()
        )));
    };
    let Some(approved) = texts::approved_text(text) else {
        return Err(Refusal::No(format!(
            "Tekst {wanted} is niet goedgekeurd (of ingetrokken): een gerucht beantwoord je met een goedgekeurde tekst. Zie {}teksten.",
            cx.prefix()
        )));
    };
    let r = &mut cx.incident_mut().desk.rumours[index];
    r.answered_by = Some(approved.nr);
    let rumour = r.clone();
    cx.log(
        LogKind::Rumour,
        format!("Gerucht {} beantwoord met tekst {}", rumour.nr, approved.nr),
    );
    cx.say(RumourSaid::Refuted {
        rumour,
        text: approved,
    });
    Ok(())
}

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let mut rumours = cx.incident().desk.rumours.clone();
    rumours.sort_by_key(|r| (!r.is_open(), r.nr));
    cx.say(RumourSaid::List(rumours));
    Ok(())
}

pub(super) fn any_open(incident: &Incident) -> bool {
    incident.desk.rumours.iter().any(Rumour::is_open)
}

/// The open rumours and who must see them in the checklist nudge: the
/// omgevingsanalist and the communicatieadviseur.
pub(super) fn for_nudge(incident: &Incident) -> (Vec<Rumour>, Vec<UserId>) {
    let open = incident.desk.rumours.iter().filter(|r| r.is_open());
    let rumours: Vec<Rumour> = open.cloned().collect();
    if rumours.is_empty() {
        return (rumours, Vec::new());
    }
    let mut watchers: Vec<UserId> = Vec::new();
    for role in [ENVIRONMENT_ANALYST, COMMS_ADVISER] {
        if let Some(h) = incident.roles.get(role)
            && !watchers.contains(&h.user)
        {
            watchers.push(h.user.clone());
        }
    }
    (rumours, watchers)
}
