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
    let full = t.say(POLICE, "!checklist beeldvorming");
    assert!(full.contains("✅ BV1"), "{full}");
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
