//! Uploading media to the site's library (`POST /wp/v2/media` with the raw file as the body),
//! and remembering what was uploaded so a later attempt of the same delivery does not upload it
//! again.
//!
//! An upload that fails with a 5xx or times out may still have created the attachment; it is
//! retried as `Transient` all the same, which can leave an orphan file in the media library. That
//! is accepted: an unused attachment harms no reader, a missing photo would.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::client::Api;
use crate::http::Effect;
use crate::{MediaRef, PublishContext, PublishError};

/// One file the site now holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Uploaded {
    pub sha256: String,
    pub id: u64,
    pub source_url: String,
}

/// What `ctx.save_state` keeps for a WordPress delivery.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SavedState {
    #[serde(default)]
    pub media: Vec<Uploaded>,
}

impl SavedState {
    /// The state of an earlier attempt; unreadable state (another channel's, an old format) is
    /// ignored, which at worst uploads again.
    pub(crate) fn load(ctx: &PublishContext) -> SavedState {
        ctx.saved_state
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct MediaAnswer {
    id: u64,
    #[serde(default)]
    source_url: String,
}

/// Upload every file not uploaded yet, saving the state after each one, and return them in the
/// payload's order.
pub(crate) async fn upload_all(
    api: &Api,
    media: &[MediaRef],
    state: &mut SavedState,
    ctx: &PublishContext,
) -> Result<Vec<Uploaded>, PublishError> {
    let mut out = Vec::with_capacity(media.len());
    for m in media {
        if let Some(done) = state.media.iter().find(|u| u.sha256 == m.sha256) {
            out.push(done.clone());
            continue;
        }
        let uploaded = upload(api, m).await?;
        state.media.push(uploaded.clone());
        let json = serde_json::to_string(state).expect("state serialises");
        ctx.save_state(&json).await?;
        out.push(uploaded);
    }
    Ok(out)
}

async fn upload(api: &Api, m: &MediaRef) -> Result<Uploaded, PublishError> {
    let bytes = tokio::fs::read(&m.path).await.map_err(|e| {
        PublishError::Rejected(format!(
            "cannot read media file {} ({}): {e}",
            m.path.display(),
            m.original_name
        ))
    })?;
    let req = api
        .request(reqwest::Method::POST, api.url("wp/v2/media", &[]))
        .header(reqwest::header::CONTENT_TYPE, &m.mime)
        .header(
            reqwest::header::CONTENT_DISPOSITION,
            content_disposition(&m.original_name, &m.mime, &m.sha256),
        )
        .body(bytes);
    let what = format!("upload media {}", m.original_name);
    let a: MediaAnswer = api.send(&what, req, Effect::Repeatable).await?;
    Ok(Uploaded {
        sha256: m.sha256.clone(),
        id: a.id,
        source_url: a.source_url,
    })
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded original>`.
///
/// WordPress reads only `filename` (and stores the file under it), so that one is plain ASCII
/// with the extension of the MIME type (the original's ASCII letters and digits, or
/// `prakat-<content hash>` when it has no ASCII letters, as Thai names have not); RFC 5987's `filename*` carries the Thai original for
/// anything in between that understands it.
pub(crate) fn content_disposition(original: &str, mime: &str, sha256: &str) -> String {
    let stem = original.rsplit_once('.').map_or(original, |(s, _)| s);
    let mut ascii = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            ascii.push(c);
        } else if !ascii.is_empty() && !ascii.ends_with('-') {
            ascii.push('-');
        }
    }
    let ascii = ascii.trim_matches('-');
    let short: String = sha256.chars().take(12).collect();
    // A name of digits only ("1" left of "ภาพที่ 1") says nothing: name it by content instead.
    let stem = if !ascii.chars().any(|c| c.is_ascii_alphabetic()) {
        format!("prakat-{short}")
    } else {
        ascii.to_owned()
    };
    let fallback = format!("{stem}.{}", extension(mime));
    let mut encoded = String::new();
    for b in original.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The file extension WordPress expects for a MIME type (it checks the two agree).
fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" => "webm",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_names_get_an_ascii_fallback() {
        assert_eq!(
            content_disposition("ภาพ ประชุม.jpg", "image/jpeg", "ab12cd34ef56aa"),
            "attachment; filename=\"prakat-ab12cd34ef56.jpg\"; filename*=UTF-8''%E0%B8%A0%E0%B8%B2%E0%B8%9E%20%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1.jpg"
        );
        assert_eq!(
            content_disposition("meeting ที่ 2 \"x\".JPG", "image/jpeg", "ff"),
            "attachment; filename=\"meeting-2-x.jpg\"; filename*=UTF-8''meeting%20%E0%B8%97%E0%B8%B5%E0%B9%88%202%20%22x%22.JPG"
        );
    }
}
