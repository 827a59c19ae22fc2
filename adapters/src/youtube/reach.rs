//! How far a video reached: `videos?part=statistics&id=…`, whose counts are JSON strings
//! (`"viewCount":"123"`); a count the owner hid is absent and stays `None`.

use serde::Deserialize;

use super::client::Api;
use crate::{PublishError, ReachSample, Receipt};

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    statistics: Statistics,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    view_count: Option<String>,
    like_count: Option<String>,
    comment_count: Option<String>,
}

fn number(s: Option<&String>) -> Option<u64> {
    s.and_then(|s| s.trim().parse().ok())
}

pub async fn reach(api: &Api, receipt: &Receipt) -> Result<ReachSample, PublishError> {
    let Some(id) = receipt.remote_id.as_deref() else {
        return Err(PublishError::Rejected(
            "this YouTube receipt has no video id".into(),
        ));
    };
    let list: List = api
        .get(
            "reading the video's statistics",
            "videos",
            &[("part", "statistics"), ("id", id)],
        )
        .await?;
    let Some(item) = list.items.into_iter().next() else {
        return Err(PublishError::Rejected(format!(
            "the YouTube video {id} is gone (deleted, or no longer this channel's)"
        )));
    };
    let s = item.statistics;
    Ok(ReachSample {
        taken_at: Some(api.now()),
        views: number(s.view_count.as_ref()),
        video_views: number(s.view_count.as_ref()),
        reactions: number(s.like_count.as_ref()),
        comments: number(s.comment_count.as_ref()),
        ..ReachSample::default()
    })
}
