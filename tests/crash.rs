//! Exactly once, nothing lost: the daemon is killed with SIGKILL at random moments while 1,000
//! deliveries (500 announcements × website and outbox) fall due, and restarted each time. At the
//! end every delivery is published, every announcement has exactly one page, one index line and
//! one outbox file, and every repeated publish call was one the dispatcher knew might be a repeat.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::Command;
use std::time::{Duration, Instant};

use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use rand::Rng;

const ANNOUNCEMENTS: usize = 500;
const KILLS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_never_double_posts_or_drops() {
    let mut rng = common::crash_rng();

    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[dispatch]\nbatch_size = 32\nconcurrency = 2\nlease = \"20s\"\npublish_timeout = \"10s\"\nidle_recheck = \"1s\"\n\n[channels.website]\nfeed_items = 20\n",
    );
    let log = dir.path().join("serve.log");
    let app = App::open(common::settings(&config)).await.unwrap();
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let announcements = common::queue_many(&app, ANNOUNCEMENTS, &["website", "outbox"], due).await;
    let total = (ANNOUNCEMENTS * 2) as u64;

    // Kill while publishing is under way: wait for progress since the last start, then a
    // random moment more.
    let mut kills_mid_work = 0;
    for round in 0..KILLS {
        let before = common::count_published(&app.store.delivery_counts().await.unwrap());
        if before == total {
            break;
        }
        let mut child = common::start_daemon(&config, &log, "warn");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let now_published =
                common::count_published(&app.store.delivery_counts().await.unwrap());
            if now_published > before || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(rng.random_range(5..40))).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..400))).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let after = common::count_published(&app.store.delivery_counts().await.unwrap());
        let in_flight = app
            .store
            .deliveries(&DeliveryFilter {
                state: Some(DeliveryState::InFlight),
                ..Default::default()
            })
            .await
            .unwrap()
            .len();
        eprintln!(
            "round {round}: published {before} → {after} of {total}, killed with {in_flight} in flight"
        );
        if in_flight > 0 {
            kills_mid_work += 1;
        }
    }
    assert!(
        kills_mid_work > 0,
        "no kill landed while deliveries were in flight: the test proved nothing"
    );

    // Last start: let it finish, then stop it cleanly.
    let mut child = common::start_daemon(&config, &log, "warn");
    let deadline = Instant::now() + Duration::from_secs(180);
    while common::count_published(&app.store.delivery_counts().await.unwrap()) < total {
        assert!(
            Instant::now() < deadline,
            "not everything was published in time; see {}",
            log.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "clean shutdown after SIGTERM, got {status}"
    );

    // Every delivery published, none in another state.
    let counts = app.store.delivery_counts().await.unwrap();
    assert_eq!(common::count_published(&counts), total, "{counts:?}");
    assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), total);

    // The resume path ran: deliveries a killed daemon held were claimed again as unsettled.
    let all = app
        .store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap();
    let mut resumed = 0;
    let mut deduplicated = 0;
    for d in &all {
        let trail = app
            .store
            .audit_trail("delivery", &d.id.to_string())
            .await
            .unwrap();
        resumed += usize::from(
            trail
                .iter()
                .any(|e| e.action == "claimed" && e.detail["unsettled"] == true),
        );
        deduplicated += usize::from(
            trail
                .iter()
                .any(|e| e.action == "published" && e.detail["deduplicated"] == true),
        );
        assert_eq!(
            trail.iter().filter(|e| e.action == "published").count(),
            1,
            "delivery {} settled once",
            d.id
        );
    }
    eprintln!(
        "{resumed} deliveries resumed after a kill; {deduplicated} of them had reached the channel before it"
    );
    assert!(
        resumed > 0,
        "no delivery was resumed after a kill: the test proved nothing"
    );

    // Outbox: one file per outbox delivery; repeated calls only where a previous attempt was
    // unsettled.
    let outbox = app.settings.outbox_dir();
    let deliveries = app
        .store
        .deliveries(&DeliveryFilter {
            channel: Some("outbox".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let keys: HashSet<String> = deliveries
        .iter()
        .map(|d| d.idempotency_key.clone())
        .collect();
    let files: HashSet<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    assert_eq!(
        files, keys,
        "one outbox file per delivery, no more, no less"
    );
    let mut calls: HashMap<String, Vec<serde_json::Value>> = HashMap::new();
    for line in std::fs::read_to_string(outbox.join("attempts.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        calls
            .entry(v["idempotency_key"].as_str().unwrap().to_owned())
            .or_default()
            .push(v);
    }
    let mut repeats = 0;
    for key in &keys {
        let c = calls
            .get(key)
            .unwrap_or_else(|| panic!("no publish call for {key}"));
        // The file is the effect; the log line follows it, so a kill between the two loses
        // the line of the call that wrote. Then every logged call is a deduplicated repeat.
        let wrote = c.iter().filter(|v| v["wrote"] == true).count();
        assert!(wrote <= 1, "written twice: {key}: {c:?}");
        if wrote == 0 {
            assert!(
                c.iter().all(|v| v["after_unsettled_attempt"] == true),
                "no call logged as writing, yet one not flagged as a repeat: {c:?}"
            );
        }
        for later in &c[1..] {
            repeats += 1;
            assert_eq!(
                later["after_unsettled_attempt"], true,
                "a repeat the dispatcher did not know about: {c:?}"
            );
        }
    }
    eprintln!(
        "outbox: {} deliveries, {repeats} repeated calls after a kill, all deduplicated",
        keys.len()
    );

    // Website: one page and one entry per announcement, each listed once on its month page.
    let site = app.settings.site_dir();
    let mut month_pages: HashMap<std::path::PathBuf, String> = HashMap::new();
    for a in &announcements {
        assert!(
            site.join(format!("news/{}.html", a.id)).is_file(),
            "page of announcement {}",
            a.id
        );
    }
    let entries = std::fs::read_dir(site.join("_entries")).unwrap().count();
    assert_eq!(entries, ANNOUNCEMENTS);
    for e in std::fs::read_dir(site.join("months")).unwrap().flatten() {
        if e.path().is_dir() {
            let p = e.path().join("index.html");
            month_pages.insert(p.clone(), std::fs::read_to_string(p).unwrap());
        }
    }
    for a in &announcements {
        let link = format!("news/{}.html\"", a.id);
        let n: usize = month_pages
            .values()
            .map(|html| html.matches(&link).count())
            .sum();
        assert_eq!(
            n, 1,
            "announcement {} is listed {n} times on the month pages",
            a.id
        );
    }
}
