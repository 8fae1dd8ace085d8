use super::Chat;
use crate::reply::Reply;
use crate::view::HelpSaid;

pub(super) fn render(chat: &Chat, said: &HelpSaid) -> Reply {
    let p = chat.prefix;
    let catalogue = chat.catalogue;
    let mut r = Reply::new();
    match said {
        HelpSaid::Overview => {
            r.bold("kernteam-bot")
                .text(format!(" — uitleg per commando: {p}help <commando>"));
            for group in &catalogue.groups {
                let mut words: Vec<String> = Vec::new();
                for c in catalogue.commands.iter().filter(|c| c.group == group.id) {
                    let word = c
                        .usage(p)
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    if !words.contains(&word) {
                        words.push(word);
                    }
                }
                r.newline()
                    .bold(format!("{}: ", group.title))
                    .text(words.join(" "));
            }
            r.fold();
            for group in &catalogue.groups {
                r.newline().bold(&group.title);
                for c in catalogue.commands.iter().filter(|c| c.group == group.id) {
                    r.item().text(c.usage(p)).text(format!(" — {}", c.summary));
                }
            }
        }
        HelpSaid::More(Some(rest)) => return rest.clone(),
        HelpSaid::More(None) => {
            r.text("Er is niets meer te tonen: je laatste antwoord paste op één scherm.");
        }
        HelpSaid::Topic(ids) => {
            for (i, c) in ids.iter().filter_map(|id| catalogue.get(id)).enumerate() {
                if i > 0 {
                    r.newline();
                }
                r.bold(c.usage(p)).newline().text(&c.summary);
                if let Some(help) = &c.help {
                    r.newline().text(fill(chat, help));
                }
                let who = match &c.who_note {
                    Some(note) => format!("{} ({})", c.who.describe(), fill(chat, note)),
                    None => c.who.describe().to_string(),
                };
                r.newline().text(format!("Wie: {who}"));
                let english = c.english_usages(p);
                if !english.is_empty() {
                    r.newline().text(format!("Ook: {}", english.join(", ")));
                }
                for example in &c.examples {
                    // The catalogue writes examples with '!'; show the room's prefix.
                    let example = example.strip_prefix('!').unwrap_or(example);
                    r.newline().text(format!("Bijv.: {p}{example}"));
                }
            }
        }
    }
    r
}

/// Help texts name lists of the loaded draaiboek as `{phases}`, `{scenarios}`,
/// `{steps}`, `{cadences}`, `{scale_levels}`, `{rights_roles}`,
/// `{appointed_roles}`, and its settings as `{opening_phase}`,
/// `{cadence_label}`, `{first_update}`, so a team's own file shows up in
/// `!help` too.
fn fill(chat: &Chat, help: &str) -> String {
    let book = chat.book;
    let ids = |ids: &mut dyn Iterator<Item = &str>| ids.collect::<Vec<_>>().join(", ");
    let minutes = |m: u32| crate::timeexpr::format_duration(chrono::Duration::minutes(m.into()));
    let cadences: Vec<String> = (book.phases.iter())
        .filter_map(|p| Some(format!("{} {}", p.id, minutes(p.update_every_minutes?))))
        .collect();
    let roles = |pick: fn(&crate::draaiboek::Role) -> bool| {
        ids(&mut book.roles.iter().filter(|r| pick(r)).map(|r| r.id.as_str()))
    };
    let values = [
        (
            "{phases}",
            ids(&mut book.phases.iter().map(|p| p.id.as_str())),
        ),
        (
            "{scenarios}",
            ids(&mut book.scenarios.iter().map(|s| s.id.as_str())),
        ),
        (
            "{steps}",
            ids(&mut book.checklists.iter().map(|c| c.id.as_str())),
        ),
        (
            "{scale_levels}",
            ids(&mut book.scale_levels.iter().map(|l| l.id.as_str())),
        ),
        ("{cadences}", cadences.join(", ")),
        (
            "{channels}",
            ids(&mut book.channels.iter().map(|c| c.id.as_str())),
        ),
        (
            "{audiences}",
            ids(&mut book.audiences.iter().map(|a| a.id.as_str())),
        ),
        ("{rights_roles}", roles(|r| r.rights)),
        ("{appointed_roles}", roles(|r| r.appointed)),
        ("{opening_phase}", book.opening_phase().id.clone()),
        ("{cadence_label}", book.cadence.label.clone()),
        ("{first_update}", minutes(book.cadence.first_update_minutes)),
        ("{p}", chat.prefix.to_string()),
    ];
    let mut text = help.to_string();
    for (key, value) in values {
        text = text.replace(key, &value);
    }
    text
}
