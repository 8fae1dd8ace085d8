//! The record as one self-contained HTML file: no scripts, no external
//! resources (a Content-Security-Policy forbids them besides), inline CSS
//! that prints on A4, and the phase timeline as inline SVG. Every text that
//! came from users or the draaiboek is escaped.

use std::fmt::Write;

use chrono::{DateTime, TimeZone, Utc};

use super::sections::{self, Cell, Section};
use crate::model::LogKind;
use crate::record::{LogLine, Record};
use crate::reply::escape;
use crate::timeexpr::ZONE;

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-right { content: "pagina " counter(page) " van " counter(pages); font: 8pt sans-serif; color: #555; } }
:root { --ink: #1b1b1b; --muted: #5a5a5a; --line: #d3d6dc; --accent: #1f3a93; }
* { box-sizing: border-box; }
body { font: 10pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
  max-width: 200mm; margin: 0 auto; padding: 10mm 8mm; }
h1 { font-size: 22pt; line-height: 1.2; margin: 2mm 0 4mm; }
h2 { font-size: 14pt; color: var(--accent); border-bottom: 1.5pt solid var(--accent);
  padding-bottom: 1mm; margin: 9mm 0 3mm; break-after: avoid; }
p.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0; }
p.exercise { border: 2px solid #b45309; color: #b45309; font-weight: bold; padding: .3em .6em; }
p.lead { font-size: 11pt; color: var(--muted); }
p.note { color: var(--muted); margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 0 0 3mm; }
th, td { border-bottom: .5pt solid var(--line); padding: 1.1mm 1.5mm; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
th, td.t { white-space: nowrap; }
thead { display: table-header-group; }
th { background: #eef1f8; font-weight: 600; }
tr { break-inside: avoid; }
table.facts th { width: 32%; background: none; }
code { font: 7pt "DejaVu Sans Mono", "Liberation Mono", monospace; overflow-wrap: anywhere; }
figure { margin: 5mm 0; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 8.5pt; }
svg.timeline { width: 100%; height: auto; display: block; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
nav.toc ol { columns: 2; padding-left: 5mm; }
a { color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; }
  section.title-page { break-after: page; padding-top: 40mm; }
  nav.toc { break-after: page; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub fn render(record: &Record) -> String {
    let mut out = String::with_capacity(8192 + 600 * record.log.len());
    let i = &record.incident;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>Verslag incident {}: {}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&record.generator),
        i.id,
        escape(&i.title)
    );
    let _ = write!(
        out,
        "<section class=\"title-page\">\n{}<p class=\"kicker\">Verslag kernteam</p>\n\
         <h1>Incident {}: {}</h1>\n<p class=\"lead\">Bijlage bij de evaluatie (Handreiking §3.4, \
         Bijlage 5 stap 6), het feitenrelaas en Woo-verzoeken: het volledige dossier uit het \
         logboek van het kernteam.</p>\n",
        if i.exercise {
            "<p class=\"exercise\">OEFENING — dit is het verslag van een oefening, geen echt incident.</p>\n"
        } else {
            ""
        },
        i.id,
        escape(&i.title)
    );
    facts(&mut out, &sections::title_page(record));
    out.push_str("</section>\n<section id=\"samenvatting\">\n<h2>Samenvatting</h2>\n");
    facts(&mut out, &sections::summary(record));
    out.push_str("<figure>\n");
    timeline_svg(&mut out, record);
    out.push_str(
        "<figcaption>Fasen als gekleurde banden in de tijd, met de gemarkeerde momenten \
         uit het logboek eronder.</figcaption>\n</figure>\n</section>\n",
    );
    let timeline = sections::timeline(record);
    let rest = sections::sections(record);
    out.push_str("<nav class=\"toc\">\n<h2>Inhoud</h2>\n<ol>\n");
    for s in std::iter::once(&timeline).chain(&rest) {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", s.id, s.title);
    }
    out.push_str("</ol>\n</nav>\n");
    for s in std::iter::once(&timeline).chain(&rest) {
        section(&mut out, s);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn facts(out: &mut String, rows: &[(&str, String)]) {
    out.push_str("<table class=\"facts\">\n");
    for (label, value) in rows {
        let _ = writeln!(out, "<tr><th>{label}</th><td>{}</td></tr>", escape(value));
    }
    out.push_str("</table>\n");
}

fn section(out: &mut String, s: &Section) {
    let _ = writeln!(out, "<section id=\"{}\">\n<h2>{}</h2>", s.id, s.title);
    if let Some(note) = &s.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    if s.rows.is_empty() {
        let _ = writeln!(out, "<p>{}</p>\n</section>", s.empty);
        return;
    }
    out.push_str("<table>\n<thead><tr>");
    for h in s.head {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &s.rows {
        out.push_str("<tr>");
        for c in row {
            match c {
                Cell::Text(t) => {
                    let _ = write!(out, "<td>{}</td>", escape(t));
                }
                Cell::Time(t) => {
                    let _ = write!(out, "<td class=\"t\">{}</td>", escape(t));
                }
                Cell::Code(t) => {
                    let _ = write!(out, "<td><code>{}</code></td>", escape(t));
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

// --- the timeline picture ----------------------------------------------------

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 20.0;
const BAND_TOP: f64 = 10.0;
const BAND_HEIGHT: f64 = 44.0;
const ROW_HEIGHT: f64 = 32.0;
/// Text sizes in picture units (1000 units ≈ the printed page's width).
const LABEL: f64 = 17.0;
const SMALL: f64 = 14.0;

/// Phase colours by number (1 rust … 5 terugkeer); grey for unknown.
fn phase_colour(number: Option<u8>) -> &'static str {
    match number {
        Some(1) => "#7fb77e",
        Some(2) => "#f2c94c",
        Some(3) => "#f2994a",
        Some(4) => "#d64541",
        Some(5) => "#5b8def",
        _ => "#b0b0b0",
    }
}

const MARKER_COLOURS: [&str; 4] = ["#1f3a93", "#8e44ad", "#117864", "#6e2c00"];

/// Maps moments onto the picture's x axis.
struct Scale {
    start: DateTime<Utc>,
    seconds: f64,
}

impl Scale {
    fn x(&self, at: DateTime<Utc>) -> f64 {
        let offset = (at - self.start).num_milliseconds() as f64 / 1000.0;
        LEFT + (offset / self.seconds).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }
}

fn timeline_svg(out: &mut String, record: &Record) {
    let (start, end) = record.span();
    let scale = Scale {
        start,
        seconds: ((end - start).num_milliseconds() as f64 / 1000.0).max(60.0),
    };
    let marked = record.marked();
    let axis_y = BAND_TOP + BAND_HEIGHT + 10.0 + ROW_HEIGHT * marked.len() as f64;
    let mut body = String::new();
    phase_bands(&mut body, record, &scale, end);
    marker_rows(&mut body, &marked, &scale);
    axis(&mut body, &scale, start, end, axis_y);
    let height = legend(&mut body, record, axis_y + 52.0);
    let _ = write!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
         role=\"img\" aria-label=\"Tijdlijn van de fasen\">\n{body}</svg>\n"
    );
}

/// One coloured band per phase period, labelled where it is wide enough.
fn phase_bands(out: &mut String, record: &Record, scale: &Scale, end: DateTime<Utc>) {
    let middle = BAND_TOP + BAND_HEIGHT / 2.0 + 5.0;
    let _ = writeln!(
        out,
        "<text x=\"0\" y=\"{middle}\" font-size=\"{LABEL}\" font-weight=\"bold\">Fase</text>"
    );
    for p in &record.phases {
        let x = scale.x(p.from.at);
        let w = (scale.x(p.until.unwrap_or(end)) - x).max(1.5);
        let _ = write!(
            out,
            "<rect class=\"phase\" x=\"{x:.1}\" y=\"{BAND_TOP}\" width=\"{w:.1}\" height=\"{BAND_HEIGHT}\" fill=\"{}\">\
             <title>{} — vanaf {}</title></rect>",
            phase_colour(p.number),
            escape(&p.name),
            sections::when(p.from.at)
        );
        let label = p
            .number
            .map_or_else(|| p.phase.clone(), |n| format!("{n} {}", p.phase));
        if w > 0.6 * SMALL * label.chars().count() as f64 + 8.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{middle}\" font-size=\"{SMALL}\">{}</text>",
                x + 5.0,
                escape(&label)
            );
        }
        out.push('\n');
    }
}

/// A row per marked kind of logboek entry, a shape at each entry's moment.
fn marker_rows(out: &mut String, marked: &[(LogKind, Vec<&LogLine>)], scale: &Scale) {
    for (row, (kind, lines)) in marked.iter().enumerate() {
        let y = BAND_TOP + BAND_HEIGHT + 10.0 + ROW_HEIGHT * row as f64 + ROW_HEIGHT / 2.0;
        let colour = MARKER_COLOURS[row % MARKER_COLOURS.len()];
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"{LABEL}\">{}</text>\
             <line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#e3e3e3\"/>",
            y + 5.0,
            escape(&capitalised(kind.label())),
            WIDTH - RIGHT
        );
        for line in lines {
            let _ = writeln!(
                out,
                "<path class=\"marker\" d=\"{}\" fill=\"{colour}\"><title>{} — regel {}: {}</title></path>",
                marker_path(row, scale.x(line.at), y),
                sections::when(line.at),
                line.seq,
                escape(&line.text)
            );
        }
    }
}

/// A distinct shape per row, so the picture also reads in black and white.
fn marker_path(row: usize, x: f64, y: f64) -> String {
    let r = 8.0;
    match row % 4 {
        0 => format!(
            "M{x:.1},{:.1}L{:.1},{y:.1}L{x:.1},{:.1}L{:.1},{y:.1}Z",
            y - r,
            x + r,
            y + r,
            x - r
        ),
        1 => format!(
            "M{:.1},{y:.1}a{r},{r} 0 1,0 {:.1},0a{r},{r} 0 1,0 {:.1},0Z",
            x - r,
            2.0 * r,
            -2.0 * r
        ),
        2 => format!(
            "M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
            y - r,
            x + r,
            y + r,
            x - r,
            y + r
        ),
        _ => format!(
            "M{:.1},{:.1}h{:.1}v{:.1}h{:.1}Z",
            x - r,
            y - r,
            2.0 * r,
            2.0 * r,
            -2.0 * r
        ),
    }
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Ticks at round local times, at most about ten of them.
fn axis(out: &mut String, scale: &Scale, start: DateTime<Utc>, end: DateTime<Utc>, y: f64) {
    const STEPS: [i64; 12] = [
        300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
    ];
    let span = (end - start).num_seconds().max(60);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s <= 10)
        .unwrap_or(604800);
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#444\"/>",
        WIDTH - RIGHT
    );
    let local_secs =
        |at: DateTime<Utc>| at.with_timezone(&ZONE).naive_local().and_utc().timestamp();
    let mut tick = (local_secs(start) + step - 1).div_euclid(step) * step;
    while tick <= local_secs(end) {
        let naive = DateTime::from_timestamp(tick, 0).map(|d| d.naive_utc());
        if let Some(at) = naive.and_then(|n| ZONE.from_local_datetime(&n).earliest()) {
            let at = at.with_timezone(&Utc);
            let x = scale.x(at);
            let local = at.with_timezone(&ZONE);
            let label = if step >= 86400 || span > 86400 {
                local.format("%d-%m %H:%M").to_string()
            } else {
                local.format("%H:%M").to_string()
            };
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{y:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#444\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{SMALL}\" text-anchor=\"middle\">{label}</text>",
                y + 6.0,
                y + 22.0
            );
        }
        tick += step;
    }
    let _ = writeln!(
        out,
        "<text x=\"0\" y=\"{:.1}\" font-size=\"{SMALL}\" fill=\"#555\">tijd (Amsterdam)</text>",
        y + 22.0
    );
}

/// The phases' colours and names, in lines as wide as the picture.
fn legend(out: &mut String, record: &Record, top: f64) -> f64 {
    let mut seen: Vec<Option<u8>> = Vec::new();
    let (mut x, mut y) = (LEFT, top);
    for p in &record.phases {
        if seen.contains(&p.number) {
            continue;
        }
        seen.push(p.number);
        let width = 30.0 + 0.6 * SMALL * p.name.chars().count() as f64;
        if x + width > WIDTH && x > LEFT {
            (x, y) = (LEFT, y + LEGEND_LINE);
        }
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{SMALL}\" height=\"{SMALL}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"{SMALL}\">{}</text>",
            y - SMALL + 2.0,
            phase_colour(p.number),
            x + SMALL + 5.0,
            escape(&p.name)
        );
        x += width;
    }
    y + 12.0
}

const LEGEND_LINE: f64 = 24.0;
