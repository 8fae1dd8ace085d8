use chrono::{DateTime, Utc};

use super::desk::{NOWHERE, incident_heading, text_lines};
use super::{Chat, reminders, short};
use crate::model::desk::Text;
use crate::reply::Reply;
use crate::timeexpr::format_clock;
use crate::view::{ApprovedText, OfIncident, TextSaid};

/// How much of a proposed text its confirmation shows; `!tekst <nr>` shows all.
const PREVIEW_CHARS: usize = 160;

pub(super) fn render(chat: &Chat, said: &TextSaid) -> Reply {
    match said {
        TextSaid::Proposed {
            nr,
            version,
            channel,
            audience,
            text,
            still_current,
        } => {
            let label = Label {
                nr: *nr,
                version: *version,
                channel,
                audience: audience.as_deref(),
            };
            proposed(chat, &label, text, *still_current)
        }
        TextSaid::Approved { text, tell } => approved(chat, text, tell),
        TextSaid::Retracted { nr } => Reply::say(format!(
            "🚫 Tekst {nr} is ingetrokken en wordt niet meer gebruikt."
        )),
        TextSaid::Published { text, next } => {
            let at = text.published.unwrap_or(chat.now);
            let mut r = Reply::say(format!(
                "📣 Tekst {}.{} gepubliceerd ({}, {}); dat telt als publieksupdate.",
                text.nr,
                text.version,
                chat.channel_name(&text.channel),
                format_clock(at)
            ));
            r.newline();
            reminders::next_update(chat, &mut r, at, next);
            r
        }
        TextSaid::Shown { text, version } => shown(chat, text, *version),
        TextSaid::List {
            filter,
            texts,
            pending,
        } => list(chat, filter.as_deref(), texts, pending),
        TextSaid::Everywhere(incidents) => everywhere(chat, incidents),
    }
}

/// What a text's header names: `2.1 · Website · doelgroep Buurt en omwonenden`.
struct Label<'a> {
    nr: u32,
    version: usize,
    channel: &'a str,
    audience: Option<&'a str>,
}

impl Label<'_> {
    fn of(t: &ApprovedText) -> Label<'_> {
        Label {
            nr: t.nr,
            version: t.version,
            channel: &t.channel,
            audience: t.audience.as_deref(),
        }
    }

    /// "2.1 voorgesteld · Website · doelgroep Buurt en omwonenden".
    fn show(&self, chat: &Chat, what: &str) -> String {
        let mut s = format!(
            "{}.{}{what} · {}",
            self.nr,
            self.version,
            chat.channel_name(self.channel)
        );
        if let Some(a) = self.audience {
            s.push_str(&format!(" · doelgroep {}", chat.audience_name(a)));
        }
        s
    }
}

fn proposed(chat: &Chat, label: &Label, text: &str, still_current: Option<usize>) -> Reply {
    let p = chat.prefix;
    let (nr, version) = (label.nr, label.version);
    let what = if version == 1 {
        "voorgesteld"
    } else {
        "nieuwe versie"
    };
    let mut r = Reply::new();
    r.text(format!(
        "📝 Tekst {} · {}",
        label.show(chat, &format!(" {what}")),
        chat.length(label.channel, text)
    ));
    r.newline().quote(short(text, PREVIEW_CHARS));
    if let Some(current) = still_current {
        r.newline()
            .text(format!("Tot goedkeuring blijft {nr}.{current} gelden."));
    }
    r.newline().text(format!(
        "Lees voluit: {p}tekst {nr}. Goedkeuren (voorzitter of communicatieadviseur, niet de schrijver): {p}tekst goedkeuren {nr}.{version}"
    ));
    r
}

fn approved(chat: &Chat, text: &ApprovedText, tell: &[String]) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text(format!(
        "✅ Tekst {} · {}",
        Label::of(text).show(chat, " goedgekeurd"),
        chat.length(&text.channel, &text.text)
    ));
    r.newline().quote(short(&text.text, PREVIEW_CHARS));
    r.newline();
    if !tell.is_empty() {
        r.text("📣 ");
        chat.mention_all(&mut r, tell);
        r.text(": klaar voor gebruik. ");
    }
    r.text(format!(
        "Kopiëren: {p}teksten · gepubliceerd? {p}tekst {} gepubliceerd [tijd]",
        text.nr
    ));
    r
}

/// The wanted version in full first (what the approver reads), then on
/// the next screen every version's history.
fn shown(chat: &Chat, t: &Text, version: usize) -> Reply {
    let p = chat.prefix;
    let v = &t.body.versions[version - 1];
    let label = Label {
        nr: t.nr,
        version,
        channel: &t.channel,
        audience: t.audience.as_deref(),
    };
    let mut r = Reply::new();
    r.text(format!(
        "📄 Tekst {} · {} · {}",
        label.show(chat, ""),
        chat.length(&t.channel, &v.text),
        state(t, version)
    ));
    text_lines(&mut r, &v.text);
    if t.body.pending().is_some_and(|(n, _)| n == version) {
        r.newline().text(format!(
            "Goedkeuren: {p}tekst goedkeuren {}.{version}",
            t.nr
        ));
    }
    r.page_break();
    history(chat, &mut r, t);
    r
}

fn state(t: &Text, version: usize) -> &'static str {
    let v = &t.body.versions[version - 1];
    match (&t.body.retracted, &v.approved) {
        (Some(_), _) => "ingetrokken",
        (None, None) if version == t.body.versions.len() => "wacht op goedkeuring",
        (None, None) => "niet goedgekeurd",
        (None, Some(_)) if t.body.current().is_some_and(|(n, _)| n == version) => "goedgekeurd",
        (None, Some(_)) => "vervangen",
    }
}

fn history(chat: &Chat, r: &mut Reply, t: &Text) {
    r.newline().text(format!("Versies van tekst {}:", t.nr));
    for (i, v) in t.body.versions.iter().enumerate() {
        r.newline().text(format!(
            "{}.{} voorgesteld door {} {}",
            t.nr,
            i + 1,
            chat.name(&v.proposed.by),
            chat.moment(v.proposed.at)
        ));
        if let Some(s) = &v.approved {
            r.text(format!(
                "; goedgekeurd door {} {}",
                chat.name(&s.by),
                chat.moment(s.at)
            ));
        }
    }
    for p in &t.published {
        r.newline().text(format!(
            "Gepubliceerd: {}.{} {} door {}",
            t.nr,
            p.version,
            chat.moment(p.at),
            chat.name(&p.by)
        ));
    }
    if let Some(s) = &t.body.retracted {
        r.newline().text(format!(
            "🚫 Ingetrokken door {} {}",
            chat.name(&s.by),
            chat.moment(s.at)
        ));
    }
}

fn list(chat: &Chat, filter: Option<&str>, texts: &[ApprovedText], pending: &[u32]) -> Reply {
    let p = chat.prefix;
    let heading = match filter {
        Some(f) if chat.book.channel(f).is_some() => {
            format!("Goedgekeurde teksten voor {}", chat.channel_name(f))
        }
        Some(f) => format!("Goedgekeurde teksten voor {}", chat.audience_name(f)),
        None => "Goedgekeurde teksten".to_string(),
    };
    let mut r = Reply::new();
    if texts.is_empty() {
        r.text(format!("📄 {heading}: nog geen."));
    } else {
        r.text(format!("📄 {heading} ({}), één per scherm:", texts.len()));
        each_text(chat, &mut r, texts);
    }
    if !pending.is_empty() {
        let nrs: Vec<String> = pending.iter().map(u32::to_string).collect();
        r.newline().text(format!(
            "Wacht op goedkeuring: {} (lezen: {p}tekst <nr>)",
            nrs.join(", ")
        ));
    }
    r
}

/// Each text on its own screen: its label, length and publication, then
/// the text itself, line by line.
fn each_text(chat: &Chat, r: &mut Reply, texts: &[ApprovedText]) {
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            r.page_break();
        }
        r.newline().text(format!(
            "▶️ {} · {} · {}",
            Label::of(t).show(chat, ""),
            chat.length(&t.channel, &t.text),
            published(chat, t.published)
        ));
        text_lines(r, &t.text);
    }
}

fn published(chat: &Chat, at: Option<DateTime<Utc>>) -> String {
    match at {
        Some(at) => format!("gepubliceerd {}", chat.when(at)),
        None => "nog niet gepubliceerd".to_string(),
    }
}

fn everywhere(chat: &Chat, incidents: &[OfIncident<ApprovedText>]) -> Reply {
    if incidents.is_empty() {
        return Reply::say(NOWHERE);
    }
    let mut r = Reply::say("📄 Goedgekeurde teksten in je ruimtes, één per scherm:");
    for (i, of) in incidents.iter().enumerate() {
        if i > 0 && !of.items.is_empty() {
            r.page_break();
        }
        incident_heading(&mut r, &of.incident);
        if of.items.is_empty() {
            r.newline().text("nog geen");
        }
        each_text(chat, &mut r, &of.items);
    }
    r
}
