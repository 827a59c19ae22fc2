//! Follow up: the latest announcements that have deliveries, newest first, each with its
//! channels' states — so what needs attention is seen at a glance. Department staff see their
//! department's. Read at a glance ([`Store::delivery_glances`]): only what the page shows.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Serialize;

use super::Desk;
use super::auth::{AnyRole, Signed};
use super::pages::{Page, state_labels, store_failure, when};
use crate::store::{DeliveryFilter, DeliveryGlance, DeliveryState, Store};

/// How many deliveries the list looks back over.
const LOOK_BACK: usize = 600;

/// An announcement of the list, as the template shows it.
#[derive(Serialize)]
struct Item<'a> {
    id: i64,
    title: &'a str,
    /// The department's code.
    department: &'a str,
    /// When it is due: its newest delivery's time.
    due: String,
    /// One of its deliveries failed or waits for a person.
    attention: bool,
    channels: Vec<Chip<'a>>,
}

/// A delivery's channel and state (its name through `labels`).
#[derive(Serialize)]
struct Chip<'a> {
    channel: &'a str,
    state: &'static str,
}

/// `GET /desk/announcements`.
pub async fn list(State(desk): State<Arc<Desk>>, who: Signed<AnyRole>) -> Response {
    let lang = who.lang;
    let rows = match desk
        .app
        .store
        .delivery_glances(&DeliveryFilter {
            limit: Some(LOOK_BACK),
            newest_first: true,
            // Department staff: their own department's, read as such (not filtered after).
            department: (!who.person.role.may_approve())
                .then(|| who.person.department.clone())
                .flatten(),
            ..Default::default()
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return store_failure(&desk, lang, &e),
    };
    // Grouped by announcement, in the order first seen (the newest first).
    let mut order: Vec<i64> = Vec::new();
    let mut groups: HashMap<i64, Vec<&DeliveryGlance>> = HashMap::new();
    for d in rows.iter().filter(|d| who.sees(&d.department)) {
        if !groups.contains_key(&d.announcement_id) {
            order.push(d.announcement_id);
        }
        groups.entry(d.announcement_id).or_default().push(d);
    }
    let items: Vec<Item<'_>> = order
        .iter()
        .map(|id| {
            let ds = &groups[id];
            let first = ds[0];
            Item {
                id: *id,
                title: &first.title,
                department: &first.department,
                due: when(lang, first.due_at),
                attention: ds.iter().any(|d| {
                    matches!(
                        d.state,
                        DeliveryState::NeedsAttention | DeliveryState::Failed
                    )
                }),
                // The oldest first: the order the channels were made in.
                channels: ds
                    .iter()
                    .rev()
                    .map(|d| Chip {
                        channel: &d.channel,
                        state: d.state.as_str(),
                    })
                    .collect(),
            }
        })
        .collect();
    Page::render(
        &desk,
        lang,
        "announcements.html",
        context! { items => items, labels => state_labels(lang), ..who.frame() },
    )
    .into_response()
}
