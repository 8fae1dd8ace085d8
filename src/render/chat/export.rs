use super::Chat;
use crate::reply::Reply;
use crate::view::ExportSaid;

pub(super) fn render(_chat: &Chat, said: &ExportSaid) -> Reply {
    match said {
        ExportSaid::Coming {
            incident,
            title,
            closed,
            format,
        } => {
            let mut r = Reply::new();
            r.text(format!(
                "📦 Export ({}) van incident {incident} ",
                format.word()
            ))
            .quote(title);
            if *closed {
                r.text(" (gesloten)");
            }
            r.text(" volgt als bestand.");
            r.newline()
                .text("De export staat in het logboek; het bestand is vertrouwelijk.");
            r
        }
    }
}
