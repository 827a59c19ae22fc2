//! Error classification by Graph error code, rate-limit waits, and reconcile after an
//! ambiguous outcome (duplicate post, timeout after the request left).

use std::time::Duration;

use axum::http::Method;
use prakat_adapters::facebook::Facebook;
use prakat_adapters::{Channel, PublishContext, PublishError};
use serde_json::json;

use super::fake::{self, Fake, Rule, graph_error};
use super::support::*;

async fn feed_error(
    status: u16,
    body: serde_json::Value,
    header: Option<(&str, &str)>,
) -> PublishError {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let mut rule = Rule::error(Method::POST, "/feed", status, body);
    if let Some((k, v)) = header {
        rule = rule.header(k, v);
    }
    fake.script(rule);
    let payload = prepared(&fb, &draft(THAI, vec![]));
    fb.publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap_err()
}

const BUC: &str = r#"{"1755847768034402":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":7}]}"#;

#[tokio::test]
async fn rate_limit_codes_wait_for_the_business_use_case_estimate() {
    for code in [4, 17, 32, 613, 80001] {
        let e = feed_error(
            400,
            graph_error(code, None, "(#32) Page request limit reached"),
            Some(("x-business-use-case-usage", BUC)),
        )
        .await;
        match e {
            PublishError::RetryAfter(d, msg) => {
                assert_eq!(d, Duration::from_secs(7 * 60), "code {code}");
                assert!(msg.contains("Page request limit reached"), "{msg}");
            }
            other => panic!("code {code}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_rate_limit_without_an_estimate_waits_the_default() {
    let e = feed_error(
        400,
        graph_error(
            80001,
            None,
            "There have been too many calls to this Page account.",
        ),
        Some((
            "x-app-usage",
            r#"{"call_count":100,"total_cputime":4,"total_time":9}"#,
        )),
    )
    .await;
    assert!(
        matches!(e, PublishError::RetryAfter(d, ref m)
            if d == Duration::from_secs(300) && m.contains("too many calls to this Page")),
        "{e:?}"
    );
    let e = feed_error(429, json!("slow down"), None).await;
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(300)),
        "{e:?}"
    );
}

/// Facebook says to retry codes 1 and 2, but on a create the post may already exist: the
/// dispatcher must look before it sends again.
#[tokio::test]
async fn unknown_and_service_errors_on_a_create_are_ambiguous() {
    for (status, code) in [(400, 1), (500, 2)] {
        let e = feed_error(
            status,
            graph_error(code, None, "An unknown error occurred"),
            None,
        )
        .await;
        assert!(
            matches!(e, PublishError::Ambiguous(ref m) if m.contains("code")),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn expired_tokens_and_missing_permissions_are_auth_errors_kept_whole() {
    let msg =
        "Error validating access token: Session has expired on Monday, 23-Nov-26 09:00:00 PST.";
    let e = feed_error(400, graph_error(190, Some(463), msg), None).await;
    match e {
        PublishError::Auth(m) => {
            assert!(m.contains(msg), "{m}");
            assert!(
                m.contains("subcode 463") && m.contains("fbtrace_id AbCdEfGhIj"),
                "{m}"
            );
        }
        other => panic!("{other:?}"),
    }
    let e = feed_error(
        403,
        graph_error(
            200,
            None,
            "(#200) The user hasn't authorized the application to perform this action",
        ),
        None,
    )
    .await;
    assert!(
        matches!(e, PublishError::Auth(ref m) if m.contains("(#200)")),
        "{e:?}"
    );
    let e = feed_error(
        400,
        graph_error(
            10,
            None,
            "(#10) Application does not have permission for this action",
        ),
        None,
    )
    .await;
    assert!(matches!(e, PublishError::Auth(_)), "{e:?}");
}

#[tokio::test]
async fn policy_blocks_and_invalid_parameters_are_rejections() {
    let e = feed_error(
        400,
        graph_error(
            368,
            Some(1390008),
            "The action attempted has been deemed abusive or is otherwise disallowed",
        ),
        None,
    )
    .await;
    match e {
        PublishError::Rejected(m) => {
            assert!(m.contains("a person must check"), "{m}");
            assert!(m.contains("deemed abusive"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let e = feed_error(
        400,
        graph_error(100, None, "(#100) Invalid parameter"),
        None,
    )
    .await;
    assert!(
        matches!(e, PublishError::Rejected(ref m) if m.contains("Invalid parameter")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_server_error_on_a_create_is_ambiguous() {
    let e = feed_error(502, json!("<html>Bad Gateway</html>"), None).await;
    assert!(
        matches!(e, PublishError::Ambiguous(ref m) if m.contains("502")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_duplicate_post_is_ambiguous_and_reconcile_finds_the_earlier_post() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let payload = prepared(&fb, &draft(THAI, vec![]));
    // The earlier post, as Facebook rewrote its line ends.
    let earlier = fake.add_post(&THAI.replace("\n\n", "\r\n\r\n"));
    fake.add_post("ประกาศอื่น");
    fake.script(Rule::error(
        Method::POST,
        "/feed",
        400,
        graph_error(506, None, "(#506) Duplicate status message"),
    ));
    let e = fb
        .publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, PublishError::Ambiguous(ref m) if m.contains("Duplicate status message")),
        "{e:?}"
    );

    let found = fb
        .reconcile()
        .unwrap()
        .find_published(&payload, "k")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.remote_id, Some(earlier.clone()));
    assert!(found.deduplicated);
    let list = &fake.seen_at(Method::GET, "/posts")[0];
    assert_eq!(
        list.field("fields").as_deref(),
        Some("id,message,created_time,permalink_url")
    );
    let since: i64 = list.field("since").unwrap().parse().unwrap();
    assert!(since < payload.published_at.timestamp());
    assert_eq!(
        found.url,
        Some(format!(
            "https://www.facebook.com/{}/posts/{}",
            fake::PAGE,
            earlier.split('_').nth(1).unwrap()
        ))
    );
}

#[tokio::test]
async fn a_timeout_after_the_post_left_is_ambiguous_and_reconcile_finds_it_without_reposting() {
    let fake = Fake::start().await;
    let fb = Facebook::new(settings(&fake), &env(Duration::from_secs(1))).unwrap();
    let payload = prepared(&fb, &draft(THAI, vec![]));
    fake.script(Rule::late(Method::POST, "/feed", Duration::from_secs(30)));
    let e = fb
        .publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap_err();
    assert!(matches!(e, PublishError::Ambiguous(_)), "{e:?}");
    let found = fb
        .reconcile()
        .unwrap()
        .find_published(&payload, "k")
        .await
        .unwrap();
    assert_eq!(found.unwrap().remote_id, Some(fake.posts()[0].id.clone()));
    assert_eq!(
        fake.seen_at(Method::POST, "/feed").len(),
        1,
        "no second POST /feed"
    );

    let other = prepared(&fb, &draft("ข้อความที่ไม่เคยโพสต์", vec![]));
    // The same text posted for yesterday's occurrence of a recurring announcement is not it.
    fake.add_post_at("ข้อความที่ไม่เคยโพสต์", "2026-11-23T02:00:00+0000");
    assert_eq!(
        fb.reconcile()
            .unwrap()
            .find_published(&other, "k2")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_page_usage_estimate_is_used_when_there_is_no_business_header() {
    let e = feed_error(
        400,
        graph_error(32, None, "(#32) Page request limit reached"),
        Some((
            "x-page-usage",
            r#"{"call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":12}"#,
        )),
    )
    .await;
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(12 * 60)),
        "{e:?}"
    );
}
