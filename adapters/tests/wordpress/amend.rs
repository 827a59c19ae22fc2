//! Corrections on the fake site: an edit replaces the title and content (keeping the photo
//! the post shows), a retraction moves the post to the trash, and the bad days — already
//! trashed or deleted, a refused password, a 429, an answer lost after WordPress acted — end
//! with the site as WordPress would hold it.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use chrono::{TimeZone, Utc};
use prakat_adapters::wordpress::{UrlStyle, Wordpress, WordpressSettings};
use prakat_adapters::{Channel, Edit, Payload, PublishError, Receipt, Retraction, Secret};
use serde_json::Value;

use crate::fake::{Fake, Lost, Scripted, USER};
use crate::support::*;

const NEW_TITLE: &str = "แก้ไข: ประกาศปิดการจราจรถนนมิตรภาพ";
const NEW_TEXT: &str = "เลื่อนการปิดการจราจรเป็น 26 พ.ย. 2569 เวลา 06:00–09:00 น.\n\nรายละเอียด https://station.example/prakat/42";

fn edit() -> Edit {
    Edit {
        edited_at: Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap(),
        revision: 1,
    }
}

fn retraction() -> Retraction {
    Retraction {
        retracted_at: Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap(),
        reason: "ประกาศซ้ำ".into(),
    }
}

/// Publish the announcement (with `media`) and prepare its correction.
async fn published(
    fake: &Fake,
    wp: &Wordpress,
    media: Vec<prakat_adapters::MediaRef>,
) -> (Receipt, Payload) {
    let first = wp.prepare(&draft(media.clone())).unwrap();
    let receipt = wp
        .publish(&first, &ctx_with(&Arc::new(Saved::default())))
        .await
        .unwrap();
    assert_eq!(fake.with(|i| i.posts.len()), 1);
    let mut d = draft(media);
    d.title = NEW_TITLE.into();
    d.text = NEW_TEXT.into();
    (receipt, wp.prepare(&d).unwrap())
}

fn route(r: &Receipt) -> String {
    format!("/wp/v2/posts/{}", r.remote_id.as_deref().unwrap())
}

fn post(fake: &Fake) -> Value {
    fake.with(|i| i.posts[0].clone())
}

fn seen_at(fake: &Fake, method: Method, route: &str) -> Vec<crate::fake::Seen> {
    fake.seen()
        .into_iter()
        .filter(|s| s.method == method && s.route == route)
        .collect()
}

#[tokio::test]
async fn an_edit_replaces_title_and_content_and_keeps_the_photo() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    let dir = tempfile::tempdir().unwrap();
    let photo = media(&dir, THAI_FILE, "image/jpeg", b"\xFF\xD8\xFFjpeg-bytes");
    let (receipt, payload) = published(&fake, &wp, vec![photo]).await;
    let before = post(&fake);
    let old_html = before["content"]["raw"].as_str().unwrap().to_owned();
    let uploads = fake.count(Method::POST, "/wp/v2/media");

    let amend = wp.amend().unwrap();
    let after = amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(after.remote_id, receipt.remote_id);
    assert_eq!(after.url, receipt.url);

    let reads = seen_at(&fake, Method::GET, &route(&receipt));
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].query["context"], "edit");
    let updates = seen_at(&fake, Method::POST, &route(&receipt));
    // The publish's status update, then the edit.
    assert_eq!(updates.len(), 2);
    let sent = updates[1].json();
    let mut keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["content", "title"], "only title and content change");
    assert_eq!(sent["title"], NEW_TITLE);
    let html = sent["content"].as_str().unwrap();
    assert!(
        html.starts_with("<!-- wp:paragraph -->\n<p>เลื่อนการปิดการจราจร"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://station.example/prakat/42\">"),
        "{html}"
    );
    // The photo block publish wrote, unchanged but for the new alt text.
    let photo_block = |h: &str| h[h.find("<!-- wp:image").unwrap()..].to_owned();
    assert_eq!(
        photo_block(html),
        photo_block(&old_html).replace("ประกาศปิดการจราจรถนนมิตรภาพ &lt;ชั่วคราว&gt;", NEW_TITLE)
    );
    assert_eq!(
        fake.count(Method::POST, "/wp/v2/media"),
        uploads,
        "no upload again"
    );

    let now = post(&fake);
    assert_eq!(now["title"]["raw"], NEW_TITLE);
    assert_eq!(now["content"]["raw"], html);
    assert_eq!(now["status"], "publish");
    assert_eq!(now["slug"], before["slug"]);
    assert_eq!(now["featured_media"], before["featured_media"]);
    assert_eq!(fake.with(|i| i.posts.len()), 1);
}

#[tokio::test]
async fn a_retraction_trashes_the_post_and_a_second_one_finds_it_there() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    let amend = wp.amend().unwrap();
    assert!(amend.can_edit() && amend.can_retract());

    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    let deletes = seen_at(&fake, Method::DELETE, &route(&receipt));
    assert_eq!(deletes.len(), 1);
    assert!(
        !deletes[0].query.contains_key("force"),
        "to the trash, not for good"
    );
    assert_eq!(post(&fake)["status"], "trash");

    // 410 rest_already_trashed: done already.
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(seen_at(&fake, Method::DELETE, &route(&receipt)).len(), 2);
    assert_eq!(post(&fake)["status"], "trash");
    assert_eq!(fake.with(|i| i.posts.len()), 1);

    // A person emptied the trash: 404 rest_post_invalid_id, also done.
    fake.with(|i| i.posts.clear());
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_edit_of_a_trashed_or_deleted_post_is_left_to_a_person() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    let amend = wp.amend().unwrap();
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Rejected(m) if m.contains("trash")),
        "{e:?}"
    );

    fake.with(|i| i.posts.clear());
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Rejected(m) if m.contains("rest_post_invalid_id")),
        "{e:?}"
    );
    assert!(fake.with(|i| i.posts.is_empty()), "nothing was created");
}

#[tokio::test]
async fn a_refused_password_or_right_is_an_auth_error_and_changes_nothing() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    let before = post(&fake);

    let mut s = WordpressSettings::new(&fake.base, USER, Secret::new("wrong pass word"));
    s.url_style = UrlStyle::Pretty;
    let revoked = Wordpress::new(s, &env(Duration::from_secs(5))).unwrap();
    let e = revoked
        .amend()
        .unwrap()
        .edit(&receipt, &payload, &edit())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("incorrect_password")),
        "{e:?}"
    );

    fake.script(Scripted {
        method: Method::DELETE,
        route: route(&receipt),
        status: 403,
        headers: vec![],
        body: r#"{"code":"rest_cannot_delete","message":"Sorry, you are not allowed to delete this post.","data":{"status":403}}"#.into(),
    });
    let e = wp
        .amend()
        .unwrap()
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("rest_cannot_delete")),
        "{e:?}"
    );
    assert_eq!(post(&fake), before);
}

#[tokio::test]
async fn a_429_waits_as_told_then_the_same_calls_go_through() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    for method in [Method::POST, Method::DELETE] {
        fake.script(Scripted {
            method,
            route: route(&receipt),
            status: 429,
            headers: vec![("retry-after", "30")],
            body: "<html><body>Too Many Requests</body></html>".into(),
        });
    }
    let amend = wp.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(30)),
        "{e:?}"
    );
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(30)),
        "{e:?}"
    );
    assert_eq!(post(&fake)["status"], "publish");

    amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(post(&fake)["title"]["raw"], NEW_TITLE);
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(post(&fake)["status"], "trash");
}

#[tokio::test]
async fn an_edit_answered_with_a_502_after_acting_is_repeated_and_applied_once() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    fake.with(|i| i.lost_answer = Some((Method::POST, Lost::Status(502))));
    let amend = wp.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert_eq!(e.class(), "transient", "an update is safe to repeat: {e:?}");
    let applied = post(&fake);
    assert_eq!(applied["title"]["raw"], NEW_TITLE, "WordPress acted");

    let again = amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(again.remote_id, receipt.remote_id);
    let edits: Vec<Value> = seen_at(&fake, Method::POST, &route(&receipt))
        .iter()
        .skip(1)
        .map(|s| s.json())
        .collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(edits[0], edits[1], "the repeat sends the same update");
    assert_eq!(post(&fake), applied, "the text replaced once");
    assert_eq!(fake.with(|i| i.posts.len()), 1, "no second post");
    assert_eq!(fake.count(Method::POST, "/wp/v2/posts"), 1);
}

#[tokio::test]
async fn a_retraction_whose_answer_never_comes_is_repeated_to_done() {
    let fake = Fake::start().await;
    let wp = Wordpress::new(
        settings(&fake, UrlStyle::Pretty),
        &env(Duration::from_millis(500)),
    )
    .unwrap();
    let (receipt, payload) = published(&fake, &wp, vec![]).await;
    fake.with(|i| i.lost_answer = Some((Method::DELETE, Lost::Hang(Duration::from_secs(3)))));
    let amend = wp.amend().unwrap();
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "transient", "{e:?}");
    assert_eq!(post(&fake)["status"], "trash", "WordPress acted");

    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(seen_at(&fake, Method::DELETE, &route(&receipt)).len(), 2);
    assert_eq!(post(&fake)["status"], "trash");
    assert_eq!(fake.with(|i| i.posts.len()), 1);
}
