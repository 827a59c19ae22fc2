//! What the LINE channel needs to know: the channel access token, how to send (broadcast,
//! narrowcast or push), how the message looks (text or a Flex card), and where the API is.

use serde::{Deserialize, Serialize};

use crate::Secret;

/// The real Messaging API. Tests point `base_url` at a fake.
pub const DEFAULT_BASE_URL: &str = "https://api.line.me";

/// Who receives the announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every friend of the Official Account (`POST /v2/bot/message/broadcast`). The default.
    #[default]
    Broadcast,
    /// Every friend, or the audience `audience_group_id`, sent asynchronously
    /// (`POST /v2/bot/message/narrowcast`, 202 Accepted).
    Narrowcast,
    /// The user, group or room ids in `to`, one `POST /v2/bot/message/push` each.
    Push,
}

/// How the announcement is shown in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A text message (up to 5,000 UTF-16 units), then the images and the video. The default.
    #[default]
    Text,
    /// A Flex bubble: the first image as hero, the title, the text, and an "อ่านต่อ" button to
    /// the website page; the other media follow as their own messages.
    Flex,
}

/// Settings of the LINE channel (`[channels.line]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSettings {
    /// The channel access token (long-lived, or a rotated short-lived one).
    pub channel_access_token: Secret,
    #[serde(default)]
    pub mode: Mode,
    /// Push recipients (user, group or room ids); required when `mode = "push"`.
    #[serde(default)]
    pub to: Vec<String>,
    /// Narrowcast to this audience instead of every friend (`mode = "narrowcast"` only).
    #[serde(default)]
    pub audience_group_id: Option<i64>,
    #[serde(default)]
    pub style: Style,
    /// Send media by `http://` URLs. LINE itself fetches only `https://`: for tests and local
    /// trials only.
    #[serde(default)]
    pub allow_http_media: bool,
    /// Send without a notification sound on the phones.
    #[serde(default)]
    pub notification_disabled: bool,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Most publishes in flight at once; the dispatcher's default when `None`.
    #[serde(default)]
    pub concurrency: Option<usize>,
    /// How long one publish to this channel may take before it counts as ambiguous (an upload
    /// needs longer than a post); `None`: `dispatch.publish_timeout`.
    #[serde(default, with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

fn default_base_url() -> String {
    DEFAULT_BASE_URL.to_owned()
}

impl LineSettings {
    /// Broadcast text messages through the real API with this token.
    pub fn new(channel_access_token: Secret) -> Self {
        LineSettings {
            channel_access_token,
            mode: Mode::default(),
            to: Vec::new(),
            audience_group_id: None,
            style: Style::default(),
            allow_http_media: false,
            notification_disabled: false,
            base_url: default_base_url(),
            concurrency: None,
            publish_timeout: None,
        }
    }

    /// Why these settings cannot work, if they cannot.
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.mode == Mode::Push && self.to.is_empty() {
            return Err("line: mode = \"push\" needs at least one id in `to`".into());
        }
        if self.mode != Mode::Push && !self.to.is_empty() {
            return Err("line: `to` is used only with mode = \"push\"".into());
        }
        if self.mode != Mode::Narrowcast && self.audience_group_id.is_some() {
            return Err("line: `audience_group_id` is used only with mode = \"narrowcast\"".into());
        }
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://")) {
            return Err(format!(
                "line: base_url {:?} is not an http(s) URL",
                self.base_url
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_broadcast_text_to_the_real_api() {
        let s: LineSettings = toml::from_str("channel_access_token = \"t\"").unwrap();
        assert_eq!(s.mode, Mode::Broadcast);
        assert_eq!(s.style, Style::Text);
        assert!(!s.allow_http_media);
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
        assert!(s.check().is_ok());
        assert!(!format!("{s:?}").contains("\"t\""));
    }

    #[test]
    fn push_needs_recipients_and_unknown_keys_fail() {
        let s: LineSettings =
            toml::from_str("channel_access_token = \"t\"\nmode = \"push\"").unwrap();
        assert!(s.check().unwrap_err().contains("to"));
        assert!(toml::from_str::<LineSettings>("channel_access_token = \"t\"\nmod = 1").is_err());
    }
}
