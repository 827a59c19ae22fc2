//! The monthly digest's rows in SQLite: the announcements published in a month with each
//! delivery, its latest reach sample (the highest slot that has one, found through
//! `UNIQUE (delivery_id, slot_secs)`), why its latest failed sample failed, and the website's
//! page views of the announcement. One query for the rows, one for the departments.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::rows::DepartmentRow;
use super::{from_ms, ms};
use crate::store::{DigestRow, DigestRows, DigestSample, Result};

#[derive(sqlx::FromRow)]
struct Row {
    announcement_id: i64,
    department: String,
    title: String,
    body: String,
    publish_at: i64,
    channel: Option<String>,
    state: Option<String>,
    published_at: Option<i64>,
    remote_url: Option<String>,
    slot_secs: Option<i64>,
    taken_at: Option<i64>,
    views: Option<i64>,
    reach: Option<i64>,
    reactions: Option<i64>,
    comments: Option<i64>,
    shares: Option<i64>,
    clicks: Option<i64>,
    video_views: Option<i64>,
    error_class: Option<String>,
    error: Option<String>,
    page_views: i64,
}

fn count(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok())
}

impl From<Row> for DigestRow {
    fn from(r: Row) -> Self {
        let sample = match (r.slot_secs, r.taken_at) {
            (Some(slot_secs), Some(taken_at)) => Some(DigestSample {
                slot_secs,
                taken_at: from_ms(taken_at),
                views: count(r.views),
                reach: count(r.reach),
                reactions: count(r.reactions),
                comments: count(r.comments),
                shares: count(r.shares),
                clicks: count(r.clicks),
                video_views: count(r.video_views),
            }),
            _ => None,
        };
        DigestRow {
            announcement_id: r.announcement_id,
            department: r.department,
            title: r.title,
            body: r.body,
            publish_at: from_ms(r.publish_at),
            channel: r.channel,
            state: r.state,
            published_at: r.published_at.map(from_ms),
            url: r.remote_url,
            sample,
            reach_error: r.error_class.zip(r.error),
            page_views: u64::try_from(r.page_views).unwrap_or(0),
        }
    }
}

/// The month's announcements: approved, published on at least one channel, with their
/// publishing time in `[?1, ?2)`.
macro_rules! month {
    () => {
        "month AS (
    SELECT a.id, a.department, a.title, a.body, a.publish_at FROM announcements a
    WHERE a.publish_at >= ?1 AND a.publish_at < ?2 AND a.state = 'approved'
      AND EXISTS (SELECT 1 FROM deliveries p
                  WHERE p.announcement_id = a.id AND p.state = 'published'))"
    };
}

pub(super) async fn rows(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<DigestRows> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "WITH ",
        month!(),
        ",
         views AS (SELECT v.announcement_id, SUM(v.views) AS views FROM page_views v
                   WHERE v.announcement_id IN (SELECT id FROM month) GROUP BY v.announcement_id)
         SELECT m.id AS announcement_id, m.department, m.title, m.body, m.publish_at,
                d.channel, d.state, d.published_at, d.remote_url,
                r.slot_secs, r.taken_at, r.views, r.reach, r.reactions, r.comments, r.shares,
                r.clicks, r.video_views,
                CASE WHEN r.id IS NULL THEN f.last_error_class END AS error_class,
                CASE WHEN r.id IS NULL THEN f.last_error END AS error,
                COALESCE(pv.views, 0) AS page_views
         FROM month m
         LEFT JOIN deliveries d ON d.announcement_id = m.id AND d.state <> 'cancelled'
         LEFT JOIN reach_samples r ON r.id =
             (SELECT s.id FROM reach_samples s WHERE s.delivery_id = d.id
              ORDER BY s.slot_secs DESC LIMIT 1)
         LEFT JOIN reach_attempts f ON f.delivery_id = d.id AND f.slot_secs =
             (SELECT MAX(t.slot_secs) FROM reach_attempts t WHERE t.delivery_id = d.id)
         LEFT JOIN views pv ON pv.announcement_id = m.id
         ORDER BY m.publish_at, m.id, d.channel"
    ))
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(pool)
    .await?;
    let departments: Vec<DepartmentRow> = sqlx::query_as(concat!(
        "WITH ",
        month!(),
        "
         SELECT code, name_th, name_en FROM departments
         WHERE active = 1 OR code IN (SELECT department FROM month)
         ORDER BY rowid"
    ))
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(pool)
    .await?;
    Ok(DigestRows {
        departments: departments.into_iter().map(Into::into).collect(),
        rows: rows.into_iter().map(Into::into).collect(),
    })
}
