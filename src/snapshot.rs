//! Reading a store that the running bot holds open.
//!
//! sled lets one process open a store: it takes an exclusive lock on the
//! store's `db` file. `export` therefore never opens the bot's store; it
//! copies the files to a temporary directory and opens the copy. Why the
//! copy is consistent enough:
//!
//! - The bot writes one sled transaction per command and flushes (fsync)
//!   before it answers; a command's writes take about a millisecond, so
//!   almost always the files are at rest while they are copied.
//! - sled's log is append-only, and its recovery (which runs when the copy
//!   is opened) replays it from the newest snapshot file and stops at the
//!   first incomplete write; a torn transaction is rolled back whole (its
//!   batch manifest is missing). The snapshot files are copied before the
//!   log, so the log is never older than the snapshot that points into it.
//! - What remains (a segment reused while it was being copied) is caught by
//!   checking what was read: the caller says whether the copy is whole (for
//!   an export: the logboek is as long as the incident says and ends in its
//!   chain head), and a copy that is not is taken again.

use std::fs;
use std::io;
use std::path::Path;

use anyhow::Context;

use crate::store::Store;

const ATTEMPTS: usize = 3;

/// Runs `read` on a fresh copy of the store at `dir`. When `read` finds the
/// copy torn (returns `Ok(None)`), a new copy is taken, up to three times.
pub fn read<T>(
    dir: &Path,
    read: impl Fn(&Store) -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    if !dir.join("db").is_file() {
        anyhow::bail!(
            "{} is geen kernteam-bot-opslag (geen db-bestand)",
            dir.display()
        );
    }
    for _ in 0..ATTEMPTS {
        let copy = tempfile::tempdir().context("temporary directory for the store copy")?;
        copy_store(dir, copy.path()).with_context(|| format!("copying {}", dir.display()))?;
        let store = Store::open_to_read(copy.path()).context("opening the copy of the store")?;
        if let Some(found) = read(&store)? {
            return Ok(found);
        }
    }
    anyhow::bail!(
        "de kopie van {} bleef onvolledig na {ATTEMPTS} pogingen; probeer het opnieuw",
        dir.display()
    )
}

/// The configuration and snapshots first, then the log, then large values.
fn copy_store(from: &Path, to: &Path) -> io::Result<()> {
    let mut names: Vec<String> = fs::read_dir(from)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n == "conf" || (n.starts_with("snap.") && !n.ends_with(".generating")))
        .collect();
    names.sort();
    names.push("db".to_string());
    for name in &names {
        match fs::copy(from.join(name), to.join(name)) {
            Ok(_) => {}
            // A snapshot replaced by a newer one while copying: not needed.
            Err(e) if e.kind() == io::ErrorKind::NotFound && name != "db" => {}
            Err(e) => return Err(e),
        }
    }
    let blobs = from.join("blobs");
    if blobs.is_dir() {
        fs::create_dir_all(to.join("blobs"))?;
        for entry in fs::read_dir(&blobs)? {
            let entry = entry?;
            match fs::copy(entry.path(), to.join("blobs").join(entry.file_name())) {
                // Collected as garbage while copying: no longer referenced.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                other => {
                    other?;
                }
            }
        }
    }
    Ok(())
}
