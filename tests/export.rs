//! The record leaves the chat: the exercise of docs/example/oefening.txt,
//! driven through the console, exported with the CLI in every format, and
//! checked as an evaluator, a Woo officer and a forger would.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kernteam_bot::catalogue::Catalogue;
use kernteam_bot::record::verify::{Verdict, verify};
use kernteam_bot::record::{ActionState, Record};
use kernteam_bot::render::markdown;
use kernteam_bot::reply::escape;
use kernteam_bot::store::Store;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_kernteam-bot");
const EXERCISE: &str = include_str!("../docs/example/oefening.txt");
const SCHEMA: &str = include_str!("../docs/export.schema.json");

struct Exercise {
    dir: TempDir,
    console: String,
}

impl Exercise {
    /// The exercise, played in the console on a fresh store.
    fn run() -> Exercise {
        let dir = TempDir::new().unwrap();
        let mut child = Command::new(BIN)
            .args(["console", "--store"])
            .arg(dir.path().join("store"))
            .arg("--exports")
            .arg(dir.path().join("exports"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(EXERCISE.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Exercise {
            console: String::from_utf8(out.stdout).unwrap(),
            dir,
        }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// `kernteam-bot export` of incident 1 in `format`: the file's text.
    fn export(&self, format: &str) -> String {
        let file = self.dir.path().join(format!("export.{format}"));
        let out = cli(&[
            "export",
            "--store",
            self.store().to_str().unwrap(),
            "--incident",
            "1",
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(file).unwrap()
    }

    fn record(&self) -> Record {
        serde_json::from_str(&self.export("json")).unwrap()
    }
}

fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where each of `needles` is found in `haystack` after `start`, one after
/// the other; panics naming the first that is missing or out of order.
fn in_order(haystack: &str, start: &str, needles: &[String], format: &str) {
    let mut at = haystack
        .find(start)
        .unwrap_or_else(|| panic!("{format}: no {start:?}"));
    for needle in needles {
        match haystack[at..].find(needle.as_str()) {
            Some(found) => at += found + needle.len(),
            None => panic!("{format}: {needle:?} missing or out of order after byte {at}"),
        }
    }
}

#[test]
fn the_exercise_uses_every_command_and_none_is_refused() {
    let catalogue = Catalogue::built_in();
    let members = kernteam_bot::people::Members::default();
    let speaker = kernteam_bot::catalogue::Speaker {
        sender: "@x:gemeente.nl",
        members: &members,
    };
    let used: BTreeSet<String> = EXERCISE
        .lines()
        .filter_map(|l| l.strip_prefix('!'))
        .map(|l| catalogue.parse(l, &speaker).unwrap().command.id.clone())
        .collect();
    let all: BTreeSet<String> = catalogue.commands.iter().map(|c| c.id.clone()).collect();
    assert_eq!(used, all, "the exercise must use every command");

    let played = Exercise::run();
    // Refusals start with ⛔, bad input shows the usage ("Gebruik:").
    for refused in ["⛔", "Gebruik:", "ken ik niet"] {
        assert!(!played.console.contains(refused), "{}", played.console);
    }
    // `!export` in the console writes the file next to the store.
    assert!(
        played
            .console
            .contains("exports/incident-1-oefening-onrust-na-familiedrama-oosterstraat.json ("),
        "{}",
        played.console
    );
}

#[test]
fn the_exercise_appears_whole_and_in_order_in_all_three_formats() {
    let played = Exercise::run();
    let record = played.record();
    let (md, html) = (played.export("md"), played.export("html"));

    // The JSON is the record; the other two show all of it.
    let lines: Vec<&str> = record.log.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(record.log.len() as u64, record.chain.length);
    let as_md = |texts: &[&str]| {
        texts
            .iter()
            .map(|t| markdown::escape(t))
            .collect::<Vec<_>>()
    };
    let as_html = |texts: &[&str]| texts.iter().map(|t| escape(t)).collect::<Vec<_>>();
    in_order(&md, "## Logboek", &as_md(&lines), "md");
    in_order(&html, "<section id=\"logboek\">", &as_html(&lines), "html");
    let hashes: Vec<String> = record.log.iter().map(|l| l.hash.clone()).collect();
    in_order(&md, "## Hashketen", &hashes, "md");
    in_order(&html, "<section id=\"hashketen\">", &hashes, "html");

    let decisions: Vec<&str> = record.decisions.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(decisions.len(), 2);
    in_order(&md, "## Besluitenlijst", &as_md(&decisions), "md");
    in_order(
        &html,
        "<section id=\"besluiten\">",
        &as_html(&decisions),
        "html",
    );

    let versions: Vec<&str> = record
        .oneliners
        .iter()
        .flat_map(|o| o.versions.iter().map(|v| v.text.as_str()))
        .collect();
    assert_eq!(versions.len(), 3);
    in_order(&md, "## Oneliners", &as_md(&versions), "md");
    in_order(
        &html,
        "<section id=\"oneliners\">",
        &as_html(&versions),
        "html",
    );

    let states: Vec<ActionState> = record.actions.iter().map(|a| a.state).collect();
    use ActionState::{Done, Dropped};
    assert_eq!(states, [Done, Done, Dropped]);
    assert_eq!(
        record.actions[0].finished.as_ref().unwrap().by.as_deref(),
        Some("@wijkagent:politie.nl")
    );
    let phases: Vec<&str> = record.phases.iter().map(|p| p.phase.as_str()).collect();
    assert_eq!(phases, ["dreiging", "onrust", "escalatie", "terugkeer"]);
    assert!(
        record.phases.iter().all(|p| p.seconds.is_some()),
        "closed: every phase has a duration"
    );
    let spokes = record
        .roles
        .iter()
        .find(|r| r.role == "woordvoerder")
        .unwrap();
    assert!(spokes.until.is_some(), "the woordvoerder role was released");
    // Two `!update`s and one published text, which counts as one.
    assert_eq!(record.public_updates.len(), 3);
    assert!(
        !record.reminders.is_empty(),
        "reminders fell due during the exercise"
    );
    assert_eq!(record.checklist.len(), 2);
    assert!(record.incident.closed.is_some());

    // Every statement is backed by its logboek entry.
    match verify(record) {
        Verdict::Intact { unbacked, .. } => assert!(unbacked.is_empty(), "{unbacked:?}"),
        other => panic!("{other}"),
    }
}

#[test]
fn the_json_export_validates_against_its_schema() {
    let played = Exercise::run();
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("docs/export.schema.json is a valid schema");
    let export: serde_json::Value = serde_json::from_str(&played.export("json")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&export)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The schema is strict: a field it does not know is an error.
    let mut extra = export.clone();
    extra["incident"]["secret"] = serde_json::json!("x");
    assert!(!validator.is_valid(&extra));
}

#[test]
fn verify_export_passes_on_an_untouched_file_and_names_a_changed_entry() {
    let played = Exercise::run();
    let json = played.export("json");
    let file = played.dir.path().join("check.json");

    std::fs::write(&file, &json).unwrap();
    let out = cli(&["verify", "--export", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("OK: "), "{}", stdout(&out));

    // One character of one logboek line.
    let forged = json.replacen("geen gewonden", "geen gewondeN", 1);
    assert_ne!(forged, json);
    std::fs::write(&file, &forged).unwrap();
    let out = cli(&["verify", "--export", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let record: Record = serde_json::from_str(&json).unwrap();
    let seq = record
        .log
        .iter()
        .find(|l| l.text.contains("geen gewonden"))
        .unwrap()
        .seq;
    assert_eq!(
        stdout(&out).trim(),
        format!("FOUT: logboekregel {seq}: inhoud is gewijzigd (hash klopt niet)")
    );
}

#[test]
fn verify_export_names_a_changed_statement_outside_the_logboek() {
    let played = Exercise::run();
    let json = played.export("json");
    let file = played.dir.path().join("check.json");
    // The besluitenlijst comes before the logboek in the file: only its copy changes.
    let forged = json.replacen("Noodbevel voor", "Noodbevel v00r", 1);
    std::fs::write(&file, &forged).unwrap();
    let out = cli(&["verify", "--export", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("FOUT: besluit 2 komt niet overeen met logboekregel "),
        "{text}"
    );

    // A changed owner's name in an action, and a changed time, likewise.
    let record: Record = serde_json::from_str(&json).unwrap();
    let mut moved = record.clone();
    moved.decisions[0].decided.at += chrono::Duration::minutes(1);
    assert!(matches!(verify(moved), Verdict::Broken(p) if p.starts_with("besluit 1 ")));
    let mut renamed = record;
    renamed.actions[0].finished.as_mut().unwrap().by = Some("@iemand:anders.nl".into());
    assert!(matches!(verify(renamed), Verdict::Broken(p) if p.starts_with("actie 1 (afgerond)")));
}

#[test]
fn verify_export_says_it_cannot_check_a_keyed_chain() {
    let played = Exercise::run();
    let json = played
        .export("json")
        .replace("\"mode\": \"sha256\"", "\"mode\": \"hmac-sha256\"");
    let file = played.dir.path().join("keyed.json");
    std::fs::write(&file, json).unwrap();
    let out = cli(&["verify", "--export", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("met sleutel (HMAC-SHA256)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn export_works_while_the_bot_holds_the_store_open() {
    let played = Exercise::run();
    let held = Store::open(&played.store()).unwrap();
    // Opening the store itself is refused: sled allows one process.
    let direct = cli(&["verify", "--store", played.store().to_str().unwrap()]);
    assert!(!direct.status.success());
    assert!(String::from_utf8_lossy(&direct.stderr).contains("lock"));

    let record: Record = serde_json::from_str(&played.export("json")).unwrap();
    assert_eq!(
        record.incident.title,
        "Oefening: onrust na familiedrama Oosterstraat"
    );
    assert_eq!(
        record.log.len() as u64,
        held.incident(1).unwrap().unwrap().log_len
    );
}

#[test]
fn export_without_an_incident_lists_them() {
    let played = Exercise::run();
    let out = cli(&["export", "--store", played.store().to_str().unwrap()]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("   1  2026-11-21 18:00 – 2026-11-21 20:40"),
        "{text}"
    );
    assert!(
        text.contains("Oefening: onrust na familiedrama Oosterstraat"),
        "{text}"
    );
    assert!(text.contains("--incident NR"), "{text}");

    let missing = cli(&[
        "export",
        "--store",
        played.store().to_str().unwrap(),
        "--incident",
        "9",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("incident 9 bestaat niet"));
}

#[test]
fn user_text_never_becomes_markup_and_the_html_loads_nothing() {
    let played = Exercise::run();
    let html = played.export("html");
    // The exercise's logboek says "< 10" and "<zichtbaar>".
    assert!(
        html.contains("Aantal aanwezigen &lt; 10, politie blijft tot 23:00 &lt;zichtbaar&gt;.")
    );
    assert!(!html.contains("<zichtbaar>"));
    for outside in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "https:",
    ] {
        assert!(!html.contains(outside), "the report contains {outside:?}");
    }
    assert!(html.contains("Content-Security-Policy"));
    let md = played.export("md");
    assert!(md.contains("Aantal aanwezigen \\< 10, politie blijft tot 23:00 \\<zichtbaar\\>."));
}

/// The console's file from `!export` is the record at that moment.
#[test]
fn the_export_command_logs_who_exported_and_its_file_contains_that_entry() {
    let played = Exercise::run();
    let record = played.record();
    let exports: Vec<&str> = record
        .log
        .iter()
        .filter(|l| l.kind == kernteam_bot::model::LogKind::Export)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        exports,
        [
            "Export (json) gemaakt door @notulist:gemeente.nl",
            "Export (md) gemaakt door @voorzitter:gemeente.nl"
        ]
    );
    let file: PathBuf = Path::new(played.dir.path())
        .join("exports/incident-1-oefening-onrust-na-familiedrama-oosterstraat.json");
    let early: Record = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(early.log.last().unwrap().text, exports[0]);
    assert!(early.incident.closed.is_none());
    assert!(matches!(verify(early), Verdict::Intact { .. }));
}

#[test]
fn only_the_chair_or_the_note_taker_exports_and_a_wrong_format_is_explained() {
    let dir = TempDir::new().unwrap();
    let script = "!export\n!incident open Test\n/als @lid:gemeente.nl\n!export\n\
                  /als @voorzitter:gemeente.nl\n!export pdf\n!rol notulist @notulist:gemeente.nl\n\
                  /als @notulist:gemeente.nl\n!export md\n";
    let mut child = Command::new(BIN)
        .args(["console", "--as", "@voorzitter:gemeente.nl", "--store"])
        .arg(dir.path().join("store"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(
        out.contains("⛔ Alleen de voorzitter of de notulist mag !export [formaat] gebruiken.\n"),
        "{out}"
    );
    assert!(
        out.contains("⛔ Alleen de voorzitter of de notulist mag !export [formaat] gebruiken (nu: @voorzitter:gemeente.nl)."),
        "{out}"
    );
    assert!(
        out.contains("⚠️ Formaat 'pdf' ken ik niet. Kies html, md of json."),
        "{out}"
    );
    assert!(
        out.contains("📦 Export (md) van incident 1 “Test” volgt als bestand."),
        "{out}"
    );
    // Next to the store: DIR-exports.
    let file = dir.path().join("store-exports/incident-1-test.md");
    assert!(out.contains(&format!("📎 {} (", file.display())), "{out}");
    assert!(
        std::fs::read_to_string(file)
            .unwrap()
            .starts_with("# Verslag incident 1: Test")
    );
}

#[test]
fn an_exercise_says_oefening_in_every_format() {
    let played = Exercise::run();
    assert!(played.record().incident.exercise);
    assert!(played.export("md").contains("🧪 OEFENING"));
    assert!(
        played
            .export("html")
            .contains("OEFENING — dit is het verslag van een oefening")
    );
    // And on every message of it in the room (the console shows them).
    let during = played
        .console
        .split("Nazorg Oosterstraat")
        .next()
        .unwrap()
        .split("\n\n")
        .filter(|m| m.contains("Oefening: onrust") && m.starts_with("🧭"))
        .count();
    assert_eq!(
        during, 0,
        "every message of the exercise starts with the mark"
    );
}
