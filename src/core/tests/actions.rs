use super::*;

// --- actions ---------------------------------------------------------------

#[test]
fn a_new_action_belongs_to_the_sender_unless_someone_is_named() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!actie Buurt uitlopen");
    assert!(
        reply.contains("Actie 1: Buurt uitlopen") && reply.contains(POLICE),
        "{reply}"
    );
    let outcome = t.outcome(
        CHAIR,
        &format!("!actie Schooldirecteur bellen {SPOKES} om 15:00"),
    );
    let r = &outcome.messages()[0];
    assert!(r.mentions.contains(SPOKES), "owner is mentioned");
    assert!(
        r.plain().contains("Schooldirecteur bellen") && r.plain().contains("15:00"),
        "{}",
        r.plain()
    );
}

#[test]
fn the_owner_named_by_someone_else_is_notified_but_not_who_typed_it() {
    let t = Team::with_incident();
    let own = t.outcome(POLICE, "!actie Buurt uitlopen");
    let r = &own.messages()[0];
    assert!(r.plain().contains(POLICE) && r.mentions.is_empty(), "{r:?}");
    let other = t.outcome(CHAIR, &format!("!actie Terugbellen {SPOKES}"));
    let r = &other.messages()[0];
    assert_eq!(r.mentions.iter().collect::<Vec<_>>(), [SPOKES], "{r:?}");
}

#[test]
fn a_deadline_in_dutch_is_read_in_amsterdam_time() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!actie Persbericht morgen 9:00");
    let deadline = t.incident().actions[0].deadline.unwrap();
    assert_eq!(
        deadline,
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap()
    );
    t.say(CHAIR, "!actie Terugbellen over 30 min");
    assert_eq!(
        t.incident().actions[1].deadline,
        Some(t.now + Duration::minutes(30))
    );
}

#[test]
fn a_deadline_in_the_past_is_refused_and_nothing_is_created() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!actie Persbericht om 9:00");
    assert!(reply.contains("al voorbij"), "{reply}");
    assert!(t.incident().actions.is_empty());
}

#[test]
fn an_action_that_is_only_a_time_asks_what_to_do() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!actie morgen 9:00");
    assert!(reply.contains("Wat moet er gebeuren"), "{reply}");
}

#[test]
fn actions_are_closed_cancelled_reassigned_and_rescheduled() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Camerabeelden veiligstellen");
    t.say(POLICE, "!actie Buurtapp volgen");
    assert!(t.say(POLICE, "!actie 1 klaar").contains("Actie 1 klaar"));
    assert!(
        t.say(POLICE, "!actie 2 deadline over 2 uur")
            .contains("deadline 12:00")
    );
    let reply = t.say(POLICE, &format!("!actie 2 {SPOKES}"));
    assert!(reply.contains("is nu van @woordvoerder"), "{reply}");
    assert!(t.say(SPOKES, "!actie 2 vervalt").contains("vervallen"));
    let reply = t.say(POLICE, "!acties");
    assert!(reply.contains("Open acties: geen"), "{reply}");
    let reply = t.say(POLICE, "!acties alle");
    assert!(
        reply.contains("Camerabeelden") && reply.contains("Buurtapp"),
        "{reply}"
    );
}

#[test]
fn others_cannot_change_an_action_but_the_chair_can() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Camerabeelden veiligstellen");
    assert!(refused(&t.say(SPOKES, "!actie 1 klaar")));
    assert!(!refused(&t.say(CHAIR, "!actie 1 klaar")));
    let reply = t.say(CHAIR, "!actie 1 klaar");
    assert!(reply.contains("al klaar gemeld"), "{reply}");
}

#[test]
fn an_unknown_action_number_says_so() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!actie 7 klaar");
    assert!(reply.contains("Actie 7 bestaat niet"), "{reply}");
}

#[test]
fn a_bad_deadline_shows_the_accepted_forms() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!actie Bellen");
    let reply = t.say(CHAIR, "!actie 1 deadline straks");
    assert!(
        reply.contains("over 2 uur") && reply.contains("Gebruik: !actie <nr> deadline <tijd>"),
        "{reply}"
    );
    assert_eq!(t.incident().actions[0].deadline, None);
}

#[test]
fn my_actions_and_overdue_ones_are_marked() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Bellen over 30 min");
    t.say(SPOKES, "!actie Schrijven");
    t.later(45);
    let mine = t.say(POLICE, "!acties mijn");
    assert!(
        mine.contains("Bellen") && !mine.contains("Schrijven"),
        "{mine}"
    );
    assert!(mine.contains("⚠️") && mine.contains("te laat"), "{mine}");
    let reply = t.say(POLICE, "!acties sommige");
    assert!(reply.contains("mijn of alle"), "{reply}");
}

#[test]
fn numbers_that_name_no_action_are_errors_not_new_actions() {
    let mut t = Team::with_incident();
    for (line, shown) in [
        ("!actie 0 klaar", "Actie 0 bestaat niet"),
        ("!actie -1 vervalt", "Actie -1 bestaat niet"),
        (
            "!actie 18446744073709551616 klaar",
            "Actie 18446744073709551616 bestaat niet",
        ),
    ] {
        let reply = t.say(CHAIR, line);
        assert!(reply.contains(shown), "{line}: {reply}");
    }
    assert!(t.incident().actions.is_empty(), "no action named '0 klaar'");
}

#[test]
fn a_deadline_on_a_date_that_does_not_exist_is_refused_not_cut_short() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!actie Bellen 2027-02-31 10:00");
    assert!(
        reply.contains("De datum '2027-02-31' bestaat niet"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!actie Bellen om 25:99");
    assert!(reply.contains("geen geldige tijd"), "{reply}");
    assert!(t.incident().actions.is_empty());
}

#[test]
fn a_deadline_years_ahead_is_a_typing_error() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!actie Bellen 9999-12-31 23:59");
    assert!(reply.contains("meer dan een jaar vooruit"), "{reply}");
    assert!(t.incident().actions.is_empty());
}

#[test]
fn the_five_hundred_and_first_open_action_is_refused_and_nothing_is_created() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!actie Bellen");
    let first = t.incident().actions[0].clone();
    let actions = &mut t.incident_mut().actions;
    actions.extend((2..=500).map(|nr| crate::model::Action {
        nr,
        ..first.clone()
    }));
    let reply = t.say(CHAIR, "!actie Nog een");
    assert!(
        refused(&reply) && reply.contains("al 500 acties open, het maximum"),
        "{reply}"
    );
    assert_eq!(t.incident().actions.len(), 500);
}
