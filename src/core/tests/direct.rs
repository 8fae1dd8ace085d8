use super::*;

// --- approved words on a woordvoerder's phone: the direct chat -------------

/// A team room with one approved oneliner, text and Q&A, and one open
/// press question for the woordvoerder.
fn room_with(title: &str, words: &str) -> Team {
    let mut t = Team::new();
    t.say(CHAIR, &format!("!incident open {title}"));
    t.say(CHAIR, &format!("!rol communicatieadviseur {COMMS}"));
    t.say(CHAIR, &format!("!rol woordvoerder {SPOKES}"));
    for line in [
        format!("!oneliner voorstel {words}"),
        format!("!tekst voorstel website {words} (website)"),
        format!("!qa voorstel Wat is er aan de hand? | {words} (Q&A)"),
        format!("!persvraag NOS: {words}?"),
    ] {
        t.say(POLICE, &line);
    }
    for line in [
        "!oneliner goedkeuren 1",
        "!tekst goedkeuren 1",
        "!qa goedkeuren 1",
    ] {
        t.say(COMMS, line);
    }
    t
}

/// The direct chat of someone who is a member of the rooms of `incidents`.
fn direct_chat(incidents: &[&Team]) -> Team {
    let mut dm = Team::new();
    dm.direct = Some(incidents.iter().map(|t| t.incident().clone()).collect());
    dm
}

#[test]
fn in_a_direct_chat_the_approved_words_of_the_senders_rooms_are_listed_by_incident() {
    let a = room_with("Onrust Oosterwijk", "We zijn in gesprek");
    let b = room_with("Brand sporthal", "De brand is onder controle");
    let mut dm = direct_chat(&[&a, &b]);
    let lines = dm.say(SPOKES, "!oneliners");
    assert!(
        lines.starts_with("💬 Goedgekeurde oneliners in je ruimtes:")
            && lines.contains("📍 Onrust Oosterwijk\n1. “We zijn in gesprek”")
            && lines.contains("📍 Brand sporthal\n1. “De brand is onder controle”"),
        "{lines}"
    );
    let texts = dm.say_all(SPOKES, "!teksten");
    assert!(
        texts.contains("We zijn in gesprek (website)")
            && texts.contains("De brand is onder controle (website)"),
        "{texts}"
    );
    let qa = dm.say(SPOKES, "!qa");
    assert!(qa.contains("We zijn in gesprek (Q&A)"), "{qa}");
    let mine = dm.say(SPOKES, "!persvragen mijn");
    assert!(
        mine.contains("📍 Onrust Oosterwijk") && mine.contains("NOS: “We zijn in gesprek?”"),
        "{mine}"
    );
    assert!(dm.say(POLICE, "!persvragen mijn").matches("geen").count() == 2);
}

#[test]
fn a_member_of_one_room_never_sees_another_rooms_words_in_the_direct_chat() {
    let a = room_with("Onrust Oosterwijk", "Alleen voor A");
    let b = room_with("Brand sporthal", "Alleen voor B");
    let mut dm = direct_chat(&[&a]);
    for line in ["!oneliners", "!teksten", "!qa", "!persvragen mijn"] {
        let reply = dm.say_all(SPOKES, line);
        assert!(reply.contains("Alleen voor A"), "{line}: {reply}");
        assert!(
            !reply.contains("Alleen voor B") && !reply.contains("Brand"),
            "{line}: {reply}"
        );
    }
    drop(b);
}

#[test]
fn other_commands_in_a_direct_chat_say_what_works_there() {
    let mut dm = direct_chat(&[]);
    let reply = dm.say(SPOKES, "!acties");
    assert!(
        refused(&reply)
            && reply.contains("direct gesprek")
            && reply.contains("!oneliners")
            && reply.contains("!persvragen"),
        "{reply}"
    );
    assert!(
        dm.say(SPOKES, "!oneliners")
            .contains("geen ruimte met een lopend incident")
    );
    assert!(dm.say(SPOKES, "!help").contains("Communicatie"));
}

#[test]
fn filters_and_search_words_work_in_a_direct_chat_too() {
    let a = room_with("Onrust Oosterwijk", "We zijn in gesprek");
    let mut dm = direct_chat(&[&a]);
    assert!(
        dm.say(SPOKES, "!qa gesprek")
            .contains("We zijn in gesprek (Q&A)")
    );
    assert!(
        dm.say(SPOKES, "!qa brand")
            .contains("📍 Onrust Oosterwijk\nnog geen")
    );
    assert!(dm.say(SPOKES, "!teksten website").contains("(website)"));
    assert!(dm.say(SPOKES, "!teksten social").contains("nog geen"));
    assert!(dm.say(SPOKES, "!oneliners pers").contains("nog geen"));
}
