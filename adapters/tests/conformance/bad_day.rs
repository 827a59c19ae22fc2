//! A bad day in front of any platform fake: a proxy on 127.0.0.1 that passes every request to
//! the fake and, for the one request a rule names, does what real networks and platforms do:
//! close the connection after the platform acted, answer 502 after it acted, answer only after
//! the client gave up, or refuse with 429 (with or without `Retry-After`) or 401 before it
//! acts. One proxy serves all five fakes, so no fake carries its own copy of these modes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// What happens to the request a rule names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The platform gets the request and acts; the client's connection is then closed without
    /// a byte of answer (a proxy or a mobile uplink dropping it).
    CloseAfterActing,
    /// The platform acts; the client gets `502 Bad Gateway` (an HTML page) instead.
    ServerErrorAfterActing,
    /// The platform acts; its answer is held back this long (longer than the client waits).
    SlowAfterActing(Duration),
    /// `429 Too Many Requests`, with this `Retry-After` if any; the platform never sees it.
    TooManyRequests(Option<&'static str>),
    /// `401 Unauthorized`; the platform never sees it.
    Unauthorized,
    /// The platform takes this long before it acts, and goes on to act even when the client
    /// has gone meanwhile (a busy WordPress: PHP finishes the request whatever the client does).
    /// Used by the daemon's kill -9 test (`tests/crash_slow_platform.rs`).
    #[allow(dead_code)]
    SlowProcessing(Duration),
}

struct Rule {
    method: Method,
    path: String,
    fault: Fault,
    /// Applies to every matching request, not only the next one.
    every: bool,
}

struct Shared {
    upstream: String,
    http: reqwest::Client,
    rules: Mutex<Vec<Rule>>,
    applied: Mutex<Vec<Fault>>,
    in_flight: AtomicUsize,
}

/// The proxy. Point a channel at `url` instead of the fake's address.
#[derive(Clone)]
pub struct BadDay {
    pub url: String,
    shared: Arc<Shared>,
}

impl BadDay {
    /// A proxy in front of the fake at `upstream` (`http://127.0.0.1:port`).
    pub async fn start(upstream: &str) -> BadDay {
        let shared = Arc::new(Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            rules: Mutex::default(),
            applied: Mutex::default(),
            in_flight: AtomicUsize::new(0),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        BadDay { url, shared }
    }

    /// Apply `fault` once, to the next request with `method` whose path and query contain
    /// `path`.
    pub fn once(&self, method: Method, path: &str, fault: Fault) {
        self.shared.rules.lock().unwrap().push(Rule {
            method,
            path: path.to_owned(),
            fault,
            every: false,
        });
    }

    /// Apply `fault` to every request with `method` whose path and query contain `path`.
    #[allow(dead_code)]
    pub fn always(&self, method: Method, path: &str, fault: Fault) {
        self.shared.rules.lock().unwrap().push(Rule {
            method,
            path: path.to_owned(),
            fault,
            every: true,
        });
    }

    /// The faults applied so far.
    pub fn applied(&self) -> Vec<Fault> {
        self.shared.applied.lock().unwrap().clone()
    }

    /// How many requests are in flight through the proxy now (a platform still acting). Used
    /// by the daemon's kill -9 test of corrections (`tests/corrections.rs`).
    #[allow(dead_code)]
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Wait until no request is in flight through the proxy: an earlier attempt can no longer
    /// complete (what the dispatcher waits for before it looks anything up).
    pub async fn quiet(&self) {
        for _ in 0..1000 {
            if self.shared.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("a request through the bad-day proxy never finished");
    }
}

/// Counts a request in flight until dropped (answered, cancelled or unwound).
struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(s: &Arc<Shared>) -> InFlight {
        s.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(s.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn handle(
    State(s): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = InFlight::new(&s);
    let target = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| uri.path().to_owned());
    let fault = {
        let mut rules = s.rules.lock().unwrap();
        let hit = rules
            .iter()
            .position(|r| r.method == method && target.contains(&r.path));
        hit.map(|i| {
            if rules[i].every {
                rules[i].fault.clone()
            } else {
                rules.remove(i).fault
            }
        })
    };
    if let Some(f) = &fault {
        s.applied.lock().unwrap().push(f.clone());
    }
    match &fault {
        Some(Fault::TooManyRequests(retry_after)) => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            if let Some(v) = retry_after {
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from_static(v));
            }
            return r;
        }
        Some(Fault::Unauthorized) => {
            return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
        }
        _ => {}
    }
    if let Some(Fault::SlowProcessing(d)) = fault {
        // The platform's work goes on in its own task: a client that hangs up (or is killed)
        // does not stop it.
        let (s2, target2) = (s.clone(), target.clone());
        let work = tokio::spawn(async move {
            let _busy = InFlight::new(&s2);
            tokio::time::sleep(d).await;
            forward(&s2, method, &target2, &headers, body).await
        });
        return work.await.expect("the platform's work finishes");
    }
    let answer = forward(&s, method, &target, &headers, body).await;
    match fault {
        Some(Fault::CloseAfterActing) => {
            // Unwinding ends the connection's task: hyper closes the socket with no answer.
            // `resume_unwind` skips the panic hook, so nothing is printed.
            std::panic::resume_unwind(Box::new("bad day: connection closed without an answer"))
        }
        Some(Fault::ServerErrorAfterActing) => (
            StatusCode::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
            .into_response(),
        Some(Fault::SlowAfterActing(d)) => {
            tokio::time::sleep(d).await;
            answer
        }
        _ => answer,
    }
}

/// Pass the request to the fake and its whole answer back.
async fn forward(
    s: &Shared,
    method: Method,
    target: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
    let mut req = s
        .http
        .request(method, format!("{}{target}", s.upstream))
        .body(body.to_vec());
    for (k, v) in headers {
        if !matches!(
            k.as_str(),
            "host" | "content-length" | "connection" | "transfer-encoding"
        ) {
            req = req.header(k.as_str(), v.as_bytes());
        }
    }
    let res = req.send().await.expect("the fake answers");
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap();
    let mut out = HeaderMap::new();
    for (k, v) in res.headers() {
        if !matches!(
            k.as_str(),
            "content-length" | "connection" | "transfer-encoding"
        ) {
            out.append(
                HeaderName::from_bytes(k.as_str().as_bytes()).unwrap(),
                HeaderValue::from_bytes(v.as_bytes()).unwrap(),
            );
        }
    }
    let bytes = res.bytes().await.expect("the fake's body");
    let mut r = (status, bytes.to_vec()).into_response();
    *r.headers_mut() = out;
    r
}
