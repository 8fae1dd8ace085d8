//! Turning what the core said into text: `chat` for the room.

pub mod chat;
