//! The website's limits and `prepare`: the website is the channel of record and shows the
//! full text, so it never shortens; what does not fit is refused with a message that names the
//! number and the limit.

use crate::{Draft, LengthUnit, Limits, MediaKind, Payload, Rejection};

/// The channel kind, stored with every delivery.
pub const KIND: &str = "website";

const MB: u64 = 1024 * 1024;

/// The largest document (PDF, XLSX, CSV) a page offers for download.
pub const DOCUMENT_MAX_BYTES: u64 = 100 * MB;

/// The website's limits. One place for these numbers.
pub fn limits() -> Limits {
    Limits {
        text_max: 30_000,
        unit: LengthUnit::Chars,
        title_max: Some(300),
        media_max: 20,
        image_max_bytes: 20 * MB,
        video_max_bytes: 500 * MB,
        requires_video: false,
        links_allowed: true,
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MB as f64)
}

/// Whether a department code can name a directory in a URL: `[a-z0-9_-]`, 1 to 64 long.
pub fn valid_department_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Whether a stored media name is a plain file name (`<sha256>.<ext>`), safe to join to a path.
pub fn valid_media_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.len() <= 200
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Check a draft against the limits; the payload is the draft unchanged.
pub fn prepare(limits: &Limits, draft: &Draft) -> Result<Payload, Rejection> {
    let title = draft.title.trim();
    if title.is_empty() {
        return Err(Rejection::new(
            "The website needs a title: add one.",
            "เว็บไซต์ต้องมีหัวข้อข่าว กรุณาใส่หัวข้อ",
        ));
    }
    if let Some(max) = limits.title_max {
        let n = limits.unit.count(title);
        if n > max {
            let (n, max) = (group_thousands(n as u64), group_thousands(max as u64));
            return Err(Rejection::new(
                format!(
                    "The title is too long for the website ({n}/{max} characters): shorten it."
                ),
                format!(
                    "หัวข้อยาวเกินสำหรับเว็บไซต์ ({n}/{max} {}) กรุณาย่อหัวข้อ",
                    limits.unit.name_th()
                ),
            ));
        }
    }
    let n = limits.unit.count(&draft.text);
    if n > limits.text_max {
        let (n, max) = (
            group_thousands(n as u64),
            group_thousands(limits.text_max as u64),
        );
        return Err(Rejection::new(
            format!(
                "The text is too long for the website ({n}/{max} characters): shorten it or split it in two."
            ),
            format!(
                "ข้อความยาวเกินสำหรับเว็บไซต์ ({n}/{max} {}) กรุณาย่อหรือแบ่งเป็นสองประกาศ",
                limits.unit.name_th()
            ),
        ));
    }
    if !valid_department_code(&draft.department.code) {
        let code = &draft.department.code;
        return Err(Rejection::new(
            format!(
                "Department code {code:?} cannot be used in a web address: use a-z, 0-9, - or _."
            ),
            format!("รหัสสายงาน {code:?} ใช้ในที่อยู่เว็บไม่ได้ ใช้ได้เฉพาะ a-z 0-9 - และ _"),
        ));
    }
    if draft.media.len() > limits.media_max {
        let (n, max) = (draft.media.len(), limits.media_max);
        return Err(Rejection::new(
            format!("Too many media files for the website ({n}/{max}): remove some."),
            format!("ไฟล์ภาพและวิดีโอมากเกินสำหรับเว็บไซต์ ({n}/{max} ไฟล์) กรุณาลดจำนวน"),
        ));
    }
    for m in &draft.media {
        let (max, what_en, what_th) = match m.kind {
            MediaKind::Image => (limits.image_max_bytes, "image", "ภาพ"),
            MediaKind::Video => (limits.video_max_bytes, "video", "วิดีโอ"),
            MediaKind::Document => (DOCUMENT_MAX_BYTES, "document", "เอกสาร"),
        };
        if m.size > max {
            let name = &m.original_name;
            let (n, max) = (megabytes(m.size), megabytes(max));
            return Err(Rejection::new(
                format!(
                    "The {what_en} {name} is too large for the website ({n}/{max} MB): make it smaller."
                ),
                format!("ไฟล์{what_th} {name} ใหญ่เกินสำหรับเว็บไซต์ ({n}/{max} MB) กรุณาลดขนาดไฟล์"),
            ));
        }
        if !valid_media_name(&m.stored_name()) {
            return Err(Rejection::new(
                format!(
                    "The media file {} has an unusable stored name: attach it again.",
                    m.original_name
                ),
                format!("ไฟล์สื่อ {} มีชื่อที่ใช้ไม่ได้ กรุณาแนบไฟล์ใหม่", m.original_name),
            ));
        }
    }
    Ok(Payload::from_draft(KIND, draft))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Department, MediaRef};

    fn draft(title: &str, text: &str) -> Draft {
        Draft {
            announcement_id: 1,
            department: Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            title: title.into(),
            text: text.into(),
            media: vec![],
            link: None,
            published_at: chrono::DateTime::UNIX_EPOCH,
            tags: vec![],
        }
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(31_204), "31,204");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_fitting_draft_passes_unchanged() {
        let p = prepare(&limits(), &draft("หัวข้อ", "ข้อความ")).unwrap();
        assert_eq!(p.channel, "website");
        assert_eq!(p.text, "ข้อความ");
        assert!(p.notes.is_empty());
    }

    #[test]
    fn too_long_text_is_refused_naming_the_count_and_the_limit() {
        let r = prepare(&limits(), &draft("หัวข้อ", &"ก".repeat(31_204))).unwrap_err();
        assert!(
            r.th.starts_with("ข้อความยาวเกินสำหรับเว็บไซต์ (31,204/30,000 ตัวอักษร)"),
            "{}",
            r.th
        );
        assert!(r.en.contains("31,204/30,000"), "{}", r.en);
    }

    #[test]
    fn title_is_required_and_bounded() {
        assert!(
            prepare(&limits(), &draft("  ", "x"))
                .unwrap_err()
                .th
                .contains("หัวข้อ")
        );
        let r = prepare(&limits(), &draft(&"ข".repeat(301), "x")).unwrap_err();
        assert!(r.th.contains("(301/300 ตัวอักษร)"), "{}", r.th);
    }

    #[test]
    fn media_count_size_and_names_are_checked() {
        let image = |size: u64, sha: &str| MediaRef {
            sha256: sha.into(),
            mime: "image/jpeg".into(),
            kind: MediaKind::Image,
            size,
            path: "/m/x.jpg".into(),
            original_name: "x.jpg".into(),
        };
        let mut d = draft("t", "x");
        d.media = vec![image(21 * MB, "ab")];
        assert!(
            prepare(&limits(), &d)
                .unwrap_err()
                .th
                .contains("(21.0/20.0 MB)")
        );
        d.media = vec![image(10, "ab"); 21];
        assert!(
            prepare(&limits(), &d)
                .unwrap_err()
                .th
                .contains("(21/20 ไฟล์)")
        );
        d.media = vec![image(10, "../../etc")];
        assert!(prepare(&limits(), &d).is_err());
        d.media = vec![image(10, "ab12")];
        assert!(prepare(&limits(), &d).is_ok());
    }

    #[test]
    fn department_codes_must_be_url_safe() {
        let mut d = draft("t", "x");
        d.department.code = "../x".into();
        assert!(prepare(&limits(), &d).is_err());
    }
}
