//! `prakat bench digest`: how long one month's digest takes to build — gathering the rows from
//! the store, then the HTML, CSV, XLSX, PDF and JSON — for a month of N announcements on every
//! channel with their reach samples ([`super::fixture::fill`]), on a throw-away SQLite database.
//! Setting the month up is not timed. Compare figures from the same machine only.

use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;

use super::fixture::{self, Size};
use super::model::{self, ChannelInfo};
use super::{Month, STEPS};
use crate::store::{Durability, ReachSlot, SqliteStore};

#[derive(Args, Debug)]
pub struct DigestBench {
    /// Announcements published in the month.
    #[arg(long, default_value_t = 10_000)]
    pub announcements: usize,
    /// The channels each is published on (their names are also their kinds).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "website,facebook,line,youtube,tiktok"
    )]
    pub channels: Vec<String>,
    /// Reach samples per delivery (slots 1 h, 1 d, 7 d, 30 d, then every further 30 d).
    #[arg(long, default_value_t = 4)]
    pub samples: usize,
    /// How many builds are timed one after another (the month is set up once).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Keep the files of the last build in this folder (to look at the PDF).
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Write where typst spent its time setting the first run's PDF, as a Chrome trace (JSON,
    /// for chrome://tracing or Perfetto).
    #[arg(long)]
    pub trace: Option<std::path::PathBuf>,
}

fn slots(n: usize) -> Vec<ReachSlot> {
    let mut out: Vec<ReachSlot> = ["1h", "1d", "7d", "30d"]
        .iter()
        .map(|s| ReachSlot::parse(s).expect("a valid slot"))
        .take(n)
        .collect();
    for k in 4..n {
        out.push(ReachSlot::from_secs(30 * 86_400 * (k as u64 - 2)));
    }
    out
}

pub async fn run(b: DigestBench) -> anyhow::Result<()> {
    if b.announcements == 0 || b.channels.is_empty() || b.runs == 0 {
        anyhow::bail!("--announcements, --channels and --runs need at least one");
    }
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    // Reads do not depend on durability; `normal` only makes setting the month up quicker.
    let store = SqliteStore::open_url_with(&url, Durability::Normal).await?;
    let month = Month::parse("2569-11").expect("a month");
    let size = Size {
        announcements: b.announcements,
        channels: b.channels.clone(),
        slots: slots(b.samples),
    };
    eprintln!(
        "setting up {} announcements × {} channels × {} samples…",
        b.announcements,
        b.channels.len(),
        b.samples
    );
    let setup = Instant::now();
    fixture::fill(&store, month, &size, &|done, total| {
        if done % 5_000 < 5 || done == total {
            eprint!("\r  {done}/{total}");
        }
    })
    .await?;
    eprintln!("\r  set up in {:.1?}", setup.elapsed());

    let channels: Vec<ChannelInfo> = b
        .channels
        .iter()
        .map(|c| ChannelInfo {
            name: c.clone(),
            kind: c.clone(),
        })
        .collect();
    let settings = crate::settings::Settings::default();
    let mut totals = Vec::new();
    for run in 0..b.runs {
        if run == 0 && b.trace.is_some() {
            typst_timing::enable();
        }
        let mut steps: Vec<(&'static str, Duration)> = Vec::new();
        let started = Instant::now();
        let (rows, previous) = super::gather(&store, month).await?;
        steps.push(("gather", started.elapsed()));
        let t = Instant::now();
        let digest = model::build(model::Input {
            header: super::header(&settings),
            month,
            prepared_at: Utc::now(),
            channels: channels.clone(),
            rows: &rows,
            previous: &previous,
        });
        steps.push(("model", t.elapsed()));
        let mark = std::cell::Cell::new((Instant::now(), ""));
        let timed = std::cell::RefCell::new(Vec::new());
        let files = super::render_digest(&digest, &rows, None, &|step| {
            let (since, last) = mark.get();
            if !last.is_empty() {
                timed.borrow_mut().push((last, since.elapsed()));
            }
            mark.set((Instant::now(), step));
        })?;
        let (since, last) = mark.get();
        timed.borrow_mut().push((last, since.elapsed()));
        steps.extend(timed.into_inner());
        let total = started.elapsed();
        totals.push(total);
        steps.push(("PDF on its own thread", files.pdf_took));
        if let (0, Some(path)) = (run, &b.trace) {
            typst_timing::disable();
            let file = std::io::BufWriter::new(std::fs::File::create(path)?);
            typst_timing::export_json(file, |_| (String::new(), 0)).map_err(anyhow::Error::msg)?;
            eprintln!("  typst's trace: {}", path.display());
        }
        println!(
            "run {}: {:.3} s — {}",
            run + 1,
            total.as_secs_f64(),
            steps
                .iter()
                .map(|(s, d)| format!("{s} {:.0} ms", d.as_secs_f64() * 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if run + 1 == b.runs {
            println!(
                "rows: {}, announcements: {}, PDF {} KiB, HTML {} KiB, XLSX {} KiB, CSV {} KiB",
                rows.rows.len(),
                digest.announcements,
                files.pdf.len() / 1024,
                files.html.len() / 1024,
                files.xlsx.len() / 1024,
                files.csv.len() / 1024
            );
            if let Some(out) = &b.out {
                for p in files.write_to(out)? {
                    println!("  {}", p.display());
                }
            }
        }
    }
    totals.sort();
    println!(
        "digest build (gather + every file, PDF included): median {:.3} s over {} run(s); steps: {}",
        totals[totals.len() / 2].as_secs_f64(),
        totals.len(),
        STEPS.join(", ")
    );
    Ok(())
}
