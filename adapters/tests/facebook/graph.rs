//! The fake Graph API's endpoints: what each documented route does to the fake Page and
//! answers, with the documented success and error bodies.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::fake::{APP, PAGE, PAGE_NAME, Post, Seen, Shared, TOKEN, VERSION, Video, graph_error};

pub fn new_id(s: &mut Shared) -> String {
    s.next += 1;
    format!("{}", 900_000 + s.next)
}

pub fn new_post_id(s: &mut Shared) -> String {
    let n = new_id(s);
    format!("{PAGE}_{n}")
}

pub type Answer = (StatusCode, Value, Vec<(String, String)>);

fn ok(v: Value) -> Answer {
    (StatusCode::OK, v, Vec::new())
}

fn bad(code: i64, message: &str) -> Answer {
    (
        StatusCode::BAD_REQUEST,
        graph_error(code, None, message),
        Vec::new(),
    )
}

pub fn route(s: &mut Shared, req: &Seen) -> Answer {
    let parts: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    let Some((&version, rest)) = parts.split_first() else {
        return bad(100, "Unknown path components");
    };
    if version != VERSION {
        return bad(2635, "You are calling a deprecated version of the Ads API.");
    }
    let m = req.method.clone();
    match (m, rest) {
        (Method::POST, [page, "feed"]) if *page == PAGE => {
            let message = req.field("message");
            if message.is_none() && req.field("link").is_none() {
                return bad(100, "(#100) Missing message or attachment");
            }
            for i in 0.. {
                let Some(a) = req.field(&format!("attached_media[{i}]")) else {
                    break;
                };
                let v: Value = serde_json::from_str(&a).unwrap_or(Value::Null);
                let fbid = v["media_fbid"].as_str().unwrap_or("");
                if !s.unpublished_photos.contains(fbid) {
                    return bad(100, "(#100) param attached_media must be a valid photo id");
                }
            }
            let id = new_post_id(s);
            s.posts.push(Post {
                id: id.clone(),
                message,
                created_time: s.created_now(),
            });
            ok(json!({ "id": id }))
        }
        (Method::POST, [page, "photos"]) if *page == PAGE => {
            if req.field("url").is_none() {
                return bad(324, "(#324) Requires upload file");
            }
            let photo = new_id(s);
            if req.field("published").as_deref() == Some("false") {
                s.unpublished_photos.insert(photo.clone());
                return ok(json!({ "id": photo }));
            }
            let post = new_post_id(s);
            s.posts.push(Post {
                id: post.clone(),
                message: req.field("caption"),
                created_time: s.created_now(),
            });
            ok(json!({ "id": photo, "post_id": post }))
        }
        (Method::POST, [page, "videos"]) if *page == PAGE => {
            let by_handle = req
                .field("fbuploader_video_file_chunk")
                .is_some_and(|h| s.handles.contains_key(&h));
            if !by_handle && req.field("file_url").is_none() {
                return bad(100, "(#100) Invalid file handle");
            }
            let video = new_id(s);
            s.videos.push(Video {
                id: video.clone(),
                name: req.field("title"),
                description: req.field("description"),
            });
            s.posts.push(Post {
                id: format!("{PAGE}_{video}"),
                message: req.field("description"),
                created_time: s.created_now(),
            });
            ok(json!({ "id": video }))
        }
        (Method::POST, [app, "uploads"]) if *app == APP => {
            let len: u64 = req
                .field("file_length")
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            if req.field("file_type").as_deref() != Some("video/mp4") {
                return bad(100, "(#100) file_type must be one of the supported types");
            }
            let n = new_id(s);
            let session = format!("upload:MTphdHRh{n}");
            s.uploads.insert(session.clone(), (len, Vec::new()));
            ok(json!({ "id": session }))
        }
        (Method::POST, [session]) if session.starts_with("upload:") => {
            let offset: u64 = req
                .headers
                .get("file_offset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            let Some((len, got)) = s.uploads.get_mut(*session) else {
                return bad(100, "(#100) Invalid upload session");
            };
            if offset != got.len() as u64 {
                return bad(100, "(#100) file_offset does not match the bytes received");
            }
            got.extend_from_slice(&req.body);
            if got.len() as u64 >= *len {
                let h = format!("4::aW1hZ2UvanBlZw=={}", session.len());
                s.handles.insert(h.clone(), session.to_string());
                return ok(json!({ "h": h }));
            }
            ok(json!({ "id": session, "file_offset": got.len() }))
        }
        (Method::GET, [session]) if session.starts_with("upload:") => match s.uploads.get(*session)
        {
            Some((_, got)) => ok(json!({ "id": session, "file_offset": got.len() })),
            None => bad(100, "(#100) Invalid upload session"),
        },
        (Method::GET, [page, "posts"]) if *page == PAGE => {
            let since: i64 = req.field("since").and_then(|t| t.parse().ok()).unwrap_or(0);
            let data: Vec<Value> = s
                .posts
                .iter()
                .rev()
                .filter(|p| {
                    chrono::DateTime::parse_from_str(&p.created_time, "%Y-%m-%dT%H:%M:%S%z")
                        .unwrap()
                        .timestamp()
                        >= since
                })
                .map(|p| {
                    let mut v = json!({
                        "id": p.id,
                        "created_time": p.created_time,
                        "permalink_url": format!("https://www.facebook.com/{PAGE}/posts/{}", p.id.split('_').nth(1).unwrap_or("")),
                    });
                    if let Some(m) = &p.message {
                        v["message"] = json!(m);
                    }
                    v
                })
                .collect();
            ok(json!({ "data": data, "paging": { "cursors": { "before": "b", "after": "a" } } }))
        }
        (Method::GET, [_post, "insights"]) => {
            let metrics = req.field("metric").unwrap_or_default();
            let mut data = Vec::new();
            for metric in metrics.split(',') {
                if s.retired_metrics.contains(metric) {
                    return bad(
                        100,
                        &format!("(#100) The value must be a valid insights metric: {metric}"),
                    );
                }
                let value = match metric {
                    "post_media_view" => json!(1200),
                    "post_impressions" => json!(1100),
                    "post_total_media_view_unique" => json!(800),
                    "post_impressions_unique" => json!(750),
                    "post_reactions_by_type_total" => json!({ "like": 30, "love": 5, "wow": 2 }),
                    "post_clicks" => json!(41),
                    _ => {
                        return bad(
                            100,
                            &format!("(#100) The value must be a valid insights metric: {metric}"),
                        );
                    }
                };
                data.push(json!({
                    "name": metric,
                    "period": "lifetime",
                    "values": [{ "value": value }],
                    "title": metric,
                    "id": format!("{}/insights/{metric}/lifetime", rest[0]),
                }));
            }
            ok(json!({ "data": data }))
        }
        (Method::GET, ["debug_token"]) => {
            if req.field("input_token").as_deref() != Some(TOKEN) {
                return bad(190, "Invalid OAuth access token.");
            }
            ok(json!({ "data": {
                "app_id": APP,
                "type": "PAGE",
                "application": "prakat",
                "expires_at": s.token_expires_at,
                "is_valid": true,
                "scopes": s.token_scopes,
                "profile_id": PAGE,
            }}))
        }
        (Method::GET, ["me", "permissions"]) => {
            let data: Vec<Value> = s
                .token_scopes
                .iter()
                .map(|p| json!({ "permission": p, "status": "granted" }))
                .collect();
            ok(json!({ "data": data }))
        }
        (Method::GET, [page]) if *page == PAGE => (
            StatusCode::OK,
            json!({ "id": PAGE, "name": PAGE_NAME }),
            vec![(
                "x-business-use-case-usage".into(),
                format!(
                    r#"{{"{PAGE}":[{{"type":"pages","call_count":12,"total_cputime":3,"total_time":5,"estimated_time_to_regain_access":0}}]}}"#
                ),
            )],
        ),
        (Method::POST, [id]) if *id != PAGE => update(s, req, id),
        (Method::DELETE, [id]) if *id != PAGE => delete(s, id),
        (Method::GET, [post]) if post.starts_with(PAGE) => ok(json!({
            "id": post,
            "shares": { "count": 7 },
            "comments": { "data": [], "summary": { "order": "ranked", "total_count": 9, "can_comment": true } },
        })),
        _ => bad(100, "(#100) Unsupported request - method type"),
    }
}

/// Graph's answer for an id that is not there: code 100, subcode 33.
fn missing(method: &str, id: &str) -> Answer {
    let mut body = graph_error(
        100,
        Some(33),
        &format!(
            "Unsupported {method} request. Object with ID '{id}' does not exist, cannot be \
             loaded due to missing permissions, or does not support this operation. Please \
             read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
        ),
    );
    body["error"]["type"] = json!("GraphMethodException");
    (StatusCode::BAD_REQUEST, body, Vec::new())
}

/// `POST /{post-id}` sets `message`; `POST /{video-id}` sets `name` and `description` (the
/// video's feed post shows the description).
fn update(s: &mut Shared, req: &Seen, id: &str) -> Answer {
    if let Some(v) = s.videos.iter_mut().find(|v| v.id == id) {
        if let Some(name) = req.field("name") {
            v.name = Some(name);
        }
        if let Some(d) = req.field("description") {
            v.description = Some(d.clone());
            let post = format!("{PAGE}_{id}");
            if let Some(p) = s.posts.iter_mut().find(|p| p.id == post) {
                p.message = Some(d);
            }
        }
        return ok(json!({ "success": true }));
    }
    let Some(post) = s.posts.iter_mut().find(|p| p.id == id) else {
        return missing("post", id);
    };
    match req.field("message") {
        Some(m) => {
            post.message = Some(m);
            ok(json!({ "success": true }))
        }
        None => bad(100, "(#100) No parameters to update"),
    }
}

/// `DELETE /{id}`: the post, or the video with its feed post.
fn delete(s: &mut Shared, id: &str) -> Answer {
    if let Some(at) = s.videos.iter().position(|v| v.id == id) {
        s.videos.remove(at);
        let post = format!("{PAGE}_{id}");
        s.posts.retain(|p| p.id != post);
        return ok(json!({ "success": true }));
    }
    let Some(at) = s.posts.iter().position(|p| p.id == id) else {
        return missing("delete", id);
    };
    s.posts.remove(at);
    ok(json!({ "success": true }))
}
