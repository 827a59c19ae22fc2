//! Google OAuth for the youtube channel: Google's token endpoint as a [`Grant`] of the shared
//! [`Refresher`] (`crate::oauth`), which refreshes the access token ahead of its expiry, saves a
//! rotated refresh token before the access token is used, and serialises refreshes within and
//! across processes.
//!
//! Which refresh token is used: the token file's, once there is one (it may be a rotated one);
//! if Google calls it `invalid_grant` and the settings hold a different one (a person signed in
//! again and put the new token in the settings), that one is tried once before giving up.
//! Never logged: any token, the client secret.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use super::errors::DEFAULT_RETRY_AFTER;
use super::limits::KIND;
use crate::http::{self, Effect};
use crate::oauth::{Grant, GrantError, Granted, Refresher};
use crate::tokens::TokenFile;
use crate::{PublishError, Secret};

pub use crate::oauth::Access;

pub struct OAuth {
    endpoint: Endpoint,
    refresher: Refresher,
}

/// Google's token endpoint.
struct Endpoint {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: Secret,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

#[derive(Deserialize, Default)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

impl OAuth {
    pub fn new(http: reqwest::Client, settings: &super::YoutubeSettings, file: TokenFile) -> OAuth {
        OAuth {
            endpoint: Endpoint {
                http,
                token_url: settings.token_url.clone(),
                client_id: settings.client_id.clone(),
                client_secret: settings.client_secret.clone(),
            },
            refresher: Refresher::new(
                KIND,
                file,
                settings.refresh_token.clone(),
                TimeDelta::seconds(settings.refresh_ahead_secs.min(86_400) as i64),
            ),
        }
    }

    /// A token valid for at least the refresh margin, refreshing it if needed.
    pub async fn access(&self, now: DateTime<Utc>) -> Result<Access, PublishError> {
        self.refresher.access(&self.endpoint, now).await
    }

    /// Refresh now whatever the expiry (the health check proves the refresh token works), and
    /// say which scopes Google granted.
    pub async fn refresh_now(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Access, Option<String>), PublishError> {
        self.refresher.refresh_now(&self.endpoint, now).await
    }

    /// Google refused the access token (401): forget it so the next call refreshes.
    pub async fn forget_access_token(&self) {
        self.refresher.forget_access_token().await;
    }
}

#[async_trait]
impl Grant for Endpoint {
    async fn grant(&self, refresh_token: &Secret) -> Result<Granted, GrantError> {
        let a = self.exchange(refresh_token).await?;
        Ok(Granted {
            access_token: a.access_token,
            expires_in: a.expires_in,
            refresh_token: a.refresh_token,
            refresh_expires_in: None,
            scope: a.scope,
        })
    }

    fn refused(&self, said: String) -> PublishError {
        PublishError::Auth(format!(
            "the refresh token was revoked or has expired: sign in again and put the new \
             refresh token in youtube.refresh_token (Google: {said})"
        ))
    }
}

impl Endpoint {
    async fn exchange(&self, refresh_token: &Secret) -> Result<TokenAnswer, GrantError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("refresh_token", refresh_token.expose()),
        ];
        let req = self.http.post(&self.token_url).form(&form);
        let answer = http::exchange(
            KIND,
            "refreshing the YouTube access token",
            req,
            Effect::Repeatable,
        )
        .await
        .map_err(GrantError::Other)?;
        let (status, headers, body) = (answer.status, &answer.headers, &answer.body);
        if status.is_success() {
            return serde_json::from_str::<TokenAnswer>(body).map_err(|e| {
                GrantError::Other(PublishError::Transient(format!(
                    "the token endpoint answered without an access token: {e}"
                )))
            });
        }
        let err: TokenError = serde_json::from_str(body).unwrap_or_default();
        let said = format!(
            "HTTP {status}: {} {}",
            err.error,
            if err.error_description.is_empty() {
                http::truncate(body, 500)
            } else {
                &err.error_description
            }
        );
        let said = http::scrub(&said);
        Err(match err.error.as_str() {
            "invalid_grant" => GrantError::Refused(said),
            "invalid_client" | "unauthorized_client" => {
                GrantError::Other(PublishError::Auth(format!(
                    "Google refused the OAuth client (youtube.client_id / client_secret): {said}"
                )))
            }
            _ if status.as_u16() == 429 || http::may_have_applied(status) => {
                GrantError::Other(http::status_error(
                    status,
                    headers,
                    Effect::Repeatable,
                    DEFAULT_RETRY_AFTER,
                    format!("refreshing the YouTube access token: {said}"),
                ))
            }
            _ => GrantError::Other(PublishError::Auth(format!(
                "refreshing the YouTube access token: {said}"
            ))),
        })
    }
}
