//! A fake YouTube, written from Google's documentation: the OAuth token endpoint, the resumable
//! upload protocol (session start → `Location`; chunk `PUT`s with `Content-Range: bytes a-b/T`
//! answered 308 with `Range: bytes=0-N`; the final chunk answered 200 with the video resource;
//! status queries `bytes */T`; 404 for an expired session), `channels.list`,
//! `playlistItems.list` and `videos.list` (statistics as JSON strings, snippets with tags),
//! `videos.update` (`part=snippet`: the whole snippet replaced; `title` and `categoryId`
//! required) and `videos.delete` (204; 404 `videoNotFound`), both refused without the
//! `youtube` or `youtube.force-ssl` scope, and errors scripted per test in Google's error
//! JSON. It records every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const GRANULE: usize = 256 * 1024;
pub const INITIAL_REFRESH: &str = "1//initial-refresh";
pub const CHANNEL_TITLE: &str = "สภ.เมืองระนอง";
pub const FULL_SCOPE: &str = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    pub fn form(&self) -> HashMap<String, String> {
        pairs(std::str::from_utf8(&self.body).unwrap())
    }
}

#[derive(Debug)]
pub struct Session {
    pub id: String,
    pub metadata: Value,
    pub total: usize,
    pub data: Vec<u8>,
    pub expired: bool,
    pub video: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Video {
    pub id: String,
    pub metadata: Value,
    pub data: Vec<u8>,
}

/// What a test makes the fake do.
#[derive(Default)]
pub struct Script {
    /// The token endpoint answers this error.
    pub token_error: Option<(u16, Value)>,
    /// The next refresh returns this new refresh token and revokes the one used.
    pub rotate_to: Option<String>,
    /// `scope` of the token answers (default: upload and readonly).
    pub scope: Option<String>,
    /// The session start answers this error (status, body, Retry-After).
    pub start_error: Option<(u16, Value, Option<u64>)>,
    /// The session start creates the session, then answers only after this long.
    pub start_hang: Option<Duration>,
    /// The chunk PUT with this index (0-based, over the fake's life) is stored, then hangs.
    pub hang_at_chunk: Option<usize>,
    /// The chunk PUT with this index is not stored and answers this error.
    pub chunk_error_at: Option<(usize, u16, Value)>,
    /// GETs on the Data API answer this error.
    pub api_error: Option<(u16, Value)>,
    /// The next `videos.update` (`"PUT"`) or `videos.delete` (`"DELETE"`) answers this error
    /// (status, body, Retry-After) without acting.
    pub amend_error: Option<(&'static str, u16, Value, Option<u64>)>,
    /// The next `videos.update` or `videos.delete` with this method acts, then its answer is
    /// lost: `Some(status)` answers that 5xx, `None` never answers.
    pub amend_lost: Option<(&'static str, Option<u16>)>,
}

#[derive(Default)]
pub struct FakeState {
    pub base: String,
    pub requests: Vec<Recorded>,
    pub sessions: Vec<Session>,
    pub videos: Vec<Video>,
    pub chunk_puts: usize,
    pub valid_refresh: Vec<String>,
    pub tokens_issued: usize,
    pub script: Script,
}

#[derive(Clone)]
pub struct Fake {
    pub base: String,
    pub state: Arc<Mutex<FakeState>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(FakeState {
            base: base.clone(),
            valid_refresh: vec![INITIAL_REFRESH.to_owned()],
            ..FakeState::default()
        }));
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { base, state }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// The requests that reached the upload endpoint (session starts, chunks, status queries).
    pub fn upload_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == "/upload/youtube/v3/videos")
            .collect()
    }

    pub fn script(&self, f: impl FnOnce(&mut Script)) {
        f(&mut self.lock().script)
    }

    pub fn expire_sessions(&self) {
        for s in &mut self.lock().sessions {
            s.expired = true;
        }
    }
}

fn pairs(s: &str) -> HashMap<String, String> {
    reqwest::Url::parse(&format!("http://x/?{s}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn google_error(status: u16, body: &Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json; charset=UTF-8")],
        body.to_string(),
    )
        .into_response()
}

/// Google's error JSON with one error item.
pub fn error_body(code: u16, domain: &str, reason: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}]}})
}

pub fn quota_exceeded() -> Value {
    error_body(
        403,
        "youtube.quota",
        "quotaExceeded",
        "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
    )
}

async fn handle(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rec = Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: pairs(uri.query().unwrap_or("")),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: body.to_vec(),
    };
    state.lock().unwrap().requests.push(rec.clone());
    match (rec.method.as_str(), rec.path.as_str()) {
        ("POST", "/token") => token(&state, &rec),
        _ if !rec
            .header("authorization")
            .is_some_and(|a| a.starts_with("Bearer ya29.")) =>
        {
            google_error(
                401,
                &error_body(401, "global", "authError", "Invalid Credentials"),
            )
        }
        ("POST", "/upload/youtube/v3/videos") => start_session(&state, &rec).await,
        ("PUT", "/upload/youtube/v3/videos") => put_chunk(&state, &rec).await,
        ("PUT" | "DELETE", "/youtube/v3/videos") => amend(&state, &rec).await,
        ("GET", p) if p.starts_with("/youtube/v3/") => {
            let err = state.lock().unwrap().script.api_error.clone();
            if let Some((status, body)) = err {
                return google_error(status, &body);
            }
            data_api(&state, &rec, &p["/youtube/v3/".len()..])
        }
        _ => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

fn token(state: &Arc<Mutex<FakeState>>, rec: &Recorded) -> Response {
    let mut st = state.lock().unwrap();
    if let Some((status, body)) = st.script.token_error.clone() {
        return google_error(status, &body);
    }
    let form = rec.form();
    let ok = form.get("grant_type").map(String::as_str) == Some("refresh_token")
        && form.get("client_id").map(String::as_str) == Some("client-1.apps.googleusercontent.com")
        && form.get("client_secret").map(String::as_str) == Some("GOCSPX-secret")
        && form
            .get("refresh_token")
            .is_some_and(|t| st.valid_refresh.contains(t));
    if !ok {
        return google_error(
            400,
            &json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        );
    }
    st.tokens_issued += 1;
    let mut answer = json!({
        "access_token": format!("ya29.fake-{}", st.tokens_issued),
        "expires_in": 3599,
        "scope": st.script.scope.clone().unwrap_or(FULL_SCOPE.to_owned()),
        "token_type": "Bearer",
    });
    if let Some(new) = st.script.rotate_to.take() {
        let used = form["refresh_token"].clone();
        st.valid_refresh.retain(|t| *t != used);
        st.valid_refresh.push(new.clone());
        answer["refresh_token"] = json!(new);
    }
    axum::Json(answer).into_response()
}

async fn start_session(state: &Arc<Mutex<FakeState>>, rec: &Recorded) -> Response {
    let (hang, id, base) = {
        let mut st = state.lock().unwrap();
        if let Some((status, body, retry)) = st.script.start_error.clone() {
            let mut res = google_error(status, &body);
            if let Some(s) = retry {
                res.headers_mut()
                    .insert("retry-after", s.to_string().parse().unwrap());
            }
            return res;
        }
        let bad = rec.query.get("uploadType").map(String::as_str) != Some("resumable")
            || rec.query.get("part").map(String::as_str) != Some("snippet,status")
            || rec.header("x-upload-content-type").is_none();
        let total = rec
            .header("x-upload-content-length")
            .and_then(|v| v.parse::<usize>().ok());
        let metadata = serde_json::from_slice::<Value>(&rec.body).ok();
        let (Some(total), Some(metadata), false) = (total, metadata, bad) else {
            return google_error(400, &error_body(400, "global", "badRequest", "Bad Request"));
        };
        let id = format!("upload-{}", st.sessions.len() + 1);
        st.sessions.push(Session {
            id: id.clone(),
            metadata,
            total,
            data: Vec::new(),
            expired: false,
            video: None,
        });
        (st.script.start_hang, id, st.base.clone())
    };
    if let Some(d) = hang {
        tokio::time::sleep(d).await;
    }
    (
        StatusCode::OK,
        [
            (
                "location",
                format!("{base}/upload/youtube/v3/videos?uploadType=resumable&upload_id={id}"),
            ),
            ("x-guploader-uploadid", id),
        ],
    )
        .into_response()
}

fn video_json(v: &Video) -> Value {
    json!({
        "kind": "youtube#video",
        "etag": "etag-1",
        "id": v.id,
        "snippet": v.metadata["snippet"],
        "status": {"uploadStatus": "uploaded",
                   "privacyStatus": v.metadata["status"]["privacyStatus"]},
    })
}

/// 200 with the video resource: the upload is complete.
fn complete(upload_id: &str, v: &Video) -> Response {
    (
        StatusCode::OK,
        [("x-guploader-uploadid", upload_id.to_owned())],
        axum::Json(video_json(v)),
    )
        .into_response()
}

fn incomplete(id: &str, received: usize) -> Response {
    let mut res = (
        StatusCode::PERMANENT_REDIRECT,
        [("x-guploader-uploadid", id.to_owned())],
    )
        .into_response();
    if received > 0 {
        res.headers_mut().insert(
            "range",
            format!("bytes=0-{}", received - 1).parse().unwrap(),
        );
    }
    res
}

async fn put_chunk(state: &Arc<Mutex<FakeState>>, rec: &Recorded) -> Response {
    let range = rec.header("content-range").unwrap_or("").to_owned();
    let upload_id = rec.query.get("upload_id").cloned().unwrap_or_default();
    let hang;
    let answer = {
        let mut guard = state.lock().unwrap();
        let st = &mut *guard;
        let Some(pos) = st.sessions.iter().position(|s| s.id == upload_id) else {
            return (StatusCode::NOT_FOUND, "Not Found").into_response();
        };
        if st.sessions[pos].expired {
            return (StatusCode::NOT_FOUND, "Not Found").into_response();
        }
        let spec = range.strip_prefix("bytes ").unwrap_or("");
        let (span, total) = spec.split_once('/').unwrap_or(("", ""));
        if total.parse::<usize>().ok() != Some(st.sessions[pos].total) {
            return google_error(400, &error_body(400, "global", "badRequest", "bad range"));
        }
        if span == "*" {
            // Status query: the body must be empty.
            assert!(rec.body.is_empty(), "a status query has no body");
            let s = &st.sessions[pos];
            if let Some(vid) = &s.video {
                let v = st.videos.iter().find(|v| &v.id == vid).unwrap();
                return complete(&s.id, v);
            }
            return incomplete(&s.id, s.data.len());
        }
        let index = st.chunk_puts;
        st.chunk_puts += 1;
        if let Some((at, status, body)) = st.script.chunk_error_at.clone()
            && at == index
        {
            return google_error(status, &body);
        }
        let (a, b) = span.split_once('-').unwrap();
        let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
        let s = &mut st.sessions[pos];
        let len = b + 1 - a;
        let granule_ok = b + 1 == s.total || len.is_multiple_of(GRANULE);
        if len != rec.body.len() || a > s.data.len() || !granule_ok {
            return google_error(400, &error_body(400, "global", "badRequest", "bad chunk"));
        }
        let skip = s.data.len() - a;
        s.data
            .extend_from_slice(&rec.body[skip.min(rec.body.len())..]);
        hang = st.script.hang_at_chunk == Some(index);
        if s.data.len() == s.total {
            let id = format!("vid{}", st.videos.len() + 1);
            let s = &mut st.sessions[pos];
            s.video = Some(id.clone());
            let v = Video {
                id,
                metadata: s.metadata.clone(),
                data: s.data.clone(),
            };
            let res = complete(&upload_id, &v);
            st.videos.push(v);
            res
        } else {
            incomplete(&s.id, s.data.len())
        }
    };
    if hang {
        // The bytes arrived; the answer never does (a cut connection, a lost response).
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    answer
}

fn data_api(state: &Arc<Mutex<FakeState>>, rec: &Recorded, method: &str) -> Response {
    let st = state.lock().unwrap();
    let part = rec.query.get("part").cloned().unwrap_or_default();
    let ids: Vec<String> = rec
        .query
        .get("id")
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let body = match (method, part.as_str()) {
        ("channels", "snippet") => json!({"kind": "youtube#channelListResponse", "items": [
            {"kind": "youtube#channel", "id": "UCfake", "snippet": {"title": CHANNEL_TITLE}}]}),
        ("channels", "contentDetails") => json!({"items": [{"id": "UCfake",
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UUfake"}}}]}),
        ("playlistItems", "snippet") => {
            assert_eq!(
                rec.query.get("playlistId").map(String::as_str),
                Some("UUfake")
            );
            let items: Vec<Value> = st
                .videos
                .iter()
                .rev()
                .map(|v| {
                    json!({
                "kind": "youtube#playlistItem",
                "snippet": {"title": v.metadata["snippet"]["title"],
                            "resourceId": {"kind": "youtube#video", "videoId": v.id}}})
                })
                .collect();
            json!({"kind": "youtube#playlistItemListResponse", "items": items})
        }
        ("videos", "snippet") => {
            let items: Vec<Value> = st
                .videos
                .iter()
                .filter(|v| ids.contains(&v.id))
                .map(|v| json!({"id": v.id, "snippet": v.metadata["snippet"]}))
                .collect();
            json!({"items": items})
        }
        ("videos", "statistics") => {
            let items: Vec<Value> = ids
                .iter()
                .filter(|id| id.as_str() != "gone")
                .map(|id| {
                    json!({
                "kind": "youtube#video", "id": id,
                "statistics": {"viewCount": "1234", "likeCount": "56", "dislikeCount": "0",
                               "favoriteCount": "0", "commentCount": "7"}})
                })
                .collect();
            json!({"kind": "youtube#videoListResponse", "items": items})
        }
        _ => return google_error(400, &error_body(400, "global", "badRequest", "unknown")),
    };
    axum::Json(body).into_response()
}

/// Scopes that let a token change or delete videos (`videos.update`, `videos.delete`).
const MANAGE_SCOPES: [&str; 2] = [
    "https://www.googleapis.com/auth/youtube",
    "https://www.googleapis.com/auth/youtube.force-ssl",
];

/// `videos.update?part=snippet` (PUT, the video resource as the body) and
/// `videos.delete?id=` (DELETE, 204).
async fn amend(state: &Arc<Mutex<FakeState>>, rec: &Recorded) -> Response {
    let (answer, lost) = {
        let mut st = state.lock().unwrap();
        if let Some((m, status, body, retry)) = st.script.amend_error.clone()
            && m == rec.method
        {
            st.script.amend_error = None;
            let mut res = google_error(status, &body);
            if let Some(s) = retry {
                res.headers_mut()
                    .insert("retry-after", s.to_string().parse().unwrap());
            }
            return res;
        }
        let scope = st.script.scope.clone().unwrap_or(FULL_SCOPE.to_owned());
        if !scope.split(' ').any(|s| MANAGE_SCOPES.contains(&s)) {
            return google_error(
                403,
                &error_body(
                    403,
                    "global",
                    "insufficientPermissions",
                    "Request had insufficient authentication scopes.",
                ),
            );
        }
        let lost = match st.script.amend_lost {
            Some((m, how)) if m == rec.method => {
                st.script.amend_lost = None;
                Some(how)
            }
            _ => None,
        };
        let answer = if rec.method == "PUT" {
            update_video(&mut st, rec)
        } else {
            delete_video(&mut st, rec)
        };
        (answer, lost)
    };
    match lost {
        None => answer,
        Some(Some(status)) => google_error(
            status,
            &error_body(status, "global", "backendError", "Backend Error"),
        ),
        Some(None) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            answer
        }
    }
}

fn video_not_found() -> Response {
    google_error(
        404,
        &error_body(
            404,
            "youtube.video",
            "videoNotFound",
            "The video that you are trying to update cannot be found.",
        ),
    )
}

fn update_video(st: &mut FakeState, rec: &Recorded) -> Response {
    if rec.query.get("part").map(String::as_str) != Some("snippet") {
        return google_error(400, &error_body(400, "global", "badRequest", "part"));
    }
    let Ok(body) = serde_json::from_slice::<Value>(&rec.body) else {
        return google_error(400, &error_body(400, "global", "parseError", "Parse Error"));
    };
    let Some(v) = st.videos.iter_mut().find(|v| body["id"] == v.id.as_str()) else {
        return video_not_found();
    };
    let snippet = &body["snippet"];
    if snippet["title"].as_str().is_none_or(str::is_empty) {
        return google_error(
            400,
            &error_body(
                400,
                "youtube.video",
                "invalidTitle",
                "The request metadata specifies an invalid or empty video title.",
            ),
        );
    }
    if snippet["categoryId"].as_str().is_none() {
        return google_error(
            400,
            &error_body(
                400,
                "youtube.video",
                "invalidCategoryId",
                "The snippet.categoryId property specifies an invalid category ID.",
            ),
        );
    }
    // The update replaces every mutable property of the snippet: what is not sent is gone.
    v.metadata["snippet"] = snippet.clone();
    axum::Json(video_json(v)).into_response()
}

fn delete_video(st: &mut FakeState, rec: &Recorded) -> Response {
    let id = rec.query.get("id").cloned().unwrap_or_default();
    let Some(at) = st.videos.iter().position(|v| v.id == id) else {
        return video_not_found();
    };
    st.videos.remove(at);
    StatusCode::NO_CONTENT.into_response()
}
