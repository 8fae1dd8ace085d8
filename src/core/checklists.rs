use super::{Cx, Refusal};
use crate::draaiboek::{Checklist, ChecklistItem, Draaiboek, Phase};
use crate::model::{Incident, LogKind, Stamp};
use crate::view::{ChecklistSaid, ItemStatus, StepStatus};

pub(super) fn show(cx: &mut Cx) -> Result<(), Refusal> {
    let said = match cx.args.text("stap") {
        Some(word) => {
            let Some(list) = cx.book().checklist(word) else {
                let known: Vec<_> = cx.book().checklists.iter().map(|c| c.id.as_str()).collect();
                return Err(Refusal::Usage(format!(
                    "Stap '{word}' ken ik niet. Kies uit: {}.",
                    known.join(", ")
                )));
            };
            let ticked = &cx.incident().ticked;
            ChecklistSaid::Step {
                list: list.id.clone(),
                items: list
                    .items
                    .iter()
                    .map(|i| ItemStatus {
                        item: i.id.clone(),
                        ticked: ticked.get(&i.id).cloned(),
                    })
                    .collect(),
            }
        }
        None => {
            let phase_id = &cx.incident().phase;
            let Some(phase) = cx.book().phase(phase_id) else {
                return Err(Refusal::No(format!(
                    "Fase '{phase_id}' staat niet in het draaiboek."
                )));
            };
            ChecklistSaid::ForPhase {
                phase: phase.id.clone(),
                steps: phase_steps(cx.book(), cx.incident(), phase),
            }
        }
    };
    cx.say(said);
    Ok(())
}

/// The steps that matter in `phase`, with what is still open in each.
pub(super) fn phase_steps(book: &Draaiboek, incident: &Incident, phase: &Phase) -> Vec<StepStatus> {
    phase
        .checklists
        .iter()
        .filter_map(|step| book.checklist(step))
        .map(|list| StepStatus {
            list: list.id.clone(),
            open: open_items(incident, list)
                .iter()
                .map(|i| i.id.clone())
                .collect(),
            total: list.items.len(),
        })
        .collect()
}

/// The first `n` open items a team should do now: those of the checklists
/// for opening an incident, then those of the phase.
pub(super) fn first_steps(
    book: &Draaiboek,
    incident: &Incident,
    phase: &Phase,
    n: usize,
) -> Vec<String> {
    let phase_lists = phase.checklists.iter().filter_map(|c| book.checklist(c));
    book.opening_checklists()
        .chain(phase_lists)
        .flat_map(|list| open_items(incident, list))
        .take(n)
        .map(|i| i.id.clone())
        .collect()
}

pub(super) fn open_items<'l>(incident: &Incident, list: &'l Checklist) -> Vec<&'l ChecklistItem> {
    list.items
        .iter()
        .filter(|i| !incident.ticked.contains_key(&i.id))
        .collect()
}

pub(super) fn tick(cx: &mut Cx) -> Result<(), Refusal> {
    let word = cx.text("punt")?;
    let Some((list, item)) = cx.book().checklist_item(word) else {
        return Err(Refusal::Usage(format!(
            "Checklistpunt '{word}' ken ik niet. De nummers staan in {}checklist, bijvoorbeeld BV1.",
            cx.prefix()
        )));
    };
    let (list, item) = (list.clone(), item.clone());
    if let Some(stamp) = cx.incident().ticked.get(&item.id) {
        let by = stamp.clone();
        cx.say(ChecklistSaid::AlreadyTicked { item: item.id, by });
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
    cx.say(ChecklistSaid::Ticked {
        list: list.id,
        item: item.id,
        remaining,
    });
    Ok(())
}
