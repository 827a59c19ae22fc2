//! The settler: one task that writes attempt outcomes to the store in batches, so a burst of
//! publishes costs a few transactions instead of one each.

use std::sync::Arc;

use tokio::sync::{Notify, mpsc};

use super::engine::Running;
use crate::clock::Clock;
use crate::store::{Outcome, Settlement, Store};

/// Drain `rx` until every sender is gone, writing what arrived in batches of at most `max`.
/// After writing a retry, notify `requeued`: the dispatch loop may be asleep until a later
/// time (or the lease of the attempt that just failed) and must look at the new due time.
pub async fn run<S: Store>(
    store: Arc<S>,
    owner: String,
    clock: Arc<dyn Clock>,
    mut rx: mpsc::UnboundedReceiver<Settlement>,
    max: usize,
    requeued: Arc<Notify>,
    running: Arc<Running>,
) {
    let mut batch = Vec::with_capacity(max);
    while rx.recv_many(&mut batch, max).await > 0 {
        let mut delay = std::time::Duration::from_millis(50);
        loop {
            match store.settle(&owner, clock.now(), &batch).await {
                Ok(n) => {
                    if n < batch.len() {
                        tracing::warn!(
                            lost = batch.len() - n,
                            "some settlements were skipped: their lease had passed to another claimer"
                        );
                    }
                    if batch
                        .iter()
                        .any(|s| matches!(s.outcome, Outcome::Retry { .. }))
                    {
                        requeued.notify_one();
                    }
                    break;
                }
                Err(e) => {
                    // Keep the batch: a published delivery must not be forgotten. If the daemon
                    // dies here, the leases run out and the channels' idempotency takes over.
                    tracing::error!(error = %e, retry_in = ?delay, "cannot record outcomes; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(std::time::Duration::from_secs(5));
                }
            }
        }
        // Only now may these deliveries be claimed and run again by this engine.
        running.finish(batch.iter().map(|s| (s.delivery_id, s.claim)));
        batch.clear();
    }
}
