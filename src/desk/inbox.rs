//! The inbox: what departments sent, waiting for approval, oldest first. Whoever approves sees
//! every department's and decides; department staff see their own department's, without the
//! buttons. Deciding goes through the newsroom: of two people approving at once, one approves
//! and the other is told who did and when.
//!
//! Above the waiting items, what needs a person: deliveries parked (`needs_attention`) or
//! failed, each with the platform's words and what to do about it, in the reader's language.

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
use crate::store::{AnnouncementRecord, DeliveryFilter, DeliveryRow, DeliveryState, Store};

/// The most the inbox lists at once.
const INBOX_LIMIT: usize = 500;

/// The most parked or failed deliveries the inbox shows, of each state.
const ATTENTION_LIMIT: usize = 50;

/// A delivery that needs a person, with what to do: a token to renew (then retry), or the
/// platform's error to read, then retry or cancel.
fn attention_item(lang: Lang, d: &DeliveryRow) -> minijinja::Value {
    let channel = [("channel", d.channel.as_str().into())];
    let todo = match d.last_error_class.as_deref() {
        Some("auth") => crate::i18n::tr(lang, "desk-todo-auth", &channel),
        _ => crate::i18n::tr(lang, "desk-todo-retry", &channel),
    };
    context! {
        id => d.id,
        announcement => d.announcement_id,
        title => &d.title,
        channel => &d.channel,
        state => d.state.as_str(),
        error => &d.last_error,
        todo => todo,
    }
}

/// Parked and failed deliveries the person may act on, the newest first.
async fn needing_attention(
    desk: &Desk,
    who: &Signed<AnyRole>,
) -> Result<Vec<minijinja::Value>, crate::store::StoreError> {
    let mut items = Vec::new();
    for state in [DeliveryState::NeedsAttention, DeliveryState::Failed] {
        let rows = desk
            .app
            .store
            .deliveries(&DeliveryFilter {
                state: Some(state),
                limit: Some(ATTENTION_LIMIT),
                newest_first: true,
                ..Default::default()
            })
            .await?;
        items.extend(
            rows.iter()
                .filter(|d| who.sees(&d.department))
                .map(|d| attention_item(who.lang, d)),
        );
    }
    Ok(items)
}

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
    let attention = match needing_attention(&desk, &who).await {
        Ok(a) => a,
        Err(e) => return super::pages::store_failure(&desk, who.lang, &e),
    };
    Page::render(
        &desk,
        who.lang,
        "inbox.html",
        context! { items => items, attention => attention, ..who.frame() },
    )
    .into_response()
}

/// `POST /desk/announcements/{id}/approve`: now, at the Bangkok time in `at` (a Buddhist Era
/// year is read as one), or at the station's next free posting slot (`when=slot`).
pub async fn approve(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    let lang = form.who.lang;
    let room = Newsroom::new(&desk.app);
    let at = if form.fields.get("when") == Some("slot") {
        room.next_free_slot(desk.clock.now()).await.map(Some)
    } else {
        form.fields.get("at").map(parse_bangkok).transpose()
    };
    let at = match at {
        Ok(at) => at,
        Err(e) => return newsroom_failure(&desk, lang, &e),
    };
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
