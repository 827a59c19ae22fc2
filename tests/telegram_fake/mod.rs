//! A stand-in for the Telegram Bot API, written from its documentation
//! (<https://core.telegram.org/bots/api>), for tests of the bot through `prakat serve`.
//!
//! - `POST /bot<token>/<method>` with a JSON body; answers `{"ok":true,"result":…}` or
//!   `{"ok":false,"error_code":…,"description":…}` with the same HTTP status.
//! - `getUpdates` long-polls: it answers as soon as an update newer than `offset` exists, or
//!   after `timeout` seconds with `[]`; an `offset` confirms every update before it.
//! - `GET /file/bot<token>/<file_path>` serves a file `getFile` described.
//! - Bad days on demand: 429 with `parameters.retry_after` for the next calls of a method, 403
//!   "Forbidden: bot was blocked by the user" for a blocked chat, 401 "Unauthorized" once the
//!   token is revoked.
//!
//! People are played by queueing updates: [`Fake::text`], [`Fake::photo`], [`Fake::press`]…
//! Every call the bot made is kept, to assert on ([`Fake::calls`], [`Fake::wait_for`]).
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const TOKEN: &str = "123456:TEST-token-for-the-fake";
pub const BOT_ID: i64 = 123456;

#[derive(Clone, Copy, Debug)]
pub struct User {
    pub id: i64,
    pub name: &'static str,
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    next_update: i64,
    next_message: i64,
    next_file: i64,
    calls: Vec<(String, Value)>,
    files: HashMap<String, (String, Vec<u8>)>,
    blocked: HashSet<i64>,
    /// method → (calls still to refuse, retry_after)
    flood: HashMap<String, (u32, u32)>,
    revoked: bool,
    /// Messages the bot sent, by id (for callback queries to point at).
    sent: HashMap<i64, Value>,
}

#[derive(Clone)]
pub struct Fake {
    inner: Arc<Mutex<Inner>>,
    news: Arc<Notify>,
    pub url: String,
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn fail(code: u16, description: &str, extra: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(p) = extra {
        body["parameters"] = p;
    }
    (StatusCode::from_u16(code).unwrap(), axum::Json(body)).into_response()
}

fn user_json(u: User) -> Value {
    json!({"id": u.id, "is_bot": false, "first_name": u.name, "language_code": "th"})
}

fn private_chat(u: User) -> Value {
    json!({"id": u.id, "type": "private", "first_name": u.name})
}

impl Fake {
    pub async fn start() -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fake = Fake {
            inner: Arc::new(Mutex::new(Inner {
                next_update: 1000,
                next_message: 5000,
                ..Default::default()
            })),
            news: Arc::new(Notify::new()),
            url,
        };
        let app = Router::new()
            .route("/{bot}/{method}", post(method).get(method))
            .route("/file/{bot}/{*path}", get(file))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    fn push(&self, kind: &str, body: Value) -> i64 {
        let mut g = self.inner.lock().unwrap();
        g.next_update += 1;
        let id = g.next_update;
        g.updates.push(json!({"update_id": id, kind: body}));
        drop(g);
        self.news.notify_waiters();
        id
    }

    fn message_body(&self, from: User, chat: Value, fields: Value) -> Value {
        let mut g = self.inner.lock().unwrap();
        g.next_message += 1;
        let mut m = json!({
            "message_id": g.next_message,
            "date": chrono::Utc::now().timestamp(),
            "chat": chat,
            "from": user_json(from),
        });
        for (k, v) in fields.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    }

    /// `from` sends a text in their private chat with the bot.
    pub fn text(&self, from: User, text: &str) -> i64 {
        let mut fields = json!({ "text": text });
        if text.starts_with('/') {
            let len = text
                .split_whitespace()
                .next()
                .unwrap()
                .encode_utf16()
                .count();
            fields["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
        }
        let m = self.message_body(from, private_chat(from), fields);
        self.push("message", m)
    }

    /// `from` forwards a text someone else wrote.
    pub fn forwarded(&self, from: User, original: User, text: &str) -> i64 {
        let fields = json!({
            "text": text,
            "forward_origin": {"type": "user", "sender_user": user_json(original), "date": 1_700_000_000},
        });
        let m = self.message_body(from, private_chat(from), fields);
        self.push("message", m)
    }

    /// `from` writes in a group the bot was added to.
    pub fn group_text(&self, from: User, group: i64, text: &str) -> i64 {
        let chat = json!({"id": group, "type": "group", "title": "สายตรวจ"});
        let m = self.message_body(from, chat, json!({ "text": text }));
        self.push("message", m)
    }

    fn add_file(&self, bytes: Vec<u8>, declared: Option<u64>, ext: &str) -> (String, u64) {
        let mut g = self.inner.lock().unwrap();
        g.next_file += 1;
        let id = format!("FILE{}x", g.next_file);
        let size = declared.unwrap_or(bytes.len() as u64);
        let path = format!("photos/file_{}.{ext}", g.next_file);
        g.files.insert(id.clone(), (path, bytes));
        (id, size)
    }

    /// `from` sends a photo, with a caption and as part of an album when given.
    pub fn photo(
        &self,
        from: User,
        jpeg: Vec<u8>,
        caption: Option<&str>,
        album: Option<&str>,
    ) -> i64 {
        let (id, size) = self.add_file(jpeg, None, "jpg");
        let mut fields = json!({
            "photo": [
                {"file_id": format!("{id}-small"), "file_unique_id": format!("{id}-s"), "width": 90, "height": 60, "file_size": 100},
                {"file_id": id, "file_unique_id": format!("{id}-u"), "width": 1280, "height": 853, "file_size": size},
            ]
        });
        if let Some(c) = caption {
            fields["caption"] = json!(c);
        }
        if let Some(a) = album {
            fields["media_group_id"] = json!(a);
        }
        let m = self.message_body(from, private_chat(from), fields);
        self.push("message", m)
    }

    /// `from` sends a video of `declared` bytes (its content is never fetched when too big).
    pub fn video(&self, from: User, declared: u64, caption: Option<&str>) -> i64 {
        let (id, size) = self.add_file(vec![0; 16], Some(declared), "mp4");
        let mut fields = json!({
            "video": {"file_id": id, "file_unique_id": format!("{id}-u"), "width": 1920, "height": 1080,
                      "duration": 60, "file_size": size, "mime_type": "video/mp4", "file_name": "clip.mp4"}
        });
        if let Some(c) = caption {
            fields["caption"] = json!(c);
        }
        let m = self.message_body(from, private_chat(from), fields);
        self.push("message", m)
    }

    /// `from` shares a location (something that cannot be announced).
    pub fn location(&self, from: User) -> i64 {
        let m = self.message_body(
            from,
            private_chat(from),
            json!({"location": {"latitude": 9.96, "longitude": 98.63}}),
        );
        self.push("message", m)
    }

    /// `from` sends a voice note.
    pub fn voice(&self, from: User) -> i64 {
        let (id, size) = self.add_file(vec![1; 32], None, "ogg");
        let m = self.message_body(
            from,
            private_chat(from),
            json!({"voice": {"file_id": id, "file_unique_id": format!("{id}-u"), "duration": 3, "file_size": size}}),
        );
        self.push("message", m)
    }

    /// `from` presses a button with `data` under the bot's message `message_id`.
    pub fn press(&self, from: User, message_id: i64, data: &str) -> i64 {
        let message = self
            .inner
            .lock()
            .unwrap()
            .sent
            .get(&message_id)
            .cloned()
            .unwrap_or_else(
                || json!({"message_id": message_id, "date": 0, "chat": private_chat(from)}),
            );
        let id = format!(
            "cbq-{}-{message_id}-{}",
            from.id,
            chrono::Utc::now().timestamp_nanos_opt().unwrap()
        );
        self.push(
            "callback_query",
            json!({"id": id, "from": user_json(from), "chat_instance": "ci", "data": data, "message": message}),
        )
    }

    pub fn block(&self, chat: i64) {
        self.inner.lock().unwrap().blocked.insert(chat);
    }

    /// The next `times` calls of `method` get 429 with `retry_after`.
    pub fn flood(&self, method: &str, times: u32, retry_after: u32) {
        self.inner
            .lock()
            .unwrap()
            .flood
            .insert(method.into(), (times, retry_after));
    }

    pub fn revoke_token(&self) {
        self.inner.lock().unwrap().revoked = true;
    }

    /// Every call the bot made, oldest first.
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.inner.lock().unwrap().calls.clone()
    }

    /// The calls of `method` (answered or refused).
    pub fn calls_of(&self, method: &str) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|(m, _)| m == method)
            .map(|(_, v)| v)
            .collect()
    }

    /// Messages sent to `chat`, their texts, in order.
    pub fn texts_to(&self, chat: i64) -> Vec<String> {
        self.calls_of("sendMessage")
            .into_iter()
            .filter(|v| v["chat_id"].as_i64() == Some(chat))
            .map(|v| v["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Wait (up to a minute) for a call of `method` that `pred` accepts; the first such.
    pub async fn wait_for(&self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(v) = self.calls_of(method).into_iter().find(|v| pred(v)) {
                return v;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {method} call as expected; calls so far:\n{:#?}",
                self.calls()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Wait for a message to `chat` containing `needle`; its body.
    pub async fn wait_text(&self, chat: i64, needle: &str) -> Value {
        self.wait_for("sendMessage", |v| {
            v["chat_id"].as_i64() == Some(chat)
                && v["text"].as_str().is_some_and(|t| t.contains(needle))
        })
        .await
    }

    /// The id of the bot's message to `chat` with exactly `text`.
    pub fn sent_id(&self, chat: i64, text: &str) -> i64 {
        let g = self.inner.lock().unwrap();
        *g.sent
            .iter()
            .find(|(_, m)| {
                m["chat"]["id"].as_i64() == Some(chat) && m["text"].as_str() == Some(text)
            })
            .unwrap_or_else(|| panic!("no message to {chat} with that text"))
            .0
    }

    /// Whether every update was taken and confirmed by the bot.
    pub fn drained(&self) -> bool {
        self.inner.lock().unwrap().updates.is_empty()
    }
}

async fn method(
    State(fake): State<Fake>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    // Method names are case-insensitive at Telegram; teloxide sends `SendMessage`.
    let method = {
        let mut c = method.chars();
        c.next()
            .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let params: Value = if body.is_empty() {
        json!({})
    } else if body.starts_with(b"--") {
        form_data(&String::from_utf8_lossy(&body))
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| json!({"raw": String::from_utf8_lossy(&body)}))
    };
    {
        let mut g = fake.inner.lock().unwrap();
        g.calls.push((method.clone(), params.clone()));
        if bot != format!("bot{TOKEN}") || g.revoked {
            return fail(401, "Unauthorized", None);
        }
        if let Some((left, after)) = g.flood.get_mut(&method)
            && *left > 0
        {
            *left -= 1;
            let after = *after;
            return fail(
                429,
                &format!("Too Many Requests: retry after {after}"),
                Some(json!({"retry_after": after})),
            );
        }
    }
    match method.as_str() {
        "getUpdates" => get_updates(&fake, &params).await,
        "getMe" => ok(
            json!({"id": BOT_ID, "is_bot": true, "first_name": "สภ.เมืองระนอง", "username": "ranong_station_bot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        ),
        "deleteWebhook" | "setWebhook" | "leaveChat" | "answerCallbackQuery" => ok(json!(true)),
        "sendMessage" | "sendPhoto" | "sendVideo" | "sendDocument" | "sendMediaGroup" => {
            let chat = params["chat_id"].as_i64().unwrap_or_default();
            let mut g = fake.inner.lock().unwrap();
            if g.blocked.contains(&chat) {
                return fail(403, "Forbidden: bot was blocked by the user", None);
            }
            g.next_message += 1;
            let id = g.next_message;
            let mut m = json!({
                "message_id": id,
                "date": chrono::Utc::now().timestamp(),
                "chat": {"id": chat, "type": "private", "first_name": "person"},
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "bot"},
            });
            // The message as Telegram answers: what it carries, by kind.
            let file = |f: &Value| f.as_str().unwrap_or("FILE").to_owned();
            let file_name = |f: &Value| f["file_name"].clone();
            match method.as_str() {
                "sendMessage" => m["text"] = params["text"].clone(),
                "sendPhoto" => {
                    m["photo"] = json!([{"file_id": file(&params["photo"]), "file_unique_id": "u", "width": 1280, "height": 853}])
                }
                "sendVideo" => {
                    m["video"] = json!({"file_id": file(&params["video"]), "file_unique_id": "u", "width": 1920, "height": 1080, "duration": 60})
                }
                "sendDocument" => {
                    m["document"] = json!({"file_id": file(&params["document"]), "file_unique_id": "u",
                        "file_name": file_name(&params["document"])});
                    m["caption"] = params["caption"].clone();
                }
                _ => {}
            }
            if let Some(k) = params.get("reply_markup") {
                m["reply_markup"] = k.clone();
            }
            g.sent.insert(id, m.clone());
            if method == "sendMediaGroup" {
                // An album answers with one message per item.
                let items: Vec<Value> = params["media"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|item| {
                        g.next_message += 1;
                        let mut one = m.clone();
                        one["message_id"] = json!(g.next_message);
                        one["media_group_id"] = json!(format!("g{id}"));
                        one["photo"] = json!([{"file_id": file(&item["media"]), "file_unique_id": "u", "width": 1280, "height": 853}]);
                        one
                    })
                    .collect();
                return ok(Value::Array(items));
            }
            ok(m)
        }
        "editMessageText" => {
            let id = params["message_id"].as_i64().unwrap_or_default();
            let g = fake.inner.lock().unwrap();
            match g.sent.get(&id) {
                Some(m) => {
                    let mut m = m.clone();
                    m["text"] = params["text"].clone();
                    ok(m)
                }
                None => fail(400, "Bad Request: message to edit not found", None),
            }
        }
        "getFile" => {
            let id = params["file_id"].as_str().unwrap_or_default().to_owned();
            let g = fake.inner.lock().unwrap();
            match g.files.get(&id) {
                Some((path, bytes)) => {
                    ok(json!({"file_id": id, "file_unique_id": format!("{id}-u"),
                    "file_size": bytes.len(), "file_path": path}))
                }
                None => fail(400, "Bad Request: invalid file_id", None),
            }
        }
        _ => fail(404, "Not Found: method not found", None),
    }
}

async fn get_updates(fake: &Fake, params: &Value) -> Response {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let timeout = params["timeout"].as_u64().unwrap_or(0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let news = fake.news.notified();
        {
            let mut g = fake.inner.lock().unwrap();
            // An offset confirms every update before it: they are never sent again.
            g.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or_default() >= offset);
            if !g.updates.is_empty() {
                return ok(Value::Array(g.updates.iter().take(100).cloned().collect()));
            }
        }
        if tokio::time::timeout_at(deadline, news).await.is_err() {
            return ok(json!([]));
        }
    }
}

async fn file(State(fake): State<Fake>, Path((bot, path)): Path<(String, String)>) -> Response {
    if bot != format!("bot{TOKEN}") {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let g = fake.inner.lock().unwrap();
    match g.files.values().find(|(p, _)| *p == path) {
        Some((_, bytes)) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The fields of a `multipart/form-data` body: text fields as JSON values where they parse as
/// JSON, a file as `{"file_name": …, "starts_with": …}`.
fn form_data(body: &str) -> Value {
    let boundary = body.lines().next().unwrap_or_default().trim();
    let mut out = serde_json::Map::new();
    for part in body.split(boundary) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|n| n.split('"').next())
        else {
            continue;
        };
        let value = value
            .trim_end_matches("\r\n")
            .trim_end_matches("--")
            .trim_end_matches("\r\n");
        // A file uploaded: its name and how its content begins (`%PDF-` for a PDF).
        let file_name = head
            .split("filename=\"")
            .nth(1)
            .and_then(|n| n.split('"').next());
        let v = match file_name {
            Some(file_name) => json!({
                "file_name": file_name,
                "starts_with": value.chars().take(5).collect::<String>(),
            }),
            None => serde_json::from_str(value).unwrap_or_else(|_| json!(value)),
        };
        out.insert(name.to_owned(), v);
    }
    Value::Object(out)
}
