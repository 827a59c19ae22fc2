//! The dispatcher on its bad days: a lease that runs out while an attempt still runs, two
//! engines on one store, a channel that panics, a wall clock that jumps, announcements that are
//! not approved, a data directory that moved. Real time, short; outcomes are awaited by polling
//! the store up to a deadline, never timed.

mod dispatch_harness;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use dispatch_harness::*;
use prakat::clock::{Clock, SteppedClock};
use prakat::compose::{ComposeError, Composed};
use prakat::settings::Dispatch;
use prakat::store::{
    Actor, AnnouncementRecord, DeliveryFilter, DeliveryState, NewAnnouncement, NewDelivery,
    SqliteStore, Store,
};
use prakat_adapters::{Idempotency, MediaKind, MediaRef, Payload, PublishError, Receipt};

/// An attempt whose look-up and publish together outlast the lease. Before one deadline was
/// shared inside the lease, the same engine claimed the delivery again while the first attempt
/// still ran, and both posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_never_outlives_its_lease_so_one_engine_never_posts_twice() {
    let clock = system_clock();
    let t = ms(600);
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Reconcile, &clock)
            .then(Err(PublishError::Ambiguous("connection closed".into())))
            .then_after(t * 9 / 10, Ok(Receipt::default()))
            .slow_lookups(t * 9 / 10),
    );
    let settings = Dispatch {
        publish_timeout: t,
        lease: t * 3 / 2,
        ..retry_settings()
    };
    let h = Harness::new(clock, settings, &[("facebook", &fb, 4)]).await;
    let row = h.queue(&["facebook"], h.now()).await.remove(0);
    let engine = h.start("a");
    h.wait_state(row.id, DeliveryState::Published).await;
    // Give a second, overrunning attempt the time it would need to finish.
    tokio::time::sleep(t * 3).await;
    engine.stop().await;

    assert_eq!(
        fb.completed.load(Ordering::SeqCst),
        1,
        "one post on the platform; calls: {:?}",
        fb.calls()
    );
    assert_eq!(fb.max_running.load(Ordering::SeqCst), 1);
}

/// A look-up while the earlier create may still complete proves nothing: after an ambiguous
/// outcome the dispatcher waits for the attempt's start + publish timeout + margin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_waits_until_the_earlier_attempt_can_no_longer_complete() {
    let clock = system_clock();
    let fb = Arc::new(
        Fake::new("facebook", Idempotency::Reconcile, &clock)
            .then(Err(PublishError::Ambiguous("connection closed".into()))),
    );
    let settings = Dispatch {
        publish_timeout: ms(1500),
        reconcile_margin: ms(500),
        ..retry_settings()
    };
    let h = Harness::new(clock, settings, &[("facebook", &fb, 4)]).await;
    let row = h.queue(&["facebook"], h.now()).await.remove(0);
    let engine = h.start("a");
    h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;

    let calls = fb.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(fb.lookups().len(), 1);
    // The attempt started at its claim, a few milliseconds before the channel was called.
    let waited = calls[1].at - calls[0].at;
    assert!(
        waited >= chrono::Duration::milliseconds(1900),
        "looked up only {waited} after the first attempt started"
    );
    let trail = h.actions(row.id).await;
    assert!(trail.iter().any(|a| a == "retry"), "{trail:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_on_one_store_publish_every_delivery_exactly_once() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock).taking(ms(2)));
    let settings = Dispatch {
        batch_size: 8,
        ..dispatch_settings()
    };
    let h = Harness::new(clock, settings, &[("website", &site, 4)]).await;
    let mut ids = Vec::new();
    for _ in 0..150 {
        ids.push(h.queue(&["website"], h.now()).await[0].id);
    }
    let (a, b) = (h.start("a"), h.start("b"));
    for id in &ids {
        h.wait_state(*id, DeliveryState::Published).await;
    }
    a.stop().await;
    b.stop().await;

    let mut per_delivery: BTreeMap<i64, usize> = BTreeMap::new();
    for c in site.calls() {
        *per_delivery.entry(c.delivery_id).or_default() += 1;
    }
    assert_eq!(per_delivery.len(), ids.len());
    assert!(
        per_delivery.values().all(|n| *n == 1),
        "a delivery was published twice: {per_delivery:?}"
    );
    let mut owners = std::collections::BTreeSet::new();
    for id in &ids {
        let trail = h
            .store
            .audit_trail("delivery", &id.to_string())
            .await
            .unwrap();
        let published: Vec<_> = trail.iter().filter(|e| e.action == "published").collect();
        assert_eq!(published.len(), 1, "delivery {id}: {trail:?}");
        owners.insert(published[0].actor.clone());
    }
    assert_eq!(owners.len(), 2, "both engines took work: {owners:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_that_panics_parks_its_delivery_and_the_rest_go_on() {
    let clock = system_clock();
    let broken = Arc::new(Fake::new("line", Idempotency::Native, &clock).panicking());
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(
        clock,
        retry_settings(),
        &[("line", &broken, 4), ("website", &site, 4)],
    )
    .await;
    let rows = h.queue(&["line", "website"], h.now()).await;
    let engine = h.start("a");
    let parked = h
        .wait_state(rows[0].id, DeliveryState::NeedsAttention)
        .await;
    h.wait_state(rows[1].id, DeliveryState::Published).await;
    let later = h.queue(&["website"], h.now()).await.remove(0);
    h.wake.notify_one();
    h.wait_state(later.id, DeliveryState::Published).await;
    engine.stop().await;

    assert_eq!(parked.last_error_class.as_deref(), Some("panic"));
    let error = parked.last_error.unwrap();
    assert!(
        error.contains("a bug in the channel") && error.contains("check it"),
        "{error}"
    );
    assert_eq!(broken.calls().len(), 1, "not retried blindly");
}

/// A delivery whose attempts keep dying with the process stops at `max_attempts` when claimed,
/// without another call to the platform.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_are_capped_when_claimed() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    let id = h.queue(&["website"], h.now()).await[0].id;
    for _ in 0..dispatch_settings().max_attempts {
        // A daemon claims it and dies before any outcome.
        let claimed = h
            .store
            .claim_due(h.clock.now(), "crashing", ms(1), 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        tokio::time::sleep(ms(5)).await;
    }
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::NeedsAttention).await;
    engine.stop().await;
    assert!(site.calls().is_empty(), "{:?}", site.calls());
    assert_eq!(row.last_error_class.as_deref(), Some("attempts"));
}

/// An upload that moves forward on every attempt is not failed for running out of attempts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attempt_that_made_progress_does_not_use_up_the_budget() {
    let clock = system_clock();
    let cut = || Err(PublishError::Transient("connection reset mid-chunk".into()));
    let yt = Arc::new(
        Fake::new("youtube", Idempotency::Native, &clock)
            .saving_progress()
            .then(cut())
            .then(cut())
            .then(cut())
            .then(cut()),
    );
    let settings = Dispatch {
        max_attempts: 2,
        ..retry_settings()
    };
    let h = Harness::new(clock, settings, &[("youtube", &yt, 4)]).await;
    let id = h.queue(&["youtube"], h.now()).await[0].id;
    let engine = h.start("a");
    let row = h.wait_state(id, DeliveryState::Published).await;
    engine.stop().await;
    assert_eq!(yt.calls().len(), 5, "four cut attempts, then done");
    assert!(row.attempts <= 2, "{row:?}");
}

/// NTP steps the clock or the machine wakes from suspend: what fell due goes out within
/// seconds, not at the end of a sleep measured on the monotonic clock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wall_clock_step_forward_publishes_what_fell_due_at_once() {
    let stepped = Arc::new(SteppedClock::default());
    let clock: Arc<dyn Clock> = stepped.clone();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let settings = Dispatch {
        idle_recheck: Duration::from_secs(3600),
        ..dispatch_settings()
    };
    let h = Harness::new(clock, settings, &[("website", &site, 4)]).await;
    let row = h
        .queue(&["website"], h.now() + chrono::Duration::hours(1))
        .await
        .remove(0);
    let engine = h.start("a");
    tokio::time::sleep(ms(300)).await;
    assert!(site.calls().is_empty(), "not due yet");
    stepped.step(chrono::Duration::hours(1));
    h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;
    assert_eq!(site.calls().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_approved_announcements_are_ever_claimed() {
    let clock = system_clock();
    let site = Arc::new(Fake::new("website", Idempotency::Native, &clock));
    let h = Harness::new(clock, dispatch_settings(), &[("website", &site, 4)]).await;
    let row = h.queue(&["website"], h.now()).await.remove(0);
    let db = h.db_path();
    set_announcement_state(&db, row.announcement_id, "pending_approval").await;
    assert_eq!(
        h.store.next_wake_at().await.unwrap(),
        None,
        "a pending announcement wakes nobody (no busy loop)"
    );
    let engine = h.start("a");
    tokio::time::sleep(ms(500)).await;
    assert!(site.calls().is_empty(), "pending: never published");
    assert_eq!(h.delivery(row.id).await.state, DeliveryState::Queued);

    set_announcement_state(&db, row.announcement_id, "approved").await;
    h.wake.notify_one();
    h.wait_state(row.id, DeliveryState::Published).await;
    engine.stop().await;
}

async fn set_announcement_state(db: &std::path::Path, id: i64, state: &str) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE announcements SET state = ? WHERE id = ?")
        .bind(state)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// Payloads name media by their place in the media store, so a restored or moved data
/// directory keeps queued deliveries valid.
#[tokio::test]
async fn queued_media_follow_the_data_directory_when_it_moves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("prakat.db");
    let sha = "ab".to_owned() + &"0".repeat(62);
    let photo = MediaRef {
        sha256: sha.clone(),
        mime: "image/jpeg".into(),
        kind: MediaKind::Image,
        size: 3,
        path: format!("/old/place/prakat-data/media/ab/{sha}.jpg").into(),
        original_name: "จุดตรวจ.jpg".into(),
    };
    {
        let store = SqliteStore::open(&db).await.unwrap();
        store
            .add_department(
                &prakat_adapters::Department {
                    code: "traffic".into(),
                    name_th: "งานจราจร".into(),
                    name_en: "Traffic".into(),
                },
                &Actor::daemon("test"),
            )
            .await
            .unwrap();
        store.put_media(&photo).await.unwrap();
        let new = NewAnnouncement {
            channels: Vec::new(),
            department: "traffic".into(),
            title: "ตั้งจุดตรวจ".into(),
            body: "ถนนเพชรเกษม".into(),
            link: None,
            tags: vec![],
            media: vec![photo.clone()],
            source: "test".into(),
            publish_at: chrono::Utc::now(),
        };
        let compose = |a: &AnnouncementRecord| -> Result<Composed, ComposeError> {
            let mut d = draft(a);
            d.media = a.media.clone();
            Ok(vec![NewDelivery {
                channel: "website".into(),
                payload: Payload::from_draft("website", &d),
                due_at: a.publish_at,
                idempotency_key: format!("a{}-website", a.id),
            }]
            .into())
        };
        store
            .create_announcement(&new, &compose, &Actor::daemon("test"))
            .await
            .unwrap();
    }
    let moved = dir.path().join("restored").join("media");
    let store = SqliteStore::open(&db)
        .await
        .unwrap()
        .with_media_root(moved.clone());
    let want = moved.join("ab").join(format!("{sha}.jpg"));
    let listed = store.deliveries(&DeliveryFilter::default()).await.unwrap();
    assert_eq!(listed[0].payload.media[0].path, want);
    let claimed = store
        .claim_due(chrono::Utc::now(), "a", Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed[0].payload.media[0].path, want);
    let a = store
        .announcement(claimed[0].announcement_id)
        .await
        .unwrap();
    assert_eq!(a.media[0].path, want);
}
