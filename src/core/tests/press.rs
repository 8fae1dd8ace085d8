use super::reminders::quiet_team;
use super::*;

// --- press questions (persvragen) --------------------------------------------

#[test]
fn a_press_question_gets_a_number_and_goes_to_the_woordvoerder_who_is_mentioned() {
    let mut t = Team::with_incident();
    let outcome = t.outcome(
        POLICE,
        "!persvraag RTV Oost: Is de school morgen open? vandaag 16:00",
    );
    let reply = t.apply(&outcome);
    assert!(
        reply.starts_with("📰 Persvraag 1 · RTV Oost: Is de school morgen open?")
            && reply.contains(&format!("Voor: {SPOKES} · deadline 16:00 (over 6 uur)")),
        "{reply}"
    );
    assert!(outcome.messages()[0].mentions.contains(SPOKES));
    let q = &t.incident().desk.press[0];
    assert_eq!((q.owner.as_str(), q.created.by.as_str()), (SPOKES, POLICE));
    let log = t.log.borrow().last().cloned().unwrap();
    assert!(
        log.kind == crate::model::LogKind::PressQuestion
            && log.text.contains("Persvraag 1 van RTV Oost"),
        "{log:?}"
    );
}

#[test]
fn a_deadline_that_passed_or_does_not_exist_is_refused_and_nothing_is_registered() {
    let mut t = Team::with_incident();
    for line in [
        "!persvraag NOS: Zijn er gewonden? gisteren 9:00",
        "!persvraag NOS: Zijn er gewonden? 25:99",
    ] {
        let reply = t.say(POLICE, line);
        assert!(
            reply.starts_with('⚠') && reply.contains("Gebruik: !persvraag"),
            "{reply}"
        );
    }
    assert!(t.incident().desk.press.is_empty());
}

#[test]
fn a_time_inside_a_question_is_not_taken_for_its_deadline() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!persvraag NOS: Wat gebeurde er om 9:00?");
    assert!(reply.contains("geen deadline"), "{reply}");
    assert_eq!(
        t.incident().desk.press[0].question,
        "Wat gebeurde er om 9:00?"
    );
}

#[test]
fn a_question_without_a_medium_is_refused_with_the_usage() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!persvraag Is de school morgen open?");
    assert!(
        reply.contains("Noem eerst het medium")
            && reply.contains("Bijvoorbeeld: !persvraag RTV Oost:"),
        "{reply}"
    );
}

#[test]
fn without_a_woordvoerder_the_question_stays_with_whoever_registered_it() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!rol woordvoerder weg");
    let reply = t.say(POLICE, "!persvraag NOS: Hoeveel mensen zijn opgevangen?");
    assert!(
        reply.contains(&format!("Voor: {POLICE}")) && reply.contains("Er is geen woordvoerder"),
        "{reply}"
    );
}

#[test]
fn a_question_is_handed_over_by_its_people_and_taken_by_anyone_with_mij() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!persvraag NOS: Hoeveel mensen zijn opgevangen?");
    let reply = t.say(POLICE, &format!("!persvraag 1 {COMMS}"));
    assert!(
        refused(&reply) && reply.contains("persvraag 1 mij"),
        "{reply}"
    );
    let outcome = t.outcome(SPOKES, &format!("!persvraag 1 {COMMS}"));
    let reply = t.apply(&outcome);
    assert!(reply.contains(&format!("is nu van {COMMS}")), "{reply}");
    assert!(outcome.messages()[0].mentions.contains(COMMS));
    let reply = t.say(POLICE, "!persvraag 1 mij");
    assert!(reply.contains(&format!("is nu van {POLICE}")), "{reply}");
    assert!(t.say(POLICE, "!persvraag 1 mij").contains("is al van"));
}

#[test]
fn answered_referred_and_dropped_questions_are_closed_once() {
    let mut t = Team::with_incident();
    for medium in ["NOS", "RTV Oost", "Tubantia"] {
        t.say(CHAIR, &format!("!persvraag {medium}: Vraag?"));
    }
    let reply = t.say(
        SPOKES,
        "!persvraag 1 beantwoord School is open; verwezen naar de website.",
    );
    assert!(
        reply.starts_with("✅ Persvraag 1 (NOS) beantwoord: School is open"),
        "{reply}"
    );
    let reply = t.say(SPOKES, "!persvraag 2 doorverwezen openbaar ministerie");
    assert!(
        reply.contains("doorverwezen naar OM (Openbaar Ministerie)"),
        "{reply}"
    );
    assert!(
        t.say(COMMS, "!persvraag 3 vervalt")
            .starts_with("🗑️ Persvraag 3")
    );
    let reply = t.say(CHAIR, "!persvraag 1 vervalt");
    assert!(
        refused(&reply) && reply.contains("is al beantwoord door"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!persvraag 9 vervalt");
    assert!(reply.contains("Persvraag 9 bestaat niet"), "{reply}");
    assert!(
        t.say(POLICE, "!persvragen")
            .contains("Open persvragen: geen")
    );
}

#[test]
fn only_its_people_may_close_a_question() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!persvraag NOS: Vraag?");
    let reply = t.say(POLICE, "!persvraag 1 beantwoord Ja.");
    assert!(
        refused(&reply) && reply.contains("Alleen de eigenaar"),
        "{reply}"
    );
    assert!(t.incident().desk.press[0].is_open());
}

#[test]
fn the_lists_show_open_mine_or_all_with_the_most_urgent_first() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!persvraag NOS: Zonder deadline?");
    t.say(CHAIR, "!persvraag RTV Oost: Later? vandaag 17:00");
    t.say(CHAIR, "!persvraag Tubantia: Eerst? vandaag 12:00");
    t.say(CHAIR, &format!("!persvraag 1 {COMMS}"));
    t.say(COMMS, "!persvraag 1 vervalt");
    let open = t.say(POLICE, "!persvragen");
    let (a, b) = (
        open.find("Tubantia").unwrap(),
        open.find("RTV Oost").unwrap(),
    );
    assert!(a < b && !open.contains("NOS"), "{open}");
    let mine = t.say(SPOKES, "!persvragen mijn");
    assert!(mine.starts_with("📰 Jouw open persvragen (2)"), "{mine}");
    let all = t.say(POLICE, "!persvragen alle");
    assert!(
        all.contains("NOS: “Zonder deadline?”") && all.contains("(vervallen)"),
        "{all}"
    );
    let reply = t.say(POLICE, "!persvragen gisteren");
    assert!(reply.contains("kies open, mijn of alle"), "{reply}");
}

#[test]
fn the_owner_is_reminded_before_and_at_a_press_deadline() {
    let mut t = quiet_team();
    t.say(CHAIR, "!persvraag RTV Oost: Is de school open? over 1 uur");
    let said = t.run_for(70);
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(said[0].0, 45);
    assert!(
        said[0]
            .1
            .contains(&format!("⏰ {SPOKES} persvraag 1 van RTV Oost"))
            && said[0].1.contains("over 15 min"),
        "{said:?}"
    );
    assert_eq!(said[1].0, 60);
    assert!(
        said[1].1.contains("deadline van persvraag 1")
            && said[1].1.contains("!persvraag 1 beantwoord"),
        "{said:?}"
    );
}

#[test]
fn an_overdue_press_question_is_in_the_chairs_digest_until_it_is_answered() {
    let mut t = quiet_team();
    t.say(CHAIR, "!persvraag RTV Oost: Is de school open? over 30 min");
    let said = t.run_for(50);
    let digest = &said.last().unwrap().1;
    assert!(
        digest.contains(&format!("⚠️ Te laat ({CHAIR}): 1 persvraag"))
            && digest.contains("📰 Persvraag 1 (RTV Oost)"),
        "{said:?}"
    );
    t.say(SPOKES, "!persvraag 1 beantwoord Ja.");
    let later = t.run_for(180);
    assert!(
        !later.iter().any(|(_, s)| s.contains("Persvraag 1")),
        "{later:?}"
    );
}

#[test]
fn the_sitrap_counts_open_and_late_press_questions_on_one_line() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!persvraag NOS: Vraag? over 10 min");
    t.say(CHAIR, "!persvraag RTV Oost: Vraag?");
    t.later(20);
    let sitrap = t.say(POLICE, "!sitrap");
    assert!(
        sitrap.contains("📰 Pers: 2 open (1 te laat) · teksten: 0 wacht · geruchten: 0 open"),
        "{sitrap}"
    );
    assert_eq!(sitrap.lines().filter(|l| l.starts_with("📰")).count(), 1);
}

#[test]
fn a_quiet_desk_adds_no_line_to_the_sitrap() {
    let mut t = Team::with_incident();
    assert!(!t.say(POLICE, "!sitrap").contains("📰"));
}
