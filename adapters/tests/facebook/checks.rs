//! Reach with retired metrics, `prepare` refusing before any request, health check lines, and
//! tokens kept out of URLs and logs.

use std::time::Duration;

use axum::http::Method;
use prakat_adapters::facebook::{Facebook, TEXT_MAX};
use prakat_adapters::{Channel, MediaKind, PublishError, Receipt};

use super::fake::{self, Fake, Rule, graph_error};
use super::support::*;

#[tokio::test]
async fn reach_falls_back_metric_by_metric_when_one_is_retired() {
    let fake = Fake::start().await;
    fake.state
        .lock()
        .unwrap()
        .retired_metrics
        .extend(["post_total_media_view_unique", "post_clicks"].map(String::from));
    let fb = channel(&fake);
    let receipt = Receipt {
        remote_id: Some(format!("{}_901", fake::PAGE)),
        ..Receipt::default()
    };
    let sample = fb.reach_source().unwrap().reach(&receipt).await.unwrap();
    assert_eq!(sample.views, Some(1200));
    assert_eq!(
        sample.unique_viewers,
        Some(750),
        "from post_impressions_unique"
    );
    assert_eq!(sample.reactions, Some(37));
    assert_eq!(
        sample.clicks, None,
        "retired with no older name: empty, not an error"
    );
    assert_eq!(sample.shares, Some(7));
    assert_eq!(sample.comments, Some(9));
    let asked: Vec<String> = fake
        .seen_at(Method::GET, "/insights")
        .iter()
        .map(|s| s.field("metric").unwrap())
        .collect();
    assert_eq!(
        asked[0],
        "post_media_view,post_total_media_view_unique,post_reactions_by_type_total,post_clicks"
    );
    assert!(
        asked.contains(&"post_impressions_unique".to_owned()),
        "{asked:?}"
    );
}

#[tokio::test]
async fn reach_reports_a_dead_token_instead_of_empty_numbers() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    fake.script(Rule::error(Method::GET, "/insights", 400, graph_error(190, Some(460), "Error validating access token: The session has been invalidated because the user changed their password")));
    let receipt = Receipt {
        remote_id: Some(format!("{}_901", fake::PAGE)),
        ..Receipt::default()
    };
    let e = fb
        .reach_source()
        .unwrap()
        .reach(&receipt)
        .await
        .unwrap_err();
    assert!(
        matches!(e, PublishError::Auth(ref m) if m.contains("changed their password")),
        "{e:?}"
    );
}

#[tokio::test]
async fn oversized_video_and_too_many_photos_are_refused_before_any_request() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let mut big = image(1);
    big.kind = MediaKind::Video;
    big.mime = "video/mp4".into();
    big.size = 11 * 1024 * 1024 * 1024;
    let r = fb.prepare(&draft(THAI, vec![big])).unwrap_err();
    assert!(
        r.th.contains("วิดีโอใหญ่เกินไปสำหรับ Facebook (11264.0/10240.0 MB)"),
        "{}",
        r.th
    );
    let photos: Vec<_> = (1..=11).map(image).collect();
    let r = fb.prepare(&draft(THAI, photos)).unwrap_err();
    assert!(r.th.contains("(11/10 ภาพ)"), "{}", r.th);
    assert!(r.en.contains("11/10"), "{}", r.en);
    let mut gif = image(2);
    gif.mime = "image/webp".into();
    assert!(
        fb.prepare(&draft(THAI, vec![gif]))
            .unwrap_err()
            .th
            .contains("image/webp")
    );
    let mut mixed = vec![image(1)];
    mixed.push(video(std::env::temp_dir().as_path(), b"x"));
    assert!(fb.prepare(&draft(THAI, mixed)).is_err());
    assert!(fake.seen().is_empty(), "prepare never reaches Facebook");
}

#[tokio::test]
async fn a_long_text_is_shortened_with_a_link_and_a_note() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let long = "ประกาศสำคัญ ".repeat(6_000);
    let payload = fb.prepare(&draft(&long, vec![])).unwrap();
    let n = payload.text.chars().count();
    assert!(n <= TEXT_MAX, "{n}");
    assert!(
        payload
            .text
            .ends_with("https://prakat.example.go.th/site/news/42.html")
    );
    assert_eq!(payload.notes.len(), 1);
    assert!(
        payload.notes[0].contains(&format!("{}", long.chars().count())),
        "{}",
        payload.notes[0]
    );
}

#[tokio::test]
async fn healthcheck_names_missing_permissions_expiry_and_usage_in_one_line() {
    let fake = Fake::start().await;
    {
        let mut s = fake.state.lock().unwrap();
        s.token_scopes.retain(|p| p != "read_insights");
        s.token_expires_at = 1_800_000_000;
    }
    let fb = channel(&fake);
    let health = fb.healthcheck().await.unwrap();
    assert_eq!(health.missing_permissions, vec!["read_insights".to_owned()]);
    assert_eq!(
        health.to_string(),
        format!(
            "facebook: Page {} ({}) reachable, token valid (PAGE); token expires 2027-01-15 08:00 UTC; \
             missing permissions: read_insights; quota: business use case usage 12%",
            fake::PAGE_NAME,
            fake::PAGE
        )
    );

    fake.state.lock().unwrap().token_expires_at = 0;
    let health = fb.healthcheck().await.unwrap();
    assert!(health.to_string().contains("never expires"), "{health}");
    assert_eq!(health.token_expires_at, None);
}

#[tokio::test]
async fn healthcheck_with_a_dead_token_is_an_auth_error() {
    let fake = Fake::start().await;
    let mut s = settings(&fake);
    s.page_access_token = prakat_adapters::Secret::new("EAA-revoked");
    let fb = Facebook::new(s, &env(Duration::from_secs(5))).unwrap();
    let e = fb.healthcheck().await.unwrap_err();
    assert!(
        matches!(e, PublishError::Auth(ref m) if m.contains("Invalid OAuth access token")),
        "{e:?}"
    );
}

#[tokio::test]
async fn healthcheck_falls_back_to_me_permissions_when_debug_token_is_refused() {
    let fake = Fake::start().await;
    fake.state
        .lock()
        .unwrap()
        .token_scopes
        .retain(|p| p != "pages_manage_posts");
    fake.script(Rule::error(
        Method::GET,
        "/debug_token",
        400,
        graph_error(100, None, "(#100) You must provide an app access token"),
    ));
    let fb = channel(&fake);
    let health = fb.healthcheck().await.unwrap();
    assert_eq!(
        health.missing_permissions,
        vec!["pages_manage_posts".to_owned()]
    );
    assert_eq!(health.token_expires_at, None);
    assert!(
        !health.summary.contains("never expires"),
        "expiry unknown: {health}"
    );
    assert_eq!(fake.seen_at(Method::GET, "/me/permissions").len(), 1);
}
