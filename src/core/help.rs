use super::{Cx, Refusal};
use crate::reply::Reply;

pub(super) fn help(cx: &mut Cx) -> Result<(), Refusal> {
    let catalogue = &cx.core.catalogue;
    let p = cx.prefix().to_string();
    let mut r = Reply::new();
    match cx.args.text("commando") {
        None => {
            r.bold("kernteam-bot")
                .text(" — commando's (uitleg: ")
                .text(format!("{p}help <commando>)"));
            for group in &catalogue.groups {
                r.newline().bold(&group.title);
                for c in catalogue.commands.iter().filter(|c| c.group == group.id) {
                    r.item().text(c.usage(&p)).text(format!(" — {}", c.summary));
                }
            }
        }
        Some(topic) => {
            let word = topic
                .trim_start_matches(p.as_str())
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_lowercase();
            let mut commands = catalogue.by_word(&word);
            if commands.is_empty() {
                commands = catalogue
                    .commands
                    .iter()
                    .filter(|c| c.group == word)
                    .collect();
            }
            if commands.is_empty() {
                return Err(Refusal::Usage(format!(
                    "Over '{word}' weet ik niets. {p}help toont alle commando's."
                )));
            }
            for (i, c) in commands.iter().enumerate() {
                if i > 0 {
                    r.newline();
                }
                r.bold(c.usage(&p)).newline().text(&c.summary);
                if let Some(help) = &c.help {
                    r.newline().text(help);
                }
                let who = match &c.who_note {
                    Some(note) => format!("{} ({note})", c.who.describe()),
                    None => c.who.describe().to_string(),
                };
                r.newline().text(format!("Wie: {who}"));
                let english = c.english_usages(&p);
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
    cx.reply(r);
    Ok(())
}
