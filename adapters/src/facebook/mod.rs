//! The facebook channel: a Facebook Page through the Graph API (version pinned in settings).
//!
//! What lives here: [`FacebookSettings`] and the [`Facebook`] channel — `prepare` fits the
//! message to 63,206 characters and refuses media Facebook would refuse before any upload;
//! `publish` makes one attempt (a feed post with message and website link, one photo by URL,
//! several photos uploaded unpublished then attached, or a video through the Resumable Upload
//! API or by URL) and classifies the answer by the Graph error code; [`Reconcile`] finds a
//! post already made by listing the Page's recent posts; [`ReachSource`] reads post insights
//! with a metric-by-metric fallback for retired metrics; `healthcheck` reports the token, its
//! expiry, missing permissions and rate-limit usage; [`Amend`] corrects what was published.
//!
//! Corrections (`amend.rs`): an edit replaces a post's `message` with the text `prepare`
//! made (`POST /{post-id}`), or a video's `description` and title (`POST /{video-id}`, the
//! title being the Video node's `name`); the link preview, photos and video stay as
//! published. A retraction deletes the post, or the video with its post (`DELETE /{id}`). Both
//! are repeatable: a lost answer is `Transient`, and a post already gone (error 100, subcode 33)
//! counts as deleted — which assumes the Page token still has its permissions, since Facebook
//! gives the same answer for an object the token may not see. An edit of a post deleted on the
//! Page is `Rejected`: a person decides whether to publish it again.
//!
//! What must never happen here: a token in a URL or a log line (the token travels in the
//! `Authorization` header; `debug_token`'s `input_token` is masked by
//! [`crate::http::without_url_secrets`]); a retry inside the adapter; a second upload of a
//! photo or video chunk a saved checkpoint already covers; a create that may have happened
//! reported as anything but `Ambiguous`.
//!
//! Partial, and what is assumed:
//! - the receipt of a video is the video id (not its feed post id), so reach for a video reads
//!   only what post insights answer for that id (often nothing);
//! - reconcile matches the message text, so a post without text (photos only) cannot be found
//!   again: after an ambiguous outcome it would be posted again;
//! - the 10-photo and 63,206-character limits come from publishing tools, not an official page;
//! - Graph codes 1 and 2 (and `is_transient`) are `Transient` on a read but `Ambiguous` on a
//!   create: the error-handling guide says to retry them, but the post may exist already;
//! - the Resumable Upload API documentation asks for a user token (`upload_access_token`); the
//!   Page token is used when none is set.

mod amend;
mod client;
mod errors;
mod health;
mod prepare;
mod progress;
mod publish;
mod reach;
mod reconcile;
mod settings;
mod video;

use std::time::Duration;

use async_trait::async_trait;

pub use health::{REQUIRED_PERMISSIONS, VIDEO_PERMISSION};
pub use prepare::{
    IMAGE_MAX_BYTES, IMAGE_TYPES, KIND, PHOTOS_MAX, TEXT_MAX, VIDEO_MAX_BYTES, VIDEO_TYPES, limits,
};
pub use progress::{Progress, UploadedPhoto, VideoUpload};
pub use reach::METRICS;
pub use reconcile::normalize;
pub use settings::{
    DEFAULT_BASE_URL, DEFAULT_GRAPH_VERSION, DEFAULT_VIDEO_BASE_URL, DEFAULT_VIDEO_CHUNK_BYTES,
    FacebookSettings,
};

use crate::{
    Amend, Channel, ChannelEnv, Draft, Edit, Health, Idempotency, Limits, MediaKind, Payload,
    PublishContext, PublishError, ReachSample, ReachSource, Receipt, Reconcile, Rejection,
    Retraction, Secret,
};

/// One Facebook Page.
pub struct Facebook {
    settings: FacebookSettings,
    env: ChannelEnv,
    graph: client::Graph,
    limits: Limits,
}

impl std::fmt::Debug for Facebook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Facebook")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Facebook {
    /// Build the channel; no network.
    pub fn new(settings: FacebookSettings, env: &ChannelEnv) -> Result<Facebook, String> {
        if settings.page_id.trim().is_empty() {
            return Err("facebook: page_id is empty".into());
        }
        if !settings.graph_version.starts_with('v') {
            return Err(format!(
                "facebook: graph_version {:?} should look like \"{DEFAULT_GRAPH_VERSION}\"",
                settings.graph_version
            ));
        }
        for url in [&settings.base_url, &settings.video_base_url] {
            if reqwest::Url::parse(url).is_err() {
                return Err(format!("facebook: {url:?} is not a URL"));
            }
        }
        let graph = client::Graph::new(
            env.http.clone(),
            &settings.base_url,
            &settings.video_base_url,
            &settings.graph_version,
            settings.page_access_token.clone(),
            Duration::from_secs(settings.rate_limit_wait_secs),
        );
        Ok(Facebook {
            settings,
            env: env.clone(),
            graph,
            limits: limits(),
        })
    }

    /// The settings this channel was built with.
    pub fn settings(&self) -> &FacebookSettings {
        &self.settings
    }

    fn upload_token(&self) -> &Secret {
        self.settings
            .upload_access_token
            .as_ref()
            .unwrap_or(&self.settings.page_access_token)
    }
}

#[async_trait]
impl Channel for Facebook {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        prepare::prepare(&self.limits, draft)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        match payload.media.as_slice() {
            [] => self.publish_text(payload).await,
            [one] if one.kind == MediaKind::Video => self.publish_video(payload, one, ctx).await,
            [one] => self.publish_photo(payload, one).await,
            _ => self.publish_photos(payload, ctx).await,
        }
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        self.check().await
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
impl Amend for Facebook {
    async fn edit(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        _edit: &Edit,
    ) -> Result<Receipt, PublishError> {
        self.edit_post(receipt, payload).await
    }

    async fn retract(
        &self,
        receipt: &Receipt,
        _payload: &Payload,
        _retraction: &Retraction,
    ) -> Result<(), PublishError> {
        self.retract_post(receipt).await
    }
}

#[async_trait]
impl Reconcile for Facebook {
    async fn find_published(
        &self,
        payload: &Payload,
        _fingerprint: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        self.find_post(payload).await
    }
}

#[async_trait]
impl ReachSource for Facebook {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        self.read_reach(receipt).await
    }
}
