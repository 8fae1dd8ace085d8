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
            let (book, incident) = (cx.book(), cx.incident());
            ChecklistSaid::Step {
                list: list.id.clone(),
                items: list
                    .items
                    .iter()
                    .map(|i| ItemStatus {
                        item: i.id.clone(),
                        ticked: (!is_open(book, incident, list, i))
                            .then(|| incident.ticked.get(&i.id).cloned())
                            .flatten(),
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

/// The steps that matter in `phase`, with what is still open in each; then
/// the steps it brings back (Bijlage 5 is a cycle) with only their
/// `revisit` items.
pub(super) fn phase_steps(book: &Draaiboek, incident: &Incident, phase: &Phase) -> Vec<StepStatus> {
    let step = |list: &Checklist, revisit: bool| {
        let items: Vec<&ChecklistItem> = (list.items.iter())
            .filter(|i| !revisit || i.revisit)
            .collect();
        StepStatus {
            list: list.id.clone(),
            open: (items.iter())
                .filter(|i| is_open(book, incident, list, i))
                .map(|i| i.id.clone())
                .collect(),
            total: items.len(),
            revisit,
        }
    };
    let steps = phase.checklists.iter().filter_map(|c| book.checklist(c));
    let again = phase.revisit.iter().filter_map(|c| book.checklist(c));
    (steps.map(|list| step(list, false)))
        .chain(again.map(|list| step(list, true)))
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
        .flat_map(|list| open_items(book, incident, list))
        .take(n)
        .map(|i| i.id.clone())
        .collect()
}

pub(super) fn open_items<'l>(
    book: &Draaiboek,
    incident: &Incident,
    list: &'l Checklist,
) -> Vec<&'l ChecklistItem> {
    (list.items.iter())
        .filter(|i| is_open(book, incident, list, i))
        .collect()
}

/// Not ticked, or ticked in an earlier phase while this phase brings the
/// item back (`Phase.revisit`, `ChecklistItem.revisit`).
fn is_open(book: &Draaiboek, incident: &Incident, list: &Checklist, item: &ChecklistItem) -> bool {
    match incident.ticked.get(&item.id) {
        None => true,
        Some(stamp) => stamp.at < incident.phase_since && revisited(book, incident, list, item),
    }
}

fn revisited(
    book: &Draaiboek,
    incident: &Incident,
    list: &Checklist,
    item: &ChecklistItem,
) -> bool {
    item.revisit
        && book
            .phase(&incident.phase)
            .is_some_and(|p| p.revisit.contains(&list.id))
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
    let again = cx.incident().ticked.contains_key(&item.id);
    if again && !is_open(cx.book(), cx.incident(), &list, &item) {
        let by = cx.incident().ticked[&item.id].clone();
        cx.say(ChecklistSaid::AlreadyTicked { item: item.id, by });
        return Ok(());
    }
    let stamp = Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    };
    cx.incident_mut().ticked.insert(item.id.clone(), stamp);
    let remaining = open_items(cx.book(), cx.incident(), &list).len();
    let verb = if again {
        "Opnieuw bekeken"
    } else {
        "Afgevinkt"
    };
    cx.log(
        LogKind::ChecklistTicked,
        format!("{verb} {} ({}): {}", item.id, list.name, item.text),
    );
    cx.say(ChecklistSaid::Ticked {
        list: list.id,
        item: item.id,
        remaining,
    });
    Ok(())
}
