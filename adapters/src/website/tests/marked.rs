//! The mark of current index pages: a site opened again with nothing changed writes no index
//! page; a stale or missing mark, a missing index page, changed settings or a record changed
//! behind the site's back each make opening rebuild them. "Written" is told by each file's
//! inode and modification time: every page is replaced by a rename, so a rewritten page is a
//! new file, whatever the clock did.

use std::os::unix::fs::MetadataExt;

use super::*;
use crate::website::mark::MARK;

/// Every index page and feed of the story's archive.
const INDEX_PAGES: &[&str] = &[
    "index.html",
    "departments/index.html",
    "months/index.html",
    "departments/traffic/index.html",
    "departments/traffic/2568/index.html",
    "departments/investigation/index.html",
    "departments/investigation/2569/index.html",
    "months/2568-03/index.html",
    "months/2568-04/index.html",
    "months/2568-10/index.html",
    "feed.xml",
    "atom.xml",
    "feed.json",
];

/// A file's identity and modification time, to the nanosecond.
fn stamp(root: &Path, rel: &str) -> (u64, i64, i64) {
    let m = std::fs::metadata(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (m.ino(), m.mtime(), m.mtime_nsec())
}

fn stamps(root: &Path) -> Vec<(u64, i64, i64)> {
    INDEX_PAGES.iter().map(|rel| stamp(root, rel)).collect()
}

/// The story's archive published, the site closed: its root.
async fn closed_archive(dir: &Path) -> PathBuf {
    let site = Website::open(settings(dir)).unwrap();
    for (i, d) in archive(dir).iter().enumerate() {
        publish(&site, d, &format!("key-{}", i + 1)).await;
    }
    assert!(site.root().join(MARK).is_file(), "publishing left a mark");
    site.root().to_owned()
}

/// Whether opening with `s` rewrote the home page, the month page and the feed (the pages
/// every rebuild writes); asserts the mark is there afterwards.
fn open_rewrites(s: WebsiteSettings) -> bool {
    let root = s.root.clone();
    let watched = ["index.html", "months/2568-03/index.html", "feed.xml"];
    let before: Vec<_> = watched
        .iter()
        .map(|rel| std::fs::metadata(root.join(rel)).ok().map(|m| m.ino()))
        .collect();
    let site = Website::open(s).unwrap();
    assert!(site.root().join(MARK).is_file(), "opening left a mark");
    let after: Vec<_> = watched
        .iter()
        .map(|rel| Some(stamp(&root, rel).0))
        .collect();
    let rewritten = before.iter().zip(&after).filter(|(b, a)| b != a).count();
    assert!(
        rewritten == 0 || rewritten == watched.len(),
        "a rebuild writes all of {watched:?}, an open of a current site none"
    );
    rewritten == watched.len()
}

#[tokio::test]
async fn a_current_site_is_not_rewritten_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    let before = stamps(&root);
    let mark_before = stamp(&root, MARK);
    let pages_before: Vec<_> = (1..=4)
        .map(|id| stamp(&root, &format!("news/{id}.html")))
        .collect();

    let site = Website::open(settings(dir.path())).unwrap();
    assert_eq!(stamps(&root), before, "no index page or feed written");
    assert_eq!(stamp(&root, MARK), mark_before, "the mark left as it was");
    let pages_after: Vec<_> = (1..=4)
        .map(|id| stamp(&root, &format!("news/{id}.html")))
        .collect();
    assert_eq!(pages_after, pages_before, "no article page written");

    // The site opened without a rebuild still knows its entries: the next publish lists them
    // all, and leaves a mark again.
    publish(
        &site,
        &draft(5, traffic(), "ข่าวใหม่", "ข้อความ", "2025-03-25T02:00:00Z"),
        "key-5",
    )
    .await;
    let march = read(&site, "months/2568-03/index.html");
    for id in [1, 2, 5] {
        assert!(
            march.contains(&format!("news/{id}.html\"")),
            "{id}: {march}"
        );
    }
    assert!(read(&site, "index.html").contains("news/4.html\""));
    assert_ne!(stamp(&root, "index.html"), before[0]);
    assert!(root.join(MARK).is_file());
    drop(site);
    assert!(!open_rewrites(settings(dir.path())));
}

#[tokio::test]
async fn a_stale_mark_makes_opening_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    let good = std::fs::read_to_string(root.join(MARK)).unwrap();
    std::fs::write(root.join(MARK), "v1 00000000000000000000000000000000\n").unwrap();
    assert!(open_rewrites(settings(dir.path())));
    assert_eq!(std::fs::read_to_string(root.join(MARK)).unwrap(), good);
}

#[tokio::test]
async fn a_missing_mark_makes_opening_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    std::fs::remove_file(root.join(MARK)).unwrap();
    assert!(open_rewrites(settings(dir.path())));
    // And once rebuilt, the next opening has nothing to do.
    assert!(!open_rewrites(settings(dir.path())));
}

#[tokio::test]
async fn a_missing_or_empty_index_page_makes_opening_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    let year_page = "departments/investigation/2569/index.html";
    let year_html = std::fs::read_to_string(root.join(year_page)).unwrap();
    std::fs::remove_file(root.join(year_page)).unwrap();
    assert!(open_rewrites(settings(dir.path())));
    assert_eq!(
        std::fs::read_to_string(root.join(year_page)).unwrap(),
        year_html
    );

    // A power cut can keep a page's rename and lose its data.
    std::fs::write(root.join("atom.xml"), "").unwrap();
    assert!(open_rewrites(settings(dir.path())));
    assert!(
        !std::fs::read_to_string(root.join("atom.xml"))
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn changed_settings_or_templates_make_opening_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    closed_archive(dir.path()).await;
    let mut renamed = settings(dir.path());
    renamed.station_name_th = "สถานีตำรวจภูธรกะเปอร์".into();
    assert!(open_rewrites(renamed.clone()));
    let home = std::fs::read_to_string(renamed.root.join("index.html")).unwrap();
    assert!(home.contains("สถานีตำรวจภูธรกะเปอร์"));
    assert!(!open_rewrites(renamed.clone()));

    // A template override appears in the templates directory.
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let mut overridden = renamed.clone();
    overridden.templates_dir = Some(templates.clone());
    assert!(
        open_rewrites(overridden.clone()),
        "the directory is a setting"
    );
    std::fs::write(
        templates.join("month.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>เดือน {{ month.label }}</h1>{% endblock %}",
    )
    .unwrap();
    assert!(open_rewrites(overridden.clone()), "a template changed");
    let march = std::fs::read_to_string(overridden.root.join("months/2568-03/index.html")).unwrap();
    assert!(march.contains("<h1>เดือน "), "{march}");
    assert!(!open_rewrites(overridden));
}

#[tokio::test]
async fn a_record_changed_behind_the_site_makes_opening_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    let record = root.join("_entries/2.json");
    let mut entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    entry["title"] = "หัวข้อที่แก้ในแฟ้ม".into();
    std::fs::write(&record, format!("{entry:#}")).unwrap();
    assert!(open_rewrites(settings(dir.path())));
    let march = std::fs::read_to_string(root.join("months/2568-03/index.html")).unwrap();
    assert!(march.contains("หัวข้อที่แก้ในแฟ้ม"), "{march}");
}

/// Between a record and the index pages that show it, there is no mark: a process killed
/// there leaves a site that opening rebuilds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_mark_while_a_record_is_ahead_of_the_index_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = closed_archive(dir.path()).await;
    let site = Website::open(settings(dir.path())).unwrap();
    assert!(root.join(MARK).is_file());
    let inner = site.site("test").unwrap();
    let (holder, release_tx) = hold_index_writer(&inner);
    let (taken_before, _) = inner.index_counters();
    let task = {
        let site = site.clone();
        tokio::spawn(async move {
            let d = draft(6, traffic(), "ข่าวที่หก", "ข้อความ", "2025-03-26T02:00:00Z");
            publish(&site, &d, "key-6").await
        })
    };
    // The record is written; the publish waits for the index writer.
    while inner.index_counters().0 == taken_before {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(root.join("_entries/6.json").is_file());
    assert!(
        !root.join(MARK).exists(),
        "a record ahead of the indexes, and a mark"
    );

    // Killed here: the indexes would be rebuilt on opening. Instead the writer lets go, the
    // publish ends, and the mark is back.
    release_tx.send(()).unwrap();
    holder.join().unwrap();
    task.await.unwrap();
    assert!(root.join(MARK).is_file());
    assert!(read(&site, "months/2568-03/index.html").contains("news/6.html\""));
}
