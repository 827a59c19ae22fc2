//! Corrections on the fake YouTube: an edit sends the video's snippet back with the new title
//! and description (tags, fingerprint and category kept), a retraction deletes the video, and
//! the bad days — already deleted, a token without the scope, a rate limit, the quota, an
//! answer lost after YouTube acted — end with the channel as YouTube would hold it.

use chrono::{TimeZone, Utc};
use prakat_adapters::youtube::{QuotaSettings, Youtube, fingerprint_tag, watch_url};
use prakat_adapters::{Channel, Edit, Payload, PublishError, Receipt, Retraction};
use serde_json::{Value, json};

use crate::fake::{Recorded, error_body, quota_exceeded};
use crate::harness::{Harness, KEY};

/// A token that may change and delete videos, as after consenting to the `youtube` scope.
const MANAGE_SCOPE: &str =
    "https://www.googleapis.com/auth/youtube https://www.googleapis.com/auth/youtube.readonly";
const NEW_TITLE: &str = "แก้ไข: ปิดถนนชั่วคราว ๒๖ พ.ย.";
const NEW_TEXT: &str = "เลื่อนการปิดถนนเป็นวันที่ ๒๖ พฤศจิกายน เวลา ๑๐.๐๐ น.";

fn edit() -> Edit {
    Edit {
        edited_at: Utc.with_ymd_and_hms(2026, 11, 24, 4, 0, 0).unwrap(),
        revision: 1,
    }
}

fn retraction() -> Retraction {
    Retraction {
        retracted_at: Utc.with_ymd_and_hms(2026, 11, 24, 5, 0, 0).unwrap(),
        reason: "ประกาศผิด".into(),
    }
}

/// Upload the announcement's video and prepare its correction.
async fn published(h: &Harness, yt: &Youtube) -> (Receipt, Payload) {
    let receipt = yt.publish(&h.payload(yt), &h.ctx(1, None)).await.unwrap();
    let mut d = h.draft();
    d.title = NEW_TITLE.into();
    d.text = NEW_TEXT.into();
    (receipt, yt.prepare(&d).unwrap())
}

fn data_api(h: &Harness, method: &str) -> Vec<Recorded> {
    h.fake
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path == "/youtube/v3/videos")
        .collect()
}

fn snippet(h: &Harness) -> Value {
    h.fake.lock().videos[0].metadata["snippet"].clone()
}

async fn managing() -> (Harness, Youtube, Receipt, Payload) {
    let h = Harness::new().await;
    h.fake.script(|s| s.scope = Some(MANAGE_SCOPE.into()));
    let yt = h.channel();
    let (receipt, payload) = published(&h, &yt).await;
    (h, yt, receipt, payload)
}

#[tokio::test]
async fn an_edit_replaces_title_and_description_and_keeps_the_rest_of_the_snippet() {
    let (h, yt, receipt, payload) = managing().await;
    let before = snippet(&h);
    let amend = yt.amend().unwrap();
    assert!(amend.can_edit() && amend.can_retract());

    let after = amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(after.remote_id.as_deref(), Some("vid1"));
    assert_eq!(after.url, Some(watch_url("vid1")));

    let read = data_api(&h, "GET");
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].query["part"], "snippet");
    assert_eq!(read[0].query["id"], "vid1");
    let put = data_api(&h, "PUT");
    assert_eq!(put.len(), 1);
    assert_eq!(put[0].query["part"], "snippet");
    assert!(
        put[0]
            .header("authorization")
            .unwrap()
            .starts_with("Bearer ya29.")
    );
    let sent = put[0].json();
    assert_eq!(sent["id"], "vid1");
    assert_eq!(sent["snippet"]["title"], NEW_TITLE);
    assert_eq!(sent["snippet"]["description"], NEW_TEXT);
    assert_eq!(sent["snippet"]["categoryId"], before["categoryId"]);
    assert_eq!(sent["snippet"]["tags"], before["tags"]);
    assert_eq!(
        sent["snippet"]["tags"],
        json!(["จราจร", "ระนอง", fingerprint_tag(KEY)])
    );

    let now = snippet(&h);
    assert_eq!(now["title"], NEW_TITLE);
    assert_eq!(now["description"], NEW_TEXT);
    assert_eq!(now["tags"], before["tags"], "reconcile still finds it");
    assert_eq!(h.fake.lock().videos.len(), 1);
}

#[tokio::test]
async fn a_retraction_deletes_the_video_and_a_second_finds_it_gone() {
    let (h, yt, receipt, payload) = managing().await;
    let amend = yt.amend().unwrap();
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    let deletes = data_api(&h, "DELETE");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].query["id"], "vid1");
    assert!(deletes[0].body.is_empty());
    assert!(h.fake.lock().videos.is_empty());

    // 404 videoNotFound: deleted already, as asked.
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(data_api(&h, "DELETE").len(), 2);

    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Rejected(m) if m.contains("no longer on the channel")),
        "{e:?}"
    );
    assert!(data_api(&h, "PUT").is_empty(), "nothing to update");
}

#[tokio::test]
async fn a_token_without_the_youtube_scope_is_an_auth_error() {
    let h = Harness::new().await;
    let yt = h.channel();
    let (receipt, payload) = published(&h, &yt).await;
    let before = snippet(&h);
    let amend = yt.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(&e, PublishError::Auth(m) if m.contains("insufficientPermissions")),
        "{e:?}"
    );
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "auth", "{e:?}");
    assert_eq!(snippet(&h), before);
    assert_eq!(h.fake.lock().videos.len(), 1);
}

#[tokio::test]
async fn rate_limits_and_the_quota_wait_and_then_the_same_calls_go_through() {
    let (h, yt, receipt, payload) = managing().await;
    let amend = yt.amend().unwrap();
    h.fake.script(|s| {
        s.amend_error = Some((
            "PUT",
            403,
            error_body(
                403,
                "youtube.api",
                "rateLimitExceeded",
                "Too many requests.",
            ),
            Some(20),
        ))
    });
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert!(
        matches!(e, PublishError::RetryAfter(d, _) if d.as_secs() == 20),
        "{e:?}"
    );
    h.fake.script(|s| {
        s.amend_error = Some(("DELETE", 429, error_body(429, "global", "", "slow"), None))
    });
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "retry_after", "{e:?}");
    h.fake
        .script(|s| s.amend_error = Some(("PUT", 403, quota_exceeded(), None)));
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert_eq!(e.class(), "quota", "{e:?}");
    assert_eq!(snippet(&h)["title"], h.payload(&yt).title);

    // The next Pacific day: the local count is empty again and the edit goes through.
    h.set_now("2026-11-26T12:00:00Z");
    amend.edit(&receipt, &payload, &edit()).await.unwrap();
    assert_eq!(snippet(&h)["title"], NEW_TITLE);
    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert!(h.fake.lock().videos.is_empty());
}

#[tokio::test]
async fn edits_and_deletes_cost_fifty_units_from_the_local_count() {
    let h = Harness::new().await;
    h.fake.script(|s| s.scope = Some(MANAGE_SCOPE.into()));
    let mut settings = h.settings();
    // Enough for the read and one update (1 + 50), not for the delete after it.
    settings.quota = QuotaSettings {
        videos_insert_per_day: 100,
        units_per_day: 60,
    };
    let yt = h.channel_with(settings);
    let (receipt, payload) = published(&h, &yt).await;
    let amend = yt.amend().unwrap();
    amend.edit(&receipt, &payload, &edit()).await.unwrap();
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, PublishError::QuotaExhausted { message, .. } if message.contains("51/60")),
        "{e:?}"
    );
    assert!(
        data_api(&h, "DELETE").is_empty(),
        "not asked: the count says no"
    );
    assert_eq!(h.fake.lock().videos.len(), 1);
}

#[tokio::test]
async fn an_edit_answered_with_a_5xx_after_acting_is_repeated_and_applied_once() {
    let (h, yt, receipt, payload) = managing().await;
    h.fake.script(|s| s.amend_lost = Some(("PUT", Some(503))));
    let amend = yt.amend().unwrap();
    let e = amend.edit(&receipt, &payload, &edit()).await.unwrap_err();
    assert_eq!(e.class(), "transient", "an update is safe to repeat: {e:?}");
    let applied = snippet(&h);
    assert_eq!(applied["title"], NEW_TITLE, "YouTube acted");

    amend.edit(&receipt, &payload, &edit()).await.unwrap();
    let puts = data_api(&h, "PUT");
    assert_eq!(puts.len(), 2);
    assert_eq!(
        puts[0].json(),
        puts[1].json(),
        "the repeat sends the same snippet"
    );
    assert_eq!(snippet(&h), applied, "the snippet set once");
    assert_eq!(h.fake.lock().videos.len(), 1, "no second video");
    assert_eq!(h.fake.lock().sessions.len(), 1, "no second upload");
}

#[tokio::test]
async fn a_delete_whose_answer_never_comes_is_repeated_to_done() {
    let (h, yt, receipt, payload) = managing().await;
    h.fake.script(|s| s.amend_lost = Some(("DELETE", None)));
    let amend = yt.amend().unwrap();
    let e = amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap_err();
    assert_eq!(e.class(), "transient", "{e:?}");
    assert!(h.fake.lock().videos.is_empty(), "YouTube deleted it");

    amend
        .retract(&receipt, &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(data_api(&h, "DELETE").len(), 2);
    assert!(h.fake.lock().videos.is_empty());
}
