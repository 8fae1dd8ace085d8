use super::*;

// --- checklists ------------------------------------------------------------

#[test]
fn the_checklist_follows_the_phase_and_ticking_is_remembered() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!checklist");
    assert!(
        reply.contains("Beeldvorming") && reply.contains("BV1"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!checklist afvinken bv1");
    assert!(reply.contains("BV1 afgevinkt"), "{reply}");
    let reply = t.say(SPOKES, "!checklist afvinken BV1");
    assert!(
        reply.contains("al afgevinkt door @agent:politie.nl"),
        "{reply}"
    );
    let full = t.say_all(POLICE, "!checklist beeldvorming");
    assert!(full.contains("✅ BV1"), "{full}");
}

#[test]
fn a_checklist_shows_the_next_five_open_items_with_a_count() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!checklist afvinken CO1");
    let reply = t.say(POLICE, "!checklist communicatie");
    assert!(reply.contains("Communicatie — 45 open van 46"), "{reply}");
    assert_eq!(reply.matches("⬜").count(), 5, "{reply}");
    assert!(
        reply.contains("⬜ CO2") && reply.ends_with("!meer"),
        "{reply}"
    );
    let phase = t.say(POLICE, "!checklist");
    assert_eq!(phase.matches("⬜").count(), 5, "{phase}");
    assert!(
        phase.contains("Daarna:") && phase.contains("Communicatie 45 open"),
        "{phase}"
    );
}

#[test]
fn an_unknown_checklist_item_or_step_shows_usage() {
    let mut t = Team::with_incident();
    assert!(
        t.say(POLICE, "!checklist afvinken ZZ9")
            .contains("ken ik niet")
    );
    let reply = t.say(POLICE, "!checklist afvinken");
    assert!(reply.contains("!checklist afvinken <punt>"), "{reply}");
    let reply = t.say(POLICE, "!checklist koffie");
    assert!(reply.contains("beeldvorming"), "{reply}");
}
