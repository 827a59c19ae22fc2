//! # prakat
//!
//! One place for a Thai police station's public-relations desk to publish: announcements are
//! queued, composed once per channel, and published on schedule — the station's website first —
//! exactly once per channel.
//!
//! The daemon is a library ([`daemon::run`]) with a thin binary. Its parts, in the order an
//! announcement meets them: [`settings`], [`media`], [`compose`], [`store`], [`dispatch`]
//! (with [`schedule`] for recurring notices), the channels ([`channels`], implemented in the
//! `prakat-adapters` crate), [`reach`] (what each post reached, sampled after publishing), and
//! the HTTP side ([`server`], [`metrics`]).
#![forbid(unsafe_code)]

pub mod app;
pub mod bench;
pub mod binding;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod compose;
pub mod corrections;
pub mod daemon;
pub mod desk;
pub mod digest;
pub mod dispatch;
pub mod errors;
pub mod events;
pub mod help;
pub mod i18n;
pub mod intake;
pub mod lock;
pub mod logging;
pub mod media;
pub mod metrics;
pub mod newsroom;
pub mod out;
pub mod reach;
pub mod schedule;
pub mod server;
pub mod settings;
pub mod store;
pub mod telegram;
pub mod text;
pub mod watch;
