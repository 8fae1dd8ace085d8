//! A bot message in both forms Matrix wants: plain text and HTML, plus the
//! users it mentions (so their phones notify). The console prints the plain form.
//!
//! A reply is a list of lines, each in both forms, so that it can be cut at a
//! line boundary (a phone screen, an event size) without breaking the HTML.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub plain: String,
    pub html: String,
}

impl Line {
    /// Characters as the reader counts them.
    pub fn chars(&self) -> usize {
        self.plain.chars().count()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    lines: Vec<Line>,
    pub mentions: BTreeSet<String>,
    /// Where the first screen ends by choice: lines from here on wait for
    /// `!meer` even when they would fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fold: Option<usize>,
    /// Where later screens end by choice (see [`Reply::page_break`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    breaks: Vec<usize>,
}

impl Reply {
    pub fn new() -> Reply {
        Reply::default()
    }

    /// A reply of one plain line.
    pub fn say(text: impl AsRef<str>) -> Reply {
        let mut r = Reply::new();
        r.text(text);
        r
    }

    pub fn from_lines(lines: Vec<Line>, mentions: BTreeSet<String>) -> Reply {
        Reply {
            lines,
            mentions,
            fold: None,
            breaks: Vec::new(),
        }
    }

    /// Ends the first screen here: what follows is shown on `!meer`.
    pub fn fold(&mut self) -> &mut Self {
        if self.fold.is_none() {
            self.fold = Some(self.lines.len());
        }
        self
    }

    /// Ends a screen here, on every page: what follows starts the next
    /// screen (one long text per screen, never two halves on one).
    pub fn page_break(&mut self) -> &mut Self {
        if !self.lines.is_empty() {
            self.breaks.push(self.lines.len());
        }
        self
    }

    /// Where the first screen ends by choice: the fold or the first break.
    pub fn folded_at(&self) -> Option<usize> {
        self.fold
            .into_iter()
            .chain(self.breaks.first().copied())
            .min()
    }

    /// Where screens end by choice after the first.
    pub fn breaks(&self) -> &[usize] {
        &self.breaks
    }

    pub fn with_breaks(mut self, breaks: Vec<usize>) -> Reply {
        self.breaks = breaks;
        self
    }

    pub fn into_lines(self) -> Vec<Line> {
        self.lines
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn plain(&self) -> String {
        self.join(|l| &l.plain, "\n")
    }

    pub fn html(&self) -> String {
        self.join(|l| &l.html, "<br>")
    }

    /// Whether the HTML says nothing the plain text does not (no markup,
    /// no pills): then the plain text alone is the message.
    pub fn is_plain(&self) -> bool {
        self.lines.iter().all(|l| l.html == escape(&l.plain))
    }

    fn join(&self, part: impl Fn(&Line) -> &String, separator: &str) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(part(line));
        }
        out
    }

    fn last(&mut self) -> &mut Line {
        if self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines.last_mut().expect("just ensured")
    }

    fn push(&mut self, plain: &str, html: &str) -> &mut Self {
        let line = self.last();
        line.plain.push_str(plain);
        line.html.push_str(html);
        self
    }

    pub fn text(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.push(text, &escape(text))
    }

    pub fn bold(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.push(text, &format!("<b>{}</b>", escape(text)))
    }

    /// Text meant to be copied verbatim (an approved oneliner).
    pub fn quote(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.push(
            &format!("“{text}”"),
            &format!("<code>{}</code>", escape(text)),
        )
    }

    /// A person: their name in the plain text, a pill (which clients show
    /// as the name) in the HTML, and a notification on their phone unless
    /// they typed the command this answers.
    pub fn mention(&mut self, user: &str, name: &str) -> &mut Self {
        self.mentions.insert(user.to_string());
        self.push(
            name,
            &format!(
                "<a href=\"https://matrix.to/#/{}\">{}</a>",
                escape(user),
                escape(name)
            ),
        )
    }

    pub fn newline(&mut self) -> &mut Self {
        self.last();
        self.lines.push(Line::default());
        self
    }

    /// Starts a new line that begins with a bullet.
    pub fn item(&mut self) -> &mut Self {
        self.newline();
        self.text("• ")
    }

    /// Continues with `other`'s first line on the current line.
    pub fn append(&mut self, other: Reply) -> &mut Self {
        let mut lines = other.lines.into_iter();
        if let Some(first) = lines.next() {
            self.push(&first.plain, &first.html);
        }
        self.lines.extend(lines);
        self.mentions.extend(other.mentions);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.plain.is_empty())
    }
}

/// HTML-escapes text from users and from the draaiboek alike: no markup of
/// theirs is ever rendered.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_plain_is_not() {
        let mut r = Reply::new();
        r.text("<script> & ").bold("x");
        assert_eq!(r.plain(), "<script> & x");
        assert_eq!(r.html(), "&lt;script&gt; &amp; <b>x</b>");
    }

    #[test]
    fn mentions_are_pills_with_the_name_and_listed() {
        let mut r = Reply::new();
        r.mention("@jan:politie.nl", "Jan de Vries");
        assert_eq!(r.plain(), "Jan de Vries");
        assert_eq!(
            r.html(),
            "<a href=\"https://matrix.to/#/@jan:politie.nl\">Jan de Vries</a>"
        );
        assert!(r.mentions.contains("@jan:politie.nl"));
    }

    #[test]
    fn lines_keep_plain_and_html_side_by_side() {
        let mut r = Reply::say("een");
        r.item().bold("twee");
        assert_eq!(r.lines().len(), 2);
        assert_eq!(r.plain(), "een\n• twee");
        assert_eq!(r.html(), "een<br>• <b>twee</b>");
    }
}
