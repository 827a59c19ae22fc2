//! The `[channels.tiktok]` settings: the app's credentials, the first refresh token, and how to
//! post (privacy, interactions, chunk size, how long one attempt waits for TikTok's processing).

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::limits::{CHUNK_MAX, CHUNK_MIN};
use crate::Secret;

/// Who may see a post, as TikTok names it. The value sent must be one of the creator's
/// `privacy_level_options` (from `creator_info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrivacyLevel {
    PublicToEveryone,
    FollowerOfCreator,
    MutualFollowFriends,
    SelfOnly,
}

impl PrivacyLevel {
    /// Most public first: the order in which an unconfigured channel picks.
    pub const BY_REACH: [PrivacyLevel; 4] = [
        PrivacyLevel::PublicToEveryone,
        PrivacyLevel::FollowerOfCreator,
        PrivacyLevel::MutualFollowFriends,
        PrivacyLevel::SelfOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyLevel::PublicToEveryone => "PUBLIC_TO_EVERYONE",
            PrivacyLevel::FollowerOfCreator => "FOLLOWER_OF_CREATOR",
            PrivacyLevel::MutualFollowFriends => "MUTUAL_FOLLOW_FRIENDS",
            PrivacyLevel::SelfOnly => "SELF_ONLY",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TiktokSettings {
    /// The app's client key (developer portal).
    pub client_key: String,
    pub client_secret: Secret,
    /// The refresh token from the first authorisation. TikTok rotates it on every refresh; the
    /// current one lives in `<data_dir>/tokens/tiktok.json`, this one is the fallback (a fresh
    /// one pasted here after re-authorising is tried when the saved one is refused).
    pub refresh_token: Secret,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Who may see the posts. Unset: the most public level the creator offers.
    #[serde(default)]
    pub privacy_level: Option<PrivacyLevel>,
    /// When TikTok offers only `SELF_ONLY` (an unaudited app), post anyway, visible to the
    /// account owner only (`true`), or refuse every post until the app is audited (`false`).
    #[serde(default = "yes")]
    pub post_when_unaudited: bool,
    /// Let viewers comment, duet, stitch. Off by default (TikTok's UX guidelines); a creator
    /// who turned one off in the app keeps it off whatever is set here.
    #[serde(default)]
    pub allow_comment: bool,
    #[serde(default)]
    pub allow_duet: bool,
    #[serde(default)]
    pub allow_stitch: bool,
    /// Bytes per uploaded chunk, 5 MiB to 64 MB (TikTok's rules); smaller files go whole.
    #[serde(default = "default_chunk_size")]
    pub chunk_size: u64,
    /// How long one attempt polls `status/fetch` before handing back (the next attempt polls
    /// again, without uploading). Keep it below `dispatch.publish_timeout`.
    #[serde(default = "default_poll_timeout", with = "duration_text")]
    pub status_poll_timeout: Duration,
    /// Pause between two polls (the status endpoint allows 30 calls a minute per token).
    #[serde(default = "default_poll_interval", with = "duration_text")]
    pub status_poll_interval: Duration,
    /// Wait after `rate_limit_exceeded`: TikTok sends no hint; its limits are per minute.
    #[serde(default = "default_rate_limit_wait", with = "duration_text")]
    pub rate_limit_wait: Duration,
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// How long one publish to this channel may take before it counts as ambiguous (an upload
    /// needs longer than a post); `None`: `dispatch.publish_timeout`.
    #[serde(default, with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

impl TiktokSettings {
    /// Check what serde cannot.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !(CHUNK_MIN..=CHUNK_MAX).contains(&self.chunk_size) {
            return Err(format!(
                "tiktok.chunk_size is {} bytes; TikTok takes chunks of {CHUNK_MIN} to {CHUNK_MAX} bytes",
                self.chunk_size
            ));
        }
        if self.status_poll_interval.is_zero() {
            return Err("tiktok.status_poll_interval must be more than 0".into());
        }
        if self.client_key.trim().is_empty() {
            return Err("tiktok.client_key is empty".into());
        }
        Ok(())
    }
}

fn default_base_url() -> String {
    "https://open.tiktokapis.com".into()
}
fn yes() -> bool {
    true
}
fn default_chunk_size() -> u64 {
    10_000_000
}
fn default_poll_timeout() -> Duration {
    Duration::from_secs(45)
}
fn default_poll_interval() -> Duration {
    Duration::from_secs(5)
}
fn default_rate_limit_wait() -> Duration {
    Duration::from_secs(60)
}

/// Durations written like the daemon's own settings: `"500ms"`, `"45s"`, `"2m"`, `"1h"`.
pub(crate) mod duration_text {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        let ms = d.as_millis();
        if !ms.is_multiple_of(1000) {
            s.serialize_str(&format!("{ms}ms"))
        } else {
            s.serialize_str(&format!("{}s", ms / 1000))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a duration like \"500ms\", \"45s\", \"2m\" or \"1h\""
            ))
        })
    }

    pub fn parse(text: &str) -> Option<Duration> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = t.split_at(split);
        let n: u64 = n.parse().ok()?;
        let ms = match unit.trim() {
            "ms" => n,
            "s" => n.checked_mul(1000)?,
            "m" => n.checked_mul(60_000)?,
            "h" => n.checked_mul(3_600_000)?,
            _ => return None,
        };
        Some(Duration::from_millis(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_daemon_settings() {
        assert_eq!(
            duration_text::parse("500ms"),
            Some(Duration::from_millis(500))
        );
        assert_eq!(duration_text::parse("45s"), Some(Duration::from_secs(45)));
        assert_eq!(duration_text::parse("2m"), Some(Duration::from_secs(120)));
        assert_eq!(duration_text::parse("2 weeks"), None);
        assert_eq!(duration_text::parse("s"), None);
    }

    #[test]
    fn defaults_fill_everything_but_the_account() {
        let s: TiktokSettings = toml::from_str(
            "client_key = \"ck\"\nclient_secret = \"cs\"\nrefresh_token = \"rft.1\"\n",
        )
        .unwrap();
        assert_eq!(s.base_url, "https://open.tiktokapis.com");
        assert_eq!(s.privacy_level, None);
        assert!(s.post_when_unaudited && !s.allow_comment);
        assert_eq!(s.status_poll_timeout, Duration::from_secs(45));
        s.validate().unwrap();
        let shown = toml::to_string(&s).unwrap();
        assert!(shown.contains("status_poll_timeout = \"45s\"") && !shown.contains("rft.1"));
        let bad: Result<TiktokSettings, _> = toml::from_str(
            "client_key = \"ck\"\nclient_secret = \"cs\"\nrefresh_token = \"r\"\nprivacy = 1\n",
        );
        assert!(bad.is_err(), "unknown keys are errors");
    }
}
