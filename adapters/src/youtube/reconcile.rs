//! Finding the video a delivery already uploaded, after an ambiguous failure: the channel's
//! uploads playlist (`channels?part=contentDetails&mine=true` → `relatedPlaylists.uploads` →
//! `playlistItems`, newest first, one page of 50), the items whose title is the payload's,
//! then `videos?part=snippet` on those to read their tags and look for the delivery's
//! fingerprint tag (see [`super::metadata`]). Three units at most from the general bucket,
//! nothing from `search.list`'s small one; the uploads playlist also lists private and
//! scheduled videos to their owner, and without the search index's delay.

use serde::Deserialize;

use super::client::Api;
use super::limits::watch_url;
use super::metadata::fingerprint_tag;
use crate::{Payload, PublishError, Receipt};

/// How many of the newest uploads are looked through.
pub const RECENT_UPLOADS: usize = 50;

#[derive(Deserialize)]
struct List<T> {
    #[serde(default = "Vec::new")]
    items: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Channel {
    content_details: ContentDetails,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContentDetails {
    related_playlists: RelatedPlaylists,
}

#[derive(Deserialize)]
struct RelatedPlaylists {
    uploads: String,
}

#[derive(Deserialize)]
struct PlaylistItem {
    snippet: ItemSnippet,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemSnippet {
    #[serde(default)]
    title: String,
    resource_id: ResourceId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceId {
    #[serde(default)]
    video_id: Option<String>,
}

#[derive(Deserialize)]
struct VideoItem {
    id: String,
    snippet: VideoSnippet,
}

#[derive(Deserialize)]
struct VideoSnippet {
    #[serde(default)]
    tags: Vec<String>,
}

/// The id of the account's uploads playlist, asked once per process.
pub async fn uploads_playlist(api: &Api) -> Result<String, PublishError> {
    api.uploads_playlist
        .get_or_try_init(|| async {
            let list: List<Channel> = api
                .get(
                    "finding the channel's uploads playlist",
                    "channels",
                    &[("part", "contentDetails"), ("mine", "true")],
                )
                .await?;
            list.items
                .into_iter()
                .next()
                .map(|c| c.content_details.related_playlists.uploads)
                .ok_or_else(|| {
                    PublishError::Auth("the signed-in Google account has no YouTube channel".into())
                })
        })
        .await
        .cloned()
}

/// The receipt of the video uploaded for `fingerprint`, if one of the recent uploads has it.
pub async fn find(
    api: &Api,
    payload: &Payload,
    fingerprint: &str,
) -> Result<Option<Receipt>, PublishError> {
    let playlist = uploads_playlist(api).await?;
    let max = RECENT_UPLOADS.to_string();
    let items: List<PlaylistItem> = api
        .get(
            "listing the channel's recent uploads",
            "playlistItems",
            &[
                ("part", "snippet"),
                ("playlistId", &playlist),
                ("maxResults", &max),
            ],
        )
        .await?;
    let candidates: Vec<String> = items
        .items
        .into_iter()
        .filter(|i| i.snippet.title == payload.title)
        .filter_map(|i| i.snippet.resource_id.video_id)
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let ids = candidates.join(",");
    let videos: List<VideoItem> = api
        .get(
            "reading the tags of recent uploads",
            "videos",
            &[("part", "snippet"), ("id", &ids)],
        )
        .await?;
    let tag = fingerprint_tag(fingerprint);
    Ok(videos
        .items
        .into_iter()
        .find(|v| v.snippet.tags.contains(&tag))
        .map(|v| Receipt {
            url: Some(watch_url(&v.id)),
            remote_id: Some(v.id),
            request_id: None,
            deduplicated: true,
        }))
}
