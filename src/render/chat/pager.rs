//! One phone screen per message: a longer reply shows its first part and
//! says how to see the rest (`!meer`), which the core keeps per person.

use std::collections::BTreeSet;

use super::Chat;
use crate::reply::{Line, Reply, escape};

/// The most a message shows at once, set here and nowhere else.
pub const SCREEN_LINES: usize = 12;
pub const SCREEN_CHARS: usize = 700;

/// Room for the closing "➕ Nog 9 regels: !meer" line.
const MORE_LINE_CHARS: usize = 40;

impl Chat<'_> {
    /// The part of `reply` that fits one screen (ending with how to see
    /// more), and the rest for `!meer`.
    pub fn page(&self, reply: Reply) -> (Reply, Option<Reply>) {
        let fold = reply.folded_at();
        if fold.is_none() && fits(reply.lines()) {
            return (reply, None);
        }
        let mentions = reply.mentions.clone();
        let mut lines = reply.into_lines();
        let fold = fold.unwrap_or(lines.len()).min(lines.len());
        let mut shown = take_screen(&mut lines, fold);
        if lines.is_empty() {
            return (Reply::from_lines(shown, mentions), None);
        }
        let n = lines.len();
        let regels = if n == 1 { "regel" } else { "regels" };
        let more = format!("➕ Nog {n} {regels}: {}meer", self.prefix);
        shown.push(Line {
            html: escape(&more),
            plain: more,
        });
        let rest = Reply::from_lines(lines, BTreeSet::new());
        (Reply::from_lines(shown, mentions), Some(rest))
    }
}

fn fits(lines: &[Line]) -> bool {
    lines.len() <= SCREEN_LINES && lines.iter().map(Line::chars).sum::<usize>() <= SCREEN_CHARS
}

/// Moves the lines of the first screen (up to `fold`) out of `lines`; a
/// single line longer than a screen is cut at a word.
fn take_screen(lines: &mut Vec<Line>, fold: usize) -> Vec<Line> {
    let budget = SCREEN_CHARS - MORE_LINE_CHARS;
    let mut shown: Vec<Line> = Vec::new();
    let mut chars = 0;
    while shown.len() < fold.min(SCREEN_LINES - 1) && !lines.is_empty() {
        let next = lines[0].chars();
        if chars + next > budget {
            if shown.is_empty() {
                let (head, tail) = cut(&lines[0].plain, budget);
                lines[0] = plain_line(tail);
                shown.push(plain_line(head));
            }
            break;
        }
        chars += next;
        shown.push(lines.remove(0));
    }
    shown
}

/// An overlong line loses its markup when cut: half a tag is worse.
fn plain_line(text: String) -> Line {
    Line {
        html: escape(&text),
        plain: text,
    }
}

/// The first `max` characters, back to the last space if there is one.
fn cut(text: &str, max: usize) -> (String, String) {
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let at = text[..end]
        .rfind(' ')
        .filter(|i| *i > end / 2)
        .unwrap_or(end);
    (text[..at].to_string(), text[at..].trim_start().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::draaiboek::Draaiboek;
    use crate::people::Members;

    fn page(reply: Reply) -> (Reply, Option<Reply>) {
        let (book, catalogue, members) = (
            Draaiboek::built_in(),
            Catalogue::built_in(),
            Members::default(),
        );
        let chat = Chat {
            prefix: "!",
            book: &book,
            catalogue: &catalogue,
            names: &members,
            now: chrono::Utc::now(),
        };
        chat.page(reply)
    }

    fn numbered(n: usize) -> Reply {
        let mut r = Reply::say("regel 1");
        for i in 2..=n {
            r.newline().text(format!("regel {i}"));
        }
        r
    }

    #[test]
    fn a_reply_that_fits_is_untouched() {
        let (shown, rest) = page(numbered(12));
        assert_eq!(shown.lines().len(), 12);
        assert!(rest.is_none());
    }

    #[test]
    fn a_long_reply_shows_one_screen_and_says_how_to_see_more() {
        let (shown, rest) = page(numbered(30));
        assert_eq!(shown.lines().len(), SCREEN_LINES);
        assert!(
            shown.plain().ends_with("➕ Nog 19 regels: !meer"),
            "{}",
            shown.plain()
        );
        assert_eq!(rest.unwrap().lines().len(), 19);
    }

    #[test]
    fn a_fold_ends_the_first_screen_early() {
        let mut r = numbered(3);
        r.fold().newline().text("later");
        let (shown, rest) = page(r);
        assert!(
            shown.plain().ends_with("➕ Nog 1 regel: !meer"),
            "{}",
            shown.plain()
        );
        assert_eq!(rest.unwrap().plain(), "later");
    }

    #[test]
    fn one_overlong_line_is_cut_at_a_word_and_continued() {
        let long = "woord ".repeat(300);
        let (shown, rest) = page(Reply::say(&long));
        assert!(shown.plain().chars().count() <= SCREEN_CHARS);
        let rest = rest.unwrap().plain();
        assert!(rest.starts_with("woord"), "{rest}");
        assert_eq!(
            shown.lines()[0].plain.matches("woord").count() + rest.matches("woord").count(),
            300
        );
    }
}
