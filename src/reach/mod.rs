//! Reach: how far each published delivery went, sampled after publishing at the slots of the
//! schedule (`[reach] after`: 1 h, 1 day, 7 days, 30 days by default), and the website's own
//! page views.
//!
//! - [`collector`]: one pass takes every due slot's sample through the channel's
//!   [`prakat_adapters::ReachSource`] (the website's from its page views), each failure left
//!   due with a backoff, a platform that says "slow down" left alone until it may be asked
//!   again; the daemon runs a pass every `reach.every`, `prakat reach collect` one by hand.
//! - [`page_views`]: the website counts views of its announcement pages in memory (bots left
//!   out by their user agent, nothing about the reader kept) and writes them out now and then.
//!
//! Never here: a publish. A sample is a read; a failed one is retried later, never in a loop,
//! and is never stored twice for one slot.

pub mod cli;
pub mod collector;
pub mod page_views;

pub use collector::{Collector, PassReport, Progress, Sampled};
pub use page_views::PageViewCounter;
