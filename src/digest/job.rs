//! The daemon's monthly digest: on the first day of each month at `digest.build_at` (Bangkok
//! time), last month's digest is built, kept under `digest.output_dir`, published on the
//! website under `digests/<BE year>-<MM>/` (the page itself, its PDF, CSV, XLSX and JSON) with
//! the fiscal-year index `digests/index.html`, and a `digest_ready` event is written: the
//! Telegram notifier sends the PDF to the PR officers.
//!
//! A rerun (a restart on the first of the month, a build by hand in the daemon) replaces the
//! files in place and writes no second event. A daemon that was stopped at the build time
//! builds the month it missed when it starts, once. A month is skipped when neither it nor the
//! month before has an announcement (prakat was not in use yet).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Bangkok;
use serde::Serialize;
use tokio::sync::{Notify, watch};

use super::{DigestError, Month, html};
use crate::app::App;
use crate::clock::Clock;
use crate::store::{Actor, Store};

/// The audit action of a digest built and published.
pub const DIGEST_READY: &str = "digest_ready";

/// The build time of `month`'s digest: its next month's first day at `at`, Bangkok time.
pub fn build_time(month: Month, at: NaiveTime) -> DateTime<Utc> {
    let day = month.next().first_day().and_time(at);
    Bangkok
        .from_local_datetime(&day)
        .single()
        .expect("Bangkok has no daylight saving")
        .with_timezone(&Utc)
}

/// The month whose digest is the latest due at `now`, and when the one after it is due.
pub fn schedule(now: DateTime<Utc>, at: NaiveTime) -> (Month, DateTime<Utc>) {
    let this = Month::of(now);
    let last = this.previous();
    if now >= build_time(last, at) {
        (last, build_time(this, at))
    } else {
        (last.previous(), build_time(last, at))
    }
}

fn said_key(month: Month) -> String {
    format!("digest:{}", month.slug())
}

/// What a build left.
#[derive(Debug)]
pub struct Built {
    pub month: Month,
    /// The folder under `digest.output_dir`.
    pub dir: PathBuf,
    pub pdf: PathBuf,
    /// The folder on the website, when the website is on.
    pub site_dir: Option<PathBuf>,
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), DigestError> {
    let err = |source| DigestError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

/// Build `month`'s digest, keep it, publish it on the website and write its event (once per
/// month, whatever the reruns).
pub async fn build_and_publish(
    app: &App,
    month: Month,
    now: DateTime<Utc>,
) -> Result<Built, DigestError> {
    let (rows, previous) = super::gather(app.store.as_ref(), month).await?;
    publish(app, month, now, rows, previous).await
}

/// [`build_and_publish`] with the month's rows gathered.
async fn publish(
    app: &App,
    month: Month,
    now: DateTime<Utc>,
    rows: crate::store::DigestRows,
    previous: crate::store::DigestRows,
) -> Result<Built, DigestError> {
    let settings = app.settings.clone();
    let (files, site_page) = tokio::task::spawn_blocking(move || {
        let files = super::render(&settings, month, now, &rows, &previous, &|_| {})?;
        let page = html::render(
            &files.digest,
            settings.templates.dir.as_deref(),
            &html::Look::Linked("../digest.css".into()),
        )
        .map_err(|detail| DigestError::Render {
            what: "HTML",
            detail,
        })?;
        Ok::<_, DigestError>((files, page))
    })
    .await
    .map_err(|e| DigestError::Render {
        what: "digest",
        detail: e.to_string(),
    })??;
    let dir = app.settings.digest_dir().join(month.slug());
    files.write_to(&dir)?;
    let pdf = dir.join(format!("digest-{}.pdf", month.slug()));

    let site_dir = if app.settings.channels.website().is_some() {
        let root = app
            .settings
            .site_dir()
            .join(prakat_adapters::website::DIGESTS_DIR);
        let here = root.join(month.slug());
        files.write_to(&here)?;
        write(&here.join("index.html"), site_page.as_bytes())?;
        write(
            &root.join("digest.css"),
            html::stylesheet(app.settings.templates.dir.as_deref()).as_bytes(),
        )?;
        write_index(&root, &super::header(&app.settings).station)?;
        super::announce::announce(app, month, &files, now).await?;
        Some(here)
    } else {
        None
    };

    let key = said_key(month);
    if !app.store.said(&key).await? {
        let url = site_dir.as_ref().map(|_| {
            format!(
                "{}/site/digests/{}/",
                app.settings.public_base_url().trim_end_matches('/'),
                month.slug()
            )
        });
        app.store
            .record_audit(
                &Actor::daemon("digest"),
                DIGEST_READY,
                "digest",
                &month.slug(),
                serde_json::json!({
                    "month": month.slug(),
                    "month_th": month.thai(prakat_adapters::thai::Digits::Thai),
                    "announcements": files.digest.announcements,
                    "pdf": pdf.display().to_string(),
                    "url": url,
                }),
            )
            .await?;
        app.store.say_once(&key, now).await?;
    }
    Ok(Built {
        month,
        dir,
        pdf,
        site_dir,
    })
}

#[derive(Serialize)]
struct IndexMonth {
    slug: String,
    name: String,
}

#[derive(Serialize)]
struct IndexYear {
    year: i32,
    year_th: String,
    months: Vec<IndexMonth>,
}

/// The fiscal-year index of every digest on the website, newest year first, each year's
/// months from October to September.
pub fn index_page(station: &str, months: &[Month]) -> Result<String, String> {
    let mut months = months.to_vec();
    months.sort();
    months.dedup();
    let mut years: Vec<IndexYear> = Vec::new();
    for m in months.iter().rev() {
        let fy = m.fiscal_year_be();
        if years.last().is_none_or(|y| y.year != fy) {
            years.push(IndexYear {
                year: fy,
                year_th: prakat_adapters::thai::dates::thai_digits(&fy.to_string()),
                months: Vec::new(),
            });
        }
        years.last_mut().expect("pushed").months.insert(
            0,
            IndexMonth {
                slug: m.slug(),
                name: m.thai(prakat_adapters::thai::Digits::Thai),
            },
        );
    }
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template(
        "index.html",
        include_str!("../../config/templates/digest/index.html"),
    )
    .map_err(|e| e.to_string())?;
    env.get_template("index.html")
        .and_then(|t| t.render(minijinja::context! { station, years }))
        .map_err(|e| e.to_string())
}

/// Rewrite `digests/index.html` from the months whose PDF is on the website.
fn write_index(root: &Path, station: &str) -> Result<(), DigestError> {
    let months: Vec<Month> = std::fs::read_dir(root)
        .map_err(|source| DigestError::Write {
            path: root.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let m = Month::parse(&name).filter(|m| m.slug() == name)?;
            e.path()
                .join(format!("digest-{name}.pdf"))
                .is_file()
                .then_some(m)
        })
        .collect();
    let page = index_page(station, &months).map_err(|detail| DigestError::Render {
        what: "index",
        detail,
    })?;
    write(&root.join("index.html"), page.as_bytes())
}

/// Build and publish `month`'s digest unless the station published nothing that month nor the
/// month before (a new installation: no digests of the months before prakat was used). A
/// month without announcements after one with some still gets its digest, which says so.
async fn build_if_used(
    app: &App,
    month: Month,
    now: DateTime<Utc>,
) -> Result<Option<Built>, DigestError> {
    let (rows, previous) = super::gather(app.store.as_ref(), month).await?;
    if rows.rows.is_empty() && previous.rows.is_empty() {
        return Ok(None);
    }
    publish(app, month, now, rows, previous).await.map(Some)
}

/// How long the job sleeps at most before it reads the clock again (a suspend, an NTP step).
const RECHECK: Duration = Duration::from_secs(60);

/// Build each month's digest at its time until `shutdown`; the month missed while the daemon
/// was stopped first. `events` is woken after a build, so the notifiers hear of it at once.
pub async fn run(
    app: Arc<App>,
    clock: Arc<dyn Clock>,
    events: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let at = app.settings.digest.build_at.0;
    loop {
        let now = clock.now();
        let (due, next) = schedule(now, at);
        match app.store.said(&said_key(due)).await {
            Ok(true) => {}
            Ok(false) => match build_if_used(&app, due, now).await {
                Ok(None) => {
                    tracing::debug!(month = %due, "no announcements that month nor the month before: no digest");
                }
                Ok(Some(b)) => {
                    tracing::info!(month = %b.month, dir = %b.dir.display(), "monthly digest built and published");
                    events.notify_one();
                }
                Err(e) => {
                    tracing::error!(month = %due, error = %e, "the monthly digest could not be built; trying again in an hour");
                    tokio::select! {
                        _ = shutdown.changed() => return,
                        _ = tokio::time::sleep(Duration::from_secs(3600)) => continue,
                    }
                }
            },
            Err(e) => tracing::warn!(error = %e, "cannot tell whether the digest was built"),
        }
        let wait = (next - clock.now())
            .to_std()
            .unwrap_or_default()
            .min(RECHECK);
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = tokio::time::sleep(wait.max(Duration::from_millis(10))) => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn last_months_digest_is_due_on_the_first_at_the_build_time() {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        let nov = Month::parse("2569-11").unwrap();
        // 1 Dec 2569, 07:00 Bangkok = 00:00 UTC.
        assert_eq!(build_time(nov, seven), utc("2026-12-01T00:00:00Z"));
        // A minute before: October's is the latest due, November's comes at 07:00.
        let (due, next) = schedule(utc("2026-11-30T23:59:00Z"), seven);
        assert_eq!(due.slug(), "2569-10");
        assert_eq!(next, utc("2026-12-01T00:00:00Z"));
        // At 07:00: November's is due; December's comes on 1 January.
        let (due, next) = schedule(utc("2026-12-01T00:00:00Z"), seven);
        assert_eq!(due, nov);
        assert_eq!(next, utc("2027-01-01T00:00:00Z"));
    }

    #[test]
    fn the_index_groups_months_by_fiscal_year() {
        let months: Vec<Month> = ["2569-09", "2569-10", "2569-11", "2569-08"]
            .iter()
            .map(|s| Month::parse(s).unwrap())
            .collect();
        let page = index_page("สภ.เมืองระนอง <ทดสอบ>", &months).unwrap();
        let fy2570 = page.find("ปีงบประมาณ พ.ศ. ๒๕๗๐").unwrap();
        let fy2569 = page.find("ปีงบประมาณ พ.ศ. ๒๕๖๙").unwrap();
        assert!(fy2570 < fy2569, "newest fiscal year first");
        // October opens FY 2570; September closes FY 2569.
        let oct = page.find("ตุลาคม ๒๕๖๙").unwrap();
        let sep = page.find("กันยายน ๒๕๖๙").unwrap();
        assert!(fy2570 < oct && oct < fy2569 && fy2569 < sep);
        assert!(
            page.find("สิงหาคม ๒๕๖๙").unwrap() < sep,
            "October to September"
        );
        assert!(page.contains("สภ.เมืองระนอง &lt;ทดสอบ&gt;"));
        assert!(page.contains(r#"href="2569-11/digest-2569-11.pdf""#));
    }
}
