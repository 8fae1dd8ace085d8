//! Who is in a room and what they are called there, as the adapter last saw
//! it (the console makes do with what it is told). Plain data: the core reads
//! it to show names instead of IDs and to find the person a command names.

use std::collections::BTreeMap;

use crate::model::UserId;
use crate::render::chat::Names;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Members {
    /// Joined members and their display names (if they set one).
    names: BTreeMap<UserId, Option<String>>,
    /// The full membership of the room (from the homeserver), not just the
    /// people someone told us about (the console).
    complete: bool,
}

/// Who a word (or a run of words) in a command stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One(UserId),
    /// Several members answer to it: the command must be more precise.
    Several(Vec<UserId>),
    Nobody,
}

impl Members {
    /// The room's whole membership, as the homeserver reports it.
    pub fn new(members: impl IntoIterator<Item = (UserId, Option<String>)>) -> Members {
        Members {
            names: members.into_iter().collect(),
            complete: true,
        }
    }

    pub fn join(&mut self, user: &str, name: Option<String>) {
        self.names.insert(user.to_string(), name);
    }

    pub fn leave(&mut self, user: &str) {
        self.names.remove(user);
    }

    /// Whether this is the room's whole membership, so that someone not in
    /// it is really not in the room (not so in the console).
    pub fn known(&self) -> bool {
        self.complete
    }

    pub fn contains(&self, user: &str) -> bool {
        self.names.contains_key(user)
    }

    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Members whose localpart is `local` (`jan` for `@jan:gemeente.nl`).
    pub fn by_localpart(&self, local: &str) -> Found {
        self.find(|user, _| localpart(user) == local)
    }

    /// Members whose display name or localpart is `words`, ignoring case.
    pub fn by_name(&self, words: &str) -> Found {
        let wanted = words.to_lowercase();
        self.find(|user, name| {
            name.is_some_and(|n| n.to_lowercase() == wanted)
                || localpart(user).to_lowercase() == wanted
        })
    }

    fn find(&self, matches: impl Fn(&str, Option<&str>) -> bool) -> Found {
        let mut found: Vec<UserId> = self
            .names
            .iter()
            .filter(|(user, name)| matches(user, name.as_deref()))
            .map(|(user, _)| user.clone())
            .collect();
        match found.len() {
            0 => Found::Nobody,
            1 => Found::One(found.remove(0)),
            _ => Found::Several(found),
        }
    }
}

impl Names for Members {
    /// The display name; the full ID when the room never told us one.
    fn name(&self, user: &str) -> String {
        match self.names.get(user) {
            Some(Some(name)) if !name.trim().is_empty() => name.clone(),
            _ => user.to_string(),
        }
    }
}

/// `jan` for `@jan:gemeente.nl`.
pub fn localpart(user: &str) -> &str {
    let id = user.strip_prefix('@').unwrap_or(user);
    id.split_once(':').map_or(id, |(local, _)| local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> Members {
        Members::new([
            (
                "@jan:gemeente.nl".to_string(),
                Some("Jan de Vries".to_string()),
            ),
            (
                "@jan:politie.nl".to_string(),
                Some("Jan Bakker".to_string()),
            ),
            ("@anna:gemeente.nl".to_string(), None),
        ])
    }

    #[test]
    fn people_are_shown_by_display_name_or_else_by_id() {
        let m = room();
        assert_eq!(m.name("@jan:gemeente.nl"), "Jan de Vries");
        assert_eq!(m.name("@anna:gemeente.nl"), "@anna:gemeente.nl");
        assert_eq!(m.name("@onbekend:x.nl"), "@onbekend:x.nl");
    }

    #[test]
    fn a_name_or_localpart_finds_one_member_or_says_it_is_ambiguous() {
        let m = room();
        assert_eq!(
            m.by_name("jan de vries"),
            Found::One("@jan:gemeente.nl".into())
        );
        assert_eq!(m.by_name("anna"), Found::One("@anna:gemeente.nl".into()));
        assert!(matches!(m.by_localpart("jan"), Found::Several(v) if v.len() == 2));
        assert_eq!(m.by_name("piet"), Found::Nobody);
    }
}
