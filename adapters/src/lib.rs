//! # prakat-adapters
//!
//! What every publishing channel of prakat shares: the [`Channel`] trait and the optional
//! [`Reconcile`] and [`ReachSource`] capabilities, the types that cross the boundary between the
//! daemon and a channel ([`Draft`], [`Payload`], [`Receipt`], [`ReachSample`]), the
//! [`PublishError`] whose variant alone decides what the dispatcher does next, the Thai text and
//! date helpers every channel formats with ([`thai`]), and the two built-in channels that need no
//! account: [`website`] (the station's static site, the channel of record) and [`outbox`]
//! (writes exactly what would be sent: preview and dry run).
//!
//! Nothing here touches the database: a channel gets a payload and returns a receipt or an
//! error. Retries, leases and state live in the daemon.
#![forbid(unsafe_code)]

mod channel;
pub mod durable;
mod error;
#[cfg(feature = "facebook")]
pub mod facebook;
pub mod http;
pub mod i18n;
pub mod icon;
#[cfg(feature = "line")]
pub mod line;
pub mod oauth;
pub mod outbox;
mod secret;
pub mod thai;
#[cfg(feature = "tiktok")]
pub mod tiktok;
pub mod tokens;
mod types;
pub mod website;
#[cfg(feature = "wordpress")]
pub mod wordpress;
#[cfg(feature = "youtube")]
pub mod youtube;

pub use channel::{Amend, Channel, Edit, Idempotency, ReachSource, Reconcile, Retraction};
pub use error::PublishError;
pub use secret::{Secret, mask_known, remember as remember_secret, resolve_secrets};
pub use types::{
    ChannelEnv, Checkpoint, Department, Draft, Health, LengthUnit, Limits, MediaKind, MediaRef,
    Payload, PublishContext, ReachSample, Receipt, Rejection,
};
