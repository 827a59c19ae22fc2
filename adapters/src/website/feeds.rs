//! The site's feeds, built from the newest entries: RSS 2.0 (`feed.xml`, the `rss` crate),
//! Atom (`atom.xml`, `atom_syndication`) and JSON Feed 1.1 (`feed.json`, serde_json). Pure:
//! entries in, bytes out. Times are given in Bangkok time (+07:00).

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
            title: Some(e.title.clone()),
            link: Some(e.url.clone()),
            description: Some(e.summary.clone()),
            categories: vec![rss::Category {
                name: e.department.name_th.clone(),
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
        title: s.station_name_th.clone(),
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
                title: atom::Text::plain(e.title.clone()),
                id: e.url.clone(),
                updated: bangkok_fixed(e.published_at),
                published: Some(bangkok_fixed(e.published_at)),
                summary: Some(atom::Text::plain(e.summary.clone())),
                categories: vec![atom::Category {
                    term: e.department.code.clone(),
                    scheme: None,
                    label: Some(e.department.name_th.clone()),
                }],
                links,
                ..Default::default()
            }
        })
        .collect();
    let feed = atom::Feed {
        title: atom::Text::plain(s.station_name_th.clone()),
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
