//! YouTube's numbers, in one place: content limits (Google's `videos.insert` documentation and
//! the discovery document), the upload protocol's chunk granule, and the addresses built from
//! ids.

use crate::{LengthUnit, Limits};

/// The channel kind, stored with every delivery.
pub const KIND: &str = "youtube";

/// `snippet.title`: at most 100 characters (code points), not empty, no `<` or `>`.
pub const TITLE_MAX: usize = 100;

/// `snippet.description`: at most 5,000 characters, no `<` or `>`.
pub const DESCRIPTION_MAX: usize = 5_000;

/// `snippet.tags`: at most 500 characters together, counting a comma between tags and quotes
/// around a tag that contains a space.
pub const TAGS_MAX: usize = 500;

/// Room kept in the tags for the delivery's fingerprint tag, added at publish time.
pub const FINGERPRINT_TAG_ROOM: usize = 64;

/// The discovery document's `maxSize` for `videos.insert`: 256 GiB.
pub const MAX_VIDEO_BYTES: u64 = 274_877_906_944;

/// Every chunk but the last must be a multiple of 256 KiB.
pub const CHUNK_GRANULE: u64 = 256 * 1024;

/// Quota units a `videos.update` costs (Google's `videos.update` reference).
pub const UPDATE_COST: u32 = 50;

/// Quota units a `videos.delete` costs.
pub const DELETE_COST: u32 = 50;

/// The watch page of a video.
pub const WATCH_URL: &str = "https://www.youtube.com/watch?v=";

/// What replaces `<` and `>`, which YouTube refuses in titles, descriptions and tags.
pub const ANGLE_REPLACEMENTS: [(char, char); 2] = [('<', '‹'), ('>', '›')];

/// The limits of the youtube channel with the configured largest video.
pub fn limits(max_video_bytes: u64) -> Limits {
    Limits {
        text_max: DESCRIPTION_MAX,
        unit: LengthUnit::Chars,
        title_max: Some(TITLE_MAX),
        media_max: 1,
        image_max_bytes: 0,
        video_max_bytes: max_video_bytes,
        requires_video: true,
        links_allowed: true,
    }
}

/// The watch page of video `id`.
pub fn watch_url(id: &str) -> String {
    format!("{WATCH_URL}{id}")
}
