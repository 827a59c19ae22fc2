//! One announcement followed up: its decision, and each channel's delivery — state, link to
//! the live post, attempts, last error — with retry and cancel for whoever approves (the same
//! state-guarded changes as `prakat queue retry|cancel`). Department staff see their own
//! department's announcements only; another department's is "not found".

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::Desk;
use super::auth::{AnyRole, Approver, Signed, SignedForm};
use super::inbox::{item, see_other};
use super::pages::{Page, store_failure, when};
use crate::store::{AmendAction, DeliveryFilter, DeliveryRow, DeliveryState, Store, StoreError};

fn delivery(lang: crate::i18n::Lang, d: &DeliveryRow, may_approve: bool) -> minijinja::Value {
    use DeliveryState as S;
    context! {
        id => d.id,
        channel => &d.channel,
        state => d.state.as_str(),
        link => &d.remote_url,
        attempts => d.attempts,
        error => &d.last_error,
        due => when(lang, d.due_at),
        published => d.published_at.map(|t| when(lang, t)),
        may_retry => may_approve && matches!(d.state, S::NeedsAttention | S::Failed | S::Cancelled),
        may_cancel => may_approve && matches!(d.state, S::Queued | S::NeedsAttention | S::Failed),
    }
}

/// `GET /desk/announcements/{id}`.
pub async fn show(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    who: Signed<AnyRole>,
) -> Response {
    let lang = who.lang;
    let store = &desk.app.store;
    let record = match store.announcement(id).await {
        Ok(r) if who.sees(&r.department.code) => r,
        Ok(_) => {
            return store_failure(
                &desk,
                lang,
                &StoreError::NotFound(format!("announcement {id}")),
            );
        }
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let deliveries = match store
        .deliveries(&DeliveryFilter {
            announcement_id: Some(id),
            ..Default::default()
        })
        .await
    {
        Ok(d) => d,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let amendments = match store.amendments(id).await {
        Ok(a) => a,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    let amendments: Vec<_> = amendments
        .iter()
        .filter(|a| a.state != "superseded")
        .map(|a| {
            context! {
                channel => &a.channel,
                action => match a.action { AmendAction::Edit => "edit", AmendAction::Retract => "retract" },
                state => &a.state,
                by_hand => a.state == "by_hand",
                outcome => &a.outcome,
                error => &a.last_error,
            }
        })
        .collect();
    let may_approve = who.person.role.may_approve();
    let mine = record.author == who.person.actor().name;
    let decision = record.decision.as_ref().map(|d| {
        context! {
            by => d.by.split_once(':').map_or(d.by.as_str(), |(_, n)| n),
            at => when(lang, d.at),
            note => &d.note,
        }
    });
    Page::render(
        &desk,
        lang,
        "announcement.html",
        context! {
            a => item(lang, &record),
            pending => record.state == "pending_approval",
            may_edit => record.state == "pending_approval" && (may_approve || mine),
            may_correct => may_approve && record.state == "approved",
            revision => record.revision.number,
            amendments => amendments,
            decision => decision,
            deliveries => deliveries.iter().map(|d| delivery(lang, d, may_approve)).collect::<Vec<_>>(),
            ..who.frame()
        },
    )
    .into_response()
}

async fn change(desk: &Desk, id: i64, form: &SignedForm<Approver>, retry: bool) -> Response {
    let lang = form.who.lang;
    let store = &desk.app.store;
    let now = desk.clock.now();
    let actor = form.who.person.actor();
    let done = if retry {
        store.retry_delivery(id, now, &actor).await
    } else {
        store.cancel_delivery(id, now, &actor).await
    };
    match done {
        Ok(d) => {
            if retry {
                desk.wake.notify_one();
            }
            see_other(&format!("/desk/announcements/{}", d.announcement_id))
        }
        Err(e @ StoreError::Conflict(_)) => Page::message(
            desk,
            lang,
            "desk-delivery-conflict",
            Some(e.msg().render(lang)),
        )
        .status(StatusCode::CONFLICT)
        .into_response(),
        Err(e) => store_failure(desk, lang, &e),
    }
}

/// `POST /desk/deliveries/{id}/retry`: at its own time if that is still to come, else now.
pub async fn retry(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    change(&desk, id, &form, true).await
}

/// `POST /desk/deliveries/{id}/cancel`: one not yet published.
pub async fn cancel(
    State(desk): State<Arc<Desk>>,
    Path(id): Path<i64>,
    form: SignedForm<Approver>,
) -> Response {
    change(&desk, id, &form, false).await
}
