use super::*;

// --- roles -----------------------------------------------------------------

#[test]
fn assigning_a_role_mentions_the_person_and_explains_the_role() {
    let t = Team::with_incident();
    let outcome = t.outcome(CHAIR, &format!("!rol notulist {POLICE}"));
    let reply = &outcome.messages()[0];
    assert!(reply.mentions.contains(POLICE));
    assert!(
        reply.plain().contains("is nu Notulist") && reply.plain().contains("Taken:"),
        "{}",
        reply.plain()
    );
}

#[test]
fn anyone_claims_a_free_role_with_mij_but_not_a_taken_one() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rol notulist mij");
    assert!(!refused(&reply), "{reply}");
    assert_eq!(t.incident().roles["notulist"].user, POLICE);
    let reply = t.say(SPOKES, "!rol notulist mij");
    assert!(refused(&reply) && reply.contains("al bezet"), "{reply}");
}

#[test]
fn only_the_chair_assigns_roles_to_others() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, &format!("!rol notulist {SPOKES}"));
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert!(!t.incident().roles.contains_key("notulist"));
}

#[test]
fn a_holder_or_the_chair_releases_a_role() {
    let mut t = Team::with_incident();
    assert!(refused(&t.say(POLICE, "!rol woordvoerder weg")));
    let reply = t.say(SPOKES, "!rol woordvoerder weg");
    assert!(reply.contains("onbezet"), "{reply}");
    assert!(!t.incident().roles.contains_key("woordvoerder"));
}

#[test]
fn the_role_list_marks_unfilled_key_roles() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rollen");
    assert!(reply.contains("Notulist: ⚠️ onbezet"), "{reply}");
    let reply = t.say_all(POLICE, "!rollen");
    assert!(
        reply.contains(&format!("Woordvoerder: {SPOKES}")),
        "{reply}"
    );
    assert!(reply.contains("Politie"), "partner seats: {reply}");
}

#[test]
fn a_role_card_shows_tasks_and_holder() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rol woordvoerder");
    assert!(
        reply.contains(SPOKES) && reply.contains("Taken:"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!rol brandweerman");
    assert!(
        reply.contains("ken ik niet") && reply.contains("voorzitter"),
        "{reply}"
    );
}

#[test]
fn a_role_to_something_that_is_no_user_shows_usage() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!rol notulist jan");
    assert!(
        reply.contains("geen gebruiker") && reply.contains("!rol <rol> <@wie|mij>"),
        "{reply}"
    );
}

// --- the chair's authority (issue #7) ---------------------------------------

#[test]
fn nobody_but_the_voorzitter_gives_the_voorzitter_role_even_when_it_is_empty() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rol voorzitter mij");
    assert!(refused(&reply) && reply.contains("moderator"), "{reply}");
    t.say(CHAIR, "!rol voorzitter weg");
    let reply = t.say(POLICE, "!rol voorzitter mij");
    assert!(refused(&reply), "{reply}");
    assert!(!t.incident().roles.contains_key("voorzitter"));
}

#[test]
fn the_voorzitter_hands_the_chair_to_someone_else() {
    let mut t = Team::with_incident();
    assert!(!refused(
        &t.say(CHAIR, &format!("!rol voorzitter {POLICE}"))
    ));
    assert_eq!(t.incident().roles["voorzitter"].user, POLICE);
    assert!(refused(&t.say(CHAIR, "!fase escalatie")));
}

#[test]
fn a_room_moderator_takes_the_chair_and_the_logboek_names_the_old_holder() {
    let mut t = Team::with_incident();
    t.moderators.push(POLICE);
    let reply = t.say(POLICE, "!rol voorzitter mij");
    assert!(!refused(&reply), "{reply}");
    assert_eq!(t.incident().roles["voorzitter"].user, POLICE);
    let log = t.say(POLICE, "!logboek 1");
    assert!(
        log.contains(&format!("was {CHAIR}")) && log.contains("moderator"),
        "{log}"
    );
    // The moderator may also give it to someone else.
    t.say(POLICE, &format!("!rol voorzitter {SPOKES}"));
    assert_eq!(t.incident().roles["voorzitter"].user, SPOKES);
}

#[test]
fn roles_with_rights_are_given_only_by_the_voorzitter() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!rol communicatieadviseur weg");
    let reply = t.say(POLICE, "!rol communicatieadviseur mij");
    assert!(refused(&reply) && reply.contains("rechten"), "{reply}");
    t.moderators.push(SPOKES);
    assert!(refused(&t.say(SPOKES, "!rol communicatieadviseur mij")));
    assert!(!refused(
        &t.say(CHAIR, &format!("!rol communicatieadviseur {POLICE}"))
    ));
}

#[test]
fn user_ids_are_compared_exactly() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!rol notulist @Jan:gemeente.nl");
    assert_eq!(t.incident().roles["notulist"].user, "@Jan:gemeente.nl");
    // @jan is someone else: he neither holds nor may release the role.
    let reply = t.say("@jan:gemeente.nl", "!rol notulist weg");
    assert!(refused(&reply), "{reply}");
    assert!(!refused(
        &t.say("@Jan:gemeente.nl", "!besluit Buurtavond om 19:00")
    ));
    assert!(refused(
        &t.say("@jan:gemeente.nl", "!besluit Geen buurtavond")
    ));
}
