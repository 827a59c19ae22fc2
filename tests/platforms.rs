//! The platform channels wired end to end: settings → registry → dispatcher → a local fake of
//! the platform → the receipt on the delivery. The adapters' own tests (in `adapters/tests/`)
//! cover each platform's behaviour in depth; this checks that the daemon uses them.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use prakat::app::App;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use tokio::sync::watch;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_broadcast_goes_out_through_the_daemon_and_its_request_id_is_kept() {
    let seen: Arc<Mutex<Vec<(HeaderMap, serde_json::Value)>>> = Arc::default();
    let s2 = seen.clone();
    let fake = Router::new()
        .route("/v2/bot/message/quota", get(|| async { axum::Json(serde_json::json!({"type": "limited", "value": 15000})) }))
        .route(
            "/v2/bot/message/quota/consumption",
            get(|| async { axum::Json(serde_json::json!({"totalUsage": 10})) }),
        )
        .route(
            "/v2/bot/insight/followers",
            get(|| async { axum::Json(serde_json::json!({"status": "ready", "followers": 40, "targetedReaches": 35, "blocks": 2})) }),
        )
        .route(
            "/v2/bot/message/broadcast",
            post(move |headers: HeaderMap, body: axum::Json<serde_json::Value>| {
                let seen = s2.clone();
                async move {
                    seen.lock().unwrap().push((headers, body.0));
                    (StatusCode::OK, [("x-line-request-id", "req-from-fake-1")], axum::Json(serde_json::json!({})))
                }
            }),
        );
    let base = serve(fake).await;

    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let config = common::write_config(
        dir.path(),
        port,
        &format!(
            "[dispatch]\nidle_recheck = \"1s\"\n\n[channels.line]\nchannel_access_token = \"line-token-xyz\"\nbase_url = \"{base}\"\n"
        ),
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

    let queued = common::queue_many(&app, 1, &["line", "website"], chrono::Utc::now()).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let rows = loop {
        let rows = app
            .store
            .deliveries(&DeliveryFilter {
                announcement_id: Some(queued[0].id),
                ..Default::default()
            })
            .await
            .unwrap();
        if rows.iter().all(|r| r.state == DeliveryState::Published) {
            break rows;
        }
        assert!(Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    tx.send(true).unwrap();
    daemon.await.unwrap().unwrap();

    let line = rows.iter().find(|r| r.channel == "line").unwrap();
    assert_eq!(line.request_id.as_deref(), Some("req-from-fake-1"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "one broadcast");
    let (headers, body) = &seen[0];
    assert_eq!(headers["authorization"], "Bearer line-token-xyz");
    assert_eq!(
        headers["x-line-retry-key"],
        line.idempotency_key.as_str(),
        "the delivery's key is the retry key"
    );
    let text = body["messages"][0]["text"].as_str().unwrap();
    assert!(text.contains("ผลการปฏิบัติงาน"), "Thai intact: {text}");
    assert!(
        text.ends_with(&format!("/site/news/{}.html", queued[0].id)),
        "links to the website page: {text}"
    );
}

#[tokio::test]
async fn every_platform_section_builds_its_channel_by_name_and_a_bad_one_names_itself() {
    use prakat::channels::{Purpose, Registry};
    let dir = tempfile::tempdir().unwrap();
    let sections = r#"
[channels.page_traffic]
type = "facebook"
page_id = "1234"
page_access_token = "fb-token"

[channels.page_station]
type = "facebook"
page_id = "5678"
page_access_token = "fb-token-2"

[channels.oa]
type = "line"
channel_access_token = "line-token"

[channels.youtube]
type = "youtube"
client_id = "cid"
client_secret = "secret"
refresh_token = "rt"

[channels.tiktok]
type = "tiktok"
client_key = "ck"
client_secret = "secret"
refresh_token = "rt"

[channels.wordpress]
type = "wordpress"
base_url = "https://station.example"
username = "prakat"
application_password = "abcd efgh ijkl"
"#;
    let config = common::write_config(dir.path(), common::free_port(), sections);
    let settings = common::settings(&config);
    let registry = Registry::for_publishing(&settings).unwrap();
    let kinds: Vec<(String, &str)> = registry
        .entries()
        .map(|(name, e)| (name.clone(), e.channel.kind()))
        .collect();
    let expected = [
        ("oa", "line"),
        ("outbox", "outbox"),
        ("page_station", "facebook"),
        ("page_traffic", "facebook"),
        ("tiktok", "tiktok"),
        ("website", "website"),
        ("wordpress", "wordpress"),
        ("youtube", "youtube"),
    ];
    assert_eq!(
        kinds,
        expected
            .iter()
            .map(|(n, k)| (n.to_string(), *k))
            .collect::<Vec<_>>()
    );
    // Each platform channel has its own files directory, by name.
    for name in ["page_traffic", "page_station", "oa", "youtube", "tiktok"] {
        assert!(settings.channel_dir(name).is_dir(), "{name}");
    }
    let shown = settings.redacted();
    for secret in ["fb-token", "line-token", "abcd efgh", "\"rt\""] {
        assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
    }

    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[channels.blog]\ntype = \"wordpress\"\nbase_url = \"ftp://station.example\"\nusername = \"u\"\napplication_password = \"p\"\n",
    );
    let err = Registry::build(&common::settings(&config), Purpose::Compose)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("channels.blog"), "{err}");
}

#[tokio::test]
async fn composing_needs_no_token_and_publishing_names_the_missing_one() {
    use prakat::channels::{Purpose, Registry};
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        common::free_port(),
        "[channels.page_traffic]\ntype = \"facebook\"\npage_id = \"1\"\npage_access_token = { env = \"PRAKAT_TEST_UNSET_FB_TOKEN\" }\n",
    );
    let settings = common::settings(&config);
    let composing = Registry::build(&settings, Purpose::Compose).unwrap();
    assert_eq!(
        composing.get("page_traffic").map(|c| c.kind()),
        Some("facebook")
    );
    // Composing writes nothing: not the site, not the channel's directory.
    assert!(!settings.site_dir().exists());
    assert!(!settings.channel_dir("page_traffic").exists());
    for purpose in [Purpose::Check, Purpose::Publish] {
        let err = Registry::build(&settings, purpose)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("channels.page_traffic")
                && err.contains("page_access_token")
                && err.contains("PRAKAT_TEST_UNSET_FB_TOKEN"),
            "{err}"
        );
    }
}
