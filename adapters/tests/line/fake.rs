//! A fake LINE Messaging API, written from the reference and `messaging-api.yml` /
//! `insight.yml`: it checks `Authorization: Bearer`, that every send carries an
//! `X-Line-Retry-Key` UUID, validates every send body against the official schema, answers
//! with the documented bodies and headers (`X-Line-Request-Id` on every answer; 409 with
//! `X-Line-Accepted-Request-Id` when a retry key was already accepted), and can be scripted to
//! fail or to be slow. It records every request it receives.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::schema::Schemas;

pub const TOKEN: &str = "test-channel-access-token";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HashMap<String, String>,
    pub body: Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A scripted answer to the next send request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// Take the retry key as accepted before answering (a 500 or a timeout after LINE did send).
    pub accept: bool,
    pub delay: Duration,
}

impl Reply {
    pub fn error(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            accept: false,
            delay: Duration::ZERO,
        }
    }
}

pub struct State {
    pub requests: Vec<Recorded>,
    pub schema_errors: Vec<String>,
    pub sends: VecDeque<Reply>,
    /// Answers for GET paths, replacing the defaults.
    pub gets: HashMap<String, (u16, Value)>,
    /// Retry key → the request id that accepted it.
    pub accepted: HashMap<String, String>,
    pub quota: Value,
    pub consumption: Value,
    pub followers: Value,
    pub message_event: Value,
    next_id: u32,
}

#[derive(Clone)]
pub struct Fake {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(Mutex::new(State {
            requests: Vec::new(),
            schema_errors: Vec::new(),
            sends: VecDeque::new(),
            gets: HashMap::new(),
            accepted: HashMap::new(),
            quota: json!({ "type": "limited", "value": 15000 }),
            consumption: json!({ "totalUsage": 500 }),
            followers: json!({ "status": "ready", "followers": 7620, "targetedReaches": 5848, "blocks": 237 }),
            message_event: json!({}),
            next_id: 0,
        }));
        let schemas = Arc::new(Schemas::load());
        let st = state.clone();
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (st, schemas) = (st.clone(), schemas.clone());
                async move { handle(st, schemas, method, uri, headers, body).await }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { url, state }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|s| s.requests.clone())
    }

    /// The POSTs that tried to send something.
    pub fn sends(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect()
    }

    pub fn gets_to(&self, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == path)
            .count()
    }

    pub fn schema_errors(&self) -> Vec<String> {
        self.with(|s| s.schema_errors.clone())
    }
}

fn request_id(s: &mut State) -> String {
    s.next_id += 1;
    format!("f70dd685-499a-4231-a441-{:012x}", s.next_id)
}

fn answer(
    status: u16,
    request_id: &str,
    body: &Value,
    extra: &[(&'static str, String)],
) -> Response {
    let mut res = (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(body.clone()),
    )
        .into_response();
    res.headers_mut()
        .insert("x-line-request-id", request_id.parse().unwrap());
    for (k, v) in extra {
        res.headers_mut().insert(*k, v.parse().unwrap());
    }
    res
}

async fn handle(
    st: Arc<Mutex<State>>,
    schemas: Arc<Schemas>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let json_body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let recorded = Recorded {
        method: method.to_string(),
        path: path.clone(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: json_body.clone(),
    };
    let (id, reply) = {
        let mut s = st.lock().unwrap();
        s.requests.push(recorded.clone());
        let id = request_id(&mut s);
        if recorded.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return answer(
                401,
                &id,
                &json!({ "message": "Authentication failed. Confirm that the access token in the authorization header is valid." }),
                &[],
            );
        }
        if method == Method::GET {
            return get(&mut s, &id, &path, uri.query().unwrap_or(""));
        }
        let schema = match path.as_str() {
            "/v2/bot/message/broadcast" => "BroadcastRequest",
            "/v2/bot/message/narrowcast" => "NarrowcastRequest",
            "/v2/bot/message/push" => "PushMessageRequest",
            _ => return answer(404, &id, &json!({ "message": "Not found" }), &[]),
        };
        let errors = schemas.errors(schema, &json_body);
        if !errors.is_empty() {
            s.schema_errors.extend(errors.iter().cloned());
            let details: Vec<Value> = errors
                .iter()
                .map(|e| json!({ "message": e, "property": "messages" }))
                .collect();
            return answer(
                400,
                &id,
                &json!({ "message": "The request body has 1 error(s)", "details": details }),
                &[],
            );
        }
        let key = match recorded
            .header("x-line-retry-key")
            .map(uuid::Uuid::try_parse)
        {
            Some(Ok(k)) => k.to_string(),
            _ => {
                s.schema_errors
                    .push("missing or malformed X-Line-Retry-Key".into());
                return answer(
                    400,
                    &id,
                    &json!({ "message": "The value for the 'X-Line-Retry-Key' header is invalid" }),
                    &[],
                );
            }
        };
        if let Some(first) = s.accepted.get(&key).cloned() {
            return answer(
                409,
                &id,
                &json!({ "message": "The retry key is already accepted", "sentMessages": [{ "id": "461230966842064897" }] }),
                &[("x-line-accepted-request-id", first)],
            );
        }
        let reply = s.sends.pop_front();
        if reply.as_ref().is_none_or(|r| r.accept) {
            s.accepted.insert(key, id.clone());
        }
        (id, reply)
    };
    if let Some(r) = reply {
        tokio::time::sleep(r.delay).await;
        return answer(r.status, &id, &r.body, &[]);
    }
    match path.as_str() {
        "/v2/bot/message/narrowcast" => answer(202, &id, &json!({}), &[]),
        "/v2/bot/message/push" => answer(
            200,
            &id,
            &json!({ "sentMessages": [{ "id": "461230966842064897", "quoteToken": "IStG5h1Tz7b..." }] }),
            &[],
        ),
        _ => answer(200, &id, &json!({}), &[]),
    }
}

fn get(s: &mut State, id: &str, path: &str, query: &str) -> Response {
    if let Some((status, body)) = s.gets.get(path) {
        return answer(*status, id, body, &[]);
    }
    match path {
        "/v2/bot/info" => answer(
            200,
            id,
            &json!({
                "userId": "Ub9952f8...", "basicId": "@216ru...", "displayName": "สภ.เมืองระนอง",
                "pictureUrl": "https://profile.line-scdn.net/abcdefghijklmn", "chatMode": "chat", "markAsReadMode": "manual"
            }),
            &[],
        ),
        "/oauth2/v2.1/verify" => {
            if query != format!("access_token={TOKEN}") {
                return answer(
                    400,
                    id,
                    &json!({ "error": "invalid_request", "error_description": "access token expired" }),
                    &[],
                );
            }
            answer(
                200,
                id,
                &json!({ "client_id": "1573163733", "expires_in": 2591659, "scope": "profile chat_message.write" }),
                &[],
            )
        }
        "/v2/bot/message/quota" => answer(200, id, &s.quota.clone(), &[]),
        "/v2/bot/message/quota/consumption" => answer(200, id, &s.consumption.clone(), &[]),
        "/v2/bot/insight/followers" => {
            let ok = query
                .strip_prefix("date=")
                .is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                return answer(400, id, &json!({ "message": "Invalid date" }), &[]);
            }
            answer(200, id, &s.followers.clone(), &[])
        }
        "/v2/bot/insight/message/event" => {
            if !query.starts_with("requestId=") || query.len() <= "requestId=".len() {
                return answer(400, id, &json!({ "message": "requestId is required" }), &[]);
            }
            answer(200, id, &s.message_event.clone(), &[])
        }
        "/v2/bot/message/progress/narrowcast" => answer(
            200,
            id,
            &json!({
                "phase": "succeeded", "successCount": 7000, "failureCount": 0, "targetCount": 7000,
                "acceptedTime": "2026-11-24T07:00:00.121Z", "completedTime": "2026-11-24T07:01:00.000Z"
            }),
            &[],
        ),
        _ => answer(404, id, &json!({ "message": "Not found" }), &[]),
    }
}
