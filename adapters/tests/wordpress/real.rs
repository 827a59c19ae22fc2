//! Against a real WordPress (ignored unless scripts/wordpress-e2e.sh runs it).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use prakat_adapters::wordpress::{UrlStyle, Wordpress, WordpressSettings};
use prakat_adapters::{Channel, PublishContext, Secret};

use crate::support::*;

/// Against a real WordPress on loopback: `scripts/wordpress-e2e.sh` installs and starts one and
/// runs this with `PRAKAT_WP_E2E_URL`, `PRAKAT_WP_E2E_USER`, `PRAKAT_WP_E2E_PASSWORD` and
/// `PRAKAT_WP_E2E_IMAGE` (a real PNG) set.
#[tokio::test]
#[ignore = "needs a real WordPress: run scripts/wordpress-e2e.sh"]
async fn real_wordpress_on_loopback() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set"));
    let base = var("PRAKAT_WP_E2E_URL");
    let mut s = WordpressSettings::new(
        &base,
        var("PRAKAT_WP_E2E_USER"),
        Secret::new(var("PRAKAT_WP_E2E_PASSWORD")),
    );
    s.url_style = UrlStyle::Query;
    let wp = Wordpress::new(s, &env(Duration::from_secs(60))).unwrap();
    let h = wp.healthcheck().await.unwrap();
    println!("healthcheck: {h}");
    assert!(h.missing_permissions.is_empty(), "{h}");
    // PHP's built-in server hands every unknown path to index.php, and WordPress answers
    // /wp-json/ itself even without pretty permalinks: the pretty style works here too (behind
    // Apache or nginx without rewrite rules it is a 404, see the fake-server tests).
    let mut pretty = WordpressSettings::new(
        &base,
        var("PRAKAT_WP_E2E_USER"),
        Secret::new(var("PRAKAT_WP_E2E_PASSWORD")),
    );
    pretty.url_style = UrlStyle::Pretty;
    let h = Wordpress::new(pretty, &env(Duration::from_secs(60)))
        .unwrap()
        .healthcheck()
        .await
        .unwrap();
    println!("healthcheck in pretty style: {h}");
    assert!(h.summary.contains("pretty URLs"), "{h}");

    let image = std::fs::read(var("PRAKAT_WP_E2E_IMAGE")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let photo = media(&dir, "ภาพประชุม ครั้งที่ 1.png", "image/png", &image);
    let mut d = draft(vec![photo]);
    d.announcement_id = Utc::now().timestamp();
    let payload = wp.prepare(&d).unwrap();
    let key = uuid::Uuid::new_v4().to_string();
    let saved = Arc::new(Saved::default());
    let mut ctx = PublishContext::first(1, &key);
    ctx.checkpoint = Some(saved.clone());
    let receipt = wp.publish(&payload, &ctx).await.unwrap();
    println!("published: {receipt:?}");
    let id = receipt.remote_id.clone().unwrap();

    // Read it back through the REST API.
    let http = reqwest::Client::new();
    let user = var("PRAKAT_WP_E2E_USER");
    let password = var("PRAKAT_WP_E2E_PASSWORD").replace(' ', "");
    let post: serde_json::Value = http
        .get(format!("{base}/?rest_route=/wp/v2/posts/{id}&context=edit"))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(post["title"]["raw"], d.title);
    assert_eq!(post["status"], "publish");
    assert_eq!(
        post["slug"],
        prakat_adapters::wordpress::slug(d.announcement_id, &key)
    );
    assert_eq!(post["date_gmt"], "2026-11-20T01:30:00");
    assert!(post["featured_media"].as_u64().unwrap() > 0, "{post}");
    let raw = post["content"]["raw"].as_str().unwrap();
    assert!(raw.contains("&lt;b&gt;ถนนสายรอง&lt;/b&gt;"), "{raw}");
    assert!(raw.contains("<img src=\""), "{raw}");
    let cats = post["categories"].as_array().unwrap();
    assert_eq!(cats.len(), 1);
    let cat: serde_json::Value = http
        .get(format!("{base}/?rest_route=/wp/v2/categories/{}", cats[0]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cat["name"], "งานจราจร");

    // Reconciliation finds it by slug.
    let found = wp
        .reconcile()
        .unwrap()
        .find_published(&payload, &key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.remote_id, Some(id.clone()));
    assert_eq!(found.url, receipt.url);

    // An attempt after an unsettled one finds the post instead of making a second, and reuses
    // the uploaded photo.
    let mut again = PublishContext::first(1, &key);
    again.attempt = 2;
    again.after_unsettled_attempt = true;
    again.saved_state = saved.0.lock().unwrap().last().cloned();
    let second = wp.publish(&payload, &again).await.unwrap();
    assert_eq!(second.remote_id, Some(id));
    assert!(second.deduplicated);
    let slug = prakat_adapters::wordpress::slug(d.announcement_id, &key);
    let same: Vec<serde_json::Value> = http
        .get(format!(
            "{base}/?rest_route=/wp/v2/posts&slug={slug}&status=any"
        ))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(same.len(), 1);

    // The photo is in the media library under an ASCII name, and served.
    let media: serde_json::Value = http
        .get(format!(
            "{base}/?rest_route=/wp/v2/media/{}",
            post["featured_media"]
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(media["mime_type"], "image/png");
    let src = media["source_url"].as_str().unwrap();
    println!("photo: {src}");
    assert!(src.ends_with(".png") && src.is_ascii(), "{src}");
    assert!(
        raw.contains(src),
        "the content shows the uploaded photo: {raw}"
    );
    let served = http.get(src).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().as_ref(), &image[..]);
}

/// Against the same real WordPress: a draft holding the delivery's slug (an earlier attempt's
/// create that landed after the look-up) does not lead to a second post. Also prints what this
/// WordPress does with a second draft asking for the same slug.
#[tokio::test]
#[ignore = "needs a real WordPress: run scripts/wordpress-e2e.sh"]
async fn real_wordpress_on_loopback_removes_a_copy() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set"));
    let base = var("PRAKAT_WP_E2E_URL");
    let user = var("PRAKAT_WP_E2E_USER");
    let password = var("PRAKAT_WP_E2E_PASSWORD").replace(' ', "");
    let mut s = WordpressSettings::new(&base, &user, Secret::new(&password));
    s.url_style = UrlStyle::Query;
    let wp = Wordpress::new(s, &env(Duration::from_secs(60))).unwrap();
    let key = format!("copy{}", Utc::now().timestamp_micros());
    let d = draft(vec![]);
    let slug = prakat_adapters::wordpress::slug(d.announcement_id, &key);
    let http = reqwest::Client::new();
    let create_draft = || async {
        let v: serde_json::Value = http
            .post(format!("{base}/?rest_route=/wp/v2/posts"))
            .basic_auth(&user, Some(&password))
            .json(&serde_json::json!({"title": "earlier attempt", "status": "draft", "slug": slug}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v
    };
    let earlier = create_draft().await;
    assert_eq!(earlier["slug"], slug.as_str(), "{earlier}");
    let probe = create_draft().await;
    println!(
        "a second draft asking for {slug} got {} (unique draft slugs: {})",
        probe["slug"],
        probe["slug"] != slug.as_str()
    );
    let deleted = http
        .delete(format!(
            "{base}/?rest_route=/wp/v2/posts/{}&force=true",
            probe["id"]
        ))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success());

    let payload = wp.prepare(&d).unwrap();
    let receipt = wp
        .publish(&payload, &PublishContext::first(1, &key))
        .await
        .unwrap();

    let same: Vec<serde_json::Value> = http
        .get(format!(
            "{base}/?rest_route=/wp/v2/posts&slug={slug}&status=any&context=edit"
        ))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(same.len(), 1, "{same:?}");
    assert_eq!(same[0]["status"], "publish");
    assert_eq!(receipt.remote_id, Some(same[0]["id"].to_string()));
    let copies: Vec<serde_json::Value> = http
        .get(format!(
            "{base}/?rest_route=/wp/v2/posts&slug={slug}-2&status=any&context=edit"
        ))
        .basic_auth(&user, Some(&password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(copies.is_empty(), "no copy left: {copies:?}");
}
