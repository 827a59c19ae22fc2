//! The daemon is the only writer of the website: command-line commands run while it publishes
//! 1,000 website deliveries (`post --now` four at a time, `queue list`, `department list`,
//! `channels check`) never make a publish fail, never fail themselves, and every announcement
//! ends up on the home page (the newest `feed_items`), its month page and its department's
//! fiscal-year page.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use prakat::app::App;
use prakat::store::{AnnouncementRecord, DeliveryFilter, DeliveryState, Store};
use prakat_adapters::website::MonthKey;

use common::prakat;

const QUEUED: usize = 1_000;
const FEED_ITEMS: usize = 20;

/// Queue `n` website announcements due in the past, spread over about ten months (so month and
/// department pages of several sizes are rewritten).
async fn queue(app: &App, n: usize) -> Vec<AnnouncementRecord> {
    let now = Utc::now();
    common::queue_many_at(app, n, &["website"], |i| {
        now - chrono::Duration::hours(7 * (n - i) as i64)
    })
    .await
}

/// One round of commands at once: four posts, a queue listing, the departments, the channel
/// check. Returns the ids of the posted announcements and the failures.
fn one_round(config: &Path, round: usize) -> (Vec<i64>, Vec<String>) {
    std::thread::scope(|s| {
        let posts: Vec<_> = (0..4)
            .map(|k| {
                s.spawn(move || {
                    let text = format!("ประกาศจากบรรทัดคำสั่ง รอบ {round} ที่ {k}");
                    prakat(
                        config,
                        &[
                            "post",
                            "--now",
                            "--channels",
                            "website",
                            "--department",
                            "traffic",
                            "--text",
                            &text,
                        ],
                    )
                })
            })
            .collect();
        let others: Vec<_> = [
            vec!["queue", "list", "--limit", "50"],
            vec!["department", "list"],
            vec!["channels", "check"],
        ]
        .into_iter()
        .map(|args| s.spawn(move || (args.join(" "), prakat(config, &args))))
        .collect();
        let mut ids = Vec::new();
        let mut failures = Vec::new();
        for p in posts {
            let o = p.join().unwrap();
            let out = String::from_utf8_lossy(&o.stdout).into_owned();
            if !o.status.success() {
                failures.push(format!("post: {}", String::from_utf8_lossy(&o.stderr)));
                continue;
            }
            let id = out
                .strip_prefix("announcement ")
                .and_then(|r| r.split_whitespace().next())
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("no id in {out:?}"));
            ids.push(id);
        }
        for o in others {
            let (what, o) = o.join().unwrap();
            if !o.status.success() {
                failures.push(format!("{what}: {}", String::from_utf8_lossy(&o.stderr)));
            }
        }
        (ids, failures)
    })
}

async fn published(app: &App) -> usize {
    common::count_published(&app.store.delivery_counts().await.unwrap()) as usize
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_while_the_daemon_publishes_never_disturb_the_website() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[dispatch]\nbatch_size = 64\nconcurrency = 4\nidle_recheck = \"1s\"\n\n[channels.website]\nfeed_items = {FEED_ITEMS}\n"
        ),
    );
    let log = dir.path().join("serve.log");
    let app = App::open(common::settings(&config)).await.unwrap();
    let mut announcements = queue(&app, QUEUED).await;

    let mut daemon = common::start_daemon(&config, &log, "warn");

    // Rounds of commands until every queued delivery is published; count the rounds that ran
    // while the daemon was publishing.
    let mut failures = Vec::new();
    let mut posted = Vec::new();
    let mut rounds_during_publishing = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    for round in 0.. {
        let before = published(&app).await;
        if before >= QUEUED || round >= 12 {
            break;
        }
        let cfg: PathBuf = config.clone();
        let (ids, failed) = tokio::task::spawn_blocking(move || one_round(&cfg, round))
            .await
            .unwrap();
        posted.extend(ids);
        failures.extend(failed);
        if published(&app).await > before {
            rounds_during_publishing += 1;
        }
        assert!(Instant::now() < deadline, "too slow; see {}", log.display());
    }
    let total = QUEUED + posted.len();
    while published(&app).await < total {
        assert!(
            Instant::now() < deadline,
            "not everything was published in time; see {}",
            log.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success());

    assert!(
        rounds_during_publishing >= 2,
        "the commands did not run while the daemon published: the test proved nothing"
    );
    assert!(failures.is_empty(), "commands failed: {failures:#?}");

    // Every delivery published at its first attempt, with nothing failed on the way.
    let deliveries = app
        .store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap();
    assert_eq!(deliveries.len(), total);
    let mut failed_attempts = Vec::new();
    for d in &deliveries {
        let trail = app
            .store
            .audit_trail("delivery", &d.id.to_string())
            .await
            .unwrap();
        let bad = trail
            .iter()
            .any(|e| e.action.contains("fail") || e.action.contains("retry"));
        if d.state != DeliveryState::Published || d.attempts != 1 || d.last_error.is_some() || bad {
            failed_attempts.push(format!(
                "delivery {}: {} after {} attempts, last error {:?}, trail {:?}",
                d.id,
                d.state,
                d.attempts,
                d.last_error,
                trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failed_attempts.is_empty(),
        "{} deliveries had a failed attempt, e.g. {:#?}",
        failed_attempts.len(),
        &failed_attempts[..failed_attempts.len().min(5)]
    );

    // Every announcement on its month page and its department's fiscal-year page; the newest
    // on the home page.
    for id in &posted {
        let rec = app.store.announcement(*id).await.unwrap();
        announcements.push(rec);
    }
    let site = app.settings.site_dir();
    let mut missing = Vec::new();
    let mut pages = std::collections::HashMap::<String, String>::new();
    for a in &announcements {
        let month = MonthKey::of(a.publish_at);
        let link = format!("news/{}.html\"", a.id);
        for rel in [
            format!("months/{}/index.html", month.slug()),
            format!(
                "departments/{}/{}/index.html",
                a.department.code,
                month.fiscal_year()
            ),
        ] {
            let html = pages
                .entry(rel.clone())
                .or_insert_with(|| read(&site, &rel));
            if !html.contains(&link) {
                missing.push(format!("{} not on {rel}", a.id));
            }
        }
    }
    let home = read(&site, "index.html");
    let mut newest: Vec<(DateTime<Utc>, i64)> =
        announcements.iter().map(|a| (a.publish_at, a.id)).collect();
    newest.sort_by(|a, b| b.cmp(a));
    for (_, id) in newest.iter().take(FEED_ITEMS) {
        if !home.contains(&format!("news/{id}.html\"")) {
            missing.push(format!("{id} not on the home page"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} missing: {missing:#?}",
        missing.len()
    );
    eprintln!(
        "{QUEUED} queued + {} posted during {rounds_during_publishing} rounds of commands: all published at the first attempt",
        posted.len()
    );
}
