//! What a station configures for its WordPress site. Read once at start-up; nothing here talks
//! to the network.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Secret;

/// How the site's REST API is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlStyle {
    /// `{base}/wp-json/wp/v2/…`: needs pretty permalinks.
    Pretty,
    /// `{base}/?rest_route=/wp/v2/…`: works on every site, with or without pretty permalinks.
    Query,
}

/// The status new posts get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Live at once.
    Publish,
    /// Saved for an editor to publish on the site.
    Draft,
}

impl PostStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Publish => "publish",
            PostStatus::Draft => "draft",
        }
    }
}

/// `[channels.wordpress]` in the settings file.
///
/// ```toml
/// base_url = "https://station.example"
/// username = "prakat"
/// application_password = { env = "PRAKAT_WP_APP_PASSWORD" }
/// url_style = "query"            # or "pretty"
/// status = "publish"             # or "draft"
/// category_prefix = "ข่าว"        # category = prefix + the department's Thai name
/// categories = { traffic = "ข่าวจราจร" }  # or name some departments' categories outright
/// max_upload_mb = 10             # the site's upload_max_filesize
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordpressSettings {
    /// The site, e.g. `https://station.example` (a subfolder such as `https://x.example/news`
    /// works too). There is no default: every station has its own site.
    pub base_url: String,
    /// The WordPress user the application password belongs to.
    pub username: String,
    /// An application password (Users → Profile → Application Passwords, WordPress ≥ 5.6),
    /// sent as HTTP Basic auth. The spaces WordPress shows it with are ignored.
    pub application_password: Secret,
    /// Default `query`: it works whether or not the site has pretty permalinks.
    #[serde(default = "default_url_style")]
    pub url_style: UrlStyle,
    /// Default `publish`.
    #[serde(default = "default_status")]
    pub status: PostStatus,
    /// Put before the department's Thai name to make its category name. Default empty: the
    /// category is the department's Thai name.
    #[serde(default)]
    pub category_prefix: String,
    /// Department code → category name, for departments whose category is named otherwise.
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    /// The largest file the site accepts, in MiB (PHP `upload_max_filesize`); larger media is
    /// refused in `prepare`, before any upload. Default 10.
    #[serde(default = "default_max_upload_mb")]
    pub max_upload_mb: u64,
    /// Publishes running at once on this channel; `None` leaves it to the daemon.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// How long one publish to this channel may take before it counts as ambiguous (an upload
    /// needs longer than a post); `None`: `dispatch.publish_timeout`.
    #[serde(default, with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

fn default_url_style() -> UrlStyle {
    UrlStyle::Query
}

fn default_status() -> PostStatus {
    PostStatus::Publish
}

fn default_max_upload_mb() -> u64 {
    10
}

impl WordpressSettings {
    /// The settings with every default, for the given site and account.
    pub fn new(
        base_url: impl Into<String>,
        username: impl Into<String>,
        application_password: Secret,
    ) -> Self {
        WordpressSettings {
            base_url: base_url.into(),
            username: username.into(),
            application_password,
            url_style: default_url_style(),
            status: default_status(),
            category_prefix: String::new(),
            categories: BTreeMap::new(),
            max_upload_mb: default_max_upload_mb(),
            concurrency: None,
            publish_timeout: None,
        }
    }
}
