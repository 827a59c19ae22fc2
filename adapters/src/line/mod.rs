//! The LINE channel: announcements to the station's LINE Official Account through the Messaging
//! API — a broadcast to every friend by default, or a narrowcast, or pushes to chosen ids.
//!
//! What lives here: the settings ([`LineSettings`]), the limits ([`limits`]), `prepare` (text
//! fitted in UTF-16 units with a link to the website, media checked before anything is sent),
//! the message objects (text or a Flex card, images and videos by prakat's public media URLs),
//! the monthly quota check before a send, the one send per attempt with its `X-Line-Retry-Key`,
//! the classification of LINE's answers ([`errors`]), reach from the message-event insight, and
//! the health line.
//!
//! What must never happen here: a send without a retry key, or with a different key on a repeat
//! of the same delivery (a repeat must be a harmless 409, never a second broadcast); a send that
//! the month's quota cannot pay for (checked first, with the numbers in Thai and English); a
//! retry loop (broadcasts allow 60 requests an hour: the adapter makes one attempt and the
//! dispatcher decides); the token in a log line or an error; slicing Thai text by bytes.
//!
//! Partial on purpose: the receipt has no `url` (LINE messages have no public link); push and
//! multicast have no per-request insight, so reach is read for broadcasts and narrowcasts only;
//! a narrowcast's asynchronous outcome is available through [`Line::narrowcast_progress`] but the
//! daemon does not poll it yet; the preview image of a video or image is the image itself (LINE
//! suggests at most 1 MB for previews; prakat makes no thumbnails yet).

mod client;
pub mod errors;
mod insight;
pub mod limits;
mod messages;
mod prepare;
mod quota;
mod retry_key;
mod send;
mod settings;
mod state;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use insight::NarrowcastProgress;
pub use limits::{KIND, limits};
pub use prepare::message_count;
pub use quota::QuotaReading;
pub use retry_key::{push_retry_key, retry_key};
pub use settings::{DEFAULT_BASE_URL, LineSettings, Mode, Style};

use crate::{
    Channel, ChannelEnv, Draft, Health, Idempotency, Limits, Payload, PublishContext, PublishError,
    ReachSample, ReachSource, Receipt, Rejection,
};

/// Where the channel reads the time: the quota month, the follower date, the reach sample.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The LINE channel.
pub struct Line {
    settings: LineSettings,
    env: ChannelEnv,
    limits: Limits,
    api: client::Api,
    clock: Clock,
    /// The last quota reading, trusted for [`limits::QUOTA_CACHE_SECS`].
    quota: Mutex<Option<QuotaReading>>,
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Line")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Line {
    /// Build the channel from its settings. No network.
    pub fn new(settings: LineSettings, env: &ChannelEnv) -> Result<Line, String> {
        settings.check()?;
        let api = client::Api::new(
            env.http.clone(),
            &settings.base_url,
            settings.channel_access_token.clone(),
        );
        Ok(Line {
            settings,
            env: env.clone(),
            limits: limits::limits(),
            api,
            clock: Arc::new(Utc::now),
            quota: Mutex::new(None),
        })
    }

    /// Read the time from `clock` instead of the system (tests: "it is now 24 November").
    pub fn with_clock(mut self, clock: Clock) -> Line {
        self.clock = clock;
        self
    }

    pub fn settings(&self) -> &LineSettings {
        &self.settings
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

#[async_trait]
impl Channel for Line {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        prepare::prepare(&self.settings, &self.env.public_base_url, draft)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        self.send(payload, ctx).await
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        self.health().await
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Native
    }

    fn reach_source(&self) -> Option<&dyn ReachSource> {
        Some(self)
    }
}

#[async_trait]
impl ReachSource for Line {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        self.message_event(receipt).await
    }

    /// LINE counts a message's impressions and clicks by the next day (T+1): a sample taken
    /// sooner would only say "no figures yet".
    fn ready_after(&self) -> std::time::Duration {
        INSIGHT_DELAY
    }
}

/// How late LINE's message insights are ready after a send.
pub const INSIGHT_DELAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
