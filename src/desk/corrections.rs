//! Changing an announcement after it was sent: while it waits, its sender (or whoever
//! approves) edits or withdraws it ([`Newsroom::edit`], [`Newsroom::withdraw`]); once approved,
//! whoever approves corrects or retracts it on every channel ([`Newsroom::correct`],
//! [`Newsroom::retract`]) — the daemon carries each correction to each channel exactly once,
//! and the announcement's page shows what a channel leaves to a person.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Desk;
use super::auth::{AnyRole, Approver, SignedForm};
use super::inbox::see_other;
use super::pages::{Page, newsroom_failure, store_failure};
use crate::newsroom::{Newsroom, NewsroomError};
use crate::store::{AnnouncementRecord, Store, StoreError};

/// The announcement, when the person may see it (another department's is not found).
async fn visible<N>(
    desk: &Desk,
    id: i64,
    form: &SignedForm<N>,
) -> Result<AnnouncementRecord, Box<Response>> {
    match desk.app.store.announcement(id).await {
        Ok(r) if form.who.sees(&r.department.code) => Ok(r),
        Ok(_) => Err(Box::new(store_failure(
            desk,
            form.who.lang,
            &StoreError::NotFound(format!("announcement {id}")),
        ))),
        Err(e) => Err(Box::new(store_failure(desk, form.who.lang, &e))),
    }
}

fn text_of<N>(form: &SignedForm<N>) -> &str {
    form.fields
        .0
        .iter()
        .find(|(k, _)| k == "text")
        .map_or("", |(_, v)| v.as_str())
}

fn done(
    desk: &Desk,
    id: i64,
    result: Result<(), NewsroomError>,
    lang: crate::i18n::Lang,
) -> Response {
    match result {
        Ok(()) => {
            desk.wake.notify_one();
            see_other(&format!("/desk/announcements/{id}"))
        }
        Err(e) => newsroom_failure(desk, lang, &e),
    }
}

/// `POST /desk/announcements/{id}/edit`: a new title and text while it waits.
pub async fn edit(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<AnyRole>,
) -> Response {
    if let Err(r) = visible(&desk, id, &form).await {
        return *r;
    }
    let result = Newsroom::new(&desk.app)
        .edit(
            &form.who.person,
            id,
            form.fields.get("title"),
            text_of(&form),
            desk.clock.now(),
        )
        .await
        .map(|_| ());
    done(&desk, id, result, form.who.lang)
}

/// `POST /desk/announcements/{id}/withdraw`: taken back while it waits.
pub async fn withdraw(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<AnyRole>,
) -> Response {
    if let Err(r) = visible(&desk, id, &form).await {
        return *r;
    }
    let result = Newsroom::new(&desk.app)
        .withdraw(&form.who.person, id)
        .await
        .map(|_| ());
    done(&desk, id, result, form.who.lang)
}

/// `POST /desk/announcements/{id}/correct`: a new title and text on every channel. The form
/// carries the revision it was made from: a correction of a text changed meanwhile is refused
/// (409) instead of undoing the other.
pub async fn correct(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    let lang = form.who.lang;
    let record = match visible(&desk, id, &form).await {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if let Some(seen) = form.fields.get("revision")
        && seen != record.revision.number.to_string()
    {
        return Page::message(&desk, lang, "desk-changed-meanwhile", None)
            .status(StatusCode::CONFLICT)
            .into_response();
    }
    let result = Newsroom::new(&desk.app)
        .correct(
            &form.who.person,
            id,
            form.fields.get("title"),
            text_of(&form),
            desk.clock.now(),
        )
        .await
        .map(|_| ());
    done(&desk, id, result, lang)
}

/// `POST /desk/announcements/{id}/retract`: taken back on every channel, with the reason.
pub async fn retract(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    if let Err(r) = visible(&desk, id, &form).await {
        return *r;
    }
    let result = Newsroom::new(&desk.app)
        .retract(
            &form.who.person,
            id,
            form.fields.get("reason").unwrap_or(""),
            desk.clock.now(),
        )
        .await
        .map(|_| ());
    done(&desk, id, result, form.who.lang)
}
