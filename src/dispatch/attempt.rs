//! One attempt of one claimed delivery: wait for a slot of its channel, settle an earlier
//! attempt whose outcome is unknown, publish, and turn the channel's answer into an [`Outcome`].
//!
//! What must never happen here: publishing a delivery this engine is already publishing, looking
//! a post up while an earlier create may still complete, or running past the claim's lease. The
//! attempt has one deadline inside the lease, shared by the look-up and the publish; a panic in
//! a channel becomes `needs_attention` for a person, never a lost delivery.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use prakat_adapters::{Checkpoint, Idempotency, PublishContext, PublishError};
use rand::rngs::StdRng;
use tokio::sync::{Semaphore, watch};

use super::engine::{AuthHolds, Running};
use super::policy::RetryPolicy;
use super::progress::ProgressBoard;
use crate::channels::Entry;
use crate::clock::Clock;
use crate::metrics::{ChannelLabel, Metrics, OutcomeLabel};
use crate::store::{ClaimedDelivery, Outcome, Store};

/// One claimed delivery's attempt, with everything it needs and nothing borrowed.
pub(super) struct Task {
    pub entry: Option<Entry>,
    pub channel_slots: Option<Arc<Semaphore>>,
    pub policy: RetryPolicy,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub rng: Arc<Mutex<StdRng>>,
    /// When the claim was taken: the lease runs from here.
    pub claimed_at: DateTime<Utc>,
    pub lease: Duration,
    /// This channel's publish timeout (its section's, else `dispatch.publish_timeout`).
    pub publish_timeout: Duration,
    pub reconcile_margin: Duration,
    pub stop: watch::Receiver<bool>,
    pub holds: Arc<AuthHolds>,
    pub auth_hold: Duration,
    pub running: Arc<Running>,
    pub checkpoint: Arc<StoreCheckpoint>,
}

/// The one store call a checkpoint needs, object-safe so `Task` is not generic.
#[async_trait::async_trait]
pub(super) trait StoreDyn: Send + Sync {
    async fn save_publish_state(
        &self,
        delivery_id: i64,
        claim: i64,
        state: &str,
    ) -> crate::store::Result<bool>;
}

#[async_trait::async_trait]
impl<S: Store> StoreDyn for S {
    async fn save_publish_state(
        &self,
        delivery_id: i64,
        claim: i64,
        state: &str,
    ) -> crate::store::Result<bool> {
        Store::save_publish_state(self, delivery_id, claim, state).await
    }
}

/// Saves a channel's in-progress state on the delivery's row, fenced by the claim.
pub(super) struct StoreCheckpoint {
    pub delivery_id: i64,
    pub claim: i64,
    /// The state the attempt started from: saving a different one is progress.
    pub initial: Option<String>,
    pub progressed: AtomicBool,
    pub progress: Arc<ProgressBoard>,
    pub store: Arc<dyn StoreDyn>,
}

impl Drop for StoreCheckpoint {
    // The attempt is over (whatever its outcome): its transfer is no longer in progress.
    fn drop(&mut self) {
        self.progress.clear(self.delivery_id);
    }
}

#[async_trait::async_trait]
impl Checkpoint for StoreCheckpoint {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        match self
            .store
            .save_publish_state(self.delivery_id, self.claim, state)
            .await
        {
            Ok(true) => {
                if self.initial.as_deref() != Some(state) {
                    self.progressed.store(true, Ordering::SeqCst);
                }
                Ok(())
            }
            // A later claim owns the delivery now: stop rather than race it.
            Ok(false) => Err(PublishError::Transient(
                "the claim on this delivery has passed to another worker".into(),
            )),
            Err(e) => Err(PublishError::Transient(format!(
                "cannot save upload progress: {e}"
            ))),
        }
    }

    fn progress(&self, done: u64, total: u64) {
        self.progress.set(self.delivery_id, done, total);
    }
}

/// A claim given back without calling the platform.
fn hand_back(at: DateTime<Utc>, error: impl Into<String>, class: &str) -> Outcome {
    Outcome::Retry {
        at,
        error: error.into(),
        class: class.into(),
        count_attempt: false,
        unsettled: false,
    }
}

impl Task {
    pub(super) async fn run(mut self, c: ClaimedDelivery) -> Outcome {
        if !self.running.start(c.id, c.claim) {
            // Its lease ran out while this engine still works on it (or its outcome is not yet
            // written): the attempt in progress decides; this claim is given back unused.
            return Outcome::Retry {
                at: self.clock.now() + chrono::Duration::seconds(1),
                error: "an earlier attempt of this delivery is still in progress here".into(),
                class: "still_running".into(),
                count_attempt: false,
                unsettled: true,
            };
        }
        if c.attempt > self.policy.max_attempts {
            // Attempts are capped when claimed: a delivery whose attempts keep dying with the
            // process (a crash loop) stops here instead of trying for ever.
            return Outcome::NeedsAttention {
                error: format!(
                    "claimed {} times without an outcome (dispatch.max_attempts {}): check the platform, then retry or cancel",
                    c.attempt, self.policy.max_attempts
                ),
                class: "attempts".into(),
            };
        }
        let (Some(entry), Some(slots)) = (self.entry.take(), self.channel_slots.take()) else {
            return Outcome::NeedsAttention {
                error: format!(
                    "channel {:?} is not enabled in the settings: enable it, then retry this delivery",
                    c.channel
                ),
                class: "unknown_channel".into(),
            };
        };
        // Wait for a slot of this channel, but hand the claim back rather than publish on a
        // lease that is about to run out or while shutting down.
        let mut stop = self.stop.clone();
        let permit = tokio::select! {
            p = slots.acquire_owned() => p.ok(),
            _ = stop.wait_for(|s| *s) => None,
        };
        let now = self.clock.now();
        let lease_end =
            self.claimed_at + chrono::Duration::from_std(self.lease).unwrap_or_default();
        let budget = chrono::Duration::from_std(self.publish_timeout).unwrap_or_default();
        if permit.is_none() || lease_end - now <= budget {
            return hand_back(
                now,
                "claim handed back before publishing (shutdown or lease running out)",
                "released",
            );
        }
        // One deadline for the whole attempt (look-up and publish), inside the lease.
        let deadline = now + budget;
        let outcome = match self.holds.get(&c.channel, now, self.auth_hold) {
            Some((at, error)) => Outcome::NeedsAttention {
                error: format!(
                    "not sent: channel {} refused its token at {} ({error}); fix the token, restart, then retry",
                    c.channel,
                    at.with_timezone(&chrono_tz::Asia::Bangkok)
                        .format("%Y-%m-%d %H:%M")
                ),
                class: "auth".into(),
            },
            None => {
                let attempt = std::panic::AssertUnwindSafe(self.attempt(&entry, &c, deadline))
                    .catch_unwind()
                    .await;
                let outcome = attempt.unwrap_or_else(|panic| {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "no message".into());
                    Outcome::NeedsAttention {
                        error: format!(
                            "the {} channel failed unexpectedly ({what}); the post may or may not be on the platform: \
                             check it, then retry or cancel this delivery",
                            c.channel
                        ),
                        class: "panic".into(),
                    }
                });
                if let Outcome::NeedsAttention { error, class } = &outcome
                    && class == "auth"
                {
                    self.holds.set(&c.channel, self.clock.now(), error);
                }
                outcome
            }
        };
        let outcome = self.progress_is_not_a_failure(outcome);
        self.record(&c, &outcome);
        outcome
    }

    /// An attempt that moved a transfer forward does not use up the attempt budget.
    fn progress_is_not_a_failure(&self, outcome: Outcome) -> Outcome {
        match outcome {
            Outcome::Retry {
                at,
                error,
                class,
                count_attempt: true,
                unsettled,
            } if self.checkpoint.progressed.load(Ordering::SeqCst) => Outcome::Retry {
                at,
                error,
                class,
                count_attempt: false,
                unsettled,
            },
            o => o,
        }
    }

    fn record(&self, c: &ClaimedDelivery, outcome: &Outcome) {
        let label = match outcome {
            Outcome::Published(_) => "published",
            Outcome::Retry { .. } => "retry",
            Outcome::NeedsAttention { .. } => "needs_attention",
            Outcome::Failed { .. } => "failed",
        };
        self.metrics
            .attempts
            .get_or_create(&OutcomeLabel {
                channel: c.channel.clone(),
                outcome: label.into(),
            })
            .inc();
        match outcome {
            Outcome::Published(r) => {
                tracing::info!(remote_id = ?r.remote_id, url = ?r.url, deduplicated = r.deduplicated, "published")
            }
            Outcome::Retry { at, error, .. } => tracing::warn!(%at, %error, "will retry"),
            Outcome::NeedsAttention { error, .. } => tracing::error!(%error, "needs attention"),
            Outcome::Failed { error, .. } => tracing::error!(%error, "failed"),
        }
    }

    fn left(&self, deadline: DateTime<Utc>) -> Duration {
        (deadline - self.clock.now())
            .to_std()
            .unwrap_or(Duration::ZERO)
    }

    async fn attempt(
        &self,
        entry: &Entry,
        c: &ClaimedDelivery,
        deadline: DateTime<Utc>,
    ) -> Outcome {
        let ch = entry.channel.as_ref();
        let idempotency = ch.idempotency();
        let decide = |e: &PublishError| {
            let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
            self.policy
                .decide(e, c.attempt, idempotency, self.clock.now(), &mut *rng)
        };
        if c.unsettled {
            match (idempotency, ch.reconcile()) {
                (Idempotency::Native | Idempotency::Resumable, _) => {}
                (Idempotency::Reconcile, Some(r))
                    if r.resumes_without_lookup(c.saved_state.as_deref()) => {}
                (Idempotency::Reconcile, Some(r)) => {
                    // A look-up proves nothing while the earlier create may still complete.
                    let since = c.uncertain_since.unwrap_or(self.claimed_at);
                    let settled_by = since
                        + chrono::Duration::from_std(self.publish_timeout + self.reconcile_margin)
                            .unwrap_or_default();
                    if self.clock.now() < settled_by {
                        return hand_back(
                            settled_by,
                            format!(
                                "waiting until {} before looking on the platform: the earlier attempt may still complete",
                                settled_by
                                    .with_timezone(&chrono_tz::Asia::Bangkok)
                                    .format("%H:%M:%S")
                            ),
                            "awaiting_settle",
                        );
                    }
                    match tokio::time::timeout(
                        self.left(deadline),
                        r.find_published(&c.payload, &c.idempotency_key),
                    )
                    .await
                    {
                        Ok(Ok(Some(receipt))) => return Outcome::Published(receipt),
                        Ok(Ok(None)) => {}
                        Ok(Err(e)) => return decide(&e),
                        Err(_) => {
                            return decide(&PublishError::Transient("reconcile timed out".into()));
                        }
                    }
                }
                _ => {
                    return Outcome::NeedsAttention {
                        error: "a previous attempt may have been published and this channel cannot check: \
                                look on the platform, then retry or cancel this delivery"
                            .into(),
                        class: "unsettled".into(),
                    };
                }
            }
        }
        let ctx = PublishContext {
            delivery_id: c.id,
            idempotency_key: c.idempotency_key.clone(),
            attempt: c.attempt,
            after_unsettled_attempt: c.unsettled,
            saved_state: c.saved_state.clone(),
            checkpoint: Some(self.checkpoint.clone() as Arc<dyn Checkpoint>),
        };
        let started = self.clock.now();
        let label = ChannelLabel {
            channel: c.channel.clone(),
        };
        if c.attempt == 1 {
            let late = (started - c.due_at).num_microseconds().unwrap_or(0).max(0) as f64 / 1e6;
            self.metrics
                .lateness_seconds
                .get_or_create(&label)
                .observe(late);
        }
        let result = tokio::time::timeout(self.left(deadline), ch.publish(&c.payload, &ctx)).await;
        let took = (self.clock.now() - started)
            .num_microseconds()
            .unwrap_or(0)
            .max(0) as f64
            / 1e6;
        self.metrics
            .publish_seconds
            .get_or_create(&label)
            .observe(took);
        match result {
            Ok(Ok(receipt)) => Outcome::Published(receipt),
            Ok(Err(e)) => decide(&e),
            Err(_) => decide(&PublishError::Ambiguous(format!(
                "no answer within {} (dispatch.publish_timeout)",
                humantime::format_duration(self.publish_timeout)
            ))),
        }
    }
}
