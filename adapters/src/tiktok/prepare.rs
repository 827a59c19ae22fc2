//! From a draft to what TikTok will be sent: which kind of post (one video, or up to 35 photos),
//! the media checked against TikTok's rules, and the texts fitted in UTF-16 runes with a link to
//! the website when shortened. Pure: no I/O. `publish` runs [`media_of`] again on the stored
//! payload, so nothing out of bounds is ever uploaded.

use crate::i18n::{refusal, skip_reason};
use crate::thai::{FitOptions, fit_text};
use crate::{Draft, MediaKind, MediaRef, Payload, Rejection};

use super::limits::{
    PHOTO_DESCRIPTION_MAX, PHOTO_MAX_BYTES, PHOTO_MAX_COUNT, PHOTO_TITLE_MAX, PHOTO_TYPES, UNIT,
    VIDEO_CAPTION_MAX, VIDEO_MAX_BYTES, VIDEO_TYPES,
};

/// What a TikTok post carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Media<'a> {
    Video(&'a MediaRef),
    Photos(Vec<&'a MediaRef>),
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// The post's media, or why TikTok cannot take it. A video wins over photos (TikTok cannot mix
/// them); `prepare` says so in the notes.
pub fn media_of(media: &[MediaRef]) -> Result<Media<'_>, Rejection> {
    let videos: Vec<&MediaRef> = media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .collect();
    let photos: Vec<&MediaRef> = media
        .iter()
        .filter(|m| m.kind == MediaKind::Image)
        .collect();
    match videos.as_slice() {
        [] => {}
        [video] => return check_video(video).map(|()| Media::Video(video)),
        many => {
            return Err(refusal!("tiktok-one-video", count = many.len()));
        }
    }
    if photos.is_empty() {
        return Err(skip_reason!("tiktok-needs-media"));
    }
    if photos.len() > PHOTO_MAX_COUNT {
        return Err(refusal!(
            "tiktok-too-many-photos",
            count = photos.len(),
            max = PHOTO_MAX_COUNT
        ));
    }
    for p in &photos {
        if !PHOTO_TYPES.contains(&p.mime.as_str()) {
            return Err(refusal!(
                "tiktok-photo-type",
                name = p.original_name.as_str(),
                mime = p.mime.as_str()
            ));
        }
        if p.size > PHOTO_MAX_BYTES {
            return Err(refusal!(
                "tiktok-photo-too-large",
                name = p.original_name.as_str(),
                size = mb(p.size),
                max = mb(PHOTO_MAX_BYTES)
            ));
        }
    }
    Ok(Media::Photos(photos))
}

fn check_video(v: &MediaRef) -> Result<(), Rejection> {
    if !VIDEO_TYPES.contains(&v.mime.as_str()) {
        return Err(refusal!(
            "tiktok-video-type",
            name = v.original_name.as_str(),
            mime = v.mime.as_str()
        ));
    }
    if v.size == 0 {
        return Err(refusal!(
            "tiktok-video-empty",
            name = v.original_name.as_str(),
            max = mb(VIDEO_MAX_BYTES)
        ));
    }
    if v.size > VIDEO_MAX_BYTES {
        return Err(refusal!(
            "tiktok-video-too-large",
            name = v.original_name.as_str(),
            size = mb(v.size),
            max = mb(VIDEO_MAX_BYTES)
        ));
    }
    Ok(())
}

/// Fit one text; note what changed.
fn fit(text: &str, max: usize, link: Option<&str>, what: &str, notes: &mut Vec<String>) -> String {
    let fitted = fit_text(
        text,
        &FitOptions {
            max,
            unit: UNIT,
            link,
        },
    );
    if fitted.shortened {
        notes.push(format!(
            "{what} ย่อจาก {} เหลือ {} {} (TikTok รับได้ {max}){}",
            fitted.original_len,
            fitted.len,
            UNIT.name_th(),
            if link.is_some_and(|l| fitted.text.contains(l)) {
                " พร้อมลิงก์ไปยังเว็บไซต์"
            } else {
                ""
            }
        ));
    }
    fitted.text
}

/// `Channel::prepare` for TikTok.
pub fn prepare(draft: &Draft) -> Result<Payload, Rejection> {
    let media = media_of(&draft.media)?;
    let mut payload = Payload::from_draft("tiktok", draft);
    let link = draft.link.as_deref();
    match media {
        Media::Video(video) => {
            if draft.media.len() > 1 {
                payload.notes.push(format!(
                    "TikTok ใส่วิดีโอกับรูปภาพในโพสต์เดียวกันไม่ได้: ส่งเฉพาะวิดีโอ {} ({} รูปไม่ได้ส่ง)",
                    video.original_name,
                    draft.media.len() - 1
                ));
            }
            payload.media = vec![video.clone()];
            payload.text = fit(
                &draft.text,
                VIDEO_CAPTION_MAX,
                link,
                "คำบรรยายวิดีโอ",
                &mut payload.notes,
            );
        }
        Media::Photos(_) => {
            payload.title = fit(
                &draft.title,
                PHOTO_TITLE_MAX,
                None,
                "หัวข้อ",
                &mut payload.notes,
            );
            payload.text = fit(
                &draft.text,
                PHOTO_DESCRIPTION_MAX,
                link,
                "คำบรรยาย",
                &mut payload.notes,
            );
        }
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn media(kind: MediaKind, mime: &str, size: u64, name: &str) -> MediaRef {
        MediaRef {
            sha256: format!("{:0>64}", name.len()),
            mime: mime.into(),
            kind,
            size,
            path: format!("/m/{name}").into(),
            original_name: name.into(),
        }
    }

    fn draft(text: &str, media: Vec<MediaRef>) -> Draft {
        Draft {
            announcement_id: 7,
            department: crate::Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            title: "ปิดถนนพหลโยธินชั่วคราวเพื่อซ่อมผิวจราจรบริเวณหน้าสถานีตำรวจภูธรเมือง ตั้งแต่วันจันทร์ถึงวันศุกร์ ช่วงเวลากลางคืน".into(),
            text: text.into(),
            media,
            link: Some("https://station.example/a/7".into()),
            published_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap(),
            tags: vec![],
        }
    }

    #[test]
    fn a_long_caption_is_fitted_in_utf16_with_the_link() {
        let text = "ประชาสัมพันธ์ 🚓 ".repeat(200);
        let d = draft(
            &text,
            vec![media(MediaKind::Video, "video/mp4", 3_000_000, "a.mp4")],
        );
        let p = prepare(&d).unwrap();
        assert!(p.text.encode_utf16().count() <= VIDEO_CAPTION_MAX);
        assert!(
            p.text.ends_with("https://station.example/a/7"),
            "{}",
            &p.text
        );
        assert_eq!(p.notes.len(), 1);
        assert!(
            p.notes[0].contains("คำบรรยายวิดีโอ ย่อจาก 3400"),
            "{:?}",
            p.notes
        );
        assert_eq!(p.title, d.title, "a video post sends no title");
    }

    #[test]
    fn photo_title_and_description_have_their_own_limits() {
        let d = draft(
            "เนื้อหา",
            vec![media(MediaKind::Image, "image/jpeg", 1_000, "a.jpg")],
        );
        let p = prepare(&d).unwrap();
        assert!(p.title.chars().count() <= PHOTO_TITLE_MAX && p.title.ends_with('…'));
        assert_eq!(p.text, "เนื้อหา");
        assert!(p.notes[0].starts_with("หัวข้อ ย่อจาก"), "{:?}", p.notes);
    }

    #[test]
    fn what_tiktok_cannot_take_is_refused_with_the_numbers() {
        let none = prepare(&draft("x", vec![])).unwrap_err();
        assert!(none.en.contains("TikTok needs a video or photos"));
        assert!(
            none.skip,
            "skipped for TikTok, not a failure of the announcement"
        );
        let big = prepare(&draft(
            "x",
            vec![media(
                MediaKind::Video,
                "video/mp4",
                5_000_000_000,
                "big.mp4",
            )],
        ))
        .unwrap_err();
        assert_eq!(
            big.th,
            "วิดีโอใหญ่เกินไปสำหรับ TikTok (4768.4/4096.0 MB): big.mp4"
        );
        let png = prepare(&draft(
            "x",
            vec![media(MediaKind::Image, "image/png", 10, "a.png")],
        ))
        .unwrap_err();
        assert!(png.th.contains("a.png เป็น image/png"), "{}", png.th);
        let many = vec![media(MediaKind::Image, "image/jpeg", 10, "a.jpg"); 36];
        assert!(prepare(&draft("x", many)).unwrap_err().th.contains("36/35"));
        let two = vec![media(MediaKind::Video, "video/mp4", 10, "a.mp4"); 2];
        assert!(
            prepare(&draft("x", two))
                .unwrap_err()
                .en
                .contains("one video")
        );
    }

    #[test]
    fn a_video_wins_over_photos_and_says_so() {
        let d = draft(
            "x",
            vec![
                media(MediaKind::Image, "image/jpeg", 10, "a.jpg"),
                media(MediaKind::Video, "video/mp4", 10, "v.mp4"),
            ],
        );
        let p = prepare(&d).unwrap();
        assert_eq!(p.media.len(), 1);
        assert_eq!(p.media[0].original_name, "v.mp4");
        assert!(p.notes[0].contains("1 รูปไม่ได้ส่ง"));
    }
}
