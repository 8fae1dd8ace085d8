use super::{Cx, Refusal};
use crate::effect::Effect;
use crate::model::LogKind;
use crate::render::ExportFormat;
use crate::view::ExportSaid;

/// `!export [formaat]`: the active incident, or after closing the room's last
/// one. The file is made when it is sent, so it includes this export's entry.
pub(super) fn export(cx: &mut Cx) -> Result<(), Refusal> {
    let format = match cx.args.text("formaat") {
        None => ExportFormat::Html,
        Some(word) => ExportFormat::parse(word).ok_or_else(|| {
            Refusal::Usage(format!(
                "Formaat '{word}' ken ik niet. Kies html, md of json."
            ))
        })?,
    };
    if cx.incident.is_none() {
        // Closed incidents stay append-only: the export goes in their logboek.
        cx.incident = cx.view.last_closed.cloned();
    }
    let Some(incident) = &cx.incident else {
        return Err(Refusal::No(format!(
            "Deze ruimte heeft nog geen incident om te exporteren. Open er een met {}incident open <titel>.",
            cx.prefix()
        )));
    };
    let id = incident.id;
    let said = ExportSaid::Coming {
        incident: id,
        title: incident.title.clone(),
        closed: incident.closed.is_some(),
        format,
    };
    let text = format!("Export ({}) gemaakt door {}", format.word(), cx.sender());
    cx.log(LogKind::Export, text);
    cx.say(said);
    cx.effect(Effect::Upload {
        incident: id,
        format,
    });
    Ok(())
}
