//! Listing deliveries and announcements for people (the queue, the calendar, the JSON API):
//! filtered and read a page at a time by key, never by offset. Each order has its own query so
//! that SQLite can walk an index in that order and stop at the page's end: by due time (the
//! `deliveries_due` index), the newest first (the rowid), or one announcement's (its index).
//! Whole rows ([`DeliveryRow`], the payload parsed) and rows at a glance ([`DeliveryGlance`],
//! for the calendar and the latest announcements) share the filters and orders; only the head
//! of the query differs: what each row holds, and (at a glance) the page as one JSON array, so
//! a page of 500 is one hand-off from SQLite's thread rather than 500.

use sqlx::sqlite::SqliteArguments;

use super::*;

const ALL_DUE: (i64, i64) = (i64::MIN, i64::MAX);

/// The due range as bounds (the whole range when not asked).
fn due_range(f: &DeliveryFilter) -> (i64, i64) {
    (
        f.due_from.map_or(ALL_DUE.0, ms),
        f.due_until.map_or(ALL_DUE.1, ms),
    )
}

/// A listing's three queries, one per order, over the same head (what each row holds).
struct Listing {
    /// One announcement's deliveries, by due time.
    of: &'static str,
    /// The newest first.
    newest: &'static str,
    /// By due time, the earliest first.
    due: &'static str,
}

/// Whole rows, payload included ([`DeliveryRow`]), one SQLite row each.
const ROWS: Listing = Listing {
    of: concat!(include_str!("list_head.sql"), include_str!("list_of.sql")),
    newest: concat!(
        include_str!("list_head.sql"),
        include_str!("list_newest.sql")
    ),
    due: concat!(include_str!("list_head.sql"), include_str!("list.sql")),
};

/// A page at a glance ([`DeliveryGlance`]): the same filters and orders, a lighter head, and
/// the whole page as one JSON array in one SQLite row (see `glance_head.sql`).
const GLANCES: Listing = Listing {
    of: concat!(
        include_str!("glance_head.sql"),
        include_str!("list_of.sql"),
        ")"
    ),
    newest: concat!(
        include_str!("glance_head.sql"),
        include_str!("list_newest.sql"),
        ")"
    ),
    due: concat!(
        include_str!("glance_head.sql"),
        include_str!("list.sql"),
        ")"
    ),
};

/// The listing's query for the filter, in the order it asks for, its arguments bound.
fn bound(q: &Listing, f: &DeliveryFilter) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
    let (from, until) = due_range(f);
    let filtered = |sql: &'static str| {
        sqlx::query(sql)
            .bind(f.state.map(|s| s.as_str()))
            .bind(f.channel.clone())
            .bind(f.department.clone())
    };
    let limit = f.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
    if let Some(id) = f.announcement_id {
        // A few rows, all read: ordered and cut by `in_order`.
        filtered(q.of).bind(from).bind(until).bind(id)
    } else if f.newest_first {
        filtered(q.newest)
            .bind(from)
            .bind(until)
            .bind(f.after.map_or(i64::MAX, |k| k.id))
            .bind(limit)
    } else {
        // The index's range starts at the later of the range's start and the key.
        let (key_due, key_id) = f.after.map_or((from, i64::MIN), |k| (ms(k.due_at), k.id));
        filtered(q.due)
            .bind(from.max(key_due))
            .bind(until)
            .bind(key_due)
            .bind(key_id)
            .bind(limit)
    }
}

/// Rows in the filter's order, from its key on, up to its limit, whichever query read them:
/// one announcement's query reads all its rows, and a JSON array's order is not SQL's to keep.
/// For rows a query already ordered and cut, this changes nothing.
fn in_order<R: Listed>(f: &DeliveryFilter, mut rows: Vec<R>) -> Vec<R> {
    if f.newest_first {
        rows.sort_by_key(|r| std::cmp::Reverse(r.id()));
    } else {
        rows.sort_by_key(|r| (r.due_ms(), r.id()));
    }
    if let Some(k) = f.after {
        rows.retain(|r| match f.newest_first {
            true => r.id() < k.id,
            false => (r.due_ms(), r.id()) > (ms(k.due_at), k.id),
        });
    }
    if let Some(l) = f.limit {
        rows.truncate(l);
    }
    rows
}

impl SqliteStore {
    pub(super) async fn list_deliveries(&self, f: &DeliveryFilter) -> Result<Vec<DeliveryRow>> {
        use sqlx::FromRow;
        let rows = bound(&ROWS, f)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(DeliveryDbRow::from_row)
            .collect::<Result<Vec<_>, _>>()?;
        in_order(f, rows)
            .into_iter()
            .map(|r| {
                let mut d = r.into_row()?;
                self.resolve_payload(&mut d.payload);
                Ok(d)
            })
            .collect()
    }

    pub(super) async fn list_glances(&self, f: &DeliveryFilter) -> Result<Vec<DeliveryGlance>> {
        use sqlx::Row;
        let page: String = bound(&GLANCES, f).fetch_one(&self.pool).await?.try_get(0)?;
        let rows: Vec<GlanceDbRow> = parse_json("deliveries at a glance", &page)?;
        in_order(f, rows)
            .into_iter()
            .map(GlanceDbRow::into_glance)
            .collect()
    }

    pub(super) async fn count_listed(&self, f: &DeliveryFilter) -> Result<u64> {
        let (from, until) = due_range(f);
        let n: i64 = sqlx::query_scalar(include_str!("count.sql"))
            .bind(f.state.map(|s| s.as_str()))
            .bind(f.channel.as_deref())
            .bind(f.department.as_deref())
            .bind(from)
            .bind(until)
            .bind(f.announcement_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    pub(super) async fn one_delivery(&self, id: i64) -> Result<DeliveryRow> {
        let row: Option<DeliveryDbRow> =
            sqlx::query_as(concat!(include_str!("list_head.sql"), "WHERE d.id = ?1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let mut d = row
            .ok_or_else(|| StoreError::NotFound(format!("delivery {id}")))?
            .into_row()?;
        self.resolve_payload(&mut d.payload);
        Ok(d)
    }

    pub(super) async fn list_announcement_records(
        &self,
        f: &AnnouncementFilter,
    ) -> Result<Vec<AnnouncementRecord>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM announcements
             WHERE id < ?1
               AND (?2 IS NULL OR state = ?2)
               AND (?3 IS NULL OR department = ?3)
               AND +publish_at >= ?4 AND +publish_at < ?5
             ORDER BY id DESC
             LIMIT ?6",
        )
        .bind(f.before.unwrap_or(i64::MAX))
        .bind(f.state.as_deref())
        .bind(f.department.as_deref())
        .bind(f.publish_from.map_or(i64::MIN, ms))
        .bind(f.publish_until.map_or(i64::MAX, ms))
        .bind(i64::try_from(f.limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        self.announcements_by_id(&ids).await
    }

    pub(super) async fn media_by_hash(&self, sha256: &[String]) -> Result<Vec<MediaRef>> {
        let mut conn = self.pool.acquire().await?;
        let mut media = load_media(&mut conn, sha256).await?;
        media.iter_mut().for_each(|m| self.resolve_media(m));
        Ok(media)
    }
}
