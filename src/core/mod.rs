//! The pure core: `(state, command, sender, now) -> (new state, effects)`.
//!
//! Nothing here touches Matrix, the disk or the clock. The caller hands in a
//! [`View`] of the room's state and a [`Request`]; the core answers with an
//! [`Outcome`] that the store writes (atomically) and the adapter sends.

mod actions;
mod advice;
mod audiences;
mod checklists;
mod closing;
mod contacts;
mod desk;
mod diagnosis;
mod export;
mod four_eyes;
mod help;
mod incidents;
pub mod live;
mod logbook;
mod oneliners;
mod phases;
mod pins;
mod press;
mod qa;
pub mod reminders;
mod roles;
mod rumours;
mod scaling;
mod shortcuts;
mod texts;

use chrono::{DateTime, Utc};

use crate::catalogue::{Args, Catalogue, Command, Label, MAX_LINE_CHARS, Nr, ParseError, Speaker};
use crate::draaiboek::{self, Draaiboek};
use crate::effect::Effect;
use crate::model::{Incident, IncidentId, LogEntry, LogKind, RoomRecord, UserId};
use crate::people::Members;
use crate::render::chat::{Chat, Names};
use crate::reply::Reply;
use crate::view::Said;

pub use pins::Unreaction;
pub use shortcuts::{Reaction, RoomMessage};

/// A line someone typed in a room, with what the core may know about them.
#[derive(Clone)]
pub struct Request<'a> {
    pub room: &'a str,
    pub sender: &'a str,
    /// Power level ≥ 50 in the room: may always give or take the voorzitter
    /// role (the way out when the chair is gone or was mistyped).
    pub sender_is_moderator: bool,
    /// The text after the command prefix.
    pub line: &'a str,
    pub now: DateTime<Utc>,
    /// Who is in the room and by what name: replies name people, commands
    /// may name them.
    pub members: &'a Members,
}

/// Read access to a logboek, for the commands that show it.
pub trait LogRead {
    /// The last `n` entries of an incident, oldest first.
    fn tail(&self, incident: IncidentId, n: usize) -> Vec<LogEntry>;
}

pub struct View<'a> {
    pub room: &'a RoomRecord,
    pub active: Option<&'a Incident>,
    /// The id a newly opened incident gets.
    pub next_incident_id: IncidentId,
    pub log: &'a dyn LogRead,
    /// The room's last incident when none is active (closed): what
    /// `!export` exports, and whose roles say who may.
    pub last_closed: Option<&'a Incident>,
    /// In a direct chat (a room without incident where only the sender and
    /// the bot are): the active incidents of the rooms the sender is in.
    pub direct: Option<&'a [Incident]>,
}

/// A logboek entry still to be sealed into the hash chain by the store.
#[derive(Debug, Clone, PartialEq)]
pub struct LogDraft {
    pub actor: String,
    pub kind: LogKind,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The room record, when it changed.
    pub room: Option<RoomRecord>,
    /// The incident the change is about (new, changed or closed).
    pub incident: Option<Incident>,
    /// Appended to `incident`'s logboek, in order.
    pub log: Vec<LogDraft>,
    /// Messages and other room actions, in order.
    pub effects: Vec<Effect>,
    /// When the scheduler must next look at `incident` (none: never).
    pub next_due: Option<DateTime<Utc>>,
    /// Whose command (or reaction) this answers: one person's messages keep
    /// their order, another person's need not wait for them.
    pub lane: Option<UserId>,
}

impl Outcome {
    /// The messages this outcome sends, in order.
    pub fn messages(&self) -> Vec<&Reply> {
        self.effects.iter().filter_map(Effect::message).collect()
    }

    pub fn changes_state(&self) -> bool {
        self.room.is_some() || self.incident.is_some()
    }
}

pub struct Core {
    pub catalogue: Catalogue,
    pub draaiboek: Draaiboek,
    pub prefix: String,
}

/// Why a command was not carried out. Every variant becomes a Dutch reply.
#[derive(Debug)]
enum Refusal {
    /// Bad arguments: the reply adds the command's usage.
    Usage(String),
    /// Well formed but not allowed or not possible now.
    No(String),
}

type Handler = fn(&mut Cx) -> Result<(), Refusal>;

/// Every command of the catalogue and the function that carries it out.
const HANDLERS: &[(&str, Handler)] = &[
    ("help", help::help),
    ("more", help::more),
    ("incident-open", incidents::open),
    ("exercise-open", incidents::open_exercise),
    ("incident-scenario", incidents::scenario),
    ("incident-scenario-details", incidents::scenario_details),
    ("incident-close", closing::prepare),
    ("incident-close-confirm", closing::confirm),
    ("incident-show", incidents::show),
    ("incident-list", incidents::list),
    ("phase-show", phases::show),
    ("phase-set", phases::set),
    ("role-release", roles::release),
    ("role-assign", roles::assign),
    ("role-card", roles::card),
    ("role-list", roles::list),
    ("action-done", actions::done),
    ("action-cancel", actions::cancel),
    ("action-deadline", actions::deadline),
    ("action-assign", actions::assign),
    ("action-new", actions::new),
    ("action-list", actions::list),
    ("oneliner-propose", oneliners::propose),
    ("oneliner-approve", oneliners::approve),
    ("oneliner-retract", oneliners::retract),
    ("oneliner-edit", oneliners::edit),
    ("oneliner-versions", oneliners::versions),
    ("oneliner-pending", oneliners::pending),
    ("oneliner-list", oneliners::list),
    ("checklist-tick", checklists::tick),
    ("checklist-show", checklists::show),
    ("log-note", logbook::note),
    ("decision", logbook::decision),
    ("logbook", logbook::show),
    ("decision-list", logbook::decisions),
    ("sitrep", logbook::sitrep),
    ("public-update", reminders::public_update),
    ("quiet", reminders::quiet),
    ("reminder-list", reminders::list),
    ("export", export::export),
    ("diagnose", diagnosis::start),
    ("diagnose-high", diagnosis::high),
    ("diagnose-low", diagnosis::low),
    ("diagnose-unknown", diagnosis::unknown),
    ("diagnose-back", diagnosis::back),
    ("diagnose-run", diagnosis::run),
    ("diagnose-stop", diagnosis::stop),
    ("diagnose-takeover", diagnosis::take_over),
    ("diagnose-result", diagnosis::result),
    ("diagnose-advice", diagnosis::advice),
    ("diagnose-again", diagnosis::again),
    ("scale-set", scaling::set),
    ("scale-show", scaling::show),
    ("advice", advice::advice),
    ("press-new", press::new),
    ("press-assign", press::assign),
    ("press-refer", press::refer),
    ("press-answer", press::answer),
    ("press-drop", press::drop),
    ("press-list", press::list),
    ("text-propose", texts::propose),
    ("text-edit", texts::edit),
    ("text-approve", texts::approve),
    ("text-retract", texts::retract),
    ("text-published", texts::published),
    ("text-show", texts::show),
    ("text-list", texts::list),
    ("rumour-new", rumours::new),
    ("rumour-verdict", rumours::verdict),
    ("rumour-refuted", rumours::refuted),
    ("rumour-list", rumours::list),
    ("audience-add", audiences::add),
    ("audience-adopt", audiences::adopt),
    ("audience-list", audiences::list),
    ("qa-propose", qa::propose),
    ("qa-edit", qa::edit),
    ("qa-approve", qa::approve),
    ("qa-retract", qa::retract),
    ("qa-versions", qa::versions),
    ("qa-list", qa::list),
    ("contacts", contacts::list),
];

/// The state a handler works on: copies it may change, and what it has said.
struct Cx<'a> {
    core: &'a Core,
    view: &'a View<'a>,
    req: &'a Request<'a>,
    args: &'a Args,
    room: RoomRecord,
    room_changed: bool,
    incident: Option<Incident>,
    incident_changed: bool,
    log: Vec<LogDraft>,
    said: Vec<Said>,
    /// Effects other than messages, after the messages.
    effects: Vec<Effect>,
}

impl Core {
    pub fn new(catalogue: Catalogue, draaiboek: Draaiboek, prefix: impl Into<String>) -> Core {
        Core {
            catalogue,
            draaiboek,
            prefix: prefix.into(),
        }
    }

    pub fn built_in() -> Core {
        Core::new(Catalogue::built_in(), Draaiboek::built_in(), "!")
    }

    /// The text after the prefix, if `body` is meant for the bot at all.
    pub fn command_line<'b>(&self, body: &'b str) -> Option<&'b str> {
        let rest = body.trim_start().strip_prefix(self.prefix.as_str())?;
        // A bare prefix is an empty command (it gets an answer); "!!" or
        // "! wow" is an exclamation, not a command.
        if crate::catalogue::clean(rest).trim().is_empty() {
            return Some("");
        }
        // "! fase" with a space is still meant for the bot when the word is a
        // command; "! wow" is not.
        let word = rest.trim_start();
        let spaced = word.len() != rest.len();
        let first = word.split_whitespace().next().unwrap_or_default();
        let known = !self.catalogue.by_word(first).is_empty();
        word.chars()
            .next()
            .filter(|c| c.is_alphanumeric() || *c == '?')
            .filter(|_| !spaced || known)
            .map(|_| word.trim_end())
    }

    pub fn handle(&self, view: &View, req: &Request) -> Outcome {
        let outcome = self.decide(view, req);
        Outcome {
            lane: Some(req.sender.to_string()),
            ..self.with_room_effects(view.active, outcome, req.now, req.members)
        }
    }

    /// The command's own outcome, before [`Core::with_room_effects`] adds what follows
    /// for the room (the living sitrap, the exercise mark).
    fn decide(&self, view: &View, req: &Request) -> Outcome {
        let line = crate::catalogue::clean(req.line);
        let length = line.chars().count();
        if length > MAX_LINE_CHARS {
            return Outcome::reply(Reply::say(format!(
                "⚠️ Dit commando is te lang ({length} tekens; maximaal {MAX_LINE_CHARS}). Er is niets mee gedaan; {}help zegt wat elk commando nodig heeft.",
                self.prefix
            )));
        }
        if line.trim().is_empty() {
            return Outcome::reply(Reply::say(format!(
                "⚠️ Na {p} staat geen commando. Typ {p}help voor alle commando's.",
                p = self.prefix
            )));
        }
        let speaker = Speaker {
            sender: req.sender,
            members: req.members,
        };
        let parsed = match self.catalogue.parse(line.trim(), &speaker) {
            Ok(p) => p,
            Err(e) => return Outcome::reply(self.parse_error(e)),
        };
        let Some(handler) = handler_for(&parsed.command.id) else {
            // Guarded by a test; a catalogue entry without handler never ships.
            return Outcome::reply(Reply::say("⚠️ Dit commando is nog niet beschikbaar."));
        };
        let mut cx = Cx {
            core: self,
            view,
            req,
            args: &parsed.args,
            room: view.room.clone(),
            room_changed: false,
            incident: view.active.cloned(),
            incident_changed: false,
            log: Vec::new(),
            said: Vec::new(),
            effects: Vec::new(),
        };
        let result = cx
            .check_preconditions(parsed.command)
            .and_then(|()| handler(&mut cx));
        match result {
            Ok(()) => self.finish(cx),
            Err(refusal) => Outcome::reply(self.refusal(refusal, parsed.command)),
        }
    }

    /// Words what the handler said, one screen per message (the rest waits
    /// for `!meer`), and gathers the changes.
    fn finish(&self, mut cx: Cx) -> Outcome {
        let chat = self.chat(cx.req.members, cx.req.now);
        let about = cx.incident.as_ref().map(|i| i.id);
        let mut effects = Vec::new();
        for said in &cx.said {
            let (mut shown, rest) = chat.page(chat.render(said));
            // Whoever typed the command is reading the answer: only the
            // others it names are notified.
            shown.mentions.remove(cx.req.sender);
            if let Some(rest) = rest {
                cx.room.more.insert(cx.req.sender.to_string(), rest);
                cx.room_changed = true;
            }
            effects.push(shortcuts::message(shown, said, about));
        }
        effects.append(&mut cx.effects);
        let incident = cx.incident_changed.then_some(cx.incident).flatten();
        Outcome {
            next_due: incident
                .as_ref()
                .and_then(|i| reminders::next_due(&self.draaiboek, i)),
            room: cx.room_changed.then_some(cx.room),
            incident,
            log: cx.log,
            effects,
            // Set by `handle` (or `react`), for every outcome alike.
            lane: None,
        }
    }

    fn refusal(&self, refusal: Refusal, command: &Command) -> Reply {
        match refusal {
            Refusal::No(msg) => Reply::say(format!("⛔ {msg}")),
            Refusal::Usage(msg) => {
                let mut r = Reply::say(format!("⚠️ {msg}"));
                r.newline()
                    .text("Gebruik: ")
                    .bold(command.usage(&self.prefix));
                if let Some(example) = command.examples.first() {
                    r.newline().text(format!("Bijvoorbeeld: {example}"));
                }
                r
            }
        }
    }

    /// The wording context for replies at `now`.
    pub fn chat<'a>(&'a self, names: &'a dyn Names, now: DateTime<Utc>) -> Chat<'a> {
        Chat {
            prefix: &self.prefix,
            book: &self.draaiboek,
            catalogue: &self.catalogue,
            names,
            now,
        }
    }

    fn parse_error(&self, error: ParseError) -> Reply {
        let p = &self.prefix;
        match error {
            ParseError::Unknown { word } => Reply::say(format!(
                "⚠️ '{p}{word}' ken ik niet. Typ {p}help voor alle commando's."
            )),
            ParseError::Malformed { reason, near } => {
                let mut r = Reply::say(format!("⚠️ {reason}"));
                r.newline().text("Gebruik:");
                for command in near {
                    r.item()
                        .bold(command.usage(p))
                        .text(format!(" — {}", command.summary));
                }
                r
            }
        }
    }
}

impl Outcome {
    pub fn reply(reply: Reply) -> Outcome {
        Outcome {
            effects: vec![Effect::Send(reply)],
            ..Outcome::default()
        }
    }
}

fn missing(slot: &str) -> Refusal {
    Refusal::Usage(format!("Er ontbreekt <{slot}>."))
}

fn handler_for(id: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(i, _)| *i == id).map(|(_, h)| *h)
}

impl Cx<'_> {
    fn check_preconditions(&self, command: &Command) -> Result<(), Refusal> {
        if command.needs_incident && self.incident.is_none() {
            return self.without_incident(command);
        }
        let roles = command.who.roles();
        if !roles.is_empty() && !roles.iter().any(|r| self.holds(r, self.req.sender)) {
            return Err(Refusal::No(format!(
                "Alleen {} mag {} gebruiken{}.",
                command.who.describe(),
                command.usage(&self.core.prefix),
                self.holders_of(roles)
            )));
        }
        Ok(())
    }

    /// A command that needs an incident, in a room without one: fine in a
    /// direct chat for the commands that look into the sender's rooms.
    fn without_incident(&self, command: &Command) -> Result<(), Refusal> {
        let p = &self.core.prefix;
        match self.view.direct {
            Some(_) if command.direct => Ok(()),
            Some(_) => {
                let here: Vec<String> = self
                    .core
                    .catalogue
                    .commands
                    .iter()
                    .filter(|c| c.direct)
                    .map(|c| c.usage(p))
                    .collect();
                Err(Refusal::No(format!(
                    "Dit is een direct gesprek met de bot, zonder incident. Hier werken {}; de rest in de ruimte van het kernteam.",
                    here.join(", ")
                )))
            }
            None => Err(Refusal::No(format!(
                "Er is geen actief incident in deze ruimte. Open er een met {p}incident open <titel>."
            ))),
        }
    }

    /// " (nu: @anna:…)" so the refused user knows whom to ask.
    fn holders_of(&self, roles: &[impl AsRef<str>]) -> String {
        let names: Vec<String> = roles
            .iter()
            .filter_map(|r| self.holder(r.as_ref()))
            .map(|user| self.name(user))
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" (nu: {})", names.join(", "))
        }
    }

    fn holder(&self, role: &str) -> Option<&str> {
        self.incident
            .as_ref()
            .or(self.view.last_closed)?
            .roles
            .get(role)
            .map(|h| h.user.as_str())
    }

    fn holds(&self, role: &str, user: &str) -> bool {
        self.holder(role) == Some(user)
    }

    fn is_chair(&self, user: &str) -> bool {
        self.holds(draaiboek::CHAIR, user)
    }

    /// The active incident, for handlers whose command needs one (checked before).
    fn incident(&self) -> &Incident {
        self.incident
            .as_ref()
            .expect("needs_incident is checked before the handler runs")
    }

    fn incident_mut(&mut self) -> &mut Incident {
        self.incident_changed = true;
        self.incident
            .as_mut()
            .expect("needs_incident is checked before the handler runs")
    }

    /// Every logboek entry belongs to the active incident, whose chain head moves.
    fn log(&mut self, kind: LogKind, text: impl Into<String>) {
        self.incident_changed = true;
        self.log.push(LogDraft {
            actor: self.req.sender.to_string(),
            kind,
            text: text.into(),
        });
    }

    /// A required text slot (always there once the pattern matched).
    fn text(&self, slot: &str) -> Result<&str, Refusal> {
        self.args.text(slot).ok_or_else(|| missing(slot))
    }

    fn number(&self, slot: &str) -> Result<&Nr, Refusal> {
        self.args.number(slot).ok_or_else(|| missing(slot))
    }

    fn label(&self, slot: &str) -> Result<&Label, Refusal> {
        self.args.label(slot).ok_or_else(|| missing(slot))
    }

    fn user(&self, slot: &str) -> Result<&str, Refusal> {
        self.args.user(slot).ok_or_else(|| missing(slot))
    }

    /// How the room knows `user`.
    fn name(&self, user: &str) -> String {
        self.req.members.name(user)
    }

    fn say(&mut self, said: impl Into<Said>) {
        self.said.push(said.into());
    }

    /// An effect other than a message; it follows the messages.
    fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    fn now(&self) -> DateTime<Utc> {
        self.req.now
    }

    fn sender(&self) -> &str {
        self.req.sender
    }

    fn prefix(&self) -> &str {
        &self.core.prefix
    }

    fn book(&self) -> &Draaiboek {
        &self.core.draaiboek
    }
}

#[cfg(test)]
mod tests;
