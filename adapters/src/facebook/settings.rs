//! What the facebook channel needs to know: which Page, which token, which Graph API version,
//! and where the Graph API is (tests point `base_url` at a fake).

use serde::{Deserialize, Serialize};

use crate::Secret;

/// The Graph API version pinned by default: the latest the 2026 documentation names
/// ("Latest Graph API Version: v25.0"). Pin it in settings; Meta retires versions after ~2 years.
pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";

/// The real Graph API host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";

/// The host the documentation gives for `POST /{page-id}/videos`.
pub const DEFAULT_VIDEO_BASE_URL: &str = "https://graph-video.facebook.com";

/// Bytes sent per request of a resumable video upload.
pub const DEFAULT_VIDEO_CHUNK_BYTES: u64 = 8 * 1024 * 1024;

/// Settings of one Facebook Page channel (`[channels.facebook]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacebookSettings {
    /// The Page's numeric id.
    pub page_id: String,
    /// A Page access token (from `GET /me/accounts` with a long-lived user token, or a System
    /// User token); needs `pages_manage_posts`, `pages_read_engagement`,
    /// `pages_read_user_content` and `read_insights`.
    pub page_access_token: Secret,
    /// The pinned Graph API version, e.g. `v25.0`.
    #[serde(default = "default_graph_version")]
    pub graph_version: String,
    /// Graph API base URL, without the version.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Base URL for `POST /{page-id}/videos`.
    #[serde(default = "default_video_base_url")]
    pub video_base_url: String,
    /// The Meta app id, needed for the Resumable Upload API (`POST /{app-id}/uploads`). Without
    /// it a video is published by URL (`file_url`, fetched by Facebook from prakat's media
    /// URL), which cannot resume.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The token for the Resumable Upload API, whose documentation asks for a user token of an
    /// app admin or developer; defaults to `page_access_token`.
    #[serde(default)]
    pub upload_access_token: Option<Secret>,
    /// Bytes per upload request of a resumable video upload.
    #[serde(default = "default_video_chunk_bytes")]
    pub video_chunk_bytes: u64,
    /// Wait used when Facebook rate-limits without saying for how long.
    #[serde(default = "default_rate_limit_wait_secs")]
    pub rate_limit_wait_secs: u64,
    /// How many deliveries to this Page may be in flight at once (`None`: the daemon's default).
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// How long one publish to this channel may take before it counts as ambiguous (an upload
    /// needs longer than a post); `None`: `dispatch.publish_timeout`.
    #[serde(default, with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

impl FacebookSettings {
    /// Settings with every default, for a Page and its token.
    pub fn new(page_id: impl Into<String>, page_access_token: Secret) -> Self {
        FacebookSettings {
            page_id: page_id.into(),
            page_access_token,
            graph_version: default_graph_version(),
            base_url: default_base_url(),
            video_base_url: default_video_base_url(),
            app_id: None,
            upload_access_token: None,
            video_chunk_bytes: default_video_chunk_bytes(),
            rate_limit_wait_secs: default_rate_limit_wait_secs(),
            concurrency: None,
            publish_timeout: None,
        }
    }
}

fn default_graph_version() -> String {
    DEFAULT_GRAPH_VERSION.to_owned()
}

fn default_base_url() -> String {
    DEFAULT_BASE_URL.to_owned()
}

fn default_video_base_url() -> String {
    DEFAULT_VIDEO_BASE_URL.to_owned()
}

fn default_video_chunk_bytes() -> u64 {
    DEFAULT_VIDEO_CHUNK_BYTES
}

fn default_rate_limit_wait_secs() -> u64 {
    300
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_and_its_token_are_required() {
        let s: FacebookSettings =
            toml::from_str("page_id = \"1755847768034402\"\npage_access_token = \"EAAsecret\"")
                .unwrap();
        assert_eq!(s.graph_version, DEFAULT_GRAPH_VERSION);
        assert_eq!(s.base_url, "https://graph.facebook.com");
        assert_eq!(s.video_base_url, "https://graph-video.facebook.com");
        assert_eq!(s.app_id, None);
        assert_eq!(s.video_chunk_bytes, DEFAULT_VIDEO_CHUNK_BYTES);
        assert_eq!(s.rate_limit_wait_secs, 300);
        assert!(!format!("{s:?}").contains("EAAsecret"));
        let err = toml::from_str::<FacebookSettings>(
            "page_id = \"1\"\npage_access_token = \"t\"\npage_token = \"t\"",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("page_token"), "{err}");
    }
}
