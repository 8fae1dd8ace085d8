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
        "OK: 1 incidenten, 4 logboekregels, hashketen intact"
    );
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
