//! From a draft to exactly what LINE will get, with no I/O: the text fitted in UTF-16 units with
//! a link to the website, the media checked (JPEG/PNG images up to 10 MB, MP4 videos up to
//! 200 MB, at most five message objects, HTTPS URLs) before anything is sent.

use crate::i18n::refusal;
use crate::thai::{FitOptions, fit_text};
use crate::{Draft, MediaKind, MediaRef, Payload, Rejection};

use super::limits::{
    ALT_TEXT_MAX, FLEX_TITLE_MAX, IMAGE_MAX_BYTES, IMAGE_MIMES, KIND, MESSAGES_MAX, TEXT_MAX, UNIT,
    VIDEO_MAX_BYTES, VIDEO_MIMES,
};
use super::settings::{LineSettings, Style};

/// Fit and check `draft` for LINE. `public_base_url` is where LINE will fetch the media.
pub fn prepare(
    settings: &LineSettings,
    public_base_url: &str,
    draft: &Draft,
) -> Result<Payload, Rejection> {
    let mut payload = Payload::from_draft(KIND, draft);
    for m in &draft.media {
        check_media(m)?;
    }
    let has_image = draft.media.iter().any(|m| m.kind == MediaKind::Image);
    if !has_image && draft.media.iter().any(|m| m.kind == MediaKind::Video) {
        // A LINE video message needs a preview image; without one the video stays on the
        // website.
        payload.media.retain(|m| m.kind != MediaKind::Video);
        payload.notes.push(
            "ไม่ได้ส่งวิดีโอทาง LINE: LINE ต้องมีภาพตัวอย่าง (แนบรูปภาพ JPEG/PNG อย่างน้อย 1 รูป) — ส่งเฉพาะข้อความ"
                .into(),
        );
    }
    if !payload.media.is_empty()
        && !public_base_url.starts_with("https://")
        && !settings.allow_http_media
    {
        return Err(refusal!("line-https-media", url = public_base_url));
    }
    let count = message_count(settings.style, &payload.media);
    if count > MESSAGES_MAX {
        return Err(refusal!(
            "line-too-many-messages",
            count = count,
            max = MESSAGES_MAX,
            media = payload.media.len()
        ));
    }
    let max = match settings.style {
        Style::Text => TEXT_MAX,
        Style::Flex => ALT_TEXT_MAX,
    };
    let link = draft.link.as_deref();
    // A text message cannot be empty: an announcement with a title only sends its title.
    let source = if settings.style == Style::Text && draft.text.trim().is_empty() {
        &draft.title
    } else {
        &draft.text
    };
    let fitted = fit_text(
        source,
        &FitOptions {
            max,
            unit: UNIT,
            link,
        },
    );
    if fitted.shortened {
        payload.notes.push(format!(
            "ข้อความยาวเกินสำหรับ LINE ({}/{} {}): ตัดเหลือ {} {}{}",
            grouped(fitted.original_len as u64),
            grouped(max as u64),
            UNIT.name_th(),
            grouped(fitted.len as u64),
            UNIT.name_th(),
            if link.is_some() {
                " พร้อมลิงก์อ่านต่อบนเว็บไซต์"
            } else {
                ""
            },
        ));
    }
    payload.text = fitted.text;
    if settings.style == Style::Flex {
        let title = fit_text(
            &draft.title,
            &FitOptions {
                max: FLEX_TITLE_MAX,
                unit: UNIT,
                link: None,
            },
        );
        if title.shortened {
            payload.notes.push(format!(
                "หัวข้อยาวเกินสำหรับการ์ด LINE ({}/{} {}): ตัดให้สั้นลง",
                grouped(title.original_len as u64),
                FLEX_TITLE_MAX,
                UNIT.name_th()
            ));
        }
        payload.title = title.text;
        if link.is_none() {
            payload
                .notes
                .push("ไม่มีลิงก์เว็บไซต์: การ์ด LINE จะไม่มีปุ่ม \"อ่านต่อ\"".into());
        }
    }
    if payload.text.trim().is_empty() && payload.title.trim().is_empty() {
        return Err(refusal!("line-nothing-to-send"));
    }
    Ok(payload)
}

/// How many message objects the payload becomes: the text or the Flex card, each image (in
/// Flex, the first image is the card's hero), each video.
pub fn message_count(style: Style, media: &[MediaRef]) -> usize {
    let images = media.iter().filter(|m| m.kind == MediaKind::Image).count();
    let videos = media.len() - images;
    let separate_images = match style {
        Style::Text => images,
        Style::Flex => images.saturating_sub(1),
    };
    1 + separate_images + videos
}

fn check_media(m: &MediaRef) -> Result<(), Rejection> {
    let (mimes, max) = match m.kind {
        MediaKind::Image => (IMAGE_MIMES, IMAGE_MAX_BYTES),
        MediaKind::Video => (VIDEO_MIMES, VIDEO_MAX_BYTES),
        // Not given any: compose leaves documents to the channels that carry them.
        MediaKind::Document => return Ok(()),
    };
    let name = m.original_name.as_str();
    if !mimes.contains(&m.mime.as_str()) {
        return Err(refusal!(
            "line-media-type",
            kind = m.kind.as_str(),
            name = name,
            mime = m.mime.as_str()
        ));
    }
    if m.size > max {
        return Err(refusal!(
            "line-media-too-large",
            kind = m.kind.as_str(),
            name = name,
            size = megabytes(m.size),
            max = megabytes(max)
        ));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    }
}

/// `5312` → `5,312`, as the PR officer reads numbers.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_sizes_in_megabytes() {
        assert_eq!(grouped(5312u64), "5,312");
        assert_eq!(grouped(300u64), "300");
        assert_eq!(grouped(1_000_000u64), "1,000,000");
        assert_eq!(megabytes(10 * 1024 * 1024), "10");
        assert_eq!(megabytes(12_900_000), "12.3");
    }
}
