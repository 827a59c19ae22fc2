//! `prakat bench dispatch`: how fast the dispatcher drains due deliveries, and how late after
//! their due time the channel is called. Runs on a throw-away SQLite database in a temporary
//! directory with a no-op channel (or the outbox), so it measures prakat itself. Figures vary
//! with the machine: compare runs on the same machine, not against other machines.

pub mod desk_load;
pub mod website;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::Utc;
use clap::{Args, Subcommand};
use prakat_adapters::{
    Channel, Department, Draft, Health, Idempotency, LengthUnit, Limits, Payload, PublishContext,
    PublishError, Receipt, Rejection,
};
use tokio::sync::{Notify, watch};

use crate::channels::Registry;
use crate::cli::{CliError, CliResult};
use crate::clock::{Clock, SystemClock};
use crate::compose::{Composer, StationInfo};
use crate::dispatch::{Engine, EngineParts};
use crate::metrics::Metrics;
use crate::settings;
use crate::store::{Actor, DeliveryState, Durability, NewAnnouncement, SqliteStore, Store};

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Queue N deliveries due at the same moment and time the drain.
    Dispatch(DispatchBench),
    /// Build a month's digest (every file, the PDF included) of a month of N announcements.
    Digest(crate::digest::bench::DigestBench),
    /// The web desk's calendar and the JSON API's deliveries under load, on a store of N
    /// announcements, served over loopback.
    Desk(desk_load::DeskBench),
    /// The website channel on a site of N pages: M publishes (pages/s, the cost of the first
    /// hundred against the last hundred) and opening the site afterwards.
    Website(website::WebsiteBench),
}

#[derive(Args, Debug)]
pub struct DispatchBench {
    /// How many deliveries fall due; several sizes separated by commas run one after another,
    /// with the cost per delivery at each, so a cost that grows with the backlog shows.
    #[arg(long, value_delimiter = ',', default_value = "10000")]
    pub deliveries: Vec<usize>,
    /// Spread the due times evenly over this many milliseconds (0: all at one instant).
    #[arg(long, default_value_t = 0)]
    pub spread_ms: u64,
    /// `noop` (measures prakat alone) or `outbox` (writes a file per delivery).
    #[arg(long, default_value = "noop")]
    pub channel: String,
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// SQLite durability: `full` (what the daemon runs with), `normal` (a power cut may lose
    /// the last commits), or `compare` (both in one run, normal first, with the ratio).
    #[arg(long, default_value = "full")]
    pub durability: String,
}

/// What one run measured.
struct Figures {
    elapsed: Duration,
}

/// A channel that does nothing but note when it was called, relative to the due time.
struct Noop {
    limits: Limits,
    lateness_us: Mutex<Vec<i64>>,
    clock: Arc<dyn Clock>,
}

#[async_trait]
impl Channel for Noop {
    fn kind(&self) -> &'static str {
        "noop"
    }
    fn limits(&self) -> &Limits {
        &self.limits
    }
    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        Ok(Payload::from_draft("noop", draft))
    }
    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let late = (self.clock.now() - payload.published_at)
            .num_microseconds()
            .unwrap_or(0);
        self.lateness_us.lock().expect("not poisoned").push(late);
        Ok(Receipt {
            remote_id: Some(ctx.idempotency_key.clone()),
            ..Receipt::default()
        })
    }
    async fn healthcheck(&self) -> Result<Health, PublishError> {
        Ok(Health {
            summary: "noop".into(),
            token_expires_at: None,
            missing_permissions: vec![],
            quota: None,
        })
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::Native
    }
}

pub async fn run(cmd: BenchCmd) -> CliResult {
    match cmd {
        BenchCmd::Dispatch(b) => dispatch(b).await.map_err(CliError::from),
        BenchCmd::Digest(b) => crate::digest::bench::run(b).await.map_err(CliError::from),
        BenchCmd::Desk(b) => desk_load::run(b).await.map_err(CliError::from),
        BenchCmd::Website(b) => website::run(b).await.map_err(CliError::from),
    }
}

fn percentile(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

async fn dispatch(b: DispatchBench) -> anyhow::Result<()> {
    if b.deliveries.is_empty() || b.deliveries.contains(&0) {
        anyhow::bail!("--deliveries needs one or more sizes above 0");
    }
    let mut costs = Vec::new();
    for (i, &n) in b.deliveries.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let f = dispatch_size(&b, n).await?;
        costs.push((n, f.elapsed.as_secs_f64() * 1e6 / n as f64));
    }
    if costs.len() > 1 {
        let least = costs.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        println!("\ncost per delivery by size (wall time of the drain / deliveries):");
        for (n, us) in &costs {
            println!("  {n:>9}  {us:>8.1} µs  {:.2}× the least", us / least);
        }
    }
    Ok(())
}

/// One size, at the durability asked for; the figures of the `full` run (or the only one).
async fn dispatch_size(b: &DispatchBench, n: usize) -> anyhow::Result<Figures> {
    match b.durability.as_str() {
        "full" => dispatch_once(b, n, Durability::Full).await,
        "normal" => dispatch_once(b, n, Durability::Normal).await,
        "compare" => {
            let normal = dispatch_once(b, n, Durability::Normal).await?;
            println!();
            let full = dispatch_once(b, n, Durability::Full).await?;
            println!(
                "\nfull / normal drain time: {:.2}× (synchronous=FULL costs {:+.0} %)",
                full.elapsed.as_secs_f64() / normal.elapsed.as_secs_f64(),
                (full.elapsed.as_secs_f64() / normal.elapsed.as_secs_f64() - 1.0) * 100.0
            );
            Ok(full)
        }
        other => anyhow::bail!("--durability must be full, normal or compare, not {other:?}"),
    }
}

async fn dispatch_once(
    b: &DispatchBench,
    deliveries: usize,
    durability: Durability,
) -> anyhow::Result<Figures> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Arc::new(SqliteStore::open_url_with(&url, durability).await?);
    let dept = Department {
        code: "bench".into(),
        name_th: "ทดสอบ".into(),
        name_en: "Bench".into(),
    };
    store.add_department(&dept, &Actor::daemon("bench")).await?;
    let clock: Arc<dyn Clock> = SystemClock::shared();
    let noop = Arc::new(Noop {
        limits: Limits {
            text_max: 10_000,
            unit: LengthUnit::Chars,
            title_max: None,
            media_max: 0,
            image_max_bytes: 0,
            video_max_bytes: 0,
            requires_video: false,
            links_allowed: true,
        },
        lateness_us: Mutex::new(Vec::with_capacity(deliveries)),
        clock: clock.clone(),
    });
    let mut registry = Registry::new();
    match b.channel.as_str() {
        "noop" => registry.insert("bench", noop.clone(), b.concurrency),
        "outbox" => registry.insert(
            "bench",
            Arc::new(prakat_adapters::outbox::Outbox::new(
                dir.path().join("outbox"),
            )),
            b.concurrency,
        ),
        other => anyhow::bail!("--channel must be noop or outbox, not {other:?}"),
    }
    let registry = Arc::new(registry);
    let composer = Arc::new(Composer::new(
        None,
        StationInfo {
            name_th: "สภ.".into(),
            name_en: "Station".into(),
        },
        None,
    ));

    eprintln!("queueing {deliveries} deliveries…");
    let setup = Instant::now();
    // Everything falls due a moment after setup, so queueing time is not measured.
    let per_ms = 0.2 / 1000.0; // a generous cost of queueing one in bulk, in ms
    let due0 = Utc::now()
        + chrono::Duration::milliseconds(1500 + (deliveries as f64 * per_ms * 1000.0) as i64);
    let channels = vec!["bench".to_owned()];
    // One transaction per 10,000 announcements, through the store's bulk path.
    let mut queued = 0;
    while queued < deliveries {
        let news: Vec<NewAnnouncement> = (queued..deliveries.min(queued + 10_000))
            .map(|i| {
                let offset = if deliveries > 1 {
                    b.spread_ms as i64 * i as i64 / (deliveries as i64 - 1)
                } else {
                    0
                };
                NewAnnouncement {
                    channels: Vec::new(),
                    department: "bench".into(),
                    title: format!("ประกาศทดสอบ {i}"),
                    body: "ข้อความทดสอบ".into(),
                    link: None,
                    tags: vec![],
                    media: vec![],
                    source: "bench".into(),
                    publish_at: due0 + chrono::Duration::milliseconds(offset),
                }
            })
            .collect();
        let compose = |a: &crate::store::AnnouncementRecord| {
            composer.deliveries(&registry, &channels, a, a.publish_at)
        };
        queued += store
            .create_announcements(&news, &compose, &Actor::daemon("bench"))
            .await?
            .len();
        eprint!("\r  queued {queued}/{deliveries}");
    }
    eprintln!("\r  queued {} in {:.1?}", deliveries, setup.elapsed());
    if Utc::now() > due0 {
        eprintln!("  (queueing ran past the due time: lateness figures include that)");
    }

    let d = settings::Dispatch {
        batch_size: b.batch_size,
        concurrency: b.concurrency,
        ..settings::Dispatch::default()
    };
    let (tx, rx) = watch::channel(false);
    let engine = Engine::new(EngineParts {
        store: store.clone(),
        registry: registry.clone(),
        composer,
        clock: clock.clone(),
        settings: d,
        rules: settings::Rules::default(),
        metrics: Arc::new(Metrics::new()),
        wake: Arc::new(Notify::new()),
        owner: "bench".into(),
        seed: Some(1),
        progress: Arc::default(),
        db_file: None,
    });
    let handle = tokio::spawn(engine.run(rx));
    // Wait for the due moment, then time until every delivery is settled as published.
    tokio::time::sleep((due0 - Utc::now()).to_std().unwrap_or_default()).await;
    let started = Instant::now();
    let target = deliveries as u64;
    loop {
        let counts = store.delivery_counts().await?;
        let published: u64 = counts
            .iter()
            .filter(|c| c.state == DeliveryState::Published)
            .map(|c| c.count)
            .sum();
        if published >= target {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("only {published}/{target} published after 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    let _ = tx.send(true);
    let _ = handle.await;

    println!("durability:           {durability:?}");
    println!("deliveries:           {}", deliveries);
    println!("channel:              {}", b.channel);
    println!("due spread:           {} ms", b.spread_ms);
    println!(
        "all published after:  {:.3} s (from the first due time)",
        elapsed.as_secs_f64()
    );
    println!(
        "throughput:           {:.0} deliveries/s",
        deliveries as f64 / elapsed.as_secs_f64()
    );
    if b.channel == "noop" {
        let mut l = noop.lateness_us.lock().expect("not poisoned").clone();
        l.sort_unstable();
        println!(
            "lateness (due → channel call): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(&l, 0.5),
            percentile(&l, 0.99),
            percentile(&l, 1.0)
        );
    }
    Ok(Figures { elapsed })
}
