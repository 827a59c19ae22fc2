//! Recurring rules: when a rule falls due, create the announcement for its occurrence (once,
//! guarded by the store's unique (rule, occurrence) key) and move the rule to its next time.

use crate::channels::Registry;
use crate::compose::Composer;
use crate::schedule::Recurrence;
use crate::store::{RuleRecord, Store};

use chrono::{DateTime, Utc};

/// Fire every rule that is due at `now`. Returns how many announcements were created.
pub async fn fire_due<S: Store>(
    store: &S,
    composer: &Composer,
    registry: &Registry,
    now: DateTime<Utc>,
) -> usize {
    let rules = match store.due_rules(now, 64).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot read recurring rules");
            return 0;
        }
    };
    let mut created = 0;
    for rule in rules {
        created += usize::from(fire_one(store, composer, registry, &rule, now).await);
    }
    created
}

async fn fire_one<S: Store>(
    store: &S,
    composer: &Composer,
    registry: &Registry,
    rule: &RuleRecord,
    now: DateTime<Utc>,
) -> bool {
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
            return false;
        }
    };
    let occurrence = recurrence
        .latest_in(rule.next_fire_at - chrono::Duration::milliseconds(1), now)
        .unwrap_or(rule.next_fire_at);
    let Some(next) = recurrence.next_after(now) else {
        tracing::warn!("rule never fires again");
        return false;
    };
    let compose = |a: &crate::store::AnnouncementRecord| {
        composer.deliveries(registry, &rule.channels, a, a.publish_at)
    };
    match store.fire_rule(rule, occurrence, next, &compose).await {
        Ok(Some(a)) => {
            tracing::info!(announcement_id = a.id, %occurrence, %next, "recurring announcement created");
            true
        }
        Ok(None) => false,
        Err(e) => {
            tracing::error!(error = %e, %occurrence, "cannot create the recurring announcement; skipping this occurrence");
            let _ = store
                .skip_rule_occurrence(rule.id, occurrence, next, &e.to_string())
                .await;
            false
        }
    }
}
