use super::{Chat, plural};
use crate::draaiboek::Scenario;
use crate::reply::Reply;
use crate::view::{ClosingCheck, IncidentHeader, IncidentSaid};

pub(super) fn render(chat: &Chat, said: &IncidentSaid) -> Reply {
    match said {
        IncidentSaid::Opened {
            title,
            chair,
            phase,
            first_steps,
            first_update_due,
        } => opened(chat, title, chair, phase, first_steps, *first_update_due),
        IncidentSaid::ScenarioChosen { scenario } => match chat.book.scenario(scenario) {
            Some(s) => scenario_card(chat, s),
            None => Reply::say(format!("📋 Scenario: {scenario}")),
        },
        IncidentSaid::ScenarioDetails { scenario } => match chat.book.scenario(scenario) {
            Some(s) => scenario_details(s),
            None => Reply::say(format!("📋 Scenario: {scenario}")),
        },
        IncidentSaid::Closing(check) => closing(chat, check),
        IncidentSaid::Closed {
            title,
            reason,
            open_actions,
            oral_evaluation,
            evaluation_owner,
        } => {
            let mut r = closed(title, reason.as_deref(), *open_actions);
            evaluation(chat, &mut r, *oral_evaluation, evaluation_owner.as_deref());
            r
        }
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

/// At most eight lines: who, what, the first three things, what next.
fn opened(
    chat: &Chat,
    title: &str,
    chair: &str,
    phase: &str,
    first_steps: &[String],
    first_update_due: chrono::DateTime<chrono::Utc>,
) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text("🚨 Incident geopend: ")
        .bold(title)
        .text(" · voorzitter ");
    chat.mention(&mut r, chair);
    r.text(format!(" · fase {}", chat.phase_name(phase)));
    if !first_steps.is_empty() {
        r.newline().text("Eerst:");
        for (i, item) in first_steps.iter().enumerate() {
            r.newline()
                .text(format!("{}. {} ({item})", i + 1, chat.item_text(item)));
        }
    }
    r.newline().text(format!(
        "📣 Eerste publieksupdate uiterlijk {} ({}); vastleggen: {p}update <tekst>",
        chat.moment(first_update_due),
        chat.book.cadence.label
    ));
    r.newline().text(format!(
        "Verder: {p}incident scenario <naam> · {p}rol <rol> <wie> · {p}checklist · {p}sitrap"
    ));
    r
}

/// What fits a phone: short partner names and the key dilemmas.
fn scenario_card(chat: &Chat, s: &Scenario) -> Reply {
    let mut r = Reply::new();
    r.text("📋 Scenario: ").bold(&s.name);
    let partners = if s.partners_short.is_empty() {
        &s.partners
    } else {
        &s.partners_short
    };
    r.newline().bold("Partners: ").text(partners.join(", "));
    if !s.key_dilemmas().is_empty() {
        r.newline().bold("Dilemma's:");
        for d in s.key_dilemmas() {
            r.item().text(d);
        }
    }
    if !s.audiences.is_empty() {
        r.newline().bold("Doelgroepen: ").text(format!(
            "{} — overnemen: {}doelgroepen overnemen",
            s.audiences.join(", "),
            chat.prefix
        ));
    }
    r.newline().text(format!(
        "Kenmerken, tips en alle partners: {}incident scenario details",
        chat.prefix
    ));
    r
}

fn scenario_details(s: &Scenario) -> Reply {
    let mut r = Reply::new();
    r.text("📋 Scenario: ").bold(&s.name);
    r.newline().text(&s.description);
    let sections: [(&str, &Vec<String>); 5] = [
        ("Partners", &s.partners),
        ("Dilemma's", &s.dilemmas),
        ("Mogelijk relevante kenmerken", &s.features),
        ("Bevoegdheden", &s.powers),
        ("Tips", &s.tips),
    ];
    for (heading, items) in sections {
        if items.is_empty() {
            continue;
        }
        r.newline().bold(format!("{heading}:"));
        for item in items {
            r.item().text(item);
        }
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
        let (acties, stonden) = if open_actions == 1 {
            ("actie", "stond")
        } else {
            ("acties", "stonden")
        };
        r.newline().text(format!(
            "Let op: {open_actions} {acties} {stonden} nog open; ze blijven in het logboek."
        ));
    }
    r
}

/// §3.4's two outcomes, and the record for the integral evaluation.
fn evaluation(chat: &Chat, r: &mut Reply, oral: Option<bool>, owner: Option<&str>) {
    if let Some(oral) = oral {
        let held = if oral { "gehouden" } else { "niet gehouden" };
        r.newline()
            .text(format!("🗣️ Korte mondelinge evaluatie: {held}."));
    }
    if let Some(owner) = owner {
        r.newline()
            .text("📋 Verantwoordelijk voor de integrale evaluatie: ");
        chat.mention(r, owner);
        r.text(format!(". Het logboek als verslag: {}export", chat.prefix));
    }
}

/// What closing needs (§3.4) and what is still open; how to confirm.
fn closing(chat: &Chat, c: &ClosingCheck) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text("🏁 Afsluiten (§3.4): ").bold(&c.title);
    let oral = match c.oral_evaluation {
        Some(true) => "✅ gehouden".to_string(),
        Some(false) => "❌ niet gehouden".to_string(),
        None => "⬜ nog opgeven: mondeling:ja of mondeling:nee".to_string(),
    };
    r.newline()
        .text(format!("1. Korte mondelinge evaluatie: {oral}"));
    let owner = match &c.evaluation_owner {
        Some(owner) => format!("✅ {}", chat.name(owner)),
        None => "⬜ nog opgeven: evaluatie:@wie".to_string(),
    };
    r.newline().text(format!(
        "2. Verantwoordelijk voor de integrale evaluatie: {owner}"
    ));
    if let Some(reason) = &c.reason {
        r.newline().text(format!("Reden: {reason}"));
    }
    warnings(chat, &mut r, c);
    r.newline().text(if c.complete() {
        format!("Sluiten: {p}incident sluit bevestig")
    } else {
        format!("Bijv.: {p}incident sluit mondeling:ja evaluatie:@jan Rust is terug; daarna {p}incident sluit bevestig")
    });
    r
}

fn warnings(chat: &Chat, r: &mut Reply, c: &ClosingCheck) {
    if let Some(first) = c.untouched.first() {
        let names: Vec<String> = c.untouched.iter().map(|l| chat.list_name(l)).collect();
        r.newline().text(format!(
            "⚠️ Nog niets afgevinkt in {}. Zie {}checklist {first}",
            names.join(", "),
            chat.prefix
        ));
    }
    if c.open_actions > 0 {
        let n = c.open_actions;
        r.newline().text(format!(
            "⚠️ {n} {} {} nog open: wie pakt die op na het kernteam? ({}acties)",
            plural(n, "actie", "acties"),
            plural(n, "staat", "staan"),
            chat.prefix
        ));
    }
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
                " — {} tot {}",
                chat.moment(s.opened_at),
                chat.moment(at)
            )),
        };
    }
}
