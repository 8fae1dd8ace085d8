//! How a logboek entry's hash is made: SHA-256 over its fields, or, with a
//! log key, HMAC-SHA256 under that key. Without the key nobody can compute a
//! keyed hash, so a keyed chain cannot be rewritten by someone who can only
//! write the data directory. The key lives outside it (checked here).

use std::fmt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{IncidentId, LogKind};

/// Shorter keys are refused: the key must be hard to guess.
const MIN_KEY_BYTES: usize = 32;

/// Every field of an entry but its hash, in the canonical (hashed) form.
#[derive(Serialize)]
pub struct Sealed<'a> {
    pub incident: IncidentId,
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub kind: LogKind,
    pub text: &'a str,
    pub prev: &'a str,
}

impl Sealed<'_> {
    fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("plain data serialises")
    }

    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.canonical()))
    }

    pub fn hmac(&self, key: &LogKey) -> String {
        key.mac(&self.canonical())
    }
}

/// The secret of a keyed chain. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct LogKey(Arc<Vec<u8>>);

impl fmt::Debug for LogKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LogKey(…)")
    }
}

impl LogKey {
    pub fn new(bytes: impl Into<Vec<u8>>) -> anyhow::Result<LogKey> {
        let bytes = bytes.into();
        if bytes.len() < MIN_KEY_BYTES {
            bail!(
                "the log key is too short (at least {MIN_KEY_BYTES} bytes; make one with \
                 `head -c 32 /dev/urandom | base64 > FILE`)"
            );
        }
        Ok(LogKey(Arc::new(bytes)))
    }

    /// Reads a key file that lies outside `data_dir` and that only its owner
    /// can read; a trailing newline is not part of the key.
    pub fn load(path: &Path, data_dir: &Path) -> anyhow::Result<LogKey> {
        let meta =
            std::fs::metadata(path).with_context(|| format!("log key file {}", path.display()))?;
        if meta.permissions().mode() & 0o077 != 0 {
            bail!(
                "log key file {} is accessible to group or others; `chmod 600` it",
                path.display()
            );
        }
        let real = path.canonicalize()?;
        if real.starts_with(absolute(data_dir)?) {
            bail!(
                "log key file {} lies inside the data directory {}: whoever can rewrite the \
                 logboek could read the key; keep it elsewhere",
                path.display(),
                data_dir.display()
            );
        }
        let mut bytes = std::fs::read(path)?;
        while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
            bytes.pop();
        }
        LogKey::new(bytes).with_context(|| format!("log key file {}", path.display()))
    }

    fn mac(&self, data: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    /// A value that shows whether a key is this one (and binds the incident
    /// the keyed chain starts at), without revealing the key.
    fn check(&self, keyed_from: IncidentId) -> String {
        self.mac(format!("kernteam-bot log key check; keyed from incident {keyed_from}").as_bytes())
    }
}

/// `dir` made absolute with symlinks resolved, also when it does not exist yet.
fn absolute(dir: &Path) -> anyhow::Result<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = std::path::absolute(dir)?;
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_owned());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut path = existing.canonicalize()?;
    path.extend(missing.iter().rev());
    Ok(path)
}

/// Which kind of chain a store has, as recorded in its meta tree (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChainRecord {
    Sha256,
    /// Incidents from `keyed_from` on are keyed; earlier ones (opened
    /// before the key was set) stay plain.
    HmacSha256 {
        keyed_from: IncidentId,
        check: String,
    },
}

impl ChainRecord {
    pub fn keyed(key: &LogKey, keyed_from: IncidentId) -> ChainRecord {
        ChainRecord::HmacSha256 {
            keyed_from,
            check: key.check(keyed_from),
        }
    }
}

/// How the entries of each incident are hashed.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    keyed: Option<(LogKey, IncidentId)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error(
        "the logboek is keyed (HMAC): give its key (log_key_file in the config, --log-key-file)"
    )]
    KeyNeeded,
    #[error(
        "this is not the logboek's key (or the store's chain record was changed: the logboek may have been rewritten)"
    )]
    WrongKey,
    #[error(
        "a log key was given but this logboek is not keyed; if it was, its chain record was removed and the logboek may have been rewritten"
    )]
    NotKeyed,
}

impl Chain {
    /// The chain a store with `record` has, given the key the caller holds.
    pub fn from_record(record: &ChainRecord, key: Option<LogKey>) -> Result<Chain, ChainError> {
        match (record, key) {
            (ChainRecord::Sha256, None) => Ok(Chain::default()),
            (ChainRecord::Sha256, Some(_)) => Err(ChainError::NotKeyed),
            (ChainRecord::HmacSha256 { .. }, None) => Err(ChainError::KeyNeeded),
            (ChainRecord::HmacSha256 { keyed_from, check }, Some(key)) => {
                if key.check(*keyed_from) != *check {
                    return Err(ChainError::WrongKey);
                }
                Ok(Chain {
                    keyed: Some((key, *keyed_from)),
                })
            }
        }
    }

    pub fn is_keyed(&self) -> bool {
        self.keyed.is_some()
    }

    pub fn hash(&self, sealed: &Sealed) -> String {
        match &self.keyed {
            Some((key, from)) if sealed.incident >= *from => sealed.hmac(key),
            _ => sealed.sha256(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn key_file(dir: &Path, mode: u32) -> PathBuf {
        let path = dir.join("log.key");
        std::fs::write(&path, "k".repeat(40) + "\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file(dir.path(), 0o644);
        let err = LogKey::load(&path, &dir.path().join("elsewhere/data")).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let key = LogKey::load(&path, &dir.path().join("elsewhere/data")).unwrap();
        assert_eq!(key, LogKey::new("k".repeat(40)).unwrap(), "newline dropped");
    }

    #[test]
    fn a_key_file_inside_the_data_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let path = key_file(&data, 0o600);
        let err = LogKey::load(&path, &data).unwrap_err();
        assert!(
            err.to_string().contains("inside the data directory"),
            "{err}"
        );
        // Also when the data directory is named through a detour.
        let err = LogKey::load(&path, &data.join("../data")).unwrap_err();
        assert!(
            err.to_string().contains("inside the data directory"),
            "{err}"
        );
    }

    #[test]
    fn a_short_key_is_refused_and_a_key_never_shows_in_debug_output() {
        assert!(LogKey::new("kort").is_err());
        let key = LogKey::new("geheim".repeat(8)).unwrap();
        assert!(!format!("{key:?}").contains("geheim"));
    }

    #[test]
    fn a_keyed_chain_needs_the_same_key_and_a_plain_one_none() {
        let key = LogKey::new([7u8; 32]).unwrap();
        let other = LogKey::new([8u8; 32]).unwrap();
        let record = ChainRecord::keyed(&key, 3);
        assert!(Chain::from_record(&record, Some(key)).unwrap().is_keyed());
        assert_eq!(
            Chain::from_record(&record, Some(other.clone())).unwrap_err(),
            ChainError::WrongKey
        );
        assert_eq!(
            Chain::from_record(&record, None).unwrap_err(),
            ChainError::KeyNeeded
        );
        assert_eq!(
            Chain::from_record(&ChainRecord::Sha256, Some(other)).unwrap_err(),
            ChainError::NotKeyed
        );
    }

    #[test]
    fn incidents_before_the_key_was_set_stay_plain() {
        let key = LogKey::new([7u8; 32]).unwrap();
        let chain = Chain::from_record(&ChainRecord::keyed(&key, 3), Some(key.clone())).unwrap();
        let entry = |incident| Sealed {
            incident,
            seq: 1,
            at: DateTime::UNIX_EPOCH,
            actor: "@a:b",
            kind: LogKind::Note,
            text: "x",
            prev: "",
        };
        assert_eq!(chain.hash(&entry(2)), entry(2).sha256());
        assert_eq!(chain.hash(&entry(3)), entry(3).hmac(&key));
        assert_ne!(entry(3).hmac(&key), entry(3).sha256());
    }
}
