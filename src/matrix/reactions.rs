//! Reactions (`m.reaction`) and redactions (`m.room.redaction`) from the
//! room, under the rules of commands: nothing from before the bot joined,
//! each event once (its id recorded with the change), and one notice instead
//! of the effect when it arrives after the catch-up window.

use chrono::{DateTime, Utc};
use matrix_sdk::Room;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::message::Relation;
use matrix_sdk::ruma::events::room::redaction::OriginalSyncRoomRedactionEvent;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
};
use matrix_sdk::ruma::{EventId, MilliSecondsSinceUnixEpoch, UserId, int};
use tokio::task::block_in_place;
use tracing::{debug, warn};

use super::{Bot, message};
use crate::core::RoomMessage;
use crate::engine::{Handled, Reacted, Redacted};
use crate::reply::Reply;
use crate::store::seen;

/// What the room's rules say about an event that may do something.
struct Admitted {
    moderator: bool,
    /// The sender's time, never ahead of the clock.
    now: DateTime<Utc>,
    too_late: Option<Reply>,
}

impl Bot {
    pub(super) async fn on_reaction(
        &self,
        room: &Room,
        ev: &OriginalSyncReactionEvent,
    ) -> anyhow::Result<()> {
        let key = ev.content.relates_to.key.as_str();
        let target = &ev.content.relates_to.event_id;
        let what = format!("reactie {key}");
        let Some(admitted) = self
            .admit(room, &ev.sender, ev.origin_server_ts, &what)
            .await?
        else {
            return Ok(());
        };
        let message = match self.engine.core().wants_message(key) {
            true => read(room, target).await,
            false => None,
        };
        let handled = block_in_place(|| {
            self.engine.react(&Reacted {
                room: room.room_id().as_str(),
                sender: ev.sender.as_str(),
                sender_is_moderator: admitted.moderator,
                event_id: ev.event_id.as_str(),
                key,
                target: target.as_str(),
                message,
                now: admitted.now,
                too_late: admitted.too_late,
            })
        })?;
        self.send_handled(handled);
        Ok(())
    }

    pub(super) async fn on_redaction(
        &self,
        room: &Room,
        ev: &OriginalSyncRoomRedactionEvent,
    ) -> anyhow::Result<()> {
        // Room version 11 moved `redacts` into the content.
        let Some(redacts) = ev.content.redacts.as_ref().or(ev.redacts.as_ref()) else {
            return Ok(());
        };
        let what = "het weghalen van een reactie";
        let Some(admitted) = self
            .admit(room, &ev.sender, ev.origin_server_ts, what)
            .await?
        else {
            return Ok(());
        };
        let handled = block_in_place(|| {
            self.engine.unreact(&Redacted {
                room: room.room_id().as_str(),
                sender: ev.sender.as_str(),
                event_id: ev.event_id.as_str(),
                redacts: redacts.as_str(),
                now: admitted.now,
                too_late: admitted.too_late,
            })
        })?;
        self.send_handled(handled);
        Ok(())
    }

    /// `None` for an event from before the bot joined (never acted on).
    async fn admit(
        &self,
        room: &Room,
        sender: &UserId,
        ts: MilliSecondsSinceUnixEpoch,
        what: &str,
    ) -> anyhow::Result<Option<Admitted>> {
        let sent = message::to_datetime(ts);
        if seen::is_too_old(sent, Utc::now()) {
            return Ok(None);
        }
        let (joined, level) = tokio::join!(self.joined_at(room), room.get_user_power_level(sender));
        match joined? {
            Some(joined) if sent >= joined => {}
            _ => return Ok(None),
        }
        let now = Utc::now();
        let window = chrono::Duration::from_std(self.config.catch_up)?;
        let too_late = (now - sent > window)
            .then(|| message::too_late(what, sender.as_str(), sent, window, now));
        Ok(Some(Admitted {
            moderator: level.is_ok_and(|level| level >= int!(50)),
            now: sent.min(now),
            too_late,
        }))
    }

    fn send_handled(&self, handled: Handled) {
        if let Handled::Replies(items) = handled {
            debug!(effects = items.len(), "reaction recorded");
            for item in items {
                self.outbox.push(item);
            }
        }
    }
}

/// The message `event_id` as the room shows it (decrypted; the new text if
/// it is an edit), or `None` if it cannot be read.
async fn read(room: &Room, event_id: &EventId) -> Option<RoomMessage> {
    let event = match room.event(event_id, None).await {
        Ok(event) => event,
        Err(e) => {
            warn!(event = %event_id, "cannot fetch a reacted-to message: {e}");
            return None;
        }
    };
    let Ok(AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
        SyncMessageLikeEvent::Original(msg),
    ))) = event.raw().deserialize()
    else {
        return None;
    };
    let text = match &msg.content.relates_to {
        Some(Relation::Replacement(edit)) => edit.new_content.msgtype.body(),
        _ => msg.content.msgtype.body(),
    };
    Some(RoomMessage {
        sender: msg.sender.to_string(),
        sent_at: message::to_datetime(msg.origin_server_ts),
        text: text.to_string(),
    })
}
