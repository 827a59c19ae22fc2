//! The channel watch: every few hours the daemon runs each channel's health check and tells what
//! a person must act on — a token that no longer works, one that expires within a week, missing
//! permissions — so an expiring token is noticed before deliveries start failing. Each is a log
//! line and, once a day per channel, a `channel_concern` event, which the chat bot carries to
//! the PR officers. The latest answer of every channel is kept on a [`HealthBoard`], which
//! the web desk shows (read only) and which an admin may ask to check again now.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::Health;
use tokio::sync::{Notify, watch};

use crate::channels::Registry;
use crate::clock::Clock;
use crate::store::{Actor, Store};

/// How soon before expiry a token is reported.
pub const EXPIRY_WARNING: chrono::Duration = chrono::Duration::days(7);

/// What the watch says of one health check, if anything needs a person.
pub fn concern(health: &Health, now: DateTime<Utc>) -> Option<String> {
    let mut parts = vec![];
    if let Some(at) = health.token_expires_at {
        if at <= now {
            parts.push(format!(
                "token expired at {}",
                at.format("%Y-%m-%d %H:%M UTC")
            ));
        } else if at - now <= EXPIRY_WARNING {
            parts.push(format!(
                "token expires at {} (in {} h)",
                at.format("%Y-%m-%d %H:%M UTC"),
                (at - now).num_hours()
            ));
        }
    }
    if !health.missing_permissions.is_empty() {
        parts.push(format!(
            "missing permissions: {}",
            health.missing_permissions.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The `channel_concern` event's detail: what a person must act on, for any front end to word.
pub fn concern_detail(
    channel: &str,
    health: Option<&Health>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let expires = health.and_then(|h| h.token_expires_at);
    serde_json::json!({
        "channel": channel,
        "expires_at": expires.map(|t| t.to_rfc3339()),
        "expired": expires.is_some_and(|t| t <= now),
        "missing_permissions": health.map(|h| h.missing_permissions.clone()).unwrap_or_default(),
        "error": error,
    })
}

/// One channel's latest health check: when, and what it answered (the error as the channel
/// worded it, secrets never in it).
#[derive(Debug, Clone)]
pub struct Checked {
    pub at: DateTime<Utc>,
    pub result: Result<Health, String>,
}

/// The latest health check of every channel, kept by the watch for the pages that show it.
#[derive(Debug, Default)]
pub struct HealthBoard {
    latest: RwLock<BTreeMap<String, Checked>>,
    /// Wakes the watch to check every channel now.
    again: Notify,
    /// When a check now was last asked for: at most one a minute, so a page cannot make the
    /// daemon hammer the platforms.
    asked: RwLock<Option<DateTime<Utc>>>,
}

impl HealthBoard {
    /// The latest answer of the channel, if it was checked since the daemon started.
    pub fn latest(&self, channel: &str) -> Option<Checked> {
        self.latest
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(channel)
            .cloned()
    }

    pub fn record(&self, channel: &str, checked: Checked) {
        self.latest
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(channel.to_owned(), checked);
    }

    /// Ask the watch to check every channel now; false when a check was asked for less than a
    /// minute ago (that one is still coming).
    pub fn check_now(&self, now: DateTime<Utc>) -> bool {
        let mut asked = self.asked.write().unwrap_or_else(|e| e.into_inner());
        if asked.is_some_and(|at| now - at < chrono::Duration::minutes(1)) {
            return false;
        }
        *asked = Some(now);
        self.again.notify_one();
        true
    }
}

/// Check every channel now, then every `every` (or when the board asks), until shutdown.
pub async fn run<S: Store>(
    registry: Arc<Registry>,
    store: Arc<S>,
    clock: Arc<dyn Clock>,
    every: Duration,
    board: Arc<HealthBoard>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        for (name, entry) in registry.entries() {
            let answer = entry.channel.healthcheck().await;
            let now = clock.now();
            board.record(
                name,
                Checked {
                    at: now,
                    result: answer.clone().map_err(|e| e.to_string()),
                },
            );
            let detail = match answer {
                Ok(h) => match concern(&h, now) {
                    Some(c) => {
                        tracing::warn!(channel = %name, concern = %c, "channel needs attention soon");
                        Some(concern_detail(name, Some(&h), None, now))
                    }
                    None => {
                        tracing::debug!(channel = %name, health = %h, "channel healthy");
                        None
                    }
                },
                Err(e) => {
                    tracing::error!(channel = %name, error = %e, "channel health check failed");
                    Some(concern_detail(name, None, Some(&e.to_string()), now))
                }
            };
            if let Some(detail) = detail {
                tell_once_a_day(store.as_ref(), name, detail, now).await;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = board.again.notified() => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
    }
}

/// A `channel_concern` event, at most once a day per channel (the watch runs more often).
async fn tell_once_a_day<S: Store>(
    store: &S,
    channel: &str,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) {
    let day = now.with_timezone(&chrono_tz::Asia::Bangkok).date_naive();
    let key = format!("concern:{channel}:{day}");
    let told = async {
        if store.said(&key).await? {
            return Ok(());
        }
        store
            .record_audit(
                &Actor::daemon("watch"),
                "channel_concern",
                "channel",
                channel,
                detail,
            )
            .await?;
        store.say_once(&key, now).await.map(|_| ())
    };
    if let Err(e) = told.await {
        tracing::warn!(channel, error = %e, "cannot record a channel's concern");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(expires: Option<DateTime<Utc>>, missing: &[&str]) -> Health {
        Health {
            summary: "x".into(),
            token_expires_at: expires,
            missing_permissions: missing.iter().map(|s| s.to_string()).collect(),
            quota: None,
        }
    }

    #[test]
    fn expiring_expired_and_missing_permissions_are_reported() {
        let now = Utc::now();
        assert_eq!(concern(&health(None, &[]), now), None);
        assert_eq!(
            concern(&health(Some(now + chrono::Duration::days(30)), &[]), now),
            None
        );
        assert!(
            concern(&health(Some(now + chrono::Duration::days(2)), &[]), now)
                .unwrap()
                .contains("expires")
        );
        assert!(
            concern(&health(Some(now - chrono::Duration::hours(1)), &[]), now)
                .unwrap()
                .contains("expired")
        );
        let c = concern(&health(None, &["pages_manage_posts"]), now).unwrap();
        assert!(c.contains("pages_manage_posts"), "{c}");
    }

    #[tokio::test]
    async fn a_concern_becomes_one_event_a_day_per_channel() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::SqliteStore::open(&dir.path().join("p.db"))
            .await
            .unwrap();
        let now = Utc::now();
        let h = health(
            Some(now + chrono::Duration::days(2)),
            &["pages_manage_posts"],
        );
        let detail = concern_detail("facebook", Some(&h), None, now);
        assert_eq!(detail["expired"], false);
        assert_eq!(detail["missing_permissions"][0], "pages_manage_posts");
        for _ in 0..3 {
            tell_once_a_day(&store, "facebook", detail.clone(), now).await;
        }
        tell_once_a_day(
            &store,
            "line",
            concern_detail("line", None, Some("401"), now),
            now,
        )
        .await;
        let events = store.events_after(0, 100).await.unwrap();
        let concerns: Vec<&str> = events
            .iter()
            .filter(|e| e.action == "channel_concern")
            .map(|e| e.entity_id.as_str())
            .collect();
        assert_eq!(concerns, ["facebook", "line"]);
        tell_once_a_day(&store, "facebook", detail, now + chrono::Duration::days(1)).await;
        let again = store.events_after(0, 100).await.unwrap();
        assert_eq!(
            again
                .iter()
                .filter(|e| e.action == "channel_concern")
                .count(),
            3,
            "the next day, again"
        );
    }
}
