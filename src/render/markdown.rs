//! The record as Markdown, to read as an appendix to an evaluation report:
//! a title page, a summary, the timeline, then every section. User text is
//! escaped, so nothing a team member typed becomes markup.

use std::fmt::Write;

use super::sections::{self, Cell, Section};
use crate::record::Record;

pub fn render(record: &Record) -> String {
    let mut out = String::with_capacity(4096 + 300 * record.log.len());
    let i = &record.incident;
    if i.exercise {
        out.push_str(
            "> **🧪 OEFENING** — dit is het verslag van een oefening, geen echt incident.\n\n",
        );
    }
    let _ = write!(
        out,
        "# Verslag incident {}: {}\n\n\
         *Bijlage bij de evaluatie (Handreiking §3.4, Bijlage 5 stap 6), het feitenrelaas en \
         Woo-verzoeken: het volledige dossier uit het logboek van het kernteam.*\n\n",
        i.id,
        escape(&i.title)
    );
    facts(&mut out, &sections::title_page(record));
    out.push_str("\n---\n\n## Samenvatting\n\n");
    facts(&mut out, &sections::summary(record));
    let timeline = sections::timeline(record);
    let rest = sections::sections(record);
    out.push_str("\n## Inhoud\n\n");
    for s in std::iter::once(&timeline).chain(&rest) {
        let _ = writeln!(out, "- [{}](#{})", s.title, heading_slug(s.title));
    }
    out.push('\n');
    for s in std::iter::once(&timeline).chain(&rest) {
        section(&mut out, s);
    }
    out
}

/// The anchor GitHub and most renderers give a heading.
fn heading_slug(title: &str) -> String {
    title.to_lowercase().replace(' ', "-")
}

fn facts(out: &mut String, rows: &[(&str, String)]) {
    out.push_str("| | |\n|---|---|\n");
    for (label, value) in rows {
        let _ = writeln!(out, "| **{label}** | {} |", escape(value));
    }
}

fn section(out: &mut String, s: &Section) {
    let _ = write!(out, "## {}\n\n", s.title);
    if let Some(note) = &s.note {
        let _ = write!(out, "{}\n\n", escape(note));
    }
    if s.rows.is_empty() {
        let _ = write!(out, "{}\n\n", s.empty);
        return;
    }
    let _ = writeln!(out, "| {} |", s.head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(s.head.len()));
    for row in &s.rows {
        out.push('|');
        for c in row {
            out.push(' ');
            match c {
                Cell::Text(t) | Cell::Time(t) => out.push_str(&escape(t)),
                Cell::Code(t) => {
                    let _ = write!(out, "`{t}`");
                }
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}

/// Text as Markdown shows it literally: every character that could start
/// markup within a line (emphasis, code, links and images — their brackets —,
/// HTML, entities, table cells) is backslash-escaped, a line break becomes a
/// space.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn user_text_cannot_become_markup_or_break_a_table() {
        assert_eq!(
            escape("<b>*hoi*</b> | [x](y)"),
            "\\<b\\>\\*hoi\\*\\</b\\> \\| \\[x\\](y)"
        );
        assert_eq!(escape("een\ntwee"), "een twee");
    }
}
