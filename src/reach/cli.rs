//! `prakat reach collect [--since …]`: one collection pass by hand, with a progress bar; exit 1
//! when some samples failed (they stay due and are tried again later). `prakat reach show ID`:
//! an announcement's samples, one line per delivery and slot, and the slots still waiting.

use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::collector::{Collector, Progress, Sampled};
use crate::app::App;
use crate::channels::Purpose;
use crate::cli::{CliError, CliResult};
use crate::clock::SystemClock;
use crate::i18n::Msg;
use crate::settings::{Lang, Settings};
use crate::store::{ReachDue, Store};
use crate::{say, t};

#[derive(Subcommand, Debug)]
pub enum ReachCmd {
    /// Take every reach sample that is due now, with a progress bar.
    Collect {
        /// Only deliveries published since this Bangkok date or time ("YYYY-MM-DD" or
        /// "YYYY-MM-DD HH:MM"; a Buddhist Era year is read as one).
        #[arg(long)]
        since: Option<String>,
    },
    /// The reach samples of one announcement.
    Show {
        /// The announcement's number.
        id: i64,
    },
}

pub async fn run(settings: Settings, lang: Lang, cmd: ReachCmd) -> CliResult {
    match cmd {
        ReachCmd::Collect { since } => collect(settings, lang, since.as_deref()).await,
        ReachCmd::Show { id } => show(settings, lang, id).await,
    }
}

/// A date alone is its first minute, Bangkok time.
fn parse_since(s: &str) -> Result<DateTime<Utc>, CliError> {
    crate::newsroom::time::parse_bangkok(s)
        .or_else(|_| crate::newsroom::time::parse_bangkok(&format!("{} 00:00", s.trim())))
        .map_err(|_| {
            CliError::bad_input(Msg::new("error-reach-since").with("input", format!("{s:?}")))
        })
}

/// The progress bar of a pass (drawn on stderr, only on a terminal).
struct Bar {
    bar: indicatif::ProgressBar,
    lang: Lang,
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn done(&self, due: &ReachDue, _outcome: &Sampled) {
        self.bar.set_message(t!(
            self.lang,
            "reach-progress",
            channel = due.channel.as_str(),
            id = due.delivery_id
        ));
        self.bar.inc(1);
    }
}

async fn collect(settings: Settings, lang: Lang, since: Option<&str>) -> CliResult {
    let since = since.map(parse_since).transpose()?;
    let app = App::open_for(settings, Purpose::Check).await?;
    let collector = Collector::new(
        app.store.clone(),
        app.registry.clone(),
        SystemClock::shared(),
        app.settings.reach.clone(),
    );
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:30} [{bar:30}] {pos}/{len}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let progress = Bar { bar, lang };
    let report = collector.pass(since, &progress).await?;
    progress.bar.finish_and_clear();
    for (due, error) in &report.failed {
        say!(
            "{}",
            t!(
                lang,
                "reach-failed-line",
                channel = due.channel.as_str(),
                id = due.delivery_id,
                slot = due.slot.to_string(),
                error = crate::errors::publish_error_msg(error).render(lang)
            )
        );
    }
    say!(
        "{}",
        t!(
            lang,
            "reach-collected",
            stored = report.stored,
            failed = report.failed.len(),
            waiting = report.waiting
        )
    );
    if !report.failed.is_empty() {
        return Err(CliError::of(
            1,
            Msg::new("error-reach-failed").with_number("count", report.failed.len() as i64),
        ));
    }
    Ok(())
}

fn figure(v: Option<u64>) -> String {
    v.map_or_else(|| "–".to_owned(), |n| n.to_string())
}

async fn show(settings: Settings, lang: Lang, id: i64) -> CliResult {
    use crate::out::{cell, clip, right};
    let app = App::open_for(settings, Purpose::Compose).await?;
    let announcement = app.store.announcement(id).await?;
    let samples = app.store.reach_samples(id).await?;
    let waiting = app.store.reach_failures(id).await?;
    say!(
        "{}",
        t!(
            lang,
            "reach-show-title",
            id = id,
            title = clip(&announcement.title, 60)
        )
    );
    if samples.is_empty() {
        say!("{}", t!(lang, "reach-show-none"));
    } else {
        let columns = [
            "reach-col-views",
            "reach-col-reach",
            "reach-col-reactions",
            "reach-col-comments",
            "reach-col-shares",
            "reach-col-clicks",
            "reach-col-video",
        ];
        let mut header = format!(
            "{} {} {} {}",
            cell(&t!(lang, "queue-col-channel"), 10),
            right(&t!(lang, "queue-col-id"), 5),
            cell(&t!(lang, "reach-col-slot"), 5),
            cell(&t!(lang, "reach-col-taken"), 16),
        );
        for c in columns {
            header.push(' ');
            header.push_str(&right(&crate::i18n::tr(lang, c, &[]), 9));
        }
        say!("{}", header.trim_end());
        for r in &samples {
            let s = &r.sample;
            let mut line = format!(
                "{} {} {} {}",
                cell(&r.channel, 10),
                right(&r.delivery_id.to_string(), 5),
                cell(&r.slot.to_string(), 5),
                cell(&crate::cli::column_time(lang, r.taken_at), 16),
            );
            for v in [
                s.views,
                s.unique_viewers,
                s.reactions,
                s.comments,
                s.shares,
                s.clicks,
                s.video_views,
            ] {
                line.push(' ');
                line.push_str(&right(&figure(v), 9));
            }
            say!("{line}");
        }
    }
    for w in &waiting {
        say!(
            "{}",
            t!(
                lang,
                "reach-show-waiting",
                channel = w.channel.as_str(),
                slot = w.slot.to_string(),
                attempts = w.attempts,
                at = crate::cli::column_time(lang, w.next_attempt_at),
                error = clip(&w.error, 200)
            )
        );
    }
    Ok(())
}
