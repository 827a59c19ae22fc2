//! Corrections end to end, with kill -9: announcements published on the website and on a slow
//! WordPress (0.8 s before it acts on an update or a delete, and it goes on acting after the
//! daemon that asked is gone) are corrected and retracted from the command line while the daemon
//! is killed inside those windows and restarted. At the end each WordPress post carries the new
//! text or is in the trash, there is still one post per announcement, every website page is
//! corrected or a notice, no index lists a retracted announcement, and every correction is done.

mod common;

#[path = "../adapters/tests/conformance/bad_day.rs"]
#[allow(dead_code)]
mod bad_day;

#[path = "../adapters/tests/wordpress"]
#[allow(dead_code)]
mod wp {
    pub mod fake;
    pub mod fake_posts;
}

use std::path::Path;
use std::time::{Duration, Instant};

use axum::http::Method;
use bad_day::{BadDay, Fault};
use prakat::app::App;
use prakat::store::{AmendmentRow, Store};
use rand::Rng;
use wp::fake::{APP_PASSWORD, Fake, USER};

const ANNOUNCEMENTS: usize = 6;
const KILLS: usize = 5;

/// Every amendment of these announcements.
async fn amendments(app: &App, ids: &[i64]) -> Vec<AmendmentRow> {
    let mut all = vec![];
    for id in ids {
        all.extend(app.store.amendments(*id).await.unwrap());
    }
    all
}

fn open(m: &AmendmentRow) -> bool {
    m.state == "waiting" || m.state == "in_flight"
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_a_slow_platform_is_correcting_leaves_every_post_corrected_once() {
    let mut rng = common::crash_rng();
    let fake = Fake::start().await;
    let net = BadDay::start(&fake.base).await;
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[dispatch]\nlease = \"8s\"\npublish_timeout = \"3s\"\nreconcile_margin = \"1s\"\n\
             idle_recheck = \"1s\"\nretry_base = \"200ms\"\nretry_max = \"1s\"\n\n\
             [channels.blog]\ntype = \"wordpress\"\nbase_url = \"{}\"\nusername = \"{USER}\"\n\
             application_password = \"{APP_PASSWORD}\"\n",
            net.url
        ),
    );
    let log = dir.path().join("serve.log");
    let site = dir.path().join("data/site");
    let app = App::open(common::settings(&config)).await.unwrap();
    let queued = common::queue_many(
        &app,
        ANNOUNCEMENTS,
        &["website", "blog"],
        chrono::Utc::now(),
    )
    .await;
    common::serve_until_published(&app, &config, &log, 2 * ANNOUNCEMENTS as u64).await;
    assert_eq!(fake.with(|i| i.posts.len()), ANNOUNCEMENTS);

    // From now on WordPress takes 0.8 s before it changes or trashes a post.
    net.always(
        Method::POST,
        "/wp/v2/posts/",
        Fault::SlowProcessing(Duration::from_millis(800)),
    );
    net.always(
        Method::DELETE,
        "/wp/v2/posts/",
        Fault::SlowProcessing(Duration::from_millis(800)),
    );
    // Even ones are corrected, odd ones taken back, from the command line (no daemon running:
    // the corrections wait in the store).
    let ids: Vec<i64> = queued.iter().map(|a| a.id).collect();
    for (i, a) in queued.iter().enumerate() {
        let id = a.id.to_string();
        let out = if i % 2 == 0 {
            let text = format!("ข้อความที่แก้ไขแล้ว รายการ {id}");
            common::prakat(&config, &["announcement", "edit", &id, "--text", &text])
        } else {
            common::prakat(
                &config,
                &["announcement", "retract", &id, "--reason", "ข้อมูลผิดพลาด"],
            )
        };
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    // The first is corrected twice: the second correction is the one that stays, whatever
    // the kills do to the order of calls.
    let first = ids[0].to_string();
    let out = common::prakat(
        &config,
        &[
            "announcement",
            "edit",
            &first,
            "--text",
            &format!("ข้อความที่แก้ไขแล้ว รายการ {first} ครั้งที่สอง"),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));

    let mut landed = 0;
    for _ in 0..KILLS {
        if !amendments(&app, &ids).await.iter().any(open) {
            break;
        }
        let mut daemon = common::start_daemon(&config, &log, "warn");
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline && net.in_flight() == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..700))).await;
        landed += usize::from(net.in_flight() > 0);
        daemon.kill().expect("SIGKILL");
        daemon.wait().unwrap();
    }
    assert!(
        landed > 0,
        "no kill landed while WordPress was acting: the test proved nothing"
    );

    // A last run until every correction is settled.
    let mut daemon = common::start_daemon(&config, &log, "warn");
    let deadline = Instant::now() + Duration::from_secs(120);
    while amendments(&app, &ids).await.iter().any(open) {
        assert!(
            Instant::now() < deadline,
            "corrections not settled; see {}",
            log.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    daemon.kill().unwrap();
    daemon.wait().unwrap();
    net.quiet().await;

    let all = amendments(&app, &ids).await;
    assert_eq!(
        all.len(),
        2 * ANNOUNCEMENTS + 2,
        "one per channel and correction: {all:?}"
    );
    // The first correction of the first announcement was replaced before it was carried out
    // (superseded), or carried out and then followed by the second.
    assert!(
        all.iter()
            .all(|m| m.state == "done" || m.state == "superseded"),
        "{all:?}"
    );

    // WordPress: still one post per announcement; each corrected or in the trash.
    let posts = fake.with(|i| i.posts.clone());
    assert_eq!(posts.len(), ANNOUNCEMENTS, "no second post");
    for (i, a) in queued.iter().enumerate() {
        let mine: Vec<_> = posts
            .iter()
            .filter(|p| {
                p["title"]["raw"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(&a.title)
                    || p["content"]["raw"]
                        .as_str()
                        .unwrap_or_default()
                        .contains(&format!("รายการ {}", a.id))
            })
            .collect();
        assert_eq!(mine.len(), 1, "{}: {posts:#?}", a.title);
        let post = mine[0];
        if i % 2 == 0 {
            let content = post["content"]["raw"].as_str().unwrap();
            assert!(
                content.contains(&format!("ข้อความที่แก้ไขแล้ว รายการ {}", a.id)),
                "{content}"
            );
            assert_eq!(content.contains("ครั้งที่สอง"), i == 0, "{content}");
            assert_eq!(post["status"], "publish");
        } else {
            assert_eq!(post["status"], "trash", "{post}");
        }
    }

    // The website: corrected pages say so, retracted ones are a notice listed nowhere.
    let home = read(&site, "index.html");
    let feed = read(&site, "feed.xml");
    for (i, a) in queued.iter().enumerate() {
        let page = read(&site, &format!("news/{}.html", a.id));
        let link = format!("news/{}.html", a.id);
        if i % 2 == 0 {
            assert!(page.contains("ข้อความที่แก้ไขแล้ว") && page.contains("แก้ไขเมื่อ"));
            assert_eq!(page.contains("ครั้งที่สอง"), i == 0);
            assert!(home.contains(&link) && feed.contains(&link));
        } else {
            assert!(page.contains("ประกาศนี้ถอนแล้ว") && page.contains("ข้อมูลผิดพลาด"));
            assert!(!page.contains(&a.title), "the notice keeps no title");
            assert!(
                !home.contains(&link) && !feed.contains(&link),
                "{link} still listed"
            );
        }
    }
    let show = common::prakat(
        &config,
        &["--lang", "th", "announcement", "show", &ids[1].to_string()],
    );
    let said = common::stdout(&show);
    assert!(
        said.contains("ถอนเมื่อ") && said.contains("ถอนออกแล้ว"),
        "{said}"
    );
    eprintln!("{landed} kills landed while WordPress was acting");
}
