//! The crisis diagnosis on a phone: one question per message with its two
//! poles, the result per part, the advices of §3.2. The bot suggests; the
//! team chooses; the burgemeester or driehoek decides.

use super::{Chat, plural};
use crate::model::Pole;
use crate::reply::Reply;
use crate::view::{DiagnosisResult, DiagnosisSaid, Progress, RoundSummary, Step};

pub(super) fn render(chat: &Chat, said: &DiagnosisSaid) -> Reply {
    let p = chat.prefix;
    match said {
        DiagnosisSaid::Progress(progress) => self::progress(chat, progress),
        DiagnosisSaid::Paused {
            round,
            answered,
            total,
        } => Reply::say(format!(
            "⏸️ Crisisdiagnose ronde {round} staat stil na {answered} van {total} vragen. Verder: {p}diagnose · iemand anders: {p}diagnose overnemen"
        )),
        DiagnosisSaid::Result(result) => self::result(chat, result),
        DiagnosisSaid::AdviceChosen {
            round,
            number,
            note,
            logged,
        } => advice_chosen(chat, *round, *number, note.as_deref(), *logged),
        DiagnosisSaid::Attached(rounds) => {
            let mut r = Reply::say(
                "🩺 De crisisdiagnose van vóór het incident hoort nu bij dit incident en staat in het logboek:",
            );
            for summary in rounds {
                r.newline().text(round_line(chat, summary));
            }
            r.newline().text(format!("Uitslag: {p}diagnose uitslag"));
            r
        }
    }
}

fn progress(chat: &Chat, progress: &Progress) -> Reply {
    let mut r = Reply::new();
    if !progress.compare.is_empty() {
        r.text("🩺 Ronden van de crisisdiagnose:");
        for summary in &progress.compare {
            r.newline().text(round_line(chat, summary));
        }
        r.newline();
    }
    r.text(step_line(chat, progress));
    match &progress.question {
        Some(id) => question(chat, &mut r, id, progress.step != Step::Watching),
        None => {
            r.newline().text(format!(
                "✅ Alle {} vragen beantwoord. Uitslag en advies: {}diagnose uitslag",
                progress.total, chat.prefix
            ));
        }
    }
    r
}

/// What just happened, so whoever answers on a phone sees it landed.
fn step_line(chat: &Chat, progress: &Progress) -> String {
    let (round, answered, total) = (progress.round, progress.answered, progress.total);
    let who = chat.name(&progress.answerer);
    match &progress.step {
        Step::Started => format!(
            "🩺 Crisisdiagnose (§3.2), ronde {round}: {who} beantwoordt. De uitkomst is een advies; de driehoek beslist."
        ),
        Step::Resumed => {
            format!("🩺 Crisisdiagnose ronde {round}: {answered} van {total} beantwoord.")
        }
        Step::Answered { question, pole } => format!("✓ {question}: {}", pole_word(*pole)),
        Step::Back { question, was } => {
            format!("↩️ Terug naar {question} (was: {})", pole_word(*was))
        }
        Step::Run { part, given } => format!(
            "✓ Deel {part}: {given} {} vastgelegd ({answered} van {total} beantwoord).",
            plural(*given, "antwoord", "antwoorden")
        ),
        Step::TakenOver { previous } => format!(
            "🔁 {who} neemt de crisisdiagnose over van {}.",
            chat.name(previous)
        ),
        Step::Watching => format!(
            "🩺 Crisisdiagnose ronde {round}: {who} beantwoordt ({answered} van {total}). Zelf verder? {}diagnose overnemen",
            chat.prefix
        ),
    }
}

/// "Zijn er vermisten? — hoog: Ja · laag: Nee", with its place and how to answer.
fn question(chat: &Chat, r: &mut Reply, id: &str, how: bool) {
    let d = &chat.book.diagnosis;
    let Some((part, q)) = d.question(id) else {
        r.newline().text(format!("Vraag {id}"));
        return;
    };
    let all: Vec<&str> = (d.parts.iter())
        .flat_map(|p| p.questions.iter().map(|q| q.id.as_str()))
        .collect();
    let position = all.iter().position(|q| *q == id).map_or(0, |i| i + 1);
    r.newline().text(format!(
        "Vraag {position} van {} ({} {}):",
        all.len(),
        part.id,
        part.name
    ));
    if part.questions.first().is_some_and(|first| first.id == q.id) && !part.prompt.is_empty() {
        r.newline().text(&part.prompt);
    }
    r.newline()
        .bold(&q.text)
        .text(format!(" — hoog: {} · laag: {}", q.high, q.low));
    if how {
        r.newline().text(format!(
            "{p}h hoog · {p}l laag · {p}? onbekend · {p}terug · {p}diagnose stop",
            p = chat.prefix
        ));
    }
}

/// Counts per part and the six advices (✅ where they fit) on the first
/// screen; the high-risk answers by name on `!meer`.
fn result(chat: &Chat, result: &DiagnosisResult) -> Reply {
    let s = &result.summary;
    let d = &chat.book.diagnosis;
    let mut r = Reply::new();
    r.text(format!(
        "🩺 Uitslag ronde {} ({}, {}). De bot adviseert; de driehoek beslist.",
        s.round,
        chat.name(&s.answerer),
        chat.when(s.started.at)
    ));
    for (id, c) in &s.counts {
        let name = d.parts.iter().find(|p| p.id == *id).map_or("", |p| &p.name);
        r.newline().text(format!(
            "{id} {name}: {} hoog · {} laag · {} onbekend",
            c.high, c.low, c.unknown
        ));
    }
    r.newline().text(format!(
        "Advies aan {} (✅ past; kies: {}diagnose advies <nr>):",
        advice_to(chat),
        chat.prefix
    ));
    advices(chat, &mut r, s);
    r.fold();
    high_answers(chat, &mut r, &result.high);
    r
}

fn advices(chat: &Chat, r: &mut Reply, s: &RoundSummary) {
    let chosen = s.advice.as_ref();
    for advice in &chat.book.diagnosis.advices {
        let mark = if chosen.is_some_and(|c| c.number == advice.number) {
            "👉"
        } else if s.suggested.contains(&advice.number) {
            "✅"
        } else {
            "▫️"
        };
        r.newline()
            .text(format!("{mark} {}. {}", advice.number, advice.short));
        if advice.when == crate::draaiboek::AdviceWhen::ThirdParty {
            r.text(" (als die het signaal doorgaf)");
        }
        if let Some(c) = chosen.filter(|c| c.number == advice.number) {
            r.text(format!(" — gekozen door {}", chat.name(&c.chosen.by)));
        }
    }
}

fn high_answers(chat: &Chat, r: &mut Reply, high: &[String]) {
    if high.is_empty() {
        r.newline().text("Geen antwoorden met hoog risico.");
        return;
    }
    r.newline().bold(format!("Hoog risico ({}):", high.len()));
    for id in high {
        if let Some((_, q)) = chat.book.diagnosis.question(id) {
            r.item().text(format!("{id} {} — {}", q.text, q.high));
        }
    }
}

fn advice_chosen(chat: &Chat, round: usize, number: u8, note: Option<&str>, logged: bool) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    r.text(format!(
        "📌 Advies {number} (crisisdiagnose ronde {round}) vastgelegd als advies aan {}: ",
        advice_to(chat)
    ));
    match chat
        .book
        .diagnosis
        .advices
        .iter()
        .find(|a| a.number == number)
    {
        Some(advice) => r.bold(&advice.text),
        None => r.text(number.to_string()),
    };
    if let Some(note) = note {
        r.newline().text(format!("Toelichting: {note}"));
    }
    r.newline().text(if logged {
        format!("Het staat in het logboek en in {p}besluiten. De driehoek beslist.")
    } else {
        format!(
            "Er is nog geen incident: het advies gaat in het logboek zodra er een wordt geopend ({p}incident open <titel>). De driehoek beslist."
        )
    });
    r
}

/// "Ronde 1 · 09:58 · Els — A 20h/8l/5? · … → past: 3, 5; gekozen: 3".
fn round_line(chat: &Chat, s: &RoundSummary) -> String {
    let counts: Vec<String> = (s.counts.iter())
        .map(|(id, c)| format!("{id} {}h/{}l/{}?", c.high, c.low, c.unknown))
        .collect();
    let fits: Vec<String> = s.suggested.iter().map(u8::to_string).collect();
    let chosen = s
        .advice
        .as_ref()
        .map(|c| format!("; gekozen: {}", c.number))
        .unwrap_or_default();
    format!(
        "Ronde {} · {} · {} — {} → past: {}{chosen}",
        s.round,
        chat.when(s.started.at),
        chat.name(&s.answerer),
        counts.join(" · "),
        fits.join(", ")
    )
}

/// "de burgemeester / lokale driehoek": the end of the draaiboek's §3.2 sentence.
fn advice_to(chat: &Chat) -> String {
    let sentence = &chat.book.diagnosis.advice_to;
    sentence
        .rfind(" aan ")
        .map(|i| sentence[i + " aan ".len()..].trim_end_matches(':').trim())
        .filter(|s| !s.is_empty())
        .map_or_else(|| "de driehoek".to_string(), str::to_string)
}

fn pole_word(pole: Pole) -> &'static str {
    match pole {
        Pole::High => "hoog",
        Pole::Low => "laag",
        Pole::Unknown => "onbekend",
    }
}
