//! Kill -9 against a slow platform that goes on working after its client is gone: the fake
//! WordPress sits behind a proxy that takes 0.8 s before it creates anything, and finishes the
//! create even when the daemon that asked was killed meanwhile (as PHP does). The daemon is
//! killed inside those windows and restarted at once. A restarted daemon that looked the post up
//! before the first create had landed found nothing and made a second post; now a look-up waits
//! until the earlier attempt can no longer complete, and WordPress's create is two-phase (a
//! draft with the deterministic slug, then publish). At the end every announcement is exactly
//! one post. The same story runs against Facebook, which has neither idempotency nor a
//! two-phase create: there the dispatcher's wait alone keeps the promise.

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

#[path = "../adapters/tests/facebook"]
#[allow(dead_code)]
mod fb {
    pub mod fake;
    pub mod graph;
}

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::Method;
use bad_day::{BadDay, Fault};
use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use rand::Rng;
use wp::fake::{APP_PASSWORD, Fake, USER};

const ANNOUNCEMENTS: usize = 20;
const KILLS: usize = 5;

/// A platform behind the slow proxy: its channel section, and the titles of its posts.
enum Platform {
    Wordpress(wp::fake::Fake),
    Facebook(fb::fake::Fake),
}

impl Platform {
    /// The channel's settings section, pointed at `url`.
    fn section(&self, url: &str) -> String {
        match self {
            Platform::Wordpress(_) => format!(
                "[channels.blog]\ntype = \"wordpress\"\nbase_url = \"{url}\"\nusername = \"{USER}\"\n\
                 application_password = \"{APP_PASSWORD}\"\nconcurrency = 4\n"
            ),
            Platform::Facebook(_) => format!(
                "[channels.blog]\ntype = \"facebook\"\npage_id = \"{}\"\npage_access_token = \"{}\"\n\
                 base_url = \"{url}\"\nvideo_base_url = \"{url}\"\nconcurrency = 4\n",
                fb::fake::PAGE,
                fb::fake::TOKEN
            ),
        }
    }

    /// The request that creates a post.
    fn create(&self) -> &'static str {
        match self {
            Platform::Wordpress(_) => "/wp/v2/posts",
            Platform::Facebook(_) => "/feed",
        }
    }

    /// Every post on the platform: its first line, and whether it is out for the public.
    fn posts(&self) -> Vec<(String, bool)> {
        match self {
            Platform::Wordpress(f) => f.with(|i| {
                i.posts
                    .iter()
                    .map(|p| {
                        let title = p["title"]["raw"].as_str().unwrap_or_default().to_owned();
                        (title, p["status"] == "publish")
                    })
                    .collect()
            }),
            Platform::Facebook(f) => f
                .state
                .lock()
                .unwrap()
                .posts
                .iter()
                .map(|p| {
                    let m = p.message.clone().unwrap_or_default();
                    (m.lines().next().unwrap_or_default().to_owned(), true)
                })
                .collect(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_a_slow_wordpress_is_still_creating_never_posts_twice() {
    run(Platform::Wordpress(Fake::start().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_a_slow_facebook_is_still_creating_never_posts_twice() {
    let fake = fb::fake::Fake::start().await;
    fake.state.lock().unwrap().real_clock = true;
    run(Platform::Facebook(fake)).await;
}

async fn run(platform: Platform) {
    let mut rng = common::crash_rng();
    let upstream = match &platform {
        Platform::Wordpress(f) => f.base.clone(),
        Platform::Facebook(f) => f.base.clone(),
    };
    let net = BadDay::start(&upstream).await;
    // Every create (and WordPress's publish step) takes 0.8 s before the platform acts.
    net.always(
        Method::POST,
        platform.create(),
        Fault::SlowProcessing(Duration::from_millis(800)),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        &format!(
            "[dispatch]\nlease = \"8s\"\npublish_timeout = \"3s\"\nreconcile_margin = \"1s\"\n\
             idle_recheck = \"1s\"\nretry_base = \"200ms\"\nretry_max = \"1s\"\n\n{}",
            platform.section(&net.url)
        ),
    );
    let log = dir.path().join("serve.log");
    let app = App::open(common::settings(&config)).await.unwrap();
    let queued = common::queue_many(&app, ANNOUNCEMENTS, &["blog"], chrono::Utc::now()).await;
    let published = async || common::count_published(&app.store.delivery_counts().await.unwrap());

    let mut killed_in_flight = 0;
    for _ in 0..KILLS {
        if published().await == ANNOUNCEMENTS as u64 {
            break;
        }
        let mut daemon = common::start_daemon(&config, &log, "warn");
        // Wait until the daemon has a create in flight, then kill it inside the 0.8 s window.
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline && !fake_has_pending(&app).await {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(100..700))).await;
        daemon.kill().expect("SIGKILL");
        daemon.wait().unwrap();
        killed_in_flight += usize::from(fake_has_pending(&app).await);
    }
    assert!(
        killed_in_flight > 0,
        "no kill landed mid-publish: the test proved nothing"
    );

    common::serve_until_published(&app, &config, &log, ANNOUNCEMENTS as u64).await;
    net.quiet().await;

    // Exactly one post (a draft counts) per announcement, and that one out for the public.
    let posts = platform.posts();
    let mut per_title: HashMap<String, Vec<bool>> = HashMap::new();
    for (title, public) in &posts {
        per_title.entry(title.clone()).or_default().push(*public);
    }
    for a in &queued {
        assert_eq!(
            per_title.get(&a.title).map(|s| s.as_slice()),
            Some(&[true][..]),
            "{}: {per_title:?}",
            a.title
        );
    }
    assert_eq!(posts.len(), ANNOUNCEMENTS, "no stray posts: {per_title:?}");
    eprintln!(
        "{killed_in_flight} kills landed with a delivery in flight; {} posts",
        posts.len()
    );
}

/// Whether the store shows a delivery in flight (a create may be on its way).
async fn fake_has_pending(app: &App) -> bool {
    !app.store
        .deliveries(&DeliveryFilter {
            state: Some(DeliveryState::InFlight),
            ..Default::default()
        })
        .await
        .unwrap()
        .is_empty()
}
