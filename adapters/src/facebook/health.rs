//! The health check behind `prakat channels check`: is the Page token valid and for which
//! Page, when does it expire (`expires_at`, 0 = never), which permissions are missing, and how
//! much of the rate limit is used — in one line.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::Facebook;
use super::client::Failure;
use super::errors::usage_summary;
use crate::{Health, PublishError};

/// Permissions the channel needs: posting, reading its posts back (reconcile), insights.
pub const REQUIRED_PERMISSIONS: &[&str] = &[
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_read_user_content",
    "read_insights",
];

/// Needed in addition when videos are uploaded.
pub const VIDEO_PERMISSION: &str = "publish_video";

#[derive(Deserialize)]
struct Debug {
    data: TokenInfo,
}

#[derive(Deserialize)]
struct TokenInfo {
    #[serde(default)]
    is_valid: bool,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    expires_at: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Permissions {
    #[serde(default)]
    data: Vec<Permission>,
}

#[derive(Deserialize)]
struct Permission {
    permission: String,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize)]
struct Page {
    id: String,
    #[serde(default)]
    name: Option<String>,
}

impl Facebook {
    pub(super) async fn check(&self) -> Result<Health, PublishError> {
        let (kind, expires_at, granted) = self.token_info().await?;
        let url = self.graph.url(&self.settings.page_id);
        let reply = self
            .graph
            .get("read the Page", &url, &[("fields", "id,name")])
            .await?;
        let page: Page = reply.json("read the Page")?;
        let mut needed: Vec<&str> = REQUIRED_PERMISSIONS.to_vec();
        if self.settings.app_id.is_some() {
            needed.push(VIDEO_PERMISSION);
        }
        let missing: Vec<String> = needed
            .into_iter()
            .filter(|p| !granted.iter().any(|g| g == p))
            .map(str::to_owned)
            .collect();
        let name = page.name.as_deref().unwrap_or("(no name)");
        let mut summary = format!("facebook: Page {name} ({}) reachable, token valid", page.id);
        if let Some(kind) = kind {
            summary.push_str(&format!(" ({kind})"));
        }
        let token_expires_at = match expires_at {
            Some(0) => {
                summary.push_str(", never expires");
                None
            }
            Some(t) => DateTime::<Utc>::from_timestamp(t, 0),
            None => None,
        };
        Ok(Health {
            summary,
            token_expires_at,
            missing_permissions: missing,
            quota: usage_summary(&reply.headers),
        })
    }

    /// The token's type, expiry and granted scopes: from `debug_token`, or, if Facebook will
    /// not debug this token, the granted entries of `/me/permissions` (expiry unknown).
    async fn token_info(&self) -> Result<(Option<String>, Option<i64>, Vec<String>), PublishError> {
        let url = self.graph.url("debug_token");
        let token = self.settings.page_access_token.expose();
        match self
            .graph
            .get("check the token", &url, &[("input_token", token)])
            .await
        {
            Ok(reply) => {
                let info = reply.json::<Debug>("check the token")?.data;
                if !info.is_valid {
                    let why = info
                        .error
                        .as_ref()
                        .and_then(|e| e.get("message"))
                        .and_then(|m| m.as_str())
                        .unwrap_or("debug_token says is_valid=false");
                    return Err(PublishError::Auth(format!(
                        "the Facebook Page token is not valid: {why}"
                    )));
                }
                Ok((info.kind, info.expires_at, info.scopes))
            }
            Err(Failure {
                error: e @ PublishError::Auth(_),
                ..
            }) => Err(e),
            Err(_) => {
                let url = self.graph.url("me/permissions");
                let reply = self
                    .graph
                    .get("read the token's permissions", &url, &[])
                    .await?;
                let perms: Permissions = reply.json("read the token's permissions")?;
                let granted = perms
                    .data
                    .into_iter()
                    .filter(|p| p.status == "granted")
                    .map(|p| p.permission)
                    .collect();
                Ok((None, None, granted))
            }
        }
    }
}
