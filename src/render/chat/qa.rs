use super::desk::{NOWHERE, append_lines, incident_heading};
use super::{Chat, versions};
use crate::model::desk::{Qa, split_qa};
use crate::reply::Reply;
use crate::view::{ApprovedQa, OfIncident, QaSaid};

pub(super) fn render(chat: &Chat, said: &QaSaid) -> Reply {
    let p = chat.prefix;
    match said {
        QaSaid::Proposed {
            nr,
            version,
            question,
            answer,
            still_current,
        } => {
            let what = if *version == 1 {
                "voorgesteld"
            } else {
                "nieuwe versie"
            };
            let mut r = Reply::say(format!("❓ Q&A {nr}.{version} {what}:"));
            pair(&mut r, question, answer);
            if let Some(current) = still_current {
                r.newline()
                    .text(format!("Tot goedkeuring blijft {nr}.{current} gelden."));
            }
            r.newline().text(format!(
                "Goedkeuren (voorzitter of communicatieadviseur, niet de schrijver): {p}qa goedkeuren {nr}.{version}"
            ));
            r
        }
        QaSaid::Approved(qa) => {
            let mut r = Reply::say(format!(
                "✅ Q&A {}.{} goedgekeurd: balie, informatienummer en partners kunnen hem gebruiken ({p}qa).",
                qa.nr, qa.version
            ));
            pair(&mut r, &qa.question, &qa.answer);
            r
        }
        QaSaid::Retracted { nr } => Reply::say(format!(
            "🚫 Q&A {nr} is ingetrokken en wordt niet meer gebruikt."
        )),
        QaSaid::Versions(qa) => versions(chat, qa),
        QaSaid::List {
            search,
            items,
            pending,
        } => list(chat, search.as_deref(), items, pending),
        QaSaid::Everywhere(incidents) => everywhere(incidents),
    }
}

fn pair(r: &mut Reply, question: &str, answer: &str) {
    r.newline().bold("V: ");
    append_lines(r, question);
    r.newline().bold("A: ");
    append_lines(r, answer);
}

fn item(r: &mut Reply, qa: &ApprovedQa) {
    r.newline().bold(format!("{}. V: ", qa.nr));
    append_lines(r, &qa.question);
    r.newline().bold("A: ");
    append_lines(r, &qa.answer);
}

fn list(chat: &Chat, search: Option<&str>, items: &[ApprovedQa], pending: &[u32]) -> Reply {
    let heading = match search {
        Some(s) => format!("❓ Vragen en antwoorden met '{s}'"),
        None => "❓ Vragen en antwoorden".to_string(),
    };
    let mut r = Reply::new();
    if items.is_empty() {
        r.text(format!("{heading}: geen goedgekeurde."));
    } else {
        r.text(format!("{heading} ({}):", items.len()));
    }
    for qa in items {
        item(&mut r, qa);
    }
    if !pending.is_empty() {
        let nrs: Vec<String> = pending.iter().map(u32::to_string).collect();
        r.newline().text(format!(
            "Wacht op goedkeuring: {} (lezen: {}qa <nr>)",
            nrs.join(", "),
            chat.prefix
        ));
    }
    r
}

fn everywhere(incidents: &[OfIncident<ApprovedQa>]) -> Reply {
    if incidents.is_empty() {
        return Reply::say(NOWHERE);
    }
    let mut r = Reply::say("❓ Goedgekeurde vragen en antwoorden in je ruimtes:");
    for of in incidents {
        incident_heading(&mut r, &of.incident);
        if of.items.is_empty() {
            r.newline().text("nog geen");
        }
        for qa in &of.items {
            item(&mut r, qa);
        }
    }
    r
}

fn versions(chat: &Chat, qa: &Qa) -> Reply {
    let mut r = Reply::say(format!("❓ Q&A {}:", qa.nr));
    versions::trail(chat, &mut r, &qa.body, |r, version, v| {
        r.newline().bold(format!("{}.{version}", qa.nr));
        match split_qa(&v.text) {
            Some((question, answer)) => pair(r, &question, &answer),
            None => {
                r.newline().text(&v.text);
            }
        }
    });
    r
}
