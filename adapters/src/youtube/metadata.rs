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

#[cfg(test)]
mod tests {
    use super::*;

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
