//! The site's feeds, built from the newest entries: RSS 2.0 (`feed.xml`, the `rss` crate),
//! Atom (`atom.xml`, `atom_syndication`) and JSON Feed 1.1 (`feed.json`, serde_json). Pure:
//! entries in, bytes out. Times are given in Bangkok time (+07:00).
//!
//! What must never happen here: a feed that is not well-formed. Every text that goes into the
//! XML feeds passes [`xml_text`], which drops the characters XML 1.0 cannot carry (a vertical
//! tab pasted from Word, a NUL from a file), whatever intake let through; RSS's description is
//! HTML escaped the way the pages escape it, so a reader never renders user text as markup.

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use super::entry::Entry;
use super::error::WebsiteError;
use super::paths;
use super::settings::WebsiteSettings;
use crate::MediaKind;

fn bangkok_fixed(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    crate::thai::bangkok(at).fixed_offset()
}

/// `s` without the characters XML 1.0 forbids (controls other than tab, newline and carriage
/// return; U+FFFE and U+FFFF). Line-breaking controls become a space.
pub(crate) fn xml_text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(c),
            '\u{0B}' | '\u{0C}' | '\u{85}' => Some(' '),
            c if (c as u32) < 0x20 => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

fn description(s: &WebsiteSettings) -> String {
    format!(
        "ข่าวประชาสัมพันธ์และผลการปฏิบัติงานของ{} ({})",
        s.station_name_th, s.station_name_en
    )
}

/// RSS 2.0. `entries` are newest first.
pub fn rss(s: &WebsiteSettings, entries: &[&Entry]) -> Result<Vec<u8>, WebsiteError> {
    let items = entries
        .iter()
        .map(|e| rss::Item {
            title: Some(xml_text(&e.title)),
            link: Some(e.url.clone()),
            description: Some(super::templates::escaped(&xml_text(&e.summary))),
            categories: vec![rss::Category {
                name: xml_text(&e.department.name_th),
                domain: None,
            }],
            guid: Some(rss::Guid {
                value: e.url.clone(),
                permalink: true,
            }),
            pub_date: Some(bangkok_fixed(e.published_at).to_rfc2822()),
            enclosure: e.media.first().map(|m| rss::Enclosure {
                url: paths::absolute(&s.base_url, &paths::media(&m.name)),
                length: m.size.to_string(),
                mime_type: m.mime.clone(),
            }),
            ..Default::default()
        })
        .collect();
    let channel = rss::Channel {
        title: xml_text(&s.station_name_th),
        link: paths::absolute(&s.base_url, ""),
        description: description(s),
        language: Some("th".to_owned()),
        generator: Some("prakat".to_owned()),
        last_build_date: entries
            .first()
            .map(|e| bangkok_fixed(e.published_at).to_rfc2822()),
        items,
        ..Default::default()
    };
    channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|e| WebsiteError::Serialize {
            what: paths::RSS,
            message: e.to_string(),
        })
}

/// Atom 1.0. `entries` are newest first.
pub fn atom(s: &WebsiteSettings, entries: &[&Entry]) -> Result<Vec<u8>, WebsiteError> {
    let home = paths::absolute(&s.base_url, "");
    let station = atom::Person {
        name: s.station_name_th.clone(),
        uri: Some(home.clone()),
        ..Default::default()
    };
    let link = |href: String, rel: &str, mime: Option<&str>| atom::Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Default::default()
    };
    let atom_entries = entries
        .iter()
        .map(|e| {
            let mut links = vec![link(e.url.clone(), "alternate", Some("text/html"))];
            links.extend(e.media.iter().map(|m| atom::Link {
                length: Some(m.size.to_string()),
                ..link(
                    paths::absolute(&s.base_url, &paths::media(&m.name)),
                    "enclosure",
                    Some(&m.mime),
                )
            }));
            atom::Entry {
                title: atom::Text::plain(xml_text(&e.title)),
                id: e.url.clone(),
                updated: bangkok_fixed(e.published_at),
                published: Some(bangkok_fixed(e.published_at)),
                summary: Some(atom::Text::plain(xml_text(&e.summary))),
                categories: vec![atom::Category {
                    term: e.department.code.clone(),
                    scheme: None,
                    label: Some(xml_text(&e.department.name_th)),
                }],
                links,
                ..Default::default()
            }
        })
        .collect();
    let feed = atom::Feed {
        title: atom::Text::plain(xml_text(&s.station_name_th)),
        subtitle: Some(atom::Text::plain(description(s))),
        id: home.clone(),
        updated: entries.first().map_or_else(
            || bangkok_fixed(DateTime::UNIX_EPOCH),
            |e| bangkok_fixed(e.published_at),
        ),
        authors: vec![station],
        links: vec![
            link(
                paths::absolute(&s.base_url, paths::ATOM),
                "self",
                Some("application/atom+xml"),
            ),
            link(home, "alternate", Some("text/html")),
        ],
        lang: Some("th".to_owned()),
        entries: atom_entries,
        ..Default::default()
    };
    feed.write_to(Vec::new())
        .map_err(|e| WebsiteError::Serialize {
            what: paths::ATOM,
            message: e.to_string(),
        })
}

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// JSON Feed 1.1. `entries` are newest first.
pub fn json_feed(s: &WebsiteSettings, entries: &[&Entry]) -> Result<Vec<u8>, WebsiteError> {
    // Values are built by hand: `json!` goes through the generic serializer for every field,
    // which a debug build compiles unoptimised, and this runs on every publish.
    let text = |v: &str| Value::String(v.to_owned());
    let media_url = |name: &str| Value::String(paths::absolute(&s.base_url, &paths::media(name)));
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            let tags = std::iter::once(&e.department.name_th)
                .chain(&e.tags)
                .map(|t| text(t))
                .collect();
            let mut item = object([
                ("id", text(&e.url)),
                ("url", text(&e.url)),
                ("title", text(&e.title)),
                ("content_text", text(&e.text)),
                ("summary", text(&e.summary)),
                (
                    "date_published",
                    Value::String(bangkok_fixed(e.published_at).to_rfc3339()),
                ),
                ("tags", Value::Array(tags)),
                (
                    "_prakat",
                    object([
                        ("announcement_id", Value::from(e.id)),
                        ("department", text(&e.department.code)),
                    ]),
                ),
            ]);
            if let Some(img) = e.media.iter().find(|m| m.kind == MediaKind::Image) {
                item["image"] = media_url(&img.name);
            }
            if !e.media.is_empty() {
                let attachments = e.media.iter().map(|m| {
                    object([
                        ("url", media_url(&m.name)),
                        ("mime_type", text(&m.mime)),
                        ("size_in_bytes", Value::from(m.size)),
                    ])
                });
                item["attachments"] = Value::Array(attachments.collect());
            }
            item
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": s.station_name_th,
        "description": description(s),
        "home_page_url": paths::absolute(&s.base_url, ""),
        "feed_url": paths::absolute(&s.base_url, paths::JSON_FEED),
        "language": "th",
        "authors": [{ "name": s.station_name_th, "url": paths::absolute(&s.base_url, "") }],
        "items": items,
    });
    // `{:#}` is serde_json's own pretty printer: compiled (optimised) in serde_json, so fast
    // even in a debug build, unlike the generic `to_vec_pretty` compiled here.
    Ok(format!("{feed:#}").into_bytes())
}
