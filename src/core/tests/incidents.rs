use super::*;

// --- incidents -------------------------------------------------------------

#[test]
fn opening_an_incident_makes_the_opener_voorzitter_in_phase_dreiging() {
    let mut t = Team::new();
    let said = t.say(CHAIR, "!incident open Onrust na familiedrama");
    // The second message is the living sitrap.
    let reply = said.split("\n---\n").next().unwrap();
    let first = reply.lines().next().unwrap();
    assert!(
        first.contains("Onrust na familiedrama")
            && first.contains("voorzitter @voorzitter:gemeente.nl")
            && first.contains("fase Dreigende maatschappelijke onrust"),
        "{reply}"
    );
    assert!(reply.lines().count() <= 8, "{reply}");
    assert!(
        reply.contains("1. ") && reply.contains("3. ") && !reply.contains("4. "),
        "{reply}"
    );
    assert!(
        reply.contains("Dreigende maatschappelijke onrust"),
        "{reply}"
    );
    assert_eq!(t.incident().roles["voorzitter"].user, CHAIR);
    assert_eq!(t.incident().phase, "dreiging");
}

#[test]
fn a_second_incident_while_one_is_active_is_refused() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!incident open Nog een");
    assert!(
        refused(&reply) && reply.contains("Er loopt al een incident"),
        "{reply}"
    );
    assert_eq!(t.room.incidents.len(), 1);
}

#[test]
fn incident_open_without_title_shows_usage() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!incident open");
    assert!(
        reply.contains("<titel>") && reply.contains("!incident open <titel>"),
        "{reply}"
    );
    assert!(t.room.active.is_none());
}

#[test]
fn choosing_a_scenario_shows_its_partners_and_tips() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident scenario familiedrama");
    assert!(
        reply.contains("Partners: Gemeente, OM, Politie") && reply.contains("Dilemma's:"),
        "{reply}"
    );
    assert_eq!(
        reply.matches("• ").count(),
        3,
        "three key dilemmas: {reply}"
    );
    assert!(reply.contains("!incident scenario details"), "{reply}");
    assert_eq!(t.incident().scenario.as_deref(), Some("familiedrama"));
    let details = t.say_all(POLICE, "!incident scenario details");
    assert!(
        details.contains("Tips:") && details.contains("Dilemma's:"),
        "{details}"
    );
}

#[test]
fn an_unknown_scenario_lists_the_known_ones() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident scenario brand");
    assert!(
        reply.contains("zeden") && reply.contains("wmo-misbruik"),
        "{reply}"
    );
    assert!(
        reply.contains("Gebruik: !incident scenario <scenario>"),
        "{reply}"
    );
}

#[test]
fn only_the_chair_chooses_the_scenario_and_closes() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!incident scenario zeden");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert!(reply.contains(CHAIR), "names who may: {reply}");
    assert!(refused(&t.say(POLICE, "!incident sluit klaar")));
    assert!(t.room.active.is_some());
}

#[test]
fn closing_frees_the_room_for_a_new_incident_and_keeps_history() {
    let mut t = Team::with_incident();
    t.say(
        CHAIR,
        "!incident sluit mondeling:ja evaluatie:mij Rust teruggekeerd",
    );
    let reply = t.say(CHAIR, "!incident sluit bevestig");
    assert!(
        reply.contains("Incident gesloten") && reply.contains("Rust teruggekeerd"),
        "{reply}"
    );
    assert!(t.room.active.is_none());
    let reply = t.say(POLICE, "!incident");
    assert!(reply.contains("Geen actief incident"), "{reply}");
    t.say(POLICE, "!incident open Tweede");
    let list = t.say(POLICE, "!incidenten");
    assert!(
        list.contains("Onrust Oosterwijk") && list.contains("Tweede"),
        "{list}"
    );
    assert_eq!(t.incident().roles["voorzitter"].user, POLICE);
}

#[test]
fn commands_without_an_incident_say_how_to_open_one() {
    let mut t = Team::new();
    for cmd in [
        "!fase",
        "!actie bellen",
        "!sitrap",
        "!oneliners",
        "!checklist",
    ] {
        let reply = t.say(CHAIR, cmd);
        assert!(reply.contains("!incident open <titel>"), "{cmd}: {reply}");
    }
}
