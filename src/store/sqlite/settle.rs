//! Settling attempts: each outcome is written fenced by its claim token, in the caller's
//! transaction, with its audit row; the outcome of a superseded claim is kept, never written
//! over the newer one.

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use super::{audit, ms};
use crate::store::{Actor, Outcome, Result, Settlement};

pub(super) async fn settle(
    tx: &mut Transaction<'_, Sqlite>,
    owner: &str,
    now: DateTime<Utc>,
    settlements: &[Settlement],
) -> Result<usize> {
    let actor = Actor::daemon(&format!("dispatcher:{owner}"));
    let mut settled = 0;
    for s in settlements {
        let outcome = scrubbed(&s.outcome);
        let (action, detail, q) = match &outcome {
            Outcome::Published(r) => (
                "published",
                serde_json::json!({"remote_id": r.remote_id, "url": r.url, "request_id": r.request_id, "deduplicated": r.deduplicated}),
                sqlx::query(
                    "UPDATE deliveries SET state = 'published', remote_id = ?, remote_url = ?, request_id = ?,
                     published_at = ?, last_error = NULL, last_error_class = NULL, lease_owner = NULL,
                     lease_expires_at = NULL, uncertain_since = NULL, updated_at = ?
                     WHERE id = ? AND state = 'in_flight' AND claim_seq = ?",
                )
                .bind(r.remote_id.clone())
                .bind(r.url.clone())
                .bind(r.request_id.clone())
                .bind(ms(now))
                .bind(ms(now)),
            ),
            Outcome::Retry { at, error, class, count_attempt, unsettled } => (
                "retry",
                serde_json::json!({"error": error, "class": class, "next_attempt_at": at, "unsettled": unsettled}),
                // An attempt that may have reached the platform becomes the uncertain one;
                // a claim handed back unused leaves the earlier uncertainty as it was.
                sqlx::query(
                    "UPDATE deliveries SET state = 'queued', next_attempt_at = ?, last_error = ?, last_error_class = ?,
                     attempts = attempts - ?, unsettled = MAX(unsettled, ?),
                     uncertain_since = CASE WHEN ? THEN claimed_at ELSE uncertain_since END,
                     lease_owner = NULL, lease_expires_at = NULL,
                     updated_at = ? WHERE id = ? AND state = 'in_flight' AND claim_seq = ?",
                )
                .bind(ms(*at))
                .bind(error.clone())
                .bind(class.clone())
                .bind(i64::from(!*count_attempt))
                .bind(i64::from(*unsettled))
                .bind(*unsettled)
                .bind(ms(now)),
            ),
            Outcome::NeedsAttention { error, class } | Outcome::Failed { error, class } => {
                let state = if matches!(outcome, Outcome::Failed { .. }) { "failed" } else { "needs_attention" };
                (
                    state,
                    serde_json::json!({"error": error, "class": class}),
                    sqlx::query(
                        "UPDATE deliveries SET state = ?, last_error = ?, last_error_class = ?, lease_owner = NULL,
                         lease_expires_at = NULL, updated_at = ? WHERE id = ? AND state = 'in_flight' AND claim_seq = ?",
                    )
                    .bind(state)
                    .bind(error.clone())
                    .bind(class.clone())
                    .bind(ms(now)),
                )
            }
        };
        let done = q
            .bind(s.delivery_id)
            .bind(s.claim)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 1 {
            settled += 1;
            audit(
                tx,
                now,
                &actor,
                action,
                "delivery",
                &s.delivery_id.to_string(),
                detail,
            )
            .await?;
        } else {
            record_late_outcome(tx, now, &actor, s, action, detail).await?;
        }
    }
    Ok(settled)
}

/// The outcome of a claim that was superseded (its lease ran out while it still ran, and another
/// claim took the delivery). It is never written over the newer claim's state, and never dropped:
/// the audit trail keeps it with its remote id. A post it made exists, so a delivery that no
/// claim holds and that is not yet marked published (queued again, parked, cancelled) is marked
/// published with it, and is not sent again. A delivery another claim holds is that claim's to
/// settle; the late receipt stays in the trail.
async fn record_late_outcome(
    tx: &mut Transaction<'_, Sqlite>,
    now: DateTime<Utc>,
    actor: &Actor,
    s: &Settlement,
    action: &str,
    mut detail: serde_json::Value,
) -> Result<()> {
    detail["claim"] = s.claim.into();
    detail["outcome"] = action.into();
    let id = s.delivery_id.to_string();
    if let Outcome::Published(r) = &s.outcome {
        let done = sqlx::query(
            "UPDATE deliveries SET state = 'published', remote_id = ?, remote_url = ?, request_id = ?,
             published_at = ?, last_error = NULL, last_error_class = NULL, lease_owner = NULL,
             lease_expires_at = NULL, uncertain_since = NULL, updated_at = ?
             WHERE id = ? AND state IN ('queued', 'needs_attention', 'failed', 'cancelled')",
        )
        .bind(r.remote_id.clone())
        .bind(r.url.clone())
        .bind(r.request_id.clone())
        .bind(ms(now))
        .bind(ms(now))
        .bind(s.delivery_id)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 1 {
            detail["late"] = true.into();
            return audit(tx, now, actor, "published", "delivery", &id, detail).await;
        }
    }
    tracing::warn!(
        delivery_id = s.delivery_id,
        claim = s.claim,
        outcome = action,
        "an outcome arrived after its claim was superseded; kept in the audit trail"
    );
    audit(tx, now, actor, "late_outcome", "delivery", &id, detail).await
}

/// The outcome with every secret masked in its message: a platform or proxy may echo a token
/// back, and what is stored is shown to people and kept in the audit trail.
fn scrubbed(o: &Outcome) -> Outcome {
    use prakat_adapters::http::scrub;
    let mut o = o.clone();
    match &mut o {
        Outcome::Published(_) => {}
        Outcome::Retry { error, .. }
        | Outcome::NeedsAttention { error, .. }
        | Outcome::Failed { error, .. } => *error = scrub(error),
    }
    o
}
