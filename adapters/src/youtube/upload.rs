//! The resumable upload protocol (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
//!
//! 1. `POST {upload_base_url}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`
//!    with the video resource and `X-Upload-Content-Length`/`-Type` → 200 with the session URI
//!    in `Location`, which is checkpointed (`ctx.save_state`) before any byte is sent;
//! 2. `PUT {session}` chunk by chunk with `Content-Range: bytes a-b/TOTAL`: 308 with
//!    `Range: bytes=0-N` until the last chunk, then 200/201 with the video resource;
//! 3. on a later attempt with saved state, `PUT {session}` with `Content-Range: bytes */TOTAL`
//!    first: 308 → resume after the bytes Google has; 200/201 → it already completed, no upload;
//!    404/410 → the session expired, which proves it never completed: start a new one.
//!
//! What must never happen here: a second session started while a saved one might still
//! complete (only the status query's 404/410 or 200/201 allow a new start); a chunk that is not
//! a multiple of 256 KiB but the last; the session URI in a log (its `upload_id` is a
//! capability); a retry inside one attempt.

use std::io::SeekFrom;
use std::time::Duration;

use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, HeaderMap, LOCATION, RANGE};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::Progress;
use super::client::Api;
use super::limits::KIND;
use super::metadata::video_resource;
use super::quota::Bucket;
use super::reconcile;
use super::video;
use crate::http::{self, Effect};
use crate::{MediaKind, MediaRef, Payload, PublishContext, PublishError, Receipt};

/// The checkpoint of an upload: the session, and which file of what size it is for.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    session_uri: String,
    total: u64,
    sha256: String,
}

/// Whether `saved_state` holds an upload session: resuming it cannot create a second video
/// (Google answers with the finished video when it had completed), so no look-up is needed.
pub(super) fn has_session(saved_state: Option<&str>) -> bool {
    saved_state.is_some_and(|s| serde_json::from_str::<Saved>(s).is_ok())
}

/// Where a saved session stands.
enum SessionState {
    /// Google has the first `n` bytes.
    Incomplete(u64),
    /// The upload completed: the video.
    Complete(Receipt),
    /// 404/410: the session is gone and never completed.
    Expired,
}

/// Upload `payload`'s video, resuming a saved session when there is one.
pub async fn publish(
    api: &Api,
    payload: &Payload,
    ctx: &PublishContext,
    progress: Option<&Progress>,
) -> Result<Receipt, PublishError> {
    let Some(media) = payload.media.iter().find(|m| m.kind == MediaKind::Video) else {
        return Err(PublishError::Rejected(
            "YouTube publishes video only: this payload has no video".into(),
        ));
    };
    let total = file_size(media).await?;
    if total > api.settings.max_video_bytes {
        return Err(PublishError::Rejected(format!(
            "the video {} is {total} bytes; youtube.max_video_bytes is {}",
            media.original_name, api.settings.max_video_bytes
        )));
    }

    let mut resume = None;
    match ctx
        .saved_state
        .as_deref()
        .map(serde_json::from_str::<Saved>)
    {
        None => {}
        Some(Err(e)) => {
            // Its session cannot be asked: look for the upload on the channel before a new one.
            tracing::warn!(channel = KIND, delivery_id = ctx.delivery_id, error = %e,
                "the saved upload state is unreadable: looking for the video on the channel");
            if let Some(receipt) = reconcile::find(api, payload, &ctx.idempotency_key).await? {
                return Ok(receipt);
            }
        }
        Some(Ok(saved)) => match status(api, &saved).await? {
            SessionState::Complete(mut receipt) => {
                tracing::info!(channel = KIND, delivery_id = ctx.delivery_id,
                    remote_id = ?receipt.remote_id, "the saved upload session had completed");
                receipt.deduplicated = true;
                return Ok(receipt);
            }
            SessionState::Incomplete(n) if saved.total == total && saved.sha256 == media.sha256 => {
                tracing::info!(
                    channel = KIND,
                    delivery_id = ctx.delivery_id,
                    received = n,
                    total,
                    "resuming the saved upload session"
                );
                resume = Some((saved.session_uri, n.min(total)));
            }
            SessionState::Incomplete(_) => tracing::warn!(
                channel = KIND,
                delivery_id = ctx.delivery_id,
                "the saved session is for another file: it is left to expire, starting a new one"
            ),
            SessionState::Expired => tracing::info!(
                channel = KIND,
                delivery_id = ctx.delivery_id,
                "the saved upload session expired before completing: starting a new one"
            ),
        },
    }
    let (session, offset) = match resume {
        Some(r) => r,
        None => {
            let session = start(api, payload, ctx, media, total).await?;
            let saved = Saved {
                session_uri: session.clone(),
                total,
                sha256: media.sha256.clone(),
            };
            let state = serde_json::to_string(&saved)
                .map_err(|e| PublishError::Transient(format!("encoding the upload state: {e}")))?;
            ctx.save_state(&state).await?;
            (session, 0)
        }
    };
    send_chunks(api, ctx, media, &session, offset, total, progress).await
}

async fn file_size(media: &MediaRef) -> Result<u64, PublishError> {
    match tokio::fs::metadata(&media.path).await {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(PublishError::Rejected(format!(
            "the video file {} is missing from the media store: {e}",
            media.path.display()
        ))),
        Err(e) => Err(PublishError::Transient(format!(
            "cannot read the video file {}: {e}",
            media.path.display()
        ))),
    }
}

/// Start a session: a create without idempotency, so a timeout is ambiguous.
async fn start(
    api: &Api,
    payload: &Payload,
    ctx: &PublishContext,
    media: &MediaRef,
    total: u64,
) -> Result<String, PublishError> {
    const WHAT: &str = "starting the YouTube upload session";
    let token = api.oauth.access(api.now()).await?;
    api.spend(Bucket::Insert, WHAT)?;
    let url = format!(
        "{}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&notifySubscribers={}",
        api.settings.upload_base_url.trim_end_matches('/'),
        api.settings.notify_subscribers
    );
    let body = video_resource(payload, &api.settings, &ctx.idempotency_key, api.now());
    let req = api
        .http
        .post(&url)
        .bearer_auth(token.token.expose())
        .header(CONTENT_TYPE, "application/json; charset=UTF-8")
        .header("X-Upload-Content-Length", total)
        .header("X-Upload-Content-Type", &media.mime)
        .body(body.to_string());
    let answer = http::exchange(KIND, WHAT, req, Effect::Creates).await?;
    let status = answer.status;
    if status.is_success() {
        return match answer.header(LOCATION.as_str()) {
            Some(loc) => reqwest::Url::parse(&url)
                .and_then(|u| u.join(loc))
                .map(String::from)
                .map_err(|e| PublishError::Transient(format!("{WHAT}: bad Location: {e}"))),
            // No bytes were sent, so no video can exist: nothing to reconcile.
            None => Err(PublishError::Transient(format!(
                "{WHAT}: HTTP {status} without a Location header"
            ))),
        };
    }
    Err(api
        .failure(
            WHAT,
            status,
            &answer.headers,
            &answer.body,
            Effect::Creates,
            Bucket::Insert,
        )
        .await)
}

/// Ask a saved session how far it got (`Content-Range: bytes */TOTAL`, empty body).
async fn status(api: &Api, saved: &Saved) -> Result<SessionState, PublishError> {
    const WHAT: &str = "asking the YouTube upload session how far it got";
    let token = api.oauth.access(api.now()).await?;
    let req = api
        .http
        .put(&saved.session_uri)
        .bearer_auth(token.token.expose())
        .header(CONTENT_RANGE, format!("bytes */{}", saved.total))
        .body(Vec::new());
    let answer = http::exchange(KIND, WHAT, req, Effect::Repeatable).await?;
    let status = answer.status;
    match status.as_u16() {
        308 => Ok(SessionState::Incomplete(received(&answer.headers))),
        200 | 201 => video::receipt(WHAT, &answer).map(SessionState::Complete),
        404 | 410 => Ok(SessionState::Expired),
        _ => Err(api
            .failure(
                WHAT,
                status,
                &answer.headers,
                &answer.body,
                Effect::Repeatable,
                Bucket::Insert,
            )
            .await),
    }
}

/// Send the bytes from `offset` on, chunk by chunk, until Google has the whole file.
async fn send_chunks(
    api: &Api,
    ctx: &PublishContext,
    media: &MediaRef,
    session: &str,
    mut offset: u64,
    total: u64,
    progress: Option<&Progress>,
) -> Result<Receipt, PublishError> {
    const WHAT: &str = "uploading the video to YouTube";
    let chunk = api.settings.chunk_size;
    let timeout = Duration::from_secs(api.settings.chunk_timeout_secs);
    let mut file = tokio::fs::File::open(&media.path)
        .await
        .map_err(|e| PublishError::Transient(format!("opening {}: {e}", media.path.display())))?;
    let mut stalled = 0;
    loop {
        let end = (offset + chunk).min(total);
        let buf = read_chunk(&mut file, offset, end).await.map_err(|e| {
            PublishError::Transient(format!("reading {}: {e}", media.path.display()))
        })?;
        let token = api.oauth.access(api.now()).await?;
        let range = if end > offset {
            format!("bytes {offset}-{}/{total}", end - 1)
        } else {
            format!("bytes */{total}")
        };
        let req = api
            .http
            .put(session)
            .bearer_auth(token.token.expose())
            .header(CONTENT_TYPE, &media.mime)
            .header(CONTENT_RANGE, &range)
            .timeout(timeout)
            .body(buf);
        let answer = http::exchange(KIND, WHAT, req, Effect::Repeatable)
            .await
            .map_err(|mut err| {
                if let PublishError::Transient(m) = &mut err {
                    m.push_str(" (the session is saved: the next attempt resumes)");
                }
                err
            })?;
        let status = answer.status;
        match status.as_u16() {
            308 => {
                let next = received(&answer.headers);
                stalled = if next > offset { 0 } else { stalled + 1 };
                if stalled >= 3 {
                    return Err(PublishError::Transient(format!(
                        "{WHAT}: the session accepts no more bytes (stuck at {next}/{total})"
                    )));
                }
                offset = next.min(total);
                report(ctx, progress, offset, total);
            }
            200 | 201 => {
                report(ctx, progress, total, total);
                return video::receipt(WHAT, &answer);
            }
            404 | 410 => {
                return Err(PublishError::Transient(format!(
                    "{WHAT}: HTTP {status}: the upload session expired; the next attempt \
                     starts a new one"
                )));
            }
            _ => {
                return Err(api
                    .failure(
                        WHAT,
                        status,
                        &answer.headers,
                        &answer.body,
                        Effect::Repeatable,
                        Bucket::Insert,
                    )
                    .await);
            }
        }
    }
}

/// Bytes `offset..end` of the file.
async fn read_chunk(file: &mut tokio::fs::File, offset: u64, end: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; (end - offset) as usize];
    file.seek(SeekFrom::Start(offset)).await?;
    file.read_exact(&mut buf).await?;
    Ok(buf)
}

/// The bytes Google holds, from a 308's `Range: bytes=0-N` (none: nothing yet).
fn received(headers: &HeaderMap) -> u64 {
    headers
        .get(RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
        .and_then(|v| v.split_once('-'))
        .and_then(|(_, last)| last.trim().parse::<u64>().ok())
        .map_or(0, |last| last + 1)
}

fn report(ctx: &PublishContext, progress: Option<&Progress>, sent: u64, total: u64) {
    let percent = (sent * 100).checked_div(total).unwrap_or(100);
    tracing::info!(
        channel = KIND,
        delivery_id = ctx.delivery_id,
        sent,
        total,
        percent,
        "upload progress"
    );
    ctx.report_progress(sent, total);
    if let Some(p) = progress {
        p(sent, total);
    }
}
