//! The core's behaviour, specified through what a team member sees. No store,
//! no clock: a tiny in-memory world applies each outcome.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::model::{Incident, LogEntry, RoomRecord};
use crate::render::chat::Ids;

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
            last_closed: match active {
                Some(_) => None,
                None => self
                    .room
                    .incidents
                    .last()
                    .and_then(|s| self.incidents.get(&s.id)),
            },
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
                names: &Ids,
            },
        )
    }

    /// Types a command and returns what the room sees.
    fn say(&mut self, sender: &str, line: &str) -> String {
        let outcome = self.outcome(sender, line);
        self.apply(&outcome)
    }

    fn apply(&mut self, outcome: &Outcome) -> String {
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
            .messages()
            .iter()
            .map(|r| r.plain())
            .collect::<Vec<_>>()
            .join("\n---\n")
    }

    /// The scheduler's turn at the current time: what the room sees.
    fn tick(&mut self) -> String {
        let outcome = self.core.tick(self.incident(), self.now, &Ids);
        self.apply(&outcome)
    }

    /// Runs the scheduler at every moment something falls due up to `minutes`
    /// from now, as the real one would, and returns what it said, by minute.
    fn run_for(&mut self, minutes: i64) -> Vec<(i64, String)> {
        let start = self.now;
        let end = start + Duration::minutes(minutes);
        let mut said = Vec::new();
        while let Some(due) = reminders::next_due(&self.core.draaiboek, self.incident()) {
            if due > end {
                break;
            }
            self.now = due.max(self.now);
            let reply = self.tick();
            if !reply.is_empty() {
                said.push(((self.now - start).num_minutes(), reply));
            }
        }
        self.now = end;
        said
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
    let reply = &outcome.messages()[0];
    assert!(reply.mentions.contains(POLICE));
    assert!(
        reply.plain().contains("is nu Notulist") && reply.plain().contains("Taken:"),
        "{}",
        reply.plain()
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
    let r = &outcome.messages()[0];
    assert!(r.mentions.contains(SPOKES), "owner is mentioned");
    assert!(
        r.plain().contains("Schooldirecteur bellen") && r.plain().contains("om 15:00"),
        "{}",
        r.plain()
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

// --- reminders (fake clock: time is handed in, nothing sleeps) -------------

/// A team that has settled its roles, sent its first update and ticked the
/// checklist, so only what a test sets up is due.
fn quiet_team() -> Team {
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
    let outcome = t.core.tick(t.incident(), t.now, &Ids);
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
        digests[1].1.contains("3 actie(s)") && digests[1].1.contains(CHAIR),
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
        reply.contains("Volgende uiterlijk om 11:50") && reply.contains("elke 1 uur"),
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
        roles[0].1.contains("notulist") && !roles[0].1.contains("woordvoerder"),
        "{roles:?}"
    );
}

#[test]
fn a_phase_change_names_unfilled_key_roles() {
    let mut t = Team::with_incident();
    let reply = t.say(CHAIR, "!fase onrust");
    assert!(reply.contains("👥 Nog onbezet: notulist"), "{reply}");
}

#[test]
fn quiet_snoozes_nudges_but_not_owner_deadlines() {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {POLICE}"));
    t.say(POLICE, "!actie Bellen over 40 min");
    let reply = t.say(CHAIR, "!stil 90 min");
    assert!(
        reply.contains("stil tot 11:30") || reply.contains("stil tot om 11:30"),
        "{reply}"
    );
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
    let log = t.say(CHAIR, "!logboek 50");
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
    let first = t.tick();
    assert!(first.starts_with("🕰️ Verlaat"), "{first}");
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
    t.say(CHAIR, "!incident sluit");
    let closed = &t.incidents[&id];
    assert_eq!(reminders::next_due(&t.core.draaiboek, closed), None);
    assert!(
        t.core
            .tick(closed, t.now + Duration::hours(5), &Ids)
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
    assert!(warning.contains("deadline om 09:00"), "{warning}");
}

#[test]
fn the_reminder_list_shows_what_is_planned() {
    let mut t = Team::with_incident();
    t.say(POLICE, "!actie Bellen over 1 uur");
    t.say(CHAIR, "!stil 30 min");
    let reply = t.say(CHAIR, "!herinneringen");
    for expected in [
        "om 10:30: onbezette rollen",
        "om 10:45: vooraankondiging deadline actie 1",
        "om 11:00: deadline actie 1",
        "om 11:00: publieksupdate nodig",
        "Stil tot om 10:30",
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
