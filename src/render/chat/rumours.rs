use super::desk::append_lines;
use super::{Chat, short};
use crate::model::desk::{Rumour, Verdict};
use crate::reply::Reply;
use crate::view::RumourSaid;

pub(super) fn render(chat: &Chat, said: &RumourSaid) -> Reply {
    let p = chat.prefix;
    match said {
        RumourSaid::Registered(rumour) => {
            let mut r = Reply::say(format!("🗣️ Gerucht {} vastgelegd: ", rumour.nr));
            append_lines(&mut r, &rumour.text);
            r.newline().text(format!(
                "Wat weten we? {p}gerucht {} klopt|klopt-niet|onbekend [toelichting]",
                rumour.nr
            ));
            r
        }
        RumourSaid::Judged(rumour) => {
            let mut r = Reply::new();
            r.text(format!("🗣️ Gerucht {}: ", rumour.nr))
                .bold(rumour.verdict.word());
            if let Some(note) = &rumour.note {
                r.text(format!(" — {note}"));
            }
            if rumour.is_open() {
                r.newline().text(format!(
                    "Beantwoord het met een goedgekeurde tekst: {p}gerucht {} weerlegd <tekst>",
                    rumour.nr
                ));
            }
            r
        }
        RumourSaid::Refuted { rumour, text } => Reply::say(format!(
            "✅ Gerucht {} is beantwoord met tekst {}.{} ({}).",
            rumour.nr,
            text.nr,
            text.version,
            chat.channel_name(&text.channel)
        )),
        RumourSaid::List(rumours) => list(chat, rumours),
    }
}

fn list(chat: &Chat, rumours: &[Rumour]) -> Reply {
    if rumours.is_empty() {
        return Reply::say(format!(
            "🗣️ Nog geen geruchten. Vastleggen: {}gerucht <tekst>",
            chat.prefix
        ));
    }
    let open = rumours.iter().filter(|r| r.is_open()).count();
    let mut r = Reply::say(format!("🗣️ Geruchten ({}, {open} open):", rumours.len()));
    for rumour in rumours {
        let icon = match (rumour.is_open(), rumour.verdict) {
            (false, _) => "✅",
            (true, Verdict::Unknown) => "❔",
            (true, _) => "⚠️",
        };
        r.newline().text(format!(
            "{icon} {}. {} — {}",
            rumour.nr,
            short(&rumour.text, 70),
            rumour.verdict.word()
        ));
        if let Some(note) = &rumour.note {
            r.text(format!(" ({})", short(note, 50)));
        }
        if let Some(text) = rumour.answered_by {
            r.text(format!(" · tekst {text}"));
        }
    }
    r
}
