//! Uploading photos and videos through the JSON API: `multipart/form-data`, one or more files in
//! `media` fields, received as the compose form's are ([`crate::desk::uploads`]: each file cut
//! off one byte past the largest size allowed, at most 20), then checked by content and size
//! and kept in the media store. The answer names each file by its SHA-256, which the submit
//! call takes in `media`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, Caller, failure};
use crate::desk::auth::AnyRole;
use crate::desk::{Desk, uploads};
use crate::i18n::{Lang, Msg};
use crate::media::MediaError;
use crate::store::Store;

/// A media file kept for announcements.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Media {
    /// What the submit call takes in `media`.
    pub sha256: String,
    /// As judged from the content, not the name.
    pub mime: String,
    /// `image` or `video`.
    pub kind: String,
    pub size: u64,
    /// The name it was sent with.
    pub name: String,
}

/// The upload: one or more files, each in a field named `media`.
#[derive(Debug, ToSchema)]
pub struct MediaUpload {
    #[schema(value_type = Vec<String>, format = Binary)]
    pub media: Vec<Vec<u8>>,
}

/// What is wrong with a file, naming it as it was sent rather than where the server keeps it
/// for the moment.
fn refused(lang: Lang, e: &MediaError, path: &std::path::Path) -> Response {
    let status = match e {
        MediaError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        MediaError::Store { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "the JSON API could not keep an uploaded file");
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = e
        .msg()
        .render(lang)
        .replace(&path.display().to_string(), &name);
    failure(status, lang, &Msg::new("as-written").with("text", text))
}

/// Upload photos and videos for an announcement: each is checked by its content (photos and
/// videos only; SVG refused) and its size (the settings' `media.max_image_bytes`,
/// `max_video_bytes`) and kept; the answer's `sha256` go in the submit call's `media`.
#[utoipa::path(post, path = "/api/v1/media", security(("bearer" = [])),
    request_body(content = MediaUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = [Media]), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 413, body = ApiError)))]
pub async fn upload(State(desk): State<Arc<Desk>>, who: Caller<AnyRole>, req: Request) -> Response {
    let lang = who.lang;
    // The folder the files were received in is removed when this returns.
    let (_, files, _folder) = match uploads::receive_files(&desk, req).await {
        Ok(received) => received,
        Err(r) => return failure(r.status, lang, &Msg::new(r.id)),
    };
    if files.is_empty() {
        return failure(StatusCode::BAD_REQUEST, lang, &Msg::new("desk-api-no-file"));
    }
    let mut kept = Vec::with_capacity(files.len());
    for path in files {
        // Hashed and copied off the async runtime: a video is large.
        let (media_store, file) = (desk.app.media.clone(), path.clone());
        let ingested = match tokio::task::spawn_blocking(move || media_store.ingest(&file)).await {
            Ok(i) => i,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };
        let m = match ingested {
            Ok(m) => m,
            Err(e) => return refused(lang, &e, &path),
        };
        if let Err(e) = desk.app.store.put_media(&m).await {
            tracing::error!(error = %e, "the JSON API could not record an uploaded file");
            return failure(StatusCode::INTERNAL_SERVER_ERROR, lang, &e.msg());
        }
        kept.push(Media {
            sha256: m.sha256,
            mime: m.mime,
            kind: m.kind.as_str().into(),
            size: m.size,
            name: m.original_name,
        });
    }
    (StatusCode::CREATED, Json(kept)).into_response()
}
