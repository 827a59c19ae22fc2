//! `prakat digest --month 2569-11 [--out DIR]`: build one month's digest and write its files
//! (HTML, PDF, CSV, XLSX, JSON) into a folder the user names, with a progress bar. The website
//! is not touched: publishing the digest is the daemon's monthly job ([`super::job`]).
//! Exit 2 for a month that cannot be read.

use std::path::PathBuf;

use clap::Args;

use super::{Month, STEPS};
use crate::app::App;
use crate::channels::Purpose;
use crate::cli::{CliError, CliResult};
use crate::clock::SystemClock;
use crate::i18n::Msg;
use crate::settings::{Lang, Settings};
use crate::{say, t};

#[derive(Args, Debug)]
pub struct DigestArgs {
    /// The month: `2569-11` (Buddhist Era) or `2026-11`; last month when not given.
    #[arg(long)]
    pub month: Option<String>,
    /// The folder the files are written into (made if missing); the current one by default.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn run(settings: Settings, lang: Lang, args: DigestArgs) -> CliResult {
    let clock = SystemClock::shared();
    let now = clock.now();
    let month = match &args.month {
        Some(s) => Month::parse(s).ok_or_else(|| {
            CliError::bad_input(Msg::new("error-digest-month").with("input", format!("{s:?}")))
        })?,
        None => Month::of(now).previous(),
    };
    let out = args.out.unwrap_or_else(|| PathBuf::from("."));
    let app = App::open_for(settings, Purpose::Compose).await?;
    let bar = indicatif::ProgressBar::new(STEPS.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(t!(lang, "digest-step", step = "gather"));
    let (rows, previous) = super::gather(app.store.as_ref(), month).await?;
    bar.inc(1);
    let step = |s: &'static str| {
        bar.set_message(t!(lang, "digest-step", step = s));
        if s != "texts" {
            bar.inc(1);
        }
    };
    let files = super::render(&app.settings, month, now, &rows, &previous, &step).map_err(|e| {
        CliError::of(
            1,
            Msg::new("error-digest-build").with("error", e.to_string()),
        )
    })?;
    bar.inc(1);
    let paths = files.write_to(&out).map_err(|e| {
        CliError::of(
            1,
            Msg::new("error-digest-build").with("error", e.to_string()),
        )
    })?;
    bar.finish_and_clear();
    let announcements = rows
        .rows
        .iter()
        .map(|r| r.announcement_id)
        .collect::<std::collections::HashSet<_>>()
        .len();
    say!(
        "{}",
        t!(
            lang,
            "digest-built",
            month = month.thai(prakat_adapters::thai::Digits::Arabic),
            announcements = announcements,
            dir = out.display().to_string()
        )
    );
    for p in paths {
        say!("  {}", p.display());
    }
    Ok(())
}
