//! Corrections on the site: an edit rewrites the page in place and every index it is on; a
//! retraction takes it off every index and feed, leaves a notice (or nothing) at its address and
//! unlinks its media; both survive reopening and are harmless to repeat.

use super::*;
use crate::website::RetractionPage;
use crate::{Amend, Edit, Retraction};

async fn two_published(dir: &Path, s: WebsiteSettings) -> (Website, Vec<Draft>) {
    let site = Website::open(s).unwrap();
    let drafts: Vec<Draft> = archive(dir).into_iter().take(2).collect();
    for (i, d) in drafts.iter().enumerate() {
        publish(&site, d, &format!("key-{}", i + 1)).await;
    }
    (site, drafts)
}

fn retraction() -> Retraction {
    Retraction {
        retracted_at: utc("2025-03-21T03:00:00Z"),
        reason: "ชื่อผู้ต้องหาไม่ถูกต้อง <b>".into(),
    }
}

fn receipt(id: i64) -> Receipt {
    Receipt {
        remote_id: Some(id.to_string()),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_edit_rewrites_the_page_in_place_and_the_indexes_show_the_new_title() {
    let dir = tempfile::tempdir().unwrap();
    let (site, drafts) = two_published(dir.path(), settings(dir.path())).await;
    let mut changed = drafts[1].clone();
    changed.title = "จับกุมผู้ต้องหา (แก้ไข)".into();
    changed.text = "ข้อความที่ถูกต้อง".into();
    let payload = site.prepare(&changed).unwrap();
    let edit = Edit {
        edited_at: utc("2025-03-21T03:00:00Z"),
        revision: 1,
    };
    for _ in 0..2 {
        // A repeat (after a crash) writes the same files.
        let r = site.edit(&receipt(2), &payload, &edit).await.unwrap();
        assert_eq!(r.url, Some(site.page_url(2)));
    }
    let page = read(&site, "news/2.html");
    assert!(page.contains("จับกุมผู้ต้องหา (แก้ไข)"), "{page}");
    assert!(page.contains("ข้อความที่ถูกต้อง"));
    assert!(!page.contains("ผลการปฏิบัติงานของงานสืบสวน"));
    assert!(page.contains("แก้ไขเมื่อ"), "the page says it was edited");
    // Still published under its first time: the month page and the date on the page.
    assert!(
        page.contains("datetime=\"2025-03-20T12:00:00+07:00"),
        "{page}"
    );
    for rel in ["index.html", "months/2568-03/index.html", "feed.xml"] {
        let html = read(&site, rel);
        assert!(html.contains("จับกุมผู้ต้องหา (แก้ไข)"), "{rel}");
        assert!(
            !html.contains("ผลการปฏิบัติงานของงานสืบสวน"),
            "{rel}: the old summary"
        );
    }
    assert_eq!(files_in(&site.root().join("news")), ["1.html", "2.html"]);
    // Reopened, the site keeps the edit.
    drop(site);
    let site = Website::open(settings(dir.path())).unwrap();
    assert!(read(&site, "news/2.html").contains("แก้ไขเมื่อ"));
}

#[tokio::test]
async fn a_retraction_leaves_a_notice_and_the_announcement_is_listed_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let (site, drafts) = two_published(dir.path(), settings(dir.path())).await;
    let payload = site.prepare(&drafts[0]).unwrap();
    assert_eq!(files_in(&site.root().join("media")).len(), 1);
    for _ in 0..2 {
        site.retract(&receipt(1), &payload, &retraction())
            .await
            .unwrap();
    }
    let notice = read(&site, "news/1.html");
    assert!(notice.contains("ประกาศนี้ถอนแล้ว"), "{notice}");
    assert!(
        notice.contains("ชื่อผู้ต้องหาไม่ถูกต้อง &lt;b&gt;"),
        "the reason, escaped"
    );
    assert!(
        !notice.contains("ตั้งจุดตรวจ"),
        "neither the title nor the text stay"
    );
    assert!(notice.contains("noindex"));
    for rel in [
        "index.html",
        "months/2568-03/index.html",
        "departments/traffic/index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
    ] {
        let text = read(&site, rel);
        assert!(!text.contains("ตั้งจุดตรวจ"), "{rel} still lists it");
        assert!(!text.contains("news/1.html"), "{rel} still links it");
    }
    // The other announcement stays listed; the photo is gone from the public site.
    assert!(read(&site, "feed.xml").contains("news/2.html"));
    assert!(files_in(&site.root().join("media")).is_empty());
    // Reopened: still retracted, and it is never published again.
    drop(site);
    let site = Website::open(settings(dir.path())).unwrap();
    assert!(!read(&site, "index.html").contains("news/1.html"));
    assert!(read(&site, "news/1.html").contains("ประกาศนี้ถอนแล้ว"));
    let again = site.publish(&payload, &ctx("key-1")).await;
    assert!(
        matches!(again, Err(crate::PublishError::Rejected(_))),
        "{again:?}"
    );
    let edit = Edit {
        edited_at: utc("2025-03-22T03:00:00Z"),
        revision: 2,
    };
    assert!(matches!(
        site.edit(&receipt(1), &payload, &edit).await,
        Err(crate::PublishError::Rejected(_))
    ));
}

#[tokio::test]
async fn with_remove_the_page_is_gone_and_a_cut_off_retraction_is_finished_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path());
    s.retraction = RetractionPage::Remove;
    let (site, drafts) = two_published(dir.path(), s.clone()).await;
    let payload = site.prepare(&drafts[0]).unwrap();
    site.retract(&receipt(1), &payload, &retraction())
        .await
        .unwrap();
    assert_eq!(files_in(&site.root().join("news")), ["2.html"]);
    drop(site);

    // A retraction cut off after its record: the page and index still show it until the site
    // is opened again.
    let root = s.root.clone();
    let record = root.join("_entries/2.json");
    let mut entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    entry["retracted"] = serde_json::json!({"at": "2025-03-21T03:00:00Z", "reason": "ผิด"});
    std::fs::write(&record, entry.to_string()).unwrap();
    let site = Website::open(s).unwrap();
    assert!(files_in(&site.root().join("news")).is_empty());
    assert!(!read(&site, "index.html").contains("news/2.html"));
    // A retraction of what this site never published has nothing to do.
    site.retract(&receipt(9), &payload, &retraction())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_site_opened_for_composing_refuses_to_correct() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::for_composing(settings(dir.path()));
    let d = &archive(dir.path())[1];
    let payload = site.prepare(d).unwrap();
    let amend = site.amend().expect("the website can correct");
    assert!(amend.can_edit() && amend.can_retract());
    assert!(matches!(
        amend.retract(&receipt(2), &payload, &retraction()).await,
        Err(crate::PublishError::Rejected(_))
    ));
    assert!(!site.root().exists(), "nothing written");
}
