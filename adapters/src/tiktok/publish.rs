//! One publish attempt: start a post (creator info, then init), or carry on with the one the
//! saved state names (upload the remaining chunks, poll the status). See `state.rs` for what
//! is saved when, and why that makes a later attempt safe.
//!
//! What must never happen here: a second init while a saved `publish_id` may still go live; a
//! network call before the state that makes it resumable is saved; waiting on TikTok longer
//! than `status_poll_timeout`.

use serde_json::json;

use super::Tiktok;
use super::api::{Answer, Status};
use super::creator::{choose_privacy, interactions};
use super::limits::ChunkPlan;
use super::mp4;
use super::prepare::{Media, media_of};
use super::state::{PostKind, SavedState, Upload};
use crate::{MediaRef, Payload, PublishContext, PublishError, Receipt, Secret};

/// One attempt's context; its steps live here and in `upload.rs`.
pub(super) struct Attempt<'a> {
    pub ch: &'a Tiktok,
    pub ctx: &'a PublishContext,
    pub payload: &'a Payload,
    pub token: Secret,
}

pub async fn publish(
    ch: &Tiktok,
    payload: &Payload,
    ctx: &PublishContext,
) -> Result<Receipt, PublishError> {
    // Checked again on the stored payload: nothing out of bounds reaches TikTok.
    let media = media_of(&payload.media)
        .map_err(|r| PublishError::Rejected(format!("{} ({})", r.en, r.th)))?;
    if let Media::Video(v) = &media {
        video_size(v).await?;
    }
    let state = ctx
        .saved_state
        .as_deref()
        .map(SavedState::parse)
        .transpose()?;
    let token = ch.auth.access_token().await?;
    let a = Attempt {
        ch,
        ctx,
        payload,
        token,
    };
    let result = match (state, &media) {
        (Some(SavedState::Uploading(up)), Media::Video(v)) => a.resume_upload(v, up).await,
        (
            Some(SavedState::Processing {
                publish_id,
                kind,
                username,
            }),
            _,
        ) => a.poll(&publish_id, kind, username).await,
        (
            Some(SavedState::InitSent {
                kind: PostKind::Photo,
            }),
            Media::Photos(_),
        ) => {
            a.save(&SavedState::Unconfirmed {
                kind: PostKind::Photo,
            })
            .await?;
            Err(PublishError::Rejected(
                "an earlier photo post request got no answer from TikTok, and TikTok cannot be \
                 searched for it: look in the TikTok app. If the post is there, cancel this \
                 delivery; if not, retry it and prakat posts it once more"
                    .into(),
            ))
        }
        (_, Media::Video(v)) => a.new_video(v).await,
        (_, Media::Photos(p)) => a.new_photos(p).await,
    };
    if matches!(result, Err(PublishError::Auth(_))) {
        ch.auth.invalidate().await;
    }
    result
}

/// The size of the file as it is on disk (what is uploaded), within the limits.
pub(super) async fn video_size(v: &MediaRef) -> Result<u64, PublishError> {
    let size = tokio::fs::metadata(&v.path)
        .await
        .map_err(|e| {
            PublishError::Rejected(format!(
                "the video {} cannot be read from the media store ({}): {e}",
                v.original_name,
                v.path.display()
            ))
        })?
        .len();
    let on_disk = MediaRef { size, ..v.clone() };
    media_of(std::slice::from_ref(&on_disk))
        .map_err(|r| PublishError::Rejected(format!("{} ({})", r.en, r.th)))?;
    Ok(size)
}

impl Attempt<'_> {
    pub(super) async fn save(&self, s: &SavedState) -> Result<(), PublishError> {
        self.ctx.save_state(&s.to_json()).await
    }

    /// An init that failed: unless the outcome is unknown, TikTok created nothing, and the
    /// saved `init_sent` must not make a later attempt think otherwise.
    async fn init_failed(&self, kind: PostKind, e: PublishError) -> PublishError {
        if matches!(e, PublishError::Ambiguous(_)) {
            return e;
        }
        match self.save(&SavedState::NotCreated { kind }).await {
            Ok(()) => e,
            Err(save) => save,
        }
    }

    fn settings(&self) -> &super::TiktokSettings {
        &self.ch.settings
    }

    pub(super) async fn new_video(&self, video: &MediaRef) -> Result<Receipt, PublishError> {
        let size = video_size(video).await?;
        let creator = self.ch.api.creator_info(&self.token).await?.data;
        let privacy = choose_privacy(
            self.settings().privacy_level,
            self.settings().post_when_unaudited,
            &creator.privacy_level_options,
        )?;
        if let Some(max) = creator.max_video_post_duration_sec {
            let path = video.path.clone();
            let secs = tokio::task::spawn_blocking(move || mp4::duration_secs(&path))
                .await
                .ok()
                .flatten();
            if let Some(secs) = secs.filter(|s| *s > max) {
                return Err(PublishError::Rejected(format!(
                    "the video is {secs} s long; this TikTok account may post at most {max} s \
                     (max_video_post_duration_sec)"
                )));
            }
        }
        let plan = ChunkPlan::new(size, self.settings().chunk_size)
            .ok_or_else(|| PublishError::Rejected("the video file is empty".into()))?;
        let i = interactions(self.settings(), &creator);
        let body = json!({
            "post_info": {
                "title": self.payload.text,
                "privacy_level": privacy.as_str(),
                "disable_comment": i.disable_comment,
                "disable_duet": i.disable_duet,
                "disable_stitch": i.disable_stitch,
            },
            "source_info": {
                "source": "FILE_UPLOAD",
                "video_size": plan.video_size,
                "chunk_size": plan.chunk_size,
                "total_chunk_count": plan.total_chunk_count,
            }
        });
        self.save(&SavedState::InitSent {
            kind: PostKind::Video,
        })
        .await?;
        let init = match self.ch.api.video_init(&self.token, &body).await {
            Ok(a) => a.data,
            Err(e) => return Err(self.init_failed(PostKind::Video, e).await),
        };
        let upload_url = init.upload_url.ok_or_else(|| {
            // Without an upload URL nothing can be uploaded, so nothing can go live.
            PublishError::Transient(format!(
                "TikTok video init gave publish_id {} but no upload_url",
                init.publish_id
            ))
        })?;
        let up = Upload {
            publish_id: init.publish_id,
            upload_url,
            next_chunk: 0,
            video_size: plan.video_size,
            chunk_size: plan.chunk_size,
            total_chunk_count: plan.total_chunk_count,
            username: creator.creator_username,
        };
        // Saved before the first byte leaves: a later attempt resumes this publish.
        self.save(&SavedState::Uploading(up.clone())).await?;
        self.upload(video, up).await
    }

    async fn new_photos(&self, photos: &[&MediaRef]) -> Result<Receipt, PublishError> {
        let creator = self.ch.api.creator_info(&self.token).await?.data;
        let privacy = choose_privacy(
            self.settings().privacy_level,
            self.settings().post_when_unaudited,
            &creator.privacy_level_options,
        )?;
        let i = interactions(self.settings(), &creator);
        let urls: Vec<String> = photos.iter().map(|p| self.ch.env.media_url(p)).collect();
        let body = json!({
            "post_info": {
                "title": self.payload.title,
                "description": self.payload.text,
                "privacy_level": privacy.as_str(),
                "disable_comment": i.disable_comment,
            },
            "source_info": {
                "source": "PULL_FROM_URL",
                "photo_images": urls,
                "photo_cover_index": 0,
            },
            "post_mode": "DIRECT_POST",
            "media_type": "PHOTO",
        });
        self.save(&SavedState::InitSent {
            kind: PostKind::Photo,
        })
        .await?;
        let init = match self.ch.api.content_init(&self.token, &body).await {
            Ok(a) => a.data,
            Err(e) => return Err(self.init_failed(PostKind::Photo, e).await),
        };
        let username = creator.creator_username;
        self.save(&SavedState::Processing {
            publish_id: init.publish_id.clone(),
            kind: PostKind::Photo,
            username: username.clone(),
        })
        .await?;
        self.poll(&init.publish_id, PostKind::Photo, username).await
    }

    /// Poll `status/fetch` until a final status or `status_poll_timeout`.
    pub(super) async fn poll(
        &self,
        publish_id: &str,
        kind: PostKind,
        username: Option<String>,
    ) -> Result<Receipt, PublishError> {
        let s = self.settings();
        let deadline = tokio::time::Instant::now() + s.status_poll_timeout;
        loop {
            let status = self.ch.api.status(&self.token, publish_id).await?;
            match status.data.status.as_str() {
                "PROCESSING_UPLOAD" | "PROCESSING_DOWNLOAD" => {}
                _ => return self.settle(status, publish_id, kind, username).await,
            }
            if tokio::time::Instant::now() + s.status_poll_interval > deadline {
                return Err(PublishError::Transient(format!(
                    "TikTok is still processing publish {publish_id} ({}) after {} s; the next \
                     attempt checks again without uploading",
                    status.data.status,
                    s.status_poll_timeout.as_secs_f32()
                )));
            }
            tokio::time::sleep(s.status_poll_interval).await;
        }
    }

    /// A final (or unknown) status: the receipt, or why not.
    pub(super) async fn settle(
        &self,
        status: Answer<Status>,
        publish_id: &str,
        kind: PostKind,
        username: Option<String>,
    ) -> Result<Receipt, PublishError> {
        let log = status.log_id.clone().unwrap_or_else(|| "-".into());
        match status.data.status.as_str() {
            "PUBLISH_COMPLETE" => Ok(receipt(&status, publish_id, kind, username.as_deref())),
            "FAILED" => {
                let reason = status
                    .data
                    .fail_reason
                    .clone()
                    .unwrap_or_else(|| "no reason given".into());
                self.save(&SavedState::Failed {
                    publish_id: publish_id.into(),
                    fail_reason: reason.clone(),
                })
                .await?;
                Err(PublishError::Rejected(format!(
                    "TikTok could not publish {publish_id}: {reason} (log_id {log}); nothing was \
                     posted, a retry starts a new post"
                )))
            }
            "SEND_TO_USER_INBOX" => Err(PublishError::Rejected(format!(
                "TikTok put publish {publish_id} in the creator's inbox as a draft instead of \
                 posting it: finish it in the TikTok app, then cancel this delivery"
            ))),
            other => Err(PublishError::Transient(format!(
                "TikTok publish {publish_id} has the unknown status {other:?} (log_id {log})"
            ))),
        }
    }
}

/// The receipt: the public post id once TikTok gives it (after moderation; never for private
/// posts), else the `publish_id`, which `reach` turns into the post id later.
pub fn receipt(
    status: &Answer<Status>,
    publish_id: &str,
    kind: PostKind,
    username: Option<&str>,
) -> Receipt {
    let post = status.data.post_id();
    let path = match kind {
        PostKind::Video => "video",
        PostKind::Photo => "photo",
    };
    let url = match (&post, username) {
        (Some(id), Some(u)) => Some(format!("https://www.tiktok.com/@{u}/{path}/{id}")),
        (None, Some(u)) => Some(format!("https://www.tiktok.com/@{u}")),
        _ => None,
    };
    Receipt {
        remote_id: Some(post.unwrap_or_else(|| publish_id.to_owned())),
        url,
        request_id: status.log_id.clone(),
        deduplicated: false,
    }
}
