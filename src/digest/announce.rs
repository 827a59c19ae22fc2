//! The monthly digest as an announcement on the website, in the category รายงานประจำเดือน (a
//! department of its own, [`DEPARTMENT`], that the digest itself leaves out), with the PDF,
//! XLSX and CSV attached as documents. The daemon queues it like any announcement, for the
//! website alone, and the website channel publishes it exactly once.
//!
//! One announcement per month, whatever the reruns: it is submitted under the key
//! `digest:<month>` ([`crate::store::Origin`]), so a second build finds the first's. A rerun
//! whose text or files changed (later reach figures) corrects it through the newsroom, as a PR
//! officer would ([`Newsroom::correct_with_media`]): the store's record names the new PDF, XLSX
//! and CSV, and the website's page is written again linking them. The month's folder under
//! `digests/` (linked from the text) holds the latest files too.
//!
//! Never here: a write to the website (the website channel makes the page), or a second
//! announcement for a month.

use chrono::{DateTime, Utc};
use prakat_adapters::{Department, MediaRef};

use super::{DigestError, Files, Month};
use crate::app::App;
use crate::newsroom::{Newsroom, NewsroomError, Person, Role};
use crate::store::{NewAnnouncement, Origin, Store, StoreError};

/// The department the digests are published under: their category on the website.
pub const DEPARTMENT: &str = "digest";

fn department() -> Department {
    Department {
        code: DEPARTMENT.into(),
        name_th: "รายงานประจำเดือน".into(),
        name_en: "Monthly digest".into(),
    }
}

/// Who submits it: the daemon, with the PR officer's right to publish.
fn daemon() -> Person {
    Person {
        name: "digest".into(),
        role: Role::Admin,
        department: None,
        source: "daemon",
    }
}

fn newsroom_error(e: NewsroomError) -> DigestError {
    match e {
        NewsroomError::Store(e) => DigestError::Store(e),
        other => DigestError::Render {
            what: "announcement",
            detail: other.to_string(),
        },
    }
}

/// The title and text of `month`'s announcement.
pub fn text(files: &Files, station: &str, digests_url: &str) -> (String, String) {
    let d = &files.digest;
    let n = |v: u64| super::html::number(v, d.header.digits);
    let title = format!("รายงานผลการประชาสัมพันธ์ประจำเดือน {}", d.month_th);
    let mut body = format!(
        "{station} รายงานผลการประชาสัมพันธ์ประจำเดือน {} แยกตามสายงาน: ประกาศที่เผยแพร่ทั้งหมด {} เรื่อง",
        d.month_th,
        n(d.announcements)
    );
    body.push_str("\n\n");
    for s in &d.sections {
        body.push_str(&format!("{} {} เรื่อง\n", s.name_th, n(s.items.len() as u64)));
    }
    body.push_str("\nไฟล์แนบ: รายงานฉบับพิมพ์ (PDF) และข้อมูลของทุกประกาศและทุกช่องทาง (XLSX, CSV)\n");
    body.push_str(&format!(
        "รายงานประจำเดือนทุกเดือน ตามปีงบประมาณ: {digests_url}"
    ));
    (title, body)
}

/// Keep the PDF, XLSX and CSV in the media store, as documents.
async fn documents(app: &App, files: &Files) -> Result<Vec<MediaRef>, DigestError> {
    let base = format!("digest-{}", files.month.slug());
    let wanted = [
        (format!("{base}.pdf"), files.pdf.clone(), "application/pdf"),
        (
            format!("{base}.xlsx"),
            files.xlsx.clone(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (format!("{base}.csv"), files.csv.clone(), "text/csv"),
    ];
    let media = app.media.clone();
    let kept = tokio::task::spawn_blocking(move || {
        wanted
            .iter()
            .map(|(name, bytes, mime)| media.keep_document(bytes, name, mime))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| DigestError::Render {
        what: "documents",
        detail: e.to_string(),
    })?
    .map_err(|e| DigestError::Render {
        what: "documents",
        detail: e.to_string(),
    })?;
    for m in &kept {
        app.store.put_media(m).await?;
    }
    Ok(kept)
}

/// Queue `month`'s announcement for the website, or correct the one queued before. Returns its
/// id.
pub async fn announce(
    app: &App,
    month: Month,
    files: &Files,
    now: DateTime<Utc>,
) -> Result<i64, DigestError> {
    let who = daemon();
    let actor = who.actor();
    if app.store.department(DEPARTMENT).await?.is_none() {
        match app.store.add_department(&department(), &actor).await {
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let digests_url = format!(
        "{}/site/{}/",
        app.settings.public_base_url(),
        prakat_adapters::website::DIGESTS_DIR
    );
    let station = super::header(&app.settings).station;
    let (title, body) = text(files, &station, &digests_url);
    let media = documents(app, files).await?;
    let record = app
        .store
        .submit_announcement(
            &NewAnnouncement {
                department: DEPARTMENT.into(),
                channels: vec![prakat_adapters::website::KIND.into()],
                title: title.clone(),
                body: body.clone(),
                link: None,
                tags: vec![],
                media: media.clone(),
                source: "daemon".into(),
                publish_at: now,
            },
            Some(&Origin {
                key: format!("digest:{}", month.slug()),
                chat_pieces: None,
            }),
            &actor,
        )
        .await?;
    let newsroom = Newsroom::new(app);
    if record.decided().is_none() {
        // New, or left waiting by a build cut off before it was approved.
        newsroom
            .approve(&who, record.id, None, now)
            .await
            .map_err(newsroom_error)?;
    } else if record.title != title
        || record.body != body
        || !crate::newsroom::same_files(&record.media, &media)
    {
        match newsroom
            .correct_with_media(&who, record.id, Some(&title), &body, media, now)
            .await
        {
            Ok(_) => {}
            // Taken back by a person, or no longer correctable: theirs to decide, not redone.
            Err(e @ (NewsroomError::Refused(_) | NewsroomError::Conflict(_))) => {
                tracing::warn!(id = record.id, error = %e, "the digest's announcement was not corrected");
            }
            Err(e) => return Err(newsroom_error(e)),
        }
    }
    Ok(record.id)
}
