//! A person's photos and videos, however they came: the compose form's file field, a file
//! dropped on the compose page (`POST /desk/media`, one file per request, so each has its own
//! progress bar) and the JSON API (`POST /api/v1/media`). Each is checked and kept by one
//! function, [`keep`]: judged by its content and its size (the settings' `media.max_*_bytes`),
//! copied into the media store under its SHA-256 and recorded. A file kept earlier is named
//! again by that hash ([`kept`]): the compose form carries the hashes in `media_sha256` fields,
//! so a preview, with or without script, does not lose what was uploaded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use prakat_adapters::MediaRef;

use super::Desk;
use super::auth::{AnyRole, SignedForm};
use crate::i18n::{Lang, Msg};
use crate::media::MediaError;
use crate::store::{Store, StoreError};

/// Why a file was not kept: the status to answer with and what to tell the person, with the
/// file named as it was sent rather than where the server held it for the moment.
#[derive(Debug, Clone)]
pub struct Unkept {
    pub status: StatusCode,
    msg: Msg,
    path: Option<PathBuf>,
}

impl Unkept {
    /// A refusal that names no file on this machine.
    pub fn new(status: StatusCode, msg: Msg) -> Unkept {
        Unkept {
            status,
            msg,
            path: None,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let text = self.msg.render(lang);
        match &self.path {
            Some(p) => {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                text.replace(&p.display().to_string(), &name)
            }
            None => text,
        }
    }
}

/// The status a media check's refusal answers with: 413 too large, 400 not a photo or video,
/// 500 the server could not keep it.
fn status(e: &MediaError) -> StatusCode {
    match e {
        MediaError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        MediaError::Store { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Check a received file (its content and size) and keep it in the media store and the
/// database. Its name as sent is the last part of `path`.
pub async fn keep(desk: &Desk, path: &Path) -> Result<MediaRef, Unkept> {
    // Hashed and copied off the async runtime: a video is large.
    let (media_store, file) = (desk.app.media.clone(), path.to_owned());
    let ingested = match tokio::task::spawn_blocking(move || media_store.ingest(&file)).await {
        Ok(i) => i,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    let m = ingested.map_err(|e| {
        let status = status(&e);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "the web desk could not keep an uploaded file");
        }
        Unkept {
            status,
            msg: e.msg(),
            path: Some(path.to_owned()),
        }
    })?;
    if let Err(e) = desk.app.store.put_media(&m).await {
        tracing::error!(error = %e, "the web desk could not record an uploaded file");
        return Err(Unkept::new(StatusCode::INTERNAL_SERVER_ERROR, e.msg()));
    }
    Ok(m)
}

/// Why files named by their hashes could not be found.
#[derive(Debug)]
pub enum NotFound {
    /// No file was kept under this hash (or it is no hash at all).
    Unknown(String),
    Store(StoreError),
}

/// The files kept earlier, by their SHA-256 (as [`keep`] answered them), in that order.
pub async fn kept(desk: &Desk, hashes: &[String]) -> Result<Vec<MediaRef>, NotFound> {
    if let Some(bad) = hashes
        .iter()
        .find(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(NotFound::Unknown(bad.clone()));
    }
    let hashes: Vec<String> = hashes.iter().map(|h| h.to_ascii_lowercase()).collect();
    match desk.app.store.media(&hashes).await {
        Ok(media) => Ok(media),
        Err(StoreError::NotFound(what)) => Err(NotFound::Unknown(
            what.trim_start_matches("media ").to_owned(),
        )),
        Err(e) => Err(NotFound::Store(e)),
    }
}

/// A kept file as the desk and the API describe it.
pub fn described(m: &MediaRef) -> super::api::media::Media {
    super::api::media::Media {
        sha256: m.sha256.clone(),
        mime: m.mime.clone(),
        kind: m.kind.as_str().into(),
        size: m.size,
        name: m.original_name.clone(),
    }
}

/// An answer to the compose page's script: `{"error": …}` with the status.
fn refused(status: StatusCode, text: String) -> Response {
    (status, Json(serde_json::json!({ "error": text }))).into_response()
}

/// `POST /desk/media`: one file (field `media`) dropped or chosen on the compose page, with
/// the form token, from anyone who may compose. Kept at once; the answer (201) is the file as
/// the JSON API describes it (`sha256`, `kind`, `name`, …), for the page to carry in a
/// `media_sha256` field.
pub async fn upload(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let lang = form.who.lang;
    let [path] = form.files.as_slice() else {
        let msg = Msg::new("desk-media-one-file");
        return refused(StatusCode::BAD_REQUEST, msg.render(lang));
    };
    match keep(&desk, path).await {
        Ok(m) => (StatusCode::CREATED, Json(described(&m))).into_response(),
        Err(u) => refused(u.status, u.message(lang)),
    }
}
