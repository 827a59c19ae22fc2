//! Corrections to an uploaded video: an edit reads the video's snippet (`videos.list`, 1 unit)
//! and sends it back with the payload's title and description (`videos.update?part=snippet`,
//! 50 units: the update replaces the whole snippet, so tags, the fingerprint tag and the
//! category are sent as they are); a retraction deletes the video (`videos.delete`, 50 units).
//! Both spend from the local quota count before the call.
//!
//! Both are repeatable (the same snippet twice is the snippet once), so a lost answer is
//! `Transient`. A video already deleted (404 `videoNotFound`) counts as retracted; an edit of
//! one is `Rejected`. Google allows both only with the `youtube` or `youtube.force-ssl` scope:
//! an account that consented to `youtube.upload` alone gets `Auth` (`insufficientPermissions`)
//! until it consents again.

use reqwest::header::CONTENT_TYPE;
use serde::Deserialize;
use serde_json::Value;

use super::client::Api;
use super::errors;
use super::limits::{DELETE_COST, KIND, UPDATE_COST, watch_url};
use super::metadata::edited_snippet;
use super::quota::Bucket;
use crate::http::{self, Effect};
use crate::{Payload, PublishError, Receipt};

#[derive(Deserialize)]
struct Listed {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    snippet: Value,
}

/// The video a receipt names.
fn video_id(receipt: &Receipt) -> Result<&str, PublishError> {
    receipt
        .remote_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            PublishError::Rejected(
                "the receipt names no YouTube video id: the video must be changed by hand in \
                 YouTube Studio"
                    .into(),
            )
        })
}

fn gone(id: &str) -> PublishError {
    PublishError::Rejected(format!(
        "the YouTube video {id} is no longer on the channel (deleted in YouTube Studio?): the \
         correction cannot be applied; publish the announcement again if it should be there"
    ))
}

fn videos_url(api: &Api) -> String {
    format!(
        "{}/youtube/v3/videos",
        api.settings.base_url.trim_end_matches('/')
    )
}

/// Give the video the payload's title and description.
pub async fn edit(
    api: &Api,
    receipt: &Receipt,
    payload: &Payload,
) -> Result<Receipt, PublishError> {
    const WHAT: &str = "change the YouTube video's title and description";
    let id = video_id(receipt)?;
    let listed: Listed = api
        .get(
            "read the video's snippet before the edit",
            "videos",
            &[("part", "snippet"), ("id", id)],
        )
        .await?;
    let Some(current) = listed.items.into_iter().next() else {
        return Err(gone(id));
    };
    let body = edited_snippet(id, payload, &api.settings, &current.snippet);
    let token = api.oauth.access(api.now()).await?;
    api.spend_n(Bucket::Units, UPDATE_COST, WHAT)?;
    let req = api
        .http
        .put(videos_url(api))
        .query(&[("part", "snippet")])
        .bearer_auth(token.token.expose())
        .header(CONTENT_TYPE, "application/json; charset=UTF-8")
        .body(body.to_string());
    let answer = http::exchange(KIND, WHAT, req, Effect::Repeatable).await?;
    if !answer.status.is_success() {
        if answer.status.as_u16() == 404 && not_found(&answer.body) {
            return Err(gone(id));
        }
        return Err(api
            .failure(
                WHAT,
                answer.status,
                &answer.headers,
                &answer.body,
                Effect::Repeatable,
                Bucket::Units,
            )
            .await);
    }
    Ok(Receipt {
        remote_id: Some(id.to_owned()),
        url: Some(watch_url(id)),
        request_id: answer.header("x-guploader-uploadid").map(str::to_owned),
        deduplicated: false,
    })
}

/// Delete the video. One already gone is not an error.
pub async fn retract(api: &Api, receipt: &Receipt) -> Result<(), PublishError> {
    const WHAT: &str = "delete the YouTube video";
    let id = video_id(receipt)?;
    let token = api.oauth.access(api.now()).await?;
    api.spend_n(Bucket::Units, DELETE_COST, WHAT)?;
    let req = api
        .http
        .delete(videos_url(api))
        .query(&[("id", id)])
        .bearer_auth(token.token.expose());
    let answer = http::exchange(KIND, WHAT, req, Effect::Repeatable).await?;
    if answer.status.is_success() {
        return Ok(());
    }
    if answer.status.as_u16() == 404 && not_found(&answer.body) {
        tracing::info!(
            channel = KIND,
            remote_id = id,
            "the video was already gone: nothing to delete"
        );
        return Ok(());
    }
    Err(api
        .failure(
            WHAT,
            answer.status,
            &answer.headers,
            &answer.body,
            Effect::Repeatable,
            Bucket::Units,
        )
        .await)
}

/// Whether a 404 is Google's `videoNotFound` (not a wrong address or a proxy's page).
fn not_found(body: &str) -> bool {
    errors::reasons(body).iter().any(|r| r == "videoNotFound")
}
