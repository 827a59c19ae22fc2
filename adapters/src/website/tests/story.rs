//! One archive, published and read back.

use std::collections::BTreeSet;
use std::io::BufReader;

use super::*;
use crate::{Idempotency, PublishError};

async fn published_archive() -> (tempfile::TempDir, Website, Vec<Draft>) {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let drafts = archive(dir.path());
    for (i, d) in drafts.iter().enumerate() {
        let r = publish(&site, d, &format!("key-{}", i + 1)).await;
        assert_eq!(
            r.remote_id.as_deref(),
            Some(d.announcement_id.to_string().as_str())
        );
        assert_eq!(r.url, Some(site.page_url(d.announcement_id)));
        assert!(!r.deduplicated);
    }
    (dir, site, drafts)
}

#[tokio::test]
async fn each_announcement_has_one_page_one_record_and_its_media() {
    let (_dir, site, _) = published_archive().await;
    assert_eq!(site.kind(), "website");
    assert_eq!(site.idempotency(), Idempotency::Native);
    assert_eq!(
        files_in(&site.root().join("news")),
        ["1.html", "2.html", "3.html", "4.html"]
    );
    assert_eq!(
        files_in(&site.root().join("_entries")),
        ["1.json", "2.json", "3.json", "4.json"]
    );
    assert_eq!(files_in(&site.root().join("media")).len(), 2);
    assert_eq!(site.page_url(1), "http://127.0.0.1:8080/site/news/1.html");
    assert_eq!(
        Website::page_url_for("http://h/site", 7),
        "http://h/site/news/7.html"
    );
    let health = site.healthcheck().await.unwrap();
    assert_eq!(
        health.summary,
        format!("website: writing to {}, 4 pages", site.root().display())
    );
}

#[tokio::test]
async fn user_text_is_escaped_everywhere_and_never_raw() {
    let (_dir, site, _) = published_archive().await;
    for rel in [
        "news/1.html",
        "index.html",
        "departments/traffic/index.html",
        "months/2568-03/index.html",
    ] {
        let html = read(&site, rel);
        assert!(!html.contains("<script>alert"), "{rel} has the raw title");
        assert!(
            html.contains("ตั้งจุดตรวจ &lt;script&gt;alert(1)&lt;/script&gt; &amp; ด่านชุมชน"),
            "{rel}"
        );
    }
    let page = read(&site, "news/1.html");
    // The link is a link, with its query escaped; the `<2>` after it is text, not markup.
    assert!(
        page.contains(r#"<a href="https://ranong.police.go.th/a?x=1&amp;y=" rel="nofollow">"#),
        "{page}"
    );
    assert!(page.contains("&lt;2&gt; ครับ"));
    // JSON-LD holds the title with <, > and & as \u escapes, and parses back to the title.
    let start = page.find(r#"<script type="application/ld+json">"#).unwrap();
    let json = &page[start..][35..];
    let json = &json[..json.find("</script>").unwrap()];
    assert!(!json.contains('<'));
    let ld: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        ld["headline"],
        "ตั้งจุดตรวจ <script>alert(1)</script> & ด่านชุมชน"
    );
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["datePublished"], "2025-03-17T09:30:00+07:00");
}

#[tokio::test]
async fn pages_show_thai_buddhist_era_dates_in_bangkok_time() {
    let (_dir, site, _) = published_archive().await;
    let one = read(&site, "news/1.html");
    assert!(one.contains("วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น."), "{one}");
    assert!(one.contains("งานจราจร"));
    assert!(
        one.contains(r#"<img src="../media/"#) && one.contains(r#"alt="ตั้งจุดตรวจ &lt;script&gt;"#)
    );
    // 31 Mar 18:00 UTC is 1 Apr 01:00 in Bangkok: the page, and the month, say April.
    let three = read(&site, "news/3.html");
    assert!(three.contains("วันที่ ๑ เมษายน ๒๕๖๘ เวลา ๐๑.๐๐ น."), "{three}");
    assert!(read(&site, "months/2568-04/index.html").contains("news/3.html"));
    assert!(!read(&site, "months/2568-03/index.html").contains("news/3.html"));
    assert!(read(&site, "news/4.html").contains("<video controls"));
}

#[tokio::test]
async fn the_month_page_groups_that_months_news_by_department() {
    let (_dir, site, _) = published_archive().await;
    let march = read(&site, "months/2568-03/index.html");
    assert!(march.contains("ข่าวประจำเดือนมีนาคม ๒๕๖๘"));
    let inv = march
        .find(r#"<section class="department" id="investigation">"#)
        .expect("investigation section");
    let tra = march
        .find(r#"<section class="department" id="traffic">"#)
        .expect("traffic section");
    assert!(inv < tra);
    assert!(march[inv..tra].contains("news/2.html") && !march[inv..tra].contains("news/1.html"));
    assert!(march[tra..].contains("news/1.html") && !march[tra..].contains("news/2.html"));
    assert!(!march.contains("news/4.html"));
}

#[tokio::test]
async fn home_and_department_pages_index_months_by_fiscal_year() {
    let (_dir, site, _) = published_archive().await;
    let home = read(&site, "index.html");
    let fy69 = home.find("ปีงบประมาณ พ.ศ. ๒๕๖๙").expect("FY 2569");
    let fy68 = home.find("ปีงบประมาณ พ.ศ. ๒๕๖๘").expect("FY 2568");
    assert!(fy69 < fy68, "newest fiscal year first");
    assert!(home[fy69..fy68].contains("ตุลาคม ๒๕๖๘"));
    assert!(home[fy68..].contains("เมษายน ๒๕๖๘") && home[fy68..].contains("มีนาคม ๒๕๖๘"));
    assert!(
        home.contains(r#"href="departments/traffic/""#)
            && home.contains(r#"href="departments/investigation/""#)
    );
    let traffic = read(&site, "departments/traffic/index.html");
    assert!(traffic.find("เมษายน ๒๕๖๘").unwrap() < traffic.find("มีนาคม ๒๕๖๘").unwrap());
    assert!(
        traffic.contains("news/1.html")
            && traffic.contains("news/3.html")
            && !traffic.contains("news/2.html")
    );
    assert!(traffic.contains(r#"href="../../departments/traffic/2568/#m2568-04""#));
    // The department's page for fiscal year 2568: its entries by month, newest month first.
    let fy68 = read(&site, "departments/traffic/2568/index.html");
    assert!(fy68.contains("งานจราจร ปีงบประมาณ พ.ศ. ๒๕๖๘"));
    let april = fy68
        .find(r#"<section class="month" id="m2568-04">"#)
        .expect("April");
    let march = fy68
        .find(r#"<section class="month" id="m2568-03">"#)
        .expect("March");
    assert!(april < march);
    assert!(fy68[april..march].contains("news/3.html") && fy68[march..].contains("news/1.html"));
    let inv69 = read(&site, "departments/investigation/2569/index.html");
    assert!(inv69.contains("news/4.html") && !inv69.contains("news/2.html"));
    assert!(read(&site, "months/index.html").contains("ปีงบประมาณ พ.ศ. ๒๕๖๙"));
    assert!(read(&site, "departments/index.html").contains("งานสืบสวน"));
    assert!(read(&site, "style.css").contains("\"Sarabun\", \"Noto Sans Thai\""));
}

fn feed_ids(site: &Website) -> [Vec<String>; 3] {
    let rss = rss::Channel::read_from(BufReader::new(
        std::fs::File::open(site.root().join("feed.xml")).unwrap(),
    ))
    .unwrap();
    let atom = atom_syndication::Feed::read_from(BufReader::new(
        std::fs::File::open(site.root().join("atom.xml")).unwrap(),
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&read(site, "feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    [
        rss.items()
            .iter()
            .map(|i| i.guid().unwrap().value().to_owned())
            .collect(),
        atom.entries().iter().map(|e| e.id().to_owned()).collect(),
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect(),
    ]
}

#[tokio::test]
async fn feeds_parse_back_with_each_item_once_newest_first() {
    let (_dir, site, _) = published_archive().await;
    let expected: Vec<String> = [4, 3, 2, 1].iter().map(|&id| site.page_url(id)).collect();
    for ids in feed_ids(&site) {
        assert_eq!(ids, expected);
    }
    let rss = read(&site, "feed.xml");
    assert!(
        rss.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
        "{rss}"
    );
}

#[tokio::test]
async fn publishing_again_overwrites_and_says_it_was_a_repeat() {
    let (dir, site, drafts) = published_archive().await;
    let again = publish(&site, &drafts[0], "key-1").await;
    assert!(again.deduplicated);
    assert_eq!(again.url, Some(site.page_url(1)));
    let other_delivery = publish(&site, &drafts[0], "key-other").await;
    assert!(!other_delivery.deduplicated);
    assert_eq!(files_in(&site.root().join("news")).len(), 4);
    assert_eq!(files_in(&site.root().join("_entries")).len(), 4);
    for ids in feed_ids(&site) {
        assert_eq!(ids.len(), 4);
        assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 4);
    }
    assert_eq!(read(&site, "index.html").matches("news/1.html").count(), 1);

    // Moving an announcement to another department and month rewrites both old pages.
    let mut moved = drafts[1].clone();
    moved.department = traffic();
    moved.published_at = utc("2025-04-02T03:00:00Z");
    publish(&site, &moved, "key-2b").await;
    assert!(!read(&site, "departments/investigation/index.html").contains("news/2.html"));
    assert!(!read(&site, "months/2568-03/index.html").contains("news/2.html"));
    assert!(read(&site, "months/2568-04/index.html").contains("news/2.html"));
    drop(dir);
}

#[tokio::test]
async fn open_rebuilds_identical_indexes_and_missing_pages() {
    let (dir, site, _) = published_archive().await;
    let names = [
        "index.html",
        "months/2568-03/index.html",
        "departments/traffic/index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
    ];
    let before: Vec<String> = names.iter().map(|n| read(&site, n)).collect();
    let page_before = read(&site, "news/3.html");
    drop(site);
    for n in names {
        std::fs::remove_file(dir.path().join("site").join(n)).unwrap();
    }
    std::fs::remove_file(dir.path().join("site/news/3.html")).unwrap();
    let page_2 = std::fs::read_to_string(dir.path().join("site/news/2.html")).unwrap();
    std::fs::write(dir.path().join("site/news/2.html"), "").unwrap();
    std::fs::write(
        dir.path().join("site/news/.prakat-tmp-9.html-1-1"),
        "half a page",
    )
    .unwrap();

    let site = Website::open(settings(dir.path())).unwrap();
    let after: Vec<String> = names.iter().map(|n| read(&site, n)).collect();
    assert_eq!(before, after);
    assert_eq!(read(&site, "news/3.html"), page_before);
    assert_eq!(read(&site, "news/2.html"), page_2);
    assert_eq!(
        files_in(&site.root().join("news")),
        ["1.html", "2.html", "3.html", "4.html"]
    );
}

#[tokio::test]
async fn a_missing_media_file_is_a_rejection_and_a_full_disk_is_transient() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let mut d = draft(9, traffic(), "หัวข้อ", "ข้อความ", "2025-03-17T02:30:00Z");
    let mut m = media(dir.path(), "gone.jpg", MediaKind::Image, b"x");
    std::fs::remove_file(&m.path).unwrap();
    d.media = vec![m.clone()];
    let payload = site.prepare(&d).unwrap();
    let err = site.publish(&payload, &ctx("k")).await.unwrap_err();
    assert!(
        matches!(err, PublishError::Rejected(ref msg) if msg.contains("ไม่พบไฟล์สื่อ")),
        "{err:?}"
    );

    // A directory where the record should go: the write fails as it would on a full disk.
    m = media(dir.path(), "here.jpg", MediaKind::Image, b"y");
    d.media = vec![m];
    std::fs::create_dir_all(site.root().join("_entries/9.json")).unwrap();
    let err = site
        .publish(&site.prepare(&d).unwrap(), &ctx("k"))
        .await
        .unwrap_err();
    assert!(matches!(err, PublishError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn concurrent_publishes_all_land_in_the_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let mut tasks = Vec::new();
    for id in 1..=12 {
        let site = site.clone();
        tasks.push(tokio::spawn(async move {
            let dept = if id % 2 == 0 {
                traffic()
            } else {
                investigation()
            };
            let d = draft(
                id,
                dept,
                &format!("ข่าว {id}"),
                "ข้อความ",
                "2025-03-17T02:30:00Z",
            );
            publish(&site, &d, &format!("k{id}")).await
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for ids in feed_ids(&site) {
        assert_eq!(ids.len(), 12);
    }
    let march = read(&site, "months/2568-03/index.html");
    assert_eq!(
        (1..=12)
            .filter(|id| march.contains(&format!("news/{id}.html\"")))
            .count(),
        12
    );
}

/// Publishes that arrive while the index pages are being written wait, and one rewrite then
/// serves all of them: a burst does not render the month page once per publish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_waiting_for_the_indexes_share_one_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let inner = site.site("test").unwrap();
    // Another thread holds the index writer until told to let go.
    let (holder, release_tx) = hold_index_writer(&inner);
    let mut tasks = Vec::new();
    for id in 1..=8 {
        let site = site.clone();
        tasks.push(tokio::spawn(async move {
            let d = draft(
                id,
                traffic(),
                &format!("ข่าว {id}"),
                "ข้อความ",
                "2025-03-17T02:30:00Z",
            );
            publish(&site, &d, &format!("k{id}")).await
        }));
    }
    // Every record is written; every publish now waits for the index writer.
    while inner.index_counters().0 < 8 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(inner.index_counters().1, 0, "no index written while held");
    release_tx.send(()).unwrap();
    holder.join().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(
        inner.index_counters().1,
        1,
        "one rewrite for the eight publishes"
    );
    let march = read(&site, "months/2568-03/index.html");
    assert_eq!(
        (1..=8)
            .filter(|id| march.contains(&format!("news/{id}.html\"")))
            .count(),
        8
    );
    for ids in feed_ids(&site) {
        assert_eq!(ids.len(), 8);
    }
}

#[tokio::test]
async fn the_article_page_matches_its_snapshot() {
    let (_dir, site, _) = published_archive().await;
    insta::assert_snapshot!("article_page", read(&site, "news/1.html"));
}

#[tokio::test]
async fn arabic_digits_and_template_overrides_come_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>{{ entry.title }}</h1>\
         <p>{{ entry.published_at | thai_datetime(digits) }}</p>{% endblock %}",
    )
    .unwrap();
    let mut s = settings(dir.path());
    s.digits = crate::thai::Digits::Arabic;
    s.templates_dir = Some(templates);
    let site = Website::open(s).unwrap();
    let d = draft(1, traffic(), "A & B", "x", "2025-03-17T02:30:00Z");
    publish(&site, &d, "k").await;
    let page = read(&site, "news/1.html");
    assert!(
        page.contains("<h1>A &amp; B</h1><p>วันที่ 17 มีนาคม 2568 เวลา 09.30 น.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<!doctype html>"),
        "the embedded base.html is still used"
    );
    assert!(read(&site, "months/2568-03/index.html").contains("(1 เรื่อง)"));
}

/// A vertical tab pasted from Word and a NUL from a file kept every feed from parsing; markup in
/// the text reached RSS readers as markup.
#[tokio::test]
async fn control_characters_and_markup_never_break_or_inject_into_the_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let site = Website::open(settings(dir.path())).unwrap();
    let d = draft(
        9,
        traffic(),
        "ปิดถนน\u{0B}ชั่วคราว\u{0}",
        "ราคา <500 บาท <img src=x onerror=alert(1)>\u{0B}บรรทัดใหม่\u{1F}\u{FFFF} <a href=\"javascript:alert(1)\">คลิก</a>",
        "2025-03-17T02:30:00Z",
    );
    publish(&site, &d, "key-9").await;

    let rss = rss::Channel::read_from(BufReader::new(
        std::fs::File::open(site.root().join("feed.xml")).unwrap(),
    ))
    .expect("feed.xml is well-formed");
    let atom = atom_syndication::Feed::read_from(BufReader::new(
        std::fs::File::open(site.root().join("atom.xml")).unwrap(),
    ))
    .expect("atom.xml is well-formed");
    let item = &rss.items()[0];
    assert_eq!(item.title(), Some("ปิดถนน ชั่วคราว"));
    let description = item.description().unwrap();
    assert!(
        description.contains("ราคา &lt;500 บาท &lt;img src=x onerror=alert(1)&gt;")
            && description.contains("&lt;a href=&quot;javascript:alert(1)&quot;&gt;"),
        "the description is escaped HTML, never markup: {description}"
    );
    assert!(!description.contains("<img") && !description.contains('\u{1F}'));
    assert_eq!(atom.entries()[0].title().as_str(), "ปิดถนน ชั่วคราว");
    serde_json::from_str::<serde_json::Value>(&read(&site, "feed.json")).expect("feed.json parses");
}
