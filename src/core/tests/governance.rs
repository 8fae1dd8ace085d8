use super::*;
use crate::model::LogKind;

// --- opschaling (§2.3) -------------------------------------------------------

#[test]
fn the_chair_records_opschaling_and_grip_hands_the_tasks_to_the_crisis_organisation() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!opschaling grip1");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!opschaling grip9");
    assert!(
        reply.contains("Niveau 'grip9' ken ik niet")
            && reply.contains("kernteam, gemeentelijk, grip1"),
        "{reply}"
    );
    let reply = t.say_all(CHAIR, "!opschaling grip1");
    for expected in [
        "Opschaling vastgelegd: GRIP 1",
        "neemt de hoofdstructuur van de crisisbestrijding de taken van het kernteam over",
        "De checklists blijven van toepassing.",
        "Opschaling vindt altijd plaats op verzoek van de burgemeester.",
    ] {
        assert!(reply.contains(expected), "{expected} in {reply}");
    }
    let entry = t.log.borrow().last().cloned().unwrap();
    assert_eq!(
        (entry.kind, entry.text.as_str()),
        (LogKind::Scaling, "Opschaling: GRIP 1")
    );
    let reply = t.say(CHAIR, "!opschaling grip-3");
    assert!(
        reply.contains("GRIP 3 (was GRIP 1)") && !reply.contains("crisisorganisatie"),
        "told once, when GRIP is reached: {reply}"
    );
    let reply = t.say(CHAIR, "!opschaling grip3");
    assert!(reply.contains("is al GRIP 3"), "{reply}");
    let shown = t.say_all(SPOKES, "!opschaling");
    assert!(
        shown.contains("Opschaling: GRIP 3 sinds 10:00") && shown.contains("Verloop:"),
        "{shown}"
    );
}

#[test]
fn opschaling_shows_in_the_sitrap_and_the_phase_message() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!opschaling gemeentelijk");
    let sitrap = t.say(POLICE, "!sitrap");
    assert_eq!(sitrap.lines().count(), 5, "{sitrap}");
    assert!(
        sitrap
            .lines()
            .next()
            .unwrap()
            .ends_with("· Gemeentelijke opschaling"),
        "{sitrap}"
    );
    t.later(5);
    let reply = t.say(CHAIR, "!fase onrust");
    assert!(
        reply.starts_with(
            "📢 Nieuwe fase (3/5): Maatschappelijke onrust · opschaling: Gemeentelijke opschaling"
        ),
        "{reply}"
    );
}

// --- advice and decision (§2.1–2.2) ------------------------------------------

#[test]
fn advice_to_the_driehoek_and_decisions_are_kept_apart() {
    let mut t = Team::with_incident();
    assert!(refused(&t.say(POLICE, "!advies Cameratoezicht")));
    let reply = t.say(CHAIR, "!advies Buurtbijeenkomst morgen 19:00");
    assert!(
        reply.contains("Advies 1 aan de driehoek vastgelegd: Buurtbijeenkomst morgen 19:00")
            && reply.contains("de driehoek beslist"),
        "{reply}"
    );
    let reply = t.say(
        CHAIR,
        "!besluit Buurtbijeenkomst morgen 19:00 door de burgemeester",
    );
    assert!(
        reply.contains("Besluit 1 vastgelegd: Buurtbijeenkomst morgen 19:00")
            && reply.contains("Besloten door: Burgemeester"),
        "{reply}"
    );
    t.say(CHAIR, "!besluit Extra surveillance door driehoek");
    t.say(CHAIR, "!besluit Geen persconferentie");
    let decisions = &t.incident().decisions;
    assert_eq!(decisions[0].decided_by.as_deref(), Some("burgemeester"));
    assert_eq!(decisions[1].decided_by.as_deref(), Some("driehoek"));
    assert_eq!(decisions[2].decided_by, None);
    let list = t.say(SPOKES, "!besluiten");
    let (decided, advised) = list.split_once("💡").unwrap();
    assert!(
        decided.contains("⚖️ Besluiten (3):")
            && decided.contains(&format!(
                "1. Buurtbijeenkomst morgen 19:00 — Burgemeester (vastgelegd door {CHAIR}, 10:00)"
            ))
            && decided.contains("2. Extra surveillance — Lokale driehoek"),
        "{list}"
    );
    assert!(
        advised.contains("Adviezen aan de burgemeester/driehoek (1):")
            && advised.contains("1. Buurtbijeenkomst morgen 19:00"),
        "{list}"
    );
    let kinds: Vec<LogKind> = t.log.borrow().iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&LogKind::Advice) && kinds.contains(&LogKind::Decision));
}

#[test]
fn door_at_the_end_names_a_decider_only_when_it_is_one() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!besluit Boodschap verspreid door sleutelfiguren");
    t.say(CHAIR, "!besluit Wijk afzetten door politie");
    let decisions = &t.incident().decisions;
    assert_eq!(decisions[0].text, "Boodschap verspreid door sleutelfiguren");
    assert_eq!(decisions[0].decided_by, None);
    assert_eq!(decisions[1].text, "Wijk afzetten");
    assert_eq!(decisions[1].decided_by.as_deref(), Some("politie"));
}

#[test]
fn many_decisions_show_the_latest_first_and_the_advices_stay_on_the_first_screen() {
    let mut t = Team::with_incident();
    for i in 1..=7 {
        t.say(CHAIR, &format!("!besluit Besluit {i}"));
    }
    t.say(CHAIR, "!advies Het advies");
    let first = t.say(SPOKES, "!besluiten");
    assert!(
        first.contains("Besluiten (7): de laatste 4")
            && first.contains("7. Besluit 7")
            && !first.contains("1. Besluit 1")
            && first.contains("1. Het advies"),
        "{first}"
    );
    let more = t.say(SPOKES, "!meer");
    assert!(
        more.contains("Eerdere besluiten:") && more.contains("1. Besluit 1"),
        "{more}"
    );
}

// --- the public face (§2.1, Bijlage 2.7 and 2.8) ------------------------------

#[test]
fn the_chair_records_the_public_face_and_every_change_is_logged() {
    let mut t = Team::with_incident();
    let reply = t.say(SPOKES, "!rol publiek-gezicht mij");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter legt vast wie Publiek gezicht is"),
        "{reply}"
    );
    t.say(CHAIR, "!rol publiek-gezicht @burgemeester");
    t.later(60);
    let reply = t.say(CHAIR, "!rol boegbeeld @wethouder");
    assert!(
        reply.contains(
            "@wethouder:gemeente.nl is nu Publiek gezicht. (was @burgemeester:gemeente.nl)"
        ),
        "{reply}"
    );
    let changes: Vec<String> = t
        .log
        .borrow()
        .iter()
        .filter(|e| e.kind == LogKind::RoleAssigned && e.text.contains("Publiek gezicht"))
        .map(|e| e.text.clone())
        .collect();
    assert_eq!(
        changes,
        [
            "@burgemeester:gemeente.nl is Publiek gezicht",
            "@wethouder:gemeente.nl is Publiek gezicht (was @burgemeester:gemeente.nl)"
        ]
    );
    let help = t.say_all(POLICE, "!help rol");
    assert!(
        help.contains("burgemeester, wethouder, publiek-gezicht"),
        "{help}"
    );
}

// --- the draaiboek as a cycle (Bijlage 5) --------------------------------------

#[test]
fn onrust_brings_back_only_the_beeldvorming_items_worth_rechecking() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!checklist afvinken BV1");
    t.say(POLICE, "!checklist afvinken BV2");
    t.later(30);
    let reply = t.say(CHAIR, "!fase onrust");
    assert!(
        reply.contains(
            "🔁 Opnieuw bekijken (Stap 1: Beeldvorming): 12 punten — !checklist beeldvorming"
        ),
        "{reply}"
    );
    let list = t.say(POLICE, "!checklist");
    let again = list.lines().find(|l| l.starts_with("🔁")).unwrap();
    assert!(
        again.contains("BV2 BV3") && !again.contains("BV1 ") && !again.contains("BV4"),
        "only what changes: {again}"
    );
    assert!(
        list.contains("Stap 3: Besluitvorming — 5 open van 5"),
        "{list}"
    );
    let reply = t.say(POLICE, "!checklist afvinken BV2");
    assert!(reply.contains("BV2 afgevinkt"), "{reply}");
    assert!(
        t.log
            .borrow()
            .last()
            .unwrap()
            .text
            .starts_with("Opnieuw bekeken BV2"),
        "logged as a re-check"
    );
    let reply = t.say(POLICE, "!checklist afvinken BV1");
    assert!(
        reply.contains("al afgevinkt"),
        "not a revisit item: {reply}"
    );
    let list = t.say(POLICE, "!checklist");
    assert!(!list.contains("BV2 BV3"), "{list}");
    let sitrap = t.say(POLICE, "!sitrap");
    assert!(sitrap.contains("🔁 11 opnieuw bekijken"), "{sitrap}");
}

// --- the team's agreements are labelled from the draaiboek ---------------------

#[test]
fn cadences_and_the_golden_hour_carry_the_teams_own_label() {
    let book = crate::draaiboek::Draaiboek::with_overrides(
        "[cadence]\nlabel = \"afspraak van ons team\"\nfirst_update_minutes = 45\n",
    )
    .unwrap();
    let mut t = Team::new();
    t.core = Core::new(crate::catalogue::Catalogue::built_in(), book, "!");
    let reply = t.say(CHAIR, "!incident open Onrust");
    assert!(reply.contains("10:45 (afspraak van ons team)"), "{reply}");
    let reply = t.say(CHAIR, "!fase onrust");
    assert!(reply.contains("elk uur (afspraak van ons team)"), "{reply}");
    let help = t.say_all(CHAIR, "!help update");
    assert!(
        help.contains("afspraak van ons team: dreiging 2 uur")
            && help.contains("binnen 45 min, het gouden uur")
            && !help.contains("teamafspraak"),
        "{help}"
    );
    let planned = t.say(CHAIR, "!herinneringen");
    assert!(
        planned.contains("publieksupdate nodig (afspraak van ons team)"),
        "{planned}"
    );
}
