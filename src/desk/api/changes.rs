//! Changes through the JSON API, each one call of the newsroom (where every rule lives): edit
//! or withdraw while it waits, correct or retract once approved, cancel what is not out yet,
//! and send one delivery again or stop it. Another department's announcement is "not found"
//! for department staff, as on the desk's pages.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lists::ListedDelivery;
use super::{Announcement, ApiError, Caller, failure, newsroom_failure, visible};
use crate::desk::Desk;
use crate::desk::auth::{AnyRole, Approver};
use crate::i18n::Msg;
use crate::newsroom::{Newsroom, NewsroomError};

/// A new title and text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TextChange {
    /// The first line of the text when not given.
    pub title: Option<String>,
    pub text: String,
    /// For a correction: the announcement's `revision` the change was made from. When given
    /// and the text was corrected meanwhile, the change is refused (409) instead of undoing
    /// the other.
    pub revision: Option<u32>,
}

/// A retraction, with the reason (the website's notice shows it).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Retraction {
    pub reason: String,
}

/// What a correction or a retraction did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CorrectionOutcome {
    pub announcement: Announcement,
    /// Channels that cannot change or take down what they carry themselves: a person does it
    /// on the platform.
    pub by_hand: Vec<String>,
}

/// The announcement again after a change, with its deliveries.
async fn answer<N>(desk: &Desk, who: &Caller<N>, id: i64) -> Response {
    desk.wake.notify_one();
    match visible(desk, who, id).await {
        Ok(a) => Json(a).into_response(),
        Err(r) => r,
    }
}

/// Edit the title and text while it waits: its sender, or whoever approves.
#[utoipa::path(post, path = "/api/v1/announcements/{id}/edit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TextChange,
    responses((status = 200, body = Announcement), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn edit(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Path(id): Path<i64>,
    Json(c): Json<TextChange>,
) -> Response {
    if let Err(r) = visible(&desk, &who, id).await {
        return r;
    }
    match Newsroom::new(&desk.app)
        .edit(
            &who.person,
            id,
            c.title.as_deref(),
            &c.text,
            desk.clock.now(),
        )
        .await
    {
        Ok(_) => answer(&desk, &who, id).await,
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

/// Take it back while it waits: its sender, or whoever approves.
#[utoipa::path(post, path = "/api/v1/announcements/{id}/withdraw", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Announcement), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn withdraw(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Path(id): Path<i64>,
) -> Response {
    if let Err(r) = visible(&desk, &who, id).await {
        return r;
    }
    match Newsroom::new(&desk.app).withdraw(&who.person, id).await {
        Ok(_) => answer(&desk, &who, id).await,
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

async fn corrected(
    desk: &Desk,
    who: &Caller<Approver>,
    id: i64,
    done: Result<crate::newsroom::corrections::Correction, NewsroomError>,
) -> Response {
    match done {
        Ok(c) => {
            desk.wake.notify_one();
            match visible(desk, who, id).await {
                Ok(announcement) => Json(CorrectionOutcome {
                    announcement,
                    by_hand: c.by_hand,
                })
                .into_response(),
                Err(r) => r,
            }
        }
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

/// Correct an approved announcement on every channel: what is not out goes out with the new
/// text; each channel carrying it changes it where the platform allows (`by_hand` lists the
/// others).
#[utoipa::path(post, path = "/api/v1/announcements/{id}/correct", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TextChange,
    responses((status = 200, body = CorrectionOutcome), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn correct(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
    Json(c): Json<TextChange>,
) -> Response {
    let current = match visible(&desk, &who, id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    if c.revision.is_some_and(|r| r != current.revision) {
        return failure(
            StatusCode::CONFLICT,
            who.lang,
            &Msg::new("desk-changed-meanwhile"),
        );
    }
    let done = Newsroom::new(&desk.app)
        .correct(
            &who.person,
            id,
            c.title.as_deref(),
            &c.text,
            desk.clock.now(),
        )
        .await;
    corrected(&desk, &who, id, done).await
}

/// Retract an approved announcement on every channel, with the reason: what is not out is
/// cancelled; each channel carrying it takes it down where the platform allows.
#[utoipa::path(post, path = "/api/v1/announcements/{id}/retract", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Retraction,
    responses((status = 200, body = CorrectionOutcome), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn retract(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
    Json(r): Json<Retraction>,
) -> Response {
    if let Err(resp) = visible(&desk, &who, id).await {
        return resp;
    }
    let done = Newsroom::new(&desk.app)
        .retract(&who.person, id, &r.reason, desk.clock.now())
        .await;
    corrected(&desk, &who, id, done).await
}

/// Cancel every delivery of the announcement not yet published; one being published at this
/// moment, or published, stays as it is (see its state in the answer).
#[utoipa::path(post, path = "/api/v1/announcements/{id}/cancel", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Announcement), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn cancel_announcement(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
) -> Response {
    match Newsroom::new(&desk.app)
        .cancel_announcement(&who.person, id, desk.clock.now())
        .await
    {
        Ok(_) => answer(&desk, &who, id).await,
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

async fn delivery_change(desk: &Desk, who: &Caller<Approver>, id: i64, retry: bool) -> Response {
    let room = Newsroom::new(&desk.app);
    let now = desk.clock.now();
    let done = if retry {
        room.retry_delivery(&who.person, id, now).await
    } else {
        room.cancel_delivery(&who.person, id, now).await
    };
    match done {
        Ok(d) => {
            if retry {
                desk.wake.notify_one();
            }
            Json(super::lists::listed(&d)).into_response()
        }
        Err(e) => newsroom_failure(who.lang, &e),
    }
}

/// Send a failed, cancelled or waiting-for-a-person delivery again (at its own time if that is
/// still to come, else now). A published one, or one queued already, is a conflict (409).
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/retry", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ListedDelivery), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn retry_delivery(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
) -> Response {
    delivery_change(&desk, &who, id, true).await
}

/// Stop a delivery not yet published. One being published or published is a conflict (409).
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/cancel", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ListedDelivery), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError)))]
pub async fn cancel_delivery(
    State(desk): State<Arc<Desk>>,
    who: Caller<Approver>,
    Path(id): Path<i64>,
) -> Response {
    delivery_change(&desk, &who, id, false).await
}
