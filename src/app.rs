//! The pieces every command shares, opened from the settings: the store (migrated, departments
//! seeded), the enabled channels, the composer and the media store. The daemon opens it with
//! its channels built for publishing ([`App::open`]); a command opens it for composing or
//! checking ([`App::open_for`]), which writes none of the daemon's files and reads no secret it
//! does not use.

use std::sync::Arc;

use prakat_adapters::Department;
use serde::Deserialize;

use crate::channels::{Purpose, Registry, website_base_url};
use crate::compose::{Composer, StationInfo};
use crate::i18n::{Msg, io_reason};
use crate::media::MediaStore;
use crate::settings::Settings;
use crate::store::{Actor, SqliteStore, Store, StoreError};

pub struct App {
    pub settings: Settings,
    pub store: Arc<SqliteStore>,
    pub registry: Arc<Registry>,
    pub composer: Arc<Composer>,
    pub media: MediaStore,
}

#[derive(Deserialize)]
struct DepartmentsFile {
    department: Vec<Department>,
}

/// The departments a new database starts with (the five lines of work of the seed document).
pub fn default_departments() -> Vec<Department> {
    toml::from_str::<DepartmentsFile>(include_str!("../config/departments.toml"))
        .map(|f| f.department)
        .expect("config/departments.toml is valid")
}

impl App {
    /// Open with the channels built for publishing: the daemon (and tests that run an engine).
    pub async fn open(settings: Settings) -> anyhow::Result<App> {
        Self::open_for(settings, Purpose::Publish).await
    }

    /// Open with the channels built for `purpose`.
    pub async fn open_for(mut settings: Settings, purpose: Purpose) -> anyhow::Result<App> {
        std::fs::create_dir_all(&settings.storage.data_dir).map_err(|source| {
            OpenError::DataDirectory {
                path: settings.storage.data_dir.display().to_string(),
                source,
            }
        })?;
        // Absolute from here on: paths are stored with media and written into receipts.
        if let Ok(abs) = std::fs::canonicalize(&settings.storage.data_dir) {
            settings.storage.data_dir = abs;
        }
        let url = settings.database_url();
        if !url.starts_with("sqlite:") {
            return Err(OpenError::UnsupportedDatabase {
                url: settings.database_url_shown(),
            }
            .into());
        }
        crate::binding::refuse_missing_database(&settings)?;
        let database = crate::lock::database_file(&url)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(in memory)".into());
        let store = Arc::new(
            SqliteStore::open_url_tuned(&url, Default::default(), settings.storage.sqlite_tuning())
                .await
                .map_err(|e| explain_open_error(&database, e))?
                .with_media_root(settings.media_dir()),
        );
        let store_id = store.store_id().await?;
        crate::binding::Binding {
            store_id: &store_id,
            database,
            folders: crate::binding::folders(&settings),
        }
        .check(purpose == Purpose::Publish)?;
        if store.departments().await?.is_empty() {
            store
                .seed_departments(&default_departments(), &Actor::daemon("system:seed"))
                .await?;
        }
        let registry = Arc::new(Registry::build(&settings, purpose)?);
        let composer = Arc::new(Composer::new(
            settings.templates.dir.clone(),
            StationInfo {
                name_th: settings.station.name_th.clone(),
                name_en: settings.station.name_en.clone(),
            },
            settings
                .channels
                .website()
                .map(|_| website_base_url(&settings)),
        ));
        let media = MediaStore::new(settings.media_dir(), settings.media.clone());
        Ok(App {
            settings,
            store,
            registry,
            composer,
            media,
        })
    }
}

/// Why the data directory or the database cannot be opened, said with the file and what to do.
/// The text here is for logs; a person reads [`OpenError::msg`], in their language.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDirectory {
        path: String,
        source: std::io::Error,
    },
    #[error("storage.database_url {url:?}: only sqlite:// databases are supported in this version")]
    UnsupportedDatabase { url: String },
    #[error(
        "the database file {db} is damaged or is not a prakat database: stop prakat and restore it from a backup"
    )]
    Damaged { db: String },
    #[error(
        "the database file {db} is read-only: give the user running prakat write access to it and to its folder"
    )]
    ReadOnly { db: String },
    #[error(
        "cannot open the database file {db}: check that its folder exists and that the user running prakat may write there"
    )]
    CannotOpen { db: String },
    #[error("the disk holding the database file {db} is full: free some space")]
    DiskFull { db: String },
    #[error(
        "the database {db} was written by a newer prakat (its change {version} is unknown to this one): \
         run the newer prakat, or restore a backup made with this version"
    )]
    Newer { db: String, version: i64 },
    #[error(
        "the database {db} was prepared by a different build of prakat (change {version} differs): run the prakat that made it"
    )]
    OtherBuild { db: String, version: i64 },
    #[error("cannot open the database {db}: {detail}")]
    Other { db: String, detail: String },
}

impl OpenError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        let db = |id, db: &String| Msg::new(id).with("db", db);
        match self {
            OpenError::DataDirectory { path, source } => Msg::new("open-data-directory")
                .with("path", path)
                .with_msg("reason", io_reason(source)),
            OpenError::UnsupportedDatabase { url } => {
                Msg::new("open-unsupported-database").with("url", format!("{url:?}"))
            }
            OpenError::Damaged { db: d } => db("open-damaged", d),
            OpenError::ReadOnly { db: d } => db("open-read-only", d),
            OpenError::CannotOpen { db: d } => db("open-cannot-open", d),
            OpenError::DiskFull { db: d } => db("open-disk-full", d),
            OpenError::Newer { db: d, version } => db("open-newer", d).with("version", version),
            OpenError::OtherBuild { db: d, version } => {
                db("open-other-build", d).with("version", version)
            }
            OpenError::Other { db: d, detail } => db("open-other", d).with("detail", detail),
        }
    }
}

/// A database that cannot be opened, said with its file and what to do.
fn explain_open_error(db: &str, e: StoreError) -> OpenError {
    use sqlx::migrate::MigrateError;
    let sqlite_code = |d: &dyn sqlx::error::DatabaseError| {
        // Extended result codes keep the primary code in the low byte.
        d.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0) & 0xff
    };
    let database_error = match &e {
        StoreError::Database(sqlx::Error::Database(d))
        | StoreError::Migrate(MigrateError::Execute(sqlx::Error::Database(d)))
        | StoreError::Migrate(MigrateError::ExecuteMigration(sqlx::Error::Database(d), _)) => {
            Some(&**d)
        }
        _ => None,
    };
    let db = db.to_owned();
    match (database_error.map(sqlite_code), &e) {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        (Some(11 | 26), _) => OpenError::Damaged { db },
        // SQLITE_READONLY
        (Some(8), _) => OpenError::ReadOnly { db },
        // SQLITE_CANTOPEN
        (Some(14), _) => OpenError::CannotOpen { db },
        // SQLITE_FULL
        (Some(13), _) => OpenError::DiskFull { db },
        (_, StoreError::Migrate(MigrateError::VersionMissing(v))) => {
            OpenError::Newer { db, version: *v }
        }
        (_, StoreError::Migrate(MigrateError::VersionMismatch(v))) => {
            OpenError::OtherBuild { db, version: *v }
        }
        _ => OpenError::Other {
            db,
            detail: e.to_string(),
        },
    }
}
