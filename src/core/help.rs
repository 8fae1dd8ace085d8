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

/// The rest of the sender's last long reply, or of the bot's last long
/// message in the room.
pub(super) fn more(cx: &mut Cx) -> Result<(), Refusal> {
    let sender = cx.sender().to_string();
    let key = if cx.room.more.contains_key(&sender) {
        sender
    } else {
        String::new()
    };
    let rest = cx.room.more.remove(&key);
    cx.room_changed |= rest.is_some();
    cx.say(HelpSaid::More(rest));
    Ok(())
}
