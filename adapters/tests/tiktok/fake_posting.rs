//! The posting endpoints of the fake (tests/tiktok/fake.rs): video and photo init with the
//! documented validation (privacy among the creator's options, lengths in UTF-16 runes, the
//! media transfer guide's chunk rules), the chunk PUTs (sequential `Content-Range`s of the
//! announced plan), `status/fetch` following a script, and the Display API video query.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::fake::{Fake, MIB, Publish, St, Step, error, ok, utf16};

const CHUNK_MIN: u64 = 5 * MIB;
const CHUNK_MAX: u64 = 64_000_000;
const LAST_MAX: u64 = 128_000_000;

fn check_privacy(s: &St, post_info: &Value) -> Option<Response> {
    let level = post_info["privacy_level"].as_str().unwrap_or("");
    if s.privacy_options.iter().any(|o| o == level) {
        return None;
    }
    if s.privacy_options == ["SELF_ONLY"] {
        return Some(error(
            403,
            "unaudited_client_can_only_post_to_private_accounts",
            "Unaudited clients can only post to a private account.",
        ));
    }
    Some(error(
        403,
        "privacy_level_option_mismatch",
        "privacy_level is not among the creator's options.",
    ))
}

#[allow(
    clippy::result_large_err,
    reason = "the closure returns the early answer itself"
)]
pub async fn video_init(f: &Fake, body: &Value) -> Response {
    let created = f.with(|s| {
        if let Some(r) = check_privacy(s, &body["post_info"]) {
            return Err(r);
        }
        if utf16(&body["post_info"]["title"]) > 2200 {
            return Err(error(400, "invalid_param", "The title is longer than 2200 UTF-16 runes."));
        }
        let si = &body["source_info"];
        if si["source"] != "FILE_UPLOAD" {
            return Err(error(400, "invalid_param", "source must be FILE_UPLOAD here."));
        }
        let (Some(size), Some(chunk), Some(count)) = (
            si["video_size"].as_u64(),
            si["chunk_size"].as_u64(),
            si["total_chunk_count"].as_u64(),
        ) else {
            return Err(error(400, "invalid_param", "video_size, chunk_size and total_chunk_count are required."));
        };
        // The media transfer guide's chunk restrictions.
        let whole = size < CHUNK_MIN || (size <= CHUNK_MAX && chunk == size);
        if whole && (chunk != size || count != 1) {
            return Err(error(400, "invalid_param", "A video under 5 MB must be uploaded whole: chunk_size = video_size, total_chunk_count = 1."));
        }
        if !whole {
            if !(CHUNK_MIN..=CHUNK_MAX).contains(&chunk) {
                return Err(error(400, "invalid_param", "The chunk size is invalid: chunks are 5 MB to 64 MB."));
            }
            if count != size / chunk || !(1..=1000).contains(&count) {
                return Err(error(400, "invalid_param", "The total chunk count is invalid: it must be floor(video_size / chunk_size)."));
            }
            if size > CHUNK_MAX && count < 2 {
                return Err(error(400, "invalid_param", "Videos over 64 MB must be uploaded in several chunks."));
            }
            if size - (count - 1) * chunk > LAST_MAX {
                return Err(error(400, "invalid_param", "The final chunk may be at most 128 MB."));
            }
        }
        s.inits += 1;
        let id = format!("v_pub_file~v2-1.{}", 700 + s.inits);
        s.publishes.insert(
            id.clone(),
            Publish {
                photo: false,
                video_size: size,
                chunk_size: chunk,
                total_chunk_count: count,
                uploaded: 0,
                chunks_received: 0,
                polls: 0,
                expired: false,
            },
        );
        Ok((id, s.inits, s.init_delay))
    });
    let (id, n, delay) = match created {
        Ok(c) => c,
        Err(r) => return r,
    };
    tokio::time::sleep(delay).await;
    ok(json!({
        "publish_id": id,
        "upload_url": format!("{}/upload/?upload_id={n}&upload_token=Xza{n}", f.url),
    }))
}

#[allow(
    clippy::result_large_err,
    reason = "the closure returns the early answer itself"
)]
pub async fn photo_init(f: &Fake, body: &Value) -> Response {
    let created = f.with(|s| {
        if body["media_type"] != "PHOTO" || body["post_mode"] != "DIRECT_POST" {
            return Err(error(
                400,
                "invalid_param",
                "media_type must be PHOTO and post_mode DIRECT_POST.",
            ));
        }
        if let Some(r) = check_privacy(s, &body["post_info"]) {
            return Err(r);
        }
        let pi = &body["post_info"];
        if utf16(&pi["title"]) > 90 || utf16(&pi["description"]) > 4000 {
            return Err(error(
                400,
                "invalid_param",
                "title is at most 90 and description at most 4000 UTF-16 runes.",
            ));
        }
        let si = &body["source_info"];
        let n = si["photo_images"].as_array().map_or(0, Vec::len);
        if si["source"] != "PULL_FROM_URL" || !(1..=35).contains(&n) {
            return Err(error(
                400,
                "invalid_param",
                "source must be PULL_FROM_URL with 1 to 35 photo_images.",
            ));
        }
        if si["photo_cover_index"]
            .as_u64()
            .is_none_or(|i| i as usize >= n)
        {
            return Err(error(
                400,
                "invalid_param",
                "photo_cover_index is out of range.",
            ));
        }
        s.inits += 1;
        let id = format!("p_pub_url~v2.{}", 900 + s.inits);
        s.publishes.insert(
            id.clone(),
            Publish {
                photo: true,
                video_size: 0,
                chunk_size: 0,
                total_chunk_count: 0,
                uploaded: 0,
                chunks_received: 0,
                polls: 0,
                expired: false,
            },
        );
        Ok((id, s.init_delay))
    });
    let (id, delay) = match created {
        Ok(c) => c,
        Err(r) => return r,
    };
    tokio::time::sleep(delay).await;
    ok(json!({ "publish_id": id }))
}

pub async fn upload(
    f: &Fake,
    query: &str,
    headers: &HashMap<String, String>,
    len: usize,
) -> Response {
    let id = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("upload_id="))
        .and_then(|n| n.parse::<u32>().ok())
        .map(|n| format!("v_pub_file~v2-1.{}", 700 + n))
        .unwrap_or_default();
    let stall = f.with(|s| {
        let Some(p) = s.publishes.get(&id) else {
            return Err(StatusCode::NOT_FOUND);
        };
        if p.expired {
            return Err(StatusCode::FORBIDDEN);
        }
        if !["video/mp4", "video/quicktime", "video/webm"].contains(
            &headers
                .get("content-type")
                .map(String::as_str)
                .unwrap_or(""),
        ) {
            return Err(StatusCode::BAD_REQUEST);
        }
        // "bytes first-last/total", sequential, one chunk of the announced plan each.
        let range = headers
            .get("content-range")
            .and_then(|r| r.strip_prefix("bytes "))
            .and_then(|r| r.split_once('/'))
            .and_then(|(fl, t)| {
                let (a, b) = fl.split_once('-')?;
                Some((
                    a.parse::<u64>().ok()?,
                    b.parse::<u64>().ok()?,
                    t.parse::<u64>().ok()?,
                ))
            });
        let Some((first, last, total)) = range else {
            return Err(StatusCode::BAD_REQUEST);
        };
        let i = p.chunks_received;
        let expected_end = if i + 1 >= p.total_chunk_count {
            p.video_size
        } else {
            (i + 1) * p.chunk_size
        };
        if total != p.video_size
            || first != p.uploaded
            || last + 1 != expected_end
            || (last + 1 - first) as usize != len
            || headers.get("content-length").map(String::as_str) != Some(&len.to_string())
        {
            return Err(StatusCode::RANGE_NOT_SATISFIABLE);
        }
        Ok((s.stall_chunk == Some(i)).then(|| s.stall_chunk.take()))
    });
    match stall {
        Err(code) => return code.into_response(),
        Ok(Some(_)) => tokio::time::sleep(Duration::from_secs(3600)).await,
        Ok(None) => {}
    }
    f.with(|s| {
        let p = s.publishes.get_mut(&id).unwrap();
        p.uploaded += len as u64;
        p.chunks_received += 1;
        if p.uploaded == p.video_size {
            StatusCode::CREATED
        } else {
            StatusCode::PARTIAL_CONTENT
        }
    })
    .into_response()
}

pub fn status(f: &Fake, body: &Value) -> Response {
    let id = body["publish_id"].as_str().unwrap_or("").to_owned();
    f.with(|s| {
        let script = s.script.clone();
        let Some(p) = s.publishes.get_mut(&id) else {
            return error(400, "invalid_publish_id", "The publish_id does not exist.");
        };
        if p.expired {
            return ok(json!({ "status": "FAILED", "fail_reason": "internal", "publicaly_available_post_id": [], "uploaded_bytes": p.uploaded }));
        }
        if !p.photo && p.uploaded < p.video_size {
            return ok(json!({ "status": "PROCESSING_UPLOAD", "publicaly_available_post_id": [], "uploaded_bytes": p.uploaded }));
        }
        let step = script[p.polls.min(script.len() - 1)].clone();
        p.polls += 1;
        match step {
            Step::Processing(st) => ok(json!({ "status": st, "publicaly_available_post_id": [], "uploaded_bytes": p.uploaded })),
            Step::Complete(id) => ok(json!({
                "status": "PUBLISH_COMPLETE",
                "publicaly_available_post_id": id.map(|i| vec![i]).unwrap_or_default(),
                "uploaded_bytes": p.uploaded,
            })),
            Step::Failed(reason) => ok(json!({ "status": "FAILED", "fail_reason": reason, "publicaly_available_post_id": [], "uploaded_bytes": p.uploaded })),
        }
    })
}

pub fn video_query(f: &Fake, query: &str, body: &Value) -> Response {
    let fields = query.strip_prefix("fields=").unwrap_or("");
    for needed in [
        "id",
        "view_count",
        "like_count",
        "comment_count",
        "share_count",
    ] {
        if !fields.split(',').any(|x| x == needed) {
            return error(
                400,
                "invalid_params",
                "fields must list the fields to return",
            );
        }
    }
    let ids = body["filters"]["video_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if ids.is_empty() || ids.len() > 20 {
        return error(400, "invalid_params", "video_ids takes 1 to 20 ids");
    }
    f.with(|s| {
        let videos: Vec<Value> = ids
            .iter()
            .filter_map(|id| {
                let id = id.as_str()?;
                let [v, l, c, sh] = s.videos.get(id)?;
                Some(json!({ "id": id, "view_count": v, "like_count": l, "comment_count": c, "share_count": sh }))
            })
            .collect();
        ok(json!({ "videos": videos, "cursor": 0, "has_more": false }))
    })
}
