//! The message objects of a send request, built from a prepared payload: a text message or a
//! Flex bubble, then image and video messages whose URLs are where prakat serves the media.
//! Shapes follow `messaging-api.yml` (`TextMessage`, `ImageMessage`, `VideoMessage`,
//! `FlexMessage`/`FlexBubble`); the tests validate them against that schema.

use serde_json::{Value, json};

use crate::thai::{FitOptions, fit_text};
use crate::{ChannelEnv, MediaKind, Payload};

use super::limits::{ALT_TEXT_MAX, READ_MORE_LABEL, UNIT};
use super::settings::Style;

/// The `messages` array for `payload`.
pub fn messages(payload: &Payload, style: Style, env: &ChannelEnv) -> Vec<Value> {
    let images: Vec<String> = payload
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Image)
        .map(|m| env.media_url(m))
        .collect();
    let videos: Vec<String> = payload
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Video)
        .map(|m| env.media_url(m))
        .collect();
    let mut out = Vec::new();
    let separate_images = match style {
        Style::Text => {
            out.push(json!({ "type": "text", "text": payload.text }));
            &images[..]
        }
        Style::Flex => {
            out.push(flex(payload, images.first().map(String::as_str)));
            images.get(1..).unwrap_or(&[])
        }
    };
    for url in separate_images {
        out.push(json!({ "type": "image", "originalContentUrl": url, "previewImageUrl": url }));
    }
    // prepare() keeps a video only when there is an image to preview it with.
    if let Some(preview) = images.first() {
        for url in &videos {
            out.push(
                json!({ "type": "video", "originalContentUrl": url, "previewImageUrl": preview }),
            );
        }
    }
    out
}

/// A Flex bubble: hero image, bold title, the text, and an "อ่านต่อ" button to the website.
fn flex(payload: &Payload, hero: Option<&str>) -> Value {
    let mut body = Vec::new();
    if !payload.title.trim().is_empty() {
        body.push(json!({ "type": "text", "text": payload.title, "weight": "bold", "size": "lg", "wrap": true }));
    }
    if !payload.text.trim().is_empty() {
        body.push(json!({ "type": "text", "text": payload.text, "size": "sm", "wrap": true, "margin": "md" }));
    }
    let mut bubble = json!({
        "type": "bubble",
        "body": { "type": "box", "layout": "vertical", "contents": body },
    });
    if let Some(url) = hero {
        bubble["hero"] = json!({
            "type": "image", "url": url, "size": "full", "aspectRatio": "20:13", "aspectMode": "cover"
        });
    }
    if let Some(link) = &payload.link {
        bubble["footer"] = json!({
            "type": "box", "layout": "vertical",
            "contents": [{
                "type": "button", "style": "primary",
                "action": { "type": "uri", "label": READ_MORE_LABEL, "uri": link }
            }]
        });
    }
    json!({ "type": "flex", "altText": alt_text(payload), "contents": bubble })
}

/// What notifications and the chat list show: the text (or the title), within 1,500 units.
/// prepare() already fitted the text; fitting again only guards a payload prepared for the
/// text style and sent after the style changed.
fn alt_text(payload: &Payload) -> String {
    let source = if payload.text.trim().is_empty() {
        &payload.title
    } else {
        &payload.text
    };
    fit_text(
        source,
        &FitOptions {
            max: ALT_TEXT_MAX,
            unit: UNIT,
            link: payload.link.as_deref(),
        },
    )
    .text
}
