//! The dispatch loop: claim, publish, settle, sleep until the next due time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prakat_adapters::{Checkpoint, Idempotency, PublishContext, PublishError};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{Notify, Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tracing::Instrument;

use super::policy::RetryPolicy;
use super::progress::ProgressBoard;
use super::{rules, settle};
use crate::channels::{Entry, Registry};
use crate::clock::Clock;
use crate::compose::Composer;
use crate::metrics::{ChannelLabel, Metrics, OutcomeLabel};
use crate::settings;
use crate::store::{ClaimedDelivery, Outcome, Settlement, Store};

/// What an engine is made of. Everything is an input: tests pass their own clock, seed and
/// channels.
pub struct EngineParts<S: Store> {
    pub store: Arc<S>,
    pub registry: Arc<Registry>,
    pub composer: Arc<Composer>,
    pub clock: Arc<dyn Clock>,
    pub settings: settings::Dispatch,
    pub metrics: Arc<Metrics>,
    /// Notified when work is added (by this process, or through the HTTP wake-up).
    pub wake: Arc<Notify>,
    /// The lease owner name; unique per running engine.
    pub owner: String,
    /// Seed for retry jitter; `None` seeds from the OS.
    pub seed: Option<u64>,
    /// Where long transfers report how far they got.
    pub progress: Arc<ProgressBoard>,
}

pub struct Engine<S: Store> {
    p: EngineParts<S>,
    policy: RetryPolicy,
    rng: Arc<Mutex<StdRng>>,
    holds: Arc<AuthHolds>,
}

/// Channels whose token was refused, with when and why: their deliveries are parked without
/// another call until the hold runs out (or the daemon restarts with a fixed token).
#[derive(Default)]
pub struct AuthHolds {
    held: Mutex<HashMap<String, (chrono::DateTime<chrono::Utc>, String)>>,
}

impl AuthHolds {
    fn get(
        &self,
        channel: &str,
        now: chrono::DateTime<chrono::Utc>,
        hold: Duration,
    ) -> Option<(chrono::DateTime<chrono::Utc>, String)> {
        let held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.get(channel)
            .filter(|(at, _)| now - *at < chrono::Duration::from_std(hold).unwrap_or_default())
            .cloned()
    }

    fn set(&self, channel: &str, now: chrono::DateTime<chrono::Utc>, error: &str) {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = !held.contains_key(channel);
        held.insert(channel.to_owned(), (now, error.to_owned()));
        if fresh {
            // The notification: a log line now; the chat bot will carry it to a person later.
            tracing::error!(
                channel,
                %error,
                "the channel's token or permission was refused: its deliveries are parked as needs_attention \
                 (fix the token, restart, then `prakat queue retry --channel {channel} --state needs_attention`)"
            );
        }
    }
}

impl<S: Store> Engine<S> {
    pub fn new(parts: EngineParts<S>) -> Self {
        let policy = RetryPolicy {
            max_attempts: parts.settings.max_attempts,
            base: parts.settings.retry_base,
            max: parts.settings.retry_max,
        };
        let rng = match parts.seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_os_rng(),
        };
        Engine {
            p: parts,
            policy,
            rng: Arc::new(Mutex::new(rng)),
            holds: Arc::new(AuthHolds::default()),
        }
    }

    /// Run until `shutdown` turns true; then stop claiming, let in-flight publishes finish for
    /// up to the grace period, hand back claims that never started, and record every outcome.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let p = &self.p;
        let (settle_tx, settle_rx) = mpsc::unbounded_channel::<Settlement>();
        let settler = tokio::spawn(settle::run(
            p.store.clone(),
            p.owner.clone(),
            p.clock.clone(),
            settle_rx,
            p.settings.batch_size.max(64),
            p.wake.clone(),
        ));
        let capacity = Arc::new(Semaphore::new(p.settings.batch_size));
        let freed = Arc::new(Notify::new());
        let per_channel: HashMap<String, Arc<Semaphore>> = p
            .registry
            .entries()
            .map(|(name, e)| (name.clone(), Arc::new(Semaphore::new(e.concurrency))))
            .collect();
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = JoinSet::new();

        tracing::info!(owner = %p.owner, channels = ?p.registry.names(), "dispatcher started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            while tasks.try_join_next().is_some() {}
            let now = p.clock.now();
            rules::fire_due(p.store.as_ref(), &p.composer, &p.registry, now).await;

            let free = capacity.available_permits();
            // Claim in worthwhile batches: wait for a quarter of the capacity to come back
            // unless nothing is in flight at all.
            let worthwhile = free >= (p.settings.batch_size / 4).max(1) || tasks.is_empty();
            let mut claimed_n = 0;
            if free > 0 && worthwhile {
                match p
                    .store
                    .claim_due(now, &p.owner, p.settings.lease, free)
                    .await
                {
                    Ok(claimed) => {
                        claimed_n = claimed.len();
                        for c in claimed {
                            let permit = capacity
                                .clone()
                                .try_acquire_owned()
                                .expect("claimed within capacity");
                            let task = Task {
                                entry: p
                                    .registry
                                    .entries()
                                    .find(|(n, _)| **n == c.channel)
                                    .map(|(_, e)| e.clone()),
                                channel_slots: per_channel.get(&c.channel).cloned(),
                                policy: self.policy.clone(),
                                clock: p.clock.clone(),
                                metrics: p.metrics.clone(),
                                rng: self.rng.clone(),
                                timeout: p.settings.publish_timeout,
                                lease: p.settings.lease,
                                stop: stop_rx.clone(),
                                holds: self.holds.clone(),
                                auth_hold: p.settings.auth_hold,
                                checkpoint: Arc::new(StoreCheckpoint {
                                    store: p.store.clone(),
                                    delivery_id: c.id,
                                    owner: p.owner.clone(),
                                    progress: p.progress.clone(),
                                }),
                            };
                            let tx = settle_tx.clone();
                            let freed = freed.clone();
                            let span = tracing::info_span!("delivery", delivery_id = c.id, channel = %c.channel, attempt = c.attempt);
                            tasks.spawn(
                                async move {
                                    let id = c.id;
                                    let outcome = task.run(c).await;
                                    let _ = tx.send(Settlement {
                                        delivery_id: id,
                                        outcome,
                                    });
                                    drop(permit);
                                    freed.notify_one();
                                }
                                .instrument(span),
                            );
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "cannot claim deliveries"),
                }
            }
            if claimed_n > 0 && claimed_n == free {
                continue; // there may be more due right now
            }
            // Having looked at the store and taken all that was due, sleep until the next due
            // time, even while other publishes are in flight (a long upload must not delay a
            // post that falls due meanwhile). Otherwise wait for capacity to come back.
            let sleep_for = if free > 0 && worthwhile {
                match p.store.next_wake_at().await {
                    Ok(Some(at)) => (at - p.clock.now()).to_std().unwrap_or(Duration::ZERO),
                    Ok(None) => p.settings.idle_recheck,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot read the next due time");
                        Duration::from_secs(1)
                    }
                }
                .min(p.settings.idle_recheck)
            } else {
                p.settings.idle_recheck
            };
            if sleep_for.is_zero() && claimed_n == 0 && free > 0 && worthwhile {
                // Something is due by the store's reckoning but nothing could be claimed (a
                // clock edge at the millisecond): yield briefly rather than spin.
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(sleep_for) => {}
                _ = p.wake.notified() => {}
                _ = freed.notified(), if !tasks.is_empty() => {}
                _ = shutdown.changed() => {}
            }
        }

        tracing::info!(in_flight = tasks.len(), "dispatcher stopping");
        let _ = stop_tx.send(true);
        let grace = tokio::time::sleep(p.settings.shutdown_grace);
        tokio::pin!(grace);
        loop {
            tokio::select! {
                next = tasks.join_next() => if next.is_none() { break },
                _ = &mut grace => {
                    tracing::warn!(left = tasks.len(), "shutdown grace over; unfinished publishes will be resumed at the next start");
                    tasks.abort_all();
                    break;
                }
            }
        }
        drop(settle_tx);
        let _ = settler.await;
        tracing::info!("dispatcher stopped");
    }
}

/// One claimed delivery's attempt, with everything it needs and nothing borrowed.
struct Task {
    entry: Option<Entry>,
    channel_slots: Option<Arc<Semaphore>>,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    rng: Arc<Mutex<StdRng>>,
    timeout: Duration,
    lease: Duration,
    stop: watch::Receiver<bool>,
    holds: Arc<AuthHolds>,
    auth_hold: Duration,
    checkpoint: Arc<dyn Checkpoint>,
}

/// Saves a channel's in-progress state on the delivery's row, fenced by the lease.
struct StoreCheckpoint<S: Store> {
    store: Arc<S>,
    delivery_id: i64,
    owner: String,
    progress: Arc<ProgressBoard>,
}

impl<S: Store> Drop for StoreCheckpoint<S> {
    // The attempt is over (whatever its outcome): its transfer is no longer in progress.
    fn drop(&mut self) {
        self.progress.clear(self.delivery_id);
    }
}

#[async_trait::async_trait]
impl<S: Store> Checkpoint for StoreCheckpoint<S> {
    async fn save(&self, state: &str) -> Result<(), PublishError> {
        match self
            .store
            .save_publish_state(self.delivery_id, &self.owner, state)
            .await
        {
            Ok(true) => Ok(()),
            // Another claimer owns the delivery now: stop rather than race it.
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

impl Task {
    async fn run(mut self, c: ClaimedDelivery) -> Outcome {
        let claimed_at = self.clock.now();
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
        let lease_left =
            chrono::Duration::from_std(self.lease).unwrap_or_default() - (now - claimed_at);
        let margin = chrono::Duration::from_std(self.timeout).unwrap_or_default();
        if permit.is_none() || lease_left <= margin {
            return Outcome::Retry {
                at: now,
                error: "claim handed back before publishing (shutdown or lease running out)".into(),
                class: "released".into(),
                count_attempt: false,
                unsettled: false,
            };
        }
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
                let outcome = self.attempt(&entry, &c).await;
                if let Outcome::NeedsAttention { error, class } = &outcome
                    && class == "auth"
                {
                    self.holds.set(&c.channel, self.clock.now(), error);
                }
                outcome
            }
        };
        let label = match &outcome {
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
        match &outcome {
            Outcome::Published(r) => {
                tracing::info!(remote_id = ?r.remote_id, url = ?r.url, deduplicated = r.deduplicated, "published")
            }
            Outcome::Retry { at, error, .. } => tracing::warn!(%at, %error, "will retry"),
            Outcome::NeedsAttention { error, .. } => tracing::error!(%error, "needs attention"),
            Outcome::Failed { error, .. } => tracing::error!(%error, "failed"),
        }
        outcome
    }

    async fn attempt(&self, entry: &Entry, c: &ClaimedDelivery) -> Outcome {
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
                (Idempotency::Reconcile, Some(r)) => {
                    match tokio::time::timeout(
                        self.timeout,
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
            checkpoint: Some(self.checkpoint.clone()),
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
        let result = tokio::time::timeout(self.timeout, ch.publish(&c.payload, &ctx)).await;
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
                humantime::format_duration(self.timeout)
            ))),
        }
    }
}
