use super::{Chat, checklists};
use crate::reply::Reply;
use crate::view::{IncidentHeader, IncidentSaid};

pub(super) fn render(chat: &Chat, said: &IncidentSaid) -> Reply {
    match said {
        IncidentSaid::Opened {
            title,
            chair,
            phase,
            checklist,
            first_update_due,
        } => opened(chat, title, chair, phase, checklist, *first_update_due),
        IncidentSaid::ScenarioChosen { scenario } => scenario_card(chat, scenario),
        IncidentSaid::Closed {
            title,
            reason,
            open_actions,
        } => closed(title, reason.as_deref(), *open_actions),
        IncidentSaid::NoneActive => {
            let p = chat.prefix;
            let mut r = Reply::say("Geen actief incident in deze ruimte.");
            r.newline().text(format!(
                "Open er een met {p}incident open <titel>; eerdere: {p}incidenten."
            ));
            r
        }
        IncidentSaid::Shown(header) => shown(chat, header),
        IncidentSaid::List(incidents) => list(chat, incidents),
        IncidentSaid::SitrapNotPinned { needed, has } => Reply::say(format!(
            "📌 Ik mag de sitrap hier niet vastzetten: daarvoor is machtsniveau {needed} nodig, ik heb {has}. Geef de bot dat niveau (of zet hem zelf vast); ik houd hem wel bij."
        )),
    }
}

fn opened(
    chat: &Chat,
    title: &str,
    chair: &str,
    phase: &str,
    checklist: &[crate::view::StepStatus],
    first_update_due: chrono::DateTime<chrono::Utc>,
) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text("🚨 Incident geopend: ").bold(title);
    r.newline().text("Voorzitter: ");
    chat.mention(&mut r, chair);
    let meaning = chat.book.phase(phase).map_or("", |p| p.meaning.as_str());
    r.newline()
        .text("Fase: ")
        .bold(chat.phase_name(phase))
        .text(format!(" — {meaning}"));
    checklists::steps(chat, &mut r, checklist);
    r.newline().text(format!(
        "Eerste publieksupdate uiterlijk {} (gouden uur); vastleggen met {p}update <tekst>.",
        chat.moment(first_update_due)
    ));
    r.newline().text("Volgende stappen:");
    let scenarios: Vec<&str> = chat.book.scenarios.iter().map(|s| s.id.as_str()).collect();
    r.item().text(format!(
        "{p}incident scenario <scenario> — {}",
        scenarios.join(", ")
    ));
    r.item().text(format!(
        "{p}rol woordvoerder @naam — rollen verdelen ({p}rollen)"
    ));
    r.item().text(format!("{p}checklist — wat nu te doen"));
    r
}

fn scenario_card(chat: &Chat, id: &str) -> Reply {
    let Some(scenario) = chat.book.scenario(id) else {
        return Reply::say(format!("📋 Scenario: {id}"));
    };
    let mut r = Reply::new();
    r.text("📋 Scenario: ").bold(&scenario.name);
    r.newline().text(&scenario.description);
    r.newline()
        .bold("Partners:")
        .text(" ")
        .text(scenario.partners.join(", "));
    if !scenario.dilemmas.is_empty() {
        r.newline().bold("Dilemma's:");
        for d in &scenario.dilemmas {
            r.item().text(d);
        }
    }
    r.newline().bold("Tips:");
    for t in &scenario.tips {
        r.item().text(t);
    }
    r
}

fn closed(title: &str, reason: Option<&str>, open_actions: usize) -> Reply {
    let mut r = Reply::new();
    r.text("✅ Incident gesloten: ").bold(title);
    if let Some(reason) = reason {
        r.newline().text(format!("Reden: {reason}"));
    }
    if open_actions > 0 {
        r.newline().text(format!(
            "Let op: {open_actions} actie(s) stonden nog open; ze blijven in het logboek."
        ));
    }
    r.newline()
        .text("Vergeet nazorg en evaluatie niet (Handreiking, bijlage 5).");
    r
}

fn shown(chat: &Chat, i: &IncidentHeader) -> Reply {
    let mut r = Reply::new();
    r.text(format!("🚨 Incident {}: ", i.id)).bold(&i.title);
    r.newline().text(format!(
        "Geopend {} door {}",
        chat.moment(i.opened_at),
        chat.name(&i.opened_by)
    ));
    let scenario = i
        .scenario
        .as_deref()
        .and_then(|s| chat.book.scenario(s))
        .map_or("nog niet gekozen", |s| s.name.as_str());
    r.newline().text(format!("Scenario: {scenario}"));
    r.newline()
        .text("Fase: ")
        .bold(chat.phase_name(&i.phase))
        .text(format!(" sinds {}", chat.moment(i.phase_since)));
    r
}

fn list(chat: &Chat, incidents: &[crate::model::IncidentSummary]) -> Reply {
    let mut r = Reply::new();
    if incidents.is_empty() {
        r.text(format!(
            "Nog geen incidenten in deze ruimte. Open er een met {}incident open <titel>.",
            chat.prefix
        ));
        return r;
    }
    // Exercises never mix with real incidents: they get their own section.
    let (exercises, real): (Vec<_>, Vec<_>) = incidents.iter().partition(|s| s.exercise);
    if real.is_empty() {
        r.text("Nog geen echte incidenten in deze ruimte.");
    } else {
        r.text("Incidenten in deze ruimte:");
        summaries(chat, &mut r, &real);
    }
    if !exercises.is_empty() {
        r.newline()
            .text(format!("🧪 Oefeningen ({}):", exercises.len()));
        summaries(chat, &mut r, &exercises);
    }
    r
}

fn summaries(chat: &Chat, r: &mut Reply, incidents: &[&crate::model::IncidentSummary]) {
    for s in incidents.iter().rev() {
        r.item().text(format!("{}: ", s.id)).bold(&s.title);
        match s.closed_at {
            None => r.text(format!(" — actief, sinds {}", chat.moment(s.opened_at))),
            Some(at) => r.text(format!(
                " — {} t/m {}",
                chat.moment(s.opened_at),
                chat.moment(at)
            )),
        };
    }
}
