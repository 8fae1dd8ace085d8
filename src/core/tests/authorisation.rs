//! Every catalogue command × every kind of team member: allowed or refused,
//! as `commands/authorisation.toml` says, and a refusal changes nothing.

use serde::Deserialize;

use super::*;

const TABLE: &str = include_str!("../../../commands/authorisation.toml");

const NOTULIST: &str = "@notulist:gemeente.nl";
const MEMBER: &str = "@lid:gemeente.nl";
const MODERATOR: &str = "@moderator:gemeente.nl";
const OTHER: &str = "@ander:gemeente.nl";

const PERSONAS: [(&str, &str); 6] = [
    ("voorzitter", CHAIR),
    ("communicatieadviseur", COMMS),
    ("woordvoerder", SPOKES),
    ("notulist", NOTULIST),
    ("lid", MEMBER),
    ("moderator", MODERATOR),
];

#[derive(Deserialize)]
struct Table {
    row: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    command: String,
    line: Option<String>,
    #[serde(default)]
    before: Vec<String>,
    allowed: Allowed,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Allowed {
    Everyone(String),
    Some(Vec<String>),
}

impl Allowed {
    fn contains(&self, persona: &str) -> bool {
        match self {
            Allowed::Everyone(word) => word == "iedereen",
            Allowed::Some(list) => list.iter().any(|p| p == persona),
        }
    }
}

fn table() -> Table {
    toml::from_str(TABLE).expect("commands/authorisation.toml parses")
}

/// The team every row starts from (see the table's header).
fn team() -> Team {
    let mut t = Team::with_incident();
    t.say(CHAIR, &format!("!rol notulist {NOTULIST}"));
    t.moderators.push(MODERATOR);
    for line in [
        "!actie Buurt uitlopen over 2 uur",
        "!actie School bellen over 2 uur",
        "!actie Persbericht over 2 uur",
        "!oneliner voorstel We zijn in gesprek.",
        "!oneliner voorstel De school is open.",
    ] {
        t.say(OTHER, line);
    }
    t.say(CHAIR, "!oneliner goedkeuren 2.1");
    t
}

#[test]
fn every_catalogue_command_has_a_row_and_every_row_a_command() {
    let core = Core::built_in();
    let rows = table().row;
    for command in &core.catalogue.commands {
        assert!(
            rows.iter().any(|r| r.command == command.id),
            "{} has no row in commands/authorisation.toml",
            command.id
        );
    }
    for row in &rows {
        assert!(
            core.catalogue.get(&row.command).is_some(),
            "{}",
            row.command
        );
    }
}

#[test]
fn every_command_is_allowed_or_refused_as_the_table_says_and_refusals_change_nothing() {
    let core = Core::built_in();
    for row in table().row {
        let command = core.catalogue.get(&row.command).expect("checked above");
        let line = row
            .line
            .clone()
            .unwrap_or_else(|| command.examples[0].clone());
        for (persona, user) in PERSONAS {
            let mut t = team();
            for before in &row.before {
                t.say(CHAIR, before);
            }
            let speaker = crate::catalogue::Speaker {
                sender: user,
                members: &t.members,
            };
            let parsed = core
                .catalogue
                .parse(core.command_line(&line).unwrap(), &speaker);
            assert_eq!(
                parsed.map(|p| p.command.id.clone()).ok(),
                Some(row.command.clone()),
                "{line}"
            );
            let outcome = t.outcome(user, &line);
            let reply = outcome
                .messages()
                .first()
                .map(|r| r.plain())
                .unwrap_or_default();
            assert!(
                !reply.starts_with('⚠'),
                "{line} as {persona}: the fixture does not fit: {reply}"
            );
            let refused = reply.starts_with('⛔');
            let expected = row.allowed.contains(persona);
            assert_eq!(!refused, expected, "{line} as {persona}: {reply}");
            if refused {
                assert!(
                    !outcome.changes_state() && outcome.log.is_empty(),
                    "{line} as {persona}: a refusal changed something"
                );
            }
        }
    }
}
