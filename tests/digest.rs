//! The monthly digest against a real SQLite store: the month's rows (Bangkok month
//! boundaries, the latest sample of each delivery, cancelled deliveries left out, page views,
//! the departments in the seed's order), `prakat digest` run as a person would, and the
//! daemon's build: kept, published on the website with the fiscal-year index, one
//! `digest_ready` event however often it runs.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::{prakat, stderr, stdout};
use prakat::app::App;
use prakat::channels::Purpose;
use prakat::digest::fixture::{self, Size};
use prakat::digest::{Month, job};
use prakat::store::{
    Actor, AnnouncementRecord, NewAnnouncement, NewDelivery, Outcome, ReachRetry, ReachSlot,
    Settlement, SqliteStore, Store,
};
use prakat_adapters::{Draft, Payload, Receipt};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn slots() -> Vec<ReachSlot> {
    ["1h", "1d", "7d", "30d"]
        .iter()
        .map(|s| ReachSlot::parse(s).unwrap())
        .collect()
}

/// One announcement of `dept` at `at`, published on `channels`.
async fn published_at(
    store: &SqliteStore,
    dept: &str,
    at: DateTime<Utc>,
    channels: &[&str],
) -> i64 {
    let new = NewAnnouncement {
        channels: vec![],
        department: dept.into(),
        title: format!("ประกาศ {at}"),
        body: "ข้อความ".into(),
        link: None,
        tags: vec![],
        media: vec![],
        source: "test".into(),
        publish_at: at,
    };
    let chs: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
    let compose = move |a: &AnnouncementRecord| {
        Ok(chs
            .iter()
            .map(|ch| NewDelivery {
                channel: ch.clone(),
                payload: Payload::from_draft(
                    ch,
                    &Draft {
                        announcement_id: a.id,
                        department: a.department.clone(),
                        title: a.title.clone(),
                        text: a.body.clone(),
                        media: vec![],
                        link: None,
                        published_at: at,
                        tags: vec![],
                    },
                ),
                due_at: at,
                idempotency_key: format!("t-{}-{ch}", a.id),
            })
            .collect::<Vec<_>>()
            .into())
    };
    let (a, _) = store
        .create_announcement(&new, &compose, &Actor::daemon("test"))
        .await
        .unwrap();
    let claimed = store
        .claim_due(at, "test", Duration::from_secs(60), 100)
        .await
        .unwrap();
    // A channel named `cancelled` is handed back and cancelled; the others are published.
    let settlements: Vec<Settlement> = claimed
        .iter()
        .map(|c| Settlement {
            delivery_id: c.id,
            claim: c.claim,
            outcome: if c.channel == "cancelled" {
                Outcome::Retry {
                    at: at + chrono::Duration::days(365),
                    error: "later".into(),
                    class: "transient".into(),
                    count_attempt: false,
                    unsettled: false,
                }
            } else {
                Outcome::Published(Receipt {
                    remote_id: Some(format!("p{}", c.id)),
                    url: Some(format!("https://example.invalid/{}", c.id)),
                    ..Receipt::default()
                })
            },
        })
        .collect();
    store.settle("test", at, &settlements).await.unwrap();
    for c in claimed.iter().filter(|c| c.channel == "cancelled") {
        store
            .cancel_delivery(c.id, at, &Actor::daemon("test"))
            .await
            .unwrap();
    }
    a.id
}

#[tokio::test]
async fn the_months_rows_come_from_the_store_with_each_deliverys_latest_sample() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("prakat.db"))
        .await
        .unwrap();
    let nov = Month::parse("2569-11").unwrap();
    fixture::fill(
        &store,
        nov,
        &Size {
            announcements: 6,
            channels: vec!["website".into(), "facebook".into()],
            slots: slots(),
        },
        &|_, _| {},
    )
    .await
    .unwrap();
    // On either side of the month's edges, Bangkok time.
    let last_of_oct =
        published_at(&store, "traffic", utc("2026-10-31T16:59:59Z"), &["website"]).await;
    let first_of_nov =
        published_at(&store, "traffic", utc("2026-10-31T17:00:00Z"), &["website"]).await;
    let last_of_nov = published_at(
        &store,
        "inquiry",
        utc("2026-11-30T16:59:59Z"),
        &["website", "line"],
    )
    .await;
    let first_of_dec =
        published_at(&store, "traffic", utc("2026-11-30T17:00:00Z"), &["website"]).await;
    // A LINE sample that failed: its reason comes with the row.
    let rows = store.digest_rows(nov.start(), nov.end()).await.unwrap();
    let line = rows
        .rows
        .iter()
        .find(|r| r.announcement_id == last_of_nov && r.channel.as_deref() == Some("line"))
        .unwrap()
        .clone();
    assert!(line.sample.is_none() && line.reach_error.is_none());
    let delivery = store
        .deliveries(&prakat::store::DeliveryFilter {
            announcement_id: Some(last_of_nov),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.channel == "line")
        .unwrap();
    store
        .reach_retry_later(&ReachRetry {
            delivery_id: delivery.id,
            slot: slots()[1],
            now: utc("2026-12-01T00:00:00Z"),
            retry_at: utc("2026-12-01T01:00:00Z"),
            error: "insight not available".into(),
            class: "rejected".into(),
            count_attempt: true,
        })
        .await
        .unwrap();

    let rows = store.digest_rows(nov.start(), nov.end()).await.unwrap();
    let ids: std::collections::BTreeSet<i64> =
        rows.rows.iter().map(|r| r.announcement_id).collect();
    assert!(ids.contains(&first_of_nov) && ids.contains(&last_of_nov));
    assert!(!ids.contains(&last_of_oct) && !ids.contains(&first_of_dec));
    assert_eq!(ids.len(), 6 + 2);
    assert_eq!(rows.rows.len(), 6 * 2 + 1 + 2);
    // Ordered by publishing time, then announcement, then channel.
    let key = |r: &prakat::store::DigestRow| (r.publish_at, r.announcement_id, r.channel.clone());
    assert!(
        rows.rows.windows(2).all(|w| key(&w[0]) < key(&w[1])),
        "{:?}",
        rows.rows.iter().map(key).collect::<Vec<_>>()
    );
    // The fixture's rows: the 30-day sample, the latest of four; the page views added up.
    for r in rows
        .rows
        .iter()
        .filter(|r| r.title.starts_with("ผลการปฏิบัติงาน"))
    {
        let s = r.sample.unwrap();
        assert_eq!(s.slot_secs, 30 * 86_400);
        assert_eq!(s.views, Some((r.announcement_id as u64 % 97 + 1) * 4 * 10));
        assert_eq!(r.page_views, r.announcement_id as u64 % 50 + 5);
        assert_eq!(r.state.as_deref(), Some("published"));
        assert!(r.url.is_some());
    }
    let line = rows
        .rows
        .iter()
        .find(|r| r.announcement_id == last_of_nov && r.channel.as_deref() == Some("line"))
        .unwrap();
    assert_eq!(
        line.reach_error,
        Some(("rejected".into(), "insight not available".into()))
    );
    // The departments in the seed's order, not the alphabet's.
    let codes: Vec<&str> = rows.departments.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["admin", "prevention", "traffic", "investigation", "inquiry"]
    );
    // A cancelled delivery is not in the digest.
    let id = published_at(
        &store,
        "admin",
        utc("2026-11-15T03:00:00Z"),
        &["website", "cancelled"],
    )
    .await;
    let rows = store.digest_rows(nov.start(), nov.end()).await.unwrap();
    let channels: Vec<Option<&str>> = rows
        .rows
        .iter()
        .filter(|r| r.announcement_id == id)
        .map(|r| r.channel.as_deref())
        .collect();
    assert_eq!(channels, [Some("website")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prakat_digest_writes_the_files_and_the_daemons_build_publishes_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[digest]\ncommander_name = \"สมชาย ใจดี\"\nsigner_title = \"ผู้กำกับการสถานีตำรวจภูธรเมืองระนอง\"\n",
    );
    let nov = Month::parse("2569-11").unwrap();
    {
        let app = App::open_for(common::settings(&config), Purpose::Compose)
            .await
            .unwrap();
        fixture::fill(
            app.store.as_ref(),
            nov,
            &Size {
                announcements: 12,
                channels: vec!["website".into()],
                slots: slots(),
            },
            &|_, _| {},
        )
        .await
        .unwrap();
    }

    // From the command line, into a folder the user names.
    let out = dir.path().join("out");
    let o = prakat(
        &config,
        &[
            "digest",
            "--month",
            "2569-11",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("12 announcement(s)"), "{}", stdout(&o));
    for ext in ["html", "pdf", "csv", "xlsx", "json"] {
        let p = out.join(format!("digest-2569-11.{ext}"));
        assert!(p.metadata().unwrap().len() > 0, "{}", p.display());
    }
    let html = std::fs::read_to_string(out.join("digest-2569-11.html")).unwrap();
    assert!(html.contains("พฤศจิกายน ๒๕๖๙") && html.contains("สมชาย ใจดี"));
    // The CLI never writes the website.
    assert!(!dir.path().join("data/site/digests").exists());
    // A month that is not one: exit 2, said in Thai with --lang th.
    let o = prakat(&config, &["--lang", "th", "digest", "--month", "2569-13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("อ่านค่า --month"), "{}", stderr(&o));

    // The daemon's build: kept, published, told once.
    let app = App::open_for(common::settings(&config), Purpose::Compose)
        .await
        .unwrap();
    let after = app.store.notifier_cursor("digest-test").await.unwrap();
    let now = utc("2026-12-01T00:00:00Z");
    let built = job::build_and_publish(&app, nov, now).await.unwrap();
    let again = job::build_and_publish(&app, nov, now).await.unwrap();
    assert_eq!(built.pdf, again.pdf);
    assert!(
        built
            .pdf
            .starts_with(dir.path().join("data/digests/2569-11"))
    );
    let site = dir.path().join("data/site/digests");
    for f in [
        "2569-11/index.html",
        "2569-11/digest-2569-11.pdf",
        "digest.css",
        "index.html",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let page = std::fs::read_to_string(site.join("2569-11/index.html")).unwrap();
    // minijinja writes the slash as &#x2f;: the same address to a browser.
    assert!(
        page.contains(r#"<link rel="stylesheet" href="..&#x2f;digest.css">"#),
        "{}",
        &page[..600]
    );
    assert!(
        !page.contains("<style>"),
        "the website's pages take no inline style"
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("ปีงบประมาณ พ.ศ. ๒๕๗๐") && index.contains(r#"href="2569-11/""#));
    let events: Vec<_> = app
        .store
        .events_after(after, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == job::DIGEST_READY)
        .collect();
    assert_eq!(events.len(), 1, "a rerun writes no second event");
    assert_eq!(events[0].entity_id, "2569-11");
    assert_eq!(events[0].detail["announcements"], 12);
    assert_eq!(events[0].detail["pdf"], built.pdf.display().to_string());
}

/// The dispatcher and the correction worker of a daemon, over `app`, until `done` says so.
async fn run_daemon_until<F, Fut>(app: &std::sync::Arc<App>, what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    use prakat::clock::SystemClock;
    use prakat::dispatch::{Engine, EngineParts, ProgressBoard};
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let engine = Engine::new(EngineParts {
        store: app.store.clone(),
        registry: app.registry.clone(),
        composer: app.composer.clone(),
        clock: SystemClock::shared(),
        settings: app.settings.dispatch.clone(),
        rules: app.settings.rules.clone(),
        metrics: std::sync::Arc::new(prakat::metrics::Metrics::new()),
        wake: std::sync::Arc::new(tokio::sync::Notify::new()),
        owner: "digest-test".into(),
        seed: Some(11),
        progress: std::sync::Arc::new(ProgressBoard::default()),
        db_file: None,
    });
    let engine = tokio::spawn(engine.run(shutdown.clone()));
    let corrections = tokio::spawn(
        prakat::corrections::Corrections {
            store: app.store.clone(),
            registry: (*app.registry).clone(),
            clock: SystemClock::shared(),
            owner: "digest-test".into(),
            lease: app.settings.dispatch.lease,
            timeout: app.settings.dispatch.publish_timeout,
            every: Duration::from_millis(100),
        }
        .run(shutdown),
    );
    // A bound on the wait, not a measure: the work takes well under a second.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "never {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    engine.await.unwrap();
    corrections.await.unwrap();
}

/// The deliveries of the monthly digests' announcements.
async fn digest_deliveries(app: &App) -> Vec<prakat::store::DeliveryRow> {
    app.store
        .deliveries(&prakat::store::DeliveryFilter {
            department: Some(prakat::digest::announce::DEPARTMENT.into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

fn sha256_of(path: &std::path::Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_corrects_the_one_announcement_and_its_page_links_the_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[dispatch]\nidle_recheck = \"200ms\"\n",
    );
    let nov = Month::parse("2569-11").unwrap();
    let app = std::sync::Arc::new(App::open(common::settings(&config)).await.unwrap());
    let month_of = |announcements| Size {
        announcements,
        channels: vec!["website".into()],
        slots: slots(),
    };
    fixture::fill(app.store.as_ref(), nov, &month_of(6), &|_, _| {})
        .await
        .unwrap();
    let kept = dir.path().join("data/digests/2569-11");
    let files = |ext: &str| kept.join(format!("digest-2569-11.{ext}"));

    // The first build, published by the dispatcher as any announcement.
    job::build_and_publish(&app, nov, Utc::now()).await.unwrap();
    let first: Vec<String> = ["pdf", "xlsx", "csv"].map(|e| sha256_of(&files(e))).into();
    let shared = &app;
    run_daemon_until(&app, "published the digest", move || async move {
        digest_deliveries(shared)
            .await
            .iter()
            .all(|d| d.state == prakat::store::DeliveryState::Published)
    })
    .await;
    let delivered = digest_deliveries(&app).await;
    assert_eq!(delivered.len(), 1, "one delivery, to the website");
    let id = delivered[0].announcement_id;
    let site = dir.path().join("data/site");
    let page = || std::fs::read_to_string(site.join(format!("news/{id}.html"))).unwrap();
    assert!(page().contains(&first[0]), "the page links the first PDF");

    // Later in the month's life: four more announcements, so other figures and other files.
    fixture::fill(app.store.as_ref(), nov, &month_of(4), &|_, _| {})
        .await
        .unwrap();
    job::build_and_publish(&app, nov, Utc::now()).await.unwrap();
    let second: Vec<String> = ["pdf", "xlsx", "csv"].map(|e| sha256_of(&files(e))).into();
    for (a, b) in first.iter().zip(&second) {
        assert_ne!(a, b, "the rerun's files differ from the first's");
    }
    // The store's record names the new files at once, in order.
    let record = app.store.announcement(id).await.unwrap();
    let attached: Vec<&str> = record.media.iter().map(|m| m.sha256.as_str()).collect();
    assert_eq!(
        attached,
        second.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(record.revision.number, 1, "corrected once");
    run_daemon_until(
        &app,
        "carried the correction to the website",
        move || async move {
            let all = shared.store.amendments(id).await.unwrap();
            !all.is_empty() && all.iter().all(|a| a.state == "done")
        },
    )
    .await;

    // Still one announcement, one delivery, one page.
    assert_eq!(digest_deliveries(&app).await.len(), 1);
    let entries: Vec<serde_json::Value> = std::fs::read_dir(site.join("_entries"))
        .unwrap()
        .map(|e| serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap())
        .filter(|e: &serde_json::Value| e["department"]["code"] == "digest")
        .collect();
    assert_eq!(entries.len(), 1, "one digest entry on the website");
    let page = page();
    for (old, new) in first.iter().zip(&second) {
        assert!(page.contains(new), "the page links the rerun's file {new}");
        assert!(!page.contains(old), "the page no longer links {old}");
        let ext = ["pdf", "xlsx", "csv"][second.iter().position(|s| s == new).unwrap()];
        assert!(
            site.join(format!("media/{new}.{ext}")).is_file(),
            "the rerun's {ext} is on the website"
        );
    }
    assert!(page.contains("๑๐ เรื่อง"), "the corrected text counts ten");
}
