//! Helpers shared by the integration tests: a settings file in a temporary directory, a free
//! port, and a way to queue announcements through the library.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use chrono::{DateTime, Utc};
use prakat::app::App;
use prakat::settings::Settings;
use prakat::store::{Actor, AnnouncementRecord, NewAnnouncement, Store};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Write `prakat.toml` into `dir` with the data directory under it, plus `extra` TOML. The
/// public listener is on `port`, the admin listener on another free port ([`admin_url`]).
pub fn write_config(dir: &Path, port: u16, extra: &str) -> PathBuf {
    let path = dir.join("prakat.toml");
    let text = format!(
        "[server]\nlisten = \"127.0.0.1:{port}\"\nadmin_listen = \"127.0.0.1:{}\"\n\n[storage]\ndata_dir = \"{}\"\n\n{extra}\n",
        loop {
            // Not the public port: the daemon refuses the same address twice.
            let admin = free_port();
            if admin != port {
                break admin;
            }
        },
        dir.join("data").display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Run `prakat --config <config> <args>` to the end, as a person at a terminal would.
pub fn prakat(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prakat"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("PRAKAT_CONFIG")
        .output()
        .expect("run prakat")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn settings(config: &Path) -> Settings {
    Settings::load_from(Some(config), Vec::new()).unwrap()
}

/// `http://127.0.0.1:<port>` of the admin listener a config names.
pub fn admin_url(config: &Path) -> String {
    settings(config).server.admin_base_url()
}

/// The station's five lines of work, the departments a new database starts with.
pub const DEPARTMENTS: [&str; 5] = ["admin", "prevention", "traffic", "investigation", "inquiry"];

/// Queue `n` announcements for `channels`, due at `due`, through the library (as the CLI does).
pub async fn queue_many(
    app: &App,
    n: usize,
    channels: &[&str],
    due: DateTime<Utc>,
) -> Vec<AnnouncementRecord> {
    queue_many_at(app, n, channels, |_| due).await
}

/// Queue `n` announcements for `channels`, the `i`th due at `due_of(i)`, one department after
/// another.
pub async fn queue_many_at(
    app: &App,
    n: usize,
    channels: &[&str],
    due_of: impl Fn(usize) -> DateTime<Utc>,
) -> Vec<AnnouncementRecord> {
    let channels: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let due = due_of(i);
        let new = NewAnnouncement {
            channels: Vec::new(),
            department: DEPARTMENTS[i % DEPARTMENTS.len()].into(),
            title: format!("ประกาศที่ {i}: ผลการปฏิบัติงาน"),
            body: format!("สถานีตำรวจภูธรเมืองระนองขอประชาสัมพันธ์ผลการปฏิบัติงาน รายการที่ {i}"),
            link: None,
            tags: vec![],
            media: vec![],
            source: "test".into(),
            publish_at: due,
        };
        let composer = app.composer.clone();
        let registry = app.registry.clone();
        let chans = channels.clone();
        let compose = move |a: &AnnouncementRecord| composer.deliveries(&registry, &chans, a, due);
        let (rec, _) = app
            .store
            .create_announcement(&new, &compose, &Actor::daemon("test"))
            .await
            .unwrap();
        out.push(rec);
    }
    out
}

pub fn count_published(counts: &[prakat::store::DeliveryCount]) -> u64 {
    counts
        .iter()
        .filter(|c| c.state == prakat::store::DeliveryState::Published)
        .map(|c| c.count)
        .sum()
}

/// Start `prakat serve` as a child process, its log appended to `log` (`PRAKAT_LOG` filter
/// `level`). Tests kill it with `Child::kill` (SIGKILL) or stop it with SIGTERM.
pub fn start_daemon(config: &Path, log: &Path, level: &str) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_prakat"))
        .args(["--config", config.to_str().unwrap(), "serve"])
        .env("PRAKAT_LOG", level)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start prakat serve")
}

/// Start the daemon once more, wait (up to two minutes) until `count` deliveries are published,
/// then stop it with SIGTERM and check it exited cleanly: the end of every kill -9 test.
pub async fn serve_until_published(app: &App, config: &Path, log: &Path, count: u64) {
    let mut daemon = start_daemon(config, log, "warn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while count_published(&app.store.delivery_counts().await.unwrap()) < count {
        assert!(
            std::time::Instant::now() < deadline,
            "not all published; see {}",
            log.display()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Command::new("kill")
        .args(["-TERM", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(daemon.wait().unwrap().success(), "a clean stop");
}

/// A random generator for a test that kills the daemon at random moments, seeded from
/// `PRAKAT_CRASH_SEED` when set (to repeat a failing run) and printed either way.
pub fn crash_rng() -> rand::rngs::StdRng {
    use rand::SeedableRng;
    let seed: u64 = std::env::var("PRAKAT_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("crash test seed {seed} (set PRAKAT_CRASH_SEED to repeat)");
    rand::rngs::StdRng::seed_from_u64(seed)
}

/// Wait (up to a minute) until the daemon of `config` answers `/healthz`: started, its signal
/// handlers in place.
pub async fn wait_until_serving(config: &Path) {
    let url = format!("http://{}/healthz", settings(config).server.listen);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(&url).await
            && r.status().is_success()
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the daemon did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
