//! `prakat channels check` for TikTok: the token works (refreshing it if due), whose account it
//! is, which privacy levels TikTok offers, whether the app is unaudited, and which scopes are
//! missing (known after a refresh: TikTok reports scopes only then).

use super::Tiktok;
use super::creator::is_unaudited;
use super::errors::UNAUDITED;
use crate::{Health, PublishError};

/// The scopes this channel uses: posting, and reading views for reach.
pub const SCOPES: &[&str] = &["video.publish", "video.list"];

pub async fn healthcheck(ch: &Tiktok) -> Result<Health, PublishError> {
    let token = ch.auth.access_token().await?;
    let creator = match ch.api.creator_info(&token).await {
        Ok(a) => a.data,
        Err(e) => {
            if matches!(e, PublishError::Auth(_)) {
                ch.auth.invalidate().await;
            }
            return Err(e);
        }
    };
    let info = ch.auth.info().await;
    let options = &creator.privacy_level_options;
    let mut summary = format!(
        "tiktok: @{} ({}) can post; privacy options: {}",
        creator.creator_username.as_deref().unwrap_or("?"),
        creator.creator_nickname.as_deref().unwrap_or("?"),
        if options.is_empty() {
            "none".to_owned()
        } else {
            options.join(", ")
        },
    );
    if let Some(max) = creator.max_video_post_duration_sec {
        summary.push_str(&format!("; videos up to {max} s"));
    }
    let unaudited = is_unaudited(options);
    if unaudited {
        summary.push_str(&format!("; {UNAUDITED}"));
        if !ch.settings.post_when_unaudited && ch.settings.privacy_level.is_none() {
            summary.push_str(" (post_when_unaudited = false: every post is refused)");
        }
    }
    if let Some(p) = ch.settings.privacy_level
        && !options.iter().any(|o| o == p.as_str())
    {
        summary.push_str(&format!(
            "; privacy_level {} is not offered: every post is refused",
            p.as_str()
        ));
    }
    if let Some(at) = info.expires_at {
        summary.push_str(&format!(
            "; access token renews itself (current one until {})",
            at.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    let missing_permissions = info
        .scopes
        .map(|have| {
            SCOPES
                .iter()
                .filter(|s| !have.iter().any(|h| h == *s))
                .map(|s| s.to_string())
                .collect()
        })
        .unwrap_or_default();
    Ok(Health {
        summary,
        // The access token renews itself; the refresh token's end is when a person must sign in.
        token_expires_at: info.refresh_expires_at,
        missing_permissions,
        quota: None,
    })
}
