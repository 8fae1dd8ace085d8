use super::{Cx, Refusal};
use crate::draaiboek::{Checklist, Phase};
use crate::model::{Incident, LogKind, Stamp};
use crate::reply::Reply;
use crate::timeexpr::format_moment;

/// How many open items of one step fit a phone screen in an overview.
const ITEMS_PER_STEP: usize = 5;

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let mut r = Reply::new();
    match cx.args.text("stap") {
        Some(word) => {
            let Some(list) = cx.book().checklist(word).cloned() else {
                let known: Vec<_> = cx.book().checklists.iter().map(|c| c.id.as_str()).collect();
                return Err(Refusal::Usage(format!(
                    "Stap '{word}' ken ik niet. Kies uit: {}.",
                    known.join(", ")
                )));
            };
            full_list(cx, &mut r, &list);
        }
        None => {
            let phase_id = cx.incident().phase.clone();
            let Some(phase) = cx.book().phase(&phase_id).cloned() else {
                return Err(Refusal::No(format!(
                    "Fase '{phase_id}' staat niet in het draaiboek."
                )));
            };
            r.text("Checklist voor fase ").bold(&phase.name);
            append_phase_checklist(cx, &mut r, &phase);
        }
    }
    cx.reply(r);
    Ok(())
}

fn full_list(cx: &Cx, r: &mut Reply, list: &Checklist) {
    let incident = cx.incident();
    let done = list
        .items
        .iter()
        .filter(|i| incident.ticked.contains_key(&i.id))
        .count();
    r.text("☑️ ")
        .bold(&list.name)
        .text(format!(" ({done}/{} afgevinkt)", list.items.len()));
    for item in &list.items {
        match incident.ticked.get(&item.id) {
            Some(stamp) => r.newline().text(format!(
                "✅ {} {} ({}, {})",
                item.id,
                item.text,
                stamp.by,
                format_moment(stamp.at, cx.now())
            )),
            None => r.newline().text(format!("⬜ {} {}", item.id, item.text)),
        };
    }
    r.newline().text(format!(
        "Afvinken: {}checklist afvinken <punt>",
        cx.prefix()
    ));
}

/// The open items of the steps that matter in `phase`, compact.
pub(super) fn append_phase_checklist(cx: &Cx, r: &mut Reply, phase: &Phase) {
    let incident = cx.incident();
    for step in &phase.checklists {
        let Some(list) = cx.book().checklist(step) else {
            continue;
        };
        let open = open_items(incident, list);
        r.newline().bold(&list.name).text(format!(
            " ({} open van {})",
            open.len(),
            list.items.len()
        ));
        for item in open.iter().take(ITEMS_PER_STEP) {
            r.newline().text(format!("⬜ {} {}", item.id, item.text));
        }
        if open.len() > ITEMS_PER_STEP {
            r.newline().text(format!(
                "… en {} meer: {}checklist {}",
                open.len() - ITEMS_PER_STEP,
                cx.prefix(),
                list.id
            ));
        }
    }
}

pub(super) fn open_items<'l>(
    incident: &Incident,
    list: &'l Checklist,
) -> Vec<&'l crate::draaiboek::ChecklistItem> {
    list.items
        .iter()
        .filter(|i| !incident.ticked.contains_key(&i.id))
        .collect()
}

pub(super) fn tick(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.args.text("punt").unwrap_or_default();
    let Some((list, item)) = cx.book().checklist_item(word) else {
        return Err(Refusal::Usage(format!(
            "Checklistpunt '{word}' ken ik niet. De nummers staan in {}checklist, bijvoorbeeld BV1.",
            cx.prefix()
        )));
    };
    let (list, item) = (list.clone(), item.clone());
    if let Some(stamp) = cx.incident().ticked.get(&item.id) {
        cx.reply(Reply::say(format!(
            "{} was al afgevinkt door {} ({}).",
            item.id,
            stamp.by,
            format_moment(stamp.at, cx.now())
        )));
        return Ok(());
    }
    let stamp = Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    };
    let incident = cx.incident_mut();
    incident.ticked.insert(item.id.clone(), stamp);
    let remaining = open_items(incident, &list).len();
    cx.log(
        LogKind::ChecklistTicked,
        format!("Afgevinkt {} ({}): {}", item.id, list.name, item.text),
    );
    cx.reply(Reply::say(format!(
        "✅ {} afgevinkt: {}. Nog {remaining} open in {}.",
        item.id, item.text, list.name
    )));
    Ok(())
}
