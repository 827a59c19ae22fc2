//! The progress board: how far each long transfer in flight got (a video upload's bytes), kept
//! in memory by the daemon and served at `GET /internal/progress` for `prakat queue watch`.
//! Not durable, and not needed to be: resuming uses the checkpoint saved on the delivery.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Bytes done of total for one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub done: u64,
    pub total: u64,
}

#[derive(Default)]
pub struct ProgressBoard {
    transfers: Mutex<HashMap<i64, Transfer>>,
}

impl ProgressBoard {
    pub fn set(&self, delivery_id: i64, done: u64, total: u64) {
        self.lock().insert(
            delivery_id,
            Transfer {
                done: done.min(total),
                total,
            },
        );
    }

    pub fn clear(&self, delivery_id: i64) {
        self.lock().remove(&delivery_id);
    }

    pub fn snapshot(&self) -> BTreeMap<i64, Transfer> {
        self.lock().iter().map(|(k, v)| (*k, *v)).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Transfer>> {
        self.transfers.lock().unwrap_or_else(|p| p.into_inner())
    }
}
