//! Google OAuth for the youtube channel: an access token refreshed ahead of its expiry from the
//! refresh token, both kept in the channel's [`TokenFile`]. When Google answers with a new
//! refresh token it is saved (atomically, with the access token) before the access token is
//! used, so a rotation is never lost.
//!
//! Which refresh token is used: the token file's, once there is one (it may be a rotated one);
//! if Google calls it `invalid_grant` and the settings hold a different one (a person signed in
//! again and put the new token in the settings), that one is tried once before giving up.
//! Never logged: any token, the client secret.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use super::errors::DEFAULT_RETRY_AFTER;
use super::limits::KIND;
use crate::http::{self, Effect};
use crate::tokens::{TokenFile, Tokens};
use crate::{PublishError, Secret};

/// The access token to send, and when it expires.
#[derive(Debug, Clone)]
pub struct Access {
    pub token: Secret,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct State {
    loaded: bool,
    tokens: Option<Tokens>,
    /// The scopes Google granted, from the last refresh by this process.
    scope: Option<String>,
}

pub struct OAuth {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    initial_refresh_token: Secret,
    ahead: TimeDelta,
    file: TokenFile,
    state: tokio::sync::Mutex<State>,
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
            http,
            token_url: settings.token_url.clone(),
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.clone(),
            initial_refresh_token: settings.refresh_token.clone(),
            ahead: TimeDelta::seconds(settings.refresh_ahead_secs.min(86_400) as i64),
            file,
            state: tokio::sync::Mutex::new(State::default()),
        }
    }

    /// A token valid for at least the refresh margin, refreshing it if needed.
    pub async fn access(&self, now: DateTime<Utc>) -> Result<Access, PublishError> {
        let mut st = self.state.lock().await;
        self.load(&mut st).await?;
        if let Some(t) = &st.tokens
            && let Some(at) = t.expires_at
            && at
                .checked_sub_signed(self.ahead)
                .is_some_and(|fresh_until| fresh_until > now)
        {
            return Ok(Access {
                token: t.access_token.clone(),
                expires_at: Some(at),
            });
        }
        self.refresh(&mut st, now).await
    }

    /// Refresh now whatever the expiry (the health check proves the refresh token works), and
    /// say which scopes Google granted.
    pub async fn refresh_now(
        &self,
        now: DateTime<Utc>,
    ) -> Result<(Access, Option<String>), PublishError> {
        let mut st = self.state.lock().await;
        self.load(&mut st).await?;
        let access = self.refresh(&mut st, now).await?;
        Ok((access, st.scope.clone()))
    }

    /// Google refused the access token (401): forget it so the next call refreshes.
    pub async fn forget_access_token(&self) {
        let mut st = self.state.lock().await;
        if let Some(t) = &mut st.tokens {
            t.expires_at = None;
        }
    }

    async fn load(&self, st: &mut State) -> Result<(), PublishError> {
        if st.loaded {
            return Ok(());
        }
        let file = self.file.clone();
        let loaded = tokio::task::spawn_blocking(move || file.load())
            .await
            .map_err(|e| PublishError::Transient(format!("reading the token file: {e}")))?;
        st.tokens = match loaded {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                tracing::warn!(channel = KIND, path = %self.file.path().display(), error = %e,
                    "unreadable token file: starting again from the settings' refresh token");
                None
            }
            Err(e) => {
                return Err(PublishError::Transient(format!(
                    "cannot read {}: {e}",
                    self.file.path().display()
                )));
            }
        };
        st.loaded = true;
        Ok(())
    }

    async fn refresh(&self, st: &mut State, now: DateTime<Utc>) -> Result<Access, PublishError> {
        let saved = st.tokens.as_ref().and_then(|t| t.refresh_token.clone());
        let first = saved
            .clone()
            .unwrap_or_else(|| self.initial_refresh_token.clone());
        let answer = match self.exchange(&first).await {
            Err(Refused::InvalidGrant(msg))
                if saved.is_some() && first.expose() != self.initial_refresh_token.expose() =>
            {
                tracing::warn!(
                    channel = KIND,
                    "the saved refresh token was refused: trying the one in the settings"
                );
                let initial = self.initial_refresh_token.clone();
                match self.exchange(&initial).await {
                    Ok(a) => Ok((a, initial)),
                    Err(Refused::InvalidGrant(_)) => Err(Refused::InvalidGrant(msg)),
                    Err(e) => Err(e),
                }
            }
            other => other.map(|a| (a, first)),
        };
        let (answer, used) = answer.map_err(Refused::into_error)?;
        let expires_at = answer
            .expires_in
            .map(|s| now + TimeDelta::seconds(s.clamp(0, 10 * 86_400)));
        let tokens = Tokens {
            access_token: Secret::new(answer.access_token),
            refresh_token: Some(answer.refresh_token.map(Secret::new).unwrap_or(used)),
            expires_at,
            refresh_expires_at: None,
        };
        // Saved before use: a rotated refresh token must survive whatever happens next.
        let file = self.file.clone();
        let to_save = tokens.clone();
        tokio::task::spawn_blocking(move || file.save(&to_save))
            .await
            .map_err(|e| PublishError::Transient(format!("saving the tokens: {e}")))?
            .map_err(|e| {
                PublishError::Transient(format!(
                    "cannot save the YouTube tokens to {}: {e}",
                    self.file.path().display()
                ))
            })?;
        let access = Access {
            token: tokens.access_token.clone(),
            expires_at,
        };
        st.tokens = Some(tokens);
        st.scope = answer.scope;
        Ok(access)
    }

    async fn exchange(&self, refresh_token: &Secret) -> Result<TokenAnswer, Refused> {
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
        .map_err(Refused::Other)?;
        let (status, headers, body) = (answer.status, &answer.headers, &answer.body);
        if status.is_success() {
            return serde_json::from_str::<TokenAnswer>(body).map_err(|e| {
                Refused::Other(PublishError::Transient(format!(
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
            "invalid_grant" => Refused::InvalidGrant(said),
            "invalid_client" | "unauthorized_client" => {
                Refused::Other(PublishError::Auth(format!(
                    "Google refused the OAuth client (youtube.client_id / client_secret): {said}"
                )))
            }
            _ if status.as_u16() == 429 || http::may_have_applied(status) => {
                Refused::Other(http::status_error(
                    status,
                    headers,
                    Effect::Repeatable,
                    DEFAULT_RETRY_AFTER,
                    format!("refreshing the YouTube access token: {said}"),
                ))
            }
            _ => Refused::Other(PublishError::Auth(format!(
                "refreshing the YouTube access token: {said}"
            ))),
        })
    }
}

enum Refused {
    InvalidGrant(String),
    Other(PublishError),
}

impl Refused {
    fn into_error(self) -> PublishError {
        match self {
            Refused::InvalidGrant(said) => PublishError::Auth(format!(
                "the refresh token was revoked or has expired: sign in again and put the new \
                 refresh token in youtube.refresh_token (Google: {said})"
            )),
            Refused::Other(e) => e,
        }
    }
}
