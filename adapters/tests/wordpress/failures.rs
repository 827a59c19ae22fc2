//! What goes wrong: platform errors and their variants, wrong passwords, health checks, and
//! what `prepare` refuses or shortens before any request.

use std::time::Duration;

use axum::http::Method;
use prakat_adapters::wordpress::{PostStatus, UrlStyle, Wordpress, WordpressSettings};
use prakat_adapters::{Channel, MediaKind, MediaRef, PublishContext, PublishError, Secret};

use crate::fake::{Fake, Scripted};
use crate::support::*;

/// Route answered with an error, status, headers, body, and the expected `PublishError::class`.
type ErrorCase = (
    &'static str,
    u16,
    Vec<(&'static str, &'static str)>,
    String,
    &'static str,
);

#[tokio::test]
async fn errors_map_to_the_variant_that_decides_the_retry() {
    let wp_err = |code: &str, msg: &str, status: u16| {
        serde_json::json!({"code": code, "message": msg, "data": {"status": status}}).to_string()
    };
    let cases: Vec<ErrorCase> = vec![
        (
            "/wp/v2/posts",
            401,
            vec![],
            wp_err(
                "rest_not_logged_in",
                "You are not currently logged in.",
                401,
            ),
            "auth",
        ),
        (
            "/wp/v2/posts",
            403,
            vec![],
            wp_err(
                "rest_cannot_create",
                "Sorry, you are not allowed to create posts as this user.",
                403,
            ),
            "auth",
        ),
        (
            "/wp/v2/posts",
            400,
            vec![],
            wp_err("rest_invalid_param", "Invalid parameter(s): date_gmt", 400),
            "rejected",
        ),
        (
            "/wp/v2/posts",
            429,
            vec![("retry-after", "12")],
            String::new(),
            "retry_after",
        ),
        ("/wp/v2/posts", 429, vec![], String::new(), "retry_after"),
        (
            "/wp/v2/posts",
            503,
            vec![],
            "<html>Service Unavailable</html>".into(),
            "ambiguous",
        ),
        (
            "/wp/v2/posts",
            500,
            vec![],
            wp_err(
                "db_insert_error",
                "Could not insert post into the database.",
                500,
            ),
            "ambiguous",
        ),
        (
            "/wp/v2/media",
            413,
            vec![],
            "<html><h1>413 Request Entity Too Large</h1></html>".into(),
            "rejected",
        ),
        (
            "/wp/v2/media",
            400,
            vec![],
            wp_err(
                "rest_upload_sideload_error",
                "Sorry, you are not allowed to upload this file type.",
                400,
            ),
            "rejected",
        ),
        (
            "/wp/v2/media",
            502,
            vec![],
            "<html>Bad Gateway</html>".into(),
            "transient",
        ),
        (
            "/wp/v2/categories",
            403,
            vec![],
            wp_err(
                "rest_cannot_create",
                "Sorry, you are not allowed to create terms in this taxonomy.",
                403,
            ),
            "auth",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let photo = media(&dir, "x.jpg", "image/jpeg", b"x");
    for (route, status, headers, body, class) in cases {
        let fake = Fake::start().await;
        let method = Method::POST;
        fake.script(Scripted {
            method,
            route: route.into(),
            status,
            headers,
            body: body.clone(),
        });
        let wp = channel(&fake, UrlStyle::Query);
        let payload = wp.prepare(&draft(vec![photo.clone()])).unwrap();
        let e = wp
            .publish(&payload, &PublishContext::first(1, KEY))
            .await
            .unwrap_err();
        assert_eq!(e.class(), class, "{route} {status} {body}: {e}");
        if let Some(code) = body.split('"').nth(3).filter(|_| body.starts_with('{')) {
            assert!(
                e.to_string().contains(code),
                "the platform's words are kept: {e}"
            );
        }
        if route == "/wp/v2/categories" || route == "/wp/v2/media" {
            assert_eq!(
                fake.count(Method::POST, "/wp/v2/posts"),
                0,
                "{route}: no post after a failure"
            );
        }
    }
}

#[tokio::test]
async fn a_wrong_application_password_is_auth() {
    let fake = Fake::start().await;
    let mut s = settings(&fake, UrlStyle::Query);
    s.application_password = Secret::new("wrong pass word");
    let wp = Wordpress::new(s, &env(Duration::from_secs(5))).unwrap();
    let payload = wp.prepare(&draft(vec![])).unwrap();
    let e = wp
        .publish(&payload, &PublishContext::first(1, KEY))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("incorrect_password")),
        "{e:?}"
    );
    assert!(
        !e.to_string().contains("wrong"),
        "the password never shows: {e}"
    );
    assert_eq!(fake.count(Method::POST, "/wp/v2/posts"), 0);
}

#[tokio::test]
async fn healthcheck_names_the_user_and_the_missing_capability() {
    let fake = Fake::start().await;
    fake.with(|i| i.capabilities.retain(|c| *c != "manage_categories"));
    let wp = channel(&fake, UrlStyle::Query);
    let h = wp.healthcheck().await.unwrap();
    assert_eq!(h.missing_permissions, vec!["manage_categories".to_owned()]);
    assert_eq!(
        h.to_string(),
        "WordPress \"สถานีตำรวจภูธรตัวอย่าง\" answers (query URLs); signed in as prakat (author); missing permissions: manage_categories"
    );
    let seen = fake.seen();
    assert_eq!(seen[0].query["rest_route"], "/");
    assert_eq!(seen[1].query["rest_route"], "/wp/v2/users/me");
    assert_eq!(seen[1].query["context"], "edit");
}

#[tokio::test]
async fn healthcheck_in_pretty_style_on_a_site_without_pretty_permalinks_says_so() {
    let fake = Fake::start().await;
    fake.with(|i| i.pretty_permalinks = false);
    let wp = channel(&fake, UrlStyle::Pretty);
    let e = wp.healthcheck().await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("url_style")),
        "{e:?}"
    );
    assert_eq!(fake.seen()[0].path, "/wp-json/");
    // The same site answers in query style.
    let ok = channel(&fake, UrlStyle::Query).healthcheck().await.unwrap();
    assert!(ok.missing_permissions.is_empty(), "{ok}");
}

#[tokio::test]
async fn oversized_or_unsupported_media_is_refused_before_any_request() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let big = MediaRef {
        sha256: "ab".repeat(32),
        mime: "image/jpeg".into(),
        kind: MediaKind::Image,
        size: 11 * 1024 * 1024 + 300_000,
        path: "/nonexistent/big.jpg".into(),
        original_name: "ภาพใหญ่.jpg".into(),
    };
    let r = wp.prepare(&draft(vec![big.clone()])).unwrap_err();
    assert!(
        r.th.contains("รูปภาพใหญ่เกินไปสำหรับ WordPress (11.3/10.0 MB)"),
        "{}",
        r.th
    );
    assert!(r.en.contains("10.0 MB"), "{}", r.en);
    let svg = MediaRef {
        mime: "image/svg+xml".into(),
        size: 10,
        ..big
    };
    let r = wp.prepare(&draft(vec![svg])).unwrap_err();
    assert!(r.th.contains("image/svg+xml"), "{}", r.th);
    assert!(fake.seen().is_empty(), "no request may reach the site");
}

#[tokio::test]
async fn a_very_long_title_is_shortened_with_a_note() {
    let fake = Fake::start().await;
    let wp = channel(&fake, UrlStyle::Query);
    let mut d = draft(vec![]);
    d.title = "ประกาศ ".repeat(300);
    let p = wp.prepare(&d).unwrap();
    let n = p.title.chars().count();
    assert!(n <= prakat_adapters::wordpress::TITLE_MAX_CHARS, "{n}");
    assert_eq!(p.notes.len(), 1);
    assert!(p.notes[0].contains("2100"), "{:?}", p.notes);
}

#[test]
fn settings_read_from_toml_with_defaults_and_a_redacted_password() {
    let s: WordpressSettings = toml::from_str(
        "base_url = \"https://station.example\"\nusername = \"prakat\"\napplication_password = \"abcd efgh\"\n",
    )
    .unwrap();
    assert_eq!(s.url_style, UrlStyle::Query);
    assert_eq!(s.status, PostStatus::Publish);
    assert_eq!(s.max_upload_mb, 10);
    assert_eq!(s.concurrency, None);
    assert!(s.categories.is_empty() && s.category_prefix.is_empty());
    assert!(!format!("{s:?}").contains("abcd"));
    let e = toml::from_str::<WordpressSettings>(
        "base_url = \"https://s\"\nusername = \"u\"\napplication_password = \"p\"\nurl_styl = \"pretty\"\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("url_styl"), "{e}");
    let wp = Wordpress::new(s, &env(Duration::from_secs(1))).unwrap();
    assert_eq!(wp.kind(), "wordpress");
    assert!(
        wp.reach_source().is_none(),
        "WordPress core counts no views"
    );
    let mut prefixed = WordpressSettings::new("https://s.example", "u", Secret::new("p"));
    prefixed.category_prefix = "ข่าว".into();
    let wp = Wordpress::new(prefixed, &env(Duration::from_secs(1))).unwrap();
    assert_eq!(wp.category_name(&department()), "ข่าวงานจราจร");
}
