//! The admin listener: `GET /metrics` (Prometheus text), `GET /internal/progress` (uploads in
//! flight, for `prakat queue watch`) and `POST /internal/wake`, which tells the dispatcher that
//! another process (the CLI) added work — the wake-up carries no data, the dispatcher only looks
//! at the store again. With `server.admin_token` set, every request needs
//! `Authorization: Bearer <token>`, compared in constant time; without it, 401.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use prakat_adapters::Secret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::HttpState;
use crate::store::Store;

pub fn router<S: Store>(state: Arc<HttpState<S>>, token: Option<Secret>) -> Router {
    let router = Router::new()
        .route("/metrics", get(metrics::<S>))
        .route("/internal/wake", post(wake::<S>))
        .route("/internal/progress", get(progress::<S>))
        .with_state(state);
    match token {
        Some(token) => router.layer(middleware::from_fn_with_state(
            Arc::new(Sha256::digest(token.expose().as_bytes())),
            require_token,
        )),
        None => router,
    }
}

/// Let the request through only with the right bearer token. Both sides are hashed first, so
/// the comparison takes the same time whatever the length or content of the guess.
async fn require_token(
    State(expected): State<Arc<sha2::digest::Output<Sha256>>>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Sha256::digest(t.as_bytes()));
    match given {
        Some(given) if bool::from(given.ct_eq(&expected)) => next.run(request).await,
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "the admin listener needs Authorization: Bearer <server.admin_token>\n",
        )
            .into_response(),
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
