//! A bot message in both forms Matrix wants: plain text and HTML, plus the
//! users it mentions (so their phones notify). The console prints the plain form.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub plain: String,
    pub html: String,
    pub mentions: BTreeSet<String>,
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

    pub fn text(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.plain.push_str(text);
        self.html.push_str(&escape(text));
        self
    }

    pub fn bold(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.plain.push_str(text);
        self.html.push_str("<b>");
        self.html.push_str(&escape(text));
        self.html.push_str("</b>");
        self
    }

    /// Text meant to be copied verbatim (an approved oneliner).
    pub fn quote(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        self.plain.push('“');
        self.plain.push_str(text);
        self.plain.push('”');
        self.html.push_str("<code>");
        self.html.push_str(&escape(text));
        self.html.push_str("</code>");
        self
    }

    pub fn mention(&mut self, user: &str) -> &mut Self {
        self.plain.push_str(user);
        self.html.push_str(&format!(
            "<a href=\"https://matrix.to/#/{}\">{}</a>",
            escape(user),
            escape(user)
        ));
        self.mentions.insert(user.to_string());
        self
    }

    pub fn newline(&mut self) -> &mut Self {
        self.plain.push('\n');
        self.html.push_str("<br>");
        self
    }

    /// Starts a new line that begins with a bullet.
    pub fn item(&mut self) -> &mut Self {
        self.newline();
        self.text("• ")
    }

    pub fn append(&mut self, other: Reply) -> &mut Self {
        self.plain.push_str(&other.plain);
        self.html.push_str(&other.html);
        self.mentions.extend(other.mentions);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.plain.is_empty()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
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
        assert_eq!(r.plain, "<script> & x");
        assert_eq!(r.html, "&lt;script&gt; &amp; <b>x</b>");
    }

    #[test]
    fn mentions_are_pills_and_listed() {
        let mut r = Reply::new();
        r.mention("@jan:politie.nl");
        assert!(r.html.contains("https://matrix.to/#/@jan:politie.nl"));
        assert!(r.mentions.contains("@jan:politie.nl"));
    }
}
