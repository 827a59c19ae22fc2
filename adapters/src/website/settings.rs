//! What the website channel needs to know: where the site lives on disk, the public URL it is
//! served under, the station's names, and where template overrides are.

use std::path::PathBuf;

use crate::thai::Digits;

/// How many entries the home page and the feeds show unless settings say otherwise.
pub const DEFAULT_FEED_ITEMS: usize = 50;

/// Settings of the built-in website channel. The daemon maps its own settings onto this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebsiteSettings {
    /// The site directory, e.g. `./prakat-data/site`. Everything the channel writes is under it.
    pub root: PathBuf,
    /// Public URL of the site root, e.g. `http://127.0.0.1:8080/site`, without a trailing slash.
    pub base_url: String,
    /// The station's Thai name, e.g. สถานีตำรวจภูธรเมืองระนอง.
    pub station_name_th: String,
    /// The station's English name, shown as a secondary label.
    pub station_name_en: String,
    /// A directory whose files (`base.html`, `page.html`, `home.html`, `department.html`,
    /// `department_year.html`, `month.html`, `departments.html`, `months.html`, `macros.html`, `style.css`) replace
    /// the embedded templates of the same name; missing files fall back to the embedded ones.
    pub templates_dir: Option<PathBuf>,
    /// How many of the newest entries the home page and the feeds list.
    pub feed_items: usize,
    /// Digits in dates and numbers on the pages: Thai (the default, as in official documents)
    /// or Arabic.
    pub digits: Digits,
    /// What becomes of a retracted announcement's page.
    pub retraction: RetractionPage,
}

/// What a retracted announcement's page becomes. Either way it is removed from every index and
/// feed and its media are unlinked from the site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RetractionPage {
    /// A short notice at the same address: that it was taken back, when and why (without its
    /// title or text). Kept for the record (ITA assessors may ask what was published).
    #[default]
    Notice,
    /// The page is deleted: its address answers 404.
    Remove,
}

impl WebsiteSettings {
    /// Settings with the defaults for everything but the directory, the URL and the names.
    /// A trailing `/` on `base_url` is removed.
    pub fn new(
        root: impl Into<PathBuf>,
        base_url: impl Into<String>,
        station_name_th: impl Into<String>,
        station_name_en: impl Into<String>,
    ) -> Self {
        let base_url: String = base_url.into();
        WebsiteSettings {
            root: root.into(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            station_name_th: station_name_th.into(),
            station_name_en: station_name_en.into(),
            templates_dir: None,
            feed_items: DEFAULT_FEED_ITEMS,
            digits: Digits::Thai,
            retraction: RetractionPage::Notice,
        }
    }
}

impl Default for WebsiteSettings {
    /// What `prakat serve` uses with no settings file: `./prakat-data/site`, served by the
    /// daemon at `http://127.0.0.1:8080/site`.
    fn default() -> Self {
        WebsiteSettings::new(
            "./prakat-data/site",
            "http://127.0.0.1:8080/site",
            "สถานีตำรวจ",
            "Police Station",
        )
    }
}
