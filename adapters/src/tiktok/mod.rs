//! The TikTok channel: direct posts through the Content Posting API — one video uploaded in
//! chunks (`FILE_UPLOAD`), or up to 35 photos TikTok pulls from prakat's public media URLs —
//! and views/likes/comments/shares from the Display API.
//!
//! A post takes several calls: `creator_info` (always first: the privacy level sent must be one
//! it offers), `video/init` or `content/init` (creates the publish), the chunk PUTs, and
//! `status/fetch` polled for at most `status_poll_timeout`. Every handle is saved with
//! `ctx.save_state` before the call that needs it (see `state.rs`), so a later attempt resumes
//! the upload or the polling instead of posting again.
//!
//! Idempotency: TikTok has none, and no API lists a creator's unfinished posts, so nothing can
//! be looked up; the channel is [`Idempotency::Resumable`]: `publish` decides from the saved
//! state: with a `publish_id` it only resumes
//! or polls; after a video init that got no answer it starts again (a `FILE_UPLOAD` publish
//! without its bytes never goes live); after a photo init that got no answer it parks the
//! delivery for a person (TikTok may have pulled the photos), and a person's retry posts again.
//! So after a crash or a timeout the dispatcher calls `publish` again (with the saved state)
//! instead of parking every interrupted upload.
//!
//! Unaudited apps may post `SELF_ONLY` only: the health check says so, and
//! `post_when_unaudited` decides whether such posts are made. Tokens rotate: see `auth.rs`.
//!
//! What must never happen here: a second init while a saved `publish_id` may still go live; a
//! token in a log or an error; an upload of media TikTok would refuse; an unbounded wait.
//!
//! Not done: `PULL_FROM_URL` for video, drafts (`MEDIA_UPLOAD`), webhooks, the `is_aigc` and
//! branded-content switches, and a cover frame; a video's duration is checked for MP4/MOV only.

mod api;
mod auth;
mod creator;
mod errors;
mod health;
mod limits;
mod mp4;
mod prepare;
mod publish;
mod reach;
mod settings;
mod state;
mod upload;

use async_trait::async_trait;

pub use limits::ChunkPlan;
pub use settings::{PrivacyLevel, TiktokSettings};

use crate::tokens::TokenFile;
use crate::{
    Channel, ChannelEnv, Draft, Health, Idempotency, Limits, Payload, PublishContext, PublishError,
    ReachSource, Receipt, Rejection,
};

/// The TikTok channel of one creator account.
pub struct Tiktok {
    settings: TiktokSettings,
    env: ChannelEnv,
    api: api::Api,
    auth: auth::Auth,
    limits: Limits,
}

impl Tiktok {
    /// Build the channel (no network). Tokens are kept in `<data_dir>/tokens/tiktok.json`.
    pub fn new(settings: TiktokSettings, env: &ChannelEnv) -> Result<Tiktok, String> {
        settings.validate()?;
        let base = settings.base_url.trim_end_matches('/').to_owned();
        Ok(Tiktok {
            api: api::Api {
                http: env.http.clone(),
                base_url: base.clone(),
                rate_limit_wait: settings.rate_limit_wait,
            },
            auth: auth::Auth::new(
                auth::Endpoint {
                    http: env.http.clone(),
                    token_url: format!("{base}/v2/oauth/token/"),
                    client_key: settings.client_key.clone(),
                    client_secret: settings.client_secret.clone(),
                    rate_limit_wait: settings.rate_limit_wait,
                },
                settings.refresh_token.clone(),
                TokenFile::new(&env.data_dir, "tiktok"),
            ),
            limits: limits::limits(),
            env: env.clone(),
            settings,
        })
    }

    /// How many deliveries may publish at once (TikTok allows 6 inits a minute per token).
    pub fn concurrency(&self) -> Option<usize> {
        self.settings.concurrency
    }
}

impl std::fmt::Debug for Tiktok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets in the settings print as [redacted].
        f.debug_struct("Tiktok")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Channel for Tiktok {
    fn kind(&self) -> &'static str {
        "tiktok"
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        prepare::prepare(draft)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        use tracing::Instrument;
        let span = tracing::debug_span!("tiktok", delivery_id = ctx.delivery_id);
        publish::publish(self, payload, ctx).instrument(span).await
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        health::healthcheck(self).await
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Resumable
    }

    fn reach_source(&self) -> Option<&dyn ReachSource> {
        Some(self)
    }
}
