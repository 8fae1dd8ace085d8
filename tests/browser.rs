//! The HTML report in a real browser. Headless Chromium (installed from the
//! system's packages by scripts/chromium.sh when missing) prints the
//! exercise's report to PDF; the test checks that the timeline picture was
//! drawn into it and that the page caused no console message.
//!
//! "No console errors", robustly: the report has no scripts, so anything on
//! the console comes from the browser about the page itself (an invalid SVG
//! attribute, a resource the Content-Security-Policy blocked, a parse
//! error). Chromium with `--enable-logging=stderr --v=0` writes every
//! console message as a `:CONSOLE` line; the report must cause none. A
//! control page with a known fault proves the check sees such lines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_kernteam-bot");
const EXERCISE: &str = include_str!("../docs/example/oefening.txt");

fn chromium() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/chromium.sh");
    let out = Command::new(script)
        .arg("path")
        .output()
        .expect("run scripts/chromium.sh");
    assert!(
        out.status.success(),
        "scripts/chromium.sh path failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// The exercise's HTML report, written into `dir`.
fn report(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    let mut child = Command::new(BIN)
        .args(["console", "--store"])
        .arg(&store)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(EXERCISE.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let html = dir.join("rapport.html");
    let out = Command::new(BIN)
        .args(["export", "--incident", "1", "--format", "html", "--store"])
        .arg(&store)
        .arg("--out")
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    html
}

/// Chromium, headless and offline, on `page` with `extra` arguments.
fn headless(dir: &Path, page: &Path, extra: &[String]) -> Output {
    let profile = TempDir::new_in(dir).unwrap();
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

fn console_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect()
}

fn print_to_pdf(dir: &Path, page: &Path) -> (Vec<u8>, Vec<String>) {
    let pdf = dir.join(format!(
        "{}.pdf",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let out = headless(
        dir,
        page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        std::fs::read(&pdf).expect("chromium wrote the PDF"),
        console_lines(&out),
    )
}

/// `pdfinfo` or `pdftotext` (poppler-utils, installed with Chromium) on `pdf`.
fn poppler(dir: &Path, tool: &str, pdf: &[u8]) -> String {
    let file = dir.join("check.pdf");
    std::fs::write(&file, pdf).unwrap();
    let mut command = Command::new(tool);
    command.arg(&file);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let out = command.output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_report_prints_on_a4_with_its_timeline_drawn_and_no_console_messages() {
    let dir = TempDir::new().unwrap();
    let html = report(dir.path());
    let (pdf, console) = print_to_pdf(dir.path(), &html);
    assert!(console.is_empty(), "console messages: {console:#?}");

    assert!(pdf.starts_with(b"%PDF-"));
    let info = poppler(dir.path(), "pdfinfo", &pdf);
    assert!(info.contains("(A4)"), "A4 pages:\n{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo counts pages");
    assert!(
        pages >= 3,
        "title page, summary and sections: {pages} pages"
    );

    // Words that exist only inside the SVG: the browser drew the picture.
    let text = poppler(dir.path(), "pdftotext", &pdf);
    for drawn in [
        "tijd (Amsterdam)",
        "4 escalatie",
        "Besluit",
        "Publieksupdate",
    ] {
        assert!(
            text.contains(drawn),
            "{drawn:?} not in the printed timeline:\n{text}"
        );
    }

    // And after loading, the document still holds the picture as SVG.
    let dom = headless(dir.path(), &html, &["--dump-dom".into()]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<svg class=\"timeline\""),
        "no timeline in the DOM"
    );
    assert_eq!(
        dom.matches("<rect class=\"phase\"").count(),
        4,
        "one band per phase"
    );
}

#[test]
fn the_console_check_sees_a_page_with_faults() {
    let dir = TempDir::new().unwrap();
    let page = dir.path().join("faulty.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'\"></head><body><svg><rect width=\"-5\" height=\"1\"/></svg>\
         <img src=\"https://example.invalid/x.png\"></body></html>",
    )
    .unwrap();
    let (_, console) = print_to_pdf(dir.path(), &page);
    assert!(
        console.iter().any(|l| l.contains("negative value")),
        "{console:#?}"
    );
    assert!(
        console
            .iter()
            .any(|l| l.contains("Content Security Policy")),
        "{console:#?}"
    );
}
