//! The dispatch loop: claim, publish, settle, sleep until the next due time.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tracing::Instrument;

use super::attempt::{StoreCheckpoint, Task};
use super::policy::RetryPolicy;
use super::progress::ProgressBoard;
use super::{rules, settle};
use crate::channels::Registry;
use crate::clock::Clock;
use crate::compose::Composer;
use crate::metrics::Metrics;
use crate::settings;
use crate::store::{ClaimedDelivery, Settlement, Store};

/// What an engine is made of. Everything is an input: tests pass their own clock, seed and
/// channels.
/// How often the dispatcher makes sure the database file is still the one it opened.
const DB_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

pub struct EngineParts<S: Store> {
    pub store: Arc<S>,
    pub registry: Arc<Registry>,
    pub composer: Arc<Composer>,
    pub clock: Arc<dyn Clock>,
    pub settings: settings::Dispatch,
    /// `pause_after_failures`: when a failing recurring rule is paused.
    pub rules: settings::Rules,
    pub metrics: Arc<Metrics>,
    /// Notified when work is added (by this process, or through the HTTP wake-up).
    pub wake: Arc<Notify>,
    /// The lease owner name; unique per running engine.
    pub owner: String,
    /// Seed for retry jitter; `None` seeds from the OS.
    pub seed: Option<u64>,
    /// Where long transfers report how far they got.
    pub progress: Arc<ProgressBoard>,
    /// The database file, checked before claiming (at most every [`DB_CHECK_EVERY`]):
    /// deliveries are never claimed from a database that was deleted or replaced under the
    /// daemon (its outcomes would be lost).
    pub db_file: Option<crate::server::health::DbFile>,
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
    pub(super) fn get(
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

    pub(super) fn set(&self, channel: &str, now: chrono::DateTime<chrono::Utc>, error: &str) {
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
        let running = Arc::new(Running::default());
        let outcomes = Arc::new(settle::Outcomes::default());
        let settler = tokio::spawn(settle::run(
            p.store.clone(),
            p.owner.clone(),
            p.clock.clone(),
            outcomes.clone(),
            p.wake.clone(),
            running.clone(),
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
        let mut store_trouble = Backoff::default();
        let mut db_checked: Option<std::time::Instant> = None;

        tracing::info!(owner = %p.owner, channels = ?p.registry.names(), "dispatcher started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            while tasks.try_join_next().is_some() {}
            let now = p.clock.now();
            let mut healthy = rules::fire_due(
                p.store.as_ref(),
                &p.composer,
                &p.registry,
                p.rules.pause_after_failures,
                now,
            )
            .await;

            let free = capacity.available_permits();
            // Claim in worthwhile batches: wait for a quarter of the capacity to come back
            // unless nothing is in flight at all.
            let worthwhile = free >= (p.settings.batch_size / 4).max(1) || tasks.is_empty();
            let mut claimed_n = 0;
            // At most once a second while it is fine: a stat and a 16-byte read, not on every
            // turn of a busy loop.
            let db_ok = match &p.db_file {
                Some(_) if db_checked.is_some_and(|t| t.elapsed() < DB_CHECK_EVERY) => true,
                Some(f) => match f.check().await {
                    Ok(()) => {
                        db_checked = Some(std::time::Instant::now());
                        true
                    }
                    Err(why) => {
                        db_checked = None;
                        healthy = false;
                        tracing::error!(problem = %why, "not publishing");
                        false
                    }
                },
                None => true,
            };
            if free > 0 && worthwhile && db_ok {
                // Outcomes that arrived meanwhile are written in the claim's transaction.
                let gate = outcomes.gate().await;
                let batch = outcomes.take(&gate);
                let now = p.clock.now();
                let mut claim = p
                    .store
                    .settle_and_claim(&p.owner, now, &batch, p.settings.lease, free)
                    .await;
                match &claim {
                    Ok((settled, _)) => {
                        settle::Outcomes::written(&batch, *settled, &running, &p.wake)
                    }
                    Err(e) if !batch.is_empty() => {
                        // Outcomes that cannot be written must not stop the claims: they go
                        // back to the settler, which keeps trying, and the claim is tried alone.
                        tracing::error!(error = %e, "cannot record outcomes with the claim");
                        outcomes.put_back(&gate, batch);
                        claim = p
                            .store
                            .claim_due(now, &p.owner, p.settings.lease, free)
                            .await
                            .map(|c| (0, c));
                    }
                    Err(_) => {}
                }
                drop(gate);
                match claim {
                    Ok((_, claimed)) => {
                        claimed_n = claimed.len();
                        for c in claimed {
                            let permit = capacity
                                .clone()
                                .try_acquire_owned()
                                .expect("claimed within capacity");
                            let task = self.task(&c, now, &per_channel, &stop_rx, &running);
                            let outcomes = outcomes.clone();
                            let freed = freed.clone();
                            let span = tracing::info_span!("delivery", delivery_id = c.id, channel = %c.channel, attempt = c.attempt);
                            tasks.spawn(
                                async move {
                                    let (id, claim) = (c.id, c.claim);
                                    let outcome = task.run(c).await;
                                    outcomes.push(Settlement {
                                        delivery_id: id,
                                        claim,
                                        outcome,
                                    });
                                    drop(permit);
                                    freed.notify_one();
                                }
                                .instrument(span),
                            );
                        }
                    }
                    Err(e) => {
                        healthy = false;
                        tracing::error!(error = %e, "cannot claim deliveries");
                    }
                }
            }
            if healthy && claimed_n > 0 && claimed_n == free {
                store_trouble.reset();
                continue; // there may be more due right now
            }
            // Having looked at the store and taken all that was due, sleep until the next due
            // time, even while other publishes are in flight (a long upload must not delay a
            // post that falls due meanwhile). Otherwise wait for capacity to come back.
            let wake_at = if free > 0 && worthwhile {
                match p.store.next_wake_at().await {
                    Ok(at) => at,
                    Err(e) => {
                        healthy = false;
                        tracing::error!(error = %e, "cannot read the next due time");
                        None
                    }
                }
            } else {
                None
            };
            let mut max_sleep = p.settings.idle_recheck;
            if healthy {
                store_trouble.reset();
                if wake_at.is_some_and(|at| at <= p.clock.now()) && claimed_n == 0 {
                    // Due by the store's reckoning, yet nothing could be claimed (a clock
                    // edge at the millisecond): yield briefly rather than spin.
                    max_sleep = Duration::from_millis(5);
                }
            } else {
                // The database refused (a full or read-only disk, a lost file): back off
                // instead of asking again at once, and keep what is in flight going.
                max_sleep = store_trouble.next();
                tracing::warn!(retry_in = ?max_sleep, "the database is not answering; trying again later");
            }
            let wake_at = wake_at.unwrap_or(p.clock.now() + chrono::Duration::days(365));
            tokio::select! {
                _ = crate::clock::sleep_until(p.clock.as_ref(), wake_at, max_sleep) => {}
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
        outcomes.close();
        let _ = settler.await;
        tracing::info!("dispatcher stopped");
    }

    /// Everything one claimed delivery's attempt needs, owned.
    fn task(
        &self,
        c: &ClaimedDelivery,
        claimed_at: chrono::DateTime<chrono::Utc>,
        per_channel: &HashMap<String, Arc<Semaphore>>,
        stop: &watch::Receiver<bool>,
        running: &Arc<Running>,
    ) -> Task {
        let p = &self.p;
        let entry = p.registry.entry(&c.channel).cloned();
        Task {
            publish_timeout: entry
                .as_ref()
                .and_then(|e| e.publish_timeout)
                .unwrap_or(p.settings.publish_timeout),
            entry,
            channel_slots: per_channel.get(&c.channel).cloned(),
            policy: self.policy.clone(),
            clock: p.clock.clone(),
            metrics: p.metrics.clone(),
            rng: self.rng.clone(),
            claimed_at,
            lease: p.settings.lease,
            reconcile_margin: p.settings.reconcile_margin,
            stop: stop.clone(),
            holds: self.holds.clone(),
            auth_hold: p.settings.auth_hold,
            running: running.clone(),
            checkpoint: Arc::new(StoreCheckpoint {
                store: p.store.clone() as Arc<dyn super::attempt::StoreDyn>,
                delivery_id: c.id,
                claim: c.claim,
                initial: c.saved_state.clone(),
                progressed: AtomicBool::new(false),
                progress: p.progress.clone(),
            }),
        }
    }
}

/// The deliveries this engine is working on, from their claim until their outcome is written:
/// a delivery is never published twice at once by one engine, even if its lease ran out.
#[derive(Default)]
pub struct Running {
    claims: Mutex<HashMap<i64, i64>>,
}

impl Running {
    /// Mark delivery `id` as running under `claim`; false if an earlier claim still runs.
    pub(super) fn start(&self, id: i64, claim: i64) -> bool {
        let mut held = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        if held.contains_key(&id) {
            return false;
        }
        held.insert(id, claim);
        true
    }

    /// The outcomes of these `(delivery, claim)` pairs are written.
    pub(super) fn finish(&self, settled: impl IntoIterator<Item = (i64, i64)>) {
        let mut held = self.claims.lock().unwrap_or_else(|p| p.into_inner());
        for (id, claim) in settled {
            if held.get(&id) == Some(&claim) {
                held.remove(&id);
            }
        }
    }
}

/// Growing waits while the database refuses: 1 s, 2 s, 4 s … up to 30 s.
#[derive(Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        Duration::from_secs(1u64 << self.failures.saturating_sub(1).min(5))
            .min(Duration::from_secs(30))
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}
