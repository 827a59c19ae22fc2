//! The video bytes: chunk PUTs to TikTok's upload URL in order, each confirmed chunk saved as
//! `next_chunk` before the next one leaves, and the resumption of a saved upload from what
//! TikTok says it holds (`status/fetch` → `uploaded_bytes`).
//!
//! What must never happen here: the access token sent to the upload host (the URL carries its
//! own upload token); a chunk out of order; a new publish while TikTok may still finish the
//! saved one (only a FAILED status before all bytes arrived allows it).

use std::path::Path;

use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::publish::{Attempt, video_size};
use super::state::{PostKind, SavedState, Upload};
use crate::http::{self, Effect};
use crate::{MediaRef, PublishError, Receipt};

impl Attempt<'_> {
    /// Carry on with a saved upload, from what TikTok says it holds.
    pub(super) async fn resume_upload(
        &self,
        video: &MediaRef,
        mut up: Upload,
    ) -> Result<Receipt, PublishError> {
        if video_size(video).await? != up.video_size {
            return Err(PublishError::Rejected(format!(
                "the video file changed since its upload to TikTok began (publish {}); cancel \
                 this delivery and post the announcement again",
                up.publish_id
            )));
        }
        let status = self.ch.api.status(&self.token, &up.publish_id).await?;
        let uploaded = status.data.uploaded_bytes;
        match status.data.status.as_str() {
            "FAILED" if uploaded.unwrap_or(0) < up.video_size => {
                // The upload never completed (its URL lives one hour): nothing was posted, and
                // the only way on is a new publish.
                tracing::warn!(publish_id = %up.publish_id, reason = ?status.data.fail_reason,
                    "TikTok dropped the unfinished upload; starting a new one");
                self.new_video(video).await
            }
            "PROCESSING_UPLOAD" => {
                if let Some(b) = uploaded {
                    up.next_chunk = up.plan().next_after(b);
                }
                self.upload(video, up).await
            }
            _ => {
                self.settle(status, &up.publish_id, PostKind::Video, up.username)
                    .await
            }
        }
    }

    /// PUT the chunks from `next_chunk` on, saving progress after each, then poll.
    pub(super) async fn upload(
        &self,
        video: &MediaRef,
        mut up: Upload,
    ) -> Result<Receipt, PublishError> {
        let plan = up.plan();
        while up.next_chunk < plan.total_chunk_count {
            let i = up.next_chunk;
            let range = plan.range(i);
            let bytes = read_range(&video.path, range.clone()).await?;
            let what = format!(
                "TikTok upload of chunk {} of {}",
                i + 1,
                plan.total_chunk_count
            );
            let req = self
                .ch
                .env
                .http
                .put(up.upload_url.as_str())
                .header("Content-Type", video.mime.as_str())
                .header(
                    "Content-Range",
                    format!(
                        "bytes {}-{}/{}",
                        range.start,
                        range.end - 1,
                        plan.video_size
                    ),
                )
                .body(bytes);
            // A chunk PUT to a session is repeatable: the session takes it once.
            let answer = http::exchange("tiktok", &what, req, Effect::Repeatable).await?;
            let status = answer.status;
            if !status.is_success() {
                if http::may_have_applied(status) || status.as_u16() == 429 {
                    return Err(http::fallback(
                        &what,
                        &answer,
                        Effect::Repeatable,
                        self.ch.api.rate_limit_wait,
                    ));
                }
                return Err(PublishError::Transient(http::scrub(&format!(
                    "{what} was refused: HTTP {status}: {}; the next attempt asks TikTok how \
                     much of publish {} arrived and resumes, or starts a new upload if TikTok \
                     dropped it",
                    http::truncate(&answer.body, 500),
                    up.publish_id
                ))));
            }
            up.next_chunk = i + 1;
            self.ctx.report_progress(range.end, plan.video_size);
            if up.next_chunk < plan.total_chunk_count {
                self.save(&SavedState::Uploading(up.clone())).await?;
            }
        }
        self.save(&SavedState::Processing {
            publish_id: up.publish_id.clone(),
            kind: PostKind::Video,
            username: up.username.clone(),
        })
        .await?;
        self.poll(&up.publish_id, PostKind::Video, up.username)
            .await
    }
}

async fn read_range(path: &Path, range: std::ops::Range<u64>) -> Result<Vec<u8>, PublishError> {
    let io = |e: std::io::Error| {
        PublishError::Transient(format!("cannot read the video {}: {e}", path.display()))
    };
    let mut f = tokio::fs::File::open(path).await.map_err(io)?;
    f.seek(std::io::SeekFrom::Start(range.start))
        .await
        .map_err(io)?;
    let mut buf = vec![0; (range.end - range.start) as usize];
    f.read_exact(&mut buf).await.map_err(io)?;
    Ok(buf)
}
