//! The channels' health, read only: what the daemon's watch last heard from each channel —
//! whether its token works, when a person must renew it, permissions it lacks, quota left —
//! and what to do about it, in the reader's language. Whoever approves may ask for a check now
//! (at most one a minute, [`crate::watch::HealthBoard::check_now`]). Nothing secret is shown:
//! the channels' own summaries and errors never carry a token.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use minijinja::{Value, context};

use super::Desk;
use super::auth::{Approver, Signed, SignedForm};
use super::inbox::see_other;
use super::pages::{Page, when};
use crate::i18n::{Lang, tr};
use crate::watch::{Checked, EXPIRY_WARNING};

/// How a channel stands, as the page colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Unchecked,
    Good,
    /// Works, but a person must act soon (a token expiring, permissions missing).
    Soon,
    Failing,
}

impl Standing {
    fn of(checked: Option<&Checked>, now: DateTime<Utc>) -> Standing {
        match checked.map(|c| &c.result) {
            None => Standing::Unchecked,
            Some(Err(_)) => Standing::Failing,
            Some(Ok(h)) => match h.token_expires_at {
                Some(at) if at <= now => Standing::Failing,
                Some(at) if at - now <= EXPIRY_WARNING => Standing::Soon,
                _ if !h.missing_permissions.is_empty() => Standing::Soon,
                _ => Standing::Good,
            },
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Standing::Unchecked => "unchecked",
            Standing::Good => "good",
            Standing::Soon => "soon",
            Standing::Failing => "failing",
        }
    }
}

/// Whole days from `now` to `at`, a part of a day counted as one (none once past).
fn days_until(at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((at - now).num_seconds().max(0) + 86_399) / 86_400
}

/// One channel as the page shows it.
fn channel_value(
    lang: Lang,
    name: &str,
    kind: &str,
    c: Option<&Checked>,
    now: DateTime<Utc>,
) -> Value {
    let standing = Standing::of(c, now);
    let health = c.and_then(|c| c.result.as_ref().ok());
    let expires = health.and_then(|h| h.token_expires_at);
    let todo = match standing {
        Standing::Failing if expires.is_some_and(|at| at <= now) => Some(tr(
            lang,
            "desk-health-todo-expired",
            &[("channel", name.into())],
        )),
        Standing::Failing => Some(tr(
            lang,
            "desk-health-todo-failing",
            &[("channel", name.into())],
        )),
        Standing::Soon if expires.is_some_and(|at| at - now <= EXPIRY_WARNING) => Some(tr(
            lang,
            "desk-health-todo-renew",
            &[("channel", name.into())],
        )),
        Standing::Soon => Some(tr(lang, "desk-health-todo-permissions", &[])),
        _ => None,
    };
    context! {
        name => name,
        kind => kind,
        standing => standing.as_str(),
        checked => c.map(|c| when(lang, c.at)),
        summary => health.map(|h| &h.summary),
        error => c.and_then(|c| c.result.as_ref().err()),
        expires => expires.map(|at| when(lang, at)),
        days_left => expires.map(|at| days_until(at, now)),
        missing => health.map(|h| h.missing_permissions.join(", ")).filter(|m| !m.is_empty()),
        quota => health.and_then(|h| h.quota.as_ref()),
        todo => todo,
    }
}

/// `GET /desk/channels`.
pub async fn show(State(desk): State<Arc<Desk>>, who: Signed<Approver>) -> Response {
    let now = desk.clock.now();
    let channels: Vec<Value> = desk
        .app
        .registry
        .entries()
        .map(|(name, entry)| {
            let latest = desk.health.latest(name);
            channel_value(who.lang, name, entry.channel.kind(), latest.as_ref(), now)
        })
        .collect();
    Page::render(
        &desk,
        who.lang,
        "channels.html",
        context! { channels => channels, ..who.frame() },
    )
    .into_response()
}

/// `POST /desk/channels/check`: ask the watch to check every channel now.
pub async fn check_now(State(desk): State<Arc<Desk>>, _who: SignedForm<Approver>) -> Response {
    desk.health.check_now(desk.clock.now());
    see_other("/desk/channels")
}

#[cfg(test)]
mod tests {
    use super::*;
    use prakat_adapters::Health;

    fn checked(expires: Option<DateTime<Utc>>, missing: &[&str]) -> Checked {
        Checked {
            at: Utc::now(),
            result: Ok(Health {
                summary: "page ok".into(),
                token_expires_at: expires,
                missing_permissions: missing.iter().map(|s| s.to_string()).collect(),
                quota: None,
            }),
        }
    }

    #[test]
    fn a_channel_stands_by_its_latest_check() {
        let now = Utc::now();
        let days = chrono::Duration::days;
        assert_eq!(Standing::of(None, now), Standing::Unchecked);
        assert_eq!(Standing::of(Some(&checked(None, &[])), now), Standing::Good);
        assert_eq!(
            Standing::of(Some(&checked(Some(now + days(30)), &[])), now),
            Standing::Good
        );
        assert_eq!(
            Standing::of(Some(&checked(Some(now + days(3)), &[])), now),
            Standing::Soon
        );
        assert_eq!(
            Standing::of(Some(&checked(None, &["pages_manage_posts"])), now),
            Standing::Soon
        );
        assert_eq!(
            Standing::of(Some(&checked(Some(now - days(1)), &[])), now),
            Standing::Failing
        );
        let failed = Checked {
            at: now,
            result: Err("401 Unauthorized".into()),
        };
        assert_eq!(Standing::of(Some(&failed), now), Standing::Failing);
    }

    #[test]
    fn what_to_do_is_said_in_thai() {
        let now = Utc::now();
        let soon = checked(Some(now + chrono::Duration::days(3)), &[]);
        let v = channel_value(Lang::Th, "facebook", "facebook", Some(&soon), now);
        let todo = v.get_attr("todo").unwrap().to_string();
        assert!(
            todo.contains("facebook") && todo.contains("ต่ออายุ"),
            "{todo}"
        );
        assert_eq!(v.get_attr("days_left").unwrap().as_i64(), Some(3));
    }
}
