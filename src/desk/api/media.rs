//! Uploading photos and videos through the JSON API: `multipart/form-data`, one or more files in
//! `media` fields, received as the compose form's are ([`crate::desk::uploads`]: each file cut
//! off one byte past the largest size allowed, at most 20), then checked by content and size
//! and kept in the media store ([`crate::desk::media::keep`], as the compose page keeps them).
//! The answer names each file by its SHA-256, which the submit call takes in `media`.

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
use crate::i18n::Msg;

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
        match crate::desk::media::keep(&desk, &path).await {
            Ok(m) => kept.push(crate::desk::media::described(&m)),
            Err(u) => {
                let text = u.message(lang);
                return failure(u.status, lang, &Msg::new("as-written").with("text", text));
            }
        }
    }
    (StatusCode::CREATED, Json(kept)).into_response()
}
