//! The monthly digest per department (ประชาสัมพันธ์รายเดือน แยกสายงาน): for one Bangkok month,
//! every announcement published, by line of work in the seed's order, with the link and the
//! latest reach figures of each channel; the totals per channel and per department; charts; the
//! change from the month before; a cover the station commander signs.
//!
//! - [`month`]: the month, read as `2569-11` (BE) or `2026-11` (CE).
//! - [`model`]: the digest built from the store's rows ([`crate::store::Store::digest_rows`]),
//!   pure: every output below renders the same [`model::Digest`].
//! - [`html`] (printable A4), [`table`] (CSV), [`xlsx`], [`pdf`] (typst, Thai shaped and broken
//!   at word boundaries with the embedded Sarabun font) and JSON.
//! - [`job`]: the daemon's build on the first of each month, kept, published under the
//!   website's `digests/` with the fiscal-year index, and a `digest_ready` event.
//! - [`cli`]: `prakat digest --month 2569-11 [--out DIR]`.
//!
//! Never here: a write to the website from a command (the daemon is its only writer), or a
//! figure a platform did not tell shown as zero.

pub mod announce;
pub mod bench;
pub mod cli;
pub mod fixture;
pub mod html;
pub mod job;
pub mod model;
pub mod month;
pub mod pdf;
pub mod table;
pub mod xlsx;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::settings::Settings;
use crate::store::{DigestRows, Store, StoreError};
pub use model::Digest;
pub use month::Month;

/// What can go wrong while building a digest.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("rendering the digest's {what}: {detail}")]
    Render { what: &'static str, detail: String },
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The files of one digest, in memory.
pub struct Files {
    pub month: Month,
    pub digest: Digest,
    pub html: String,
    pub csv: Vec<u8>,
    pub xlsx: Vec<u8>,
    pub pdf: Vec<u8>,
    pub json: Vec<u8>,
    /// How long setting the PDF took (on its own thread, beside the other files).
    pub pdf_took: std::time::Duration,
}

/// The steps of a build, for a progress bar.
pub const STEPS: &[&str] = &[
    "gather", "texts", "html", "csv", "json", "pages", "xlsx", "pdf",
];

impl Files {
    /// File names and contents: `digest-2569-11.html`, `.pdf`, `.csv`, `.xlsx`, `.json`.
    pub fn named(&self) -> Vec<(String, &[u8])> {
        let base = format!("digest-{}", self.month.slug());
        vec![
            (format!("{base}.html"), self.html.as_bytes()),
            (format!("{base}.pdf"), &self.pdf),
            (format!("{base}.csv"), &self.csv),
            (format!("{base}.xlsx"), &self.xlsx),
            (format!("{base}.json"), &self.json),
        ]
    }

    /// Write every file into `dir` (made if missing), each under a temporary name and renamed
    /// into place: a rerun replaces the files, a crash leaves no half file. Returns the paths.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, DigestError> {
        let err = |path: &Path| {
            let path = path.to_owned();
            move |source| DigestError::Write { path, source }
        };
        std::fs::create_dir_all(dir).map_err(err(dir))?;
        let mut out = Vec::new();
        for (name, bytes) in self.named() {
            let path = dir.join(&name);
            let tmp = dir.join(format!(".{name}.tmp"));
            std::fs::write(&tmp, bytes).map_err(err(&tmp))?;
            std::fs::rename(&tmp, &path).map_err(err(&path))?;
            out.push(path);
        }
        Ok(out)
    }
}

/// The header of the cover, from the settings.
pub fn header(settings: &Settings) -> model::Header {
    let d = &settings.digest;
    model::Header {
        station: d
            .station_name
            .clone()
            .unwrap_or_else(|| settings.station.name_th.clone()),
        commander_name: d.commander_name.clone(),
        commander_rank: d.commander_rank.clone(),
        signer_title: d.signer_title.clone(),
        digits: d.digits,
    }
}

/// The public channels set up now, the seed's platforms first, then by name.
pub fn channels(settings: &Settings) -> Vec<model::ChannelInfo> {
    let mut out: Vec<model::ChannelInfo> = settings
        .channels
        .enabled()
        .map(|(name, s)| model::ChannelInfo {
            name: name.to_owned(),
            kind: s.type_name().to_owned(),
        })
        .filter(|c| c.kind != "outbox")
        .collect();
    let rank = |kind: &str| {
        model::SEED_PLATFORMS
            .iter()
            .position(|(k, _)| *k == kind)
            .unwrap_or(model::SEED_PLATFORMS.len())
    };
    out.sort_by(|a, b| (rank(&a.kind), &a.name).cmp(&(rank(&b.kind), &b.name)));
    out
}

/// The month's rows and the month before's, without the digests' own announcements
/// ([`announce::DEPARTMENT`]).
pub async fn gather<S: Store + ?Sized>(
    store: &S,
    month: Month,
) -> Result<(DigestRows, DigestRows), StoreError> {
    let without_digests = |mut rows: DigestRows| {
        rows.departments.retain(|d| d.code != announce::DEPARTMENT);
        rows.rows.retain(|r| r.department != announce::DEPARTMENT);
        rows
    };
    let rows = store.digest_rows(month.start(), month.end()).await?;
    let previous = month.previous();
    let before = store.digest_rows(previous.start(), previous.end()).await?;
    Ok((without_digests(rows), without_digests(before)))
}

/// Build every file of the digest from gathered rows; `step` is told each step as it starts.
pub fn render(
    settings: &Settings,
    month: Month,
    prepared_at: DateTime<Utc>,
    rows: &DigestRows,
    previous: &DigestRows,
    step: &dyn Fn(&'static str),
) -> Result<Files, DigestError> {
    let digest = model::build(model::Input {
        header: header(settings),
        month,
        prepared_at,
        channels: channels(settings),
        rows,
        previous,
    });
    render_digest(&digest, rows, settings.templates.dir.as_deref(), step)
}

/// Render a built digest into its files. The PDF's texts are made first, on every core; then
/// the PDF, the longest, is set on a thread of its own while the others are written. `step` is
/// told each step as it starts (`texts` first, `pdf` last, when what remains is waiting for it).
pub fn render_digest(
    digest: &Digest,
    rows: &DigestRows,
    templates_dir: Option<&Path>,
    step: &dyn Fn(&'static str),
) -> Result<Files, DigestError> {
    let month = Month::parse(&digest.month).expect("the digest's own month");
    let started = std::time::Instant::now();
    // The PDF's texts are made on every core first. Then typst sets them on a thread of its
    // own: it lays the pages out on every core, then writes the PDF on one. The other files are
    // written beside it, the small ones at once, the workbook once the pages are laid out.
    step("texts");
    let prepared = pdf::prepare(digest);
    std::thread::scope(|scope| {
        let (laid_out, pages_ready) = std::sync::mpsc::channel::<()>();
        let pdf = scope.spawn(move || {
            let set = pdf::set(prepared, || {
                let _ = laid_out.send(());
            });
            (set, started.elapsed())
        });
        step("html");
        let html = html::render(digest, templates_dir, &html::Look::Inline).map_err(|detail| {
            DigestError::Render {
                what: "HTML",
                detail,
            }
        })?;
        step("csv");
        let csv = table::csv(digest, rows);
        step("json");
        let json = serde_json::to_vec_pretty(digest).expect("the digest serializes");
        step("pages");
        // Err: the PDF's thread ended early; its error is told below.
        let _ = pages_ready.recv();
        step("xlsx");
        let xlsx = xlsx::workbook(digest, rows).map_err(|detail| DigestError::Render {
            what: "XLSX",
            detail,
        })?;
        step("pdf");
        let (pdf, pdf_took) = pdf.join().map_err(|_| DigestError::Render {
            what: "PDF",
            detail: "the PDF writer stopped unexpectedly".into(),
        })?;
        let pdf = pdf.map_err(|detail| DigestError::Render {
            what: "PDF",
            detail,
        })?;
        Ok(Files {
            month,
            digest: digest.clone(),
            html,
            csv,
            xlsx,
            pdf,
            json,
            pdf_took,
        })
    })
}

#[cfg(test)]
mod tests;
