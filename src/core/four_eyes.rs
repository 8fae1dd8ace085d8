//! Four eyes on the exact version: the rules every approved text shares
//! (oneliners now; any other text that goes out under four eyes reuses them).

use super::{Cx, Refusal};
use crate::catalogue::Nr;
use crate::draaiboek::{CHAIR, COMMS_ADVISER};
use crate::model::Versioned;

/// How replies name a kind of text and the command that handles it.
pub(super) struct Kind {
    /// "Oneliner", capitalised for the start of a sentence.
    pub noun: &'static str,
    /// "oneliner", as in `!oneliner goedkeuren 3.2`.
    pub command: &'static str,
}

/// The version number `sender` may approve, or why not. `wanted` is the
/// version the approver names (`3.2` → 2); without it, only a single
/// version since the last approval can be meant.
pub(super) fn approvable(
    cx: &Cx,
    kind: &Kind,
    nr: u32,
    item: &Versioned,
    wanted: Option<&Nr>,
) -> Result<usize, Refusal> {
    let Kind { noun, command } = kind;
    let p = cx.prefix();
    not_retracted(cx, kind, nr, item)?;
    let Some((newest, text)) = item.pending().map(|(v, version)| (v, &version.text)) else {
        let approved = item.current().map_or(0, |(v, _)| v);
        return Err(Refusal::No(format!(
            "{noun} {nr} heeft geen versie die op goedkeuring wacht; {nr}.{approved} is goedgekeurd."
        )));
    };
    let waiting = item.since_approval().len();
    match wanted {
        Some(v) if v.value == Some(newest as u32) => {}
        Some(v) if v.value.is_some_and(|v| (v as usize) < newest) => {
            return Err(Refusal::No(format!(
                "Versie {nr}.{v} is niet meer de nieuwste. Lees eerst {nr}.{newest}: “{text}” — en keur die goed met {p}{command} goedkeuren {nr}.{newest}."
            )));
        }
        Some(v) => {
            return Err(Refusal::Usage(format!(
                "{noun} {nr} heeft geen versie {v}; de nieuwste is {nr}.{newest}."
            )));
        }
        None if waiting > 1 => {
            return Err(Refusal::No(format!(
                "{noun} {nr} heeft sinds de laatste goedkeuring {waiting} versies. Noem de versie die je las; de nieuwste is {nr}.{newest}: “{text}” — {p}{command} goedkeuren {nr}.{newest}"
            )));
        }
        None => {}
    }
    not_touched(cx, kind, nr, item, "goedkeuren")?;
    Ok(newest)
}

/// Whether `sender` may retract the item.
pub(super) fn retractable(cx: &Cx, kind: &Kind, nr: u32, item: &Versioned) -> Result<(), Refusal> {
    not_retracted(cx, kind, nr, item)?;
    not_touched(cx, kind, nr, item, "intrekken")
}

pub(super) fn not_retracted(
    cx: &Cx,
    kind: &Kind,
    nr: u32,
    item: &Versioned,
) -> Result<(), Refusal> {
    match &item.retracted {
        Some(s) => Err(Refusal::No(format!(
            "{} {nr} is ingetrokken door {}.",
            kind.noun,
            cx.name(&s.by)
        ))),
        None => Ok(()),
    }
}

fn not_touched(cx: &Cx, kind: &Kind, nr: u32, item: &Versioned, verb: &str) -> Result<(), Refusal> {
    if item.touched_by(cx.sender()) {
        return Err(Refusal::No(format!(
            "Vier ogen: je schreef zelf een versie van {} {nr} sinds de laatste goedkeuring, dus je kunt hem niet {verb}. Vraag de voorzitter of communicatieadviseur{}.",
            kind.command,
            cx.holders_of(&[CHAIR, COMMS_ADVISER])
        )));
    }
    Ok(())
}
