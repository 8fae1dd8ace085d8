//! A direct chat with the bot looks into the rooms its person is a member
//! of, and into no other.

use chrono::{DateTime, TimeZone, Utc};

use super::*;

const BOT: &str = "@bot:gemeente.nl";
const ROOM_A: &str = "!a:gemeente.nl";
const ROOM_B: &str = "!b:gemeente.nl";
const CHAIR_A: &str = "@els:gemeente.nl";
const COMMS_A: &str = "@carla:gemeente.nl";
const SPOKES_A: &str = "@willem:gemeente.nl";
const CHAIR_B: &str = "@bert:gemeente.nl";
const COMMS_B: &str = "@bea:gemeente.nl";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn members(users: &[&str]) -> Members {
    Members::new(users.iter().map(|u| (u.to_string(), None)))
}

fn say(engine: &Engine, room: &str, sender: &str, body: &str) -> String {
    let handled = engine
        .handle(&Incoming {
            room,
            sender,
            sender_is_moderator: false,
            body,
            event_id: None,
            now: now(),
        })
        .unwrap();
    match handled {
        Handled::Replies(items) => items.iter().map(|i| i.effect.plain()).collect(),
        other => panic!("{body}: {other:?}"),
    }
}

/// Room A and room B, each with an incident and one approved oneliner.
fn two_rooms(dir: &std::path::Path) -> Engine {
    let engine = Engine::new(Core::built_in(), Store::open(dir).unwrap());
    engine.set_members(ROOM_A, members(&[BOT, CHAIR_A, COMMS_A, SPOKES_A]));
    engine.set_members(ROOM_B, members(&[BOT, CHAIR_B, COMMS_B]));
    for (room, chair, comms, title) in [
        (ROOM_A, CHAIR_A, COMMS_A, "Onrust A"),
        (ROOM_B, CHAIR_B, COMMS_B, "Brand B"),
    ] {
        say(&engine, room, chair, &format!("!incident open {title}"));
        say(
            &engine,
            room,
            chair,
            &format!("!rol communicatieadviseur {comms}"),
        );
        say(
            &engine,
            room,
            chair,
            &format!("!oneliner voorstel Alleen voor {title}."),
        );
        say(&engine, room, comms, "!oneliner goedkeuren 1.1");
    }
    engine
}

#[test]
fn a_member_of_room_a_only_never_sees_room_bs_oneliners_in_a_direct_chat() {
    let dir = tempfile::tempdir().unwrap();
    let engine = two_rooms(dir.path());
    engine.set_members("!dm-willem:gemeente.nl", members(&[BOT, SPOKES_A]));
    let reply = say(&engine, "!dm-willem:gemeente.nl", SPOKES_A, "!oneliners");
    assert!(
        reply.contains("📍 Onrust A") && reply.contains("Alleen voor Onrust A."),
        "{reply}"
    );
    assert!(!reply.contains("Brand B"), "{reply}");

    engine.set_members("!dm-bert:gemeente.nl", members(&[BOT, CHAIR_B]));
    let reply = say(&engine, "!dm-bert:gemeente.nl", CHAIR_B, "!oneliners");
    assert!(
        reply.contains("Alleen voor Brand B.") && !reply.contains("Onrust A"),
        "{reply}"
    );
}

#[test]
fn rooms_the_bot_left_or_whose_incident_closed_are_out_of_reach() {
    let dir = tempfile::tempdir().unwrap();
    let engine = two_rooms(dir.path());
    engine.set_members(ROOM_B, members(&[BOT, CHAIR_B, COMMS_B, SPOKES_A]));
    engine.set_members("!dm:gemeente.nl", members(&[BOT, SPOKES_A]));
    let reply = say(&engine, "!dm:gemeente.nl", SPOKES_A, "!oneliners");
    assert!(
        reply.contains("Onrust A") && reply.contains("Brand B"),
        "{reply}"
    );
    engine.forget_members(ROOM_A);
    say(
        &engine,
        ROOM_B,
        CHAIR_B,
        &format!("!incident sluit mondeling:ja evaluatie:{CHAIR_B}"),
    );
    say(&engine, ROOM_B, CHAIR_B, "!incident sluit bevestig");
    let reply = say(&engine, "!dm:gemeente.nl", SPOKES_A, "!oneliners");
    assert!(
        reply.contains("geen ruimte met een lopend incident"),
        "{reply}"
    );
}

#[test]
fn a_room_of_two_with_its_own_incident_is_a_team_room_not_a_direct_chat() {
    let dir = tempfile::tempdir().unwrap();
    let engine = two_rooms(dir.path());
    engine.set_members("!klein:gemeente.nl", members(&[BOT, COMMS_A]));
    say(
        &engine,
        "!klein:gemeente.nl",
        COMMS_A,
        "!incident open Klein",
    );
    let reply = say(&engine, "!klein:gemeente.nl", COMMS_A, "!oneliners");
    assert!(
        reply.starts_with("Goedgekeurde oneliners: nog geen."),
        "{reply}"
    );
}
