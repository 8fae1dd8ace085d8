use super::Chat;
use crate::draaiboek::Contact;
use crate::reply::Reply;
use crate::view::ContactSaid;

pub(super) fn render(chat: &Chat, said: &ContactSaid) -> Reply {
    let ContactSaid::List { filter, found } = said;
    let p = chat.prefix;
    if chat.book.contacts.is_empty() {
        let mut r = Reply::say("📇 Er staan nog geen contacten in het draaiboek van dit team.");
        r.newline().text(
            "Zet ze als [[contacts]] (organisation, function, name, phone, email, availability) in het draaiboekbestand van het team; een voorbeeld staat in docs/draaiboek-voorbeeld.toml.",
        );
        r.newline()
            .text("Noem het bestand in de config van de bot: draaiboek = \"draaiboek.toml\".");
        return r;
    }
    let contacts: Vec<&Contact> = found
        .iter()
        .filter_map(|i| chat.book.contacts.get(*i))
        .collect();
    let mut r = Reply::new();
    match (filter, contacts.is_empty()) {
        (Some(f), true) => {
            r.text(format!(
                "📇 Geen contacten bij '{f}'. Alle contacten: {p}contacten"
            ));
            return r;
        }
        (Some(f), false) => r.text(format!("📇 Contacten bij '{f}' ({}):", contacts.len())),
        (None, _) => r.text(format!("📇 Contacten ketenpartners ({}):", contacts.len())),
    };
    for c in contacts {
        r.newline()
            .bold(&c.organisation)
            .text(format!(" — {}", line(c)));
    }
    r
}

/// "Procesleider PSH: Jan Jansen · 06-12345678 · jan@ggd.nl · 24/7"
fn line(c: &Contact) -> String {
    let fields = [&c.name, &c.phone, &c.email, &c.availability];
    let parts: Vec<&str> = fields.into_iter().flatten().map(String::as_str).collect();
    if parts.is_empty() {
        return format!("{} (geen gegevens)", c.function);
    }
    format!("{}: {}", c.function, parts.join(" · "))
}
