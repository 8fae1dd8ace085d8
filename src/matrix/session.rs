//! The bot's Matrix identity: the data directory, the encrypted SQLite store,
//! login on the first start and session restore on every later one (a new
//! device per start would break end-to-end encryption), and recovery.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::encryption::recovery::RecoveryState;
use matrix_sdk::encryption::{BackupDownloadStrategy, EncryptionSettings};
use matrix_sdk::ruma::OwnedDeviceId;
use matrix_sdk::{Client, SessionMeta, SessionTokens};
use matrix_sdk_crypto::CollectStrategy;
use tracing::{info, warn};

use crate::config::{Auth, Config, Secret};

/// Shown in the users' device lists.
const DEVICE_NAME: &str = "kernteam-bot";

/// What the bot keeps in its data directory.
pub struct DataDir(PathBuf);

impl DataDir {
    /// Creates the directory (mode 0700) if it does not exist; an existing
    /// one is made private to the owner (directories 0700, files 0600),
    /// with a warning for everything that was not.
    pub fn open(path: &Path) -> anyhow::Result<DataDir> {
        let loosened = crate::private::make_private(path)
            .with_context(|| format!("cannot set up data directory {}", path.display()))?;
        crate::private::warn_loosened(&loosened);
        Ok(DataDir(path.to_path_buf()))
    }

    /// The sled store with the domain state (incidents, logboek, outbox).
    pub fn state(&self) -> PathBuf {
        self.0.join("state")
    }

    /// matrix-sdk's SQLite stores (sync state, crypto keys).
    fn matrix(&self) -> PathBuf {
        self.0.join("matrix")
    }

    fn session(&self) -> PathBuf {
        self.0.join("session.json")
    }

    fn passphrase(&self) -> PathBuf {
        self.0.join("store-passphrase")
    }

    fn recovery_key(&self) -> PathBuf {
        self.0.join("recovery-key")
    }
}

/// A logged-in client with the same device as on every earlier start.
pub async fn connect(config: &Config, dir: &DataDir) -> anyhow::Result<Client> {
    let passphrase = match &config.store_passphrase {
        Some(p) => p.clone(),
        None => passphrase_file(&dir.passphrase())?,
    };
    let strategy = if config.only_verified_devices {
        CollectStrategy::IdentityBasedStrategy
    } else {
        // Also devices that are not cross-signed: team members whose client
        // does not cross-sign must still read the bot (the 0.18 default, set
        // explicitly so a changed default cannot silently exclude them).
        CollectStrategy::AllDevices
    };
    // Checked before the SDK creates its store.
    let has_crypto_store = dir.matrix().exists();
    let client = Client::builder()
        .server_name_or_homeserver_url(&config.homeserver)
        .sqlite_store(dir.matrix(), Some(passphrase.expose()))
        .with_encryption_settings(EncryptionSettings {
            auto_enable_cross_signing: true,
            auto_enable_backups: true,
            backup_download_strategy: BackupDownloadStrategy::AfterDecryptionFailure,
        })
        .with_room_key_recipient_strategy(strategy)
        .build()
        .await
        .context("cannot set up the Matrix client")?;

    if let Some(session) = read_session(&dir.session())? {
        if session.meta.user_id != config.user {
            bail!(
                "{} holds a session of {}, not of {}; use another data_dir",
                dir.session().display(),
                session.meta.user_id,
                config.user
            );
        }
        info!(device = %session.meta.device_id, "restoring session");
        client
            .restore_session(session)
            .await
            .context("cannot restore the session")?;
        return Ok(client);
    }

    if has_crypto_store {
        bail!(
            "{} holds keys of a device whose session ({}) is missing; to log in as a new \
             device, remove {} (encrypted history sent to the old device is lost)",
            dir.matrix().display(),
            dir.session().display(),
            dir.matrix().display()
        );
    }
    if let Err(e) = login(&client, config).await {
        // Nothing worth keeping was created: the next start begins afresh.
        drop(client);
        let _ = fs::remove_dir_all(dir.matrix());
        return Err(e);
    }
    let session = client
        .matrix_auth()
        .session()
        .context("logged in without a session")?;
    info!(device = %session.meta.device_id, "logged in; new device");
    write_private(&dir.session(), &serde_json::to_vec(&session)?, false)?;
    Ok(client)
}

async fn login(client: &Client, config: &Config) -> anyhow::Result<()> {
    match &config.auth {
        Auth::Password(password) => {
            client
                .matrix_auth()
                .login_username(&config.user, password.expose())
                .initial_device_display_name(DEVICE_NAME)
                .send()
                .await
                .context("login failed")?;
        }
        Auth::AccessToken(token) => {
            let device_id = whoami(client, token).await?;
            let session = MatrixSession {
                meta: SessionMeta {
                    user_id: config.user.clone(),
                    device_id,
                },
                tokens: SessionTokens {
                    access_token: token.expose().to_string(),
                    refresh_token: None,
                },
            };
            client
                .restore_session(session)
                .await
                .context("cannot use the access token")?;
        }
    }
    Ok(())
}

/// The device an access token belongs to (the session needs it).
async fn whoami(client: &Client, token: &Secret) -> anyhow::Result<OwnedDeviceId> {
    #[derive(serde::Deserialize)]
    struct WhoAmI {
        device_id: Option<OwnedDeviceId>,
    }
    let url = client
        .homeserver()
        .join("_matrix/client/v3/account/whoami")?;
    let response = matrix_sdk::reqwest::Client::new()
        .get(url)
        .bearer_auth(token.expose())
        .send()
        .await
        .context("whoami request failed")?;
    if !response.status().is_success() {
        bail!("the access token was refused ({})", response.status());
    }
    let body: WhoAmI = serde_json::from_slice(&response.bytes().await?)?;
    body.device_id
        .context("the access token has no device; create one by logging in")
}

fn read_session(path: &Path) -> anyhow::Result<Option<MatrixSession>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(
            serde_json::from_slice(&bytes)
                .with_context(|| format!("corrupt {}", path.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The store passphrase, generated (32 random bytes, hex) on the first start.
fn passphrase_file(path: &Path) -> anyhow::Result<Secret> {
    if !path.exists() {
        let mut bytes = [0u8; 32];
        File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        write_private(path, hex::encode(bytes).as_bytes(), true)?;
    }
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Secret::new(text.trim_end()))
}

/// Writes a file only its owner can read, complete or not at all
/// (temporary file, fsync, rename). `once`: fail if it already exists.
fn write_private(path: &Path, contents: &[u8], once: bool) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    if once {
        fs::hard_link(&tmp, path).with_context(|| format!("cannot create {}", path.display()))?;
        fs::remove_file(&tmp)?;
    } else {
        fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Cross-signing and key backup are bootstrapped by the SDK (see
/// [`EncryptionSettings`]); this adds recovery (secret storage) and writes
/// its key once to `recovery-key`. With a new store on an account that has
/// recovery, that file restores the cross-signing keys and the backup.
pub async fn ensure_recovery(client: &Client, dir: &DataDir) -> anyhow::Result<()> {
    client
        .encryption()
        .wait_for_e2ee_initialization_tasks()
        .await;
    let recovery = client.encryption().recovery();
    let key_file = dir.recovery_key();
    match recovery.state() {
        RecoveryState::Enabled => {}
        RecoveryState::Disabled if !key_file.exists() => {
            let key = recovery.enable().await.context("cannot enable recovery")?;
            write_private(&key_file, key.as_bytes(), true)?;
            info!(file = %key_file.display(), "recovery enabled; keep the recovery key safe");
        }
        RecoveryState::Incomplete if key_file.exists() => {
            let key = fs::read_to_string(&key_file)?;
            recovery
                .recover(key.trim())
                .await
                .context("cannot recover with the recovery key")?;
            info!("recovered cross-signing keys and key backup");
        }
        state => warn!(
            ?state,
            file = %key_file.display(),
            "recovery needs attention: the account's recovery state does not match the recovery key file"
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_data_directory_open_to_others_is_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir_all(data.join("state")).unwrap();
        fs::write(data.join("state/db"), "x").unwrap();
        fs::write(data.join("session.json"), "{}").unwrap();
        for (path, m) in [
            ("", 0o755),
            ("state", 0o755),
            ("state/db", 0o644),
            ("session.json", 0o640),
        ] {
            fs::set_permissions(data.join(path), fs::Permissions::from_mode(m)).unwrap();
        }
        let dir = DataDir::open(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&dir.state()), 0o700);
        assert_eq!(mode(&dir.state().join("db")), 0o600);
        assert_eq!(mode(&dir.session()), 0o600);
    }
}
