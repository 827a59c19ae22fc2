//! Video posts: the documented request sequence, chunked upload and its resumption, bounded
//! status polling, and what a timeout or a server error means for the next attempt.

use std::time::Duration;

use prakat_adapters::{Channel, Idempotency, PublishError, Receipt};

use crate::fake::{MIB, Step};
use crate::world::*;

#[tokio::test]
async fn a_video_is_posted_with_the_documented_requests_and_a_receipt() {
    let w = World::new().await;
    let ch = w.channel();
    let video = w.video(3 * 1024 * 1024, 30);
    let payload = prepared(&ch, vec![video.clone()]);
    let receipt = ch.publish(&payload, &w.ctx(1)).await.unwrap();

    assert_eq!(
        receipt,
        Receipt {
            remote_id: Some("7301234567890123456".into()),
            url: Some(
                "https://www.tiktok.com/@phonlamuang_police/video/7301234567890123456".into()
            ),
            request_id: Some("202611240730001234ABCD".into()),
            deduplicated: false,
        }
    );
    assert_eq!(
        w.fake.paths(),
        [
            "POST /v2/oauth/token/",
            "POST /v2/post/publish/creator_info/query/",
            "POST /v2/post/publish/video/init/",
            "PUT /upload/",
            "POST /v2/post/publish/status/fetch/",
            "POST /v2/post/publish/status/fetch/",
        ]
    );
    let reqs = w.fake.requests();
    for r in reqs.iter().filter(|r| r.path.starts_with("/v2/post")) {
        assert_eq!(r.header("authorization"), Some("Bearer act.1"));
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=UTF-8")
        );
    }
    let init = reqs[2].json();
    assert_eq!(
        init["post_info"]["title"], TEXT,
        "Thai caption intact on the wire"
    );
    assert_eq!(init["post_info"]["privacy_level"], "PUBLIC_TO_EVERYONE");
    assert_eq!(init["post_info"]["disable_comment"], false);
    assert_eq!(
        init["post_info"]["disable_duet"], true,
        "off unless allowed"
    );
    assert_eq!(
        init["post_info"]["disable_stitch"], true,
        "the creator turned stitches off"
    );
    assert_eq!(
        init["source_info"],
        serde_json::json!({"source": "FILE_UPLOAD", "video_size": 3145728, "chunk_size": 3145728, "total_chunk_count": 1})
    );
    let put = &reqs[3];
    assert_eq!(put.query, "upload_id=1&upload_token=Xza1");
    assert_eq!(put.header("content-range"), Some("bytes 0-3145727/3145728"));
    assert_eq!(put.header("content-type"), Some("video/mp4"));
    assert_eq!(put.body_len, 3145728);
    assert_eq!(
        put.header("authorization"),
        None,
        "the token never goes to the upload host"
    );
    // The handle was saved before the first byte left.
    let ev = w.events();
    let saved = ev
        .iter()
        .position(|e| e.contains("\"phase\":\"uploading\""))
        .unwrap();
    let first_put = ev.iter().position(|e| e.starts_with("PUT ")).unwrap();
    let init_sent = ev
        .iter()
        .position(|e| e.contains("\"phase\":\"init_sent\""))
        .unwrap();
    let init_req = ev.iter().position(|e| e.ends_with(VIDEO_INIT)).unwrap();
    assert!(init_sent < init_req && saved < first_put, "{ev:#?}");
    assert_eq!(w.states().last().unwrap()["phase"], "processing");
}

#[tokio::test]
async fn a_killed_upload_resumes_at_the_next_chunk_with_one_init() {
    let w = World::new().await;
    w.fake.with(|s| s.stall_chunk = Some(1));
    let ch = w.channel();
    let size = (10 * MIB + MIB / 2) as usize;
    let payload = prepared(&ch, vec![w.video(size, 45)]);
    // The dispatcher's timeout drops the attempt while chunk 2 of 2 hangs.
    let first = tokio::time::timeout(Duration::from_secs(2), ch.publish(&payload, &w.ctx(1))).await;
    assert!(first.is_err(), "the first attempt was cut off");
    let last = w.states().last().cloned().unwrap();
    assert_eq!(last["phase"], "uploading");
    assert_eq!(last["next_chunk"], 1);
    assert_eq!(last["total_chunk_count"], 2);

    // A restarted daemon: a new channel, the saved state.
    let ch = w.channel();
    let receipt = ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("7301234567890123456"));
    assert_eq!(w.fake.with(|s| s.inits), 1, "exactly one post was created");
    let puts: Vec<String> = w
        .events()
        .into_iter()
        .filter(|e| e.starts_with("PUT"))
        .collect();
    assert_eq!(
        puts,
        [
            "PUT /upload/ bytes 0-5242879/11010048",
            "PUT /upload/ bytes 5242880-11010047/11010048",
            "PUT /upload/ bytes 5242880-11010047/11010048",
        ],
        "chunk 1 was sent once, chunk 2 again after the cut"
    );
    let p = w
        .fake
        .with(|s| s.publishes.values().next().cloned().unwrap());
    assert_eq!((p.uploaded, p.chunks_received), (size as u64, 2));
}

#[tokio::test]
async fn status_polling_is_bounded_and_the_next_attempt_only_polls() {
    let w = World::new().await;
    w.fake
        .with(|s| s.script = vec![Step::Processing("PROCESSING_DOWNLOAD")]);
    let mut s = w.settings();
    s.status_poll_timeout = Duration::from_millis(300);
    s.status_poll_interval = Duration::from_millis(50);
    let ch = w.channel_with(s, Duration::from_secs(10));
    let payload = prepared(&ch, vec![w.video(2 * MIB as usize, 20)]);
    let started = std::time::Instant::now();
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Transient(m) if m.contains("still processing") && m.contains("PROCESSING_DOWNLOAD")),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "bounded: {:?}",
        started.elapsed()
    );
    let polls = count(&w.fake, &format!("POST {STATUS}"));
    assert!(
        (3..=8).contains(&polls),
        "{polls} polls in 300 ms every 50 ms"
    );
    assert_eq!(w.states().last().unwrap()["phase"], "processing");

    w.fake.with(|s| s.script = vec![Step::Complete(Some(42))]);
    let receipt = ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("42"));
    assert_eq!(count(&w.fake, &format!("POST {VIDEO_INIT}")), 1);
    assert_eq!(count(&w.fake, "PUT /upload/"), 1, "no second upload");
    assert_eq!(count(&w.fake, &format!("POST {CREATOR}")), 1);
}

#[tokio::test]
async fn a_failed_publish_is_rejected_with_tiktoks_reason() {
    let w = World::new().await;
    w.fake.with(|s| {
        s.script = vec![
            Step::Processing("PROCESSING_DOWNLOAD"),
            Step::Failed("duration_check_failed"),
        ]
    });
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Rejected(m) if m.contains("duration_check_failed") && m.contains("v_pub_file~v2-1.701")),
        "{err}"
    );
    let last = w.states().last().cloned().unwrap();
    assert_eq!(last["phase"], "failed");
    assert_eq!(last["fail_reason"], "duration_check_failed");
    // A person's retry: FAILED means nothing was posted, so a new post is made.
    w.fake.with(|s| s.script = vec![Step::Complete(None)]);
    let receipt = ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert_eq!(
        receipt.remote_id.as_deref(),
        Some("v_pub_file~v2-1.702"),
        "no post id yet: the publish id"
    );
    assert_eq!(
        receipt.url.as_deref(),
        Some("https://www.tiktok.com/@phonlamuang_police")
    );
}

#[tokio::test]
async fn server_errors_are_ambiguous_for_init_and_transient_for_status() {
    let w = World::new().await;
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    w.fake.fail_next(VIDEO_INIT, 500, "internal_error");
    assert_eq!(
        ch.publish(&payload, &w.ctx(1)).await.unwrap_err().class(),
        "ambiguous"
    );
    w.fake.fail_next(STATUS, 503, "internal_error");
    let err = ch.publish(&payload, &w.ctx(2)).await.unwrap_err();
    assert_eq!(err.class(), "transient", "{err}");
    assert_eq!(w.states().last().unwrap()["phase"], "processing");
    ch.publish(&payload, &w.ctx(3)).await.unwrap();
    assert_eq!(count(&w.fake, "PUT /upload/"), 1);
}

#[tokio::test]
async fn a_video_init_that_timed_out_is_ambiguous_and_the_retry_posts_once() {
    let w = World::new().await;
    w.fake.with(|s| s.init_delay = Duration::from_secs(3));
    let ch = w.channel_with(w.settings(), Duration::from_millis(800));
    let payload = prepared(&ch, vec![w.video(MIB as usize, 20)]);
    let err = ch.publish(&payload, &w.ctx(1)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Ambiguous(m) if m.contains("video init")),
        "{err}"
    );
    assert_eq!(w.states().last().unwrap()["phase"], "init_sent");
    // The orphaned publish never gets its bytes, so it can never go live: init again.
    w.fake.with(|s| s.init_delay = Duration::ZERO);
    let receipt = ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert!(receipt.remote_id.is_some());
    let uploaded: Vec<u64> = w.fake.with(|s| {
        let mut v: Vec<u64> = s.publishes.values().map(|p| p.uploaded).collect();
        v.sort();
        v
    });
    assert_eq!(uploaded, [0, MIB], "two inits, one post with bytes");
    assert_eq!(ch.idempotency(), Idempotency::Resumable);
    assert!(ch.reconcile().is_none(), "nothing to look up on TikTok");
}

#[tokio::test]
async fn an_expired_upload_starts_a_new_publish_only_when_tiktok_says_failed() {
    let w = World::new().await;
    w.fake.with(|s| s.stall_chunk = Some(1));
    let ch = w.channel();
    let payload = prepared(&ch, vec![w.video((10 * MIB + 1000) as usize, 20)]);
    let _ = tokio::time::timeout(Duration::from_secs(2), ch.publish(&payload, &w.ctx(1))).await;
    // An hour later: the upload URL has expired and TikTok reports the publish FAILED.
    w.fake
        .with(|s| s.publishes.values_mut().for_each(|p| p.expired = true));
    ch.publish(&payload, &w.ctx(2)).await.unwrap();
    assert_eq!(w.fake.with(|s| s.inits), 2);
    let ev = w.events();
    let status_at = ev.iter().position(|e| e.ends_with(STATUS)).unwrap();
    let second_init = ev.iter().rposition(|e| e.ends_with(VIDEO_INIT)).unwrap();
    assert!(
        status_at < second_init,
        "asked TikTok before starting over: {ev:#?}"
    );
}

#[tokio::test]
async fn the_fake_refuses_a_chunk_plan_against_the_media_transfer_rules() {
    // Proves the fake checks what the guide says, so the tests above mean something.
    let w = World::new().await;
    let http = reqwest::Client::new();
    let init = |size: u64, chunk: u64, count: u64| {
        http.post(format!("{}/v2/post/publish/video/init/", w.fake.url))
            .bearer_auth("act.valid")
            .header("Content-Type", "application/json; charset=UTF-8")
            .body(
                serde_json::json!({
                    "post_info": {"title": "x", "privacy_level": "SELF_ONLY"},
                    "source_info": {"source": "FILE_UPLOAD", "video_size": size,
                                    "chunk_size": chunk, "total_chunk_count": count}
                })
                .to_string(),
            )
            .send()
    };
    for (size, chunk, count, says) in [
        (50_000_123, 10_000_000, 6, "total chunk count"),
        (50_000_123, 4 * MIB, 12, "chunk size"),
        (3 * MIB, MIB, 3, "uploaded whole"),
        (70_000_000, 64_000_000, 1, "several chunks"),
    ] {
        let res = init(size, chunk, count).await.unwrap();
        assert_eq!(res.status(), 400);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_param");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    assert_eq!(init(50_000_123, 10_000_000, 5).await.unwrap().status(), 200);
    assert_eq!(w.fake.with(|s| s.inits), 1);
}
