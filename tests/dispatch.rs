//! The dispatcher, end to end against the SQLite store and scripted fake channels.
//!
//! Every fake channel answers from a per-test script and records each call it gets (key,
//! attempt, whether the dispatcher said a previous attempt was unsettled, when). Time is real
//! and short (retries in tens of milliseconds, idle re-check at 30 s so that only a due time or a
//! wake-up can explain progress); outcomes are awaited by polling the store up to a deadline.
//! Nothing here asserts how fast something happened.

mod dispatch_harness;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{DateTime, Utc};
use dispatch_harness::*;
use prakat::clock::{Clock, TokioClock};
use prakat::settings::Dispatch;
use prakat::store::{Actor, DeliveryFilter, DeliveryState, NewRule, SqliteStore, Store};
use prakat_adapters::{Idempotency, PublishError, Receipt};
use tokio::sync::Semaphore;

// ---------------------------------------------------------------------------------------------
// Waking and due times

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_due_later_is_published_at_its_time_and_not_before() {
    // "It is 09:00 in Ranong", and the notice is due at 09:00:01.5.
    let nine = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+07:00")
        .unwrap()
        .with_timezone(&Utc);
    let clock: Arc<dyn Clock> = Arc::new(TokioClock::starting_at(nine));
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock.clone(), dispatch_settings(), &[("website", &site, 4)]).await;
    let due = h.now() + chrono::Duration::milliseconds(1500);
    let id = h.queue(&["website"], due).await[0].id;
    let engine = h.start("a");

    // Watch it until it is published: before its time, nothing happens.
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let now = h.clock.now();
        let row = h.delivery(id).await;
        if row.state == DeliveryState::Published {
            break;
        }
        if now < due {
            assert_eq!(
                row.state,
                DeliveryState::Queued,
                "claimed before its due time"
            );
            assert!(site.calls().is_empty(), "published before its due time");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never published: {row:#?}"
        );
        tokio::time::sleep(ms(20)).await;
    }
    engine.stop().await;

    let calls = site.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].at >= due,
        "published at {} before its due time {due}",
        calls[0].at
    );
    let row = h.delivery(id).await;
    assert!(row.published_at.unwrap() >= due);
    assert_eq!(row.remote_id, Some(format!("website-{id}")));
    assert_eq!(row.attempts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_added_while_the_engine_sleeps_is_published_when_woken() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    let engine = h.start("a");
    // Let it find nothing to do and go to sleep for idle_recheck (30 s).
    tokio::time::sleep(ms(500)).await;

    let id = h.queue(&["website"], h.now()).await[0].id;
    // Without a wake-up it sleeps on: the deadline below is shorter than idle_recheck, so only
    // the wake-up can explain the publish.
    tokio::time::sleep(ms(700)).await;
    assert_eq!(
        h.delivery(id).await.state,
        DeliveryState::Queued,
        "the engine polled instead of sleeping"
    );
    assert!(site.calls().is_empty());

    h.wake.notify_one();
    let row = h.wait_state(id, DeliveryState::Published).await;
    assert_eq!(row.attempts, 1);
    assert_eq!(site.calls().len(), 1);
    engine.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_are_retried_until_published() {
    let clock = system_clock();
    let line = Arc::new(
        Fake::new("line", Idempotency::Native, &clock)
            .then(Err(transient("502 Bad Gateway")))
            .then(Err(transient("503 Service Unavailable"))),
    );
    let h = Harness::new(clock, retry_settings(), &[("line", &line, 4)]).await;
    let id = h.queue(&["line"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::Published).await;
    engine.stop().await;

    assert_eq!(row.attempts, 3);
    assert_eq!(row.remote_id, Some(format!("line-{id}")));
    assert_eq!(row.request_id.as_deref(), Some("req-3"));
    let calls = line.calls();
    assert_eq!(
        calls.iter().map(|c| c.attempt).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(
        calls
            .iter()
            .all(|c| c.key == row.idempotency_key && !c.after_unsettled),
        "{calls:?}"
    );
    let trail = h
        .store
        .audit_trail("delivery", &id.to_string())
        .await
        .unwrap();
    let retries: Vec<_> = trail.iter().filter(|e| e.action == "retry").collect();
    assert_eq!(retries.len(), 2, "{trail:#?}");
    assert_eq!(
        retries[0].detail["error"],
        "temporary failure: 502 Bad Gateway"
    );
    assert_eq!(retries[1].detail["class"], "transient");
    assert_eq!(trail.iter().filter(|e| e.action == "published").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_failures_every_time_fail_after_max_attempts() {
    let clock = system_clock();
    let line = Arc::new(
        Fake::new("line", Idempotency::Native, &clock).always(transient("502 Bad Gateway")),
    );
    let settings = Dispatch {
        max_attempts: 3,
        ..retry_settings()
    };
    let h = Harness::new(clock, settings, &[("line", &line, 4)]).await;
    let id = h.queue(&["line"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::Failed).await;
    engine.stop().await;

    assert_eq!(row.attempts, 3);
    assert_eq!(line.calls().len(), 3, "exactly max_attempts calls");
    let error = row.last_error.unwrap();
    assert!(
        error.contains("502 Bad Gateway") && error.contains("gave up after 3 attempts"),
        "{error}"
    );
    assert_eq!(row.last_error_class.as_deref(), Some("transient"));
    assert_eq!(
        h.actions(id).await.iter().filter(|a| *a == "retry").count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_waits_as_asked_without_counting_an_attempt() {
    let clock = system_clock();
    let wait = ms(300);
    let fb = Arc::new(Fake::new("facebook", Idempotency::Native, &clock).then(Err(
        PublishError::RetryAfter(wait, "(#32) Page request limit reached".into()),
    )));
    let h = Harness::new(clock, retry_settings(), &[("facebook", &fb, 4)]).await;
    let id = h.queue(&["facebook"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::Published).await;
    engine.stop().await;

    let calls = fb.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        row.attempts, 1,
        "the platform's wait is not the delivery's attempt"
    );
    assert_eq!((calls[0].attempt, calls[1].attempt), (1, 1));
    let waited = (calls[1].at - calls[0].at).to_std().unwrap();
    assert!(
        waited >= wait,
        "retried after {waited:?}, asked to wait {wait:?}"
    );
    assert_eq!(
        row.last_error_class, None,
        "a published delivery shows no error"
    );
    let trail = h
        .store
        .audit_trail("delivery", &id.to_string())
        .await
        .unwrap();
    let retry = trail
        .iter()
        .find(|e| e.action == "retry")
        .expect("a retry in the audit trail");
    assert_eq!(retry.detail["class"], "retry_after");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exhausted_quota_is_not_retried_before_it_returns() {
    let clock = system_clock();
    let until = DateTime::from_timestamp_millis(clock.now().timestamp_millis()).unwrap()
        + chrono::Duration::seconds(1);
    let yt = Arc::new(Fake::new("youtube", Idempotency::Native, &clock).then(Err(
        PublishError::QuotaExhausted {
            until,
            message: "The request cannot be completed because you have exceeded your quota.".into(),
        },
    )));
    let h = Harness::new(clock, retry_settings(), &[("youtube", &yt, 4)]).await;
    let id = h.queue(&["youtube"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::Published).await;
    engine.stop().await;

    let calls = yt.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].at < until);
    assert!(
        calls[1].at >= until,
        "retried at {} while the quota was out until {until}",
        calls[1].at
    );
    assert_eq!(row.attempts, 1, "waiting for quota is not an attempt");
}

// ---------------------------------------------------------------------------------------------
// Parking for a person

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_and_rejected_park_for_a_person_while_healthy_channels_publish() {
    let clock = system_clock();
    let token = "Error validating access token: Session has expired on Monday, 23-Nov-26.";
    let refused = "(#368) ข้อความนี้ขัดต่อมาตรฐานชุมชน — \"policy block\"";
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Native, &clock).always(PublishError::Auth(token.into())),
    );
    let line = Arc::new(
        Fake::new("line", Idempotency::Native, &clock)
            .always(PublishError::Rejected(refused.into())),
    );
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(
        clock,
        dispatch_settings(),
        &[
            ("facebook", &fb, 4),
            ("line", &line, 4),
            ("website", &site, 4),
        ],
    )
    .await;
    let rows = h.queue(&["facebook", "line", "website"], h.now()).await;
    let engine = h.start("a");
    let fb_row = h
        .wait_state(rows[0].id, DeliveryState::NeedsAttention)
        .await;
    let line_row = h
        .wait_state(rows[1].id, DeliveryState::NeedsAttention)
        .await;
    let site_row = h.wait_state(rows[2].id, DeliveryState::Published).await;
    engine.stop().await;

    assert!(
        fb_row.last_error.as_deref().unwrap().contains(token),
        "{fb_row:?}"
    );
    assert_eq!(fb_row.last_error_class.as_deref(), Some("auth"));
    assert_eq!(
        line_row.last_error.as_deref(),
        Some(format!("rejected by the platform: {refused}").as_str())
    );
    assert_eq!(line_row.last_error_class.as_deref(), Some("rejected"));
    assert_eq!(
        (fb.calls().len(), line.calls().len()),
        (1, 1),
        "parked deliveries are not retried"
    );
    assert_eq!(site_row.remote_id, Some(format!("website-{}", rows[2].id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_for_a_channel_that_is_not_enabled_needs_attention() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    let rows = h.queue(&["website", "tiktok"], h.now()).await;
    let engine = h.start("a");
    let tiktok = h
        .wait_state(rows[1].id, DeliveryState::NeedsAttention)
        .await;
    h.wait_state(rows[0].id, DeliveryState::Published).await;
    engine.stop().await;

    assert_eq!(tiktok.last_error_class.as_deref(), Some("unknown_channel"));
    assert!(
        tiktok.last_error.as_deref().unwrap().contains("tiktok"),
        "{tiktok:?}"
    );
    assert!(site.calls().iter().all(|c| c.delivery_id == rows[0].id));
}

// ---------------------------------------------------------------------------------------------
// Ambiguous outcomes and unsettled attempts

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambiguous_on_a_reconciling_channel_looks_first_and_does_not_post_again() {
    let clock = system_clock();
    let found = Receipt {
        remote_id: Some("123_456".into()),
        url: Some("https://fb.example/123_456".into()),
        ..Default::default()
    };
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Reconcile, &clock)
            .then(Err(PublishError::Ambiguous(
                "connection reset after the request was sent".into(),
            )))
            .finding(found),
    );
    let h = Harness::new(clock, retry_settings(), &[("facebook", &fb, 4)]).await;
    let row = h.queue(&["facebook"], h.now()).await.remove(0);
    let engine = h.start("a");
    let done = h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;

    assert_eq!(
        fb.calls().len(),
        1,
        "found on the platform: not posted again"
    );
    assert_eq!(
        fb.lookups(),
        vec![row.idempotency_key.clone()],
        "looked up by the delivery's key"
    );
    assert_eq!(done.remote_id.as_deref(), Some("123_456"));
    assert_eq!(
        done.remote_url.as_deref(),
        Some("https://fb.example/123_456")
    );
    assert_eq!(done.attempts, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_that_times_out_is_ambiguous_and_reconciled() {
    let clock = system_clock();
    let found = Receipt {
        remote_id: Some("789".into()),
        ..Default::default()
    };
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Reconcile, &clock)
            .then_after(Duration::from_secs(20), Ok(Receipt::default()))
            .finding(found),
    );
    let settings = Dispatch {
        publish_timeout: ms(300),
        ..retry_settings()
    };
    let h = Harness::new(clock, settings, &[("facebook", &fb, 4)]).await;
    let row = h.queue(&["facebook"], h.now()).await.remove(0);
    let engine = h.start("a");
    let done = h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;

    assert_eq!(
        fb.calls().len(),
        1,
        "found on the platform: not posted again"
    );
    assert_eq!(fb.lookups().len(), 1);
    assert_eq!(done.remote_id.as_deref(), Some("789"));
    let trail = h
        .store
        .audit_trail("delivery", &row.id.to_string())
        .await
        .unwrap();
    let retry = trail
        .iter()
        .find(|e| e.action == "retry")
        .expect("the timeout was a retry");
    assert_eq!(retry.detail["class"], "ambiguous");
    assert!(
        retry.detail["error"]
            .as_str()
            .unwrap()
            .contains("dispatch.publish_timeout"),
        "{retry:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconciling_channel_that_finds_nothing_is_sent_again_once() {
    let clock = system_clock();
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Reconcile, &clock)
            .then(Err(PublishError::Ambiguous("timeout".into()))),
    );
    let h = Harness::new(clock, retry_settings(), &[("facebook", &fb, 4)]).await;
    let row = h.queue(&["facebook"], h.now()).await.remove(0);
    let engine = h.start("a");
    h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;

    let calls = fb.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(fb.lookups().len(), 1, "looked once, before the second send");
    assert!(!calls[0].after_unsettled);
    assert!(
        calls[1].after_unsettled,
        "the second send is told the first may have landed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ambiguous_on_a_channel_that_cannot_check_is_parked_never_resent() {
    let clock = system_clock();
    let tt = Arc::new(Fake::new("tiktok", Idempotency::None, &clock).then(Err(
        PublishError::Ambiguous("upload finished, no publish_id returned".into()),
    )));
    let h = Harness::new(clock, dispatch_settings(), &[("tiktok", &tt, 4)]).await;
    let id = h.queue(&["tiktok"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::NeedsAttention).await;
    engine.stop().await;

    assert_eq!(tt.calls().len(), 1, "never re-sent blindly");
    assert_eq!(row.last_error_class.as_deref(), Some("ambiguous"));
    let error = row.last_error.unwrap();
    assert!(
        error.contains("no publish_id returned") && error.contains("check the platform"),
        "{error}"
    );
}

/// Leave delivery `id`'s attempt unsettled: another owner claims it with a tiny lease and dies.
async fn abandon_claim(h: &Harness, id: i64) {
    let claimed = h
        .store
        .claim_due(h.clock.now(), "dead-daemon", ms(100), 10)
        .await
        .unwrap();
    assert_eq!(claimed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsettled_attempt_on_a_channel_that_cannot_check_is_parked_without_publishing() {
    let clock = system_clock();
    let tt = Arc::new(Fake::new("tiktok", Idempotency::None, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("tiktok", &tt, 4)]).await;
    let id = h.queue(&["tiktok"], h.now()).await[0].id;
    abandon_claim(&h, id).await;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::NeedsAttention).await;
    engine.stop().await;

    assert!(
        tt.calls().is_empty(),
        "an attempt that may have landed is not repeated: {:?}",
        tt.calls()
    );
    assert_eq!(row.last_error_class.as_deref(), Some("unsettled"));
    assert!(row.unsettled);
    assert_eq!(row.attempts, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsettled_attempt_on_a_deduplicating_channel_is_sent_again_flagged() {
    unsettled_attempt_is_sent_again_flagged(Idempotency::Native).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsettled_attempt_on_a_resumable_channel_is_sent_again_flagged() {
    unsettled_attempt_is_sent_again_flagged(Idempotency::Resumable).await;
}

async fn unsettled_attempt_is_sent_again_flagged(idempotency: Idempotency) {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", idempotency, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    let row = h.queue(&["website"], h.now()).await.remove(0);
    abandon_claim(&h, row.id).await;
    let engine = h.start("a");
    h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;

    let calls = site.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].after_unsettled,
        "the channel must be told to deduplicate"
    );
    assert_eq!(calls[0].attempt, 2);
    assert_eq!(
        calls[0].key, row.idempotency_key,
        "same key as the abandoned attempt"
    );
}

// ---------------------------------------------------------------------------------------------
// Concurrency and shutdown

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_channel_concurrency_is_respected() {
    let clock = system_clock();
    let line = Arc::new(Fake::new("line", Idempotency::Native, &clock).taking(ms(150)));
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock).taking(ms(100)));
    let h = Harness::new(
        clock,
        dispatch_settings(),
        &[("line", &line, 2), ("website", &site, 1)],
    )
    .await;
    let now = h.now();
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.extend(
            h.queue(&["line", "website"], now)
                .await
                .into_iter()
                .map(|r| r.id),
        );
    }
    let engine = h.start("a");
    for id in &ids {
        h.wait_state(*id, DeliveryState::Published).await;
    }
    engine.stop().await;

    assert_eq!(line.calls().len(), 6);
    assert_eq!(site.calls().len(), 6);
    assert_eq!(
        line.max_running.load(Ordering::SeqCst),
        2,
        "line: concurrency 2, six waiting"
    );
    assert_eq!(
        site.max_running.load(Ordering::SeqCst),
        1,
        "website: one at a time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_publish_in_progress_finish_and_records_it() {
    let clock = system_clock();
    let gate = Arc::new(Semaphore::new(0));
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock).gated(gate.clone()));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 1)]).await;
    let first = h.queue(&["website"], h.now()).await[0].id;
    let second = h.queue(&["website"], h.now()).await[0].id;
    let engine = h.start("a");
    eventually("the first publish starts", || site.calls().len() == 1).await;
    let publishing = site.calls()[0].delivery_id;
    let waiting = if publishing == first { second } else { first };

    engine.shutdown();
    // The claim still waiting for the channel's only slot is handed back untouched...
    let handed_back = h.wait_state(waiting, DeliveryState::Queued).await;
    assert_eq!(
        handed_back.attempts, 0,
        "a claim that never published is not an attempt"
    );
    // ...while the publish under way holds the engine open.
    assert!(
        !engine.handle.is_finished(),
        "the engine stopped with a publish in progress"
    );
    assert_eq!(h.delivery(publishing).await.state, DeliveryState::InFlight);

    gate.add_permits(1);
    engine.stop().await;
    let row = h.delivery(publishing).await;
    assert_eq!(
        row.state,
        DeliveryState::Published,
        "the finished publish was recorded: {row:#?}"
    );
    assert_eq!(row.remote_id, Some(format!("website-{publishing}")));
    assert_eq!(site.calls().len(), 1);
    assert_eq!(h.delivery(waiting).await.state, DeliveryState::Queued);
}

// ---------------------------------------------------------------------------------------------
// Recurring rules

async fn announcements_of_rule(store: &SqliteStore, rule_id: i64) -> usize {
    let mut ids: Vec<i64> = store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|d| d.announcement_id)
        .collect();
    ids.sort();
    ids.dedup();
    let mut n = 0;
    for id in ids {
        n += usize::from(store.announcement(id).await.unwrap().rule_id == Some(rule_id));
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recurring_rule_fires_once_and_its_delivery_is_published() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    // Every day at 09:00 Bangkok; the first time in a moment.
    let first = h.now() + chrono::Duration::seconds(1);
    let rule = h
        .store
        .create_rule(
            &NewRule {
                department: "traffic".into(),
                title: "เตือนขับขี่ปลอดภัย".into(),
                body: "ง่วงไม่ขับ เมาไม่ขับ".into(),
                link: None,
                media: vec![],
                channels: vec!["website".into()],
                cron: "0 0 9 * * *".into(),
                next_fire_at: first,
            },
            &Actor::daemon("test"),
        )
        .await
        .unwrap();

    // Two dispatchers overlap, as during a restart: the occurrence is still created once.
    let a = h.start("a");
    let b = h.start("b");
    eventually("the rule fires and its delivery is published", || {
        site.calls().len() == 1
    })
    .await;
    let id = site.calls()[0].delivery_id;
    let row = h.wait_state(id, DeliveryState::Published).await;
    a.stop().await;
    b.stop().await;
    let announcement = h.store.announcement(row.announcement_id).await.unwrap();
    assert_eq!(announcement.rule_id, Some(rule.id));
    assert_eq!(announcement.publish_at, first);
    assert!(site.calls()[0].at >= first, "fired before its time");
    let moved = h.store.rules().await.unwrap().remove(0).next_fire_at;
    assert!(moved > first, "the rule moved to its next 09:00: {moved}");

    // Restarted, the engine finds the occurrence done.
    let c = h.start("c");
    tokio::time::sleep(ms(500)).await;
    c.stop().await;
    assert_eq!(announcements_of_rule(&h.store, rule.id).await, 1);
    assert_eq!(site.calls().len(), 1);
    let fired = h
        .store
        .audit_trail("rule", &rule.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        fired.iter().filter(|e| e.action == "fired").count(),
        1,
        "{fired:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Metrics

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_deliveries_and_lateness() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let line = Arc::new(
        Fake::new("line", Idempotency::Native, &clock).always(PublishError::Auth("revoked".into())),
    );
    let h = Harness::new(
        clock,
        dispatch_settings(),
        &[("website", &site, 4), ("line", &line, 4)],
    )
    .await;
    let mut rows = Vec::new();
    for _ in 0..3 {
        rows.extend(h.queue(&["website", "line"], h.now()).await);
    }
    let engine = h.start("a");
    for r in &rows {
        let state = if r.channel == "website" {
            DeliveryState::Published
        } else {
            DeliveryState::NeedsAttention
        };
        h.wait_state(r.id, state).await;
    }
    engine.stop().await;

    let text = h.metrics.render(&h.store.delivery_counts().await.unwrap());
    for line in [
        "prakat_deliveries{channel=\"website\",state=\"published\"} 3",
        "prakat_deliveries{channel=\"line\",state=\"needs_attention\"} 3",
        "prakat_due_lateness_seconds_count{channel=\"website\"} 3",
        "prakat_publish_attempts_total{channel=\"website\",outcome=\"published\"} 3",
        "prakat_publish_attempts_total{channel=\"line\",outcome=\"needs_attention\"} 3",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(
        text.contains("prakat_due_lateness_seconds_bucket{le=\"60.0\",channel=\"website\"} 3"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_parks_the_channel_after_one_call_while_others_publish() {
    let clock = system_clock();
    let token = "Error validating access token: the user has changed the password.";
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Native, &clock).always(PublishError::Auth(token.into())),
    );
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    // One publish at a time on facebook, so the first refusal lands before the next call.
    let h = Harness::new(
        clock,
        dispatch_settings(),
        &[("facebook", &fb, 1), ("website", &site, 4)],
    )
    .await;
    let mut fb_ids = vec![];
    let mut site_ids = vec![];
    for _ in 0..4 {
        let rows = h.queue(&["facebook", "website"], h.now()).await;
        fb_ids.push(rows[0].id);
        site_ids.push(rows[1].id);
    }
    let engine = h.start("a");
    let mut parked = vec![];
    for id in &fb_ids {
        parked.push(h.wait_state(*id, DeliveryState::NeedsAttention).await);
    }
    for id in &site_ids {
        h.wait_state(*id, DeliveryState::Published).await;
    }
    engine.stop().await;

    assert_eq!(
        fb.calls().len(),
        1,
        "one refused call, not one per delivery"
    );
    for row in &parked {
        assert_eq!(row.last_error_class.as_deref(), Some("auth"));
        assert!(
            row.last_error.as_deref().unwrap().contains(token),
            "{row:?}"
        );
    }
    assert_eq!(site.calls().len(), 4, "other channels keep going");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_falling_due_during_a_long_publish_does_not_wait_for_it() {
    let clock = system_clock();
    let youtube = Arc::new(Fake::new("youtube", Idempotency::Native, &clock).taking(ms(1500)));
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(
        clock,
        dispatch_settings(),
        &[("youtube", &youtube, 1), ("website", &site, 1)],
    )
    .await;
    let upload = h.queue(&["youtube"], h.now()).await.remove(0);
    let later = h
        .queue(&["website"], h.now() + chrono::Duration::milliseconds(300))
        .await
        .remove(0);
    let engine = h.start("a");
    h.wait_state(later.id, DeliveryState::Published).await;
    // idle_recheck is 30 s: only the next-due computation can have woken the engine.
    assert_eq!(
        h.store.delivery(upload.id).await.unwrap().state,
        DeliveryState::InFlight,
        "the website post went out while the upload (1.5 s, due first) was still in flight"
    );
    h.wait_state(upload.id, DeliveryState::Published).await;
    engine.stop().await;
}
