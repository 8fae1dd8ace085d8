use super::*;

// --- target groups (doelgroepen) and their messages -------------------------

#[test]
fn a_doelgroep_of_the_draaiboek_gets_its_channels_and_an_own_word_works_too() {
    let mut t = Team::with_incident();
    let reply = t.say(COMMS, "!doelgroep buurt");
    assert!(
        reply.starts_with("👥 Doelgroep Buurt en omwonenden (buurt) toegevoegd · kanalen: Bewonersbrief, Website (gemeentesite)"),
        "{reply}"
    );
    let reply = t.say(COMMS, "!doelgroep sportclub social, website");
    assert!(
        reply.contains("sportclub toegevoegd · kanalen: Sociale media, Website"),
        "{reply}"
    );
    let reply = t.say(COMMS, "!doelgroep sportclub social");
    assert!(
        reply.contains("bijgewerkt · kanalen: Sociale media"),
        "{reply}"
    );
    assert!(t.say(COMMS, "!doelgroep buurt").contains("staat er al"));
    let reply = t.say(COMMS, "!doelgroep ouders fax");
    assert!(reply.contains("Kanaal 'fax' ken ik niet"), "{reply}");
    assert_eq!(t.incident().desk.audiences.len(), 2);
    let reply = t.say(POLICE, "!doelgroep pers");
    assert!(refused(&reply), "{reply}");
}

#[test]
fn the_scenario_offers_its_doelgroepen_and_they_are_adopted_at_once() {
    let mut t = Team::with_incident();
    let card = t.say(CHAIR, "!incident scenario familiedrama");
    assert!(
        card.contains("Doelgroepen: betrokkenen, buurt, school-ouders, medewerkers-zorg")
            && card.contains("!doelgroepen overnemen"),
        "{card}"
    );
    t.say(COMMS, "!doelgroep buurt");
    let list = t.say(POLICE, "!doelgroepen");
    assert!(
        list.contains("Het scenario stelt ook voor: betrokkenen, school-ouders"),
        "{list}"
    );
    let reply = t.say(COMMS, "!doelgroepen overnemen");
    assert!(
        reply.contains("Uit het scenario toegevoegd: betrokkenen, school-ouders")
            && reply.contains("Stonden er al: buurt"),
        "{reply}"
    );
    assert!(!t.say(POLICE, "!doelgroepen").contains("stelt ook voor"));
    assert!(
        t.say(COMMS, "!doelgroepen overnemen")
            .contains("staan er al")
    );
}

#[test]
fn without_a_scenario_there_is_nothing_to_adopt() {
    let mut t = Team::with_incident();
    let reply = t.say(COMMS, "!doelgroepen overnemen");
    assert!(reply.contains("nog geen scenario gekozen"), "{reply}");
}

#[test]
fn a_doelgroep_without_approved_words_is_marked_so_nobody_is_forgotten() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!doelgroep buurt");
    t.say(COMMS, "!doelgroep betrokkenen");
    t.say(COMMS, "!doelgroep pers");
    t.say(
        POLICE,
        "!oneliner voorstel buurt: De politie is in de wijk.",
    );
    t.say(
        POLICE,
        "!tekst voorstel persbericht pers: Persbericht over de school.",
    );
    t.say(CHAIR, "!oneliner goedkeuren 1");
    let list = t.say(SPOKES, "!doelgroepen");
    assert!(
        list.contains("✅ Buurt en omwonenden (buurt)")
            && list.contains("oneliner 1: “De politie is in de wijk.”")
            && list.contains("⚠️ (Verwanten van) direct betrokkenen")
            && list.contains("⚠️ Pers en media (pers)")
            && list.contains("Informeer de betrokkenen eerst"),
        "{list}"
    );
    t.say(CHAIR, "!tekst goedkeuren 1");
    let list = t.say(SPOKES, "!doelgroepen");
    assert!(
        list.contains("✅ Pers en media (pers)") && list.contains("tekst 1 (Persbericht)"),
        "{list}"
    );
}
