//! Harness for the integration tests: a real Synapse, the bot as a
//! subprocess (so it can really be SIGKILLed), and matrix-sdk clients with
//! end-to-end encryption playing the team.
//!
//! Synapse: the one `scripts/test.sh` started (KERNTEAM_TEST_HOMESERVER and
//! friends), otherwise one installed and started here once per test binary
//! (target/synapse-cargo-test, port 18009) and stopped when the binary exits.

// Every test binary uses a part of this harness.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::{EncryptionInfo, RawAnySyncOrStrippedTimelineEvent};
use matrix_sdk::ruma::api::client::keys::claim_keys::v3::Request as ClaimKeys;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::reaction::{OriginalSyncReactionEvent, ReactionEventContent};
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::encrypted::OriginalSyncRoomEncryptedEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    FileMessageEventContent, MessageType, OriginalSyncRoomMessageEvent, Relation,
    RoomMessageEventContent,
};
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{
    DeviceId, EventId, MilliSecondsSinceUnixEpoch, OneTimeKeyAlgorithm, OwnedEventId, OwnedRoomId,
    OwnedUserId, RoomId, UserId, int,
};
use matrix_sdk::sync::Notification;
use matrix_sdk::{Client, Room, RoomMemberships, RoomState};
use tempfile::TempDir;

/// How long a reply may take before a test fails (debug builds on a busy
/// 2-core machine are slow; a healthy run answers in well under a second).
pub const PATIENCE: Duration = Duration::from_secs(45);

pub struct Homeserver {
    pub url: String,
    dir: PathBuf,
    script: PathBuf,
    /// Started by this test binary (not by scripts/test.sh): stopped by a
    /// watchdog when the binary exits.
    own: bool,
}

impl Homeserver {
    fn run(&self, command: &str) {
        let status = Command::new(&self.script)
            .args([command, self.dir.to_str().expect("utf-8 path")])
            .status()
            .expect("run scripts/synapse.sh");
        assert!(status.success(), "scripts/synapse.sh {command} failed");
    }

    /// Stops Synapse (an outage); every other test in the same binary
    /// sees it too, so such tests must not run alongside others.
    pub fn stop(&self) {
        self.run("stop");
    }

    /// Starts Synapse again after [`Homeserver::stop`], same database and port.
    pub fn start(&self) {
        self.run("start");
        if self.own {
            watch(&self.dir);
        }
    }
}

pub fn homeserver() -> &'static Homeserver {
    static HS: OnceLock<Homeserver> = OnceLock::new();
    HS.get_or_init(|| {
        if let (Ok(url), Ok(dir), Ok(script)) = (
            std::env::var("KERNTEAM_TEST_HOMESERVER"),
            std::env::var("KERNTEAM_TEST_SYNAPSE_DIR"),
            std::env::var("KERNTEAM_TEST_SYNAPSE"),
        ) {
            return Homeserver {
                url,
                dir: dir.into(),
                script: script.into(),
                own: false,
            };
        }
        start_own_synapse()
    })
}

fn start_own_synapse() -> Homeserver {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = repo.join("scripts/synapse.sh");
    let dir = repo.join("target/synapse-cargo-test");
    let run = |args: &[&str]| {
        let status = Command::new(&script)
            .args(args)
            .status()
            .expect("run scripts/synapse.sh");
        assert!(status.success(), "scripts/synapse.sh {args:?} failed");
    };
    run(&["install"]);
    let dir_s = dir.to_str().expect("utf-8 path");
    run(&["init", dir_s, "18009"]);
    // One left over from an aborted run would keep its old database.
    run(&["stop", dir_s]);
    for name in ["homeserver.db", "homeserver.db-wal", "homeserver.db-shm"] {
        let _ = fs::remove_file(dir.join(name));
    }
    run(&["start", dir_s]);
    watch(&dir);
    let url = String::from_utf8(
        Command::new(&script)
            .args(["url", dir_s])
            .output()
            .expect("synapse.sh url")
            .stdout,
    )
    .expect("utf-8")
    .trim()
    .to_string();
    Homeserver {
        url,
        dir,
        script,
        own: true,
    }
}

/// Stops the Synapse running from `dir` (by its PID, not via the pid file,
/// which the next run may already have rewritten) when this test binary
/// exits, however it exits: a detached watchdog that outlives this process.
fn watch(dir: &Path) {
    let pid = fs::read_to_string(dir.join("synapse.pid")).expect("synapse.pid");
    let watchdog = r#"while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
        if grep -q synapse.app.homeserver "/proc/$2/cmdline" 2>/dev/null; then kill -TERM "$2"; fi"#;
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"setsid sh -c "$0" watchdog "$1" "$2" </dev/null >/dev/null 2>&1 &"#)
        .arg(watchdog)
        .arg(std::process::id().to_string())
        .arg(pid.trim())
        .status()
        .expect("start the Synapse watchdog");
    assert!(status.success(), "starting the Synapse watchdog failed");
}

/// A fresh user (unique name per test run) and its password.
pub fn register(name: &str) -> (OwnedUserId, String) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let hs = homeserver();
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        % 1_000_000_000;
    let local = format!(
        "{name}-{stamp}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let password = format!("pw-{local}");
    let status = Command::new(&hs.script)
        .args(["register", hs.dir.to_str().unwrap(), &local, &password])
        .status()
        .expect("run synapse.sh register");
    assert!(status.success(), "registering {local} failed");
    (
        UserId::parse(format!("@{local}:localhost")).unwrap(),
        password,
    )
}

/// Polls `check` until it holds; panics with `what` after [`PATIENCE`].
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + PATIENCE;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A message as a team member's client shows it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub event_id: OwnedEventId,
    pub room: OwnedRoomId,
    pub sender: OwnedUserId,
    /// When the homeserver received it: a message decrypted late is seen
    /// out of order.
    pub sent: MilliSecondsSinceUnixEpoch,
    pub notice: bool,
    pub encrypted: bool,
    pub body: String,
    pub html: Option<String>,
    pub mentions: Vec<OwnedUserId>,
    /// An `m.file`: its content (name, media source, encryption keys).
    pub file: Option<FileMessageEventContent>,
    /// An edit (`m.replace`) of this earlier message.
    pub replaces: Option<OwnedEventId>,
    /// A reply (`m.in_reply_to`) to this message.
    pub in_reply_to: Option<OwnedEventId>,
}

/// A reaction as a team member's client sees it.
#[derive(Debug, Clone)]
pub struct Reacted {
    pub sender: OwnedUserId,
    pub target: OwnedEventId,
    pub key: String,
}

type Undecrypted = Arc<Mutex<Vec<(OwnedRoomId, Raw<OriginalSyncRoomEncryptedEvent>)>>>;

/// What a member's client shows once an event decrypts.
fn seen_of(ev: OriginalSyncRoomMessageEvent, room: &RoomId, encrypted: bool) -> Option<Seen> {
    let mut file = None;
    let (notice, body, html) = match &ev.content.msgtype {
        MessageType::Notice(n) => (
            true,
            n.body.clone(),
            n.formatted.as_ref().map(|f| f.body.clone()),
        ),
        MessageType::Text(t) => (
            false,
            t.body.clone(),
            t.formatted.as_ref().map(|f| f.body.clone()),
        ),
        MessageType::File(f) => {
            file = Some(f.clone());
            (false, f.body.clone(), None)
        }
        _ => return None,
    };
    let mentions = ev
        .content
        .mentions
        .as_ref()
        .map(|m| m.user_ids.iter().cloned().collect())
        .unwrap_or_default();
    let (replaces, in_reply_to) = match &ev.content.relates_to {
        Some(Relation::Replacement(r)) => (Some(r.event_id.clone()), None),
        Some(Relation::Reply(r)) => (None, Some(r.in_reply_to.event_id.clone())),
        _ => (None, None),
    };
    Some(Seen {
        event_id: ev.event_id,
        room: room.to_owned(),
        sender: ev.sender,
        sent: ev.origin_server_ts,
        notice,
        encrypted,
        body,
        html,
        mentions,
        file,
        replaces,
        in_reply_to,
    })
}

/// Decrypts what could not be decrypted on arrival, once its key is there.
struct Late {
    client: Client,
    undecrypted: Undecrypted,
    inbox: Arc<Mutex<Vec<Seen>>>,
    decrypted: Arc<AtomicU32>,
}

impl Late {
    async fn retry(&self) {
        let waiting = std::mem::take(&mut *self.undecrypted.lock().unwrap());
        for (room_id, raw) in waiting {
            let decrypted = match self.client.get_room(&room_id) {
                Some(room) => room.decrypt_event(&raw, None).await.ok(),
                None => None,
            };
            let message = decrypted
                .filter(|event| event.encryption_info().is_some())
                .map(|event| {
                    event
                        .raw()
                        .deserialize_as_unchecked::<AnySyncTimelineEvent>()
                });
            match message {
                Some(Ok(AnySyncTimelineEvent::MessageLike(
                    AnySyncMessageLikeEvent::RoomMessage(SyncMessageLikeEvent::Original(ev)),
                ))) => {
                    self.decrypted.fetch_add(1, Ordering::Relaxed);
                    if let Some(seen) = seen_of(ev, &room_id, true) {
                        self.inbox.lock().unwrap().push(seen);
                    }
                }
                Some(_) => {
                    self.decrypted.fetch_add(1, Ordering::Relaxed);
                }
                None => self.undecrypted.lock().unwrap().push((room_id, raw)),
            }
        }
    }
}

/// A team member: a logged-in client with encryption (it does not
/// cross-sign its device), syncing in the background.
pub struct Member {
    pub id: OwnedUserId,
    pub client: Client,
    inbox: Arc<Mutex<Vec<Seen>>>,
    reactions: Arc<Mutex<Vec<Reacted>>>,
    notified: Arc<Mutex<Vec<OwnedEventId>>>,
    undecrypted: Undecrypted,
    decrypted_late: Arc<AtomicU32>,
    sync: tokio::task::JoinHandle<()>,
    _store: TempDir,
}

impl Member {
    pub async fn new(name: &str) -> Member {
        let (id, password) = register(name);
        let store = TempDir::new().unwrap();
        let client = Client::builder()
            .homeserver_url(&homeserver().url)
            .sqlite_store(store.path(), None)
            .build()
            .await
            .unwrap();
        client
            .matrix_auth()
            .login_username(&id, &password)
            .initial_device_display_name(name)
            .send()
            .await
            .unwrap();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let sink = inbox.clone();
        client.add_event_handler(
            move |ev: OriginalSyncRoomMessageEvent,
                  room: Room,
                  encryption: Option<EncryptionInfo>| {
                if let Some(seen) = seen_of(ev, room.room_id(), encryption.is_some()) {
                    sink.lock().unwrap().push(seen);
                }
                std::future::ready(())
            },
        );
        // A message whose room key had not arrived yet: kept, and tried
        // again after every sync, as a member's own client would.
        let undecrypted = Arc::new(Mutex::new(Vec::new()));
        let sink = undecrypted.clone();
        client.add_event_handler(
            move |raw: Raw<OriginalSyncRoomEncryptedEvent>, room: Room| {
                sink.lock().unwrap().push((room.room_id().to_owned(), raw));
                std::future::ready(())
            },
        );
        let reactions = Arc::new(Mutex::new(Vec::new()));
        let sink = reactions.clone();
        client.add_event_handler(move |ev: OriginalSyncReactionEvent| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(Reacted {
                    sender: ev.sender,
                    target: ev.content.relates_to.event_id,
                    key: ev.content.relates_to.key,
                });
            }
        });
        // What would make this member's phone ring: the homeserver's push
        // rules, applied by the client to the decrypted event.
        let notified = Arc::new(Mutex::new(Vec::new()));
        let sink = notified.clone();
        client
            .register_notification_handler(move |n: Notification, _: Room, _: Client| {
                if let RawAnySyncOrStrippedTimelineEvent::Sync(raw) = &n.event
                    && let Ok(Some(id)) = raw.get_field::<OwnedEventId>("event_id")
                {
                    sink.lock().unwrap().push(id);
                }
                std::future::ready(())
            })
            .await;
        client.sync_once(SyncSettings::default()).await.unwrap();
        let late = Late {
            client: client.clone(),
            undecrypted: undecrypted.clone(),
            inbox: inbox.clone(),
            decrypted: Arc::new(AtomicU32::new(0)),
        };
        let decrypted_late = late.decrypted.clone();
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            loop {
                let settings = SyncSettings::default().timeout(Duration::from_secs(10));
                if syncing.sync_once(settings).await.is_err() {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                late.retry().await;
            }
        });
        Member {
            id,
            client,
            inbox,
            reactions,
            notified,
            undecrypted,
            decrypted_late,
            sync,
            _store: store,
        }
    }

    /// Whether this member's client notified them of `event` (their phone
    /// would ring or show it).
    pub fn was_notified_of(&self, event: &EventId) -> bool {
        self.notified.lock().unwrap().iter().any(|e| e == event)
    }

    /// Messages this client has not been able to decrypt (yet).
    pub fn undecryptable(&self) -> usize {
        self.undecrypted.lock().unwrap().len()
    }

    /// Messages this client could decrypt only after a later sync brought
    /// their room key.
    pub fn decrypted_late(&self) -> u32 {
        self.decrypted_late.load(Ordering::Relaxed)
    }

    pub fn room(&self, room: &RoomId) -> Room {
        self.client.get_room(room).expect("member knows the room")
    }

    /// Sends a plain text message.
    pub async fn say(&self, room: &RoomId, text: &str) -> OwnedEventId {
        self.send(room, RoomMessageEventContent::text_plain(text))
            .await
    }

    /// Sends a message with HTML (e.g. a mention pill), as Element does.
    pub async fn say_html(&self, room: &RoomId, plain: &str, html: &str) -> OwnedEventId {
        self.send(room, RoomMessageEventContent::text_html(plain, html))
            .await
    }

    async fn send(&self, room: &RoomId, content: RoomMessageEventContent) -> OwnedEventId {
        self.room(room)
            .send(content)
            .await
            .unwrap()
            .response
            .event_id
    }

    /// Reacts to `event` with `key`, as a client's reaction button does.
    pub async fn react(&self, room: &RoomId, event: &EventId, key: &str) -> OwnedEventId {
        let content = ReactionEventContent::new(Annotation::new(event.to_owned(), key.into()));
        self.room(room)
            .send(content)
            .await
            .unwrap()
            .response
            .event_id
    }

    /// Removes an event of one's own, such as a reaction.
    pub async fn redact(&self, room: &RoomId, event: &EventId) {
        self.room(room).redact(event, None, None).await.unwrap();
    }

    /// The room's pinned events, as the homeserver has them now.
    pub async fn pinned(&self, room: &RoomId) -> Vec<OwnedEventId> {
        self.room(room)
            .load_pinned_events()
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// The bot's one device, as the homeserver lists it now: restarts must
    /// not make it a new device, which would break encryption for the room.
    pub async fn only_device_of(&self, bot: &UserId) -> matrix_sdk::encryption::identities::Device {
        let encryption = self.client.encryption();
        // Asks the homeserver rather than trusting the local store, which
        // knows the bot's devices only once this client's sync has queried them.
        encryption.request_user_identity(bot).await.unwrap();
        let devices = encryption.get_user_devices(bot).await.unwrap();
        assert_eq!(
            devices.devices().count(),
            1,
            "the bot came back as a new device"
        );
        devices.devices().next().unwrap()
    }

    /// Claims one one-time key of `user`'s `device`, as a device that starts
    /// an encrypted session with it does: true if it got a one-time key,
    /// false if the device had none left and the homeserver handed out its
    /// reusable fallback key instead.
    pub async fn claims_a_one_time_key(&self, user: &UserId, device: &DeviceId) -> bool {
        let wanted = BTreeMap::from([(
            user.to_owned(),
            BTreeMap::from([(device.to_owned(), OneTimeKeyAlgorithm::SignedCurve25519)]),
        )]);
        let response = self.client.send(ClaimKeys::new(wanted)).await.unwrap();
        let key = response
            .one_time_keys
            .get(user)
            .and_then(|devices| devices.get(device))
            .and_then(|keys| keys.values().next())
            .expect("the homeserver handed out no key at all");
        !key.get_field::<bool>("fallback").unwrap().unwrap_or(false)
    }

    /// The reactions this client has seen so far.
    pub fn reactions(&self) -> Vec<Reacted> {
        self.reactions.lock().unwrap().clone()
    }

    /// How many messages this client has seen so far: a mark to wait from.
    pub fn mark(&self) -> usize {
        self.inbox.lock().unwrap().len()
    }

    /// Everything seen after `mark`.
    pub fn seen_since(&self, mark: usize) -> Vec<Seen> {
        self.inbox.lock().unwrap()[mark..].to_vec()
    }

    /// The first message from `bot` in `room` after `mark` that contains
    /// `text` (edits of earlier messages and files do not count).
    pub async fn message_containing(
        &self,
        room: &RoomId,
        bot: &UserId,
        mark: usize,
        text: &str,
    ) -> Seen {
        let mut found = None;
        eventually(
            &format!("{} sees a bot message containing {text:?}", self.id),
            || {
                found = self.seen_since(mark).into_iter().find(|s| {
                    s.file.is_none()
                        && s.replaces.is_none()
                        && s.sender == bot
                        && s.room == room
                        && s.body.contains(text)
                });
                std::future::ready(found.is_some())
            },
        )
        .await;
        found.unwrap()
    }

    /// Sends a command and returns the bot's reply.
    pub async fn command(&self, room: &RoomId, bot: &UserId, text: &str) -> Seen {
        let sent = self.say(room, text).await;
        self.reply_to(room, bot, &sent).await
    }

    /// The bot's first message after `message` in this client's timeline:
    /// its reply (a late reply to an earlier command comes before `message`).
    /// Logboek anchors ("⚓ …", posted after some replies), the living
    /// sitrap ("🧭 …", posted after the reply to `!incident open`, perhaps
    /// after the next command), files and edits of earlier messages are not
    /// replies.
    pub async fn reply_to(&self, room: &RoomId, bot: &UserId, message: &EventId) -> Seen {
        let mut found = None;
        eventually(
            &format!("{} sees the bot's reply to {message}", self.id),
            || {
                let seen = self.seen_since(0);
                found = seen
                    .iter()
                    .position(|s| s.event_id == message)
                    .and_then(|at| {
                        seen[at..].iter().find(|s| {
                            s.file.is_none()
                                && s.replaces.is_none()
                                && s.sender == bot
                                && s.room == room
                                && !s.body.starts_with("⚓")
                                && !s.body.starts_with("🧭")
                        })
                    })
                    .cloned();
                std::future::ready(found.is_some())
            },
        )
        .await;
        found.unwrap()
    }

    /// Waits until this client sees each user as joined to the room, so that
    /// its messages are encrypted for their devices too.
    pub async fn sees_joined(&self, room: &RoomId, users: &[&UserId]) {
        eventually(&format!("{} sees {users:?} joined", self.id), || async {
            let Some(room) = self.client.get_room(room) else {
                return false;
            };
            let Ok(members) = room.members_no_sync(RoomMemberships::JOIN).await else {
                return false;
            };
            users
                .iter()
                .all(|u| members.iter().any(|m| m.user_id() == *u))
        })
        .await;
    }

    /// Creates an end-to-end encrypted private room (as Element does) and invites `invitees`.
    pub async fn create_encrypted_room(&self, invitees: &[&UserId]) -> OwnedRoomId {
        self.create_room(invitees, true).await
    }

    pub async fn create_room(&self, invitees: &[&UserId], encrypted: bool) -> OwnedRoomId {
        let mut request = CreateRoom::new();
        request.preset = Some(RoomPreset::PrivateChat);
        request.name = Some("Kernteam (test)".to_string());
        request.invite = invitees.iter().map(|u| (*u).to_owned()).collect();
        if encrypted {
            request.initial_state = vec![
                InitialStateEvent::with_empty_state_key(
                    RoomEncryptionEventContent::with_recommended_defaults(),
                )
                .to_raw_any(),
            ];
        }
        let room = self.client.create_room(request).await.unwrap();
        room.room_id().to_owned()
    }

    pub async fn join(&self, room: &RoomId) {
        self.client.join_room_by_id(room).await.unwrap();
    }

    pub async fn membership_of(
        &self,
        room: &RoomId,
        user: &UserId,
    ) -> Option<matrix_sdk::ruma::events::room::member::MembershipState> {
        let room = self.client.get_room(room)?;
        if room.state() != RoomState::Joined {
            return None;
        }
        let member = room.get_member_no_sync(user).await.ok()??;
        Some(member.membership().clone())
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

/// The bot as a subprocess with its own account and data directory.
pub struct Bot {
    pub id: OwnedUserId,
    pub password: String,
    dir: TempDir,
    child: Option<Child>,
}

impl Bot {
    /// Registers the bot's account and writes its config; `extra` is
    /// appended to bot.toml (e.g. `allowed_inviters = [...]`).
    pub fn new(extra: &str) -> Bot {
        let (id, password) = register("bot");
        let dir = TempDir::new().unwrap();
        fs::write(dir.path().join("bot.password"), format!("{password}\n")).unwrap();
        fs::write(
            dir.path().join("bot.toml"),
            format!(
                "homeserver = {:?}\nuser = \"{id}\"\npassword_file = \"bot.password\"\ndata_dir = \"data\"\n{extra}\n",
                homeserver().url
            ),
        )
        .unwrap();
        Bot {
            id,
            password,
            dir,
            child: None,
        }
    }

    pub fn start(&mut self) {
        assert!(self.child.is_none(), "bot already running");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_kernteam-bot"))
            .args(["run", "--config"])
            .arg(self.dir.path().join("bot.toml"))
            .env("RUST_LOG", "warn,kernteam_bot=debug")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start the bot");
        self.child = Some(child);
    }

    /// SIGKILL: no chance to clean up, like a crash or `kill -9`.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("bot.log")
    }

    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = fs::File::open(self.log_path()) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            let log = self.log();
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            eprintln!("--- last lines of the bot's log ---");
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
        }
    }
}

/// A chair (room creator, so power level ≥ 50), `others` as ordinary
/// members, and the bot, together in an encrypted room; everyone's client
/// sees everyone joined. The bot is started if not running.
pub struct Team {
    pub room: OwnedRoomId,
    pub chair: Member,
    pub others: Vec<Member>,
}

impl Team {
    /// The chair, `others` and the bot in an encrypted room, the bot as
    /// moderator so that it may pin its sitrap.
    pub async fn new(bot: &mut Bot, others: &[&str]) -> Team {
        Self::assemble(bot, others, true).await
    }

    /// As `new`, but the bot keeps the level of any invited member (0).
    pub async fn with_unprivileged_bot(bot: &mut Bot, others: &[&str]) -> Team {
        Self::assemble(bot, others, false).await
    }

    async fn assemble(bot: &mut Bot, others: &[&str], bot_moderates: bool) -> Team {
        let chair = Member::new("voorzitter").await;
        let mut members = Vec::new();
        for name in others {
            members.push(Member::new(name).await);
        }
        if bot.child.is_none() {
            bot.start();
        }
        let mut invitees: Vec<&UserId> = members.iter().map(|m| &*m.id).collect();
        invitees.push(&bot.id);
        let room = chair.create_encrypted_room(&invitees).await;
        // The room's state arrives with the chair's next sync.
        if bot_moderates {
            eventually("the chair makes the bot moderator", || async {
                chair
                    .room(&room)
                    .update_power_levels(vec![(&bot.id, int!(50))])
                    .await
                    .is_ok()
            })
            .await;
        }
        for m in &members {
            m.join(&room).await;
        }
        let mut everyone: Vec<&UserId> = invitees.clone();
        everyone.push(&chair.id);
        chair.sees_joined(&room, &everyone).await;
        for m in &members {
            m.sees_joined(&room, &everyone).await;
        }
        Team {
            room,
            chair,
            others: members,
        }
    }
}

/// An HTML mention pill, as Element writes it.
pub fn pill(user: &UserId, name: &str) -> String {
    format!("<a href=\"https://matrix.to/#/{user}\">{name}</a>")
}
