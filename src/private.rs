//! Keeping the bot's files to its owner: directories 0700, files 0600.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Creates `dir` (mode 0700) if missing and makes it and everything in it
/// private to the owner. Returns what was open to group or others before;
/// it no longer is. Symbolic links are left alone.
pub fn make_private(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let mut loosened = Vec::new();
    tighten(dir, &mut loosened)?;
    Ok(loosened)
}

fn tighten(path: &Path, loosened: &mut Vec<PathBuf>) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    let wanted = if meta.is_dir() {
        0o700
    } else if meta.is_file() {
        0o600
    } else {
        return Ok(());
    };
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700 | wanted))?;
        loosened.push(path.to_path_buf());
    }
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            tighten(&entry?.path(), loosened)?;
        }
    }
    Ok(())
}

/// Logs each path [`make_private`] had to tighten.
pub fn warn_loosened(loosened: &[PathBuf]) {
    for path in loosened {
        tracing::warn!(
            path = %path.display(),
            "was readable by group or others; now private to the owner"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_open_directory_and_its_files_are_tightened_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("data");
        fs::create_dir_all(top.join("state/blobs")).unwrap();
        fs::write(top.join("state/db"), "x").unwrap();
        fs::write(top.join("state/blobs/1"), "x").unwrap();
        for (path, m) in [
            ("", 0o755),
            ("state", 0o775),
            ("state/blobs", 0o755),
            ("state/db", 0o644),
            ("state/blobs/1", 0o666),
        ] {
            fs::set_permissions(top.join(path), fs::Permissions::from_mode(m)).unwrap();
        }
        let loosened = make_private(&top).unwrap();
        assert_eq!(loosened.len(), 5);
        for path in ["", "state", "state/blobs"] {
            assert_eq!(mode(&top.join(path)), 0o700, "{path}");
        }
        for path in ["state/db", "state/blobs/1"] {
            assert_eq!(mode(&top.join(path)), 0o600, "{path}");
        }
        assert!(make_private(&top).unwrap().is_empty(), "nothing left to do");
    }

    #[test]
    fn a_new_directory_is_created_private() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("a/b");
        assert!(make_private(&new).unwrap().is_empty());
        assert_eq!(mode(&new), 0o700);
    }
}
