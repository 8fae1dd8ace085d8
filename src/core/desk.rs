//! What the communication desk's commands share: stamps, numbers, the people
//! who use approved words, the sitrap's count, and the direct chat's reach.

use chrono::{DateTime, Utc};

use super::Cx;
use crate::draaiboek::{PUBLIC_INFORMATION, SPOKESPERSON};
use crate::model::{Incident, Stamp, UserId};
use crate::view::{DeskCount, OfIncident};

pub(super) fn stamp(cx: &Cx) -> Stamp {
    Stamp {
        by: cx.sender().to_string(),
        at: cx.now(),
    }
}

/// One more than the highest number in use.
pub(super) fn next_nr(nrs: impl Iterator<Item = u32>) -> u32 {
    nrs.max().unwrap_or(0) + 1
}

/// Who must hear that words were approved: the woordvoerder and the
/// publieksvoorlichter, except the approver (who knows).
pub(super) fn speakers(cx: &Cx) -> Vec<UserId> {
    let mut tell: Vec<UserId> = Vec::new();
    for role in [SPOKESPERSON, PUBLIC_INFORMATION] {
        if let Some(user) = cx.holder(role)
            && user != cx.sender()
            && !tell.iter().any(|t| t == user)
        {
            tell.push(user.to_string());
        }
    }
    tell
}

/// In a direct chat with the bot: what `pick` takes from each active
/// incident of the rooms the sender is in, labelled by incident. `None` in a
/// team room.
pub(super) fn everywhere<T>(
    cx: &Cx,
    pick: impl Fn(&Incident) -> Vec<T>,
) -> Option<Vec<OfIncident<T>>> {
    if cx.incident.is_some() {
        return None;
    }
    let incidents = cx.view.direct?;
    Some(
        incidents
            .iter()
            .map(|i| OfIncident {
                incident: i.title.clone(),
                items: pick(i),
            })
            .collect(),
    )
}

/// The desk on the sitrap's one line.
pub(super) fn count(incident: &Incident, now: DateTime<Utc>) -> DeskCount {
    let desk = &incident.desk;
    DeskCount {
        press_open: desk.press.iter().filter(|q| q.is_open()).count(),
        press_late: desk.press.iter().filter(|q| q.is_late(now)).count(),
        texts_waiting: desk
            .texts
            .iter()
            .filter(|t| t.body.pending().is_some())
            .count(),
        rumours_open: desk.rumours.iter().filter(|r| r.is_open()).count(),
    }
}
