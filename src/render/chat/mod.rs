//! The room's view of what the core said: Dutch, phone-sized replies.
//!
//! One function per kind of [`Said`], grouped by area. Nothing here decides:
//! it only words what the view carries, looking up names in the draaiboek.

mod actions;
mod audiences;
mod checklists;
mod contacts;
mod desk;
mod diagnosis;
mod export;
mod help;
mod incidents;
mod logbook;
mod oneliners;
mod pager;
mod phases;
mod press;
mod qa;
mod reminders;
mod roles;
mod rumours;
mod scaling;
mod texts;
mod versions;

pub use pager::{SCREEN_CHARS, SCREEN_LINES};

use chrono::{DateTime, Utc};

use crate::catalogue::Catalogue;
use crate::draaiboek::Draaiboek;
use crate::reply::Reply;
use crate::timeexpr::{format_clock, format_moment};
use crate::view::Said;

/// "1 actie", "3 acties": the word that goes with a count (without it).
pub fn plural<'w>(n: usize, one: &'w str, many: &'w str) -> &'w str {
    if n == 1 { one } else { many }
}

/// A text cut to `max` characters with "…", for one-line overviews: its
/// line breaks become spaces.
pub fn short(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// How people are shown: the name their room knows them by.
pub trait Names {
    fn name(&self, user: &str) -> String;
}

/// Shows people by their Matrix ID (no directory at hand).
pub struct Ids;

impl Names for Ids {
    fn name(&self, user: &str) -> String {
        user.to_string()
    }
}

/// Everything a reply's wording depends on.
pub struct Chat<'a> {
    pub prefix: &'a str,
    pub book: &'a Draaiboek,
    pub catalogue: &'a Catalogue,
    pub names: &'a dyn Names,
    pub now: DateTime<Utc>,
}

impl Chat<'_> {
    pub fn render(&self, said: &Said) -> Reply {
        match said {
            Said::Incident(s) => incidents::render(self, s),
            Said::Phase(s) => phases::render(self, s),
            Said::Role(s) => roles::render(self, s),
            Said::Action(s) => actions::render(self, s),
            Said::Oneliner(s) => oneliners::render(self, s),
            Said::Checklist(s) => checklists::render(self, s),
            Said::Log(s) => logbook::render(self, s),
            Said::Reminder(s) => reminders::render(self, s),
            Said::Help(s) => help::render(self, s),
            Said::Export(s) => export::render(self, s),
            Said::Diagnosis(s) => diagnosis::render(self, s),
            Said::Scaling(s) => scaling::render(self, s),
            Said::Press(s) => press::render(self, s),
            Said::Text(s) => texts::render(self, s),
            Said::Rumour(s) => rumours::render(self, s),
            Said::Audience(s) => audiences::render(self, s),
            Said::Qa(s) => qa::render(self, s),
            Said::Contact(s) => contacts::render(self, s),
        }
    }

    /// A person who must notice: name, pill and notification.
    fn mention(&self, r: &mut Reply, user: &str) {
        r.mention(user, &self.names.name(user));
    }

    /// A person named in passing.
    fn name(&self, user: &str) -> String {
        self.names.name(user)
    }

    fn moment(&self, at: DateTime<Utc>) -> String {
        format_moment(at, self.now)
    }

    /// "14:05" today, otherwise "ma 30 nov 14:05" and the like.
    fn when(&self, at: DateTime<Utc>) -> String {
        use crate::timeexpr::ZONE;
        if at.with_timezone(&ZONE).date_naive() == self.now.with_timezone(&ZONE).date_naive() {
            format_clock(at)
        } else {
            self.moment(at)
        }
    }

    fn phase_name(&self, id: &str) -> String {
        self.book
            .phase(id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    fn role_name(&self, id: &str) -> String {
        self.book
            .role(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    /// "Woordvoerder, Notulist" for role ids.
    fn role_names(&self, ids: &[String]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.role_name(id)).collect();
        names.join(", ")
    }

    /// "GRIP 3" for an opschaling level id.
    fn level_name(&self, id: &str) -> String {
        self.book
            .scale_level(id)
            .map_or_else(|| id.to_string(), |l| l.name.clone())
    }

    fn list_name(&self, id: &str) -> String {
        self.book
            .checklist(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn item_text(&self, id: &str) -> String {
        self.book
            .checklist_item(id)
            .map_or_else(String::new, |(_, i)| i.text.clone())
    }
}
