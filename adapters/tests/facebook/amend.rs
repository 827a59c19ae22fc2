//! Corrections on the fake Page: an edit replaces a post's message (or a video's description
//! and title) once, a retraction deletes it, and the bad days — already deleted, a refused
//! token, rate limits, an answer lost after Facebook acted — end with the Page as Facebook
//! would hold it.

use std::time::Duration;

use axum::http::Method;
use chrono::TimeZone;
use prakat_adapters::facebook::Facebook;
use prakat_adapters::{Channel, Edit, Payload, PublishContext, PublishError, Receipt, Retraction};

use super::fake::{self, Fake, Rule, graph_error};
use super::support::*;

const CORRECTED: &str = "แก้ไข: ประกาศปิดถนนเพชรเกษมชั่วคราว วันที่ ๒๖ พฤศจิกายน ๒๕๖๙ เวลา ๑๐.๐๐–๑๓.๐๐ น.";

fn edit() -> Edit {
    Edit {
        edited_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 4, 0, 0).unwrap(),
        revision: 1,
    }
}

fn retraction() -> Retraction {
    Retraction {
        retracted_at: chrono::Utc.with_ymd_and_hms(2026, 11, 24, 5, 0, 0).unwrap(),
        reason: "ประกาศผิดวัน".into(),
    }
}

/// A text post published through the channel, and the payload of its correction.
async fn published(fb: &Facebook) -> (Receipt, Payload) {
    let first = prepared(fb, &draft(THAI, vec![]));
    let receipt = fb
        .publish(&first, &PublishContext::first(7, "k"))
        .await
        .unwrap();
    (receipt, prepared(fb, &draft(CORRECTED, vec![])))
}

fn id(r: &Receipt) -> String {
    r.remote_id.clone().unwrap()
}

#[tokio::test]
async fn an_edit_replaces_the_message_and_a_retraction_deletes_the_post() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    assert!(fb.amend().is_some_and(|a| a.can_edit() && a.can_retract()));
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);

    let amend = fb.amend().unwrap();
    let after = amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(after.remote_id.as_deref(), Some(post.as_str()));
    assert_eq!(after.url, receipt.url);
    let sent = fake.seen_at(Method::POST, &format!("/{}/{post}", fake::VERSION));
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].form(),
        vec![("message".to_owned(), CORRECTED.to_owned())]
    );
    assert_eq!(
        sent[0].headers["authorization"],
        format!("OAuth {}", fake::TOKEN)
    );
    assert_eq!(fake.message(&post), Some(Some(CORRECTED.to_owned())));
    assert_eq!(fake.posts().len(), 1, "an edit makes no new post");

    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    let deletes = fake.seen_at(Method::DELETE, &format!("/{}/{post}", fake::VERSION));
    assert_eq!(deletes.len(), 1);
    assert!(deletes[0].body.is_empty());
    assert!(fake.posts().is_empty());

    // The second delete finds nothing (error 100, subcode 33): the post is gone, as asked.
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(
        fake.seen_at(Method::DELETE, &format!("/{}/{post}", fake::VERSION))
            .len(),
        2
    );
}

#[tokio::test]
async fn a_shortened_text_is_edited_with_the_website_link_prepare_added() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, _) = published(&fb).await;
    let long = format!("{CORRECTED}\n\n{}", "ขออภัยในความไม่สะดวก ".repeat(4_000));
    let payload = prepared(&fb, &draft(&long, vec![]));
    let link = format!("{PUBLIC}/site/news/42.html");
    assert!(payload.text.contains(&link), "prepare links the full text");

    fb.amend()
        .unwrap()
        .edit(&receipt, &payload, &edit())
        .await
        .unwrap();
    let sent = fake.seen_at(Method::POST, &id(&receipt));
    assert_eq!(
        sent[0].field("message").as_deref(),
        Some(payload.text.as_str())
    );
    assert_eq!(
        fake.message(&id(&receipt)),
        Some(Some(payload.text.clone()))
    );
}

#[tokio::test]
async fn a_video_gets_a_new_description_and_title_and_is_deleted_with_its_post() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let dir = tempfile::tempdir().unwrap();
    let clip = video(dir.path(), b"not really an mp4");
    let first = prepared(&fb, &draft(THAI, vec![clip.clone()]));
    let receipt = fb
        .publish(&first, &PublishContext::first(7, "k"))
        .await
        .unwrap();
    let vid = id(&receipt);
    assert_eq!(fake.videos().len(), 1);

    let mut d = draft(CORRECTED, vec![clip]);
    d.title = "แก้ไข: ปิดถนนชั่วคราว".into();
    let payload = prepared(&fb, &d);
    fb.amend()
        .unwrap()
        .edit(&receipt, &payload, &edit())
        .await
        .unwrap();
    let sent = fake.seen_at(Method::POST, &format!("/{}/{vid}", fake::VERSION));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].field("description").as_deref(), Some(CORRECTED));
    assert_eq!(sent[0].field("name").as_deref(), Some("แก้ไข: ปิดถนนชั่วคราว"));
    assert_eq!(sent[0].field("message"), None);
    let v = &fake.videos()[0];
    assert_eq!(v.description.as_deref(), Some(CORRECTED));
    assert_eq!(v.name.as_deref(), Some("แก้ไข: ปิดถนนชั่วคราว"));
    assert_eq!(
        fake.message(&format!("{}_{vid}", fake::PAGE)),
        Some(Some(CORRECTED.to_owned()))
    );

    fb.amend()
        .unwrap()
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(
        fake.seen_at(Method::DELETE, &format!("/{}/{vid}", fake::VERSION))
            .len(),
        1
    );
    assert!(fake.videos().is_empty());
    assert!(fake.posts().is_empty(), "the video's post went with it");
}

#[tokio::test]
async fn an_edit_of_a_post_deleted_on_the_page_is_left_to_a_person() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, payload) = published(&fb).await;
    let amend = fb.amend().unwrap();
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Rejected(m) if m.contains("no longer on the Page") && m.contains("subcode 33")),
        "{e:?}"
    );
    assert!(fake.posts().is_empty(), "nothing was posted again");
}

#[tokio::test]
async fn a_refused_token_is_an_auth_error_and_changes_nothing() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);
    fake.script(Rule::error(
        Method::POST,
        &post,
        400,
        graph_error(190, Some(460), "Error validating access token: The session has been invalidated because the user changed their password."),
    ));
    fake.script(Rule::error(
        Method::DELETE,
        &post,
        403,
        graph_error(200, None, "(#200) Permissions error"),
    ));
    let amend = fb.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("code 190")),
        "{e:?}"
    );
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("code 200")),
        "{e:?}"
    );
    assert_eq!(fake.message(&post), Some(Some(THAI.to_owned())));
    assert_eq!(fake.seen_at(Method::POST, &post).len(), 1);
    assert_eq!(fake.seen_at(Method::DELETE, &post).len(), 1);
}

#[tokio::test]
async fn rate_limits_wait_for_the_time_facebook_gives() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);
    let buc = r#"{"1755847768034402":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":7}]}"#;
    fake.script(
        Rule::error(
            Method::POST,
            &post,
            400,
            graph_error(32, None, "(#32) Page request limit reached"),
        )
        .header("x-business-use-case-usage", buc),
    );
    fake.script(
        Rule::error(Method::DELETE, &post, 429, serde_json::json!("slow down"))
            .header("retry-after", "40"),
    );
    let amend = fb.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(7 * 60)),
        "{e:?}"
    );
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(40)),
        "{e:?}"
    );
    assert_eq!(fake.message(&post), Some(Some(THAI.to_owned())));

    // Once the wait is over, the same calls go through.
    amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(fake.message(&post), Some(Some(CORRECTED.to_owned())));
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert!(fake.posts().is_empty());
}

#[tokio::test]
async fn an_edit_whose_answer_is_lost_is_repeated_and_the_text_is_replaced_once() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);
    fake.script(Rule::applied_then(
        Method::POST,
        &post,
        500,
        graph_error(
            2,
            None,
            "An unexpected error has occurred. Please retry your request later.",
        ),
    ));
    let amend = fb.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert_eq!(e.class(), "transient", "{e:?}");
    assert_eq!(
        fake.message(&post),
        Some(Some(CORRECTED.to_owned())),
        "Facebook acted"
    );

    let again = amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(again.remote_id.as_deref(), Some(post.as_str()));
    let sent = fake.seen_at(Method::POST, &post);
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|s| s.field("message").as_deref() == Some(CORRECTED))
    );
    assert_eq!(fake.message(&post), Some(Some(CORRECTED.to_owned())));
    assert_eq!(fake.posts().len(), 1, "no second post");
    assert_eq!(
        fake.seen_at(Method::POST, "/feed").len(),
        1,
        "only the first publish"
    );
}

#[tokio::test]
async fn a_delete_whose_answer_never_comes_is_repeated_and_finds_the_post_gone() {
    let fake = Fake::start().await;
    let fb = Facebook::new(settings(&fake), &env(Duration::from_millis(500))).unwrap();
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);
    fake.script(Rule::late(Method::DELETE, &post, Duration::from_secs(3)));
    let amend = fb.amend().unwrap();
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "transient", "a delete is safe to repeat: {e:?}");
    assert!(
        fake.posts().is_empty(),
        "Facebook deleted it before the answer was lost"
    );

    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(fake.seen_at(Method::DELETE, &post).len(), 2);
    assert!(fake.posts().is_empty());
}

#[tokio::test]
async fn a_delete_answered_with_a_5xx_after_acting_is_repeated_to_done() {
    let fake = Fake::start().await;
    let fb = channel(&fake);
    let (receipt, payload) = published(&fb).await;
    let post = id(&receipt);
    fake.script(Rule::applied_then(
        Method::DELETE,
        &post,
        503,
        serde_json::json!("Service Unavailable"),
    ));
    let amend = fb.amend().unwrap();
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "transient", "{e:?}");
    assert!(fake.posts().is_empty());
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(fake.seen_at(Method::DELETE, &post).len(), 2);
}
