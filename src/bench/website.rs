//! `prakat bench website`: the built-in website channel on a site that already has N pages —
//! M publishes timed one after another (or a few at a time, as the dispatcher runs them), how
//! the cost of a page moves from the first hundred publishes to the last, and how long opening
//! the site takes afterwards, with its index pages current and without. The site is set up by
//! writing its entry records and opening it once (not timed). Compare figures from the same
//! machine and build only.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Args;
use prakat_adapters::website::{Entry, INDEXES_MARK, Website, WebsiteSettings};
use prakat_adapters::{Channel, Department, Draft, PublishContext};

#[derive(Args, Debug)]
pub struct WebsiteBench {
    /// Pages the site has before the timed publishes.
    #[arg(long, default_value_t = 1000)]
    pub pages: usize,
    /// Publishes timed, each a new announcement (a new page).
    #[arg(long, default_value_t = 1000)]
    pub publishes: usize,
    /// Publishes under way at once (`dispatch.concurrency` runs several).
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
    /// Build the site in this folder (kept) instead of a temporary one.
    #[arg(long)]
    pub dir: Option<std::path::PathBuf>,
}

const BASE_URL: &str = "http://127.0.0.1:8080/site";

fn departments() -> [Department; 2] {
    [
        Department {
            code: "traffic".into(),
            name_th: "งานจราจร".into(),
            name_en: "Traffic".into(),
        },
        Department {
            code: "investigation".into(),
            name_th: "งานสืบสวน".into(),
            name_en: "Investigation".into(),
        },
    ]
}

/// Announcement `id`: the archive runs over the years at one every 17 hours, two departments
/// in turn, as a station's would.
fn draft(id: usize) -> Draft {
    let start: DateTime<Utc> = "2022-10-01T02:00:00Z".parse().expect("a time");
    let [a, b] = departments();
    Draft {
        announcement_id: id as i64,
        department: if id.is_multiple_of(2) { a } else { b },
        title: format!("ข่าวประชาสัมพันธ์ที่ {id}"),
        text: "ข้อความ ".repeat(60).trim().to_owned(),
        media: vec![],
        link: None,
        published_at: start + chrono::Duration::hours(17 * id as i64),
        tags: vec![],
    }
}

pub async fn run(b: WebsiteBench) -> anyhow::Result<()> {
    if b.publishes == 0 || b.concurrency == 0 {
        anyhow::bail!("--publishes and --concurrency need at least one");
    }
    let tmp = tempfile::tempdir()?;
    let root = b.dir.clone().unwrap_or_else(|| tmp.path().join("site"));
    if root.join("_entries").exists() {
        anyhow::bail!(
            "{} already has a site; give an empty folder",
            root.display()
        );
    }
    let settings = WebsiteSettings::new(&root, BASE_URL, "สถานีตำรวจทดสอบ", "Bench Station");

    eprintln!("setting up a site of {} pages…", b.pages);
    let setup = Instant::now();
    let composing = Website::for_composing(settings.clone());
    let entries = root.join("_entries");
    std::fs::create_dir_all(&entries)?;
    for id in 1..=b.pages {
        let payload = composing.prepare(&draft(id))?;
        let url = Website::page_url_for(BASE_URL, id as i64);
        let entry = Entry::from_payload(&payload, url, &format!("bench-{id}"));
        std::fs::write(
            entries.join(format!("{id}.json")),
            serde_json::to_vec_pretty(&entry)?,
        )?;
    }
    let opened = {
        let s = settings.clone();
        tokio::task::spawn_blocking(move || Website::open(s)).await??
    };
    eprintln!("  set up in {:.1?}", setup.elapsed());

    let site = Arc::new(opened);
    let gate = Arc::new(tokio::sync::Semaphore::new(b.concurrency));
    let mut payloads = Vec::with_capacity(b.publishes);
    for id in b.pages + 1..=b.pages + b.publishes {
        payloads.push(site.prepare(&draft(id))?);
    }
    let started = Instant::now();
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    let mut tasks = Vec::with_capacity(b.publishes);
    for payload in payloads {
        let (site, gate, done) = (site.clone(), gate.clone(), done_tx.clone());
        let turn = gate.acquire_owned().await?;
        tasks.push(tokio::spawn(async move {
            let ctx = PublishContext::first(
                payload.announcement_id,
                format!("bench-{}", payload.announcement_id),
            );
            let r = site.publish(&payload, &ctx).await;
            let _ = done.send(Instant::now());
            drop(turn);
            r
        }));
    }
    drop(done_tx);
    for t in tasks {
        t.await??;
    }
    let elapsed = started.elapsed();
    let mut finished = Vec::with_capacity(b.publishes);
    while let Some(at) = done_rx.recv().await {
        finished.push(at.duration_since(started));
    }
    finished.sort_unstable();
    drop(site);

    // Opening again: with the index pages current (the mark left by the last publish), then
    // with the mark removed, as after a crash between a record and its index pages.
    let cold = time_open(&settings).await?;
    std::fs::remove_file(root.join(INDEXES_MARK)).ok();
    let rebuilt = time_open(&settings).await?;

    let m = b.publishes;
    let k = 100.min(m / 2).max(1);
    let ms_per_page = |d: Duration| d.as_secs_f64() * 1000.0 / k as f64;
    let first = ms_per_page(finished[k - 1]);
    let last = ms_per_page(finished[m - 1] - finished[m - 1 - k.min(m - 1)]);
    println!("site before:          {} pages", b.pages);
    println!(
        "publishes:            {m}, {} at a time, in {:.3} s",
        b.concurrency,
        elapsed.as_secs_f64()
    );
    println!(
        "throughput:           {:.0} pages/s",
        m as f64 / elapsed.as_secs_f64()
    );
    println!("first {k}:            {first:.2} ms/page");
    println!("last {k}:             {last:.2} ms/page");
    println!("last / first:         {:.2}×", last / first);
    println!(
        "open, {} pages:     {:.1} ms with the indexes current, {:.1} ms rebuilding them",
        b.pages + m,
        cold.as_secs_f64() * 1000.0,
        rebuilt.as_secs_f64() * 1000.0
    );
    Ok(())
}

async fn time_open(settings: &WebsiteSettings) -> anyhow::Result<Duration> {
    let s = settings.clone();
    let started = Instant::now();
    let site = tokio::task::spawn_blocking(move || Website::open(s)).await??;
    let took = started.elapsed();
    drop(site);
    Ok(took)
}
