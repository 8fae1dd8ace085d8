use super::{Cx, Refusal};
use crate::view::HelpSaid;

pub(super) fn help(cx: &mut Cx) -> Result<(), Refusal> {
    let catalogue = &cx.core.catalogue;
    let p = cx.prefix().to_string();
    let Some(topic) = cx.args.text("commando") else {
        cx.say(HelpSaid::Overview);
        return Ok(());
    };
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
    let ids = commands.iter().map(|c| c.id.clone()).collect();
    cx.say(HelpSaid::Topic(ids));
    Ok(())
}
