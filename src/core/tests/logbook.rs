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
        // A long reply keeps its rest for `!meer` in the room record; the
        // incident and its logboek stay untouched.
        assert!(
            outcome.incident.is_none() && outcome.log.is_empty(),
            "{cmd}"
        );
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
    t.say(SPOKES, "!oneliner voorstel Rustig blijven.");
    let s = t.say(POLICE, "!sitrap");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 5, "one line each: {s}");
    assert!(
        lines[0].contains("Onrust Oosterwijk (Polarisatie)")
            && lines[0].contains("fase Dreigende maatschappelijke onrust sinds 10:00"),
        "{s}"
    );
    assert!(
        lines[1].contains("onbezet: Notulist") && !lines[1].contains("Politie"),
        "{s}"
    );
    assert!(
        lines[2].contains("1 open, 1 te laat") && lines[2].contains("1. Bellen"),
        "{s}"
    );
    assert!(lines[3].contains("1 goedgekeurd, 1 wacht"), "{s}");
    assert!(lines[4].contains("Beeldvorming — 18 open van 18"), "{s}");
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

#[test]
fn the_five_thousand_and_first_decision_is_refused_and_not_recorded() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!besluit Geen persconferentie");
    let first = t.incident().decisions[0].clone();
    let decisions = &mut t.incident_mut().decisions;
    decisions.extend(std::iter::repeat_n(first, 4999));
    let reply = t.say(CHAIR, "!besluit Nog een");
    assert!(
        refused(&reply) && reply.contains("al 5000 besluiten, het maximum"),
        "{reply}"
    );
    assert_eq!(t.incident().decisions.len(), 5000);
}

#[test]
fn a_command_over_four_thousand_characters_gets_one_refusal_and_changes_nothing() {
    let mut t = Team::with_incident();
    let entries = t.log.borrow().len();
    let reply = t.say(CHAIR, &format!("!log {}", "x".repeat(4000)));
    assert!(
        reply.starts_with("⚠️ Dit commando is te lang (4004 tekens; maximaal 4000)"),
        "{reply}"
    );
    assert_eq!(t.log.borrow().len(), entries);
}
