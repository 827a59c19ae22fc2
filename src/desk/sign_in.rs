//! Signing in and out, and the language switch. A sign-in is counted before its password is
//! checked ([`crate::store::Store::start_login_attempt`]): after `desk.login_max_failures`
//! failures for a name or from an address within `desk.login_window`, signing in is refused
//! until the window passes, on every daemon of the database.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use minijinja::context;

use super::auth::{
    AnyRole, CSRF_FIELD, Fields, LANG_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE, SignedForm,
    clear_cookie, cookie_value, lang_of, same_token, session_of, set_cookie,
};
use super::pages::{Page, store_failure};
use super::{Desk, password};
use crate::i18n::Msg;
use crate::store::{Actor, LoginLimit, NewDeskSession, Store};

/// `/`: the sign-in page, or the inbox for someone signed in.
pub async fn home(State(desk): State<Arc<Desk>>, headers: HeaderMap) -> Response {
    match session_of(&desk, &headers).await {
        Ok(Some(_)) => Redirect::to("/desk/inbox").into_response(),
        Ok(None) => sign_in_page(&desk, &headers, None, "", StatusCode::OK),
        Err(r) => r,
    }
}

/// The sign-in form, with the token its form sends back: the one the browser holds already
/// (a second tab keeps the first working), else a fresh one kept in a cookie (there is no
/// session yet).
fn sign_in_page(
    desk: &Desk,
    headers: &HeaderMap,
    error: Option<Msg>,
    login: &str,
    status: StatusCode,
) -> Response {
    let lang = lang_of(headers);
    let token = cookie_value(headers, SIGN_IN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(password::token);
    Page::render(
        desk,
        lang,
        "sign_in.html",
        context! { csrf => &token, error => error.map(|m| m.render(lang)), login => login },
    )
    .status(status)
    .header(set_cookie(
        desk,
        SIGN_IN_COOKIE,
        token,
        Some(std::time::Duration::from_secs(3600)),
    ))
    .into_response()
}

/// The address a sign-in comes from: the proxy's header when one is configured, else the
/// connection's.
fn client_ip(desk: &Desk, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if let Some(name) = &desk.settings.client_ip_header
        && let Some(v) = headers.get(name.as_str()).and_then(|v| v.to_str().ok())
        && let Some(last) = v.rsplit(',').map(str::trim).find(|s| !s.is_empty())
    {
        return last.to_owned();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// `POST /desk/sign-in`: name and password; a session cookie and the inbox when right.
pub async fn sign_in(State(desk): State<Arc<Desk>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let lang = lang_of(&parts.headers);
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024).await else {
        return Page::message(&desk, lang, "desk-bad-form", None)
            .status(StatusCode::BAD_REQUEST)
            .into_response();
    };
    let fields = Fields::parse(&bytes).unwrap_or_default();
    let expected = cookie_value(&parts.headers, SIGN_IN_COOKIE).unwrap_or_default();
    if !same_token(fields.get(CSRF_FIELD).unwrap_or(""), &expected) {
        return Page::message(&desk, lang, "desk-csrf", None)
            .status(StatusCode::FORBIDDEN)
            .into_response();
    }
    let login = fields.get("login").unwrap_or("").to_owned();
    let given = fields
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if login.is_empty() || given.is_empty() {
        return sign_in_page(
            &desk,
            &parts.headers,
            Some(Msg::new("desk-sign-in-missing")),
            &login,
            StatusCode::BAD_REQUEST,
        );
    }
    let now = desk.clock.now();
    let ip = client_ip(&desk, &parts.headers, peer);
    let store = &desk.app.store;
    let window = chrono::Duration::from_std(desk.settings.login_window)
        .unwrap_or(chrono::Duration::minutes(15));
    let limit = LoginLimit {
        since: now - window,
        max_failures: desk.settings.login_max_failures,
    };
    let attempt = match store.start_login_attempt(&login, &ip, now, limit).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            tracing::warn!(%ip, "signing in to the web desk refused: too many failed attempts");
            return sign_in_page(
                &desk,
                &parts.headers,
                Some(
                    Msg::new("desk-sign-in-limited")
                        .with("minutes", desk.settings.login_window.as_secs().div_ceil(60)),
                ),
                &login,
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let found = match store.desk_login(&login).await {
        Ok(f) => f,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let right =
        password::verify_off_runtime(given, found.as_ref().map(|f| f.password_hash.clone())).await;
    let Some(found) = found.filter(|_| right) else {
        tracing::info!(%ip, "a failed attempt to sign in to the web desk");
        return sign_in_page(
            &desk,
            &parts.headers,
            Some(Msg::new("desk-sign-in-wrong")),
            &login,
            StatusCode::UNAUTHORIZED,
        );
    };
    let session_id = password::token();
    let max = chrono::Duration::from_std(desk.settings.session_max)
        .unwrap_or(chrono::Duration::hours(12));
    let session = NewDeskSession {
        id_sha256: password::digest(&session_id),
        person_id: found.person.id,
        csrf_token: password::token(),
        created_at: now,
        expires_at: now + max,
    };
    let actor = Actor::person("web", &found.person.name, &found.person.role);
    if let Err(e) = store.login_succeeded(attempt).await {
        return store_failure(&desk, lang, &e);
    }
    if let Err(e) = store.create_desk_session(&session, &actor).await {
        return store_failure(&desk, lang, &e);
    }
    (
        StatusCode::SEE_OTHER,
        // Appended, not inserted: two cookies are set.
        AppendHeaders([
            set_cookie(
                &desk,
                SESSION_COOKIE,
                session_id,
                Some(desk.settings.session_max),
            ),
            clear_cookie(&desk, SIGN_IN_COOKIE),
            (axum::http::header::LOCATION, "/desk/inbox".to_owned()),
        ]),
    )
        .into_response()
}

/// `POST /desk/sign-out`: the session ends here and in the database.
pub async fn sign_out(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let lang = form.who.lang;
    if let Err(e) = desk
        .app
        .store
        .end_desk_session(&form.who.session.id_sha256, desk.clock.now())
        .await
    {
        return store_failure(&desk, lang, &e);
    }
    (
        StatusCode::SEE_OTHER,
        [
            clear_cookie(&desk, SESSION_COOKIE),
            (axum::http::header::LOCATION, "/".to_owned()),
        ],
    )
        .into_response()
}

/// `GET /desk/lang/{th|en}`: the language of the desk's pages, kept in a cookie.
pub async fn choose_lang(State(desk): State<Arc<Desk>>, Path(lang): Path<String>) -> Response {
    let value = if lang == "en" { "en" } else { "th" };
    (
        StatusCode::SEE_OTHER,
        [
            set_cookie(
                &desk,
                LANG_COOKIE,
                value.to_owned(),
                Some(std::time::Duration::from_secs(365 * 24 * 3600)),
            ),
            (axum::http::header::LOCATION, "/".to_owned()),
        ],
    )
        .into_response()
}
