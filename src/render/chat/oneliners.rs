use super::Chat;
use crate::reply::Reply;
use crate::view::{ApprovedLine, OnelinerSaid};

pub(super) fn render(chat: &Chat, said: &OnelinerSaid) -> Reply {
    match said {
        OnelinerSaid::Proposed {
            nr,
            version,
            audience,
            text,
            still_current,
        } => proposed(
            chat,
            *nr,
            *version,
            audience.as_deref(),
            text,
            still_current,
        ),
        OnelinerSaid::Approved { nr, text, .. } => {
            let mut r = Reply::new();
            r.text(format!("✅ Oneliner {nr} goedgekeurd: "))
                .quote(text);
            r.newline().text(format!(
                "Woordvoerders halen hem op met {}oneliners.",
                chat.prefix
            ));
            r
        }
        OnelinerSaid::Retracted { nr } => Reply::say(format!(
            "🚫 Oneliner {nr} is ingetrokken en wordt niet meer gebruikt."
        )),
        OnelinerSaid::List {
            audience,
            approved,
            pending,
        } => list(chat, audience.as_deref(), approved, pending),
    }
}

fn proposed(
    chat: &Chat,
    nr: u32,
    version: usize,
    audience: Option<&str>,
    text: &str,
    still_current: &Option<String>,
) -> Reply {
    let mut r = Reply::new();
    if version == 1 {
        let for_whom = audience
            .map(|a| format!(" (doelgroep {a})"))
            .unwrap_or_default();
        r.text(format!("📝 Oneliner {nr}{for_whom} voorgesteld: "))
            .quote(text);
    } else {
        r.text(format!("📝 Oneliner {nr}, nieuwe versie {version}: "))
            .quote(text);
    }
    if let Some(current) = still_current {
        r.newline()
            .text("Tot goedkeuring blijft gelden: ")
            .quote(current);
    }
    r.newline().text(format!(
        "Wacht op goedkeuring door de voorzitter of communicatieadviseur (niet door de voorsteller): {}oneliner goedkeuren {nr}",
        chat.prefix
    ));
    r
}

fn list(chat: &Chat, audience: Option<&str>, approved: &[ApprovedLine], pending: &[u32]) -> Reply {
    let heading = match audience {
        Some(a) => format!("Goedgekeurde oneliners voor {a}"),
        None => "Goedgekeurde oneliners".to_string(),
    };
    let mut r = Reply::new();
    if approved.is_empty() {
        r.text(format!("{heading}: nog geen."));
    } else {
        r.text(format!("{heading}:"));
        for line in approved {
            r.newline().text(format!("{}. ", line.nr));
            if let Some(a) = &line.audience {
                r.text(format!("[{a}] "));
            }
            r.quote(&line.text)
                .text(format!(" ({} tekens)", line.text.chars().count()));
        }
    }
    if !pending.is_empty() {
        let nrs: Vec<String> = pending.iter().map(u32::to_string).collect();
        r.newline().text(format!(
            "Wacht op goedkeuring: {} ({}oneliner goedkeuren <nr>)",
            nrs.join(", "),
            chat.prefix
        ));
    }
    r
}
