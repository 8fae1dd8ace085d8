use super::desk::{NOWHERE, append_lines, incident_heading};
use super::{Chat, short};
use crate::model::desk::{PressQuestion, PressStatus};
use crate::reply::Reply;
use crate::timeexpr::format_duration;
use crate::view::{OfIncident, PressFilter, PressSaid};

pub(super) fn render(chat: &Chat, said: &PressSaid) -> Reply {
    match said {
        PressSaid::Registered {
            question,
            no_spokesperson,
        } => registered(chat, question, *no_spokesperson),
        PressSaid::Reassigned { question: q, .. } => {
            let mut r = Reply::new();
            r.text(format!("📰 Persvraag {} ({}) is nu van ", q.nr, q.medium));
            chat.mention(&mut r, &q.owner);
            r.text(".");
            if let Some(d) = q.deadline {
                r.text(format!(" Deadline: {}.", chat.moment(d)));
            }
            r
        }
        PressSaid::AlreadyOwned(q) => Reply::say(format!(
            "Persvraag {} is al van {}.",
            q.nr,
            chat.name(&q.owner)
        )),
        PressSaid::Closed(q) => closed(chat, q),
        PressSaid::List { filter, questions } => list(chat, *filter, questions),
        PressSaid::Everywhere { filter, incidents } => everywhere(chat, *filter, incidents),
    }
}

fn registered(chat: &Chat, q: &PressQuestion, no_spokesperson: bool) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text(format!("📰 Persvraag {} · ", q.nr))
        .bold(&q.medium)
        .text(": ");
    append_lines(&mut r, &q.question);
    r.newline().text("Voor: ");
    chat.mention(&mut r, &q.owner);
    match q.deadline {
        Some(d) => r.text(format!(
            " · deadline {} (over {})",
            chat.moment(d),
            format_duration(d - chat.now)
        )),
        None => r.text(" · geen deadline"),
    };
    if no_spokesperson {
        r.newline().text(format!(
            "⚠️ Er is geen woordvoerder: hij staat op jouw naam. Geef hem door met {p}persvraag {} <wie> of wijs een woordvoerder aan met {p}rol woordvoerder <wie>.",
            q.nr
        ));
    }
    r.newline().text(format!(
        "Afhandelen: {p}persvraag {} beantwoord <samenvatting> · doorverwezen <partij> · vervalt",
        q.nr
    ));
    r
}

fn closed(chat: &Chat, q: &PressQuestion) -> Reply {
    let head = format!("Persvraag {} ({})", q.nr, q.medium);
    match &q.status {
        PressStatus::Answered { summary, .. } => {
            let mut r = Reply::say(format!("✅ {head} beantwoord: {summary}"));
            r.newline()
                .text(format!("Nog open: {}persvragen", chat.prefix));
            r
        }
        PressStatus::Referred { party, .. } => Reply::say(format!(
            "↪️ {head} doorverwezen naar {}.",
            party_name(chat, party)
        )),
        PressStatus::Dropped(_) => Reply::say(format!("🗑️ {head} vervallen.")),
        PressStatus::Open => Reply::say(format!("📰 {head} staat open.")),
    }
}

/// "OM (Openbaar Ministerie)" for a draaiboek partner, else as typed.
fn party_name(chat: &Chat, party: &str) -> String {
    match chat.book.partner(party) {
        Some(p) if p.short != p.name => format!("{} ({})", p.short, p.name),
        Some(p) => p.name.clone(),
        None => party.to_string(),
    }
}

fn title(filter: PressFilter) -> &'static str {
    match filter {
        PressFilter::Open => "Open persvragen",
        PressFilter::Mine => "Jouw open persvragen",
        PressFilter::All => "Alle persvragen",
    }
}

fn list(chat: &Chat, filter: PressFilter, questions: &[PressQuestion]) -> Reply {
    let mut r = Reply::new();
    if questions.is_empty() {
        r.text(format!("📰 {}: geen.", title(filter)));
        r.newline().text(format!(
            "Nieuwe: {}persvraag <medium>: <vraag> [deadline]",
            chat.prefix
        ));
        return r;
    }
    r.text(format!("📰 {} ({}):", title(filter), questions.len()));
    for q in questions {
        r.newline();
        line(chat, &mut r, q);
    }
    r
}

fn everywhere(chat: &Chat, filter: PressFilter, incidents: &[OfIncident<PressQuestion>]) -> Reply {
    if incidents.is_empty() {
        return Reply::say(NOWHERE);
    }
    let mut r = Reply::new();
    r.text(format!("📰 {} in je ruimtes:", title(filter)));
    for of in incidents {
        incident_heading(&mut r, &of.incident);
        if of.items.is_empty() {
            r.newline().text("geen");
        }
        for q in &of.items {
            r.newline();
            line(chat, &mut r, q);
        }
    }
    r
}

/// "2. RTV Oost: “Is de school open?” — Willem, 16:00 ⚠️"
fn line(chat: &Chat, r: &mut Reply, q: &PressQuestion) {
    r.text(format!(
        "{}. {}: “{}” — {}",
        q.nr,
        q.medium,
        short(&q.question, 60),
        chat.name(&q.owner)
    ));
    if let Some(d) = q.deadline.filter(|_| q.is_open()) {
        r.text(format!(", {}", chat.when(d)));
        if q.is_late(chat.now) {
            r.text(" ⚠️ te laat");
        }
    }
    let end = match &q.status {
        PressStatus::Open => return,
        PressStatus::Answered { .. } => "beantwoord".to_string(),
        PressStatus::Referred { party, .. } => {
            format!("doorverwezen naar {}", party_name(chat, party))
        }
        PressStatus::Dropped(_) => "vervallen".to_string(),
    };
    r.text(format!(" ({end})"));
}
