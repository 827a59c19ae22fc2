//! A fake of TikTok's Content Posting API, Display API video query and OAuth token endpoint,
//! written from the documentation (developers.tiktok.com: direct post, photo post, media
//! transfer guide, get post status, error handling, oauth-refresh-a-user-access-token). It
//! validates what the docs require (privacy level among the creator's options, caption and
//! title lengths in UTF-16 runes, the chunk rules, sequential `Content-Range`s), answers with
//! the documented bodies and error codes, rotates refresh tokens (the old one stops working),
//! and records every request, in order, into an event log shared with the test's checkpoint.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::fake_posting as posting;

pub const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HashMap<String, String>,
    /// The body (for chunk PUTs only its length is kept in `body_len`).
    pub body: Vec<u8>,
    pub body_len: usize,
}

impl Req {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// What `status/fetch` answers once a post's media is all there; the last step repeats.
#[derive(Debug, Clone)]
pub enum Step {
    Processing(&'static str),
    Complete(Option<u64>),
    Failed(&'static str),
}

#[derive(Debug, Clone)]
pub struct Publish {
    pub photo: bool,
    pub video_size: u64,
    pub chunk_size: u64,
    pub total_chunk_count: u64,
    pub uploaded: u64,
    pub chunks_received: u64,
    pub polls: usize,
    /// The upload URL expired: status says FAILED, PUTs are refused.
    pub expired: bool,
}

pub struct St {
    pub events: Arc<Mutex<Vec<String>>>,
    pub requests: Vec<Req>,
    pub username: String,
    pub nickname: String,
    pub privacy_options: Vec<String>,
    pub comment_disabled: bool,
    pub max_video_post_duration_sec: Option<u64>,
    pub valid_access: HashSet<String>,
    pub refresh_token: String,
    pub issued: u32,
    pub expires_in: i64,
    pub scope: String,
    /// The token file of the adapter under test, read when an access token is first used.
    pub token_file: Option<PathBuf>,
    pub file_refresh_at_first_use: Vec<(String, Option<String>)>,
    pub inits: u32,
    pub publishes: HashMap<String, Publish>,
    pub script: Vec<Step>,
    pub init_delay: Duration,
    pub stall_chunk: Option<u64>,
    pub inject: HashMap<String, VecDeque<(u16, &'static str)>>,
    pub videos: HashMap<String, [u64; 4]>,
}

#[derive(Clone)]
pub struct Fake {
    pub url: String,
    pub st: Arc<Mutex<St>>,
}

impl Fake {
    pub async fn start(events: Arc<Mutex<Vec<String>>>) -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let st = Arc::new(Mutex::new(St {
            events,
            requests: vec![],
            username: "phonlamuang_police".into(),
            nickname: "สภ.เมืองพลเมือง".into(),
            privacy_options: vec![
                "PUBLIC_TO_EVERYONE".into(),
                "MUTUAL_FOLLOW_FRIENDS".into(),
                "SELF_ONLY".into(),
            ],
            comment_disabled: false,
            max_video_post_duration_sec: Some(600),
            valid_access: HashSet::from(["act.valid".to_owned()]),
            refresh_token: "rft.0".into(),
            issued: 0,
            expires_in: 86_400,
            scope: "user.info.basic,video.publish,video.list".into(),
            token_file: None,
            file_refresh_at_first_use: vec![],
            inits: 0,
            publishes: HashMap::new(),
            script: vec![
                Step::Processing("PROCESSING_DOWNLOAD"),
                Step::Complete(Some(7_301_234_567_890_123_456)),
            ],
            init_delay: Duration::ZERO,
            stall_chunk: None,
            inject: HashMap::new(),
            videos: HashMap::new(),
        }));
        let app = axum::Router::new().fallback(handle).with_state(Fake {
            url: url.clone(),
            st: st.clone(),
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { url, st }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut St) -> R) -> R {
        f(&mut self.st.lock().unwrap())
    }

    pub fn requests(&self) -> Vec<Req> {
        self.with(|s| s.requests.clone())
    }

    pub fn paths(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    /// The next call to `path` answers `status` with the documented error body for `code`.
    pub fn fail_next(&self, path: &str, status: u16, code: &'static str) {
        self.with(|s| {
            s.inject
                .entry(path.to_owned())
                .or_default()
                .push_back((status, code))
        });
    }
}

pub fn log_id() -> String {
    "202611240730001234ABCD".into()
}

pub fn ok(data: Value) -> Response {
    let body =
        json!({ "data": data, "error": { "code": "ok", "message": "", "log_id": log_id() } });
    (StatusCode::OK, axum::Json(body)).into_response()
}

pub fn error(status: u16, code: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code, "message": message, "log_id": log_id() } });
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

pub fn utf16(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.encode_utf16().count())
}

fn form(body: &[u8]) -> HashMap<String, String> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

async fn handle(State(f): State<Fake>, req: Request) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let headers: HashMap<String, String> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    let is_put = method == "PUT";
    let recorded = Req {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        headers: headers.clone(),
        body: if is_put { vec![] } else { body.clone() },
        body_len: body.len(),
    };
    let injected = f.with(|s| {
        s.events.lock().unwrap().push(if is_put {
            format!(
                "PUT {} {}",
                path,
                headers.get("content-range").cloned().unwrap_or_default()
            )
        } else {
            format!("{method} {path}")
        });
        s.requests.push(recorded);
        s.inject.get_mut(&path).and_then(VecDeque::pop_front)
    });
    if let Some((status, code)) = injected {
        return error(status, code, "injected by the test");
    }
    if path == "/v2/oauth/token/" {
        return token(&f, &body);
    }
    if is_put && path == "/upload/" {
        return posting::upload(&f, &query, &headers, body.len()).await;
    }
    // Every other endpoint wants `Authorization: Bearer <user access token>`.
    let bearer = headers
        .get("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or("")
        .to_owned();
    let known = f.with(|s| {
        let known = s.valid_access.contains(&bearer);
        if known
            && !s
                .file_refresh_at_first_use
                .iter()
                .any(|(a, _)| *a == bearer)
        {
            let in_file = s
                .token_file
                .as_ref()
                .and_then(|p| std::fs::read(p).ok())
                .and_then(|b| {
                    serde_json::from_slice::<Value>(&b).ok()?["refresh_token"]
                        .as_str()
                        .map(str::to_owned)
                });
            s.file_refresh_at_first_use.push((bearer.clone(), in_file));
        }
        known
    });
    if !known {
        return error(
            401,
            "access_token_invalid",
            "The access token is invalid or not found in the request.",
        );
    }
    if headers.get("content-type").map(String::as_str) != Some("application/json; charset=UTF-8") {
        return error(
            400,
            "invalid_params",
            "Content-Type must be application/json; charset=UTF-8",
        );
    }
    let body: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => return error(400, "invalid_params", "The request body is not JSON."),
    };
    match path.as_str() {
        "/v2/post/publish/creator_info/query/" => f.with(|s| {
            ok(json!({
                "creator_avatar_url": "https://p16.tiktokcdn.example/avatar.jpeg",
                "creator_username": s.username,
                "creator_nickname": s.nickname,
                "privacy_level_options": s.privacy_options,
                "comment_disabled": s.comment_disabled,
                "duet_disabled": false,
                "stitch_disabled": true,
                "max_video_post_duration_sec": s.max_video_post_duration_sec,
            }))
        }),
        "/v2/post/publish/video/init/" => posting::video_init(&f, &body).await,
        "/v2/post/publish/content/init/" => posting::photo_init(&f, &body).await,
        "/v2/post/publish/status/fetch/" => posting::status(&f, &body),
        "/v2/video/query/" => posting::video_query(&f, &query, &body),
        _ => error(404, "not_found", "no such endpoint in the fake"),
    }
}

fn token(f: &Fake, body: &[u8]) -> Response {
    let p = form(body);
    f.with(|s| {
        let good = p.get("grant_type").map(String::as_str) == Some("refresh_token")
            && p.get("client_key").map(String::as_str) == Some("ck")
            && p.get("client_secret").map(String::as_str) == Some("cs")
            && p.get("refresh_token") == Some(&s.refresh_token);
        if !good {
            let body = json!({
                "error": "invalid_grant",
                "error_description": "Refresh token is invalid or expired.",
                "log_id": log_id(),
            });
            return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
        }
        s.issued += 1;
        let access = format!("act.{}", s.issued);
        // Rotation: the previous refresh token stops working once a new one is issued.
        s.refresh_token = format!("rft.{}", s.issued);
        s.valid_access.insert(access.clone());
        axum::Json(json!({
            "access_token": access,
            "expires_in": s.expires_in,
            "open_id": "openid-1",
            "refresh_expires_in": 15_552_000,
            "refresh_token": s.refresh_token,
            "scope": s.scope,
            "token_type": "Bearer",
        }))
        .into_response()
    })
}
