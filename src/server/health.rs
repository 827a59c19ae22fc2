//! Is the database the daemon writes to still the one on disk? A pooled SQLite connection keeps
//! a deleted or replaced file open and goes on answering, so a query alone proves nothing: the
//! file at the configured path must exist, be the same file (device and inode) the daemon
//! opened, and be readable as a SQLite database.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use tokio::io::AsyncReadExt;

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The database file as the daemon found it at start.
#[derive(Debug, Clone)]
pub struct DbFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
}

impl DbFile {
    /// The file behind a `sqlite:` URL, as it is now. `None` for a database that is not a file
    /// (in memory) or not SQLite.
    pub fn identify(database_url: &str) -> std::io::Result<Option<DbFile>> {
        if !database_url.starts_with("sqlite:") {
            return Ok(None);
        }
        let Ok(opts) = sqlx::sqlite::SqliteConnectOptions::from_str(database_url) else {
            return Ok(None);
        };
        let path = opts.get_filename();
        if path.as_os_str().is_empty() || path == Path::new(":memory:") || !path.exists() {
            return Ok(None);
        }
        let meta = std::fs::metadata(path)?;
        Ok(Some(DbFile {
            path: path.to_owned(),
            dev: identity(&meta).0,
            ino: identity(&meta).1,
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Err` says what is wrong with the file and what to do, naming it.
    pub async fn check(&self) -> Result<(), String> {
        let path = self.path.display();
        let meta = match tokio::fs::metadata(&self.path).await {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "the database file {path} is gone (deleted or moved while the daemon runs): \
                     stop prakat and restore it from a backup"
                ));
            }
            Err(e) => {
                return Err(format!(
                    "cannot read the database file {path}: {e}: fix its permissions or restore it from a backup"
                ));
            }
        };
        if identity(&meta) != (self.dev, self.ino) {
            return Err(format!(
                "the database file {path} was replaced while the daemon runs (or deleted, and SQLite made a new \
                 empty one), and the daemon still writes to the old file: stop prakat, keep the file in place only \
                 if it is the right one, else restore it from a backup, then start prakat again"
            ));
        }
        let mut header = Vec::with_capacity(SQLITE_HEADER.len());
        let read = async {
            let f = tokio::fs::File::open(&self.path).await?;
            f.take(SQLITE_HEADER.len() as u64)
                .read_to_end(&mut header)
                .await
        };
        match read.await {
            // A new file in WAL mode may have nothing in it yet.
            Ok(_) if header.is_empty() || header == SQLITE_HEADER => Ok(()),
            Ok(_) => Err(format!(
                "the database file {path} is not a SQLite database any more: stop prakat and restore it from a backup"
            )),
            Err(e) => Err(format!(
                "cannot read the database file {path}: {e}: fix its permissions or restore it from a backup"
            )),
        }
    }
}

/// Which file this is: device and inode.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}
