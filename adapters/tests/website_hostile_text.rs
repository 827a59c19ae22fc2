//! The website channel given any text a person (or a broken intake) could send: markup, CDATA
//! terminators, every control character, byte-order marks, bidirectional overrides, lone
//! combining marks, noncharacters. Whatever the title, body, department names and tags:
//!
//! - `feed.xml` and `atom.xml` are well-formed XML, and each text in them is the text given,
//!   less only what XML 1.0 cannot carry (controls, U+FFFE, U+FFFF) and whitespace;
//! - the RSS description is escaped HTML, never markup;
//! - `feed.json` is JSON and carries every text exactly;
//! - every page has the elements of the templates only: no user element, no event-handler
//!   attribute, no link to anything but the site or an http(s) address, and one script (the
//!   JSON-LD, which parses to the title given); its `datetime` attributes are valid HTML
//!   whatever the publish time (a time read from the clock has nanoseconds).
//!
//! The texts are given to the channel as they are, without intake's normalisation: the feed
//! writers must hold on their own.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use prakat_adapters::website::{Website, WebsiteSettings};
use prakat_adapters::{Channel, Department, Draft, PublishContext};
use proptest::prelude::*;
use scraper::Html;

/// Fragments a hostile or careless text is made of.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:alert(1)",
    "\"><b onmouseover=alert(1)>",
    "' onfocus='alert(1)",
    "</title><script>alert(1)</script>",
    "</textarea></style></script>",
    "]]>",
    "<![CDATA[",
    "]]]]><![CDATA[>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x [<!ENTITY e \"boom\">]>&e;",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x1;",
    "&#xFFFE;",
    "&",
    "https://example.test/a?x=1&y=<2>\"",
    "https://example.test/'onmouseover=alert(1)",
    "http://",
    "\\u003cscript\\u003e",
    "\u{202E}gnp.exe",
    "\u{200F}\u{200E}\u{2066}\u{2069}",
    "\u{0E38}\u{0E48}",
    "ก\u{0E48}\u{0E38}",
    "\u{0301}",
    "ผู้ต้องหา",
    "งานจราจร สภ.เมืองระนอง",
    "👮‍♀️🚓",
    "\u{FEFF}",
    "\r\n",
    "\n\n",
];

/// Single characters beyond the fragments: every C0 control, some C1, the separators, the
/// noncharacters, and any scalar value at all.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        2 => any::<char>(),
        3 => proptest::char::range('\0', '\u{1F}'),
        1 => proptest::sample::select(&[
            '\u{7F}', '\u{80}', '\u{85}', '\u{9F}', '\u{2028}', '\u{2029}', '\u{FFFE}',
            '\u{FFFF}', '\u{FFFD}', '\u{FDD0}', '\u{1FFFE}', '\u{10FFFF}', '\u{E000}',
        ][..]),
        2 => proptest::char::range('\u{0E00}', '\u{0E7F}'),
    ]
}

fn hostile_text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        3 => hostile_char().prop_map(String::from),
        1 => "[a-z ]{1,8}",
    ];
    proptest::collection::vec(piece, 1..max_pieces).prop_map(|v| v.concat())
}

/// A title the website takes: something visible, within its 300 characters.
fn hostile_title() -> impl Strategy<Value = String> {
    hostile_text(12).prop_filter("the website needs a title", |t| {
        !t.trim().is_empty() && t.trim().chars().count() <= 300
    })
}

#[derive(Debug, Clone)]
struct Hostile {
    title: String,
    text: String,
    name_th: String,
    name_en: String,
    tags: Vec<String>,
    published_at: DateTime<Utc>,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    (
        hostile_title(),
        hostile_text(40),
        hostile_text(6),
        hostile_text(6),
        proptest::collection::vec(hostile_text(4), 0..3),
        // 2001 to 2096, to the nanosecond.
        (1_000_000_000i64..4_000_000_000, 0u32..1_000_000_000),
    )
        .prop_map(
            |(title, text, name_th, name_en, tags, (secs, nanos))| Hostile {
                title,
                text,
                name_th,
                name_en,
                tags,
                published_at: DateTime::from_timestamp(secs, nanos).unwrap(),
            },
        )
}

/// The text a reader of `s` sees, compared loosely: without controls, whitespace and the two
/// noncharacters (what XML and HTML parsers drop, fold or refuse).
fn visible(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() && !c.is_whitespace() && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect()
}

/// A site in `dir` with one announcement made of `h`.
fn publish(rt: &tokio::runtime::Runtime, dir: &Path, h: &Hostile) -> Website {
    let settings = WebsiteSettings::new(
        dir.join("site"),
        "http://127.0.0.1:8080/site/",
        "สถานีตำรวจภูธรเมืองระนอง",
        "Mueang Ranong Provincial Police Station",
    );
    let site = Website::open(settings).expect("the site opens");
    let draft = Draft {
        announcement_id: 1,
        department: Department {
            code: "traffic".into(),
            name_th: h.name_th.clone(),
            name_en: h.name_en.clone(),
        },
        title: h.title.clone(),
        text: h.text.clone(),
        media: vec![],
        link: None,
        published_at: h.published_at,
        tags: h.tags.clone(),
    };
    let payload = site.prepare(&draft).expect("the draft fits the website");
    rt.block_on(site.publish(&payload, &PublishContext::first(1, "hostile-1")))
        .expect("published");
    site
}

fn read(site: &Website, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn html_pages(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for item in std::fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every element name in `html`.
fn element_names(html: &Html) -> BTreeSet<String> {
    html.tree
        .nodes()
        .filter_map(|n| n.value().as_element().map(|e| e.name().to_owned()))
        .collect()
}

/// The element names the templates make, from a site of plain text with a link in its body.
fn template_elements(rt: &tokio::runtime::Runtime) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let plain = Hostile {
        title: "ตั้งจุดตรวจ".into(),
        text: "บรรทัดแรก\nบรรทัดสอง https://example.test/a\n\nย่อหน้าสอง".into(),
        name_th: "งานจราจร".into(),
        name_en: "Traffic".into(),
        tags: vec!["จราจร".into()],
        published_at: DateTime::from_timestamp(1_742_178_600, 0).unwrap(),
    };
    let site = publish(rt, dir.path(), &plain);
    html_pages(site.root())
        .iter()
        .flat_map(|p| element_names(&Html::parse_document(&std::fs::read_to_string(p).unwrap())))
        .collect()
}

/// The page checks of the module docs, for one page.
fn check_page(
    rel: &str,
    source: &str,
    allowed: &BTreeSet<String>,
    h: &Hostile,
) -> Result<(), TestCaseError> {
    let html = Html::parse_document(source);
    let extra: Vec<_> = element_names(&html).difference(allowed).cloned().collect();
    prop_assert!(
        extra.is_empty(),
        "{rel}: elements no template makes: {extra:?}"
    );
    let mut scripts = 0;
    for node in html.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        for (name, value) in el.attrs() {
            prop_assert!(
                !name.starts_with("on"),
                "{rel}: event handler {name}={value:?}"
            );
            prop_assert!(
                name != "style" && name != "srcdoc",
                "{rel}: attribute {name}"
            );
            if matches!(name, "href" | "src") {
                let scheme = value
                    .split_once(':')
                    .map(|(s, _)| s)
                    .filter(|s| !s.contains('/'));
                prop_assert!(
                    scheme.is_none() || matches!(scheme, Some("http" | "https")),
                    "{rel}: {name}={value:?} is neither on the site nor http(s)"
                );
            }
        }
        if let Some(at) = el.attr("datetime") {
            prop_assert!(
                valid_html_datetime(at),
                "{rel}: datetime={at:?} is not an HTML date and time"
            );
        }
        if el.name() == "script" {
            scripts += 1;
            prop_assert_eq!(el.attr("type"), Some("application/ld+json"), "{}", rel);
            let text: String = scraper::ElementRef::wrap(node).unwrap().text().collect();
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                TestCaseError::fail(format!("{rel}: JSON-LD does not parse: {e}\n{text}"))
            })?;
            if rel == "news/1.html" {
                prop_assert_eq!(json["headline"].as_str(), Some(h.title.trim()));
            }
        }
    }
    if rel == "news/1.html" {
        prop_assert_eq!(scripts, 1, "{}", rel);
        let h1 = scraper::Selector::parse("h1").unwrap();
        let headline: String = html.select(&h1).flat_map(|e| e.text()).collect();
        prop_assert_eq!(visible(&headline), visible(&h.title));
    }
    Ok(())
}

/// Whether `s` is a global date and time as HTML defines it: RFC 3339 with at most three
/// digits of a second's fraction.
fn valid_html_datetime(s: &str) -> bool {
    let fraction_digits = s.split_once('.').map_or(0, |(_, rest)| {
        rest.bytes().take_while(u8::is_ascii_digit).count()
    });
    DateTime::parse_from_rfc3339(s).is_ok() && fraction_digits <= 3
}

/// The element at `path` below the root element, each step the first child of that name.
fn child<'a>(doc: &'a roxmltree::Document, path: &[&str]) -> Option<roxmltree::Node<'a, 'a>> {
    let mut node = doc.root_element();
    for name in path {
        node = node.children().find(|n| n.tag_name().name() == *name)?;
    }
    Some(node)
}

fn check_feeds(site: &Website, h: &Hostile) -> Result<(), TestCaseError> {
    let title = h.title.trim();

    let rss = read(site, "feed.xml");
    let doc = roxmltree::Document::parse(&rss)
        .map_err(|e| TestCaseError::fail(format!("feed.xml is not XML: {e}\n{rss}")))?;
    let item = |name: &str| {
        child(&doc, &["channel", "item", name])
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    prop_assert_eq!(visible(&item("title")), visible(title));
    prop_assert_eq!(visible(&item("category")), visible(&h.name_th));
    prop_assert!(
        !item("description").contains('<'),
        "RSS description carries markup: {:?}",
        item("description")
    );

    let atom = read(site, "atom.xml");
    let doc = roxmltree::Document::parse(&atom)
        .map_err(|e| TestCaseError::fail(format!("atom.xml is not XML: {e}\n{atom}")))?;
    let entry_title = child(&doc, &["entry", "title"])
        .and_then(|n| n.text())
        .unwrap_or_default();
    prop_assert_eq!(visible(entry_title), visible(title));
    let label = child(&doc, &["entry", "category"])
        .and_then(|n| n.attribute("label"))
        .unwrap_or_default();
    prop_assert_eq!(visible(label), visible(&h.name_th));

    let json = read(site, "feed.json");
    let feed: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("feed.json is not JSON: {e}\n{json}")))?;
    let item = &feed["items"][0];
    prop_assert_eq!(item["title"].as_str(), Some(title));
    prop_assert_eq!(item["content_text"].as_str(), Some(h.text.as_str()));
    let mut tags = vec![h.name_th.as_str()];
    tags.extend(h.tags.iter().map(String::as_str));
    let got: Vec<&str> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    prop_assert_eq!(got, tags);
    Ok(())
}

#[test]
fn any_text_gives_well_formed_feeds_and_pages_without_user_markup() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let allowed = template_elements(&rt);
    let config = ProptestConfig {
        cases: 256,
        // Run through a TestRunner (one runtime and one template site for all cases), which
        // has no source file to keep failing cases beside; a failure prints its input.
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest::test_runner::TestRunner::new(config)
        .run(&hostile(), |h| {
            let dir = tempfile::tempdir().unwrap();
            let site = publish(&rt, dir.path(), &h);
            check_feeds(&site, &h)?;
            for path in html_pages(site.root()) {
                let rel = path
                    .strip_prefix(site.root())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let source = std::fs::read_to_string(&path).unwrap();
                for raw in [
                    "<script>",
                    "<img src=x",
                    "<svg",
                    "</title><",
                    "<b onmouseover",
                ] {
                    prop_assert!(
                        !source.contains(raw),
                        "{rel} carries the user's {raw:?} raw"
                    );
                }
                check_page(&rel, &source, &allowed, &h)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_xml_parser_refuses_what_xml_cannot_carry() {
    // The feed property means something only if the parser it uses refuses these.
    for bad in [
        "\u{0}", "\u{B}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "&#x1;", "&#0;", "]]>",
    ] {
        let doc = format!("<a>{bad}</a>");
        assert!(
            roxmltree::Document::parse(&doc).is_err(),
            "{doc:?} was taken"
        );
    }
}

#[test]
fn a_publish_time_read_from_the_clock_gives_valid_datetime_attributes() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let h = Hostile {
        title: "ประกาศ".into(),
        text: "ข้อความ".into(),
        name_th: "งานจราจร".into(),
        name_en: "Traffic".into(),
        tags: vec![],
        published_at: DateTime::from_timestamp(1_764_535_227, 304_600_341).unwrap(),
    };
    let site = publish(&rt, dir.path(), &h);
    for rel in [
        "news/1.html",
        "index.html",
        "departments/traffic/index.html",
    ] {
        let html = Html::parse_document(&read(&site, rel));
        let times = scraper::Selector::parse("time[datetime]").unwrap();
        let values: Vec<&str> = html
            .select(&times)
            .filter_map(|t| t.attr("datetime"))
            .collect();
        assert!(!values.is_empty(), "{rel}: no time element");
        for v in values {
            assert_eq!(v, "2025-12-01T03:40:27+07:00", "{rel}");
        }
    }
}
