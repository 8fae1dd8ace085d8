//! What the export says, as tables of plain text: the title page, the
//! summary, the timeline and every section, worded once for all formats.
//! A renderer only lays them out and escapes the text for its format.

use chrono::{DateTime, Utc};

use crate::record::{ActionState, Event, Record};
use crate::timeexpr::{format_duration, format_full};

pub(super) enum Cell {
    Text(String),
    /// A moment: kept on one line where the format can.
    Time(String),
    /// Shown in a fixed-width font: hashes.
    Code(String),
}

pub(super) struct Section {
    /// An anchor for links within the document.
    pub id: &'static str,
    pub title: &'static str,
    pub note: Option<String>,
    pub head: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
    /// Said instead of an empty table.
    pub empty: &'static str,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn time(at: DateTime<Utc>) -> Cell {
    Cell::Time(when(at))
}

/// "2026-11-23 10:00" in Amsterdam.
pub(super) fn when(at: DateTime<Utc>) -> String {
    format_full(at)
}

fn when_by(event: &Event) -> String {
    format!("{} — {}", when(event.at), who(event))
}

fn who(event: &Event) -> &str {
    event.by.as_deref().unwrap_or("onbekend")
}

fn entry(seq: Option<u64>) -> String {
    seq.map_or_else(|| "—".to_string(), |s| s.to_string())
}

fn entries(seqs: &[Option<u64>]) -> String {
    let known: Vec<String> = seqs.iter().flatten().map(u64::to_string).collect();
    if known.is_empty() {
        "—".to_string()
    } else {
        known.join(", ")
    }
}

fn state(state: ActionState) -> &'static str {
    match state {
        ActionState::Open => "open",
        ActionState::Done => "klaar",
        ActionState::Dropped => "vervallen",
    }
}

/// The title page: what this document is about.
pub(super) fn title_page(r: &Record) -> Vec<(&'static str, String)> {
    let i = &r.incident;
    let mut rows = vec![
        ("Incident", format!("{} — {}", i.id, i.title)),
        (
            "Scenario",
            i.scenario
                .as_ref()
                .map_or_else(|| "niet gekozen".to_string(), |s| s.name.clone()),
        ),
        ("Ruimte", i.room.clone()),
        (
            "Tijden",
            "Amsterdamse tijd; het logboek ook in UTC".to_string(),
        ),
        ("Geopend", when_by(&i.opened)),
    ];
    rows.push(match &i.closed {
        Some(closed) => ("Gesloten", when_by(closed)),
        None => ("Gesloten", "nog niet (loopt)".to_string()),
    });
    if let Some(reason) = &i.close_reason {
        rows.push(("Reden van sluiten", reason.clone()));
    }
    rows.extend([
        (
            "Gemaakt",
            format!("{} door {}", when(r.generated_at), r.generator),
        ),
        ("Schemaversie", r.schema_version.to_string()),
        (
            "Hashketen",
            format!("{} regels, kop {}", r.chain.length, r.chain.head),
        ),
    ]);
    rows
}

pub(super) fn summary(r: &Record) -> Vec<(&'static str, String)> {
    let s = r.summary();
    vec![
        (
            "Duur",
            s.duration
                .map_or_else(|| "loopt nog".to_string(), format_duration),
        ),
        (
            "Fasen",
            r.phases
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        ("Fasewisselingen", s.phase_changes.to_string()),
        ("Mensen met een rol", s.people.to_string()),
        (
            "Acties",
            format!(
                "{} open, {} klaar, {} vervallen",
                s.actions_open, s.actions_done, s.actions_dropped
            ),
        ),
        ("Besluiten", s.decisions.to_string()),
        ("Goedgekeurde oneliners", s.oneliners_approved.to_string()),
        ("Publieksupdates", s.updates.to_string()),
        ("Herinneringen van de bot", s.reminders.to_string()),
        ("Logboekregels", s.entries.to_string()),
    ]
}

/// The milestones in order: the chronological overview.
pub(super) fn timeline(r: &Record) -> Section {
    Section {
        id: "tijdlijn",
        title: "Tijdlijn",
        note: Some("De mijlpalen uit het logboek, op volgorde van tijd.".into()),
        head: &["Tijd", "Soort", "Wat", "Door", "Regel"],
        rows: r
            .milestones()
            .map(|l| {
                vec![
                    time(l.at),
                    text(&l.label),
                    text(&l.text),
                    text(&l.actor),
                    text(l.seq.to_string()),
                ]
            })
            .collect(),
        empty: "Geen mijlpalen.",
    }
}

/// Every section after the timeline, in reading order.
pub(super) fn sections(r: &Record) -> Vec<Section> {
    vec![
        phases(r),
        roles(r),
        actions(r),
        decisions(r),
        oneliners(r),
        updates(r),
        checklist(r),
        by_seq(r, "herinneringen", "Herinneringen", &r.reminders),
        by_seq(r, "vastgezet", "Vastgezette berichten", &r.pins),
        logbook(r),
        chain(r),
        anchors(r),
    ]
}

fn phases(r: &Record) -> Section {
    Section {
        id: "fasen",
        title: "Fasen",
        note: None,
        head: &["Fase", "Van", "Tot", "Duur", "Door", "Regel"],
        rows: r
            .phases
            .iter()
            .map(|p| {
                vec![
                    text(match p.number {
                        Some(n) => format!("{n}. {}", p.name),
                        None => p.name.clone(),
                    }),
                    time(p.from.at),
                    text(p.until.map_or_else(|| "loopt nog".to_string(), when)),
                    text(p.seconds.map_or_else(
                        || "—".to_string(),
                        |s| format_duration(chrono::Duration::seconds(s)),
                    )),
                    text(who(&p.from)),
                    text(entry(p.from.seq)),
                ]
            })
            .collect(),
        empty: "Geen fasen.",
    }
}

fn roles(r: &Record) -> Section {
    let held = match r.incident.closed {
        Some(_) => "tot het sluiten",
        None => "nu",
    };
    Section {
        id: "rollen",
        title: "Rollen in de tijd",
        note: Some("Wie welke rol had, van wanneer tot wanneer.".into()),
        head: &["Rol", "Wie", "Van", "Tot", "Toegewezen door", "Regels"],
        rows: r
            .roles
            .iter()
            .map(|p| {
                vec![
                    text(&p.name),
                    text(&p.user),
                    time(p.from.at),
                    text(p.until.as_ref().map_or_else(|| held.to_string(), when_by)),
                    text(who(&p.from)),
                    text(entries(&[p.from.seq, p.until.as_ref().and_then(|u| u.seq)])),
                ]
            })
            .collect(),
        empty: "Niemand had een rol.",
    }
}

fn actions(r: &Record) -> Section {
    Section {
        id: "acties",
        title: "Acties",
        note: Some(
            "Eigenaar en deadline zoals ze nu zijn; eerdere waarden staan in het logboek.".into(),
        ),
        head: &[
            "Nr",
            "Actie",
            "Eigenaar",
            "Deadline",
            "Aangemaakt",
            "Status",
            "Afgerond",
            "Regels",
        ],
        rows: r
            .actions
            .iter()
            .map(|a| {
                vec![
                    text(a.nr.to_string()),
                    text(&a.text),
                    text(&a.owner),
                    text(a.deadline.map_or_else(|| "—".to_string(), when)),
                    text(when_by(&a.created)),
                    text(state(a.state)),
                    text(a.finished.as_ref().map_or_else(|| "—".to_string(), when_by)),
                    text(entries(&[
                        a.created.seq,
                        a.finished.as_ref().and_then(|f| f.seq),
                    ])),
                ]
            })
            .collect(),
        empty: "Geen acties.",
    }
}

fn decisions(r: &Record) -> Section {
    Section {
        id: "besluiten",
        title: "Besluitenlijst",
        note: None,
        head: &["Nr", "Besluit", "Tijd", "Door", "Regel"],
        rows: r
            .decisions
            .iter()
            .map(|d| {
                vec![
                    text(d.nr.to_string()),
                    text(&d.text),
                    time(d.decided.at),
                    text(who(&d.decided)),
                    text(entry(d.decided.seq)),
                ]
            })
            .collect(),
        empty: "Geen besluiten.",
    }
}

fn oneliners(r: &Record) -> Section {
    let mut rows = Vec::new();
    for o in &r.oneliners {
        for v in &o.versions {
            rows.push(vec![
                text(format!("{}.{}", o.nr, v.version)),
                text(o.audience.clone().unwrap_or_else(|| "iedereen".into())),
                text(&v.text),
                text(when_by(&v.proposed)),
                text(
                    v.approved
                        .as_ref()
                        .map_or_else(|| "niet".to_string(), when_by),
                ),
                text(entries(&[
                    v.proposed.seq,
                    v.approved.as_ref().and_then(|a| a.seq),
                ])),
            ]);
        }
        if let Some(retracted) = &o.retracted {
            rows.push(vec![
                text(o.nr.to_string()),
                text(""),
                text("ingetrokken"),
                text(""),
                text(when_by(retracted)),
                text(entry(retracted.seq)),
            ]);
        }
    }
    Section {
        id: "oneliners",
        title: "Oneliners",
        note: Some("Elke versie: wie voorstelde en wie (een ander) goedkeurde of introk.".into()),
        head: &[
            "Nr",
            "Doelgroep",
            "Tekst",
            "Voorgesteld",
            "Goedgekeurd",
            "Regels",
        ],
        rows,
        empty: "Geen oneliners.",
    }
}

fn updates(r: &Record) -> Section {
    Section {
        id: "publieksupdates",
        title: "Publieksupdates",
        note: None,
        head: &["Nr", "Update", "Tijd", "Door", "Regel"],
        rows: r
            .public_updates
            .iter()
            .map(|u| {
                vec![
                    text(u.nr.to_string()),
                    text(&u.text),
                    time(u.made.at),
                    text(who(&u.made)),
                    text(entry(u.made.seq)),
                ]
            })
            .collect(),
        empty: "Geen publieksupdates.",
    }
}

fn checklist(r: &Record) -> Section {
    Section {
        id: "checklist",
        title: "Afgevinkte checklistpunten",
        note: None,
        head: &["Punt", "Stap", "Tekst", "Tijd", "Door", "Regel"],
        rows: r
            .checklist
            .iter()
            .map(|t| {
                vec![
                    text(&t.item),
                    text(&t.list),
                    text(&t.text),
                    time(t.ticked.at),
                    text(who(&t.ticked)),
                    text(entry(t.ticked.seq)),
                ]
            })
            .collect(),
        empty: "Niets afgevinkt.",
    }
}

fn by_seq(r: &Record, id: &'static str, title: &'static str, seqs: &[u64]) -> Section {
    Section {
        id,
        title,
        note: None,
        head: &["Tijd", "Door", "Tekst", "Regel"],
        rows: seqs
            .iter()
            .filter_map(|s| r.entry(*s))
            .map(|l| {
                vec![
                    time(l.at),
                    text(&l.actor),
                    text(&l.text),
                    text(l.seq.to_string()),
                ]
            })
            .collect(),
        empty: "Geen.",
    }
}

fn logbook(r: &Record) -> Section {
    Section {
        id: "logboek",
        title: "Logboek",
        note: Some(
            "Alle regels op volgorde, met de oorspronkelijke afzender; tijd in Amsterdam en in UTC."
                .into(),
        ),
        head: &["Regel", "Amsterdam", "UTC", "Afzender", "Soort", "Tekst"],
        rows: r
            .log
            .iter()
            .map(|l| {
                vec![
                    text(l.seq.to_string()),
                    Cell::Time(l.at_local.replace('T', " ")),
                    Cell::Time(l.at.format("%Y-%m-%d %H:%M:%SZ").to_string()),
                    text(&l.actor),
                    text(&l.label),
                    text(&l.text),
                ]
            })
            .collect(),
        empty: "Het logboek is leeg.",
    }
}

fn chain(r: &Record) -> Section {
    Section {
        id: "hashketen",
        title: "Hashketen",
        note: Some(format!(
            "Elke regel draagt de SHA-256-hash van haar inhoud en van de vorige regel ({}). \
             Kop van de keten: {} na {} regels. Controleer de JSON-export met \
             `kernteam-bot verify --export BESTAND.json`.",
            match r.chain.mode {
                crate::record::ChainMode::Sha256 => "sha256",
                crate::record::ChainMode::HmacSha256 => "hmac-sha256, met sleutel",
            },
            r.chain.head,
            r.chain.length
        )),
        head: &["Regel", "Hash"],
        rows: r
            .log
            .iter()
            .map(|l| vec![text(l.seq.to_string()), Cell::Code(l.hash.clone())])
            .collect(),
        empty: "Geen regels.",
    }
}

fn anchors(r: &Record) -> Section {
    Section {
        id: "ankers",
        title: "Ankers",
        note: Some(
            "Een anker legt de kop van de keten ook buiten het logboek vast; vergelijk de hash \
             met de daar bewaarde waarde."
                .into(),
        ),
        head: &["Regel", "Verankert regel", "Hash"],
        rows: r
            .anchors
            .iter()
            .map(|a| {
                vec![
                    text(a.seq.to_string()),
                    text(entry(a.anchored_seq)),
                    Cell::Code(a.anchored_hash.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        empty: "Geen ankers.",
    }
}
