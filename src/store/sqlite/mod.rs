//! The SQLite store: the embedded default, one file under the data directory, WAL mode.
//!
//! Write transactions start with `BEGIN IMMEDIATE` so two writers queue on the busy timeout
//! instead of failing on a lock upgrade. Claims are one `UPDATE … WHERE id IN (SELECT … LIMIT n)
//! RETURNING` statement: SQLite has a single writer, so no row locking is needed. Audit rows are
//! written in the same transaction as the change they describe.

mod bulk;
mod chat;
mod corrections;
mod desk;
mod digest;
mod list;
mod reach;
mod rows;
mod settle;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prakat_adapters::{Department, MediaRef, Payload};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::*;
use rows::*;

/// The SQLite implementation of [`Store`].
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Where media files are, for paths handed out; stored paths are relative to it, so moving
    /// or restoring the data directory keeps queued deliveries valid.
    media_root: Option<PathBuf>,
}

/// How hard a commit is pushed to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: a claim, a checkpoint or an outcome that was committed survives a
    /// power cut. The default: a claim written before a network call must not be lost.
    #[default]
    Full,
    /// `synchronous=NORMAL`: the last commits may be lost on a power cut (never on a crash of
    /// the process). Only for measuring what `Full` costs (`prakat bench dispatch`).
    Normal,
}

/// How much memory SQLite may use to keep the database's pages at hand, per connection of the
/// pool (`[storage] sqlite_cache_mib`, `sqlite_mmap_mib`). Pages are taken as they are read: an
/// idle daemon with a small database uses little of either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqliteTuning {
    /// The page cache (`PRAGMA cache_size`), in MiB. SQLite's own default is 2 MiB.
    pub cache_mib: u32,
    /// How much of the file is read through a memory map (`PRAGMA mmap_size`), in MiB; 0 reads
    /// with `pread` only.
    pub mmap_mib: u32,
}

impl Default for SqliteTuning {
    fn default() -> Self {
        SqliteTuning {
            cache_mib: 16,
            mmap_mib: 256,
        }
    }
}

impl Durability {
    fn synchronous(self) -> SqliteSynchronous {
        match self {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        }
    }
}

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(v: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(v).unwrap_or_default()
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// A media file's place inside the media store, the same wherever the store is.
fn media_relative(m: &MediaRef) -> PathBuf {
    Path::new(&m.sha256[..m.sha256.len().min(2)]).join(m.stored_name())
}

/// A payload as stored: media named by their place in the media store, not by absolute path.
fn stored_payload(p: &Payload) -> String {
    let mut p = p.clone();
    for m in &mut p.media {
        m.path = media_relative(m);
    }
    json(&p)
}

impl SqliteStore {
    /// Open (creating if needed) the database file and apply migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::connect(opts, Durability::Full, SqliteTuning::default()).await
    }

    /// Open from a `sqlite:` URL.
    pub async fn open_url(url: &str) -> Result<Self> {
        Self::open_url_with(url, Durability::Full).await
    }

    /// Open from a `sqlite:` URL with the given durability.
    pub async fn open_url_with(url: &str, durability: Durability) -> Result<Self> {
        Self::open_url_tuned(url, durability, SqliteTuning::default()).await
    }

    /// Open from a `sqlite:` URL with the given durability and memory for pages.
    pub async fn open_url_tuned(
        url: &str,
        durability: Durability,
        tuning: SqliteTuning,
    ) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
        Self::connect(opts, durability, tuning).await
    }

    /// Hand out media paths under `root` (the media store's directory).
    pub fn with_media_root(mut self, root: PathBuf) -> Self {
        self.media_root = Some(root);
        self
    }

    /// A stored media path made usable: under the media root when one is set.
    pub(crate) fn resolve_media(&self, m: &mut MediaRef) {
        if let Some(root) = &self.media_root {
            m.path = root.join(media_relative(m));
        }
    }

    pub(crate) fn resolve_payload(&self, p: &mut Payload) {
        for m in &mut p.media {
            self.resolve_media(m);
        }
    }

    async fn connect(
        opts: SqliteConnectOptions,
        durability: Durability,
        tuning: SqliteTuning,
    ) -> Result<Self> {
        let opts = opts
            // Negative: in KiB rather than pages.
            .pragma(
                "cache_size",
                format!("-{}", u64::from(tuning.cache_mib) * 1024),
            )
            .pragma("mmap_size", (u64::from(tuning.mmap_mib) << 20).to_string())
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(durability.synchronous())
            .busy_timeout(Duration::from_secs(30))
            // Rows cross from SQLite's thread to the caller through a bounded channel: with
            // sqlx's 50, SQLite's thread stops and waits for the caller whenever 50 rows are
            // waiting, several times for each claim of 256 deliveries. With 1,024 a claim is
            // handed over without stopping: 13 % more deliveries per second draining 50,000
            // (`prakat bench dispatch`, README).
            .row_buffer_size(1024)
            .foreign_keys(true);
        // Two processes opening a new database at once (the daemon starting while a command
        // runs) would both switch it to WAL and both apply the same migration; the second fails
        // half-way. SQLite's migrations take no lock of their own across processes: a file lock
        // beside the database makes opening one at a time.
        let guard = migration_lock(opts.get_filename()).await?;
        // The file is created once, here; the pool's later connections never create it, so a
        // database deleted under a running daemon is an error, not a fresh empty one.
        {
            use sqlx::{ConnectOptions, Connection};
            opts.clone()
                .create_if_missing(true)
                .connect()
                .await?
                .close()
                .await?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts.create_if_missing(false))
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        drop(guard);
        Ok(SqliteStore {
            pool,
            media_root: None,
        })
    }

    async fn write_tx(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Claim up to `limit` due deliveries in `tx` (see `claim.sql`), with one audit row each.
async fn claim_in(
    tx: &mut Transaction<'_, Sqlite>,
    now: DateTime<Utc>,
    owner: &str,
    lease: Duration,
    limit: usize,
) -> Result<Vec<ClaimRow>> {
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let rows: Vec<ClaimRow> = sqlx::query_as(include_str!("claim.sql"))
        .bind(owner)
        .bind(ms(until))
        .bind(ms(now))
        .bind(limit as i64)
        .fetch_all(&mut **tx)
        .await?;
    if rows.is_empty() {
        return Ok(rows);
    }
    // [[id, attempt, unsettled], …] for one constant statement (see `claim_audit.sql`).
    let mut lines = String::with_capacity(rows.len() * 16 + 2);
    lines.push('[');
    for (i, r) in rows.iter().enumerate() {
        use std::fmt::Write as _;
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            lines,
            "{sep}[{},{},{}]",
            r.id,
            r.attempts,
            i64::from(r.unsettled != 0)
        );
    }
    lines.push(']');
    sqlx::query(include_str!("claim_audit.sql"))
        .bind(ms(now))
        .bind(format!("dispatcher:{owner}"))
        .bind(lines)
        .execute(&mut **tx)
        .await?;
    Ok(rows)
}

impl SqliteStore {
    /// Claimed rows as the dispatcher takes them, media paths resolved.
    fn claimed(&self, rows: Vec<ClaimRow>) -> Result<Vec<ClaimedDelivery>> {
        rows.into_iter()
            .map(|r| {
                let mut c = r.into_claimed()?;
                self.resolve_payload(&mut c.payload);
                Ok(c)
            })
            .collect()
    }
}

/// An exclusive lock on `<database>.migrate-lock` while the database is opened (none for an
/// in-memory database, nor where the file cannot be made: a read-only folder, whose database
/// no one can be migrating).
async fn migration_lock(db: &Path) -> Result<Option<std::fs::File>> {
    let name = db.as_os_str();
    if name.is_empty() || name == ":memory:" {
        return Ok(None);
    }
    let mut path = name.to_owned();
    path.push(".migrate-lock");
    let path = PathBuf::from(path);
    let locked = tokio::task::spawn_blocking(move || {
        use fs4::fs_std::FileExt;
        let file = match std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) => {
                tracing::debug!(path = %path.display(), error = %e, "no lock file for opening the database");
                return Ok(None);
            }
        };
        file.lock_exclusive()?;
        Ok::<_, std::io::Error>(Some(file))
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("migration lock: {e}")))?;
    locked.map_err(|e| StoreError::Database(sqlx::Error::Io(e)))
}

/// Add a department with its audit line; `false` when one of its code exists.
async fn insert_department(
    tx: &mut Transaction<'_, Sqlite>,
    dept: &Department,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO departments (code, name_th, name_en, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
    )
    .bind(&dept.code)
    .bind(&dept.name_th)
    .bind(&dept.name_en)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit(
        tx,
        now,
        actor,
        "created",
        "department",
        &dept.code,
        serde_json::to_value(dept).unwrap_or_default(),
    )
    .await?;
    Ok(true)
}

async fn audit(
    tx: &mut Transaction<'_, Sqlite>,
    at: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(ms(at))
    .bind(&actor.name)
    .bind(&actor.role)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(prakat_adapters::http::scrub(&detail.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One line of the audit trail written with others by [`audit_many`].
pub(super) struct AuditLine {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

/// Audit rows of one actor at one time, in as few statements as SQLite's limit on parameters
/// allows (one for a batch of the dispatcher's size).
async fn audit_many(
    tx: &mut Transaction<'_, Sqlite>,
    at: DateTime<Utc>,
    actor: &Actor,
    lines: &[AuditLine],
) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let rows: Vec<(&str, &str, &str, String)> = lines
        .iter()
        .map(|l| {
            (
                l.action,
                l.entity,
                l.entity_id.as_str(),
                prakat_adapters::http::scrub(&l.detail.to_string()),
            )
        })
        .collect();
    sqlx::query(include_str!("audit_many.sql"))
        .bind(ms(at))
        .bind(&actor.name)
        .bind(&actor.role)
        .bind(json(&rows))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn load_media(conn: &mut sqlx::SqliteConnection, hashes: &[String]) -> Result<Vec<MediaRef>> {
    let mut out = Vec::with_capacity(hashes.len());
    for h in hashes {
        let row: MediaRow = sqlx::query_as("SELECT * FROM media WHERE sha256 = ?")
            .bind(h)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("media {h}")))?;
        out.push(row.into_media()?);
    }
    Ok(out)
}

async fn load_department(conn: &mut sqlx::SqliteConnection, code: &str) -> Result<Department> {
    let row: DepartmentRow =
        sqlx::query_as("SELECT code, name_th, name_en FROM departments WHERE code = ?")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("department {code}")))?;
    Ok(row.into())
}

async fn load_announcement(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
) -> Result<AnnouncementRecord> {
    let row: AnnouncementRow = sqlx::query_as("SELECT * FROM announcements WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("announcement {id}")))?;
    let hashes: Vec<String> = sqlx::query_scalar(
        "SELECT sha256 FROM announcement_media WHERE announcement_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let media = load_media(conn, &hashes).await?;
    let department = load_department(conn, &row.department).await?;
    row.into_record(department, media)
}

/// Insert an announcement row, its media links and its composed deliveries. Returns `None` when
/// the (rule, occurrence) pair already exists.
async fn insert_announcement(
    tx: &mut Transaction<'_, Sqlite>,
    new: &NewAnnouncement,
    rule_id: Option<i64>,
    author: &Actor,
    now: DateTime<Utc>,
    compose: &ComposeFn<'_>,
) -> Result<Option<(AnnouncementRecord, Vec<DeliveryRow>)>> {
    let Some(record) = insert_announcement_row(tx, new, rule_id, author, now, "approved").await?
    else {
        return Ok(None);
    };
    let composed = compose(&record)?;
    let rows = insert_deliveries(tx, &record, &composed, author, now).await?;
    Ok(Some((record, rows)))
}

/// Insert an announcement row in `state` with its media links. `None` when the (rule,
/// occurrence) pair already exists.
async fn insert_announcement_row(
    tx: &mut Transaction<'_, Sqlite>,
    new: &NewAnnouncement,
    rule_id: Option<i64>,
    author: &Actor,
    now: DateTime<Utc>,
    state: &str,
) -> Result<Option<AnnouncementRecord>> {
    let department = load_department(tx, &new.department).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO announcements (department, title, body, link, tags, author, source, state, publish_at, rule_id, created_at, channels)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule_id, publish_at) DO NOTHING RETURNING id",
    )
    .bind(&new.department)
    .bind(&new.title)
    .bind(&new.body)
    .bind(&new.link)
    .bind(json(&new.tags))
    .bind(&author.name)
    .bind(&new.source)
    .bind(state)
    .bind(ms(new.publish_at))
    .bind(rule_id)
    .bind(ms(now))
    .bind(json(&new.channels))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    insert_media(tx, id, &new.media).await?;
    Ok(Some(AnnouncementRecord {
        id,
        department,
        title: new.title.clone(),
        body: new.body.clone(),
        link: new.link.clone(),
        tags: new.tags.clone(),
        media: new.media.clone(),
        author: author.name.clone(),
        source: new.source.clone(),
        state: state.into(),
        publish_at: new.publish_at,
        rule_id,
        created_at: now,
        channels: new.channels.clone(),
        decision: None,
        revision: Default::default(),
    }))
}

/// An announcement's files, in their order (the caller deletes any it had before).
async fn insert_media(
    tx: &mut Transaction<'_, Sqlite>,
    announcement_id: i64,
    media: &[MediaRef],
) -> Result<()> {
    for (pos, m) in media.iter().enumerate() {
        sqlx::query(
            "INSERT INTO announcement_media (announcement_id, position, sha256) VALUES (?, ?, ?)",
        )
        .bind(announcement_id)
        .bind(pos as i64)
        .bind(&m.sha256)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Store an approved announcement's composed deliveries, with the channels it skipped and its
/// creation in the audit trail.
async fn insert_deliveries(
    tx: &mut Transaction<'_, Sqlite>,
    record: &AnnouncementRecord,
    composed: &crate::compose::Composed,
    author: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<DeliveryRow>> {
    let id = record.id;
    let deliveries = &composed.deliveries;
    if deliveries.is_empty() {
        return Err(StoreError::Invalid(
            "an announcement needs at least one channel".into(),
        ));
    }
    for k in &composed.skipped {
        audit(
            tx,
            now,
            author,
            "skipped",
            "announcement",
            &id.to_string(),
            serde_json::json!({"channel": k.channel, "reason": k.reason.en, "reason_th": k.reason.th}),
        )
        .await?;
    }
    let mut rows = Vec::with_capacity(deliveries.len());
    for d in deliveries {
        let did: i64 = sqlx::query_scalar(
            "INSERT INTO deliveries (announcement_id, channel, state, due_at, next_attempt_at, idempotency_key, payload, created_at, updated_at)
             VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(&d.channel)
        .bind(ms(d.due_at))
        .bind(ms(d.due_at))
        .bind(&d.idempotency_key)
        .bind(stored_payload(&d.payload))
        .bind(ms(now))
        .bind(ms(now))
        .fetch_one(&mut **tx)
        .await?;
        audit(
            tx,
            now,
            author,
            "queued",
            "delivery",
            &did.to_string(),
            serde_json::json!({"channel": d.channel, "due_at": d.due_at}),
        )
        .await?;
        rows.push(queued_row(record, d, did));
    }
    audit(
        tx,
        now,
        author,
        "created",
        "announcement",
        &id.to_string(),
        serde_json::json!({"department": record.department.code, "source": record.source, "rule_id": record.rule_id,
                           "channels": deliveries.iter().map(|d| d.channel.as_str()).collect::<Vec<_>>()}),
    )
    .await?;
    Ok(rows)
}

/// A delivery just queued, as people see it.
fn queued_row(record: &AnnouncementRecord, d: &NewDelivery, id: i64) -> DeliveryRow {
    DeliveryRow {
        id,
        announcement_id: record.id,
        department: record.department.code.clone(),
        title: record.title.clone(),
        channel: d.channel.clone(),
        state: DeliveryState::Queued,
        due_at: from_ms(ms(d.due_at)),
        next_attempt_at: from_ms(ms(d.due_at)),
        attempts: 0,
        unsettled: false,
        idempotency_key: d.idempotency_key.clone(),
        remote_id: None,
        remote_url: None,
        request_id: None,
        last_error: None,
        last_error_class: None,
        published_at: None,
        payload: d.payload.clone(),
    }
}

/// Move a pending announcement to `state` (publishing at `publish_at` when given), or say why
/// not: it is gone, or someone decided.
async fn decide(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    state: &str,
    publish_at: Option<DateTime<Utc>>,
    note: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE announcements SET state = ?, publish_at = COALESCE(?, publish_at), decided_by = ?, decided_at = ?,
         decision_note = ? WHERE id = ? AND state = 'pending_approval'",
    )
    .bind(state)
    .bind(publish_at.map(ms))
    .bind(&actor.name)
    .bind(ms(now))
    .bind(note)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(not_pending(tx, id).await);
    }
    Ok(())
}

/// Why announcement `id` is not pending: not found, or decided by whom and when.
async fn not_pending(tx: &mut Transaction<'_, Sqlite>, id: i64) -> StoreError {
    match load_announcement(tx, id).await {
        Err(e) => e,
        Ok(a) => a.decided().unwrap_or_else(|| {
            StoreError::Conflict(format!("announcement {id} changed meanwhile"))
        }),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn seed_departments(&self, depts: &[Department], actor: &Actor) -> Result<usize> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM departments")
            .fetch_one(&mut *tx)
            .await?;
        if existing > 0 {
            return Ok(0);
        }
        for dept in depts {
            insert_department(&mut tx, dept, actor, now).await?;
        }
        tx.commit().await?;
        Ok(depts.len())
    }

    async fn add_department(&self, dept: &Department, actor: &Actor) -> Result<()> {
        let mut tx = self.write_tx().await?;
        if !insert_department(&mut tx, dept, actor, Utc::now()).await? {
            return Err(StoreError::Conflict(format!(
                "department {} already exists",
                dept.code
            )));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn store_id(&self) -> Result<String> {
        Ok(
            sqlx::query_scalar("SELECT id FROM store_identity WHERE singleton = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn departments(&self) -> Result<Vec<Department>> {
        let rows: Vec<DepartmentRow> = sqlx::query_as(
            "SELECT code, name_th, name_en FROM departments WHERE active = 1 ORDER BY rowid",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn department(&self, code: &str) -> Result<Option<Department>> {
        let row: Option<DepartmentRow> = sqlx::query_as(
            "SELECT code, name_th, name_en FROM departments WHERE code = ? AND active = 1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Into::into))
    }

    async fn put_media(&self, m: &MediaRef) -> Result<()> {
        sqlx::query(
            "INSERT INTO media (sha256, mime, kind, size, path, original_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&m.sha256)
        .bind(&m.mime)
        .bind(media_kind_str(m.kind))
        .bind(m.size as i64)
        .bind(media_relative(m).to_string_lossy().as_ref())
        .bind(&m.original_name)
        .bind(ms(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn media(&self, sha256: &[String]) -> Result<Vec<MediaRef>> {
        self.media_by_hash(sha256).await
    }

    async fn create_announcement(
        &self,
        new: &NewAnnouncement,
        compose: &ComposeFn<'_>,
        actor: &Actor,
    ) -> Result<(AnnouncementRecord, Vec<DeliveryRow>)> {
        let mut tx = self.write_tx().await?;
        let created = insert_announcement(&mut tx, new, None, actor, Utc::now(), compose)
            .await?
            .ok_or_else(|| StoreError::Conflict("announcement already exists".into()))?;
        tx.commit().await?;
        Ok(created)
    }

    async fn create_announcements(
        &self,
        news: &[NewAnnouncement],
        compose: &ComposeFn<'_>,
        actor: &Actor,
    ) -> Result<Vec<(AnnouncementRecord, Vec<DeliveryRow>)>> {
        if news.is_empty() {
            return Ok(vec![]);
        }
        let mut tx = self.write_tx().await?;
        let created = bulk::insert_announcements(&mut tx, news, actor, Utc::now(), compose).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn announcement(&self, id: i64) -> Result<AnnouncementRecord> {
        let mut a = self.announcements_by_id(&[id]).await?;
        Ok(a.remove(0))
    }

    async fn submit_announcement(
        &self,
        new: &NewAnnouncement,
        origin: Option<&Origin>,
        actor: &Actor,
    ) -> Result<AnnouncementRecord> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        if let Some(origin) = origin {
            let earlier: Option<i64> =
                sqlx::query_scalar("SELECT id FROM announcements WHERE origin = ?")
                    .bind(&origin.key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(id) = earlier {
                let mut record = load_announcement(&mut tx, id).await?;
                record.media.iter_mut().for_each(|m| self.resolve_media(m));
                if let Some((person, up_to)) = origin.chat_pieces {
                    chat::close_pieces_in(&mut tx, person, up_to, Some(id)).await?;
                }
                tx.commit().await?;
                return Ok(record);
            }
        }
        let record = insert_announcement_row(&mut tx, new, None, actor, now, "pending_approval")
            .await?
            .ok_or_else(|| StoreError::Conflict("announcement already exists".into()))?;
        if let Some(origin) = origin {
            sqlx::query("UPDATE announcements SET origin = ? WHERE id = ?")
                .bind(&origin.key)
                .bind(record.id)
                .execute(&mut *tx)
                .await?;
            if let Some((person, up_to)) = origin.chat_pieces {
                chat::close_pieces_in(&mut tx, person, up_to, Some(record.id)).await?;
            }
        }
        audit(
            &mut tx,
            now,
            actor,
            "submitted",
            "announcement",
            &record.id.to_string(),
            serde_json::json!({"department": new.department, "source": new.source, "channels": new.channels}),
        )
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn approve_announcement(
        &self,
        id: i64,
        publish_at: DateTime<Utc>,
        composed: &crate::compose::Composed,
        actor: &Actor,
    ) -> Result<(AnnouncementRecord, Vec<DeliveryRow>)> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        decide(&mut tx, id, "approved", Some(publish_at), None, actor, now).await?;
        let mut record = load_announcement(&mut tx, id).await?;
        record.media.iter_mut().for_each(|m| self.resolve_media(m));
        let rows = insert_deliveries(&mut tx, &record, composed, actor, now).await?;
        audit(
            &mut tx,
            now,
            actor,
            "approved",
            "announcement",
            &id.to_string(),
            serde_json::json!({"publish_at": publish_at}),
        )
        .await?;
        tx.commit().await?;
        Ok((record, rows))
    }

    async fn close_announcement(
        &self,
        id: i64,
        closing: Closing,
        note: Option<&str>,
        actor: &Actor,
    ) -> Result<AnnouncementRecord> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        decide(&mut tx, id, closing.state(), None, note, actor, now).await?;
        audit(
            &mut tx,
            now,
            actor,
            closing.state(),
            "announcement",
            &id.to_string(),
            serde_json::json!({"reason": note}),
        )
        .await?;
        let record = load_announcement(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn edit_pending(
        &self,
        id: i64,
        title: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<AnnouncementRecord> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE announcements SET title = ?, body = ? WHERE id = ? AND state = 'pending_approval'",
        )
        .bind(title)
        .bind(body)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(not_pending(&mut tx, id).await);
        }
        audit(
            &mut tx,
            now,
            actor,
            "edited",
            "announcement",
            &id.to_string(),
            serde_json::json!({"title": title}),
        )
        .await?;
        let record = load_announcement(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn list_announcements(
        &self,
        filter: &AnnouncementFilter,
    ) -> Result<Vec<AnnouncementRecord>> {
        self.list_announcement_records(filter).await
    }

    async fn announcements_in_state(
        &self,
        state: &str,
        limit: usize,
    ) -> Result<Vec<AnnouncementRecord>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM announcements WHERE state = ? ORDER BY created_at, id LIMIT ?",
        )
        .bind(state)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        self.announcements_by_id(&ids).await
    }

    async fn create_rule(&self, rule: &NewRule, actor: &Actor) -> Result<RuleRecord> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        load_department(&mut tx, &rule.department).await?;
        let hashes: Vec<&str> = rule.media.iter().map(|m| m.sha256.as_str()).collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recurring_rules (department, title, body, link, media, channels, cron, next_fire_at, author, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&rule.department)
        .bind(&rule.title)
        .bind(&rule.body)
        .bind(&rule.link)
        .bind(json(&hashes))
        .bind(json(&rule.channels))
        .bind(&rule.cron)
        .bind(ms(rule.next_fire_at))
        .bind(&actor.name)
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        audit(&mut tx, now, actor, "created", "rule", &id.to_string(),
              serde_json::json!({"cron": rule.cron, "next_fire_at": rule.next_fire_at, "channels": rule.channels})).await?;
        tx.commit().await?;
        Ok(RuleRecord {
            id,
            department: rule.department.clone(),
            title: rule.title.clone(),
            body: rule.body.clone(),
            link: rule.link.clone(),
            media: rule.media.clone(),
            channels: rule.channels.clone(),
            cron: rule.cron.clone(),
            next_fire_at: rule.next_fire_at,
            active: true,
            author: actor.name.clone(),
            paused_reason: None,
            paused_at: None,
        })
    }

    async fn rule(&self, id: i64) -> Result<RuleRecord> {
        let row: Option<RuleRow> =
            sqlx::query_as("SELECT * FROM recurring_rules WHERE id = ? AND deleted_at IS NULL")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let row = row.ok_or_else(|| StoreError::NotFound(format!("rule {id}")))?;
        let mut conn = self.pool.acquire().await?;
        let mut rule = row.into_record(&mut conn).await?;
        rule.media.iter_mut().for_each(|m| self.resolve_media(m));
        Ok(rule)
    }

    async fn pause_rule(
        &self,
        id: i64,
        why: RulePause,
        detail: serde_json::Value,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<RuleRecord> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recurring_rules SET active = 0, paused_at = ?, paused_reason = ?
             WHERE id = ? AND active = 1 AND deleted_at IS NULL",
        )
        .bind(ms(now))
        .bind(why.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.rule_conflict(&mut tx, id, "paused").await);
        }
        let action = match why {
            RulePause::ByHand => "paused",
            RulePause::Failures => "rule_paused",
        };
        audit(&mut tx, now, actor, action, "rule", &id.to_string(), detail).await?;
        tx.commit().await?;
        self.rule(id).await
    }

    async fn resume_rule(
        &self,
        id: i64,
        next_fire_at: DateTime<Utc>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<RuleRecord> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recurring_rules SET active = 1, paused_at = NULL, paused_reason = NULL,
             next_fire_at = ?, streak_from = ? WHERE id = ? AND active = 0 AND deleted_at IS NULL",
        )
        .bind(ms(next_fire_at))
        .bind(ms(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.rule_conflict(&mut tx, id, "resumed").await);
        }
        audit(
            &mut tx,
            now,
            actor,
            "resumed",
            "rule",
            &id.to_string(),
            serde_json::json!({"next_fire_at": next_fire_at}),
        )
        .await?;
        tx.commit().await?;
        self.rule(id).await
    }

    async fn delete_rule(&self, id: i64, now: DateTime<Utc>, actor: &Actor) -> Result<RuleRecord> {
        let before = self.rule(id).await?;
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recurring_rules SET active = 0, deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(ms(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("rule {id}")));
        }
        audit(
            &mut tx,
            now,
            actor,
            "deleted",
            "rule",
            &id.to_string(),
            serde_json::json!({"cron": before.cron, "title": before.title}),
        )
        .await?;
        tx.commit().await?;
        Ok(RuleRecord {
            active: false,
            ..before
        })
    }

    async fn edit_rule(&self, id: i64, edit: &RuleEdit, actor: &Actor) -> Result<RuleRecord> {
        let before = self.rule(id).await?;
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE recurring_rules SET title = ?, body = ?, link = ?, channels = ?, cron = ?,
             next_fire_at = ? WHERE id = ? AND deleted_at IS NULL",
        )
        .bind(&edit.title)
        .bind(&edit.body)
        .bind(&edit.link)
        .bind(json(&edit.channels))
        .bind(&edit.cron)
        .bind(ms(edit.next_fire_at))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("rule {id}")));
        }
        audit(
            &mut tx,
            now,
            actor,
            "edited",
            "rule",
            &id.to_string(),
            serde_json::json!({
                "old": {"title": before.title, "body": before.body, "link": before.link,
                        "channels": before.channels, "cron": before.cron},
                "new": {"title": edit.title, "body": edit.body, "link": edit.link,
                        "channels": edit.channels, "cron": edit.cron,
                        "next_fire_at": edit.next_fire_at},
            }),
        )
        .await?;
        tx.commit().await?;
        self.rule(id).await
    }

    async fn rule_failing_channel(&self, id: i64, n: u32) -> Result<Option<String>> {
        if n == 0 {
            return Ok(None);
        }
        // Per channel, the rule's latest `n` deliveries (newest announcement first); a channel
        // fails in a row when it has `n` of them and every one failed or needs attention.
        let failing: Option<String> = sqlx::query_scalar(
            "SELECT channel FROM (
                 SELECT d.channel, d.state,
                        ROW_NUMBER() OVER (PARTITION BY d.channel ORDER BY a.id DESC) AS nth
                 FROM deliveries d
                 JOIN announcements a ON a.id = d.announcement_id
                 JOIN recurring_rules r ON r.id = a.rule_id
                 WHERE a.rule_id = ? AND a.created_at >= r.streak_from
             ) WHERE nth <= ?
             GROUP BY channel
             HAVING COUNT(*) = ? AND SUM(state IN ('failed', 'needs_attention')) = ?
             ORDER BY channel LIMIT 1",
        )
        .bind(id)
        .bind(i64::from(n))
        .bind(i64::from(n))
        .bind(i64::from(n))
        .fetch_optional(&self.pool)
        .await?;
        Ok(failing)
    }

    async fn rules(&self) -> Result<Vec<RuleRecord>> {
        let rows: Vec<RuleRow> =
            sqlx::query_as("SELECT * FROM recurring_rules WHERE deleted_at IS NULL ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut rule = r.into_record(&mut conn).await?;
            rule.media.iter_mut().for_each(|m| self.resolve_media(m));
            out.push(rule);
        }
        Ok(out)
    }

    async fn due_rules(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<RuleRecord>> {
        let rows: Vec<RuleRow> = sqlx::query_as(
            "SELECT * FROM recurring_rules WHERE active = 1 AND next_fire_at <= ? ORDER BY next_fire_at, id LIMIT ?",
        )
        .bind(ms(now))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut rule = r.into_record(&mut conn).await?;
            rule.media.iter_mut().for_each(|m| self.resolve_media(m));
            out.push(rule);
        }
        Ok(out)
    }

    async fn fire_rule(
        &self,
        rule: &RuleRecord,
        occurrence: DateTime<Utc>,
        next_fire_at: DateTime<Utc>,
        compose: &ComposeFn<'_>,
    ) -> Result<Option<AnnouncementRecord>> {
        let now = Utc::now();
        let actor = Actor::daemon(&format!("rule:{}", rule.id));
        let mut tx = self.write_tx().await?;
        // Only the first firing of this occurrence moves the rule on.
        let moved = sqlx::query("UPDATE recurring_rules SET next_fire_at = ? WHERE id = ? AND next_fire_at <= ? AND active = 1")
            .bind(ms(next_fire_at))
            .bind(rule.id)
            .bind(ms(occurrence))
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() == 0 {
            return Ok(None);
        }
        let new = NewAnnouncement {
            channels: rule.channels.clone(),
            department: rule.department.clone(),
            title: rule.title.clone(),
            body: rule.body.clone(),
            link: rule.link.clone(),
            tags: vec![],
            media: rule.media.clone(),
            source: "recurring".into(),
            publish_at: occurrence,
        };
        let created =
            insert_announcement(&mut tx, &new, Some(rule.id), &actor, now, compose).await?;
        audit(
            &mut tx,
            now,
            &actor,
            "fired",
            "rule",
            &rule.id.to_string(),
            serde_json::json!({"occurrence": occurrence, "next_fire_at": next_fire_at,
                                 "announcement_id": created.as_ref().map(|c| c.0.id)}),
        )
        .await?;
        tx.commit().await?;
        Ok(created.map(|c| c.0))
    }

    async fn skip_rule_occurrence(
        &self,
        rule_id: i64,
        occurrence: DateTime<Utc>,
        next_fire_at: DateTime<Utc>,
        reason: &str,
    ) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        // Guarded like a firing: only a rule still at (or before) this occurrence moves on.
        let moved = sqlx::query(
            "UPDATE recurring_rules SET next_fire_at = ? WHERE id = ? AND next_fire_at <= ?",
        )
        .bind(ms(next_fire_at))
        .bind(rule_id)
        .bind(ms(occurrence))
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            return Ok(());
        }
        audit(&mut tx, now, &Actor::daemon(&format!("rule:{rule_id}")), "skipped", "rule", &rule_id.to_string(),
              serde_json::json!({"occurrence": occurrence, "next_fire_at": next_fire_at, "reason": reason})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedDelivery>> {
        let mut tx = self.write_tx().await?;
        let rows = claim_in(&mut tx, now, owner, lease, limit).await?;
        if rows.is_empty() {
            return Ok(vec![]);
        }
        tx.commit().await?;
        self.claimed(rows)
    }

    async fn settle(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        settlements: &[Settlement],
    ) -> Result<usize> {
        let mut tx = self.write_tx().await?;
        let settled = settle::settle(&mut tx, owner, now, settlements).await?;
        tx.commit().await?;
        Ok(settled)
    }

    async fn settle_and_claim(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        settlements: &[Settlement],
        lease: Duration,
        limit: usize,
    ) -> Result<(usize, Vec<ClaimedDelivery>)> {
        let mut tx = self.write_tx().await?;
        let settled = settle::settle(&mut tx, owner, now, settlements).await?;
        let rows = claim_in(&mut tx, now, owner, lease, limit).await?;
        if rows.is_empty() && settlements.is_empty() {
            return Ok((0, vec![]));
        }
        tx.commit().await?;
        Ok((settled, self.claimed(rows)?))
    }

    async fn save_publish_state(&self, delivery_id: i64, claim: i64, state: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE deliveries SET publish_state = ? WHERE id = ? AND state = 'in_flight' AND claim_seq = ?",
        )
        .bind(state)
        .bind(delivery_id)
        .bind(claim)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_orphaned_leases(&self, now: DateTime<Utc>, actor: &Actor) -> Result<u64> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE deliveries SET lease_expires_at = ? WHERE state = 'in_flight' AND lease_expires_at > ?")
            .bind(ms(now))
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        let n = done.rows_affected();
        // Amendments claimed by the dead daemon too: carried out again, which is harmless.
        sqlx::query("UPDATE amendments SET lease_expires_at = ? WHERE state = 'in_flight' AND lease_expires_at > ?")
            .bind(ms(now))
            .bind(ms(now))
            .execute(&mut *tx)
            .await?;
        if n > 0 {
            audit(
                &mut tx,
                now,
                actor,
                "released_leases",
                "delivery",
                "*",
                serde_json::json!({"count": n}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    async fn next_wake_at(&self) -> Result<Option<DateTime<Utc>>> {
        let t: Option<i64> = sqlx::query_scalar(include_str!("next_wake.sql"))
            .fetch_one(&self.pool)
            .await?;
        Ok(t.map(from_ms))
    }

    async fn publish_times(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT publish_at FROM announcements
             WHERE publish_at >= ?1 AND publish_at < ?2
               AND state IN ('pending_approval', 'approved')
             ORDER BY publish_at",
        )
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&self.pool)
        .await?;
        Ok(times.into_iter().map(from_ms).collect())
    }

    async fn deliveries(&self, f: &DeliveryFilter) -> Result<Vec<DeliveryRow>> {
        self.list_deliveries(f).await
    }

    async fn delivery_glances(&self, f: &DeliveryFilter) -> Result<Vec<DeliveryGlance>> {
        self.list_glances(f).await
    }

    async fn count_deliveries(&self, f: &DeliveryFilter) -> Result<u64> {
        self.count_listed(f).await
    }

    async fn delivery(&self, id: i64) -> Result<DeliveryRow> {
        self.one_delivery(id).await
    }

    async fn cancel_delivery(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DeliveryRow> {
        self.transition(
            id,
            now,
            actor,
            "cancelled",
            &["queued", "needs_attention", "failed"],
            "cancelled",
        )
        .await
    }

    async fn retry_delivery(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DeliveryRow> {
        self.transition(
            id,
            now,
            actor,
            "queued",
            &["needs_attention", "failed", "cancelled"],
            "retry_requested",
        )
        .await
    }

    async fn delivery_counts(&self) -> Result<Vec<DeliveryCount>> {
        let rows: Vec<(String, String, i64)> =
            // Kept by triggers with every change of a delivery (migration 0011): a few rows,
            // however many deliveries there are.
            sqlx::query_as("SELECT channel, state, count FROM delivery_counts WHERE count > 0 ORDER BY channel, state")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(channel, state, count)| {
                Ok(DeliveryCount {
                    channel,
                    state: DeliveryState::parse(&state)
                        .ok_or_else(|| StoreError::Corrupt(format!("delivery state {state}")))?,
                    count: count as u64,
                })
            })
            .collect()
    }

    async fn create_invite(&self, invite: &NewInvite, actor: &Actor) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.write_tx().await?;
        if let Some(d) = &invite.department {
            load_department(&mut tx, d).await?;
        }
        sqlx::query(
            "INSERT INTO invites (code_sha256, role, department, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&invite.code_sha256)
        .bind(&invite.role)
        .bind(&invite.department)
        .bind(&actor.name)
        .bind(ms(now))
        .bind(ms(invite.expires_at))
        .execute(&mut *tx)
        .await?;
        audit(&mut tx, now, actor, "invited", "invite", &invite.code_sha256[..12],
              serde_json::json!({"role": invite.role, "department": invite.department, "expires_at": invite.expires_at})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn redeem_invite(
        &self,
        code_sha256: &str,
        name: &str,
        telegram_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<PersonRecord> {
        let mut tx = self.write_tx().await?;
        let invite: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT role, department FROM invites WHERE code_sha256 = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(code_sha256)
        .bind(ms(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((role, department)) = invite else {
            return Err(StoreError::NotFound("invite".into()));
        };
        if let Some(tg) = telegram_user_id {
            // Joining again (a new invite after a move to another department) replaces the
            // earlier registration.
            sqlx::query(
                "UPDATE people SET active = 0, telegram_user_id = NULL WHERE telegram_user_id = ?",
            )
            .bind(tg)
            .execute(&mut *tx)
            .await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (name, role, department, telegram_user_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(&role)
        .bind(&department)
        .bind(telegram_user_id)
        .bind(ms(now))
        .fetch_one(&mut *tx)
        .await?;
        let used = sqlx::query(
            "UPDATE invites SET used_by = ?, used_at = ? WHERE code_sha256 = ? AND used_at IS NULL",
        )
        .bind(id)
        .bind(ms(now))
        .bind(code_sha256)
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() == 0 {
            return Err(StoreError::NotFound("invite".into()));
        }
        let actor = Actor::person("invite", name, &role);
        audit(&mut tx, now, &actor, "joined", "person", &id.to_string(),
              serde_json::json!({"role": role, "department": department, "telegram_user_id": telegram_user_id})).await?;
        tx.commit().await?;
        Ok(PersonRecord {
            id,
            name: name.to_owned(),
            role,
            department,
            telegram_user_id,
        })
    }

    async fn person_by_telegram(&self, telegram_user_id: i64) -> Result<Option<PersonRecord>> {
        chat::person_by_telegram(&self.pool, telegram_user_id).await
    }

    async fn events_after(&self, after: i64, limit: usize) -> Result<Vec<DomainEvent>> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log WHERE id > ",
        );
        q.push_bind(after).push(" AND action IN (");
        let mut list = q.separated(", ");
        for a in EVENT_ACTIONS {
            list.push_bind(*a);
        }
        q.push(") ORDER BY id LIMIT ").push_bind(limit as i64);
        let rows: Vec<(i64, i64, String, String, String, String, String)> =
            q.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, at, actor, action, entity, entity_id, detail)| DomainEvent {
                    id,
                    at: from_ms(at),
                    actor,
                    action,
                    entity,
                    entity_id,
                    detail: serde_json::from_str(&detail).unwrap_or_default(),
                },
            )
            .collect())
    }

    async fn notifier_cursor(&self, notifier: &str) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let saved: Option<i64> =
            sqlx::query_scalar("SELECT last_event FROM notifier_cursors WHERE notifier = ?")
                .bind(notifier)
                .fetch_optional(&mut *tx)
                .await?;
        let cursor = match saved {
            Some(c) => c,
            None => {
                let latest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log")
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO notifier_cursors (notifier, last_event) VALUES (?, ?)")
                    .bind(notifier)
                    .bind(latest)
                    .execute(&mut *tx)
                    .await?;
                latest
            }
        };
        tx.commit().await?;
        Ok(cursor)
    }

    async fn save_notifier_cursor(&self, notifier: &str, last_event: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO notifier_cursors (notifier, last_event) VALUES (?, ?)
             ON CONFLICT (notifier) DO UPDATE SET last_event = MAX(last_event, excluded.last_event)",
        )
        .bind(notifier)
        .bind(last_event)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        audit(
            &mut tx,
            Utc::now(),
            actor,
            action,
            entity,
            entity_id,
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn person(&self, id: i64) -> Result<Option<PersonRecord>> {
        chat::person_by_id(&self.pool, id).await
    }

    async fn people(&self) -> Result<Vec<PersonRecord>> {
        chat::people(&self.pool).await
    }

    async fn add_chat_piece(&self, piece: &NewChatPiece) -> Result<bool> {
        chat::add_piece(&self.pool, piece).await
    }

    async fn open_chat_pieces(&self, person_id: i64) -> Result<Vec<ChatPiece>> {
        chat::open_pieces(&self.pool, person_id).await
    }

    async fn quiet_chat_senders(&self, quiet_since: DateTime<Utc>) -> Result<Vec<i64>> {
        chat::quiet_senders(&self.pool, quiet_since).await
    }

    async fn close_chat_pieces(
        &self,
        person_id: i64,
        up_to: i64,
        announcement_id: Option<i64>,
    ) -> Result<u64> {
        chat::close_pieces(&self.pool, person_id, up_to, announcement_id).await
    }

    async fn chat_of_announcement(&self, announcement_id: i64) -> Result<Option<(i64, String)>> {
        chat::chat_of(&self.pool, announcement_id).await
    }

    async fn chat_files(&self, announcement_id: i64) -> Result<Vec<(String, String)>> {
        chat::files(&self.pool, announcement_id).await
    }

    async fn chat_announcements(&self, person_id: i64, limit: usize) -> Result<Vec<i64>> {
        chat::announcements_of(&self.pool, person_id, limit).await
    }

    async fn set_chat_wait(
        &self,
        person_id: i64,
        wait: &ChatWait,
        now: DateTime<Utc>,
    ) -> Result<()> {
        chat::set_wait(&self.pool, person_id, wait, now).await
    }

    async fn take_chat_wait(&self, person_id: i64) -> Result<Option<ChatWait>> {
        chat::take_wait(&self.pool, person_id).await
    }

    async fn chat_cursor(&self, front: &str) -> Result<Option<i64>> {
        chat::cursor(&self.pool, front).await
    }

    async fn save_chat_cursor(&self, front: &str, next: i64) -> Result<()> {
        chat::save_cursor(&self.pool, front, next).await
    }

    async fn add_chat_message(
        &self,
        announcement_id: i64,
        chat: &str,
        message_id: i64,
    ) -> Result<()> {
        chat::add_message(&self.pool, announcement_id, chat, message_id).await
    }

    async fn chat_messages(&self, announcement_id: i64) -> Result<Vec<(String, i64)>> {
        chat::messages(&self.pool, announcement_id).await
    }

    async fn say_once(&self, key: &str, now: DateTime<Utc>) -> Result<bool> {
        chat::say_once(&self.pool, key, now).await
    }

    async fn said(&self, key: &str) -> Result<bool> {
        chat::said(&self.pool, key).await
    }

    async fn edit_announcement(&self, edit: &AnnouncementEdit, actor: &Actor) -> Result<Corrected> {
        self.edit_announcement_tx(edit, actor).await
    }

    async fn retract_announcement(
        &self,
        retraction: &AnnouncementRetraction,
        actor: &Actor,
    ) -> Result<Corrected> {
        self.retract_announcement_tx(retraction, actor).await
    }

    async fn amendments(&self, announcement_id: i64) -> Result<Vec<AmendmentRow>> {
        self.amendments_of(announcement_id).await
    }

    async fn claim_amendments(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease: Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedAmendment>> {
        self.claim_amendments_tx(now, owner, lease, limit).await
    }

    async fn settle_amendment(
        &self,
        claimed: &ClaimedAmendment,
        outcome: &AmendOutcome,
        now: DateTime<Utc>,
        owner: &str,
    ) -> Result<bool> {
        self.settle_amendment_tx(claimed, outcome, now, owner).await
    }

    async fn reach_due(&self, q: &ReachQuery) -> Result<Vec<ReachDue>> {
        reach::due(&self.pool, q).await
    }

    async fn record_reach(
        &self,
        delivery_id: i64,
        slot: ReachSlot,
        taken_at: DateTime<Utc>,
        sample: &prakat_adapters::ReachSample,
    ) -> Result<bool> {
        reach::record(&self.pool, delivery_id, slot, taken_at, sample).await
    }

    async fn reach_retry_later(&self, retry: &ReachRetry) -> Result<u32> {
        reach::retry_later(&self.pool, retry).await
    }

    async fn reach_samples(&self, announcement_id: i64) -> Result<Vec<ReachRecord>> {
        reach::samples(&self.pool, announcement_id).await
    }

    async fn reach_failures(&self, announcement_id: i64) -> Result<Vec<ReachFailure>> {
        reach::failures(&self.pool, announcement_id).await
    }

    async fn add_page_views(&self, views: &[PageViews]) -> Result<()> {
        reach::add_page_views(&self.pool, views).await
    }

    async fn page_views_total(&self, announcement_id: i64) -> Result<u64> {
        reach::page_views_total(&self.pool, announcement_id).await
    }

    async fn audit_trail(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at, actor, role, action, detail FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    // ---- web desk
    async fn add_desk_person(&self, new: &NewDeskPerson, actor: &Actor) -> Result<PersonRecord> {
        self.add_desk_person_tx(new, actor, false)
            .await?
            .ok_or_else(|| StoreError::Conflict("not added".into()))
    }

    async fn add_first_desk_admin(
        &self,
        new: &NewDeskPerson,
        actor: &Actor,
    ) -> Result<Option<PersonRecord>> {
        self.add_desk_person_tx(new, actor, true).await
    }

    async fn set_desk_password(
        &self,
        login: &str,
        password_hash: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()> {
        self.set_desk_password_tx(login, password_hash, now, actor)
            .await
    }

    async fn desk_login(&self, login: &str) -> Result<Option<DeskLogin>> {
        self.desk_login_of(login).await
    }

    async fn start_login_attempt(
        &self,
        login: &str,
        ip: &str,
        now: DateTime<Utc>,
        limit: LoginLimit,
    ) -> Result<Option<i64>> {
        self.start_login_attempt_tx(login, ip, now, limit).await
    }

    async fn login_succeeded(&self, attempt: i64) -> Result<()> {
        self.login_succeeded_tx(attempt).await
    }

    async fn create_desk_session(&self, session: &NewDeskSession, actor: &Actor) -> Result<()> {
        self.create_desk_session_tx(session, actor).await
    }

    async fn desk_session(
        &self,
        id_sha256: &str,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> Result<Option<DeskSession>> {
        self.desk_session_of(id_sha256, now, idle).await
    }

    async fn end_desk_session(&self, id_sha256: &str, now: DateTime<Utc>) -> Result<bool> {
        self.end_desk_session_tx(id_sha256, now).await
    }

    async fn create_api_token(
        &self,
        login: &str,
        token_sha256: &str,
        label: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64> {
        self.create_api_token_tx(login, token_sha256, label, now, actor)
            .await
    }

    async fn api_token_person(&self, token_sha256: &str) -> Result<Option<PersonRecord>> {
        self.api_token_person_of(token_sha256).await
    }

    async fn revoke_api_token(&self, id: i64, now: DateTime<Utc>, actor: &Actor) -> Result<bool> {
        self.revoke_api_token_tx(id, now, actor).await
    }

    async fn desk_logins(&self) -> Result<Vec<DeskLogin>> {
        self.desk_logins_all().await
    }

    async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>> {
        self.api_tokens_all().await
    }

    async fn remove_desk_person(
        &self,
        login: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()> {
        self.remove_desk_person_tx(login, now, actor).await
    }

    async fn digest_rows(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<DigestRows> {
        digest::rows(&self.pool, from, to).await
    }
}

impl SqliteStore {
    /// The announcements `ids`, in that order, each with its media's paths resolved.
    pub(super) async fn announcements_by_id(&self, ids: &[i64]) -> Result<Vec<AnnouncementRecord>> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let mut a = load_announcement(&mut conn, id).await?;
            a.media.iter_mut().for_each(|m| self.resolve_media(m));
            out.push(a);
        }
        Ok(out)
    }

    /// Why a rule could not be paused or resumed: not found (or deleted), or already so.
    async fn rule_conflict(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        id: i64,
        change: &str,
    ) -> StoreError {
        let row: std::result::Result<Option<(i64, Option<i64>)>, _> =
            sqlx::query_as("SELECT active, deleted_at FROM recurring_rules WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await;
        match row {
            Ok(Some((_, None))) => StoreError::Conflict(format!("rule {id} is already {change}")),
            Ok(_) => StoreError::NotFound(format!("rule {id}")),
            Err(e) => e.into(),
        }
    }

    async fn transition(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
        to: &str,
        from: &[&str],
        action: &str,
    ) -> Result<DeliveryRow> {
        let mut tx = self.write_tx().await?;
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM deliveries WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let state = state.ok_or_else(|| StoreError::NotFound(format!("delivery {id}")))?;
        let conflict = |state: &str| {
            StoreError::Conflict(format!(
                "delivery {id} is {state}; only a delivery that is {} can be {}",
                from.join(", "),
                if to == "queued" {
                    "retried"
                } else {
                    "cancelled"
                }
            ))
        };
        if !from.contains(&state.as_str()) {
            return Err(conflict(&state));
        }
        if to == "queued" {
            let retracted: Option<i64> = sqlx::query_scalar(
                "SELECT a.id FROM deliveries d JOIN announcements a ON a.id = d.announcement_id
                 WHERE d.id = ? AND a.state = 'retracted'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(a) = retracted {
                return Err(StoreError::Conflict(format!(
                    "delivery {id} belongs to announcement {a}, which is retracted: it is not sent again"
                )));
            }
        }
        // Guarded by the state just read, in the statement itself: with several writers the
        // state read a moment ago may no longer be the state now.
        let done = sqlx::query(
            // A person's retry starts a fresh set of attempts; `unsettled` stays as it was, so
            // a delivery that may have reached the platform is still checked before a re-send.
            // A retried delivery whose time has not come keeps it (an embargo stays one).
            "UPDATE deliveries SET state = ?1, updated_at = ?2,
             next_attempt_at = CASE WHEN ?1 = 'queued' THEN MAX(due_at, ?2) ELSE ?2 END,
             attempts = CASE WHEN ?1 = 'queued' THEN 0 ELSE attempts END WHERE id = ?3 AND state = ?4",
        )
        .bind(to)
        .bind(ms(now))
        .bind(id)
        .bind(&state)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(conflict("changing state"));
        }
        audit(
            &mut tx,
            now,
            actor,
            action,
            "delivery",
            &id.to_string(),
            serde_json::json!({"from": state}),
        )
        .await?;
        tx.commit().await?;
        self.delivery(id).await
    }
}
