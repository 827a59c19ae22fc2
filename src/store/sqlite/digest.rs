//! The monthly digest's rows in SQLite: the announcements published in a month with each
//! delivery, its latest reach sample (the highest slot that has one, found through
//! `UNIQUE (delivery_id, slot_secs)`), why its latest failed sample failed, and the website's
//! page views of the announcement. One query for the announcements, one for their deliveries
//! (each answers as a single JSON row), one for the departments.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use super::rows::DepartmentRow;
use super::{from_ms, ms};
use crate::store::{DigestRow, DigestRows, DigestSample, Result};

/// One announcement of the month, as `month.sql`'s JSON array gives it:
/// `[id, department, title, body, publish_at, page_views]`.
#[derive(serde::Deserialize)]
struct Announcement {
    id: i64,
    department: String,
    title: String,
    body: String,
    publish_at: i64,
    page_views: i64,
}

/// One delivery of the month's announcements with its latest sample, as `month_deliveries.sql`
/// gives it: `[announcement_id, channel, state, published_at, remote_url, slot_secs, taken_at,
/// views, reach, reactions, comments, shares, clicks, video_views, error_class, error]`.
#[derive(serde::Deserialize)]
struct Delivery {
    announcement_id: i64,
    channel: String,
    state: String,
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
}

fn count(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok())
}

/// The digest's row of one delivery (or of an announcement without one).
fn row(a: &Announcement, d: Option<Delivery>) -> DigestRow {
    let mut r = DigestRow {
        announcement_id: a.id,
        department: a.department.clone(),
        title: a.title.clone(),
        body: a.body.clone(),
        publish_at: from_ms(a.publish_at),
        channel: None,
        state: None,
        published_at: None,
        url: None,
        sample: None,
        reach_error: None,
        page_views: u64::try_from(a.page_views).unwrap_or(0),
    };
    if let Some(d) = d {
        r.sample = match (d.slot_secs, d.taken_at) {
            (Some(slot_secs), Some(taken_at)) => Some(DigestSample {
                slot_secs,
                taken_at: from_ms(taken_at),
                views: count(d.views),
                reach: count(d.reach),
                reactions: count(d.reactions),
                comments: count(d.comments),
                shares: count(d.shares),
                clicks: count(d.clicks),
                video_views: count(d.video_views),
            }),
            _ => None,
        };
        r.reach_error = d.error_class.zip(d.error);
        r.channel = Some(d.channel);
        r.state = Some(d.state);
        r.published_at = d.published_at.map(from_ms);
        r.url = d.remote_url;
    }
    r
}

/// A query's one row: a JSON array (`json_group_array`) read into `T`s. The whole month then
/// costs one hand-off from SQLite's thread instead of one per row.
async fn json_rows<T: serde::de::DeserializeOwned>(
    pool: &SqlitePool,
    sql: &'static str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<T>> {
    let text: String = sqlx::query_scalar(sql)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_one(pool)
        .await?;
    serde_json::from_str(&text).map_err(|e| {
        crate::store::StoreError::Corrupt(format!("the digest's rows do not read back: {e}"))
    })
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
    let mut announcements: Vec<Announcement> = json_rows(
        pool,
        concat!("WITH ", month!(), include_str!("month.sql")),
        from,
        to,
    )
    .await?;
    let mut deliveries: Vec<Delivery> = json_rows(
        pool,
        concat!("WITH ", month!(), include_str!("month_deliveries.sql")),
        from,
        to,
    )
    .await?;
    // The order the digest reads them in: by publishing time, announcement and channel. Sorted
    // here, not by SQL, which would sort every row with its columns in a temporary b-tree.
    announcements.sort_unstable_by_key(|a| (a.publish_at, a.id));
    deliveries.sort_unstable_by(|x, y| {
        (x.announcement_id, &x.channel).cmp(&(y.announcement_id, &y.channel))
    });
    // Each announcement's deliveries, in channel order, beside it.
    let mut of: HashMap<i64, Vec<Delivery>> = HashMap::with_capacity(announcements.len());
    for d in deliveries {
        of.entry(d.announcement_id).or_default().push(d);
    }
    let mut rows = Vec::with_capacity(announcements.len());
    for a in &announcements {
        match of.remove(&a.id) {
            Some(ds) => rows.extend(ds.into_iter().map(|d| row(a, Some(d)))),
            None => rows.push(row(a, None)),
        }
    }
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
        rows,
    })
}
