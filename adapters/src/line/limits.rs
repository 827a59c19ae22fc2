//! LINE's numbers, each in one place. Sources: the Messaging API reference and its OpenAPI
//! file (`messaging-api.yml`), and LINE's news of 2020-05-12 on message limits.

use std::time::Duration;

use crate::{LengthUnit, Limits};

/// The channel kind, stored with every delivery.
pub const KIND: &str = "line";

/// How LINE counts text: UTF-16 code units.
pub const UNIT: LengthUnit = LengthUnit::Utf16;
/// Longest text message.
pub const TEXT_MAX: usize = 5_000;
/// Longest Flex `altText` (what notifications and the chat list show).
pub const ALT_TEXT_MAX: usize = 1_500;
/// Longest title in a Flex bubble: LINE sets none; ours, so the card stays a card.
pub const FLEX_TITLE_MAX: usize = 160;
/// The Flex button's label (LINE allows 20 characters for action labels).
pub const READ_MORE_LABEL: &str = "อ่านต่อ";
/// Message objects in one send request (`maxItems: 5`).
pub const MESSAGES_MAX: usize = 5;
/// Images: JPEG or PNG, at most 10 MB.
pub const IMAGE_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const IMAGE_MIMES: &[&str] = &["image/jpeg", "image/png"];
/// Videos: MP4, at most 200 MB.
pub const VIDEO_MAX_BYTES: u64 = 200 * 1024 * 1024;
pub const VIDEO_MIMES: &[&str] = &["video/mp4"];

/// A 429 without the monthly-limit message: broadcast and narrowcast allow 60 requests an hour
/// and LINE sends no Retry-After, so wait a minute (the dispatcher never loops faster).
pub const RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// The body LINE sends with a 429 when the month's message quota is used up.
pub const MONTHLY_LIMIT_MESSAGE: &str = "monthly limit";
/// How long a quota reading is trusted, so a batch of deliveries does not ask for each one.
pub const QUOTA_CACHE_SECS: i64 = 60;
/// A retry key is honoured for 24 hours after the first request; past this age a repeat could
/// send twice, so an attempt that may have been delivered is not repeated blindly.
pub const RETRY_KEY_SAFE_HOURS: i64 = 23;

/// What the LINE channel accepts, counted as LINE counts.
pub fn limits() -> Limits {
    Limits {
        text_max: TEXT_MAX,
        unit: UNIT,
        title_max: Some(FLEX_TITLE_MAX),
        // One message is the text (or the Flex card).
        media_max: MESSAGES_MAX - 1,
        image_max_bytes: IMAGE_MAX_BYTES,
        video_max_bytes: VIDEO_MAX_BYTES,
        requires_video: false,
        links_allowed: true,
    }
}
