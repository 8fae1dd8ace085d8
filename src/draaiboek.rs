//! Domain content as data: phases, roles, scenarios, checklists and cadences.
//!
//! The built-in default (`data/draaiboek.toml`) is taken from the Handreiking
//! Aanpak Maatschappelijke Onrust; a team may replace any section with its own
//! file named in the config.

use serde::Deserialize;

const BUILT_IN: &str = include_str!("../data/draaiboek.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draaiboek {
    pub phases: Vec<Phase>,
    pub roles: Vec<Role>,
    pub scenarios: Vec<Scenario>,
    pub checklists: Vec<Checklist>,
    pub cadence: Cadence,
}

/// One of the five phases of Handreiking §1.3.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Command word, e.g. `dreiging`.
    pub id: String,
    /// 1..=5, the order of §1.3.
    pub number: u8,
    /// Display name, e.g. `Dreigende maatschappelijke onrust`.
    pub name: String,
    /// Other accepted words, e.g. `["dreigend", "dreigende-onrust"]`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the phase means, one or two sentences for a phone screen.
    pub meaning: String,
    /// Checklist ids (see `checklists`) that matter in this phase, in order.
    pub checklists: Vec<String>,
    /// How often the public must hear from the team; `None` = no cadence.
    #[serde(default)]
    pub update_every_minutes: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Command word, one token, e.g. `woordvoerder`, `contactpersoon-instellingen`.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Key roles are named when unfilled.
    #[serde(default)]
    pub key: bool,
    /// Partner seat (gemeente, politie, OM, GGD) rather than a function.
    #[serde(default)]
    pub seat: bool,
    /// One line: what this role is for.
    pub summary: String,
    pub tasks: Vec<String>,
}

/// A scenario of Bijlage 2.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    pub partners: Vec<String>,
    pub dilemmas: Vec<String>,
    pub tips: Vec<String>,
}

/// A checklist of Bijlage 5 (one step) or the communication checklist of Bijlage 4.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub name: String,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Short, stable, typeable id, e.g. `B1`, `O3`, `C12`.
    pub id: String,
    pub text: String,
}

/// Reminder timings, in minutes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// The first public update after an incident opens is due within this.
    pub first_update_minutes: u32,
    pub deadline_warning_minutes: u32,
    pub overdue_digest_minutes: u32,
    pub checklist_nudge_minutes: u32,
    pub unfilled_roles_after_minutes: u32,
}

/// A team's own file: every section it names replaces the built-in one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    phases: Option<Vec<Phase>>,
    roles: Option<Vec<Role>>,
    scenarios: Option<Vec<Scenario>>,
    checklists: Option<Vec<Checklist>>,
    cadence: Option<CadenceOverrides>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceOverrides {
    first_update_minutes: Option<u32>,
    deadline_warning_minutes: Option<u32>,
    overdue_digest_minutes: Option<u32>,
    checklist_nudge_minutes: Option<u32>,
    unfilled_roles_after_minutes: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum DraaiboekError {
    #[error("draaiboek: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("draaiboek: {0}")]
    Invalid(String),
}

/// Roles the bot itself relies on; a team file may rename them but not drop them.
pub const CHAIR: &str = "voorzitter";
pub const COMMS_ADVISER: &str = "communicatieadviseur";
pub const SPOKESPERSON: &str = "woordvoerder";
/// Keeps the record; may export it (`!export`) like the chair.
pub const NOTE_TAKER: &str = "notulist";

impl Draaiboek {
    pub fn built_in() -> Draaiboek {
        Self::parse(BUILT_IN, None).expect("the built-in draaiboek is checked by tests")
    }

    /// The built-in draaiboek with a team's overrides applied.
    pub fn parse(base: &str, overrides: Option<&str>) -> Result<Draaiboek, DraaiboekError> {
        let mut book: Draaiboek = toml::from_str(base)?;
        if let Some(text) = overrides {
            let o: Overrides = toml::from_str(text)?;
            if let Some(v) = o.phases {
                book.phases = v;
            }
            if let Some(v) = o.roles {
                book.roles = v;
            }
            if let Some(v) = o.scenarios {
                book.scenarios = v;
            }
            if let Some(v) = o.checklists {
                book.checklists = v;
            }
            if let Some(c) = o.cadence {
                let d = &mut book.cadence;
                d.first_update_minutes = c.first_update_minutes.unwrap_or(d.first_update_minutes);
                d.deadline_warning_minutes = c
                    .deadline_warning_minutes
                    .unwrap_or(d.deadline_warning_minutes);
                d.overdue_digest_minutes =
                    c.overdue_digest_minutes.unwrap_or(d.overdue_digest_minutes);
                d.checklist_nudge_minutes = c
                    .checklist_nudge_minutes
                    .unwrap_or(d.checklist_nudge_minutes);
                d.unfilled_roles_after_minutes = c
                    .unfilled_roles_after_minutes
                    .unwrap_or(d.unfilled_roles_after_minutes);
            }
        }
        book.validate()?;
        Ok(book)
    }

    pub fn with_overrides(overrides: &str) -> Result<Draaiboek, DraaiboekError> {
        Self::parse(BUILT_IN, Some(overrides))
    }

    fn validate(&self) -> Result<(), DraaiboekError> {
        let bad = |s: String| Err(DraaiboekError::Invalid(s));
        if self.phases.is_empty() {
            return bad("at least one phase is needed".into());
        }
        let mut words = std::collections::HashSet::new();
        for p in &self.phases {
            for w in std::iter::once(&p.id).chain(&p.aliases) {
                if !words.insert(w.to_lowercase()) {
                    return bad(format!("phase word '{w}' is used twice"));
                }
            }
            for c in &p.checklists {
                if self.checklist(c).is_none() {
                    return bad(format!("phase '{}' names unknown checklist '{c}'", p.id));
                }
            }
        }
        for needed in [CHAIR, COMMS_ADVISER] {
            if self.role(needed).is_none() {
                return bad(format!("role '{needed}' is required"));
            }
        }
        let mut items = std::collections::HashSet::new();
        for c in &self.checklists {
            for i in &c.items {
                if !items.insert(i.id.to_lowercase()) {
                    return bad(format!("checklist item id '{}' is used twice", i.id));
                }
            }
        }
        Ok(())
    }

    /// By id, alias or number (`3`).
    pub fn phase(&self, word: &str) -> Option<&Phase> {
        let w = word.to_lowercase();
        self.phases.iter().find(|p| {
            p.id == w
                || p.aliases.iter().any(|a| a.to_lowercase() == w)
                || p.number.to_string() == w
        })
    }

    pub fn role(&self, word: &str) -> Option<&Role> {
        let w = word.to_lowercase();
        self.roles
            .iter()
            .find(|r| r.id == w || r.aliases.iter().any(|a| a.to_lowercase() == w))
    }

    pub fn scenario(&self, word: &str) -> Option<&Scenario> {
        let w = word.to_lowercase();
        self.scenarios
            .iter()
            .find(|s| s.id == w || s.aliases.iter().any(|a| a.to_lowercase() == w))
    }

    pub fn checklist(&self, word: &str) -> Option<&Checklist> {
        let w = word.to_lowercase();
        self.checklists.iter().find(|c| c.id == w)
    }

    pub fn checklist_item(&self, id: &str) -> Option<(&Checklist, &ChecklistItem)> {
        self.checklists.iter().find_map(|c| {
            c.items
                .iter()
                .find(|i| i.id.eq_ignore_ascii_case(id))
                .map(|i| (c, i))
        })
    }

    /// The phase a new incident starts in: "dreigende maatschappelijke onrust".
    pub fn opening_phase(&self) -> &Phase {
        self.phase("dreiging")
            .or_else(|| self.phases.iter().find(|p| p.number == 2))
            .unwrap_or(&self.phases[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_draaiboek_has_the_handreikings_five_phases_in_order() {
        let book = Draaiboek::built_in();
        let ids: Vec<_> = book
            .phases
            .iter()
            .map(|p| (p.number, p.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                (1, "rust"),
                (2, "dreiging"),
                (3, "onrust"),
                (4, "escalatie"),
                (5, "terugkeer")
            ]
        );
    }

    #[test]
    fn the_built_in_draaiboek_has_the_scenarios_of_bijlage_2() {
        let book = Draaiboek::built_in();
        for id in [
            "zeden",
            "evenement",
            "polarisatie",
            "schulden-geweld",
            "familiedrama",
            "media",
            "geweld",
            "wmo-misbruik",
            "overig",
        ] {
            let s = book.scenario(id).unwrap_or_else(|| panic!("scenario {id}"));
            assert!(!s.partners.is_empty() && !s.tips.is_empty(), "{id}");
        }
    }

    #[test]
    fn the_built_in_draaiboek_has_the_checklists_of_bijlage_4_and_5() {
        let book = Draaiboek::built_in();
        for id in [
            "beeldvorming",
            "oordeelsvorming",
            "besluitvorming",
            "uitvoering",
            "nazorg",
            "evaluatie",
            "verankering",
            "communicatie",
        ] {
            assert!(!book.checklist(id).unwrap().items.is_empty(), "{id}");
        }
    }

    #[test]
    fn the_built_in_draaiboek_has_the_kernteam_roles_and_partner_seats() {
        let book = Draaiboek::built_in();
        for id in [
            "voorzitter",
            "woordvoerder",
            "communicatieadviseur",
            "notulist",
            "omgevingsanalist",
            "publieksvoorlichter",
            "contactpersoon-instellingen",
            "nazorgcommunicatieadviseur",
            "procesleider-psh",
            "gemeente",
            "politie",
            "om",
            "ggd",
        ] {
            assert!(!book.role(id).unwrap().tasks.is_empty(), "{id}");
        }
    }

    #[test]
    fn a_team_file_replaces_only_the_sections_it_names() {
        let book = Draaiboek::with_overrides("[cadence]\nfirst_update_minutes = 45\n").unwrap();
        assert_eq!(book.cadence.first_update_minutes, 45);
        assert_eq!(book.cadence.checklist_nudge_minutes, 60);
        assert_eq!(book.phases.len(), 5);
    }

    #[test]
    fn a_team_file_that_breaks_a_reference_is_refused() {
        let err = Draaiboek::with_overrides(
            "[[phases]]\nid='rust'\nnumber=1\nname='Rust'\nmeaning='x'\nchecklists=['bestaat-niet']\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("bestaat-niet"), "{err}");
    }
}
