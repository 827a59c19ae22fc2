use std::sync::Arc;

use chrono::{DateTime, Utc};
use prakat_adapters::Department;

use prakat_adapters::Channel;

use super::*;
use crate::store::AnnouncementRecord;

fn announcement(body: &str) -> AnnouncementRecord {
    AnnouncementRecord {
        id: 42,
        department: Department {
            code: "traffic".into(),
            name_th: "งานจราจร".into(),
            name_en: "Traffic".into(),
        },
        title: "ตั้งจุดตรวจวัดแอลกอฮอล์ <ช่วงเทศกาล>".into(),
        body: body.into(),
        link: None,
        tags: vec![],
        media: vec![],
        author: "cli:pr1".into(),
        source: "cli".into(),
        state: "approved".into(),
        channels: vec![],
        decision: None,
        revision: Default::default(),
        // 17 March 2025 09:30 Bangkok.
        publish_at: DateTime::parse_from_rfc3339("2025-03-17T09:30:00+07:00")
            .unwrap()
            .with_timezone(&Utc),
        rule_id: None,
        created_at: Utc::now(),
    }
}

fn composer(dir: Option<std::path::PathBuf>) -> Composer {
    Composer::new(
        dir,
        StationInfo {
            name_th: "สภ.เมืองระนอง".into(),
            name_en: "Mueang Ranong".into(),
        },
        Some("https://station.example/site".into()),
    )
}

fn registry(outbox: &std::path::Path) -> Registry {
    let mut r = Registry::new();
    r.insert(
        "outbox",
        Arc::new(prakat_adapters::outbox::Outbox::new(outbox.to_owned())),
        1,
    );
    r
}

#[test]
fn the_default_template_renders_thai_dates_and_links_to_the_website() {
    let c = composer(None);
    let d = c
        .draft(
            "outbox",
            &announcement("เจ้าหน้าที่ตำรวจจราจรตั้งจุดตรวจบริเวณสี่แยกหอนาฬิกา & ตลาด"),
        )
        .unwrap();
    insta::assert_snapshot!(d.text, @r"
    ตั้งจุดตรวจวัดแอลกอฮอล์ <ช่วงเทศกาล>

    เจ้าหน้าที่ตำรวจจราจรตั้งจุดตรวจบริเวณสี่แยกหอนาฬิกา & ตลาด

    งานจราจร · สภ.เมืองระนอง
    วันที่ 17 มีนาคม 2568 เวลา 09.30 น.
    รายละเอียด: https://station.example/site/news/42.html
    ");
    assert_eq!(
        d.link.as_deref(),
        Some("https://station.example/site/news/42.html")
    );
    assert_eq!(
        c.page_url(7).as_deref(),
        Some("https://station.example/site/news/7.html")
    );
}

#[test]
fn the_website_template_keeps_the_body_as_written() {
    let c = composer(None);
    let d = c
        .draft("website", &announcement("ย่อหน้าแรก\n\nย่อหน้าที่สอง"))
        .unwrap();
    assert_eq!(d.text, "ย่อหน้าแรก\n\nย่อหน้าที่สอง");
}

#[test]
fn a_title_taken_from_the_first_line_is_not_repeated_in_the_body() {
    let c = composer(None);
    let mut a =
        announcement("ตั้งจุดตรวจวัดแอลกอฮอล์ <ช่วงเทศกาล>\nเจ้าหน้าที่ตำรวจจราจรตั้งจุดตรวจบริเวณสี่แยกหอนาฬิกา");
    let outbox = c.draft("outbox", &a).unwrap().text;
    assert_eq!(outbox.matches("ตั้งจุดตรวจวัดแอลกอฮอล์").count(), 1, "{outbox}");
    assert!(outbox.contains("\n\nเจ้าหน้าที่ตำรวจจราจร"), "{outbox}");
    assert_eq!(
        c.draft("website", &a).unwrap().text,
        "เจ้าหน้าที่ตำรวจจราจรตั้งจุดตรวจบริเวณสี่แยกหอนาฬิกา"
    );
    // A title of its own: the body is kept whole.
    a.title = "จุดตรวจ".into();
    assert!(
        c.draft("website", &a)
            .unwrap()
            .text
            .starts_with("ตั้งจุดตรวจวัดแอลกอฮอล์")
    );
}

#[test]
fn the_senders_link_is_shown_as_a_related_link() {
    let c = composer(None);
    let mut a = announcement("รายละเอียดตามเอกสารแนบ");
    a.link = Some("https://www.royalthaipolice.go.th/notice/1".into());
    let outbox = c.draft("outbox", &a).unwrap().text;
    assert!(
        outbox.contains("รายละเอียด: https://station.example/site/news/42.html")
            && outbox.contains("ลิงก์ที่เกี่ยวข้อง: https://www.royalthaipolice.go.th/notice/1"),
        "{outbox}"
    );
    let website = c.draft("website", &a).unwrap().text;
    assert_eq!(
        website,
        "รายละเอียดตามเอกสารแนบ\n\nลิงก์ที่เกี่ยวข้อง: https://www.royalthaipolice.go.th/notice/1"
    );
    // Without a website, the link is where to read more: said once.
    let c = Composer::new(
        None,
        StationInfo {
            name_th: "สภ.เมืองระนอง".into(),
            name_en: "Mueang Ranong".into(),
        },
        None,
    );
    let outbox = c.draft("outbox", &a).unwrap().text;
    assert_eq!(outbox.matches("royalthaipolice").count(), 1, "{outbox}");
}

#[test]
fn a_templates_directory_overrides_one_file_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("channels")).unwrap();
    std::fs::write(
        dir.path().join("channels/outbox.txt"),
        "[{{ department.code }}] {{ title }} — {{ publish_at | thai_short_date }}",
    )
    .unwrap();
    let c = composer(Some(dir.path().to_owned()));
    let d = c.draft("outbox", &announcement("x")).unwrap();
    assert_eq!(
        d.text,
        "[traffic] ตั้งจุดตรวจวัดแอลกอฮอล์ <ช่วงเทศกาล> — ๑๗ มี.ค. ๖๘"
    );
    assert_eq!(c.draft("website", &announcement("x")).unwrap().text, "x");
}

#[test]
fn a_broken_template_is_a_clear_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("channels")).unwrap();
    std::fs::write(
        dir.path().join("channels/outbox.txt"),
        "{{ title | no_such_filter }}",
    )
    .unwrap();
    let err = composer(Some(dir.path().to_owned()))
        .draft("outbox", &announcement("x"))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("outbox.txt") && msg.contains("no_such_filter"),
        "{msg}"
    );
    assert!(err.th().contains("แม่แบบ"), "{}", err.th());
}

#[test]
fn deliveries_are_composed_per_channel_with_distinct_keys() {
    let dir = tempfile::tempdir().unwrap();
    let c = composer(None);
    let a = announcement("ข้อความ");
    let due = a.publish_at;
    let ds = c
        .deliveries(&registry(dir.path()), &["outbox".into()], &a, due)
        .unwrap()
        .deliveries;
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].payload.channel, "outbox");
    assert_eq!(ds[0].due_at, due);
    let again = c
        .deliveries(&registry(dir.path()), &["outbox".into()], &a, due)
        .unwrap()
        .deliveries;
    assert_ne!(ds[0].idempotency_key, again[0].idempotency_key);
}

#[test]
fn an_unknown_channel_or_a_refusal_fails_the_whole_composition() {
    let dir = tempfile::tempdir().unwrap();
    let c = composer(None);
    let err = c
        .deliveries(
            &registry(dir.path()),
            &["outbox".into(), "line".into()],
            &announcement("x"),
            Utc::now(),
        )
        .unwrap_err();
    assert!(
        matches!(&err, ComposeError::UnknownChannel(name, known) if name == "line" && known == "outbox"),
        "{err:?}"
    );
    let long = "ก".repeat(100_001);
    let err = c
        .deliveries(
            &registry(dir.path()),
            &["outbox".into()],
            &announcement(&long),
            Utc::now(),
        )
        .unwrap_err();
    assert!(matches!(err, ComposeError::Rejected { .. }), "{err:?}");
    assert!(err.th().contains("ยาวเกิน"), "{}", err.th());
}

/// A channel for the skip tests: takes only announcements with media, like YouTube.
struct VideoOnly(prakat_adapters::Limits);

#[async_trait::async_trait]
impl prakat_adapters::Channel for VideoOnly {
    fn kind(&self) -> &'static str {
        "videoonly"
    }
    fn limits(&self) -> &prakat_adapters::Limits {
        &self.0
    }
    fn prepare(&self, d: &prakat_adapters::Draft) -> Result<prakat_adapters::Payload, Rejection> {
        if d.media.is_empty() {
            return Err(Rejection::skip(
                "video only: no video",
                "เฉพาะวิดีโอ: ไม่มีวิดีโอ",
            ));
        }
        Ok(prakat_adapters::Payload::from_draft("videoonly", d))
    }
    async fn publish(
        &self,
        _: &prakat_adapters::Payload,
        _: &prakat_adapters::PublishContext,
    ) -> Result<prakat_adapters::Receipt, prakat_adapters::PublishError> {
        Err(prakat_adapters::PublishError::Transient(
            "not for publishing".into(),
        ))
    }
    async fn healthcheck(&self) -> Result<prakat_adapters::Health, prakat_adapters::PublishError> {
        Err(prakat_adapters::PublishError::Transient(
            "not for checking".into(),
        ))
    }
    fn idempotency(&self) -> prakat_adapters::Idempotency {
        prakat_adapters::Idempotency::None
    }
}

#[test]
fn a_channel_that_does_not_carry_the_announcement_is_skipped_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry(dir.path());
    let limits = prakat_adapters::outbox::Outbox::new(dir.path().into())
        .limits()
        .clone();
    r.insert("youtube", Arc::new(VideoOnly(limits)), 1);
    let c = composer(None);
    let a = announcement("ข้อความอย่างเดียว");
    let composed = c
        .deliveries(&r, &["outbox".into(), "youtube".into()], &a, a.publish_at)
        .unwrap();
    assert_eq!(composed.deliveries.len(), 1);
    assert_eq!(composed.skipped.len(), 1);
    assert_eq!(composed.skipped[0].channel, "youtube");
    assert_eq!(composed.skipped[0].reason.th, "เฉพาะวิดีโอ: ไม่มีวิดีโอ");
    // Only channels that skip: nothing to send is an error, in Thai too.
    let err = c
        .deliveries(&r, &["youtube".into()], &a, a.publish_at)
        .unwrap_err();
    assert!(matches!(err, ComposeError::NothingToSend(_)), "{err:?}");
    assert!(err.th().contains("ไม่มีวิดีโอ"), "{}", err.th());
}
