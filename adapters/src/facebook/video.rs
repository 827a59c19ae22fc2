//! Publishing a video. With `app_id` set, the documented current flow: the Resumable Upload
//! API (`POST /{app-id}/uploads` → `upload:<session>`, then the bytes in chunks to
//! `POST /upload:<session>` with a `file_offset` header, until Facebook answers with the file
//! handle `h`), then `POST /{page-id}/videos` with `fbuploader_video_file_chunk=<h>`. The
//! session, the confirmed offset and the handle are checkpointed before each next request; a
//! later attempt asks Facebook for the session's `file_offset` (`GET /upload:<session>`) and
//! continues from there. Without `app_id`, the video is published by URL (`file_url`).
//!
//! The documentation shows the rest of the file sent in one request; an answer without `h`
//! is taken to carry the new `file_offset` (as the status query does), else the offset is
//! advanced by the chunk sent.

use std::io::SeekFrom;

use reqwest::Method;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::Facebook;
use super::progress::{Progress, VideoUpload};
use crate::http::Effect;
use crate::{MediaRef, Payload, PublishContext, PublishError, Receipt};

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct ChunkAnswer {
    #[serde(default)]
    h: Option<String>,
    #[serde(default)]
    file_offset: Option<u64>,
}

impl Facebook {
    pub(super) async fn publish_video(
        &self,
        payload: &Payload,
        media: &MediaRef,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let mut form = vec![
            ("title".to_owned(), payload.title.clone()),
            ("description".to_owned(), payload.text.clone()),
        ];
        match &self.settings.app_id {
            Some(app_id) => {
                let handle = self.upload_video(app_id, media, ctx).await?;
                form.push(("fbuploader_video_file_chunk".to_owned(), handle));
            }
            None => form.push(("file_url".to_owned(), self.env.media_url(media))),
        }
        let url = self
            .graph
            .video_url(&format!("{}/videos", self.settings.page_id));
        let reply = self
            .graph
            .post_form("publish the video", &url, &form, Effect::Creates)
            .await?;
        let created: Id = reply.json("publish the video")?;
        Ok(Receipt {
            url: Some(format!(
                "https://www.facebook.com/{}/videos/{}",
                self.settings.page_id, created.id
            )),
            remote_id: Some(created.id),
            request_id: reply.trace_id(),
            deduplicated: false,
        })
    }

    /// Upload the file, resuming a saved session; returns the file handle.
    async fn upload_video(
        &self,
        app_id: &str,
        media: &MediaRef,
        ctx: &PublishContext,
    ) -> Result<String, PublishError> {
        let mut progress = Progress::load(ctx);
        let token = self.upload_token();
        let mut upload = match progress.video.take().filter(|v| v.sha256 == media.sha256) {
            Some(v) if v.handle.is_some() => return Ok(v.handle.unwrap_or_default()),
            Some(mut v) => {
                let url = self.graph.url(&v.session);
                let req = self.graph.request(Method::GET, &url, Some(token));
                let reply = self
                    .graph
                    .send("ask how far the video upload got", req, Effect::Repeatable)
                    .await?;
                let at: ChunkAnswer = reply.json("ask how far the video upload got")?;
                v.offset = at.file_offset.unwrap_or(0).min(media.size);
                v
            }
            None => {
                let url = self.graph.url(&format!("{app_id}/uploads"));
                let req = self.graph.request(Method::POST, &url, Some(token)).query(&[
                    ("file_name", media.stored_name()),
                    ("file_length", media.size.to_string()),
                    ("file_type", media.mime.clone()),
                ]);
                // A session nobody finishes expires unused: starting one is harmless.
                let reply = self
                    .graph
                    .send("start the video upload", req, Effect::Repeatable)
                    .await?;
                let session: Id = reply.json("start the video upload")?;
                VideoUpload {
                    sha256: media.sha256.clone(),
                    session: session.id,
                    offset: 0,
                    handle: None,
                }
            }
        };
        progress.video = Some(upload.clone());
        progress.save(ctx).await?;
        let mut file = tokio::fs::File::open(&media.path)
            .await
            .map_err(|e| read_error(media, e))?;
        let chunk_max = self.settings.video_chunk_bytes.max(1);
        loop {
            let len = chunk_max.min(media.size.saturating_sub(upload.offset));
            let mut chunk = vec![0; len as usize];
            file.seek(SeekFrom::Start(upload.offset))
                .await
                .map_err(|e| read_error(media, e))?;
            file.read_exact(&mut chunk)
                .await
                .map_err(|e| read_error(media, e))?;
            let url = self.graph.url(&upload.session);
            let req = self
                .graph
                .request(Method::POST, &url, Some(token))
                .header("file_offset", upload.offset.to_string())
                .header("content-type", "application/octet-stream")
                .body(chunk);
            let reply = self
                .graph
                .send("upload the video", req, Effect::Repeatable)
                .await?;
            let answer: ChunkAnswer = reply.json("upload the video")?;
            match answer.h {
                Some(h) => upload.handle = Some(h),
                None => {
                    let next = answer.file_offset.unwrap_or(upload.offset + len);
                    if next <= upload.offset || len == 0 {
                        return Err(PublishError::Transient(format!(
                            "upload the video: Facebook accepted no bytes at offset {} of {}",
                            upload.offset, media.size
                        )));
                    }
                    upload.offset = next.min(media.size);
                }
            }
            progress.video = Some(upload.clone());
            progress.save(ctx).await?;
            ctx.report_progress(
                if upload.handle.is_some() {
                    media.size
                } else {
                    upload.offset
                },
                media.size,
            );
            if let Some(h) = upload.handle {
                return Ok(h);
            }
        }
    }
}

fn read_error(media: &MediaRef, e: std::io::Error) -> PublishError {
    PublishError::Transient(format!(
        "cannot read the video {} ({}): {e}",
        media.path.display(),
        media.original_name
    ))
}
