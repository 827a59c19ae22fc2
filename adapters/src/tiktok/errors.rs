//! From TikTok's answer to a [`PublishError`]. TikTok says what went wrong in the body —
//! `{"error":{"code","message","log_id"}}`, `code` being `"ok"` on success — and in the HTTP
//! status; the code decides, the status is the fallback. Messages are kept whole.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::PublishError;
use crate::http::{self, Effect};

/// The `error` object of every Content Posting and Display API answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub log_id: String,
}

impl ApiError {
    pub fn is_ok(&self) -> bool {
        self.code.is_empty() || self.code == "ok"
    }
}

/// What an unaudited app is told, here and in the health check.
pub const UNAUDITED: &str = "unaudited app: posts are visible to the account owner only";

/// Classify a refused or failed call: TikTok's `error.code` first, then the kit's status
/// fallbacks ([`http::status_error`]). `what` names the call ("TikTok video init").
pub fn classify(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    err: &ApiError,
    effect: Effect,
    rate_limit_wait: Duration,
) -> PublishError {
    let msg = format!(
        "{what}: {} {}: {} (log_id {})",
        status.as_u16(),
        if err.code.is_empty() { "-" } else { &err.code },
        err.message,
        if err.log_id.is_empty() {
            "-"
        } else {
            &err.log_id
        },
    );
    let wait = http::retry_after(headers, chrono::Utc::now()).unwrap_or(rate_limit_wait);
    let own = match err.code.as_str() {
        "rate_limit_exceeded" => Some(PublishError::RetryAfter(wait, msg.clone())),
        "access_token_invalid" | "scope_not_authorized" | "scope_permission_missed" => {
            Some(PublishError::Auth(msg.clone()))
        }
        "unaudited_client_can_only_post_to_private_accounts" => {
            Some(PublishError::Rejected(format!(
                "{msg} — {UNAUDITED}, and only to a private account: make the TikTok account \
             private, or have the app audited by TikTok"
            )))
        }
        "reached_active_user_cap" => Some(PublishError::QuotaExhausted {
            until: chrono::Utc::now() + chrono::Duration::hours(24),
            message: msg.clone(),
        }),
        // TikTok failed inside: on a create the post may exist.
        "internal_error" => Some(effect.unsettled(msg.clone())),
        "privacy_level_option_mismatch"
        | "invalid_param"
        | "invalid_params"
        | "invalid_file_upload"
        | "url_ownership_unverified"
        | "invalid_publish_id" => Some(PublishError::Rejected(msg.clone())),
        c if c.starts_with("spam_risk") => Some(PublishError::Rejected(msg.clone())),
        _ => None,
    };
    match own {
        Some(e) => http::scrub_error(e),
        // A 2xx with an unknown error code: the call may or may not have been applied.
        None if status.is_success() => effect.unsettled(http::scrub(&msg)),
        None => http::status_error(status, headers, effect, rate_limit_wait, msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str) -> ApiError {
        ApiError {
            code: code.into(),
            message: "m".into(),
            log_id: "L1".into(),
        }
    }

    #[test]
    fn codes_decide_before_statuses() {
        let wait = Duration::from_secs(60);
        let c = |s: u16, code: &str, e| {
            classify(
                "TikTok video init",
                StatusCode::from_u16(s).unwrap(),
                &HeaderMap::new(),
                &err(code),
                e,
                wait,
            )
        };
        assert_eq!(
            c(429, "rate_limit_exceeded", Effect::Creates).class(),
            "retry_after"
        );
        assert!(
            matches!(c(429, "", Effect::Repeatable), PublishError::RetryAfter(d, _) if d == wait)
        );
        assert_eq!(
            c(401, "access_token_invalid", Effect::Creates).class(),
            "auth"
        );
        assert_eq!(
            c(401, "scope_not_authorized", Effect::Creates).class(),
            "auth"
        );
        assert_eq!(
            c(403, "spam_risk_too_many_posts", Effect::Creates).class(),
            "rejected"
        );
        assert_eq!(
            c(403, "privacy_level_option_mismatch", Effect::Creates).class(),
            "rejected"
        );
        assert_eq!(
            c(400, "invalid_params", Effect::Creates).class(),
            "rejected"
        );
        assert_eq!(
            c(403, "reached_active_user_cap", Effect::Creates).class(),
            "quota"
        );
        assert_eq!(
            c(500, "internal_error", Effect::Creates).class(),
            "ambiguous"
        );
        assert_eq!(
            c(500, "internal_error", Effect::Repeatable).class(),
            "transient"
        );
        assert_eq!(c(503, "", Effect::Repeatable).class(), "transient");
        let u = c(
            403,
            "unaudited_client_can_only_post_to_private_accounts",
            Effect::Creates,
        );
        assert!(
            matches!(&u, PublishError::Rejected(m) if m.contains(UNAUDITED) && m.contains("log_id L1")),
            "{u}"
        );
    }
}
