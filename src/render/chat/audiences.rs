use super::{Chat, short};
use crate::model::desk::TargetGroup;
use crate::reply::Reply;
use crate::view::{AudienceSaid, GroupMessages};

pub(super) fn render(chat: &Chat, said: &AudienceSaid) -> Reply {
    let p = chat.prefix;
    match said {
        AudienceSaid::Added { group, updated } => {
            let what = if *updated { "bijgewerkt" } else { "toegevoegd" };
            let mut r = Reply::say(format!(
                "👥 Doelgroep {} {what} · kanalen: {}",
                name(chat, &group.id),
                channels(chat, group)
            ));
            r.newline().text(format!(
                "Oneliners en teksten voor hen: begin de tekst met '{}: '. Overzicht: {p}doelgroepen",
                group.id
            ));
            r
        }
        AudienceSaid::Unchanged(group) => Reply::say(format!(
            "Doelgroep {} staat er al (kanalen: {}). Andere kanalen: {p}doelgroep {} <kanaal…>",
            name(chat, &group.id),
            channels(chat, group),
            group.id
        )),
        AudienceSaid::Adopted { added, already } => {
            let mut r = Reply::new();
            if added.is_empty() {
                r.text("👥 De doelgroepen van het scenario staan er al.");
            } else {
                r.text(format!(
                    "👥 Uit het scenario toegevoegd: {}",
                    added.join(", ")
                ));
            }
            if !already.is_empty() && !added.is_empty() {
                r.newline()
                    .text(format!("Stonden er al: {}", already.join(", ")));
            }
            r.newline().text(format!("Overzicht: {p}doelgroepen"));
            r
        }
        AudienceSaid::NothingToAdopt { scenario } => Reply::say(match scenario {
            None => format!(
                "Er is nog geen scenario gekozen ({p}incident scenario <naam>). Voeg doelgroepen zelf toe: {p}doelgroep <naam> [kanaal…]"
            ),
            Some(_) => format!(
                "Dit scenario stelt geen doelgroepen voor. Voeg ze zelf toe: {p}doelgroep <naam> [kanaal…]"
            ),
        }),
        AudienceSaid::List { groups, suggested } => list(chat, groups, suggested),
    }
}

/// "Buurt en omwonenden (buurt)" for a draaiboek doelgroep, else the word.
fn name(chat: &Chat, id: &str) -> String {
    let name = chat.audience_name(id);
    if name == id {
        name
    } else {
        format!("{name} ({id})")
    }
}

fn channels(chat: &Chat, group: &TargetGroup) -> String {
    if group.channels.is_empty() {
        return "geen (persoonlijk contact)".to_string();
    }
    let names: Vec<String> = group
        .channels
        .iter()
        .map(|c| chat.channel_name(c))
        .collect();
    names.join(", ")
}

fn list(chat: &Chat, groups: &[GroupMessages], suggested: &[String]) -> Reply {
    let p = chat.prefix;
    let mut r = Reply::new();
    if groups.is_empty() {
        r.text(format!(
            "👥 Nog geen doelgroepen. Voeg toe: {p}doelgroep <naam> [kanaal…]"
        ));
    } else {
        r.text(format!("👥 Doelgroepen ({}):", groups.len()));
    }
    for g in groups {
        group(chat, &mut r, g);
    }
    if groups
        .iter()
        .any(|g| g.oneliners.is_empty() && g.texts.is_empty())
    {
        r.newline()
            .text("⚠️ = hoort nog niets van ons. Informeer de betrokkenen eerst.");
    }
    if !suggested.is_empty() {
        r.newline().text(format!(
            "Het scenario stelt ook voor: {} — {p}doelgroepen overnemen",
            suggested.join(", ")
        ));
    }
    r
}

fn group(chat: &Chat, r: &mut Reply, g: &GroupMessages) {
    let silent = g.oneliners.is_empty() && g.texts.is_empty();
    let icon = if silent { "⚠️" } else { "✅" };
    r.newline()
        .text(format!("{icon} "))
        .bold(name(chat, &g.group.id))
        .text(format!(" · {}", channels(chat, &g.group)));
    for line in &g.oneliners {
        r.newline().text(format!(
            "   oneliner {}: “{}”",
            line.nr,
            short(&line.text, 60)
        ));
    }
    for t in &g.texts {
        r.newline().text(format!(
            "   tekst {} ({}): “{}”",
            t.nr,
            chat.channel_name(&t.channel),
            short(&t.text, 50)
        ));
    }
}
