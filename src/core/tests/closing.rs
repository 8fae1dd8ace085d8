use super::*;
use crate::model::LogKind;

// --- closing an incident (§3.4) ---------------------------------------------

#[test]
fn closing_asks_for_the_two_outcomes_and_warns_about_untouched_nazorg_and_evaluatie() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Buurt nabellen over 2 uur");
    let outcome = t.outcome(CHAIR, "!incident sluit");
    assert!(!outcome.changes_state() && outcome.log.is_empty());
    let reply = t.say(CHAIR, "!incident sluit");
    for expected in [
        "Afsluiten (§3.4): Onrust Oosterwijk",
        "1. Korte mondelinge evaluatie: ⬜ nog opgeven: mondeling:ja of mondeling:nee",
        "2. Verantwoordelijk voor de integrale evaluatie: ⬜ nog opgeven: evaluatie:@wie",
        "⚠️ Nog niets afgevinkt in Stap 5: Nazorg, Stap 6: Evaluatie",
        "⚠️ 1 actie staat nog open",
        "Bijv.: !incident sluit mondeling:ja evaluatie:@jan",
    ] {
        assert!(reply.contains(expected), "{expected} in {reply}");
    }
    assert!(t.room.active.is_some());
}

#[test]
fn the_outcomes_come_step_by_step_and_closing_needs_a_confirmation() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident sluit bevestig");
    assert!(
        refused(&reply) && reply.contains("!incident sluit mondeling:ja evaluatie:@wie"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!incident sluit mondeling:ja Rust is teruggekeerd");
    assert!(
        reply.contains("1. Korte mondelinge evaluatie: ✅ gehouden")
            && reply.contains("Reden: Rust is teruggekeerd"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!incident sluit bevestig");
    assert!(
        refused(&reply) && reply.contains("Nog nodig: evaluatie:@wie"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!incident sluit evaluatie:@anna");
    assert!(
        reply.contains("✅ @anna:gemeente.nl")
            && reply.contains("Sluiten: !incident sluit bevestig"),
        "{reply}"
    );
    assert!(
        t.room.active.is_some(),
        "not closed before the confirmation"
    );
    let id = t.room.active.unwrap();
    let outcome = t.outcome(CHAIR, "!incident sluit bevestig");
    assert!(outcome.messages()[0].mentions.contains("@anna:gemeente.nl"));
    let reply = t.apply(&outcome);
    for expected in [
        "Incident gesloten: Onrust Oosterwijk",
        "Reden: Rust is teruggekeerd",
        "Korte mondelinge evaluatie: gehouden.",
        "Verantwoordelijk voor de integrale evaluatie: @anna:gemeente.nl",
        "!export",
    ] {
        assert!(reply.contains(expected), "{expected} in {reply}");
    }
    assert!(t.room.active.is_none());
    let closed = t.incidents[&id].closed.clone().unwrap();
    assert_eq!(
        (closed.oral_evaluation, closed.evaluation_owner.as_deref()),
        (Some(true), Some("@anna:gemeente.nl"))
    );
    let entry = t.log.borrow().last().cloned().unwrap();
    assert_eq!(entry.kind, LogKind::IncidentClosed);
    assert!(
        entry.text.contains("Korte mondelinge evaluatie: gehouden")
            && entry
                .text
                .contains("integrale evaluatie: @anna:gemeente.nl"),
        "{entry:?}"
    );
}

#[test]
fn both_outcomes_at_once_and_a_no_for_the_oral_evaluation_are_recorded() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!incident sluit mondeling:nee evaluatie:mij");
    let reply = t.say(CHAIR, "!incident sluit bevestig");
    assert!(
        reply.contains("Korte mondelinge evaluatie: niet gehouden."),
        "{reply}"
    );
}

#[test]
fn a_bad_outcome_says_how_to_give_it() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident sluit mondeling:misschien");
    assert!(
        reply.contains("zeg mondeling:ja of mondeling:nee")
            && reply.contains("Gebruik: !incident sluit [uitkomsten]"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!incident sluit evaluatie:@");
    assert!(reply.contains("noem wie verantwoordelijk is"), "{reply}");
    assert!(t.incident().closing.is_none());
    assert!(refused(&t.say(POLICE, "!incident sluit mondeling:ja")));
    assert!(refused(&t.say(POLICE, "!incident sluit bevestig")));
}

#[test]
fn ticking_nazorg_takes_its_warning_away() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!checklist afvinken NZ1");
    let reply = t.say(CHAIR, "!incident sluit");
    assert!(
        reply.contains("Nog niets afgevinkt in Stap 6: Evaluatie") && !reply.contains("Nazorg"),
        "{reply}"
    );
}
