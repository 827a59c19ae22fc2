//! Time as an input. The daemon never calls `Utc::now()` in its scheduling paths; it asks a
//! [`Clock`].
//!
//! - [`SystemClock`] is the production clock: the wall clock itself. Sleeps towards a wall time
//!   go through [`sleep_until`], which wakes at least every [`Clock::longest_sleep`] to look at
//!   the wall clock again, so a machine that was suspended or whose clock NTP stepped forward
//!   publishes what fell due within seconds, not at the end of a long monotonic sleep.
//! - [`TokioClock`] derives wall time from tokio's clock, so a test that pauses and advances
//!   tokio time moves the daemon's "now" with it ("it is 09:00").
//! - [`SteppedClock`] is the wall clock plus an offset a test can step, as NTP would.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// The longest a sleep towards a wall time lasts before the wall clock is read again.
    /// `None`: wall time moves only with tokio's clock, so a sleep cannot be overtaken.
    fn longest_sleep(&self) -> Option<Duration> {
        Some(Duration::from_secs(2))
    }
}

/// Sleep until the clock says `at` (or `max` has passed, whichever is first), reading the wall
/// clock again at least every [`Clock::longest_sleep`].
pub async fn sleep_until(clock: &dyn Clock, at: DateTime<Utc>, max: Duration) {
    let give_up = tokio::time::Instant::now() + max;
    loop {
        let left = (at - clock.now()).to_std().unwrap_or(Duration::ZERO);
        let until_give_up = give_up.saturating_duration_since(tokio::time::Instant::now());
        let step = left.min(until_give_up);
        if step.is_zero() {
            return;
        }
        match clock.longest_sleep() {
            Some(cap) if step > cap => tokio::time::sleep(cap).await,
            _ => {
                tokio::time::sleep(step).await;
                return;
            }
        }
    }
}

/// The wall clock: what production runs on.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl SystemClock {
    pub fn shared() -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
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

    fn longest_sleep(&self) -> Option<Duration> {
        None
    }
}

/// The wall clock plus an offset that can be stepped forward, as NTP or a resume from suspend
/// would: the monotonic clock (and so every sleep in progress) does not notice.
#[derive(Debug, Default)]
pub struct SteppedClock {
    offset_ms: AtomicI64,
}

impl SteppedClock {
    pub fn step(&self, by: chrono::Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for SteppedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }
}
