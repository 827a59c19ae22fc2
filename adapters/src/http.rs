//! The one HTTP stack every platform channel uses: a `reqwest` client (rustls) with connect and
//! request timeouts, the classification of transport failures into [`PublishError`], and
//! request/response logging at debug level that never includes a secret (tokens travel in
//! headers, which are not logged; query strings are logged with `access_token` masked).

use std::time::Duration;

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

/// Whether repeating a request can create a second post. Decides what a timeout means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads, status queries, uploads to a session, requests with a platform idempotency key:
    /// a timeout is just a temporary failure.
    Repeatable,
    /// Creates something (a post, an upload session): a timeout after the request left means
    /// it may exist now.
    Creates,
}

/// Classify a transport error (no HTTP status was received).
pub fn transport_error(what: &str, e: &reqwest::Error, effect: Effect) -> PublishError {
    let msg = format!("{what}: {}", without_url_secrets(&e.to_string()));
    if e.is_connect() || e.is_builder() || e.is_request() && !e.is_timeout() && !e.is_body() {
        // The request never reached the server.
        return PublishError::Transient(msg);
    }
    match effect {
        Effect::Repeatable => PublishError::Transient(msg),
        Effect::Creates => PublishError::Ambiguous(msg),
    }
}

/// Classify a 5xx answer: the server failed, and for a create it may have applied the request.
pub fn server_error(
    what: &str,
    status: reqwest::StatusCode,
    body: &str,
    effect: Effect,
) -> PublishError {
    let msg = format!("{what}: HTTP {status}: {}", truncate(body, 2000));
    match effect {
        Effect::Repeatable => PublishError::Transient(msg),
        Effect::Creates => PublishError::Ambiguous(msg),
    }
}

/// Log one exchange at debug level, without secrets.
pub fn log_exchange(
    channel: &str,
    method: &str,
    url: &str,
    status: Option<u16>,
    request_id: Option<&str>,
) {
    tracing::debug!(channel, method, url = %without_url_secrets(url), status, request_id, "http");
}

/// Mask `access_token=…` and similar query parameters in a URL or message.
pub fn without_url_secrets(s: &str) -> String {
    let mut out = s.to_owned();
    for key in [
        "access_token=",
        "client_secret=",
        "refresh_token=",
        "input_token=",
    ] {
        let mut from = 0;
        while let Some(pos) = out[from..].find(key) {
            let start = from + pos + key.len();
            let end = out[start..]
                .find(['&', ' ', '"', ')'])
                .map(|e| start + e)
                .unwrap_or(out.len());
            out.replace_range(start..end, "[redacted]");
            from = start + "[redacted]".len();
        }
    }
    out
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    &s[..s.floor_char_boundary(max.min(s.len()))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_urls_are_masked() {
        let s = without_url_secrets(
            "GET https://graph.example/v21.0/me?fields=id&access_token=EAAB123&x=1 failed",
        );
        assert_eq!(
            s,
            "GET https://graph.example/v21.0/me?fields=id&access_token=[redacted]&x=1 failed"
        );
        assert_eq!(
            without_url_secrets("a?refresh_token=abc"),
            "a?refresh_token=[redacted]"
        );
    }

    #[test]
    fn truncation_respects_thai_characters() {
        assert_eq!(truncate("ผู้ต้องหา", 4), "ผ");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
