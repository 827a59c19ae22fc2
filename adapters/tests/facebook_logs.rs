//! Tokens never reach a URL or a log line, checked in a test binary of its own: tracing caches,
//! per call site, whether anyone wants its lines, and a test running beside this one on another
//! thread (with no subscriber) can set that cache to "never" just before this test's subscriber
//! exists, so the lines this test looks for would silently not be written.
#![allow(dead_code)]

#[path = "facebook/fake.rs"]
mod fake;
#[path = "facebook/graph.rs"]
mod graph;
#[path = "facebook/support.rs"]
mod support;

use prakat_adapters::{Channel, PublishContext};

use fake::Fake;
use support::*;

#[tokio::test]
async fn tokens_never_appear_in_urls_or_logs() {
    let logs = Logs::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(logs.clone()));
    let fake = Fake::start().await;
    let fb = channel(&fake);
    fb.healthcheck().await.unwrap();
    let payload = prepared(&fb, &draft(THAI, vec![]));
    fb.publish(&payload, &PublishContext::first(7, "k"))
        .await
        .unwrap();
    let lines = logs.0.lock().unwrap().clone();
    assert!(lines.iter().any(|l| l.contains("debug_token")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("input_token=[redacted]")),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| !l.contains(fake::TOKEN)), "{lines:?}");
    for s in fake.seen() {
        if !s.path.ends_with("debug_token") {
            assert!(s.query.iter().all(|(_, v)| v != fake::TOKEN), "{s:?}");
        }
        assert_eq!(s.headers["authorization"], format!("OAuth {}", fake::TOKEN));
    }
    assert!(!format!("{:?}", settings(&fake)).contains(fake::TOKEN));
}
