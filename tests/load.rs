//! The bot under load and through faults, in a real encrypted room on a
//! real Synapse: a burst of commands from five members, the bot killed in
//! the middle of one, and the homeserver gone for half a minute. What is
//! asserted is correctness (every command answered exactly once, in order
//! per sender, each change once in the logboek); how fast is measured by
//! scripts/bench-roundtrip.sh.
//!
//! One test at a time: stopping Synapse would break a test running
//! alongside.
#![recursion_limit = "256"]

mod common;

use std::time::{Duration, Instant};

use common::{Bot, Member, Seen, Team, homeserver};
use kernteam_bot::flood;
use kernteam_bot::store::{Store, Verification};
use matrix_sdk::ruma::UserId;

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MEMBERS: usize = 5;
const COMMANDS: usize = 200;
/// Long enough for a debug build on a busy machine to answer 200 commands.
const BURST_PATIENCE: Duration = Duration::from_secs(300);

fn bot() -> Bot {
    Bot::new("allowed_inviters = [\"localhost\"]")
}

/// The tag that makes command `i` of member `m` recognisable in replies
/// and logboek entries.
fn tag(m: usize, i: usize) -> String {
    format!("[b{m}-{i:03}]")
}

/// Five members in one encrypted room with the bot and an open incident.
async fn team(bot: &mut Bot) -> Team {
    let team = Team::new(bot, &["lid1", "lid2", "lid3", "lid4"]).await;
    team.chair
        .command(&team.room, &bot.id, "!incident open Drukte")
        .await;
    team
}

fn members(team: &Team) -> Vec<&Member> {
    std::iter::once(&team.chair).chain(&team.others).collect()
}

/// Every member sends its share of `!actie` commands (which any member may
/// give, and whose reply repeats the tag) in rounds: in each
/// round all members at once send as many as the flood limit allows, back
/// to back (50 commands arrive together), after waiting out the limit's
/// window (a member who types faster is flooding; tested in `flood`). `during`
/// runs alongside (e.g. kills the bot).
async fn burst(team: &Team, during: impl Future<Output = ()>) {
    let per_member = COMMANDS / MEMBERS;
    let window = flood::WINDOW.to_std().unwrap() + Duration::from_secs(1);
    let sends = members(team).into_iter().enumerate().map(|(m, member)| {
        let room = &team.room;
        async move {
            for round in (0..per_member).collect::<Vec<_>>().chunks(flood::LIMIT) {
                // Counted from the member's last command (the chair's is
                // `!incident open`): a send may be slow.
                tokio::time::sleep(window).await;
                for i in round {
                    member
                        .say(room, &format!("!actie Drukte {}", tag(m, *i)))
                        .await;
                }
            }
        }
    });
    tokio::join!(futures_util::future::join_all(sends), during);
}

/// The bot's replies the chair has seen that carry a burst tag (not the
/// living sitrap's edits, which show the latest actions), in the order the
/// homeserver received them (a reply decrypted late is seen late).
fn tagged_replies(team: &Team, bot: &UserId) -> Vec<Seen> {
    let mut replies: Vec<Seen> = replies_since(&team.chair, 0, bot)
        .into_iter()
        .filter(|s| s.room == team.room && s.body.contains("[b"))
        .collect();
    replies.sort_by_key(|s| s.sent);
    replies
}

/// The bot's new messages (no edits) `member` has seen since `mark`.
fn replies_since(member: &Member, mark: usize, bot: &UserId) -> Vec<Seen> {
    member
        .seen_since(mark)
        .into_iter()
        .filter(|s| s.sender == bot && s.replaces.is_none())
        .collect()
}

/// Waits until every burst command has a reply, then sends one more
/// command: replies go out in order, so once its reply is seen a duplicate
/// of an earlier one would have been seen too.
async fn all_answered(team: &Team, bot: &Bot) -> Vec<Seen> {
    let deadline = Instant::now() + BURST_PATIENCE;
    loop {
        let replies = tagged_replies(team, &bot.id);
        let answered = (0..MEMBERS)
            .flat_map(|m| (0..COMMANDS / MEMBERS).map(move |i| tag(m, i)))
            .filter(|t| replies.iter().any(|r| r.body.contains(t)))
            .count();
        if answered == COMMANDS {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {answered} of {COMMANDS} commands answered; the chair's client could not \
             decrypt {} messages and decrypted {} late; bot log:\n{}",
            team.chair.undecryptable(),
            team.chair.decrypted_late(),
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    team.chair.command(&team.room, &bot.id, "!fase").await;
    tagged_replies(team, &bot.id)
}

fn assert_each_answered_once_in_order(replies: &[Seen]) {
    for m in 0..MEMBERS {
        let order: Vec<usize> = replies
            .iter()
            .filter_map(|r| (0..COMMANDS / MEMBERS).find(|i| r.body.contains(&tag(m, *i))))
            .collect();
        let expected: Vec<usize> = (0..COMMANDS / MEMBERS).collect();
        assert_eq!(
            order, expected,
            "member {m}'s commands were not each answered once, in the order sent"
        );
    }
}

/// The bot's logboek (read from its store once it is stopped): each
/// command's action exactly once, and the hash chain intact.
fn assert_logboek_has_each_change_once(bot: &mut Bot) {
    bot.kill();
    let store = Store::open(&bot.data_dir().join("state")).unwrap();
    let texts: Vec<String> = store
        .incidents()
        .flat_map(|i| store.log_entries(i.unwrap().id).collect::<Vec<_>>())
        .map(|e| e.unwrap().text)
        .collect();
    for m in 0..MEMBERS {
        for i in 0..COMMANDS / MEMBERS {
            let count = texts.iter().filter(|t| t.contains(&tag(m, i))).count();
            assert_eq!(count, 1, "{} is {count} times in the logboek", tag(m, i));
        }
    }
    assert!(
        matches!(store.verify().unwrap(), Verification::Intact { .. }),
        "the logboek's hash chain is broken"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_from_five_members_is_answered_exactly_once_in_order() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut bot = bot();
    let team = team(&mut bot).await;

    burst(&team, async {}).await;

    let replies = all_answered(&team, &bot).await;
    assert_each_answered_once_in_order(&replies);
    assert_logboek_has_each_change_once(&mut bot);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_killed_during_a_burst_answers_every_command_once_after_restart() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut bot = bot();
    let team = team(&mut bot).await;

    // A moment somewhere in the burst that differs from run to run.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let kill_after = Duration::from_millis(1_000 + u64::from(nanos) % 40_000);
    let killer = async {
        tokio::time::sleep(kill_after).await;
        bot.kill();
        bot.start();
    };
    burst(&team, killer).await;

    let replies = all_answered(&team, &bot).await;
    assert_each_answered_once_in_order(&replies);
    assert_logboek_has_each_change_once(&mut bot);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_homeserver_outage_the_bot_resumes_as_the_same_device_and_answers_once() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut bot = bot();
    let team = team(&mut bot).await;
    let (room, chair, member) = (&team.room, &team.chair, &team.others[0]);

    homeserver().stop();
    // The outage is what is tested here.
    tokio::time::sleep(Duration::from_secs(30)).await;
    homeserver().start();

    // Sent while the bot may still be waiting to retry.
    let mark = chair.mark();
    chair.say(room, "!actie Na de storing [u0]").await;
    member.say(room, "!actie Na de storing [u1]").await;
    for t in ["[u0]", "[u1]"] {
        chair.message_containing(room, &bot.id, mark, t).await;
    }
    chair.command(room, &bot.id, "!fase").await;
    for t in ["[u0]", "[u1]"] {
        let replies = replies_since(chair, mark, &bot.id)
            .into_iter()
            .filter(|s| s.body.contains(t))
            .count();
        assert_eq!(replies, 1, "{t} answered {replies} times");
    }
    chair.only_device_of(&bot.id).await;
}
