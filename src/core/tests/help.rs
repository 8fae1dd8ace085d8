use super::*;

// --- help and parsing ------------------------------------------------------

#[test]
fn help_lists_every_command_and_explains_one() {
    let mut t = Team::new();
    let first = t.say(POLICE, "!help");
    for group in &t.core.catalogue.groups {
        assert!(
            first.contains(&group.title),
            "{} on the first screen",
            group.title
        );
    }
    let all = t.say_all(POLICE, "!help");
    for c in &t.core.catalogue.commands {
        assert!(all.contains(&c.usage("!")), "{} in help", c.id);
    }
    let one = t.say(POLICE, "!help fase");
    assert!(
        one.contains("Wie: de voorzitter") && one.contains("!fase escalatie"),
        "{one}"
    );
    assert!(one.contains("Ook: !phase"), "{one}");
    assert!(t.say(POLICE, "!help bestaatniet").contains("weet ik niets"));
}

#[test]
fn an_unknown_command_points_to_help() {
    let mut t = Team::new();
    let reply = t.say(POLICE, "!koffie");
    assert!(
        reply.contains("'!koffie' ken ik niet") && reply.contains("!help"),
        "{reply}"
    );
}

#[test]
fn text_without_the_prefix_is_not_a_command() {
    let core = Core::built_in();
    assert_eq!(core.command_line("goedemorgen"), None);
    assert_eq!(core.command_line("!! wow"), None);
    assert_eq!(core.command_line("! wow"), None);
    assert_eq!(core.command_line("  !fase  "), Some("fase"));
}

#[test]
fn a_bare_prefix_gets_an_answer_not_silence() {
    let mut t = Team::new();
    assert_eq!(Core::built_in().command_line("!   "), Some(""));
    let reply = t.say(CHAIR, "!   ");
    assert!(
        reply.contains("geen commando") && reply.contains("!help"),
        "{reply}"
    );
}

#[test]
fn every_catalogue_entry_has_a_handler_and_every_handler_an_entry() {
    let catalogue = Catalogue::built_in();
    for command in &catalogue.commands {
        assert!(
            handler_for(&command.id).is_some(),
            "no handler for {}",
            command.id
        );
    }
    for (id, _) in HANDLERS {
        assert!(
            catalogue.get(id).is_some(),
            "handler {id} has no catalogue entry"
        );
    }
    let mut ids: Vec<_> = HANDLERS.iter().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), HANDLERS.len(), "a handler is listed twice");
}

#[test]
fn no_input_makes_the_core_panic() {
    let mut t = Team::with_incident();
    let inputs = [
        "!actie",
        "!actie 0 klaar",
        "!actie 99999999999 klaar",
        "!fase 0",
        "!fase 6",
        "!rol",
        "!rol voorzitter @",
        "!rol voorzitter @:",
        "!oneliner",
        "!oneliner voorstel",
        "!oneliner wijzig 1",
        "!checklist afvinken",
        "!logboek 0",
        "!help !!!",
        "!?",
        "!incident scenario",
        "!actie ñ @x:y 25:99",
        "!actie 1 deadline",
        "!acties mijn extra",
    ];
    for input in inputs {
        let reply = t.say(CHAIR, input);
        assert!(!reply.is_empty(), "{input} got no reply");
    }
}
