//! The HTTP side of the daemon: the static website under `/site/`, media under `/media/` (for
//! platforms that fetch by URL), `/healthz`, `/metrics` (Prometheus text), and
//! `GET /internal/progress` (uploads in flight, for `prakat queue watch`), and
//! `POST /internal/wake`, which tells the dispatcher that another process (the CLI) added work.
//! The wake-up carries no data: the dispatcher only looks at the store again.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tokio::sync::Notify;
use tower_http::services::ServeDir;

use crate::metrics::Metrics;
use crate::store::Store;

pub struct HttpState<S: Store> {
    pub store: Arc<S>,
    pub metrics: Arc<Metrics>,
    pub wake: Arc<Notify>,
    pub channels: Vec<String>,
    pub progress: Arc<crate::dispatch::ProgressBoard>,
}

pub fn router<S: Store>(
    state: Arc<HttpState<S>>,
    site_dir: std::path::PathBuf,
    media_dir: std::path::PathBuf,
) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/site/") }))
        .route("/healthz", get(healthz::<S>))
        .route("/metrics", get(metrics::<S>))
        .route("/internal/wake", post(wake::<S>))
        .route("/internal/progress", get(progress::<S>))
        .nest_service(
            "/site",
            ServeDir::new(site_dir).append_index_html_on_directories(true),
        )
        .nest_service("/media", ServeDir::new(media_dir))
        .with_state(state)
}

async fn healthz<S: Store>(State(st): State<Arc<HttpState<S>>>) -> Response {
    match st.store.next_wake_at().await {
        Ok(_) => {
            axum::Json(serde_json::json!({"status": "ok", "channels": st.channels})).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "database unavailable"})),
            )
                .into_response()
        }
    }
}

async fn metrics<S: Store>(State(st): State<Arc<HttpState<S>>>) -> Response {
    match st.store.delivery_counts().await {
        Ok(counts) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            st.metrics.render(&counts),
        )
            .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}"),
        )
            .into_response(),
    }
}

/// Transfers in progress: `{"<delivery id>": {"done": bytes, "total": bytes}}`.
async fn progress<S: Store>(State(st): State<Arc<HttpState<S>>>) -> Response {
    axum::Json(st.progress.snapshot()).into_response()
}

async fn wake<S: Store>(State(st): State<Arc<HttpState<S>>>) -> StatusCode {
    st.wake.notify_one();
    StatusCode::NO_CONTENT
}
