//! Preparing a draft for WordPress (pure): the channel's limits, fitting the title and text,
//! refusing media the site will not take before anything is uploaded, and the deterministic
//! slug a delivery is published and found again under.

use crate::i18n::refusal;
use crate::thai::fit::{FitOptions, fit_text};
use crate::{Draft, LengthUnit, Limits, MediaKind, Payload, Rejection};

/// WordPress core stores titles and content as `text`/`longtext` and counts nothing; these are
/// prakat's own sanity limits, in characters.
pub const TITLE_MAX_CHARS: usize = 1_000;
pub const TEXT_MAX_CHARS: usize = 200_000;
/// Media files in one post (each is one upload request).
pub const MEDIA_MAX: usize = 20;
/// The MIME types a default WordPress accepts that prakat sends (core's `get_allowed_mime_types`;
/// SVG is blocked by core).
pub const ALLOWED_MIME: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
];

pub(crate) fn limits(max_upload_mb: u64) -> Limits {
    let max = max_upload_mb.saturating_mul(1024 * 1024);
    Limits {
        text_max: TEXT_MAX_CHARS,
        unit: LengthUnit::Chars,
        title_max: Some(TITLE_MAX_CHARS),
        media_max: MEDIA_MAX,
        image_max_bytes: max,
        video_max_bytes: max,
        requires_video: false,
        links_allowed: true,
    }
}

pub(crate) fn prepare(limits: &Limits, draft: &Draft) -> Result<Payload, Rejection> {
    let mut payload = Payload::from_draft("wordpress", draft);
    if draft.media.len() > limits.media_max {
        return Err(refusal!(
            "wordpress-too-many-media",
            count = draft.media.len(),
            max = limits.media_max
        ));
    }
    for m in &draft.media {
        if !ALLOWED_MIME.contains(&m.mime.as_str()) {
            return Err(refusal!(
                "wordpress-media-type",
                name = m.original_name.as_str(),
                mime = m.mime.as_str(),
                allowed = ALLOWED_MIME.join(", ")
            ));
        }
        let max = match m.kind {
            MediaKind::Image => limits.image_max_bytes,
            MediaKind::Video => limits.video_max_bytes,
            // Not given any: compose leaves documents to the channels that carry them.
            MediaKind::Document => continue,
        };
        if m.size > max {
            return Err(refusal!(
                "wordpress-media-too-large",
                kind = m.kind.as_str(),
                name = m.original_name.as_str(),
                size = mb(m.size),
                max = mb(max)
            ));
        }
    }
    if let Some(title_max) = limits.title_max {
        let fitted = fit_text(
            &draft.title,
            &FitOptions {
                max: title_max,
                unit: limits.unit,
                link: None,
            },
        );
        if fitted.shortened {
            payload.notes.push(format!(
                "ชื่อเรื่องถูกย่อจาก {} เหลือ {} ตัวอักษร",
                fitted.original_len, fitted.len
            ));
            payload.title = fitted.text;
        }
    }
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
            "ข้อความถูกย่อจาก {} เหลือ {} ตัวอักษร",
            fitted.original_len, fitted.len
        ));
        payload.text = fitted.text;
    }
    Ok(payload)
}

/// Megabytes with one decimal, for messages.
fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// The post's slug: `prakat-<announcement id>-<first 8 letters or digits of the idempotency
/// key>`, lowercase ASCII, the same on every attempt of a delivery (Thai titles make poor
/// slugs: WordPress would percent-encode them).
pub fn slug(announcement_id: i64, idempotency_key: &str) -> String {
    let key: String = idempotency_key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(8)
        .collect();
    if key.is_empty() {
        format!("prakat-{announcement_id}")
    } else {
        format!("prakat-{announcement_id}-{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_ascii() {
        assert_eq!(
            slug(42, "9F1C2E7A-5b6d-4e2f-8a90-1234567890ab"),
            "prakat-42-9f1c2e7a"
        );
        assert_eq!(slug(7, "ab-c"), "prakat-7-abc");
        assert_eq!(slug(7, "ประกาศ"), "prakat-7");
    }
}
