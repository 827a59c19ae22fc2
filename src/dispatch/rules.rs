//! Recurring rules: when a rule falls due, create the announcement for its occurrence (once,
//! guarded by the store's unique (rule, occurrence) key) and move the rule to its next time. A
//! rule whose deliveries on one channel failed `pause_after_failures` times in a row is paused
//! instead (a `rule_paused` event, so the PR officer is told); paused and deleted rules are
//! never due.

use crate::channels::Registry;
use crate::compose::Composer;
use crate::schedule::Recurrence;
use crate::store::{Actor, RulePause, RuleRecord, Store, StoreError};

use chrono::{DateTime, Utc};

/// Fire every rule that is due at `now`, pausing those whose deliveries failed
/// `pause_after_failures` times in a row (0: never). Returns false when the database refused:
/// the rules stay due and are fired when it answers again (the caller backs off meanwhile).
pub async fn fire_due<S: Store>(
    store: &S,
    composer: &Composer,
    registry: &Registry,
    pause_after_failures: u32,
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
        match store
            .rule_failing_channel(rule.id, pause_after_failures)
            .await
        {
            Ok(None) => {}
            Ok(Some(channel)) => {
                tracing::warn!(rule_id = rule.id, %channel, failures = pause_after_failures,
                    "recurring rule paused: its deliveries keep failing");
                let detail = serde_json::json!({
                    "reason": RulePause::Failures.as_str(),
                    "channel": channel,
                    "failures": pause_after_failures,
                    "title": rule.title,
                    "cron": rule.cron,
                });
                match store
                    .pause_rule(
                        rule.id,
                        RulePause::Failures,
                        detail,
                        now,
                        &Actor::daemon("rules"),
                    )
                    .await
                {
                    // Paused, or by someone else meanwhile: either way not fired.
                    Ok(_) | Err(StoreError::Conflict(_) | StoreError::NotFound(_)) => continue,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot pause a failing rule");
                        return false;
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read a rule's failures");
                return false;
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::channels::Purpose;
    use crate::settings::Settings;
    use crate::store::{NewRule, Outcome, Settlement};

    /// A rule posting to the website every minute whose deliveries all fail.
    async fn failing_rule(app: &App, failures: usize) -> (i64, DateTime<Utc>) {
        let t0 = DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap();
        let rule = app
            .store
            .create_rule(
                &NewRule {
                    department: "admin".into(),
                    title: "เตือนภัย".into(),
                    body: "อย่าโอนเงินให้คนแปลกหน้า".into(),
                    link: None,
                    media: vec![],
                    channels: vec!["website".into()],
                    cron: "0 * * * * *".into(),
                    next_fire_at: t0,
                },
                &Actor::daemon("test"),
            )
            .await
            .unwrap();
        let mut at = t0;
        for _ in 0..failures {
            assert!(fire_due(app.store.as_ref(), &app.composer, &app.registry, 0, at).await);
            let claimed = app
                .store
                .claim_due(at, "test", std::time::Duration::from_secs(60), 10)
                .await
                .unwrap();
            let settle: Vec<Settlement> = claimed
                .iter()
                .map(|c| Settlement {
                    delivery_id: c.id,
                    claim: c.claim,
                    outcome: Outcome::Failed {
                        error: "disk full".into(),
                        class: "transient".into(),
                    },
                })
                .collect();
            app.store.settle("test", at, &settle).await.unwrap();
            at = app.store.rule(rule.id).await.unwrap().next_fire_at;
        }
        (rule.id, at)
    }

    async fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::default();
        settings.storage.data_dir = dir.path().join("data");
        let app = App::open_for(settings, Purpose::Compose).await.unwrap();
        (dir, app)
    }

    #[tokio::test]
    async fn a_rule_failing_three_times_in_a_row_is_paused_instead_of_fired() {
        let (_dir, app) = app().await;
        let (id, due) = failing_rule(&app, 3).await;
        let before = app
            .store
            .deliveries(&Default::default())
            .await
            .unwrap()
            .len();
        assert_eq!(before, 3);
        assert!(fire_due(app.store.as_ref(), &app.composer, &app.registry, 3, due).await);
        let rule = app.store.rule(id).await.unwrap();
        assert!(!rule.active);
        assert_eq!(rule.paused_reason.as_deref(), Some("failures"));
        let after = app.store.deliveries(&Default::default()).await.unwrap();
        assert_eq!(after.len(), before, "not fired a fourth time");
        let events = app.store.events_after(0, 100).await.unwrap();
        let paused = events
            .iter()
            .find(|e| e.action == "rule_paused")
            .expect("an event for the PR officer");
        assert_eq!(paused.entity_id, id.to_string());
        assert_eq!(paused.detail["channel"], "website");
        // Paused, it is not due any more.
        let later = due + chrono::Duration::minutes(10);
        assert!(fire_due(app.store.as_ref(), &app.composer, &app.registry, 3, later).await);
        assert_eq!(
            app.store
                .deliveries(&Default::default())
                .await
                .unwrap()
                .len(),
            before
        );
    }

    #[tokio::test]
    async fn two_failures_or_a_setting_of_zero_keep_it_firing() {
        let (_dir, app) = app().await;
        let (id, due) = failing_rule(&app, 2).await;
        assert!(fire_due(app.store.as_ref(), &app.composer, &app.registry, 3, due).await);
        assert!(app.store.rule(id).await.unwrap().active);
        let (_dir, app) = self::app().await;
        let (id, due) = failing_rule(&app, 3).await;
        assert!(fire_due(app.store.as_ref(), &app.composer, &app.registry, 0, due).await);
        assert!(app.store.rule(id).await.unwrap().active);
        assert_eq!(
            app.store
                .deliveries(&Default::default())
                .await
                .unwrap()
                .len(),
            4
        );
    }
}
