use super::*;

// --- oneliners -------------------------------------------------------------

#[test]
fn a_oneliner_approved_by_its_proposer_is_refused_and_not_listed() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!oneliner voorstel We begrijpen de zorgen.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    let list = t.say(SPOKES, "!oneliners");
    assert!(!list.contains("We begrijpen"), "{list}");
    assert!(list.contains("Wacht op goedkeuring: 1"), "{list}");
}

#[test]
fn a_oneliner_approved_by_the_chair_is_listed_with_its_length() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel We begrijpen de zorgen.");
    assert!(
        t.say(CHAIR, "!oneliner goedkeuren 1")
            .contains("goedgekeurd")
    );
    let list = t.say(POLICE, "!oneliners");
    assert!(
        list.contains("“We begrijpen de zorgen.” (23 tekens)"),
        "{list}"
    );
}

#[test]
fn only_chair_or_comms_adviser_approve() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Tekst.");
    let reply = t.say(POLICE, "!oneliner goedkeuren 1");
    assert!(
        refused(&reply) && reply.contains("de voorzitter of de communicatieadviseur"),
        "{reply}"
    );
    assert!(!refused(&t.say(COMMS, "!oneliner goedkeuren 1")));
}

#[test]
fn an_edit_needs_approval_and_until_then_the_old_version_stays_current() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Versie een.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    let reply = t.say(SPOKES, "!oneliner wijzig 1 Versie twee.");
    assert!(
        reply.contains("Tot goedkeuring blijft gelden: “Versie een.”"),
        "{reply}"
    );
    let list = t.say(POLICE, "!oneliners");
    assert!(
        list.contains("Versie een.") && !list.contains("Versie twee."),
        "{list}"
    );
    t.say(COMMS, "!oneliner goedkeuren 1");
    let list = t.say(POLICE, "!oneliners");
    assert!(
        !list.contains("Versie een.") && list.contains("Versie twee."),
        "{list}"
    );
}

#[test]
fn a_retracted_oneliner_disappears_and_cannot_be_approved() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Tekst.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    assert!(refused(&t.say(SPOKES, "!oneliner intrekken 1")));
    assert!(
        t.say(COMMS, "!oneliner intrekken 1")
            .contains("ingetrokken")
    );
    assert!(t.say(POLICE, "!oneliners").contains("nog geen"));
    assert!(refused(&t.say(CHAIR, "!oneliner goedkeuren 1")));
}

#[test]
fn the_proposer_of_a_new_version_cannot_approve_it_even_as_chair() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Een.");
    t.say(COMMS, "!oneliner goedkeuren 1");
    t.say(CHAIR, "!oneliner wijzig 1 Twee.");
    assert!(refused(&t.say(CHAIR, "!oneliner goedkeuren 1")));
    assert!(!refused(&t.say(COMMS, "!oneliner goedkeuren 1")));
}

#[test]
fn oneliners_are_filtered_by_audience() {
    let mut t = Team::with_incident();
    t.say(
        SPOKES,
        "!oneliner voorstel ouders: De school is morgen open.",
    );
    t.say(
        SPOKES,
        "!oneliner voorstel pers: Er is een persmoment om 17:00.",
    );
    t.say(CHAIR, "!oneliner goedkeuren 1");
    t.say(CHAIR, "!oneliner goedkeuren 2");
    let list = t.say(POLICE, "!oneliners ouders");
    assert!(
        list.contains("De school") && !list.contains("persmoment"),
        "{list}"
    );
}

// --- four eyes on the exact version (issue #7) ------------------------------

#[test]
fn proposals_and_edits_show_the_version_label_to_approve() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!oneliner voorstel We zijn in gesprek.");
    assert!(
        reply.contains("Oneliner 1.1 voorgesteld") && reply.contains("!oneliner goedkeuren 1.1"),
        "{reply}"
    );
    let reply = t.say(
        POLICE,
        "!oneliner wijzig 1 We zijn met bewoners in gesprek.",
    );
    assert!(
        reply.contains("Oneliner 1.2 nieuwe versie") && reply.contains("!oneliner goedkeuren 1.2"),
        "{reply}"
    );
}

#[test]
fn an_approval_of_the_version_the_approver_read_is_refused_once_it_was_edited() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!oneliner voorstel De school is open.");
    // The approver reads 1.1; meanwhile the proposer changes the text.
    t.say(POLICE, "!oneliner wijzig 1 De school is dicht.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1.1");
    assert!(
        refused(&reply)
            && reply.contains("niet meer de nieuwste")
            && reply.contains("1.2")
            && reply.contains("De school is dicht."),
        "{reply}"
    );
    assert!(t.say(SPOKES, "!oneliners").contains("nog geen"));
    let reply = t.say(COMMS, "!oneliner goedkeuren 1.2");
    assert!(reply.contains("Oneliner 1.2 goedgekeurd"), "{reply}");
}

#[test]
fn approving_without_a_version_works_only_while_one_version_waits() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!oneliner voorstel Een.");
    t.say(POLICE, "!oneliner wijzig 1 Twee.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1");
    assert!(
        refused(&reply)
            && reply.contains("2 versies")
            && reply.contains("1.2")
            && reply.contains("“Twee.”"),
        "{reply}"
    );
    t.say(COMMS, "!oneliner goedkeuren 1.2");
    t.say(POLICE, "!oneliner wijzig 1 Drie.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1");
    assert!(reply.contains("Oneliner 1.3 goedgekeurd"), "{reply}");
}

#[test]
fn whoever_wrote_a_version_since_the_last_approval_may_not_approve_or_retract() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!oneliner voorstel Een.");
    t.say(POLICE, "!oneliner wijzig 1 Twee.");
    // The comms adviser wrote 1.1, which awaits approval with 1.2.
    let reply = t.say(COMMS, "!oneliner goedkeuren 1.2");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    let reply = t.say(COMMS, "!oneliner intrekken 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    assert!(!refused(&t.say(CHAIR, "!oneliner goedkeuren 1.2")));
    // After the approval, 1.1's writer is no longer barred.
    assert!(!refused(&t.say(COMMS, "!oneliner intrekken 1")));
}

#[test]
fn a_version_that_does_not_exist_is_named_with_the_newest() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!oneliner voorstel Een.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1.5");
    assert!(
        reply.contains("geen versie 5") && reply.contains("1.1"),
        "{reply}"
    );
    let reply = t.say(COMMS, "!oneliner goedkeuren 0");
    assert!(reply.contains("Oneliner 0 bestaat niet"), "{reply}");
}

#[test]
fn every_version_shows_who_proposed_and_who_approved_it() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!oneliner voorstel Een.");
    t.say(COMMS, "!oneliner goedkeuren 1.1");
    t.say(SPOKES, "!oneliner wijzig 1 Twee.");
    let reply = t.say(POLICE, "!oneliner 1");
    assert!(
        reply.contains("1.1 “Een.”")
            && reply.contains(&format!("voorgesteld door {POLICE}"))
            && reply.contains(&format!("goedgekeurd door {COMMS}"))
            && reply.contains("1.2 “Twee.”")
            && reply.contains("niet goedgekeurd"),
        "{reply}"
    );
}

#[test]
fn the_pending_list_shows_labels_and_who_proposed() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!oneliner voorstel ouders: School open.");
    t.say(SPOKES, "!oneliner voorstel Rustig.");
    t.say(COMMS, "!oneliner goedkeuren 2.1");
    let reply = t.say(CHAIR, "!oneliners voorstellen");
    assert!(
        reply.contains("1.1 [ouders] “School open.”")
            && reply.contains(&format!("van {POLICE}"))
            && !reply.contains("Rustig."),
        "{reply}"
    );
}

#[test]
fn a_oneliner_over_280_characters_is_refused_with_the_limit() {
    let mut t = Team::with_incident();
    let long = "a".repeat(281);
    let reply = t.say(POLICE, &format!("!oneliner voorstel {long}"));
    assert!(
        reply.contains("te lang") && reply.contains("280"),
        "{reply}"
    );
    assert!(t.incident().oneliners.is_empty());
}

#[test]
fn the_two_hundred_and_first_oneliner_is_refused_and_nothing_is_proposed() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!oneliner voorstel We zijn ter plaatse.");
    let first = t.incident().oneliners[0].clone();
    let oneliners = &mut t.incident_mut().oneliners;
    oneliners.extend((2..=200).map(|nr| {
        let mut o = first.clone();
        o.nr = nr;
        o
    }));
    let reply = t.say(COMMS, "!oneliner voorstel Nog een.");
    assert!(
        refused(&reply) && reply.contains("al 200 oneliners, het maximum"),
        "{reply}"
    );
    assert_eq!(t.incident().oneliners.len(), 200);
}
