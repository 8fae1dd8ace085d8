use super::*;
use crate::catalogue::Catalogue;
use crate::draaiboek::Draaiboek;

// --- contacts of the ketenpartners (Bijlage 1) ------------------------------

#[test]
fn without_contacts_in_the_draaiboek_the_reply_says_how_to_add_them() {
    let mut t = Team::new();
    let reply = t.say(POLICE, "!contacten");
    assert!(
        reply.contains("nog geen contacten")
            && reply.contains("[[contacts]]")
            && reply.contains("docs/draaiboek-voorbeeld.toml"),
        "{reply}"
    );
}

#[test]
fn contacts_come_from_the_teams_draaiboek_file_and_filter_by_organisation() {
    let book =
        Draaiboek::with_overrides(include_str!("../../../docs/draaiboek-voorbeeld.toml")).unwrap();
    let mut t = Team::new();
    t.core = Core::new(Catalogue::built_in(), book, "!");
    let ggd = t.say(POLICE, "!contacten ggd");
    assert!(
        ggd.starts_with("📇 Contacten bij 'ggd'")
            && ggd.contains("GGD — Procesleider PSH: 0900-0000000")
            && !ggd.contains("Burgemeester"),
        "{ggd}"
    );
    assert!(
        t.say(POLICE, "!contacten brandweer")
            .contains("Geen contacten bij 'brandweer'")
    );
    let all = t.say_all(POLICE, "!contacten");
    assert!(
        all.contains("OM — Beleidspiket driehoeksofficier: 0900-0000000 · 24/7"),
        "{all}"
    );
}
