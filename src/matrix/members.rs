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

/// Reads the room's joined members from the SDK's store into the engine.
pub async fn refresh(engine: &Engine, room: &Room) -> anyhow::Result<()> {
    let joined = room.members_no_sync(RoomMemberships::JOIN).await?;
    let members = Members::new(joined.iter().map(|m| {
        (
            m.user_id().to_string(),
            m.display_name().map(str::to_string),
        )
    }));
    engine.set_members(room.room_id().as_str(), members);
    Ok(())
}
