//! Sending one request and reading its whole answer, with transport failures classified by what
//! the request could have done.
//!
//! The rule for a create ([`Effect::Creates`]): only a failure that certainly happened before
//! the request was written — the request could not be built, the name did not resolve, the
//! connection was never made — is safe to repeat (`Transient`). Everything after that is
//! `Ambiguous`: a request error once connected, a timeout, a cut body, and the connection
//! closed before the answer (what a proxy or a mobile uplink does after the platform acted).
//! reqwest reports that last one as `is_request()`, so `is_request()` proves nothing.

use std::error::Error as _;
use std::time::Instant;

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode};

use super::{Effect, scrub};
use crate::PublishError;

/// A received answer, whatever its status, read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The URL answered (after redirects), scrubbed: for messages.
    pub url: String,
}

impl Answer {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Headers that carry a platform's request id, logged with the exchange.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-fb-trace-id",
    "x-line-request-id",
    "x-guploader-uploadid",
    "x-tt-logid",
    "x-request-id",
];

/// Send `req` (built on the client that will send it) and read the whole answer. A transport
/// failure is classified by [`transport`]; any HTTP status is returned for the caller (its
/// platform table, then [`super::fallback`]) to judge. `channel` and `what` name the exchange
/// in the debug log and in messages; neither the URL's secrets nor any header value is logged.
pub async fn exchange(
    channel: &'static str,
    what: &str,
    req: RequestBuilder,
    effect: Effect,
) -> Result<Answer, PublishError> {
    let (client, req) = req.build_split();
    let req = req.map_err(|e| transport(what, &e, effect))?;
    let method = req.method().clone();
    let url = scrub(req.url().as_str());
    let started = Instant::now();
    let resp = match client.execute(req).await {
        Ok(r) => r,
        Err(e) => {
            let err = transport(what, &e, effect);
            tracing::debug!(channel, %method, %url, class = err.class(), elapsed_ms = started.elapsed().as_millis() as u64, "http failed");
            return Err(err);
        }
    };
    let status = resp.status();
    let headers = resp.headers().clone();
    let answered = scrub(resp.url().as_str());
    let request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()));
    tracing::debug!(channel, %method, url = %answered, status = status.as_u16(), request_id, elapsed_ms = started.elapsed().as_millis() as u64, "http");
    let body = resp.text().await.map_err(|e| transport(what, &e, effect))?;
    Ok(Answer {
        status,
        headers,
        body,
        url: answered,
    })
}

/// Classify a transport error (no whole answer was received): `Transient` if the request was
/// certainly never written or the request is repeatable, else `Ambiguous`.
pub fn transport(what: &str, e: &reqwest::Error, effect: Effect) -> PublishError {
    let msg = scrub(&format!("{what}: {}", chain(e)));
    if never_written(e) {
        return PublishError::Transient(msg);
    }
    effect.unsettled(msg)
}

/// Whether the failure certainly happened before any byte of the request was written: the
/// request could not be built, or the connection (DNS, TCP, TLS) was never made.
fn never_written(e: &reqwest::Error) -> bool {
    e.is_builder() || e.is_connect()
}

/// The error and its causes in one line ("error sending request …: connection closed before
/// message completed").
fn chain(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = cause.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_is_safe_to_repeat_even_for_a_create() {
        // Bind, learn the port, close: nothing listens there now.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let client = reqwest::Client::new();
        let req = client.post(format!("http://127.0.0.1:{port}/feed?access_token=SECRET"));
        let e = exchange("test", "create the post", req, Effect::Creates)
            .await
            .unwrap_err();
        assert_eq!(e.class(), "transient", "{e}");
        assert!(!e.to_string().contains("SECRET"), "{e}");
    }

    #[tokio::test]
    async fn a_connection_closed_before_the_answer_is_ambiguous_for_a_create() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let (mut sock, _) = listener.accept().await.unwrap();
                // Read the request, then hang up without a word.
                let mut buf = vec![0; 4096];
                let _ = sock.read(&mut buf).await;
                drop(sock);
            }
        });
        let client = reqwest::Client::new();
        let create = exchange(
            "test",
            "create the post",
            client.post(format!("http://{addr}/feed")).body("x"),
            Effect::Creates,
        )
        .await
        .unwrap_err();
        assert_eq!(create.class(), "ambiguous", "{create}");
        let read = exchange(
            "test",
            "read",
            client.get(format!("http://{addr}/feed")),
            Effect::Repeatable,
        )
        .await
        .unwrap_err();
        assert_eq!(read.class(), "transient", "{read}");
    }
}
