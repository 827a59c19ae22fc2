//! Outcomes on their way to the store. Attempts leave their outcome here; they are written in
//! batches, in the order they arrived, by whichever comes first: the dispatch loop, which writes
//! them in the same transaction as its next claim (one commit for both), or the settler, which
//! writes what is left when the loop has nothing to claim.
//!
//! One writer at a time (the gate): the loop and the settler never make SQLite's busy handler
//! sleep for each other, and outcomes of the same delivery are never written out of order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{MutexGuard, Notify};

use super::engine::Running;
use crate::clock::Clock;
use crate::store::{Outcome, Settlement, Store};

#[derive(Default)]
pub struct Outcomes {
    pending: Mutex<Vec<Settlement>>,
    arrived: Notify,
    gate: tokio::sync::Mutex<()>,
    closed: AtomicBool,
}

impl Outcomes {
    /// An attempt's outcome, to be written.
    pub(super) fn push(&self, s: Settlement) {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(s);
        self.arrived.notify_one();
    }

    /// The right to write outcomes; hold it from [`take`](Self::take) until they are written
    /// (or [put back](Self::put_back)).
    pub(super) async fn gate(&self) -> MutexGuard<'_, ()> {
        self.gate.lock().await
    }

    /// Every outcome waiting, oldest first.
    pub(super) fn take(&self, _gate: &MutexGuard<'_, ()>) -> Vec<Settlement> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Outcomes that could not be written: first in line again. A published delivery must not
    /// be forgotten; if the daemon dies meanwhile, the leases run out and the channels'
    /// idempotency takes over.
    pub(super) fn put_back(&self, _gate: &MutexGuard<'_, ()>, mut batch: Vec<Settlement>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        batch.append(&mut pending);
        *pending = batch;
        drop(pending);
        self.arrived.notify_one();
    }

    /// No attempt is left to push an outcome: the settler writes what is left and ends.
    pub(super) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.arrived.notify_one();
    }

    /// After `batch` was written (`settled` of them on their own claim): warn about the
    /// superseded ones, let these deliveries run again, and wake the dispatch loop if one was
    /// queued again (it may be asleep until a later time and must look at the new due time).
    pub(super) fn written(
        batch: &[Settlement],
        settled: usize,
        running: &Running,
        requeued: &Notify,
    ) {
        if settled < batch.len() {
            tracing::warn!(
                lost = batch.len() - settled,
                "some settlements were skipped: their lease had passed to another claimer"
            );
        }
        if batch
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Retry { .. }))
        {
            requeued.notify_one();
        }
        // Only now may these deliveries be claimed and run again by this engine.
        running.finish(batch.iter().map(|s| (s.delivery_id, s.claim)));
    }
}

/// Write outcomes as they arrive until [`Outcomes::close`], then what is left, and end.
pub async fn run<S: Store>(
    store: Arc<S>,
    owner: String,
    clock: Arc<dyn Clock>,
    outcomes: Arc<Outcomes>,
    requeued: Arc<Notify>,
    running: Arc<Running>,
) {
    let mut delay = std::time::Duration::from_millis(50);
    loop {
        let gate = outcomes.gate().await;
        let batch = outcomes.take(&gate);
        if batch.is_empty() {
            drop(gate);
            if outcomes.closed.load(Ordering::SeqCst) {
                break;
            }
            outcomes.arrived.notified().await;
            continue;
        }
        match store.settle(&owner, clock.now(), &batch).await {
            Ok(n) => {
                Outcomes::written(&batch, n, &running, &requeued);
                delay = std::time::Duration::from_millis(50);
            }
            Err(e) => {
                outcomes.put_back(&gate, batch);
                drop(gate);
                tracing::error!(error = %e, retry_in = ?delay, "cannot record outcomes; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
}
