//! What every YouTube call shares: the HTTP client, the settings, the OAuth token, the local
//! quota count and the clock; a JSON GET on the Data API; and the side effects of a failure
//! (a 401 forgets the access token, a `quotaExceeded` fills the local bucket).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::auth::OAuth;
use super::errors;
use super::limits::KIND;
use super::quota::{Bucket, QuotaTracker};
use super::settings::YoutubeSettings;
use crate::PublishError;
use crate::http::{self, Effect};

/// Where the time comes from: `Utc::now` in the daemon, a fixed instant in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub struct Api {
    pub http: reqwest::Client,
    pub settings: YoutubeSettings,
    pub oauth: OAuth,
    pub quota: QuotaTracker,
    pub clock: Clock,
    /// The account's uploads playlist id, asked once (see `reconcile`).
    pub uploads_playlist: tokio::sync::OnceCell<String>,
}

impl Api {
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Spend from a local bucket, or say until when it is empty.
    pub fn spend(&self, bucket: Bucket, what: &str) -> Result<(), PublishError> {
        self.spend_n(bucket, 1, what)
    }

    /// Spend `cost` from a local bucket (50 units for `videos.update`), or say until when too
    /// little is left.
    pub fn spend_n(&self, bucket: Bucket, cost: u32, what: &str) -> Result<(), PublishError> {
        self.quota
            .spend_n(bucket, cost, self.now())
            .map_err(|until| PublishError::QuotaExhausted {
                until,
                message: format!(
                    "{what}: today's YouTube quota counted by this process is used up \
                     ({}; youtube.quota in the settings)",
                    self.quota.summary(self.now())
                ),
            })
    }

    /// `GET {base_url}/youtube/v3/{method}?{query}`, one unit from the general bucket.
    pub async fn get<T: DeserializeOwned>(
        &self,
        what: &str,
        method: &str,
        query: &[(&str, &str)],
    ) -> Result<T, PublishError> {
        let token = self.oauth.access(self.now()).await?;
        self.spend(Bucket::Units, what)?;
        let url = format!(
            "{}/youtube/v3/{method}",
            self.settings.base_url.trim_end_matches('/')
        );
        let req = self
            .http
            .get(&url)
            .query(query)
            .bearer_auth(token.token.expose());
        let answer = http::exchange(KIND, what, req, Effect::Repeatable).await?;
        let (status, body) = (answer.status, answer.body);
        if !status.is_success() {
            return Err(self
                .failure(
                    what,
                    status,
                    &answer.headers,
                    &body,
                    Effect::Repeatable,
                    Bucket::Units,
                )
                .await);
        }
        serde_json::from_str(&body).map_err(|e| {
            PublishError::Transient(format!(
                "{what}: unexpected answer ({e}): {}",
                http::truncate(&body, 500)
            ))
        })
    }

    /// Classify a failed answer, and remember what it says about the token and the quota.
    pub async fn failure(
        &self,
        what: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &str,
        effect: Effect,
        bucket: Bucket,
    ) -> PublishError {
        let err = errors::classify(what, status, headers, body, effect, self.now());
        if status == StatusCode::UNAUTHORIZED {
            self.oauth.forget_access_token().await;
        }
        if errors::reasons(body).iter().any(|r| r == "quotaExceeded") {
            self.quota.exhaust(bucket, self.now());
        }
        err
    }
}
