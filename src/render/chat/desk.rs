//! Wording the communication desk's areas share: channel and doelgroep
//! names, lengths against a channel's limit, texts as copyable lines, and
//! who is told.

use super::Chat;
use crate::model::UserId;
use crate::reply::Reply;

impl Chat<'_> {
    pub(super) fn channel_name(&self, id: &str) -> String {
        self.book
            .channel(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    /// A doelgroep by the draaiboek's name, or the team's own word.
    pub(super) fn audience_name(&self, id: &str) -> String {
        self.book
            .audience(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    /// "85 tekens", or "312 tekens ⚠️ te lang voor Sociale media (max 280)".
    pub(super) fn length(&self, channel: &str, text: &str) -> String {
        let n = text.chars().count();
        match self.book.channel(channel).and_then(|c| c.max_chars) {
            Some(max) if n > max as usize => format!(
                "{n} tekens ⚠️ te lang voor {} (max {max})",
                self.channel_name(channel)
            ),
            _ => format!("{n} tekens"),
        }
    }

    /// "Willem en Carla", each mentioned so their phones notify.
    pub(super) fn mention_all(&self, r: &mut Reply, users: &[UserId]) {
        for (i, user) in users.iter().enumerate() {
            if i > 0 {
                r.text(if i + 1 == users.len() { " en " } else { ", " });
            }
            self.mention(r, user);
        }
    }
}

/// A text as it must be copied: each of its lines a line of the reply.
pub(super) fn text_lines(r: &mut Reply, text: &str) {
    for line in text.lines() {
        r.newline().text(line);
    }
}

/// Continues the current line with `text`'s first line; its other lines
/// follow as lines of their own.
pub(super) fn append_lines(r: &mut Reply, text: &str) {
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            r.newline();
        }
        r.text(line);
    }
}

/// The heading of one incident's part of a direct chat's answer.
pub(super) fn incident_heading(r: &mut Reply, title: &str) {
    if !r.is_empty() {
        r.newline();
    }
    r.text("📍 ").bold(title);
}

/// Said in a direct chat when the sender is in no room with an incident.
pub(super) const NOWHERE: &str =
    "Je zit in geen ruimte met een lopend incident; hier is niets te tonen.";
