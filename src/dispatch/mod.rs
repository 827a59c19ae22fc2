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
//! - Every claim takes a token (the delivery's claim sequence number); settling and checkpoints
//!   are fenced by it, so an attempt whose lease ran out cannot overwrite the state of the claim
//!   that followed — its outcome goes to the audit trail instead. One engine never runs two
//!   attempts of a delivery at once, and an attempt's look-up and publish share one deadline
//!   inside the lease.
//! - After an unsettled attempt, a channel that looks its posts up waits until that attempt can
//!   no longer complete (its start + the publish timeout + `dispatch.reconcile_margin`): a
//!   look-up while the platform may still be creating the post proves nothing.
//! - Only deliveries of approved announcements are claimed.
//!
//! The loop sleeps until the next due time (a queued delivery, an expiring lease, a recurring
//! rule) or until woken (work added, capacity freed, shutdown). Time comes from a [`Clock`].

mod attempt;
mod engine;
mod policy;
mod progress;
mod rules;
mod settle;

pub use engine::{Engine, EngineParts};
pub use policy::RetryPolicy;
pub use progress::{ProgressBoard, Transfer};
