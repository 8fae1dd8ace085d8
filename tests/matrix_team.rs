//! The bot in a real encrypted Matrix room on a real Synapse, with
//! matrix-sdk clients as the crisis team. See tests/common for the harness.
#![recursion_limit = "256"]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{Bot, Member, Seen, Team, eventually, pill};
use matrix_sdk::room::power_levels::RoomPowerLevelChanges;
use matrix_sdk::ruma::RoomId;
use matrix_sdk::ruma::events::room::member::MembershipState;

fn allow(user: &matrix_sdk::ruma::UserId) -> String {
    format!("allowed_inviters = [\"{user}\"]")
}

/// A bot that lets the chair of the test invite it. The chair's user ID is
/// not known before the team exists, so the whole server is allowed here;
/// the outsider test checks the user allowlist.
fn bot() -> Bot {
    Bot::new("allowed_inviters = [\"localhost\"]")
}

#[tokio::test(flavor = "multi_thread")]
async fn bot_joins_when_invited_and_ignores_what_was_said_before() {
    let mut bot = bot();
    bot.start();
    let chair = Member::new("voorzitter").await;
    // Unencrypted, so the bot can read the history it must not act on (in an
    // encrypted room it never gets the keys of messages from before it joined).
    let room = chair.create_room(&[], false).await;
    chair.say(&room, "!incident open Voor de bot er was").await;
    chair.room(&room).invite_user_by_id(&bot.id).await.unwrap();
    chair.sees_joined(&room, &[&bot.id, &chair.id]).await;

    let reply = chair.command(&room, &bot.id, "!incidenten").await;
    assert!(
        !reply.body.contains("Voor de bot er was"),
        "a command from before the bot joined was executed: {}",
        reply.body
    );
    assert!(
        !chair
            .seen_since(0)
            .iter()
            .any(|s| s.sender == bot.id && s.body.contains("Incident geopend")),
        "the bot answered a command from before it joined"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bot_declines_invite_from_user_not_on_allowlist() {
    let outsider = Member::new("buitenstaander").await;
    let insider = Member::new("voorzitter").await;
    let mut bot = Bot::new(&allow(&insider.id));
    bot.start();

    let room = outsider.create_encrypted_room(&[&bot.id]).await;
    eventually("the bot declined the outsider's invite", || async {
        outsider.membership_of(&room, &bot.id).await == Some(MembershipState::Leave)
    })
    .await;

    // The same bot does accept the allowed user's invite.
    let room = insider.create_encrypted_room(&[&bot.id]).await;
    insider.sees_joined(&room, &[&bot.id]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_chair_may_change_the_phase() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["lid"]).await;
    let (room, chair, member) = (&team.room, &team.chair, &team.others[0]);

    let opened = chair
        .command(room, &bot.id, "!incident open Onrust bij het gemeentehuis")
        .await;
    assert!(
        opened
            .body
            .starts_with("🚨 Incident geopend: Onrust bij het gemeentehuis"),
        "{}",
        opened.body
    );
    assert!(opened.notice && opened.encrypted);
    assert!(opened.html.is_some(), "replies carry HTML");

    let refused = member.command(room, &bot.id, "!fase escalatie").await;
    assert!(
        refused.body.starts_with("⛔ Alleen de voorzitter"),
        "{}",
        refused.body
    );
    let phase = member.command(room, &bot.id, "!fase").await;
    assert!(
        phase
            .body
            .starts_with("Fase: Dreigende maatschappelijke onrust"),
        "{}",
        phase.body
    );

    let accepted = chair.command(room, &bot.id, "!fase escalatie").await;
    assert!(
        accepted.body.starts_with("📢 Nieuwe fase (4/5): Escalatie"),
        "{}",
        accepted.body
    );

    // Without a voorzitter, an ordinary member can neither chair nor take
    // the chair; a moderator (power level ≥ 50: the room creator) takes it.
    chair.command(room, &bot.id, "!rol voorzitter weg").await;
    let refused = member.command(room, &bot.id, "!fase rust").await;
    assert!(refused.body.starts_with("⛔"), "{}", refused.body);
    let refused = member.command(room, &bot.id, "!rol voorzitter mij").await;
    assert!(refused.body.starts_with("⛔"), "{}", refused.body);
    let refused = chair.command(room, &bot.id, "!fase rust").await;
    assert!(refused.body.starts_with("⛔"), "{}", refused.body);
    let taken = chair.command(room, &bot.id, "!rol voorzitter mij").await;
    assert!(taken.body.starts_with("👤"), "{}", taken.body);
    let accepted = chair.command(room, &bot.id, "!fase terugkeer").await;
    assert!(
        accepted.body.starts_with("📢 Nieuwe fase"),
        "{}",
        accepted.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn oneliner_needs_a_second_pair_of_eyes() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["communicatie"]).await;
    let (room, chair, comms) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Brand in sporthal")
        .await;

    let proposed = chair
        .command(room, &bot.id, "!oneliner voorstel We zijn ter plaatse.")
        .await;
    assert!(
        proposed.body.starts_with("📝 Oneliner 1.1 voorgesteld"),
        "{}",
        proposed.body
    );
    let own = chair.command(room, &bot.id, "!oneliner goedkeuren 1").await;
    assert!(own.body.starts_with("⛔ Vier ogen"), "{}", own.body);

    // Assigned with a mention pill, as Element sends it.
    let sent = chair
        .say_html(
            room,
            "!rol communicatieadviseur Communicatie",
            &format!(
                "!rol communicatieadviseur {}",
                pill(&comms.id, "Communicatie")
            ),
        )
        .await;
    let assigned = chair.reply_to(room, &bot.id, &sent).await;
    assert!(
        assigned.body.starts_with(&format!(
            "👤 {} is nu Communicatieadviseur",
            comms.id.localpart()
        )),
        "{}",
        assigned.body
    );

    let approved = comms.command(room, &bot.id, "!oneliner goedkeuren 1").await;
    assert!(
        approved.body.starts_with("✅ Oneliner 1.1 goedgekeurd"),
        "{}",
        approved.body
    );
    let list = chair.command(room, &bot.id, "!oneliners").await;
    assert!(
        list.body.contains("“We zijn ter plaatse.”"),
        "{}",
        list.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn action_owner_is_mentioned_so_their_phone_notifies() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["eigenaar"]).await;
    let (room, chair, owner) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Stroomstoring")
        .await;

    let mark = owner.mark();
    chair
        .say_html(
            room,
            "!actie Persbericht opstellen Eigenaar",
            &format!(
                "!actie Persbericht opstellen {}",
                pill(&owner.id, "Eigenaar")
            ),
        )
        .await;
    let action = owner
        .message_containing(room, &bot.id, mark, "Actie 1")
        .await;
    assert!(
        action.body.starts_with("🎯 Actie 1: Persbericht opstellen"),
        "{}",
        action.body
    );
    assert!(
        // The plain body names the owner as the room knows them (Synapse's
        // default display name is the localpart); the pill carries the ID.
        action
            .body
            .contains(&format!("Eigenaar: {}", owner.id.localpart())),
        "{}",
        action.body
    );
    assert_eq!(
        action.mentions,
        vec![owner.id.clone()],
        "m.mentions names the owner"
    );
    let html = action.html.expect("HTML body");
    assert!(
        html.contains(&format!("https://matrix.to/#/{}", owner.id)),
        "{html}"
    );
    assert!(action.encrypted);
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_sent_while_the_bot_was_killed_are_answered_once_after_restart() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["lid"]).await;
    let (room, chair, member) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Storing 112")
        .await;
    let start = chair.mark();

    bot.kill();
    chair.say(room, "!actie Taak A").await;
    member.say(room, "!actie Taak B").await;
    // More chatter than one sync timeline holds, so the bot must page back.
    for n in 1..=12 {
        member.say(room, &format!("bericht {n}")).await;
    }
    chair.say(room, "!actie Taak C").await;
    bot.start();

    for (nr, task) in [(1, "A"), (2, "B"), (3, "C")] {
        let reply = chair
            .message_containing(room, &bot.id, start, &format!("Taak {task}"))
            .await;
        assert!(
            reply
                .body
                .starts_with(&format!("🎯 Actie {nr}: Taak {task}")),
            "handled in the order sent: {}",
            reply.body
        );
    }

    // Killed right after a command: whether or not it was handled before
    // the kill, it is answered exactly once.
    chair.say(room, "!actie Taak D").await;
    bot.kill();
    bot.start();
    chair
        .message_containing(room, &bot.id, start, "Taak D")
        .await;

    // Replies go out in order, so once this one is seen any duplicate of
    // an earlier reply would have been seen too.
    bot.kill();
    bot.start();
    let list = chair.command(room, &bot.id, "!acties").await;
    for task in ["A", "B", "C", "D"] {
        assert_eq!(
            list.body.matches(&format!("Taak {task}")).count(),
            1,
            "{}",
            list.body
        );
        let replies = chair
            .seen_since(start)
            .into_iter()
            .filter(|s| {
                s.sender == bot.id
                    && s.body.starts_with("🎯")
                    && s.body.contains(&format!("Taak {task}"))
            })
            .count();
        assert_eq!(replies, 1, "Taak {task} answered {replies} times");
    }

    // Four starts, one device: a new device per start would break encryption.
    let device = chair.only_device_of(&bot.id).await;
    assert!(
        device.is_cross_signed_by_owner(),
        "the bot cross-signs its device"
    );
    let key_file = bot.data_dir().join("recovery-key");
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let key = std::fs::read_to_string(&key_file).unwrap();
    let log = bot.log();
    assert!(
        !log.contains(key.trim()) && !log.contains(&bot.password),
        "a secret was logged"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn command_older_than_catch_up_window_gets_one_notice_instead() {
    // A short window keeps the test fast: 0.2 minute = 12 seconds.
    let mut bot = Bot::new("allowed_inviters = [\"localhost\"]\ncatch_up_minutes = 0.2");
    let team = Team::new(&mut bot, &[]).await;
    let (room, chair) = (&team.room, &team.chair);
    chair
        .command(room, &bot.id, "!incident open Wateroverlast")
        .await;
    let start = chair.mark();

    bot.kill();
    chair.say(room, "!actie Te laat").await;
    // The time passing is what is tested here.
    tokio::time::sleep(Duration::from_secs(13)).await;
    chair.say(room, "!actie Op tijd").await;
    bot.start();

    let late = chair
        .message_containing(room, &bot.id, start, "Te laat")
        .await;
    assert!(
        late.body
            .starts_with("⏱️ Niet uitgevoerd: “!actie Te laat”"),
        "{}",
        late.body
    );
    assert_eq!(late.mentions, vec![chair.id.clone()]);
    let on_time = chair
        .message_containing(room, &bot.id, start, "Op tijd")
        .await;
    assert!(
        on_time.body.starts_with("🎯 Actie 1: Op tijd"),
        "the late one was not executed: {}",
        on_time.body
    );

    // After another restart the late command gets no second notice.
    bot.kill();
    bot.start();
    chair.command(room, &bot.id, "!acties").await;
    let notices = chair
        .seen_since(start)
        .into_iter()
        .filter(|s| s.sender == bot.id && s.body.starts_with("⏱️"))
        .count();
    assert_eq!(notices, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deadline_reminder_rings_the_owners_phone_when_the_deadline_comes() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["eigenaar"]).await;
    let (room, chair, owner) = (&team.room, &team.chair, &team.others[0]);
    let opened = chair
        .command(room, &bot.id, "!incident open Wateroverlast")
        .await;
    let mark = owner.mark();
    chair
        .say(
            room,
            &format!("!actie Zandzakken regelen {} over 1 min", owner.id),
        )
        .await;
    let assigned = owner
        .message_containing(room, &bot.id, mark, "Actie 1")
        .await;
    eventually("the new owner is notified of the action", || {
        std::future::ready(owner.was_notified_of(&assigned.event_id))
    })
    .await;
    // The chair typed the command that named them: the answer is shown, not rung.
    assert!(opened.notice && opened.html.unwrap().contains(chair.id.as_str()));
    assert!(!chair.was_notified_of(&opened.event_id));
    // The scheduler sleeps until the deadline, a minute from now.
    let started = std::time::Instant::now();
    let reminder = loop {
        let found = owner
            .seen_since(mark)
            .into_iter()
            .find(|s| s.sender == bot.id && s.body.contains("deadline van actie 1"));
        if let Some(found) = found {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no deadline reminder; bot log:\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        reminder.body.contains(&format!(
            "⏰ {} deadline van actie 1: Zandzakken regelen",
            owner.id.localpart()
        )),
        "{}",
        reminder.body
    );
    assert_eq!(reminder.mentions, vec![owner.id.clone()]);
    assert!(reminder.encrypted);
    eventually("the owner's phone rings for the reminder", || {
        std::future::ready(owner.was_notified_of(&reminder.event_id))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_reply_arrives_one_screen_at_a_time_and_nothing_is_lost() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &[]).await;
    let (room, chair) = (&team.room, &team.chair);
    chair
        .command(room, &bot.id, "!incident open Lange regels")
        .await;
    // Eight lines near the 2000-character limit, whose HTML is larger still.
    // Paced under the flood limit (10 commands in 10 s per sender).
    let pace = || tokio::time::sleep(Duration::from_millis(1100));
    for i in 1..=8 {
        let line = format!("!log regel-{i:02} {}", "a&b ".repeat(490));
        chair.command(room, &bot.id, &line).await;
        pace().await;
    }
    let mut all = String::new();
    let mut page = chair.command(room, &bot.id, "!logboek 20").await;
    for _ in 0..40 {
        assert!(page.encrypted);
        assert!(
            page.body.chars().count() <= 700 + 40,
            "one screen: {}",
            page.body.len()
        );
        let html = page.html.as_deref().unwrap_or_default();
        assert!(page.body.len() + html.len() < 16 * 1024);
        all.push_str(&page.body);
        if !page.body.ends_with("!meer") {
            break;
        }
        pace().await;
        page = chair.command(room, &bot.id, "!meer").await;
    }
    for i in 1..=8 {
        assert_eq!(
            all.matches(&format!("regel-{i:02} ")).count(),
            1,
            "regel {i}: {all}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_the_homeserver_refuses_is_recorded_in_the_logboek_not_lost_silently() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &[]).await;
    let (room, chair) = (&team.room, &team.chair);
    let mark = chair.mark();
    chair
        .command(room, &bot.id, "!incident open Weigering")
        .await;
    chair
        .message_containing(room, &bot.id, mark, "⚓ Logboek-anker")
        .await;

    // Only admins may post (the team made the bot moderator, level 50): the
    // bot's reply, and its notice about it, are refused.
    let set_events_default = |level| RoomPowerLevelChanges {
        events_default: Some(level),
        ..RoomPowerLevelChanges::default()
    };
    let settings = chair.room(room);
    settings
        .apply_power_level_changes(set_events_default(100))
        .await
        .unwrap();
    let mark = chair.mark();
    chair.say(room, "!log Niet te zien").await;
    eventually("the bot records both refusals", || {
        std::future::ready(bot.log().matches("the homeserver refused a reply").count() >= 2)
    })
    .await;
    settings
        .apply_power_level_changes(set_events_default(0))
        .await
        .unwrap();

    let log = chair.command(room, &bot.id, "!logboek 3").await;
    assert!(
        log.body.contains(
            "[niet afgeleverd] Bericht niet afgeleverd (403 M_FORBIDDEN): “📝 In het logboek"
        ),
        "{}",
        log.body
    );
    assert!(
        log.body
            .contains("(403 M_FORBIDDEN): “⚠️ Een bericht van de bot kon niet worden afgeleverd"),
        "{}",
        log.body
    );
    assert!(
        !chair
            .seen_since(mark)
            .iter()
            .any(|s| s.sender == bot.id && s.body.starts_with("📝")),
        "the refused reply is not sent later either"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_arrives_as_an_encrypted_file_that_decrypts_to_the_whole_record() {
    use kernteam_bot::record::Record;
    use kernteam_bot::record::verify::{Verdict, verify};
    use matrix_sdk::media::{MediaFormat, MediaRequestParameters};
    use matrix_sdk::ruma::events::room::MediaSource;

    let mut bot = bot();
    let team = Team::new(&mut bot, &["notulist"]).await;
    let (room, chair, notes) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Brand bij <De Spil>")
        .await;
    chair
        .command(room, &bot.id, &format!("!rol notulist {}", notes.id))
        .await;
    notes
        .command(room, &bot.id, "!besluit Buurt informeren via de wijkapp")
        .await;

    let mark = notes.mark();
    let notice = notes.command(room, &bot.id, "!export json").await;
    assert!(
        notice.body.starts_with("📦 Export (json) van incident 1"),
        "{}",
        notice.body
    );
    let mut found = None;
    eventually("the export arrives as a file", || {
        found = notes
            .seen_since(mark)
            .into_iter()
            .find(|s| s.sender == bot.id && s.file.is_some());
        std::future::ready(found.is_some())
    })
    .await;
    let seen = found.unwrap();
    assert!(seen.encrypted, "the file event is encrypted");
    let file = seen.file.unwrap();
    assert_eq!(file.body, "incident-1-brand-bij-de-spil.json");
    let MediaSource::Encrypted(encrypted) = &file.source else {
        panic!("the file itself must be encrypted: {:?}", file.source);
    };
    // What the homeserver stores is ciphertext.
    let stored = notes
        .client
        .media()
        .get_media_content(
            &MediaRequestParameters {
                source: MediaSource::Plain(encrypted.url.clone()),
                format: MediaFormat::File,
            },
            false,
        )
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&stored).contains("De Spil"));

    let bytes = notes
        .client
        .media()
        .get_file(&file, false)
        .await
        .unwrap()
        .expect("a file has a source");
    let record: Record = serde_json::from_slice(&bytes).expect("the export is JSON");
    assert_eq!(record.incident.title, "Brand bij <De Spil>");
    assert_eq!(record.decisions[0].text, "Buurt informeren via de wijkapp");
    assert_eq!(
        record.log.last().unwrap().text,
        format!("Export (json) gemaakt door {}", notes.id)
    );
    assert!(matches!(verify(record), Verdict::Intact { .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_woordvoerder_fetches_approved_oneliners_in_an_encrypted_direct_chat() {
    let mut bot = bot();
    let a = Team::new(&mut bot, &["woordvoerder", "communicatie"]).await;
    let (spokes, comms) = (&a.others[0], &a.others[1]);
    // Room B: a team the woordvoerder is not in.
    let b = Team::new(&mut bot, &["communicatie"]).await;
    for (team, title, words) in [
        (&a, "Onrust Oosterwijk", "We zijn met bewoners in gesprek."),
        (
            &b,
            "Brand sporthal",
            "Alleen voor het team van de sporthal.",
        ),
    ] {
        let chair = &team.chair;
        let adviser = team.others.last().unwrap();
        chair
            .command(&team.room, &bot.id, &format!("!incident open {title}"))
            .await;
        chair
            .command(
                &team.room,
                &bot.id,
                &format!("!rol communicatieadviseur {}", adviser.id),
            )
            .await;
        chair
            .command(&team.room, &bot.id, &format!("!oneliner voorstel {words}"))
            .await;
    }
    a.chair
        .command(
            &a.room,
            &bot.id,
            &format!("!rol woordvoerder {}", spokes.id),
        )
        .await;
    let approved = comms
        .command(&a.room, &bot.id, "!oneliner goedkeuren 1.1")
        .await;
    assert!(
        approved.body.starts_with("✅ Oneliner 1.1 goedgekeurd")
            && approved.mentions.contains(&spokes.id),
        "the woordvoerder hears of it: {approved:?}"
    );
    let other = b.others.last().unwrap();
    other
        .command(&b.room, &bot.id, "!oneliner goedkeuren 1.1")
        .await;

    // The woordvoerder's phone: an encrypted room with just the bot.
    let dm = spokes.create_encrypted_room(&[&bot.id]).await;
    spokes.sees_joined(&dm, &[&bot.id, &spokes.id]).await;
    let lines = spokes.command(&dm, &bot.id, "!oneliners").await;
    assert!(lines.encrypted && lines.notice, "{lines:?}");
    assert!(
        lines.body.contains("📍 Onrust Oosterwijk")
            && lines.body.contains("“We zijn met bewoners in gesprek.”"),
        "{}",
        lines.body
    );
    assert!(
        !lines.body.contains("sporthal"),
        "room B's words leaked into a direct chat: {}",
        lines.body
    );
    let mine = spokes.command(&dm, &bot.id, "!acties").await;
    assert!(mine.body.contains("direct gesprek"), "{}", mine.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pinned_message_in_an_encrypted_room_enters_the_logboek_and_gets_a_check_mark() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["agent"]).await;
    let (room, chair, agent) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Onrust bij het station")
        .await;
    let said = agent
        .say(room, "Groep van 40 jongeren bij het station")
        .await;
    let pin = chair.react(room, &said, "📌").await;
    eventually("the bot reacts ✅ to the pinned message", || {
        let seen = chair.reactions();
        std::future::ready(
            seen.iter()
                .any(|r| r.sender == bot.id && r.target == said && r.key == "✅"),
        )
    })
    .await;
    // Only the newest lines: with the run's long test user names, five
    // lines may not fit one phone screen, and the rest waits for `!meer`.
    let book = chair.command(room, &bot.id, "!logboek 2").await;
    assert!(book.encrypted);
    assert!(
        // Under its sender, by the name the room knows (the localpart).
        book.body.contains(&format!(
            "{} [vastgepind] Groep van 40 jongeren bij het station",
            agent.id.localpart()
        )),
        "{}",
        book.body
    );

    // Taking the 📌 away adds a line; the pinned one stays.
    chair.redact(room, &pin).await;
    let book = chair.command(room, &bot.id, "!logboek 2").await;
    assert!(book.body.contains("[losgemaakt]"), "{}", book.body);
    assert!(book.body.contains("[vastgepind]"), "{}", book.body);
}

/// The chair opens an incident; returns the mark from before and the
/// living sitrap the bot posts after its reply.
async fn open_with_sitrap(chair: &Member, room: &RoomId, bot: &Bot) -> (usize, Seen) {
    let mark = chair.mark();
    chair
        .command(room, &bot.id, "!incident open Wateroverlast")
        .await;
    let sitrap = chair.message_containing(room, &bot.id, mark, "🧭").await;
    (mark, sitrap)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_that_may_not_pin_posts_the_sitrap_and_tells_the_room_the_level_it_needs() {
    let mut bot = bot();
    let team = Team::with_unprivileged_bot(&mut bot, &[]).await;
    let (room, chair) = (&team.room, &team.chair);
    let (mark, sitrap) = open_with_sitrap(chair, room, &bot).await;
    let told = chair
        .message_containing(room, &bot.id, mark, "niet vastzetten")
        .await;
    assert!(
        told.body.contains("machtsniveau 50 nodig, ik heb 0"),
        "{}",
        told.body
    );
    assert!(!chair.pinned(room).await.contains(&sitrap.event_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sitrap_is_pinned_edited_after_a_phase_change_and_unpinned_at_the_close() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &[]).await;
    let (room, chair) = (&team.room, &team.chair);
    let (mark, sitrap) = open_with_sitrap(chair, room, &bot).await;
    assert!(sitrap.encrypted);
    eventually("the sitrap is pinned", || async {
        chair.pinned(room).await.contains(&sitrap.event_id)
    })
    .await;

    chair.command(room, &bot.id, "!fase escalatie").await;
    let mut edit = None;
    eventually("the bot edits the sitrap with the new phase", || {
        edit = chair.seen_since(mark).into_iter().find(|s| {
            s.sender == bot.id
                && s.replaces.as_ref() == Some(&sitrap.event_id)
                && s.body.contains("Escalatie")
        });
        std::future::ready(edit.is_some())
    })
    .await;
    assert!(
        edit.unwrap().encrypted,
        "an edit in an encrypted room is encrypted"
    );
    let posted = chair
        .seen_since(mark)
        .into_iter()
        .filter(|s| s.sender == bot.id && s.replaces.is_none() && s.body.contains("🧭"))
        .count();
    assert_eq!(posted, 1, "edited, not posted again");

    // The §3.4 close: the two outcomes, then the confirmation.
    chair
        .command(room, &bot.id, "!incident sluit mondeling:ja evaluatie:mij")
        .await;
    chair
        .command(room, &bot.id, "!incident sluit bevestig")
        .await;
    eventually("the sitrap is unpinned", || async {
        !chair.pinned(room).await.contains(&sitrap.event_id)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_check_mark_on_an_action_marks_it_done() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &["eigenaar"]).await;
    let (room, chair, owner) = (&team.room, &team.chair, &team.others[0]);
    chair
        .command(room, &bot.id, "!incident open Stroomstoring")
        .await;
    let action = owner
        .command(room, &bot.id, "!actie Aggregaat regelen")
        .await;
    assert!(action.body.starts_with("🎯 Actie 1"), "{}", action.body);
    let mark = owner.mark();
    owner.react(room, &action.event_id, "✅").await;
    let mut answer = None;
    eventually("the bot answers the ✅ on the action", || {
        answer = owner
            .seen_since(mark)
            .into_iter()
            .find(|s| s.sender == bot.id && s.in_reply_to.as_ref() == Some(&action.event_id));
        std::future::ready(answer.is_some())
    })
    .await;
    let answer = answer.unwrap();
    assert!(
        answer.body.starts_with("✅ Actie 1 klaar"),
        "{}",
        answer.body
    );
    let list = chair.command(room, &bot.id, "!acties").await;
    assert!(list.body.contains("Open acties: geen"), "{}", list.body);
}

/// Each device that starts an encrypted session with the bot uses up one of
/// its one-time keys. When the homeserver reports them all used, the bot
/// uploads new ones, so new sessions do not all share the one reusable
/// fallback key.
#[tokio::test(flavor = "multi_thread")]
async fn the_bot_uploads_new_one_time_keys_after_members_claimed_them_all() {
    let mut bot = bot();
    let team = Team::new(&mut bot, &[]).await;
    let device = team
        .chair
        .only_device_of(&bot.id)
        .await
        .device_id()
        .to_owned();
    let mut claimed = 0;
    while team.chair.claims_a_one_time_key(&bot.id, &device).await {
        claimed += 1;
        assert!(claimed <= 100, "the bot's one-time keys never ran out");
    }
    assert!(claimed > 0, "the bot had uploaded no one-time keys");
    // The bot hears of the count with its next sync.
    team.chair.say(&team.room, "hallo").await;
    eventually("the bot has uploaded new one-time keys", || async {
        team.chair.claims_a_one_time_key(&bot.id, &device).await
    })
    .await;
}
