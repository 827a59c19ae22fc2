//! The public listener: `/site/` (the static website), `/media/` (photos and videos, fetched by
//! LINE and Facebook), `/` (a redirect to the site) and `/healthz`. Nothing here changes state or
//! tells more than the website does; everything else is 404.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::services::ServeDir;

use super::HttpState;
use crate::store::Store;

pub fn router<S: Store>(state: Arc<HttpState<S>>, site_dir: PathBuf, media_dir: PathBuf) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/site/") }))
        .route("/healthz", get(healthz::<S>))
        .nest_service(
            "/site",
            ServeDir::new(site_dir).append_index_html_on_directories(true),
        )
        .nest_service("/media", ServeDir::new(media_dir))
        .with_state(state)
}

/// `{"status": "ok", "channels": [...]}`, or 503 with `{"status": "unavailable", "error": ...}`
/// when the database file is gone or replaced, or the database does not answer.
async fn healthz<S: Store>(State(st): State<Arc<HttpState<S>>>) -> Response {
    let file = match &st.db_file {
        Some(f) => f.check().await,
        None => Ok(()),
    };
    let result = match file {
        Ok(()) => st
            .store
            .next_wake_at()
            .await
            .map(|_| ())
            .map_err(|e| format!("the database does not answer: {e}")),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            axum::Json(serde_json::json!({"status": "ok", "channels": st.channels})).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "error": error})),
            )
                .into_response()
        }
    }
}
