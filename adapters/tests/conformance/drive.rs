//! Driving a channel the way the dispatcher does, in one place for every case: publish; on
//! `Transient` or `RetryAfter` try again (the wait is recorded, not slept); on `Ambiguous` wait
//! until the earlier attempt can no longer complete, then look it up with
//! `reconcile().find_published` for an `Idempotency::Reconcile` channel (re-send only if nothing
//! is found), or re-publish flagged `after_unsettled_attempt` for `Native` (LINE's retry key) and
//! `Resumable` (TikTok's saved state); `Auth`, `Rejected` and a used-up quota stop. What a
//! channel saves through its checkpoint is handed to the next attempt, as the delivery row would.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use prakat_adapters::{
    Channel, Checkpoint, Idempotency, Payload, PublishContext, PublishError, Receipt,
};

use super::bad_day::BadDay;

/// The attempts one delivery gets here (the dispatcher's budget is larger; none of these cases
/// needs more than three).
const MAX_ATTEMPTS: u32 = 6;

/// How a delivery ended.
#[derive(Debug)]
pub enum Outcome {
    Published(Receipt),
    Stopped(PublishError),
}

/// The delivery's story: its outcome, every failure's class in order, and the waits asked.
#[derive(Debug)]
pub struct Run {
    pub outcome: Outcome,
    pub failures: Vec<&'static str>,
    pub waits: Vec<Duration>,
}

/// The delivery row's saved state.
#[derive(Default)]
struct Row(Mutex<Option<String>>);

#[async_trait::async_trait]
impl Checkpoint for Row {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        *self.0.lock().unwrap() = Some(state.to_owned());
        Ok(())
    }
}

/// Publish `payload` on `channel` until it settles, as the dispatcher would.
pub async fn drive(channel: &dyn Channel, payload: &Payload, key: &str, net: &BadDay) -> Run {
    let row = Arc::new(Row::default());
    let mut unsettled = false;
    let mut failures = Vec::new();
    let mut waits = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let ctx = PublishContext {
            delivery_id: 1,
            idempotency_key: key.to_owned(),
            attempt,
            after_unsettled_attempt: unsettled,
            saved_state: row.0.lock().unwrap().clone(),
            checkpoint: Some(row.clone() as Arc<dyn Checkpoint>),
        };
        let err = match channel.publish(payload, &ctx).await {
            Ok(receipt) => {
                return Run {
                    outcome: Outcome::Published(receipt),
                    failures,
                    waits,
                };
            }
            Err(e) => e,
        };
        failures.push(err.class());
        match err {
            PublishError::Transient(_) => {}
            PublishError::RetryAfter(wait, _) => waits.push(wait),
            PublishError::Ambiguous(_) => {
                unsettled = true;
                net.quiet().await;
                if channel.idempotency() == Idempotency::Reconcile {
                    let found = channel
                        .reconcile()
                        .expect("a Reconcile channel can look up")
                        .find_published(payload, key)
                        .await;
                    match found {
                        Ok(Some(receipt)) => {
                            return Run {
                                outcome: Outcome::Published(receipt),
                                failures,
                                waits,
                            };
                        }
                        Ok(None) => {}
                        Err(e) => failures.push(e.class()),
                    }
                }
            }
            stop => {
                return Run {
                    outcome: Outcome::Stopped(stop),
                    failures,
                    waits,
                };
            }
        }
    }
    panic!("no outcome after {MAX_ATTEMPTS} attempts: {failures:?}");
}
