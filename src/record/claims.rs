//! Every dated statement of a record's sections, with the logboek words that
//! must back it: walked once to link each statement to its entry
//! (`Record::build`) and once to check it (`verify`).

use super::{
    ActionRecord, Claim, Event, Header, OnelinerRecord, Record, RolePeriod, ScenarioRecord,
};
use crate::model::LogKind;

struct Claims<'f> {
    f: &'f mut dyn FnMut(Claim, &mut Event),
}

impl Claims<'_> {
    fn claim(
        &mut self,
        what: String,
        kinds: &'static [LogKind],
        texts: &[&str],
        event: &mut Event,
    ) {
        let texts = texts.iter().map(|t| t.to_string()).collect();
        (self.f)(Claim { what, kinds, texts }, event);
    }
}

impl Record {
    /// Hands every dated statement of the sections to `f`, with what backs it.
    pub fn for_each_claim(&mut self, f: &mut dyn FnMut(Claim, &mut Event)) {
        let c = &mut Claims { f };
        incident(c, &mut self.incident);
        for (n, p) in self.phases.iter_mut().enumerate() {
            let what = format!("fase {} ({})", n + 1, p.name);
            c.claim(what, &[LogKind::PhaseChanged], &[&p.name], &mut p.from);
        }
        self.roles.iter_mut().for_each(|r| role(c, r));
        self.actions.iter_mut().for_each(|a| action(c, a));
        for d in &mut self.decisions {
            let what = format!("besluit {}", d.nr);
            c.claim(what, &[LogKind::Decision], &[&d.text], &mut d.decided);
        }
        self.oneliners.iter_mut().for_each(|o| oneliner(c, o));
        for u in &mut self.public_updates {
            let what = format!("publieksupdate {}", u.nr);
            const KINDS: &[LogKind] = &[LogKind::PublicUpdate, LogKind::TextPublished];
            c.claim(what, KINDS, &[&u.text], &mut u.made);
        }
        for t in &mut self.checklist {
            let what = format!("checklistpunt {}", t.item);
            let texts: Vec<&str> = [t.item.as_str(), t.text.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            c.claim(what, &[LogKind::ChecklistTicked], &texts, &mut t.ticked);
        }
    }
}

fn incident(c: &mut Claims, i: &mut Header) {
    let what = "het incident (geopend)".to_string();
    c.claim(what, &[LogKind::IncidentOpened], &[&i.title], &mut i.opened);
    if let Some(closed) = &mut i.closed {
        let reason: Vec<&str> = i.close_reason.as_deref().into_iter().collect();
        let what = "het incident (gesloten)".to_string();
        c.claim(what, &[LogKind::IncidentClosed], &reason, closed);
    }
    if let Some(ScenarioRecord {
        name,
        chosen: Some(chosen),
        ..
    }) = &mut i.scenario
    {
        let what = "het scenario".to_string();
        c.claim(what, &[LogKind::ScenarioChosen], &[name], chosen);
    }
}

fn role(c: &mut Claims, r: &mut RolePeriod) {
    let what = format!("rol {} van {}", r.name, r.user);
    let begin = format!("{what} (begin)");
    c.claim(begin, &[LogKind::RoleAssigned], &[&r.user], &mut r.from);
    if let Some(until) = &mut r.until {
        // Released, or handed to someone else ("… is X (was …)").
        let kinds = &[LogKind::RoleReleased, LogKind::RoleAssigned];
        c.claim(format!("{what} (einde)"), kinds, &[&r.user], until);
    }
}

fn action(c: &mut Claims, a: &mut ActionRecord) {
    let what = format!("actie {}", a.nr);
    let created = format!("{what} (aangemaakt)");
    c.claim(
        created,
        &[LogKind::ActionCreated],
        &[&a.text],
        &mut a.created,
    );
    if let Some(finished) = &mut a.finished {
        let what = format!("{what} (afgerond)");
        c.claim(what, &[LogKind::ActionChanged], &[&a.text], finished);
    }
}

fn oneliner(c: &mut Claims, o: &mut OnelinerRecord) {
    for v in &mut o.versions {
        let what = format!("oneliner {} versie {}", o.nr, v.version);
        let mut texts = vec![v.text.as_str()];
        if v.version == 1 {
            texts.extend(o.audience.as_deref());
        }
        let proposed = format!("{what} (voorstel)");
        c.claim(
            proposed,
            &[LogKind::OnelinerProposed],
            &texts,
            &mut v.proposed,
        );
        if let Some(approved) = &mut v.approved {
            let what = format!("{what} (goedkeuring)");
            c.claim(what, &[LogKind::OnelinerApproved], &[&v.text], approved);
        }
    }
    if let Some(retracted) = &mut o.retracted {
        let what = format!("oneliner {} (ingetrokken)", o.nr);
        c.claim(what, &[LogKind::OnelinerRetracted], &[], retracted);
    }
}
