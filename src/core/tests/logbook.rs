use super::*;

// --- logboek ---------------------------------------------------------------

#[test]
fn every_change_lands_in_the_logboek_with_who() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!log Groep jongeren bij de school");
    t.say(CHAIR, "!besluit Extra surveillance vanavond");
    let log = t.say(SPOKES, "!logboek 20");
    for expected in [
        "Incident geopend: Onrust Oosterwijk",
        "[rol] @comms:gemeente.nl is Communicatieadviseur",
        "@agent:politie.nl [notitie] Groep jongeren bij de school",
        "[besluit] Extra surveillance vanavond",
    ] {
        assert!(log.contains(expected), "{expected} in {log}");
    }
    let decisions = t.say(SPOKES, "!besluiten");
    assert!(
        decisions.contains("1. Extra surveillance vanavond"),
        "{decisions}"
    );
}

#[test]
fn reading_commands_change_nothing() {
    let t = Team::with_incident();
    for cmd in [
        "!sitrap",
        "!logboek",
        "!rollen",
        "!oneliners",
        "!acties",
        "!fase",
        "!help",
    ] {
        let outcome = t.outcome(POLICE, cmd);
        assert!(!outcome.changes_state() && outcome.log.is_empty(), "{cmd}");
    }
}

#[test]
fn the_logboek_view_is_bounded() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!logboek 500");
    assert!(reply.contains("Kies 1 tot 50"), "{reply}");
    let reply = t.say(POLICE, "!logboek 0");
    assert!(reply.contains("Kies 1 tot 50"), "{reply}");
    let reply = t.say(POLICE, "!logboek veel");
    assert!(reply.contains("geen nummer"), "{reply}");
}

#[test]
fn the_sitrap_fits_everything_on_one_screen() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!incident scenario polarisatie");
    t.say(POLICE, "!actie Bellen over 30 min");
    t.say(SPOKES, "!oneliner voorstel We zijn in gesprek.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    t.later(45);
    let s = t.say(POLICE, "!sitrap");
    for expected in [
        "Onrust Oosterwijk",
        "Scenario: ",
        "Fase: Dreigende maatschappelijke onrust",
        "Notulist ⚠️ onbezet",
        "1 open, 1 te laat",
        "“We zijn in gesprek.”",
        "Beeldvorming:",
    ] {
        assert!(s.contains(expected), "{expected} in {s}");
    }
    assert!(
        s.lines().count() <= 25,
        "phone screen: {} lines",
        s.lines().count()
    );
}

#[test]
fn decisions_are_recorded_by_the_voorzitter_or_notulist_only() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!besluit Geen persconferentie");
    assert!(
        refused(&reply) && reply.contains("de voorzitter of de notulist"),
        "{reply}"
    );
    assert!(t.incident().decisions.is_empty());
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    assert!(!refused(&t.say(POLICE, "!besluit Geen persconferentie")));
}
