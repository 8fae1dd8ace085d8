//! Property tests: the command parser and the time-expression parser give an
//! answer (a parse or an error) for any input and never panic.
//!
//! Inputs are every command's `examples` from the catalogue, mutated (words
//! and characters deleted, doubled, swapped, replaced by tricky ones, cut at
//! any character), mixed with entirely random strings.
//!
//! KERNTEAM_PROPERTY_CASES sets the number of inputs per property (default
//! 2,000, the CI run). A full run, once:
//! `KERNTEAM_PROPERTY_CASES=1000000 cargo test --release --test properties -- --nocapture`

use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use kernteam_bot::catalogue::Catalogue;
use kernteam_bot::timeexpr::{parse_duration, parse_moment, split_trailing_moment};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};

const SENDER: &str = "@voorzitter:gemeente.nl";

/// Words and characters that lead the parsers into their corners: time
/// words, bounds of numbers and clocks, user IDs, and Unicode that breaks
/// naive byte slicing or lower-casing.
const TRICKY: &[&str] = &[
    "over",
    "om",
    "binnen",
    "morgen",
    "overmorgen",
    "vandaag",
    "gisteren",
    "maandag",
    "zo",
    "uur",
    "u",
    "min",
    "m",
    "kwartier",
    "half",
    "anderhalf",
    "een",
    "twaalf",
    "dagen",
    "week",
    "en",
    "voor",
    "vóór",
    "uiterlijk",
    "deadline",
    "tot",
    "nov",
    "februari",
    "23:59",
    "24:00",
    "25:61",
    "9:5",
    "1u30",
    "31-02",
    "29-02",
    "2026-02-29",
    "2027-03-28 02:30",
    "2026-10-25 02:30",
    "0",
    "-1",
    "1,5",
    ".5",
    "4294967296",
    "99999999999999999999",
    "#3",
    "#",
    "@",
    "@jan",
    "@:",
    "mij",
    "@jan:politie.nl",
    "weg",
    "klaar",
    "vervalt",
    "alle",
    "mijn",
    "uit",
    "!",
    "!!",
    "?",
    ":",
    ",",
    "-",
    "–",
    "İ",
    "ß",
    "ǅ",
    "é",
    "e\u{301}",
    "🚨",
    "👨‍👩‍👧",
    "\u{200b}",
    "\u{feff}",
    "\t",
    "\n",
    "\r\n",
    " ",
    "\u{a0}",
    "\0",
    "ﷺ",
    "Ⅻ",
    "٣",
    "𝟗",
    "ｍｏｒｇｅｎ",
];

fn cases() -> u32 {
    std::env::var("KERNTEAM_PROPERTY_CASES")
        .ok()
        .and_then(|n| n.replace(['_', ','], "").parse().ok())
        .unwrap_or(2_000)
}

/// The commands as users see them in `!help`, without the prefix.
fn examples() -> Vec<String> {
    let catalogue = Catalogue::built_in();
    let all: Vec<String> = catalogue
        .commands
        .iter()
        .flat_map(|c| &c.examples)
        .map(|e| e.trim_start_matches('!').to_string())
        .collect();
    assert!(
        all.len() >= catalogue.commands.len(),
        "every command has an example"
    );
    all
}

/// One change to a text; positions are picked among its character
/// boundaries, so every mutation yields valid UTF-8.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteChars(Index, usize),
    Insert(Index, &'static str),
    InsertChar(Index, char),
    ReplaceWord(Index, &'static str),
    DoubleWord(Index),
    SwapWords(Index, Index),
    CutAt(Index),
    Case(bool),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tricky = proptest::sample::select(TRICKY);
    prop_oneof![
        (any::<Index>(), 1..4usize).prop_map(|(i, n)| Mutation::DeleteChars(i, n)),
        (any::<Index>(), tricky.clone()).prop_map(|(i, w)| Mutation::Insert(i, w)),
        (any::<Index>(), any::<char>()).prop_map(|(i, c)| Mutation::InsertChar(i, c)),
        (any::<Index>(), tricky).prop_map(|(i, w)| Mutation::ReplaceWord(i, w)),
        any::<Index>().prop_map(Mutation::DoubleWord),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapWords(a, b)),
        any::<Index>().prop_map(Mutation::CutAt),
        any::<bool>().prop_map(Mutation::Case),
    ]
}

fn boundary(text: &str, at: &Index) -> usize {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    bounds[at.index(bounds.len())]
}

fn mutate(text: &str, m: &Mutation) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let n = words.len();
    match m {
        Mutation::DeleteChars(at, n) => {
            let start = boundary(text, at);
            let end = text[start..]
                .char_indices()
                .nth(*n)
                .map_or(text.len(), |(i, _)| start + i);
            return format!("{}{}", &text[..start], &text[end..]);
        }
        Mutation::Insert(at, word) => {
            let at = boundary(text, at);
            return format!("{}{word}{}", &text[..at], &text[at..]);
        }
        Mutation::InsertChar(at, c) => {
            let at = boundary(text, at);
            return format!("{}{c}{}", &text[..at], &text[at..]);
        }
        Mutation::CutAt(at) => return text[..boundary(text, at)].to_string(),
        Mutation::Case(upper) if *upper => return text.to_uppercase(),
        Mutation::Case(_) => return text.to_lowercase(),
        Mutation::ReplaceWord(at, word) => words[at.index(n)] = word.to_string(),
        Mutation::DoubleWord(at) => {
            let i = at.index(n);
            words.insert(i, words[i].clone());
        }
        Mutation::SwapWords(a, b) => words.swap(a.index(n), b.index(n)),
    }
    words.join(" ")
}

/// A catalogue example with up to six mutations, a string of tricky words,
/// or a random string.
fn input(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let mutated = (
        proptest::sample::select(seeds),
        proptest::collection::vec(mutation(), 0..6),
    )
        .prop_map(|(seed, ms)| ms.iter().fold(seed, |text, m| mutate(&text, m)));
    let words = proptest::collection::vec(proptest::sample::select(TRICKY), 0..8)
        .prop_map(|ws| ws.join(" "));
    prop_oneof![6 => mutated, 2 => words, 2 => any::<String>()]
}

/// Any moment from 1970 to 2200, so that days around DST changes, leap days
/// and year ends come by too.
fn moment() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..7_258_118_400).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

fn run<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value)) {
    let n = cases();
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    });
    let started = Instant::now();
    let result = runner.run(&strategy, |value| {
        test(value);
        Ok(())
    });
    eprintln!("{name}: {n} inputs in {:.1?}", started.elapsed());
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn the_command_parser_answers_every_input_without_panicking() {
    let catalogue = Catalogue::built_in();
    // A room whose members are known, so names and mentions are resolved too.
    let members = kernteam_bot::people::Members::new(
        [
            (SENDER, Some("Anna de Vries")),
            ("@jan:gemeente.nl", Some("Jan")),
            ("@jan:politie.nl", Some("Jan")),
            ("@piet:politie.nl", None),
        ]
        .map(|(id, name)| (id.to_string(), name.map(str::to_string))),
    );
    let speaker = kernteam_bot::catalogue::Speaker {
        sender: SENDER,
        members: &members,
    };
    run("Catalogue::parse", input(examples()), |line| {
        let _ = catalogue.parse(&line, &speaker);
    });
}

/// The examples and their last one to four words ("morgen 9:00", "2 uur"),
/// where the time expressions are.
fn time_seeds() -> Vec<String> {
    let mut seeds = examples();
    for example in examples() {
        let words: Vec<&str> = example.split(' ').collect();
        for n in 1..=4.min(words.len()) {
            seeds.push(words[words.len() - n..].join(" "));
        }
    }
    seeds
}

#[test]
fn the_time_parsers_answer_every_input_without_panicking() {
    run(
        "parse_moment, parse_duration, split_trailing_moment",
        (input(time_seeds()), moment()),
        |(text, now)| {
            // The errors are shown to users: their wording must not panic either.
            if let Err(e) = parse_moment(&text, now) {
                let _ = e.to_string();
            }
            if let Err(e) = parse_duration(&text) {
                let _ = e.to_string();
            }
            let _ = split_trailing_moment(&text, now);
        },
    );
}
