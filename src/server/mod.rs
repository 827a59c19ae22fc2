//! The HTTP side of the daemon, on two listeners kept apart so a station can expose one and not
//! the other:
//!
//! - the **public** listener (`server.listen`, [`public`]): the static website under `/site/`,
//!   media under `/media/` (LINE and Facebook fetch photos and videos by URL), `/healthz`, and
//!   the web desk at `/` and `/desk/…` ([`crate::desk`], every page behind its sign-in);
//! - the **admin** listener (`server.admin_listen`, loopback by default, [`admin`]): `/metrics`
//!   and `/internal/*` (the CLI's wake-up and upload progress), behind a bearer token when
//!   `server.admin_token` is set.
//!
//! [`health`] checks that the database file the daemon opened is still there.

pub mod admin;
pub mod health;
pub mod public;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::store::Store;

/// What the handlers of both listeners share.
pub struct HttpState<S: Store> {
    pub store: Arc<S>,
    pub metrics: Arc<Metrics>,
    pub wake: Arc<Notify>,
    pub channels: Vec<String>,
    pub progress: Arc<crate::dispatch::ProgressBoard>,
    /// The database file as it was when the daemon opened it (`None`: not a file).
    pub db_file: Option<health::DbFile>,
    /// Where Telegram's webhook calls go, when the bot takes its updates that way.
    pub telegram: Option<TelegramWebhook>,
    /// Views of the website's announcement pages, counted in memory.
    pub page_views: Arc<crate::reach::PageViewCounter>,
}

/// The Telegram webhook's secret and the bot's queue of updates.
#[derive(Clone)]
pub struct TelegramWebhook {
    pub secret: String,
    pub updates: tokio::sync::mpsc::Sender<crate::telegram::WebhookUpdate>,
}

/// The daemon's two sockets, bound before it starts (tests bind port 0 for both).
pub struct Listeners {
    pub public: TcpListener,
    pub admin: TcpListener,
}

/// A listener that could not be bound, with the setting that names its address.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr} (set {key} or {env}): {source}")]
pub struct BindError {
    pub key: &'static str,
    pub env: &'static str,
    pub addr: SocketAddr,
    pub source: std::io::Error,
}

impl Listeners {
    /// Bind `server.listen` and `server.admin_listen`.
    pub async fn bind(server: &crate::settings::Server) -> Result<Listeners, BindError> {
        let bind = |key, env, addr| async move {
            TcpListener::bind(addr).await.map_err(|source| BindError {
                key,
                env,
                addr,
                source,
            })
        };
        Ok(Listeners {
            public: bind("server.listen", "PRAKAT__SERVER__LISTEN", server.listen).await?,
            admin: bind(
                "server.admin_listen",
                "PRAKAT__SERVER__ADMIN_LISTEN",
                server.admin_listen,
            )
            .await?,
        })
    }
}

/// Serve both listeners until `shutdown` turns true. The task ends with the first error of
/// either server, or when both have drained.
pub fn spawn<S: Store>(
    listeners: Listeners,
    state: Arc<HttpState<S>>,
    settings: &Settings,
    shutdown: watch::Receiver<bool>,
) -> std::io::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    spawn_with_desk(listeners, state, settings, shutdown, None)
}

/// [`spawn`], with the web desk's routes on the public listener when given.
pub fn spawn_with_desk<S: Store>(
    listeners: Listeners,
    state: Arc<HttpState<S>>,
    settings: &Settings,
    shutdown: watch::Receiver<bool>,
    desk: Option<axum::Router>,
) -> std::io::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let public_addr = listeners.public.local_addr()?;
    let admin_addr = listeners.admin.local_addr()?;
    tracing::info!(
        addr = %public_addr,
        admin = %admin_addr,
        admin_token = settings.server.admin_token.is_some(),
        site = %format!("http://{public_addr}/site/"),
        data_dir = %settings.storage.data_dir.display(),
        "prakat is serving"
    );
    if settings.server.admin_token.is_none() && !admin_addr.ip().is_loopback() {
        tracing::warn!(
            admin = %admin_addr,
            "the admin listener (/metrics, /internal/*) is reachable beyond this machine without a token: set server.admin_token"
        );
    }
    let public = public::router_with_desk(
        state.clone(),
        settings.site_dir(),
        settings.media_dir(),
        desk,
    );
    let admin = admin::router(state, settings.server.admin_token.clone());
    let serve = |listener: TcpListener, router: axum::Router| {
        let mut stop = shutdown.clone();
        async move {
            // The peer's address reaches the handlers (the desk's sign-in limit per address).
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        }
    };
    let public = serve(listeners.public, public);
    let admin = serve(listeners.admin, admin);
    Ok(tokio::spawn(async move {
        tokio::try_join!(public, admin)?;
        Ok(())
    }))
}
