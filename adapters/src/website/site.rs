//! The site on disk and its entries in memory: opening (load, repair, rebuild the indexes),
//! publishing one entry (media, page, record, then only the indexes it touches), and the
//! health check. All of it is blocking file work; the channel runs it off the async runtime.
//!
//! Order of writes in a publish: media, article page, entry record (flushed to disk, with its
//! directory), then the indexes. Each file is replaced atomically, never half-written. A kill
//! or a power cut at any point leaves the record either absent (the publish did not return
//! `Ok`, the dispatcher retries) or durable, and `open` rebuilds every page that depends on
//! it. The index pages' mark ([`super::mark`]) is removed, durably, before the record is
//! written and written again once the indexes show every record, so `open` skips the rebuild
//! only when nothing happened since the indexes were last written in full.
//!
//! Concurrency: publishes of different announcements write their pages and records at the
//! same time (the entries are locked only to look up and to insert, one change per
//! announcement id at a time), so their flushes to disk share the file system's commits; the
//! index pages are written by one writer at a time for every publish waiting, each page
//! rendered from the entries it lists ([`super::archive`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::archive::{Archive, DepartmentListing, MonthListing, Overview, YearListing};
use super::entry::{self, Entries, Entry, EntryRetraction, MonthKey, RecordStamp};
use super::error::WebsiteError;
use super::feeds;
use super::fsio::{self, Sync};
use super::mark;
use super::paths;
use super::prepare::{valid_department_code, valid_media_name};
use super::render::{DEPARTMENT_LATEST, Renderer};
use super::settings::{RetractionPage, WebsiteSettings};
use crate::{Department, Payload};

/// The outcome of one publish.
#[derive(Debug, Clone)]
pub struct Published {
    pub url: String,
    /// An entry with the same id and idempotency key was already there: this publish rewrote
    /// the same files and had no new effect.
    pub deduplicated: bool,
}

/// The index pages one or more entries appear on.
#[derive(Debug, Default)]
struct Affected {
    /// By code; the first entry added names the department.
    departments: BTreeMap<String, Department>,
    years: BTreeSet<(String, i32)>,
    months: BTreeSet<MonthKey>,
}

impl Affected {
    fn merge(&mut self, other: Affected) {
        for (code, d) in other.departments {
            self.departments.entry(code).or_insert(d);
        }
        self.years.extend(other.years);
        self.months.extend(other.months);
    }

    fn add(&mut self, e: &Entry) {
        self.departments
            .entry(e.department.code.clone())
            .or_insert_with(|| e.department.clone());
        self.years
            .insert((e.department.code.clone(), e.fiscal_year()));
        self.months.insert(e.month());
    }
}

pub struct Site {
    renderer: Renderer,
    root: PathBuf,
    /// The live entries and their indexes.
    entries: Mutex<Archive>,
    /// Announcements whose page and record are being changed: one change at a time per id,
    /// taken before `entries`, so the records of one announcement are written in order while
    /// other announcements' records are written (and flushed) meanwhile.
    claims: Mutex<BTreeSet<i64>>,
    released: Condvar,
    /// Entries taken back: listed nowhere, kept for their notice pages. Locked after
    /// `entries` when both are held.
    retracted: Mutex<Entries>,
    /// The length and time of every record file, live and retracted: what the mark is made of.
    stamps: Mutex<mark::Records>,
    /// Whether the mark is on disk. Held while the mark is removed or written; locked after
    /// `entries` and before `pending` and `stamps`.
    mark: Mutex<bool>,
    /// Index pages waiting to be written for records already written.
    pending: Mutex<Pending>,
    /// Held while index pages are written: one writer, and the publishes waiting for it are
    /// served by one rebuild (a group commit).
    index_writer: Mutex<()>,
    /// How many times publishes rewrote index pages.
    index_writes: std::sync::atomic::AtomicU64,
}

/// What publishes have asked of the index pages, and how much of it is written. Each publish
/// takes the next ticket once its entry is in the map; a rebuild that starts after a ticket was
/// taken renders that entry, so it answers every ticket up to the last one taken before it.
#[derive(Default)]
struct Pending {
    affected: Affected,
    taken: u64,
    written: u64,
    /// Record changes under way that have not taken their ticket yet: no mark meanwhile.
    changing: u64,
    /// A record change failed part way (the record may be on disk with no ticket for its
    /// index pages): this process writes no mark again, and the next opening rebuilds.
    unsure: bool,
}

/// A record change under way, from the mark's removal until its ticket is taken.
struct Changing<'a> {
    site: &'a Site,
    ticketed: bool,
}

/// One announcement claimed for a change ([`Site::claim`]); let go when dropped.
struct Claim<'a> {
    site: &'a Site,
    id: i64,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut claims = self.site.claims.lock().unwrap_or_else(|p| p.into_inner());
        claims.remove(&self.id);
        drop(claims);
        self.site.released.notify_all();
    }
}

/// What the affected index pages show, taken from the archive under its lock (in time
/// proportional to the pages, not to the archive) and rendered after it is let go.
struct Listings {
    departments: Vec<(Department, DepartmentListing)>,
    years: Vec<(Department, i32, YearListing)>,
    months: Vec<(MonthKey, MonthListing)>,
    overview: Overview,
}

impl Drop for Changing<'_> {
    fn drop(&mut self) {
        if !self.ticketed {
            let mut pending = self.site.pending();
            pending.changing -= 1;
            pending.unsure = true;
        }
    }
}

impl Site {
    /// Create the tree, sweep leftover temporary files, load the records, write the
    /// stylesheet, render any missing article page, and rebuild every index and feed.
    pub fn open(settings: WebsiteSettings) -> Result<Site, WebsiteError> {
        let root = settings.root.clone();
        for dir in [
            "",
            paths::ENTRIES_DIR,
            paths::NEWS_DIR,
            paths::MEDIA_DIR,
            paths::DEPARTMENTS_DIR,
            paths::MONTHS_DIR,
        ] {
            let d = root.join(dir);
            fs::create_dir_all(&d).map_err(|e| WebsiteError::io("create directory", &d, e))?;
        }
        fsio::sweep_tmp(&root);
        let (mut entries, mut retracted, mut stamps, mut unpaged) = (
            Vec::new(),
            Entries::new(),
            mark::Records::default(),
            Vec::new(),
        );
        // Whether a live entry's article page is missing (after a crash between record and
        // page) or empty (after a power cut that kept the rename but not the data): asked on
        // the threads that read the records.
        let page_missing = |e: &Entry| {
            e.retracted.is_none()
                && fs::metadata(paths::file(&root, &paths::page(e.id)))
                    .map_or(true, |m| m.len() == 0)
        };
        for (id, loaded) in entry::load_all(&root.join(paths::ENTRIES_DIR), page_missing)? {
            stamps.insert(id, loaded.stamp);
            let e = Arc::new(loaded.entry);
            if e.retracted.is_some() {
                retracted.insert(id, e);
            } else {
                if loaded.checked {
                    unpaged.push(Arc::clone(&e));
                }
                entries.push(e);
            }
        }
        let site = Site {
            renderer: Renderer::new(settings),
            root,
            entries: Mutex::new(entries.into_iter().collect()),
            claims: Mutex::new(BTreeSet::new()),
            released: Condvar::new(),
            retracted: Mutex::new(retracted),
            stamps: Mutex::new(stamps),
            mark: Mutex::new(false),
            pending: Mutex::new(Pending::default()),
            index_writer: Mutex::new(()),
            index_writes: Default::default(),
        };
        fsio::write_if_changed(
            &site.root.join(paths::STYLE),
            site.renderer.style()?.as_bytes(),
        )?;
        {
            let entries = site.lock();
            for e in unpaged {
                let page = paths::file(&site.root, &paths::page(e.id));
                tracing::info!(
                    announcement_id = e.id,
                    "website: writing a missing article page"
                );
                fsio::write_atomic(&page, site.renderer.article(&e)?.as_bytes(), Sync::Cached)?;
            }
            // A retraction cut off after its record: its page and media are put right here.
            for e in site.retracted_lock().values() {
                site.retracted_files(e, &entries, false)?;
            }
            let all = site.everything(&entries);
            if mark::read(&site.root).is_some_and(|m| m == site.digest())
                && site.index_pages_present(&all)
            {
                // Nothing changed since the indexes were last written in full.
                *site.mark_lock() = true;
            } else {
                site.rebuild_indexes(&site.gather(&entries, &all))?;
                site.mark_if_current();
            }
        }
        Ok(site)
    }

    /// Every index page and feed of `all` is on disk and not empty (a power cut can leave a
    /// renamed page without its data).
    fn index_pages_present(&self, all: &Affected) -> bool {
        let mut pages: Vec<PathBuf> = vec![
            paths::file(&self.root, ""),
            paths::file(&self.root, &paths::departments_index()),
            paths::file(&self.root, &paths::months_index()),
            self.root.join(paths::RSS),
            self.root.join(paths::ATOM),
            self.root.join(paths::JSON_FEED),
        ];
        pages.extend(
            all.departments
                .keys()
                .map(|code| paths::file(&self.root, &paths::department(code))),
        );
        pages.extend(
            all.years
                .iter()
                .map(|(code, fy)| paths::file(&self.root, &paths::department_year(code, *fy))),
        );
        pages.extend(
            all.months
                .iter()
                .map(|m| paths::file(&self.root, &paths::month(*m))),
        );
        pages
            .iter()
            .all(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() > 0))
    }

    fn mark_lock(&self) -> MutexGuard<'_, bool> {
        self.mark.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stamps_lock(&self) -> MutexGuard<'_, mark::Records> {
        self.stamps.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What the mark says when the index pages show the records as they are now.
    fn digest(&self) -> String {
        let digests = self
            .root
            .join(paths::DIGESTS_DIR)
            .join("index.html")
            .is_file();
        mark::digest(self.settings(), &self.stamps_lock(), digests)
    }

    /// Before a record changes: the mark off the disk, durably, and the change counted until
    /// it has taken its ticket.
    fn begin_change(&self) -> Result<Changing<'_>, WebsiteError> {
        let mut marked = self.mark_lock();
        if *marked {
            mark::remove(&self.root)?;
            *marked = false;
        }
        self.pending().changing += 1;
        Ok(Changing {
            site: self,
            ticketed: false,
        })
    }

    /// Write the mark if the index pages show every record: no change under way, every ticket
    /// answered. A mark that cannot be written costs the next opening a rebuild, nothing else.
    fn mark_if_current(&self) {
        let mut marked = self.mark_lock();
        {
            let p = self.pending();
            if p.unsure || p.changing > 0 || p.written < p.taken {
                return;
            }
        }
        match mark::write(&self.root, &self.digest()) {
            Ok(()) => *marked = true,
            Err(e) => {
                tracing::warn!(error = %e, "website: cannot write the mark of current index pages")
            }
        }
    }

    fn retracted_lock(&self) -> MutexGuard<'_, Entries> {
        self.retracted.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock(&self) -> MutexGuard<'_, Archive> {
        // A panic mid-publish leaves the map as it was before or after one insert: still usable.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn settings(&self) -> &WebsiteSettings {
        self.renderer.settings()
    }

    /// Wait until no other change holds announcement `id`, then hold it.
    fn claim(&self, id: i64) -> Claim<'_> {
        let mut claims = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        while !claims.insert(id) {
            claims = self
                .released
                .wait(claims)
                .unwrap_or_else(|p| p.into_inner());
        }
        Claim { site: self, id }
    }

    /// Everything that has pages: every department, department year and month with entries,
    /// plus every one that has a directory on disk (so a page whose last entry moved away is
    /// rewritten empty, not left stale).
    fn everything(&self, entries: &Archive) -> Affected {
        let mut all = Affected::default();
        for (code, newest, years) in entries.departments() {
            all.departments
                .insert(code.to_owned(), newest.department.clone());
            all.years
                .extend(years.into_iter().map(|fy| (code.to_owned(), fy)));
        }
        all.months.extend(entries.months());
        let list = |dir: &Path| -> Vec<String> {
            fs::read_dir(dir)
                .map(|read| {
                    read.flatten()
                        .filter(|i| i.file_type().is_ok_and(|t| t.is_dir()))
                        .filter_map(|i| i.file_name().to_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let departments_dir = self.root.join(paths::DEPARTMENTS_DIR);
        for code in list(&departments_dir)
            .into_iter()
            .filter(|c| valid_department_code(c))
        {
            for year in list(&departments_dir.join(&code)) {
                if let Ok(fy) = year.parse::<i32>()
                    && year.len() == 4
                {
                    all.years.insert((code.clone(), fy));
                }
            }
            all.departments
                .entry(code.clone())
                .or_insert_with(|| Department {
                    code: code.clone(),
                    name_th: code.clone(),
                    name_en: code,
                });
        }
        all.months.extend(
            list(&self.root.join(paths::MONTHS_DIR))
                .iter()
                .filter_map(|s| MonthKey::parse_slug(s)),
        );
        all
    }

    /// What the `affected` index pages show, from the archive (held locked by the caller).
    fn gather(&self, entries: &Archive, affected: &Affected) -> Listings {
        Listings {
            departments: affected
                .departments
                .values()
                .map(|d| (d.clone(), entries.department(&d.code, DEPARTMENT_LATEST)))
                .collect(),
            years: affected
                .years
                .iter()
                .map(|(code, fy)| {
                    let d = affected.departments[code].clone();
                    (d, *fy, entries.department_year(code, *fy))
                })
                .collect(),
            months: affected
                .months
                .iter()
                .map(|&m| (m, entries.month(m)))
                .collect(),
            overview: entries.overview(self.settings().feed_items),
        }
    }

    /// Rewrite the gathered department, department-year and month pages, the home page, the
    /// two indexes and the feeds. Never every page: the cost of a publish must not grow with
    /// the number of pages in the archive, and each page is rendered from the entries it lists.
    fn rebuild_indexes(&self, listings: &Listings) -> Result<(), WebsiteError> {
        let r = &self.renderer;
        let write = |rel: &str, html: String| {
            fsio::write_atomic(&paths::file(&self.root, rel), html.as_bytes(), Sync::Cached)
        };
        for (d, listing) in &listings.departments {
            write(&paths::department(&d.code), r.department(d, listing)?)?;
        }
        for (d, fy, listing) in &listings.years {
            write(
                &paths::department_year(&d.code, *fy),
                r.department_year(d, *fy, listing)?,
            )?;
        }
        for (m, listing) in &listings.months {
            write(&paths::month(*m), r.month(*m, listing)?)?;
        }
        // The monthly digests' fiscal-year index, once the daemon has published a digest.
        let digests = self
            .root
            .join(paths::DIGESTS_DIR)
            .join("index.html")
            .is_file();
        let overview = &listings.overview;
        write("", r.home(overview, digests)?)?;
        fsio::write_if_changed(
            &paths::file(&self.root, &paths::departments_index()),
            r.departments_index(overview)?.as_bytes(),
        )?;
        fsio::write_if_changed(
            &paths::file(&self.root, &paths::months_index()),
            r.months_index(overview)?.as_bytes(),
        )?;

        let s = self.settings();
        let newest: Vec<&Entry> = overview.latest.iter().map(|e| &**e).collect();
        fsio::write_atomic(
            &self.root.join(paths::RSS),
            &feeds::rss(s, &newest)?,
            Sync::Cached,
        )?;
        fsio::write_atomic(
            &self.root.join(paths::ATOM),
            &feeds::atom(s, &newest)?,
            Sync::Cached,
        )?;
        fsio::write_atomic(
            &self.root.join(paths::JSON_FEED),
            &feeds::json_feed(s, &newest)?,
            Sync::Cached,
        )?;
        Ok(())
    }

    /// Publish one payload: the same announcement id always lands on the same page and record.
    pub fn publish(
        &self,
        payload: &Payload,
        idempotency_key: &str,
    ) -> Result<Published, WebsiteError> {
        if !valid_department_code(&payload.department.code) {
            return Err(WebsiteError::Refused(format!(
                "department code {:?} cannot be used in a web address (รหัสสายงานใช้ในที่อยู่เว็บไม่ได้)",
                payload.department.code
            )));
        }
        self.place_media(payload)?;

        let url = paths::absolute(
            &self.settings().base_url,
            &paths::page(payload.announcement_id),
        );
        let entry = Entry::from_payload(payload, url.clone(), idempotency_key);
        // The map is locked only to look and, once the record is durable, to insert: publishes
        // of other announcements write and flush their records meanwhile, and the file system
        // commits those flushes together.
        let claim = self.claim(entry.id);
        let previous = {
            let entries = self.lock();
            if self.retracted_lock().contains_key(&entry.id) {
                return Err(WebsiteError::Refused(format!(
                    "announcement {} was retracted; it is not published again (ประกาศนี้ถอนแล้ว)",
                    entry.id
                )));
            }
            entries.get(entry.id).cloned()
        };
        let deduplicated = previous
            .as_ref()
            .is_some_and(|p| p.idempotency_key == idempotency_key);

        let page = self.renderer.article(&entry)?;
        fsio::write_atomic(
            &paths::file(&self.root, &paths::page(entry.id)),
            page.as_bytes(),
            Sync::Cached,
        )?;
        let change = self.begin_change()?;
        self.write_record(&entry)?;
        // What this publish touches: its department, year and month, and where it was before.
        let ticket = {
            let mut entries = self.lock();
            let ticket = self.take_ticket(&entry, previous.as_deref(), Some(change));
            entries.insert(Arc::new(entry));
            ticket
        };
        drop(claim);
        self.write_indexes_through(ticket)?;
        Ok(Published { url, deduplicated })
    }

    /// Write a changed entry's page and record in place of the published ones, keeping its
    /// address and publishing time, then the indexes it is on. Returns the page URL.
    pub fn edit(
        &self,
        payload: &Payload,
        edited_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, WebsiteError> {
        let id = payload.announcement_id;
        self.place_media(payload)?;
        let claim = self.claim(id);
        let previous = self.lock().get(id).cloned();
        let Some(previous) = previous else {
            let why = if self.retracted_lock().contains_key(&id) {
                "it was retracted (ประกาศนี้ถอนแล้ว)"
            } else {
                "it is not published on this site (ยังไม่ได้เผยแพร่บนเว็บไซต์)"
            };
            return Err(WebsiteError::Refused(format!(
                "announcement {id} cannot be edited: {why}"
            )));
        };
        let mut entry =
            Entry::from_payload(payload, previous.url.clone(), &previous.idempotency_key);
        entry.published_at = previous.published_at;
        entry.edited_at = Some(edited_at);
        let page = self.renderer.article(&entry)?;
        fsio::write_atomic(
            &paths::file(&self.root, &paths::page(id)),
            page.as_bytes(),
            Sync::Cached,
        )?;
        let change = self.begin_change()?;
        self.write_record(&entry)?;
        let url = entry.url.clone();
        let ticket = {
            let mut entries = self.lock();
            let ticket = self.take_ticket(&entry, Some(&*previous), Some(change));
            entries.insert(Arc::new(entry));
            ticket
        };
        drop(claim);
        self.write_indexes_through(ticket)?;
        Ok(url)
    }

    /// Take an entry back: its record says so first (a restart finishes the rest), then its
    /// page becomes the notice or goes, its media files no other entry uses are removed, and
    /// every index it was on is written without it. A repeat does the file work again; an
    /// announcement this site never published has nothing to take back.
    pub fn retract(&self, id: i64, retraction: EntryRetraction) -> Result<(), WebsiteError> {
        let claim = self.claim(id);
        let mut entries = self.lock();
        let (entry, previous) = match entries.get(id).cloned() {
            Some(live) => {
                let mut e = Entry::clone(&live);
                e.retracted = Some(retraction);
                (Arc::new(e), Some(live))
            }
            None => match self.retracted_lock().get(&id).cloned() {
                Some(e) => (e, None),
                None => return Ok(()),
            },
        };
        let change = match previous {
            Some(_) => {
                let change = self.begin_change()?;
                self.write_record(&entry)?;
                self.retracted_lock().insert(id, Arc::clone(&entry));
                entries.remove(id);
                Some(change)
            }
            None => None,
        };
        // Asked for before the files, so a failure there leaves the index pages to the next
        // rewrite rather than to no one.
        let ticket = self.take_ticket(&entry, None, change);
        self.retracted_files(&entry, &entries, true)?;
        drop(entries);
        drop(claim);
        self.write_indexes_through(ticket)
    }

    /// A retracted entry's page (the notice, or none) and media (unlinked unless a listed
    /// entry shows them too). `rewrite`: write the notice even when one is there.
    fn retracted_files(
        &self,
        e: &Entry,
        live: &Archive,
        rewrite: bool,
    ) -> Result<(), WebsiteError> {
        let page = paths::file(&self.root, &paths::page(e.id));
        match self.settings().retraction {
            RetractionPage::Notice => {
                if rewrite || fs::metadata(&page).is_err() {
                    fsio::write_atomic(
                        &page,
                        self.renderer.retracted(e)?.as_bytes(),
                        Sync::Cached,
                    )?;
                }
            }
            RetractionPage::Remove => fsio::remove_if_present(&page)?,
        }
        for m in &e.media {
            let shared = live
                .values()
                .any(|o| o.media.iter().any(|om| om.name == m.name));
            if !shared && valid_media_name(&m.name) {
                fsio::remove_if_present(&self.root.join(paths::MEDIA_DIR).join(&m.name))?;
            }
        }
        Ok(())
    }

    /// Put a payload's media files into the site (checked names, content-addressed).
    fn place_media(&self, payload: &Payload) -> Result<(), WebsiteError> {
        for m in &payload.media {
            let name = m.stored_name();
            if !valid_media_name(&name) {
                return Err(WebsiteError::Refused(format!(
                    "media file {} has an unusable stored name {name:?} (ชื่อไฟล์สื่อใช้ไม่ได้)",
                    m.original_name
                )));
            }
            fsio::copy_media(&m.path, &self.root.join(paths::MEDIA_DIR).join(&name))?;
        }
        Ok(())
    }

    /// Write an entry's record durably: the site's source of truth.
    fn write_record(&self, entry: &Entry) -> Result<(), WebsiteError> {
        let record = serde_json::to_value(entry).map_err(|e| WebsiteError::Serialize {
            what: "entry record",
            message: e.to_string(),
        })?;
        let record = format!("{record:#}");
        let record_path = self
            .root
            .join(paths::ENTRIES_DIR)
            .join(format!("{}.json", entry.id));
        fsio::write_atomic(&record_path, record.as_bytes(), Sync::Durable)?;
        let stamp = fs::metadata(&record_path)
            .map(|m| RecordStamp::of(&m))
            .map_err(|e| WebsiteError::io("read", &record_path, e))?;
        self.stamps_lock().insert(entry.id, stamp);
        Ok(())
    }

    /// Ask for the index pages `entry` (and where it was before) are on; returns the ticket to
    /// wait for.
    /// The record `change` that wrote it (if any) ends here, in the same step.
    fn take_ticket(
        &self,
        entry: &Entry,
        previous: Option<&Entry>,
        change: Option<Changing<'_>>,
    ) -> u64 {
        let mut pending = self.pending();
        if let Some(mut change) = change {
            pending.changing -= 1;
            change.ticketed = true;
        }
        pending.affected.add(entry);
        if let Some(p) = previous {
            pending.affected.add(p);
        }
        pending.taken += 1;
        pending.taken
    }

    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Return once the index pages show every publish up to `ticket`. Publishes that arrive
    /// while a rebuild runs wait for the writer, and the first of them writes the pages for all
    /// of them: a burst of publishes renders each index page a few times, not once per publish.
    fn write_indexes_through(&self, ticket: u64) -> Result<(), WebsiteError> {
        let _writer = self.index_writer.lock().unwrap_or_else(|p| p.into_inner());
        let (affected, upto) = {
            let mut pending = self.pending();
            if pending.written >= ticket {
                return Ok(());
            }
            (std::mem::take(&mut pending.affected), pending.taken)
        };
        // Rendered from what the pages list, gathered under the lock and rendered after it, so
        // publishes go on writing their pages and records meanwhile and queue for the next
        // rewrite instead of for the map.
        let listings = self.gather(&self.lock(), &affected);
        self.index_writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.rebuild_indexes(&listings) {
            Ok(()) => {
                {
                    let mut pending = self.pending();
                    pending.written = pending.written.max(upto);
                }
                self.mark_if_current();
                Ok(())
            }
            Err(e) => {
                // Left for the next writer (or the next start, which rebuilds every index).
                self.pending().affected.merge(affected);
                Err(e)
            }
        }
    }

    /// Hold the index writer, as a long rebuild would (for tests of the group commit).
    #[cfg(test)]
    pub(super) fn hold_index_writer(&self) -> MutexGuard<'_, ()> {
        self.index_writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Publishes that have written their record (tickets taken), and index rewrites so far.
    #[cfg(test)]
    pub(super) fn index_counters(&self) -> (u64, u64) {
        (
            self.pending().taken,
            self.index_writes.load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Re-render every article page (after a template change), then every index and feed.
    pub fn rebuild_all(&self) -> Result<usize, WebsiteError> {
        // No publish's index rewrite runs meanwhile (it could be rendering an older copy).
        let _writer = self.index_writer.lock().unwrap_or_else(|p| p.into_inner());
        let entries = self.lock();
        for e in entries.values() {
            let html = self.renderer.article(e)?;
            fsio::write_atomic(
                &paths::file(&self.root, &paths::page(e.id)),
                html.as_bytes(),
                Sync::Cached,
            )?;
        }
        for e in self.retracted_lock().values() {
            self.retracted_files(e, &entries, true)?;
        }
        fsio::write_if_changed(
            &self.root.join(paths::STYLE),
            self.renderer.style()?.as_bytes(),
        )?;
        self.rebuild_indexes(&self.gather(&entries, &self.everything(&entries)))?;
        // The templates may have changed: the mark says what the pages are made from now.
        self.mark_if_current();
        Ok(entries.len())
    }

    /// The root is writable (a file can be created and removed); returns the number of pages.
    pub fn check(&self) -> Result<usize, WebsiteError> {
        let probe = self
            .root
            .join(format!(".prakat-health-{}", std::process::id()));
        fs::write(&probe, b"ok").map_err(|e| WebsiteError::io("write", &probe, e))?;
        fs::remove_file(&probe).map_err(|e| WebsiteError::io("remove", &probe, e))?;
        Ok(self.lock().len())
    }
}

/// The health check of a process that does not write the site: the root, if it exists yet, is
/// a directory that is not read-only; the pages are counted from the records. Reads only.
pub fn check_without_writing(root: &Path) -> Result<String, WebsiteError> {
    let meta = match fs::metadata(root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(format!(
                "website: {} is not there yet; the daemon creates it when it starts",
                root.display()
            ));
        }
        Err(e) => return Err(WebsiteError::io("read", root, e)),
    };
    if !meta.is_dir() || meta.permissions().readonly() {
        return Err(WebsiteError::io(
            "write to",
            root,
            std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "not a writable directory",
            ),
        ));
    }
    let entries = root.join(paths::ENTRIES_DIR);
    let pages = match fs::read_dir(&entries) {
        Ok(read) => read
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| !n.starts_with('.') && n.ends_with(".json"))
            })
            .count(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
        Err(e) => return Err(WebsiteError::io("read", &entries, e)),
    };
    Ok(format!(
        "website: {} ({pages} pages), written by the daemon",
        root.display()
    ))
}
