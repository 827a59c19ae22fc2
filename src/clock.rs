//! Time as an input. The daemon never calls `Utc::now()` in its scheduling paths; it asks a
//! [`Clock`]. [`TokioClock`] derives wall time from tokio's clock, so a test that pauses and
//! advances tokio time moves the daemon's "now" with it, and sleeps and wall time agree.

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// Wall time anchored at a start instant and advanced by tokio's (pausable) clock.
#[derive(Debug, Clone)]
pub struct TokioClock {
    start_wall: DateTime<Utc>,
    start: tokio::time::Instant,
}

impl TokioClock {
    /// A clock that reads the real time now and follows tokio's clock afterwards.
    pub fn system() -> Arc<dyn Clock> {
        Arc::new(Self::starting_at(Utc::now()))
    }

    /// A clock that says `at` now (tests: "it is 09:00").
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        TokioClock {
            start_wall: at,
            start: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = tokio::time::Instant::now().duration_since(self.start);
        self.start_wall + chrono::Duration::from_std(elapsed).unwrap_or_default()
    }
}
