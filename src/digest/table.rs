//! The digest's underlying rows as one table — one line per delivery of every announcement of
//! the month, departments in the digest's order — for the machine-readable files (CSV, XLSX).
//! Figures a platform did not tell are empty cells, never zero; times are Bangkok time in
//! RFC 3339.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use prakat_adapters::thai::bangkok;

use super::model::Digest;
use crate::store::DigestRows;

/// A cell: text, a whole number, or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Text(String),
    Int(u64),
    Empty,
}

pub const HEADER: &[&str] = &[
    "month",
    "department_code",
    "department",
    "announcement_id",
    "publish_at",
    "title",
    "channel",
    "state",
    "published_at",
    "url",
    "sample_slot_secs",
    "sample_taken_at",
    "views",
    "reach",
    "reactions",
    "comments",
    "shares",
    "clicks",
    "video_views",
    "page_views",
    "reach_error",
];

fn time(t: DateTime<Utc>) -> Field {
    Field::Text(bangkok(t).to_rfc3339())
}

fn opt(v: Option<u64>) -> Field {
    v.map_or(Field::Empty, Field::Int)
}

fn text(s: Option<&str>) -> Field {
    s.map_or(Field::Empty, |s| Field::Text(s.to_owned()))
}

/// The rows, in the digest's department order, then by publishing time and channel.
pub fn rows(digest: &Digest, raw: &DigestRows) -> Vec<Vec<Field>> {
    let order: HashMap<&str, (usize, &str)> = digest
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), (i, s.name_th.as_str())))
        .collect();
    let mut sorted: Vec<_> = raw
        .rows
        .iter()
        .filter(|r| r.channel.as_deref() != Some("outbox"))
        .collect();
    sorted.sort_by_key(|r| order.get(r.department.as_str()).map_or(usize::MAX, |o| o.0));
    sorted
        .into_iter()
        .map(|r| {
            let s = r.sample.as_ref();
            vec![
                Field::Text(digest.month.clone()),
                Field::Text(r.department.clone()),
                Field::Text(
                    order
                        .get(r.department.as_str())
                        .map_or(r.department.as_str(), |o| o.1)
                        .to_owned(),
                ),
                Field::Int(r.announcement_id.max(0) as u64),
                time(r.publish_at),
                Field::Text(r.title.clone()),
                text(r.channel.as_deref()),
                text(r.state.as_deref()),
                r.published_at.map_or(Field::Empty, time),
                text(r.url.as_deref()),
                s.map_or(Field::Empty, |s| Field::Int(s.slot_secs.max(0) as u64)),
                s.map_or(Field::Empty, |s| time(s.taken_at)),
                opt(s.and_then(|s| s.views)),
                opt(s.and_then(|s| s.reach)),
                opt(s.and_then(|s| s.reactions)),
                opt(s.and_then(|s| s.comments)),
                opt(s.and_then(|s| s.shares)),
                opt(s.and_then(|s| s.clicks)),
                opt(s.and_then(|s| s.video_views)),
                Field::Int(r.page_views),
                r.reach_error
                    .as_ref()
                    .map_or(Field::Empty, |(c, e)| Field::Text(format!("{c}: {e}"))),
            ]
        })
        .collect()
}

/// The rows as CSV (RFC 4180, UTF-8, a header line).
pub fn csv(digest: &Digest, raw: &DigestRows) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADER).expect("writing to memory");
    for row in rows(digest, raw) {
        w.write_record(row.iter().map(|f| match f {
            Field::Text(s) => s.clone(),
            Field::Int(n) => n.to_string(),
            Field::Empty => String::new(),
        }))
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}
