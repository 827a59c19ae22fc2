//! Dispatch: claims due deliveries under a lease, publishes each through its channel with
//! per-channel concurrency, and settles the outcome — exactly once per channel, nothing lost.
//!
//! How exactly-once holds across crashes:
//! - A claim marks the delivery `in_flight` with a lease (owner, expiry) and counts an attempt,
//!   in one statement. A daemon killed mid-publish leaves the lease; it runs out (or, for the
//!   single SQLite daemon, is released at the next start) and the next claim flags the delivery
//!   `unsettled`: the previous attempt may have reached the platform.
//! - An unsettled delivery is re-sent only to a channel that deduplicates by the idempotency key
//!   (`Idempotency::Native`), after looking on a channel that can (`Reconcile`), and never to
//!   a channel that can do neither: that one is parked for a person.
//! - Settling is fenced by the lease owner: a daemon that lost its lease cannot overwrite the
//!   new owner's state.
//!
//! The loop sleeps until the next due time (a queued delivery, an expiring lease, a recurring
//! rule) or until woken (work added, capacity freed, shutdown). Time comes from a [`Clock`].

mod engine;
mod policy;
mod progress;
mod rules;
mod settle;

pub use engine::{Engine, EngineParts};
pub use policy::RetryPolicy;
pub use progress::{ProgressBoard, Transfer};
