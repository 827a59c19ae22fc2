//! The posts routes of the fake WordPress REST API: create (an explicit slug made unique as
//! `WP_REST_Posts_Controller::create_item` does, unless the site keeps drafts' slugs), list by
//! slug and status (`any`: everything but the trash), and one post by id — update (publishing
//! makes the slug unique; `title` and `content` replaced), delete (`force=true` for good, else
//! to the trash; a post already there answers 410 `rest_already_trashed`), read. An update or
//! delete can be made to lose its answer after it is applied (`Inner::lost_answer`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::fake::{Inner, Lost, err};

pub(super) async fn handle(
    inner: &Arc<Mutex<Inner>>,
    base: &str,
    method: Method,
    route: &str,
    query: &BTreeMap<String, String>,
    body: &Bytes,
) -> Response {
    match (method, route) {
        (Method::POST, "/wp/v2/posts") => {
            let v: Value = match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(_) => return err(400, "rest_invalid_json", "Invalid JSON body passed."),
            };
            if let Some(s) = v["status"].as_str()
                && !["publish", "draft", "future", "pending", "private"].contains(&s)
            {
                return err(400, "rest_invalid_param", "Invalid parameter(s): status");
            }
            let (post, delay) = {
                let mut i = inner.lock().unwrap();
                i.next_id += 1;
                let id = i.next_id;
                // As WP_REST_Posts_Controller::create_item: an explicit slug is made unique
                // as for `publish`, whatever the status.
                let asked = v["slug"].as_str().unwrap_or("").to_owned();
                let draft = v["status"].as_str().unwrap_or("draft") == "draft";
                let slug = if i.drafts_keep_slug && draft {
                    asked
                } else {
                    unique_slug(&i.posts, &asked, id)
                };
                let post = json!({
                    "id": id,
                    "slug": slug,
                    "status": v["status"].as_str().unwrap_or("draft"),
                    "link": format!("{base}/?p={id}"),
                    "title": {"raw": v["title"], "rendered": v["title"]},
                    "content": {"raw": v["content"]},
                    "categories": v["categories"],
                    "featured_media": v.get("featured_media").cloned().unwrap_or(json!(0)),
                    "date_gmt": v["date_gmt"],
                });
                i.posts.push(post.clone());
                (post, i.post_delay)
            };
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            (StatusCode::CREATED, axum::Json(post)).into_response()
        }
        (Method::GET, "/wp/v2/posts") => {
            let slug = query.get("slug").cloned().unwrap_or_default();
            let statuses: Vec<String> = match query.get("status").map(String::as_str) {
                // `any`: every status but the trash (and auto-drafts).
                Some("any") => ["publish", "future", "draft", "pending", "private"]
                    .map(String::from)
                    .to_vec(),
                Some(list) => list.split(',').map(str::to_owned).collect(),
                None => vec!["publish".to_owned()],
            };
            let i = inner.lock().unwrap();
            let found: Vec<Value> = i
                .posts
                .iter()
                .filter(|p| {
                    p["slug"] == slug.as_str() && statuses.iter().any(|s| p["status"] == s.as_str())
                })
                .cloned()
                .collect();
            axum::Json(Value::Array(found)).into_response()
        }
        (m, r) if r.starts_with("/wp/v2/posts/") => {
            let Ok(id) = r["/wp/v2/posts/".len()..].parse::<u64>() else {
                return err(
                    404,
                    "rest_no_route",
                    "No route was found matching the URL and request method.",
                );
            };
            let (answer, lost) = {
                let mut i = inner.lock().unwrap();
                let lost = match &i.lost_answer {
                    Some((lm, how)) if *lm == m => Some(*how),
                    _ => None,
                };
                if lost.is_some() {
                    i.lost_answer = None;
                }
                (one_post(&mut i, m, id, query, body), lost)
            };
            match lost {
                None => answer,
                Some(Lost::Status(status)) => (
                    StatusCode::from_u16(status).unwrap(),
                    "<html><body><h1>502 Bad Gateway</h1></body></html>",
                )
                    .into_response(),
                Some(Lost::Hang(d)) => {
                    tokio::time::sleep(d).await;
                    answer
                }
            }
        }
        _ => err(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        ),
    }
}

/// One post by id: update, delete, read.
fn one_post(
    i: &mut Inner,
    m: Method,
    id: u64,
    query: &BTreeMap<String, String>,
    body: &Bytes,
) -> Response {
    let Some(at) = i.posts.iter().position(|p| p["id"] == id) else {
        return err(404, "rest_post_invalid_id", "Invalid post ID.");
    };
    match m {
        Method::DELETE if query.get("force").map(String::as_str) == Some("true") => {
            let previous = i.posts.remove(at);
            axum::Json(json!({"deleted": true, "previous": previous})).into_response()
        }
        // WP_REST_Posts_Controller::delete_item: trashing twice is refused.
        Method::DELETE if i.posts[at]["status"] == "trash" => err(
            410,
            "rest_already_trashed",
            "The post has already been deleted.",
        ),
        Method::DELETE => {
            i.posts[at]["status"] = json!("trash");
            axum::Json(i.posts[at].clone()).into_response()
        }
        Method::POST | Method::PUT => {
            let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
            if let Some(status) = v["status"].as_str() {
                i.posts[at]["status"] = json!(status);
            }
            if let Some(slug) = v["slug"].as_str() {
                i.posts[at]["slug"] = json!(slug);
            }
            if let Some(title) = v.get("title") {
                i.posts[at]["title"] = json!({"raw": title, "rendered": title});
            }
            if let Some(content) = v.get("content") {
                i.posts[at]["content"] = json!({"raw": content});
            }
            // Publishing makes the slug unique (wp_insert_post → wp_unique_post_slug).
            if i.posts[at]["status"] == "publish" {
                let asked = i.posts[at]["slug"].as_str().unwrap_or("").to_owned();
                let slug = unique_slug(&i.posts, &asked, id);
                i.posts[at]["slug"] = json!(slug);
            }
            axum::Json(i.posts[at].clone()).into_response()
        }
        Method::GET => axum::Json(i.posts[at].clone()).into_response(),
        _ => err(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        ),
    }
}

/// `asked`, or `asked-2`, `asked-3`, … when another post (any status) holds it, as
/// `wp_unique_post_slug` does; an empty slug stays empty (a draft may have none).
fn unique_slug(posts: &[Value], asked: &str, id: u64) -> String {
    if asked.is_empty() {
        return String::new();
    }
    let taken = |s: &str| posts.iter().any(|p| p["id"] != id && p["slug"] == s);
    if !taken(asked) {
        return asked.to_owned();
    }
    (2..)
        .map(|n| format!("{asked}-{n}"))
        .find(|s| !taken(s))
        .expect("some suffix is free")
}
