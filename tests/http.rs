//! The daemon's HTTP side from outside: the public listener serves the website, media and
//! `/healthz` and nothing else; `/metrics` and `/internal/*` are on the admin listener, behind a
//! token when one is set, and the CLI finds them there; `/healthz` notices a database file that
//! is gone or replaced under the running daemon.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use prakat::daemon::Listeners;
use prakat::settings::Settings;
use prakat::store::{DeliveryFilter, DeliveryState, Store};
use reqwest::StatusCode;
use tokio::net::TcpListener;
use tokio::sync::watch;

const TOKEN: &str = "admin-token-0123456789";

struct Daemon {
    dir: tempfile::TempDir,
    config: PathBuf,
    public: String,
    admin: String,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Daemon {
    /// A daemon in this process on two fresh ports; `server_extra` is added to `[server]`.
    async fn start(server_extra: &str) -> Daemon {
        let dir = tempfile::tempdir().unwrap();
        let public = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let admin = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (p, a) = (public.local_addr().unwrap(), admin.local_addr().unwrap());
        let config = dir.path().join("prakat.toml");
        std::fs::write(
            &config,
            format!(
                "[server]\nlisten = \"{p}\"\nadmin_listen = \"{a}\"\n{server_extra}\n\n\
                 [storage]\ndata_dir = \"{}\"\n\n[dispatch]\nidle_recheck = \"1h\"\n",
                dir.path().join("data").display()
            ),
        )
        .unwrap();
        let settings = common::settings(&config);
        let (stop, rx) = watch::channel(false);
        let task = tokio::spawn(prakat::daemon::run(
            settings,
            Listeners { public, admin },
            rx,
        ));
        let d = Daemon {
            dir,
            config,
            public: format!("http://{p}"),
            admin: format!("http://{a}"),
            stop,
            task,
        };
        d.wait_healthy().await;
        d
    }

    async fn wait_healthy(&self) {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = reqwest::get(format!("{}/healthz", self.public)).await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(Instant::now() < until, "the daemon did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn db(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path().join("data"))
            .unwrap()
            .join("prakat.db")
    }

    async fn stop(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap().unwrap();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn status(req: reqwest::RequestBuilder) -> StatusCode {
    req.send().await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_listener_serves_site_media_and_health_and_nothing_private() {
    let d = Daemon::start("").await;
    let c = client();
    let media = d.dir.path().join("data/media");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(media.join("photo.jpg"), b"jpeg bytes").unwrap();

    // Public: what a station exposes to LINE and Facebook.
    let p = &d.public;
    let r = c.get(format!("{p}/media/photo.jpg")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let media_policy = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        media_policy.contains("sandbox") && media_policy.contains("default-src 'none'"),
        "a media file is shown, never run: {media_policy}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"jpeg bytes");
    let page = c.get(format!("{p}/site/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    let site_policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        !site_policy.contains("script-src") && site_policy.contains("default-src 'none'"),
        "pages run no script: {site_policy}"
    );
    // `/` is the web desk's sign-in page (`desk.enabled`); the website is under /site/.
    let desk = c.get(format!("{p}/")).send().await.unwrap();
    assert_eq!(desk.status(), StatusCode::OK);
    assert_eq!(desk.headers()["x-content-type-options"], "nosniff");
    assert!(
        desk.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("SameSite=Strict")
    );
    assert!(desk.text().await.unwrap().contains("name=\"password\""));
    let health: serde_json::Value = c
        .get(format!("{p}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    // The icon browsers ask for: prakat's, an SVG.
    let r = c.get(format!("{p}/favicon.ico")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert_eq!(r.text().await.unwrap(), prakat_adapters::icon::SVG);
    for (method, path) in [
        ("GET", "/metrics"),
        ("POST", "/internal/wake"),
        ("GET", "/internal/progress"),
    ] {
        let req = c.request(method.parse().unwrap(), format!("{p}{path}"));
        assert_eq!(status(req).await, StatusCode::NOT_FOUND, "public {path}");
    }

    // Admin: the private side, and only it.
    let a = &d.admin;
    let r = c.get(format!("{a}/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("# EOF"));
    assert_eq!(
        status(c.post(format!("{a}/internal/wake"))).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        status(c.get(format!("{a}/internal/progress"))).await,
        StatusCode::OK
    );
    for path in ["/site/", "/media/photo.jpg", "/healthz", "/desk/inbox"] {
        let req = c.get(format!("{a}{path}"));
        assert_eq!(status(req).await, StatusCode::NOT_FOUND, "admin {path}");
    }
    d.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_token_the_admin_listener_answers_only_to_it() {
    let d = Daemon::start(&format!("admin_token = \"{TOKEN}\"")).await;
    let c = client();
    let a = &d.admin;
    for (method, path) in [
        ("GET", "/metrics"),
        ("POST", "/internal/wake"),
        ("GET", "/internal/progress"),
    ] {
        let url = format!("{a}{path}");
        let m: reqwest::Method = method.parse().unwrap();
        let none = c.request(m.clone(), &url).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED, "{path} without");
        assert_eq!(none.headers()["www-authenticate"], "Bearer");
        for wrong in [
            "wrong",
            "admin-token-012345678",
            "admin-token-01234567890",
            "",
        ] {
            let req = c.request(m.clone(), &url).bearer_auth(wrong);
            assert_eq!(
                status(req).await,
                StatusCode::UNAUTHORIZED,
                "{path} {wrong:?}"
            );
        }
        let basic = c.request(m.clone(), &url).basic_auth("admin", Some(TOKEN));
        assert_eq!(
            status(basic).await,
            StatusCode::UNAUTHORIZED,
            "{path} basic"
        );
        let ok = c.request(m, &url).bearer_auth(TOKEN);
        assert!(status(ok).await.is_success(), "{path} with the token");
    }
    // The public side needs no token and still hides the private routes.
    let p = &d.public;
    assert_eq!(status(c.get(format!("{p}/healthz"))).await, StatusCode::OK);
    let req = c.get(format!("{p}/metrics")).bearer_auth(TOKEN);
    assert_eq!(status(req).await, StatusCode::NOT_FOUND);
    d.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_wakes_the_daemon_on_the_admin_listener_with_the_token() {
    // The daemon looks at the store again only after an hour or when woken.
    let d = Daemon::start(&format!("admin_token = \"{TOKEN}\"")).await;
    // Let the dispatcher finish its first look and go to sleep.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_prakat"))
        .args(["--config", d.config.to_str().unwrap()])
        .args(["post", "--department", "admin", "--text", "ประกาศ", "--now"])
        .env_remove("PRAKAT_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = prakat::app::App::open(common::settings(&d.config))
        .await
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = app
            .store
            .deliveries(&DeliveryFilter::default())
            .await
            .unwrap();
        // Claimed at least once: the dispatcher looked (whether the publish then went through
        // is another matter).
        if !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.attempts > 0 || r.state != DeliveryState::Queued)
        {
            break;
        }
        assert!(Instant::now() < until, "the daemon was not woken: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    d.stop().await;
}

async fn health(d: &Daemon) -> (StatusCode, serde_json::Value) {
    let r = reqwest::get(format!("{}/healthz", d.public)).await.unwrap();
    let status = r.status();
    assert_eq!(r.headers()["content-type"], "application/json");
    (status, r.json().await.unwrap())
}

/// 503 with a message naming the file, saying what happened (one of `what`) and to restore a
/// backup.
fn assert_unavailable(db: &Path, (status, body): (StatusCode, serde_json::Value), what: &[&str]) {
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{what:?}: {body}");
    assert_eq!(body["status"], "unavailable", "{body}");
    let error = body["error"].as_str().unwrap();
    assert!(error.contains(&db.display().to_string()), "{error}");
    assert!(what.iter().any(|w| error.contains(w)), "{what:?}: {error}");
    assert!(error.contains("restore it from a backup"), "{error}");
}

/// What a file taken away looks like: gone, or — when the daemon opened a new pooled
/// connection meanwhile, which makes SQLite create an empty file in its place — replaced.
const GONE: &[&str] = &["is gone", "was replaced"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_fails_when_the_database_file_is_deleted_under_the_daemon() {
    let d = Daemon::start("").await;
    let db = d.db();
    assert_eq!(health(&d).await.0, StatusCode::OK);
    std::fs::remove_file(&db).unwrap();
    assert_unavailable(&db, health(&d).await, GONE);
    d.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_fails_while_the_database_file_is_moved_away_or_replaced() {
    let d = Daemon::start("").await;
    let db = d.db();
    let moved = db.with_extension("db.moved");
    std::fs::rename(&db, &moved).unwrap();
    assert_unavailable(&db, health(&d).await, GONE);
    std::fs::rename(&moved, &db).unwrap();
    assert_eq!(health(&d).await.0, StatusCode::OK, "the same file is back");

    // A copy put in its place is another file: the daemon still writes to the old one.
    std::fs::copy(&db, &moved).unwrap();
    std::fs::rename(&moved, &db).unwrap();
    assert_unavailable(&db, health(&d).await, &["was replaced"]);
    d.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_fails_when_the_database_file_is_overwritten_in_place() {
    use std::io::Write;
    let d = Daemon::start("").await;
    let db = d.db();
    let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.write_all(b"not a database!!").unwrap();
    drop(f);
    assert_unavailable(&db, health(&d).await, &["not a SQLite database"]);
    d.stop.send(true).unwrap();
    // How the daemon stops on a ruined database is not the point here.
    let _ = d.task.await.unwrap();
}

#[test]
fn the_admin_listener_defaults_to_loopback_and_must_differ_from_the_public_one() {
    let s = Settings::load_from(None, Vec::new()).unwrap();
    assert_eq!(s.server.admin_listen.to_string(), "127.0.0.1:8081");
    assert!(s.server.admin_token.is_none());
    assert_eq!(s.server.admin_base_url(), "http://127.0.0.1:8081");

    let env = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let s = Settings::load_from(
        None,
        env(&[
            ("PRAKAT__SERVER__ADMIN_LISTEN", "0.0.0.0:9091"),
            ("PRAKAT__SERVER__ADMIN_TOKEN", TOKEN),
        ]),
    )
    .unwrap();
    assert_eq!(s.server.admin_base_url(), "http://127.0.0.1:9091");
    assert_eq!(s.server.admin_token.as_ref().unwrap().expose(), TOKEN);
    assert!(!s.redacted().contains(TOKEN), "the token is never shown");

    let err = Settings::load_from(
        None,
        env(&[("PRAKAT__SERVER__ADMIN_LISTEN", "127.0.0.1:8080")]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("server.admin_listen"), "{err}");
}
