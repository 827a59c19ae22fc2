//! Reach in SQLite: the due slots, samples kept once per delivery and slot (`INSERT … ON
//! CONFLICT DO NOTHING` on `UNIQUE (delivery_id, slot_secs)`), retries of failed slots, and the
//! website's page views added up per announcement and day.

use chrono::{DateTime, Utc};
use prakat_adapters::{ReachSample, Receipt};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::{from_ms, ms};
use crate::store::{
    PageViews, ReachDue, ReachFailure, ReachQuery, ReachRecord, ReachRetry, ReachSlot, Result,
};

fn count(v: Option<u64>) -> Option<i64> {
    v.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

fn uncount(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok())
}

fn slot(secs: i64) -> ReachSlot {
    ReachSlot::from_secs(u64::try_from(secs).unwrap_or(0))
}

type DueRow = (
    i64,
    i64,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

pub(super) async fn due(pool: &SqlitePool, q: &ReachQuery) -> Result<Vec<ReachDue>> {
    if q.slots.is_empty() || q.channels.is_empty() || q.limit == 0 {
        return Ok(Vec::new());
    }
    let now = ms(q.now);
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new("WITH slots(secs) AS (VALUES ");
    let mut values = b.separated(", ");
    for s in &q.slots {
        values
            .push("(")
            .push_bind_unseparated(s.secs())
            .push_unseparated(")");
    }
    // Each published delivery's latest slot that has come.
    b.push(
        "), latest AS (
           SELECT d.id, d.announcement_id, d.channel, d.published_at, d.remote_id, d.remote_url,
                  d.request_id, MAX(s.secs) AS secs
           FROM deliveries d JOIN slots s ON d.published_at + s.secs * 1000 <= ",
    )
    .push_bind(now)
    // A retracted announcement's posts are taken down: nothing more to sample.
    .push(
        " WHERE d.state = 'published' AND d.published_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM announcements ra WHERE ra.id = d.announcement_id AND ra.state = 'retracted')
           AND d.published_at >= ",
    )
    .push_bind(q.since.map(ms).unwrap_or(i64::MIN))
    .push(" AND d.channel IN (");
    let mut channels = b.separated(", ");
    for c in &q.channels {
        channels.push_bind(c.as_str());
    }
    b.push(
        ") GROUP BY d.id)
         SELECT l.id, l.announcement_id, l.channel, l.published_at, l.remote_id, l.remote_url,
                l.request_id, l.secs, COALESCE(a.attempts, 0)
         FROM latest l
         LEFT JOIN reach_attempts a ON a.delivery_id = l.id AND a.slot_secs = l.secs
         WHERE NOT EXISTS (SELECT 1 FROM reach_samples r
                           WHERE r.delivery_id = l.id AND r.slot_secs = l.secs)
           AND (a.delivery_id IS NULL OR (a.next_attempt_at <= ",
    )
    .push_bind(now)
    .push(" AND a.attempts < ")
    .push_bind(i64::from(q.max_attempts))
    .push(")) ORDER BY l.published_at + l.secs * 1000, l.id LIMIT ")
    .push_bind(q.limit as i64);
    let rows: Vec<DueRow> = b.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, announcement_id, channel, published_at, remote_id, url, request_id, secs, n)| {
                ReachDue {
                    delivery_id: id,
                    announcement_id,
                    channel,
                    slot: slot(secs),
                    published_at: from_ms(published_at),
                    receipt: Receipt {
                        remote_id,
                        url,
                        request_id,
                        deduplicated: false,
                    },
                    attempts: u32::try_from(n).unwrap_or(u32::MAX),
                }
            },
        )
        .collect())
}

pub(super) async fn record(
    pool: &SqlitePool,
    delivery_id: i64,
    slot: ReachSlot,
    taken_at: DateTime<Utc>,
    s: &ReachSample,
) -> Result<bool> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let inserted = sqlx::query(
        "INSERT INTO reach_samples (delivery_id, slot_secs, taken_at, views, reach, reactions,
                                    comments, shares, clicks, video_views)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (delivery_id, slot_secs) DO NOTHING",
    )
    .bind(delivery_id)
    .bind(slot.secs())
    .bind(ms(taken_at))
    .bind(count(s.views))
    .bind(count(s.unique_viewers))
    .bind(count(s.reactions))
    .bind(count(s.comments))
    .bind(count(s.shares))
    .bind(count(s.clicks))
    .bind(count(s.video_views))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    // The slot is settled: its failures are history.
    sqlx::query("DELETE FROM reach_attempts WHERE delivery_id = ? AND slot_secs = ?")
        .bind(delivery_id)
        .bind(slot.secs())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(inserted)
}

pub(super) async fn retry_later(pool: &SqlitePool, r: &ReachRetry) -> Result<u32> {
    let error = prakat_adapters::http::scrub(&r.error);
    let attempts: i64 = sqlx::query_scalar(
        "INSERT INTO reach_attempts (delivery_id, slot_secs, attempts, next_attempt_at, last_error,
                                     last_error_class, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (delivery_id, slot_secs) DO UPDATE SET
             attempts = attempts + excluded.attempts, next_attempt_at = excluded.next_attempt_at,
             last_error = excluded.last_error, last_error_class = excluded.last_error_class,
             updated_at = excluded.updated_at
         RETURNING attempts",
    )
    .bind(r.delivery_id)
    .bind(r.slot.secs())
    .bind(i64::from(r.count_attempt))
    .bind(ms(r.retry_at))
    .bind(&error)
    .bind(&r.class)
    .bind(ms(r.now))
    .fetch_one(pool)
    .await?;
    Ok(u32::try_from(attempts).unwrap_or(u32::MAX))
}

type SampleRow = (
    i64,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub(super) async fn samples(pool: &SqlitePool, announcement_id: i64) -> Result<Vec<ReachRecord>> {
    let rows: Vec<SampleRow> = sqlx::query_as(
        "SELECT r.delivery_id, d.channel, r.slot_secs, d.published_at, r.taken_at, r.views,
                r.reach, r.reactions, r.comments, r.shares, r.clicks, r.video_views
         FROM reach_samples r JOIN deliveries d ON d.id = r.delivery_id
         WHERE d.announcement_id = ?
         ORDER BY d.channel, r.delivery_id, r.slot_secs",
    )
    .bind(announcement_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, channel, secs, published_at, taken_at, v, reach, re, co, sh, cl, vv)| {
                let taken_at = from_ms(taken_at);
                ReachRecord {
                    delivery_id: id,
                    channel,
                    slot: slot(secs),
                    published_at: published_at.map(from_ms),
                    taken_at,
                    sample: ReachSample {
                        taken_at: Some(taken_at),
                        views: uncount(v),
                        unique_viewers: uncount(reach),
                        reactions: uncount(re),
                        comments: uncount(co),
                        shares: uncount(sh),
                        clicks: uncount(cl),
                        video_views: uncount(vv),
                    },
                }
            },
        )
        .collect())
}

pub(super) async fn failures(pool: &SqlitePool, announcement_id: i64) -> Result<Vec<ReachFailure>> {
    let rows: Vec<(i64, String, i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT a.delivery_id, d.channel, a.slot_secs, a.attempts, a.next_attempt_at,
                a.last_error, a.last_error_class
         FROM reach_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.announcement_id = ?
         ORDER BY d.channel, a.delivery_id, a.slot_secs",
    )
    .bind(announcement_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(delivery_id, channel, secs, attempts, next, error, class)| ReachFailure {
                delivery_id,
                channel,
                slot: slot(secs),
                attempts: u32::try_from(attempts).unwrap_or(0),
                next_attempt_at: from_ms(next),
                error,
                class,
            },
        )
        .collect())
}

pub(super) async fn add_page_views(pool: &SqlitePool, views: &[PageViews]) -> Result<()> {
    if views.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for v in views {
        sqlx::query(
            "INSERT INTO page_views (announcement_id, day, views)
             SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM announcements WHERE id = ?)
             ON CONFLICT (announcement_id, day) DO UPDATE SET views = views + excluded.views",
        )
        .bind(v.announcement_id)
        .bind(v.day.format("%Y-%m-%d").to_string())
        .bind(count(Some(v.views)))
        .bind(v.announcement_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn page_views_total(pool: &SqlitePool, announcement_id: i64) -> Result<u64> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(views), 0) FROM page_views WHERE announcement_id = ?",
    )
    .bind(announcement_id)
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(total).unwrap_or(0))
}
