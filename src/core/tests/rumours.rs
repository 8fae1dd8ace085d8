use super::reminders::quiet_team;
use super::*;
use crate::model::desk::Verdict;

// --- rumours and facts (geruchten) ------------------------------------------

#[test]
fn a_rumour_is_registered_judged_and_answered_by_an_approved_text() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!gerucht De leraar is opgepakt.");
    assert!(
        reply.starts_with("🗣️ Gerucht 1 vastgelegd: De leraar is opgepakt."),
        "{reply}"
    );
    let reply = t.say(
        POLICE,
        "!gerucht 1 klopt-niet Niemand is aangehouden, zegt de politie.",
    );
    assert!(
        reply.starts_with("🗣️ Gerucht 1: klopt niet — Niemand is aangehouden")
            && reply.contains("!gerucht 1 weerlegd <tekst>"),
        "{reply}"
    );
    t.say(POLICE, "!tekst voorstel website Er is niemand aangehouden.");
    let reply = t.say(POLICE, "!gerucht 1 weerlegd 1");
    assert!(
        refused(&reply) && reply.contains("niet goedgekeurd"),
        "{reply}"
    );
    t.say(CHAIR, "!tekst goedkeuren 1");
    let reply = t.say(POLICE, "!gerucht 1 weerlegd 1");
    assert!(
        reply.contains("Gerucht 1 is beantwoord met tekst 1.1"),
        "{reply}"
    );
    assert!(!t.incident().desk.rumours[0].is_open());
    let log: Vec<String> = t.log.borrow().iter().map(|e| e.text.clone()).collect();
    assert!(
        log.iter().any(|l| l == "Gerucht 1 beantwoord met tekst 1"),
        "{log:?}"
    );
}

#[test]
fn an_unknown_verdict_or_rumour_is_refused_with_the_usage() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!gerucht De school gaat dicht.");
    let reply = t.say(POLICE, "!gerucht 1 misschien");
    assert!(
        reply.contains("'misschien' is geen oordeel")
            && reply.contains("klopt, klopt-niet of onbekend"),
        "{reply}"
    );
    assert!(
        t.say(POLICE, "!gerucht 4 klopt")
            .contains("Gerucht 4 bestaat niet")
    );
    assert!(
        t.say(POLICE, "!gerucht 1 weerlegd 3")
            .contains("Tekst 3 bestaat niet")
    );
}

#[test]
fn the_overview_shows_open_rumours_first() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!gerucht Eerste gerucht.");
    t.say(POLICE, "!gerucht Tweede gerucht.");
    t.say(POLICE, "!tekst voorstel website Feiten.");
    t.say(CHAIR, "!tekst goedkeuren 1");
    t.say(POLICE, "!gerucht 1 klopt-niet");
    t.say(POLICE, "!gerucht 1 weerlegd 1");
    let list = t.say(SPOKES, "!geruchten");
    assert!(list.starts_with("🗣️ Geruchten (2, 1 open):"), "{list}");
    let (open, answered) = (list.find("Tweede").unwrap(), list.find("Eerste").unwrap());
    assert!(open < answered, "{list}");
    assert!(
        list.contains("✅ 1. Eerste gerucht. — klopt niet · tekst 1"),
        "{list}"
    );
    assert!(list.contains("❔ 2. Tweede gerucht. — onbekend"), "{list}");
}

#[test]
fn the_checklist_nudge_names_open_rumours_to_the_analyst_and_the_adviser() {
    let mut t = quiet_team();
    t.say(CHAIR, &format!("!rol omgevingsanalist {POLICE}"));
    t.say(
        POLICE,
        "!gerucht Er komt een demonstratie bij het gemeentehuis.",
    );
    let said = t.run_for(61);
    let nudge = said
        .iter()
        .map(|(_, s)| s)
        .find(|s| s.contains("🗣️"))
        .expect("a nudge about rumours");
    assert!(
        nudge.contains(&format!("🗣️ 1 open gerucht ({POLICE} en {COMMS}):"))
            && nudge.contains("1. Er komt een demonstratie")
            && !nudge.contains("☑️"),
        "{nudge}"
    );
    t.later(1);
    let outcome = t
        .core
        .tick(t.incident(), &t.room, t.now + Duration::minutes(60), &Ids);
    let mentions = &outcome.messages()[0].mentions;
    assert!(
        mentions.contains(POLICE) && mentions.contains(COMMS),
        "{mentions:?}"
    );
}

#[test]
fn klopt_niet_typed_with_a_space_is_never_read_as_klopt() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!gerucht De school gaat dicht.");
    let reply = t.say(POLICE, "!gerucht 1 klopt niet De school blijft open.");
    assert!(
        reply.contains("klopt niet — De school blijft open."),
        "{reply}"
    );
    assert_eq!(t.incident().desk.rumours[0].verdict, Verdict::False);
    t.say(POLICE, "!gerucht 1 klopt niet");
    assert_eq!(t.incident().desk.rumours[0].note, None);
    t.say(POLICE, "!gerucht 1 klopt Nietwaar is het niet.");
    assert_eq!(t.incident().desk.rumours[0].verdict, Verdict::True);
}
