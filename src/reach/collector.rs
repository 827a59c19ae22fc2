//! The reach collector: a pass asks the store which slots are due, samples them channel by
//! channel (channels side by side, one request at a time within a channel) and stores each
//! sample once.
//!
//! A failure never stops the pass: the slot stays due and is tried again after a backoff
//! (`retry_base`, doubled per failure, up to `retry_max`). A rate limit or a used-up quota
//! stops that channel for the pass, and the channel is left alone until the platform's wait
//! is over; so does a refused token (one refused call, not one per delivery). A platform whose
//! figures come late (LINE: a day) is not asked before they exist.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use prakat_adapters::{PublishError, ReachSample};
use tokio::sync::watch;

use crate::channels::Registry;
use crate::clock::Clock;
use crate::metrics::{Metrics, OutcomeLabel};
use crate::settings::Reach as ReachSettings;
use crate::store::{ReachDue, ReachQuery, ReachRetry, Store, StoreError};

/// What became of one due slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sampled {
    /// The sample is stored.
    Stored,
    /// Another collector stored this slot's sample first; nothing changed.
    AlreadyThere,
    /// The platform has no figures yet; asked again at `until`, no attempt counted.
    NotReady { until: DateTime<Utc> },
    /// The channel was stopped for this pass (a rate limit, a quota, a refused token): not
    /// asked; due again on a later pass.
    Held,
    /// The sample failed; tried again at `retry_at`.
    Failed {
        error: PublishError,
        retry_at: DateTime<Utc>,
    },
}

impl Sampled {
    /// A short stable name, for metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Sampled::Stored => "stored",
            Sampled::AlreadyThere => "already_there",
            Sampled::NotReady { .. } => "not_ready",
            Sampled::Held => "held",
            Sampled::Failed { .. } => "failed",
        }
    }
}

/// Told about each slot as a pass goes (the CLI's progress bar).
pub trait Progress: Send + Sync {
    fn start(&self, _total: usize) {}
    fn done(&self, _due: &ReachDue, _outcome: &Sampled) {}
}

/// No one listening (the daemon).
pub struct Quiet;
impl Progress for Quiet {}

/// What one pass did.
#[derive(Debug, Default, Clone)]
pub struct PassReport {
    pub stored: usize,
    pub failed: Vec<(ReachDue, PublishError)>,
    /// Not asked this pass: figures not ready, or the channel held.
    pub waiting: usize,
}

pub struct Collector<S: Store> {
    store: Arc<S>,
    registry: Arc<Registry>,
    clock: Arc<dyn Clock>,
    settings: ReachSettings,
    /// Channels left alone until the given time (a rate limit, a quota, a refused token).
    holds: Mutex<HashMap<String, DateTime<Utc>>>,
    metrics: Option<Arc<Metrics>>,
}

impl<S: Store> Collector<S> {
    pub fn new(
        store: Arc<S>,
        registry: Arc<Registry>,
        clock: Arc<dyn Clock>,
        settings: ReachSettings,
    ) -> Self {
        Collector {
            store,
            registry,
            clock,
            settings,
            holds: Mutex::new(HashMap::new()),
            metrics: None,
        }
    }

    /// Count every slot's outcome in `metrics` (`prakat_reach_samples_total`).
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The channels that report reach: the website (its page views) and every channel with a
    /// reach source.
    fn reporting_channels(&self) -> Vec<String> {
        self.registry
            .entries()
            .filter(|(_, e)| {
                e.channel.kind() == prakat_adapters::website::KIND
                    || e.channel.reach_source().is_some()
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Sample every slot due now (of deliveries published since `since`, when given).
    pub async fn pass(
        &self,
        since: Option<DateTime<Utc>>,
        progress: &dyn Progress,
    ) -> Result<PassReport, StoreError> {
        let now = self.clock.now();
        let due = self
            .store
            .reach_due(&ReachQuery {
                now,
                slots: self.settings.after.clone(),
                channels: self.reporting_channels(),
                since,
                max_attempts: self.settings.max_attempts,
                limit: self.settings.batch_size,
            })
            .await?;
        progress.start(due.len());
        let mut by_channel: BTreeMap<String, Vec<ReachDue>> = BTreeMap::new();
        for d in due {
            by_channel.entry(d.channel.clone()).or_default().push(d);
        }
        let results = join_all(
            by_channel
                .into_iter()
                .map(|(channel, due)| self.channel_pass(channel, due, progress)),
        )
        .await;
        let mut report = PassReport::default();
        for outcomes in results {
            for (due, outcome) in outcomes? {
                match outcome {
                    Sampled::Stored | Sampled::AlreadyThere => report.stored += 1,
                    Sampled::NotReady { .. } | Sampled::Held => report.waiting += 1,
                    Sampled::Failed { error, .. } => report.failed.push((due, error)),
                }
            }
        }
        Ok(report)
    }

    /// One channel's due slots, one after the other.
    async fn channel_pass(
        &self,
        channel: String,
        due: Vec<ReachDue>,
        progress: &dyn Progress,
    ) -> Result<Vec<(ReachDue, Sampled)>, StoreError> {
        let mut out = Vec::with_capacity(due.len());
        let mut held = self.held_until(&channel).is_some();
        for d in due {
            let outcome = if held {
                Sampled::Held
            } else {
                let outcome = self.sample_one(&d).await?;
                if let Sampled::Failed { error, retry_at } = &outcome
                    && stops_channel(error)
                {
                    tracing::warn!(
                        channel = %channel,
                        until = %retry_at,
                        error = %error,
                        "reach: the platform asks to wait; this channel is left alone until then"
                    );
                    self.hold(&channel, *retry_at);
                    held = true;
                }
                outcome
            };
            progress.done(&d, &outcome);
            if let Some(m) = &self.metrics {
                m.reach_samples
                    .get_or_create(&OutcomeLabel {
                        channel: channel.clone(),
                        outcome: outcome.name().into(),
                    })
                    .inc();
            }
            out.push((d, outcome));
        }
        Ok(out)
    }

    async fn sample_one(&self, d: &ReachDue) -> Result<Sampled, StoreError> {
        let Some(entry) = self.registry.entry(&d.channel) else {
            return Ok(Sampled::Held);
        };
        let sample = if entry.channel.kind() == prakat_adapters::website::KIND {
            let views = self.store.page_views_total(d.announcement_id).await?;
            Ok(ReachSample {
                taken_at: Some(self.clock.now()),
                views: Some(views),
                ..ReachSample::default()
            })
        } else {
            let Some(source) = entry.channel.reach_source() else {
                return Ok(Sampled::Held);
            };
            let ready_at = d.published_at + chrono_duration(source.ready_after());
            if d.slot.after() < source.ready_after() && self.clock.now() < ready_at {
                self.store
                    .reach_retry_later(&ReachRetry {
                        delivery_id: d.delivery_id,
                        slot: d.slot,
                        now: self.clock.now(),
                        retry_at: ready_at,
                        error: "the platform has no figures yet".into(),
                        class: "not_ready".into(),
                        count_attempt: false,
                    })
                    .await?;
                return Ok(Sampled::NotReady { until: ready_at });
            }
            source.reach(&d.receipt).await
        };
        let now = self.clock.now();
        match sample {
            Ok(sample) => {
                let taken_at = sample.taken_at.unwrap_or(now);
                let fresh = self
                    .store
                    .record_reach(d.delivery_id, d.slot, taken_at, &sample)
                    .await?;
                tracing::debug!(delivery_id = d.delivery_id, channel = %d.channel, slot = %d.slot, fresh, "reach sampled");
                Ok(if fresh {
                    Sampled::Stored
                } else {
                    Sampled::AlreadyThere
                })
            }
            Err(error) => {
                let (retry_at, count_attempt) = self.retry_at(&error, d.attempts, now);
                let attempts = self
                    .store
                    .reach_retry_later(&ReachRetry {
                        delivery_id: d.delivery_id,
                        slot: d.slot,
                        now,
                        retry_at,
                        error: error.to_string(),
                        class: error.class().into(),
                        count_attempt,
                    })
                    .await?;
                tracing::warn!(
                    delivery_id = d.delivery_id,
                    channel = %d.channel,
                    slot = %d.slot,
                    attempts,
                    retry_at = %retry_at,
                    error = %prakat_adapters::http::scrub(&error.to_string()),
                    "reach sample failed; tried again later"
                );
                Ok(Sampled::Failed { error, retry_at })
            }
        }
    }

    /// When a failed slot is tried again, and whether the failure uses up an attempt.
    fn retry_at(
        &self,
        error: &PublishError,
        attempts: u32,
        now: DateTime<Utc>,
    ) -> (DateTime<Utc>, bool) {
        match error {
            PublishError::RetryAfter(wait, _) => (now + chrono_duration(*wait), false),
            PublishError::QuotaExhausted { until, .. } => ((*until).max(now), false),
            _ => (now + chrono_duration(self.backoff(attempts)), true),
        }
    }

    /// `retry_base` doubled per failure so far, up to `retry_max`.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.min(20));
        self.settings
            .retry_base
            .saturating_mul(factor)
            .min(self.settings.retry_max)
    }

    fn held_until(&self, channel: &str) -> Option<DateTime<Utc>> {
        let now = self.clock.now();
        let mut holds = self.holds.lock().unwrap_or_else(|e| e.into_inner());
        match holds.get(channel) {
            Some(until) if *until > now => Some(*until),
            Some(_) => {
                holds.remove(channel);
                None
            }
            None => None,
        }
    }

    fn hold(&self, channel: &str, until: DateTime<Utc>) {
        self.holds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(channel.to_owned(), until);
    }

    /// The daemon's collector: a pass now, then every `reach.every`, until shutdown. A pass
    /// cut short by shutdown loses nothing: what was stored stays, the rest is still due.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                r = self.pass(None, &Quiet) => match r {
                    Ok(report) if report.stored + report.failed.len() > 0 => tracing::info!(
                        stored = report.stored,
                        failed = report.failed.len(),
                        waiting = report.waiting,
                        "reach collected"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "reach collection could not read the store"),
                },
                _ = shutdown.wait_for(|s| *s) => return,
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.every) => {}
                _ = shutdown.wait_for(|s| *s) => return,
            }
        }
    }
}

/// Whether a failure says to leave the whole platform alone for a while: a rate limit, a used
/// quota, or a token it refuses (asking again per delivery would only be refused again).
fn stops_channel(e: &PublishError) -> bool {
    matches!(
        e,
        PublishError::RetryAfter(..) | PublishError::QuotaExhausted { .. } | PublishError::Auth(_)
    )
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}
