//! The ketenpartners' contacts (Bijlage 1), from the team's draaiboek file:
//! team data, never built in.

use super::{Cx, Refusal};
use crate::view::ContactSaid;

pub(super) fn list(cx: &mut Cx) -> Result<(), Refusal> {
    let filter = cx.args.text("organisatie").map(|f| f.trim().to_string());
    let wanted = filter.as_deref().map(str::to_lowercase);
    let found = cx
        .book()
        .contacts
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            wanted.as_deref().is_none_or(|w| {
                [Some(&c.organisation), Some(&c.function), c.name.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|field| field.to_lowercase().contains(w))
            })
        })
        .map(|(i, _)| i)
        .collect();
    cx.say(ContactSaid::List { filter, found });
    Ok(())
}
