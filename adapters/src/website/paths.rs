//! Where each part of the site lives: on disk under the root, and as a URL under the base URL.
//! One place for the layout; pages link to each other with relative URLs so a copy of the
//! folder served elsewhere still works.

use std::path::{Path, PathBuf};

use super::entry::MonthKey;

pub const ENTRIES_DIR: &str = "_entries";
pub const NEWS_DIR: &str = "news";
pub const MEDIA_DIR: &str = "media";
/// The monthly digests (`digests/index.html`, the fiscal-year index, and a folder per month),
/// written by the daemon's digest job beside the pages.
pub const DIGESTS_DIR: &str = "digests";
pub const DEPARTMENTS_DIR: &str = "departments";
pub const MONTHS_DIR: &str = "months";
pub const RSS: &str = "feed.xml";
pub const ATOM: &str = "atom.xml";
pub const JSON_FEED: &str = "feed.json";
pub const STYLE: &str = "style.css";

/// An article page, relative to the site root.
pub fn page(id: i64) -> String {
    format!("{NEWS_DIR}/{id}.html")
}

/// The announcement whose article page is `relative` (a path under the site root, as made by
/// [`page`]), if it is one.
pub fn page_announcement(relative: &str) -> Option<i64> {
    let id = relative
        .strip_prefix(NEWS_DIR)?
        .strip_prefix('/')?
        .strip_suffix(".html")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// A department page (a directory with `index.html`), relative to the site root.
pub fn department(code: &str) -> String {
    format!("{DEPARTMENTS_DIR}/{code}/")
}

/// A department's page for one fiscal year (BE), relative to the site root.
pub fn department_year(code: &str, fiscal_year: i32) -> String {
    format!("{DEPARTMENTS_DIR}/{code}/{fiscal_year}/")
}

/// A month page (a directory with `index.html`), relative to the site root.
pub fn month(key: MonthKey) -> String {
    format!("{MONTHS_DIR}/{}/", key.slug())
}

/// A media file, relative to the site root.
pub fn media(name: &str) -> String {
    format!("{MEDIA_DIR}/{name}")
}

/// The index of all departments, relative to the site root.
pub fn departments_index() -> String {
    format!("{DEPARTMENTS_DIR}/")
}

/// The index of all months by fiscal year, relative to the site root.
pub fn months_index() -> String {
    format!("{MONTHS_DIR}/")
}

/// The absolute URL of a site-relative path.
pub fn absolute(base_url: &str, rel: &str) -> String {
    format!("{}/{}", base_url.trim_end_matches('/'), rel)
}

/// The file on disk for a site-relative path; a directory path means its `index.html`.
pub fn file(root: &Path, rel: &str) -> PathBuf {
    let mut p = root.join(rel.trim_end_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        p.push("index.html");
    }
    p
}

/// How to get from a page at `rel` back to the site root: `""`, `"../"`, `"../../"`.
pub fn up_to_root(rel: &str) -> String {
    "../".repeat(rel.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let m = MonthKey {
            be_year: 2568,
            month: 3,
        };
        assert_eq!(month(m), "months/2568-03/");
        assert_eq!(
            file(Path::new("/s"), &month(m)),
            Path::new("/s/months/2568-03/index.html")
        );
        assert_eq!(file(Path::new("/s"), ""), Path::new("/s/index.html"));
        assert_eq!(file(Path::new("/s"), &page(7)), Path::new("/s/news/7.html"));
        assert_eq!(up_to_root(""), "");
        assert_eq!(up_to_root(&page(7)), "../");
        assert_eq!(up_to_root(&department("traffic")), "../../");
        assert_eq!(up_to_root(&department_year("traffic", 2569)), "../../../");
        assert_eq!(
            absolute("http://h/site/", &page(7)),
            "http://h/site/news/7.html"
        );
    }

    #[test]
    fn an_article_page_names_its_announcement() {
        assert_eq!(page_announcement(&page(12)), Some(12));
        for other in [
            "news/",
            "news/x.html",
            "news/12.htm",
            "news/-1.html",
            "months/12.html",
            "news/1/2.html",
            "",
        ] {
            assert_eq!(page_announcement(other), None, "{other}");
        }
    }
}
