//! Google's error answers and the quota, each mapped to its PublishError variant.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use prakat_adapters::{Channel, PublishError};
use serde_json::json;

use crate::fake::{INITIAL_REFRESH, error_body, quota_exceeded};
use crate::harness::Harness;

#[tokio::test]
async fn quota_exceeded_waits_until_pacific_midnight_and_blocks_further_inserts() {
    let h = Harness::new().await;
    // 09:00 UTC on 24 November 2026 is 01:00 PST: the quota resets at 08:00 UTC on the 25th.
    h.set_now("2026-11-24T09:00:00Z");
    h.fake
        .script(|s| s.start_error = Some((403, quota_exceeded(), None)));
    let yt = h.channel();
    let payload = h.payload(&yt);
    let until: DateTime<Utc> = "2026-11-25T08:00:00Z".parse().unwrap();
    match yt.publish(&payload, &h.ctx(1, None)).await {
        Err(PublishError::QuotaExhausted { until: u, message }) => {
            assert_eq!(u, until);
            assert!(message.contains("quotaExceeded"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let starts = h.fake.upload_requests().len();
    match yt.publish(&payload, &h.ctx(2, None)).await {
        Err(PublishError::QuotaExhausted { until: u, .. }) => assert_eq!(u, until),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        h.fake.upload_requests().len(),
        starts,
        "no insert sent while the bucket is empty"
    );
    let health = yt.healthcheck().await.unwrap().to_string();
    assert!(health.contains("videos.insert 100/100 today"), "{health}");
}

#[tokio::test]
async fn each_error_class_maps_to_its_variant() {
    let cases: Vec<(u16, serde_json::Value, Option<u64>, &str)> = vec![
        (
            400,
            error_body(
                400,
                "youtube.video",
                "uploadLimitExceeded",
                "The user has exceeded the number of videos they may upload.",
            ),
            None,
            "quota",
        ),
        (
            401,
            error_body(401, "global", "authError", "Invalid Credentials"),
            None,
            "auth",
        ),
        (
            403,
            error_body(403, "global", "forbidden", "Forbidden"),
            None,
            "auth",
        ),
        (
            403,
            error_body(
                403,
                "global",
                "insufficientPermissions",
                "Insufficient Permission",
            ),
            None,
            "auth",
        ),
        (
            400,
            error_body(
                400,
                "youtube.video",
                "invalidTitle",
                "The request metadata specifies an invalid or empty video title.",
            ),
            None,
            "rejected",
        ),
        (
            400,
            error_body(
                400,
                "youtube.video",
                "invalidDescription",
                "The request metadata specifies an invalid video description.",
            ),
            None,
            "rejected",
        ),
        (
            400,
            error_body(
                400,
                "youtube.video",
                "badContent",
                "The media content is invalid.",
            ),
            None,
            "rejected",
        ),
        (
            429,
            error_body(429, "global", "rateLimitExceeded", "Too many requests"),
            Some(30),
            "retry_after",
        ),
        (
            503,
            error_body(503, "global", "backendError", "Backend Error"),
            None,
            "ambiguous",
        ),
    ];
    for (status, body, retry, class) in cases {
        let h = Harness::new().await;
        h.set_now("2026-11-24T09:00:00Z");
        let reason = body["error"]["errors"][0]["reason"].clone();
        h.fake
            .script(|s| s.start_error = Some((status, body, retry)));
        let yt = h.channel();
        let err = yt
            .publish(&h.payload(&yt), &h.ctx(1, None))
            .await
            .unwrap_err();
        assert_eq!(err.class(), class, "{status} {reason}: {err:?}");
        match err {
            PublishError::RetryAfter(d, _) => assert_eq!(d, Duration::from_secs(30)),
            PublishError::QuotaExhausted { until, .. } => {
                assert_eq!(
                    until,
                    h.now.lock().unwrap().to_owned() + TimeDelta::hours(24)
                )
            }
            PublishError::Rejected(m) | PublishError::Auth(m) => {
                assert!(
                    m.contains(reason.as_str().unwrap()),
                    "the message is kept: {m}"
                )
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_revoked_refresh_token_is_an_auth_error() {
    let h = Harness::new().await;
    h.fake.script(|s| {
        s.token_error = Some((
            400,
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        ))
    });
    let yt = h.channel();
    let err = yt
        .publish(&h.payload(&yt), &h.ctx(1, None))
        .await
        .unwrap_err();
    match err {
        PublishError::Auth(m) => {
            assert!(m.contains("sign in again"), "{m}");
            assert!(m.contains("Token has been expired or revoked."), "{m}");
            assert!(!m.contains(INITIAL_REFRESH), "no token in messages");
        }
        other => panic!("{other:?}"),
    }
    assert!(h.fake.upload_requests().is_empty());
}
