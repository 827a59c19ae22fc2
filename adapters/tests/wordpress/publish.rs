//! Publishing against the fake site: request shapes, categories, dates, media reuse, and
//! reconciliation after a timeout.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use chrono::{TimeZone, Utc};
use prakat_adapters::wordpress::{PostStatus, UrlStyle, Wordpress, date_gmt};
use prakat_adapters::{Channel, Idempotency, PublishContext, PublishError};

use crate::fake::{Fake, Scripted};
use crate::support::*;

#[tokio::test]
async fn publishes_a_thai_announcement_with_a_photo_in_query_style() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let dir = tempfile::tempdir().unwrap();
    let photo = media(&dir, THAI_FILE, "image/jpeg", b"\xFF\xD8\xFFjpeg-bytes");
    let payload = wp.prepare(&draft(vec![photo])).unwrap();
    assert!(payload.notes.is_empty());
    let saved = Arc::new(Saved::default());

    let receipt = wp.publish(&payload, &ctx_with(&saved)).await.unwrap();

    let seen = fake.seen();
    let routes: Vec<(Method, &str)> = seen
        .iter()
        .map(|s| (s.method.clone(), s.route.as_str()))
        .collect();
    assert_eq!(
        routes,
        vec![
            (Method::GET, "/wp/v2/categories"),
            (Method::POST, "/wp/v2/categories"),
            (Method::POST, "/wp/v2/media"),
            (Method::POST, "/wp/v2/posts"),
            (
                Method::POST,
                format!("/wp/v2/posts/{}", receipt.remote_id.as_deref().unwrap()).as_str()
            ),
        ]
    );
    for s in &seen {
        assert_eq!(s.path, "/", "query style keeps the path at the site root");
        assert!(s.query.contains_key("rest_route"));
        assert!(s.header("authorization").starts_with("Basic "));
    }
    assert_eq!(seen[0].query["search"], "งานจราจร");
    assert_eq!(seen[1].json()["name"], "งานจราจร");

    let upload = &seen[2];
    assert_eq!(upload.header("content-type"), "image/jpeg");
    let cd = upload.header("content-disposition");
    assert!(cd.starts_with("attachment; filename=\"prakat-"), "{cd}");
    assert!(
        cd.contains(".jpg\"; filename*=UTF-8''%E0%B8%A0%E0%B8%B2%E0%B8%9E"),
        "{cd}"
    );
    assert!(cd.is_ascii());
    assert_eq!(&upload.body[..], b"\xFF\xD8\xFFjpeg-bytes");

    let post = seen[3].json();
    let media_id = fake.with(|i| i.next_id) - 1;
    let category_id = fake.with(|i| i.categories[0].0);
    assert_eq!(post["title"], "ประกาศปิดการจราจรถนนมิตรภาพ <ชั่วคราว>");
    assert_eq!(post["status"], "draft", "created as a draft first");
    assert_eq!(post["slug"], SLUG);
    assert_eq!(seen[4].json(), serde_json::json!({"status": "publish"}));
    assert_eq!(fake.with(|i| i.posts[0]["status"].clone()), "publish");
    assert_eq!(post["categories"], serde_json::json!([category_id]));
    assert_eq!(post["date_gmt"], "2026-11-20T01:30:00");
    assert_eq!(post["featured_media"], media_id);
    let content = post["content"].as_str().unwrap();
    assert!(content.contains("<p>ขอปิดการจราจร 25 พ.ย. 2569 เวลา 06:00–09:00 น.<br>\nโปรดใช้เส้นทางเลี่ยง &lt;b&gt;ถนนสายรอง&lt;/b&gt; &amp; ทางคู่ขนาน</p>"), "{content}");
    assert!(content.contains("<p>สอบถาม โทร 1599</p>"), "{content}");
    assert!(
        !content.contains("<b>"),
        "user HTML must be escaped: {content}"
    );
    assert!(
        content.contains(&format!("class=\"wp-image-{media_id}\"")),
        "{content}"
    );
    assert!(
        content.contains("/wp-content/uploads/2026/11/prakat-"),
        "{content}"
    );

    let post_id = fake.with(|i| i.posts[0]["id"].as_u64().unwrap());
    assert_eq!(receipt.remote_id, Some(post_id.to_string()));
    assert_eq!(receipt.url, Some(format!("{}/?p={post_id}", fake.base)));
    assert!(!receipt.deduplicated);

    let states = saved.0.lock().unwrap().clone();
    assert_eq!(states.len(), 1, "one checkpoint per uploaded file");
    assert!(
        states[0].contains(&format!("\"id\":{media_id}")),
        "{}",
        states[0]
    );
}

#[tokio::test]
async fn pretty_style_draft_uses_wp_json_paths_and_mapped_categories() {
    let fake = Fake::start().await;
    let mut s = settings(&fake, UrlStyle::Pretty);
    s.status = PostStatus::Draft;
    s.categories.insert("traffic".into(), "ข่าวจราจร".into());
    let wp = Wordpress::new(s, &env(Duration::from_secs(10))).unwrap();
    let payload = wp.prepare(&draft(vec![])).unwrap();
    wp.publish(&payload, &PublishContext::first(1, KEY))
        .await
        .unwrap();
    let seen = fake.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert!(s.path.starts_with("/wp-json/wp/v2/"), "{}", s.path);
        assert!(!s.query.contains_key("rest_route"));
    }
    assert_eq!(seen[0].query["search"], "ข่าวจราจร");
    let post = seen[2].json();
    assert_eq!(post["status"], "draft");
    assert!(
        post.get("featured_media").is_none(),
        "no image, no featured media"
    );
}

#[tokio::test]
async fn an_announcement_due_now_leaves_the_date_to_wordpress() {
    // A date after the site's clock would make WordPress schedule the post instead of
    // publishing it; "now" on our clock may be the future on the site's.
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let mut d = draft(vec![]);
    d.published_at = Utc::now();
    let payload = wp.prepare(&d).unwrap();
    wp.publish(&payload, &PublishContext::first(1, KEY))
        .await
        .unwrap();
    let post = fake.seen().last().unwrap().json();
    assert!(post.get("date_gmt").is_none(), "{post}");
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let date = |s: i64| date_gmt(at - chrono::Duration::seconds(s), at);
    assert_eq!(date(599), None);
    assert_eq!(date(600).as_deref(), Some("2026-11-24T08:50:00"));
}

#[tokio::test]
async fn a_category_is_created_once_under_concurrent_publishes() {
    let fake = Fake::start().await;
    fake.with(|i| i.search_delay = Some(Duration::from_millis(100)));
    let wp = Arc::new(channel(&fake, UrlStyle::Query));
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let mut tasks = Vec::new();
    for n in 0..5 {
        let (wp, payload) = (wp.clone(), payload.clone());
        tasks.push(tokio::spawn(async move {
            wp.publish(&payload, &PublishContext::first(n, format!("key{n}")))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(fake.count(Method::POST, "/wp/v2/categories"), 1);
    assert_eq!(
        fake.count(Method::GET, "/wp/v2/categories"),
        1,
        "cached after the first"
    );
    let id = fake.with(|i| i.categories[0].0);
    let posts = fake.with(|i| i.posts.clone());
    assert_eq!(posts.len(), 5);
    assert!(
        posts
            .iter()
            .all(|p| p["categories"] == serde_json::json!([id]))
    );
}

#[tokio::test]
async fn a_category_created_meanwhile_elsewhere_is_used_through_term_exists() {
    let fake = Fake::start().await;
    fake.with(|i| i.category_race = true);
    let wp = channel(&fake, UrlStyle::Query);
    let payload = wp.prepare(&draft(vec![])).unwrap();
    wp.publish(&payload, &PublishContext::first(1, KEY))
        .await
        .unwrap();
    assert_eq!(fake.count(Method::POST, "/wp/v2/categories"), 1);
    let post = fake.with(|i| i.posts[0].clone());
    assert_eq!(post["categories"], serde_json::json!([77]));
}

#[tokio::test]
async fn a_timeout_on_create_is_ambiguous_and_reconciles_by_slug_without_a_second_post() {
    let fake = Fake::start().await;
    fake.with(|i| i.post_delay = Some(Duration::from_secs(3)));
    let wp = Wordpress::new(
        settings(&fake, UrlStyle::Query),
        &env(Duration::from_millis(800)),
    )
    .unwrap();
    assert_eq!(wp.idempotency(), Idempotency::Reconcile);
    let dir = tempfile::tempdir().unwrap();
    let photo = media(&dir, THAI_FILE, "image/jpeg", b"jpeg");
    let payload = wp.prepare(&draft(vec![photo])).unwrap();
    let saved = Arc::new(Saved::default());

    let first = wp.publish(&payload, &ctx_with(&saved)).await;
    assert!(
        matches!(first, Err(PublishError::Ambiguous(_))),
        "{first:?}"
    );
    fake.with(|i| i.post_delay = None);

    // What the dispatcher does first after an unsettled attempt: the draft the timed-out
    // create left is not a published post.
    let found = wp
        .reconcile()
        .unwrap()
        .find_published(&payload, KEY)
        .await
        .unwrap();
    assert_eq!(found, None);
    let lookup = fake.seen().into_iter().last().unwrap();
    assert_eq!(lookup.query["slug"], SLUG);
    assert_eq!(lookup.query["status"], "any");

    // The re-send flagged unsettled finds that draft by its slug and publishes it.
    let mut ctx = ctx_with(&saved);
    ctx.attempt = 2;
    ctx.after_unsettled_attempt = true;
    ctx.saved_state = saved.0.lock().unwrap().last().cloned();
    let again = wp.publish(&payload, &ctx).await.unwrap();
    let post_id = fake.with(|i| i.posts[0]["id"].as_u64().unwrap());
    assert_eq!(again.remote_id, Some(post_id.to_string()));
    assert!(again.deduplicated);
    assert_eq!(fake.count(Method::POST, "/wp/v2/posts"), 1);
    assert_eq!(fake.count(Method::POST, "/wp/v2/media"), 1);
    assert_eq!(fake.with(|i| i.posts.len()), 1);
    assert_eq!(fake.with(|i| i.posts[0]["status"].clone()), "publish");
}

#[tokio::test]
async fn uploaded_media_are_not_uploaded_again_on_the_next_attempt() {
    let fake = Fake::start().await;
    fake.script(Scripted {
        method: Method::POST,
        route: "/wp/v2/posts".into(),
        status: 429,
        headers: vec![("retry-after", "30")],
        body: "<html>Too Many Requests</html>".into(),
    });
    let wp = channel(&fake, UrlStyle::Query);
    let dir = tempfile::tempdir().unwrap();
    let photos = vec![
        media(&dir, "a.jpg", "image/jpeg", b"one"),
        media(&dir, "b.png", "image/png", b"two!"),
    ];
    let payload = wp.prepare(&draft(photos)).unwrap();
    let saved = Arc::new(Saved::default());
    let first = wp.publish(&payload, &ctx_with(&saved)).await;
    assert!(
        matches!(first, Err(PublishError::RetryAfter(d, _)) if d == Duration::from_secs(30)),
        "{first:?}"
    );
    assert_eq!(fake.count(Method::POST, "/wp/v2/media"), 2);

    let mut ctx = ctx_with(&saved);
    ctx.attempt = 2;
    ctx.saved_state = saved.0.lock().unwrap().last().cloned();
    wp.publish(&payload, &ctx).await.unwrap();
    assert_eq!(
        fake.count(Method::POST, "/wp/v2/media"),
        2,
        "no second upload"
    );
    let post = fake.with(|i| i.posts[0].clone());
    let content = post["content"]["raw"].as_str().unwrap();
    assert!(
        content.contains("/a.jpg\"") && content.contains("/b.png\""),
        "{content}"
    );
    assert!(content.find("/a.jpg").unwrap() < content.find("/b.png").unwrap());
}
