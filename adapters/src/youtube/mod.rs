//! The youtube channel: announcements with a video, uploaded to the station's YouTube channel
//! through the Data API v3's resumable upload.
//!
//! What lives here: [`Youtube`], its [`YoutubeSettings`], and, one file each, YouTube's numbers
//! (`limits`), the pure `prepare` (the one video; title ≤ 100 and description ≤ 5,000
//! characters, fitted with [`crate::thai::fit_text`], `<` `>` replaced by ‹ ›; tags within 500
//! characters), the video resource and the fingerprint tag (`metadata`), Google OAuth with a
//! rotating refresh token in the channel's token file (`auth`), the local per-bucket quota count
//! per Pacific day (`quota`), Google's error answers classified (`errors`), the resumable
//! protocol with its checkpointed session (`upload`), finding an upload again (`reconcile`),
//! view counts (`reach`) and the health line (`health`).
//!
//! How exactly-once holds: YouTube has no idempotency key. The session URI is checkpointed
//! before the first byte, and a later attempt asks the session where it stands before sending
//! anything (resume, already complete, or expired — only then a new session). A session start
//! that timed out is `Ambiguous`; the dispatcher then calls [`Reconcile::find_published`],
//! which looks for the delivery's fingerprint tag (`prakat-<idempotency key>`, a tag because
//! viewers do not see tags) on the channel's newest uploads; a saved state that cannot be read
//! gets the same look before a new session.
//!
//! What must never happen here: a text-only announcement sent (YouTube is video-only: it is
//! rejected in `prepare`); a second `videos.insert` for a delivery whose saved session may
//! still complete; a retry inside one attempt; a token, the client secret or a session URI's
//! `upload_id` in a log.
//!
//! Corrections (`amend`): an edit sends the video's snippet back with the payload's title and
//! description (`videos.update`, 50 units, after a 1-unit read of the snippet so tags, the
//! fingerprint tag and the category stay as published); a retraction deletes the video
//! (`videos.delete`, 50 units). A video already deleted counts as retracted; an edit of one is
//! `Rejected`. Both need the `youtube` or `youtube.force-ssl` scope (`youtube.upload` alone
//! answers `insufficientPermissions`, an `Auth` error). The video file, privacy and thumbnail
//! are not changed.
//!
//! Known limits: the quota count is this process's own (other users of the same Google Cloud
//! project are not seen); thumbnails, playlists and captions are not set; reconcile looks at
//! the 50 newest uploads only; an upload longer than the dispatcher's publish timeout goes on
//! over several attempts (each resumes where the last stopped); `privacy_status` defaults to
//! `private`, and an unaudited Google Cloud project's uploads stay private whatever it says.

mod amend;
mod auth;
mod client;
mod errors;
mod health;
mod limits;
mod metadata;
mod prepare;
mod quota;
mod reach;
mod reconcile;
mod settings;
mod upload;
mod video;

use std::sync::Arc;

use async_trait::async_trait;

pub use client::Clock;
pub use errors::next_pacific_midnight;
pub use limits::{
    CHUNK_GRANULE, DESCRIPTION_MAX, KIND, MAX_VIDEO_BYTES, TAGS_MAX, TITLE_MAX, watch_url,
};
pub use metadata::fingerprint_tag;
pub use settings::{PrivacyStatus, QuotaSettings, YoutubeSettings};

use crate::tokens::TokenFile;
use crate::{
    Amend, Channel, ChannelEnv, Draft, Edit, Health, Idempotency, Limits, Payload, PublishContext,
    PublishError, ReachSample, ReachSource, Receipt, Reconcile, Rejection, Retraction,
};

/// Called after every chunk with (bytes Google has, total bytes): the hook for a progress bar.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// The youtube channel.
pub struct Youtube {
    api: client::Api,
    limits: Limits,
    progress: Option<Progress>,
}

impl std::fmt::Debug for Youtube {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Youtube")
            .field("settings", &self.api.settings)
            .finish_non_exhaustive()
    }
}

impl Youtube {
    /// Build the channel (no network). Tokens are kept in `<env.data_dir>/tokens/youtube.json`.
    pub fn new(settings: YoutubeSettings, env: &ChannelEnv) -> Result<Youtube, String> {
        settings.check()?;
        let file = TokenFile::new(&env.data_dir, KIND);
        let oauth = auth::OAuth::new(env.http.clone(), &settings, file);
        Ok(Youtube {
            limits: limits::limits(settings.max_video_bytes),
            api: client::Api {
                http: env.http.clone(),
                quota: quota::QuotaTracker::new(settings.quota.clone()),
                settings,
                oauth,
                clock: Arc::new(chrono::Utc::now),
                uploads_playlist: tokio::sync::OnceCell::new(),
            },
            progress: None,
        })
    }

    /// Use another clock (tests: "it is now 09:00").
    pub fn with_clock(mut self, clock: Clock) -> Youtube {
        self.api.clock = clock;
        self
    }

    /// Report upload progress to `progress` after every chunk.
    pub fn with_progress(mut self, progress: Progress) -> Youtube {
        self.progress = Some(progress);
        self
    }

    pub fn settings(&self) -> &YoutubeSettings {
        &self.api.settings
    }
}

#[async_trait]
impl Channel for Youtube {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        prepare::prepare(draft, self.api.settings.max_video_bytes)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        upload::publish(&self.api, payload, ctx, self.progress.as_ref()).await
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        health::check(&self.api).await
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Reconcile
    }

    fn reconcile(&self) -> Option<&dyn Reconcile> {
        Some(self)
    }

    fn reach_source(&self) -> Option<&dyn ReachSource> {
        Some(self)
    }

    fn amend(&self) -> Option<&dyn Amend> {
        Some(self)
    }
}

#[async_trait]
impl Amend for Youtube {
    async fn edit(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        _edit: &Edit,
    ) -> Result<Receipt, PublishError> {
        amend::edit(&self.api, receipt, payload).await
    }

    async fn retract(
        &self,
        receipt: &Receipt,
        _payload: &Payload,
        _retraction: &Retraction,
    ) -> Result<(), PublishError> {
        amend::retract(&self.api, receipt).await
    }
}

#[async_trait]
impl Reconcile for Youtube {
    async fn find_published(
        &self,
        payload: &Payload,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        reconcile::find(&self.api, payload, fingerprint).await
    }

    fn resumes_without_lookup(&self, saved_state: Option<&str>) -> bool {
        upload::has_session(saved_state)
    }
}

#[async_trait]
impl ReachSource for Youtube {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        reach::reach(&self.api, receipt).await
    }
}
