//! Turning what the core decided into text: `chat` for the room; for the
//! record that leaves the chat (`crate::record::Record`), one renderer per
//! format — `markdown`, `html`, and JSON straight from serde. A new format
//! is a new module here and a variant of [`ExportFormat`].

pub mod chat;
pub mod html;
pub mod markdown;
mod sections;

use serde::{Deserialize, Serialize};

use crate::record::Record;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Md,
    Html,
    Json,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Html, ExportFormat::Md, ExportFormat::Json];

    /// `md`/`markdown`, `html`, `json`, in any case.
    pub fn parse(word: &str) -> Option<ExportFormat> {
        match word.to_lowercase().as_str() {
            "md" | "markdown" => Some(ExportFormat::Md),
            "html" | "htm" => Some(ExportFormat::Html),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }

    /// The word users type, and the file extension.
    pub fn word(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Md => "text/markdown; charset=utf-8",
            ExportFormat::Html => "text/html; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    pub fn render(self, record: &Record) -> String {
        match self {
            ExportFormat::Md => markdown::render(record),
            ExportFormat::Html => html::render(record),
            ExportFormat::Json => {
                let mut json =
                    serde_json::to_string_pretty(record).expect("a record is plain data");
                json.push('\n');
                json
            }
        }
    }
}

/// An export as a file: what the room or the disk gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// `incident-3-onrust-oosterwijk.html`
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl ExportFile {
    pub fn new(record: &Record, format: ExportFormat) -> ExportFile {
        ExportFile {
            name: format!(
                "incident-{}-{}.{}",
                record.incident.id,
                slug(&record.incident.title),
                format.word()
            ),
            mime: format.mime(),
            bytes: format.render(record).into_bytes(),
        }
    }
}

/// A title as a safe file name part: lowercase ASCII words joined by '-',
/// whole words up to about sixty characters.
fn slug(title: &str) -> String {
    const MAX: usize = 60;
    let mut slug = String::new();
    for c in title.chars() {
        let c = match c {
            'à'..='å' | 'À'..='Å' => 'a',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ò'..='ö' | 'Ò'..='Ö' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    if slug.len() > MAX {
        let cut = slug[..MAX].rfind('-').unwrap_or(MAX);
        slug.truncate(cut);
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "incident".to_string()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_ascii_from_the_title() {
        assert_eq!(slug("Onrust Oosterwijk"), "onrust-oosterwijk");
        assert_eq!(slug("Café ‘De Zon’ — brand!"), "cafe-de-zon-brand");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("🔥"), "incident");
        assert_eq!(
            slug("Onrust na familiedrama in de Oosterstraat en omliggende straten van Noord"),
            "onrust-na-familiedrama-in-de-oosterstraat-en-omliggende"
        );
    }

    #[test]
    fn formats_are_typed_by_their_word() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(format.word()), Some(format));
        }
        assert_eq!(ExportFormat::parse("Markdown"), Some(ExportFormat::Md));
        assert_eq!(ExportFormat::parse("pdf"), None);
    }
}
