//! The daemon's locks: one on the data directory (`<data_dir>/prakat.lock`, the website, media
//! and outbox live there) and one next to the SQLite database file (`<db file>.lock`), so two
//! daemons with different data directories cannot both dispatch from one database. Held until
//! dropped; the operating system releases them when the process dies, kill -9 included.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use fs4::fs_std::FileExt;

use crate::i18n::{Msg, io_reason};
use crate::settings::Settings;

/// Why the locks could not be taken. The text here is for logs; a person reads
/// [`LockError::msg`], in their language.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another prakat daemon is already using {guarded} {} (lock {}): stop it first",
        path.display(),
        lock.display()
    )]
    Held {
        guarded: Guarded,
        path: PathBuf,
        lock: PathBuf,
    },
    #[error("cannot take the lock {}: {source}", lock.display())]
    Io {
        lock: PathBuf,
        source: std::io::Error,
    },
}

/// What a lock keeps to one daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    DataDirectory,
    Database,
}

impl std::fmt::Display for Guarded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Guarded::DataDirectory => "the data directory",
            Guarded::Database => "the database",
        })
    }
}

impl LockError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            LockError::Held {
                guarded,
                path,
                lock,
            } => Msg::new("lock-held")
                .with(
                    "kind",
                    match guarded {
                        Guarded::DataDirectory => "data-directory",
                        Guarded::Database => "database",
                    },
                )
                .with("path", path.display())
                .with("lock", lock.display()),
            LockError::Io { lock, source } => Msg::new("lock-io")
                .with("lock", lock.display())
                .with_msg("reason", io_reason(source)),
        }
    }
}

/// Both locks, held while this value lives.
#[derive(Debug)]
pub struct DaemonLock {
    _files: Vec<File>,
}

impl DaemonLock {
    /// Take the data directory's lock, then the database's. `Ok(None)` when another process
    /// holds either; the error then says which.
    pub fn acquire(settings: &Settings) -> Result<Option<DaemonLock>, LockError> {
        match Self::acquire_or_explain(settings) {
            Ok(lock) => Ok(Some(lock)),
            Err(LockError::Held { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Take both locks, or say which one is held by whom.
    pub fn acquire_or_explain(settings: &Settings) -> Result<DaemonLock, LockError> {
        let data_dir = &settings.storage.data_dir;
        std::fs::create_dir_all(data_dir).map_err(|source| LockError::Io {
            lock: data_dir.clone(),
            source,
        })?;
        let mut files = vec![take(
            &data_dir.join("prakat.lock"),
            Guarded::DataDirectory,
            data_dir,
        )?];
        if let Some(db) = database_file(&settings.database_url()) {
            let mut name = db.file_name().unwrap_or_default().to_owned();
            name.push(".lock");
            files.push(take(&db.with_file_name(name), Guarded::Database, &db)?);
        }
        Ok(DaemonLock { _files: files })
    }
}

fn take(path: &Path, guarded: Guarded, what: &Path) -> Result<File, LockError> {
    let io = |source| LockError::Io {
        lock: path.to_owned(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io)?;
    if !file.try_lock_exclusive().map_err(io)? {
        return Err(LockError::Held {
            guarded,
            path: what.to_owned(),
            lock: path.to_owned(),
        });
    }
    Ok(file)
}

/// The file of a SQLite database URL; `None` for an in-memory database or another kind.
pub fn database_file(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    let file = opts.get_filename();
    (!file.as_os_str().is_empty()).then(|| file.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_file_comes_from_the_url() {
        assert_eq!(
            database_file("sqlite:///var/lib/prakat/prakat.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/prakat/prakat.db"))
        );
        assert_eq!(
            database_file("sqlite://./prakat-data/prakat.db"),
            Some(PathBuf::from("./prakat-data/prakat.db"))
        );
        assert_eq!(database_file("sqlite::memory:"), None);
        assert_eq!(database_file("postgres://h/db"), None);
    }
}
