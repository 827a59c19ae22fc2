//! Rotating OAuth tokens (TikTok, YouTube): kept in a file of the channel's own
//! (`<data_dir>/tokens/<channel>.json`, mode 0600), replaced atomically (the directory fsynced
//! after the rename), so a refresh token that the platform rotated is never lost — save the new
//! one before using it. `<channel>.lock` beside it is the advisory lock processes refresh under
//! (see [`crate::oauth`]).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Secret;

/// The tokens of one account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tokens {
    #[serde(serialize_with = "expose")]
    pub access_token: Secret,
    #[serde(serialize_with = "expose_opt", default)]
    pub refresh_token: Option<Secret>,
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub refresh_expires_at: Option<DateTime<Utc>>,
}

// The token file is the one place a secret is written out in full.
fn expose<S: serde::Serializer>(s: &Secret, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.expose())
}

fn expose_opt<S: serde::Serializer>(s: &Option<Secret>, ser: S) -> Result<S::Ok, S::Error> {
    match s {
        Some(s) => ser.serialize_some(s.expose()),
        None => ser.serialize_none(),
    }
}

/// A token file.
#[derive(Clone, Debug)]
pub struct TokenFile {
    path: PathBuf,
}

impl TokenFile {
    pub fn new(dir: &Path, channel: &str) -> Self {
        TokenFile {
            path: dir.join("tokens").join(format!("{channel}.json")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved tokens, if the file exists.
    pub fn load(&self) -> std::io::Result<Option<Tokens>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replace the saved tokens atomically (temp file, fsync, rename), readable by the owner only.
    pub fn save(&self, tokens: &Tokens) -> std::io::Result<()> {
        let dir = self.path.parent().expect("token files live in a directory");
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut tmp, tokens)?;
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        tmp.persist(&self.path).map_err(|e| e.error)?;
        // The rename is durable only once the directory is.
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    }

    /// Take the exclusive advisory lock of this token file (blocking until other processes
    /// release it); it is released when the returned file is dropped.
    pub fn lock(&self) -> std::io::Result<std::fs::File> {
        let dir = self.path.parent().expect("token files live in a directory");
        std::fs::create_dir_all(dir)?;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path.with_extension("lock"))?;
        f.lock()?;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let f = TokenFile::new(dir.path(), "tiktok");
        assert!(f.load().unwrap().is_none());
        let t = Tokens {
            access_token: Secret::new("act.1"),
            refresh_token: Some(Secret::new("rft.1")),
            expires_at: None,
            refresh_expires_at: None,
        };
        f.save(&t).unwrap();
        let back = f.load().unwrap().unwrap();
        assert_eq!(back.access_token.expose(), "act.1");
        assert_eq!(back.refresh_token.unwrap().expose(), "rft.1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(f.path()).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(
            !format!("{t:?}").contains("act.1"),
            "Debug never shows a token"
        );
    }

    #[test]
    fn the_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let f = TokenFile::new(dir.path(), "youtube");
        let held = f.lock().unwrap();
        let other = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join("tokens/youtube.lock"))
            .unwrap();
        assert!(other.try_lock().is_err(), "a second holder must wait");
        drop(held);
        assert!(other.try_lock().is_ok());
    }
}
