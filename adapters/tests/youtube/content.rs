//! What prepare does to an announcement before anything is sent.

use prakat_adapters::{Channel, Payload, PublishError};

use crate::harness::Harness;

#[tokio::test]
async fn a_text_only_announcement_is_rejected_in_prepare() {
    let h = Harness::new().await;
    let yt = h.channel();
    assert!(yt.limits().requires_video);
    let mut draft = h.draft();
    draft.media.clear();
    let r = yt.prepare(&draft).unwrap_err();
    assert_eq!(
        r.en,
        "YouTube publishes video only: this announcement has no video"
    );
    assert!(r.th.contains("เฉพาะวิดีโอ"), "{}", r.th);
    assert!(
        r.skip,
        "skipped for YouTube, not a failure of the announcement"
    );
    assert!(h.fake.requests().is_empty());
}

#[tokio::test]
async fn titles_and_descriptions_lose_angle_brackets_and_are_fitted() {
    let h = Harness::new().await;
    let yt = h.channel();
    let mut draft = h.draft();
    draft.title = format!("<ด่วน> {}", "ประกาศปิดถนนชั่วคราว ".repeat(10));
    draft.text = format!("a<b>c {}", "ขออภัยในความไม่สะดวก ".repeat(400));
    let p = yt.prepare(&draft).unwrap();
    assert!(
        p.title.chars().count() <= 100,
        "{}",
        p.title.chars().count()
    );
    assert!(p.title.starts_with("‹ด่วน›"), "{}", p.title);
    assert!(!p.title.contains(['<', '>']) && !p.text.contains(['<', '>']));
    assert!(p.text.chars().count() <= 5_000);
    assert!(p.text.starts_with("a‹b›c "));
    assert!(
        p.text
            .ends_with("อ่านต่อ: https://station.example/news/42.html")
    );
    let notes = p.notes.join("\n");
    assert!(notes.contains("ย่อชื่อวิดีโอจาก"), "{notes}");
    assert!(notes.contains("ย่อคำอธิบายจาก"), "{notes}");
    assert!(notes.contains("แทนเครื่องหมาย < >"), "{notes}");
    assert!(h.fake.requests().is_empty());
}

#[tokio::test]
async fn an_oversized_video_is_rejected_before_any_request() {
    let h = Harness::new().await;
    let mut s = h.settings();
    s.max_video_bytes = 500_000;
    let yt = h.channel_with(s);
    let r = yt.prepare(&h.draft()).unwrap_err();
    let video = &h.draft().media[0].original_name;
    assert_eq!(
        r.th,
        format!(
            "วิดีโอใหญ่เกินไปสำหรับ YouTube (1.0/0.5 MB): {video} (ขนาดสูงสุดตั้งไว้ที่ youtube.max_video_bytes)"
        )
    );
    assert!(r.en.contains("youtube.max_video_bytes"), "{}", r.en);
    // A payload prepared under a larger limit is refused at publish time, still with no request.
    let payload = Payload::from_draft("youtube", &h.draft());
    let err = yt.publish(&payload, &h.ctx(1, None)).await.unwrap_err();
    assert!(matches!(err, PublishError::Rejected(_)), "{err:?}");
    assert!(h.fake.requests().is_empty(), "the fake saw no request");
}

#[tokio::test]
async fn one_video_goes_and_tags_fit_in_their_500_characters() {
    let h = Harness::new().await;
    let yt = h.channel();
    let mut draft = h.draft();
    let mut second = h.video.clone();
    second.original_name = "สำรอง.mp4".into();
    let mut image = h.video.clone();
    image.kind = prakat_adapters::MediaKind::Image;
    image.mime = "image/jpeg".into();
    draft.media = vec![image, h.video.clone(), second];
    draft.title = "  ".into();
    draft.text = "\nเปิดจุดตรวจ <ช่วงเทศกาล>\nรายละเอียด".into();
    draft.tags = (0..40).map(|i| format!("แท็กที่ {i:02}")).collect();
    draft.tags.push("a,b".into());
    let p = yt.prepare(&draft).unwrap();
    assert_eq!(p.media, vec![h.video.clone()]);
    assert_eq!(
        p.title, "เปิดจุดตรวจ ‹ช่วงเทศกาล›",
        "a blank title takes the first line"
    );
    // Each tag "แท็กที่ NN" has a space: 10 characters + 2 quotes, + a comma between tags.
    let len: usize = p.tags.iter().map(|t| t.chars().count() + 2).sum::<usize>() + p.tags.len() - 1;
    assert!(len <= 500 - 64, "{len}");
    // 33 Thai tags fit (13 × 33 − 1 = 428), then "a b" (5 + 1) still does: 434 ≤ 436.
    assert_eq!(p.tags.len(), 34);
    assert_eq!(
        p.tags.last().map(String::as_str),
        Some("a b"),
        "a comma would split a tag"
    );
    let notes = p.notes.join("\n");
    assert!(notes.contains("ไม่ได้ส่งไฟล์อื่นอีก 2 ไฟล์"), "{notes}");
    assert!(notes.contains("ตัดแท็ก"), "{notes}");
}
