use super::desk::{NOWHERE, incident_heading};
use super::{Chat, versions};
use crate::model::Oneliner;
use crate::reply::Reply;
use crate::view::{ApprovedLine, OnelinerSaid, PendingLine};

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
        OnelinerSaid::Approved {
            nr,
            version,
            text,
            tell,
        } => {
            let mut r = Reply::new();
            r.text(format!("✅ Oneliner {nr}.{version} goedgekeurd: "))
                .quote(text);
            r.newline();
            if !tell.is_empty() {
                r.text("📣 ");
                chat.mention_all(&mut r, tell);
                r.text(": klaar voor gebruik. ");
            }
            r.text(format!(
                "Woordvoerders halen hem op met {}oneliners, ook in een direct gesprek met de bot.",
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
        OnelinerSaid::Versions(oneliner) => versions(chat, oneliner),
        OnelinerSaid::Pending(lines) => pending(chat, lines),
        OnelinerSaid::Everywhere(incidents) => everywhere(incidents),
    }
}

fn everywhere(incidents: &[crate::view::OfIncident<ApprovedLine>]) -> Reply {
    if incidents.is_empty() {
        return Reply::say(NOWHERE);
    }
    let mut r = Reply::say("💬 Goedgekeurde oneliners in je ruimtes:");
    for of in incidents {
        incident_heading(&mut r, &of.incident);
        if of.items.is_empty() {
            r.newline().text("nog geen");
        }
        for line in &of.items {
            approved_line(&mut r, line);
        }
    }
    r
}

fn approved_line(r: &mut Reply, line: &ApprovedLine) {
    r.newline().text(format!("{}. ", line.nr));
    if let Some(a) = &line.audience {
        r.text(format!("[{a}] "));
    }
    r.quote(&line.text)
        .text(format!(" ({} tekens)", line.text.chars().count()));
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
    let for_whom = audience
        .map(|a| format!(" (doelgroep {a})"))
        .unwrap_or_default();
    let what = if version == 1 {
        "voorgesteld"
    } else {
        "nieuwe versie"
    };
    r.text(format!("📝 Oneliner {nr}.{version}{for_whom} {what}: "))
        .quote(text);
    if let Some(current) = still_current {
        r.newline()
            .text("Tot goedkeuring blijft gelden: ")
            .quote(current);
    }
    r.newline().text(format!(
        "Goedkeuren (voorzitter of communicatieadviseur, niet de schrijver): {}oneliner goedkeuren {nr}.{version}",
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
            approved_line(&mut r, line);
        }
    }
    if !pending.is_empty() {
        let nrs: Vec<String> = pending.iter().map(u32::to_string).collect();
        r.newline().text(format!(
            "Wacht op goedkeuring: {} ({}oneliners voorstellen)",
            nrs.join(", "),
            chat.prefix
        ));
    }
    r
}

fn versions(chat: &Chat, o: &Oneliner) -> Reply {
    let mut r = Reply::new();
    r.text(format!("📝 Oneliner {}", o.nr));
    if let Some(a) = &o.audience {
        r.text(format!(" (doelgroep {a})"));
    }
    r.text(":");
    versions::trail(chat, &mut r, &o.body, |r, version, v| {
        r.newline()
            .text(format!("{}.{version} ", o.nr))
            .quote(&v.text);
    });
    r
}

fn pending(chat: &Chat, lines: &[PendingLine]) -> Reply {
    if lines.is_empty() {
        return Reply::say("Geen oneliners die op goedkeuring wachten.");
    }
    let mut r = Reply::say("Wachten op goedkeuring:");
    for line in lines {
        r.newline().text(format!("{}.{} ", line.nr, line.version));
        if let Some(a) = &line.audience {
            r.text(format!("[{a}] "));
        }
        r.quote(&line.text)
            .text(format!(" — van {}", chat.name(&line.by)));
    }
    r.newline().text(format!(
        "Goedkeuren: {}oneliner goedkeuren <nr.versie>",
        chat.prefix
    ));
    r
}
