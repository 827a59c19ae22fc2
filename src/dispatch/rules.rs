//! Recurring rules: when a rule falls due, create the announcement for its occurrence (once,
//! guarded by the store's unique (rule, occurrence) key) and move the rule to its next time.

use crate::channels::Registry;
use crate::compose::Composer;
use crate::schedule::Recurrence;
use crate::store::{RuleRecord, Store, StoreError};

use chrono::{DateTime, Utc};

/// Fire every rule that is due at `now`. Returns false when the database refused: the rules
/// stay due and are fired when it answers again (the caller backs off meanwhile).
pub async fn fire_due<S: Store>(
    store: &S,
    composer: &Composer,
    registry: &Registry,
    now: DateTime<Utc>,
) -> bool {
    let rules = match store.due_rules(now, 64).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot read recurring rules");
            return false;
        }
    };
    for rule in rules {
        if fire_one(store, composer, registry, &rule, now).await == Fired::StoreFailed {
            return false;
        }
    }
    true
}

#[derive(Debug, PartialEq, Eq)]
enum Fired {
    Created,
    Skipped,
    StoreFailed,
}

async fn fire_one<S: Store>(
    store: &S,
    composer: &Composer,
    registry: &Registry,
    rule: &RuleRecord,
    now: DateTime<Utc>,
) -> Fired {
    let span = tracing::info_span!("rule", rule_id = rule.id, cron = %rule.cron);
    let _enter = span.enter();
    let recurrence = match Recurrence::parse(&rule.cron) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "stored rule has a bad cron expression; skipping a day");
            let _ = store
                .skip_rule_occurrence(
                    rule.id,
                    rule.next_fire_at,
                    now + chrono::Duration::days(1),
                    &e.to_string(),
                )
                .await;
            return Fired::Skipped;
        }
    };
    let occurrence = recurrence
        .latest_in(rule.next_fire_at - chrono::Duration::milliseconds(1), now)
        .unwrap_or(rule.next_fire_at);
    let Some(next) = recurrence.next_after(now) else {
        // Moved far away rather than left due, or the dispatcher would find it due on every
        // turn of its loop.
        tracing::warn!("rule never fires again");
        let _ = store
            .skip_rule_occurrence(
                rule.id,
                rule.next_fire_at,
                now + chrono::Duration::days(365 * 100),
                "the cron expression never fires again",
            )
            .await;
        return Fired::Skipped;
    };
    let compose = |a: &crate::store::AnnouncementRecord| {
        composer.deliveries(registry, &rule.channels, a, a.publish_at)
    };
    match store.fire_rule(rule, occurrence, next, &compose).await {
        Ok(Some(a)) => {
            tracing::info!(announcement_id = a.id, %occurrence, %next, "recurring announcement created");
            Fired::Created
        }
        Ok(None) => Fired::Skipped,
        // Only an occurrence that can never be composed is skipped; a database that failed
        // this time is asked again (the occurrence stays due).
        Err(e @ (StoreError::Compose(_) | StoreError::Invalid(_) | StoreError::NotFound(_))) => {
            tracing::error!(error = %e, %occurrence, "cannot create the recurring announcement; skipping this occurrence");
            let _ = store
                .skip_rule_occurrence(rule.id, occurrence, next, &e.to_string())
                .await;
            Fired::Skipped
        }
        Err(e) => {
            tracing::error!(error = %e, %occurrence, "cannot create the recurring announcement now; trying again");
            Fired::StoreFailed
        }
    }
}
