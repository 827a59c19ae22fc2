//! Reach of a published TikTok post: the Display API `video/query` (scope `video.list`) gives
//! views, likes, comments and shares; TikTok reports no reach or unique viewers to ordinary
//! apps. A receipt that still holds a `publish_id` (the post id comes after moderation) is
//! turned into the post id through `status/fetch` first.

use async_trait::async_trait;

use super::Tiktok;
use crate::{PublishError, ReachSample, ReachSource, Receipt};

fn is_post_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_digit())
}

#[async_trait]
impl ReachSource for Tiktok {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        let id = receipt
            .remote_id
            .as_deref()
            .ok_or_else(|| PublishError::Rejected("the receipt has no TikTok id".into()))?;
        let token = self.auth.access_token().await?;
        let post_id = if is_post_id(id) {
            id.to_owned()
        } else {
            self.api
                .status(&token, id)
                .await?
                .data
                .post_id()
                .ok_or_else(|| {
                    PublishError::Transient(format!(
                        "TikTok has not given the public post id of publish {id} yet (still in \
                         moderation, or a private post)"
                    ))
                })?
        };
        let answer = self.api.video_query(&token, &[post_id.as_str()]).await?;
        let video = answer
            .data
            .videos
            .into_iter()
            .find(|v| match &v.id {
                serde_json::Value::String(s) => *s == post_id,
                serde_json::Value::Number(n) => n.to_string() == post_id,
                _ => false,
            })
            .ok_or_else(|| {
                PublishError::Transient(format!(
                    "TikTok returned no video {post_id} (deleted, private, or not visible yet)"
                ))
            })?;
        Ok(ReachSample {
            taken_at: Some(chrono::Utc::now()),
            views: video.view_count,
            unique_viewers: None,
            reactions: video.like_count,
            comments: video.comment_count,
            shares: video.share_count,
            clicks: None,
            video_views: video.view_count,
        })
    }
}
