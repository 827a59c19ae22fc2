//! TikTok's numbers, in one place: text lengths (UTF-16 runes, as the Content Posting API
//! counts), media sizes and types, and the chunk rules of the media transfer guide.

use crate::{LengthUnit, Limits};

/// Video caption (`post_info.title` of a video): "The maximum length is 2200 in UTF-16 runes."
pub const VIDEO_CAPTION_MAX: usize = 2_200;
/// Photo post title and description.
pub const PHOTO_TITLE_MAX: usize = 90;
pub const PHOTO_DESCRIPTION_MAX: usize = 4_000;
/// TikTok counts text in UTF-16 runes (the same as characters for Thai).
pub const UNIT: LengthUnit = LengthUnit::Utf16;

/// A video may be up to 4 GB.
pub const VIDEO_MAX_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Up to 35 photos of at most 20 MB each, JPEG or WebP.
pub const PHOTO_MAX_COUNT: usize = 35;
pub const PHOTO_MAX_BYTES: u64 = 20 * 1024 * 1024;
pub const PHOTO_TYPES: &[&str] = &["image/jpeg", "image/webp"];
/// The `Content-Type` values the upload URL accepts.
pub const VIDEO_TYPES: &[&str] = &["video/mp4", "video/quicktime", "video/webm"];

/// Chunks are 5 MB to 64 MB (read conservatively: 5 MiB, 64,000,000 bytes); the last one may
/// take the trailing bytes, up to 128 MB; 1 to 1,000 chunks; a file under 5 MB goes whole.
pub const CHUNK_MIN: u64 = 5 * 1024 * 1024;
pub const CHUNK_MAX: u64 = 64_000_000;
pub const LAST_CHUNK_MAX: u64 = 128_000_000;
pub const CHUNKS_MAX: u64 = 1_000;

/// The limits every caller sees through `Channel::limits`.
pub fn limits() -> Limits {
    Limits {
        text_max: VIDEO_CAPTION_MAX,
        unit: UNIT,
        title_max: Some(PHOTO_TITLE_MAX),
        media_max: PHOTO_MAX_COUNT,
        image_max_bytes: PHOTO_MAX_BYTES,
        video_max_bytes: VIDEO_MAX_BYTES,
        requires_video: false,
        links_allowed: true,
    }
}

/// How a video is cut for upload, following the media transfer guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkPlan {
    pub video_size: u64,
    pub chunk_size: u64,
    /// `floor(video_size / chunk_size)`, at least 1.
    pub total_chunk_count: u64,
}

impl ChunkPlan {
    /// Plan the upload of `video_size` bytes with chunks of about `preferred` bytes (already
    /// within [`CHUNK_MIN`]..=[`CHUNK_MAX`]). `None` when the file is empty.
    pub fn new(video_size: u64, preferred: u64) -> Option<ChunkPlan> {
        if video_size == 0 {
            return None;
        }
        let mut chunk = preferred.clamp(CHUNK_MIN, CHUNK_MAX);
        // Keep within 1,000 chunks (only a very small configured chunk on a 4 GB file needs it).
        if video_size / chunk > CHUNKS_MAX {
            chunk = video_size.div_ceil(CHUNKS_MAX).min(CHUNK_MAX);
        }
        if video_size < chunk {
            // Under one chunk (in particular under 5 MB): the whole file in one piece.
            return Some(ChunkPlan {
                video_size,
                chunk_size: video_size,
                total_chunk_count: 1,
            });
        }
        if video_size > CHUNK_MAX && video_size / chunk < 2 {
            // Over 64 MB must go in several chunks: two halves (each within 5 MiB..=64 MB).
            chunk = video_size / 2;
        }
        let plan = ChunkPlan {
            video_size,
            chunk_size: chunk,
            total_chunk_count: video_size / chunk,
        };
        let last = plan.range(plan.total_chunk_count - 1);
        debug_assert!(last.end - last.start <= LAST_CHUNK_MAX);
        Some(plan)
    }

    /// The byte range of chunk `i` (the last one takes the trailing bytes).
    pub fn range(&self, i: u64) -> std::ops::Range<u64> {
        let start = i * self.chunk_size;
        let end = if i + 1 >= self.total_chunk_count {
            self.video_size
        } else {
            start + self.chunk_size
        };
        start..end
    }

    /// The chunk to send next when TikTok holds `uploaded` bytes (`total_chunk_count` when
    /// everything is there).
    pub fn next_after(&self, uploaded: u64) -> u64 {
        if uploaded >= self.video_size {
            self.total_chunk_count
        } else {
            (uploaded / self.chunk_size).min(self.total_chunk_count - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1_000_000;

    fn check(plan: &ChunkPlan) {
        let mut next = 0;
        for i in 0..plan.total_chunk_count {
            let r = plan.range(i);
            assert_eq!(r.start, next, "chunks are contiguous");
            let len = r.end - r.start;
            if plan.total_chunk_count > 1 {
                if i + 1 < plan.total_chunk_count {
                    assert_eq!(len, plan.chunk_size);
                    assert!((CHUNK_MIN..=CHUNK_MAX).contains(&len), "{len}");
                } else {
                    assert!(
                        len >= plan.chunk_size && len <= LAST_CHUNK_MAX,
                        "last {len}"
                    );
                }
            }
            next = r.end;
        }
        assert_eq!(next, plan.video_size, "every byte is sent once");
        assert_eq!(plan.total_chunk_count, plan.video_size / plan.chunk_size);
        assert!((1..=CHUNKS_MAX).contains(&plan.total_chunk_count));
    }

    #[test]
    fn chunk_arithmetic_follows_the_media_transfer_guide() {
        // (size, preferred chunk) -> (chunk_size, count)
        let cases = [
            (3 * MB, 10 * MB, 3 * MB, 1),
            (5 * MB, 10 * MB, 5 * MB, 1),
            (64 * MB, 10 * MB, 10 * MB, 6),
            (130 * MB, 10 * MB, 10 * MB, 13),
            (1_000 * MB, 10 * MB, 10 * MB, 100),
            (130 * MB, CHUNK_MAX, CHUNK_MAX, 2),
            (70 * MB, CHUNK_MAX, 35 * MB, 2),
            (60 * MB, CHUNK_MAX, 60 * MB, 1),
            (1_073_741_824, 64 * MB, 64 * MB, 16),
            (3 * MB, CHUNK_MIN, 3 * MB, 1),
        ];
        for (size, preferred, chunk, count) in cases {
            let plan = ChunkPlan::new(size, preferred).unwrap();
            assert_eq!(
                (plan.chunk_size, plan.total_chunk_count),
                (chunk, count),
                "{size} bytes with {preferred}"
            );
            check(&plan);
        }
        // The guide's own example: 50,000,123 bytes in 10,000,000-byte chunks is 5 chunks.
        let plan = ChunkPlan::new(50_000_123, 10 * MB).unwrap();
        assert_eq!(plan.total_chunk_count, 5);
        assert_eq!(plan.range(4), 40_000_000..50_000_123);
        check(&plan);
        assert_eq!(ChunkPlan::new(0, 10 * MB), None);
    }

    #[test]
    fn the_largest_video_stays_within_the_rules() {
        for preferred in [CHUNK_MIN, 10 * MB, CHUNK_MAX] {
            check(&ChunkPlan::new(VIDEO_MAX_BYTES, preferred).unwrap());
        }
    }

    #[test]
    fn resume_point_is_the_first_chunk_not_fully_held() {
        let plan = ChunkPlan::new(50_000_123, 10 * MB).unwrap();
        assert_eq!(plan.next_after(0), 0);
        assert_eq!(plan.next_after(10 * MB), 1);
        assert_eq!(plan.next_after(15 * MB), 1);
        assert_eq!(plan.next_after(45 * MB), 4);
        assert_eq!(plan.next_after(50_000_123), 5);
    }
}
