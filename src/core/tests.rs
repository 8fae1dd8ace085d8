//! The core's behaviour, specified through what a team member sees. No store,
//! no clock: a tiny in-memory world applies each outcome.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::model::{Incident, LogEntry, RoomRecord};

const CHAIR: &str = "@voorzitter:gemeente.nl";
const SPOKES: &str = "@woordvoerder:gemeente.nl";
const COMMS: &str = "@comms:gemeente.nl";
const POLICE: &str = "@agent:politie.nl";

struct Team {
    core: Core,
    room: RoomRecord,
    incidents: BTreeMap<u64, Incident>,
    log: RefCell<Vec<LogEntry>>,
    now: DateTime<Utc>,
    moderators: Vec<&'static str>,
}

impl LogRead for Team {
    fn tail(&self, incident: u64, n: usize) -> Vec<LogEntry> {
        let log = self.log.borrow();
        let all: Vec<_> = log
            .iter()
            .filter(|e| e.incident == incident)
            .cloned()
            .collect();
        all[all.len().saturating_sub(n)..].to_vec()
    }
}

impl Team {
    fn new() -> Team {
        Team {
            core: Core::built_in(),
            room: RoomRecord::default(),
            incidents: BTreeMap::new(),
            log: RefCell::new(Vec::new()),
            // Monday 23 November 2026, 10:00 in Amsterdam.
            now: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            moderators: Vec::new(),
        }
    }

    /// A team with an open incident, its chair and comms adviser in place.
    fn with_incident() -> Team {
        let mut t = Team::new();
        t.say(CHAIR, "!incident open Onrust Oosterwijk");
        t.say(CHAIR, &format!("!rol communicatieadviseur {COMMS}"));
        t.say(CHAIR, &format!("!rol woordvoerder {SPOKES}"));
        t
    }

    fn outcome(&self, sender: &str, line: &str) -> Outcome {
        let active = self.room.active.and_then(|id| self.incidents.get(&id));
        let view = View {
            room: &self.room,
            active,
            next_incident_id: self.incidents.len() as u64 + 1,
            log: self,
        };
        let line = self.core.command_line(line).expect("tests type commands");
        self.core.handle(
            &view,
            &Request {
                room: "!room:gemeente.nl",
                sender,
                sender_is_moderator: self.moderators.contains(&sender),
                line,
                now: self.now,
            },
        )
    }

    /// Types a command and returns what the room sees.
    fn say(&mut self, sender: &str, line: &str) -> String {
        let outcome = self.outcome(sender, line);
        if let Some(room) = outcome.room.clone() {
            self.room = room;
        }
        if let Some(mut incident) = outcome.incident.clone() {
            for draft in &outcome.log {
                incident.log_len += 1;
                self.log.borrow_mut().push(LogEntry {
                    incident: incident.id,
                    seq: incident.log_len,
                    at: self.now,
                    actor: draft.actor.clone(),
                    kind: draft.kind,
                    text: draft.text.clone(),
                    prev: String::new(),
                    hash: String::new(),
                });
            }
            self.incidents.insert(incident.id, incident);
        }
        outcome
            .replies
            .iter()
            .map(|r| r.plain.clone())
            .collect::<Vec<_>>()
            .join("\n---\n")
    }

    fn incident(&self) -> &Incident {
        &self.incidents[&self.room.active.expect("an active incident")]
    }

    fn later(&mut self, minutes: i64) {
        self.now += Duration::minutes(minutes);
    }
}

fn refused(reply: &str) -> bool {
    reply.starts_with('⛔')
}

// --- incidents -------------------------------------------------------------

#[test]
fn opening_an_incident_makes_the_opener_voorzitter_in_phase_dreiging() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!incident open Onrust na familiedrama");
    assert!(
        reply.contains("Incident geopend: Onrust na familiedrama"),
        "{reply}"
    );
    assert!(
        reply.contains("Voorzitter: @voorzitter:gemeente.nl"),
        "{reply}"
    );
    assert!(
        reply.contains("Dreigende maatschappelijke onrust"),
        "{reply}"
    );
    assert_eq!(t.incident().roles["voorzitter"].user, CHAIR);
    assert_eq!(t.incident().phase, "dreiging");
}

#[test]
fn a_second_incident_while_one_is_active_is_refused() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!incident open Nog een");
    assert!(
        refused(&reply) && reply.contains("Er loopt al een incident"),
        "{reply}"
    );
    assert_eq!(t.room.incidents.len(), 1);
}

#[test]
fn incident_open_without_title_shows_usage() {
    let mut t = Team::new();
    let reply = t.say(CHAIR, "!incident open");
    assert!(
        reply.contains("<titel>") && reply.contains("!incident open <titel>"),
        "{reply}"
    );
    assert!(t.room.active.is_none());
}

#[test]
fn choosing_a_scenario_shows_its_partners_and_tips() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident scenario familiedrama");
    assert!(
        reply.contains("Partners:") && reply.contains("Tips:"),
        "{reply}"
    );
    assert_eq!(t.incident().scenario.as_deref(), Some("familiedrama"));
}

#[test]
fn an_unknown_scenario_lists_the_known_ones() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident scenario brand");
    assert!(
        reply.contains("zeden") && reply.contains("wmo-misbruik"),
        "{reply}"
    );
    assert!(
        reply.contains("Gebruik: !incident scenario <scenario>"),
        "{reply}"
    );
}

#[test]
fn only_the_chair_chooses_the_scenario_and_closes() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!incident scenario zeden");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert!(reply.contains(CHAIR), "names who may: {reply}");
    assert!(refused(&t.say(POLICE, "!incident sluit klaar")));
    assert!(t.room.active.is_some());
}

#[test]
fn closing_frees_the_room_for_a_new_incident_and_keeps_history() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!incident sluit Rust teruggekeerd");
    assert!(
        reply.contains("Incident gesloten") && reply.contains("Rust teruggekeerd"),
        "{reply}"
    );
    assert!(t.room.active.is_none());
    let reply = t.say(POLICE, "!incident");
    assert!(reply.contains("Geen actief incident"), "{reply}");
    t.say(POLICE, "!incident open Tweede");
    let list = t.say(POLICE, "!incidenten");
    assert!(
        list.contains("Onrust Oosterwijk") && list.contains("Tweede"),
        "{list}"
    );
    assert_eq!(t.incident().roles["voorzitter"].user, POLICE);
}

#[test]
fn commands_without_an_incident_say_how_to_open_one() {
    let mut t = Team::new();
    for cmd in [
        "!fase",
        "!actie bellen",
        "!sitrap",
        "!oneliners",
        "!checklist",
    ] {
        let reply = t.say(CHAIR, cmd);
        assert!(reply.contains("!incident open <titel>"), "{cmd}: {reply}");
    }
}

// --- phases ----------------------------------------------------------------

#[test]
fn a_non_chair_cannot_change_the_phase() {
    let mut t = Team::with_incident();
    let reply = t.say(SPOKES, "!fase escalatie");
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert_eq!(t.incident().phase, "dreiging");
}

#[test]
fn the_chair_changes_the_phase_and_the_team_sees_meaning_and_checklist() {
    let mut t = Team::with_incident();
    t.later(30);
    let reply = t.say(CHAIR, "!fase escalatie");
    assert!(reply.contains("Nieuwe fase (4/5): Escalatie"), "{reply}");
    assert!(reply.contains("Besluitvorming"), "checklist shown: {reply}");
    assert!(reply.contains("elke 30 min"), "update cadence: {reply}");
    assert_eq!(t.incident().phase, "escalatie");
    assert_eq!(t.incident().phase_since, t.now);
}

#[test]
fn phases_go_up_and_down_by_name_or_number_and_history_shows_it() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!fase 3");
    t.later(60);
    t.say(CHAIR, "!phase escalation");
    t.later(60);
    t.say(CHAIR, "!fase onrust");
    let reply = t.say(SPOKES, "!fase");
    assert!(reply.contains("Fase: Maatschappelijke onrust"), "{reply}");
    assert!(reply.contains("Escalatie"), "history: {reply}");
    assert_eq!(t.incident().phase_history.len(), 4);
}

#[test]
fn an_unknown_phase_lists_the_phases() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!fase paniek");
    assert!(
        reply.contains("rust (1)") && reply.contains("terugkeer (5)"),
        "{reply}"
    );
    assert!(reply.contains("Gebruik: !fase <fase>"), "{reply}");
}

#[test]
fn without_voorzitter_a_room_moderator_stands_in_as_chair() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!rol voorzitter weg");
    t.moderators.push(POLICE);
    assert!(!refused(&t.say(POLICE, "!fase onrust")));
    assert!(refused(&t.say(SPOKES, "!fase escalatie")));
}

// --- roles -----------------------------------------------------------------

#[test]
fn assigning_a_role_mentions_the_person_and_explains_the_role() {
    let t = Team::with_incident();
    let outcome = t.outcome(CHAIR, &format!("!rol notulist {POLICE}"));
    let reply = &outcome.replies[0];
    assert!(reply.mentions.contains(POLICE));
    assert!(
        reply.plain.contains("is nu Notulist") && reply.plain.contains("Taken:"),
        "{}",
        reply.plain
    );
}

#[test]
fn anyone_claims_a_free_role_with_mij_but_not_a_taken_one() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rol notulist mij");
    assert!(!refused(&reply), "{reply}");
    assert_eq!(t.incident().roles["notulist"].user, POLICE);
    let reply = t.say(SPOKES, "!rol notulist mij");
    assert!(refused(&reply) && reply.contains("al bezet"), "{reply}");
}

#[test]
fn only_the_chair_assigns_roles_to_others() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, &format!("!rol notulist {SPOKES}"));
    assert!(
        refused(&reply) && reply.contains("Alleen de voorzitter"),
        "{reply}"
    );
    assert!(!t.incident().roles.contains_key("notulist"));
}

#[test]
fn a_holder_or_the_chair_releases_a_role() {
    let mut t = Team::with_incident();
    assert!(refused(&t.say(POLICE, "!rol woordvoerder weg")));
    let reply = t.say(SPOKES, "!rol woordvoerder weg");
    assert!(reply.contains("onbezet"), "{reply}");
    assert!(!t.incident().roles.contains_key("woordvoerder"));
}

#[test]
fn the_role_list_marks_unfilled_key_roles() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rollen");
    assert!(reply.contains("Notulist: ⚠️ onbezet"), "{reply}");
    assert!(
        reply.contains(&format!("Woordvoerder: {SPOKES}")),
        "{reply}"
    );
    assert!(reply.contains("Politie"), "partner seats: {reply}");
}

#[test]
fn a_role_card_shows_tasks_and_holder() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!rol woordvoerder");
    assert!(
        reply.contains(SPOKES) && reply.contains("Taken:"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!rol brandweerman");
    assert!(
        reply.contains("ken ik niet") && reply.contains("voorzitter"),
        "{reply}"
    );
}

#[test]
fn a_role_to_something_that_is_no_user_shows_usage() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!rol notulist jan");
    assert!(
        reply.contains("geen gebruiker") && reply.contains("!rol <rol> <@wie|mij>"),
        "{reply}"
    );
}

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
    let r = &outcome.replies[0];
    assert!(r.mentions.contains(SPOKES), "owner is mentioned");
    assert!(
        r.plain.contains("Schooldirecteur bellen") && r.plain.contains("om 15:00"),
        "{}",
        r.plain
    );
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
            .contains("deadline om 12:00")
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

// --- oneliners -------------------------------------------------------------

#[test]
fn a_oneliner_approved_by_its_proposer_is_refused_and_not_listed() {
    let mut t = Team::with_incident();
    t.say(COMMS, "!oneliner voorstel We begrijpen de zorgen.");
    let reply = t.say(COMMS, "!oneliner goedkeuren 1");
    assert!(refused(&reply) && reply.contains("Vier ogen"), "{reply}");
    let list = t.say(SPOKES, "!oneliners");
    assert!(!list.contains("We begrijpen"), "{list}");
    assert!(list.contains("Wacht op goedkeuring: 1"), "{list}");
}

#[test]
fn a_oneliner_approved_by_the_chair_is_listed_with_its_length() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel We begrijpen de zorgen.");
    assert!(
        t.say(CHAIR, "!oneliner goedkeuren 1")
            .contains("goedgekeurd")
    );
    let list = t.say(POLICE, "!oneliners");
    assert!(
        list.contains("“We begrijpen de zorgen.” (23 tekens)"),
        "{list}"
    );
}

#[test]
fn only_chair_or_comms_adviser_approve() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Tekst.");
    let reply = t.say(POLICE, "!oneliner goedkeuren 1");
    assert!(
        refused(&reply) && reply.contains("de voorzitter of de communicatieadviseur"),
        "{reply}"
    );
    assert!(!refused(&t.say(COMMS, "!oneliner goedkeuren 1")));
}

#[test]
fn an_edit_needs_approval_and_until_then_the_old_version_stays_current() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Versie een.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    let reply = t.say(SPOKES, "!oneliner wijzig 1 Versie twee.");
    assert!(
        reply.contains("Tot goedkeuring blijft gelden: “Versie een.”"),
        "{reply}"
    );
    let list = t.say(POLICE, "!oneliners");
    assert!(
        list.contains("Versie een.") && !list.contains("Versie twee."),
        "{list}"
    );
    t.say(COMMS, "!oneliner goedkeuren 1");
    let list = t.say(POLICE, "!oneliners");
    assert!(
        !list.contains("Versie een.") && list.contains("Versie twee."),
        "{list}"
    );
}

#[test]
fn a_retracted_oneliner_disappears_and_cannot_be_approved() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Tekst.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    assert!(refused(&t.say(SPOKES, "!oneliner intrekken 1")));
    assert!(
        t.say(COMMS, "!oneliner intrekken 1")
            .contains("ingetrokken")
    );
    assert!(t.say(POLICE, "!oneliners").contains("nog geen"));
    assert!(refused(&t.say(CHAIR, "!oneliner goedkeuren 1")));
}

#[test]
fn the_proposer_of_a_new_version_cannot_approve_it_even_as_chair() {
    let mut t = Team::with_incident();
    t.say(SPOKES, "!oneliner voorstel Een.");
    t.say(COMMS, "!oneliner goedkeuren 1");
    t.say(CHAIR, "!oneliner wijzig 1 Twee.");
    assert!(refused(&t.say(CHAIR, "!oneliner goedkeuren 1")));
    assert!(!refused(&t.say(COMMS, "!oneliner goedkeuren 1")));
}

#[test]
fn oneliners_are_filtered_by_audience() {
    let mut t = Team::with_incident();
    t.say(
        SPOKES,
        "!oneliner voorstel ouders: De school is morgen open.",
    );
    t.say(
        SPOKES,
        "!oneliner voorstel pers: Er is een persmoment om 17:00.",
    );
    t.say(CHAIR, "!oneliner goedkeuren 1");
    t.say(CHAIR, "!oneliner goedkeuren 2");
    let list = t.say(POLICE, "!oneliners ouders");
    assert!(
        list.contains("De school") && !list.contains("persmoment"),
        "{list}"
    );
}

// --- checklists ------------------------------------------------------------

#[test]
fn the_checklist_follows_the_phase_and_ticking_is_remembered() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!checklist");
    assert!(
        reply.contains("Beeldvorming") && reply.contains("BV1"),
        "{reply}"
    );
    let reply = t.say(POLICE, "!checklist afvinken bv1");
    assert!(reply.contains("BV1 afgevinkt"), "{reply}");
    let reply = t.say(SPOKES, "!checklist afvinken BV1");
    assert!(
        reply.contains("al afgevinkt door @agent:politie.nl"),
        "{reply}"
    );
    let full = t.say(POLICE, "!checklist beeldvorming");
    assert!(full.contains("✅ BV1"), "{full}");
}

#[test]
fn an_unknown_checklist_item_or_step_shows_usage() {
    let mut t = Team::with_incident();
    assert!(
        t.say(POLICE, "!checklist afvinken ZZ9")
            .contains("ken ik niet")
    );
    let reply = t.say(POLICE, "!checklist afvinken");
    assert!(reply.contains("!checklist afvinken <punt>"), "{reply}");
    let reply = t.say(POLICE, "!checklist koffie");
    assert!(reply.contains("beeldvorming"), "{reply}");
}

// --- logboek ---------------------------------------------------------------

#[test]
fn every_change_lands_in_the_logboek_with_who() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!log Groep jongeren bij de school");
    t.say(CHAIR, "!besluit Extra surveillance vanavond");
    let log = t.say(SPOKES, "!logboek 20");
    for expected in [
        "Incident geopend: Onrust Oosterwijk",
        "[rol] @comms:gemeente.nl is Communicatieadviseur",
        "@agent:politie.nl [notitie] Groep jongeren bij de school",
        "[besluit] Extra surveillance vanavond",
    ] {
        assert!(log.contains(expected), "{expected} in {log}");
    }
    let decisions = t.say(SPOKES, "!besluiten");
    assert!(
        decisions.contains("1. Extra surveillance vanavond"),
        "{decisions}"
    );
}

#[test]
fn reading_commands_change_nothing() {
    let t = Team::with_incident();
    for cmd in [
        "!sitrap",
        "!logboek",
        "!rollen",
        "!oneliners",
        "!acties",
        "!fase",
        "!help",
    ] {
        let outcome = t.outcome(POLICE, cmd);
        assert!(!outcome.changes_state() && outcome.log.is_empty(), "{cmd}");
    }
}

#[test]
fn the_logboek_view_is_bounded() {
    let mut t = Team::with_incident();
    let reply = t.say(POLICE, "!logboek 500");
    assert!(reply.contains("Maximaal 50"), "{reply}");
    let reply = t.say(POLICE, "!logboek veel");
    assert!(reply.contains("geen nummer"), "{reply}");
}

#[test]
fn the_sitrap_fits_everything_on_one_screen() {
    let mut t = Team::with_incident();
    t.say(CHAIR, "!incident scenario polarisatie");
    t.say(POLICE, "!actie Bellen over 30 min");
    t.say(SPOKES, "!oneliner voorstel We zijn in gesprek.");
    t.say(CHAIR, "!oneliner goedkeuren 1");
    t.later(45);
    let s = t.say(POLICE, "!sitrap");
    for expected in [
        "Onrust Oosterwijk",
        "Scenario: ",
        "Fase: Dreigende maatschappelijke onrust",
        "Notulist ⚠️ onbezet",
        "1 open, 1 te laat",
        "“We zijn in gesprek.”",
        "Beeldvorming:",
    ] {
        assert!(s.contains(expected), "{expected} in {s}");
    }
    assert!(
        s.lines().count() <= 25,
        "phone screen: {} lines",
        s.lines().count()
    );
}

// --- help and parsing ------------------------------------------------------

#[test]
fn help_lists_every_command_and_explains_one() {
    let mut t = Team::new();
    let all = t.say(POLICE, "!help");
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
    assert_eq!(core.command_line("!"), None);
    assert_eq!(core.command_line("!! wow"), None);
    assert_eq!(core.command_line("  !fase  "), Some("fase"));
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
