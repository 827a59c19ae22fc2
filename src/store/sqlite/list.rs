//! Listing deliveries and announcements for people (the queue, the calendar, the JSON API):
//! filtered and read a page at a time by key, never by offset. Each order has its own query so
//! that SQLite can walk an index in that order and stop at the page's end: by due time (the
//! `deliveries_due` index), the newest first (the rowid), or one announcement's (its index).

use super::*;

const ALL_DUE: (i64, i64) = (i64::MIN, i64::MAX);

/// The due range as bounds (the whole range when not asked).
fn due_range(f: &DeliveryFilter) -> (i64, i64) {
    (
        f.due_from.map_or(ALL_DUE.0, ms),
        f.due_until.map_or(ALL_DUE.1, ms),
    )
}

impl SqliteStore {
    pub(super) async fn list_deliveries(&self, f: &DeliveryFilter) -> Result<Vec<DeliveryRow>> {
        let (from, until) = due_range(f);
        let limit = f.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let state = f.state.map(|s| s.as_str());
        let rows: Vec<DeliveryDbRow> = if let Some(id) = f.announcement_id {
            let mut rows: Vec<DeliveryDbRow> = sqlx::query_as(concat!(
                include_str!("list_head.sql"),
                include_str!("list_of.sql")
            ))
            .bind(state)
            .bind(f.channel.as_deref())
            .bind(f.department.as_deref())
            .bind(from)
            .bind(until)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            // A few rows: ordered and cut here, the same as the other two orders.
            if f.newest_first {
                rows.sort_by_key(|r| std::cmp::Reverse(r.id()));
            }
            let key = f.after;
            rows.retain(|r| match key {
                None => true,
                Some(k) if f.newest_first => r.id() < k.id,
                Some(k) => (r.due_ms(), r.id()) > (ms(k.due_at), k.id),
            });
            if let Some(l) = f.limit {
                rows.truncate(l);
            }
            rows
        } else if f.newest_first {
            sqlx::query_as(concat!(
                include_str!("list_head.sql"),
                include_str!("list_newest.sql")
            ))
            .bind(state)
            .bind(f.channel.as_deref())
            .bind(f.department.as_deref())
            .bind(from)
            .bind(until)
            .bind(f.after.map_or(i64::MAX, |k| k.id))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
        } else {
            // The index's range starts at the later of the range's start and the key.
            let (key_due, key_id) = f.after.map_or((from, i64::MIN), |k| (ms(k.due_at), k.id));
            sqlx::query_as(concat!(
                include_str!("list_head.sql"),
                include_str!("list.sql")
            ))
            .bind(state)
            .bind(f.channel.as_deref())
            .bind(f.department.as_deref())
            .bind(from.max(key_due))
            .bind(until)
            .bind(key_due)
            .bind(key_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
        };
        rows.into_iter()
            .map(|r| {
                let mut d = r.into_row()?;
                self.resolve_payload(&mut d.payload);
                Ok(d)
            })
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
