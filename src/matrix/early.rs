//! Commands handled straight from the raw `/sync` response, before the SDK
//! has stored it. Storing a response (state and crypto stores, each an SQLite
//! commit) took about 3.5 ms of every command's round trip; the reply needs
//! none of it when the room's state stays as it was.
//!
//! Only a prefix of a room's timeline goes early, and only when nothing in
//! the response changes the room's state (members, power levels, the bot's
//! own join): the checks a command needs then read the same store they would
//! read afterwards. An encrypted event goes early when its room key is known
//! already; the first one it cannot decrypt ends the prefix, since its key
//! may come in this very response. Everything else, and every event after
//! the prefix, is handled after the SDK stored the response, as before; the
//! events handled early are skipped there (and the engine's record of
//! handled event ids would refuse them anyway).

use std::collections::HashSet;
use std::sync::Arc;

use matrix_sdk::Room;
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::api::client::sync::sync_events::v3::{JoinedRoom, Response, State};
use matrix_sdk::ruma::events::AnySyncTimelineEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use tracing::{debug, warn};

use super::Bot;

/// The event types the adapter acts on (`Bot::on_event`); other events in
/// the prefix are passed over.
const ACTED_ON: [&str; 3] = ["m.room.message", "m.reaction", "m.room.redaction"];
const ENCRYPTED: &str = "m.room.encrypted";

/// The timeline events of `room` that may be handled before the response is
/// stored: all of them, unless the response changes the room's state or its
/// timeline has a gap (which is paginated first), in which case none.
pub(super) fn early_timeline(room: &JoinedRoom) -> &[Raw<AnySyncTimelineEvent>] {
    let state_changed = match &room.state {
        State::Before(events) | State::After(events) => !events.events.is_empty(),
        // A kind of state section this build does not know: assume the worst.
        _ => true,
    };
    let timeline = &room.timeline;
    let state_in_timeline = timeline.events.iter().any(|event| {
        event
            .get_field::<String>("state_key")
            .ok()
            .flatten()
            .is_some()
    });
    if timeline.limited || state_changed || state_in_timeline {
        return &[];
    }
    &timeline.events
}

/// What to do with one event of an early prefix.
#[derive(Debug, PartialEq)]
enum Step {
    /// Handle it now.
    Handle,
    /// Decrypt it first, then handle it.
    Decrypt,
    /// Nothing to do (the bot's own message, an event it does not act on).
    Pass,
}

fn step(event: &Raw<AnySyncTimelineEvent>, own: &OwnedUserId) -> Step {
    let sender = event.get_field::<OwnedUserId>("sender").ok().flatten();
    if sender.as_ref() == Some(own) {
        return Step::Pass;
    }
    match event.get_field::<String>("type").ok().flatten().as_deref() {
        Some(ENCRYPTED) => Step::Decrypt,
        Some(kind) if ACTED_ON.contains(&kind) => Step::Handle,
        _ => Step::Pass,
    }
}

impl Bot {
    /// Handles what may go early in every joined room the bot knows, and
    /// returns the ids of the events it dealt with.
    pub(super) async fn handle_early(
        self: &Arc<Self>,
        response: &Response,
    ) -> HashSet<OwnedEventId> {
        let mut done = HashSet::new();
        for (room_id, update) in &response.rooms.join {
            let Some(room) = self.client.get_room(room_id) else {
                continue;
            };
            if !self.engine.knows_members(room_id.as_str()) {
                continue;
            }
            for raw in early_timeline(update) {
                let Some(id) = raw.get_field::<OwnedEventId>("event_id").ok().flatten() else {
                    break;
                };
                let event = match step(raw, &self.own) {
                    Step::Pass => {
                        done.insert(id);
                        continue;
                    }
                    Step::Handle => TimelineEvent::from_plaintext(raw.clone()),
                    Step::Decrypt => match decrypted(&room, raw).await {
                        Some(event) => event,
                        None => break,
                    },
                };
                if let Err(e) = self.on_event(&room, &event).await {
                    // Left to the handling after the store, which retries.
                    warn!(room = %room_id, event = %id, "handling an event early failed: {e:#}");
                    break;
                }
                done.insert(id);
            }
        }
        if !done.is_empty() {
            debug!(
                events = done.len(),
                "handled before the response was stored"
            );
        }
        done
    }
}

/// The event decrypted, or `None` while its room key is not known.
async fn decrypted(room: &Room, raw: &Raw<AnySyncTimelineEvent>) -> Option<TimelineEvent> {
    let event = room
        .decrypt_event(raw.cast_ref_unchecked(), None)
        .await
        .ok()?;
    (!event.kind.is_utd()).then_some(event)
}

#[cfg(test)]
mod tests {
    use matrix_sdk::ruma::{owned_user_id, serde::Raw};
    use serde_json::{Value, json};

    use super::*;

    fn event(kind: &str, sender: &str, state_key: Option<&str>) -> Value {
        let mut event = json!({
            "type": kind,
            "sender": sender,
            "event_id": "$e",
            "origin_server_ts": 1,
            "content": {},
        });
        if let Some(key) = state_key {
            event["state_key"] = json!(key);
        }
        event
    }

    fn room(timeline: Vec<Value>, limited: bool, state_after: Vec<Value>) -> JoinedRoom {
        serde_json::from_value(json!({
            "timeline": { "events": timeline, "limited": limited },
            "state_after": { "events": state_after },
        }))
        .unwrap()
    }

    fn message(sender: &str) -> Value {
        event("m.room.message", sender, None)
    }

    #[test]
    fn a_room_whose_state_stays_the_same_goes_early_whole() {
        let update = room(vec![message("@a:x"), message("@b:x")], false, vec![]);
        assert_eq!(early_timeline(&update).len(), 2);
    }

    #[test]
    fn a_member_change_in_the_response_keeps_the_whole_room_for_after_the_store() {
        let join = event("m.room.member", "@c:x", Some("@c:x"));
        let update = room(vec![message("@a:x")], false, vec![join]);
        assert!(early_timeline(&update).is_empty());
    }

    #[test]
    fn a_state_event_in_the_timeline_keeps_the_whole_room_for_after_the_store() {
        let levels = event("m.room.power_levels", "@a:x", Some(""));
        let update = room(vec![message("@a:x"), levels], false, vec![]);
        assert!(early_timeline(&update).is_empty());
    }

    #[test]
    fn a_timeline_with_a_gap_is_not_handled_early() {
        let update = room(vec![message("@a:x")], true, vec![]);
        assert!(early_timeline(&update).is_empty());
    }

    #[test]
    fn the_bots_own_messages_and_other_events_are_passed_over() {
        let own = owned_user_id!("@bot:x");
        let raw = |value: Value| Raw::new(&value).unwrap().cast_unchecked();
        assert_eq!(step(&raw(message("@bot:x")), &own), Step::Pass);
        assert_eq!(
            step(&raw(event("m.sticker", "@a:x", None)), &own),
            Step::Pass
        );
        assert_eq!(step(&raw(message("@a:x")), &own), Step::Handle);
        assert_eq!(
            step(&raw(event("m.reaction", "@a:x", None)), &own),
            Step::Handle
        );
        assert_eq!(
            step(&raw(event(ENCRYPTED, "@a:x", None)), &own),
            Step::Decrypt
        );
    }
}
