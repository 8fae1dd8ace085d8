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
                    Some(note) => format!("{} ({note})", c.who.describe()),
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
/// `{steps}` and `{cadences}`, so a team's own file shows up in `!help` too.
fn fill(chat: &Chat, help: &str) -> String {
    let book = chat.book;
    let ids = |ids: Vec<&str>| ids.join(", ");
    let cadences: Vec<String> = book
        .phases
        .iter()
        .filter_map(|p| {
            let every = p.update_every_minutes?;
            let every = crate::timeexpr::format_duration(chrono::Duration::minutes(every.into()));
            Some(format!("{} {every}", p.id))
        })
        .collect();
    help.replace(
        "{phases}",
        &ids(book.phases.iter().map(|p| p.id.as_str()).collect()),
    )
    .replace(
        "{scenarios}",
        &ids(book.scenarios.iter().map(|s| s.id.as_str()).collect()),
    )
    .replace(
        "{steps}",
        &ids(book.checklists.iter().map(|c| c.id.as_str()).collect()),
    )
    .replace("{cadences}", &cadences.join(", "))
}
