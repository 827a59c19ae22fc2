//! The website channel end to end, on temporary directories: publish a small archive across two
//! departments and three months, then read the files back as a browser, a feed reader and an
//! assessor would.

mod composing;
mod corrections;
mod marked;
mod sample;
mod story;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::{Website, WebsiteSettings};
use crate::{Channel, Department, Draft, MediaKind, MediaRef, PublishContext, Receipt};

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(super) fn settings(root: &Path) -> WebsiteSettings {
    WebsiteSettings::new(
        root.join("site"),
        "http://127.0.0.1:8080/site/",
        "สถานีตำรวจภูธรเมืองระนอง",
        "Mueang Ranong Provincial Police Station",
    )
}

pub(super) fn traffic() -> Department {
    Department {
        code: "traffic".into(),
        name_th: "งานจราจร".into(),
        name_en: "Traffic".into(),
    }
}

pub(super) fn investigation() -> Department {
    Department {
        code: "investigation".into(),
        name_th: "งานสืบสวน".into(),
        name_en: "Investigation".into(),
    }
}

pub(super) fn draft(id: i64, department: Department, title: &str, text: &str, at: &str) -> Draft {
    Draft {
        announcement_id: id,
        department,
        title: title.into(),
        text: text.into(),
        media: vec![],
        link: None,
        published_at: utc(at),
        tags: vec![],
    }
}

/// A media file in a fake media store under `dir`.
pub(super) fn media(dir: &Path, name: &str, kind: MediaKind, bytes: &[u8]) -> MediaRef {
    let store = dir.join("media-store");
    std::fs::create_dir_all(&store).unwrap();
    let path: PathBuf = store.join(name);
    std::fs::write(&path, bytes).unwrap();
    let ext = name.rsplit('.').next().unwrap();
    MediaRef {
        sha256: format!("{:0>64}", format!("{:x}", bytes.len() * 7919 + name.len())),
        mime: match kind {
            MediaKind::Image => format!("image/{}", if ext == "jpg" { "jpeg" } else { ext }),
            MediaKind::Video => format!("video/{ext}"),
            MediaKind::Document => format!("application/{ext}"),
        },
        kind,
        size: bytes.len() as u64,
        path,
        original_name: name.into(),
    }
}

pub(super) fn ctx(key: &str) -> PublishContext {
    PublishContext::first(1, key)
}

pub(super) async fn publish(site: &Website, d: &Draft, key: &str) -> Receipt {
    let payload = site.prepare(d).expect("the draft fits the website");
    site.publish(&payload, &ctx(key)).await.expect("published")
}

pub(super) fn read(site: &Website, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub(super) fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The small archive of the story: ids 1–4.
///
/// 1. traffic, 17 Mar 2568 09:30, a hostile title, two paragraphs, a link, an image;
/// 2. investigation, 20 Mar 2568;
/// 3. traffic, 31 Mar 18:00 UTC = 1 Apr 2568 01:00 in Bangkok (next day and next month);
/// 4. investigation, 1 Oct 2568 = fiscal year 2569, with a video.
pub(super) fn archive(dir: &Path) -> Vec<Draft> {
    let mut one = draft(
        1,
        traffic(),
        "ตั้งจุดตรวจ <script>alert(1)</script> & ด่านชุมชน",
        "งานจราจร สภ.เมืองระนอง ตั้งจุดตรวจบริเวณสี่แยก\nถนนเรืองราษฎร์\n\nรายละเอียด https://ranong.police.go.th/a?x=1&y=<2> ครับ",
        "2025-03-17T02:30:00Z",
    );
    one.media = vec![media(
        dir,
        "checkpoint.jpg",
        MediaKind::Image,
        b"\xff\xd8\xff fake jpeg",
    )];
    one.tags = vec!["จราจร".into()];
    let two = draft(
        2,
        investigation(),
        "จับกุมผู้ต้องหาคดียาเสพติด",
        "ผลการปฏิบัติงานของงานสืบสวน",
        "2025-03-20T05:00:00Z",
    );
    let three = draft(
        3,
        traffic(),
        "รณรงค์สวมหมวกนิรภัย",
        "วันแรกของเดือนเมษายน",
        "2025-03-31T18:00:00Z",
    );
    let mut four = draft(
        4,
        investigation(),
        "ประชุมติดตามคดีประจำเดือนตุลาคม",
        "ต้นปีงบประมาณใหม่",
        "2025-10-01T03:00:00Z",
    );
    four.media = vec![media(
        dir,
        "meeting.mp4",
        MediaKind::Video,
        b"fake mp4 bytes",
    )];
    vec![one, two, three, four]
}

/// Another thread takes the site's index writer and holds it until the returned sender is
/// used (or dropped); this returns once it is held. Join the handle after letting go.
pub(super) fn hold_index_writer(
    inner: &std::sync::Arc<super::site::Site>,
) -> (std::thread::JoinHandle<()>, std::sync::mpsc::Sender<()>) {
    let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let holder = {
        let inner = inner.clone();
        std::thread::spawn(move || {
            let _writer = inner.hold_index_writer();
            held_tx.send(()).unwrap();
            release_rx.recv().ok();
        })
    };
    held_rx.recv().unwrap();
    (holder, release_tx)
}
