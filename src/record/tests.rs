//! The record's own rules: old incidents, anchors, and what verify catches
//! that the end-to-end tests (tests/export.rs) do not reach.

use chrono::{DateTime, TimeZone, Utc};

use super::verify::{Verdict, verify};
use super::*;
use crate::core::Core;
use crate::engine::{Engine, Incoming};
use crate::store::{Store, entry_hash};

const CHAIR: &str = "@voorzitter:gemeente.nl";

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

/// An incident played through the engine: its state and its whole logboek.
fn played(commands: &[&str]) -> (Incident, Vec<LogEntry>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Core::built_in(), Store::open(dir.path()).unwrap());
    for (minute, body) in commands.iter().enumerate() {
        engine
            .handle(&Incoming {
                room: "!kernteam:gemeente.nl",
                sender: CHAIR,
                sender_is_moderator: false,
                body,
                event_id: None,
                now: at(minute as i64),
            })
            .unwrap();
    }
    let incident = engine.store().incident(1).unwrap().unwrap();
    let log = engine.store().log_entries(1).map(Result::unwrap).collect();
    (incident, log)
}

fn build(incident: &Incident, log: &[LogEntry]) -> Record {
    Record::build(incident, log, &Draaiboek::built_in(), at(60))
}

/// Appends an entry to the chain as the store would.
fn append(incident: &mut Incident, log: &mut Vec<LogEntry>, kind: LogKind, text: &str) {
    let (seq, prev) = (incident.log_len + 1, incident.log_head.clone());
    let now = at(50);
    let hash = entry_hash(incident.id, seq, now, CHAIR, kind, text, &prev);
    log.push(LogEntry {
        incident: incident.id,
        seq,
        at: now,
        actor: CHAIR.into(),
        kind,
        text: text.into(),
        prev,
        hash: hash.clone(),
    });
    incident.log_len = seq;
    incident.log_head = hash;
}

#[test]
fn an_incident_from_before_the_histories_still_shows_its_holders_and_last_update() {
    let (mut incident, log) = played(&[
        "!incident open Onrust",
        "!rol notulist @notulist:gemeente.nl",
        "!update We zijn ter plaatse",
    ]);
    incident.role_history.clear();
    incident.updates.clear();
    let record = build(&incident, &log);
    let notulist = record.roles.iter().find(|r| r.role == "notulist").unwrap();
    assert_eq!(notulist.user, "@notulist:gemeente.nl");
    assert_eq!(
        notulist.from.by.as_deref(),
        Some(CHAIR),
        "from the logboek entry"
    );
    // Opening writes three entries and an anchor (4); the role is entry 5.
    assert_eq!(notulist.from.seq, Some(5));
    assert_eq!(record.public_updates.len(), 1);
    assert_eq!(record.public_updates[0].made.seq, Some(6));
    assert!(matches!(verify(record), Verdict::Intact { unbacked, .. } if unbacked.is_empty()));
}

#[test]
fn a_role_handed_over_ends_one_period_and_starts_the_next_at_the_same_entry() {
    let (incident, log) = played(&[
        "!incident open Onrust",
        "!rol woordvoerder @anna:gemeente.nl",
        "!rol woordvoerder @bert:gemeente.nl",
    ]);
    let record = build(&incident, &log);
    let spokes: Vec<&RolePeriod> = record
        .roles
        .iter()
        .filter(|r| r.role == "woordvoerder")
        .collect();
    assert_eq!(spokes.len(), 2);
    assert_eq!(
        spokes[0].until.as_ref().map(|u| u.at),
        Some(spokes[1].from.at)
    );
    assert_eq!(
        spokes[0].until.as_ref().and_then(|u| u.seq),
        spokes[1].from.seq
    );
    assert!(spokes[1].until.is_none());
}

#[test]
fn an_anchor_names_the_entry_whose_hash_it_carries_and_a_rewritten_chain_fails_it() {
    // Entries 1-3 open the incident, 4 anchors them, 5 is the note.
    let (mut incident, mut log) = played(&["!incident open Onrust", "!log Rustig op straat"]);
    let anchored = log[4].hash.clone();
    append(
        &mut incident,
        &mut log,
        LogKind::Anchor,
        &format!("Anker: kop {anchored} gepubliceerd"),
    );
    let record = build(&incident, &log);
    assert_eq!(record.anchors[0].anchored_seq, Some(3));
    assert_eq!(record.anchors[1].anchored_seq, Some(5));
    assert!(matches!(
        verify(record.clone()),
        Verdict::Intact { anchors: 2, .. }
    ));

    // A forger rewrites entry 5 and recomputes every hash after it; the
    // anchor still names the old head, which the chain no longer has.
    let mut forged = record;
    forged.log[4].text = "Onrustig op straat".into();
    let mut prev = forged.log[3].hash.clone();
    for line in &mut forged.log[4..] {
        line.prev = prev;
        line.hash = entry_hash(
            1,
            line.seq,
            line.at,
            &line.actor,
            line.kind,
            &line.text,
            &line.prev,
        );
        prev = line.hash.clone();
    }
    forged.chain.head = prev;
    let Verdict::Broken(problem) = verify(forged) else {
        panic!("a rewritten chain passed");
    };
    assert_eq!(
        problem,
        "anker in logboekregel 6: de verankerde hash komt in de keten niet (meer) voor"
    );
}

#[test]
fn verify_catches_removed_entries_a_changed_list_and_a_wrong_duration() {
    let (incident, log) = played(&[
        "!incident open Onrust",
        "!fase escalatie",
        "!log Een",
        "!incident sluit",
    ]);
    let record = build(&incident, &log);
    assert!(matches!(verify(record.clone()), Verdict::Intact { .. }));

    let mut cut = record.clone();
    cut.log.pop();
    assert!(matches!(verify(cut), Verdict::Broken(p) if p.contains("regels verwijderd")));

    let mut longer = record.clone();
    longer.phases[0].seconds = longer.phases[0].seconds.map(|s| s + 60);
    assert_eq!(
        verify(longer),
        Verdict::Broken(
            "fase 1 (Dreigende maatschappelijke onrust): einde of duur klopt niet".into()
        )
    );

    let mut relabelled = record;
    relabelled.log[2].at_local = "2026-11-23T11:00:00+01:00".into();
    assert_eq!(
        verify(relabelled),
        Verdict::Broken("logboekregel 3: soort of lokale tijd past niet bij de regel".into())
    );
}

/// Every kind of logboek entry; a new kind stops this compiling until listed.
fn every_kind() -> Vec<LogKind> {
    use LogKind::*;
    let all = vec![
        IncidentOpened,
        ScenarioChosen,
        IncidentClosed,
        PhaseChanged,
        RoleAssigned,
        RoleReleased,
        ActionCreated,
        ActionChanged,
        OnelinerProposed,
        OnelinerApproved,
        OnelinerRetracted,
        ChecklistTicked,
        Note,
        Decision,
        PublicUpdate,
        Quiet,
        Reminder,
        Anchor,
        Undelivered,
        Ignored,
        Pinned,
        Unpinned,
        Export,
        Diagnosis,
        DiagnosisAdvice,
        Advice,
        Scaling,
        PressQuestion,
        TextProposed,
        TextApproved,
        TextRetracted,
        TextPublished,
        Rumour,
        TargetGroup,
        QaProposed,
        QaApproved,
        QaRetracted,
    ];
    for kind in &all {
        match kind {
            IncidentOpened | ScenarioChosen | IncidentClosed | PhaseChanged | RoleAssigned
            | RoleReleased | ActionCreated | ActionChanged | OnelinerProposed
            | OnelinerApproved | OnelinerRetracted | ChecklistTicked | Note | Decision
            | PublicUpdate | Quiet | Reminder | Anchor | Undelivered | Ignored | Pinned
            | Unpinned | Export | Diagnosis | DiagnosisAdvice | Advice | Scaling
            | PressQuestion | TextProposed | TextApproved | TextRetracted | TextPublished
            | Rumour | TargetGroup | QaProposed | QaApproved | QaRetracted => {}
        }
    }
    all
}

#[test]
fn the_schema_names_every_kind_of_logboek_entry() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../docs/export.schema.json")).unwrap();
    let kinds = &schema["$defs"]["line"]["properties"]["kind"]["enum"];
    for kind in every_kind() {
        let name = serde_json::to_value(kind).unwrap();
        assert!(
            kinds.as_array().unwrap().contains(&name),
            "docs/export.schema.json lacks {name}"
        );
    }
}
