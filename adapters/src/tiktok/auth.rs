//! The user access token, refreshed ahead of its expiry with TikTok's ROTATING refresh tokens:
//! every refresh returns a new refresh token and the old one stops working, so the new pair is
//! written to the token file (atomically, `TokenFile`) BEFORE the new access token is used.
//! One refresh at a time (a mutex): two concurrent refreshes with the same refresh token would
//! lose one of them.
//!
//! What must never happen here: a token in a log line or an error message; using a freshly
//! issued access token whose refresh token is not on disk.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::http;
use crate::tokens::{TokenFile, Tokens};
use crate::{PublishError, Secret};

/// Refresh this long before the access token expires (TikTok's tokens live 2 to 24 hours).
pub const REFRESH_AHEAD: Duration = Duration::from_secs(15 * 60);

pub struct Auth {
    pub http: reqwest::Client,
    pub token_url: String,
    pub client_key: String,
    pub client_secret: Secret,
    /// The refresh token from the settings: used when there is no token file, and tried when
    /// the file's one is refused (the operator re-authorised and pasted a new one).
    pub seed_refresh: Secret,
    pub file: TokenFile,
    pub rate_limit_wait: Duration,
    pub state: tokio::sync::Mutex<Cache>,
}

#[derive(Default)]
pub struct Cache {
    tokens: Option<Tokens>,
    loaded: bool,
    /// Rotated tokens that could not be written yet: saved before anything else is done.
    unsaved: bool,
    /// The scopes the last refresh granted (TikTok says them only then).
    pub scopes: Option<Vec<String>>,
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
    /// A usable access token, refreshing (and saving the rotated pair) when it is missing or
    /// about to expire.
    pub async fn access_token(&self) -> Result<Secret, PublishError> {
        let mut cache = self.state.lock().await;
        if !cache.loaded {
            cache.tokens = self.file.load().map_err(|e| {
                PublishError::Auth(format!(
                    "cannot read the TikTok token file {}: {e}",
                    self.file.path().display()
                ))
            })?;
            cache.loaded = true;
        }
        if cache.unsaved {
            self.save(&mut cache)?;
        }
        let ahead = chrono::Duration::from_std(REFRESH_AHEAD).unwrap_or_default();
        let fresh_until = Utc::now() + ahead;
        if let Some(t) = &cache.tokens
            && t.expires_at.is_some_and(|at| at > fresh_until)
        {
            return Ok(t.access_token.clone());
        }
        let current = cache.tokens.as_ref().and_then(|t| t.refresh_token.clone());
        let answer = match &current {
            Some(rt) => match self.refresh(rt).await {
                Err(PublishError::Auth(first)) if rt.expose() != self.seed_refresh.expose() => {
                    // The saved one is dead; the settings may hold a newer one.
                    self.refresh(&self.seed_refresh).await.map_err(|e| match e {
                        PublishError::Auth(second) => PublishError::Auth(format!(
                            "{first}; the refresh token in the settings was refused too: {second}"
                        )),
                        other => other,
                    })?
                }
                other => other?,
            },
            None => self.refresh(&self.seed_refresh).await?,
        };
        let now = Utc::now();
        let tokens = Tokens {
            access_token: Secret::new(answer.access_token.unwrap_or_default()),
            refresh_token: answer.refresh_token.map(Secret::new).or(current),
            expires_at: Some(now + chrono::Duration::seconds(answer.expires_in.unwrap_or(3600))),
            refresh_expires_at: answer
                .refresh_expires_in
                .map(|s| now + chrono::Duration::seconds(s)),
        };
        cache.scopes = answer
            .scope
            .map(|s| s.split(',').map(|p| p.trim().to_owned()).collect());
        cache.tokens = Some(tokens);
        cache.unsaved = true;
        // Saved before the new access token leaves this function.
        self.save(&mut cache)?;
        Ok(cache
            .tokens
            .as_ref()
            .map(|t| t.access_token.clone())
            .expect("just set"))
    }

    /// Forget the access token after TikTok called it invalid: the next call refreshes.
    pub async fn invalidate(&self) {
        let mut cache = self.state.lock().await;
        if let Some(t) = cache.tokens.as_mut() {
            t.expires_at = Some(DateTime::<Utc>::UNIX_EPOCH);
        }
    }

    pub async fn info(&self) -> TokenInfo {
        let cache = self.state.lock().await;
        TokenInfo {
            expires_at: cache.tokens.as_ref().and_then(|t| t.expires_at),
            refresh_expires_at: cache.tokens.as_ref().and_then(|t| t.refresh_expires_at),
            scopes: cache.scopes.clone(),
        }
    }

    fn save(&self, cache: &mut Cache) -> Result<(), PublishError> {
        let Some(tokens) = &cache.tokens else {
            return Ok(());
        };
        self.file.save(tokens).map_err(|e| {
            PublishError::Transient(format!(
                "TikTok rotated the refresh token but it cannot be saved to {}: {e}; \
                 it is kept in memory and saved before the next call",
                self.file.path().display()
            ))
        })?;
        cache.unsaved = false;
        Ok(())
    }

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
