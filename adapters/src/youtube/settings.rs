//! What the youtube channel needs to know: the OAuth client and its refresh token, where the
//! APIs are (so tests and proxies can point elsewhere), how videos are published (privacy,
//! scheduling, category, language), how the upload is cut into chunks, and the daily quota the
//! Google Cloud project has.

use serde::{Deserialize, Serialize};

use super::limits::{CHUNK_GRANULE, MAX_VIDEO_BYTES};
use crate::Secret;

/// Settings of one YouTube channel (`[channels.youtube]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YoutubeSettings {
    /// OAuth client id of the Google Cloud project (`….apps.googleusercontent.com`).
    pub client_id: String,
    /// OAuth client secret of that project.
    pub client_secret: Secret,
    /// The refresh token from signing in with offline access. Only the first one: when Google
    /// rotates it, the new one is kept in `<data_dir>/tokens/youtube.json` and used from then on.
    pub refresh_token: Secret,
    /// Google's OAuth token endpoint.
    #[serde(default = "default_token_url")]
    pub token_url: String,
    /// The Data API host (`{base_url}/youtube/v3/…`).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The upload host (`{upload_base_url}/upload/youtube/v3/videos`).
    #[serde(default = "default_base_url")]
    pub upload_base_url: String,
    /// Who may watch: `private` (the default, safe until a person checks the channel),
    /// `unlisted` or `public`. Note: uploads of an unaudited Google Cloud project stay private
    /// whatever this says.
    #[serde(default)]
    pub privacy_status: PrivacyStatus,
    /// Upload as private with `status.publishAt` = the announcement's publish time, so YouTube
    /// itself makes it public then. Used only when that time is still ahead.
    #[serde(default)]
    pub schedule_with_publish_at: bool,
    /// `snippet.categoryId`; 25 is News & Politics.
    #[serde(default = "default_category_id")]
    pub category_id: String,
    /// `snippet.defaultLanguage` and `defaultAudioLanguage`.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// `status.selfDeclaredMadeForKids`.
    #[serde(default)]
    pub made_for_kids: bool,
    /// `notifySubscribers` on insert.
    #[serde(default = "yes")]
    pub notify_subscribers: bool,
    /// Bytes per upload request: a multiple of 256 KiB (default 8 MiB).
    #[serde(default = "default_chunk_size")]
    pub chunk_size: u64,
    /// How long one chunk request may take, in seconds (a slow line needs more than the shared
    /// client's request timeout for 8 MiB).
    #[serde(default = "default_chunk_timeout_secs")]
    pub chunk_timeout_secs: u64,
    /// The largest video accepted, in bytes (YouTube's own limit is 256 GiB).
    #[serde(default = "default_max_video_bytes")]
    pub max_video_bytes: u64,
    /// Refresh the access token this many seconds before it expires.
    #[serde(default = "default_refresh_ahead_secs")]
    pub refresh_ahead_secs: u64,
    /// The project's daily quota, per bucket.
    #[serde(default)]
    pub quota: QuotaSettings,
    /// How many deliveries to this channel may be in flight at once.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// How long one publish to this channel may take before it counts as ambiguous (an upload
    /// needs longer than a post); `None`: `dispatch.publish_timeout`.
    #[serde(default, with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

/// `status.privacyStatus`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyStatus {
    #[default]
    Private,
    Unlisted,
    Public,
}

impl PrivacyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyStatus::Private => "private",
            PrivacyStatus::Unlisted => "unlisted",
            PrivacyStatus::Public => "public",
        }
    }
}

/// The daily quota buckets of the Google Cloud project (reset at midnight Pacific time). Since
/// 2026-06 `videos.insert` has a bucket of its own counted in calls; everything else this
/// channel calls costs 1 unit from the general bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaSettings {
    /// `videos.insert` calls per day.
    #[serde(default = "default_insert_per_day")]
    pub videos_insert_per_day: u32,
    /// Units per day for all other methods.
    #[serde(default = "default_units_per_day")]
    pub units_per_day: u32,
}

impl Default for QuotaSettings {
    fn default() -> Self {
        QuotaSettings {
            videos_insert_per_day: default_insert_per_day(),
            units_per_day: default_units_per_day(),
        }
    }
}

impl YoutubeSettings {
    /// Settings with the defaults for everything but the account.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: Secret,
        refresh_token: Secret,
    ) -> YoutubeSettings {
        YoutubeSettings {
            client_id: client_id.into(),
            client_secret,
            refresh_token,
            token_url: default_token_url(),
            base_url: default_base_url(),
            upload_base_url: default_base_url(),
            privacy_status: PrivacyStatus::default(),
            schedule_with_publish_at: false,
            category_id: default_category_id(),
            default_language: default_language(),
            made_for_kids: false,
            notify_subscribers: true,
            chunk_size: default_chunk_size(),
            chunk_timeout_secs: default_chunk_timeout_secs(),
            max_video_bytes: default_max_video_bytes(),
            refresh_ahead_secs: default_refresh_ahead_secs(),
            quota: QuotaSettings::default(),
            concurrency: None,
            publish_timeout: None,
        }
    }

    /// Say what is wrong, in words for the person editing the settings file.
    pub(super) fn check(&self) -> Result<(), String> {
        if self.chunk_size == 0 || !self.chunk_size.is_multiple_of(CHUNK_GRANULE) {
            return Err(format!(
                "youtube.chunk_size must be a positive multiple of 262144 (256 KiB), not {}",
                self.chunk_size
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err("youtube.client_id is empty".into());
        }
        for (name, url) in [
            ("base_url", &self.base_url),
            ("upload_base_url", &self.upload_base_url),
            ("token_url", &self.token_url),
        ] {
            if reqwest::Url::parse(url).is_err() {
                return Err(format!("youtube.{name} is not a URL: {url:?}"));
            }
        }
        if self.chunk_timeout_secs == 0 {
            return Err("youtube.chunk_timeout_secs must be at least 1".into());
        }
        Ok(())
    }
}

fn default_token_url() -> String {
    "https://oauth2.googleapis.com/token".into()
}

fn default_base_url() -> String {
    "https://www.googleapis.com".into()
}

fn default_category_id() -> String {
    "25".into()
}

fn default_language() -> String {
    "th".into()
}

fn yes() -> bool {
    true
}

fn default_chunk_size() -> u64 {
    8 * 1024 * 1024
}

fn default_chunk_timeout_secs() -> u64 {
    600
}

fn default_max_video_bytes() -> u64 {
    MAX_VIDEO_BYTES
}

fn default_refresh_ahead_secs() -> u64 {
    300
}

fn default_insert_per_day() -> u32 {
    100
}

fn default_units_per_day() -> u32 {
    10_000
}
