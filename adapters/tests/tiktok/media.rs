//! Photo posts, media TikTok cannot take, and reach.

use std::time::Duration;

use prakat_adapters::{Channel, Payload, PublishError, Receipt};

use crate::fake::{MIB, Step};
use crate::world::*;

#[tokio::test]
async fn a_photo_init_that_timed_out_waits_for_a_person() {
    let w = World::new().await;
    w.fake.with(|s| s.init_delay = Duration::from_secs(3));
    let ch = w.channel_with(w.settings(), Duration::from_millis(800));
    let payload = prepared(&ch, vec![photo(1)]);
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "ambiguous"
    );
    w.fake.with(|s| s.init_delay = Duration::ZERO);
    // The automatic retry cannot know whether TikTok pulled the photos: it parks.
    let err = ch.publish(&payload, &w.ctx(2)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Rejected(m) if m.contains("look in the TikTok app")),
        "{err}"
    );
    assert_eq!(w.fake.with(|s| s.inits), 1);
    assert_eq!(w.states().last().unwrap()["phase"], "unconfirmed");
    // A person looked and retried: posted once more.
    ch.publish(&payload, &w.ctx(3)).await.unwrap();
    assert_eq!(w.fake.with(|s| s.inits), 2);
}

#[tokio::test]
async fn photos_are_pulled_from_the_public_media_urls() {
    let w = World::new().await;
    let ch = w.channel();
    let mut d = draft(TEXT, vec![photo(1), photo(2)]);
    d.title = "ประกาศ สภ.เมืองพลเมือง เรื่อง ปิดการจราจรถนนมิตรภาพชั่วคราวเพื่อจัดกิจกรรมเดินวิ่งการกุศล ประจำปี 2569 ช่วงเช้าวันเสาร์".into();
    let payload = ch.prepare(&d).unwrap();
    assert!(
        payload.notes[0].starts_with("หัวข้อ ย่อจาก"),
        "{:?}",
        payload.notes
    );
    let receipt = ch.publish(&payload, &w.ctx(1)).await.unwrap();
    assert_eq!(
        receipt.url.as_deref(),
        Some("https://www.tiktok.com/@phonlamuang_police/photo/7301234567890123456")
    );
    let init = w
        .fake
        .requests()
        .into_iter()
        .find(|r| r.path == PHOTO_INIT)
        .unwrap()
        .json();
    assert_eq!(init["media_type"], "PHOTO");
    assert_eq!(init["post_mode"], "DIRECT_POST");
    assert_eq!(init["source_info"]["source"], "PULL_FROM_URL");
    assert_eq!(init["source_info"]["photo_cover_index"], 0);
    assert_eq!(
        init["source_info"]["photo_images"],
        serde_json::json!([
            format!("https://station.example/media/c1/c1{:062}.jpg", 0),
            format!("https://station.example/media/c2/c2{:062}.jpg", 0),
        ])
    );
    assert_eq!(init["post_info"]["description"], TEXT);
    assert_eq!(init["post_info"]["title"], payload.title);
    assert!(payload.title.encode_utf16().count() <= 90);
    assert_eq!(init["post_info"]["privacy_level"], "PUBLIC_TO_EVERYONE");
    assert_eq!(count(&w.fake, "PUT /upload/"), 0);
}

#[tokio::test]
async fn what_tiktok_cannot_take_is_refused_without_a_request() {
    let w = World::new().await;
    let ch = w.channel();
    let text_only = ch.prepare(&draft(TEXT, vec![])).unwrap_err();
    assert!(
        text_only.en.contains("TikTok needs a video or photos"),
        "{}",
        text_only.en
    );
    assert!(text_only.th.contains("TikTok ต้องมีวิดีโอหรือรูปภาพ"));

    let mut huge = w.video(MIB as usize, 20);
    huge.size = 5 * 1024 * 1024 * 1024;
    let err = ch.prepare(&draft(TEXT, vec![huge.clone()])).unwrap_err();
    assert_eq!(
        err.th,
        format!(
            "วิดีโอใหญ่เกินไปสำหรับ TikTok (5120.0/4096.0 MB): {}",
            huge.original_name
        )
    );
    let mut png = photo(1);
    png.mime = "image/png".into();
    assert!(ch.prepare(&draft(TEXT, vec![png.clone()])).is_err());

    // A stored payload that bypassed prepare is still checked before anything is sent.
    let mut payload = Payload::from_draft("tiktok", &draft(TEXT, vec![huge]));
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "rejected"
    );
    payload.media = vec![png];
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "rejected"
    );
    payload.media = vec![];
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "rejected"
    );
    assert!(w.fake.requests().is_empty(), "{:?}", w.fake.paths());
}

#[tokio::test]
async fn reach_maps_the_video_query_and_resolves_publish_ids() {
    let w = World::new().await;
    w.fake.with(|s| {
        s.videos
            .insert("7301234567890123456".into(), [1520, 88, 12, 7]);
    });
    let ch = w.channel();
    let reach = ch.reach_source().unwrap();
    let sample = reach
        .reach(&Receipt {
            remote_id: Some("7301234567890123456".into()),
            ..Receipt::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (
            sample.views,
            sample.reactions,
            sample.comments,
            sample.shares,
            sample.unique_viewers
        ),
        (Some(1520), Some(88), Some(12), Some(7), None)
    );
    assert!(sample.taken_at.is_some());
    let q = w
        .fake
        .requests()
        .into_iter()
        .find(|r| r.path == "/v2/video/query/")
        .unwrap();
    assert_eq!(
        q.query,
        "fields=id,view_count,like_count,comment_count,share_count"
    );
    assert_eq!(
        q.json(),
        serde_json::json!({"filters": {"video_ids": ["7301234567890123456"]}})
    );

    // A receipt made before moderation finished holds the publish id: looked up first.
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    w.fake.with(|s| s.script = vec![Step::Complete(None)]);
    let early = ch.publish(&payload, &w.ctx(1)).await.unwrap();
    assert!(
        early
            .remote_id
            .as_deref()
            .unwrap()
            .starts_with("v_pub_file")
    );
    let err = reach.reach(&early).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Transient(m) if m.contains("not given the public post id")),
        "{err}"
    );
    w.fake
        .with(|s| s.script = vec![Step::Complete(Some(7_301_234_567_890_123_456))]);
    assert_eq!(reach.reach(&early).await.unwrap().views, Some(1520));
}

#[tokio::test]
async fn a_refused_photo_init_is_retried_without_asking_a_person() {
    let w = World::new().await;
    let ch = w.channel();
    let payload = prepared(&ch, vec![photo(1)]);
    w.fake.fail_next(PHOTO_INIT, 429, "rate_limit_exceeded");
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "retry_after"
    );
    assert_eq!(w.states().last().unwrap()["phase"], "not_created");
    ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert_eq!(w.fake.with(|s| s.inits), 1);
}
