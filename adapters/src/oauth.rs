//! One async OAuth refresher for rotating refresh tokens (YouTube, TikTok). Each platform says
//! only how one refresh request is made and answered ([`Grant`]); the rules live here:
//!
//! - a rotated refresh token is saved (atomically, directory fsynced: [`TokenFile::save`])
//!   before the new access token is used;
//! - when saving fails the new tokens are kept in memory, never dropped, and saved before
//!   anything else is done (the call fails `Transient` until then);
//! - refreshes are serialised within the process (a mutex) and across processes (an advisory
//!   lock on the token file, [`TokenFile::lock`]): a CLI command and the daemon refreshing at
//!   once cannot both spend one rotating refresh token;
//! - under that lock the file is read again first: a token another process refreshed is used
//!   as it is, and its refresh token is the one sent;
//! - a refused refresh token is followed by the one in the settings (a person signed in again),
//!   if it differs.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};

use crate::tokens::{TokenFile, Tokens};
use crate::{PublishError, Secret};

/// What a token endpoint granted.
#[derive(Debug, Default)]
pub struct Granted {
    pub access_token: String,
    pub expires_in: Option<i64>,
    /// A new refresh token, when the platform rotates it.
    pub refresh_token: Option<String>,
    pub refresh_expires_in: Option<i64>,
    pub scope: Option<String>,
}

/// Why a refresh failed.
#[derive(Debug)]
pub enum GrantError {
    /// The refresh token itself was refused (`invalid_grant`): another one may still work.
    Refused(String),
    /// Anything else (the client is refused, rate limits, the network).
    Other(PublishError),
}

/// One platform's token endpoint.
#[async_trait]
pub trait Grant: Send + Sync {
    /// Exchange a refresh token for an access token.
    async fn grant(&self, refresh_token: &Secret) -> Result<Granted, GrantError>;

    /// The error when every refresh token was refused (`said` is what the platform said).
    fn refused(&self, said: String) -> PublishError;
}

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
    /// Tokens not on disk yet: saved before anything else is done.
    unsaved: bool,
    /// The scopes the last refresh by this process granted.
    scope: Option<String>,
}

/// The refresher of one account's tokens.
pub struct Refresher {
    channel: &'static str,
    file: TokenFile,
    /// The refresh token in the settings: used while there is no token file, and tried when
    /// the file's is refused.
    seed: Secret,
    /// Refresh this long before the access token expires.
    ahead: TimeDelta,
    state: tokio::sync::Mutex<State>,
}

impl Refresher {
    pub fn new(channel: &'static str, file: TokenFile, seed: Secret, ahead: TimeDelta) -> Self {
        Refresher {
            channel,
            file,
            seed,
            ahead,
            state: tokio::sync::Mutex::default(),
        }
    }

    /// An access token valid for at least the margin, refreshed (and saved) if needed.
    pub async fn access(
        &self,
        grant: &dyn Grant,
        now: DateTime<Utc>,
    ) -> Result<Access, PublishError> {
        let mut st = self.state.lock().await;
        self.prepare(&mut st).await?;
        if let Some(a) = self.fresh(&st, now) {
            return Ok(a);
        }
        self.refresh(&mut st, grant, now, false).await
    }

    /// Refresh whatever the expiry (the health check proves the refresh token works); the
    /// scopes granted, if the platform said.
    pub async fn refresh_now(
        &self,
        grant: &dyn Grant,
        now: DateTime<Utc>,
    ) -> Result<(Access, Option<String>), PublishError> {
        let mut st = self.state.lock().await;
        self.prepare(&mut st).await?;
        let a = self.refresh(&mut st, grant, now, true).await?;
        Ok((a, st.scope.clone()))
    }

    /// The platform refused the access token: the next call refreshes.
    pub async fn forget_access_token(&self) {
        if let Some(t) = &mut self.state.lock().await.tokens {
            t.expires_at = None;
        }
    }

    /// The tokens in memory and the last granted scopes (for the health check).
    pub async fn snapshot(&self) -> (Option<Tokens>, Option<String>) {
        let st = self.state.lock().await;
        (st.tokens.clone(), st.scope.clone())
    }

    /// Load the file once; save what an earlier failure left unsaved.
    async fn prepare(&self, st: &mut State) -> Result<(), PublishError> {
        if !st.loaded {
            st.tokens = self.read().await?;
            st.loaded = true;
        }
        if st.unsaved {
            let _lock = self.lock().await?;
            self.write(st).await?;
        }
        Ok(())
    }

    fn fresh(&self, st: &State, now: DateTime<Utc>) -> Option<Access> {
        let t = st.tokens.as_ref()?;
        let at = t.expires_at?;
        at.checked_sub_signed(self.ahead)
            .is_some_and(|fresh_until| fresh_until > now)
            .then(|| Access {
                token: t.access_token.clone(),
                expires_at: Some(at),
            })
    }

    async fn refresh(
        &self,
        st: &mut State,
        grant: &dyn Grant,
        now: DateTime<Utc>,
        force: bool,
    ) -> Result<Access, PublishError> {
        let _lock = self.lock().await?;
        // Another process may have refreshed while we waited: its tokens are the current ones.
        if let Some(on_disk) = self.read().await? {
            let newer = st.tokens.as_ref().is_none_or(|t| {
                t.refresh_token.as_ref().map(Secret::expose)
                    != on_disk.refresh_token.as_ref().map(Secret::expose)
                    || t.access_token.expose() != on_disk.access_token.expose()
            });
            if newer {
                st.tokens = Some(on_disk);
                if !force && let Some(a) = self.fresh(st, now) {
                    return Ok(a);
                }
            }
        }
        let saved = st.tokens.as_ref().and_then(|t| t.refresh_token.clone());
        let mut candidates = Vec::new();
        candidates.extend(saved.clone());
        if saved
            .as_ref()
            .is_none_or(|s| s.expose() != self.seed.expose())
        {
            candidates.push(self.seed.clone());
        }
        let mut refused = Vec::new();
        for candidate in candidates {
            match grant.grant(&candidate).await {
                Ok(g) => {
                    let tokens = Tokens {
                        access_token: Secret::new(g.access_token),
                        refresh_token: Some(g.refresh_token.map(Secret::new).unwrap_or(candidate)),
                        expires_at: g
                            .expires_in
                            .map(|s| now + TimeDelta::seconds(s.clamp(0, 10 * 86_400))),
                        refresh_expires_at: g
                            .refresh_expires_in
                            .map(|s| now + TimeDelta::seconds(s.max(0))),
                    };
                    if g.scope.is_some() {
                        st.scope = g.scope;
                    }
                    let access = Access {
                        token: tokens.access_token.clone(),
                        expires_at: tokens.expires_at,
                    };
                    st.tokens = Some(tokens);
                    st.unsaved = true;
                    // Saved before the new access token leaves this function.
                    self.write(st).await?;
                    return Ok(access);
                }
                Err(GrantError::Refused(said)) => {
                    tracing::warn!(
                        channel = self.channel,
                        "a refresh token was refused; trying the next one if any"
                    );
                    refused.push(said);
                }
                Err(GrantError::Other(e)) => return Err(e),
            }
        }
        Err(grant.refused(refused.join("; then the refresh token in the settings: ")))
    }

    /// The token file's tokens. An unreadable file is set aside: the settings' refresh token is
    /// tried (a refusal then asks a person to sign in again).
    async fn read(&self) -> Result<Option<Tokens>, PublishError> {
        let file = self.file.clone();
        let loaded = tokio::task::spawn_blocking(move || file.load())
            .await
            .map_err(|e| PublishError::Transient(format!("reading the token file: {e}")))?;
        match loaded {
            Ok(t) => Ok(t),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                tracing::warn!(channel = self.channel, path = %self.file.path().display(), error = %e,
                    "unreadable token file: starting again from the settings' refresh token");
                Ok(None)
            }
            Err(e) => Err(PublishError::Transient(format!(
                "cannot read {}: {e}",
                self.file.path().display()
            ))),
        }
    }

    /// Save the tokens in memory; on failure they stay in memory, marked unsaved.
    async fn write(&self, st: &mut State) -> Result<(), PublishError> {
        let Some(tokens) = st.tokens.clone() else {
            st.unsaved = false;
            return Ok(());
        };
        let file = self.file.clone();
        let saved = tokio::task::spawn_blocking(move || file.save(&tokens))
            .await
            .map_err(|e| PublishError::Transient(format!("saving the tokens: {e}")))?;
        saved.map_err(|e| {
            PublishError::Transient(format!(
                "the {} tokens cannot be saved to {}: {e}; they are kept in memory and saved \
                 before the next call",
                self.channel,
                self.file.path().display()
            ))
        })?;
        st.unsaved = false;
        Ok(())
    }

    async fn lock(&self) -> Result<std::fs::File, PublishError> {
        let file = self.file.clone();
        tokio::task::spawn_blocking(move || file.lock())
            .await
            .map_err(|e| PublishError::Transient(format!("locking the token file: {e}")))?
            .map_err(|e| {
                PublishError::Transient(format!(
                    "cannot lock the token file {}: {e}",
                    self.file.path().display()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A token endpoint with a rotating refresh token: each grant spends the current one.
    struct Rotating {
        current: Mutex<String>,
        grants: AtomicUsize,
    }

    #[async_trait]
    impl Grant for Rotating {
        async fn grant(&self, refresh_token: &Secret) -> Result<Granted, GrantError> {
            // Slow enough for a second refresh to start meanwhile.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let mut current = self.current.lock().unwrap();
            if refresh_token.expose() != *current {
                return Err(GrantError::Refused("invalid_grant".into()));
            }
            let n = self.grants.fetch_add(1, Ordering::SeqCst) + 1;
            *current = format!("rt{n}");
            Ok(Granted {
                access_token: format!("at{n}"),
                expires_in: Some(3600),
                refresh_token: Some(format!("rt{n}")),
                ..Granted::default()
            })
        }

        fn refused(&self, said: String) -> PublishError {
            PublishError::Auth(said)
        }
    }

    #[tokio::test]
    async fn two_processes_refreshing_at_once_spend_the_rotating_token_once() {
        let dir = tempfile::tempdir().unwrap();
        let endpoint = Rotating {
            current: Mutex::new("rt0".into()),
            grants: AtomicUsize::new(0),
        };
        // Two refreshers on one token file: the daemon and a CLI command.
        let make = || {
            Refresher::new(
                "tiktok",
                TokenFile::new(dir.path(), "tiktok"),
                Secret::new("rt0"),
                TimeDelta::minutes(15),
            )
        };
        let (daemon, cli) = (make(), make());
        let now = Utc::now();
        let (a, b) = tokio::join!(daemon.access(&endpoint, now), cli.access(&endpoint, now));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(endpoint.grants.load(Ordering::SeqCst), 1, "one refresh");
        assert_eq!(a.token.expose(), "at1");
        assert_eq!(
            b.token.expose(),
            "at1",
            "the other process used the saved token"
        );
        let saved = TokenFile::new(dir.path(), "tiktok")
            .load()
            .unwrap()
            .unwrap();
        assert_eq!(saved.refresh_token.unwrap().expose(), "rt1");

        // A forced refresh later rotates again, and the other process follows the file.
        let (forced, _) = daemon.refresh_now(&endpoint, now).await.unwrap();
        assert_eq!(forced.token.expose(), "at2");
        cli.forget_access_token().await;
        let again = cli.access(&endpoint, now).await.unwrap();
        assert_eq!(
            again.token.expose(),
            "at2",
            "read from the file, no refresh"
        );
        assert_eq!(endpoint.grants.load(Ordering::SeqCst), 2);
    }
}
