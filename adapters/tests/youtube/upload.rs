//! The resumable upload: chunks, the checkpoint before the first byte, resume after a cut, a
//! completed or expired session, an ambiguous session start, a server error mid-upload.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use prakat_adapters::youtube::{fingerprint_tag, watch_url};
use prakat_adapters::{Channel, PublishError, Receipt};
use serde_json::json;

use crate::fake::{GRANULE, INITIAL_REFRESH, error_body};
use crate::harness::{Harness, KEY, THAI_TITLE, TOTAL, chunk_puts};

#[tokio::test]
async fn a_full_upload_goes_in_chunks_after_the_session_is_checkpointed() {
    let h = Harness::new().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let yt = h.channel().with_progress(Arc::new(move |sent, total| {
        progress.lock().unwrap().push((sent, total))
    }));
    let payload = h.payload(&yt);
    let receipt = yt.publish(&payload, &h.ctx(1, None)).await.unwrap();

    assert_eq!(
        receipt,
        Receipt {
            remote_id: Some("vid1".into()),
            url: Some(watch_url("vid1")),
            request_id: Some("upload-1".into()),
            deduplicated: false,
        }
    );
    assert_eq!(
        receipt.url.as_deref(),
        Some("https://www.youtube.com/watch?v=vid1")
    );

    let reqs = h.fake.requests();
    let token = &reqs[0];
    assert_eq!(
        (token.method.as_str(), token.path.as_str()),
        ("POST", "/token")
    );
    assert_eq!(token.form()["grant_type"], "refresh_token");
    assert_eq!(token.form()["refresh_token"], INITIAL_REFRESH);

    let uploads = h.fake.upload_requests();
    let start = &uploads[0];
    assert_eq!(start.method, "POST");
    assert_eq!(start.query["uploadType"], "resumable");
    assert_eq!(start.query["part"], "snippet,status");
    assert_eq!(
        start.header("x-upload-content-length"),
        Some(TOTAL.to_string().as_str())
    );
    assert_eq!(start.header("x-upload-content-type"), Some("video/mp4"));
    assert_eq!(
        start.header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    assert_eq!(start.header("authorization"), Some("Bearer ya29.fake-1"));
    let meta = start.json();
    assert_eq!(
        meta["snippet"]["title"], THAI_TITLE,
        "Thai intact on the wire"
    );
    assert_eq!(meta["snippet"]["categoryId"], "25");
    assert_eq!(meta["snippet"]["defaultLanguage"], "th");
    assert_eq!(meta["status"]["privacyStatus"], "private");
    assert_eq!(meta["status"]["selfDeclaredMadeForKids"], false);
    assert!(meta["status"].get("publishAt").is_none());
    assert_eq!(
        meta["snippet"]["tags"],
        json!(["จราจร", "ระนอง", fingerprint_tag(KEY)])
    );

    // The session URI was saved when only the session start had reached the upload endpoint.
    let saved = h.saved();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].1, 1, "checkpointed before the first chunk");
    let state: serde_json::Value = serde_json::from_str(&saved[0].0).unwrap();
    assert!(
        state["session_uri"]
            .as_str()
            .unwrap()
            .contains("upload_id=upload-1")
    );
    assert_eq!(state["total"], TOTAL);

    let puts = chunk_puts(&h);
    let ranges: Vec<&str> = puts
        .iter()
        .map(|r| r.header("content-range").unwrap())
        .collect();
    assert_eq!(
        ranges,
        vec![
            format!("bytes 0-262143/{TOTAL}"),
            format!("bytes 262144-524287/{TOTAL}"),
            format!("bytes 524288-786431/{TOTAL}"),
            format!("bytes 786432-1048575/{TOTAL}"),
            format!("bytes 1048576-{}/{TOTAL}", TOTAL - 1),
        ]
    );
    let sent: Vec<u8> = puts.iter().flat_map(|r| r.body.clone()).collect();
    assert_eq!(sent, h.file_bytes());
    let st = h.fake.lock();
    assert_eq!((st.sessions.len(), st.videos.len()), (1, 1));
    drop(st);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 5);
    assert_eq!(seen[0], (GRANULE as u64, TOTAL as u64));
    assert_eq!(*seen.last().unwrap(), (TOTAL as u64, TOTAL as u64));
}

#[tokio::test]
async fn a_cut_mid_upload_resumes_with_a_status_query_and_sends_only_the_rest() {
    let h = Harness::new().await;
    // The third chunk arrives, but its answer never comes back.
    h.fake.script(|s| s.hang_at_chunk = Some(2));
    let yt = h.channel();
    let payload = h.payload(&yt);
    let err = yt.publish(&payload, &h.ctx(1, None)).await.unwrap_err();
    assert!(
        matches!(&err, PublishError::Transient(m) if m.contains("resumes")),
        "{err:?}"
    );
    let first_attempt_puts = chunk_puts(&h).len();
    assert_eq!(first_attempt_puts, 3);

    let saved = h.saved().pop().unwrap().0;
    // A new process (a restart): nothing in memory, the token comes from the token file.
    let yt = h.channel();
    let receipt = yt.publish(&payload, &h.ctx(2, Some(saved))).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("vid1"));

    let puts = chunk_puts(&h);
    let resumed = &puts[first_attempt_puts..];
    assert_eq!(
        resumed[0].header("content-range"),
        Some(format!("bytes */{TOTAL}").as_str())
    );
    assert!(resumed[0].body.is_empty());
    assert_eq!(
        resumed[1].header("content-range"),
        Some(format!("bytes {}-{}/{TOTAL}", 3 * GRANULE, 4 * GRANULE - 1).as_str())
    );
    assert_eq!(resumed.len(), 3, "status query + the two chunks left");
    let bytes_sent: usize = puts.iter().map(|r| r.body.len()).sum();
    assert_eq!(bytes_sent, TOTAL, "no byte was sent twice");

    let st = h.fake.lock();
    assert_eq!(st.sessions.len(), 1, "one session: no second insert");
    assert_eq!(st.videos.len(), 1);
    assert_eq!(st.videos[0].data, h.file_bytes());
}

#[tokio::test]
async fn a_session_that_completed_gives_its_receipt_without_uploading_again() {
    let h = Harness::new().await;
    // The last chunk completes the video; its answer is lost.
    h.fake.script(|s| s.hang_at_chunk = Some(4));
    let yt = h.channel();
    let payload = h.payload(&yt);
    assert!(matches!(
        yt.publish(&payload, &h.ctx(1, None)).await,
        Err(PublishError::Transient(_))
    ));
    let before = h.fake.upload_requests().len();

    // The dispatcher reconciles first: the fingerprint tag finds it.
    let r = yt.reconcile().unwrap();
    let found = r.find_published(&payload, KEY).await.unwrap().unwrap();
    assert_eq!(found.remote_id.as_deref(), Some("vid1"));
    assert!(found.deduplicated);
    assert_eq!(
        r.find_published(&payload, "another-delivery")
            .await
            .unwrap(),
        None
    );

    // And a resume with the saved state sees the session complete.
    let saved = h.saved().pop().unwrap().0;
    let receipt = yt.publish(&payload, &h.ctx(2, Some(saved))).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("vid1"));
    assert!(receipt.deduplicated);
    let after = h.fake.upload_requests();
    assert_eq!(after.len(), before + 1, "only the status query");
    assert_eq!(
        after.last().unwrap().header("content-range"),
        Some(format!("bytes */{TOTAL}").as_str())
    );
    assert_eq!(h.fake.lock().videos.len(), 1);
}

#[tokio::test]
async fn an_expired_session_is_replaced_by_a_new_one() {
    let h = Harness::new().await;
    h.fake.script(|s| s.hang_at_chunk = Some(1));
    let yt = h.channel();
    let payload = h.payload(&yt);
    assert!(yt.publish(&payload, &h.ctx(1, None)).await.is_err());
    h.fake.expire_sessions();

    let saved = h.saved().pop().unwrap().0;
    let receipt = yt.publish(&payload, &h.ctx(2, Some(saved))).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("vid1"));
    let saves = h.saved();
    assert_eq!(saves.len(), 2);
    assert!(
        saves[1].0.contains("upload-2"),
        "the new session is checkpointed"
    );
    let st = h.fake.lock();
    assert_eq!(st.sessions.len(), 2);
    assert_eq!(st.videos.len(), 1);
    assert_eq!(st.videos[0].data, h.file_bytes());
}

#[tokio::test]
async fn a_session_start_timeout_is_ambiguous_and_reconcile_finds_nothing_to_double() {
    let h = Harness::new().await;
    h.fake
        .script(|s| s.start_hang = Some(Duration::from_secs(30)));
    let yt = h.channel();
    let payload = h.payload(&yt);
    let err = yt.publish(&payload, &h.ctx(1, None)).await.unwrap_err();
    assert!(matches!(err, PublishError::Ambiguous(_)), "{err:?}");
    assert!(h.saved().is_empty(), "no Location, nothing to checkpoint");

    h.fake.script(|s| s.start_hang = None);
    let found = yt
        .reconcile()
        .unwrap()
        .find_published(&payload, KEY)
        .await
        .unwrap();
    assert_eq!(found, None);
    let listed: Vec<String> = h
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        listed,
        ["/youtube/v3/channels", "/youtube/v3/playlistItems"]
    );

    let receipt = yt.publish(&payload, &h.ctx(2, None)).await.unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("vid1"));
    assert_eq!(h.fake.lock().videos.len(), 1);
}

#[tokio::test]
async fn a_server_error_on_a_chunk_is_transient_and_the_next_attempt_resumes() {
    let h = Harness::new().await;
    h.fake.script(|s| {
        s.chunk_error_at = Some((
            1,
            503,
            error_body(503, "global", "backendError", "Backend Error"),
        ))
    });
    let yt = h.channel();
    let payload = h.payload(&yt);
    let err = yt.publish(&payload, &h.ctx(1, None)).await.unwrap_err();
    assert!(matches!(err, PublishError::Transient(_)), "{err:?}");
    let saved = h.saved().pop().unwrap().0;
    yt.publish(&payload, &h.ctx(2, Some(saved))).await.unwrap();
    let puts = chunk_puts(&h);
    // chunk 0, chunk 1 (503), status query, chunks 1..=4
    assert_eq!(puts.len(), 7);
    assert_eq!(
        puts[3].header("content-range"),
        Some(format!("bytes {}-{}/{TOTAL}", GRANULE, 2 * GRANULE - 1).as_str())
    );
    let st = h.fake.lock();
    assert_eq!((st.sessions.len(), st.videos.len()), (1, 1));
    assert_eq!(st.videos[0].data, h.file_bytes());
}

#[tokio::test]
async fn scheduled_publishing_sends_publish_at_on_a_private_video() {
    let h = Harness::new().await;
    let mut s = h.settings();
    s.privacy_status = prakat_adapters::youtube::PrivacyStatus::Public;
    s.schedule_with_publish_at = true;
    let yt = h.channel_with(s);
    h.set_now("2026-11-24T09:00:00Z");
    let mut draft = h.draft();
    draft.published_at = "2026-11-25T02:30:00Z".parse().unwrap();
    let payload = yt.prepare(&draft).unwrap();
    yt.publish(&payload, &h.ctx(1, None)).await.unwrap();
    let meta = h.fake.upload_requests()[0].json();
    assert_eq!(meta["status"]["privacyStatus"], "private");
    assert_eq!(meta["status"]["publishAt"], "2026-11-25T02:30:00Z");
}

#[tokio::test]
async fn an_unreadable_saved_state_looks_on_the_channel_before_a_new_session() {
    let h = Harness::new().await;
    let yt = h.channel();
    let payload = h.payload(&yt);
    yt.publish(&payload, &h.ctx(1, None)).await.unwrap();
    let receipt = yt
        .publish(
            &payload,
            &h.ctx(2, Some("not the state this version writes".into())),
        )
        .await
        .unwrap();
    assert_eq!(receipt.remote_id.as_deref(), Some("vid1"));
    assert!(receipt.deduplicated);
    let st = h.fake.lock();
    assert_eq!((st.sessions.len(), st.videos.len()), (1, 1));
}
