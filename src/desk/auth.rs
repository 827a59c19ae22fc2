//! Who is asking: the session cookie, the role every route needs and the form token every
//! POST carries. One extractor for each: [`Signed`] for a page, [`SignedForm`] for a POST.
//! A route names what it needs with a [`Need`] (`Signed<Approver>`), so no handler checks a
//! role by hand.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};

use super::Desk;
use super::pages::Page;
use crate::i18n::Lang;
use crate::newsroom::{Person, Role};
use crate::store::{DeskSession, Store};

/// The cookie that names a session (its value is never stored, only its SHA-256).
pub const SESSION_COOKIE: &str = "prakat_session";
/// The token the sign-in form sends back, before there is a session.
pub const SIGN_IN_COOKIE: &str = "prakat_sign_in";
/// The language chosen (`th` when none).
pub const LANG_COOKIE: &str = "prakat_lang";
/// The form field every POST carries.
pub const CSRF_FIELD: &str = "csrf";

/// The roles a route lets in.
pub trait Need: Send + Sync + 'static {
    const ROLES: &'static [Role];
}

/// Anyone signed in: department staff, PR officers, admins.
pub struct AnyRole;
/// Who approves: PR officers and admins.
pub struct Approver;

impl Need for AnyRole {
    const ROLES: &'static [Role] = &[Role::Admin, Role::PrOfficer, Role::DepartmentStaff];
}
impl Need for Approver {
    const ROLES: &'static [Role] = &[Role::Admin, Role::PrOfficer];
}
/// Admins: people and API tokens.
pub struct AdminOnly;
impl Need for AdminOnly {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// A signed-in person whose role is one of `N::ROLES`.
pub struct Signed<N> {
    pub session: DeskSession,
    pub person: Person,
    pub lang: Lang,
    _need: PhantomData<N>,
}

impl<N> Signed<N> {
    /// What every page of a signed-in person shows: who they are, what they may do, and the
    /// form token.
    pub fn frame(&self) -> minijinja::Value {
        minijinja::context! {
            me => minijinja::context! {
                name => &self.person.name,
                role => self.person.role.as_str(),
                department => &self.person.department,
            },
            may_approve => self.person.role.may_approve(),
            is_admin => self.person.role == Role::Admin,
            csrf => &self.session.csrf_token,
        }
    }

    /// Whether the person may see what `department` sends: their own department, or all of
    /// them for whoever approves.
    pub fn sees(&self, department: &str) -> bool {
        self.person.role.may_approve() || self.person.department.as_deref() == Some(department)
    }
}

/// The language of the request: the cookie, else Thai.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie_value(headers, LANG_COOKIE).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Th,
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A cookie for the desk: HttpOnly, SameSite=Strict, Path=/, Secure over https.
pub fn set_cookie(
    desk: &Desk,
    name: &'static str,
    value: String,
    max_age: Option<std::time::Duration>,
) -> (header::HeaderName, String) {
    let mut c = Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(desk.secure_cookies);
    if let Some(age) = max_age {
        c = c.max_age(cookie::time::Duration::seconds(
            i64::try_from(age.as_secs()).unwrap_or(i64::MAX),
        ));
    }
    (header::SET_COOKIE, c.build().to_string())
}

/// A cookie removed.
pub fn clear_cookie(desk: &Desk, name: &'static str) -> (header::HeaderName, String) {
    set_cookie(desk, name, String::new(), Some(std::time::Duration::ZERO))
}

/// Two tokens compared in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The session the request's cookie names, if it is valid.
pub async fn session_of(desk: &Desk, headers: &HeaderMap) -> Result<Option<DeskSession>, Response> {
    let Some(id) = cookie_value(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    desk.app
        .store
        .desk_session(
            &super::password::digest(&id),
            desk.clock.now(),
            desk.settings.session_idle,
        )
        .await
        .map_err(|e| super::pages::store_failure(desk, lang_of(headers), &e))
}

/// Without a valid session: a page asked for goes to the sign-in page, anything else is 401.
fn signed_out(desk: &Desk, method: &Method, lang: Lang) -> Response {
    if method == Method::GET || method == Method::HEAD {
        Redirect::to("/").into_response()
    } else {
        Page::message(desk, lang, "desk-signed-out", None)
            .status(StatusCode::UNAUTHORIZED)
            .into_response()
    }
}

fn forbidden(desk: &Desk, lang: Lang) -> Response {
    Page::message(desk, lang, "desk-forbidden", None)
        .status(StatusCode::FORBIDDEN)
        .into_response()
}

async fn signed(parts: &Parts, desk: &Desk) -> Result<(DeskSession, Person, Lang), Response> {
    let lang = lang_of(&parts.headers);
    let Some(session) = session_of(desk, &parts.headers).await? else {
        return Err(signed_out(desk, &parts.method, lang));
    };
    let Some(person) = crate::newsroom::people::person(&session.person, "web") else {
        return Err(forbidden(desk, lang));
    };
    Ok((session, person, lang))
}

fn allowed<N: Need>(person: &Person) -> bool {
    N::ROLES.contains(&person.role)
}

impl<N: Need> FromRequestParts<Arc<Desk>> for Signed<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, desk: &Arc<Desk>) -> Result<Self, Response> {
        let (session, person, lang) = signed(parts, desk).await?;
        if !allowed::<N>(&person) {
            return Err(forbidden(desk, lang));
        }
        Ok(Signed {
            session,
            person,
            lang,
            _need: PhantomData,
        })
    }
}

/// The fields of a form, in order (a name may repeat, as checked boxes do).
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Option<Fields> {
        serde_urlencoded::from_bytes(body).ok().map(Fields)
    }

    /// The first value of `name`, trimmed; `None` when missing or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// A POST from a signed-in person whose role is one of `N::ROLES`, carrying the session's
/// form token: signed out is 401, a missing or wrong token or another role 403. A
/// `multipart/form-data` form (compose, with photos and videos) has its files written under
/// `<data_dir>/intake/` for as long as the request lasts.
pub struct SignedForm<N> {
    pub who: Signed<N>,
    pub fields: Fields,
    pub files: Vec<std::path::PathBuf>,
    /// Where the files are; removed with the form.
    _uploads: Option<tempfile::TempDir>,
}

/// The most a desk form may carry (the text of an announcement and its fields).
const FORM_LIMIT: usize = 256 * 1024;

impl<N: Need> FromRequest<Arc<Desk>> for SignedForm<N> {
    type Rejection = Response;

    async fn from_request(req: Request, desk: &Arc<Desk>) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let (session, person, lang) = signed(&parts, desk).await?;
        let bad = || {
            Page::message(desk, lang, "desk-bad-form", None)
                .status(StatusCode::BAD_REQUEST)
                .into_response()
        };
        let kind = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let (fields, files, uploads) = if kind.starts_with("application/x-www-form-urlencoded") {
            let bytes = axum::body::to_bytes(body, FORM_LIMIT)
                .await
                .map_err(|_| bad())?;
            (Fields::parse(&bytes).ok_or_else(bad)?, Vec::new(), None)
        } else if kind.starts_with("multipart/form-data") {
            let req = Request::from_parts(parts, body);
            let (fields, files, dir) = super::uploads::receive(desk, req, lang).await?;
            (fields, files, Some(dir))
        } else {
            return Err(bad());
        };
        if !same_token(fields.get(CSRF_FIELD).unwrap_or(""), &session.csrf_token) {
            return Err(Page::message(desk, lang, "desk-csrf", None)
                .status(StatusCode::FORBIDDEN)
                .into_response());
        }
        if !allowed::<N>(&person) {
            return Err(forbidden(desk, lang));
        }
        Ok(SignedForm {
            who: Signed {
                session,
                person,
                lang,
                _need: PhantomData,
            },
            fields,
            files,
            _uploads: uploads,
        })
    }
}
