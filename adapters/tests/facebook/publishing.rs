//! Publishing: text and link posts, one photo, several photos, videos; resuming uploads.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use prakat_adapters::facebook::{Facebook, Progress};
use prakat_adapters::{Channel, PublishContext, PublishError, Receipt};
use serde_json::json;

use super::fake::{self, Fake, Rule, graph_error};
use super::support::*;

fn feed_path() -> String {
    format!("/{}/{}/feed", fake::VERSION, fake::PAGE)
}

#[tokio::test]
async fn a_text_post_sends_the_thai_message_and_the_website_link() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let payload = prepared(&fb, &draft(THAI, vec![]));
    let receipt = fb
        .publish(&payload, &PublishContext::first(7, "delivery-7"))
        .await
        .unwrap();

    let posts = fake.seen_at(Method::POST, "/feed");
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].path, feed_path());
    assert_eq!(posts[0].field("message").as_deref(), Some(THAI));
    assert_eq!(
        posts[0].field("link").as_deref(),
        Some("https://prakat.example.go.th/site/news/42.html")
    );
    assert!(posts[0].query.is_empty(), "no token or field in the URL");
    let id = fake.posts()[0].id.clone();
    assert!(id.starts_with(&format!("{}_", fake::PAGE)));
    assert_eq!(
        receipt,
        Receipt {
            remote_id: Some(id.clone()),
            url: Some(format!("https://www.facebook.com/{id}")),
            request_id: Some("trace-1".into()),
            deduplicated: false,
        }
    );
}

#[tokio::test]
async fn a_single_photo_is_posted_by_url_with_its_caption() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let payload = prepared(&fb, &draft(THAI, vec![image(1)]));
    let receipt = fb
        .publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap();
    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].path,
        format!("/{}/{}/photos", fake::VERSION, fake::PAGE)
    );
    let media_url = format!("{PUBLIC}/media/01/{}.jpg", image(1).sha256);
    assert_eq!(seen[0].field("url"), Some(media_url));
    assert_eq!(seen[0].field("caption").as_deref(), Some(THAI));
    assert_eq!(seen[0].field("published"), None);
    let post = fake.posts()[0].id.clone();
    assert_eq!(receipt.remote_id, Some(post.clone()), "the photo's post_id");
    assert_eq!(
        receipt.url,
        Some(format!("https://www.facebook.com/{post}"))
    );
}

#[tokio::test]
async fn several_photos_are_uploaded_unpublished_then_attached() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let saved = Arc::new(Saved::default());
    let payload = prepared(&fb, &draft(THAI, vec![image(1), image(2), image(3)]));
    let receipt = fb.publish(&payload, &ctx(&saved, None, 1)).await.unwrap();

    let uploads = fake.seen_at(Method::POST, "/photos");
    assert_eq!(uploads.len(), 3);
    assert!(
        uploads
            .iter()
            .all(|u| u.field("published").as_deref() == Some("false"))
    );
    let progress: Progress = serde_json::from_str(&saved.last().unwrap()).unwrap();
    let ids: Vec<String> = progress.photos.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids.len(), 3);
    let feed = &fake.seen_at(Method::POST, "/feed")[0];
    for (i, id) in ids.iter().enumerate() {
        let attached: serde_json::Value =
            serde_json::from_str(&feed.field(&format!("attached_media[{i}]")).unwrap()).unwrap();
        assert_eq!(attached, json!({ "media_fbid": id }));
    }
    assert_eq!(feed.field("message").as_deref(), Some(THAI));
    assert_eq!(feed.field("link"), None, "a link would replace the photos");
    assert_eq!(receipt.remote_id, Some(fake.posts()[0].id.clone()));
}

#[tokio::test]
async fn a_retry_after_two_of_three_uploads_reuses_the_saved_photo_ids() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let saved = Arc::new(Saved::default());
    let payload = prepared(&fb, &draft(THAI, vec![image(1), image(2), image(3)]));
    fake.script(
        Rule::error(
            Method::POST,
            "/photos",
            500,
            graph_error(2, None, "Service temporarily unavailable"),
        )
        .nth(3),
    );
    let first = fb
        .publish(&payload, &ctx(&saved, None, 1))
        .await
        .unwrap_err();
    assert!(matches!(first, PublishError::Transient(_)), "{first:?}");
    let state = saved.last().unwrap();
    let progress: Progress = serde_json::from_str(&state).unwrap();
    assert_eq!(progress.photos.len(), 2);
    assert!(fake.seen_at(Method::POST, "/feed").is_empty());

    fb.publish(&payload, &ctx(&saved, Some(state), 2))
        .await
        .unwrap();
    let uploads = fake.seen_at(Method::POST, "/photos");
    assert_eq!(
        uploads.len(),
        4,
        "2 uploads, 1 failure, then only the third again"
    );
    let third = format!("{PUBLIC}/media/03/{}.jpg", image(3).sha256);
    assert_eq!(uploads[3].field("url"), Some(third));
    let feed = &fake.seen_at(Method::POST, "/feed")[0];
    let first_attached = feed.field("attached_media[0]").unwrap();
    assert!(
        first_attached.contains(&progress.photos[0].id),
        "{first_attached}"
    );
    assert!(feed.field("attached_media[2]").is_some());
}

const CLIP: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ"; // 63 bytes

fn video_channel(fake: &Fake) -> Facebook {
    let mut s = settings(fake);
    s.app_id = Some(fake::APP.into());
    s.video_chunk_bytes = 25;
    Facebook::new(s, &env(Duration::from_secs(5))).unwrap()
}

#[tokio::test]
async fn a_video_goes_through_the_resumable_upload_api_in_chunks() {
    let fake = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fb = video_channel(&fake);
    let saved = Arc::new(Saved::default());
    let payload = prepared(&fb, &draft(THAI, vec![video(dir.path(), CLIP)]));
    let receipt = fb.publish(&payload, &ctx(&saved, None, 1)).await.unwrap();

    let start = &fake.seen_at(Method::POST, "/uploads")[0];
    assert_eq!(
        start.path,
        format!("/{}/{}/uploads", fake::VERSION, fake::APP)
    );
    assert_eq!(start.field("file_length").as_deref(), Some("63"));
    assert_eq!(start.field("file_type").as_deref(), Some("video/mp4"));
    let chunks: Vec<_> = fake
        .seen()
        .into_iter()
        .filter(|s| s.method == Method::POST && s.path.contains("upload:"))
        .collect();
    let offsets: Vec<&str> = chunks
        .iter()
        .map(|c| c.headers["file_offset"].to_str().unwrap())
        .collect();
    assert_eq!(offsets, ["0", "25", "50"]);
    let session = chunks[0].path.rsplit('/').next().unwrap().to_owned();
    assert_eq!(fake.uploaded_bytes(&session), CLIP);
    let publish = &fake.seen_at(Method::POST, "/videos")[0];
    assert!(
        publish
            .field("fbuploader_video_file_chunk")
            .unwrap()
            .starts_with("4::")
    );
    assert_eq!(publish.field("description").as_deref(), Some(THAI));
    assert_eq!(publish.field("title").as_deref(), Some("ปิดถนนชั่วคราว"));
    let video_id = receipt.remote_id.clone().unwrap();
    assert_eq!(
        receipt.url,
        Some(format!(
            "https://www.facebook.com/{}/videos/{video_id}",
            fake::PAGE
        ))
    );
    let last: Progress = serde_json::from_str(&saved.last().unwrap()).unwrap();
    assert!(
        last.video.unwrap().handle.is_some(),
        "the handle is checkpointed"
    );
}

#[tokio::test]
async fn a_video_upload_resumes_from_where_facebook_got_to() {
    let fake = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fb = video_channel(&fake);
    let saved = Arc::new(Saved::default());
    let payload = prepared(&fb, &draft(THAI, vec![video(dir.path(), CLIP)]));
    fake.script(Rule::error(Method::POST, "", 503, json!("upstream connect error")).nth(3));
    // Rule above matches any POST: 1 = start session, 2 = first chunk, 3 = second chunk.
    let err = fb
        .publish(&payload, &ctx(&saved, None, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PublishError::Transient(_)),
        "a chunk is repeatable: {err:?}"
    );
    let state = saved.last().unwrap();
    let progress: Progress = serde_json::from_str(&state).unwrap();
    let upload = progress.video.clone().unwrap();
    assert_eq!(upload.offset, 25);

    let before = fake.seen().len();
    fb.publish(&payload, &ctx(&saved, Some(state), 2))
        .await
        .unwrap();
    let again = &fake.seen()[before..];
    assert_eq!(
        again[0].method,
        Method::GET,
        "asks the session's file_offset first"
    );
    assert!(again[0].path.ends_with(&upload.session));
    let offsets: Vec<&str> = again
        .iter()
        .filter(|s| s.method == Method::POST && s.path.contains("upload:"))
        .map(|c| c.headers["file_offset"].to_str().unwrap())
        .collect();
    assert_eq!(offsets, ["25", "50"]);
    assert_eq!(
        fake.seen_at(Method::POST, "/uploads").len(),
        1,
        "no second session"
    );
    assert_eq!(fake.uploaded_bytes(&upload.session), CLIP);
    assert_eq!(fake.seen_at(Method::POST, "/videos").len(), 1);
}

#[tokio::test]
async fn without_an_app_id_a_video_is_published_by_url() {
    let fake = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let fb = channel(&fake);
    let media = video(dir.path(), CLIP);
    let payload = prepared(&fb, &draft(THAI, vec![media.clone()]));
    fb.publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap();
    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].field("file_url"),
        Some(format!("{PUBLIC}/media/cd/{}.mp4", media.sha256))
    );
}
