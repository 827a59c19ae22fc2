//! Rendering the site's pages from entries: pure functions of the entries, the settings and the
//! templates. No file is touched here; [`super::site`] decides what to render and writes it.

use std::collections::BTreeMap;

use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::body::{Paragraph, paragraphs};
use super::entry::{Entry, MonthKey};
use super::error::WebsiteError;
use super::paths;
use super::settings::WebsiteSettings;
use super::templates::{self, script_json};
use crate::thai::Digits;
use crate::thai::bangkok;
use crate::thai::dates::month_year_of;
use crate::{Department, MediaKind};

/// An entry as the templates see it. `path` values are relative to the site root; templates
/// prefix them with `root`.
#[derive(Debug, Serialize)]
struct EntryView<'a> {
    id: i64,
    title: &'a str,
    summary: &'a str,
    /// RFC 3339, for the `thai_*` date filters and `<time datetime>`.
    published_at: String,
    path: String,
    url: &'a str,
    department: &'a Department,
    department_path: String,
    month_path: String,
    month_label: String,
    media: Vec<MediaView<'a>>,
    tags: &'a [String],
}

#[derive(Debug, Serialize)]
struct MediaView<'a> {
    path: String,
    mime: &'a str,
    /// `image` or `video`.
    kind: &'static str,
}

/// A department with how many entries it has.
#[derive(Debug, Serialize)]
struct DepartmentView<'a> {
    department: &'a Department,
    path: String,
    count: usize,
}

/// A month with how many entries it has, and optionally the entries themselves.
#[derive(Debug, Serialize)]
struct MonthView<'a> {
    slug: String,
    label: String,
    path: String,
    count: usize,
    entries: Vec<EntryView<'a>>,
}

/// A fiscal year (BE) and its months, newest first.
#[derive(Debug, Serialize)]
struct FiscalYearView<'a> {
    year: i32,
    months: Vec<MonthView<'a>>,
}

/// One department's entries of a month.
#[derive(Debug, Serialize)]
struct DepartmentEntries<'a> {
    department: &'a Department,
    path: String,
    entries: Vec<EntryView<'a>>,
}

/// Renders pages with one template environment and the site's settings.
pub struct Renderer {
    env: Environment<'static>,
    settings: WebsiteSettings,
}

fn digits_name(d: Digits) -> &'static str {
    match d {
        Digits::Thai => "thai",
        Digits::Arabic => "arabic",
    }
}

impl Renderer {
    pub fn new(settings: WebsiteSettings) -> Self {
        let env = templates::environment(settings.templates_dir.clone(), settings.digits);
        Renderer { env, settings }
    }

    pub fn settings(&self) -> &WebsiteSettings {
        &self.settings
    }

    fn month_label(&self, key: MonthKey) -> String {
        month_year_of(key.be_year, key.month, self.settings.digits)
    }

    fn view<'a>(&self, e: &'a Entry) -> EntryView<'a> {
        let month = e.month();
        EntryView {
            id: e.id,
            title: &e.title,
            summary: &e.summary,
            published_at: e.published_at.to_rfc3339(),
            path: paths::page(e.id),
            url: &e.url,
            department: &e.department,
            department_path: paths::department(&e.department.code),
            month_path: paths::month(month),
            month_label: self.month_label(month),
            media: e
                .media
                .iter()
                .map(|m| MediaView {
                    path: paths::media(&m.name),
                    mime: &m.mime,
                    kind: match m.kind {
                        MediaKind::Image => "image",
                        MediaKind::Video => "video",
                    },
                })
                .collect(),
            tags: &e.tags,
        }
    }

    /// What every page's context has: the site, the way back to the root, the canonical URL.
    fn common(&self, rel: &str, title: &str) -> Value {
        let s = &self.settings;
        context! {
            site => context! {
                name_th => &s.station_name_th,
                name_en => &s.station_name_en,
                base_url => &s.base_url,
            },
            root => paths::up_to_root(rel),
            canonical => paths::absolute(&s.base_url, rel),
            page_title => title,
            digits => digits_name(s.digits),
            rss_path => paths::RSS,
            atom_path => paths::ATOM,
            json_feed_path => paths::JSON_FEED,
            departments_index_path => paths::departments_index(),
            months_index_path => paths::months_index(),
        }
    }

    fn render(&self, name: &str, rel: &str, title: &str, page: Value) -> Result<String, WebsiteError> {
        let ctx = context! { ..page, ..self.common(rel, title) };
        templates::render(&self.env, name, ctx)
    }

    /// The stylesheet.
    pub fn style(&self) -> Result<String, WebsiteError> {
        templates::render(&self.env, "style.css", Value::from(()))
    }

    /// The JSON-LD `NewsArticle` of an entry, escaped for a script element.
    fn json_ld(&self, e: &Entry) -> String {
        let s = &self.settings;
        let images: Vec<String> = e
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Image)
            .map(|m| paths::absolute(&s.base_url, &paths::media(&m.name)))
            .collect();
        let org = serde_json::json!({
            "@type": "GovernmentOrganization",
            "name": s.station_name_th,
            "alternateName": s.station_name_en,
            "url": paths::absolute(&s.base_url, ""),
        });
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": e.title,
            "description": e.summary,
            "articleBody": e.text,
            "articleSection": e.department.name_th,
            "inLanguage": "th",
            "datePublished": bangkok(e.published_at).to_rfc3339(),
            "url": e.url,
            "mainEntityOfPage": e.url,
            "author": org,
            "publisher": org,
        });
        if !images.is_empty() {
            v["image"] = serde_json::json!(images);
        }
        if !e.tags.is_empty() {
            v["keywords"] = serde_json::json!(e.tags);
        }
        script_json(&v)
    }

    /// An announcement's page.
    pub fn article(&self, e: &Entry) -> Result<String, WebsiteError> {
        let body: Vec<Paragraph> = paragraphs(&e.text);
        let page = context! {
            entry => self.view(e),
            paragraphs => body,
            json_ld => Value::from_safe_string(self.json_ld(e)),
        };
        self.render("page.html", &paths::page(e.id), &e.title, page)
    }

    fn departments<'a>(&self, entries: &'a BTreeMap<i64, Entry>) -> Vec<DepartmentView<'a>> {
        // The newest entry's names win, so a renamed department shows its new name.
        let mut by_code: BTreeMap<&str, (&Entry, usize)> = BTreeMap::new();
        for e in entries.values() {
            let slot = by_code.entry(e.department.code.as_str()).or_insert((e, 0));
            slot.1 += 1;
            if Entry::newest_first(&e, &slot.0).is_lt() {
                slot.0 = e;
            }
        }
        by_code
            .into_iter()
            .map(|(code, (e, count))| DepartmentView { department: &e.department, path: paths::department(code), count })
            .collect()
    }

    /// Months grouped by fiscal year, newest first; `with_entries` picks the entries to list
    /// under each month (none for an index).
    fn fiscal_years<'a, F>(&self, entries: &[&'a Entry], with_entries: F) -> Vec<FiscalYearView<'a>>
    where
        F: Fn(&'a Entry) -> bool,
    {
        let mut months: BTreeMap<MonthKey, Vec<&'a Entry>> = BTreeMap::new();
        for e in entries {
            months.entry(e.month()).or_default().push(e);
        }
        let mut years: Vec<FiscalYearView<'a>> = Vec::new();
        for (key, mut list) in months.into_iter().rev() {
            list.sort_by(Entry::newest_first);
            let month = MonthView {
                slug: key.slug(),
                label: self.month_label(key),
                path: paths::month(key),
                count: list.len(),
                entries: list.into_iter().filter(|e| with_entries(e)).map(|e| self.view(e)).collect(),
            };
            match years.last_mut() {
                Some(fy) if fy.year == key.fiscal_year() => fy.months.push(month),
                _ => years.push(FiscalYearView { year: key.fiscal_year(), months: vec![month] }),
            }
        }
        years
    }

    /// The home page: the newest entries, every department, every month by fiscal year.
    pub fn home(&self, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let all: Vec<&Entry> = entries.values().collect();
        let mut newest = all.clone();
        newest.sort_by(Entry::newest_first);
        newest.truncate(self.settings.feed_items);
        let page = context! {
            latest => newest.into_iter().map(|e| self.view(e)).collect::<Vec<_>>(),
            departments => self.departments(entries),
            fiscal_years => self.fiscal_years(&all, |_| false),
            total => entries.len(),
        };
        self.render("home.html", "", &self.settings.station_name_th, page)
    }

    /// The index of every department.
    pub fn departments_index(&self, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let page = context! { departments => self.departments(entries) };
        self.render("departments.html", &paths::departments_index(), "ข่าวแยกตามสายงาน", page)
    }

    /// The index of every month, by fiscal year.
    pub fn months_index(&self, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let all: Vec<&Entry> = entries.values().collect();
        let page = context! { fiscal_years => self.fiscal_years(&all, |_| false) };
        self.render("months.html", &paths::months_index(), "ข่าวรายเดือน", page)
    }

    /// One department's page: its entries by fiscal year and month, newest first. `department`
    /// names the page when it has no entries left.
    pub fn department(
        &self,
        department: &Department,
        entries: &BTreeMap<i64, Entry>,
    ) -> Result<String, WebsiteError> {
        let mine: Vec<&Entry> = entries.values().filter(|e| e.department.code == department.code).collect();
        let department = mine.iter().copied().min_by(Entry::newest_first).map_or(department, |e| &e.department);
        let page = context! {
            department => department,
            fiscal_years => self.fiscal_years(&mine, |_| true),
            total => mine.len(),
        };
        self.render("department.html", &paths::department(&department.code), &department.name_th, page)
    }

    /// One month's page: its entries grouped by department (the ITA "monthly, by line of work"
    /// page).
    pub fn month(&self, key: MonthKey, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let mut by_dept: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for e in entries.values().filter(|e| e.month() == key) {
            by_dept.entry(e.department.code.as_str()).or_default().push(e);
        }
        let total: usize = by_dept.values().map(Vec::len).sum();
        let groups: Vec<DepartmentEntries<'_>> = by_dept
            .into_iter()
            .map(|(code, mut list)| {
                list.sort_by(Entry::newest_first);
                DepartmentEntries {
                    department: &list[0].department,
                    path: paths::department(code),
                    entries: list.into_iter().map(|e| self.view(e)).collect(),
                }
            })
            .collect();
        let label = self.month_label(key);
        let page = context! {
            month => context! { slug => key.slug(), label => &label, fiscal_year => key.fiscal_year() },
            departments => groups,
            total => total,
        };
        self.render("month.html", &paths::month(key), &format!("ข่าวประจำเดือน{label}"), page)
    }
}
