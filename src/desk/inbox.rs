//! The inbox: what departments sent, waiting for approval, oldest first. Whoever approves sees
//! every department's and decides; department staff see their own department's, without the
//! buttons. Deciding goes through the newsroom: of two people approving at once, one approves
//! and the other is told who did and when.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::Desk;
use super::auth::{AnyRole, Approver, Signed, SignedForm};
use super::pages::{Page, newsroom_failure, when};
use crate::i18n::Lang;
use crate::newsroom::Newsroom;
use crate::newsroom::time::parse_bangkok;
use crate::store::AnnouncementRecord;

/// The most the inbox lists at once.
const INBOX_LIMIT: usize = 500;

/// An announcement as the desk's lists show it.
pub fn item(lang: Lang, a: &AnnouncementRecord) -> minijinja::Value {
    context! {
        id => a.id,
        title => &a.title,
        text => &a.body,
        link => &a.link,
        department => match lang {
            Lang::Th => &a.department.name_th,
            Lang::En => &a.department.name_en,
        },
        department_code => &a.department.code,
        author => a.author.split_once(':').map_or(a.author.as_str(), |(_, n)| n),
        source => &a.source,
        state => &a.state,
        created => when(lang, a.created_at),
        publish_at => when(lang, a.publish_at),
        channels => a.channels.join(", "),
        media => a.media.len(),
    }
}

/// `GET /desk/inbox`.
pub async fn inbox(State(desk): State<Arc<Desk>>, who: Signed<AnyRole>) -> Response {
    let waiting = match Newsroom::new(&desk.app).waiting(INBOX_LIMIT).await {
        Ok(w) => w,
        Err(e) => return newsroom_failure(&desk, who.lang, &e),
    };
    let items: Vec<_> = waiting
        .iter()
        .filter(|a| who.sees(&a.department.code))
        .map(|a| item(who.lang, a))
        .collect();
    Page::render(
        &desk,
        who.lang,
        "inbox.html",
        context! { items => items, ..who.frame() },
    )
    .into_response()
}

/// `POST /desk/announcements/{id}/approve`: now, or at the Bangkok time in `at` (a Buddhist
/// Era year is read as one).
pub async fn approve(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    let lang = form.who.lang;
    let at = match form.fields.get("at").map(parse_bangkok).transpose() {
        Ok(at) => at,
        Err(e) => return newsroom_failure(&desk, lang, &e),
    };
    let room = Newsroom::new(&desk.app);
    match room
        .approve(&form.who.person, id, at, desk.clock.now())
        .await
    {
        Ok(_) => {
            desk.wake.notify_one();
            see_other(&format!("/desk/announcements/{id}"))
        }
        Err(e) => newsroom_failure(&desk, lang, &e),
    }
}

/// `POST /desk/announcements/{id}/reject`: with the reason the sender is told.
pub async fn reject(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    let lang = form.who.lang;
    let reason = form.fields.get("reason").unwrap_or("");
    match Newsroom::new(&desk.app)
        .reject(&form.who.person, id, reason)
        .await
    {
        Ok(_) => see_other("/desk/inbox"),
        Err(e) => newsroom_failure(&desk, lang, &e),
    }
}

/// A redirect after a POST (the browser asks for the page with GET).
pub(super) fn see_other(to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, to.to_owned())],
    )
        .into_response()
}
