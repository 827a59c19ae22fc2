//! The mark that the index pages are current: `.prakat-indexes-current` in the site root, a
//! digest of everything the index pages and feeds are made from — the settings, the templates
//! (embedded and overridden), this build's version, whether a digest index is published, and
//! the length and time of every entry record. Opening a site whose mark matches, with every
//! index page on disk, writes no index page. The records' part is kept up to date record by
//! record ([`Records`]), so writing the mark costs the same whatever the archive's size.
//!
//! The protocol: the mark is removed, durably, before any record is changed, and written again
//! only once the index pages show every record (no publish between its record and its ticket,
//! no ticket unanswered). A process killed anywhere between a record change and the index
//! rewrite leaves no mark, so the next opening rebuilds every index.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::entry::RecordStamp;
use super::error::WebsiteError;
use super::fsio::{self, Sync};
use super::settings::WebsiteSettings;
use super::templates;

/// The mark's file name in the site root (a dot name: never served as a page, never swept).
pub const MARK: &str = ".prakat-indexes-current";

/// FNV-1a, 64 bits: a change detector for inputs this process wrote or read itself, not a
/// defence against anyone choosing them.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        // The length first, so that consecutive fields cannot run into each other.
        for x in (b.len() as u64).to_le_bytes().iter().chain(b) {
            self.0 ^= u64::from(*x);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The stamps of every record, with their part of the digest: the sum of each record's own
/// 128-bit hash (of its id, length and time), so a record written changes it by one record's
/// hashing, and the order the records were read in does not matter.
#[derive(Debug, Default)]
pub struct Records {
    stamps: BTreeMap<i64, RecordStamp>,
    sum: u128,
}

fn record_hash(id: i64, s: &RecordStamp) -> u128 {
    let (mut a, mut b) = (Fnv::new(), Fnv(0x6c62_272e_07bb_0142));
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&id.to_le_bytes());
    bytes[8..16].copy_from_slice(&s.len.to_le_bytes());
    bytes[16..].copy_from_slice(&s.modified_ns.to_le_bytes());
    a.bytes(&bytes);
    b.bytes(&bytes);
    (u128::from(a.0) << 64) | u128::from(b.0)
}

impl Records {
    /// Record `id` is now as `stamp` says.
    pub fn insert(&mut self, id: i64, stamp: RecordStamp) {
        if let Some(old) = self.stamps.insert(id, stamp) {
            self.sum = self.sum.wrapping_sub(record_hash(id, &old));
        }
        self.sum = self.sum.wrapping_add(record_hash(id, &stamp));
    }
}

/// The digest of what the index pages depend on, as the mark holds it.
pub fn digest(settings: &WebsiteSettings, records: &Records, digests_published: bool) -> String {
    // Two passes with different seeds make a 128-bit digest.
    let mut a = Fnv::new();
    let mut b = Fnv(0x6c62_272e_07bb_0142);
    let mut feed = |bytes: &[u8]| {
        a.bytes(bytes);
        b.bytes(bytes);
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    feed(format!("{settings:?}").as_bytes());
    feed(&[u8::from(digests_published)]);
    for (name, src) in templates::EMBEDDED {
        feed(name.as_bytes());
        feed(src.as_bytes());
        // An override in the templates directory, or its absence.
        let over = settings
            .templates_dir
            .as_ref()
            .and_then(|dir| fs::read(dir.join(name)).ok());
        feed(over.as_deref().unwrap_or(b"\0embedded"));
    }
    feed(&(records.stamps.len() as u64).to_le_bytes());
    feed(&records.sum.to_le_bytes());
    format!("v2 {:016x}{:016x}\n", a.0, b.0)
}

/// The mark on disk, if there is one.
pub fn read(root: &Path) -> Option<String> {
    fs::read_to_string(root.join(MARK)).ok()
}

/// Write the mark. Atomic; not flushed: a mark lost to a power cut only costs a rebuild.
pub fn write(root: &Path, digest: &str) -> Result<(), WebsiteError> {
    fsio::write_atomic(&root.join(MARK), digest.as_bytes(), Sync::Cached)
}

/// Remove the mark durably (its directory flushed), before a record changes.
pub fn remove(root: &Path) -> Result<(), WebsiteError> {
    fsio::remove_if_present(&root.join(MARK))
}
