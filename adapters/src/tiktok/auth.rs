//! The user access token, refreshed ahead of its expiry with TikTok's ROTATING refresh tokens:
//! every refresh returns a new refresh token and the old one stops working. TikTok's token
//! endpoint is a [`Grant`] of the shared [`Refresher`] (`crate::oauth`), which saves the new
//! pair to the token file before the new access token is used, keeps it in memory when saving
//! fails, and lets one refresh run at a time within the process and across processes (a CLI
//! command and the daemon).
//!
//! What must never happen here: a token in a log line or an error message; using a freshly
//! issued access token whose refresh token is not on disk.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::http;
use crate::oauth::{Grant, GrantError, Granted, Refresher};
use crate::tokens::TokenFile;
use crate::{PublishError, Secret};

/// Refresh this long before the access token expires (TikTok's tokens live 2 to 24 hours).
pub const REFRESH_AHEAD: Duration = Duration::from_secs(15 * 60);

pub struct Auth {
    endpoint: Endpoint,
    refresher: Refresher,
}

/// TikTok's token endpoint.
pub struct Endpoint {
    pub http: reqwest::Client,
    pub token_url: String,
    pub client_key: String,
    pub client_secret: Secret,
    pub rate_limit_wait: Duration,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<i64>,
    refresh_token: Option<String>,
    refresh_expires_in: Option<i64>,
    scope: Option<String>,
    #[serde(default)]
    error: Option<Value>,
    error_description: Option<String>,
}

/// What the health check reports about the tokens.
pub struct TokenInfo {
    pub expires_at: Option<DateTime<Utc>>,
    pub refresh_expires_at: Option<DateTime<Utc>>,
    pub scopes: Option<Vec<String>>,
}

impl Auth {
    /// `seed_refresh` is the refresh token from the settings: used when there is no token
    /// file, and tried when the file's one is refused (the operator re-authorised).
    pub fn new(endpoint: Endpoint, seed_refresh: Secret, file: TokenFile) -> Auth {
        Auth {
            endpoint,
            refresher: Refresher::new(
                "tiktok",
                file,
                seed_refresh,
                TimeDelta::from_std(REFRESH_AHEAD).unwrap_or_default(),
            ),
        }
    }

    /// A usable access token, refreshing (and saving the rotated pair) when it is missing or
    /// about to expire.
    pub async fn access_token(&self) -> Result<Secret, PublishError> {
        let a = self.refresher.access(&self.endpoint, Utc::now()).await?;
        Ok(a.token)
    }

    /// Forget the access token after TikTok called it invalid: the next call refreshes.
    pub async fn invalidate(&self) {
        self.refresher.forget_access_token().await;
    }

    pub async fn info(&self) -> TokenInfo {
        let (tokens, scope) = self.refresher.snapshot().await;
        TokenInfo {
            expires_at: tokens.as_ref().and_then(|t| t.expires_at),
            refresh_expires_at: tokens.as_ref().and_then(|t| t.refresh_expires_at),
            scopes: scope.map(|s| s.split(',').map(|p| p.trim().to_owned()).collect()),
        }
    }
}

#[async_trait]
impl Grant for Endpoint {
    async fn grant(&self, refresh_token: &Secret) -> Result<Granted, GrantError> {
        match self.refresh(refresh_token).await {
            Ok(a) => Ok(Granted {
                access_token: a.access_token.unwrap_or_default(),
                // TikTok always says; an hour if it ever does not.
                expires_in: Some(a.expires_in.unwrap_or(3600)),
                refresh_token: a.refresh_token,
                refresh_expires_in: a.refresh_expires_in,
                scope: a.scope,
            }),
            Err(PublishError::Auth(said)) => Err(GrantError::Refused(said)),
            Err(e) => Err(GrantError::Other(e)),
        }
    }

    fn refused(&self, said: String) -> PublishError {
        PublishError::Auth(said)
    }
}

impl Endpoint {
    async fn refresh(&self, refresh_token: &Secret) -> Result<TokenAnswer, PublishError> {
        let what = "TikTok token refresh";
        let req = self
            .http
            .post(&self.token_url)
            .header("Cache-Control", "no-cache")
            .form(&[
                ("client_key", self.client_key.as_str()),
                ("client_secret", self.client_secret.expose()),
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ]);
        let reply = http::exchange("tiktok", what, req, http::Effect::Repeatable).await?;
        let (status, text) = (reply.status, &reply.body);
        let answer: Option<TokenAnswer> = serde_json::from_str(text).ok();
        let (code, description) = match answer.as_ref().and_then(|a| a.error.as_ref()) {
            Some(Value::String(c)) => (
                c.clone(),
                answer.as_ref().and_then(|a| a.error_description.clone()),
            ),
            Some(Value::Object(o)) => (
                o.get("code")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                o.get("message").and_then(Value::as_str).map(str::to_owned),
            ),
            _ => (String::new(), None),
        };
        let ok_code = code.is_empty() || code == "ok";
        match answer {
            Some(a) if status.is_success() && ok_code && a.access_token.is_some() => Ok(a),
            _ if code == "rate_limit_exceeded" => Err(PublishError::RetryAfter(
                http::retry_after(&reply.headers, chrono::Utc::now())
                    .unwrap_or(self.rate_limit_wait),
                http::scrub(&format!(
                    "{what}: rate limited: {}",
                    http::truncate(text, 300)
                )),
            )),
            _ if status.as_u16() == 429 || http::may_have_applied(status) => Err(http::fallback(
                what,
                &reply,
                http::Effect::Repeatable,
                self.rate_limit_wait,
            )),
            _ => Err(PublishError::Auth(format!(
                "{what}: HTTP {} {}: {} — authorise prakat on TikTok again and put the new \
                 refresh token in the settings",
                status.as_u16(),
                if code.is_empty() { "-" } else { &code },
                http::scrub(&description.unwrap_or_else(|| http::truncate(text, 300).to_owned())),
            ))),
        }
    }
}
