use super::*;

// --- reminders (fake clock: time is handed in, nothing sleeps) -------------

/// A team that has settled its roles, sent its first update and ticked the
/// checklist, so only what a test sets up is due.
pub(super) fn quiet_team() -> Team {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    t.say(COMMS, "!update Eerste bericht op de website");
    let phase = t.core.draaiboek.phase("dreiging").unwrap().clone();
    for step in &phase.checklists {
        let ids: Vec<String> = t
            .core
            .draaiboek
            .checklist(step)
            .unwrap()
            .items
            .iter()
            .map(|i| i.id.clone())
            .collect();
        for id in ids {
            t.say(CHAIR, &format!("!checklist afvinken {id}"));
        }
    }
    t
}

#[test]
fn the_owner_is_mentioned_fifteen_minutes_before_and_at_the_deadline() {
    let mut t = quiet_team();
    t.say(
        CHAIR,
        &format!("!actie Schooldirecteur bellen {POLICE} over 1 uur"),
    );
    let said = t.run_for(70);
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(said[0].0, 45);
    assert!(
        said[0]
            .1
            .contains(&format!("⏰ {POLICE} actie 1: Schooldirecteur bellen")),
        "{said:?}"
    );
    assert!(said[0].1.contains("over 15 min"), "{said:?}");
    assert_eq!(said[1].0, 60);
    assert!(
        said[1].1.contains("deadline van actie 1") && said[1].1.contains("!actie 1 klaar"),
        "{said:?}"
    );
}

#[test]
fn deadline_reminders_mention_the_owner_so_the_phone_notifies() {
    let mut t = quiet_team();
    t.say(CHAIR, &format!("!actie Bellen {POLICE} over 20 min"));
    t.later(20);
    let outcome = t.core.tick(t.incident(), &t.room, t.now, &Ids);
    assert!(outcome.messages()[0].mentions.contains(POLICE));
}

#[test]
fn a_finished_action_is_not_reminded() {
    let mut t = quiet_team();
    t.say(POLICE, "!actie Bellen over 1 uur");
    t.later(30);
    t.say(POLICE, "!actie 1 klaar");
    let said = t.run_for(60);
    assert!(said.is_empty(), "{said:?}");
}

#[test]
fn a_deadline_set_close_by_gets_no_early_warning_only_the_deadline() {
    let mut t = quiet_team();
    t.say(POLICE, "!actie Bellen over 10 min");
    let said = t.run_for(20);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].1.contains("deadline van actie 1"));
}

#[test]
fn overdue_actions_reach_the_chair_in_one_message_at_most_hourly() {
    let mut t = quiet_team();
    t.say(POLICE, "!actie Bellen over 20 min");
    t.say(SPOKES, "!actie Schrijven over 25 min");
    t.say(SPOKES, "!actie Posten over 30 min");
    let said = t.run_for(180);
    let digests: Vec<_> = said
        .iter()
        .filter(|(_, s)| s.contains("⚠️ Te laat"))
        .collect();
    // At 20+15 min, then hourly; each lists all three in one message.
    assert_eq!(
        digests.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        [35, 95, 155],
        "{said:?}"
    );
    assert!(
        digests[1].1.contains("3 acties") && digests[1].1.contains(CHAIR),
        "{digests:?}"
    );
}

#[test]
fn the_first_public_update_is_due_within_the_golden_hour() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    let said = t.run_for(61);
    let update: Vec<_> = said
        .iter()
        .filter(|(_, s)| s.contains("📣 Publieksupdate nodig"))
        .collect();
    assert_eq!(update.len(), 1, "{said:?}");
    assert_eq!(update[0].0, 60);
    assert!(update[0].1.contains("Nog geen update sinds"), "{update:?}");
    assert!(
        update[0].1.contains(CHAIR) && update[0].1.contains(COMMS),
        "{update:?}"
    );
}

#[test]
fn the_update_reminder_shows_the_last_update_and_the_approved_oneliners() {
    let mut t = quiet_team();
    t.say(
        SPOKES,
        "!oneliner voorstel We zijn met de buurt in gesprek.",
    );
    t.say(CHAIR, "!oneliner goedkeuren 1");
    t.say(CHAIR, "!fase escalatie");
    // In escalatie the public hears from the team every 30 minutes.
    let said = t.run_for(31);
    let (minute, text) = said
        .iter()
        .find(|(_, s)| s.contains("📣"))
        .expect("an update reminder");
    assert_eq!(*minute, 30);
    assert!(
        text.contains("Laatste update") && text.contains("Eerste bericht op de website"),
        "{text}"
    );
    assert!(
        text.contains("“We zijn met de buurt in gesprek.”"),
        "{text}"
    );
}

#[test]
fn recording_an_update_moves_the_next_one_by_the_phase_cadence() {
    let mut t = quiet_team();
    t.say(CHAIR, "!fase onrust");
    t.later(50);
    let reply = t.say(COMMS, "!update Tweede bericht");
    assert!(
        reply.contains("Volgende uiterlijk 11:50") && reply.contains("elk uur"),
        "{reply}"
    );
    let said = t.run_for(65);
    let updates: Vec<_> = said
        .iter()
        .filter(|(_, s)| s.contains("📣"))
        .map(|(m, _)| *m)
        .collect();
    assert_eq!(updates, [60]);
}

#[test]
fn in_phase_rust_no_update_cadence_applies() {
    let mut t = quiet_team();
    t.say(CHAIR, "!fase rust");
    let said = t.run_for(600);
    assert!(!said.iter().any(|(_, s)| s.contains("📣")), "{said:?}");
}

#[test]
fn open_checklist_items_are_summarised_once_per_interval_in_one_message() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    t.say(COMMS, "!update Bericht");
    let said = t.run_for(125);
    let nudges: Vec<_> = said
        .iter()
        .filter(|(_, s)| s.contains("☑️ Nog open in fase"))
        .collect();
    assert_eq!(
        nudges.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
        [60, 120],
        "{said:?}"
    );
    assert!(nudges[0].1.contains("Beeldvorming: BV1"), "{nudges:?}");
}

#[test]
fn unfilled_key_roles_are_named_once_ten_minutes_after_opening() {
    let mut t = Team::with_incident();
    let said = t.run_for(59);
    let roles: Vec<_> = said
        .iter()
        .filter(|(_, s)| s.contains("👥 Nog onbezet"))
        .collect();
    assert_eq!(roles.len(), 1, "{said:?}");
    assert_eq!(roles[0].0, 10);
    assert!(
        roles[0].1.contains("Notulist") && !roles[0].1.contains("Woordvoerder"),
        "{roles:?}"
    );
}

#[test]
fn a_phase_change_names_unfilled_key_roles() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!fase onrust");
    assert!(reply.contains("👥 Nog onbezet: Notulist"), "{reply}");
}

#[test]
fn quiet_snoozes_nudges_but_not_owner_deadlines() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    t.say(POLICE, "!actie Bellen over 40 min");
    let reply = t.say(CHAIR, "!stil 90 min");
    assert!(reply.contains("stil tot 11:30"), "{reply}");
    let said = t.run_for(95);
    assert_eq!(said[0].0, 25, "owner warned during quiet: {said:?}");
    assert_eq!(said[1].0, 40, "owner's deadline during quiet: {said:?}");
    assert!(
        said[..2]
            .iter()
            .all(|(_, s)| !s.contains("📣") && !s.contains("☑️"))
    );
    let (minute, after) = &said[2];
    assert_eq!(*minute, 90, "{said:?}");
    assert!(
        after.contains("📣") && after.contains("☑️") && after.contains("⚠️ Te laat"),
        "{after}"
    );
    let log = t.say_all(CHAIR, "!logboek 50");
    assert!(log.contains("[stil] Herinneringen stil tot 11:30"), "{log}");
}

#[test]
fn quiet_accepts_uit_and_refuses_nonsense() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!stil 30 min");
    assert!(t.say(CHAIR, "!stil uit").contains("weer aan"));
    let reply = t.say(CHAIR, "!stil lang");
    assert!(reply.contains("Gebruik: !stil <duur>"), "{reply}");
    let reply = t.say(CHAIR, "!stil 2 dagen");
    assert!(reply.contains("Maximaal 8 uur"), "{reply}");
}

#[test]
fn reminders_that_fell_due_while_down_come_once_marked_late_and_merged() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    t.say(POLICE, "!actie Bellen over 30 min");
    t.say(SPOKES, "!actie Schrijven over 40 min");
    // The bot was down for three hours.
    t.later(180);
    let mut first = t.tick();
    assert!(first.starts_with("🕰️ Vertraagd"), "{first}");
    if first.ends_with("!meer") {
        first.push_str(&t.say(SPOKES, "!meer"));
    }
    for expected in [
        "deadline van actie 1",
        "deadline van actie 2",
        "📣",
        "☑️",
        "⚠️ Te laat",
    ] {
        assert!(first.contains(expected), "{expected} in {first}");
    }
    assert!(
        !first.contains("over 15 min"),
        "stale warnings are dropped: {first}"
    );
    assert_eq!(first.matches("📣").count(), 1, "merged: {first}");
    assert_eq!(t.tick(), "", "nothing twice");
}

#[test]
fn a_closed_incident_has_no_reminders() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Bellen over 30 min");
    let id = t.room.active.unwrap();
    // Confirmed a minute after the outcomes, so the close also gives the
    // living sitrap its final edit at once.
    t.later(1);
    t.say(CHAIR, "!incident sluit mondeling:ja evaluatie:mij");
    t.later(1);
    t.say(CHAIR, "!incident sluit bevestig");
    let closed = &t.incidents[&id];
    assert_eq!(
        crate::core::reminders::next_due(&t.core.draaiboek, closed),
        None
    );
    assert!(
        t.core
            .tick(closed, &t.room, t.now + Duration::hours(5), &Ids)
            .effects
            .is_empty()
    );
}

#[test]
fn reminders_show_amsterdam_time_across_the_dst_change() {
    let mut t = quiet_team();
    // Saturday 24 October 2026, 23:30 CEST; the clocks go back that night.
    t.now = Utc.with_ymd_and_hms(2026, 10, 24, 21, 30, 0).unwrap();
    t.say(POLICE, "!actie Nachtdienst overdragen morgen 9:00");
    let deadline = t.incident().actions.last().unwrap().deadline.unwrap();
    assert_eq!(
        deadline,
        Utc.with_ymd_and_hms(2026, 10, 25, 8, 0, 0).unwrap()
    );
    t.now = deadline - Duration::minutes(15);
    let warning = t.tick();
    assert!(warning.contains("deadline 09:00"), "{warning}");
}

#[test]
fn the_reminder_list_shows_what_is_planned() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Bellen over 1 uur");
    t.say(CHAIR, "!stil 30 min");
    let reply = t.say(CHAIR, "!herinneringen");
    for expected in [
        "10:30: onbezette rollen",
        "10:45: vooraankondiging deadline actie 1",
        "11:00: deadline actie 1",
        "11:00: publieksupdate nodig",
        "Stil tot 10:30",
    ] {
        assert!(reply.contains(expected), "{expected} in {reply}");
    }
}

#[test]
fn reminders_are_written_in_the_logboek() {
    let mut t = quiet_team();
    t.say(POLICE, "!actie Bellen over 20 min");
    t.run_for(20);
    let log = t.say(CHAIR, "!logboek 3");
    assert!(
        log.contains("kernteam-bot [herinnering] Deadline actie 1 gemeld aan @agent:politie.nl"),
        "{log}"
    );
}

#[test]
fn quiet_and_public_updates_belong_to_chair_comms_and_spokesperson() {
    let mut t = Team::with_incident();
    for line in ["!stil 30 min", "!update Persbericht verstuurd"] {
        let reply = t.say(POLICE, line);
        assert!(
            refused(&reply)
                && reply.contains("de voorzitter, de communicatieadviseur of de woordvoerder"),
            "{reply}"
        );
    }
    assert!(t.incident().reminders.quiet_until.is_none());
    assert!(!refused(&t.say(SPOKES, "!update Persbericht verstuurd")));
    assert!(!refused(&t.say(COMMS, "!stil 30 min")));
}
