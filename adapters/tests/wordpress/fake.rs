//! A fake WordPress REST API, written from the WP-API reference (posts, media, categories,
//! users/me, the API root, the error body `{"code","message","data":{"status"}}`). It answers in
//! both URL styles (`/wp-json/wp/v2/…` and `/?rest_route=/wp/v2/…`), checks HTTP Basic auth
//! against one application password, and records every request it receives. It can be made to
//! lose the answer to a post update or delete after applying it ([`Lost`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const USER: &str = "prakat";
/// As WordPress shows it: four-letter groups separated by spaces.
pub const APP_PASSWORD: &str = "abcd EFGH 1234 ijkl MNOP 5678";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    /// The REST route, e.g. `/wp/v2/posts`, whichever URL style carried it.
    pub route: String,
    pub query: BTreeMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap_or("<non-ascii>"))
            .unwrap_or("")
    }
}

/// A scripted answer, used once, for the next request to `(method, route)`.
pub struct Scripted {
    pub method: Method,
    pub route: String,
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: String,
}

/// How the answer to a request the site applied is lost.
#[derive(Debug, Clone, Copy)]
pub enum Lost {
    /// A proxy or the PHP process fails after WordPress acted: this status, an HTML body.
    Status(u16),
    /// No answer for this long (past the client's timeout).
    Hang(Duration),
}

#[derive(Default)]
pub struct Inner {
    pub seen: Vec<Seen>,
    pub posts: Vec<Value>,
    pub categories: Vec<(u64, String)>,
    pub next_id: u64,
    pub scripted: Vec<Scripted>,
    /// Sleep this long after storing a post and before answering (a timeout after the request
    /// left).
    pub post_delay: Option<Duration>,
    /// The next request with this method to one post (`/wp/v2/posts/<id>`) is applied, then
    /// its answer is lost.
    pub lost_answer: Option<(Method, Lost)>,
    /// Sleep this long before answering a category search (widens race windows).
    pub search_delay: Option<Duration>,
    /// Another client creates the category between our search and our create.
    pub category_race: bool,
    pub capabilities: Vec<&'static str>,
    /// Without pretty permalinks `/wp-json/` is just the home page.
    pub pretty_permalinks: bool,
    /// Keep a draft's explicit slug as given (`wp_unique_post_slug` skips drafts), as sites
    /// did before the REST API made draft slugs unique; uniqueness then comes at publish.
    pub drafts_keep_slug: bool,
}

#[derive(Clone)]
pub struct Fake {
    pub base: String,
    pub inner: Arc<Mutex<Inner>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let inner = Arc::new(Mutex::new(Inner {
            next_id: 100,
            capabilities: vec![
                "read",
                "edit_posts",
                "publish_posts",
                "upload_files",
                "manage_categories",
            ],
            pretty_permalinks: true,
            ..Inner::default()
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new()
            .fallback(handle)
            .with_state((inner.clone(), base.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { base, inner }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        f(&mut self.inner.lock().unwrap())
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.with(|i| i.seen.clone())
    }

    pub fn count(&self, method: Method, route: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.route == route)
            .count()
    }

    pub fn script(&self, s: Scripted) {
        self.with(|i| i.scripted.push(s));
    }
}

type St = (Arc<Mutex<Inner>>, String);

pub(super) fn err(status: u16, code: &str, message: &str) -> Response {
    let s = StatusCode::from_u16(status).unwrap();
    (
        s,
        axum::Json(json!({"code": code, "message": message, "data": {"status": status}})),
    )
        .into_response()
}

fn basic(user: &str, pass: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = format!("{user}:{pass}").into_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &x)| n | ((x as u32) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

async fn handle(
    State((inner, base)): State<St>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query: BTreeMap<String, String> = uri
        .query()
        .map(|q| {
            url_pairs(q)
                .into_iter()
                .collect::<BTreeMap<String, String>>()
        })
        .unwrap_or_default();
    let path = uri.path().to_owned();
    let pretty = path.starts_with("/wp-json");
    let route = if pretty {
        let r = path.trim_start_matches("/wp-json");
        if r.is_empty() {
            "/".to_owned()
        } else {
            r.to_owned()
        }
    } else {
        query.get("rest_route").cloned().unwrap_or_default()
    };
    let scripted = {
        let mut i = inner.lock().unwrap();
        i.seen.push(Seen {
            method: method.clone(),
            path: path.clone(),
            route: route.clone(),
            query: query.clone(),
            headers: headers.clone(),
            body: body.clone(),
        });
        if pretty && !i.pretty_permalinks {
            return (
                StatusCode::OK,
                "<html><body>Station home page</body></html>",
            )
                .into_response();
        }
        let pos = i
            .scripted
            .iter()
            .position(|s| s.method == method && s.route == route);
        pos.map(|p| i.scripted.remove(p))
    };
    if let Some(s) = scripted {
        let mut r = (StatusCode::from_u16(s.status).unwrap(), s.body).into_response();
        for (k, v) in s.headers {
            r.headers_mut().insert(k, HeaderValue::from_static(v));
        }
        return r;
    }
    if route.is_empty() {
        return (
            StatusCode::OK,
            "<html><body>Station home page</body></html>",
        )
            .into_response();
    }
    if route == "/" {
        return axum::Json(json!({
            "name": "สถานีตำรวจภูธรตัวอย่าง",
            "url": base,
            "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
            "authentication": {"application-passwords": {"endpoints": {"authorization": format!("{base}/wp-admin/authorize-application.php")}}}
        }))
        .into_response();
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let good = basic(USER, &APP_PASSWORD.replace(' ', ""));
    if auth.is_empty() {
        return err(
            401,
            "rest_not_logged_in",
            "You are not currently logged in.",
        );
    }
    if auth != good {
        return err(
            401,
            "incorrect_password",
            "The provided password is an invalid application password.",
        );
    }
    match (method.clone(), route.as_str()) {
        (Method::GET, "/wp/v2/users/me") => {
            let caps: serde_json::Map<String, Value> = inner
                .lock()
                .unwrap()
                .capabilities
                .iter()
                .map(|c| (c.to_string(), Value::Bool(true)))
                .collect();
            axum::Json(json!({"id": 2, "name": "PR Officer", "slug": USER, "roles": ["author"], "capabilities": caps})).into_response()
        }
        (Method::GET, "/wp/v2/categories") => {
            let delay = inner.lock().unwrap().search_delay;
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            let search = query.get("search").cloned().unwrap_or_default();
            let i = inner.lock().unwrap();
            let found: Vec<Value> = i
                .categories
                .iter()
                .filter(|(_, n)| n.contains(&search))
                .map(|(id, n)| json!({"id": id, "name": n.replace('&', "&amp;"), "taxonomy": "category"}))
                .collect();
            axum::Json(Value::Array(found)).into_response()
        }
        (Method::POST, "/wp/v2/categories") => {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let Some(name) = v["name"].as_str().map(str::to_owned) else {
                return err(
                    400,
                    "rest_missing_callback_param",
                    "Missing parameter(s): name",
                );
            };
            let mut i = inner.lock().unwrap();
            if i.category_race && !i.categories.iter().any(|(_, n)| *n == name) {
                i.categories.push((77, name.clone()));
            }
            if let Some((id, _)) = i.categories.iter().find(|(_, n)| *n == name) {
                let body = json!({"code": "term_exists", "message": "A term with the name provided already exists with this parent.", "data": {"status": 400, "term_id": id}});
                return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
            }
            i.next_id += 1;
            let id = i.next_id;
            i.categories.push((id, name.clone()));
            (
                StatusCode::CREATED,
                axum::Json(json!({"id": id, "name": name, "taxonomy": "category"})),
            )
                .into_response()
        }
        (Method::POST, "/wp/v2/media") => {
            if body.is_empty() {
                return err(400, "rest_upload_no_data", "No data supplied.");
            }
            let Some(ct) = headers.get("content-type").and_then(|v| v.to_str().ok()) else {
                return err(
                    400,
                    "rest_upload_no_content_type",
                    "No Content-Type supplied.",
                );
            };
            let cd = headers
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            // WordPress reads only `filename=` (WP_REST_Attachments_Controller::get_filename_from_disposition).
            let Some(filename) = cd
                .split(';')
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim() == "filename")
                .map(|(_, v)| v.trim().trim_matches('"').to_owned())
            else {
                return err(
                    400,
                    "rest_upload_invalid_disposition",
                    "Invalid Content-Disposition supplied. Content-Disposition needs to be formatted as `attachment; filename=\"image.png\"` or similar.",
                );
            };
            let mut i = inner.lock().unwrap();
            i.next_id += 1;
            let id = i.next_id;
            let kind = if ct.starts_with("image/") {
                "image"
            } else {
                "file"
            };
            (
                StatusCode::CREATED,
                axum::Json(json!({
                    "id": id,
                    "media_type": kind,
                    "mime_type": ct,
                    "source_url": format!("{base}/wp-content/uploads/2026/11/{filename}"),
                })),
            )
                .into_response()
        }
        (m, r) if r.starts_with("/wp/v2/posts") => {
            super::fake_posts::handle(&inner, &base, m, r, &query, &body).await
        }
        _ => err(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        ),
    }
}

/// Decode `application/x-www-form-urlencoded` pairs.
fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(h, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}
