//! The console as a team would script it: several invocations on one store,
//! switching senders with `/als`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kernteam-bot");

fn console(store: &Path, sender: &str, script: &str) -> String {
    let mut child = Command::new(BIN)
        .args(["console", "--store"])
        .arg(store)
        .args(["--as", sender])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_scripted_session_over_several_invocations_keeps_the_four_eyes_and_the_chair() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");

    let out = console(
        &store,
        "@voorzitter:example.org",
        "!incident open Onrust Oosterwijk\n",
    );
    assert!(out.contains("Incident geopend: Onrust Oosterwijk"), "{out}");

    // A non-chair's phase change is refused and the phase stays.
    let out = console(
        &store,
        "@woordvoerder:example.org",
        "!fase escalatie\n!fase\n",
    );
    assert!(out.contains("⛔ Alleen de voorzitter"), "{out}");
    assert!(
        out.contains("Fase: Dreigende maatschappelijke onrust"),
        "{out}"
    );

    // The chair's is accepted.
    let out = console(&store, "@voorzitter:example.org", "!fase escalatie\n");
    assert!(out.contains("Nieuwe fase (4/5): Escalatie"), "{out}");

    // Proposed and "approved" by its proposer, the communicatieadviseur who
    // may approve others' oneliners: not in !oneliners.
    let out = console(
        &store,
        "@voorzitter:example.org",
        "!rol communicatieadviseur @comms:example.org\n/als @comms:example.org\n!oneliner voorstel We zijn met bewoners in gesprek.\n!oneliner goedkeuren 1\n/als @woordvoerder:example.org\n!oneliners\n",
    );
    assert!(out.contains("Vier ogen"), "{out}");
    let listed = out.split("Goedgekeurde oneliners").nth(1).unwrap();
    assert!(listed.contains("nog geen"), "{out}");

    // Approved by the voorzitter, it is.
    let out = console(
        &store,
        "@voorzitter:example.org",
        "!oneliner goedkeuren 1\n/als @woordvoerder:example.org\n!oneliners\n",
    );
    assert!(
        out.contains("1. “We zijn met bewoners in gesprek.” (32 tekens)"),
        "{out}"
    );
}

#[test]
fn verify_says_ok_on_an_intact_store_and_exits_nonzero_when_broken() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    console(
        &store,
        "@voorzitter:example.org",
        "!incident open Test\n!log Een\n",
    );
    let out = Command::new(BIN)
        .args(["verify", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "OK: 1 incidenten, 5 logboekregels, hashketen intact"
    );
    let out = verify(&dir.path().join("nergens"), &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no store at"), "{}", stderr(&out));
}

fn verify(store: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["verify", "--store"])
        .arg(store)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// `<incident>:<count>:<hash>` from the last anchor the bot posted.
fn last_anchor(output: &str) -> String {
    let line = output
        .lines()
        .rfind(|l| l.starts_with("⚓ Logboek-anker incident "))
        .expect("an anchor was posted");
    let rest = line.trim_start_matches("⚓ Logboek-anker incident ");
    let (incident, rest) = rest.split_once(": ").unwrap();
    let count = rest.split(' ').next().unwrap();
    let hash = line
        .split("volledig: ")
        .nth(1)
        .unwrap()
        .trim_end_matches(')');
    format!("{incident}:{count}:{hash}")
}

/// A forger with write access to the store: changes entry `from`'s text and
/// redoes the plain hashes of every entry after it and the incident's head.
fn rewrite_from(store: &Path, incident: u64, from: u64) {
    use kernteam_bot::model::{Incident, LogEntry};
    let db = sled::open(store).unwrap();
    let (log, incidents) = (
        db.open_tree("logboek").unwrap(),
        db.open_tree("incidents").unwrap(),
    );
    // The logboek lies in chunks of entries, one JSON entry per line.
    let mut prev: Option<String> = None;
    for item in log.scan_prefix(incident.to_be_bytes()) {
        let (key, chunk) = item.unwrap();
        let mut forged = Vec::new();
        for line in chunk.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let mut e: LogEntry = serde_json::from_slice(line).unwrap();
            if e.seq >= from {
                if e.seq == from {
                    e.text = "Vervalst".into();
                }
                e.prev = prev.unwrap_or(e.prev);
                e.hash = kernteam_bot::store::entry_hash(
                    e.incident, e.seq, e.at, &e.actor, e.kind, &e.text, &e.prev,
                );
                prev = Some(e.hash.clone());
            }
            forged.extend(serde_json::to_vec(&e).unwrap());
            forged.push(b'\n');
        }
        log.insert(key, forged).unwrap();
    }
    let key = incident.to_be_bytes();
    let mut record: Incident =
        serde_json::from_slice(&incidents.get(key).unwrap().unwrap()).unwrap();
    record.log_head = prev.unwrap();
    incidents
        .insert(key, serde_json::to_vec(&record).unwrap())
        .unwrap();
    db.flush().unwrap();
}

#[test]
fn verify_with_an_anchor_from_the_room_catches_a_rewritten_logboek() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = console(
        &store,
        "@voorzitter:example.org",
        "!incident open Test\n!besluit Geen persconferentie\n!log Een\n",
    );
    let anchor = last_anchor(&out);
    assert!(anchor.starts_with("1:5:"), "{anchor}");
    let ok = verify(&store, &["--anchor", &anchor]);
    assert!(ok.status.success(), "{}", stdout(&ok));
    assert!(
        stdout(&ok).ends_with("hashketen intact; het anker klopt"),
        "{}",
        stdout(&ok)
    );

    rewrite_from(&store, 1, 2);
    // Chain and head agree again: alone, the store cannot tell.
    assert!(verify(&store, &[]).status.success());
    let caught = verify(&store, &["--anchor", &anchor]);
    assert_eq!(caught.status.code(), Some(1));
    assert!(
        stdout(&caught).starts_with("FOUT: incident 1, regel 5: wijkt af van het anker"),
        "{}",
        stdout(&caught)
    );
    let bad = verify(&store, &["--anchor", "1:5:9f2c…e41a"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("<incident>:<count>:<hash>"),
        "{}",
        stderr(&bad)
    );
}

fn write_key(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, "q".repeat(44)).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn console_keyed(store: &Path, key: &Path, script: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args(["console", "--store"])
        .arg(store)
        .arg("--log-key-file")
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_keyed_logboek_is_verified_with_its_key_and_fails_without_or_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let (store, key) = (dir.path().join("store"), dir.path().join("log.key"));
    write_key(&key);
    let out = console_keyed(&store, &key, "!incident open Test\n!log Een\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let key_arg = key.to_str().unwrap();
    let ok = verify(&store, &["--log-key-file", key_arg]);
    assert!(ok.status.success(), "{} {}", stdout(&ok), stderr(&ok));
    let without = verify(&store, &[]);
    assert_eq!(without.status.code(), Some(1));
    assert!(
        stderr(&without).contains("the logboek is keyed"),
        "{}",
        stderr(&without)
    );

    // Rehashed by someone without the key.
    rewrite_from(&store, 1, 5);
    let caught = verify(&store, &["--log-key-file", key_arg]);
    assert_eq!(caught.status.code(), Some(1));
    assert_eq!(
        stdout(&caught),
        "FOUT: incident 1, regel 5: inhoud is gewijzigd (hash klopt niet)"
    );
}

#[test]
fn a_log_key_inside_the_store_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    std::fs::create_dir(&store).unwrap();
    let key = store.join("log.key");
    write_key(&key);
    let out = console_keyed(&store, &key, "!incidenten\n");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("inside the data directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_console_store_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    console(
        &store,
        "@voorzitter:example.org",
        "!incident open Test\n!log Een\n",
    );
    fn check(path: &Path) {
        let meta = std::fs::metadata(path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        let wanted = if meta.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{}", path.display());
        if meta.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                check(&entry.unwrap().path());
            }
        }
    }
    check(&store);
}

#[test]
fn a_console_script_is_never_flood_limited() {
    // The flood limit guards a room against a runaway member (see
    // src/flood.rs and its tests); a script typed into the console is one
    // person's own exercise and runs whole.
    let dir = tempfile::tempdir().unwrap();
    let mut script = String::from("!incident open Test\n");
    for i in 1..=12 {
        script.push_str(&format!("!log melding {i}\n"));
    }
    let out = console(
        &dir.path().join("store"),
        "@voorzitter:example.org",
        &script,
    );
    assert!(!out.contains("Even rustig"), "{out}");
    assert_eq!(out.matches("📝 In het logboek").count(), 12, "{out}");
}

#[test]
fn the_console_explains_bad_input_and_exits_zero_at_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = console(
        &dir.path().join("store"),
        "@voorzitter:example.org",
        "hallo\n/als jan\n!onzin\n",
    );
    assert!(out.contains("geen commando"), "{out}");
    assert!(out.contains("Gebruik: /als @gebruiker:server"), "{out}");
    assert!(out.contains("'!onzin' ken ik niet"), "{out}");
}

#[test]
fn the_console_clock_can_be_set_for_a_scripted_exercise_but_only_forward() {
    let dir = tempfile::tempdir().unwrap();
    let out = console(
        &dir.path().join("store"),
        "@voorzitter:example.org",
        "/tijd 2026-11-21 18:00\n!incident open Oefening\n/tijd over 20 min\n/tijd 2026-11-21 17:00\n/tijd straks\n",
    );
    assert!(out.contains("(het is nu 2026-11-21 18:00)"), "{out}");
    assert!(out.contains("(het is nu 2026-11-21 18:20)"), "{out}");
    assert!(out.contains("⚠️ De tijd kan alleen vooruit."), "{out}");
    assert!(
        out.contains("Gebruik: /tijd 2026-11-21 18:00 of /tijd over 20 min"),
        "{out}"
    );
}
