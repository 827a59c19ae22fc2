//! The site on disk and its entries in memory: opening (load, repair, rebuild the indexes),
//! publishing one entry (media, page, record, then only the indexes it touches), and the
//! health check. All of it is blocking file work; the channel runs it off the async runtime.
//!
//! Order of writes in a publish: media, article page, entry record, then the indexes. A crash
//! at any point leaves either no trace or a page whose record and indexes the retry (or the
//! next `open`) writes again; each file is replaced atomically, never half-written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::entry::{self, Entry, MonthKey};
use super::error::WebsiteError;
use super::feeds;
use super::fsio::{self, Sync};
use super::paths;
use super::prepare::{valid_department_code, valid_media_name};
use super::render::Renderer;
use super::settings::WebsiteSettings;
use crate::{Department, Payload};

/// The outcome of one publish.
#[derive(Debug, Clone)]
pub struct Published {
    pub url: String,
    /// An entry with the same id and idempotency key was already there: this publish rewrote
    /// the same files and had no new effect.
    pub deduplicated: bool,
}

pub struct Site {
    renderer: Renderer,
    root: PathBuf,
    entries: Mutex<BTreeMap<i64, Entry>>,
}

impl Site {
    /// Create the tree, sweep leftover temporary files, load the records, write the
    /// stylesheet, render any missing article page, and rebuild every index and feed.
    pub fn open(settings: WebsiteSettings) -> Result<Site, WebsiteError> {
        let root = settings.root.clone();
        for dir in ["", paths::ENTRIES_DIR, paths::NEWS_DIR, paths::MEDIA_DIR, paths::DEPARTMENTS_DIR, paths::MONTHS_DIR] {
            let d = root.join(dir);
            fs::create_dir_all(&d).map_err(|e| WebsiteError::io("create directory", &d, e))?;
        }
        fsio::sweep_tmp(&root);
        let entries = entry::load_all(&root.join(paths::ENTRIES_DIR))?;
        let site = Site { renderer: Renderer::new(settings), root, entries: Mutex::new(entries) };
        fsio::write_if_changed(&site.root.join(paths::STYLE), site.renderer.style()?.as_bytes())?;
        {
            let entries = site.lock();
            for e in entries.values() {
                let page = paths::file(&site.root, &paths::page(e.id));
                if !page.exists() {
                    tracing::info!(announcement_id = e.id, "website: writing a missing article page");
                    fsio::write_atomic(&page, site.renderer.article(e)?.as_bytes(), Sync::Cached)?;
                }
            }
            let departments: Vec<Department> = site.department_dirs(&entries);
            let months = site.month_dirs(&entries);
            site.rebuild_indexes(&entries, &departments, &months)?;
        }
        Ok(site)
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<i64, Entry>> {
        // A panic mid-publish leaves the map as it was before or after one insert: still usable.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn settings(&self) -> &WebsiteSettings {
        self.renderer.settings()
    }

    /// Every department with entries, plus every department directory already on disk (so a
    /// page whose last entry moved away is rewritten empty, not left stale).
    fn department_dirs(&self, entries: &BTreeMap<i64, Entry>) -> Vec<Department> {
        let mut out: BTreeMap<String, Department> = BTreeMap::new();
        for e in entries.values() {
            out.entry(e.department.code.clone()).or_insert_with(|| e.department.clone());
        }
        if let Ok(read) = fs::read_dir(self.root.join(paths::DEPARTMENTS_DIR)) {
            for item in read.flatten() {
                if let Some(code) = item.file_name().to_str()
                    && item.file_type().is_ok_and(|t| t.is_dir())
                    && valid_department_code(code)
                {
                    out.entry(code.to_owned()).or_insert_with(|| Department {
                        code: code.to_owned(),
                        name_th: code.to_owned(),
                        name_en: code.to_owned(),
                    });
                }
            }
        }
        out.into_values().collect()
    }

    /// Every month with entries, plus every month directory already on disk.
    fn month_dirs(&self, entries: &BTreeMap<i64, Entry>) -> BTreeSet<MonthKey> {
        let mut out: BTreeSet<MonthKey> = entries.values().map(Entry::month).collect();
        if let Ok(read) = fs::read_dir(self.root.join(paths::MONTHS_DIR)) {
            for item in read.flatten() {
                if let Some(key) = item.file_name().to_str().and_then(MonthKey::parse_slug)
                    && item.file_type().is_ok_and(|t| t.is_dir())
                {
                    out.insert(key);
                }
            }
        }
        out
    }

    /// Rewrite the given department and month pages, the home page, the two indexes and the
    /// feeds. Never every page: the cost of a publish must not grow with the archive's pages.
    fn rebuild_indexes(
        &self,
        entries: &BTreeMap<i64, Entry>,
        departments: &[Department],
        months: &BTreeSet<MonthKey>,
    ) -> Result<(), WebsiteError> {
        let r = &self.renderer;
        for d in departments {
            let html = r.department(d, entries)?;
            fsio::write_atomic(&paths::file(&self.root, &paths::department(&d.code)), html.as_bytes(), Sync::Cached)?;
        }
        for &m in months {
            let html = r.month(m, entries)?;
            fsio::write_atomic(&paths::file(&self.root, &paths::month(m)), html.as_bytes(), Sync::Cached)?;
        }
        fsio::write_atomic(&paths::file(&self.root, ""), r.home(entries)?.as_bytes(), Sync::Cached)?;
        fsio::write_if_changed(&paths::file(&self.root, &paths::departments_index()), r.departments_index(entries)?.as_bytes())?;
        fsio::write_if_changed(&paths::file(&self.root, &paths::months_index()), r.months_index(entries)?.as_bytes())?;

        let mut newest: Vec<&Entry> = entries.values().collect();
        newest.sort_by(Entry::newest_first);
        newest.truncate(self.settings().feed_items);
        let s = self.settings();
        fsio::write_atomic(&self.root.join(paths::RSS), &feeds::rss(s, &newest)?, Sync::Cached)?;
        fsio::write_atomic(&self.root.join(paths::ATOM), &feeds::atom(s, &newest)?, Sync::Cached)?;
        fsio::write_atomic(&self.root.join(paths::JSON_FEED), &feeds::json_feed(s, &newest)?, Sync::Cached)?;
        Ok(())
    }

    /// Publish one payload: the same announcement id always lands on the same page and record.
    pub fn publish(&self, payload: &Payload, idempotency_key: &str) -> Result<Published, WebsiteError> {
        if !valid_department_code(&payload.department.code) {
            return Err(WebsiteError::Refused(format!(
                "department code {:?} cannot be used in a web address (รหัสสายงานใช้ในที่อยู่เว็บไม่ได้)",
                payload.department.code
            )));
        }
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

        let url = paths::absolute(&self.settings().base_url, &paths::page(payload.announcement_id));
        let entry = Entry::from_payload(payload, url.clone(), idempotency_key);
        let mut entries = self.lock();
        let previous = entries.get(&entry.id).cloned();
        let deduplicated = previous.as_ref().is_some_and(|p| p.idempotency_key == idempotency_key);

        let page = self.renderer.article(&entry)?;
        fsio::write_atomic(&paths::file(&self.root, &paths::page(entry.id)), page.as_bytes(), Sync::Durable)?;
        let record = serde_json::to_vec_pretty(&entry)
            .map_err(|e| WebsiteError::Feed { name: "entry record", message: e.to_string() })?;
        let record_path = self.root.join(paths::ENTRIES_DIR).join(format!("{}.json", entry.id));
        fsio::write_atomic(&record_path, &record, Sync::Durable)?;

        // What this publish touches: its department and month, and where it was before.
        let mut departments = vec![entry.department.clone()];
        let mut months = BTreeSet::from([entry.month()]);
        if let Some(p) = &previous {
            if p.department.code != entry.department.code {
                departments.push(p.department.clone());
            }
            months.insert(p.month());
        }
        entries.insert(entry.id, entry);
        self.rebuild_indexes(&entries, &departments, &months)?;
        Ok(Published { url, deduplicated })
    }

    /// Re-render every article page (after a template change), then every index and feed.
    pub fn rebuild_all(&self) -> Result<usize, WebsiteError> {
        let entries = self.lock();
        for e in entries.values() {
            let html = self.renderer.article(e)?;
            fsio::write_atomic(&paths::file(&self.root, &paths::page(e.id)), html.as_bytes(), Sync::Cached)?;
        }
        fsio::write_if_changed(&self.root.join(paths::STYLE), self.renderer.style()?.as_bytes())?;
        let departments = self.department_dirs(&entries);
        let months = self.month_dirs(&entries);
        self.rebuild_indexes(&entries, &departments, &months)?;
        Ok(entries.len())
    }

    /// The root is writable (a file can be created and removed); returns the number of pages.
    pub fn check(&self) -> Result<usize, WebsiteError> {
        let probe = self.root.join(format!(".prakat-health-{}", std::process::id()));
        fs::write(&probe, b"ok").map_err(|e| WebsiteError::io("write", &probe, e))?;
        fs::remove_file(&probe).map_err(|e| WebsiteError::io("remove", &probe, e))?;
        Ok(self.lock().len())
    }
}
