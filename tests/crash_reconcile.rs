//! Kill -9 against a platform with no idempotency at all: Facebook. The fake Graph API creates
//! each post at once but answers 300 ms later, and the daemon is killed at random moments
//! inside those windows, restarted each time. A post whose answer was lost must be found again
//! by reconciling (listing the Page's posts), never posted twice: at the end every announcement
//! is exactly one post on the Page.

mod common;

#[path = "../adapters/tests/facebook"]
#[allow(dead_code)]
mod fb {
    pub mod fake;
    pub mod graph;
}

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::Method;
use fb::fake::{Fake, PAGE, Rule, TOKEN};
use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use rand::Rng;

const ANNOUNCEMENTS: usize = 40;
const KILLS: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_facebook_answers_late_never_posts_twice() {
    let mut rng = common::crash_rng();

    let fake = Fake::start().await;
    fake.state.lock().unwrap().real_clock = true;
    for _ in 0..ANNOUNCEMENTS * 3 {
        fake.script(Rule::late(
            Method::POST,
            "/feed",
            Duration::from_millis(300),
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[dispatch]\nlease = \"8s\"\npublish_timeout = \"3s\"\nreconcile_margin = \"1s\"\nidle_recheck = \"1s\"\n\n\
             [channels.facebook]\npage_id = \"{PAGE}\"\npage_access_token = \"{TOKEN}\"\n\
             base_url = \"{0}\"\nvideo_base_url = \"{0}\"\nconcurrency = 4\n",
            fake.base
        ),
    );
    let log = dir.path().join("serve.log");
    let app = App::open(common::settings(&config)).await.unwrap();
    let queued = common::queue_many(&app, ANNOUNCEMENTS, &["facebook"], chrono::Utc::now()).await;
    let published = async || common::count_published(&app.store.delivery_counts().await.unwrap());

    let mut killed_in_flight = 0;
    for _ in 0..KILLS {
        if published().await == ANNOUNCEMENTS as u64 {
            break;
        }
        let mut daemon = common::start_daemon(&config, &log, "warn");
        // Wait for a post to be created on the Page but not yet answered, then a moment more.
        let before = fake.state.lock().unwrap().posts.len();
        let deadline = Instant::now() + Duration::from_secs(30);
        while fake.state.lock().unwrap().posts.len() == before && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..250))).await;
        daemon.kill().expect("SIGKILL");
        daemon.wait().unwrap();
        let in_flight = app
            .store
            .deliveries(&DeliveryFilter {
                state: Some(DeliveryState::InFlight),
                ..Default::default()
            })
            .await
            .unwrap()
            .len();
        killed_in_flight += usize::from(in_flight > 0);
    }
    assert!(
        killed_in_flight > 0,
        "no kill landed mid-publish: the test proved nothing"
    );

    common::serve_until_published(&app, &config, &log, ANNOUNCEMENTS as u64).await;

    if std::env::var_os("PRAKAT_DEBUG_TRAIL").is_some() {
        for e in app.store.audit_trail("delivery", "1").await.unwrap() {
            eprintln!("{} {} {} {}", e.at, e.actor, e.action, e.detail);
        }
        for s in fake
            .state
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|s| s.path.ends_with("/posts"))
        {
            eprintln!("{} {} {:?}", s.method, s.path, s.query);
        }
    }
    // Exactly one post per announcement on the Page (a copy: no lock held across an await).
    let (posts, seen) = {
        let st = fake.state.lock().unwrap();
        (st.posts.clone(), st.seen.clone())
    };
    let mut per_title: HashMap<String, usize> = HashMap::new();
    for post in &posts {
        let message = post.message.clone().unwrap_or_default();
        let title = message.lines().next().unwrap_or_default().to_owned();
        *per_title.entry(title).or_default() += 1;
    }
    for a in &queued {
        assert_eq!(
            per_title.get(&a.title).copied(),
            Some(1),
            "{}: {per_title:?}",
            a.title
        );
    }
    assert_eq!(posts.len(), ANNOUNCEMENTS, "no stray posts");
    let lookups = seen
        .iter()
        .filter(|s| s.method == Method::GET && s.path.ends_with("/posts"))
        .count();
    eprintln!(
        "{} posts, {lookups} reconciling look-ups after kills",
        posts.len()
    );
    assert!(
        lookups > 0,
        "unsettled deliveries were looked up before any re-send"
    );

    // And the deliveries carry the Page's post ids.
    let rows = app
        .store
        .deliveries(&DeliveryFilter::default())
        .await
        .unwrap();
    assert!(
        rows.iter().all(|r| r
            .remote_id
            .as_deref()
            .is_some_and(|id| id.starts_with(PAGE))),
        "{rows:?}"
    );
}
