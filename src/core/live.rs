//! What every outcome gets at the end, in one place: the living sitrap
//! (posted and pinned when an incident opens, edited when the situation
//! changes, at most every [`EDIT_EVERY`], unpinned at the close) and the
//! 🧪 OEFENING mark on every message of an exercise.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::{Core, Outcome, logbook, reminders};
use crate::effect::{Effect, Subject};
use crate::model::{Incident, LiveSitrap};
use crate::render::chat::Names;
use crate::reply::{Line, Reply, escape};
use crate::view::LogSaid;

/// The living sitrap is edited at most this often; later changes wait on
/// the agenda (`Planned::SitrapRefresh`).
pub const EDIT_EVERY: Duration = Duration::seconds(10);

/// The first line of every message about an exercise.
pub const EXERCISE_MARK: &str = "🧪 OEFENING";

impl Core {
    /// Adds the room effects that follow from the change `before` →
    /// `outcome.incident` and marks an exercise's messages.
    pub(super) fn with_room_effects(
        &self,
        before: Option<&Incident>,
        mut outcome: Outcome,
        now: DateTime<Utc>,
        names: &dyn Names,
    ) -> Outcome {
        if let Some(incident) = outcome.incident.as_mut() {
            let effects = self.live_sitrap(before, incident, now, names);
            outcome.effects.extend(effects);
            outcome.next_due = reminders::next_due(&self.draaiboek, incident);
        }
        let exercise = outcome.incident.as_ref().or(before);
        if exercise.is_some_and(|i| i.exercise) {
            for effect in &mut outcome.effects {
                mark_exercise(effect);
            }
        }
        outcome
    }

    /// Posts and pins the sitrap of a new incident; edits it when what it
    /// shows changed (now, or once [`EDIT_EVERY`] has passed since the last
    /// edit); unpins it when the incident closes.
    fn live_sitrap(
        &self,
        before: Option<&Incident>,
        incident: &mut Incident,
        now: DateTime<Utc>,
        names: &dyn Names,
    ) -> Vec<Effect> {
        let about = Subject::Sitrap {
            incident: incident.id,
        };
        let opened = before.is_none() && incident.closed.is_none();
        if incident.live_sitrap.shown.is_none() && !opened {
            // Opened before the bot kept a living sitrap: nothing to edit.
            return Vec::new();
        }
        let reply = self.sitrap_text(incident, now, names);
        let shown = fingerprint(&reply);
        let live = &mut incident.live_sitrap;
        if live.shown.is_none() {
            *live = LiveSitrap {
                shown: Some(shown),
                shown_at: Some(now),
                stale_since: None,
            };
            let pin = Effect::Pin {
                about: about.clone(),
            };
            return vec![Effect::Post { reply, about }, pin];
        }
        let mut effects = Vec::new();
        if live.shown.as_ref() == Some(&shown) {
            live.stale_since = None;
        } else if live.shown_at.is_none_or(|at| at + EDIT_EVERY <= now) {
            *live = LiveSitrap {
                shown: Some(shown),
                shown_at: Some(now),
                stale_since: None,
            };
            effects.push(Effect::Edit {
                about: about.clone(),
                reply,
            });
        } else {
            live.stale_since.get_or_insert(now);
        }
        if incident.closed.is_some() && before.is_some_and(|b| b.closed.is_none()) {
            effects.push(Effect::Unpin { about });
        }
        effects
    }

    fn sitrap_text(&self, incident: &Incident, now: DateTime<Utc>, names: &dyn Names) -> Reply {
        let sitrap = logbook::sitrap(&self.draaiboek, incident, now);
        self.chat(names, now)
            .render(&LogSaid::Sitrap(Box::new(sitrap)).into())
    }
}

/// When the living sitrap must be brought up to date, if it is behind.
pub fn refresh_at(incident: &Incident) -> Option<DateTime<Utc>> {
    let live = &incident.live_sitrap;
    let stale = live.stale_since?;
    Some(live.shown_at.map_or(stale, |at| stale.max(at + EDIT_EVERY)))
}

fn fingerprint(reply: &Reply) -> String {
    let mut hash = Sha256::new();
    hash.update(reply.plain());
    hash.update([0]);
    hash.update(reply.html());
    hex::encode(&hash.finalize()[..16])
}

/// Puts [`EXERCISE_MARK`] on top of the text an effect shows. The core marks
/// every outcome of an exercise with it; the store its logboek anchors.
pub fn mark_exercise(effect: &mut Effect) {
    let reply = match effect {
        Effect::Send(reply)
        | Effect::Post { reply, .. }
        | Effect::Answer { reply, .. }
        | Effect::Edit { reply, .. } => reply,
        Effect::Pin { .. }
        | Effect::Unpin { .. }
        | Effect::React { .. }
        | Effect::Upload { .. } => return,
    };
    let mut lines = vec![Line {
        plain: EXERCISE_MARK.to_string(),
        html: format!("<b>{}</b>", escape(EXERCISE_MARK)),
    }];
    lines.extend(reply.lines().iter().cloned());
    *reply = Reply::from_lines(lines, std::mem::take(&mut reply.mentions));
}

impl Core {
    /// The bot may not pin the living sitrap of `incident` (told once, when
    /// pinning failed); it goes on editing it.
    pub fn sitrap_not_pinned(
        &self,
        incident: &Incident,
        needed: i64,
        has: i64,
        now: DateTime<Utc>,
        names: &dyn Names,
    ) -> Outcome {
        let said = crate::view::IncidentSaid::SitrapNotPinned { needed, has };
        let reply = self.chat(names, now).render(&said.into());
        self.with_room_effects(Some(incident), Outcome::reply(reply), now, names)
    }
}
