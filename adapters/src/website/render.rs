//! Rendering the site's pages from entries: pure functions of the entries, the settings and the
//! templates. No file is touched here; [`super::site`] decides what to render and writes it.

use minijinja::{Environment, Value, context};

use super::archive::{DepartmentListing, MonthListing, Overview, YearListing};
use super::body::{Paragraph, paragraphs};
use super::entry::{Entry, MonthKey};
use super::error::WebsiteError;
use super::paths;
use super::settings::WebsiteSettings;
use super::templates;
use super::views::DepartmentEntries;
use crate::Department;
use crate::thai::Digits;

/// How many of a department's newest entries its landing page lists.
pub const DEPARTMENT_LATEST: usize = 20;

/// Renders pages with one template environment and the site's settings.
pub struct Renderer {
    env: Environment<'static>,
    pub(super) settings: WebsiteSettings,
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

    /// What stands at a retracted announcement's address: that it was taken back, when and
    /// why, without its title or text.
    pub fn retracted(&self, e: &Entry) -> Result<String, WebsiteError> {
        let (at, reason) = e
            .retracted
            .as_ref()
            .map(|r| (super::views::html_datetime(r.at), r.reason.as_str()))
            .unwrap_or_default();
        let page = context! {
            entry => self.article_view(e),
            retracted_at => at,
            reason => reason,
        };
        self.render("retracted.html", &paths::page(e.id), "ประกาศนี้ถอนแล้ว", page)
    }

    /// The home page: the newest entries, every department, every month by fiscal year, and
    /// the monthly digests' fiscal-year index when `digests` (one is published).
    pub fn home(&self, overview: &Overview, digests: bool) -> Result<String, WebsiteError> {
        let page = context! {
            latest => overview.latest.iter().map(|e| self.item(e)).collect::<Vec<_>>(),
            departments => self.departments(overview),
            fiscal_years => self.all_months(&overview.months),
            total => overview.total,
            digests_path => digests.then(|| format!("{}/", paths::DIGESTS_DIR)),
        };
        self.render("home.html", "", &self.settings.station_name_th, page)
    }

    /// The index of every department.
    pub fn departments_index(&self, overview: &Overview) -> Result<String, WebsiteError> {
        let page = context! { departments => self.departments(overview) };
        self.render(
            "departments.html",
            &paths::departments_index(),
            "ข่าวแยกตามสายงาน",
            page,
        )
    }

    /// The index of every month, by fiscal year.
    pub fn months_index(&self, overview: &Overview) -> Result<String, WebsiteError> {
        let page = context! { fiscal_years => self.all_months(&overview.months) };
        self.render("months.html", &paths::months_index(), "ข่าวรายเดือน", page)
    }

    /// A department's landing page: its newest entries, then every fiscal year and month with
    /// links to the department's page for that year. Named by its newest entry (so a renamed
    /// department shows its new name); `department` names the page when no entry is left.
    pub fn department(
        &self,
        department: &Department,
        listing: &DepartmentListing,
    ) -> Result<String, WebsiteError> {
        let department = listing
            .named_by
            .as_ref()
            .map_or(department, |e| &e.department);
        let code = &department.code;
        let page = context! {
            department => department,
            latest => listing.latest.iter().map(|e| self.item(e)).collect::<Vec<_>>(),
            fiscal_years => self.fiscal_years(
                listing.months.iter().rev().map(|&(m, n)| (m, n, Vec::new())),
                |fy, m| format!("{}#m{}", paths::department_year(code, fy), m.slug()),
                |fy| Some(paths::department_year(code, fy)),
            ),
            total => listing.total,
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
        listing: &YearListing,
    ) -> Result<String, WebsiteError> {
        let department = listing
            .named_by
            .as_ref()
            .map_or(department, |e| &e.department);
        let code = &department.code;
        let total: usize = listing.months.iter().map(|(_, list)| list.len()).sum();
        let months = self
            .fiscal_years(
                listing
                    .months
                    .iter()
                    .map(|(m, list)| (*m, list.len(), list.iter().map(|e| self.item(e)).collect())),
                |_, m| paths::month(m),
                |_| None,
            )
            .pop()
            .map(|y| y.months);
        let page = context! {
            department => department,
            department_path => paths::department(code),
            fiscal_year => fiscal_year,
            months => months.unwrap_or_default(),
            total => total,
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
    pub fn month(&self, key: MonthKey, listing: &MonthListing) -> Result<String, WebsiteError> {
        let total: usize = listing.groups.iter().map(|(_, list)| list.len()).sum();
        let groups: Vec<DepartmentEntries<'_>> = listing
            .groups
            .iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(code, list)| DepartmentEntries {
                department: &list[0].department,
                path: paths::department(code),
                entries: list.iter().map(|e| self.item(e)).collect(),
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
