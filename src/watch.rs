//! The channel watch: every few hours the daemon runs each channel's health check and logs what
//! a person must act on — a token that no longer works, one that expires within a week, missing
//! permissions — so an expiring token is noticed before deliveries start failing. (A log line
//! now; the chat bot will carry these to the PR officer.)

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::Health;
use tokio::sync::watch;

use crate::channels::Registry;
use crate::clock::Clock;

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

/// Check every channel now, then every `every`, until shutdown.
pub async fn run(
    registry: Arc<Registry>,
    clock: Arc<dyn Clock>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        for (name, entry) in registry.entries() {
            match entry.channel.healthcheck().await {
                Ok(h) => match concern(&h, clock.now()) {
                    Some(c) => {
                        tracing::warn!(channel = %name, concern = %c, "channel needs attention soon")
                    }
                    None => tracing::debug!(channel = %name, health = %h, "channel healthy"),
                },
                Err(e) => {
                    tracing::error!(channel = %name, error = %e, "channel health check failed")
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
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
}
