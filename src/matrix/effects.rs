//! Room actions other than a plain new message: a message about a subject,
//! an answer to an event, an edit, a pin, an unpin and a reaction. Each is
//! sent with the outbox item's transaction id where Matrix has one; what it
//! became is reported back by the outbox (`Engine::delivered`). In an
//! encrypted room the SDK encrypts messages, edits and reactions alike.

use std::time::Duration;

use matrix_sdk::Room;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::message::ReplacementMetadata;
use matrix_sdk::ruma::events::room::pinned_events::RoomPinnedEventsEventContent;
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
use matrix_sdk::ruma::events::{MessageLikeEventContent, StateEventType};
use matrix_sdk::ruma::{EventId, OwnedEventId, OwnedTransactionId};

use super::message;
use super::outbox::{Done, Failure};
use crate::effect::{Effect, Subject};
use crate::engine::Engine;
use crate::store::OutboxItem;

/// How often an edit that waits for its message looks again.
const POST_POLL: Duration = Duration::from_millis(50);

pub(super) async fn carry_out(
    engine: &Engine,
    room: &Room,
    item: &OutboxItem,
) -> Result<Done, Failure> {
    let txn = OwnedTransactionId::from(item.txn_id.as_str());
    match &item.effect {
        Effect::Send(reply) | Effect::Post { reply, .. } => {
            send(room, message::message(reply), txn).await
        }
        Effect::Answer { to, reply } => send(room, message::answer(reply, parse(to)?), txn).await,
        Effect::Edit { about, reply } => {
            let original = posted(engine, about)?;
            let edit =
                message::notice(reply).make_replacement(ReplacementMetadata::new(original, None));
            send(room, edit, txn).await
        }
        Effect::Pin { about } => pin(room, posted(engine, about)?).await,
        Effect::Upload { .. } => unreachable!("the outbox uploads exports itself"),
        Effect::Unpin { about } => {
            let event_id = posted(engine, about)?;
            set_pinned(room, |pinned| pinned.retain(|e| *e != event_id)).await
        }
        Effect::React { to, key } => {
            let reaction = ReactionEventContent::new(Annotation::new(parse(to)?, key.clone()));
            send(room, reaction, txn).await
        }
    }
}

async fn send(
    room: &Room,
    content: impl MessageLikeEventContent,
    txn: OwnedTransactionId,
) -> Result<Done, Failure> {
    let sent = room.send(content).with_transaction_id(txn).await?;
    Ok(Done::Event(sent.response.event_id))
}

fn parse(event_id: &str) -> Result<OwnedEventId, Failure> {
    EventId::parse(event_id).map_err(|e| quiet(format!("{event_id}: {e}")))
}

/// A failure the room need not hear about (it was told, or it cannot matter):
/// recorded as undelivered, without a notice.
fn quiet(why: String) -> Failure {
    Failure::Permanent {
        why,
        in_room: false,
    }
}

/// Waits while the message `item` refers to (to edit, pin or unpin it) is
/// still in the outbox, queued in another lane (another member's replies).
pub(super) async fn wait_for_its_message(engine: &Engine, item: &OutboxItem) {
    let (Effect::Edit { about, .. } | Effect::Pin { about } | Effect::Unpin { about }) =
        &item.effect
    else {
        return;
    };
    while engine.post_pending(about, item.id).unwrap_or(false) {
        tokio::time::sleep(POST_POLL).await;
    }
}

/// The event of the message posted about `about`.
fn posted(engine: &Engine, about: &Subject) -> Result<OwnedEventId, Failure> {
    match engine.event_of(about) {
        Ok(Some(event_id)) => parse(&event_id),
        // The message itself was not delivered, and that was recorded.
        Ok(None) => Err(quiet(format!("no message about {about:?} was delivered"))),
        Err(e) => Err(quiet(e.to_string())),
    }
}

/// Pins `event_id`, unless the room's power levels do not let the bot:
/// then what it needs, so that the room can be told.
async fn pin(room: &Room, event_id: OwnedEventId) -> Result<Done, Failure> {
    let kind = StateEventType::RoomPinnedEvents;
    // Unknown power levels: try, and let the homeserver decide.
    if let (Ok(levels), Some(own)) = (room.power_levels().await, room.client().user_id())
        && !levels.user_can_send_state(own, kind.clone())
    {
        let has = match levels.for_user(own) {
            UserPowerLevel::Int(level) => i64::from(level),
            _ => i64::MAX,
        };
        return Ok(Done::NotPermitted {
            needed: i64::from(levels.for_state(kind)),
            has,
        });
    }
    set_pinned(room, |pinned| {
        if !pinned.contains(&event_id) {
            pinned.push(event_id);
        }
    })
    .await
}

/// Changes the room's pinned events as the bot's synced state has them (the
/// SDK's own `pin_event` asks the homeserver first when there are none yet,
/// and logs the 404 as an error); sends nothing when nothing changes.
async fn set_pinned(
    room: &Room,
    change: impl FnOnce(&mut Vec<OwnedEventId>),
) -> Result<Done, Failure> {
    let before = room.pinned_event_ids().unwrap_or_default();
    let mut pinned = before.clone();
    change(&mut pinned);
    if pinned != before {
        room.send_state_event(RoomPinnedEventsEventContent::new(pinned))
            .await?;
    }
    Ok(Done::Nothing)
}
