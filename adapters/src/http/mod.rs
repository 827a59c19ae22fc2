//! The platform kit: the one HTTP stack every platform channel uses.
//!
//! - [`client`]: the shared `reqwest` client (rustls) with connect and request timeouts;
//! - [`exchange`] (`exchange.rs`): send one request and read the whole answer, with a transport
//!   failure classified by what the request could have done ([`Effect`]) — for a create only a
//!   failure that certainly happened before the request was written is safe to repeat;
//! - [`fallback`] (`status.rs`): the common meaning of an HTTP status when the platform's own
//!   error table (each platform's `errors.rs`, which runs first) says nothing: 429 with or
//!   without `Retry-After`, 401/403, 5xx, other 4xx;
//! - [`scrub`] (`scrub.rs`): secrets masked in URLs and messages (tokens, `access_token=`,
//!   YouTube's `upload_id`, TikTok's `upload_url`, any `Authorization` value).
//!
//! No adapter classifies a transport error or a bare status on its own: it calls these.

mod exchange;
mod scrub;
mod status;

use std::time::Duration;

pub use exchange::{Answer, exchange, transport};
pub use scrub::{scrub, scrub_error, without_query};
pub use status::{DEFAULT_RETRY_AFTER, fallback, may_have_applied, retry_after, status_error};

use crate::PublishError;

/// Timeouts of the shared client.
#[derive(Debug, Clone, Copy)]
pub struct HttpTimeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        HttpTimeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// Build the shared client.
pub fn client(t: HttpTimeouts) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(t.connect)
        .timeout(t.request)
        .user_agent(concat!("prakat/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend is compiled in")
}

/// Whether repeating a request can create a second post. Decides what a failure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads, status queries, uploads to a session, requests with a platform idempotency key:
    /// any failure is just a temporary one.
    Repeatable,
    /// Creates something (a post, an upload session): a failure after the request may have been
    /// written means it may exist now.
    Creates,
}

impl Effect {
    /// `Ambiguous` for a create, `Transient` for a repeatable request: what a failure that may
    /// have happened after the platform acted means.
    pub fn unsettled(self, msg: String) -> PublishError {
        match self {
            Effect::Repeatable => PublishError::Transient(msg),
            Effect::Creates => PublishError::Ambiguous(msg),
        }
    }
}

/// Classify a transport error (no HTTP status was received). Kept for callers of the old name:
/// the same as [`transport`].
pub fn transport_error(what: &str, e: &reqwest::Error, effect: Effect) -> PublishError {
    transport(what, e, effect)
}

/// Classify a 5xx answer: the server failed, and for a create it may have applied the request.
pub fn server_error(
    what: &str,
    status: reqwest::StatusCode,
    body: &str,
    effect: Effect,
) -> PublishError {
    effect.unsettled(scrub(&format!(
        "{what}: HTTP {status}: {}",
        truncate(body, 2000)
    )))
}

/// Log one exchange at debug level, without secrets.
pub fn log_exchange(
    channel: &str,
    method: &str,
    url: &str,
    status: Option<u16>,
    request_id: Option<&str>,
) {
    tracing::debug!(channel, method, url = %scrub(url), status, request_id, "http");
}

/// Mask `access_token=…` and the other secrets [`scrub`] knows in a URL or message.
pub fn without_url_secrets(s: &str) -> String {
    scrub(s)
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    &s[..s.floor_char_boundary(max.min(s.len()))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_thai_characters() {
        assert_eq!(truncate("ผู้ต้องหา", 4), "ผ");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
