//! The LINE channel against a local fake of the Messaging API (tests/line/fake.rs) that
//! validates every send body against LINE's official OpenAPI schemas (tests/line/schema.rs).

#[path = "line/fake.rs"]
mod fake;
#[path = "line/schema.rs"]
mod schema;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use prakat_adapters::http::{HttpTimeouts, client};
use prakat_adapters::line::{Line, LineSettings, Mode, Style};
use prakat_adapters::{
    Channel, ChannelEnv, Checkpoint, Department, Draft, MediaKind, MediaRef, PublishContext,
    PublishError, Receipt, Secret,
};
use serde_json::{Value, json};

use fake::{Fake, Reply, TOKEN};
use schema::Schemas;

const KEY: &str = "0b3c2a6e-9d41-4f0a-8f3e-2c1d5e6f7a8b";
const PUBLIC: &str = "https://prakat.ranong.police.go.th";
const LINK: &str = "https://prakat.ranong.police.go.th/site/news/42.html";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap()
}

/// 1 December 2026, 00:00 in Bangkok.
fn next_month() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap()
}

fn env(timeout: Duration) -> ChannelEnv {
    ChannelEnv {
        http: client(HttpTimeouts {
            connect: Duration::from_secs(2),
            request: timeout,
        }),
        data_dir: PathBuf::from("/nonexistent"),
        public_base_url: PUBLIC.into(),
    }
}

fn settings(fake: &Fake) -> LineSettings {
    let mut s = LineSettings::new(Secret::new(TOKEN));
    s.base_url = fake.url.clone();
    s
}

fn line_with(s: LineSettings, env: &ChannelEnv) -> Line {
    Line::new(s, env).unwrap().with_clock(Arc::new(now))
}

fn line(fake: &Fake) -> Line {
    line_with(settings(fake), &env(Duration::from_secs(5)))
}

fn draft(text: &str) -> Draft {
    Draft {
        announcement_id: 42,
        department: Department {
            code: "traffic".into(),
            name_th: "งานจราจร".into(),
            name_en: "Traffic".into(),
        },
        title: "ประชาสัมพันธ์ปิดถนนชั่วคราว".into(),
        text: text.into(),
        media: vec![],
        link: Some(LINK.into()),
        published_at: now(),
        tags: vec![],
    }
}

fn media(kind: MediaKind, mime: &str, size: u64, n: u8) -> MediaRef {
    let ext = mime.rsplit('/').next().unwrap();
    let sha = format!("{n:02x}{}", "ab".repeat(31));
    MediaRef {
        sha256: sha.clone(),
        mime: mime.into(),
        kind,
        size,
        path: PathBuf::from(format!("/media/{sha}.{ext}")),
        original_name: format!("file{n}.{ext}"),
    }
}

const THAI: &str = "สถานีตำรวจภูธรเมืองระนองขอประชาสัมพันธ์ ปิดการจราจรถนนเรืองราษฎร์ชั่วคราว วันเสาร์ที่ ๒๘ พฤศจิกายน ๒๕๖๙ เวลา ๐๖.๐๐–๑๒.๐๐ น. 🚧";

/// Records what the channel saves, as the daemon's delivery row would.
#[derive(Default)]
struct Saved(Mutex<Option<String>>);

#[async_trait::async_trait]
impl Checkpoint for Saved {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        *self.0.lock().unwrap() = Some(state.to_owned());
        Ok(())
    }
}

fn ctx(key: &str, attempt: u32, saved: &Arc<Saved>) -> PublishContext {
    let mut c = PublishContext::first(7, key);
    c.attempt = attempt;
    c.saved_state = saved.0.lock().unwrap().clone();
    c.checkpoint = Some(saved.clone());
    c
}

async fn publish(line: &Line, text: &str) -> Result<Receipt, PublishError> {
    let payload = line.prepare(&draft(text)).unwrap();
    line.publish(&payload, &PublishContext::first(7, KEY)).await
}

#[test]
fn the_schema_check_can_fail() {
    let s = Schemas::load();
    let ok = json!({ "messages": [{ "type": "text", "text": "สวัสดี" }] });
    assert!(
        s.errors("BroadcastRequest", &ok).is_empty(),
        "{:?}",
        s.errors("BroadcastRequest", &ok)
    );
    let bad: [Value; 6] = [
        json!({ "messages": [] }),
        json!({ "messages": [{ "type": "txt", "text": "x" }] }),
        json!({ "messages": [{ "type": "text" }] }),
        json!({ "messages": [{ "type": "image", "originalContentUrl": "https://x.th/a.jpg" }] }),
        json!({ "messages": [{ "type": "flex", "altText": "a", "contents": { "type": "bubble", "hero": { "type": "image" } } }] }),
        json!({ "messages": [{ "type": "flex", "altText": "a", "contents": { "type": "bubble", "footer": { "type": "box", "layout": "vertical", "contents": [{ "type": "button", "style": "primary" }] } } }] }),
    ];
    for b in &bad {
        assert!(!s.errors("BroadcastRequest", b).is_empty(), "accepted {b}");
    }
    assert!(
        !s.errors("PushMessageRequest", &ok).is_empty(),
        "push without `to` accepted"
    );
}

#[tokio::test]
async fn a_broadcast_sends_thai_intact_with_a_retry_key_and_keeps_the_request_id() {
    let fake = Fake::start().await;
    let r = publish(&line(&fake), THAI).await.unwrap();
    let sends = fake.sends();
    assert_eq!(sends.len(), 1);
    let s = &sends[0];
    assert_eq!(s.path, "/v2/bot/message/broadcast");
    assert_eq!(s.header("authorization"), Some(&*format!("Bearer {TOKEN}")));
    assert_eq!(s.header("x-line-retry-key"), Some(KEY));
    assert_eq!(
        s.body["messages"][0],
        json!({ "type": "text", "text": THAI })
    );
    assert_eq!(s.body["notificationDisabled"], json!(false));
    assert!(
        fake.schema_errors().is_empty(),
        "{:?}",
        fake.schema_errors()
    );
    let accepted = fake.with(|st| st.accepted.get(KEY).cloned()).unwrap();
    assert_eq!(r.request_id.as_deref(), Some(&*accepted));
    assert!(!r.deduplicated);
    // The quota was checked first, with yesterday's (Japan time) follower count.
    let reqs = fake.requests();
    let followers = reqs
        .iter()
        .find(|r| r.path == "/v2/bot/insight/followers")
        .unwrap();
    assert_eq!(followers.query.as_deref(), Some("date=20261123"));
    assert_eq!(fake.gets_to("/v2/bot/message/quota"), 1);
    assert_eq!(reqs.last().unwrap().method, "POST");
}

#[tokio::test]
async fn a_repeat_after_a_500_sends_the_same_key_and_409_is_success() {
    let fake = Fake::start().await;
    // LINE sent the broadcast, then failed to answer.
    fake.with(|s| {
        s.sends.push_back(Reply {
            accept: true,
            ..Reply::error(500, json!({ "message": "Internal server error" }))
        })
    });
    let line = line(&fake);
    let payload = line.prepare(&draft(THAI)).unwrap();
    let saved = Arc::new(Saved::default());
    let key = "delivery-7"; // not a UUID: a deterministic one is derived
    let err = line
        .publish(&payload, &ctx(key, 1, &saved))
        .await
        .unwrap_err();
    assert!(matches!(err, PublishError::Transient(_)), "{err:?}");
    assert!(
        saved
            .0
            .lock()
            .unwrap()
            .as_deref()
            .unwrap()
            .contains("maybe_sent_since")
    );
    let quota_reads = fake.gets_to("/v2/bot/message/quota");
    let r = line.publish(&payload, &ctx(key, 2, &saved)).await.unwrap();
    let sends = fake.sends();
    assert_eq!(sends.len(), 2);
    let k1 = sends[0].header("x-line-retry-key").unwrap();
    assert!(uuid::Uuid::try_parse(k1).is_ok(), "{k1}");
    assert_eq!(sends[1].header("x-line-retry-key"), Some(k1));
    let first_id = fake.with(|s| s.accepted.get(k1).cloned()).unwrap();
    assert_eq!(
        r.request_id.as_deref(),
        Some(&*first_id),
        "the accepted request's id"
    );
    assert!(r.deduplicated);
    // The repeat does not re-check the quota: the first send may already have used it.
    assert_eq!(fake.gets_to("/v2/bot/message/quota"), quota_reads);
}

#[tokio::test]
async fn a_timeout_after_the_send_left_is_transient_and_the_repeat_sends_nothing_new() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.sends.push_back(Reply {
            accept: true,
            delay: Duration::from_secs(3),
            ..Reply::error(200, json!({}))
        })
    });
    let line = line_with(settings(&fake), &env(Duration::from_millis(500)));
    let payload = line.prepare(&draft(THAI)).unwrap();
    let saved = Arc::new(Saved::default());
    let err = line
        .publish(&payload, &ctx(KEY, 1, &saved))
        .await
        .unwrap_err();
    assert!(matches!(err, PublishError::Transient(_)), "{err:?}");
    let r = line.publish(&payload, &ctx(KEY, 2, &saved)).await.unwrap();
    assert!(r.deduplicated);
    assert_eq!(fake.with(|s| s.accepted.len()), 1, "one broadcast accepted");
    assert!(r.request_id.is_some());
}

#[tokio::test]
async fn a_repeat_past_the_retry_keys_24_hours_is_parked_unsent() {
    let fake = Fake::start().await;
    let line = line(&fake);
    let payload = line.prepare(&draft(THAI)).unwrap();
    let saved = Arc::new(Saved::default());
    *saved.0.lock().unwrap() = Some(r#"{"maybe_sent_since":"2026-11-23T05:00:00Z"}"#.into());
    let err = line
        .publish(&payload, &ctx(KEY, 3, &saved))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, PublishError::Rejected(m) if m.contains("24 h")),
        "{err:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn too_few_messages_for_the_friends_stops_before_any_broadcast() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.quota = json!({ "type": "limited", "value": 5000 });
        s.consumption = json!({ "totalUsage": 4900 });
        s.followers =
            json!({ "status": "ready", "followers": 620, "targetedReaches": 400, "blocks": 20 });
    });
    let err = publish(&line(&fake), THAI).await.unwrap_err();
    let PublishError::QuotaExhausted { until, message } = err else {
        panic!("{err:?}")
    };
    assert_eq!(until, next_month());
    assert!(
        message.contains("เหลือ 100 ข้อความ") && message.contains("ต้องใช้ 600 ข้อความ"),
        "{message}"
    );
    assert!(fake.sends().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_free_plan_station_is_warned_in_thai_and_english() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.quota = json!({ "type": "limited", "value": 300 });
        s.consumption = json!({ "totalUsage": 120 });
        s.followers =
            json!({ "status": "ready", "followers": 450, "targetedReaches": 300, "blocks": 20 });
    });
    let err = publish(&line(&fake), THAI).await.unwrap_err();
    let PublishError::QuotaExhausted { message, .. } = err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("เหลือ 180 ข้อความ แต่การส่งครั้งนี้ต้องใช้ 430 ข้อความ (ส่งแล้ว 120/300)"),
        "{message}"
    );
    assert!(message.contains("180 left, 430 needed"), "{message}");
    assert!(fake.sends().is_empty());
}

#[tokio::test]
async fn the_quota_is_read_once_a_minute_and_counts_what_was_sent() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.quota = json!({ "type": "limited", "value": 1000 });
        s.consumption = json!({ "totalUsage": 0 });
        s.followers = json!({ "status": "ready", "followers": 400, "blocks": 0 });
    });
    let line = line(&fake);
    let payload = line.prepare(&draft(THAI)).unwrap();
    for key in [KEY, "1b3c2a6e-9d41-4f0a-8f3e-2c1d5e6f7a8b"] {
        line.publish(&payload, &PublishContext::first(1, key))
            .await
            .unwrap();
    }
    let third = line
        .publish(
            &payload,
            &PublishContext::first(3, "2b3c2a6e-9d41-4f0a-8f3e-2c1d5e6f7a8b"),
        )
        .await;
    assert!(
        matches!(&third, Err(PublishError::QuotaExhausted { message, .. }) if message.contains("200 left, 400 needed")),
        "{third:?}"
    );
    assert_eq!(fake.gets_to("/v2/bot/message/quota"), 1);
    assert_eq!(fake.gets_to("/v2/bot/message/quota/consumption"), 1);
    assert_eq!(fake.sends().len(), 2);
}

#[tokio::test]
async fn an_unready_follower_count_does_not_block_the_broadcast() {
    let fake = Fake::start().await;
    fake.with(|s| s.followers = json!({ "status": "unready" }));
    assert!(publish(&line(&fake), THAI).await.is_ok());
    assert_eq!(fake.sends().len(), 1);
}

#[tokio::test]
async fn rate_limit_429_waits_a_minute() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.sends.push_back(Reply::error(
            429,
            json!({ "message": "The API rate limit has been exceeded. Try again later." }),
        ))
    });
    let err = publish(&line(&fake), THAI).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::RetryAfter(d, m) if *d == Duration::from_secs(60) && m.contains("rate limit")),
        "{err:?}"
    );
    assert_eq!(fake.sends().len(), 1, "never a loop");
}

#[tokio::test]
async fn monthly_limit_429_waits_for_next_month() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.sends.push_back(Reply::error(
            429,
            json!({ "message": "You have reached your monthly limit." }),
        ))
    });
    let err = publish(&line(&fake), THAI).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::QuotaExhausted { until, message } if *until == next_month() && message.contains("monthly limit")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_dead_token_is_auth_and_a_forbidden_api_too() {
    let fake = Fake::start().await;
    let mut s = settings(&fake);
    s.channel_access_token = Secret::new("expired-token");
    let line_bad = line_with(s, &env(Duration::from_secs(5)));
    let err = publish(&line_bad, THAI).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Auth(m) if m.contains("Authentication failed")),
        "{err:?}"
    );
    assert!(!err.to_string().contains("expired-token"));
    assert!(fake.sends().is_empty());
    let health = line_bad.healthcheck().await.unwrap_err();
    assert!(matches!(health, PublishError::Auth(_)), "{health:?}");

    fake.with(|s| {
        s.sends.push_back(Reply::error(
            403,
            json!({ "message": "Access to this API is not available for your account" }),
        ))
    });
    let err = publish(&line(&fake), THAI).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Auth(m) if m.contains("not available for your account")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_400_with_details_is_rejected_with_the_details() {
    let fake = Fake::start().await;
    fake.with(|s| s.sends.push_back(Reply::error(400, json!({
        "message": "The request body has 2 error(s)",
        "details": [
            { "message": "May not be empty", "property": "messages[0].text" },
            { "message": "Must be one of the following values: [text, image]", "property": "messages[1].type" }
        ]
    }))));
    let saved = Arc::new(Saved::default());
    let line = line(&fake);
    let payload = line.prepare(&draft(THAI)).unwrap();
    let err = line
        .publish(&payload, &ctx(KEY, 1, &saved))
        .await
        .unwrap_err();
    let PublishError::Rejected(m) = &err else {
        panic!("{err:?}")
    };
    assert!(
        m.contains("2 error(s)")
            && m.contains("messages[0].text: May not be empty")
            && m.contains("messages[1].type"),
        "{m}"
    );
    // LINE answered and took nothing: the attempt is forgotten.
    assert_eq!(
        saved.0.lock().unwrap().as_deref(),
        Some(r#"{"maybe_sent_since":null}"#)
    );
}

#[tokio::test]
async fn a_long_thai_text_is_fitted_to_5000_utf16_units_with_the_link() {
    let fake = Fake::start().await;
    let line = line(&fake);
    let long = std::iter::repeat_n(THAI, 60).collect::<Vec<_>>().join(" ");
    assert!(long.encode_utf16().count() > 5000);
    let payload = line.prepare(&draft(&long)).unwrap();
    let n = payload.text.encode_utf16().count();
    assert!(n <= 5000, "{n}");
    assert!(
        payload.text.ends_with(&format!("อ่านต่อ: {LINK}")),
        "{}",
        &payload.text
    );
    assert!(
        payload
            .notes
            .iter()
            .any(|n| n.contains("หน่วย UTF-16") && n.contains("/5,000")),
        "{:?}",
        payload.notes
    );
    line.publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();
    assert_eq!(
        fake.sends()[0].body["messages"][0]["text"],
        json!(payload.text)
    );
    assert!(fake.schema_errors().is_empty());
}

#[tokio::test]
async fn a_flex_card_has_hero_title_and_read_more_button_and_is_valid() {
    let fake = Fake::start().await;
    let mut s = settings(&fake);
    s.style = Style::Flex;
    let env = env(Duration::from_secs(5));
    let line = line_with(s, &env);
    let mut d = draft(&std::iter::repeat_n(THAI, 20).collect::<Vec<_>>().join(" "));
    let img = media(MediaKind::Image, "image/jpeg", 2_000_000, 1);
    d.media = vec![
        img.clone(),
        media(MediaKind::Image, "image/png", 300_000, 2),
    ];
    let payload = line.prepare(&d).unwrap();
    assert!(payload.text.encode_utf16().count() <= 1500);
    line.publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();
    assert!(
        fake.schema_errors().is_empty(),
        "{:?}",
        fake.schema_errors()
    );
    let msgs = &fake.sends()[0].body["messages"];
    let flex = &msgs[0];
    assert_eq!(flex["type"], "flex");
    assert!(flex["altText"].as_str().unwrap().encode_utf16().count() <= 1500);
    let bubble = &flex["contents"];
    assert_eq!(bubble["hero"]["url"], json!(env.media_url(&img)));
    assert_eq!(bubble["body"]["contents"][0]["text"], json!(d.title));
    let button = &bubble["footer"]["contents"][0];
    assert_eq!(
        button["action"],
        json!({ "type": "uri", "label": "อ่านต่อ", "uri": LINK })
    );
    assert_eq!(
        msgs.as_array().unwrap().len(),
        2,
        "the second image follows the card"
    );
    assert_eq!(msgs[1]["type"], "image");
}

#[tokio::test]
async fn images_and_video_go_by_the_daemons_public_urls() {
    let fake = Fake::start().await;
    let env = env(Duration::from_secs(5));
    let line = line_with(settings(&fake), &env);
    let mut d = draft(THAI);
    let (a, b) = (
        media(MediaKind::Image, "image/jpeg", 1_000, 1),
        media(MediaKind::Image, "image/png", 2_000, 2),
    );
    let v = media(MediaKind::Video, "video/mp4", 50_000_000, 3);
    d.media = vec![a.clone(), b.clone(), v.clone()];
    let payload = line.prepare(&d).unwrap();
    line.publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();
    assert!(
        fake.schema_errors().is_empty(),
        "{:?}",
        fake.schema_errors()
    );
    let msgs = fake.sends()[0].body["messages"].clone();
    assert_eq!(
        msgs[1],
        json!({ "type": "image", "originalContentUrl": env.media_url(&a), "previewImageUrl": env.media_url(&a) })
    );
    assert_eq!(msgs[2]["originalContentUrl"], json!(env.media_url(&b)));
    assert!(env.media_url(&b).starts_with("https://"));
    assert_eq!(
        msgs[3],
        json!({ "type": "video", "originalContentUrl": env.media_url(&v), "previewImageUrl": env.media_url(&a) })
    );
}

#[tokio::test]
async fn media_that_line_cannot_take_is_refused_before_any_request() {
    let fake = Fake::start().await;
    let line = line(&fake);
    let mut d = draft(THAI);
    d.media = vec![media(MediaKind::Image, "image/jpeg", 12_900_000, 1)];
    let r = line.prepare(&d).unwrap_err();
    assert!(
        r.th.contains("รูปภาพใหญ่เกินไปสำหรับ LINE") && r.th.contains("(12.3/10 MB)"),
        "{}",
        r.th
    );
    d.media = vec![media(MediaKind::Image, "image/gif", 1_000, 1)];
    assert!(line.prepare(&d).unwrap_err().th.contains("JPEG หรือ PNG"));
    d.media = (1..=5)
        .map(|n| media(MediaKind::Image, "image/png", 1_000, n))
        .collect();
    assert!(line.prepare(&d).unwrap_err().th.contains("6/5"));
    // A video alone has no preview image: the text goes, the video stays on the website.
    d.media = vec![media(MediaKind::Video, "video/mp4", 1_000, 1)];
    let p = line.prepare(&d).unwrap();
    assert!(
        p.media.is_empty() && p.notes.iter().any(|n| n.contains("ภาพตัวอย่าง")),
        "{:?}",
        p.notes
    );
    // Over plain http LINE would not fetch the media: refused unless allowed for tests.
    let mut http_env = env(Duration::from_secs(5));
    http_env.public_base_url = "http://127.0.0.1:8080".into();
    d.media = vec![media(MediaKind::Image, "image/png", 1_000, 1)];
    let r = line_with(settings(&fake), &http_env)
        .prepare(&d)
        .unwrap_err();
    assert!(r.th.contains("HTTPS"), "{}", r.th);
    let mut s = settings(&fake);
    s.allow_http_media = true;
    assert!(line_with(s, &http_env).prepare(&d).is_ok());
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn push_sends_one_request_per_id_each_with_its_own_key() {
    let fake = Fake::start().await;
    let mut s = settings(&fake);
    s.mode = Mode::Push;
    s.to = vec!["U4af4980629".into(), "C1234567890abcdef".into()];
    let line = line_with(s, &env(Duration::from_secs(5)));
    let r = publish(&line, THAI).await.unwrap();
    let sends = fake.sends();
    assert_eq!(sends.len(), 2);
    assert!(sends.iter().all(|s| s.path == "/v2/bot/message/push"));
    assert_eq!(sends[0].body["to"], "U4af4980629");
    assert_ne!(
        sends[0].header("x-line-retry-key"),
        sends[1].header("x-line-retry-key")
    );
    assert_eq!(r.remote_id.as_deref(), Some("461230966842064897"));
    assert!(
        fake.schema_errors().is_empty(),
        "{:?}",
        fake.schema_errors()
    );
    assert_eq!(
        fake.gets_to("/v2/bot/insight/followers"),
        0,
        "push needs no follower count"
    );
}

#[tokio::test]
async fn narrowcast_is_accepted_with_202_and_its_progress_can_be_read() {
    let fake = Fake::start().await;
    let mut s = settings(&fake);
    s.mode = Mode::Narrowcast;
    s.audience_group_id = Some(4389303728991);
    let line = line_with(s, &env(Duration::from_secs(5)));
    let r = publish(&line, THAI).await.unwrap();
    let send = &fake.sends()[0];
    assert_eq!(send.path, "/v2/bot/message/narrowcast");
    assert_eq!(
        send.body["recipient"],
        json!({ "type": "audience", "audienceGroupId": 4389303728991i64 })
    );
    assert!(
        fake.schema_errors().is_empty(),
        "{:?}",
        fake.schema_errors()
    );
    let id = r.request_id.unwrap();
    let p = line.narrowcast_progress(&id).await.unwrap();
    assert_eq!(p.phase, "succeeded");
    let q = fake.requests().last().unwrap().query.clone();
    assert_eq!(q, Some(format!("requestId={id}")));
}

#[tokio::test]
async fn reach_keeps_hidden_small_numbers_as_none() {
    let fake = Fake::start().await;
    fake.with(|s| s.message_event = json!({
        "overview": { "requestId": "f70dd685-499a-4231-a441-f24b8d4fba21", "timestamp": 1568214000,
                      "delivered": 320, "uniqueImpression": 82, "uniqueClick": null,
                      "uniqueMediaPlayed": null, "uniqueMediaPlayed100Percent": null },
        "messages": [], "clicks": []
    }));
    let line = line(&fake);
    let receipt = Receipt {
        request_id: Some("f70dd685-499a-4231-a441-f24b8d4fba21".into()),
        ..Receipt::default()
    };
    let sample = line.reach_source().unwrap().reach(&receipt).await.unwrap();
    assert_eq!(sample.views, Some(82));
    assert_eq!(sample.clicks, None);
    assert_eq!(sample.reactions, None);
    assert_eq!(sample.taken_at, Some(now()));
    let q = fake.requests()[0].query.clone();
    assert_eq!(
        q.as_deref(),
        Some("requestId=f70dd685-499a-4231-a441-f24b8d4fba21")
    );
}

#[tokio::test]
async fn the_health_line_names_the_account_and_the_months_messages() {
    let fake = Fake::start().await;
    fake.with(|s| {
        s.quota = json!({ "type": "limited", "value": 300 });
        s.consumption = json!({ "totalUsage": 120 });
        s.followers = json!({ "status": "ready", "followers": 450, "blocks": 20 });
    });
    let h = line(&fake).healthcheck().await.unwrap();
    let shown = h.to_string();
    assert_eq!(
        shown,
        "line: token ok, สภ.เมืองระนอง (@216ru...), broadcast; ส่งแล้ว 120/300 ข้อความเดือนนี้; เพื่อน 430 คน; โควตาไม่พอสำหรับการ broadcast (เหลือ 180, ต้องใช้ 430); token expires 2026-12-24 06:54 UTC; quota: 120/300 messages this month, 180 left"
    );
    assert_eq!(
        h.token_expires_at,
        Some(now() + chrono::Duration::seconds(2591659))
    );
    assert_eq!(fake.gets_to("/v2/bot/info"), 1);
}

#[tokio::test]
async fn a_title_only_announcement_sends_its_title_and_the_token_is_never_shown() {
    let fake = Fake::start().await;
    let line = line(&fake);
    let payload = line.prepare(&draft("  ")).unwrap();
    assert_eq!(payload.text, "ประชาสัมพันธ์ปิดถนนชั่วคราว");
    line.publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();
    assert_eq!(
        fake.sends()[0].body["messages"][0]["text"],
        json!(payload.text)
    );
    assert!(!format!("{line:?}").contains(TOKEN));
    assert!(format!("{line:?}").contains("[redacted]"));
}
