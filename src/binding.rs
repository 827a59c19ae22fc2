//! The folders prakat writes for a database belong to that database. The website, the media
//! store and every outbox folder carry the database's identity ([`Store::store_id`]) in a
//! `.prakat-store-id` file, so a database that was lost, replaced by another or recreated empty
//! is noticed before its announcement 1 overwrites the published `news/1.html` of the old one.
//!
//! - [`refuse_missing_database`] runs before the database is opened: a missing database file
//!   next to folders that carry an identity is not made afresh (opening would create an empty
//!   one).
//! - [`Binding::check`] runs after: every folder that carries an identity must carry this
//!   database's. Folders without one (new, or written by a version before identities) are
//!   claimed by writing it, but only by whoever writes that folder: the daemon for the website
//!   and outboxes, any command for the media store.
//!
//! [`Store::store_id`]: crate::store::Store::store_id

use std::path::{Path, PathBuf};

use crate::i18n::{Msg, io_reason};
use crate::settings::{ChannelSettings, Settings};

/// The name of the file that carries the database's identity inside each folder.
pub const MARKER: &str = ".prakat-store-id";

/// What a folder is, for messages. (Names as `Box<str>`: the errors that carry one stay small.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderKind {
    MediaStore,
    /// The website, with its channel's name.
    Website(Box<str>),
    /// An outbox, with its channel's name.
    Outbox(Box<str>),
}

impl std::fmt::Display for FolderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FolderKind::MediaStore => f.write_str("the media store"),
            FolderKind::Website(name) => write!(f, "the website (channel {name})"),
            FolderKind::Outbox(name) => write!(f, "the outbox (channel {name})"),
        }
    }
}

impl FolderKind {
    /// The folder's name in the reader's language.
    pub fn msg(&self) -> Msg {
        match self {
            FolderKind::MediaStore => Msg::new("folder-media-store"),
            FolderKind::Website(name) => Msg::new("folder-website").with("channel", &**name),
            FolderKind::Outbox(name) => Msg::new("folder-outbox").with("channel", &**name),
        }
    }
}

/// One folder prakat writes for the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// What the folder is, for messages.
    pub what: FolderKind,
    pub path: PathBuf,
    /// Only the daemon writes it (the website, outboxes); the media store is written by commands too.
    pub daemon_only: bool,
}

/// The folders of a configuration.
pub fn folders(settings: &Settings) -> Vec<Folder> {
    let mut out = vec![Folder {
        what: FolderKind::MediaStore,
        path: settings.media_dir(),
        daemon_only: false,
    }];
    for (name, section) in settings.channels.enabled() {
        match section {
            ChannelSettings::Website(_) => out.push(Folder {
                what: FolderKind::Website(name.into()),
                path: settings.site_dir(),
                daemon_only: true,
            }),
            ChannelSettings::Outbox(_) => out.push(Folder {
                what: FolderKind::Outbox(name.into()),
                path: settings.outbox_dir_of(name),
                daemon_only: true,
            }),
            _ => {}
        }
    }
    out
}

/// Why the folders and the database do not go together. Each message names the paths and says
/// what to do. The text here is for logs; a person reads [`BindingError::msg`], in their
/// language.
#[derive(Debug, thiserror::Error)]
pub enum BindingError {
    #[error(
        "the database file {db} is missing, but {what} ({folder}) belongs to a database (identity {id}): \
         the database was deleted or moved. Stop prakat and restore {db} from a backup. To start afresh \
         instead, move {folder} aside first (its published pages would otherwise be overwritten)"
    )]
    DatabaseMissing {
        db: String,
        what: FolderKind,
        folder: String,
        id: String,
    },
    #[error(
        "{what} ({folder}) belongs to another database (identity {theirs}); the database {db} is {ours}. \
         The database was replaced or recreated: restore the right database from a backup, or, to start \
         afresh with this one, move {folder} aside"
    )]
    Mismatch {
        what: FolderKind,
        folder: String,
        db: String,
        theirs: String,
        ours: String,
    },
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
}

impl BindingError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            BindingError::DatabaseMissing {
                db,
                what,
                folder,
                id,
            } => Msg::new("binding-database-missing")
                .with("db", db)
                .with_msg("what", what.msg())
                .with("folder", folder)
                .with("id", id),
            BindingError::Mismatch {
                what,
                folder,
                db,
                theirs,
                ours,
            } => Msg::new("binding-mismatch")
                .with_msg("what", what.msg())
                .with("folder", folder)
                .with("db", db)
                .with("theirs", theirs)
                .with("ours", ours),
            BindingError::Io {
                action,
                path,
                source,
            } => Msg::new("binding-io")
                .with("action", action)
                .with("path", path)
                .with_msg("reason", io_reason(source)),
        }
    }
}

/// Refuse to open (and so create) a missing SQLite database next to folders that belong to one.
pub fn refuse_missing_database(settings: &Settings) -> Result<(), BindingError> {
    let Some(db) = crate::lock::database_file(&settings.database_url()) else {
        return Ok(());
    };
    if db.exists() {
        return Ok(());
    }
    for f in folders(settings) {
        if let Some(id) = read_marker(&f.path)? {
            return Err(BindingError::DatabaseMissing {
                db: db.display().to_string(),
                what: f.what,
                folder: f.path.display().to_string(),
                id,
            });
        }
    }
    Ok(())
}

/// The database's identity and the folders that must carry it.
pub struct Binding<'a> {
    pub store_id: &'a str,
    /// The database, for messages.
    pub database: String,
    pub folders: Vec<Folder>,
}

impl Binding<'_> {
    /// Every folder that carries an identity carries this one. With `as_daemon`, every folder
    /// without one is claimed; otherwise only existing folders that commands write (the media
    /// store), and nothing is created.
    pub fn check(&self, as_daemon: bool) -> Result<(), BindingError> {
        for f in &self.folders {
            match read_marker(&f.path)? {
                Some(theirs) if theirs == self.store_id => {}
                Some(theirs) => {
                    return Err(BindingError::Mismatch {
                        what: f.what.clone(),
                        folder: f.path.display().to_string(),
                        db: self.database.clone(),
                        theirs,
                        ours: self.store_id.to_owned(),
                    });
                }
                None if as_daemon || (!f.daemon_only && f.path.is_dir()) => {
                    write_marker(&f.path, self.store_id)?
                }
                None => {}
            }
        }
        Ok(())
    }
}

fn read_marker(dir: &Path) -> Result<Option<String>, BindingError> {
    let path = dir.join(MARKER);
    match std::fs::read_to_string(&path) {
        Ok(s) => Ok(Some(s.trim().to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(BindingError::Io {
            action: "read",
            path: path.display().to_string(),
            source,
        }),
    }
}

fn write_marker(dir: &Path, id: &str) -> Result<(), BindingError> {
    let io = |action, path: &Path| {
        let path = path.display().to_string();
        move |source| BindingError::Io {
            action,
            path,
            source,
        }
    };
    std::fs::create_dir_all(dir).map_err(io("create", dir))?;
    let path = dir.join(MARKER);
    let tmp = dir.join(format!("{MARKER}.tmp"));
    std::fs::write(&tmp, format!("{id}\n")).map_err(io("write", &tmp))?;
    std::fs::rename(&tmp, &path).map_err(io("write", &path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(dir: &Path, daemon_only: bool) -> Folder {
        Folder {
            what: FolderKind::Website("website".into()),
            path: dir.join("site"),
            daemon_only,
        }
    }

    #[test]
    fn a_new_folder_is_claimed_and_then_recognised() {
        let tmp = tempfile::tempdir().unwrap();
        let b = Binding {
            store_id: "aaa",
            database: "db".into(),
            folders: vec![folder(tmp.path(), true)],
        };
        b.check(true).unwrap();
        assert_eq!(
            read_marker(&tmp.path().join("site")).unwrap().as_deref(),
            Some("aaa")
        );
        b.check(true).unwrap();
    }

    #[test]
    fn a_command_does_not_claim_what_only_the_daemon_writes() {
        let tmp = tempfile::tempdir().unwrap();
        let b = Binding {
            store_id: "aaa",
            database: "db".into(),
            folders: vec![folder(tmp.path(), true)],
        };
        b.check(false).unwrap();
        assert!(!tmp.path().join("site").exists());
    }

    #[test]
    fn another_databases_folder_is_refused_naming_both() {
        let tmp = tempfile::tempdir().unwrap();
        let mk = |id| Binding {
            store_id: id,
            database: "/data/prakat.db".into(),
            folders: vec![folder(tmp.path(), true)],
        };
        mk("aaa").check(true).unwrap();
        let err = mk("bbb").check(false).unwrap_err().to_string();
        assert!(
            err.contains("belongs to another database (identity aaa)"),
            "{err}"
        );
        assert!(err.contains("/data/prakat.db is bbb"), "{err}");
        assert!(
            err.contains("restore the right database from a backup"),
            "{err}"
        );
    }
}
