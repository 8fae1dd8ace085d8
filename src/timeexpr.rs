//! Dutch time expressions: parsing what crisis team members type on their
//! phones ("morgen 9:00", "over 2 uur", "ma 23 nov 14:30") and showing moments
//! and spans back in Dutch.
//!
//! All wall-clock times are Europe/Amsterdam ([`ZONE`]) and DST-correct. Nothing
//! in this module reads the clock: `now` is always passed in, so every function
//! is deterministic and testable.
//!
//! # Local times that do not exist or exist twice
//!
//! A moment typed as a wall-clock time is converted with these rules:
//!
//! * A time inside the spring-forward gap (e.g. 2027-03-28 02:30, when clocks
//!   jump from 02:00 CET to 03:00 CEST) does not exist. It is moved to the first
//!   valid instant after the gap, 03:00 CEST. The typed time was meant as "some
//!   time that night" and the end of the gap is the closest real instant that is
//!   not earlier than what was asked.
//! * A time in the fall-back overlap (e.g. 2026-10-25 02:30, which happens once
//!   in CEST and again an hour later in CET) takes the earlier instant (CEST).
//!   For deadlines this errs on the side of being early.
//!
//! Relative moments ("over 2 uur") are plain additions to `now` in UTC, so
//! "over 24 uur" is exactly 24 hours later even across a DST change, while
//! "morgen 9:00" is 09:00 on the next local calendar day.

use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, TimeZone, Timelike, Utc, Weekday,
};
use regex::Regex;

/// The time zone of every wall-clock time in this module.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// Accepted moment forms, shown in error messages.
const MOMENT_EXAMPLES: &str = "14:00, om 14:00, over 2 uur, over 30 min, vandaag 17:30, morgen 9:00, maandag 10:00, 2026-11-23 09:00";

/// Accepted duration forms, shown in error messages.
const DURATION_EXAMPLES: &str =
    "30 min, 2 uur, 1,5 uur, 90 minuten, 1 uur 30 min, een kwartier, half uur, 1u30, 45m";

/// Longest accepted span; also keeps `now + span` far away from overflow.
const MAX_DURATION_SECS: f64 = 365.0 * 86_400.0;

/// How many characters of the user's input an error message repeats.
const SHOWN_MAX_CHARS: usize = 60;

/// How many trailing words [`split_trailing_moment`] tries as a time expression.
const MAX_TRAILING_WORDS: usize = 5;

/// Words that may link free text to a trailing time: "persbericht voor 14:00".
const LINKING_WORDS: &[&str] = &["voor", "vóór", "uiterlijk", "deadline", "om", "tot"];

const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const WEEKDAYS_SHORT: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// Why a typed time or duration was not understood. `Display` is a Dutch
/// sentence for the user that always includes an example of what works.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Nothing was typed.
    #[error("Er staat geen tijd. Voorbeelden: {ex}.", ex = MOMENT_EXAMPLES)]
    Empty,
    /// The input is not a moment in any accepted form.
    #[error("Ik begrijp de tijd '{0}' niet. Voorbeelden: {ex}.", ex = MOMENT_EXAMPLES)]
    Unrecognized(String),
    /// A day without a time of day, e.g. plain "morgen". Holds the day as typed
    /// (lowercase), so the message can suggest the same day with a time.
    #[error("Bij '{0}' ontbreekt de tijd. Noem ook een tijd, bijvoorbeeld: {0} 9:00.")]
    MissingTime(String),
    /// A clock time with an hour above 23 or minutes above 59, e.g. "25:00".
    #[error(
        "'{0}' is geen geldige tijd: uren gaan van 0 tot en met 23, minuten van 00 tot en met 59. \
         Bijvoorbeeld: 14:00 of 9:05."
    )]
    InvalidClock(String),
    /// A date that does not exist, e.g. "31-02".
    #[error(
        "De datum '{0}' bestaat niet. Bijvoorbeeld: 23-11 09:00, 23 november 9:00 of 2026-11-23 09:00."
    )]
    InvalidDate(String),
    /// A weekday that does not match the date next to it, e.g. "di 23 nov 2026".
    #[error(
        "'{input}' klopt niet: {date} is een {actual}. Bijvoorbeeld: {short} {date} 9:00 of {date} 9:00."
    )]
    WeekdayMismatch {
        /// The user's input.
        input: String,
        /// The date, e.g. "23 november 2026".
        date: String,
        /// The date's real weekday, e.g. "maandag".
        actual: String,
        /// The real weekday abbreviated, e.g. "ma".
        short: String,
    },
    /// The input is not a span in any accepted form.
    #[error("Ik begrijp de duur '{0}' niet. Voorbeelden: {ex}.", ex = DURATION_EXAMPLES)]
    InvalidDuration(String),
    /// A span of zero, or longer than 365 days.
    #[error(
        "De duur '{0}' kan niet: die moet langer zijn dan 0 minuten en hoogstens 365 dagen. \
         Bijvoorbeeld: 30 min of 2 uur."
    )]
    DurationOutOfRange(String),
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// A moment typed by a user, e.g. a deadline. May lie in the past; callers decide.
///
/// Accepted (case-insensitive, extra whitespace ignored, `.` also separates
/// hours and minutes, `14u` and `14 uur` mean 14:00):
///
/// * `14:00`, `om 14:00`, `9:05`, `14.30`, `14u`, `14u30`, `om 14 uur`,
///   `14.00 uur`: today at that local time, even if that has passed.
/// * `over 2 uur`, `over 30 min`, `over een half uur`, `over 1,5 uur`,
///   `over 2 dagen` (anything [`parse_duration`] accepts; `binnen` works like
///   `over`): `now` plus the span.
/// * `vandaag 17:30`, `morgen 9:00`, `overmorgen 9:00`, `gisteren 9:00`, with
///   optional `om` before the time; parts of the day `vanochtend`, `vanmiddag`,
///   `vanavond`, `morgenochtend`, `morgenavond`, `maandagavond`, …: with
///   `middag` a typed hour 1–6 and with `avond` an hour 1–11 is read as the
///   afternoon/evening hour (`vanavond 8 uur` is 20:00).
/// * `maandag 10:00` … `zondag 10:00`, short `ma di wo do vr za zo`, also with
///   `aanstaande`/`a.s.`: today if it is that weekday and the time is still
///   ahead, otherwise the next such day. `volgende week maandag 10:00`: that
///   weekday in the next calendar week (Monday to Sunday).
/// * `2026-11-23 09:00`, `23-11-2026 09:00`, `23-11 09:00`, `23/11 09:00`,
///   `23 november 9:00`, `23 nov 2027 09:00`, optionally after a weekday that
///   must match (`ma 23 nov 09:00`, the form [`format_moment`] produces). A
///   date without a year is in now's year, or the first later year in which it
///   exists and has not passed yet.
/// * The time may also come first: `9:00 morgen`, `om 14:00 maandag`.
///
/// A bare number (`morgen 9`) is not a time: without `uur` or minutes it is
/// too easily a room or item number. Spring-forward gaps and fall-back overlaps
/// are handled as described in the module documentation.
pub fn parse_moment(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, TimeError> {
    let toks = moment_tokens(input);
    if toks.is_empty() {
        return Err(TimeError::Empty);
    }
    let unrecognized = || TimeError::Unrecognized(shown(input));

    if matches!(toks[0].as_str(), "over" | "binnen") {
        if toks.len() == 1 {
            return Err(unrecognized());
        }
        let span = duration_from_text(&toks[1..].join(" ")).map_err(|e| match e {
            TimeError::DurationOutOfRange(_) => e,
            _ => unrecognized(),
        })?;
        return now.checked_add_signed(span).ok_or_else(unrecognized);
    }

    let today = local_date(now);

    // Day part, then the time: "morgen om 9:00", "14:00".
    if let Some((clock, n)) = clock_suffix(&toks) {
        let clock = clock?;
        let day_toks = strip_trailing_om(&toks[..toks.len() - n]);
        if day_toks.is_empty() {
            return Ok(resolve(
                DaySpec {
                    day: Day::Date(today),
                    part: None,
                },
                clock,
                now,
            ));
        }
        if let Some(spec) = parse_day(day_toks, today, input)? {
            return Ok(resolve(spec, clock, now));
        }
    }

    // The time, then the day part: "9:00 morgen", "om 14:00 maandag".
    let rest = strip_leading_om(&toks);
    if let Some((clock, n)) = clock_prefix(rest)
        && n < rest.len()
    {
        let clock = clock?;
        if let Some(spec) = parse_day(&rest[n..], today, input)? {
            return Ok(resolve(spec, clock, now));
        }
    }

    // A day on its own ("morgen", "maandag", "23 november").
    let day_toks = strip_trailing_om(&toks);
    if !day_toks.is_empty() && parse_day(day_toks, today, input)?.is_some() {
        return Err(TimeError::MissingTime(day_toks.join(" ")));
    }
    Err(unrecognized())
}

/// A span such as "30 min", "2 uur", "1,5 uur", "90 minuten", "1 uur 30 min", "een kwartier", "half uur", "1u30", "45m".
///
/// Units: `m`/`min`/`minuut`/`minuten`, `u`/`h`/`uur`/`uren`, `kwartier`,
/// `d`/`dag`/`dagen`, `week`/`weken`, and `halfuur`. Quantities: numbers with a
/// decimal comma or point, `een`, `half`, `anderhalf`, and the number words
/// `twee` … `twaalf`, `vijftien`, `twintig`, `dertig`, … Parts add up, with or
/// without `en` ("1 uur en 30 min"); a bare number right after hours counts as
/// minutes ("1u30", "1 uur 30"). The span must be above zero and at most 365
/// days; fractions are rounded to whole seconds.
pub fn parse_duration(input: &str) -> Result<Duration, TimeError> {
    duration_from_text(input)
}

/// Splits a trailing time expression off free text: "bel burgemeester morgen 9:00" -> ("bel burgemeester", Some(moment)).
/// Tries the longest trailing run of up to 5 words that parses as a moment; also drops one linking word directly
/// before it: "voor", "uiterlijk", "deadline", "om" (when "om" is not part of the expression itself), "tot".
/// Returns (text, None) when no trailing expression parses, and never leaves the text empty
/// (if the whole text is a time expression, return it unchanged with None).
///
/// Separators left dangling at the end of the text (`,` `;` `:` `-`) are removed
/// too: "bel burgemeester, morgen 9:00" gives "bel burgemeester". A text that is
/// only a linking word plus a time ("voor 14:00") counts as all time.
pub fn split_trailing_moment(text: &str, now: DateTime<Utc>) -> (String, Option<DateTime<Utc>>) {
    let unchanged = || (text.to_string(), None);
    let spans = word_spans(text);
    if spans.len() < 2 || parse_moment(text, now).is_ok() {
        return unchanged();
    }
    let longest = MAX_TRAILING_WORDS.min(spans.len() - 1);
    for n in (1..=longest).rev() {
        let first = spans.len() - n;
        let Ok(at) = parse_moment(&text[spans[first].0..], now) else {
            continue;
        };
        let mut keep = first;
        let (ls, le) = spans[keep - 1];
        if is_linking_word(&text[ls..le]) {
            keep -= 1;
        }
        if keep == 0 {
            return unchanged();
        }
        let rest = text[spans[0].0..spans[keep - 1].1].trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—')
        });
        if rest.is_empty() {
            return unchanged();
        }
        return (rest.to_string(), Some(at));
    }
    unchanged()
}

/// The error of a time expression at the end of `text` that was clearly
/// meant as one but does not exist ("2027-02-31 10:00", "25:99"), so that
/// [`split_trailing_moment`] does not quietly take only the part that parses.
pub fn invalid_trailing_moment(text: &str, now: DateTime<Utc>) -> Option<TimeError> {
    let spans = word_spans(text);
    let longest = MAX_TRAILING_WORDS.min(spans.len());
    for n in (1..=longest).rev() {
        match parse_moment(&text[spans[spans.len() - n].0..], now) {
            Ok(_) => return None,
            Err(
                e @ (TimeError::InvalidDate(_)
                | TimeError::InvalidClock(_)
                | TimeError::WeekdayMismatch { .. }),
            ) => return Some(e),
            Err(_) => {}
        }
    }
    None
}

/// How a moment is shown in Dutch relative to now: "14:30" (today), "morgen 09:00", "gisteren 09:00",
/// "maandag 10:00" (within the coming 6 days), otherwise "ma 30 nov 14:30" (add the year only if different from now's year).
///
/// Days are local calendar days in [`ZONE`]. The far form with a year reads
/// "ma 30 nov 2027 14:30". Every form is accepted back by [`parse_moment`]
/// (the far form only for dates that have not passed).
pub fn format_moment(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let at_local = at.with_timezone(&ZONE);
    let now_local = now.with_timezone(&ZONE);
    let clock = format_clock(at);
    let days = (at_local.date_naive() - now_local.date_naive()).num_days();
    let weekday = at_local.weekday().num_days_from_monday() as usize;
    match days {
        // No "om": callers put their own word in front ("sinds 14:30").
        0 => clock,
        1 => format!("morgen {clock}"),
        -1 => format!("gisteren {clock}"),
        2..=6 => format!("{} {clock}", WEEKDAYS[weekday]),
        _ => {
            let year = if at_local.year() == now_local.year() {
                String::new()
            } else {
                format!(" {}", at_local.year())
            };
            format!(
                "{} {} {}{year} {clock}",
                WEEKDAYS_SHORT[weekday],
                at_local.day(),
                MONTHS_SHORT[at_local.month0() as usize]
            )
        }
    }
}

/// A recurring span in Dutch: "elk uur", "elke 2 uur", "elke 30 min".
pub fn format_every(d: Duration) -> String {
    match format_duration(d).as_str() {
        "1 uur" => "elk uur".to_string(),
        "1 dag" => "elke dag".to_string(),
        span => format!("elke {span}"),
    }
}

/// Local wall-clock "14:30".
pub fn format_clock(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&ZONE);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Local date and time for logs and exports: "2026-11-23 14:30".
pub fn format_full(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&ZONE);
    format!(
        "{:04}-{:02}-{:02} {}",
        local.year(),
        local.month(),
        local.day(),
        format_clock(at)
    )
}

/// A span in Dutch: "30 min", "2 uur", "1 uur 30 min", "1 dag 2 uur".
///
/// Shown in whole minutes, rounded to the nearest minute; a span under half a
/// minute that is not zero shows as "1 min", zero as "0 min". All non-zero
/// parts are listed ("1 dag 2 uur 30 min"). A negative span gets a leading
/// minus sign ("-30 min"); wording such as "geleden" is up to the caller.
pub fn format_duration(d: Duration) -> String {
    let secs = d.num_seconds();
    if secs < 0 {
        return format!(
            "-{}",
            format_duration(Duration::seconds(secs.saturating_neg()))
        );
    }
    let mut minutes = (secs + 30) / 60;
    if minutes == 0 && secs > 0 {
        minutes = 1;
    }
    if minutes == 0 {
        return "0 min".to_string();
    }
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let mut parts = Vec::new();
    match days {
        0 => {}
        1 => parts.push("1 dag".to_string()),
        n => parts.push(format!("{n} dagen")),
    }
    if hours > 0 {
        parts.push(format!("{hours} uur"));
    }
    if mins > 0 {
        parts.push(format!("{mins} min"));
    }
    parts.join(" ")
}

// ---------------------------------------------------------------------------
// Moments: tokens and clock times
// ---------------------------------------------------------------------------

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in regex is valid")
}

/// One-token clock: "14:00", "9.05", "14:00u", "14u", "14u30".
static CLOCK: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([0-9]{1,2})(?:[:.]([0-9]{2})u?|u([0-9]{2})?)$"));
/// Clock before a separate "uur": "14 uur", "14.00 uur".
static CLOCK_BEFORE_UUR: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?$"));
/// ISO date and time in one token: "2026-11-23t09:00" (already lowercase).
static ISO_DATE_TIME: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t([0-9]{1,2}[:.][0-9]{2})$"));
static DATE_YMD: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"));
static DATE_DMY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$"));
static DATE_DM: LazyLock<Regex> = LazyLock::new(|| re(r"^([0-9]{1,2})[-/]([0-9]{1,2})$"));
static DAY_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^[0-9]{1,2}$"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^[0-9]{4}$"));

/// The input repeated in an error message: whitespace collapsed, cut off when long.
fn shown(input: &str) -> String {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > SHOWN_MAX_CHARS {
        let cut: String = text.chars().take(SHOWN_MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Lowercase words with trailing punctuation removed ("nov." -> "nov", "a.s." -> "a.s").
fn moment_tokens(input: &str) -> Vec<String> {
    let lower = input.to_lowercase();
    let mut out = Vec::new();
    for raw in lower.split_whitespace() {
        let tok = raw.trim_end_matches([',', ';', '!', '?', '.']);
        if tok.is_empty() {
            continue;
        }
        if let Some(c) = ISO_DATE_TIME.captures(tok) {
            out.push(c[1].to_string());
            out.push(c[2].to_string());
        } else {
            out.push(tok.to_string());
        }
    }
    out
}

fn strip_trailing_om(toks: &[String]) -> &[String] {
    match toks.split_last() {
        Some((last, rest)) if last == "om" => rest,
        _ => toks,
    }
}

fn strip_leading_om(toks: &[String]) -> &[String] {
    match toks.split_first() {
        Some((first, rest)) if first == "om" => rest,
        _ => toks,
    }
}

/// Two small numbers (regex-checked) as a validated clock time.
fn checked_clock(hour: &str, minute: Option<&str>, typed: &str) -> Result<(u32, u32), TimeError> {
    let hour: u32 = hour.parse().expect("regex allows two ASCII digits");
    let minute: u32 = minute.map_or(0, |m| m.parse().expect("regex allows two ASCII digits"));
    if hour > 23 || minute > 59 {
        return Err(TimeError::InvalidClock(typed.to_string()));
    }
    Ok((hour, minute))
}

/// The whole of `toks` (one or two words) as a clock time; `None` if it does
/// not look like one, `Some(Err)` if it looks like one but is out of range.
fn clock_at(toks: &[String]) -> Option<Result<(u32, u32), TimeError>> {
    match toks {
        [one] => {
            let c = CLOCK.captures(one)?;
            let minute = c.get(2).or(c.get(3)).map(|m| m.as_str());
            Some(checked_clock(&c[1], minute, one))
        }
        [number, unit] if unit == "uur" || unit == "u" => {
            let c = CLOCK_BEFORE_UUR.captures(number)?;
            Some(checked_clock(
                &c[1],
                c.get(2).map(|m| m.as_str()),
                &format!("{number} {unit}"),
            ))
        }
        _ => None,
    }
}

type ClockMatch = (Result<(u32, u32), TimeError>, usize);

/// A clock time at the end of `toks`, with the number of words it takes.
fn clock_suffix(toks: &[String]) -> Option<ClockMatch> {
    [2, 1]
        .into_iter()
        .filter(|&n| toks.len() >= n)
        .find_map(|n| clock_at(&toks[toks.len() - n..]).map(|r| (r, n)))
}

/// A clock time at the start of `toks`, with the number of words it takes.
fn clock_prefix(toks: &[String]) -> Option<ClockMatch> {
    [2, 1]
        .into_iter()
        .filter(|&n| toks.len() >= n)
        .find_map(|n| clock_at(&toks[..n]).map(|r| (r, n)))
}

// ---------------------------------------------------------------------------
// Moments: days
// ---------------------------------------------------------------------------

/// Part of the day, which decides how a small hour is read ("vanavond 8 uur").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// A calendar date.
    Date(NaiveDate),
    /// The coming such weekday: today if the time is still ahead, else later.
    Next(Weekday),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DaySpec {
    day: Day,
    part: Option<Part>,
}

fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ZONE).date_naive()
}

fn weekday_word(w: &str) -> Option<Weekday> {
    let i = WEEKDAYS
        .iter()
        .position(|&d| d == w)
        .or_else(|| WEEKDAYS_SHORT.iter().position(|&d| d == w))?;
    Weekday::try_from(i as u8).ok()
}

fn month_word(w: &str) -> Option<u32> {
    let i = match w {
        "mar" | "maa" => 2,
        "sept" => 8,
        _ => MONTHS
            .iter()
            .position(|&m| m == w)
            .or_else(|| MONTHS_SHORT.iter().position(|&m| m == w))?,
    };
    Some(i as u32 + 1)
}

fn part_word(w: &str) -> Option<Part> {
    match w {
        "ochtend" => Some(Part::Morning),
        "middag" => Some(Part::Afternoon),
        "avond" => Some(Part::Evening),
        _ => None,
    }
}

/// Day words that take a part-of-day suffix in one word: "morgenavond", "maandagochtend".
fn takes_part_suffix(w: &str) -> bool {
    matches!(w, "vandaag" | "morgen" | "overmorgen" | "gisteren") || WEEKDAYS.contains(&w)
}

/// Splits one-word day parts: "vanavond" -> "vandaag avond", "morgenochtend" -> "morgen ochtend".
fn expand_day_parts(toks: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(toks.len() + 1);
    for tok in toks {
        let split: Option<(&str, &str)> = match tok.as_str() {
            "vanochtend" | "vanmorgen" => Some(("vandaag", "ochtend")),
            "vanmiddag" => Some(("vandaag", "middag")),
            "vanavond" => Some(("vandaag", "avond")),
            "morgenvroeg" => Some(("morgen", "ochtend")),
            t => [
                ("ochtend", "ochtend"),
                ("morgen", "ochtend"),
                ("middag", "middag"),
                ("avond", "avond"),
            ]
            .into_iter()
            .find_map(|(suffix, part)| {
                t.strip_suffix(suffix)
                    .filter(|p| takes_part_suffix(p))
                    .map(|p| (p, part))
            }),
        };
        match split {
            Some((day, part)) => {
                out.push(day.to_string());
                out.push(part.to_string());
            }
            None => out.push(tok.clone()),
        }
    }
    out
}

/// The day part of a moment; `Ok(None)` if `toks` is not a day at all.
fn parse_day(toks: &[String], today: NaiveDate, input: &str) -> Result<Option<DaySpec>, TimeError> {
    let toks = expand_day_parts(toks);
    let words: Vec<&str> = toks.iter().map(String::as_str).collect();
    let (base, part) = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && part_word(last).is_some() => {
            (rest, part_word(last))
        }
        _ => (&words[..], None),
    };
    Ok(parse_base_day(base, today, input)?.map(|day| DaySpec { day, part }))
}

fn parse_base_day(words: &[&str], today: NaiveDate, input: &str) -> Result<Option<Day>, TimeError> {
    let offset = |days: i64| Ok(Some(Day::Date(today + Duration::days(days))));
    let is_coming = |w: &str| matches!(w, "aanstaande" | "a.s" | "as");
    match words {
        ["vandaag"] => return offset(0),
        ["morgen"] => return offset(1),
        ["overmorgen"] => return offset(2),
        ["gisteren"] => return offset(-1),
        [w] => {
            if let Some(wd) = weekday_word(w) {
                return Ok(Some(Day::Next(wd)));
            }
        }
        [a, b] if is_coming(a) || is_coming(b) => {
            let w = if is_coming(a) { b } else { a };
            if let Some(wd) = weekday_word(w) {
                return Ok(Some(Day::Next(wd)));
            }
        }
        ["volgende", "week", w] => {
            if let Some(wd) = weekday_word(w) {
                let monday =
                    today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
                return offset(
                    (monday - today).num_days() + 7 + i64::from(wd.num_days_from_monday()),
                );
            }
        }
        _ => {}
    }

    // A date, perhaps after a weekday that must match: "ma 23 nov".
    let (weekday, date_words) = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() && weekday_word(first).is_some() => {
            (weekday_word(first), rest)
        }
        _ => (None, words),
    };
    let Some(date) = parse_date(date_words, today)? else {
        return Ok(None);
    };
    if let Some(wd) = weekday
        && date.weekday() != wd
    {
        let actual = date.weekday().num_days_from_monday() as usize;
        return Err(TimeError::WeekdayMismatch {
            input: shown(input),
            date: format!(
                "{} {} {}",
                date.day(),
                MONTHS[date.month0() as usize],
                date.year()
            ),
            actual: WEEKDAYS[actual].to_string(),
            short: WEEKDAYS_SHORT[actual].to_string(),
        });
    }
    Ok(Some(Day::Date(date)))
}

/// A calendar date; `Ok(None)` if `words` does not look like one, an error if it
/// looks like one that does not exist.
fn parse_date(words: &[&str], today: NaiveDate) -> Result<Option<NaiveDate>, TimeError> {
    let typed = words.join(" ");
    let invalid = || TimeError::InvalidDate(typed.clone());
    let num = |s: &str| -> u32 { s.parse().expect("regex allows at most four ASCII digits") };
    let exact = |y: u32, m: u32, d: u32| {
        let y = i32::try_from(y).map_err(|_| invalid())?;
        NaiveDate::from_ymd_opt(y, m, d)
            .map(Some)
            .ok_or_else(invalid)
    };
    match words {
        [one] => {
            if let Some(c) = DATE_YMD.captures(one) {
                return exact(num(&c[1]), num(&c[2]), num(&c[3]));
            }
            if let Some(c) = DATE_DMY.captures(one) {
                return exact(num(&c[3]), num(&c[2]), num(&c[1]));
            }
            if let Some(c) = DATE_DM.captures(one) {
                return upcoming_date(num(&c[2]), num(&c[1]), today)
                    .map(Some)
                    .ok_or_else(invalid);
            }
            Ok(None)
        }
        [day, month] | [day, month, _]
            if DAY_NUMBER.is_match(day) && month_word(month).is_some() =>
        {
            let m = month_word(month).expect("checked above");
            match words {
                [_, _, year] if YEAR.is_match(year) => exact(num(year), m, num(day)),
                [_, _, _] => Ok(None),
                _ => upcoming_date(m, num(day), today)
                    .map(Some)
                    .ok_or_else(invalid),
            }
        }
        _ => Ok(None),
    }
}

/// A day and month without a year: this year, or the first later year in which
/// the date exists and has not passed (29 February may skip to a leap year).
fn upcoming_date(month: u32, day: u32, today: NaiveDate) -> Option<NaiveDate> {
    (today.year()..=today.year() + 4)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|&d| d >= today)
}

/// Reads a small hour in the afternoon or evening: "vanmiddag 3 uur" is 15:00.
fn apply_part(part: Option<Part>, (hour, minute): (u32, u32)) -> (u32, u32) {
    match part {
        Some(Part::Afternoon) if (1..=6).contains(&hour) => (hour + 12, minute),
        Some(Part::Evening) if (1..=11).contains(&hour) => (hour + 12, minute),
        _ => (hour, minute),
    }
}

fn resolve(spec: DaySpec, clock: (u32, u32), now: DateTime<Utc>) -> DateTime<Utc> {
    let (hour, minute) = apply_part(spec.part, clock);
    match spec.day {
        Day::Date(date) => local_to_utc(date, hour, minute),
        Day::Next(weekday) => {
            let today = local_date(now);
            let ahead =
                (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            let at = local_to_utc(today + Duration::days(i64::from(ahead)), hour, minute);
            if ahead == 0 && at <= now {
                local_to_utc(today + Duration::days(7), hour, minute)
            } else {
                at
            }
        }
    }
}

/// A local wall-clock time in [`ZONE`] as an instant. Times in a
/// spring-forward gap move to the end of the gap; times in a fall-back overlap
/// take the earlier instant (see the module documentation).
fn local_to_utc(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let mut naive = date
        .and_hms_opt(hour, minute, 0)
        .expect("clock values are validated");
    // Transitions in Amsterdam fall on whole minutes, so stepping by a minute
    // from a whole-minute time finds the first instant after a gap exactly.
    for _ in 0..=24 * 60 {
        match ZONE.from_local_datetime(&naive) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => {
                return a.with_timezone(&Utc).min(b.with_timezone(&Utc));
            }
            LocalResult::None => naive += Duration::minutes(1),
        }
    }
    // Unreachable for real zones (no gap lasts a day); fall back to the standard offset.
    ZONE.from_utc_datetime(&naive).with_timezone(&Utc)
}

// ---------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    /// A number; `true` if it was written without a decimal part.
    Number(f64, bool),
    Word(String),
}

/// Numbers and words: "1u30" -> 1, "u", 30; "1,5uur" -> 1.5, "uur".
fn duration_lexemes(input: &str) -> Option<Vec<Lexeme>> {
    let chars: Vec<char> = input.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ',' || c == '.' {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let mut whole = true;
            if i + 1 < chars.len() && matches!(chars[i], ',' | '.') && chars[i + 1].is_ascii_digit()
            {
                whole = false;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[start..i]
                .iter()
                .map(|&c| if c == ',' { '.' } else { c })
                .collect();
            out.push(Lexeme::Number(text.parse().ok()?, whole));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push(Lexeme::Word(chars[start..i].iter().collect()));
        } else {
            return None;
        }
    }
    Some(out)
}

fn unit_secs(w: &str) -> Option<f64> {
    Some(match w {
        "m" | "min" | "mins" | "minuut" | "minuten" | "minuutje" | "minuutjes" => 60.0,
        "kwartier" | "kwartiertje" | "kwartieren" => 900.0,
        "halfuur" | "halfuurtje" => 1800.0,
        "u" | "h" | "uur" | "uren" | "uurtje" => 3600.0,
        "anderhalfuur" => 5400.0,
        "d" | "dag" | "dagen" => 86_400.0,
        "week" | "weken" => 604_800.0,
        _ => return None,
    })
}

/// Units that need no number in front: "over halfuur" is half an hour.
fn unit_implies_one(w: &str) -> bool {
    matches!(w, "halfuur" | "halfuurtje" | "anderhalfuur")
}

fn is_een(w: &str) -> bool {
    matches!(w, "een" | "één" | "eén" | "ene")
}

fn number_word(w: &str) -> Option<f64> {
    Some(match w {
        w if is_een(w) => 1.0,
        "half" | "halve" => 0.5,
        "anderhalf" | "anderhalve" => 1.5,
        "twee" => 2.0,
        "drie" => 3.0,
        "vier" => 4.0,
        "vijf" => 5.0,
        "zes" => 6.0,
        "zeven" => 7.0,
        "acht" => 8.0,
        "negen" => 9.0,
        "tien" => 10.0,
        "elf" => 11.0,
        "twaalf" => 12.0,
        "vijftien" => 15.0,
        "twintig" => 20.0,
        "dertig" => 30.0,
        "veertig" => 40.0,
        "vijfenveertig" => 45.0,
        "vijftig" => 50.0,
        "zestig" => 60.0,
        "negentig" => 90.0,
        _ => return None,
    })
}

/// Total seconds of a span, or `None` if the text is not a span.
fn duration_secs(lexemes: &[Lexeme]) -> Option<f64> {
    let mut total = 0.0;
    let mut parts = 0;
    let mut last_unit = None;
    let mut i = 0;
    while i < lexemes.len() {
        let word = |j: usize| match lexemes.get(j) {
            Some(Lexeme::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        if word(i) == Some("en") && parts > 0 {
            i += 1;
            continue;
        }
        if let Some(w) = word(i)
            && unit_implies_one(w)
        {
            total += unit_secs(w)?;
            parts += 1;
            last_unit = unit_secs(w);
            i += 1;
            continue;
        }
        let (quantity, bare_whole_number) = match &lexemes[i] {
            Lexeme::Number(x, whole) => (*x, *whole),
            Lexeme::Word(w) if is_een(w) && matches!(word(i + 1), Some("half" | "halve")) => {
                i += 1;
                (0.5, false)
            }
            Lexeme::Word(w) => (number_word(w)?, false),
        };
        i += 1;
        match word(i).and_then(unit_secs) {
            Some(secs) => {
                total += quantity * secs;
                last_unit = Some(secs);
                i += 1;
            }
            // "1u30", "1 uur 30": a whole number after hours counts as minutes.
            None if i == lexemes.len()
                && bare_whole_number
                && last_unit == Some(3600.0)
                && quantity < 60.0 =>
            {
                total += quantity * 60.0;
            }
            None => return None,
        }
        parts += 1;
    }
    (parts > 0).then_some(total)
}

fn duration_from_text(input: &str) -> Result<Duration, TimeError> {
    let secs = duration_lexemes(input)
        .and_then(|lx| duration_secs(&lx))
        .ok_or_else(|| TimeError::InvalidDuration(shown(input)))?;
    if !(secs > 0.0 && secs <= MAX_DURATION_SECS) {
        return Err(TimeError::DurationOutOfRange(shown(input)));
    }
    Ok(Duration::seconds(secs.round() as i64))
}

// ---------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------

/// Byte ranges of the whitespace-separated words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn is_linking_word(word: &str) -> bool {
    let w = word.to_lowercase();
    LINKING_WORDS.contains(&w.trim_end_matches([':', ',']))
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant given as Amsterdam wall-clock time (must be unambiguous).
    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        ZONE.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("unambiguous local time")
            .with_timezone(&Utc)
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid UTC time")
    }

    /// Wednesday 18 November 2026, 10:00 local (CET).
    fn wed() -> DateTime<Utc> {
        local(2026, 11, 18, 10, 0)
    }

    fn moment(input: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        parse_moment(input, now).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
    }

    fn minutes(m: i64) -> Duration {
        Duration::minutes(m)
    }

    // --- clock times today ---

    #[test]
    fn clock_forms_mean_today_at_that_local_time() {
        let now = wed();
        for (input, h, m) in [
            ("14:00", 14, 0),
            ("om 14:00", 14, 0),
            ("9:05", 9, 5),
            ("09:05", 9, 5),
            ("14.30", 14, 30),
            ("14u", 14, 0),
            ("14u30", 14, 30),
            ("om 14 uur", 14, 0),
            ("14 uur", 14, 0),
            ("14.00 uur", 14, 0),
            ("om 14:00u", 14, 0),
            ("0:00", 0, 0),
            ("23:59", 23, 59),
        ] {
            assert_eq!(moment(input, now), local(2026, 11, 18, h, m), "{input}");
        }
    }

    #[test]
    fn clock_is_case_and_whitespace_insensitive() {
        assert_eq!(moment("  OM   14:00  ", wed()), local(2026, 11, 18, 14, 0));
        assert_eq!(moment("Morgen\t9:00.", wed()), local(2026, 11, 19, 9, 0));
    }

    #[test]
    fn past_clock_time_is_still_today() {
        assert_eq!(moment("9:00", wed()), local(2026, 11, 18, 9, 0));
    }

    #[test]
    fn invalid_clock_values_are_refused() {
        for input in [
            "25:00",
            "14:61",
            "morgen 24:00",
            "om 30 uur",
            "maandag 9:75",
        ] {
            assert!(
                matches!(parse_moment(input, wed()), Err(TimeError::InvalidClock(_))),
                "{input}: {:?}",
                parse_moment(input, wed())
            );
        }
    }

    // --- relative moments ---

    #[test]
    fn over_forms_add_the_span_to_now() {
        let now = wed();
        for (input, mins) in [
            ("over 2 uur", 120),
            ("over 30 min", 30),
            ("over 30 minuten", 30),
            ("over een uur", 60),
            ("over een half uur", 30),
            ("over 1,5 uur", 90),
            ("over een kwartier", 15),
            ("over 2 dagen", 2 * 1440),
            ("Over 1 uur 30 min", 90),
            ("binnen 45m", 45),
        ] {
            assert_eq!(moment(input, now), now + minutes(mins), "{input}");
        }
    }

    #[test]
    fn over_with_bad_span_is_an_unrecognized_time() {
        assert!(matches!(
            parse_moment("over", wed()),
            Err(TimeError::Unrecognized(_))
        ));
        assert!(matches!(
            parse_moment("over een tijdje", wed()),
            Err(TimeError::Unrecognized(_))
        ));
        assert!(matches!(
            parse_moment("over 0 min", wed()),
            Err(TimeError::DurationOutOfRange(_))
        ));
    }

    // --- day words ---

    #[test]
    fn day_words_with_a_time() {
        let now = wed();
        assert_eq!(moment("vandaag 17:30", now), local(2026, 11, 18, 17, 30));
        assert_eq!(moment("morgen 9:00", now), local(2026, 11, 19, 9, 0));
        assert_eq!(moment("morgen om 9:00", now), local(2026, 11, 19, 9, 0));
        assert_eq!(moment("morgen 9 uur", now), local(2026, 11, 19, 9, 0));
        assert_eq!(moment("overmorgen 9:00", now), local(2026, 11, 20, 9, 0));
        assert_eq!(moment("gisteren 9:00", now), local(2026, 11, 17, 9, 0));
    }

    #[test]
    fn time_may_come_before_the_day() {
        let now = wed();
        assert_eq!(moment("9:00 morgen", now), local(2026, 11, 19, 9, 0));
        assert_eq!(moment("om 14:00 maandag", now), local(2026, 11, 23, 14, 0));
        assert_eq!(
            moment("14 uur 23 november", now),
            local(2026, 11, 23, 14, 0)
        );
    }

    #[test]
    fn parts_of_the_day_read_small_hours_sensibly() {
        let now = wed();
        assert_eq!(moment("vanavond 20:00", now), local(2026, 11, 18, 20, 0));
        assert_eq!(moment("vanavond 8 uur", now), local(2026, 11, 18, 20, 0));
        assert_eq!(moment("vanmiddag 3 uur", now), local(2026, 11, 18, 15, 0));
        assert_eq!(moment("vanmiddag 12:30", now), local(2026, 11, 18, 12, 30));
        assert_eq!(moment("vanochtend 8:00", now), local(2026, 11, 18, 8, 0));
        assert_eq!(moment("morgenochtend 9:00", now), local(2026, 11, 19, 9, 0));
        assert_eq!(
            moment("morgenavond om 7 uur", now),
            local(2026, 11, 19, 19, 0)
        );
        assert_eq!(
            moment("morgen avond 19:00", now),
            local(2026, 11, 19, 19, 0)
        );
        assert_eq!(
            moment("maandagavond 19:30", now),
            local(2026, 11, 23, 19, 30)
        );
    }

    #[test]
    fn morgen_is_relative_to_the_local_date_not_utc() {
        // 00:30 local on Thursday is still Wednesday in UTC.
        let now = local(2026, 11, 19, 0, 30);
        assert_eq!(
            now.date_naive(),
            NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
        );
        assert_eq!(moment("morgen 9:00", now), local(2026, 11, 20, 9, 0));
        assert_eq!(moment("14:00", now), local(2026, 11, 19, 14, 0));
    }

    #[test]
    fn day_without_a_time_asks_for_a_time() {
        for (input, day) in [
            ("morgen", "morgen"),
            ("Morgen", "morgen"),
            ("morgen om", "morgen"),
            ("maandag", "maandag"),
            ("23 november", "23 november"),
            ("volgende week vrijdag", "volgende week vrijdag"),
        ] {
            let err = parse_moment(input, wed()).unwrap_err();
            assert_eq!(err, TimeError::MissingTime(day.to_string()), "{input}");
        }
        let msg = parse_moment("morgen", wed()).unwrap_err().to_string();
        assert!(
            msg.contains("Noem ook een tijd, bijvoorbeeld: morgen 9:00"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_text_and_bare_numbers_are_not_moments() {
        for input in [
            "blabla",
            "14",
            "morgen 9",
            "om",
            "volgende maandag 10:00",
            "9:5",
            "bel 14:00",
            "overleg 3",
        ] {
            assert!(
                matches!(parse_moment(input, wed()), Err(TimeError::Unrecognized(_))),
                "{input}: {:?}",
                parse_moment(input, wed())
            );
        }
        assert_eq!(parse_moment("   ", wed()), Err(TimeError::Empty));
    }

    // --- weekdays ---

    #[test]
    fn weekday_means_the_coming_such_day() {
        let now = wed();
        assert_eq!(moment("maandag 10:00", now), local(2026, 11, 23, 10, 0));
        assert_eq!(moment("donderdag 10:00", now), local(2026, 11, 19, 10, 0));
        assert_eq!(moment("dinsdag om 10:00", now), local(2026, 11, 24, 10, 0));
        assert_eq!(
            moment("aanstaande vrijdag 10:00", now),
            local(2026, 11, 20, 10, 0)
        );
        assert_eq!(
            moment("vrijdag a.s. 10:00", now),
            local(2026, 11, 20, 10, 0)
        );
        let full_and_short = [
            ("maandag", "ma", 23),
            ("dinsdag", "di", 24),
            ("woensdag", "wo", 25),
            ("donderdag", "do", 19),
            ("vrijdag", "vr", 20),
            ("zaterdag", "za", 21),
            ("zondag", "zo", 22),
        ];
        for (full, short, day) in full_and_short {
            assert_eq!(
                moment(&format!("{full} 9:00"), now),
                local(2026, 11, day, 9, 0),
                "{full}"
            );
            assert_eq!(
                moment(&format!("{short} 9:00"), now),
                local(2026, 11, day, 9, 0),
                "{short}"
            );
        }
    }

    #[test]
    fn todays_weekday_is_today_while_the_time_is_ahead() {
        let now = wed(); // Wednesday 10:00
        assert_eq!(moment("woensdag 11:00", now), local(2026, 11, 18, 11, 0));
        assert_eq!(moment("wo 11:00", now), local(2026, 11, 18, 11, 0));
    }

    #[test]
    fn todays_weekday_is_next_week_once_the_time_has_passed() {
        let now = wed();
        assert_eq!(moment("woensdag 9:00", now), local(2026, 11, 25, 9, 0));
        assert_eq!(
            moment("woensdag 10:00", now),
            local(2026, 11, 25, 10, 0),
            "exactly now is not ahead"
        );
    }

    #[test]
    fn volgende_week_means_that_day_in_the_next_calendar_week() {
        let now = wed();
        assert_eq!(
            moment("volgende week maandag 10:00", now),
            local(2026, 11, 23, 10, 0)
        );
        assert_eq!(
            moment("volgende week vrijdag 10:00", now),
            local(2026, 11, 27, 10, 0)
        );
        assert_eq!(
            moment("volgende week woensdag om 9:00", now),
            local(2026, 11, 25, 9, 0)
        );
        // From a Sunday, next week's Monday is tomorrow.
        assert_eq!(
            moment("volgende week ma 9:00", local(2026, 11, 22, 12, 0)),
            local(2026, 11, 23, 9, 0)
        );
    }

    #[test]
    fn weekday_lands_on_local_date_across_dst_end() {
        // Saturday 24 October 2026 12:00 CEST; Monday is after the fall-back.
        let now = local(2026, 10, 24, 12, 0);
        assert_eq!(moment("maandag 9:00", now), utc(2026, 10, 26, 8, 0));
    }

    // --- dates ---

    #[test]
    fn date_forms() {
        let now = wed();
        let expected = local(2026, 11, 23, 9, 0);
        for input in [
            "2026-11-23 09:00",
            "2026-11-23T09:00",
            "23-11-2026 09:00",
            "23/11/2026 09:00",
            "23.11.2026 09:00",
            "23-11 09:00",
            "23/11 9:00",
            "23-11 om 9:00",
            "23 november 9:00",
            "23 November 9u",
            "23 nov 09:00",
            "23 nov. 09:00",
            "23 nov 2026 09:00",
            "ma 23 nov 09:00",
            "maandag 23 november 9:00",
        ] {
            assert_eq!(moment(input, now), expected, "{input}");
        }
        assert_eq!(
            moment("23 november 2027 9:00", now),
            local(2027, 11, 23, 9, 0)
        );
        assert_eq!(moment("1 mrt 12:00", now), local(2027, 3, 1, 12, 0));
        assert_eq!(moment("5 jan 12:00", now), local(2027, 1, 5, 12, 0));
    }

    #[test]
    fn date_without_year_is_this_year_unless_it_has_passed() {
        let now = wed(); // 18 November 2026
        assert_eq!(
            moment("18-11 09:00", now),
            local(2026, 11, 18, 9, 0),
            "today counts as not passed"
        );
        assert_eq!(moment("17-11 09:00", now), local(2027, 11, 17, 9, 0));
        assert_eq!(moment("31 december 23:00", now), local(2026, 12, 31, 23, 0));
        assert_eq!(
            moment("29-02 12:00", now),
            local(2028, 2, 29, 12, 0),
            "next leap day"
        );
    }

    #[test]
    fn invalid_dates_are_refused() {
        for (input, date) in [
            ("31-02 09:00", "31-02"),
            ("2026-02-29 09:00", "2026-02-29"),
            ("32 januari 9:00", "32 januari"),
            ("23-13 09:00", "23-13"),
            ("0-5 09:00", "0-5"),
            ("31-04-2027", "31-04-2027"),
        ] {
            assert_eq!(
                parse_moment(input, wed()),
                Err(TimeError::InvalidDate(date.to_string())),
                "{input}"
            );
        }
    }

    #[test]
    fn weekday_that_does_not_match_the_date_is_refused() {
        let err = parse_moment("di 23 nov 09:00", wed()).unwrap_err();
        assert!(matches!(err, TimeError::WeekdayMismatch { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("23 november 2026 is een maandag"), "{msg}");
        assert!(
            msg.contains("Bijvoorbeeld: ma 23 november 2026 9:00"),
            "{msg}"
        );
    }

    // --- DST ---

    #[test]
    fn morgen_nine_is_next_local_day_across_dst_end() {
        let now = local(2026, 10, 24, 12, 0); // Saturday, CEST
        assert_eq!(now, utc(2026, 10, 24, 10, 0));
        assert_eq!(moment("morgen 9:00", now), utc(2026, 10, 25, 8, 0)); // CET
    }

    #[test]
    fn over_24_uur_is_exactly_24_hours_across_dst_end() {
        let now = local(2026, 10, 24, 12, 0);
        let at = moment("over 24 uur", now);
        assert_eq!(at - now, Duration::hours(24));
        assert_eq!(format_clock(at), "11:00", "wall clock moved back an hour");
    }

    #[test]
    fn morgen_nine_is_next_local_day_across_dst_start() {
        let now = local(2027, 3, 27, 12, 0); // Saturday, CET
        assert_eq!(moment("morgen 9:00", now), utc(2027, 3, 28, 7, 0)); // CEST
    }

    #[test]
    fn time_in_spring_forward_gap_moves_to_end_of_gap() {
        let now = local(2027, 3, 27, 12, 0);
        let expected = utc(2027, 3, 28, 1, 0); // 03:00 CEST
        assert_eq!(moment("2027-03-28 02:30", now), expected);
        assert_eq!(moment("morgen 2:00", now), expected);
        assert_eq!(moment("morgen 2:59", now), expected);
        assert_eq!(format_clock(expected), "03:00");
        assert_eq!(moment("morgen 3:00", now), expected);
        assert_eq!(moment("morgen 1:59", now), utc(2027, 3, 28, 0, 59));
    }

    #[test]
    fn ambiguous_time_at_fall_back_takes_the_earlier_instant() {
        let now = local(2026, 10, 24, 12, 0);
        assert_eq!(moment("2026-10-25 02:30", now), utc(2026, 10, 25, 0, 30)); // CEST, not 01:30 UTC
        assert_eq!(moment("morgen 2:00", now), utc(2026, 10, 25, 0, 0));
        assert_eq!(moment("morgen 3:00", now), utc(2026, 10, 25, 2, 0)); // CET, unambiguous
    }

    // --- formatting moments ---

    #[test]
    fn format_moment_today_tomorrow_yesterday() {
        let now = wed();
        assert_eq!(format_moment(local(2026, 11, 18, 14, 30), now), "14:30");
        assert_eq!(format_moment(local(2026, 11, 18, 8, 0), now), "08:00");
        assert_eq!(
            format_moment(local(2026, 11, 19, 9, 0), now),
            "morgen 09:00"
        );
        assert_eq!(
            format_moment(local(2026, 11, 17, 9, 0), now),
            "gisteren 09:00"
        );
    }

    #[test]
    fn format_moment_names_the_weekday_within_the_coming_six_days() {
        let now = wed();
        assert_eq!(
            format_moment(local(2026, 11, 20, 10, 0), now),
            "vrijdag 10:00"
        );
        assert_eq!(
            format_moment(local(2026, 11, 23, 10, 0), now),
            "maandag 10:00"
        );
        assert_eq!(
            format_moment(local(2026, 11, 24, 10, 0), now),
            "dinsdag 10:00"
        );
    }

    #[test]
    fn format_moment_far_away_shows_the_date() {
        let now = wed();
        assert_eq!(
            format_moment(local(2026, 11, 25, 14, 30), now),
            "wo 25 nov 14:30",
            "a week ahead"
        );
        assert_eq!(
            format_moment(local(2026, 11, 30, 14, 30), now),
            "ma 30 nov 14:30"
        );
        assert_eq!(
            format_moment(local(2026, 11, 10, 9, 0), now),
            "di 10 nov 09:00",
            "past"
        );
        assert_eq!(
            format_moment(local(2027, 1, 4, 9, 0), now),
            "ma 4 jan 2027 09:00",
            "other year"
        );
    }

    #[test]
    fn format_moment_uses_local_dates() {
        // 23:30 UTC on the 18th is already the 19th in Amsterdam.
        let now = wed();
        assert_eq!(
            format_moment(utc(2026, 11, 18, 23, 30), now),
            "morgen 00:30"
        );
    }

    #[test]
    fn format_moment_output_parses_back() {
        let now = wed();
        for at in [
            local(2026, 11, 18, 14, 30),
            local(2026, 11, 19, 9, 0),
            local(2026, 11, 17, 9, 0),
            local(2026, 11, 22, 10, 0),
            local(2026, 11, 30, 14, 30),
            local(2027, 6, 2, 8, 15),
        ] {
            let text = format_moment(at, now);
            assert_eq!(moment(&text, now), at, "{text}");
        }
    }

    #[test]
    fn format_clock_and_full_are_local() {
        let summer = utc(2026, 7, 1, 12, 30);
        assert_eq!(format_clock(summer), "14:30");
        assert_eq!(format_full(summer), "2026-07-01 14:30");
        let winter = utc(2026, 11, 23, 13, 30);
        assert_eq!(format_clock(winter), "14:30");
        assert_eq!(format_full(winter), "2026-11-23 14:30");
        assert_eq!(format_full(utc(2026, 12, 31, 23, 5)), "2027-01-01 00:05");
    }

    // --- splitting free text ---

    #[test]
    fn split_keeps_mentions_in_the_text() {
        let now = wed();
        assert_eq!(
            split_trailing_moment("bel burgemeester @jan morgen 9:00", now),
            (
                "bel burgemeester @jan".to_string(),
                Some(local(2026, 11, 19, 9, 0))
            )
        );
    }

    #[test]
    fn split_drops_a_linking_word() {
        let now = wed();
        let at = Some(local(2026, 11, 18, 14, 0));
        assert_eq!(
            split_trailing_moment("persbericht voor 14:00", now),
            ("persbericht".to_string(), at)
        );
        assert_eq!(
            split_trailing_moment("persbericht uiterlijk 14:00", now),
            ("persbericht".to_string(), at)
        );
        assert_eq!(
            split_trailing_moment("persbericht deadline: 14:00", now),
            ("persbericht".to_string(), at)
        );
        assert_eq!(
            split_trailing_moment("afzetting tot 14:00", now),
            ("afzetting".to_string(), at)
        );
        assert_eq!(
            split_trailing_moment("rapport klaar uiterlijk morgen om 12:00", now),
            (
                "rapport klaar".to_string(),
                Some(local(2026, 11, 19, 12, 0))
            )
        );
        assert_eq!(
            split_trailing_moment("bel ggd om morgen 9:00", now),
            ("bel ggd".to_string(), Some(local(2026, 11, 19, 9, 0))),
            "om that is not part of the expression is dropped"
        );
    }

    #[test]
    fn split_drops_only_one_linking_word() {
        assert_eq!(
            split_trailing_moment("klaar voor uiterlijk 14:00", wed()),
            ("klaar voor".to_string(), Some(local(2026, 11, 18, 14, 0)))
        );
    }

    #[test]
    fn split_keeps_numbers_before_om_in_the_text() {
        assert_eq!(
            split_trailing_moment("overleg 3 om 14:00", wed()),
            ("overleg 3".to_string(), Some(local(2026, 11, 18, 14, 0)))
        );
    }

    #[test]
    fn split_over_relative_span() {
        let now = wed();
        assert_eq!(
            split_trailing_moment("bel over 2 uur", now),
            ("bel".to_string(), Some(now + Duration::hours(2)))
        );
    }

    #[test]
    fn split_takes_the_longest_trailing_expression() {
        let now = wed();
        assert_eq!(
            split_trailing_moment("evaluatie volgende week maandag om 10:00", now),
            ("evaluatie".to_string(), Some(local(2026, 11, 23, 10, 0)))
        );
        assert_eq!(
            split_trailing_moment("nieuwsbrief 23 november 9:00", now),
            ("nieuwsbrief".to_string(), Some(local(2026, 11, 23, 9, 0)))
        );
    }

    #[test]
    fn split_removes_dangling_separators() {
        assert_eq!(
            split_trailing_moment("bel burgemeester, morgen 9:00", wed()),
            (
                "bel burgemeester".to_string(),
                Some(local(2026, 11, 19, 9, 0))
            )
        );
    }

    #[test]
    fn split_leaves_all_time_text_unchanged() {
        let now = wed();
        for text in [
            "morgen 9:00",
            "14:00",
            "om 14:00",
            "voor 14:00",
            "over 2 uur",
            "volgende week maandag 10:00",
        ] {
            assert_eq!(
                split_trailing_moment(text, now),
                (text.to_string(), None),
                "{text}"
            );
        }
    }

    #[test]
    fn split_leaves_text_without_time_unchanged() {
        let now = wed();
        for text in [
            "bel de burgemeester",
            "overleg 3",
            "zaal 25:00 reserveren",
            "zaal 25:00",
            "bel morgen",
            "",
            "  ",
        ] {
            assert_eq!(
                split_trailing_moment(text, now),
                (text.to_string(), None),
                "{text:?}"
            );
        }
    }

    // --- durations ---

    #[test]
    fn duration_forms() {
        for (input, mins) in [
            ("30 min", 30),
            ("2 uur", 120),
            ("1,5 uur", 90),
            ("1.5 uur", 90),
            ("90 minuten", 90),
            ("1 minuut", 1),
            ("1 uur 30 min", 90),
            ("1 uur en 30 minuten", 90),
            ("1 uur 30", 90),
            ("een kwartier", 15),
            ("drie kwartier", 45),
            ("half uur", 30),
            ("een half uur", 30),
            ("een halfuur", 30),
            ("anderhalf uur", 90),
            ("een uur", 60),
            ("twee uur", 120),
            ("1u30", 90),
            ("1u30m", 90),
            ("1,5u", 90),
            ("45m", 45),
            ("30min", 30),
            ("2u", 120),
            ("2h", 120),
            ("1 dag", 1440),
            ("2 dagen", 2880),
            ("1 week", 7 * 1440),
            ("  2   UUR ", 120),
            ("5 min.", 5),
        ] {
            assert_eq!(parse_duration(input), Ok(minutes(mins)), "{input}");
        }
        assert_eq!(parse_duration("1,5 min"), Ok(Duration::seconds(90)));
    }

    #[test]
    fn duration_errors() {
        for input in [
            "",
            "30",
            "abc",
            "uur",
            "2 jaar",
            "2 dagen 3",
            "-5 min",
            "1 uur 30 seconden",
            "een",
            "half",
        ] {
            assert_eq!(
                parse_duration(input),
                Err(TimeError::InvalidDuration(shown(input))),
                "{input}"
            );
        }
        for input in ["0 min", "0,0 uur", "400 dagen", "99999999999999999999 min"] {
            assert_eq!(
                parse_duration(input),
                Err(TimeError::DurationOutOfRange(input.to_string())),
                "{input}"
            );
        }
    }

    #[test]
    fn format_every_says_elk_uur_not_elke_1_uur() {
        assert_eq!(format_every(Duration::minutes(60)), "elk uur");
        assert_eq!(format_every(Duration::minutes(120)), "elke 2 uur");
        assert_eq!(format_every(Duration::minutes(30)), "elke 30 min");
    }

    #[test]
    fn format_duration_in_dutch() {
        assert_eq!(format_duration(minutes(30)), "30 min");
        assert_eq!(format_duration(minutes(120)), "2 uur");
        assert_eq!(format_duration(minutes(90)), "1 uur 30 min");
        assert_eq!(format_duration(Duration::hours(26)), "1 dag 2 uur");
        assert_eq!(format_duration(Duration::days(2)), "2 dagen");
        assert_eq!(
            format_duration(minutes(2 * 1440 + 61)),
            "2 dagen 1 uur 1 min"
        );
        assert_eq!(format_duration(Duration::zero()), "0 min");
        assert_eq!(format_duration(Duration::seconds(20)), "1 min");
        assert_eq!(format_duration(Duration::seconds(89)), "1 min");
        assert_eq!(format_duration(Duration::seconds(90)), "2 min");
        assert_eq!(format_duration(minutes(-30)), "-30 min");
    }

    #[test]
    fn format_duration_output_parses_back() {
        for m in [1, 30, 60, 90, 1440, 1441, 1500, 2 * 1440 + 61] {
            let text = format_duration(minutes(m));
            assert_eq!(parse_duration(&text), Ok(minutes(m)), "{text}");
        }
    }

    // --- error messages ---

    #[test]
    fn unrecognized_time_message_is_dutch_with_examples() {
        let msg = parse_moment("straks ofzo", wed()).unwrap_err().to_string();
        assert_eq!(
            msg,
            "Ik begrijp de tijd 'straks ofzo' niet. Voorbeelden: 14:00, om 14:00, over 2 uur, over 30 min, \
             vandaag 17:30, morgen 9:00, maandag 10:00, 2026-11-23 09:00."
        );
    }

    #[test]
    fn every_error_is_dutch_and_shows_an_example() {
        let errors = [
            parse_moment("", wed()).unwrap_err(),
            parse_moment("blabla", wed()).unwrap_err(),
            parse_moment("morgen", wed()).unwrap_err(),
            parse_moment("25:00", wed()).unwrap_err(),
            parse_moment("31-02 9:00", wed()).unwrap_err(),
            parse_moment("di 23 nov 9:00", wed()).unwrap_err(),
            parse_duration("een tijdje").unwrap_err(),
            parse_duration("0 min").unwrap_err(),
        ];
        for err in errors {
            let msg = err.to_string();
            assert!(
                msg.contains("Voorbeelden: ")
                    || msg.contains("bijvoorbeeld: ")
                    || msg.contains("Bijvoorbeeld: "),
                "{msg}"
            );
            assert!(
                msg.contains(" 9:00") || msg.contains("14:00") || msg.contains("30 min"),
                "{msg}"
            );
        }
        assert!(
            parse_duration("een tijdje")
                .unwrap_err()
                .to_string()
                .starts_with("Ik begrijp de duur 'een tijdje' niet.")
        );
        assert!(
            parse_moment("25:00", wed())
                .unwrap_err()
                .to_string()
                .starts_with("'25:00' is geen geldige tijd")
        );
    }

    #[test]
    fn error_repeats_at_most_sixty_characters_of_input() {
        let long = "x".repeat(200);
        let TimeError::Unrecognized(shown) = parse_moment(&long, wed()).unwrap_err() else {
            panic!()
        };
        assert_eq!(shown.chars().count(), 61);
        assert!(shown.ends_with('…'));
    }
}
