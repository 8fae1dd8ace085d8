//! The declarative command catalogue (`commands/*.toml`) and the parser it drives.
//!
//! One declaration per command yields the parser, `!help` and the privilege
//! check, so the three can never disagree.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::people::{Found, Members, localpart};
use crate::render::chat::Names;

/// Every catalogue file, embedded so the binary carries its own catalogue.
const FILES: &[(&str, &str)] = &[
    ("help.toml", include_str!("../commands/help.toml")),
    ("incident.toml", include_str!("../commands/incident.toml")),
    ("fase.toml", include_str!("../commands/fase.toml")),
    ("rol.toml", include_str!("../commands/rol.toml")),
    ("actie.toml", include_str!("../commands/actie.toml")),
    ("oneliner.toml", include_str!("../commands/oneliner.toml")),
    ("checklist.toml", include_str!("../commands/checklist.toml")),
    ("logboek.toml", include_str!("../commands/logboek.toml")),
    ("sitrap.toml", include_str!("../commands/sitrap.toml")),
    (
        "herinneringen.toml",
        include_str!("../commands/herinneringen.toml"),
    ),
    ("export.toml", include_str!("../commands/export.toml")),
    ("diagnose.toml", include_str!("../commands/diagnose.toml")),
    (
        "opschaling.toml",
        include_str!("../commands/opschaling.toml"),
    ),
    ("advies.toml", include_str!("../commands/advies.toml")),
    (
        "communicatie.toml",
        include_str!("../commands/communicatie.toml"),
    ),
];

/// Who may run a command: everyone, or the holders of some roles (ids of
/// the draaiboek). Anything finer is the handler's, described in `who_note`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Everyone,
    Roles(Vec<String>),
}

impl<'de> Deserialize<'de> for Who {
    /// `"iedereen"`, one role id, or a list of role ids.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Who, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(String),
            Many(Vec<String>),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::One(word) if word == "iedereen" => Who::Everyone,
            Raw::One(role) => Who::Roles(vec![role]),
            Raw::Many(roles) => Who::Roles(roles),
        })
    }
}

impl Who {
    /// "de voorzitter of de communicatieadviseur".
    pub fn describe(&self) -> String {
        match self {
            Who::Everyone => "iedereen".to_string(),
            Who::Roles(roles) => {
                let named: Vec<String> = roles.iter().map(|r| format!("de {r}")).collect();
                match named.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} of {last}", rest.join(", ")),
                    None => "niemand".to_string(),
                }
            }
        }
    }

    pub fn roles(&self) -> &[String] {
        match self {
            Who::Everyone => &[],
            Who::Roles(roles) => roles,
        }
    }
}

/// The longest text a command takes; a longer one gets one refusal.
pub const MAX_LINE_CHARS: usize = 4000;
/// Free texts: log lines, decisions, descriptions.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Titles and oneliners: what has to fit a headline or a post.
pub const MAX_SHORT_CHARS: usize = 280;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    /// The rest of the line, non-empty, at most [`MAX_TEXT_CHARS`].
    Tekst,
    /// The rest of the line, non-empty, at most [`MAX_SHORT_CHARS`]: a title, a oneliner.
    Regel,
    /// One word.
    Woord,
    /// A number as typed (`3`, `#3`; also `0` or `-1`, which then name nothing).
    Getal,
    /// A number with an optional version: `3` or `3.2`.
    Versie,
    /// `@user:server`, `@user` (sender's server) or `mij`.
    Gebruiker,
}

impl SlotKind {
    fn takes_rest(self) -> bool {
        matches!(self, SlotKind::Tekst | SlotKind::Regel)
    }

    fn max_chars(self) -> usize {
        match self {
            SlotKind::Regel => MAX_SHORT_CHARS,
            _ => MAX_TEXT_CHARS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Slot {
        name: String,
        kind: SlotKind,
        optional: bool,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    group: String,
    title: String,
    command: Vec<RawCommand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommand {
    id: String,
    pattern: String,
    #[serde(default)]
    aliases: Vec<String>,
    who: Who,
    #[serde(default)]
    who_note: Option<String>,
    #[serde(default = "yes")]
    needs_incident: bool,
    #[serde(default)]
    direct: bool,
    summary: String,
    #[serde(default)]
    help: Option<String>,
    examples: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct Command {
    pub id: String,
    pub group: String,
    /// The Dutch pattern first, then the aliases.
    pub patterns: Vec<Vec<Part>>,
    pub who: Who,
    pub who_note: Option<String>,
    pub needs_incident: bool,
    /// Also works in a direct chat with the bot, over the sender's rooms.
    pub direct: bool,
    pub summary: String,
    pub help: Option<String>,
    pub examples: Vec<String>,
    usage: String,
}

impl Command {
    /// `!actie <nr> klaar`, from the Dutch pattern.
    pub fn usage(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.usage)
    }

    pub fn english_usages(&self, prefix: &str) -> Vec<String> {
        self.patterns[1..]
            .iter()
            .map(|p| format!("{prefix}{}", render(p)))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub groups: Vec<Group>,
    pub commands: Vec<Command>,
}

/// The values a matched command carries, by slot name. Reading a name the
/// pattern does not declare is a bug: tests (debug builds) catch it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    values: BTreeMap<String, Arg>,
    declared: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(Nr),
    Version(Label),
    User(String),
}

/// A number as the user typed it; `value` is `None` for one that cannot
/// name anything (0, negative, too large), so the reply can echo `raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nr {
    pub value: Option<u32>,
    pub raw: String,
}

impl std::fmt::Display for Nr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

/// `3` or `3.2`: a numbered item and, optionally, one of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub nr: Nr,
    pub version: Option<Nr>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&Arg> {
        debug_assert!(
            self.declared.iter().any(|d| d == name),
            "slot '{name}' is not in this command's pattern"
        );
        self.values.get(name)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Arg::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<&Nr> {
        match self.get(name) {
            Some(Arg::Number(n)) => Some(n),
            _ => None,
        }
    }

    pub fn label(&self, name: &str) -> Option<&Label> {
        match self.get(name) {
            Some(Arg::Version(l)) => Some(l),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Arg::User(u)) => Some(u),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parsed<'c> {
    pub command: &'c Command,
    pub args: Args,
}

/// Why a line that starts with the prefix is not a valid command.
#[derive(Debug, Clone)]
pub enum ParseError<'c> {
    /// The first word is no command at all.
    Unknown { word: String },
    /// The command word is known but the rest does not fit; `near` are the
    /// commands of that word, the closest first.
    Malformed {
        reason: String,
        near: Vec<&'c Command>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("commands/{file}: {source}")]
    Toml {
        file: String,
        source: toml::de::Error,
    },
    #[error("commands/{file}, command '{id}': {problem}")]
    Invalid {
        file: String,
        id: String,
        problem: String,
    },
}

impl Catalogue {
    pub fn built_in() -> Catalogue {
        Self::from_files(FILES).expect("the built-in catalogue is checked by tests")
    }

    pub fn from_files(files: &[(&str, &str)]) -> Result<Catalogue, CatalogueError> {
        let mut groups = Vec::new();
        let mut commands: Vec<Command> = Vec::new();
        for (name, text) in files {
            let file: File = toml::from_str(text).map_err(|source| CatalogueError::Toml {
                file: name.to_string(),
                source,
            })?;
            join_group(&mut groups, name, &file.group, file.title)?;
            for raw in file.command {
                let invalid = |problem: String| CatalogueError::Invalid {
                    file: name.to_string(),
                    id: raw.id.clone(),
                    problem,
                };
                if commands.iter().any(|c| c.id == raw.id) {
                    return Err(invalid("id used twice".into()));
                }
                let mut patterns = Vec::new();
                for text in std::iter::once(&raw.pattern).chain(&raw.aliases) {
                    patterns.push(parse_pattern(text).map_err(invalid)?);
                }
                commands.push(Command {
                    usage: render(&patterns[0]),
                    id: raw.id,
                    group: file.group.clone(),
                    patterns,
                    who: raw.who,
                    who_note: raw.who_note,
                    needs_incident: raw.needs_incident,
                    direct: raw.direct,
                    summary: raw.summary,
                    help: raw.help,
                    examples: raw.examples,
                });
            }
        }
        Ok(Catalogue { groups, commands })
    }

    pub fn get(&self, id: &str) -> Option<&Command> {
        self.commands.iter().find(|c| c.id == id)
    }

    /// The commands whose first word (Dutch or alias) is `word`.
    pub fn by_word(&self, word: &str) -> Vec<&Command> {
        let word = word.to_lowercase();
        self.commands
            .iter()
            .filter(|c| {
                c.patterns
                    .iter()
                    .any(|p| matches!(p.first(), Some(Part::Literal(l)) if *l == word))
            })
            .collect()
    }

    /// Parses the text after the prefix. `sender` resolves `mij` and `@name`.
    /// Parses the text after the prefix. `speaker` resolves `mij`, `@name`
    /// and display names.
    pub fn parse<'c>(
        &'c self,
        line: &str,
        speaker: &Speaker,
    ) -> Result<Parsed<'c>, ParseError<'c>> {
        let first = line.split_whitespace().next().unwrap_or("").to_lowercase();
        let candidates = self.by_word(&first);
        if candidates.is_empty() {
            return Err(ParseError::Unknown { word: first });
        }
        let mut best: Option<(u32, Parsed<'c>)> = None;
        let mut nearest: Option<(Miss, &'c Command)> = None;
        for command in &candidates {
            for pattern in &command.patterns {
                match match_pattern(pattern, line, speaker) {
                    Ok((score, args)) => {
                        if best.as_ref().is_none_or(|(s, _)| score > *s) {
                            best = Some((score, Parsed { command, args }));
                        }
                    }
                    Err(miss) => {
                        if nearest.as_ref().is_none_or(|(m, _)| miss.rank() > m.rank()) {
                            nearest = Some((miss, command));
                        }
                    }
                }
            }
        }
        match (best, nearest) {
            // A failed pattern that got further on literal words than the
            // winner is what the user meant: `!checklist afvinken` without an
            // item must not become "show checklist 'afvinken'".
            (Some((score, _)), Some((miss, command)))
                if miss.literals > literal_count(score) && miss.literals > 1 =>
            {
                Err(ParseError::Malformed {
                    reason: miss.reason,
                    near: order_near(command, candidates),
                })
            }
            (Some((_, parsed)), _) => Ok(parsed),
            (None, Some((miss, command))) => Err(ParseError::Malformed {
                reason: miss.reason,
                near: order_near(command, candidates),
            }),
            (None, None) => Err(ParseError::Unknown { word: first }),
        }
    }
}

/// A file adds its group, or joins one an earlier file made (same title).
fn join_group(
    groups: &mut Vec<Group>,
    file: &str,
    id: &str,
    title: String,
) -> Result<(), CatalogueError> {
    match groups.iter().find(|g| g.id == id) {
        None => groups.push(Group {
            id: id.to_string(),
            title,
        }),
        Some(group) if group.title != title => {
            return Err(CatalogueError::Invalid {
                file: file.to_string(),
                id: id.to_string(),
                problem: format!("group title '{title}' differs from '{}'", group.title),
            });
        }
        Some(_) => {}
    }
    Ok(())
}

fn order_near<'c>(first: &'c Command, all: Vec<&'c Command>) -> Vec<&'c Command> {
    let mut near = vec![first];
    near.extend(all.into_iter().filter(|c| c.id != first.id));
    near
}

const LITERAL_WEIGHT: u32 = 100;

fn literal_count(score: u32) -> usize {
    (score / LITERAL_WEIGHT) as usize
}

/// How far a pattern got before it failed; the furthest is what the user meant.
struct Miss {
    literals: usize,
    consumed: usize,
    /// The failure was a value of the wrong kind, not a word out of place.
    wrong_value: bool,
    reason: String,
}

impl Miss {
    fn rank(&self) -> (usize, usize, bool) {
        (self.literals, self.consumed, self.wrong_value)
    }
}

fn parse_pattern(text: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    for token in text.split_whitespace() {
        let (inner, optional) = if let Some(t) = token.strip_prefix('<') {
            (t.strip_suffix('>').ok_or("unclosed <")?, false)
        } else if let Some(t) = token.strip_prefix('[') {
            (t.strip_suffix(']').ok_or("unclosed [")?, true)
        } else {
            parts.push(Part::Literal(token.to_lowercase()));
            continue;
        };
        let (name, kind) = inner
            .split_once(':')
            .ok_or_else(|| format!("slot '{inner}' needs name:kind"))?;
        let kind: SlotKind = SlotKind::deserialize(toml::Value::String(kind.to_string()))
            .map_err(|_| format!("unknown slot kind '{kind}'"))?;
        parts.push(Part::Slot {
            name: name.to_string(),
            kind,
            optional,
        });
    }
    if !matches!(parts.first(), Some(Part::Literal(_))) {
        return Err("a pattern starts with its command word".into());
    }
    let text_pos = parts
        .iter()
        .position(|p| matches!(p, Part::Slot { kind, .. } if kind.takes_rest()));
    if text_pos.is_some_and(|i| i + 1 != parts.len()) {
        return Err("a text slot takes the rest of the line, so it comes last".into());
    }
    Ok(parts)
}

fn render(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Literal(l) => l.clone(),
            Part::Slot {
                name,
                kind: SlotKind::Gebruiker,
                optional: false,
            } => format!("<@{name}|mij>"),
            Part::Slot {
                name,
                optional: false,
                ..
            } => format!("<{name}>"),
            Part::Slot { name, .. } => format!("[{name}]"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits off the next word, returning it and the rest with its leading space kept out.
fn next_word(rest: &str) -> Option<(&str, &str)> {
    let rest = rest.trim_start();
    if rest.is_empty() {
        return None;
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Some((&rest[..end], &rest[end..]))
}

/// Walks one pattern over a line, keeping score of how far it got.
struct Matcher<'l> {
    rest: &'l str,
    args: Args,
    score: u32,
    literals: usize,
    consumed: usize,
}

impl<'l> Matcher<'l> {
    fn miss(&self, reason: String) -> Miss {
        Miss {
            literals: self.literals,
            consumed: self.consumed,
            wrong_value: false,
            reason,
        }
    }

    fn wrong(&self, reason: String) -> Miss {
        Miss {
            wrong_value: true,
            ..self.miss(reason)
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), Miss> {
        match next_word(self.rest) {
            Some((w, r)) if w.to_lowercase() == word => {
                self.literals += 1;
                self.consumed += 1;
                self.score += LITERAL_WEIGHT;
                self.rest = r;
                Ok(())
            }
            Some((w, _)) => Err(self.miss(format!("'{w}' verwacht ik hier niet."))),
            None => Err(self.miss(format!("Er ontbreekt '{word}'."))),
        }
    }

    /// The rest of the line as one text.
    fn text(&mut self, name: &str, kind: SlotKind, optional: bool) -> Result<(), Miss> {
        let text = self.rest.trim();
        if text.is_empty() {
            return match optional {
                true => Ok(()),
                false => Err(self.miss(format!("Er ontbreekt <{name}>."))),
            };
        }
        let chars = text.chars().count();
        if chars > kind.max_chars() {
            return Err(self.wrong(format!(
                "<{name}> is te lang: {chars} tekens, maximaal {}.",
                kind.max_chars()
            )));
        }
        self.args
            .values
            .insert(name.to_string(), Arg::Text(text.to_string()));
        self.score += 1;
        self.rest = "";
        Ok(())
    }

    /// A person named by the rest of the line: a display name of several words.
    fn person_by_name(&mut self, name: &str, speaker: &Speaker) -> bool {
        let rest = self.rest.trim();
        if !rest.contains(char::is_whitespace) {
            return false;
        }
        let Found::One(user) = speaker.members.by_name(rest) else {
            return false;
        };
        self.args.values.insert(name.to_string(), Arg::User(user));
        self.consumed += 1;
        self.score += 10;
        self.rest = "";
        true
    }

    fn word(
        &mut self,
        name: &str,
        kind: SlotKind,
        optional: bool,
        speaker: &Speaker,
    ) -> Result<(), Miss> {
        let Some((word, r)) = next_word(self.rest) else {
            return match optional {
                true => Ok(()),
                false => Err(self.miss(format!("Er ontbreekt <{name}>."))),
            };
        };
        let value = match kind {
            SlotKind::Getal => parse_number(word)
                .map(Arg::Number)
                .ok_or_else(|| format!("'{word}' is geen nummer; <{name}> is een getal zoals 3.")),
            SlotKind::Versie => parse_label(word).map(Arg::Version).ok_or_else(|| {
                format!("'{word}' is geen nummer; <{name}> is een nummer zoals 3 of 3.2.")
            }),
            SlotKind::Gebruiker => find_user(word, speaker).map(Arg::User),
            SlotKind::Woord | SlotKind::Tekst | SlotKind::Regel => Ok(Arg::Text(word.to_string())),
        }
        .map_err(|reason| self.wrong(reason))?;
        self.args.values.insert(name.to_string(), value);
        self.consumed += 1;
        self.score += 10;
        self.rest = r;
        Ok(())
    }
}

fn match_pattern(parts: &[Part], line: &str, speaker: &Speaker) -> Result<(u32, Args), Miss> {
    let mut m = Matcher {
        rest: line,
        args: Args::default(),
        score: 0,
        literals: 0,
        consumed: 0,
    };
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match part {
            Part::Literal(word) => m.literal(word)?,
            Part::Slot {
                name,
                kind,
                optional,
            } => {
                m.args.declared.push(name.clone());
                if kind.takes_rest() {
                    m.text(name, *kind, *optional)?;
                } else if !(last && *kind == SlotKind::Gebruiker && m.person_by_name(name, speaker))
                {
                    m.word(name, *kind, *optional, speaker)?;
                }
            }
        }
    }
    if let Some((extra, _)) = next_word(m.rest) {
        return Err(m.miss(format!(
            "Na het commando verwacht ik niets meer, maar zie '{extra}'."
        )));
    }
    Ok((m.score, m.args))
}

/// Any whole number as typed; only 1..=u32::MAX can name something.
fn parse_number(word: &str) -> Option<Nr> {
    let digits = word.strip_prefix('#').unwrap_or(word);
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    if unsigned.is_empty() || !unsigned.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = digits.parse::<u32>().ok().filter(|n| *n > 0);
    Some(Nr {
        value,
        raw: digits.to_string(),
    })
}

/// `3` or `3.2`.
fn parse_label(word: &str) -> Option<Label> {
    match word.split_once('.') {
        Some((nr, version)) => Some(Label {
            nr: parse_number(nr)?,
            version: Some(parse_number(version)?),
        }),
        None => Some(Label {
            nr: parse_number(word)?,
            version: None,
        }),
    }
}

/// The line without characters that hide or reorder text: control
/// characters (NUL and the like), bidirectional overrides (which make a
/// stored text read differently than it sorts), and zero-width spaces. Joiners
/// that emoji need stay.
pub fn clean(line: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(
                c,
                '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
            )
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if line.chars().any(hidden) {
        line.chars()
            .filter(|c| !hidden(*c))
            .collect::<String>()
            .into()
    } else {
        line.into()
    }
}

/// Who is typing, and the room they type in.
pub struct Speaker<'a> {
    pub sender: &'a str,
    pub members: &'a Members,
}

/// The person a word names: `mij`, `@jan:server` (exactly), `@jan` (a
/// member with that localpart, else on the sender's server), or a member's
/// display name or localpart. Where the room's members are known, someone
/// outside the room is refused: a mention would not reach them.
pub fn find_user(word: &str, speaker: &Speaker) -> Result<String, String> {
    let members = speaker.members;
    let found = match word.strip_prefix('@') {
        Some(_) => {
            let Some(user) = parse_user(word, speaker.sender) else {
                return Err(format!(
                    "'{word}' is geen gebruiker; noem iemand als @naam:server, met de naam zoals in de ruimte, of zeg 'mij'."
                ));
            };
            match (
                user.contains(':') && word.contains(':'),
                members.by_localpart(localpart(&user)),
            ) {
                (false, Found::One(member)) => member,
                (false, Found::Several(all)) => return Err(ambiguous(word, &all, members)),
                _ => user,
            }
        }
        None if matches!(word.to_lowercase().as_str(), "mij" | "me" | "ik" | "zelf") => {
            return Ok(speaker.sender.to_string());
        }
        None => match members.by_name(word) {
            Found::One(member) => member,
            Found::Several(all) => return Err(ambiguous(word, &all, members)),
            Found::Nobody if members.known() => {
                return Err(format!(
                    "Niemand in deze ruimte heet '{word}'. Noem iemand als @naam:server of met de naam zoals in de ruimte."
                ));
            }
            Found::Nobody => {
                return Err(format!(
                    "'{word}' is geen gebruiker; noem iemand als @naam:server of zeg 'mij'."
                ));
            }
        },
    };
    if members.known() && !members.contains(&found) {
        return Err(format!(
            "{found} is geen lid van deze ruimte. Nodig die persoon eerst uit, of schrijf de naam in de tekst."
        ));
    }
    Ok(found)
}

fn ambiguous(word: &str, users: &[String], members: &Members) -> String {
    let named: Vec<String> = users
        .iter()
        .map(|u| format!("{} ({u})", members.name(u)))
        .collect();
    format!(
        "'{word}' kan meerdere mensen zijn: {}. Noem de volledige @naam:server.",
        named.join(", ")
    )
}

/// `@anna:gemeente.nl` as is, `@anna` on the sender's server, `mij`/`me`
/// for the sender. IDs are kept exactly as typed: `@Jan:x` is not `@jan:x`.
pub fn parse_user(word: &str, sender: &str) -> Option<String> {
    if matches!(word.to_lowercase().as_str(), "mij" | "me" | "ik" | "zelf") {
        return Some(sender.to_string());
    }
    let name = word.strip_prefix('@')?.trim_end_matches([',', ':', '.']);
    let valid_local = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._=-/+".contains(c))
    };
    match name.split_once(':') {
        Some((local, server)) if valid_local(local) && !server.is_empty() => {
            Some(format!("@{local}:{server}"))
        }
        None if valid_local(name) => {
            let server = sender.split_once(':').map(|(_, s)| s)?;
            Some(format!("@{name}:{server}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "@anna:gemeente.nl";

    fn parse(line: &str) -> Result<(String, Args), String> {
        parse_among(line, &Members::default())
    }

    fn parse_among(line: &str, members: &Members) -> Result<(String, Args), String> {
        let cat = Catalogue::built_in();
        let speaker = Speaker {
            sender: ME,
            members,
        };
        match cat.parse(line, &speaker) {
            Ok(p) => Ok((p.command.id.clone(), p.args)),
            Err(ParseError::Unknown { word }) => Err(format!("unknown {word}")),
            Err(ParseError::Malformed { reason, near }) => {
                Err(format!("{} | {reason}", near[0].id))
            }
        }
    }

    #[test]
    fn every_catalogue_file_on_disk_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/commands");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .filter(|n| n != "authorisation.toml" && n != "reactions.toml")
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn every_example_in_the_catalogue_parses_to_its_own_command() {
        let cat = Catalogue::built_in();
        for command in &cat.commands {
            for example in &command.examples {
                let line = example.strip_prefix('!').expect("examples start with !");
                let parsed = cat
                    .parse(
                        line,
                        &Speaker {
                            sender: ME,
                            members: &Members::default(),
                        },
                    )
                    .unwrap_or_else(|e| panic!("{example}: {e:?}"));
                assert_eq!(parsed.command.id, command.id, "{example}");
            }
        }
    }

    #[test]
    fn english_aliases_parse_like_the_dutch_words() {
        assert_eq!(parse("phase escalatie").unwrap().0, "phase-set");
        assert_eq!(parse("action 4 done").unwrap().0, "action-done");
        assert_eq!(parse("role chair me").unwrap().0, "role-assign");
    }

    #[test]
    fn command_words_are_case_insensitive() {
        assert_eq!(parse("FASE Escalatie").unwrap().0, "phase-set");
    }

    #[test]
    fn a_number_followed_by_klaar_is_a_status_change_not_a_new_action() {
        let (id, args) = parse("actie 3 klaar").unwrap();
        assert_eq!(id, "action-done");
        assert_eq!(args.number("nr").and_then(|n| n.value), Some(3));
        assert_eq!(parse("actie #3 klaar").unwrap().0, "action-done");
    }

    #[test]
    fn user_ids_are_kept_exactly_as_typed() {
        let (_, args) = parse("actie 2 @Jan:Politie.nl").unwrap();
        assert_eq!(args.user("wie"), Some("@Jan:Politie.nl"));
        let (_, args) = parse("actie 2 @Jan").unwrap();
        assert_eq!(args.user("wie"), Some("@Jan:gemeente.nl"));
    }

    fn room() -> Members {
        Members::new([
            (ME.to_string(), Some("Anna".to_string())),
            (
                "@jan:gemeente.nl".to_string(),
                Some("Jan de Vries".to_string()),
            ),
            (
                "@jan:politie.nl".to_string(),
                Some("Jan Bakker".to_string()),
            ),
            ("@piet:politie.nl".to_string(), None),
        ])
    }

    #[test]
    fn a_person_is_named_by_display_name_localpart_or_pill() {
        let m = room();
        let (_, args) = parse_among("rol notulist Jan de Vries", &m).unwrap();
        assert_eq!(args.user("wie"), Some("@jan:gemeente.nl"));
        let (_, args) = parse_among("rol notulist piet", &m).unwrap();
        assert_eq!(args.user("wie"), Some("@piet:politie.nl"));
        let (_, args) = parse_among("actie 2 @piet", &m).unwrap();
        assert_eq!(args.user("wie"), Some("@piet:politie.nl"));
        let (_, args) = parse_among("actie 2 @jan:politie.nl", &m).unwrap();
        assert_eq!(args.user("wie"), Some("@jan:politie.nl"));
    }

    #[test]
    fn an_ambiguous_or_absent_person_is_named_in_the_error() {
        let m = room();
        let err = parse_among("rol notulist @jan", &m).unwrap_err();
        assert!(
            err.contains("meerdere mensen") && err.contains("Jan Bakker (@jan:politie.nl)"),
            "{err}"
        );
        let err = parse_among("rol notulist @niemand:nergens.nl", &m).unwrap_err();
        assert!(err.contains("geen lid van deze ruimte"), "{err}");
        let err = parse_among("rol notulist kees", &m).unwrap_err();
        assert!(err.contains("Niemand in deze ruimte heet 'kees'"), "{err}");
    }

    #[test]
    fn numbers_that_name_nothing_are_still_numbers_not_new_action_texts() {
        for (line, raw) in [
            ("actie 0 klaar", "0"),
            ("actie -1 vervalt", "-1"),
            ("actie 18446744073709551616 klaar", "18446744073709551616"),
        ] {
            let (id, args) = parse(line).unwrap();
            assert_ne!(id, "action-new", "{line}");
            let nr = args.number("nr").unwrap();
            assert_eq!((nr.value, nr.raw.as_str()), (None, raw), "{line}");
        }
    }

    #[test]
    fn a_version_label_is_a_number_with_an_optional_version() {
        let label = parse_label("3.2").unwrap();
        assert_eq!(
            (label.nr.value, label.version.and_then(|v| v.value)),
            (Some(3), Some(2))
        );
        assert_eq!(parse_label("3").unwrap().version, None);
        assert!(parse_label("3.x").is_none() && parse_label("drie").is_none());
    }

    #[test]
    fn a_text_over_its_limit_is_refused_with_the_limit_named() {
        let title = "x".repeat(MAX_SHORT_CHARS + 1);
        let err = parse(&format!("incident open {title}")).unwrap_err();
        assert!(err.contains("te lang") && err.contains("280"), "{err}");
        let note = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(parse(&format!("log {note}")).unwrap_err().contains("2000"));
    }

    #[test]
    fn hidden_characters_are_removed_but_emoji_joiners_stay() {
        assert_eq!(clean("log a\u{0}b\u{202E}c\u{200B}d"), "log abcd");
        assert_eq!(clean("log 👨\u{200D}👩"), "log 👨\u{200D}👩");
    }

    #[test]
    fn free_text_after_actie_is_a_new_action() {
        let (id, args) = parse("actie 3 ouders bellen").unwrap();
        assert_eq!(id, "action-new");
        assert_eq!(args.text("omschrijving"), Some("3 ouders bellen"));
    }

    #[test]
    fn users_resolve_mij_and_short_names_on_the_senders_server() {
        let (_, args) = parse("rol notulist mij").unwrap();
        assert_eq!(args.user("wie"), Some(ME));
        let (_, args) = parse("actie 2 @jan").unwrap();
        assert_eq!(args.user("wie"), Some("@jan:gemeente.nl"));
        let (_, args) = parse("actie 2 @jan:politie.nl").unwrap();
        assert_eq!(args.user("wie"), Some("@jan:politie.nl"));
    }

    #[test]
    fn a_missing_argument_names_the_command_that_was_meant() {
        let err = parse("checklist afvinken").unwrap_err();
        assert!(err.starts_with("checklist-tick |"), "{err}");
        let err = parse("oneliner goedkeuren twee").unwrap_err();
        assert!(
            err.starts_with("oneliner-approve |") && err.contains("geen nummer"),
            "{err}"
        );
    }

    #[test]
    fn trailing_words_are_not_silently_dropped() {
        let err = parse("fase escalatie nu").unwrap_err();
        assert!(err.contains("'nu'"), "{err}");
    }

    #[test]
    fn an_unknown_word_is_reported_as_unknown() {
        assert_eq!(parse("fasee").unwrap_err(), "unknown fasee");
    }

    #[test]
    fn a_file_joins_a_group_of_another_file_only_under_the_same_title() {
        let file = |id: &str, title: &str| {
            format!(
                "group='g'\ntitle='{title}'\n[[command]]\nid='{id}'\npattern='{id}'\nwho='iedereen'\nsummary='x'\nexamples=[]"
            )
        };
        let (a, b, c) = (file("a", "G"), file("b", "G"), file("c", "H"));
        let cat = Catalogue::from_files(&[("a.toml", &a), ("b.toml", &b)]).unwrap();
        assert_eq!((cat.groups.len(), cat.commands.len()), (1, 2));
        let err = Catalogue::from_files(&[("a.toml", &a), ("c.toml", &c)]).unwrap_err();
        assert!(err.to_string().contains("differs from 'G'"), "{err}");
    }

    #[test]
    fn a_text_slot_must_be_last() {
        let err = Catalogue::from_files(&[(
            "x.toml",
            "group='x'\ntitle='x'\n[[command]]\nid='x'\npattern='x <a:tekst> y'\nwho='iedereen'\nsummary='x'\nexamples=[]",
        )])
        .unwrap_err();
        assert!(err.to_string().contains("comes last"), "{err}");
    }
}
