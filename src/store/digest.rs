//! The store's digest types: the plain rows one month's digest is built from. The store only
//! gathers; adding up, ordering into sections and saying what is missing is the digest's work
//! ([`crate::digest`]), pure and tested without a database.

use chrono::{DateTime, Utc};
use prakat_adapters::Department;
use serde::Serialize;

/// What the digest of one month reads: the departments in the order they were seeded (then
/// added), and one row per delivery of every announcement published in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DigestRows {
    /// Active departments, and any inactive one with an announcement in the month, in the order
    /// they were added (a new database's departments in the seed's order).
    pub departments: Vec<Department>,
    pub rows: Vec<DigestRow>,
}

/// One delivery of an announcement published in the month, with its latest reach sample and
/// the announcement's website page views. An announcement without deliveries (a website-less
/// import) has one row with `channel` empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestRow {
    pub announcement_id: i64,
    /// The department's code.
    pub department: String,
    pub title: String,
    pub body: String,
    /// The announcement's publishing time: what places it in a month.
    pub publish_at: DateTime<Utc>,
    /// The delivery's channel name; `None` for an announcement without deliveries.
    pub channel: Option<String>,
    /// The delivery's state (`published`, `failed`, …).
    pub state: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The post's address on the platform, when the platform gave one.
    pub url: Option<String>,
    /// The latest sample (the latest slot that has one), if any.
    pub sample: Option<DigestSample>,
    /// Why the delivery's latest failed sample failed, when it has no sample at all: the error
    /// class (`rejected`, `auth`, …) and the platform's words.
    pub reach_error: Option<(String, String)>,
    /// Views of the announcement's website page, all days so far (0 when never viewed).
    pub page_views: u64,
}

/// A delivery's latest reach sample. Every figure may be `None`: "not told", never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DigestSample {
    pub slot_secs: i64,
    pub taken_at: DateTime<Utc>,
    pub views: Option<u64>,
    pub reach: Option<u64>,
    pub reactions: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub clicks: Option<u64>,
    pub video_views: Option<u64>,
}
