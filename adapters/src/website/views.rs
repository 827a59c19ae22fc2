//! What the templates see: views of entries, months, fiscal years and departments, built from
//! entry records (owned strings only where a value is computed), and the article's JSON-LD.
//! `path` values are relative to the site root; templates prefix them with `root`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::archive::Overview;
use super::entry::{Entry, MonthKey};
use super::paths;
use super::render::Renderer;
use super::templates::script_json;
use crate::thai::bangkok;
use crate::thai::dates::month_year_of;
use crate::{Department, MediaKind};

/// An entry in a list (home, department, month pages): only what a list shows, because every
/// field costs time on every publish. `path` values are relative to the site root; templates
/// prefix them with `root`.
#[derive(Debug, Serialize)]
pub(super) struct ItemView<'a> {
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    /// RFC 3339 in Bangkok time (+07:00), for the `thai_*` date filters and `<time datetime>`.
    pub(super) published_at: String,
    pub(super) path: String,
    pub(super) department: &'a Department,
    pub(super) department_path: String,
}

/// An entry on its own page.
#[derive(Debug, Serialize)]
pub(super) struct ArticleView<'a> {
    pub(super) id: i64,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) published_at: String,
    pub(super) url: &'a str,
    pub(super) department: &'a Department,
    pub(super) department_path: String,
    pub(super) month_path: String,
    pub(super) month_label: String,
    pub(super) media: Vec<MediaView<'a>>,
    pub(super) tags: &'a [String],
    pub(super) edited_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct MediaView<'a> {
    pub(super) path: String,
    pub(super) mime: &'a str,
    /// `image`, `video` or `document`.
    pub(super) kind: &'static str,
    /// The name a document is downloaded under.
    pub(super) name: &'a str,
    /// `1.2 MB`, `830 KB`: shown beside a document's link.
    pub(super) size: String,
}

/// A department with how many entries it has.
#[derive(Debug, Serialize)]
pub(super) struct DepartmentView<'a> {
    pub(super) department: &'a Department,
    pub(super) path: String,
    pub(super) count: usize,
}

/// A month with how many entries it has, and the entries when the page lists them.
#[derive(Debug, Serialize)]
pub(super) struct MonthView<'a> {
    pub(super) slug: String,
    pub(super) label: String,
    /// Where the month's link goes: the month page, or its section of a department's year page.
    pub(super) path: String,
    pub(super) count: usize,
    pub(super) entries: Vec<ItemView<'a>>,
}

/// A fiscal year (BE) and its months, newest first.
#[derive(Debug, Serialize)]
pub(super) struct FiscalYearView<'a> {
    pub(super) year: i32,
    /// A department's page for the year, on department pages.
    pub(super) path: Option<String>,
    pub(super) count: usize,
    pub(super) months: Vec<MonthView<'a>>,
}

/// One department's entries of a month.
#[derive(Debug, Serialize)]
pub(super) struct DepartmentEntries<'a> {
    pub(super) department: &'a Department,
    pub(super) path: String,
    pub(super) entries: Vec<ItemView<'a>>,
}

/// `at` in Bangkok time for a `datetime` attribute, to the second: HTML allows at most three
/// digits of a second's fraction, and a publish time read from the clock has nine.
pub(super) fn html_datetime(at: DateTime<Utc>) -> String {
    bangkok(at).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A file's size as a download link shows it: `830 KB`, `1.2 MB`.
pub(super) fn file_size(bytes: u64) -> String {
    const KB: u64 = 1000;
    if bytes < 1000 * KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{:.1} MB", bytes as f64 / (KB * KB) as f64)
    }
}

impl Renderer {
    pub(super) fn month_label(&self, key: MonthKey) -> String {
        month_year_of(key.be_year, key.month, self.settings.digits)
    }

    pub(super) fn item<'a>(&self, e: &'a Entry) -> ItemView<'a> {
        ItemView {
            title: &e.title,
            summary: &e.summary,
            published_at: html_datetime(e.published_at),
            path: paths::page(e.id),
            department: &e.department,
            department_path: paths::department(&e.department.code),
        }
    }

    pub(super) fn article_view<'a>(&self, e: &'a Entry) -> ArticleView<'a> {
        let month = e.month();
        ArticleView {
            id: e.id,
            title: &e.title,
            summary: &e.summary,
            published_at: html_datetime(e.published_at),
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
                        MediaKind::Document => "document",
                    },
                    name: &m.original_name,
                    size: file_size(m.size),
                })
                .collect(),
            tags: &e.tags,
            edited_at: e.edited_at.map(html_datetime),
        }
    }

    /// The JSON-LD `NewsArticle` of an entry, escaped for a script element.
    pub(super) fn json_ld(&self, e: &Entry) -> String {
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

    /// Every department with its count, named by its newest entry (so a renamed department
    /// shows its new name).
    pub(super) fn departments<'a>(&self, overview: &'a Overview) -> Vec<DepartmentView<'a>> {
        overview
            .departments
            .iter()
            .map(|(code, newest, count)| DepartmentView {
                department: &newest.department,
                path: paths::department(code),
                count: *count,
            })
            .collect()
    }

    /// Months grouped by fiscal year, newest first, from `months` (newest first, each with
    /// its count and the entries the page lists under it, if any). `month_path` says where a
    /// month links to, `year_path` where a year does.
    pub(super) fn fiscal_years<'a>(
        &self,
        months: impl IntoIterator<Item = (MonthKey, usize, Vec<ItemView<'a>>)>,
        month_path: impl Fn(i32, MonthKey) -> String,
        year_path: impl Fn(i32) -> Option<String>,
    ) -> Vec<FiscalYearView<'a>> {
        let mut years: Vec<FiscalYearView<'a>> = Vec::new();
        for (key, count, listed) in months {
            let fy = key.fiscal_year();
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

    /// Every month of `months` (ascending, with counts) by fiscal year, newest first, linking
    /// to the month pages.
    pub(super) fn all_months(&self, months: &[(MonthKey, usize)]) -> Vec<FiscalYearView<'static>> {
        self.fiscal_years(
            months.iter().rev().map(|&(m, n)| (m, n, Vec::new())),
            |_, m| paths::month(m),
            |_| None,
        )
    }
}
