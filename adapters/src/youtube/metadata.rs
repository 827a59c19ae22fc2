//! The video resource sent when an upload session starts (`snippet` and `status`), and the
//! fingerprint that finds the video again after an ambiguous failure.
//!
//! The fingerprint is a tag, `prakat-<idempotency key>`: tags are not shown to viewers (unlike
//! a line in the description, or a hashtag, which YouTube shows above the title), the owner
//! reads them back with `videos.list?part=snippet`, and they match exactly, where a title and a
//! time window would confuse two uploads of a recurring announcement.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::limits::FINGERPRINT_TAG_ROOM;
use super::settings::{PrivacyStatus, YoutubeSettings};
use crate::Payload;

const FINGERPRINT_PREFIX: &str = "prakat-";

/// The tag that marks the upload of one delivery.
pub fn fingerprint_tag(idempotency_key: &str) -> String {
    let room = FINGERPRINT_TAG_ROOM - 1 - FINGERPRINT_PREFIX.len();
    let key: String = idempotency_key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(room)
        .collect();
    format!("{FINGERPRINT_PREFIX}{key}")
}

/// The privacy sent, and `publishAt` when YouTube itself is to publish later.
pub fn privacy(
    settings: &YoutubeSettings,
    published_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (PrivacyStatus, Option<DateTime<Utc>>) {
    if settings.schedule_with_publish_at && published_at > now {
        // The API accepts publishAt only on a private video.
        (PrivacyStatus::Private, Some(published_at))
    } else {
        (settings.privacy_status, None)
    }
}

/// The `videos.insert` body for `payload`.
pub fn video_resource(
    payload: &Payload,
    settings: &YoutubeSettings,
    idempotency_key: &str,
    now: DateTime<Utc>,
) -> Value {
    let mut tags = payload.tags.clone();
    tags.push(fingerprint_tag(idempotency_key));
    let (privacy, publish_at) = privacy(settings, payload.published_at, now);
    let mut status = json!({
        "privacyStatus": privacy.as_str(),
        "selfDeclaredMadeForKids": settings.made_for_kids,
    });
    if let Some(at) = publish_at {
        status["publishAt"] = json!(at.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    json!({
        "snippet": {
            "title": payload.title,
            "description": payload.text,
            "tags": tags,
            "categoryId": settings.category_id,
            "defaultLanguage": settings.default_language,
            "defaultAudioLanguage": settings.default_language,
        },
        "status": status,
    })
}

/// Whether a tag is a delivery's fingerprint tag.
pub fn is_fingerprint_tag(tag: &str) -> bool {
    tag.starts_with(FINGERPRINT_PREFIX)
}

/// The `videos.update` body (`part=snippet`) that gives video `id` the payload's title and
/// description. The update replaces the whole snippet, so everything else is sent as publish
/// set it: the payload's tags with the fingerprint tags the video carries (reconcile finds it
/// by them), the video's own `categoryId` (the settings' when it has none), the languages.
pub fn edited_snippet(
    id: &str,
    payload: &Payload,
    settings: &YoutubeSettings,
    current: &Value,
) -> Value {
    let mut tags = payload.tags.clone();
    let kept = current["tags"].as_array().into_iter().flatten();
    for tag in kept.filter_map(Value::as_str) {
        if is_fingerprint_tag(tag) && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    let category = current["categoryId"]
        .as_str()
        .filter(|c| !c.is_empty())
        .unwrap_or(&settings.category_id);
    let language = |key: &str| {
        current[key]
            .as_str()
            .filter(|l| !l.is_empty())
            .unwrap_or(&settings.default_language)
            .to_owned()
    };
    json!({
        "id": id,
        "snippet": {
            "title": payload.title,
            "description": payload.text,
            "tags": tags,
            "categoryId": category,
            "defaultLanguage": language("defaultLanguage"),
            "defaultAudioLanguage": language("defaultAudioLanguage"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_snippet_keeps_what_publish_set_but_the_text() {
        let mut settings =
            YoutubeSettings::new("c", crate::Secret::new("s"), crate::Secret::new("r"));
        settings.category_id = "25".into();
        let payload = Payload {
            channel: "youtube".into(),
            announcement_id: 42,
            department: crate::Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            title: "แก้ไข".into(),
            text: "ข้อความใหม่".into(),
            media: vec![],
            link: None,
            published_at: Utc::now(),
            tags: vec!["จราจร".into()],
            notes: vec![],
        };
        let current = json!({
            "title": "เดิม", "description": "เดิม", "categoryId": "29",
            "tags": ["จราจร", "เก่า", "prakat-d7-abc"], "defaultLanguage": "th",
            "defaultAudioLanguage": "th",
        });
        let body = edited_snippet("vid1", &payload, &settings, &current);
        assert_eq!(body["id"], "vid1");
        let s = &body["snippet"];
        assert_eq!(s["title"], "แก้ไข");
        assert_eq!(s["description"], "ข้อความใหม่");
        assert_eq!(s["tags"], json!(["จราจร", "prakat-d7-abc"]));
        assert_eq!(s["categoryId"], "29", "the video's own category stays");
        assert_eq!(s["defaultAudioLanguage"], "th");
        let bare = edited_snippet("vid1", &payload, &settings, &json!({}));
        assert_eq!(bare["snippet"]["categoryId"], "25");
    }

    #[test]
    fn the_fingerprint_tag_fits_its_room_and_keeps_only_safe_characters() {
        assert_eq!(
            fingerprint_tag("d-42-a1b2c3d4-<x>"),
            "prakat-d-42-a1b2c3d4-x"
        );
        let long = "k".repeat(200);
        assert!(fingerprint_tag(&long).chars().count() < FINGERPRINT_TAG_ROOM);
    }
}
