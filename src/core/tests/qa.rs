use super::*;

// --- Q&A for balie, phone line and partners ----------------------------------

#[test]
fn a_question_and_answer_need_a_bar_between_them() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!qa voorstel Is de school open? Ja.");
    assert!(
        reply.contains("dan |") && reply.contains("Gebruik: !qa voorstel"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!qa voorstel Is de school open? | Ja, gewoon.");
    assert!(
        reply.starts_with("❓ Q&A 1.1 voorgesteld:\nV: Is de school open?\nA: Ja, gewoon.")
            && reply.contains("!qa goedkeuren 1.1"),
        "{reply}"
    );
}

#[test]
fn only_approved_qa_are_listed_and_four_eyes_apply() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!qa voorstel Is de school open? | Ja, gewoon.");
    let reply = t.say(COMMS, "!qa goedkeuren 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    assert!(t.say(POLICE, "!qa").contains("geen goedgekeurde"));
    assert!(t.say(POLICE, "!qa").contains("Wacht op goedkeuring: 1"));
    let reply = t.say(CHAIR, "!qa goedkeuren 1.1");
    assert!(reply.starts_with("✅ Q&A 1.1 goedgekeurd"), "{reply}");
    let list = t.say(POLICE, "!qa");
    assert!(
        list.contains("1. V: Is de school open?\nA: Ja, gewoon."),
        "{list}"
    );
}

#[test]
fn an_edit_waits_for_approval_and_the_old_answer_stays_in_force() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!qa voorstel Is de school open? | Ja.");
    t.say(CHAIR, "!qa goedkeuren 1");
    let reply = t.say(POLICE, "!qa wijzig 1 Is de school open? | Ja, vanaf 8:00.");
    assert!(
        reply.contains("Tot goedkeuring blijft 1.1 gelden"),
        "{reply}"
    );
    assert!(!t.say(SPOKES, "!qa").contains("vanaf 8:00"));
    t.say(COMMS, "!qa goedkeuren 1.2");
    assert!(t.say(SPOKES, "!qa").contains("Ja, vanaf 8:00."));
    let versions = t.say(SPOKES, "!qa 1");
    assert!(
        versions.contains(&format!("voorgesteld door {POLICE}")) && versions.contains("1.2"),
        "{versions}"
    );
    assert!(t.say(COMMS, "!qa intrekken 1").contains("ingetrokken"));
    assert!(t.say(SPOKES, "!qa").contains("geen goedgekeurde"));
}

#[test]
fn a_search_word_finds_questions_and_answers() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!qa voorstel Is de school open? | Ja.");
    t.say(
        POLICE,
        "!qa voorstel Waar is de opvang? | In het buurthuis.",
    );
    t.say(CHAIR, "!qa goedkeuren 1");
    t.say(CHAIR, "!qa goedkeuren 2");
    let found = t.say(SPOKES, "!qa BUURTHUIS");
    assert!(
        found.contains("met 'buurthuis' (1)")
            && found.contains("opvang")
            && !found.contains("school"),
        "{found}"
    );
}
