//! The channel's health line: the refresh token works (a refresh is made), the channel it
//! reaches (`channels?part=snippet&mine=true`), the scopes Google granted against the ones the
//! channel needs, when the access token expires, and the quota this process counted today.

use serde::Deserialize;

use super::client::Api;
use crate::{Health, PublishError};

/// Scopes that allow uploading, and scopes that allow reading the channel (reconcile, reach).
const UPLOAD_SCOPES: &[&str] = &["youtube.upload", "youtube", "youtube.force-ssl"];
const READ_SCOPES: &[&str] = &["youtube.readonly", "youtube", "youtube.force-ssl"];
const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    items: Vec<Channel>,
}

#[derive(Deserialize)]
struct Channel {
    id: String,
    snippet: Snippet,
}

#[derive(Deserialize)]
struct Snippet {
    #[serde(default)]
    title: String,
}

/// Which needed permissions the granted `scope` string lacks.
pub fn missing_scopes(scope: &str) -> Vec<String> {
    let granted: Vec<&str> = scope
        .split_whitespace()
        .map(|s| s.strip_prefix(SCOPE_PREFIX).unwrap_or(s))
        .collect();
    let mut missing = Vec::new();
    for (needed, name) in [
        (UPLOAD_SCOPES, "youtube.upload"),
        (READ_SCOPES, "youtube.readonly"),
    ] {
        if !needed.iter().any(|s| granted.contains(s)) {
            missing.push(format!("{SCOPE_PREFIX}{name}"));
        }
    }
    missing
}

pub async fn check(api: &Api) -> Result<Health, PublishError> {
    let (access, scope) = api.oauth.refresh_now(api.now()).await?;
    let list: List = api
        .get(
            "reading the YouTube channel",
            "channels",
            &[("part", "snippet"), ("mine", "true")],
        )
        .await?;
    let Some(channel) = list.items.into_iter().next() else {
        return Err(PublishError::Auth(
            "the signed-in Google account has no YouTube channel".into(),
        ));
    };
    Ok(Health {
        summary: format!(
            "YouTube channel «{}» ({}): token OK{}",
            channel.snippet.title,
            channel.id,
            access
                .expires_at
                .map(|at| format!(
                    " (access token renews itself; current one until {})",
                    at.format("%Y-%m-%d %H:%M UTC")
                ))
                .unwrap_or_default()
        ),
        // Google refresh tokens have no fixed end: nothing for a person to renew on a date.
        token_expires_at: None,
        missing_permissions: scope.as_deref().map(missing_scopes).unwrap_or_default(),
        quota: Some(api.quota.summary(api.now())),
    })
}
