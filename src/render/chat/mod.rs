//! The room's view of what the core said: Dutch, phone-sized replies.
//!
//! One function per kind of [`Said`], grouped by area. Nothing here decides:
//! it only words what the view carries, looking up names in the draaiboek.

mod actions;
mod checklists;
mod export;
mod help;
mod incidents;
mod logbook;
mod oneliners;
mod phases;
mod reminders;
mod roles;

use chrono::{DateTime, Utc};

use crate::catalogue::Catalogue;
use crate::draaiboek::Draaiboek;
use crate::reply::Reply;
use crate::timeexpr::{format_clock, format_moment};
use crate::view::Said;

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
