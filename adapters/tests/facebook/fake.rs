//! A fake Graph API, written from the Facebook documentation: version-prefixed routes for
//! `/{page}/feed`, `/{page}/photos` (published or not), `/{page}/videos`, the Resumable Upload
//! API (`/{app}/uploads`, `/upload:<session>` POST and GET), `/{page}/posts`,
//! `/{post}/insights` (with retired metrics refused as error 100), `/{post}` fields,
//! `debug_token`, `/me/permissions` and `/{page}`. It answers with the documented bodies and
//! `x-fb-trace-id`, checks the `Authorization: OAuth <token>` header, records every request,
//! and can be scripted to answer a request with an error (status, body, usage headers), to
//! do the work and answer late, or to do the work and then answer with an error (the answer
//! lost after Facebook acted). Corrections: `POST /{post-id}` (`message`), `POST /{video-id}`
//! (`name`, `description`), `DELETE /{id}`, each answered `{"success":true}`, and error 100
//! subcode 33 for an id that is not (or no longer) there.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};

use super::graph::{new_post_id, route};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const VERSION: &str = "v25.0";
pub const PAGE: &str = "1755847768034402";
pub const APP: &str = "987654321";
pub const TOKEN: &str = "EAAPAGE-secret-token-123";
pub const PAGE_NAME: &str = "สถานีตำรวจภูธรเมืองระนอง";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    /// The form body (or the query, for requests without a body), decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        decode(std::str::from_utf8(&self.body).unwrap_or(""))
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .chain(self.query.clone())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

fn decode(s: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{s}"))
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// A scripted answer for the next request(s) matching `method` and a path ending.
#[derive(Debug, Clone)]
pub struct Rule {
    pub method: Method,
    pub path_ends_with: String,
    /// Which matching request this applies to (1 = the next one).
    pub nth: usize,
    pub status: StatusCode,
    pub body: Value,
    pub headers: Vec<(String, String)>,
    /// Do the normal work (create the post) at once and answer normally after this delay.
    pub late: Option<Duration>,
    /// Do the normal work, then answer with this rule's status and body instead.
    pub applied: bool,
}

impl Rule {
    pub fn error(method: Method, path_ends_with: &str, status: u16, body: Value) -> Rule {
        Rule {
            method,
            path_ends_with: path_ends_with.to_owned(),
            nth: 1,
            status: StatusCode::from_u16(status).unwrap(),
            body,
            headers: Vec::new(),
            late: None,
            applied: false,
        }
    }

    /// Do the work, then answer with `status` and `body`: Facebook acted, the answer says not.
    pub fn applied_then(method: Method, path_ends_with: &str, status: u16, body: Value) -> Rule {
        Rule {
            applied: true,
            ..Rule::error(method, path_ends_with, status, body)
        }
    }

    pub fn late(method: Method, path_ends_with: &str, delay: Duration) -> Rule {
        Rule {
            late: Some(delay),
            ..Rule::error(method, path_ends_with, 200, Value::Null)
        }
    }

    pub fn nth(mut self, n: usize) -> Rule {
        self.nth = n;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Rule {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A Graph error body as documented.
pub fn graph_error(code: i64, subcode: Option<i64>, message: &str) -> Value {
    let mut e = json!({
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIj"
    });
    if let Some(s) = subcode {
        e["error_subcode"] = json!(s);
    }
    json!({ "error": e })
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub message: Option<String>,
    pub created_time: String,
}

/// A Page video (the Video node), next to the feed post Facebook makes for it.
#[derive(Debug, Clone)]
pub struct Video {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Default)]
pub struct Shared {
    pub videos: Vec<Video>,
    pub seen: Vec<Seen>,
    pub rules: VecDeque<(Rule, usize)>,
    pub posts: Vec<Post>,
    pub unpublished_photos: HashSet<String>,
    /// Upload session → (declared length, bytes received).
    pub uploads: HashMap<String, (u64, Vec<u8>)>,
    pub handles: HashMap<String, String>,
    pub next: u64,
    /// Insights metrics Facebook no longer answers.
    pub retired_metrics: HashSet<String>,
    /// What `debug_token` says.
    pub token_scopes: Vec<String>,
    pub token_expires_at: i64,
    /// Date new posts by the real clock, as Facebook does. Off by default: the adapter's own
    /// tests use fixed times (new posts are then dated `2026-11-24T03:00:00+0000`).
    pub real_clock: bool,
}

impl Shared {
    /// The `created_time` of a post made now.
    pub fn created_now(&self) -> String {
        if self.real_clock {
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%z").to_string()
        } else {
            "2026-11-24T03:00:00+0000".into()
        }
    }
}

#[derive(Clone)]
pub struct Fake {
    pub base: String,
    pub state: Arc<Mutex<Shared>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(Mutex::new(Shared {
            token_scopes: [
                "pages_manage_posts",
                "pages_read_engagement",
                "pages_read_user_content",
                "read_insights",
                "publish_video",
            ]
            .map(String::from)
            .to_vec(),
            ..Shared::default()
        }));
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake {
            base: format!("http://{addr}"),
            state,
        }
    }

    pub fn script(&self, rule: Rule) {
        self.state.lock().unwrap().rules.push_back((rule, 0));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests with this method whose path ends with `end`.
    pub fn seen_at(&self, method: Method, end: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == method && s.path.ends_with(end))
            .collect()
    }

    pub fn posts(&self) -> Vec<Post> {
        self.state.lock().unwrap().posts.clone()
    }

    pub fn add_post(&self, message: &str) -> String {
        self.add_post_at(message, "2026-11-24T02:00:00+0000")
    }

    /// A post already on the Page, created at `created_time` (`2026-11-24T02:00:00+0000`).
    pub fn add_post_at(&self, message: &str, created_time: &str) -> String {
        let mut s = self.state.lock().unwrap();
        let id = new_post_id(&mut s);
        s.posts.push(Post {
            id: id.clone(),
            message: Some(message.to_owned()),
            created_time: created_time.into(),
        });
        id
    }

    pub fn videos(&self) -> Vec<Video> {
        self.state.lock().unwrap().videos.clone()
    }

    /// The message of the post `id`, if it is on the Page.
    pub fn message(&self, id: &str) -> Option<Option<String>> {
        self.posts()
            .into_iter()
            .find(|p| p.id == id)
            .map(|p| p.message)
    }

    pub fn uploaded_bytes(&self, session: &str) -> Vec<u8> {
        self.state.lock().unwrap().uploads[session].1.clone()
    }
}

fn answer(status: StatusCode, body: Value, headers: &[(String, String)], trace: &str) -> Response {
    let mut resp = (status, axum::Json(body)).into_response();
    resp.headers_mut()
        .insert("x-fb-trace-id", trace.parse().unwrap());
    for (k, v) in headers {
        resp.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    resp
}

async fn handle(
    State(state): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method: method.clone(),
        path: uri.path().to_owned(),
        query: decode(uri.query().unwrap_or("")),
        headers: headers.clone(),
        body: body.to_vec(),
    };
    let (rule, trace) = {
        let mut s = state.lock().unwrap();
        s.seen.push(seen.clone());
        let trace = format!("trace-{}", s.seen.len());
        let mut hit = None;
        for i in 0..s.rules.len() {
            let (rule, count) = &mut s.rules[i];
            if rule.method == method && seen.path.ends_with(&rule.path_ends_with) {
                *count += 1;
                if *count == rule.nth {
                    hit = Some(i);
                }
                break;
            }
        }
        (hit.and_then(|i| s.rules.remove(i)).map(|(r, _)| r), trace)
    };
    let late = match &rule {
        Some(rule) if rule.applied => {
            route(&mut state.lock().unwrap(), &seen);
            return answer(rule.status, rule.body.clone(), &rule.headers, &trace);
        }
        Some(rule) if rule.late.is_none() => {
            return answer(rule.status, rule.body.clone(), &rule.headers, &trace);
        }
        Some(rule) => rule.late,
        None => None,
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("OAuth {TOKEN}"))
    {
        return answer(
            StatusCode::BAD_REQUEST,
            graph_error(
                190,
                None,
                "Invalid OAuth access token - Cannot parse access token",
            ),
            &[],
            &trace,
        );
    }
    // The work is done before any delay: a late answer still applied the request.
    let (status, body, extra) = route(&mut state.lock().unwrap(), &seen);
    if let Some(delay) = late {
        tokio::time::sleep(delay).await;
    }
    answer(status, body, &extra, &trace)
}
