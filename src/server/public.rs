//! The public listener: `/site/` (the static website), `/media/` (photos and videos, fetched by
//! LINE and Facebook), `/healthz`, when the Telegram bot runs in webhook mode
//! `/telegram/webhook` (Telegram's secret-token header checked), and `/` with `/desk/…`: the web
//! desk ([`crate::desk`]) when it is on, else a redirect to the site. Outside the desk's signed-in
//! pages nothing here changes state or tells more than the website does; everything else is 404. A view of an
//! announcement's page is counted in memory on the way out ([`crate::reach::page_views`]): no
//! personal data, no write on the request's path.
//!
//! Every answer carries `X-Content-Type-Options: nosniff` and a Content-Security-Policy: the
//! site's pages may load their own style sheet, images and media and run no script at all; a
//! media file is served sandboxed, so even a file that is not what its name says cannot run
//! anything on the station's domain.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::HttpState;
use crate::store::Store;

/// The pages: their own style sheet, images and media; no script, no plugin, no framing.
const SITE_POLICY: &str = "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; \
    media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// A media file opened on its own: shown, never run.
const MEDIA_POLICY: &str = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

pub fn router<S: Store>(state: Arc<HttpState<S>>, site_dir: PathBuf, media_dir: PathBuf) -> Router {
    router_with_desk(state, site_dir, media_dir, None)
}

/// [`router`], with the web desk ([`crate::desk::router`]) at `/` and `/desk/` when given
/// (without it, `/` goes to the website).
pub fn router_with_desk<S: Store>(
    state: Arc<HttpState<S>>,
    site_dir: PathBuf,
    media_dir: PathBuf,
    desk: Option<Router>,
) -> Router {
    let home = match desk {
        Some(desk) => desk,
        None => Router::new().route("/", get(|| async { Redirect::temporary("/site/") })),
    };
    Router::new()
        .route("/healthz", get(healthz::<S>))
        .route("/favicon.ico", get(icon))
        .route("/telegram/webhook", post(telegram_webhook::<S>))
        .nest_service(
            "/site",
            ServeDir::new(site_dir).append_index_html_on_directories(true),
        )
        .nest_service(
            "/media",
            Router::new()
                .fallback_service(ServeDir::new(media_dir))
                .layer(header_layer(header::CONTENT_SECURITY_POLICY, MEDIA_POLICY)),
        )
        .with_state(state.clone())
        .merge(home)
        .layer(axum::middleware::from_fn_with_state(
            state,
            count_page_view::<S>,
        ))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, SITE_POLICY))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
}

/// prakat's icon, where browsers look for it: the website's pages name none, so that a site
/// copied to another server shows that server's own.
async fn icon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        prakat_adapters::icon::SVG,
    )
}

/// Where the website's pages are served: a page view is counted under the path after it.
const SITE_PREFIX: &str = "/site/";

/// Count a view of an announcement's page that was served (or still fresh in the reader's
/// cache), after the answer is made: one increment in memory.
async fn count_page_view<S: Store>(
    State(st): State<Arc<HttpState<S>>>,
    req: Request,
    next: Next,
) -> Response {
    let counted = (req.method() == Method::GET)
        .then(|| req.uri().path().strip_prefix(SITE_PREFIX))
        .flatten()
        .filter(|p| prakat_adapters::website::Website::page_announcement(p).is_some())
        .map(|p| {
            let agent = req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (p.to_owned(), agent)
        });
    let response = next.run(req).await;
    if let Some((path, agent)) = counted
        && matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED)
    {
        st.page_views.count(&path, agent.as_deref());
    }
    response
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

/// Telegram's call with an update: refused (401) without the secret this daemon gave Telegram,
/// answered 200 once the bot has handled the update (otherwise Telegram sends it again).
async fn telegram_webhook<S: Store>(
    State(st): State<Arc<HttpState<S>>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    use subtle::ConstantTimeEq;
    let Some(hook) = &st.telegram else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(hook.secret.as_bytes())) {
        tracing::warn!("a Telegram webhook call without the right secret token was refused");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let update: teloxide::types::Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "a Telegram webhook call that is not an update");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let (done, handled) = tokio::sync::oneshot::channel();
    if hook.updates.send((update, done)).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    match tokio::time::timeout(std::time::Duration::from_secs(50), handled).await {
        Ok(Ok(())) => StatusCode::OK.into_response(),
        _ => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
