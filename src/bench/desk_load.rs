//! `prakat bench desk`: the web desk and the JSON API under load on a large store. Seeds a
//! throw-away data directory with N announcements (a delivery on each of three channels,
//! spread over four years past and one to come, in the states a station's history has)
//! through the store's bulk path, starts the real HTTP server (the daemon's public listener
//! with the desk) on loopback, signs in over HTTP and makes an API token, then loads the
//! calendar (the queue by week and month) and `GET /api/v1/deliveries` with N concurrent
//! connections: latency p50/p90/p99/max and requests per second for each.
//!
//! The load comes from `wrk` when it is on the PATH (`apt-get install wrk`), else from the
//! bench's own generator (`--load builtin`: one keep-alive connection per task, every latency
//! kept and sorted, so its percentiles are exact). Both run on the same machine as the server:
//! figures include the load generator's share of the CPU, and whatever else the machine runs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;
use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::channels::Purpose;
use crate::clock::{Clock, SystemClock};
use crate::settings::{ChannelSettings, OutboxChannel, Settings};
use crate::store::{Actor, NewAnnouncement, NewDeskPerson, Store};

#[derive(Args, Debug)]
pub struct DeskBench {
    /// Announcements in the store, each with a delivery on each of three channels.
    #[arg(long, default_value_t = 100_000)]
    pub announcements: usize,
    /// Concurrent connections of the load generator.
    #[arg(long, default_value_t = 16)]
    pub connections: usize,
    /// How long each page is loaded, in seconds (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// `auto` (wrk when on the PATH, else builtin), `wrk` or `builtin`.
    #[arg(long, default_value = "auto")]
    pub load: String,
}

/// Announcements per transaction of the bulk path.
const CHUNK: usize = 20_000;

/// What one load run measured, in milliseconds and requests per second.
struct Measured {
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    rps: f64,
    requests: u64,
    errors: u64,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub async fn run(b: DeskBench) -> anyhow::Result<()> {
    if b.announcements == 0 || b.connections == 0 || b.seconds == 0 {
        anyhow::bail!("--announcements, --connections and --seconds must be above 0");
    }
    let use_wrk = match b.load.as_str() {
        "wrk" => true,
        "builtin" => false,
        "auto" => std::process::Command::new("wrk")
            .arg("--version")
            .output()
            .is_ok(),
        other => anyhow::bail!("--load must be auto, wrk or builtin, not {other:?}"),
    };
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::default();
    settings.storage.data_dir = dir.path().join("data");
    settings.server.listen = "127.0.0.1:0".parse()?;
    settings.server.admin_listen = "127.0.0.1:0".parse()?;
    settings.desk.enabled = true;
    settings
        .channels
        .insert("archive", ChannelSettings::Outbox(OutboxChannel::default()));
    let app = Arc::new(App::open_for(settings.clone(), Purpose::Compose).await?);
    let clock: Arc<dyn Clock> = SystemClock::shared();
    let now = clock.now();

    // ---- the store
    let departments: Vec<String> = app
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let channels = app.registry.names();
    eprintln!(
        "seeding {} announcements on {} channels ({})…",
        b.announcements,
        channels.len(),
        channels.join(", ")
    );
    let seeding = Instant::now();
    let start = now - chrono::Duration::days(4 * 365);
    let span_ms = chrono::Duration::days(5 * 365).num_milliseconds();
    let actor = Actor::daemon("bench");
    let mut made = 0;
    while made < b.announcements {
        let news: Vec<NewAnnouncement> = (made..b.announcements.min(made + CHUNK))
            .map(|i| NewAnnouncement {
                channels: Vec::new(),
                department: departments[i % departments.len()].clone(),
                title: format!("ประกาศสถานีตำรวจ ฉบับที่ {i}"),
                body: "ขอความร่วมมือประชาชนหลีกเลี่ยงเส้นทางดังกล่าวในช่วงเวลาที่กำหนด".into(),
                link: None,
                tags: vec![],
                media: vec![],
                source: "bench".into(),
                publish_at: start
                    + chrono::Duration::milliseconds(span_ms * i as i64 / b.announcements as i64),
            })
            .collect();
        let compose = |a: &crate::store::AnnouncementRecord| {
            app.composer
                .deliveries(&app.registry, &channels, a, a.publish_at)
        };
        made += app
            .store
            .create_announcements(&news, &compose, &actor)
            .await?
            .len();
        eprint!("\r  {made}/{}", b.announcements);
    }
    let mixed = app.store.mix_states_for_bench(now).await?;
    eprintln!(
        "\r  {made} announcements, {mixed} deliveries in {:.1?} ({} per transaction)",
        seeding.elapsed(),
        CHUNK
    );

    // ---- a person, a token, the server
    app.store
        .add_desk_person(
            &NewDeskPerson {
                name: "ร.ต.อ. ทดสอบ".into(),
                login: "bench".into(),
                role: "pr_officer".into(),
                department: None,
                password_hash: crate::desk::password::hash("bench-password-2569")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            },
            &actor,
        )
        .await?;
    let token = crate::desk::password::token();
    app.store
        .create_api_token(
            "bench",
            &crate::desk::password::digest(&token),
            "bench",
            now,
            &actor,
        )
        .await?;
    let listeners = crate::server::Listeners::bind(&settings.server).await?;
    let addr = listeners.public.local_addr()?;
    let wake = Arc::new(Notify::new());
    let desk = crate::desk::router(Arc::new(crate::desk::Desk::new(
        app.clone(),
        clock.clone(),
        wake.clone(),
    )));
    let (stop, stopped) = watch::channel(false);
    let server = crate::server::spawn_with_desk(
        listeners,
        Arc::new(crate::server::HttpState {
            store: app.store.clone(),
            metrics: Arc::new(crate::metrics::Metrics::new()),
            wake,
            channels: channels.clone(),
            progress: Arc::default(),
            db_file: None,
            telegram: None,
            page_views: Arc::new(crate::reach::PageViewCounter::new(clock.clone())),
        }),
        &settings,
        stopped,
        Some(desk),
    )?;
    let base = format!("http://{addr}");
    let cookie = sign_in(&base).await?;

    // ---- the load
    let week_of = |t: chrono::DateTime<Utc>| {
        prakat_adapters::thai::dates::bangkok(t)
            .format("%Y-%m-%d")
            .to_string()
    };
    let targets: Vec<(&str, String, (&str, String))> = vec![
        (
            "calendar, this week",
            format!("{base}/desk/calendar"),
            ("Cookie", cookie.clone()),
        ),
        (
            "calendar, a past month, one department",
            format!(
                "{base}/desk/calendar?view=month&date={}&department={}",
                week_of(now - chrono::Duration::days(400)),
                departments[0]
            ),
            ("Cookie", cookie.clone()),
        ),
        (
            "latest announcements",
            format!("{base}/desk/announcements"),
            ("Cookie", cookie.clone()),
        ),
        (
            "GET /api/v1/deliveries",
            format!("{base}/api/v1/deliveries"),
            ("Authorization", format!("Bearer {token}")),
        ),
        (
            "GET /api/v1/deliveries, failed on one channel by due time",
            format!(
                "{base}/api/v1/deliveries?state=failed&channel=website&order=due&from={}",
                (now - chrono::Duration::days(700))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            ("Authorization", format!("Bearer {token}")),
        ),
    ];
    println!(
        "store: {made} announcements, {mixed} deliveries; load: {} with {} connections, {} s each",
        if use_wrk { "wrk" } else { "builtin" },
        b.connections,
        b.seconds
    );
    println!("machine load average before: {}", load_average());
    let client = reqwest::Client::new();
    for (name, url, (header, value)) in &targets {
        // The page must answer 200 before it is measured.
        let r = client.get(url).header(*header, value).send().await?;
        let status = r.status();
        let size = r.bytes().await?.len();
        if !status.is_success() {
            anyhow::bail!("{name}: {url} answered {status}");
        }
        let m = if use_wrk {
            wrk(url, header, value, b.connections, b.seconds)?
        } else {
            builtin(url, header, value, b.connections, b.seconds).await?
        };
        println!(
            "{name}\n  {url} ({size} bytes)\n  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.0} requests/s  ({} requests, {} not 2xx)",
            m.p50, m.p90, m.p99, m.max, m.rps, m.requests, m.errors
        );
    }
    println!("machine load average after: {}", load_average());
    let _ = stop.send(true);
    let _ = server.await;
    Ok(())
}

/// Sign in as a browser does: the sign-in page's form token, then the form; the session
/// cookie.
async fn sign_in(base: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client.get(format!("{base}/")).send().await?;
    let set = page
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let body = page.text().await?;
    let marker = "name=\"csrf\" value=\"";
    let at = body
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("the sign-in page has no form token"))?
        + marker.len();
    let csrf = body[at..].split('"').next().unwrap_or_default().to_owned();
    let answer = client
        .post(format!("{base}/desk/sign-in"))
        .header(reqwest::header::COOKIE, set.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "bench"),
            ("password", "bench-password-2569"),
        ])
        .send()
        .await?;
    answer
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with(crate::desk::auth::SESSION_COOKIE))
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("signing in gave no session ({})", answer.status()))
}

/// Load `url` with wrk and read its figures.
fn wrk(
    url: &str,
    header: &str,
    value: &str,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Measured> {
    let threads = connections.min(2).to_string();
    let run = |secs: u64| {
        std::process::Command::new("wrk")
            .args(["-t", &threads, "-c", &connections.to_string()])
            .args(["-d", &format!("{secs}s"), "--latency", "-H"])
            .arg(format!("{header}: {value}"))
            .arg(url)
            .output()
    };
    run(1)?; // warm-up
    let out = run(seconds)?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        anyhow::bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    parse_wrk(&text).ok_or_else(|| anyhow::anyhow!("wrk's output was not understood:\n{text}"))
}

/// A wrk duration (`812.00us`, `1.23ms`, `2.01s`) in milliseconds.
fn wrk_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("m", 60_000.0), ("s", 1000.0)] {
        if let Some(n) = s.strip_suffix(unit) {
            return n.parse::<f64>().ok().map(|n| n * factor);
        }
    }
    None
}

fn parse_wrk(text: &str) -> Option<Measured> {
    let mut m = Measured {
        p50: f64::NAN,
        p90: f64::NAN,
        p99: f64::NAN,
        max: f64::NAN,
        rps: f64::NAN,
        requests: 0,
        errors: 0,
    };
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => m.p50 = wrk_ms(v)?,
            ["90%", v] => m.p90 = wrk_ms(v)?,
            ["99%", v] => m.p99 = wrk_ms(v)?,
            ["Latency", _avg, _stdev, max, ..] => m.max = wrk_ms(max)?,
            ["Requests/sec:", v] => m.rps = v.parse().ok()?,
            [n, "requests", "in", ..] => m.requests = n.parse().ok()?,
            ["Non-2xx", "or", "3xx", "responses:", n] => m.errors = n.parse().ok()?,
            _ => {}
        }
    }
    (!m.p99.is_nan() && !m.rps.is_nan()).then_some(m)
}

/// Load `url` from `connections` tasks, each on its own keep-alive connection, keeping every
/// latency.
async fn builtin(
    url: &str,
    header: &str,
    value: &str,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Measured> {
    let one_run = |secs: u64| {
        let tasks: Vec<_> = (0..connections)
            .map(|_| {
                let (url, header, value) = (url.to_owned(), header.to_owned(), value.to_owned());
                tokio::spawn(async move {
                    let client = reqwest::Client::builder()
                        .pool_max_idle_per_host(1)
                        .build()?;
                    let until = Instant::now() + Duration::from_secs(secs);
                    let (mut took, mut errors) = (Vec::new(), 0u64);
                    while Instant::now() < until {
                        let sent = Instant::now();
                        let r = client.get(&url).header(&header, &value).send().await?;
                        let ok = r.status().is_success();
                        r.bytes().await?;
                        took.push(sent.elapsed().as_micros() as u64);
                        errors += u64::from(!ok);
                    }
                    anyhow::Ok((took, errors))
                })
            })
            .collect();
        async move {
            let started = Instant::now();
            let (mut all, mut errors) = (Vec::new(), 0);
            for t in tasks {
                let (took, e) = t.await??;
                all.extend(took);
                errors += e;
            }
            anyhow::Ok((all, errors, started.elapsed()))
        }
    };
    one_run(1).await?; // warm-up
    let (mut all, errors, elapsed) = one_run(seconds).await?;
    all.sort_unstable();
    let at = |p: f64| {
        all.get(((all.len().saturating_sub(1)) as f64 * p).round() as usize)
            .map_or(f64::NAN, |us| *us as f64 / 1000.0)
    };
    Ok(Measured {
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: at(1.0),
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        requests: all.len() as u64,
        errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_s_report_is_read() {
        let text = "Running 10s test @ http://127.0.0.1:1/desk/calendar
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.02ms    1.10ms  31.20ms   90.00%
    Req/Sec     1.60k   100.00     1.80k    70.00%
  Latency Distribution
     50%    4.80ms
     75%    5.50ms
     90%  812.00us
     99%    1.02s
  31905 requests in 10.00s, 120.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3190.21
Transfer/sec:     12.00MB
";
        let m = parse_wrk(text).unwrap();
        for (got, want) in [(m.p50, 4.8), (m.p90, 0.812), (m.p99, 1020.0), (m.max, 31.2)] {
            assert!((got - want).abs() < 1e-9, "{got} != {want}");
        }
        assert_eq!((m.requests, m.errors), (31905, 3));
        assert!((m.rps - 3190.21).abs() < 1e-9);
        assert!(parse_wrk("nothing").is_none());
    }
}
