//! Lists of the JSON API: announcements and deliveries, filtered, a page at a time. A page
//! ends with `next`, the cursor to send as `after` for the page that follows (absent on the
//! last page): a key into the store's index, so a page of a large store costs what a page of
//! a small one does, and rows made meanwhile neither repeat nor go missing. Department staff
//! see their own department's rows only; asking for another department lists nothing.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Announcement, ApiError, Caller, announcement, failure};
use crate::desk::Desk;
use crate::desk::auth::AnyRole;
use crate::i18n::Msg;
use crate::newsroom::time::parse_bangkok;
use crate::store::{
    AnnouncementFilter, DeliveryFilter, DeliveryKey, DeliveryRow, DeliveryState, Store,
};

/// The most rows one page may hold.
pub const MAX_PAGE: usize = 500;
/// Rows in a page when `limit` is not given.
pub const DEFAULT_PAGE: usize = 100;

/// A delivery in a list: the delivery with its announcement's id, department and title.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ListedDelivery {
    pub id: i64,
    pub announcement_id: i64,
    /// The announcement's department (its code).
    pub department: String,
    pub title: String,
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

/// A page of deliveries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryPage {
    pub deliveries: Vec<ListedDelivery>,
    /// Send as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// A page of announcements, the newest first (without their deliveries).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnnouncementPage {
    pub announcements: Vec<Announcement>,
    /// Send as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// Which deliveries: every filter is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `queued`, `in_flight`, `published`, `failed`, `needs_attention` or `cancelled`.
    pub state: Option<String>,
    pub channel: Option<String>,
    /// A department's code.
    pub department: Option<String>,
    /// An announcement's id.
    pub announcement: Option<String>,
    /// Due at or after: RFC 3339, or Bangkok wall time (`2569-12-01 09:00`).
    pub from: Option<String>,
    /// Due before: RFC 3339, or Bangkok wall time.
    pub until: Option<String>,
    /// `newest` (the last made first, the default) or `due` (by due time, the earliest first).
    pub order: Option<String>,
    /// The `next` of the page before.
    pub after: Option<String>,
    /// Rows in the page: 1 to 500, 100 when not given.
    pub limit: Option<String>,
}

/// Which announcements: every filter is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnnouncementQuery {
    /// `pending_approval`, `approved`, `rejected`, `withdrawn` or `retracted`.
    pub state: Option<String>,
    /// A department's code.
    pub department: Option<String>,
    /// To be published at or after: RFC 3339, or Bangkok wall time (`2569-12-01 09:00`).
    pub from: Option<String>,
    /// To be published before: RFC 3339, or Bangkok wall time.
    pub until: Option<String>,
    /// The `next` of the page before.
    pub after: Option<String>,
    /// Rows in the page: 1 to 500, 100 when not given.
    pub limit: Option<String>,
}

const ANNOUNCEMENT_STATES: [&str; 5] = [
    "pending_approval",
    "approved",
    "rejected",
    "withdrawn",
    "retracted",
];

fn time(field: &'static str, v: Option<&str>) -> Result<Option<DateTime<Utc>>, Msg> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    parse_bangkok(v).map(Some).map_err(|_| {
        Msg::new("desk-api-bad-time")
            .with("field", field)
            .with("value", v)
    })
}

fn limit(v: Option<&str>) -> Result<usize, Msg> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(DEFAULT_PAGE),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
            _ => Err(Msg::new("desk-api-bad-limit")
                .with("value", v)
                .with("max", MAX_PAGE)),
        },
    }
}

fn bad_value(field: &'static str, v: &str) -> Msg {
    Msg::new("desk-api-bad-value")
        .with("field", field)
        .with("value", v)
}

/// The department to list: the one asked (whoever approves), or the caller's own (staff).
/// `Err(())` when staff ask for another department's: nothing to list.
fn department_for<N>(who: &Caller<N>, asked: Option<String>) -> Result<Option<String>, ()> {
    let asked = asked.filter(|d| !d.trim().is_empty());
    if who.person.role.may_approve() {
        return Ok(asked);
    }
    match (&who.person.department, asked) {
        (Some(own), None) => Ok(Some(own.clone())),
        (Some(own), Some(a)) if &a == own => Ok(Some(a)),
        _ => Err(()),
    }
}

pub(super) fn listed(d: &DeliveryRow) -> ListedDelivery {
    ListedDelivery {
        id: d.id,
        announcement_id: d.announcement_id,
        department: d.department.clone(),
        title: d.title.clone(),
        channel: d.channel.clone(),
        state: d.state.as_str().into(),
        attempts: d.attempts,
        link: d.remote_url.clone(),
        last_error: d.last_error.clone(),
        due_at: d.due_at,
        published_at: d.published_at,
    }
}

fn delivery_filter(q: DeliveryQuery) -> Result<DeliveryFilter, Msg> {
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(DeliveryState::parse(s).ok_or_else(|| bad_value("state", s))?),
    };
    let announcement_id = match q.announcement.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse().map_err(|_| bad_value("announcement", s))?),
    };
    let newest_first = match q.order.as_deref().unwrap_or("newest") {
        "newest" | "" => true,
        "due" => false,
        o => return Err(bad_value("order", o)),
    };
    let after = match q.after.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(DeliveryKey::decode(s).ok_or_else(|| bad_value("after", s))?),
    };
    Ok(DeliveryFilter {
        state,
        channel: q.channel.filter(|c| !c.is_empty()),
        announcement_id,
        department: q.department,
        due_from: time("from", q.from.as_deref())?,
        due_until: time("until", q.until.as_deref())?,
        after,
        limit: Some(limit(q.limit.as_deref())?),
        newest_first,
    })
}

/// Deliveries by state, channel, department, announcement and due time, a page at a time.
#[utoipa::path(get, path = "/api/v1/deliveries", security(("bearer" = [])),
    params(DeliveryQuery),
    responses((status = 200, body = DeliveryPage), (status = 400, body = ApiError),
        (status = 401, body = ApiError)))]
pub async fn deliveries(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Query(q): Query<DeliveryQuery>,
) -> Response {
    let asked = q.department.clone();
    let mut filter = match delivery_filter(q) {
        Ok(f) => f,
        Err(m) => return failure(StatusCode::BAD_REQUEST, who.lang, &m),
    };
    filter.department = match department_for(&who, asked) {
        Ok(d) => d,
        Err(()) => {
            return Json(DeliveryPage {
                deliveries: Vec::new(),
                next: None,
            })
            .into_response();
        }
    };
    let rows = match desk.app.store.deliveries(&filter).await {
        Ok(r) => r,
        Err(e) => return failure(StatusCode::INTERNAL_SERVER_ERROR, who.lang, &e.msg()),
    };
    let full = filter.limit.is_some_and(|l| rows.len() == l);
    let next = full
        .then(|| rows.last().map(|r| r.key().encode()))
        .flatten();
    Json(DeliveryPage {
        deliveries: rows.iter().map(listed).collect(),
        next,
    })
    .into_response()
}

/// Announcements by state, department and publishing time, the newest first, a page at a
/// time (without their deliveries: `GET /api/v1/announcements/{id}` or `/api/v1/deliveries`).
#[utoipa::path(get, path = "/api/v1/announcements", security(("bearer" = [])),
    params(AnnouncementQuery),
    responses((status = 200, body = AnnouncementPage), (status = 400, body = ApiError),
        (status = 401, body = ApiError)))]
pub async fn announcements(
    State(desk): State<Arc<Desk>>,
    who: Caller<AnyRole>,
    Query(q): Query<AnnouncementQuery>,
) -> Response {
    let parsed = (|| -> Result<AnnouncementFilter, Msg> {
        let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
            Some(s) if !ANNOUNCEMENT_STATES.contains(&s) => return Err(bad_value("state", s)),
            s => s.map(str::to_owned),
        };
        let before = match q.after.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(s.parse::<i64>().map_err(|_| bad_value("after", s))?),
        };
        Ok(AnnouncementFilter {
            state,
            department: None,
            publish_from: time("from", q.from.as_deref())?,
            publish_until: time("until", q.until.as_deref())?,
            before,
            limit: limit(q.limit.as_deref())?,
        })
    })();
    let mut filter = match parsed {
        Ok(f) => f,
        Err(m) => return failure(StatusCode::BAD_REQUEST, who.lang, &m),
    };
    filter.department = match department_for(&who, q.department.clone()) {
        Ok(d) => d,
        Err(()) => {
            return Json(AnnouncementPage {
                announcements: Vec::new(),
                next: None,
            })
            .into_response();
        }
    };
    let list = match desk.app.store.list_announcements(&filter).await {
        Ok(l) => l,
        Err(e) => return failure(StatusCode::INTERNAL_SERVER_ERROR, who.lang, &e.msg()),
    };
    let next = (list.len() == filter.limit)
        .then(|| list.last().map(|a| a.id.to_string()))
        .flatten();
    Json(AnnouncementPage {
        announcements: list.iter().map(|a| announcement(a, &[])).collect(),
        next,
    })
    .into_response()
}
