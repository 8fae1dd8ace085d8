//! Keeps the engine's directory of each room's members (IDs and display
//! names) in step with the homeserver, so replies name people and commands
//! may name them.

use matrix_sdk::sync::{JoinedRoomUpdate, State};
use matrix_sdk::{Room, RoomMemberships};

use crate::engine::Engine;
use crate::people::Members;

/// Whether an update may change who is in the room or what they are called.
pub fn changed(update: &JoinedRoomUpdate) -> bool {
    let state = match &update.state {
        State::Before(events) | State::After(events) => events,
    };
    let member = |kind: Option<String>| kind.as_deref() == Some("m.room.member");
    state
        .iter()
        .any(|raw| member(raw.get_field("type").ok().flatten()))
        || update
            .timeline
            .events
            .iter()
            .any(|event| member(event.raw().get_field("type").ok().flatten()))
}

/// Every joined room's members, once at start: a direct chat looks into
/// rooms that may be quiet since the bot's last run.
pub async fn refresh_all(engine: &Engine, client: &matrix_sdk::Client) -> anyhow::Result<()> {
    for room in client.joined_rooms() {
        if !engine.knows_members(room.room_id().as_str()) {
            refresh(engine, &room).await?;
        }
    }
    Ok(())
}

/// Reads the room's joined members into the engine: from the SDK's store,
/// after asking the homeserver once per room for the whole list (a sync
/// alone may leave members out, and a direct chat is known by its size).
pub async fn refresh(engine: &Engine, room: &Room) -> anyhow::Result<()> {
    let joined = room.members(RoomMemberships::JOIN).await?;
    let members = Members::new(joined.iter().map(|m| {
        (
            m.user_id().to_string(),
            m.display_name().map(str::to_string),
        )
    }));
    engine.set_members(room.room_id().as_str(), members);
    Ok(())
}
