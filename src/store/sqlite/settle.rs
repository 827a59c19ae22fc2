//! Settling attempts: outcomes are written fenced by their claim tokens, in the caller's
//! transaction, with their audit rows; the outcome of a superseded claim is kept, never written
//! over the newer one.
//!
//! A batch costs two statements whatever its size, each with the batch as one JSON text so the
//! statement's text never changes and it is prepared once: one `UPDATE … FROM json_each(?)`
//! guarded per row by `state = 'in_flight' AND claim_seq = ?` that returns the rows it settled
//! (`settle.sql`), and one insert of their audit rows. Outcomes whose guard did not hold (a superseded claim) are then
//! recorded one by one, as before; they are rare.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use super::{AuditLine, audit, audit_many, json, ms};
use crate::store::{Actor, Outcome, Result, Settlement};

/// Outcomes per statement: they go as one JSON text, so this only bounds its size.
const CHUNK: usize = 2000;

pub(super) async fn settle(
    tx: &mut Transaction<'_, Sqlite>,
    owner: &str,
    now: DateTime<Utc>,
    settlements: &[Settlement],
) -> Result<usize> {
    let actor = Actor::daemon(&format!("dispatcher:{owner}"));
    // Outcomes for the same delivery are applied in the order given: the first of each in one
    // round, the second in the next, and so on. Within a round every delivery appears once.
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut rounds: Vec<Vec<Settlement>> = Vec::new();
    for s in settlements {
        let n = seen.entry(s.delivery_id).or_insert(0);
        if rounds.len() <= *n {
            rounds.push(Vec::new());
        }
        rounds[*n].push(Settlement {
            outcome: scrubbed(&s.outcome),
            ..s.clone()
        });
        *n += 1;
    }
    let mut settled = 0;
    for round in &rounds {
        for chunk in round.chunks(CHUNK) {
            settled += settle_chunk(tx, &actor, now, chunk).await?;
        }
    }
    Ok(settled)
}

/// What one outcome writes: the delivery's new state and the audit line that says so.
fn action_of(o: &Outcome) -> (&'static str, serde_json::Value) {
    match o {
        Outcome::Published(r) => (
            "published",
            serde_json::json!({"remote_id": r.remote_id, "url": r.url, "request_id": r.request_id, "deduplicated": r.deduplicated}),
        ),
        Outcome::Retry {
            at,
            error,
            class,
            unsettled,
            ..
        } => (
            "retry",
            serde_json::json!({"error": error, "class": class, "next_attempt_at": at, "unsettled": unsettled}),
        ),
        Outcome::NeedsAttention { error, class } => (
            "needs_attention",
            serde_json::json!({"error": error, "class": class}),
        ),
        Outcome::Failed { error, class } => (
            "failed",
            serde_json::json!({"error": error, "class": class}),
        ),
    }
}

/// Settle outcomes of distinct deliveries in one statement; returns how many settled their own
/// claim. The others are recorded as late outcomes.
async fn settle_chunk(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &Actor,
    now: DateTime<Utc>,
    chunk: &[Settlement],
) -> Result<usize> {
    type Row<'a> = (
        i64,
        i64,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<i64>,
        Option<&'a str>,
        Option<&'a str>,
        i64,
        i64,
    );
    let rows: Vec<Row<'_>> = chunk
        .iter()
        .map(|s| {
            let (state, remote, next_at, error, give_back, unsettled) = match &s.outcome {
                Outcome::Published(r) => ("published", Some(r), None, None, false, false),
                Outcome::Retry {
                    at,
                    error,
                    class,
                    count_attempt,
                    unsettled,
                } => (
                    "queued",
                    None,
                    Some(ms(*at)),
                    Some((error, class)),
                    !*count_attempt,
                    *unsettled,
                ),
                Outcome::NeedsAttention { error, class } => (
                    "needs_attention",
                    None,
                    None,
                    Some((error, class)),
                    false,
                    false,
                ),
                Outcome::Failed { error, class } => {
                    ("failed", None, None, Some((error, class)), false, false)
                }
            };
            (
                s.delivery_id,
                s.claim,
                state,
                remote.and_then(|r| r.remote_id.as_deref()),
                remote.and_then(|r| r.url.as_deref()),
                remote.and_then(|r| r.request_id.as_deref()),
                next_at,
                error.map(|(e, _)| e.as_str()),
                error.map(|(_, c)| c.as_str()),
                i64::from(give_back),
                i64::from(unsettled),
            )
        })
        .collect();
    let done: HashSet<i64> = sqlx::query_scalar::<_, i64>(include_str!("settle.sql"))
        .bind(json(&rows))
        .bind(ms(now))
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    let lines: Vec<AuditLine> = chunk
        .iter()
        .filter(|s| done.contains(&s.delivery_id))
        .map(|s| {
            let (action, detail) = action_of(&s.outcome);
            AuditLine {
                action,
                entity: "delivery",
                entity_id: s.delivery_id.to_string(),
                detail,
            }
        })
        .collect();
    audit_many(tx, now, actor, &lines).await?;
    for s in chunk.iter().filter(|s| !done.contains(&s.delivery_id)) {
        let (action, detail) = action_of(&s.outcome);
        record_late_outcome(tx, now, actor, s, action, detail).await?;
    }
    Ok(done.len())
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
