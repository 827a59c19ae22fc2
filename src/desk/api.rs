//! The JSON API under `/api/v1`, for other systems of the station: the same newsroom as the
//! desk's pages (submit with uploaded media, the pending list, approve, reject, an announcement
//! with its deliveries, lists of announcements and deliveries a page at a time ([`lists`]),
//! edit, withdraw, correct, retract, cancel and retry ([`changes`]), media ([`media`])), with a
//! bearer token instead of a session. Every route names the roles it lets in ([`Caller`]). A token acts as one person with
//! their role (`prakat people token --login L`); only its SHA-256 is kept. No cookie is read
//! here, so no form token is needed. Errors are JSON: `{"code": …, "error": …}`, in Thai unless
//! the caller asks for English (`Accept-Language: en`). The OpenAPI description is made from
//! this code: `GET /api/v1/openapi.json`.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub mod changes;
pub mod lists;
pub mod media;

use super::Desk;
use super::auth::{AnyRole, Approver, Need};
use super::pages::status_of;
use crate::i18n::{Lang, Msg};
use crate::newsroom::time::parse_bangkok;
use crate::newsroom::{Draft, Newsroom, NewsroomError, Person, Submitted, When};
use crate::store::{AnnouncementRecord, DeliveryFilter, DeliveryRow, Store, StoreError};

/// An announcement as the API shows it. Times are RFC 3339 in UTC.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Announcement {
    pub id: i64,
    /// The department's code.
    pub department: String,
    pub title: String,
    pub text: String,
    pub link: Option<String>,
    /// `pending_approval`, `approved`, `rejected`, `withdrawn` or `retracted`.
    pub state: String,
    /// Who sent it (`<front end>:<name>`).
    pub author: String,
    pub channels: Vec<String>,
    pub publish_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason given with a rejection.
    pub decision_note: Option<String>,
    /// 0 as approved; one more with each correction and with a retraction.
    pub revision: u32,
    /// The uploaded media it carries, by SHA-256.
    pub media: Vec<String>,
    /// One per channel once approved (empty in lists).
    pub deliveries: Vec<Delivery>,
}

/// One channel's delivery of an announcement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    /// `queued`, `in_flight`, `published`, `failed`, `needs_attention` or `cancelled`.
    pub state: String,
    pub attempts: u32,
    /// The live post, once published.
    pub link: Option<String>,
    pub last_error: Option<String>,
    pub due_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// What to submit. From a PR officer or an admin it is queued at once; from department staff
/// it waits for approval.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Submission {
    pub department: String,
    /// The first line of the text when not given.
    pub title: Option<String>,
    pub text: String,
    pub link: Option<String>,
    /// At least one enabled channel.
    pub channels: Vec<String>,
    /// Bangkok wall time (`2569-12-01 09:00`; a year of 2400 or more is Buddhist Era); now
    /// when not given.
    pub at: Option<String>,
    /// Photos and videos uploaded with `POST /api/v1/media`, by their `sha256`.
    #[serde(default)]
    pub media: Vec<String>,
}

/// An approval: at a Bangkok time, or at the announcement's own time (now if it has passed).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Approval {
    pub at: Option<String>,
}

/// A rejection, with the reason the sender is told.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Rejection {
    pub reason: String,
}

/// Why a request was refused.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// `unauthorized`, `forbidden`, `not_found`, `conflict`, `refused` or `failed`.
    pub code: String,
    /// What went wrong and what to do, in the caller's language.
    pub error: String,
}

fn lang_of(headers: &HeaderMap) -> Lang {
    match headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        Some(l) if l.trim_start().starts_with("en") => Lang::En,
        _ => Lang::Th,
    }
}

fn failure(status: StatusCode, lang: Lang, msg: &Msg) -> Response {
    let code = match status {
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::INTERNAL_SERVER_ERROR => "failed",
        _ => "refused",
    };
    (
        status,
        Json(ApiError {
            code: code.into(),
            error: msg.render(lang),
        }),
    )
        .into_response()
}

fn newsroom_failure(lang: Lang, e: &NewsroomError) -> Response {
    let status = status_of(e);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "the JSON API could not use the database");
    }
    failure(status, lang, &e.msg())
}

/// A caller with a valid token whose person's role is one of `N::ROLES`.
pub struct Caller<N> {
    pub person: Person,
    pub lang: Lang,
    _need: PhantomData<N>,
}

impl<N> Caller<N> {
    fn sees(&self, department: &str) -> bool {
        self.person.role.may_approve() || self.person.department.as_deref() == Some(department)
    }
}

impl<N: Need> FromRequestParts<Arc<Desk>> for Caller<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, desk: &Arc<Desk>) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        let unauthorized = || {
            let mut r = failure(
                StatusCode::UNAUTHORIZED,
                lang,
                &Msg::new("desk-api-unauthorized"),
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            r
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(unauthorized)?;
        let record = desk
            .app
            .store
            .api_token_person(&super::password::digest(token))
            .await
            .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, lang, &e.msg()))?
            .ok_or_else(unauthorized)?;
        let person = crate::newsroom::people::person(&record, "api").ok_or_else(unauthorized)?;
        if !N::ROLES.contains(&person.role) {
            return Err(failure(
                StatusCode::FORBIDDEN,
                lang,
                &Msg::new("newsroom-only-pr-officer"),
            ));
        }
        Ok(Caller {
            person,
            lang,
            _need: PhantomData,
        })
    }
}

fn delivery(d: &DeliveryRow) -> Delivery {
    Delivery {
        id: d.id,
        channel: d.channel.clone(),
        state: d.state.as_str().into(),
        attempts: d.attempts,
        link: d.remote_url.clone(),
        last_error: d.last_error.clone(),
        due_at: d.due_at,
        published_at: d.published_at,
    }
}

fn announcement(a: &AnnouncementRecord, deliveries: &[DeliveryRow]) -> Announcement {
    Announcement {
        id: a.id,
        department: a.department.code.clone(),
        title: a.title.clone(),
        text: a.body.clone(),
        link: a.link.clone(),
        state: a.state.clone(),
        author: a.author.clone(),
        channels: a.channels.clone(),
        publish_at: a.publish_at,
        created_at: a.created_at,
        decided_by: a.decision.as_ref().map(|d| d.by.clone()),
        decided_at: a.decision.as_ref().map(|d| d.at),
        decision_note: a.decision.as_ref().and_then(|d| d.note.clone()),
        revision: a.revision.number,
        media: a.media.iter().map(|m| m.sha256.clone()).collect(),
        deliveries: deliveries.iter().map(delivery).collect(),
    }
}

/// The announcement with its deliveries, when the caller may see it.
async fn visible<N>(desk: &Desk, who: &Caller<N>, id: i64) -> Result<Announcement, Response> {
    let not_found = || {
        failure(
            StatusCode::NOT_FOUND,
            who.lang,
            &StoreError::NotFound(format!("announcement {id}")).msg(),
        )
    };
    let store = &desk.app.store;
    let a = match store.announcement(id).await {
        Ok(a) if who.sees(&a.department.code) => a,
        Ok(_) | Err(StoreError::NotFound(_)) => return Err(not_found()),
        Err(e) => {
            return Err(failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                who.lang,
                &e.msg(),
            ));
        }
    };
    let deliveries = store
        .deliveries(&DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        })
        .await
        .map_err(|e| failure(StatusCode::INTERNAL_SERVER_ERROR, who.lang, &e.msg()))?;
    Ok(announcement(&a, &deliveries))
}

/// What waits for approval, oldest first (department staff: their department's).
#[utoipa::path(get, path = "/api/v1/pending", security(("bearer" = [])),
    responses((status = 200, body = [Announcement]), (status = 401, body = ApiError)))]
pub async fn pending(State(desk): State<Arc<Desk>>, who: Caller<AnyRole>) -> Response {
    match Newsroom::new(&desk.app).waiting(500).await {
        Ok(list) => Json(
            list.iter()
                .filter(|a| who.sees(&a.department.code))
                .map(|a| announcement(a, &[]))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

/// One announcement with each channel's delivery.
#[utoipa::path(get, path = "/api/v1/announcements/{id}", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Announcement), (status = 401, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn show(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Path(id): Path<i64>,
) -> Response {
    match visible(&desk, &who, id).await {
        Ok(a) => Json(a).into_response(),
        Err(r) => r,
    }
}

/// The files uploaded earlier, by their SHA-256, where the media store keeps them.
async fn uploaded(
    desk: &Desk,
    lang: Lang,
    hashes: &[String],
) -> Result<Vec<std::path::PathBuf>, Response> {
    match super::media::kept(desk, hashes).await {
        Ok(media) => Ok(media.into_iter().map(|m| m.path).collect()),
        Err(super::media::NotFound::Unknown(h)) => Err(failure(
            StatusCode::BAD_REQUEST,
            lang,
            &Msg::new("desk-api-unknown-media").with("sha256", h),
        )),
        Err(super::media::NotFound::Store(e)) => {
            Err(failure(StatusCode::INTERNAL_SERVER_ERROR, lang, &e.msg()))
        }
    }
}

/// Submit an announcement: queued at once from a PR officer or an admin, waiting for approval
/// from department staff.
#[utoipa::path(post, path = "/api/v1/announcements", security(("bearer" = [])),
    request_body = Submission,
    responses((status = 201, body = Announcement), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn submit(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Json(s): Json<Submission>,
) -> Response {
    let when = match s.at.as_deref().map(parse_bangkok).transpose() {
        Ok(Some(at)) => When::At(at),
        Ok(None) => When::Now,
        Err(e) => return newsroom_failure(who.lang, &e),
    };
    if s.channels.is_empty() {
        return failure(
            StatusCode::BAD_REQUEST,
            who.lang,
            &Msg::new("desk-no-channel"),
        );
    }
    let media = match uploaded(&desk, who.lang, &s.media).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let draft = Draft {
        department: s.department,
        title: s.title,
        text: s.text,
        link: s.link.filter(|l| !l.trim().is_empty()),
        tags: Vec::new(),
        media,
        channels: s.channels,
        when,
    };
    let id = match Newsroom::new(&desk.app)
        .submit(&who.person, draft, desk.clock.now())
        .await
    {
        Ok(
            Submitted::Queued { announcement, .. }
            | Submitted::Pending { announcement, .. }
            | Submitted::Already { announcement },
        ) => announcement.id,
        Ok(Submitted::Recurring { rule, .. }) => rule.id,
        Err(e) => return newsroom_failure(who.lang, &e),
    };
    desk.wake.notify_one();
    match visible(&desk, &who, id).await {
        Ok(a) => (StatusCode::CREATED, Json(a)).into_response(),
        Err(r) => r,
    }
}

/// Approve what waits: of two approvals at once one wins, the other is told who decided (409).
#[utoipa::path(post, path = "/api/v1/announcements/{id}/approve", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Approval,
    responses((status = 200, body = Announcement), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn approve(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
    body: Option<Json<Approval>>,
) -> Response {
    let at = body.and_then(|Json(a)| a.at);
    let at = match at.as_deref().map(parse_bangkok).transpose() {
        Ok(at) => at,
        Err(e) => return newsroom_failure(who.lang, &e),
    };
    match Newsroom::new(&desk.app)
        .approve(&who.person, id, at, desk.clock.now())
        .await
    {
        Ok(_) => {
            desk.wake.notify_one();
            match visible(&desk, &who, id).await {
                Ok(a) => Json(a).into_response(),
                Err(r) => r,
            }
        }
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

/// Reject what waits, with the reason the sender is told.
#[utoipa::path(post, path = "/api/v1/announcements/{id}/reject", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Rejection,
    responses((status = 200, body = Announcement), (status = 400, body = ApiError),
        (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn reject(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
    Json(r): Json<Rejection>,
) -> Response {
    match Newsroom::new(&desk.app)
        .reject(&who.person, id, &r.reason)
        .await
    {
        Ok(_) => match visible(&desk, &who, id).await {
            Ok(a) => Json(a).into_response(),
            Err(r) => r,
        },
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        api.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The API's description, made from the handlers and types above.
#[derive(OpenApi)]
#[openapi(
    info(title = "prakat", description = "The station's announcements: submit, approve, follow up."),
    paths(pending, show, submit, approve, reject, lists::announcements, lists::deliveries,
        changes::edit, changes::withdraw, changes::correct, changes::retract,
        changes::cancel_announcement, changes::retry_delivery, changes::cancel_delivery,
        media::upload),
    components(schemas(Announcement, Delivery, Submission, Approval, Rejection, ApiError,
        lists::ListedDelivery, lists::DeliveryPage, lists::AnnouncementPage,
        changes::TextChange, changes::Retraction, changes::CorrectionOutcome, media::Media,
        media::MediaUpload)),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// The API's routes (state: the desk's). Uploads take the compose form's body limit.
pub fn routes(desk: &Desk) -> Router<Arc<Desk>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/pending", get(pending))
        .route(
            "/api/v1/announcements",
            post(submit).get(lists::announcements),
        )
        .route("/api/v1/announcements/{id}", get(show))
        .route("/api/v1/announcements/{id}/approve", post(approve))
        .route("/api/v1/announcements/{id}/reject", post(reject))
        .route("/api/v1/announcements/{id}/edit", post(changes::edit))
        .route(
            "/api/v1/announcements/{id}/withdraw",
            post(changes::withdraw),
        )
        .route("/api/v1/announcements/{id}/correct", post(changes::correct))
        .route("/api/v1/announcements/{id}/retract", post(changes::retract))
        .route(
            "/api/v1/announcements/{id}/cancel",
            post(changes::cancel_announcement),
        )
        .route("/api/v1/deliveries", get(lists::deliveries))
        .route(
            "/api/v1/deliveries/{id}/retry",
            post(changes::retry_delivery),
        )
        .route(
            "/api/v1/deliveries/{id}/cancel",
            post(changes::cancel_delivery),
        )
        .route(
            "/api/v1/media",
            post(media::upload).layer(axum::extract::DefaultBodyLimit::max(
                super::uploads::body_limit(desk),
            )),
        )
}
