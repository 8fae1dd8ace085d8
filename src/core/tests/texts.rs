use super::*;
use crate::catalogue::Catalogue;
use crate::draaiboek::Draaiboek;

// --- texts for any channel, under four eyes ---------------------------------

const LETTER: &str =
    "!tekst voorstel bewonersbrief buurt: Beste bewoners, de school is morgen gewoon open.";

#[test]
fn a_text_is_proposed_for_a_channel_of_the_draaiboek_and_an_unknown_one_is_refused() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, LETTER);
    assert!(
        reply.starts_with(
            "📝 Tekst 1.1 voorgesteld · Bewonersbrief · doelgroep Buurt en omwonenden · 48 tekens"
        ) && reply.contains("!tekst goedkeuren 1.1"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!tekst voorstel tiktok Hallo");
    assert!(
        reply.contains("Kanaal 'tiktok' ken ik niet") && reply.contains("persbericht"),
        "{reply}"
    );
    assert_eq!(t.incident().desk.texts.len(), 1);
}

#[test]
fn a_teams_own_channel_from_its_draaiboek_file_works() {
    let book =
        Draaiboek::with_overrides(include_str!("../../../docs/draaiboek-voorbeeld.toml")).unwrap();
    let mut t = Team::new();
    t.core = Core::new(Catalogue::built_in(), book, "!");
    t.say(CHAIR, "!incident open Onrust");
    let reply = t.say(
        CHAIR,
        "!tekst voorstel nieuwsbrief Partners: de school is open.",
    );
    assert!(reply.contains("E-mailnieuwsbrief partners"), "{reply}");
}

#[test]
fn a_word_before_a_colon_is_a_doelgroep_only_when_it_names_one() {
    let mut t = Team::with_incident();
    t.say(
        POLICE,
        "!tekst voorstel website Let op: de school is dicht.",
    );
    t.say(CHAIR, "!doelgroep sportclub");
    t.say(
        POLICE,
        "!tekst voorstel website sportclub: Trainingen gaan door.",
    );
    let texts = &t.incident().desk.texts;
    assert_eq!(texts[0].audience, None);
    assert_eq!(
        texts[0].body.versions[0].text,
        "Let op: de school is dicht."
    );
    assert_eq!(texts[1].audience.as_deref(), Some("sportclub"));
}

#[test]
fn texts_follow_the_four_eyes_rules_of_oneliners() {
    let mut t = Team::with_incident();
    t.say(COMMS, LETTER);
    let reply = t.say(COMMS, "!tekst goedkeuren 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    let reply = t.say(POLICE, "!tekst goedkeuren 1");
    assert!(
        refused(&reply) && reply.contains("de voorzitter of de communicatieadviseur"),
        "{reply}"
    );
    t.say(
        POLICE,
        "!tekst wijzig 1 Beste bewoners, de school is morgen open vanaf 8:00.",
    );
    let reply = t.say(CHAIR, "!tekst goedkeuren 1");
    assert!(
        refused(&reply) && reply.contains("2 versies") && reply.contains("1.2"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!tekst goedkeuren 1.1");
    assert!(
        refused(&reply) && reply.contains("niet meer de nieuwste"),
        "{reply}"
    );
    let reply = t.say(COMMS, "!tekst intrekken 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    let reply = t.say(CHAIR, "!tekst goedkeuren 1.2");
    assert!(
        reply.starts_with("✅ Tekst 1.2 goedgekeurd · Bewonersbrief"),
        "{reply}"
    );
    assert!(t.say(COMMS, "!tekst intrekken 1").contains("ingetrokken"));
    assert!(refused(&t.say(CHAIR, "!tekst wijzig 1 Nieuw.")));
}

#[test]
fn an_approval_mentions_the_woordvoerder_and_the_publieksvoorlichter() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol pers-en-publieksvoorlichter {POLICE}"));
    t.say(COMMS, LETTER);
    let outcome = t.outcome(CHAIR, "!tekst goedkeuren 1.1");
    let reply = t.apply(&outcome);
    assert!(
        reply.contains(&format!("📣 {SPOKES} en {POLICE}: klaar voor gebruik")),
        "{reply}"
    );
    let mentions = &outcome.messages()[0].mentions;
    assert!(mentions.contains(SPOKES) && mentions.contains(POLICE));
}

#[test]
fn until_an_edit_is_approved_the_approved_version_is_the_one_listed() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!tekst voorstel website Versie een.");
    t.say(CHAIR, "!tekst goedkeuren 1");
    let reply = t.say(POLICE, "!tekst wijzig 1 Versie twee.");
    assert!(
        reply.contains("Tot goedkeuring blijft 1.1 gelden"),
        "{reply}"
    );
    let list = t.say(SPOKES, "!teksten");
    assert!(
        list.contains("Versie een.")
            && !list.contains("Versie twee.")
            && list.contains("Wacht op goedkeuring: 1"),
        "{list}"
    );
}

#[test]
fn the_list_shows_each_text_whole_on_its_own_screen_with_its_length() {
    let mut t = Team::with_incident();
    let tweet = "We zijn in gesprek met bewoners. ".repeat(9);
    t.say(POLICE, &format!("!tekst voorstel social {}", tweet.trim()));
    let release = (1..=25)
        .map(|i| {
            format!("Alinea {i} van het persbericht over de situatie bij de school in Oosterwijk.")
        })
        .collect::<Vec<_>>()
        .join("\n");
    t.say(POLICE, &format!("!tekst voorstel persbericht {release}"));
    t.say(POLICE, "!tekst voorstel website Korte tekst.");
    for nr in 1..=3 {
        t.say(CHAIR, &format!("!tekst goedkeuren {nr}"));
    }
    let first = t.say(SPOKES, "!teksten");
    assert!(
        first.contains(
            "▶️ 1.1 · Sociale media · 296 tekens ⚠️ te lang voor Sociale media (max 280)"
        ) && !first.contains("Alinea"),
        "{first}"
    );
    let all = t.say_all(SPOKES, "!teksten");
    for i in 1..=25 {
        assert!(all.contains(&format!("Alinea {i} van")), "{i}: {all}");
    }
    // The screen with the short text holds nothing of the press release.
    let mut screen = t.say(SPOKES, "!teksten");
    while !screen.contains("Korte tekst.") {
        screen = t.say(SPOKES, "!meer");
    }
    assert!(!screen.contains("Alinea"), "{screen}");
}

#[test]
fn texts_are_listed_per_channel_or_doelgroep() {
    let mut t = Team::with_incident();
    t.say(POLICE, LETTER);
    t.say(POLICE, "!tekst voorstel social Rustig in de wijk.");
    t.say(CHAIR, "!tekst goedkeuren 1");
    t.say(CHAIR, "!tekst goedkeuren 2");
    let social = t.say(SPOKES, "!teksten social");
    assert!(
        social.contains("Rustig") && !social.contains("bewoners"),
        "{social}"
    );
    let buurt = t.say(SPOKES, "!teksten buurt");
    assert!(
        buurt.contains("Goedgekeurde teksten voor Buurt en omwonenden")
            && !buurt.contains("Rustig"),
        "{buurt}"
    );
    assert!(
        t.say(SPOKES, "!teksten fax")
            .contains("'fax' is geen kanaal of doelgroep")
    );
}

#[test]
fn publishing_an_unapproved_text_is_refused_and_says_who_may_approve_it() {
    let mut t = Team::with_incident();
    t.say(POLICE, LETTER);
    let reply = t.say(SPOKES, "!tekst 1 gepubliceerd");
    assert!(
        refused(&reply)
            && reply.contains("nog niet goedgekeurd")
            && reply.contains(&format!("(nu: {CHAIR}, {COMMS})"))
            && reply.contains("!tekst goedkeuren 1.1"),
        "{reply}"
    );
    assert!(t.incident().reminders.last_update.is_none());
}

#[test]
fn a_published_text_counts_as_a_public_update_and_resets_the_cadence() {
    let mut t = Team::with_incident();
    t.say(POLICE, LETTER);
    t.say(CHAIR, "!tekst goedkeuren 1");
    t.later(50);
    let reply = t.say(SPOKES, "!tekst 1 gepubliceerd 10:45");
    assert!(
        reply.starts_with("📣 Tekst 1.1 gepubliceerd (Bewonersbrief, 10:45)")
            && reply.contains("Volgende uiterlijk 12:45"),
        "{reply}"
    );
    let update = t.incident().reminders.last_update.clone().unwrap();
    assert_eq!(crate::timeexpr::format_clock(update.at), "10:45");
    // The first update was due at 11:00; now none is due before 12:45.
    let said = t.run_for(100);
    assert!(
        !said.iter().any(|(_, s)| s.contains("Publieksupdate nodig")),
        "{said:?}"
    );
    let list = t.say(SPOKES, "!teksten");
    assert!(list.contains("gepubliceerd 10:45"), "{list}");
    let reply = t.say(SPOKES, "!tekst 1 gepubliceerd 23:00");
    assert!(reply.contains("ligt in de toekomst"), "{reply}");
}

#[test]
fn one_text_shows_the_newest_version_in_full_then_its_history() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!tekst voorstel website Versie een.");
    t.say(CHAIR, "!tekst goedkeuren 1");
    t.say(SPOKES, "!tekst wijzig 1 Versie twee.");
    let reply = t.say(COMMS, "!tekst 1");
    assert!(
        reply.starts_with(
            "📄 Tekst 1.2 · Website (gemeentesite) · 12 tekens · wacht op goedkeuring\nVersie twee."
        ) && reply.contains("!tekst goedkeuren 1.2"),
        "{reply}"
    );
    let history = t.say(COMMS, "!meer");
    assert!(
        history.contains(&format!("1.1 voorgesteld door {POLICE}"))
            && history.contains(&format!("goedgekeurd door {CHAIR}")),
        "{history}"
    );
    let old = t.say(COMMS, "!tekst 1.1");
    assert!(
        old.contains("Versie een.") && old.contains("goedgekeurd"),
        "{old}"
    );
    assert!(t.say(COMMS, "!tekst 1.7").contains("geen versie 7"));
}
