//! `kernteam-bot verify --export FILE.json`: is this export what the bot
//! wrote? Recomputes the hash chain inside the file, checks it against its
//! own head and anchors, and checks every section against the logboek
//! entries it names. Needs nothing but the file.

use super::{ChainMode, Claim, Event, LogLine, Record, SCHEMA_VERSION, corroborates, local_time};
use crate::model::LogKind;
use crate::store::entry_hash;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: usize,
        head: String,
        anchors: usize,
        claims: usize,
        /// Statements no logboek entry backs (data from before the bot
        /// kept them), which therefore cannot be checked.
        unbacked: Vec<String>,
    },
    /// The first thing found wrong, naming the entry or statement.
    Broken(String),
    /// A keyed chain (HMAC): without the key nothing can be recomputed.
    Keyed,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Intact {
                entries,
                head,
                anchors,
                claims,
                unbacked,
            } => {
                write!(
                    f,
                    "OK: {entries} logboekregels, hashketen intact (kop {head}); \
                     {anchors} anker(s) kloppen; {claims} vermeldingen gedekt door het logboek"
                )?;
                if !unbacked.is_empty() {
                    write!(
                        f,
                        "\nLet op: niet te controleren (geen logboekregel): {}",
                        unbacked.join(", ")
                    )?;
                }
                Ok(())
            }
            Verdict::Broken(problem) => write!(f, "FOUT: {problem}"),
            Verdict::Keyed => write!(
                f,
                "Niet te controleren: deze export heeft een hashketen met sleutel (HMAC-SHA256); \
                 zonder die sleutel kan niemand de hashes narekenen."
            ),
        }
    }
}

/// Checks a JSON export; an unreadable file is an error, a changed one a verdict.
pub fn verify_json(text: &str) -> Result<Verdict, serde_json::Error> {
    Ok(verify(serde_json::from_str(text)?))
}

pub fn verify(mut record: Record) -> Verdict {
    if record.schema_version != SCHEMA_VERSION {
        return Verdict::Broken(format!(
            "schemaversie {} ken ik niet (ik lees versie {SCHEMA_VERSION})",
            record.schema_version
        ));
    }
    if record.chain.mode == ChainMode::HmacSha256 {
        return Verdict::Keyed;
    }
    let checks = [chain, anchors, listed, phases];
    if let Some(problem) = checks.iter().find_map(|check| check(&record).err()) {
        return Verdict::Broken(problem);
    }
    let (claims, unbacked) = match backed(&mut record) {
        Ok(found) => found,
        Err(problem) => return Verdict::Broken(problem),
    };
    Verdict::Intact {
        entries: record.log.len(),
        head: record.chain.head,
        anchors: record.anchors.len(),
        claims,
        unbacked,
    }
}

fn chain(record: &Record) -> Result<(), String> {
    let mut prev = String::new();
    for (i, line) in record.log.iter().enumerate() {
        let seq = i as u64 + 1;
        let broken = |problem: &str| Err(format!("logboekregel {seq}: {problem}"));
        if line.seq != seq {
            return broken("ontbreekt of staat op de verkeerde plek");
        }
        if line.prev != prev {
            return broken("verwijst niet naar de vorige regel");
        }
        if hash_of(record, line) != line.hash {
            return broken("inhoud is gewijzigd (hash klopt niet)");
        }
        if line.label != line.kind.label() || line.at_local != local_time(line.at) {
            return broken("soort of lokale tijd past niet bij de regel");
        }
        prev.clone_from(&line.hash);
    }
    let length = record.log.len() as u64;
    if length != record.chain.length || prev != record.chain.head {
        return Err(format!(
            "het logboek eindigt na {length} regels met een andere kop dan de keten noemt \
             ({} regels; regels verwijderd of toegevoegd)",
            record.chain.length
        ));
    }
    Ok(())
}

fn hash_of(record: &Record, line: &LogLine) -> String {
    entry_hash(
        record.incident.id,
        line.seq,
        line.at,
        &line.actor,
        line.kind,
        &line.text,
        &line.prev,
    )
}

fn anchors(record: &Record) -> Result<(), String> {
    let in_log = record.log.iter().filter(|l| l.kind == LogKind::Anchor);
    if in_log.count() != record.anchors.len() {
        return Err("de lijst met ankers past niet bij de ankers in het logboek".into());
    }
    for anchor in &record.anchors {
        let broken =
            |problem: &str| Err(format!("anker in logboekregel {}: {problem}", anchor.seq));
        let Some(line) = record
            .entry(anchor.seq)
            .filter(|l| l.kind == LogKind::Anchor)
        else {
            return broken("die regel is geen anker");
        };
        let Some(hash) = &anchor.anchored_hash else {
            continue;
        };
        if super::named_hash(&line.text) != Some(hash.as_str()) {
            return broken("noemt een andere hash dan de regel zelf");
        }
        let anchored = anchor
            .anchored_seq
            .and_then(|seq| record.entry(seq))
            .filter(|l| l.seq < anchor.seq);
        match anchored {
            Some(l) if l.hash == *hash => {}
            _ => return broken("de verankerde hash komt in de keten niet (meer) voor"),
        }
    }
    Ok(())
}

/// The sections that list logboek entries list exactly those of their kinds.
fn listed(record: &Record) -> Result<(), String> {
    let sections: [(&str, &Vec<u64>, &[LogKind]); 2] = [
        ("herinneringen", &record.reminders, &[LogKind::Reminder]),
        (
            "vastgezette berichten",
            &record.pins,
            &[LogKind::Pinned, LogKind::Unpinned],
        ),
    ];
    for (name, seqs, kinds) in sections {
        let expected: Vec<u64> = record
            .log
            .iter()
            .filter(|l| kinds.contains(&l.kind))
            .map(|l| l.seq)
            .collect();
        if *seqs != expected {
            return Err(format!("de lijst {name} past niet bij het logboek"));
        }
    }
    Ok(())
}

fn phases(record: &Record) -> Result<(), String> {
    let end = record.incident.closed.as_ref().map(|c| c.at);
    for (i, p) in record.phases.iter().enumerate() {
        let until = record.phases.get(i + 1).map(|n| n.from.at).or(end);
        if p.until != until || p.seconds != until.map(|u| (u - p.from.at).num_seconds()) {
            return Err(format!(
                "fase {} ({}): einde of duur klopt niet",
                i + 1,
                p.name
            ));
        }
    }
    Ok(())
}

/// Every statement against the entry it names: (statements, those without entry).
fn backed(record: &mut Record) -> Result<(usize, Vec<String>), String> {
    let lines = std::mem::take(&mut record.log);
    let by_seq = |seq: u64| {
        let at = lines.partition_point(|l| l.seq < seq);
        lines.get(at).filter(|l| l.seq == seq)
    };
    let mut count = 0;
    let mut unbacked = Vec::new();
    let mut problem = None;
    record.for_each_claim(&mut |claim: Claim, event: &mut Event| {
        count += 1;
        match event.seq {
            None => unbacked.push(claim.what),
            Some(seq) if by_seq(seq).is_some_and(|l| corroborates(l, &claim, event)) => {}
            Some(seq) => {
                problem.get_or_insert_with(|| {
                    format!(
                        "{} komt niet overeen met logboekregel {seq} (tekst, tijd of persoon gewijzigd)",
                        claim.what
                    )
                });
            }
        }
    });
    record.log = lines;
    match problem {
        Some(problem) => Err(problem),
        None => Ok((count, unbacked)),
    }
}
