//! The two-phase, self-detecting create: a post an earlier attempt made (a draft still, or
//! published) is found by the slug clash of a later create and used, and the later copy is
//! deleted — the case of a restarted daemon that looked the slug up while WordPress was still
//! processing the first create, found nothing, and created again.

use std::sync::Arc;

use axum::http::Method;
use prakat_adapters::wordpress::UrlStyle;
use prakat_adapters::{Channel, PublishContext};
use serde_json::json;

use crate::fake::Fake;
use crate::support::*;

/// A post an earlier attempt left, holding this delivery's slug.
fn earlier(fake: &Fake, status: &str) -> u64 {
    fake.with(|i| {
        i.next_id += 1;
        let id = i.next_id;
        i.posts.push(json!({
            "id": id,
            "slug": SLUG,
            "status": status,
            "link": format!("{}/?p={id}", fake.base),
        }));
        id
    })
}

#[tokio::test]
async fn a_draft_left_by_an_earlier_attempt_is_published_and_the_copy_deleted() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let original = earlier(&fake, "draft");

    // Not flagged unsettled: the look-up came too early and found nothing.
    let receipt = wp
        .publish(&payload, &ctx_with(&Arc::new(Saved::default())))
        .await
        .unwrap();

    assert_eq!(receipt.remote_id, Some(original.to_string()));
    let posts = fake.with(|i| i.posts.clone());
    assert_eq!(posts.len(), 1, "the copy is gone: {posts:?}");
    assert_eq!(posts[0]["status"], "publish");
    assert_eq!(posts[0]["slug"], SLUG);
    let deletes: Vec<_> = fake
        .seen()
        .into_iter()
        .filter(|s| s.method == Method::DELETE)
        .collect();
    assert_eq!(deletes.len(), 1);
    assert_eq!(
        deletes[0].query["force"], "true",
        "deleted for good, not trashed"
    );
}

#[tokio::test]
async fn a_published_post_of_an_earlier_attempt_is_kept_and_the_copy_deleted() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Pretty);
    fake.with(|i| i.pretty_permalinks = true);
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let original = earlier(&fake, "publish");

    let receipt = wp
        .publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();

    assert_eq!(receipt.remote_id, Some(original.to_string()));
    assert!(receipt.deduplicated);
    let posts = fake.with(|i| i.posts.clone());
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0]["id"], original);
}

#[tokio::test]
async fn an_unsettled_attempt_publishes_the_draft_it_finds_instead_of_creating() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let original = earlier(&fake, "draft");

    // Reconcile does not count a draft as published...
    let found = wp
        .reconcile()
        .unwrap()
        .find_published(&payload, KEY)
        .await
        .unwrap();
    assert_eq!(found, None);
    let lookup = fake.seen().into_iter().last().unwrap();
    assert_eq!(lookup.query["status"], "any");
    assert_eq!(
        lookup.query["context"], "edit",
        "drafts are only listed signed in"
    );

    // ...and the re-send flagged unsettled publishes it.
    let mut ctx = PublishContext::first(7, KEY);
    ctx.attempt = 2;
    ctx.after_unsettled_attempt = true;
    let receipt = wp.publish(&payload, &ctx).await.unwrap();
    assert_eq!(receipt.remote_id, Some(original.to_string()));
    assert_eq!(fake.count(Method::POST, "/wp/v2/posts"), 0, "no create");
    assert_eq!(fake.with(|i| i.posts[0]["status"].clone()), "publish");
}

#[tokio::test]
async fn where_drafts_keep_their_slug_the_clash_at_publish_removes_the_leftover_draft() {
    let fake = Fake::start().await;
    fake.with(|i| i.drafts_keep_slug = true);
    let wp = channel(&fake, UrlStyle::Query);
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let leftover = earlier(&fake, "draft");

    let receipt = wp
        .publish(&payload, &PublishContext::first(7, KEY))
        .await
        .unwrap();

    let posts = fake.with(|i| i.posts.clone());
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_ne!(posts[0]["id"], leftover, "the leftover draft is gone");
    assert_eq!(receipt.remote_id, Some(posts[0]["id"].to_string()));
    assert_eq!(posts[0]["status"], "publish");
    assert_eq!(posts[0]["slug"], SLUG, "ours took the delivery's slug");
}
