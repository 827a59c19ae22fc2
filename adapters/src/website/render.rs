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

/// An entry in a list (home, department, month pages): only what a list shows, because every
/// field costs time on every publish. `path` values are relative to the site root; templates
/// prefix them with `root`.
#[derive(Debug, Serialize)]
struct ItemView<'a> {
    title: &'a str,
    summary: &'a str,
    /// RFC 3339 in Bangkok time (+07:00), for the `thai_*` date filters and `<time datetime>`.
    published_at: String,
    path: String,
    department: &'a Department,
    department_path: String,
}

/// An entry on its own page.
#[derive(Debug, Serialize)]
struct ArticleView<'a> {
    id: i64,
    title: &'a str,
    summary: &'a str,
    published_at: String,
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

/// A month with how many entries it has, and the entries when the page lists them.
#[derive(Debug, Serialize)]
struct MonthView<'a> {
    slug: String,
    label: String,
    /// Where the month's link goes: the month page, or its section of a department's year page.
    path: String,
    count: usize,
    entries: Vec<ItemView<'a>>,
}

/// A fiscal year (BE) and its months, newest first.
#[derive(Debug, Serialize)]
struct FiscalYearView<'a> {
    year: i32,
    /// A department's page for the year, on department pages.
    path: Option<String>,
    count: usize,
    months: Vec<MonthView<'a>>,
}

/// One department's entries of a month.
#[derive(Debug, Serialize)]
struct DepartmentEntries<'a> {
    department: &'a Department,
    path: String,
    entries: Vec<ItemView<'a>>,
}

/// How many of a department's newest entries its landing page lists.
pub const DEPARTMENT_LATEST: usize = 20;

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

    fn item<'a>(&self, e: &'a Entry) -> ItemView<'a> {
        ItemView {
            title: &e.title,
            summary: &e.summary,
            published_at: bangkok(e.published_at).to_rfc3339(),
            path: paths::page(e.id),
            department: &e.department,
            department_path: paths::department(&e.department.code),
        }
    }

    fn article_view<'a>(&self, e: &'a Entry) -> ArticleView<'a> {
        let month = e.month();
        ArticleView {
            id: e.id,
            title: &e.title,
            summary: &e.summary,
            published_at: bangkok(e.published_at).to_rfc3339(),
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

    fn render(
        &self,
        name: &str,
        rel: &str,
        title: &str,
        page: Value,
    ) -> Result<String, WebsiteError> {
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
            entry => self.article_view(e),
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
            .map(|(code, (e, count))| DepartmentView {
                department: &e.department,
                path: paths::department(code),
                count,
            })
            .collect()
    }

    /// Months grouped by fiscal year, newest first. `month_path` says where a month links to,
    /// `year_path` where a year does; `with_entries` lists each month's entries.
    fn fiscal_years<'a>(
        &self,
        entries: &[&'a Entry],
        month_path: impl Fn(i32, MonthKey) -> String,
        year_path: impl Fn(i32) -> Option<String>,
        with_entries: bool,
    ) -> Vec<FiscalYearView<'a>> {
        let mut months: BTreeMap<MonthKey, Vec<&'a Entry>> = BTreeMap::new();
        for e in entries {
            months.entry(e.month()).or_default().push(e);
        }
        let mut years: Vec<FiscalYearView<'a>> = Vec::new();
        for (key, mut list) in months.into_iter().rev() {
            let fy = key.fiscal_year();
            let count = list.len();
            let listed = if with_entries {
                list.sort_by(Entry::newest_first);
                list.into_iter().map(|e| self.item(e)).collect()
            } else {
                Vec::new()
            };
            let month = MonthView {
                slug: key.slug(),
                label: self.month_label(key),
                path: month_path(fy, key),
                count,
                entries: listed,
            };
            match years.last_mut() {
                Some(y) if y.year == fy => {
                    y.count += count;
                    y.months.push(month);
                }
                _ => years.push(FiscalYearView {
                    year: fy,
                    path: year_path(fy),
                    count,
                    months: vec![month],
                }),
            }
        }
        years
    }

    fn all_months<'a>(&self, entries: &[&'a Entry]) -> Vec<FiscalYearView<'a>> {
        self.fiscal_years(entries, |_, m| paths::month(m), |_| None, false)
    }

    /// The home page: the newest entries, every department, every month by fiscal year.
    pub fn home(&self, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let all: Vec<&Entry> = entries.values().collect();
        let mut newest = all.clone();
        newest.sort_by(Entry::newest_first);
        newest.truncate(self.settings.feed_items);
        let page = context! {
            latest => newest.into_iter().map(|e| self.item(e)).collect::<Vec<_>>(),
            departments => self.departments(entries),
            fiscal_years => self.all_months(&all),
            total => entries.len(),
        };
        self.render("home.html", "", &self.settings.station_name_th, page)
    }

    /// The index of every department.
    pub fn departments_index(
        &self,
        entries: &BTreeMap<i64, Entry>,
    ) -> Result<String, WebsiteError> {
        let page = context! { departments => self.departments(entries) };
        self.render(
            "departments.html",
            &paths::departments_index(),
            "ข่าวแยกตามสายงาน",
            page,
        )
    }

    /// The index of every month, by fiscal year.
    pub fn months_index(&self, entries: &BTreeMap<i64, Entry>) -> Result<String, WebsiteError> {
        let all: Vec<&Entry> = entries.values().collect();
        let page = context! { fiscal_years => self.all_months(&all) };
        self.render("months.html", &paths::months_index(), "ข่าวรายเดือน", page)
    }

    /// A department's entries, and its names as its newest entry gives them (so a renamed
    /// department shows its new name); `department` names the page when no entry is left.
    fn department_entries<'a>(
        department: &'a Department,
        entries: &'a BTreeMap<i64, Entry>,
    ) -> (&'a Department, Vec<&'a Entry>) {
        let mut mine: Vec<&Entry> = entries
            .values()
            .filter(|e| e.department.code == department.code)
            .collect();
        mine.sort_by(Entry::newest_first);
        let named = mine.first().map_or(department, |e| &e.department);
        (named, mine)
    }

    /// A department's landing page: its newest entries, then every fiscal year and month with
    /// links to the department's page for that year.
    pub fn department(
        &self,
        department: &Department,
        entries: &BTreeMap<i64, Entry>,
    ) -> Result<String, WebsiteError> {
        let (department, mine) = Self::department_entries(department, entries);
        let code = &department.code;
        let page = context! {
            department => department,
            latest => mine.iter().take(DEPARTMENT_LATEST).map(|e| self.item(e)).collect::<Vec<_>>(),
            fiscal_years => self.fiscal_years(
                &mine,
                |fy, m| format!("{}#m{}", paths::department_year(code, fy), m.slug()),
                |fy| Some(paths::department_year(code, fy)),
                false,
            ),
            total => mine.len(),
        };
        self.render(
            "department.html",
            &paths::department(code),
            &department.name_th,
            page,
        )
    }

    /// A department's page for one fiscal year: its entries by month, newest first. Once the
    /// year is over the page no longer changes.
    pub fn department_year(
        &self,
        department: &Department,
        fiscal_year: i32,
        entries: &BTreeMap<i64, Entry>,
    ) -> Result<String, WebsiteError> {
        let (department, mut mine) = Self::department_entries(department, entries);
        mine.retain(|e| e.fiscal_year() == fiscal_year);
        let code = &department.code;
        let months = self
            .fiscal_years(&mine, |_, m| paths::month(m), |_| None, true)
            .pop()
            .map(|y| y.months);
        let page = context! {
            department => department,
            department_path => paths::department(code),
            fiscal_year => fiscal_year,
            months => months.unwrap_or_default(),
            total => mine.len(),
        };
        let year = match self.settings.digits {
            Digits::Thai => crate::thai::dates::thai_digits(&fiscal_year.to_string()),
            Digits::Arabic => fiscal_year.to_string(),
        };
        let title = format!("{} ปีงบประมาณ พ.ศ. {year}", department.name_th);
        self.render(
            "department_year.html",
            &paths::department_year(code, fiscal_year),
            &title,
            page,
        )
    }

    /// One month's page: its entries grouped by department (the ITA "monthly, by line of work"
    /// page).
    pub fn month(
        &self,
        key: MonthKey,
        entries: &BTreeMap<i64, Entry>,
    ) -> Result<String, WebsiteError> {
        let mut by_dept: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for e in entries.values().filter(|e| e.month() == key) {
            by_dept
                .entry(e.department.code.as_str())
                .or_default()
                .push(e);
        }
        let total: usize = by_dept.values().map(Vec::len).sum();
        let groups: Vec<DepartmentEntries<'_>> = by_dept
            .into_iter()
            .map(|(code, mut list)| {
                list.sort_by(Entry::newest_first);
                DepartmentEntries {
                    department: &list[0].department,
                    path: paths::department(code),
                    entries: list.into_iter().map(|e| self.item(e)).collect(),
                }
            })
            .collect();
        let label = self.month_label(key);
        let page = context! {
            month => context! { slug => key.slug(), label => &label, fiscal_year => key.fiscal_year() },
            departments => groups,
            total => total,
        };
        self.render(
            "month.html",
            &paths::month(key),
            &format!("ข่าวประจำเดือน{label}"),
            page,
        )
    }
}
