//! The web desk: the PR officer's and department staff's pages at `/` and `/desk/…` on the
//! public listener. Sign in with a name and a password (`prakat people add`), then:
//!
//! - the inbox ([`inbox`]): what departments sent, waiting; approve (now or at a Bangkok time)
//!   or reject with a reason — through the newsroom, so approving is the same exactly-once,
//!   state-guarded change as from the chat bot and the CLI;
//! - compose ([`compose`]): a draft with a preview per channel (what each will send, its
//!   length in the platform's units, what is shortened or skipped), then submitted; photos and
//!   videos chosen or dropped, each checked and kept by one function ([`media::keep`]);
//! - the calendar ([`calendar`]): what is due in a week or a month, by department and
//!   channel, each channel's state in its colour;
//! - an announcement ([`announcement`]): each delivery's state, link, attempts and last
//!   error, with retry and cancel for whoever approves; edit or withdraw while it waits,
//!   correct or retract once approved ([`corrections`]), with each channel's correction.
//!
//! The JSON API ([`api`], `/api/v1`) does the same with a bearer token instead of a session.
//!
//! Every route names the roles it lets in through one extractor ([`auth::Signed`],
//! [`auth::SignedForm`]); every POST carries the session's form token. No rule about
//! announcements lives here: each handler turns a form into a call to
//! [`crate::newsroom::Newsroom`] and shows the answer. Pages are server-rendered, Thai first,
//! escaped by the template engine; the little script previews without reloading and uploads
//! dropped files with a progress bar, and the pages work without it.

pub mod announcement;
pub mod api;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod compose;
pub mod corrections;
pub mod follow;
pub mod health;
pub mod inbox;
pub mod media;
pub mod pages;
pub mod password;
pub mod people;
pub mod settings;
pub mod sign_in;
pub mod uploads;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tokio::sync::Notify;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::app::App;
use crate::clock::Clock;

pub use settings::DeskSettings;

/// The desk's pages: their own style sheet and script, forms posted only to themselves.
const DESK_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
    font-src 'self'; \
    img-src 'self' data:; media-src 'self'; connect-src 'self'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// What the desk's handlers share.
pub struct Desk {
    pub app: Arc<App>,
    pub clock: Arc<dyn Clock>,
    /// Wakes the dispatcher when something was queued.
    pub wake: Arc<Notify>,
    pub settings: DeskSettings,
    /// Cookies are `Secure` when the public reaches the daemon over https.
    pub secure_cookies: bool,
    /// The channels' latest health checks, kept by the daemon's watch.
    pub health: Arc<crate::watch::HealthBoard>,
    templates: minijinja::Environment<'static>,
}

impl Desk {
    pub fn new(app: Arc<App>, clock: Arc<dyn Clock>, wake: Arc<Notify>) -> Desk {
        let settings = app.settings.desk.clone();
        let secure_cookies = app.settings.public_base_url().starts_with("https://");
        Desk {
            app,
            clock,
            wake,
            settings,
            secure_cookies,
            health: Arc::default(),
            templates: pages::environment(),
        }
    }

    /// The board the daemon's watch keeps (a desk without one shows every channel unchecked).
    pub fn with_health(mut self, board: Arc<crate::watch::HealthBoard>) -> Desk {
        self.health = board;
        self
    }
}

/// The desk's routes, to be merged into the public listener's router (it takes `/`).
pub fn router(desk: Arc<Desk>) -> Router {
    Router::new()
        .route("/", get(sign_in::home))
        .route("/desk/sign-in", post(sign_in::sign_in))
        .route("/desk/sign-out", post(sign_in::sign_out))
        .route("/desk/lang/{lang}", get(sign_in::choose_lang))
        .route("/desk/inbox", get(inbox::inbox))
        .route("/desk/compose", get(compose::form).post(compose::submit))
        .route("/desk/compose/preview", post(compose::preview))
        .route("/desk/media", post(media::upload))
        .route("/desk/announcements", get(follow::list))
        .route("/desk/calendar", get(calendar::calendar))
        .route("/desk/announcements/{id}", get(announcement::show))
        .route("/desk/announcements/{id}/approve", post(inbox::approve))
        .route("/desk/announcements/{id}/reject", post(inbox::reject))
        .route("/desk/announcements/{id}/edit", post(corrections::edit))
        .route(
            "/desk/announcements/{id}/withdraw",
            post(corrections::withdraw),
        )
        .route(
            "/desk/announcements/{id}/correct",
            post(corrections::correct),
        )
        .route(
            "/desk/announcements/{id}/retract",
            post(corrections::retract),
        )
        .route("/desk/deliveries/{id}/retry", post(announcement::retry))
        .route("/desk/deliveries/{id}/cancel", post(announcement::cancel))
        // The compose form carries photos and videos: its own limit (see `uploads`).
        .layer(axum::extract::DefaultBodyLimit::max(uploads::body_limit(
            &desk,
        )))
        .route("/desk/channels", get(health::show))
        .route("/desk/channels/check", post(health::check_now))
        .route("/desk/people", get(people::show).post(people::add))
        .route("/desk/people/remove", post(people::remove))
        .route("/desk/tokens", post(people::make_token))
        .route("/desk/tokens/{id}/revoke", post(people::revoke_token))
        .merge(api::routes(&desk))
        .route("/desk/static/desk.css", get(style))
        .route("/desk/static/desk.js", get(script))
        .route("/desk/static/sarabun-regular.ttf", get(font_regular))
        .route("/desk/static/sarabun-bold.ttf", get(font_bold))
        .with_state(desk)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DESK_POLICY),
        ))
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::STYLE,
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        pages::SCRIPT,
    )
}

/// The desk's Thai font (Sarabun, the digest's), served by the daemon itself: a device without
/// a Thai font still reads the desk, and no font service is needed.
fn font(bytes: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "font/ttf"),
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        bytes,
    )
}

async fn font_regular() -> impl IntoResponse {
    font(crate::digest::pdf::FONT_REGULAR)
}

async fn font_bold() -> impl IntoResponse {
    font(crate::digest::pdf::FONT_BOLD)
}

#[cfg(test)]
mod tests;
