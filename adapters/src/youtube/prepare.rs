//! Turning a draft into a YouTube upload, without I/O: the one video, the title and the
//! description fitted to YouTube's limits with `<` and `>` replaced, and the tags that fit.
//! Everything changed is said in `payload.notes`.

use super::limits::{
    ANGLE_REPLACEMENTS, DESCRIPTION_MAX, FINGERPRINT_TAG_ROOM, KIND, TAGS_MAX, TITLE_MAX,
};
use crate::i18n::{refusal, skip_reason};
use crate::thai::{FitOptions, fit_text};
use crate::{Draft, LengthUnit, MediaKind, Payload, Rejection};

const UNIT: LengthUnit = LengthUnit::Chars;

/// Prepare `draft` for upload; `max_video_bytes` is the configured largest video.
pub fn prepare(draft: &Draft, max_video_bytes: u64) -> Result<Payload, Rejection> {
    let mut videos = draft.media.iter().filter(|m| m.kind == MediaKind::Video);
    let Some(video) = videos.next() else {
        return Err(skip_reason!("youtube-video-only"));
    };
    if video.size == 0 {
        return Err(refusal!(
            "youtube-video-empty",
            name = video.original_name.as_str()
        ));
    }
    if video.size > max_video_bytes {
        return Err(refusal!(
            "youtube-video-too-large",
            name = video.original_name.as_str(),
            size = megabytes(video.size),
            max = megabytes(max_video_bytes)
        ));
    }

    let mut payload = Payload::from_draft(KIND, draft);
    payload.media = vec![video.clone()];
    let dropped = draft.media.len() - 1;
    if dropped > 0 {
        payload.notes.push(format!(
            "ส่งวิดีโอ {} ไปยัง YouTube ไฟล์เดียว ไม่ได้ส่งไฟล์อื่นอีก {dropped} ไฟล์",
            video.original_name
        ));
    }

    let title_source = if draft.title.trim().is_empty() {
        first_line(&draft.text)
    } else {
        draft.title.trim()
    };
    if title_source.is_empty() {
        return Err(refusal!("youtube-no-title"));
    }
    payload.title = fitted("ชื่อวิดีโอ", title_source, TITLE_MAX, None, &mut payload.notes);
    payload.text = fitted(
        "คำอธิบาย",
        &draft.text,
        DESCRIPTION_MAX,
        draft.link.as_deref(),
        &mut payload.notes,
    );
    payload.tags = fit_tags(&draft.tags, &mut payload.notes);
    Ok(payload)
}

/// `text` without angle brackets, fitted to `max` characters (with `link` when shortened).
fn fitted(
    what_th: &str,
    text: &str,
    max: usize,
    link: Option<&str>,
    notes: &mut Vec<String>,
) -> String {
    let (clean, replaced) = without_angles(text);
    if replaced > 0 {
        notes.push(format!(
            "แทนเครื่องหมาย < > ใน{what_th} {replaced} ตัวด้วย ‹ › เพราะ YouTube ไม่รับ"
        ));
    }
    let fit = fit_text(
        &clean,
        &FitOptions {
            max,
            unit: UNIT,
            link,
        },
    );
    if fit.shortened {
        notes.push(format!(
            "ย่อ{what_th}จาก {} เหลือ {} {} (YouTube รับได้ {max})",
            fit.original_len,
            fit.len,
            UNIT.name_th()
        ));
    }
    // The link or the ellipsis cannot bring brackets back, but the rule is absolute.
    without_angles(&fit.text).0
}

/// `s` with `<` and `>` replaced, and how many were.
pub fn without_angles(s: &str) -> (String, usize) {
    let mut n = 0;
    let out = s
        .chars()
        .map(
            |c| match ANGLE_REPLACEMENTS.iter().find(|(from, _)| *from == c) {
                Some((_, to)) => {
                    n += 1;
                    *to
                }
                None => c,
            },
        )
        .collect();
    (out, n)
}

/// The tags that fit in YouTube's 500 characters, keeping room for the fingerprint tag.
fn fit_tags(tags: &[String], notes: &mut Vec<String>) -> Vec<String> {
    let budget = TAGS_MAX - FINGERPRINT_TAG_ROOM;
    let mut kept: Vec<String> = Vec::new();
    let mut dropped = 0;
    for tag in tags {
        let (tag, _) = without_angles(tag.trim());
        let tag = tag.replace(',', " ");
        if tag.is_empty() || kept.contains(&tag) {
            continue;
        }
        let mut candidate = kept.clone();
        candidate.push(tag);
        if tags_len(&candidate) <= budget {
            kept = candidate;
        } else {
            dropped += 1;
        }
    }
    if dropped > 0 {
        notes.push(format!(
            "ตัดแท็ก {dropped} แท็กออก เพราะแท็กทั้งหมดของ YouTube รวมกันได้ไม่เกิน {TAGS_MAX} ตัวอักษร"
        ));
    }
    kept
}

/// How YouTube counts tags: the characters of each, two quotes around a tag with a space, and a
/// comma between tags.
pub fn tags_len<S: AsRef<str>>(tags: &[S]) -> usize {
    let each: usize = tags
        .iter()
        .map(|t| {
            let t = t.as_ref();
            UNIT.count(t) + if t.contains(' ') { 2 } else { 0 }
        })
        .sum();
    each + tags.len().saturating_sub(1)
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// Bytes as megabytes with one decimal, for messages.
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}
