//! Domain content as data: phases, roles, scenarios, checklists, cadences,
//! the §3.2 crisis diagnosis, opschaling levels, partners, audiences,
//! channels and (team data only) contacts.
//!
//! The built-in default (`data/draaiboek.toml`) is taken from the Handreiking
//! Aanpak Maatschappelijke Onrust; a team may replace any section with its own
//! file named in the config. `docs/draaiboek.md` lists sections, fields and
//! the checks made on load.

use std::collections::{HashMap, HashSet};

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
    /// Crisis diagnosis of §3.2; empty when a base file has none.
    #[serde(default)]
    pub diagnosis: Diagnosis,
    /// Opschaling levels of §2.3, lowest first: kernteam, gemeentelijk, GRIP 1..5, GRIP Rijk.
    #[serde(default)]
    pub scale_levels: Vec<ScaleLevel>,
    /// Texts about opschaling that hold for every level.
    #[serde(default)]
    pub scaling: Scaling,
    /// Organisations of Bijlage 2 and 3; scenarios name them in `partners_short`.
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// Doelgroepen for communication; scenarios name them in `audiences`.
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// Channels for outgoing texts; audiences name them in `channels`.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The team's contact list (Bijlage 1). Always team data: the built-in
    /// draaiboek has none.
    #[serde(default)]
    pub contacts: Vec<Contact>,
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
    /// A team agreement, not the Handreiking's (see `Cadence::label`).
    #[serde(default)]
    pub update_every_minutes: Option<u32>,
    /// Checklist ids whose `revisit` items come back in this phase: Bijlage 5
    /// is a cycle, so in onrust and escalatie beeldvorming is re-checked.
    #[serde(default)]
    pub revisit: Vec<String>,
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
    /// Carries rights in the bot (e.g. the voorzitter and the
    /// communicatieadviseur); such roles are given only by the voorzitter.
    #[serde(default)]
    pub rights: bool,
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
    /// The partners as Bijlage 2 describes them, one line each.
    pub partners: Vec<String>,
    /// The same partners by short name, for a phone screen; each names a
    /// `[[partners]]` entry by id, short name or alias (checked on load).
    #[serde(default)]
    pub partners_short: Vec<String>,
    /// Bijlage 2 "Mogelijk relevante kenmerken".
    #[serde(default)]
    pub features: Vec<String>,
    /// Bevoegdheden that matter here, e.g. art. 172 Gemeentewet.
    #[serde(default)]
    pub powers: Vec<String>,
    /// Default doelgroepen: `[[audiences]]` ids, most direct first (checked on load).
    #[serde(default)]
    pub audiences: Vec<String>,
    /// Bestuurlijke vraagstukken; the first `KEY_DILEMMAS` are the key ones.
    pub dilemmas: Vec<String>,
    pub tips: Vec<String>,
}

/// How many dilemmas at the head of `Scenario::dilemmas` are the key ones.
pub const KEY_DILEMMAS: usize = 3;

impl Scenario {
    /// The key dilemmas, to show first (or alone) on a phone.
    pub fn key_dilemmas(&self) -> &[String] {
        &self.dilemmas[..self.dilemmas.len().min(KEY_DILEMMAS)]
    }
}

/// A checklist of Bijlage 5 (one step) or the communication checklist of Bijlage 4.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub name: String,
    /// Shown right after an incident opens, for every scenario (`eerste-uur`).
    #[serde(default)]
    pub on_open: bool,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Short, stable, typeable id, e.g. `B1`, `O3`, `C12`.
    pub id: String,
    pub text: String,
    /// Worth re-checking when a phase names this checklist in `revisit`.
    #[serde(default)]
    pub revisit: bool,
}

/// Reminder timings, in minutes. They, and each phase's
/// `update_every_minutes`, are the team's agreements, not the Handreiking's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// How the bot labels these timings to the team: `teamafspraak`.
    #[serde(default = "default_cadence_label")]
    pub label: String,
    /// The first public update after an incident opens is due within this
    /// (the "gouden uur").
    pub first_update_minutes: u32,
    pub deadline_warning_minutes: u32,
    pub overdue_digest_minutes: u32,
    pub checklist_nudge_minutes: u32,
    pub unfilled_roles_after_minutes: u32,
}

/// An organisation the kernteam works with (Bijlage 3, Bijlage 2 "Partners").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Stable id, e.g. `veilig-thuis`.
    pub id: String,
    /// Full name, e.g. `Raad voor de Kinderbescherming`.
    pub name: String,
    /// Name for a phone screen, e.g. `RvdK`; what scenarios write in `partners_short`.
    pub short: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the organisation does or must do, one line each.
    pub responsibilities: Vec<String>,
}

/// Seed 000's tiers of doelgroepen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Direct betrokkenen.
    Primair,
    /// Sleutelpartners and professionals.
    Secundair,
    /// Brede samenleving, bestuur, media.
    Tertiair,
}

/// A doelgroep (Bijlage 4 "Formuleer doelgroepen").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Stable id, e.g. `buurt`.
    pub id: String,
    /// Display name, e.g. `Buurt en omwonenden`.
    pub name: String,
    pub tier: Tier,
    /// Inside the gemeente (bestuur, medewerkers, raad) rather than outside.
    #[serde(default)]
    pub internal: bool,
    /// Channel ids that usually reach them, best first; empty = in person.
    #[serde(default)]
    pub channels: Vec<String>,
    /// One line: who they are and how to approach them.
    #[serde(default)]
    pub note: String,
}

/// A channel for outgoing texts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Stable id: `website`, `social`, `persbericht`, `bewonersbrief`, `intranet`, `raadsinformatie`.
    pub id: String,
    pub name: String,
    /// Strictest length limit for a text on this channel; `None` = no limit.
    #[serde(default)]
    pub max_chars: Option<u32>,
    /// Advice on the channel, e.g. the platform limits and the year they were checked.
    #[serde(default)]
    pub note: String,
}

/// One line of the team's contact list (Bijlage 1 "Contactgegevens
/// ketenpartners"). Team data only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// E.g. `GGD Twente`.
    pub organisation: String,
    /// E.g. `Procesleider PSH`.
    pub function: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// E.g. `24/7` or `ma-vr 9-17, geen piketnummer`.
    #[serde(default)]
    pub availability: Option<String>,
}

/// One level of opschaling (§2.3–2.3.2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleLevel {
    /// Command word: `kernteam`, `gemeentelijk`, `grip1`..`grip5`, `grip-rijk`.
    pub id: String,
    /// Display name, e.g. `GRIP 3`.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What the level means and who leads, one or two sentences.
    pub meaning: String,
    /// A GRIP level: the crisis organisation takes over (see `Scaling::under_grip`).
    #[serde(default)]
    pub grip: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaling {
    /// Who decides on opschaling (§2.3).
    #[serde(default)]
    pub request: String,
    /// What changes under GRIP (§2.3.2): the crisis organisation takes over the
    /// kernteam's tasks; the checklists keep applying.
    #[serde(default)]
    pub under_grip: String,
}

/// The crisis diagnosis of §3.2 "Beoordeling signaal": questions in three
/// parts (A Aard, B Betrokkenen, C Context), each answered with its high-risk
/// or low-risk pole (or left open), and the six advices they lead to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// What the questions are for (§3.2, verbatim).
    #[serde(default)]
    pub intro: String,
    /// Column heading of the high pole: `Hoog/hoger risico`.
    #[serde(default)]
    pub high_label: String,
    /// Column heading of the low pole: `Laag/lager risico`.
    #[serde(default)]
    pub low_label: String,
    /// Sentence that introduces the advices (§3.2, verbatim).
    #[serde(default)]
    pub advice_to: String,
    /// "Many" in `AdviceWhen`: at least this percentage of a part's questions.
    #[serde(default = "default_many_percent")]
    pub many_percent: u8,
    /// "Few" in `AdviceWhen`: less than this percentage of a part's questions.
    #[serde(default = "default_few_percent")]
    pub few_percent: u8,
    /// In order A, B, C; `AdviceWhen` reads parts by these ids.
    #[serde(default)]
    pub parts: Vec<DiagnosisPart>,
    /// Numbered 1..=6 as in §3.2.
    #[serde(default)]
    pub advices: Vec<Advice>,
}

fn default_many_percent() -> u8 {
    50
}

fn default_few_percent() -> u8 {
    25
}

impl Default for Diagnosis {
    fn default() -> Diagnosis {
        Diagnosis {
            intro: String::new(),
            high_label: String::new(),
            low_label: String::new(),
            advice_to: String::new(),
            many_percent: default_many_percent(),
            few_percent: default_few_percent(),
            parts: Vec::new(),
            advices: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisPart {
    /// `A`, `B` or `C`.
    pub id: String,
    /// `Aard`, `Betrokkenen`, `Context`.
    pub name: String,
    /// The part's lead question, e.g. `Wat is uw inschatting van de betrokkenen?`.
    #[serde(default)]
    pub prompt: String,
    pub questions: Vec<Question>,
}

/// One question of §3.2 with its two poles, verbatim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Part letter and position: `A1`..`A33`, `B1`.., `C1`..
    pub id: String,
    pub text: String,
    /// The high(er)-risk answer, e.g. `Ja`.
    pub high: String,
    /// The low(er)-risk answer, e.g. `Nee`.
    pub low: String,
}

/// One of the six possible advices to the burgemeester / lokale driehoek.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// 1..=6, the order of §3.2.
    pub number: u8,
    /// A few words for a phone screen.
    #[serde(default)]
    pub short: String,
    /// The advice, verbatim.
    pub text: String,
    pub when: AdviceWhen,
}

/// When an advice fits, evaluated from the answers counted per part
/// ([`PartCounts`]). "Many" means at least `many_percent` of the part's
/// questions, "few" less than `few_percent`. Several conditions can hold at
/// once; the bot shows every advice whose condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdviceWhen {
    /// Many of all questions (A, B and C together) are still open.
    ManyUnknown,
    /// Not `many-unknown`, and few high answers in every part.
    FewHigh,
    /// Many high answers in A (Aard) and in C (Context).
    Acute,
    /// Many high answers in B (Betrokkenen): wide circle, help may be needed.
    ManyInvolved,
    /// Neither `many-unknown`, `few-high` nor `acute`: act to prevent unrest.
    Preventive,
    /// A third party passed the signal on. Not counted: the team says so.
    ThirdParty,
}

/// How one part of the diagnosis was answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartCounts {
    pub high: usize,
    pub low: usize,
    /// Not (yet) answered.
    pub unknown: usize,
}

impl PartCounts {
    fn total(&self) -> usize {
        self.high + self.low + self.unknown
    }

    /// `count` is at least `percent` of this part's questions.
    fn at_least(&self, count: usize, percent: u8) -> bool {
        self.total() > 0 && count * 100 >= self.total() * usize::from(percent)
    }
}

impl Diagnosis {
    pub fn question(&self, id: &str) -> Option<(&DiagnosisPart, &Question)> {
        self.parts.iter().find_map(|p| {
            p.questions
                .iter()
                .find(|q| q.id.eq_ignore_ascii_case(id))
                .map(|q| (p, q))
        })
    }

    /// The given counts of part `id`; a part not given is all unknown.
    fn counts_of(&self, id: &str, counts: &[(&str, PartCounts)]) -> PartCounts {
        if let Some((_, c)) = counts.iter().find(|(p, _)| p.eq_ignore_ascii_case(id)) {
            return *c;
        }
        let size = self
            .parts
            .iter()
            .find(|p| p.id == id)
            .map_or(0, |p| p.questions.len());
        PartCounts {
            unknown: size,
            ..PartCounts::default()
        }
    }

    /// The advices that fit the answers, in §3.2 order. `counts` holds one
    /// entry per part id (`A`, `B`, `C`); a missing part counts as all open.
    pub fn advise(&self, counts: &[(&str, PartCounts)], third_party: bool) -> Vec<&Advice> {
        let facts = Facts::new(self, counts, third_party);
        self.advices
            .iter()
            .filter(|a| facts.holds(a.when))
            .collect()
    }
}

/// The answers reduced to what the `AdviceWhen` conditions ask.
struct Facts {
    many_unknown: bool,
    few_high: bool,
    acute: bool,
    many_involved: bool,
    third_party: bool,
}

impl Facts {
    fn new(d: &Diagnosis, counts: &[(&str, PartCounts)], third_party: bool) -> Facts {
        let part = |id: &str| d.counts_of(id, counts);
        let all: Vec<PartCounts> = d.parts.iter().map(|p| part(&p.id)).collect();
        let sum = all.iter().fold(PartCounts::default(), |s, c| PartCounts {
            high: s.high + c.high,
            low: s.low + c.low,
            unknown: s.unknown + c.unknown,
        });
        let many_high = |id: &str| {
            let c = part(id);
            c.at_least(c.high, d.many_percent)
        };
        let many_unknown = sum.at_least(sum.unknown, d.many_percent);
        Facts {
            many_unknown,
            few_high: !many_unknown && all.iter().all(|c| !c.at_least(c.high, d.few_percent)),
            acute: many_high("A") && many_high("C"),
            many_involved: many_high("B"),
            third_party,
        }
    }

    fn holds(&self, when: AdviceWhen) -> bool {
        match when {
            AdviceWhen::ManyUnknown => self.many_unknown,
            AdviceWhen::FewHigh => self.few_high,
            AdviceWhen::Acute => self.acute,
            AdviceWhen::ManyInvolved => self.many_involved,
            AdviceWhen::Preventive => !(self.many_unknown || self.few_high || self.acute),
            AdviceWhen::ThirdParty => self.third_party,
        }
    }
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
    diagnosis: Option<Diagnosis>,
    scale_levels: Option<Vec<ScaleLevel>>,
    scaling: Option<Scaling>,
    partners: Option<Vec<Partner>>,
    audiences: Option<Vec<Audience>>,
    channels: Option<Vec<Channel>>,
    contacts: Option<Vec<Contact>>,
}

/// Puts `new` in `slot` when the team file gave it.
fn replace<T>(slot: &mut T, new: Option<T>) {
    if let Some(v) = new {
        *slot = v;
    }
}

impl Overrides {
    fn apply(self, book: &mut Draaiboek) {
        replace(&mut book.phases, self.phases);
        replace(&mut book.roles, self.roles);
        replace(&mut book.scenarios, self.scenarios);
        replace(&mut book.checklists, self.checklists);
        replace(&mut book.diagnosis, self.diagnosis);
        replace(&mut book.scale_levels, self.scale_levels);
        replace(&mut book.scaling, self.scaling);
        replace(&mut book.partners, self.partners);
        replace(&mut book.audiences, self.audiences);
        replace(&mut book.channels, self.channels);
        replace(&mut book.contacts, self.contacts);
        if let Some(c) = self.cadence {
            c.apply(&mut book.cadence);
        }
    }
}

fn default_cadence_label() -> String {
    "teamafspraak".to_string()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceOverrides {
    label: Option<String>,
    first_update_minutes: Option<u32>,
    deadline_warning_minutes: Option<u32>,
    overdue_digest_minutes: Option<u32>,
    checklist_nudge_minutes: Option<u32>,
    unfilled_roles_after_minutes: Option<u32>,
}

impl CadenceOverrides {
    fn apply(self, d: &mut Cadence) {
        replace(&mut d.label, self.label);
        replace(&mut d.first_update_minutes, self.first_update_minutes);
        replace(
            &mut d.deadline_warning_minutes,
            self.deadline_warning_minutes,
        );
        replace(&mut d.overdue_digest_minutes, self.overdue_digest_minutes);
        replace(&mut d.checklist_nudge_minutes, self.checklist_nudge_minutes);
        replace(
            &mut d.unfilled_roles_after_minutes,
            self.unfilled_roles_after_minutes,
        );
    }
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

fn invalid(message: impl Into<String>) -> DraaiboekError {
    DraaiboekError::Invalid(message.into())
}

/// The first word that occurs twice, case-insensitively.
fn first_repeat<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    words.into_iter().find(|w| !seen.insert(w.to_lowercase()))
}

/// Refuses the first id that occurs twice (case-insensitively) in `section`.
fn unique<'a>(section: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<(), DraaiboekError> {
    match first_repeat(ids) {
        Some(id) => Err(invalid(format!("{section}: id '{id}' is used twice"))),
        None => Ok(()),
    }
}

impl Draaiboek {
    pub fn built_in() -> Draaiboek {
        Self::parse(BUILT_IN, None).expect("the built-in draaiboek is checked by tests")
    }

    /// The built-in draaiboek with a team's overrides applied.
    pub fn parse(base: &str, overrides: Option<&str>) -> Result<Draaiboek, DraaiboekError> {
        let mut book: Draaiboek = toml::from_str(base)?;
        if let Some(text) = overrides {
            toml::from_str::<Overrides>(text)?.apply(&mut book);
        }
        book.validate()?;
        Ok(book)
    }

    pub fn with_overrides(overrides: &str) -> Result<Draaiboek, DraaiboekError> {
        Self::parse(BUILT_IN, Some(overrides))
    }

    fn validate(&self) -> Result<(), DraaiboekError> {
        self.check_unique_ids()?;
        self.check_phases()?;
        self.check_roles()?;
        self.check_cadence()?;
        self.check_diagnosis()?;
        self.check_communication()?;
        self.check_scenarios()
    }

    fn check_phases(&self) -> Result<(), DraaiboekError> {
        if self.phases.is_empty() {
            return Err(invalid("phases: at least one phase is needed"));
        }
        let words = self
            .phases
            .iter()
            .flat_map(|p| std::iter::once(&p.id).chain(&p.aliases));
        if let Some(w) = first_repeat(words.map(String::as_str)) {
            return Err(invalid(format!("phases: word '{w}' is used twice")));
        }
        self.check_phase_numbers()?;
        for p in &self.phases {
            if let Some(c) = p
                .checklists
                .iter()
                .chain(&p.revisit)
                .find(|c| self.checklist(c).is_none())
            {
                return Err(invalid(format!(
                    "phase '{}' names unknown checklist '{c}'",
                    p.id
                )));
            }
        }
        Ok(())
    }

    /// Numbers are required (serde), 1 or more and unique.
    fn check_phase_numbers(&self) -> Result<(), DraaiboekError> {
        let mut numbers = HashSet::new();
        for p in &self.phases {
            if p.number == 0 {
                return Err(invalid(format!(
                    "phase '{}': number must be 1 or more",
                    p.id
                )));
            }
            if !numbers.insert(p.number) {
                return Err(invalid(format!(
                    "phases: number {} is used twice",
                    p.number
                )));
            }
        }
        Ok(())
    }

    /// Role ids and aliases are one namespace: no word may point at two roles.
    fn check_roles(&self) -> Result<(), DraaiboekError> {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for r in &self.roles {
            for w in std::iter::once(&r.id).chain(&r.aliases) {
                if let Some(other) = owner.insert(w.to_lowercase(), &r.id) {
                    return Err(invalid(format!(
                        "role '{}': word '{w}' is already used by role '{other}'",
                        r.id
                    )));
                }
            }
        }
        for needed in [CHAIR, COMMS_ADVISER] {
            if self.role(needed).is_none() {
                return Err(invalid(format!("roles: role '{needed}' is required")));
            }
        }
        Ok(())
    }

    /// A cadence of 0 minutes would fire on every tick.
    fn check_cadence(&self) -> Result<(), DraaiboekError> {
        let c = &self.cadence;
        for (name, minutes) in [
            ("first_update_minutes", c.first_update_minutes),
            ("deadline_warning_minutes", c.deadline_warning_minutes),
            ("overdue_digest_minutes", c.overdue_digest_minutes),
            ("checklist_nudge_minutes", c.checklist_nudge_minutes),
            (
                "unfilled_roles_after_minutes",
                c.unfilled_roles_after_minutes,
            ),
        ] {
            if minutes == 0 {
                return Err(invalid(format!("cadence: {name} must be 1 or more")));
            }
        }
        for p in &self.phases {
            if p.update_every_minutes == Some(0) {
                return Err(invalid(format!(
                    "phase '{}': update_every_minutes must be 1 or more",
                    p.id
                )));
            }
        }
        Ok(())
    }

    fn check_unique_ids(&self) -> Result<(), DraaiboekError> {
        unique("scenarios", self.scenarios.iter().map(|s| s.id.as_str()))?;
        let levels = self.scale_levels.iter();
        unique(
            "scale_levels",
            levels
                .flat_map(|l| std::iter::once(&l.id).chain(&l.aliases))
                .map(String::as_str),
        )?;
        unique("checklists", self.checklists.iter().map(|c| c.id.as_str()))?;
        let items = self.checklists.iter().flat_map(|c| &c.items);
        unique("checklist items", items.map(|i| i.id.as_str()))?;
        let partner_words = self.partner_words();
        unique("partners", partner_words.iter().map(String::as_str))?;
        unique("audiences", self.audiences.iter().map(|a| a.id.as_str()))?;
        unique("channels", self.channels.iter().map(|c| c.id.as_str()))?;
        let d = &self.diagnosis;
        unique("diagnosis.parts", d.parts.iter().map(|p| p.id.as_str()))?;
        let questions = d.parts.iter().flat_map(|p| &p.questions);
        unique("diagnosis questions", questions.map(|q| q.id.as_str()))
    }

    /// Every word a partner answers to, once per partner: a partner may use
    /// the same word as id and short name, two partners may not share one.
    fn partner_words(&self) -> Vec<String> {
        let per_partner = self.partners.iter().map(|p| {
            let words = [&p.id, &p.short].into_iter().chain(&p.aliases);
            words.map(|w| w.to_lowercase()).collect::<HashSet<_>>()
        });
        per_partner.flatten().collect()
    }

    /// Scenarios name known partners and audiences.
    fn check_scenarios(&self) -> Result<(), DraaiboekError> {
        for s in &self.scenarios {
            if let Some(p) = s.partners_short.iter().find(|p| self.partner(p).is_none()) {
                return Err(invalid(format!(
                    "scenario '{}' names unknown partner '{p}'",
                    s.id
                )));
            }
            if let Some(a) = s.audiences.iter().find(|a| self.audience(a).is_none()) {
                return Err(invalid(format!(
                    "scenario '{}' names unknown audience '{a}'",
                    s.id
                )));
            }
        }
        Ok(())
    }

    /// Audiences name known channels; a channel limit of 0 would allow no text.
    fn check_communication(&self) -> Result<(), DraaiboekError> {
        for c in &self.channels {
            if c.max_chars == Some(0) {
                return Err(invalid(format!(
                    "channel '{}': max_chars must be 1 or more",
                    c.id
                )));
            }
        }
        for a in &self.audiences {
            if let Some(c) = a.channels.iter().find(|c| self.channel(c).is_none()) {
                return Err(invalid(format!(
                    "audience '{}' names unknown channel '{c}'",
                    a.id
                )));
            }
        }
        Ok(())
    }

    /// Advices are numbered 1..=n in order; the conditions read parts A, B, C.
    fn check_diagnosis(&self) -> Result<(), DraaiboekError> {
        let d = &self.diagnosis;
        for (i, a) in d.advices.iter().enumerate() {
            if usize::from(a.number) != i + 1 {
                return Err(invalid(format!(
                    "diagnosis.advices: advice {} should be number {}",
                    a.number,
                    i + 1
                )));
            }
        }
        if !(1..=100).contains(&d.many_percent) || d.few_percent > d.many_percent {
            return Err(invalid(
                "diagnosis: need 1 <= many_percent <= 100 and few_percent <= many_percent",
            ));
        }
        let missing = ["A", "B", "C"]
            .iter()
            .any(|id| !d.parts.iter().any(|p| p.id == *id));
        if !d.advices.is_empty() && missing {
            return Err(invalid(
                "diagnosis.parts: advices need parts 'A', 'B' and 'C'",
            ));
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

    /// By id, short name or alias, e.g. `veilig-thuis`, `RvdK`, `igj`.
    pub fn partner(&self, word: &str) -> Option<&Partner> {
        let w = word.to_lowercase();
        self.partners.iter().find(|p| {
            p.id == w
                || p.short.to_lowercase() == w
                || p.aliases.iter().any(|a| a.to_lowercase() == w)
        })
    }

    /// The `[[partners]]` entries a scenario names in `partners_short`.
    pub fn scenario_partners(&self, scenario: &Scenario) -> Vec<&Partner> {
        let found = scenario.partners_short.iter();
        found.filter_map(|w| self.partner(w)).collect()
    }

    /// The scenario's default doelgroepen.
    pub fn scenario_audiences(&self, scenario: &Scenario) -> Vec<&Audience> {
        let found = scenario.audiences.iter();
        found.filter_map(|a| self.audience(a)).collect()
    }

    /// The channels that reach the scenario's doelgroepen, each once, in order.
    pub fn scenario_channels(&self, scenario: &Scenario) -> Vec<&Channel> {
        let mut out: Vec<&Channel> = Vec::new();
        let wanted = self
            .scenario_audiences(scenario)
            .into_iter()
            .flat_map(|a| &a.channels);
        for c in wanted.filter_map(|c| self.channel(c)) {
            if !out.iter().any(|o| o.id == c.id) {
                out.push(c);
            }
        }
        out
    }

    pub fn audience(&self, id: &str) -> Option<&Audience> {
        self.audiences
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// By id or alias, e.g. `grip3` or `grip-3`.
    pub fn scale_level(&self, word: &str) -> Option<&ScaleLevel> {
        let w = word.to_lowercase();
        self.scale_levels
            .iter()
            .find(|l| l.id == w || l.aliases.iter().any(|a| a.to_lowercase() == w))
    }

    pub fn checklist(&self, word: &str) -> Option<&Checklist> {
        let w = word.to_lowercase();
        self.checklists.iter().find(|c| c.id == w)
    }

    /// Checklists to show right after an incident opens (`on_open`).
    pub fn opening_checklists(&self) -> impl Iterator<Item = &Checklist> {
        self.checklists.iter().filter(|c| c.on_open)
    }

    /// The items a phase brings back for re-checking, with their checklist.
    pub fn revisit_items<'a>(
        &'a self,
        phase: &'a Phase,
    ) -> Vec<(&'a Checklist, &'a ChecklistItem)> {
        let lists = phase.revisit.iter().filter_map(|c| self.checklist(c));
        lists
            .flat_map(|c| c.items.iter().filter(|i| i.revisit).map(move |i| (c, i)))
            .collect()
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
            "eerste-uur",
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
            "ivz-aov",
            "burgemeester",
            "wethouder",
            "publiek-gezicht",
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
        assert_eq!(book.cadence.label, "teamafspraak");
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

    /// The error a team file gets, as text.
    fn refusal(team_file: &str) -> String {
        Draaiboek::with_overrides(team_file)
            .expect_err("the team file should be refused")
            .to_string()
    }

    fn phase_toml(id: &str, number: Option<u8>, extra: &str) -> String {
        let number = number
            .map(|n| format!("number = {n}\n"))
            .unwrap_or_default();
        format!(
            "[[phases]]\nid = '{id}'\n{number}name = 'x'\nmeaning = 'x'\nchecklists = []\n{extra}"
        )
    }

    fn role_toml(id: &str, aliases: &str) -> String {
        format!(
            "[[roles]]\nid = '{id}'\nname = 'x'\naliases = [{aliases}]\nsummary = 'x'\ntasks = ['x']\n"
        )
    }

    #[test]
    fn a_cadence_of_zero_minutes_is_refused() {
        let err = refusal("[cadence]\nchecklist_nudge_minutes = 0\n");
        assert!(err.contains("cadence: checklist_nudge_minutes"), "{err}");
    }

    #[test]
    fn a_phase_update_cadence_of_zero_minutes_is_refused() {
        let err = refusal(&phase_toml("rust", Some(1), "update_every_minutes = 0\n"));
        assert!(err.contains("phase 'rust': update_every_minutes"), "{err}");
    }

    #[test]
    fn a_phase_without_a_number_is_refused() {
        let err = refusal(&phase_toml("rust", None, ""));
        assert!(err.contains("number"), "{err}");
    }

    #[test]
    fn a_phase_number_below_one_is_refused() {
        let err = refusal(&phase_toml("rust", Some(0), ""));
        assert!(
            err.contains("phase 'rust': number must be 1 or more"),
            "{err}"
        );
    }

    #[test]
    fn a_phase_number_used_twice_is_refused() {
        let file = [
            phase_toml("rust", Some(1), ""),
            phase_toml("onrust", Some(1), ""),
        ]
        .concat();
        let err = refusal(&file);
        assert!(err.contains("phases: number 1 is used twice"), "{err}");
    }

    #[test]
    fn an_alias_that_shadows_a_role_id_is_refused() {
        let file = [
            role_toml("voorzitter", ""),
            role_toml("communicatieadviseur", "'voorzitter'"),
        ]
        .concat();
        let err = refusal(&file);
        assert!(
            err.contains("role 'communicatieadviseur': word 'voorzitter' is already used by role 'voorzitter'"),
            "{err}"
        );
    }

    #[test]
    fn an_alias_that_shadows_another_roles_alias_is_refused() {
        let file = [
            role_toml("voorzitter", "'vz'"),
            role_toml("communicatieadviseur", "'VZ'"),
        ]
        .concat();
        let err = refusal(&file);
        assert!(
            err.contains("word 'VZ' is already used by role 'voorzitter'"),
            "{err}"
        );
    }

    #[test]
    fn a_duplicate_scenario_id_is_refused() {
        let one = "[[scenarios]]\nid = 'zeden'\nname = 'x'\ndescription = 'x'\npartners = []\ndilemmas = []\ntips = []\n";
        let err = refusal(&format!("{one}{one}"));
        assert!(err.contains("scenarios: id 'zeden' is used twice"), "{err}");
    }

    #[test]
    fn a_duplicate_checklist_id_is_refused() {
        let one = "[[checklists]]\nid = 'beeldvorming'\nname = 'x'\nitems = []\n";
        let err = refusal(&format!("{one}{one}"));
        assert!(
            err.contains("checklists: id 'beeldvorming' is used twice"),
            "{err}"
        );
    }

    #[test]
    fn a_duplicate_checklist_item_id_is_refused() {
        let file = "[[checklists]]\nid = 'a'\nname = 'x'\nitems = [{ id = 'X1', text = 'x' }]\n\
                    [[checklists]]\nid = 'b'\nname = 'x'\nitems = [{ id = 'x1', text = 'x' }]\n";
        let err = refusal(file);
        assert!(
            err.contains("checklist items: id 'x1' is used twice"),
            "{err}"
        );
    }

    // --- crisis diagnosis (§3.2) -------------------------------------------

    /// §3.2 as copied from the Handreiking (seed 002).
    const SECTION_3_2: &str = include_str!("../tests/fixtures/handreiking-3.2.txt");

    /// What a §3.2 text says: (part letter, question, high pole, low pole) and
    /// the advices in order.
    #[derive(Debug, Default)]
    struct Source32 {
        questions: Vec<(String, String, String, String)>,
        advices: Vec<String>,
    }

    /// Cells of a table row, whatever the layout: tabs, pipes or runs of two
    /// or more spaces separate cells; markdown rule cells (`---`) are dropped.
    fn cells(line: &str) -> Vec<String> {
        line.replace(['|', '\u{a0}'], "\t")
            .split('\t')
            .flat_map(|c| c.split("  "))
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.chars().all(|ch| matches!(ch, '-' | ':')))
            .map(str::to_string)
            .collect()
    }

    /// A list item without its marker (`- o `, `•`, `*`, `1.`, `2)`).
    fn bullet_text(line: &str) -> Option<String> {
        let t = line.trim_start();
        let rest = t.trim_start_matches(['-', '*', '•', '–', ' ', '\t']);
        let rest = rest.strip_prefix("o ").unwrap_or(rest).trim_start();
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        let rest = match digits.strip_prefix(['.', ')']) {
            Some(r) if digits.len() < rest.len() => r.trim_start(),
            _ => rest,
        };
        (rest.len() < t.len() && !rest.is_empty()).then(|| rest.to_string())
    }

    fn read_3_2(text: &str) -> Source32 {
        let header = regex::Regex::new(r"^([A-Z])\.\s*\((\w+)\)").unwrap();
        let mut out = Source32::default();
        let (mut part, mut advices) = (None::<String>, false);
        for line in text.lines() {
            let row = cells(line);
            if line.trim_start().starts_with("Door middel van") {
                advices = true;
            } else if advices {
                out.advices.extend(bullet_text(line));
            } else if let Some(m) = row.first().and_then(|c| header.captures(c)) {
                part = Some(m[1].to_string());
            } else if let (Some(p), [q, high, low]) = (&part, row.as_slice()) {
                out.questions
                    .push((p.clone(), q.clone(), high.clone(), low.clone()));
            }
        }
        out
    }

    #[test]
    fn the_section_reader_copes_with_other_table_layouts() {
        let text = "| | Hoog/hoger risico | Laag/lager risico |\n\
                    |---|---|---|\n\
                    | B. (Betrokkenen) | | |\n\
                    | Wat is uw inschatting van de betrokkenen? | | |\n\
                    | Zijn er ministeries bij betrokken? | Ja | Nee |\n\
                    C. (Context)\n\
                    Wie weten er van?      Veel partijen     Weinig partijen\n\
                    Door middel van bovenstaande vragen wordt een advies gevormd:\n\
                    1. Meer informatie inwinnen.\n\
                    • Geen aanleiding.\n";
        let s = read_3_2(text);
        assert_eq!(
            s.questions,
            [
                (
                    "B".into(),
                    "Zijn er ministeries bij betrokken?".into(),
                    "Ja".into(),
                    "Nee".into()
                ),
                (
                    "C".into(),
                    "Wie weten er van?".into(),
                    "Veel partijen".into(),
                    "Weinig partijen".into()
                ),
            ]
        );
        assert_eq!(s.advices, ["Meer informatie inwinnen.", "Geen aanleiding."]);
    }

    #[test]
    fn every_question_of_3_2_is_in_the_data_verbatim() {
        let source = read_3_2(SECTION_3_2);
        let d = Draaiboek::built_in().diagnosis;
        let in_data = |(part, text, high, low): &(String, String, String, String)| {
            d.parts.iter().filter(|p| &p.id == part).any(|p| {
                p.questions
                    .iter()
                    .any(|q| &q.text == text && &q.high == high && &q.low == low)
            })
        };
        for q in &source.questions {
            assert!(in_data(q), "not in the draaiboek verbatim: {q:?}");
        }
        let in_book: usize = d.parts.iter().map(|p| p.questions.len()).sum();
        assert_eq!(
            source.questions.len(),
            in_book,
            "the data has questions the source lacks"
        );
    }

    #[test]
    fn the_six_advices_of_3_2_are_in_the_data_verbatim_and_in_order() {
        let source = read_3_2(SECTION_3_2);
        let d = Draaiboek::built_in().diagnosis;
        let texts: Vec<_> = d.advices.iter().map(|a| a.text.clone()).collect();
        assert_eq!(texts, source.advices);
        let numbers: Vec<_> = d.advices.iter().map(|a| a.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn the_diagnosis_has_33_aard_11_betrokkenen_and_10_context_questions() {
        let d = Draaiboek::built_in().diagnosis;
        let parts: Vec<_> = d
            .parts
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str(), p.questions.len()))
            .collect();
        assert_eq!(
            parts,
            [
                ("A", "Aard", 33),
                ("B", "Betrokkenen", 11),
                ("C", "Context", 10)
            ]
        );
        let (part, q) = d.question("a9").unwrap();
        assert_eq!(
            (part.id.as_str(), q.text.as_str()),
            ("A", "Zijn er vermisten?")
        );
        assert_eq!((q.high.as_str(), q.low.as_str()), ("Ja", "Nee"));
        assert_eq!(d.question("C10").unwrap().1.low, "Nee / misschien");
    }

    fn counts(
        a: (usize, usize),
        b: (usize, usize),
        c: (usize, usize),
    ) -> Vec<(&'static str, PartCounts)> {
        let part = |(high, low): (usize, usize), size: usize| PartCounts {
            high,
            low,
            unknown: size - high - low,
        };
        vec![("A", part(a, 33)), ("B", part(b, 11)), ("C", part(c, 10))]
    }

    fn advised(counts: &[(&str, PartCounts)], third_party: bool) -> Vec<u8> {
        let d = Draaiboek::built_in().diagnosis;
        d.advise(counts, third_party)
            .iter()
            .map(|a| a.number)
            .collect()
    }

    #[test]
    fn an_unanswered_diagnosis_advises_more_information() {
        assert_eq!(advised(&[], false), [1]);
        assert_eq!(advised(&counts((0, 0), (0, 0), (0, 0)), false), [1]);
    }

    #[test]
    fn mostly_low_answers_advise_no_meeting() {
        assert_eq!(advised(&counts((3, 30), (1, 10), (1, 9)), false), [2]);
    }

    #[test]
    fn many_high_answers_in_aard_and_context_are_acute() {
        assert_eq!(advised(&counts((20, 13), (2, 9), (6, 4)), false), [3]);
        assert_eq!(advised(&counts((20, 13), (8, 3), (6, 4)), true), [3, 4, 6]);
    }

    #[test]
    fn some_high_answers_advise_activating_the_kernteam() {
        assert_eq!(advised(&counts((12, 21), (2, 9), (3, 7)), false), [5]);
    }

    const SMALL_DIAGNOSIS: &str = "[diagnosis]\n\
        [[diagnosis.parts]]\nid = 'A'\nname = 'Aard'\nquestions = [{ id = 'A1', text = 'Zijn er vermisten?', high = 'Ja', low = 'Nee' }]\n\
        [[diagnosis.parts]]\nid = 'B'\nname = 'Betrokkenen'\nquestions = []\n\
        [[diagnosis.parts]]\nid = 'C'\nname = 'Context'\nquestions = []\n";

    #[test]
    fn a_team_file_replaces_the_whole_diagnosis() {
        let advice =
            "[[diagnosis.advices]]\nnumber = 1\ntext = 'Bel de burgemeester.'\nwhen = 'acute'\n";
        let book = Draaiboek::with_overrides(&format!("{SMALL_DIAGNOSIS}{advice}")).unwrap();
        let d = &book.diagnosis;
        assert_eq!(d.parts[0].questions.len(), 1);
        assert_eq!((d.many_percent, d.few_percent), (50, 25));
        assert_eq!(d.advices[0].when, AdviceWhen::Acute);
        assert_eq!(book.phases.len(), 5, "other sections stay");
    }

    #[test]
    fn advices_out_of_order_are_refused() {
        let advice = "[[diagnosis.advices]]\nnumber = 2\ntext = 'x'\nwhen = 'acute'\n";
        let err = refusal(&format!("{SMALL_DIAGNOSIS}{advice}"));
        assert!(
            err.contains("diagnosis.advices: advice 2 should be number 1"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_advice_condition_is_refused() {
        let advice = "[[diagnosis.advices]]\nnumber = 1\ntext = 'x'\nwhen = 'soms'\n";
        let err = refusal(&format!("{SMALL_DIAGNOSIS}{advice}"));
        assert!(err.contains("soms"), "{err}");
    }

    #[test]
    fn a_duplicate_diagnosis_question_id_is_refused() {
        let file = SMALL_DIAGNOSIS.replace(
            "questions = []",
            "questions = [{ id = 'a1', text = 'x', high = 'x', low = 'x' }]",
        );
        let err = refusal(&file);
        assert!(
            err.contains("diagnosis questions: id 'a1' is used twice"),
            "{err}"
        );
    }

    // --- opschaling (§2.3) -------------------------------------------------

    #[test]
    fn the_scale_levels_run_from_kernteam_to_grip_rijk() {
        let book = Draaiboek::built_in();
        let levels: Vec<_> = book
            .scale_levels
            .iter()
            .map(|l| (l.id.as_str(), l.grip))
            .collect();
        assert_eq!(
            levels,
            [
                ("kernteam", false),
                ("gemeentelijk", false),
                ("grip1", true),
                ("grip2", true),
                ("grip3", true),
                ("grip4", true),
                ("grip5", true),
                ("grip-rijk", true),
            ]
        );
        assert_eq!(book.scale_level("GRIP-3").unwrap().name, "GRIP 3");
        assert!(book.scale_levels.iter().all(|l| !l.meaning.is_empty()));
        assert!(
            book.scaling
                .under_grip
                .contains("taken van het kernteam over")
        );
        assert!(
            book.scaling
                .under_grip
                .contains("checklists blijven van toepassing")
        );
        assert!(
            book.scaling
                .request
                .contains("op verzoek van de burgemeester")
        );
    }

    #[test]
    fn a_team_file_replaces_the_scale_levels() {
        let file = "[[scale_levels]]\nid = 'kernteam'\nname = 'Kernteam'\nmeaning = 'x'\n\
                    [[scale_levels]]\nid = 'grip3'\nname = 'GRIP 3'\nmeaning = 'x'\ngrip = true\n";
        let book = Draaiboek::with_overrides(file).unwrap();
        assert_eq!(book.scale_levels.len(), 2);
        assert!(book.scaling.under_grip.contains("GRIP"), "the note stays");
    }

    #[test]
    fn a_scale_level_word_used_twice_is_refused() {
        let file = "[[scale_levels]]\nid = 'grip3'\nname = 'x'\nmeaning = 'x'\n\
                    [[scale_levels]]\nid = 'grip-3'\nname = 'x'\nmeaning = 'x'\naliases = ['GRIP3']\n";
        let err = refusal(file);
        assert!(
            err.contains("scale_levels: id 'GRIP3' is used twice"),
            "{err}"
        );
    }

    // --- roles ---------------------------------------------------------------

    #[test]
    fn only_the_chair_and_the_comms_adviser_carry_rights() {
        let book = Draaiboek::built_in();
        let with_rights: Vec<_> = book
            .roles
            .iter()
            .filter(|r| r.rights)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(with_rights, [CHAIR, COMMS_ADVISER]);
    }

    #[test]
    fn the_linking_pin_and_the_public_face_are_roles() {
        let book = Draaiboek::built_in();
        assert_eq!(book.role("ivz").unwrap().id, "ivz-aov");
        assert_eq!(book.role("AOV-er").unwrap().id, "ivz-aov");
        assert!(
            book.role("ivz-aov")
                .unwrap()
                .tasks
                .iter()
                .any(|t| t.contains("roept het kernteam bijeen")
                    || t.contains("Roept het kernteam bijeen"))
        );
        assert!(
            book.role("publiek-gezicht")
                .unwrap()
                .summary
                .contains("verschuiven")
        );
        assert!(
            book.role("burgemeester")
                .unwrap()
                .tasks
                .iter()
                .any(|t| t.contains("art. 172 Gemeentewet"))
        );
    }

    #[test]
    fn pers_en_publieksvoorlichter_is_one_role() {
        let book = Draaiboek::built_in();
        assert_eq!(
            book.role("pers-en-publieksvoorlichter").unwrap().id,
            "publieksvoorlichter"
        );
    }

    // --- partners, audiences, channels, contacts ---------------------------

    #[test]
    fn the_partners_of_bijlage_3_are_in_the_data() {
        let book = Draaiboek::built_in();
        for (word, id) in [
            ("instellingen", "instellingen"),
            ("gecertificeerde-instellingen", "instellingen"),
            ("Veilig Thuis", "veilig-thuis"),
            ("RvdK", "raad-kinderbescherming"),
            ("inspectie", "inspectie"),
            ("Wmo-toezichthouder", "wmo-toezichthouder"),
            ("OM", "om"),
        ] {
            let p = book.partner(word).unwrap_or_else(|| panic!("{word}"));
            assert_eq!(p.id, id);
            assert!(!p.responsibilities.is_empty(), "{id}");
        }
        let inspectie = book.partner("inspectie").unwrap();
        assert!(
            inspectie
                .responsibilities
                .iter()
                .any(|r| r.contains("binnen 2 weken"))
        );
        let instellingen = book.partner("instellingen").unwrap();
        assert!(
            instellingen
                .responsibilities
                .iter()
                .any(|r| r.contains("onmiddellijk bij de Inspectie"))
        );
    }

    #[test]
    fn the_channels_for_outgoing_texts_are_in_the_data() {
        let book = Draaiboek::built_in();
        let ids: Vec<_> = book.channels.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "website",
                "social",
                "persbericht",
                "bewonersbrief",
                "intranet",
                "raadsinformatie"
            ]
        );
        assert_eq!(book.channel("social").unwrap().max_chars, Some(280));
        assert_eq!(book.channel("website").unwrap().max_chars, None);
    }

    #[test]
    fn every_audience_names_known_channels() {
        let book = Draaiboek::built_in();
        assert!(book.audiences.len() >= 10);
        let raad = book.audience("gemeenteraad").unwrap();
        assert!(raad.internal && raad.channels == ["raadsinformatie"]);
        assert_eq!(book.audience("buurt").unwrap().tier, Tier::Primair);
    }

    #[test]
    fn contacts_are_never_built_in_but_a_team_file_brings_them() {
        assert!(Draaiboek::built_in().contacts.is_empty());
        let file = "[[contacts]]\norganisation = 'GGD Twente'\nfunction = 'Procesleider PSH'\nphone = '0900-0000000'\n";
        let book = Draaiboek::with_overrides(file).unwrap();
        assert_eq!(book.contacts[0].phone.as_deref(), Some("0900-0000000"));
        assert_eq!(book.contacts[0].email, None);
    }

    /// A minimal scenario naming `partners_short` and `audiences`.
    fn scenario_toml(partners_short: &str, audiences: &str) -> String {
        format!(
            "[[scenarios]]\nid = 'overig'\nname = 'x'\ndescription = 'x'\npartners = []\n\
             partners_short = [{partners_short}]\naudiences = [{audiences}]\ndilemmas = []\ntips = []\n"
        )
    }

    #[test]
    fn a_team_file_replaces_partners_audiences_and_channels() {
        let file = "[[channels]]\nid = 'sms'\nname = 'Sms'\nmax_chars = 160\n\
                    [[audiences]]\nid = 'wijk'\nname = 'Wijk'\ntier = 'primair'\nchannels = ['sms']\n\
                    [[partners]]\nid = 'politie'\nname = 'Politie'\nshort = 'Politie'\nresponsibilities = ['x']\n"
            .to_string();
        let file = file + scenario_toml("'politie'", "'wijk'").as_str();
        let book = Draaiboek::with_overrides(&file).unwrap();
        assert_eq!(book.channel("sms").unwrap().max_chars, Some(160));
        let s = book.scenario("overig").unwrap();
        assert_eq!(book.scenario_partners(s)[0].name, "Politie");
        assert_eq!(book.scenario_channels(s)[0].id, "sms");
    }

    #[test]
    fn a_team_file_that_drops_a_partner_its_scenarios_name_is_refused() {
        let file = "[[partners]]\nid = 'politie'\nname = 'Politie'\nshort = 'Politie'\nresponsibilities = ['x']\n";
        let err = refusal(file);
        assert!(
            err.contains("scenario 'zeden' names unknown partner 'Gemeente'"),
            "{err}"
        );
    }

    #[test]
    fn a_scenario_naming_an_unknown_partner_is_refused() {
        let err = refusal(&scenario_toml("'Politie', 'Brandweerkorps'", ""));
        assert!(
            err.contains("scenario 'overig' names unknown partner 'Brandweerkorps'"),
            "{err}"
        );
    }

    #[test]
    fn a_scenario_naming_an_unknown_audience_is_refused() {
        let err = refusal(&scenario_toml("", "'buurt', 'marsmannetjes'"));
        assert!(
            err.contains("scenario 'overig' names unknown audience 'marsmannetjes'"),
            "{err}"
        );
    }

    #[test]
    fn an_audience_naming_an_unknown_channel_is_refused() {
        let file =
            "[[audiences]]\nid = 'buurt'\nname = 'Buurt'\ntier = 'primair'\nchannels = ['fax']\n";
        let err = refusal(file);
        assert!(
            err.contains("audience 'buurt' names unknown channel 'fax'"),
            "{err}"
        );
    }

    #[test]
    fn a_channel_limit_of_zero_is_refused() {
        let file = "[[channels]]\nid = 'social'\nname = 'x'\nmax_chars = 0\n";
        let err = refusal(file);
        assert!(err.contains("channel 'social': max_chars"), "{err}");
    }

    #[test]
    fn a_partner_word_used_twice_is_refused() {
        let one = |id: &str, short: &str| {
            format!(
                "[[partners]]\nid = '{id}'\nname = 'x'\nshort = '{short}'\nresponsibilities = []\n"
            )
        };
        let err = refusal(&[one("raad", "Raad"), one("rvdk", "raad")].concat());
        assert!(err.contains("partners: id 'raad' is used twice"), "{err}");
    }

    #[test]
    fn a_duplicate_audience_or_channel_id_is_refused() {
        let audience = "[[audiences]]\nid = 'pers'\nname = 'x'\ntier = 'tertiair'\n";
        assert!(
            refusal(&[audience, audience].concat()).contains("audiences: id 'pers' is used twice")
        );
        let channel = "[[channels]]\nid = 'website'\nname = 'x'\n";
        assert!(
            refusal(&[channel, channel].concat()).contains("channels: id 'website' is used twice")
        );
    }

    // --- scenarios -----------------------------------------------------------

    #[test]
    fn every_scenario_has_short_partners_audiences_and_key_dilemmas() {
        let book = Draaiboek::built_in();
        for s in &book.scenarios {
            assert_eq!(
                book.scenario_partners(s).len(),
                s.partners_short.len(),
                "{}",
                s.id
            );
            assert!(
                !s.partners_short.is_empty() && !s.audiences.is_empty(),
                "{}",
                s.id
            );
            assert_eq!(s.key_dilemmas().len(), KEY_DILEMMAS, "{}", s.id);
        }
        let familiedrama = book.scenario("familiedrama").unwrap();
        for a in ["buurt", "school-ouders", "medewerkers-zorg"] {
            assert!(familiedrama.audiences.iter().any(|x| x == a), "{a}");
        }
        for p in ["Veilig Thuis", "Inspectie", "Instelling"] {
            assert!(familiedrama.partners_short.iter().any(|x| x == p), "{p}");
        }
    }

    #[test]
    fn the_kenmerken_of_bijlage_2_are_restored() {
        let book = Draaiboek::built_in();
        let has = |id: &str, words: &[&str]| {
            let s = book.scenario(id).unwrap();
            for w in words {
                assert!(s.features.iter().any(|f| f.starts_with(w)), "{id}: {w}");
            }
        };
        has(
            "zeden",
            &[
                "Aard en ernst",
                "Reikwijdte",
                "Beladen thematiek",
                "Eigenrichting",
                "Parallellen",
            ],
        );
        has(
            "evenement",
            &[
                "Drank en drugs",
                "Mobilisatie via sociale media",
                "Voorbereidingstijd",
            ],
        );
        has(
            "polarisatie",
            &["Interactief proces", "Geruchten", "Ervaren onrecht"],
        );
        has("media", &["Sneeuwbaleffect"]);
        has(
            "geweld",
            &["Kwetsbare doelgroep", "Toezichthoudend ambtenaar"],
        );
        has("wmo-misbruik", &["Atypische calamiteit", "Grotere impact"]);
    }

    #[test]
    fn the_burgemeesters_powers_and_the_polarisation_strategy_are_restored() {
        let book = Draaiboek::built_in();
        let powers = book.scenario("evenement").unwrap().powers.join(" ");
        for w in [
            "art. 172 Gemeentewet",
            "Wet openbare manifestaties",
            "preventief fouilleren",
        ] {
            assert!(powers.contains(w), "{w}");
        }
        let tips = book.scenario("polarisatie").unwrap().tips.join(" ");
        assert!(
            tips.contains("Stel een strategie vast") && tips.contains("kwalitatief sfeerbeeld")
        );
    }

    // --- checklists: eerste uur, revisit -------------------------------------

    #[test]
    fn the_first_hour_checklist_opens_with_every_incident() {
        let book = Draaiboek::built_in();
        let opening: Vec<_> = book.opening_checklists().map(|c| c.id.as_str()).collect();
        assert_eq!(opening, ["eerste-uur"]);
        let text: Vec<_> = book
            .checklist("eerste-uur")
            .unwrap()
            .items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        let text = text.join(" ");
        for w in [
            "informatietelefoonnummer",
            "vast contactpersoon",
            "eerste voorlichtingsbijeenkomst",
            "risicoregelreflex",
        ] {
            assert!(text.contains(w), "{w}");
        }
        assert!(
            book.phases
                .iter()
                .all(|p| !p.checklists.iter().any(|c| c == "eerste-uur"))
        );
    }

    #[test]
    fn onrust_and_escalatie_bring_back_only_the_beeldvorming_worth_rechecking() {
        let book = Draaiboek::built_in();
        for id in ["onrust", "escalatie"] {
            let phase = book.phase(id).unwrap();
            let again = book.revisit_items(phase);
            let all = book.checklist("beeldvorming").unwrap().items.len();
            assert!(!again.is_empty() && again.len() < all, "{id}");
            assert!(
                again
                    .iter()
                    .all(|(c, i)| c.id == "beeldvorming" && i.revisit)
            );
        }
        assert!(
            book.revisit_items(book.phase("dreiging").unwrap())
                .is_empty()
        );
        let (_, bv1) = book.checklist_item("BV1").unwrap();
        assert!(!bv1.revisit, "who gave the signal does not change");
    }

    #[test]
    fn a_phase_that_revisits_an_unknown_checklist_is_refused() {
        let err = refusal(&phase_toml("rust", Some(1), "revisit = ['bestaat-niet']\n"));
        assert!(
            err.contains("phase 'rust' names unknown checklist 'bestaat-niet'"),
            "{err}"
        );
    }

    // --- dated terms ---------------------------------------------------------

    /// Every text value of the built-in draaiboek (comments excluded).
    fn built_in_texts() -> Vec<String> {
        fn walk(v: &toml::Value, out: &mut Vec<String>) {
            match v {
                toml::Value::String(s) => out.push(s.clone()),
                toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                toml::Value::Table(t) => t.values().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&BUILT_IN.parse::<toml::Value>().unwrap(), &mut out);
        out
    }

    #[test]
    fn the_woo_replaces_the_wob_and_the_source_term_is_noted_once() {
        let texts = built_in_texts();
        let wob: Vec<_> = texts.iter().filter(|t| t.contains("WOB")).collect();
        assert_eq!(wob.len(), 1, "{wob:?}");
        assert!(
            wob[0].contains("Woo (in de Handreiking nog WOB)"),
            "{wob:?}"
        );
        assert!(texts.iter().any(|t| t.contains("Woo;")));
    }

    #[test]
    fn dated_terms_and_built_in_contact_data_are_gone() {
        for t in built_in_texts() {
            assert!(!t.contains("WMO"), "spell Wmo: {t}");
            assert!(
                !t.contains("140 tekens") && !t.contains("tweet"),
                "dated: {t}"
            );
            assert!(!t.contains('@'), "contact data is team data: {t}");
        }
        let book = Draaiboek::built_in();
        let co45 = &book.checklist_item("CO45").unwrap().1.text;
        assert!(
            co45.contains("X 280 tekens") && co45.contains("2026"),
            "{co45}"
        );
    }

    #[test]
    fn a_team_file_can_relabel_its_cadence() {
        let book =
            Draaiboek::with_overrides("[cadence]\nlabel = 'afspraak kernteam Oost'\n").unwrap();
        assert_eq!(book.cadence.label, "afspraak kernteam Oost");
        assert_eq!(book.cadence.first_update_minutes, 60);
    }

    // --- the example team file ---------------------------------------------

    #[test]
    fn the_example_team_file_loads() {
        let book =
            Draaiboek::with_overrides(include_str!("../docs/draaiboek-voorbeeld.toml")).unwrap();
        assert_eq!(book.cadence.first_update_minutes, 45);
        assert_eq!(
            book.cadence.deadline_warning_minutes, 15,
            "unnamed fields stay"
        );
        assert!(book.channel("nieuwsbrief").is_some());
        assert!(book.contacts.len() >= 20);
        let psh = book
            .contacts
            .iter()
            .find(|c| c.function == "Procesleider PSH")
            .unwrap();
        assert_eq!(psh.phone.as_deref(), Some("0900-0000000"));
        assert!(book.contacts.iter().all(|c| {
            c.email
                .as_deref()
                .is_none_or(|e| e.ends_with("@voorbeeld.nl"))
        }));
        assert_eq!(book.diagnosis.parts.len(), 3, "not named, so built in");
    }
}
