//! Photos and videos sent with the compose form (`multipart/form-data`): each file is written,
//! as it arrives, into a folder of its own under `<data_dir>/intake/`, removed when the request
//! ends (the newsroom copies what it keeps into the media store). A file is cut off one byte
//! past the largest size the settings allow, so the media check refuses it by its size without
//! the whole of it being kept; what a file is, is judged by the media check from its content.

use std::path::PathBuf;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncWriteExt;

use super::Desk;
use super::auth::Fields;
use super::pages::Page;
use crate::i18n::Lang;

/// The most files one form may carry.
pub const MAX_FILES: usize = 20;
/// The most text one field may carry.
const MAX_FIELD: usize = 256 * 1024;

/// The most a compose form may carry in all: the largest video, a form's worth of the largest
/// photos, and the text.
pub fn body_limit(desk: &Desk) -> usize {
    let m = &desk.app.settings.media;
    let total = m
        .max_video_bytes
        .max(m.max_image_bytes)
        .saturating_add(m.max_image_bytes.saturating_mul(MAX_FILES as u64))
        .saturating_add(1 << 20);
    usize::try_from(total).unwrap_or(usize::MAX)
}

/// Why an upload was refused: the message (`id` of `desk.ftl`) and the status. The desk's
/// pages show it as a page, the JSON API as `{"code", "error"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub id: &'static str,
    pub status: StatusCode,
}

const fn refusal(id: &'static str, status: StatusCode) -> Refusal {
    Refusal { id, status }
}

fn refused(desk: &Desk, lang: Lang, r: Refusal) -> Response {
    Page::message(desk, lang, r.id, None)
        .status(r.status)
        .into_response()
}

/// A name that is safe as one path component: the last part of what the browser sent, without
/// separators or control characters.
fn safe_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != ':')
        .collect();
    match cleaned.trim().trim_start_matches('.') {
        "" => "upload".into(),
        name => name.chars().take(120).collect(),
    }
}

/// Read a multipart form: its text fields, and its files (field `media`) written to disk.
pub async fn receive(
    desk: &Desk,
    req: Request,
    lang: Lang,
) -> Result<(Fields, Vec<PathBuf>, tempfile::TempDir), Response> {
    receive_files(desk, req)
        .await
        .map_err(|r| refused(desk, lang, r))
}

/// [`receive`], refusing with a [`Refusal`] for the caller to show.
pub async fn receive_files(
    desk: &Desk,
    req: Request,
) -> Result<(Fields, Vec<PathBuf>, tempfile::TempDir), Refusal> {
    const BAD: Refusal = refusal("desk-bad-form", StatusCode::BAD_REQUEST);
    let store_failed = |e: std::io::Error| {
        tracing::error!(error = %e, "the web desk could not keep an uploaded file");
        refusal("desk-upload-failed", StatusCode::INTERNAL_SERVER_ERROR)
    };
    let mut form = Multipart::from_request(req, &()).await.map_err(|_| BAD)?;
    let intake = desk.app.settings.storage.data_dir.join("intake");
    tokio::fs::create_dir_all(&intake)
        .await
        .map_err(store_failed)?;
    let dir = tempfile::Builder::new()
        .prefix("desk-")
        .tempdir_in(&intake)
        .map_err(store_failed)?;
    let cap = desk
        .app
        .settings
        .media
        .max_video_bytes
        .max(desk.app.settings.media.max_image_bytes)
        .saturating_add(1);
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refusal("desk-upload-too-large", StatusCode::PAYLOAD_TOO_LARGE)
        } else {
            BAD
        }
    })? {
        let name = field.name().unwrap_or("").to_owned();
        let Some(sent) = field.file_name().map(str::to_owned) else {
            let text = field.text().await.map_err(|_| BAD)?;
            if text.len() > MAX_FIELD {
                return Err(BAD);
            }
            fields.push((name, text));
            continue;
        };
        if name != "media" {
            continue;
        }
        if files.len() == MAX_FILES {
            return Err(refusal("desk-upload-too-many", StatusCode::BAD_REQUEST));
        }
        let folder = dir.path().join(files.len().to_string());
        tokio::fs::create_dir(&folder).await.map_err(store_failed)?;
        let path = folder.join(safe_name(&sent));
        let mut out = tokio::fs::File::create(&path).await.map_err(store_failed)?;
        let mut written = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(|_| BAD)? {
            if written >= cap {
                continue; // Past the limit: the media check refuses it by its size.
            }
            let take = usize::try_from(cap - written)
                .unwrap_or(usize::MAX)
                .min(chunk.len());
            out.write_all(&chunk[..take]).await.map_err(store_failed)?;
            written += take as u64;
        }
        out.flush().await.map_err(store_failed)?;
        // A file input left empty sends a part with no name and nothing in it.
        if written == 0 && sent.is_empty() {
            continue;
        }
        files.push(path);
    }
    Ok((Fields(fields), files, dir))
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn a_sent_name_becomes_one_harmless_path_component() {
        assert_eq!(safe_name("ภาพ จุดตรวจ.jpg"), "ภาพ จุดตรวจ.jpg");
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\\\photos\\\\a.png"), "a.png");
        assert_eq!(safe_name(".."), "upload");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name(""), "upload");
    }
}
