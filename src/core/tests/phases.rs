use super::*;

// --- phases ----------------------------------------------------------------

#[test]
fn a_non_chair_cannot_change_the_phase() {
    let mut t = Team::with_incident();
    let reply = t.say(SPOKES, "!fase escalatie");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert_eq!(t.incident().phase, "dreiging");
}

#[test]
fn the_chair_changes_the_phase_and_the_team_sees_meaning_and_checklist() {
    let mut t = Team::with_incident();
    t.later(30);
    let reply = t.say(CHAIR, "!fase escalatie");
    assert!(reply.contains("Nieuwe fase (4/5): Escalatie"), "{reply}");
    assert!(reply.contains("Besluitvorming"), "checklist shown: {reply}");
    assert!(reply.contains("elke 30 min"), "update cadence: {reply}");
    assert_eq!(t.incident().phase, "escalatie");
    assert_eq!(t.incident().phase_since, t.now);
}

#[test]
fn phases_go_up_and_down_by_name_or_number_and_history_shows_it() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!fase 3");
    t.later(60);
    t.say(CHAIR, "!phase escalation");
    t.later(60);
    t.say(CHAIR, "!fase onrust");
    let reply = t.say_all(SPOKES, "!fase");
    assert!(reply.contains("Fase: Maatschappelijke onrust"), "{reply}");
    assert!(reply.contains("Escalatie"), "history: {reply}");
    assert_eq!(t.incident().phase_history.len(), 4);
}

#[test]
fn an_unknown_phase_lists_the_phases() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!fase paniek");
    assert!(
        reply.contains("rust (1)") && reply.contains("terugkeer (5)"),
        "{reply}"
    );
    assert!(reply.contains("Gebruik: !fase <fase>"), "{reply}");
}

#[test]
fn without_voorzitter_a_room_moderator_takes_the_chair_and_then_sets_the_phase() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!rol voorzitter weg");
    t.moderators.push(POLICE);
    assert!(refused(&t.say(POLICE, "!fase onrust")), "not chair yet");
    assert!(!refused(&t.say(POLICE, "!rol voorzitter mij")));
    assert!(!refused(&t.say(POLICE, "!fase onrust")));
    assert!(refused(&t.say(SPOKES, "!fase escalatie")));
}
