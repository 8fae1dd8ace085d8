//! The Matrix adapter: room events in, engine replies out. It translates and
//! delivers; every decision about incidents, roles and phases is the core's.
//!
//! - Its own `/sync` loop (not `Client::sync`, which sleeps up to a second
//!   between responses, so a busy room would wait on every command), with
//!   backoff only on errors, forever. Commands in rooms whose state a
//!   response leaves alone are handled before the SDK stores it
//!   (`early.rs`). Pipelined: the next long-poll starts as soon as those are
//!   handled (and, if the bot was idle, their replies sent), before the SDK
//!   stores the response and the rest of it is handled.
//! - Exactly once: the engine records each command's event ID with its state
//!   change and replies (outbox) in one transaction; a reply goes out once
//!   that is on disk (one flush for a group of commits, `flusher.rs`). The
//!   sync token the loop resumes from is saved only after a response's
//!   commands are recorded and on disk, so commands that arrived while the
//!   bot was down come again after a restart (gaps in a room's timeline are
//!   paginated back); replies are sent with the outbox item's transaction
//!   ID, which the homeserver deduplicates.
//! - Commands older than the catch-up window are not executed; they get one
//!   notice. Nothing sent before the bot joined a room is executed.

mod early;
mod effects;
mod flusher;
mod members;
mod message;
mod outbox;
mod pace;
mod reactions;
mod session;
mod undecrypted;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use futures_util::StreamExt;
use matrix_sdk::config::{SyncSettings, SyncToken};
use matrix_sdk::deserialized_responses::{
    RawSyncOrStrippedState, TimelineEvent, TimelineEventKind,
};
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::{
    Filter as EventFilter, FilterDefinition, RoomEventFilter, RoomFilter,
};
use matrix_sdk::ruma::api::client::sync::sync_events::v3::{self as sync_events, Filter};
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::events::room::member::RoomMemberEventContent;
use matrix_sdk::ruma::events::room::message::{
    MessageFormat, MessageType, OriginalSyncRoomMessageEvent, Relation,
};
use matrix_sdk::ruma::events::room::redaction::SyncRoomRedactionEvent;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
};
use matrix_sdk::ruma::{
    MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedRoomId, OwnedUserId, RoomId, UInt, int,
};
use matrix_sdk::sync::SyncResponse;
use matrix_sdk::{Client, Room};
use tokio::task::{JoinHandle, block_in_place};
use tracing::{Instrument, debug, debug_span, error, info, warn};

use crate::config::Config;
use crate::core::Outcome;
use crate::engine::{Engine, Handled, Incoming};
use crate::scheduler;
use crate::store::seen;
pub use session::DataDir;

use self::outbox::Outbox;
use self::pace::{MEMBERS_FIRST, Pace, REPLIES_FIRST};
use self::undecrypted::Undecrypted;

/// Where the loop resumes: the token after the last response whose commands
/// are recorded (kept in the SDK's store, next to its own sync state).
const SYNC_TOKEN_KEY: &[u8] = b"kernteam-bot/sync-token";
/// The long-poll: the homeserver answers at once when something happens.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);
const JOIN_ATTEMPTS: u32 = 8;
/// How long a crashed scheduler waits before it starts again.
const SCHEDULER_RESTART: Duration = Duration::from_secs(5);

/// Runs the bot until a fatal error (a rejected session); homeserver
/// outages are waited out.
pub async fn run(config: Config, dir: DataDir, engine: Engine) -> anyhow::Result<()> {
    let client = session::connect(&config, &dir).await?;
    let engine = Arc::new(engine);
    let bot = Arc::new(Bot {
        own: client.user_id().context("client without user")?.to_owned(),
        outbox: Outbox::start(client.clone(), engine.clone()),
        undecrypted: Undecrypted::load(&client).await?,
        client,
        engine,
        config,
    });
    // Subscribed before the first sync, so no key that arrives in it is missed.
    let room_keys = bot
        .client
        .encryption()
        .room_keys_received_stream()
        .await
        .context("end-to-end encryption is not set up")?;
    tokio::spawn(bot.clone().retry_undecrypted(room_keys));
    let recovery_client = bot.client.clone();
    tokio::spawn(async move {
        if let Err(e) = session::ensure_recovery(&recovery_client, &dir).await {
            error!("recovery setup failed: {e:#}");
        }
    });
    bot.sync_forever().await
}

struct Bot {
    client: Client,
    own: OwnedUserId,
    engine: Arc<Engine>,
    config: Config,
    outbox: Arc<Outbox>,
    undecrypted: Undecrypted,
}

impl Bot {
    async fn sync_forever(self: &Arc<Self>) -> anyhow::Result<()> {
        // The token the response being handled started from: saved only
        // after that response's commands are recorded.
        let mut since = self.saved_token().await?;
        let mut first = true;
        let mut backoff = Backoff::new();
        let mut pace = Pace::default();
        let mut next = self.start_sync(since.clone());
        loop {
            let started = Instant::now();
            let raw = match next.await? {
                Ok(raw) => raw,
                Err(e) => {
                    if matches!(
                        e.client_api_error_kind(),
                        Some(ErrorKind::UnknownToken { .. })
                    ) {
                        return Err(e)
                            .context("the homeserver no longer accepts the bot's session");
                    }
                    warn!("sync failed, retrying in {:?}: {e}", backoff.next);
                    backoff.wait().await;
                    next = self.start_sync(since.clone());
                    continue;
                }
            };
            let span = debug_span!("sync_response", waited = ?started.elapsed());
            let early = self
                .answer_early(&raw, first, &mut pace)
                .instrument(span.clone())
                .await;
            // Pipelining: the next long-poll is already waiting at the
            // homeserver while the rest of this response is handled, so a
            // command sent meanwhile comes back at once.
            next = self.start_sync(Some(raw.next_batch.clone()));
            let token = raw.next_batch.clone();
            if let Err(e) = self
                .handle_response(raw, since.as_deref(), &mut first, early)
                .instrument(span)
                .await
            {
                // The token stays: the same events come again and the
                // recorded event IDs keep them from being handled twice. The
                // long-poll under way is dropped unstored.
                warn!(
                    "handling a sync response failed, retrying in {:?}: {e:#}",
                    backoff.next
                );
                backoff.wait().await;
                next = self.start_sync(since.clone());
                continue;
            }
            backoff = Backoff::new();
            self.outbox.durable().await;
            self.client
                .state_store()
                .set_custom_value_no_read(SYNC_TOKEN_KEY, token.clone().into_bytes())
                .await?;
            since = Some(token);
        }
    }

    /// Handles what may go early in a response (`early.rs`). If the bot was
    /// idle, and quiet for a while, and answered, its replies land before it
    /// listens again (for at most [`REPLIES_FIRST`]), and then
    /// [`MEMBERS_FIRST`] passes (`pace.rs` says why).
    async fn answer_early(
        self: &Arc<Self>,
        raw: &sync_events::Response,
        first: bool,
        pace: &mut Pace,
    ) -> HashSet<OwnedEventId> {
        // Not before the first response is stored: replies left in the
        // outbox by the last run go out first (`after_first_sync`).
        if first {
            return HashSet::new();
        }
        let idle = self.outbox.is_idle();
        let early = self.handle_early(raw).await;
        let answering = !self.outbox.is_idle();
        if pace.holds(idle, answering, Instant::now()) && self.outbox.settled(REPLIES_FIRST).await {
            tokio::time::sleep(MEMBERS_FIRST).await;
        }
        early
    }

    /// One response after its early part: the SDK stores it, then the rest
    /// is handled.
    async fn handle_response(
        self: &Arc<Self>,
        raw: sync_events::Response,
        since: Option<&str>,
        first: &mut bool,
        early: HashSet<OwnedEventId>,
    ) -> anyhow::Result<()> {
        let response = self
            .client
            .process_sync_response(raw)
            .await
            .context("storing the response")?;
        if *first {
            self.after_first_sync().await?;
            *first = false;
        }
        self.handle_sync(&response, since, &early).await
    }

    /// One long-poll from `token`, under way until its response is awaited;
    /// the response is not stored yet (`Client::process_sync_response`).
    fn start_sync(
        &self,
        token: Option<String>,
    ) -> JoinHandle<matrix_sdk::Result<sync_events::Response>> {
        let settings = SyncSettings::default()
            .filter(self.sync_filter())
            .timeout(SYNC_TIMEOUT)
            .token(match token {
                Some(t) => SyncToken::Specific(t),
                // Not the SDK's token: that one may be past unhandled commands.
                None => SyncToken::NoToken,
            });
        let client = self.client.clone();
        tokio::spawn(async move { client.sync_request(settings).await })
    }

    /// Replies that were committed but not confirmed sent before a crash go
    /// out first (rooms are known after the first sync); then the scheduler
    /// starts (reminders that fell due while the bot was down go out once,
    /// marked late) and the rooms' members are read.
    async fn after_first_sync(&self) -> anyhow::Result<()> {
        for item in self.engine.store().pending_outbox()? {
            self.outbox.push(item);
        }
        let (engine, outbox) = (self.engine.clone(), self.outbox.clone());
        let send = move |item| {
            outbox.push(item);
            std::future::ready(())
        };
        tokio::spawn(async move {
            scheduler::supervise("the scheduler", SCHEDULER_RESTART, move || {
                scheduler::run(engine.clone(), send.clone())
            })
            .await;
        });
        if let Err(e) = members::refresh_all(&self.engine, &self.client).await {
            warn!("reading the rooms' members failed: {e:#}");
        }
        Ok(())
    }

    /// Only what the bot acts on, so that nothing else wakes it up and keeps
    /// it busy when a command arrives: no typing notices, receipts, presence
    /// or room account data. The timeline keeps every type: besides messages
    /// the bot acts on reactions (`m.reaction`, encrypted as
    /// `m.room.encrypted` in an encrypted room) and their removal
    /// (`m.room.redaction`), and it needs state events (members, power
    /// levels, pinned events). Its own messages come back too (and are
    /// skipped): leaving them out with `not_senders` made Synapse answer each
    /// command's sync about 5 ms later, more than handling the echo costs.
    fn sync_filter(&self) -> Filter {
        let mut room = RoomFilter::default();
        room.ephemeral = RoomEventFilter::ignore_all();
        room.account_data = RoomEventFilter::ignore_all();
        let mut filter = FilterDefinition::default();
        filter.room = room;
        filter.presence = EventFilter::ignore_all();
        Filter::FilterDefinition(filter)
    }

    async fn saved_token(&self) -> anyhow::Result<Option<String>> {
        let bytes = self
            .client
            .state_store()
            .get_custom_value(SYNC_TOKEN_KEY)
            .await?;
        Ok(bytes.map(String::from_utf8).transpose()?)
    }

    async fn handle_sync(
        self: &Arc<Self>,
        response: &SyncResponse,
        since: Option<&str>,
        early: &HashSet<OwnedEventId>,
    ) -> anyhow::Result<()> {
        for room_id in response.rooms.invited.keys() {
            self.on_invite(room_id).await;
        }
        // Rooms the bot left: it no longer knows who is there.
        for room_id in response.rooms.left.keys() {
            self.engine.forget_members(room_id.as_str());
        }
        for (room_id, update) in &response.rooms.joined {
            let Some(room) = self.client.get_room(room_id) else {
                continue;
            };
            if !self.engine.knows_members(room_id.as_str()) || members::changed(update) {
                members::refresh(&self.engine, &room).await?;
            }
            let timeline = &update.timeline;
            if timeline.limited
                && let (Some(from), Some(to)) = (&timeline.prev_batch, since)
            {
                for event in self.missed(&room, from, to).await? {
                    self.on_event(&room, &event).await?;
                }
            }
            for event in &timeline.events {
                if !event.event_id().is_some_and(|id| early.contains(&id)) {
                    self.on_event(&room, event).await?;
                }
            }
        }
        Ok(())
    }

    /// The events a limited (gappy) timeline left out: everything between
    /// the previous sync token and the timeline's start, oldest first, but
    /// nothing from before the bot joined.
    async fn missed(
        &self,
        room: &Room,
        from: &str,
        to: &str,
    ) -> anyhow::Result<Vec<TimelineEvent>> {
        let joined = self.joined_at(room).await?;
        let mut events = Vec::new();
        let mut from = from.to_string();
        loop {
            let mut options = MessagesOptions::backward().from(from.as_str());
            options.to = Some(to.to_string());
            options.limit = UInt::from(100u32);
            let page = room.messages(options).await?;
            let reached_join = page
                .chunk
                .last()
                .and_then(TimelineEvent::timestamp)
                .is_some_and(|ts| joined.is_none_or(|j| message::to_datetime(ts) < j));
            let empty = page.chunk.is_empty();
            events.extend(page.chunk);
            match page.end {
                Some(end) if !empty && !reached_join => from = end,
                _ => break,
            }
        }
        events.reverse();
        debug!(room = %room.room_id(), count = events.len(), "paginated a timeline gap");
        Ok(events)
    }

    async fn on_event(self: &Arc<Self>, room: &Room, event: &TimelineEvent) -> anyhow::Result<()> {
        if event.sender().as_deref() == Some(&*self.own) {
            return Ok(());
        }
        if let TimelineEventKind::UnableToDecrypt { event: raw, .. } = &event.kind {
            // Keys of messages from before the bot joined never come.
            let joined = self.joined_at(room).await?;
            let sent = event.timestamp().map(message::to_datetime);
            if sent.is_some_and(|s| joined.is_some_and(|j| s >= j)) {
                debug!(room = %room.room_id(), "cannot decrypt an event yet");
                self.undecrypted
                    .keep(&self.client, room.room_id(), raw)
                    .await?;
            }
            return Ok(());
        }
        let Ok(AnySyncTimelineEvent::MessageLike(event)) = event.raw().deserialize() else {
            return Ok(());
        };
        match event {
            AnySyncMessageLikeEvent::RoomMessage(SyncMessageLikeEvent::Original(msg)) => {
                self.on_message(room, &msg).await
            }
            AnySyncMessageLikeEvent::Reaction(SyncMessageLikeEvent::Original(reaction)) => {
                self.on_reaction(room, &reaction).await
            }
            AnySyncMessageLikeEvent::RoomRedaction(SyncRoomRedactionEvent::Original(redaction)) => {
                self.on_redaction(room, &redaction).await
            }
            _ => Ok(()),
        }
    }

    async fn on_message(
        &self,
        room: &Room,
        msg: &OriginalSyncRoomMessageEvent,
    ) -> anyhow::Result<()> {
        // Only what people type: m.notice is for bots (this one included).
        let MessageType::Text(text) = &msg.content.msgtype else {
            return Ok(());
        };
        if matches!(msg.content.relates_to, Some(Relation::Replacement(_))) {
            return Ok(());
        }
        let html = text
            .formatted
            .as_ref()
            .filter(|f| f.format == MessageFormat::Html)
            .map(|f| f.body.as_str());
        let body = message::command_text(&text.body, html);
        if self.engine.core().command_line(&body).is_none() {
            return Ok(());
        }
        let sent = message::to_datetime(msg.origin_server_ts);
        let now = Utc::now();
        if seen::is_too_old(sent, now) {
            debug!(event = %msg.event_id, "older than the store remembers handled events; ignored");
            return Ok(());
        }
        let started = Instant::now();
        debug!(age_ms = (now - sent).num_milliseconds(), event = %msg.event_id, "command received");
        // Two store reads, at once: they are on every command's path.
        let (joined, level) =
            tokio::join!(self.joined_at(room), room.get_user_power_level(&msg.sender));
        match joined? {
            Some(joined) if sent >= joined => {}
            _ => {
                debug!(event = %msg.event_id, "sent before the bot joined; ignored");
                return Ok(());
            }
        }
        let room_id = room.room_id().as_str();
        let event_id = msg.event_id.as_str();
        let window = chrono::Duration::from_std(self.config.catch_up)?;
        let items = if now - sent > window {
            let notice = message::too_late(&body, msg.sender.as_str(), sent, window, now);
            let outcome = Outcome {
                lane: Some(msg.sender.to_string()),
                ..Outcome::reply(notice)
            };
            info!(event = %msg.event_id, "command arrived after the catch-up window; not executed");
            block_in_place(|| {
                self.engine
                    .store()
                    .apply(room_id, Some(event_id), &outcome, now)
            })?
            .unwrap_or_default()
        } else {
            // Room creators (room version 12) have an infinite level.
            let moderator = match level {
                Ok(level) => level >= int!(50),
                Err(e) => {
                    warn!(room = %room_id, "power levels unknown, sender counts as no moderator: {e}");
                    false
                }
            };
            let handled = block_in_place(|| {
                self.engine.handle(&Incoming {
                    room: room_id,
                    sender: msg.sender.as_str(),
                    sender_is_moderator: moderator,
                    body: &body,
                    event_id: Some(event_id),
                    // The sender's time (deadlines like "over 2 uur" count
                    // from when it was typed), never ahead of the clock.
                    now: sent.min(now),
                })
            })?;
            match handled {
                Handled::Replies(items) => items,
                Handled::NotACommand | Handled::AlreadyHandled | Handled::Ignored => Vec::new(),
            }
        };
        debug!(elapsed = ?started.elapsed(), replies = items.len(), "command recorded");
        for item in items {
            self.outbox.push(item);
        }
        Ok(())
    }

    /// When the bot (last) joined: the timestamp of its own member event.
    async fn joined_at(&self, room: &Room) -> anyhow::Result<Option<chrono::DateTime<Utc>>> {
        let event = room
            .get_state_event_static_for_key::<RoomMemberEventContent, _>(&self.own)
            .await?;
        Ok(match event {
            Some(RawSyncOrStrippedState::Sync(raw)) => raw
                .get_field::<MilliSecondsSinceUnixEpoch>("origin_server_ts")?
                .map(message::to_datetime),
            _ => None,
        })
    }

    async fn on_invite(self: &Arc<Self>, room_id: &RoomId) {
        let Some(room) = self.client.get_room(room_id) else {
            return;
        };
        let inviter = match room.invite_details().await {
            Ok(invite) => invite.inviter_id,
            Err(e) => {
                warn!(room = %room_id, "cannot read invite: {e}");
                return;
            }
        };
        if !self.config.may_invite(&inviter) {
            info!(room = %room_id, %inviter, "declining invite from someone not in allowed_inviters");
            if let Err(e) = room.leave().await {
                warn!(room = %room_id, "declining the invite failed: {e}");
            }
            return;
        }
        info!(room = %room_id, %inviter, "invited; joining");
        let bot = self.clone();
        let room_id: OwnedRoomId = room_id.to_owned();
        // The homeserver may not be ready for the join right after the
        // invite; retry in the background so the sync loop goes on.
        tokio::spawn(async move {
            let mut backoff = Backoff::new();
            for attempt in 1..=JOIN_ATTEMPTS {
                match bot.client.join_room_by_id(&room_id).await {
                    Ok(_) => return info!(room = %room_id, "joined"),
                    Err(e) => warn!(room = %room_id, attempt, "join failed: {e}"),
                }
                backoff.wait().await;
            }
            error!(room = %room_id, "giving up joining after {JOIN_ATTEMPTS} attempts");
        });
    }

    /// Handles commands whose room key arrived late: tried again whenever
    /// room keys arrive, and every half minute in case a key came in
    /// between a failed decryption and the event being kept.
    async fn retry_undecrypted(self: Arc<Self>, room_keys: impl futures_util::Stream) {
        let mut room_keys = std::pin::pin!(room_keys);
        loop {
            let decrypted = self
                .undecrypted
                .decrypt_now(|kept: undecrypted::Kept| {
                    let room = self.client.get_room(&kept.room);
                    async move {
                        let room = room?;
                        let event = room.decrypt_event(&kept.event, None).await.ok()?;
                        (!event.kind.is_utd()).then_some((room, event))
                    }
                })
                .await;
            if !decrypted.is_empty() {
                for (room, event) in decrypted {
                    if let Err(e) = self.on_event(&room, &event).await {
                        error!(room = %room.room_id(), "handling a late-decrypted event failed: {e:#}");
                    }
                }
                if let Err(e) = self.undecrypted.save(&self.client).await {
                    warn!("cannot save the list of undecrypted events: {e:#}");
                }
            }
            tokio::select! {
                keys = room_keys.next() => if keys.is_none() { return },
                () = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
    }
}

/// Exponential backoff from half a second up to ten seconds: after an
/// outage of the homeserver the team waits at most that long for the bot.
struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(500);
    const MAX: Duration = Duration::from_secs(10);

    fn new() -> Backoff {
        Backoff { next: Self::FIRST }
    }

    async fn wait(&mut self) {
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(Self::MAX);
    }
}
