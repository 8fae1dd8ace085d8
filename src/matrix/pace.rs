//! When the sync loop holds its next long-poll back for the bot's replies
//! (`Bot::answer_early`).
//!
//! The homeserver wakes every waiting sync when a reply lands, and a sync of
//! the bot's own, waiting there or arriving just then, takes the
//! homeserver's time from the members' syncs that show the reply; one that
//! starts while the reply's PUT is under way slows the PUT too. So a bot
//! that answered a lone command waits for the reply to land, and a little
//! more. While commands come in quick succession that wait holds the next
//! ones back, so it is only taken when the bot was quiet (in all its rooms:
//! one sync loop serves them all).

use std::time::{Duration, Instant};

/// How long a quiet bot waits for its replies to land before it listens
/// again; a reply's PUT takes 35–60 ms at p50 on a local Synapse on the
/// 2-core machine, and twice that in its slowest tenth.
pub const REPLIES_FIRST: Duration = Duration::from_millis(150);
/// Once they landed, how long it leaves the homeserver to the members'
/// syncs that show them (about 11 ms on that machine when nothing else
/// asks) before asking for its own echo.
pub const MEMBERS_FIRST: Duration = Duration::from_millis(20);
/// The bot is busy while it answers within this long of its last answer:
/// people typing one after another are seconds apart, a burst's commands
/// milliseconds.
const BUSY_WITHIN: Duration = Duration::from_millis(250);

/// When the bot last had something to answer.
#[derive(Debug, Default)]
pub struct Pace {
    last_answer: Option<Instant>,
}

impl Pace {
    /// Whether the sync loop holds its next long-poll for a response's
    /// replies: the outbox was `idle` before the response and is `answering`
    /// after it, and the bot had nothing to answer in the [`BUSY_WITHIN`]
    /// before `now`. Every answer is noted, held or not.
    pub fn holds(&mut self, idle: bool, answering: bool, now: Instant) -> bool {
        answering && self.quiet_before(now) && idle
    }

    /// Notes that the bot has something to answer at `now`; whether it had
    /// nothing to answer in the [`BUSY_WITHIN`] before.
    fn quiet_before(&mut self, now: Instant) -> bool {
        let quiet = self
            .last_answer
            .is_none_or(|last| now.saturating_duration_since(last) >= BUSY_WITHIN);
        self.last_answer = Some(now);
        quiet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_first_answer_and_one_after_a_pause_find_the_bot_quiet() {
        let start = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.quiet_before(start));
        assert!(pace.quiet_before(start + ms(400)));
        assert!(pace.quiet_before(start + ms(400) + BUSY_WITHIN));
    }

    #[test]
    fn answers_in_quick_succession_find_the_bot_busy_until_it_falls_quiet() {
        let start = Instant::now();
        let mut pace = Pace::default();
        assert!(pace.quiet_before(start));
        assert!(!pace.quiet_before(start + ms(100)));
        assert!(
            !pace.quiet_before(start + ms(300)),
            "busy counts from the last answer"
        );
        assert!(pace.quiet_before(start + ms(300) + BUSY_WITHIN));
    }

    #[test]
    fn only_a_quiet_idle_bot_that_answered_holds_its_next_sync() {
        let start = Instant::now();
        let mut pace = Pace::default();
        assert!(!pace.holds(true, false, start), "nothing answered");
        assert!(!pace.holds(false, true, start), "replies still going out");
        assert!(
            !pace.holds(true, true, start + ms(100)),
            "the answer before counts, though it was not held"
        );
        assert!(pace.holds(true, true, start + ms(100) + BUSY_WITHIN));
    }
}
