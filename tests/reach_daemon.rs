//! The daemon runs the reach collector and counts its website's page views: an announcement
//! published on the website gets its sample at the (here one-second) slot, and the views of its
//! page — a person's, not a crawler's — are written out when the daemon stops.

mod common;

use std::time::{Duration, Instant};

use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use tokio::sync::watch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_collects_reach_and_writes_page_views_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let config = common::write_config(
        dir.path(),
        port,
        "[dispatch]\nidle_recheck = \"1s\"\n\n[reach]\nafter = [\"1s\"]\nevery = \"200ms\"\npage_views_flush = \"1h\"\n",
    );
    let settings = common::settings(&config);
    let app = App::open(settings.clone()).await.unwrap();
    let (tx, rx) = watch::channel(false);
    let listeners = prakat::daemon::Listeners {
        public: tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap(),
        admin: tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
    };
    let daemon = tokio::spawn(prakat::daemon::run(settings, listeners, rx));

    let a = common::queue_many(&app, 1, &["website"], chrono::Utc::now())
        .await
        .remove(0);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = app
            .store
            .deliveries(&DeliveryFilter {
                announcement_id: Some(a.id),
                ..Default::default()
            })
            .await
            .unwrap();
        if rows.iter().all(|r| r.state == DeliveryState::Published) {
            break;
        }
        assert!(Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let page = format!("http://127.0.0.1:{port}/site/news/{}.html", a.id);
    let http = reqwest::Client::new();
    for agent in [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ] {
        let status = http
            .get(&page)
            .header("user-agent", agent)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }

    // The collector samples the website's delivery at its slot.
    let samples = loop {
        let samples = app.store.reach_samples(a.id).await.unwrap();
        if !samples.is_empty() {
            break samples;
        }
        assert!(Instant::now() < deadline, "no reach sample taken");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].channel, "website");
    assert_eq!(samples[0].slot.to_string(), "1s");
    assert!(samples[0].sample.views.is_some(), "{samples:?}");

    tx.send(true).unwrap();
    daemon.await.unwrap().unwrap();
    assert_eq!(
        app.store.page_views_total(a.id).await.unwrap(),
        1,
        "the person's view, written at shutdown; the crawler's not counted"
    );
}
