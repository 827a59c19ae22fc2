//! Facebook's limits and `prepare`: fit the message to the post length limit (with a link to
//! the website page when shortened) and refuse, before any upload, the media Facebook would
//! refuse. Pure: no I/O.

use crate::i18n::refusal;
use crate::thai::fit::{FitOptions, fit_text};
use crate::{Draft, LengthUnit, Limits, MediaKind, Payload, Rejection};

/// The channel kind, stored with every delivery.
pub const KIND: &str = "facebook";

const MB: u64 = 1024 * 1024;

/// Longest post message, in characters: the commonly documented 63,206 (no official page).
pub const TEXT_MAX: usize = 63_206;

/// Most photos in one multi-photo post (`attached_media`): 10, as publishing tools document.
pub const PHOTOS_MAX: usize = 10;

/// Largest photo: 10 MB.
pub const IMAGE_MAX_BYTES: u64 = 10 * MB;

/// Largest feed video: 10 GB (`GET /{page-id}?fields=video_upload_limits` gives the Page's own).
pub const VIDEO_MAX_BYTES: u64 = 10 * 1024 * MB;

/// Photo types Facebook accepts.
pub const IMAGE_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/bmp",
    "image/tiff",
];

/// Video types Facebook accepts in a feed post.
pub const VIDEO_TYPES: &[&str] = &["video/mp4", "video/quicktime"];

/// The Facebook channel's limits. One place for these numbers.
pub fn limits() -> Limits {
    Limits {
        text_max: TEXT_MAX,
        unit: LengthUnit::Chars,
        title_max: None,
        media_max: PHOTOS_MAX,
        image_max_bytes: IMAGE_MAX_BYTES,
        video_max_bytes: VIDEO_MAX_BYTES,
        requires_video: false,
        links_allowed: true,
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MB as f64)
}

/// Check media and fit the text. The payload's `text` is the message sent.
pub fn prepare(limits: &Limits, draft: &Draft) -> Result<Payload, Rejection> {
    check_media(limits, draft)?;
    let mut payload = Payload::from_draft(KIND, draft);
    let fitted = fit_text(
        &draft.text,
        &FitOptions {
            max: limits.text_max,
            unit: limits.unit,
            link: draft.link.as_deref(),
        },
    );
    if fitted.shortened {
        payload.notes.push(format!(
            "ข้อความถูกย่อสำหรับ Facebook จาก {} เป็น {} ตัวอักษร พร้อมลิงก์ไปยังเว็บไซต์ \
             (shortened from {} to {} characters)",
            fitted.original_len, fitted.len, fitted.original_len, fitted.len
        ));
    }
    payload.text = fitted.text;
    if payload.text.trim().is_empty() && draft.media.is_empty() && draft.link.is_none() {
        return Err(refusal!("facebook-empty"));
    }
    Ok(payload)
}

fn check_media(limits: &Limits, draft: &Draft) -> Result<(), Rejection> {
    let videos = draft
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .count();
    let images = draft.media.len() - videos;
    if videos > 1 || (videos == 1 && images > 0) {
        return Err(refusal!(
            "facebook-mixed-media",
            images = images,
            videos = videos
        ));
    }
    if images > limits.media_max {
        return Err(refusal!(
            "facebook-too-many-photos",
            count = images,
            max = limits.media_max
        ));
    }
    for m in &draft.media {
        let (max, types) = match m.kind {
            MediaKind::Image => (limits.image_max_bytes, IMAGE_TYPES),
            MediaKind::Video => (limits.video_max_bytes, VIDEO_TYPES),
            // Not given any: compose leaves documents to the channels that carry them.
            MediaKind::Document => continue,
        };
        let name = m.original_name.as_str();
        if !types.contains(&m.mime.as_str()) {
            return Err(refusal!(
                "facebook-media-type",
                kind = m.kind.as_str(),
                name = name,
                mime = m.mime.as_str(),
                types = types.join(", ")
            ));
        }
        if m.size > max {
            return Err(refusal!(
                "facebook-media-too-large",
                kind = m.kind.as_str(),
                name = name,
                size = megabytes(m.size),
                max = megabytes(max)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megabytes_have_one_decimal() {
        assert_eq!(megabytes(10 * MB + MB / 2), "10.5");
    }
}
