//! The bot's configuration file (`run --config bot.toml`); every key is
//! documented in `config.example.toml`.
//!
//! Secrets (password, access token, store passphrase) come from the file
//! itself, an environment variable (`*_env`) or a file of their own
//! (`*_file`). They are wrapped in [`Secret`], whose `Debug` never shows them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use matrix_sdk::ruma::{OwnedServerName, OwnedUserId, ServerName, UserId};
use serde::Deserialize;

use crate::chain::LogKey;

/// A value that must never end up in a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// How the bot proves who it is the first time it starts (later starts
/// restore the session saved in the data directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Password(Secret),
    /// A token of a device that belongs to the bot alone.
    AccessToken(Secret),
}

/// Who may invite the bot into a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inviter {
    User(OwnedUserId),
    /// Everyone on this homeserver.
    Server(OwnedServerName),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub homeserver: String,
    pub user: OwnedUserId,
    pub auth: Auth,
    /// Passphrase of the Matrix SQLite store; `None`: generated once into the data directory.
    pub store_passphrase: Option<Secret>,
    pub data_dir: PathBuf,
    pub prefix: String,
    pub allowed_inviters: Vec<Inviter>,
    /// Commands older than this when the bot sees them are not executed.
    pub catch_up: Duration,
    /// Share room keys only with devices their owner has verified (cross-signed).
    pub only_verified_devices: bool,
    /// A team's own draaiboek that overrides parts of the built-in one.
    pub draaiboek: Option<PathBuf>,
    /// Keys the logboek's hash chain (HMAC); read from a file outside data_dir.
    pub log_key: Option<LogKey>,
    /// Commands per sender within the flood window (see `flood`).
    pub flood_limit: usize,
}

impl Config {
    pub fn may_invite(&self, inviter: &UserId) -> bool {
        self.allowed_inviters.iter().any(|allowed| match allowed {
            Inviter::User(user) => user == inviter,
            Inviter::Server(server) => server == inviter.server_name(),
        })
    }

    /// Reads and checks a config file; relative paths in it are relative to
    /// the file's directory.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, base, |name| std::env::var(name).ok())
            .with_context(|| format!("config {}", path.display()))
    }

    /// `env` looks up an environment variable (a parameter so tests need not
    /// touch the process environment).
    pub fn parse(
        text: &str,
        base: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| anyhow!(toml_error(&e, text)))?;
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };

        let password = secret(
            "password",
            raw.password,
            raw.password_env,
            raw.password_file,
            &env,
            &resolve,
        )?;
        let token = secret(
            "access_token",
            raw.access_token,
            raw.access_token_env,
            raw.access_token_file,
            &env,
            &resolve,
        )?;
        let auth = match (password, token) {
            (Some(p), None) => Auth::Password(p),
            (None, Some(t)) => Auth::AccessToken(t),
            (None, None) => {
                bail!("set a password or an access_token (or their _env/_file variants)")
            }
            (Some(_), Some(_)) => bail!("set either a password or an access_token, not both"),
        };
        let store_passphrase = secret(
            "store_passphrase",
            raw.store_passphrase,
            raw.store_passphrase_env,
            raw.store_passphrase_file,
            &env,
            &resolve,
        )?;

        let user = UserId::parse(&raw.user)
            .with_context(|| format!("user {:?} is no Matrix user ID (@name:server)", raw.user))?;
        let allowed_inviters = raw
            .allowed_inviters
            .iter()
            .map(|entry| {
                if entry.starts_with('@') {
                    UserId::parse(entry).map(Inviter::User)
                } else {
                    ServerName::parse(entry).map(Inviter::Server)
                }
                .with_context(|| {
                    format!("allowed_inviters: {entry:?} is no user ID or server name")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if !(0.0..=MAX_CATCH_UP_MINUTES).contains(&raw.catch_up_minutes) {
            bail!("catch_up_minutes must be between 0 and {MAX_CATCH_UP_MINUTES} (a week)");
        }
        if raw.flood_limit == 0 {
            bail!("flood_limit must be at least 1");
        }
        if raw.language != "nl" {
            bail!("language {:?} is not available (only \"nl\")", raw.language);
        }
        if raw.prefix.trim().is_empty() || raw.prefix.chars().any(char::is_whitespace) {
            bail!("prefix must be non-empty and without spaces");
        }
        let data_dir = resolve(raw.data_dir);
        let log_key = raw
            .log_key_file
            .map(|file| LogKey::load(&resolve(file), &data_dir))
            .transpose()?;
        Ok(Config {
            homeserver: raw.homeserver,
            user,
            auth,
            store_passphrase,
            data_dir,
            prefix: raw.prefix,
            allowed_inviters,
            catch_up: Duration::from_secs_f64(raw.catch_up_minutes * 60.0),
            only_verified_devices: raw.only_verified_devices,
            draaiboek: raw.draaiboek.map(resolve),
            log_key,
            flood_limit: raw.flood_limit,
        })
    }
}

const MAX_CATCH_UP_MINUTES: f64 = 7.0 * 24.0 * 60.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    homeserver: String,
    user: String,
    password: Option<String>,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
    access_token: Option<String>,
    access_token_env: Option<String>,
    access_token_file: Option<PathBuf>,
    store_passphrase: Option<String>,
    store_passphrase_env: Option<String>,
    store_passphrase_file: Option<PathBuf>,
    data_dir: PathBuf,
    #[serde(default = "default_prefix")]
    prefix: String,
    #[serde(default)]
    allowed_inviters: Vec<String>,
    #[serde(default = "default_catch_up_minutes")]
    catch_up_minutes: f64,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    only_verified_devices: bool,
    draaiboek: Option<PathBuf>,
    log_key_file: Option<PathBuf>,
    #[serde(default = "default_flood_limit")]
    flood_limit: usize,
}

fn default_flood_limit() -> usize {
    crate::flood::LIMIT
}

/// A TOML error by line and key, without the file's text: toml's own
/// messages quote the offending line and value, which may be a secret.
fn toml_error(e: &toml::de::Error, text: &str) -> String {
    let message = e.message();
    let what = if let Some(field) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        format!("unknown key `{field}` (see config.example.toml)")
    } else if message.starts_with("duplicate key") || message.starts_with("missing field") {
        // These name keys only.
        message.lines().next().unwrap_or_default().to_string()
    } else if let Some((_, expected)) = message
        .split_once(", expected ")
        .filter(|_| message.starts_with("invalid"))
    {
        format!("wrong type or value, expected {expected}")
    } else {
        "not valid TOML (text values need quotes: key = \"…\")".to_string()
    };
    let Some(before) = e.span().and_then(|span| text.get(..span.start)) else {
        return what;
    };
    let number = before.matches('\n').count() + 1;
    let line = text[before.rfind('\n').map_or(0, |i| i + 1)..]
        .lines()
        .next()
        .unwrap_or_default();
    let key = line
        .split_once('=')
        .map(|(key, _)| key.trim())
        .filter(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        });
    match key {
        Some(key) => format!("line {number}, key `{key}`: {what}"),
        None => format!("line {number}: {what}"),
    }
}

fn default_prefix() -> String {
    "!".to_string()
}

fn default_catch_up_minutes() -> f64 {
    15.0
}

fn default_language() -> String {
    "nl".to_string()
}

/// At most one of `key`, `key_env` and `key_file`; a file's trailing newline is dropped.
fn secret(
    key: &str,
    value: Option<String>,
    env_name: Option<String>,
    file: Option<PathBuf>,
    env: &impl Fn(&str) -> Option<String>,
    resolve: &impl Fn(PathBuf) -> PathBuf,
) -> anyhow::Result<Option<Secret>> {
    let value = match (value, env_name, file) {
        (None, None, None) => return Ok(None),
        (Some(v), None, None) => v,
        (None, Some(name), None) => env(&name)
            .with_context(|| format!("{key}_env: environment variable {name} is not set"))?,
        (None, None, Some(path)) => {
            let path = resolve(path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{key}_file: cannot read {}", path.display()))?;
            text.trim_end_matches(['\n', '\r']).to_string()
        }
        _ => bail!("set only one of {key}, {key}_env and {key}_file"),
    };
    if value.is_empty() {
        bail!("{key} is empty");
    }
    Ok(Some(Secret(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> anyhow::Result<Config> {
        Config::parse(text, Path::new("/etc/kernteam"), |name| {
            (name == "BOT_PW").then(|| "from-env".to_string())
        })
    }

    const MINIMAL: &str = r#"
        homeserver = "https://matrix.example.org"
        user = "@kernteam-bot:example.org"
        password = "hunter2"
        data_dir = "data"
    "#;

    #[test]
    fn defaults_and_relative_paths() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.prefix, "!");
        assert_eq!(c.catch_up, Duration::from_secs(15 * 60));
        assert_eq!(c.data_dir, Path::new("/etc/kernteam/data"));
        assert_eq!(c.auth, Auth::Password(Secret::new("hunter2")));
        assert!(!c.only_verified_devices);
        assert!(c.allowed_inviters.is_empty());
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let c = parse(MINIMAL).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn password_from_environment() {
        let c = parse(&MINIMAL.replace(r#"password = "hunter2""#, r#"password_env = "BOT_PW""#))
            .unwrap();
        assert_eq!(c.auth, Auth::Password(Secret::new("from-env")));
        let missing = MINIMAL.replace(r#"password = "hunter2""#, r#"password_env = "NOPE""#);
        assert!(parse(&missing).is_err());
    }

    #[test]
    fn password_and_token_exclude_each_other() {
        assert!(parse(&format!("{MINIMAL}\naccess_token = \"syt_x\"")).is_err());
        assert!(parse(&format!("{MINIMAL}\npassword_env = \"BOT_PW\"")).is_err());
        assert!(parse(&MINIMAL.replace(r#"password = "hunter2""#, "")).is_err());
    }

    #[test]
    fn inviters_are_users_or_servers() {
        let c = parse(&format!(
            "{MINIMAL}\nallowed_inviters = [\"@anna:gemeente.nl\", \"veiligheidsregio.nl\"]"
        ))
        .unwrap();
        assert!(c.may_invite(<&UserId>::try_from("@anna:gemeente.nl").unwrap()));
        assert!(c.may_invite(<&UserId>::try_from("@piet:veiligheidsregio.nl").unwrap()));
        assert!(!c.may_invite(<&UserId>::try_from("@piet:gemeente.nl").unwrap()));
        assert!(parse(&format!("{MINIMAL}\nallowed_inviters = [\"not a server\"]")).is_err());
    }

    #[test]
    fn the_flood_limit_is_ten_unless_set_and_never_zero() {
        assert_eq!(parse(MINIMAL).unwrap().flood_limit, 10);
        let raised = parse(&format!("{MINIMAL}\nflood_limit = 1000")).unwrap();
        assert_eq!(raised.flood_limit, 1000);
        let zero = parse(&format!("{MINIMAL}\nflood_limit = 0")).unwrap_err();
        assert!(format!("{zero:#}").contains("flood_limit must be at least 1"));
    }

    #[test]
    fn catch_up_accepts_fractions_of_minutes() {
        let c = parse(&format!("{MINIMAL}\ncatch_up_minutes = 0.5")).unwrap();
        assert_eq!(c.catch_up, Duration::from_secs(30));
        assert!(parse(&format!("{MINIMAL}\ncatch_up_minutes = -1")).is_err());
        assert!(parse(&format!("{MINIMAL}\ncatch_up_minutes = 1e300")).is_err());
        assert!(parse(&format!("{MINIMAL}\ncatch_up_minutes = nan")).is_err());
    }

    #[test]
    fn the_example_config_is_valid() {
        let example = include_str!("../config.example.toml")
            .replace(r#"password_file = "bot.password""#, r#"password = "x""#);
        let c = parse(&example).unwrap();
        assert_eq!(c.allowed_inviters.len(), 2);
        assert_eq!(c.catch_up, Duration::from_secs(15 * 60));
    }

    #[test]
    fn config_errors_name_the_key_and_line_but_never_the_value() {
        for (text, wanted) in [
            (
                MINIMAL.replace(r#"password = "hunter2""#, "password = hunter2"),
                "line 4, key `password`: not valid TOML",
            ),
            (
                MINIMAL.replace(r#"password = "hunter2""#, r#"pasword = "hunter2""#),
                "line 4, key `pasword`: unknown key `pasword`",
            ),
            (
                format!("{MINIMAL}catch_up_minutes = \"hunter2\"\n"),
                "line 6, key `catch_up_minutes`: wrong type or value, expected f64",
            ),
            (
                MINIMAL.replace(r#"password = "hunter2""#, "password = \"hun\nter2\""),
                "line 4, key `password`: not valid TOML",
            ),
        ] {
            let error = format!("{:#}", parse(&text).unwrap_err());
            assert!(error.starts_with(wanted), "{error}");
            assert!(
                !error.contains("hunter2") && !error.contains("hun"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_log_key_file_is_read_from_outside_the_data_directory() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let write_key = |path: &Path, mode: u32| {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "s".repeat(44)).unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        let config = |file: &str| {
            Config::parse(
                &format!("{MINIMAL}log_key_file = \"{file}\"\n"),
                dir.path(),
                |_| None,
            )
        };
        write_key(&dir.path().join("keys/log.key"), 0o600);
        assert!(config("keys/log.key").unwrap().log_key.is_some());
        write_key(&dir.path().join("keys/open.key"), 0o644);
        let error = format!("{:#}", config("keys/open.key").unwrap_err());
        assert!(error.contains("chmod 600"), "{error}");
        write_key(&dir.path().join("data/log.key"), 0o600);
        let error = format!("{:#}", config("data/log.key").unwrap_err());
        assert!(error.contains("inside the data directory"), "{error}");
        assert!(parse(MINIMAL).unwrap().log_key.is_none());
    }

    #[test]
    fn only_dutch_and_no_unknown_keys() {
        assert!(parse(&format!("{MINIMAL}\nlanguage = \"en\"")).is_err());
        assert!(parse(&format!("{MINIMAL}\npasword = \"typo\"")).is_err());
    }
}
