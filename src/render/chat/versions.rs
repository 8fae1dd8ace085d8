//! The trail of a text under four eyes, the same for every kind of text:
//! each version, who proposed it and who approved it, and a retraction.

use super::Chat;
use crate::model::{Version, Versioned};
use crate::reply::Reply;

/// `show` writes a version's label and text; the trail adds who and when.
pub(super) fn trail(
    chat: &Chat,
    r: &mut Reply,
    body: &Versioned,
    show: impl Fn(&mut Reply, usize, &Version),
) {
    for (i, v) in body.versions.iter().enumerate() {
        show(r, i + 1, v);
        r.newline().text(format!(
            "   voorgesteld door {} {}",
            chat.name(&v.proposed.by),
            chat.moment(v.proposed.at)
        ));
        match &v.approved {
            Some(s) => r.text(format!(
                "; goedgekeurd door {} {}",
                chat.name(&s.by),
                chat.moment(s.at)
            )),
            None => r.text("; niet goedgekeurd"),
        };
    }
    if let Some(s) = &body.retracted {
        r.newline().text(format!(
            "🚫 Ingetrokken door {} {}",
            chat.name(&s.by),
            chat.moment(s.at)
        ));
    }
}
