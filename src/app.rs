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
        std::fs::create_dir_all(&settings.storage.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create the data directory {}: {e}",
                settings.storage.data_dir.display()
            )
        })?;
        // Absolute from here on: paths are stored with media and written into receipts.
        if let Ok(abs) = std::fs::canonicalize(&settings.storage.data_dir) {
            settings.storage.data_dir = abs;
        }
        let url = settings.database_url();
        if !url.starts_with("sqlite:") {
            anyhow::bail!(
                "storage.database_url {:?}: only sqlite:// databases are supported in this version",
                settings.database_url_shown()
            );
        }
        crate::binding::refuse_missing_database(&settings)?;
        let database = crate::lock::database_file(&url)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(in memory)".into());
        let store = Arc::new(
            SqliteStore::open_url(&url)
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
            let actor = Actor::daemon("system:seed");
            for d in default_departments() {
                match store.add_department(&d, &actor).await {
                    Ok(()) | Err(crate::store::StoreError::Conflict(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
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

/// A database that cannot be opened, said with its file and what to do.
fn explain_open_error(db: &str, e: StoreError) -> anyhow::Error {
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
    let why = match (database_error.map(sqlite_code), &e) {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        (Some(11 | 26), _) => format!(
            "the database file {db} is damaged or is not a prakat database: stop prakat and restore it from a backup"
        ),
        // SQLITE_READONLY
        (Some(8), _) => format!(
            "the database file {db} is read-only: give the user running prakat write access to it and to its folder"
        ),
        // SQLITE_CANTOPEN
        (Some(14), _) => format!(
            "cannot open the database file {db}: check that its folder exists and that the user running prakat may write there"
        ),
        // SQLITE_FULL
        (Some(13), _) => {
            format!("the disk holding the database file {db} is full: free some space")
        }
        (_, StoreError::Migrate(MigrateError::VersionMissing(v))) => format!(
            "the database {db} was written by a newer prakat (its change {v} is unknown to this one): \
             run the newer prakat, or restore a backup made with this version"
        ),
        (_, StoreError::Migrate(MigrateError::VersionMismatch(v))) => format!(
            "the database {db} was prepared by a different build of prakat (change {v} differs): run the prakat that made it"
        ),
        _ => format!("cannot open the database {db}: {e}"),
    };
    anyhow::anyhow!(why)
}
