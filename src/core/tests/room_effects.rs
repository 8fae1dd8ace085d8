use super::*;
use crate::core::shortcuts::{SHORTCUTS, shortcut_line};
use crate::core::{Reaction, RoomMessage, Unreaction};
use crate::effect::Subject;
use crate::view::Planned;

const PINNED_MSG: &str = "$bericht:gemeente.nl";

impl Team {
    fn react_with(
        &mut self,
        sender: &str,
        event_id: &str,
        key: &str,
        target: &str,
        about: Option<&Subject>,
        message: Option<&RoomMessage>,
    ) -> Option<Outcome> {
        let active = self.room.active.and_then(|id| self.incidents.get(&id));
        let view = View {
            room: &self.room,
            active,
            next_incident_id: self.incidents.len() as u64 + 1,
            log: self,
            last_closed: None,
            direct: None,
        };
        let outcome = self.core.react(
            &view,
            &Reaction {
                room: "!room:gemeente.nl",
                sender,
                sender_is_moderator: false,
                event_id,
                key,
                target,
                about,
                message,
                now: self.now,
                members: &self.members,
            },
        )?;
        self.apply(&outcome);
        Some(outcome)
    }

    /// A 📌 (in `key`'s spelling) by `sender` on the police officer's message.
    fn pin(&mut self, sender: &str, reaction: &str, key: &str) -> Outcome {
        let message = RoomMessage {
            sender: POLICE.to_string(),
            sent_at: self.now - Duration::minutes(3),
            text: "Groep van 40 jongeren bij het station".to_string(),
        };
        self.react_with(sender, reaction, key, PINNED_MSG, None, Some(&message))
            .expect("a pin always does something")
    }

    fn unreact(&mut self, sender: &str, reaction: &str) -> Option<Outcome> {
        let active = self.room.active.and_then(|id| self.incidents.get(&id));
        let view = View {
            room: &self.room,
            active,
            next_incident_id: self.incidents.len() as u64 + 1,
            log: self,
            last_closed: None,
            direct: None,
        };
        let outcome = self.core.unreact(
            &view,
            &Unreaction {
                sender,
                reaction,
                now: self.now,
                names: &Ids,
            },
        )?;
        self.apply(&outcome);
        Some(outcome)
    }

    /// Types a command and returns the whole outcome (applied).
    fn run(&mut self, sender: &str, line: &str) -> Outcome {
        let outcome = self.outcome(sender, line);
        self.apply(&outcome);
        outcome
    }

    /// Both steps of the §3.4 close; the outcome of the confirmation.
    fn run_close(&mut self) -> Outcome {
        self.say(CHAIR, "!incident sluit mondeling:ja evaluatie:mij");
        self.now += Duration::seconds(11);
        self.run(CHAIR, "!incident sluit bevestig")
    }

    fn entries(&self, kind: LogKind) -> Vec<LogEntry> {
        let log = self.log.borrow();
        log.iter().filter(|e| e.kind == kind).cloned().collect()
    }
}

/// What a message is about, as the adapter would have recorded it.
fn about(outcome: &Outcome) -> Subject {
    outcome
        .effects
        .iter()
        .find_map(|e| e.about().cloned())
        .expect("a message about a subject")
}

fn answer_text(outcome: &Outcome, target: &str) -> String {
    match &outcome.effects[..] {
        [Effect::Answer { to, reply }] if to == target => reply.plain(),
        other => panic!("one answer to {target}: {other:?}"),
    }
}

fn sitrap_effects(outcome: &Outcome) -> Vec<&'static str> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Post {
                about: Subject::Sitrap { .. },
                ..
            } => Some("post"),
            Effect::Edit { .. } => Some("edit"),
            Effect::Pin { .. } => Some("pin"),
            Effect::Unpin { .. } => Some("unpin"),
            _ => None,
        })
        .collect()
}

// --- 📌 pins ---------------------------------------------------------------

#[test]
fn a_pinned_message_enters_the_logboek_once_with_its_sender_time_and_text() {
    let mut t = Team::with_incident();
    let first = t.pin(CHAIR, "$r1", "📌");
    assert_eq!(
        first.effects,
        vec![Effect::React {
            to: PINNED_MSG.into(),
            key: "✅".into()
        }],
        "answered with a reaction, not a message"
    );
    // Pinned again, by someone else and in another spelling: no second entry.
    let second = t.pin(COMMS, "$r2", "📌\u{FE0F}");
    assert!(second.effects.is_empty() && second.log.is_empty());
    let pinned = t.entries(LogKind::Pinned);
    assert_eq!(pinned.len(), 1);
    assert_eq!(pinned[0].actor, POLICE, "under the message's own sender");
    assert!(
        pinned[0]
            .text
            .starts_with("Groep van 40 jongeren bij het station")
            && pinned[0].text.contains("2026-11-23 09:57")
            && pinned[0].text.contains(&format!("vastgepind door {CHAIR}")),
        "{}",
        pinned[0].text
    );
    let book = t.say(SPOKES, "!logboek");
    assert!(
        book.contains(&format!(
            "{POLICE} [vastgepind] Groep van 40 jongeren bij het station"
        )),
        "{book}"
    );
}

#[test]
fn removing_the_last_pin_reaction_adds_an_unpinned_entry_and_erases_nothing() {
    let mut t = Team::with_incident();
    t.pin(CHAIR, "$r1", "📌");
    t.pin(COMMS, "$r2", "📌");
    let one_left = t.unreact(CHAIR, "$r1").expect("a pin reaction");
    assert!(one_left.log.is_empty(), "still pinned by the other");
    let removed = t.unreact(COMMS, "$r2").expect("a pin reaction");
    assert!(removed.effects.is_empty());
    let unpinned = t.entries(LogKind::Unpinned);
    assert_eq!(unpinned.len(), 1);
    assert_eq!(unpinned[0].actor, COMMS);
    assert!(unpinned[0].text.contains("Groep van 40"), "{unpinned:?}");
    assert_eq!(t.entries(LogKind::Pinned).len(), 1, "the pin stays");
    assert!(t.incident().pins[0].unpinned.is_some());
    // Pinned again after that: a new entry, and no second ✅.
    let again = t.pin(SPOKES, "$r3", "📌");
    assert!(again.effects.is_empty());
    assert_eq!(t.entries(LogKind::Pinned).len(), 2);
}

#[test]
fn removing_some_other_reaction_means_nothing() {
    let mut t = Team::with_incident();
    t.pin(CHAIR, "$r1", "📌");
    assert!(t.unreact(CHAIR, "$thumbs").is_none());
}

#[test]
fn a_pin_without_an_incident_gets_a_short_answer_and_changes_nothing() {
    let mut t = Team::new();
    let outcome = t.pin(CHAIR, "$r1", "📌");
    let text = answer_text(&outcome, PINNED_MSG);
    assert!(text.starts_with("📌 Er loopt geen incident"), "{text}");
    assert!(!outcome.changes_state());
}

#[test]
fn an_unreadable_message_is_not_pinned_and_the_answer_says_why() {
    let mut t = Team::with_incident();
    let outcome = t
        .react_with(CHAIR, "$r1", "📌", PINNED_MSG, None, None)
        .unwrap();
    assert!(answer_text(&outcome, PINNED_MSG).contains("niet lezen"));
    assert!(t.entries(LogKind::Pinned).is_empty());
}

// --- the living sitrap -----------------------------------------------------

#[test]
fn opening_posts_the_sitrap_and_pins_it() {
    let mut t = Team::new();
    let opened = t.run(CHAIR, "!incident open Onrust Oosterwijk");
    assert_eq!(sitrap_effects(&opened), ["post", "pin"]);
    let sitrap = opened.messages()[1].plain();
    assert!(sitrap.starts_with("🧭 Onrust Oosterwijk"), "{sitrap}");
}

#[test]
fn a_change_edits_the_sitrap_instead_of_posting_it_again() {
    let mut t = Team::with_incident();
    t.later(1);
    let changed = t.run(CHAIR, "!fase escalatie");
    assert_eq!(sitrap_effects(&changed), ["edit"]);
    let Some(Effect::Edit { reply, about }) = changed.effects.last() else {
        panic!("{:?}", changed.effects);
    };
    assert_eq!(about, &Subject::Sitrap { incident: 1 });
    assert!(
        reply.plain().contains("fase Escalatie"),
        "{}",
        reply.plain()
    );
    // Nothing in it changed: no edit.
    t.later(1);
    assert!(sitrap_effects(&t.run(CHAIR, "!log Rustig")).is_empty());
    // !sitrap still answers with a new message.
    let asked = t.run(POLICE, "!sitrap");
    assert!(matches!(asked.effects[..], [Effect::Send(_)]));
}

#[test]
fn the_sitrap_is_edited_at_most_every_ten_seconds_through_the_agenda() {
    let mut t = Team::with_incident();
    t.later(1);
    let edited_at = t.now;
    assert_eq!(sitrap_effects(&t.run(CHAIR, "!fase escalatie")), ["edit"]);
    t.now += Duration::seconds(3);
    let soon = t.run(CHAIR, "!actie Buurt uitlopen");
    assert!(sitrap_effects(&soon).is_empty(), "throttled");
    let refresh = edited_at + Duration::seconds(10);
    assert_eq!(soon.next_due, Some(refresh));
    assert!(
        crate::core::reminders::plan(&t.core.draaiboek, t.incident())
            .contains(&(refresh, Planned::SitrapRefresh))
    );
    t.now = refresh;
    let tick = t.core.tick(t.incident(), &t.room, t.now, &Ids);
    t.apply(&tick);
    assert!(tick.messages().is_empty(), "no message, only the edit");
    let [Effect::Edit { reply, .. }] = &tick.effects[..] else {
        panic!("{:?}", tick.effects);
    };
    assert!(
        reply.plain().contains("Buurt uitlopen"),
        "{}",
        reply.plain()
    );
    assert_ne!(tick.next_due, Some(refresh), "done");
}

#[test]
fn closing_unpins_the_sitrap_and_leaves_its_final_version() {
    let mut t = Team::with_incident();
    t.later(1);
    let closed = t.run_close();
    assert_eq!(sitrap_effects(&closed), ["edit", "unpin"]);
    let Some(Effect::Edit { reply, .. }) = closed
        .effects
        .iter()
        .find(|e| matches!(e, Effect::Edit { .. }))
    else {
        unreachable!()
    };
    assert!(reply.plain().contains("🔒 Gesloten"), "{}", reply.plain());
}

#[test]
fn a_close_within_ten_seconds_of_an_edit_still_gets_its_final_edit() {
    let mut t = Team::with_incident();
    let id = t.room.active.unwrap();
    t.later(1);
    t.run(CHAIR, "!fase escalatie");
    t.now += Duration::seconds(2);
    t.say(CHAIR, "!incident sluit mondeling:ja evaluatie:mij");
    let closed = t.run(CHAIR, "!incident sluit bevestig");
    assert_eq!(sitrap_effects(&closed), ["unpin"]);
    let incident = t.incidents[&id].clone();
    t.now += Duration::seconds(8);
    let tick = t.core.tick(&incident, &t.room, t.now, &Ids);
    assert!(matches!(tick.effects[..], [Effect::Edit { .. }]));
    assert_eq!(tick.next_due, None);
}

// --- exercise mode ---------------------------------------------------------

fn marked(outcome: &Outcome) -> bool {
    outcome
        .effects
        .iter()
        .filter_map(Effect::text)
        .all(|r| r.plain().starts_with("🧪 OEFENING\n"))
}

#[test]
fn every_message_of_an_exercise_says_oefening_and_none_of_a_real_incident() {
    let mut t = Team::new();
    let opened = t.run(CHAIR, "!oefening open Rellen jaarwisseling");
    assert!(t.incident().exercise);
    assert_eq!(opened.messages().len(), 2, "the reply and the sitrap");
    assert!(marked(&opened), "{:?}", opened.effects);
    t.later(1);
    for (who, line) in [
        (CHAIR, "!fase escalatie"),
        (POLICE, "!fase rust"),
        (POLICE, "!actie Bellen over 5 min"),
        (POLICE, "!sitrap"),
        (POLICE, "!fase paniek"),
    ] {
        let outcome = t.run(who, line);
        assert!(marked(&outcome), "{line}: {:?}", outcome.effects);
    }
    t.later(10);
    let reminder = t.core.tick(t.incident(), &t.room, t.now, &Ids);
    assert!(!reminder.messages().is_empty() && marked(&reminder));
    let closed = t.run_close();
    assert!(marked(&closed));

    let real = t.run(CHAIR, "!incident open Echte onrust");
    assert!(!t.incident().exercise);
    for outcome in [real, t.run(POLICE, "!sitrap")] {
        for reply in outcome.effects.iter().filter_map(Effect::text) {
            assert!(!reply.plain().contains("OEFENING"), "{}", reply.plain());
        }
    }
}

#[test]
fn the_incident_list_keeps_exercises_apart() {
    let mut t = Team::new();
    t.say(CHAIR, "!exercise open Oefening A");
    t.close();
    t.say(CHAIR, "!incident open Echte onrust");
    let list = t.say(POLICE, "!incidenten");
    let (real, exercises) = list.split_once("🧪 Oefeningen (1):").expect(&list);
    assert!(
        real.contains("Echte onrust") && !real.contains("Oefening A"),
        "{list}"
    );
    assert!(exercises.contains("Oefening A"), "{list}");
}

#[test]
fn an_exercise_is_no_second_incident() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!oefening open Tussendoor");
    assert!(
        refused(&reply) && reply.contains("Er loopt al een incident"),
        "{reply}"
    );
}

// --- reactions as shortcuts ------------------------------------------------

#[test]
fn a_check_mark_on_an_action_marks_it_done() {
    let mut t = Team::with_incident();
    let created = t.run(POLICE, "!actie Zandzakken regelen");
    let action = about(&created);
    let outcome = t
        .react_with(POLICE, "$r", "✅", "$actie", Some(&action), None)
        .expect("a shortcut");
    assert!(
        answer_text_any(&outcome, "$actie").starts_with("✅ Actie 1 klaar"),
        "{:?}",
        outcome.effects
    );
    assert!(matches!(
        t.incident().actions[0].status,
        crate::model::ActionStatus::Done(_)
    ));
}

/// The first answer to `target` among the outcome's effects.
fn answer_text_any(outcome: &Outcome, target: &str) -> String {
    outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Answer { to, reply } if to == target => Some(reply.plain()),
            _ => None,
        })
        .expect("an answer")
}

#[test]
fn a_check_mark_on_a_deadline_reminder_marks_its_action_done() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Bellen over 5 min");
    t.later(5);
    let reminder = t.core.tick(t.incident(), &t.room, t.now, &Ids);
    t.apply(&reminder);
    let action = about(&reminder);
    assert_eq!(action, Subject::Action { incident: 1, nr: 1 });
    t.react_with(POLICE, "$r", "✅️", "$herinnering", Some(&action), None);
    assert!(matches!(
        t.incident().actions[0].status,
        crate::model::ActionStatus::Done(_)
    ));
}

#[test]
fn a_refused_reaction_is_answered_briefly_as_a_reply_to_the_reacted_message() {
    let mut t = Team::with_incident();
    let action = about(&t.run(POLICE, "!actie Zandzakken regelen"));
    let outcome = t
        .react_with(SPOKES, "$r", "✅", "$actie", Some(&action), None)
        .unwrap();
    let text = answer_text(&outcome, "$actie");
    assert!(refused(&text) && !text.contains('\n'), "{text}");
    assert!(!outcome.changes_state());
}

#[test]
fn a_thumbs_up_approves_exactly_the_version_its_message_shows() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Eerste.");
    t.say(SPOKES, "!oneliner voorstel Tweede.");
    let v31 = about(&t.run(SPOKES, "!oneliner voorstel Derde, versie 1."));
    let shown = t.run(SPOKES, "!oneliner wijzig 3 Derde, versie 2.");
    assert!(shown.messages()[0].plain().starts_with("📝 Oneliner 3.2"));
    let v32 = about(&shown);
    assert_eq!(
        v32,
        Subject::Oneliner {
            incident: 1,
            nr: 3,
            version: 2
        }
    );
    // 👍🏽 on 3.1 after the edit to 3.2: refused, nothing approved.
    let old = t
        .react_with(COMMS, "$r1", "👍🏽", "$v31", Some(&v31), None)
        .unwrap();
    let text = answer_text(&old, "$v31");
    assert!(
        text.starts_with("⛔ Versie 3.1 is niet meer de nieuwste"),
        "{text}"
    );
    assert!(t.incident().oneliners[2].body.current().is_none());
    // 👍 on 3.2: exactly that version is approved.
    let new = t
        .react_with(COMMS, "$r2", "👍", "$v32", Some(&v32), None)
        .unwrap();
    let text = answer_text_any(&new, "$v32");
    assert!(text.starts_with("✅ Oneliner 3.2 goedgekeurd"), "{text}");
    let (version, _) = t.incident().oneliners[2].body.current().unwrap();
    assert_eq!(version, 2);
}

#[test]
fn a_reaction_follows_the_commands_rules_four_eyes_included() {
    let mut t = Team::with_incident();
    let proposal = about(&t.run(COMMS, "!oneliner voorstel Eigen tekst."));
    let own = t
        .react_with(COMMS, "$r", "👍", "$v", Some(&proposal), None)
        .unwrap();
    assert!(answer_text(&own, "$v").starts_with("⛔ Vier ogen"));
}

#[test]
fn a_reaction_on_a_closed_incidents_message_does_nothing() {
    let mut t = Team::with_incident();
    let action = about(&t.run(POLICE, "!actie Bellen"));
    t.close();
    t.say(CHAIR, "!incident open Nieuw");
    t.say(POLICE, "!actie Iets anders");
    let outcome = t
        .react_with(POLICE, "$r", "✅", "$oud", Some(&action), None)
        .unwrap();
    assert!(refused(&answer_text(&outcome, "$oud")));
    assert_eq!(
        t.incident().actions[0].status,
        crate::model::ActionStatus::Open
    );
}

#[test]
fn reactions_that_mean_nothing_are_ignored() {
    let mut t = Team::with_incident();
    let action = about(&t.run(POLICE, "!actie Bellen"));
    assert!(
        t.react_with(POLICE, "$r", "🎉", "$a", Some(&action), None)
            .is_none()
    );
    assert!(t.react_with(POLICE, "$r", "✅", "$a", None, None).is_none());
    let sitrap = Subject::Sitrap { incident: 1 };
    assert!(
        t.react_with(POLICE, "$r", "✅", "$s", Some(&sitrap), None)
            .is_none()
    );
}

#[test]
fn every_row_of_the_reaction_table_runs_a_catalogue_command() {
    let core = Core::built_in();
    let samples = [
        Subject::Action { incident: 1, nr: 2 },
        Subject::Oneliner {
            incident: 1,
            nr: 2,
            version: 3,
        },
        Subject::PressQuestion { incident: 1, nr: 2 },
    ];
    for row in SHORTCUTS.iter() {
        let subject = samples
            .iter()
            .find(|s| s.fields().0 == row.subject)
            .unwrap_or_else(|| panic!("no subject kind {}", row.subject));
        for key in &row.keys {
            let key = crate::core::shortcuts::normalize(key);
            let line = shortcut_line(subject, &key).expect("the row applies");
            assert!(!line.contains('{'), "{line}: a field is not filled");
            let members = crate::people::Members::default();
            let speaker = crate::catalogue::Speaker {
                sender: CHAIR,
                members: &members,
            };
            let parsed = core.catalogue.parse(&line, &speaker);
            assert!(parsed.is_ok(), "{line}: {parsed:?}");
        }
    }
}

#[test]
fn eyes_on_a_press_question_claim_it_for_whoever_reacted() {
    let mut t = Team::with_incident();
    let question = about(&t.run(POLICE, "!persvraag RTV Oost: Is de school open?"));
    assert_eq!(question, Subject::PressQuestion { incident: 1, nr: 1 });
    assert_eq!(
        t.incident().desk.press[0].owner,
        SPOKES,
        "the woordvoerder's by default"
    );
    t.react_with(COMMS, "$r", "👀", "$q", Some(&question), None)
        .unwrap();
    assert_eq!(t.incident().desk.press[0].owner, COMMS);
}
