use super::*;
use crate::model::{LogKind, Pole};

// --- crisis diagnosis (§3.2) ------------------------------------------------

/// Every question of part C answered high, of B low, of A as `a`.
fn answer_all(t: &mut Team, who: &str, a: char) {
    t.say(who, &format!("!diagnose A {}", a.to_string().repeat(33)));
    t.say(who, &format!("!diagnose B {}", "l".repeat(11)));
    t.say(who, &format!("!diagnose C {}", "h".repeat(10)));
}

fn answers(t: &Team) -> std::collections::BTreeMap<String, Pole> {
    let record = match t.room.active {
        Some(_) => t.incident().diagnosis.clone(),
        None => t.room.diagnosis.clone(),
    };
    record.unwrap().rounds.last().unwrap().answers.clone()
}

#[test]
fn a_diagnosis_runs_without_an_incident_and_asks_one_question_with_its_two_poles() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!diagnose");
    assert!(
        reply.contains("Vraag 1 van 54 (A Aard)")
            && reply.contains(
                "Hoe uniek is de crisis? — hoog: Niet eerder gebeurd · laag: Eerder gebeurd / gewenning"
            )
            && reply.contains("!h hoog · !l laag · !? onbekend · !terug"),
        "{reply}"
    );
    assert!(reply.contains("de driehoek beslist"), "{reply}");
    assert!(t.room.active.is_none() && t.room.diagnosis.is_some());
}

#[test]
fn h_l_and_question_mark_answer_high_low_and_unknown_and_the_next_question_follows() {
    let mut t = Team::new();
    t.say(CHAIR, "!diagnose");
    let reply = t.say(CHAIR, "!h");
    assert!(
        reply.starts_with("✓ A1: hoog")
            && reply
                .contains("Heeft de crisis te maken met uw primaire taak? — hoog: Ja · laag: Nee"),
        "{reply}"
    );
    t.say(CHAIR, "!l");
    let reply = t.say(CHAIR, "!?");
    assert!(
        reply.starts_with("✓ A3: onbekend") && reply.contains("Vraag 4 van 54"),
        "{reply}"
    );
    let a = answers(&t);
    assert_eq!(
        (a["A1"], a["A2"], a["A3"]),
        (Pole::High, Pole::Low, Pole::Unknown)
    );
}

#[test]
fn terug_takes_back_the_last_answer_and_asks_that_question_again() {
    let mut t = Team::new();
    t.say(CHAIR, "!diagnose");
    t.say(CHAIR, "!h");
    t.say(CHAIR, "!l");
    let reply = t.say(CHAIR, "!terug");
    assert!(
        reply.contains("Terug naar A2 (was: laag)")
            && reply.contains("Heeft de crisis te maken met uw primaire taak?"),
        "{reply}"
    );
    assert!(!answers(&t).contains_key("A2"));
    let reply = t.say(CHAIR, "!h");
    assert!(
        reply.starts_with("✓ A2: hoog") && reply.contains("Vraag 3 van 54"),
        "{reply}"
    );
    t.say(CHAIR, "!terug");
    t.say(CHAIR, "!terug");
    let reply = t.say(CHAIR, "!terug");
    assert!(
        refused(&reply) && reply.contains("nog niets beantwoord"),
        "{reply}"
    );
}

#[test]
fn only_the_starter_answers_until_someone_takes_over() {
    let mut t = Team::new();
    t.say(CHAIR, "!diagnose");
    let reply = t.say(POLICE, "!h");
    assert!(
        refused(&reply) && reply.contains(CHAIR) && reply.contains("!diagnose overnemen"),
        "{reply}"
    );
    assert!(answers(&t).is_empty());
    let watching = t.say(POLICE, "!diagnose");
    assert!(
        watching.contains("Hoe uniek is de crisis?") && !watching.contains("!h hoog"),
        "{watching}"
    );
    let reply = t.say(POLICE, "!diagnose overnemen");
    assert!(
        reply.contains(&format!(
            "{POLICE} neemt de crisisdiagnose over van {CHAIR}"
        )),
        "{reply}"
    );
    assert!(t.say(POLICE, "!h").starts_with("✓ A1: hoog"));
    assert!(refused(&t.say(CHAIR, "!l")));
}

#[test]
fn question_mark_answers_for_whoever_answers_and_is_help_for_everyone_else() {
    let mut t = Team::new();
    assert!(t.say(CHAIR, "!?").contains("uitleg per commando"));
    t.say(CHAIR, "!diagnose");
    let help = t.say(POLICE, "!?");
    assert!(help.contains("uitleg per commando"), "{help}");
    let topic = t.say(CHAIR, "!? actie");
    assert!(topic.contains("!actie <nr> klaar"), "{topic}");
    assert!(t.say(CHAIR, "!?").starts_with("✓ A1: onbekend"));
    let explained = t.say_all(POLICE, "!help help");
    assert!(explained.contains("betekent !? 'onbekend'"), "{explained}");
}

#[test]
fn stop_pauses_the_diagnosis_and_diagnose_resumes_where_it_was() {
    let mut t = Team::new();
    t.say(CHAIR, "!diagnose");
    t.say(CHAIR, "!h");
    let reply = t.say(CHAIR, "!diagnose stop");
    assert!(reply.contains("staat stil na 1 van 54 vragen"), "{reply}");
    let reply = t.say(CHAIR, "!l");
    assert!(refused(&reply) && reply.contains("staat stil"), "{reply}");
    assert!(refused(&t.say(POLICE, "!diagnose stop")));
    let reply = t.say(CHAIR, "!diagnose");
    assert!(
        reply.contains("1 van 54 beantwoord") && reply.contains("Vraag 2 van 54"),
        "{reply}"
    );
    assert!(t.say(CHAIR, "!l").starts_with("✓ A2: laag"));
}

#[test]
fn a_part_filled_in_on_paper_is_answered_at_once() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!diagnose A hhl?l hhhll");
    assert!(
        reply.contains("Deel A: 10 antwoorden vastgelegd")
            && reply.contains("Vraag 11 van 54")
            && reply.contains("Is de (volks)gezondheid in het geding?"),
        "{reply}"
    );
    let a = answers(&t);
    assert_eq!(a.len(), 10);
    assert_eq!(
        (a["A3"], a["A4"], a["A6"]),
        (Pole::Low, Pole::Unknown, Pole::High)
    );
    assert!(t.say(CHAIR, "!h").starts_with("✓ A11: hoog"));
    assert!(
        refused(&t.say(POLICE, "!diagnose B hhh")),
        "the starter answers"
    );
}

#[test]
fn a_bad_run_names_the_position_and_changes_nothing() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!diagnose A hhxl");
    assert!(
        reply.contains("Positie 3 (A3): 'x' is geen h (hoog), l (laag) of ? (onbekend)")
            && reply.contains("Gebruik: !diagnose <deel> <antwoorden>"),
        "{reply}"
    );
    let reply = t.say(CHAIR, &format!("!diagnose C {}", "h".repeat(12)));
    assert!(
        reply.contains(
            "Deel C heeft 10 vragen, maar er staan 12 antwoorden: haal ze vanaf positie 11 weg."
        ),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!diagnose D hhh");
    assert!(
        reply.contains("Deel 'D' ken ik niet")
            && reply.contains(
                "A (Aard, 33 vragen), B (Betrokkenen, 11 vragen), C (Context, 10 vragen)"
            ),
        "{reply}"
    );
    assert!(t.room.diagnosis.is_none());
}

#[test]
fn when_every_question_is_answered_the_team_is_pointed_to_the_result() {
    let mut t = Team::new();
    answer_all(&mut t, CHAIR, 'h');
    let reply = t.say(CHAIR, "!diagnose");
    assert!(
        reply.contains("Alle 54 vragen beantwoord. Uitslag en advies: !diagnose uitslag"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!h");
    assert!(
        refused(&reply) && reply.contains("Alle vragen zijn beantwoord"),
        "{reply}"
    );
}

#[test]
fn the_result_counts_each_part_names_the_high_risk_answers_and_suggests_advices() {
    let mut t = Team::new();
    answer_all(&mut t, CHAIR, 'h');
    t.say(CHAIR, "!terug");
    let reply = t.say(POLICE, "!diagnose uitslag");
    for expected in [
        "De bot adviseert; de driehoek beslist.",
        "A Aard: 33 hoog · 0 laag · 0 onbekend",
        "B Betrokkenen: 0 hoog · 11 laag · 0 onbekend",
        "C Context: 9 hoog · 0 laag · 1 onbekend",
        "Advies aan de burgemeester / lokale driehoek",
        "✅ 3. Acuut: driehoek en kernteam direct bijeenroepen",
        "▫️ 1. Meer informatie inwinnen",
        "6. Derde partij uitnodigen",
    ] {
        assert!(reply.contains(expected), "{expected} in {reply}");
    }
    let all = t.say_all(POLICE, "!diagnose uitslag");
    assert!(
        all.contains("Hoog risico (42):") && all.contains("A9 Zijn er vermisten? — Ja"),
        "{all}"
    );
    assert!(
        !all.contains("B1 Vallen"),
        "low answers are not listed: {all}"
    );
}

#[test]
fn an_unanswered_diagnosis_suggests_gathering_more_information() {
    let mut t = Team::new();
    t.say(CHAIR, "!diagnose");
    let reply = t.say(CHAIR, "!diagnose uitslag");
    assert!(reply.contains("✅ 1. Meer informatie inwinnen"), "{reply}");
    assert!(
        refused(&Team::new().say(CHAIR, "!diagnose uitslag")),
        "no diagnosis yet"
    );
}

#[test]
fn the_chosen_advice_goes_into_the_logboek_as_advice_with_who_chose_it() {
    let mut t = Team::with_incident();
    answer_all(&mut t, CHAIR, 'h');
    let reply = t.say(POLICE, "!diagnose advies 3");
    assert!(
        refused(&reply) && reply.contains("de voorzitter of de notulist"),
        "{reply}"
    );
    let reply = t.say(CHAIR, "!diagnose advies 7");
    assert!(reply.contains("kies 1 tot 6"), "{reply}");
    let reply = t.say(CHAIR, "!diagnose advies 3 Driehoek vanavond bijeen");
    assert!(
        reply.contains("De situatie is acuut")
            && reply.contains("Toelichting: Driehoek vanavond bijeen")
            && reply.contains("De driehoek beslist."),
        "{reply}"
    );
    let entry = t.log.borrow().last().cloned().unwrap();
    assert_eq!(entry.kind, LogKind::DiagnosisAdvice);
    assert!(
        entry
            .text
            .contains("Advies aan de burgemeester/driehoek (crisisdiagnose ronde 1): 3.")
            && entry.text.contains(&format!("Gekozen door {CHAIR}"))
            && entry.text.contains("A 33 hoog, 0 laag, 0 onbekend"),
        "{entry:?}"
    );
    let list = t.say(POLICE, "!besluiten");
    assert!(
        list.contains("Besluiten (0): nog geen")
            && list.contains(
                "🩺 3. Acuut: driehoek en kernteam direct bijeenroepen — Driehoek vanavond bijeen"
            ),
        "{list}"
    );
    let result = t.say(POLICE, "!diagnose uitslag");
    assert!(
        result.contains(&format!(
            "👉 3. Acuut: driehoek en kernteam direct bijeenroepen — gekozen door {CHAIR}"
        )),
        "{result}"
    );
}

#[test]
fn a_diagnosis_from_before_the_incident_is_attached_when_one_opens() {
    let mut t = Team::new();
    answer_all(&mut t, POLICE, 'h');
    let reply = t.say(POLICE, "!diagnose advies 3");
    assert!(reply.contains("zodra er een wordt geopend"), "{reply}");
    let reply = t.say(CHAIR, "!incident open Onrust Oosterwijk");
    assert!(
        reply.contains("---\n🩺 De crisisdiagnose van vóór het incident hoort nu bij dit incident")
            && reply.contains("Ronde 1 · 10:00 · @agent:politie.nl — A 33h/0l/0? · B 0h/11l/0? · C 10h/0l/0? → past: 3; gekozen: 3"),
        "{reply}"
    );
    assert!(t.room.diagnosis.is_none());
    assert_eq!(t.incident().diagnosis.as_ref().unwrap().rounds.len(), 1);
    let kinds: Vec<LogKind> = t.log.borrow().iter().map(|e| e.kind).collect();
    assert!(
        kinds.ends_with(&[LogKind::Diagnosis, LogKind::DiagnosisAdvice]),
        "{kinds:?}"
    );
    assert_eq!(t.incident().advices.len(), 1);
    let result = t.say(SPOKES, "!diagnose uitslag");
    assert!(result.contains("👉 3."), "{result}");
}

#[test]
fn a_new_round_keeps_the_old_one_and_diagnose_compares_them() {
    let mut t = Team::with_incident();
    answer_all(&mut t, CHAIR, 'h');
    t.later(120);
    let reply = t.say(SPOKES, "!diagnose opnieuw");
    assert!(
        reply.contains("ronde 2: @woordvoerder:gemeente.nl beantwoordt")
            && reply.contains("Vraag 1 van 54"),
        "{reply}"
    );
    answer_all(&mut t, SPOKES, 'l');
    let reply = t.say(CHAIR, "!diagnose");
    assert!(
        reply.contains("Ronde 1 · 10:00 · @voorzitter:gemeente.nl — A 33h/0l/0? · B 0h/11l/0? · C 10h/0l/0? → past: 3")
            && reply.contains("Ronde 2 · 12:00 · @woordvoerder:gemeente.nl — A 0h/33l/0? · B 0h/11l/0? · C 10h/0l/0?"),
        "{reply}"
    );
    assert_eq!(t.incident().diagnosis.as_ref().unwrap().rounds.len(), 2);
    let log = t.say_all(CHAIR, "!logboek 50");
    assert!(
        log.contains("Crisisdiagnose ronde 2 gestart door @woordvoerder:gemeente.nl")
            && log.contains("Crisisdiagnose ronde 2, deel A: lllll"),
        "{log}"
    );
}
