//! The entry record: what the site keeps about one published announcement, in
//! `_entries/<id>.json`. Every index and feed is rebuilt from these records alone, so they are
//! the website's source of truth on disk.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use super::error::WebsiteError;
use crate::thai::dates::{bangkok, be_year, fiscal_year_be};
use crate::{Department, MediaKind, Payload};

/// Longest summary, in characters, before "…".
pub(crate) const SUMMARY_MAX: usize = 200;

/// One media file of an entry, as the site stores it under `media/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryMedia {
    /// File name under `media/`: `<sha256>.<ext>`.
    pub name: String,
    pub mime: String,
    pub kind: MediaKind,
    pub size: u64,
    /// The name the file was attached under: a document is downloaded under it
    /// (`digest-2569-11.pdf`). Empty in records written before documents.
    #[serde(default)]
    pub original_name: String,
}

/// One published announcement as the site remembers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub title: String,
    pub department: Department,
    pub published_at: DateTime<Utc>,
    /// The first ~200 characters of the text, cut at a space.
    pub summary: String,
    /// The full text, so a page can be rendered again (repair, template change).
    pub text: String,
    pub media: Vec<EntryMedia>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The canonical page URL.
    pub url: String,
    /// The idempotency key of the delivery that wrote this entry last.
    pub idempotency_key: String,
    /// When the announcement was last changed after it was published: the page says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    /// Taken back: listed nowhere, its page a notice or gone, its media unlinked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracted: Option<EntryRetraction>,
    /// The month and fiscal year, worked out once: not part of the record.
    #[serde(skip)]
    pub(crate) derived: Derived,
}

/// An entry's month and fiscal year, with the publishing time they were worked out from. Every
/// index rewrite asks every entry for them, and each asks the time-zone database; an entry
/// whose time changed since works them out again. Equal to any other: it is not data.
#[derive(Clone, Default)]
pub(crate) struct Derived(OnceLock<(DateTime<Utc>, MonthKey, i32)>);

impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Derived {}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived")
    }
}

/// When and why an entry was taken back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRetraction {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A calendar month in Bangkok time, named by its Buddhist Era year: the key of a month page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthKey {
    pub be_year: i32,
    pub month: u32,
}

impl MonthKey {
    pub fn of(at: DateTime<Utc>) -> Self {
        MonthKey {
            be_year: be_year(at),
            month: bangkok(at).month(),
        }
    }

    /// The month page's directory name, e.g. `2568-03`.
    pub fn slug(self) -> String {
        format!("{}-{:02}", self.be_year, self.month)
    }

    /// The month of a directory name made by [`MonthKey::slug`].
    pub fn parse_slug(slug: &str) -> Option<Self> {
        let (y, m) = slug.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let key = MonthKey {
            be_year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&key.month).then_some(key)
    }

    /// The fiscal year (BE) the month belongs to: October starts the next one.
    pub fn fiscal_year(self) -> i32 {
        self.be_year + i32::from(self.month >= 10)
    }
}

impl Entry {
    pub fn from_payload(payload: &Payload, url: String, idempotency_key: &str) -> Self {
        Entry {
            id: payload.announcement_id,
            title: payload.title.trim().to_owned(),
            department: payload.department.clone(),
            published_at: payload.published_at,
            summary: summarize(&payload.text),
            text: payload.text.clone(),
            media: payload
                .media
                .iter()
                .map(|m| EntryMedia {
                    name: m.stored_name(),
                    mime: m.mime.clone(),
                    kind: m.kind,
                    size: m.size,
                    original_name: m.original_name.clone(),
                })
                .collect(),
            tags: payload.tags.clone(),
            url,
            idempotency_key: idempotency_key.to_owned(),
            edited_at: None,
            retracted: None,
            derived: Derived::default(),
        }
    }

    fn derived(&self) -> (MonthKey, i32) {
        let at = self.published_at;
        match self.derived.0.get() {
            Some(&(when, month, fy)) if when == at => (month, fy),
            _ => {
                let (month, fy) = (MonthKey::of(at), fiscal_year_be(at));
                let _ = self.derived.0.set((at, month, fy));
                (month, fy)
            }
        }
    }

    pub fn month(&self) -> MonthKey {
        self.derived().0
    }

    pub fn fiscal_year(&self) -> i32 {
        self.derived().1
    }

    /// Newest first; the id breaks ties so the order is total and stable.
    pub fn newest_first(a: &&Entry, b: &&Entry) -> std::cmp::Ordering {
        b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id))
    }
}

/// The first ~[`SUMMARY_MAX`] characters of `text` with whitespace collapsed, cut at a space
/// when there is one in the second half, else at a Thai word boundary (via
/// [`crate::thai::fit_text`]), else at a grapheme boundary; "…" marks a cut.
pub fn summarize(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SUMMARY_MAX {
        return flat;
    }
    let head: String = flat.chars().take(SUMMARY_MAX).collect();
    if let Some(cut) = head.rfind(' ')
        && head[..cut].chars().count() >= SUMMARY_MAX / 2
    {
        return format!("{}…", head[..cut].trim_end());
    }
    let opts = crate::thai::FitOptions {
        max: SUMMARY_MAX,
        unit: crate::LengthUnit::Chars,
        link: None,
    };
    let fitted = crate::thai::fit_text(&flat, &opts);
    if fitted.shortened && fitted.text.chars().count() <= SUMMARY_MAX {
        return fitted.text;
    }
    let mut out = String::new();
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(flat.as_str(), true) {
        if out.chars().count() + g.chars().count() >= SUMMARY_MAX {
            break;
        }
        out.push_str(g);
    }
    format!("{}…", out.trim_end())
}

/// The entries of a site by id, shared: a copy of the map for rendering costs a reference
/// count per entry, not a copy of every text.
pub type Entries = BTreeMap<i64, Arc<Entry>>;

/// What the site knows of a record file without reading it again: its length and when it was
/// last written. The index pages' mark ([`super::mark`]) is made of these, so a record changed
/// behind the site's back makes the mark stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordStamp {
    pub len: u64,
    /// Nanoseconds since the epoch; 0 where the file system keeps no time.
    pub modified_ns: i128,
}

impl RecordStamp {
    pub fn of(meta: &fs::Metadata) -> Self {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        RecordStamp {
            len: meta.len(),
            modified_ns,
        }
    }
}

/// One record read from disk.
pub struct Loaded {
    pub entry: Entry,
    pub stamp: RecordStamp,
    /// What the check given to [`load_all`] said of the entry.
    pub checked: bool,
}

fn load_one(path: &Path, check: &(impl Fn(&Entry) -> bool + Sync)) -> Result<Loaded, WebsiteError> {
    let mut f = fs::File::open(path).map_err(|e| WebsiteError::io("read", path, e))?;
    let meta = f
        .metadata()
        .map_err(|e| WebsiteError::io("read", path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)
        .map_err(|e| WebsiteError::io("read", path, e))?;
    let entry: Entry = serde_json::from_slice(&bytes).map_err(|source| WebsiteError::Entry {
        path: path.to_owned(),
        source,
    })?;
    Ok(Loaded {
        checked: check(&entry),
        entry,
        stamp: RecordStamp::of(&meta),
    })
}

/// Read every `*.json` record in `dir`, on as many threads as there are cores (at most 4):
/// reading and parsing the records is most of the time it takes to open a large site. `check`
/// runs on each entry on the same threads (opening asks whether its article page is there).
/// Temporary files (dot names) are ignored.
pub fn load_all(
    dir: &Path,
    check: impl Fn(&Entry) -> bool + Sync,
) -> Result<BTreeMap<i64, Loaded>, WebsiteError> {
    let read = fs::read_dir(dir).map_err(|e| WebsiteError::io("list", dir, e))?;
    let mut paths = Vec::new();
    for item in read {
        let item = item.map_err(|e| WebsiteError::io("list", dir, e))?;
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        paths.push(item.path());
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let chunk = paths.len().div_ceil(threads).max(64);
    let parts: Vec<Result<Vec<Loaded>, WebsiteError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                let check = &check;
                scope.spawn(move || part.iter().map(|p| load_one(p, check)).collect())
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut entries = BTreeMap::new();
    for part in parts {
        for loaded in part? {
            entries.insert(loaded.entry.id, loaded);
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_its_own_summary_with_whitespace_collapsed() {
        assert_eq!(summarize("  หนึ่ง\n\nสอง   สาม "), "หนึ่ง สอง สาม");
    }

    #[test]
    fn long_text_is_cut_at_a_space() {
        let text = "คำ ".repeat(100);
        let s = summarize(&text);
        assert!(s.ends_with("คำ…"), "{s}");
        assert!(s.chars().count() <= SUMMARY_MAX + 1);
    }

    #[test]
    fn long_text_without_spaces_is_never_cut_inside_a_grapheme() {
        let text = "ผู้ต้องหา".repeat(60);
        let s = summarize(&text);
        assert!(
            s.chars().count() <= SUMMARY_MAX + 1,
            "{}",
            s.chars().count()
        );
        let body = s.trim_end_matches('…');
        assert!(text.starts_with(body));
        // The cut lands on a grapheme boundary: the next char is not a combining mark.
        let next = text[body.len()..].chars().next().unwrap();
        assert!(
            !matches!(next, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'),
            "{next:?}"
        );
    }

    #[test]
    fn month_keys_use_bangkok_time_and_the_fiscal_year_turns_in_october() {
        let at = DateTime::parse_from_rfc3339("2025-09-30T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = MonthKey::of(at);
        assert_eq!(
            m,
            MonthKey {
                be_year: 2568,
                month: 10
            }
        );
        assert_eq!(m.slug(), "2568-10");
        assert_eq!(MonthKey::parse_slug("2568-10"), Some(m));
        assert_eq!(MonthKey::parse_slug("2568-13"), None);
        assert_eq!(MonthKey::parse_slug("index.html"), None);
        assert_eq!(m.fiscal_year(), 2569);
        assert_eq!(
            MonthKey {
                be_year: 2568,
                month: 9
            }
            .fiscal_year(),
            2568
        );
    }
}
