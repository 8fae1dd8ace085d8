//! The declarative command catalogue (`commands/*.toml`) and the parser it drives.
//!
//! One declaration per command yields the parser, `!help` and the privilege
//! check, so the three can never disagree.

use std::collections::BTreeMap;

use serde::Deserialize;

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
];

/// Who may run a command; anything finer is the handler's (and is described in `who_note`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    Iedereen,
    Voorzitter,
    VoorzitterOfCommunicatieadviseur,
    VoorzitterOfNotulist,
}

impl Who {
    pub fn describe(self) -> &'static str {
        match self {
            Who::Iedereen => "iedereen",
            Who::Voorzitter => "de voorzitter",
            Who::VoorzitterOfCommunicatieadviseur => "de voorzitter of de communicatieadviseur",
            Who::VoorzitterOfNotulist => "de voorzitter of de notulist",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    /// The rest of the line, non-empty.
    Tekst,
    /// One word.
    Woord,
    /// A positive whole number; `#3` is accepted.
    Getal,
    /// `@user:server`, `@user` (sender's server) or `mij`.
    Gebruiker,
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

/// The values a matched command carries, by slot name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args(BTreeMap<String, Arg>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(u32),
    User(String),
}

impl Args {
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Arg::Text(t)) => Some(t),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<u32> {
        match self.0.get(name) {
            Some(Arg::Number(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn user(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
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
            groups.push(Group {
                id: file.group.clone(),
                title: file.title,
            });
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
    pub fn parse<'c>(&'c self, line: &str, sender: &str) -> Result<Parsed<'c>, ParseError<'c>> {
        let first = line.split_whitespace().next().unwrap_or("").to_lowercase();
        let candidates = self.by_word(&first);
        if candidates.is_empty() {
            return Err(ParseError::Unknown { word: first });
        }
        let mut best: Option<(u32, Parsed<'c>)> = None;
        let mut nearest: Option<(Miss, &'c Command)> = None;
        for command in &candidates {
            for pattern in &command.patterns {
                match match_pattern(pattern, line, sender) {
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
    let text_pos = parts.iter().position(|p| {
        matches!(
            p,
            Part::Slot {
                kind: SlotKind::Tekst,
                ..
            }
        )
    });
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

fn match_pattern(parts: &[Part], line: &str, sender: &str) -> Result<(u32, Args), Miss> {
    let mut rest = line;
    let mut args = Args::default();
    let mut score = 0;
    let mut literals = 0;
    let mut consumed = 0;
    let miss = |literals, consumed, reason: String| {
        Err(Miss {
            literals,
            consumed,
            wrong_value: false,
            reason,
        })
    };
    let wrong = |literals, consumed, reason: String| {
        Err(Miss {
            literals,
            consumed,
            wrong_value: true,
            reason,
        })
    };
    for part in parts {
        match part {
            Part::Literal(word) => match next_word(rest) {
                Some((w, r)) if w.to_lowercase() == *word => {
                    literals += 1;
                    consumed += 1;
                    score += LITERAL_WEIGHT;
                    rest = r;
                }
                Some((w, _)) => {
                    return miss(literals, consumed, format!("'{w}' verwacht ik hier niet."));
                }
                None => return miss(literals, consumed, format!("Er ontbreekt '{word}'.")),
            },
            Part::Slot {
                name,
                kind: SlotKind::Tekst,
                optional,
            } => {
                let text = rest.trim();
                if text.is_empty() {
                    if *optional {
                        break;
                    }
                    return miss(literals, consumed, format!("Er ontbreekt <{name}>."));
                }
                args.0.insert(name.clone(), Arg::Text(text.to_string()));
                score += 1;
                rest = "";
            }
            Part::Slot {
                name,
                kind,
                optional,
            } => {
                let Some((word, r)) = next_word(rest) else {
                    if *optional {
                        continue;
                    }
                    return miss(literals, consumed, format!("Er ontbreekt <{name}>."));
                };
                let value = match kind {
                    SlotKind::Woord => Arg::Text(word.to_string()),
                    SlotKind::Getal => match parse_number(word) {
                        Some(n) => Arg::Number(n),
                        None => {
                            return wrong(
                                literals,
                                consumed,
                                format!("'{word}' is geen nummer; <{name}> is een getal zoals 3."),
                            );
                        }
                    },
                    SlotKind::Gebruiker => match parse_user(word, sender) {
                        Some(u) => Arg::User(u),
                        None => {
                            return wrong(
                                literals,
                                consumed,
                                format!(
                                    "'{word}' is geen gebruiker; noem iemand als @naam:server of zeg 'mij'."
                                ),
                            );
                        }
                    },
                    SlotKind::Tekst => unreachable!("handled above"),
                };
                args.0.insert(name.clone(), value);
                consumed += 1;
                score += 10;
                rest = r;
            }
        }
    }
    if let Some((extra, _)) = next_word(rest) {
        return miss(
            literals,
            consumed,
            format!("Na het commando verwacht ik niets meer, maar zie '{extra}'."),
        );
    }
    Ok((score, args))
}

fn parse_number(word: &str) -> Option<u32> {
    let digits = word.strip_prefix('#').unwrap_or(word);
    digits.parse::<u32>().ok().filter(|n| *n > 0)
}

/// `@anna:gemeente.nl` as is, `@anna` on the sender's server, `mij`/`me` for the sender.
pub fn parse_user(word: &str, sender: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if matches!(lower.as_str(), "mij" | "me" | "ik" | "zelf") {
        return Some(sender.to_string());
    }
    let name = word.strip_prefix('@')?.trim_end_matches([',', ':', '.']);
    let valid_local = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._=-/+".contains(c))
    };
    match name.split_once(':') {
        Some((local, server)) if valid_local(local) && !server.is_empty() => Some(format!(
            "@{}:{}",
            local.to_lowercase(),
            server.to_lowercase()
        )),
        None if valid_local(name) => {
            let server = sender.split_once(':').map(|(_, s)| s)?;
            Some(format!("@{}:{}", name.to_lowercase(), server))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "@anna:gemeente.nl";

    fn parse(line: &str) -> Result<(String, Args), String> {
        let cat = Catalogue::built_in();
        match cat.parse(line, ME) {
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
                    .parse(line, ME)
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
        assert_eq!(args.number("nr"), Some(3));
        assert_eq!(parse("actie #3 klaar").unwrap().0, "action-done");
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
        let (_, args) = parse("actie 2 @Jan").unwrap();
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
    fn a_text_slot_must_be_last() {
        let err = Catalogue::from_files(&[(
            "x.toml",
            "group='x'\ntitle='x'\n[[command]]\nid='x'\npattern='x <a:tekst> y'\nwho='iedereen'\nsummary='x'\nexamples=[]",
        )])
        .unwrap_err();
        assert!(err.to_string().contains("comes last"), "{err}");
    }
}
