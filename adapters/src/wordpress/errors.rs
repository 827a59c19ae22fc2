//! Turning a WordPress REST answer that is not a success into the [`PublishError`] variant that
//! decides what the dispatcher does. WordPress errors are JSON
//! `{"code":"rest_…","message":"…","data":{"status":N}}`; hosts and firewalls in front of it
//! answer with HTML, so the status decides when the body says nothing.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::PublishError;
use crate::http::{self, Effect};

/// The error body of the WordPress REST API.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct WpError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub data: Option<serde_json::Value>,
}

impl WpError {
    pub(crate) fn parse(body: &str) -> Option<WpError> {
        super::client::parse_json::<WpError>(body).filter(|e| !e.code.is_empty())
    }

    /// `data.term_id` of a `term_exists` error: the category that already exists.
    pub(crate) fn term_id(&self) -> Option<u64> {
        self.data.as_ref()?.get("term_id")?.as_u64()
    }
}

/// Codes that mean the account, its password or its rights must be fixed by a person.
const AUTH_CODES: &[&str] = &[
    "rest_not_logged_in",
    "incorrect_password",
    "invalid_username",
    "invalid_email",
    "application_passwords_disabled",
    "application_passwords_disabled_for_user",
    "rest_forbidden",
    "rest_cannot_create",
    "rest_cannot_publish",
    "rest_cannot_edit",
    "rest_cannot_delete",
    "rest_cannot_assign_term",
    "rest_cannot_view",
];

/// Classify a non-2xx answer to `what` (e.g. "create post").
pub(crate) fn classify(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    effect: Effect,
) -> PublishError {
    let wp = WpError::parse(body);
    let said = match &wp {
        Some(e) => format!("{what}: HTTP {status} {}: {}", e.code, e.message),
        None => format!(
            "{what}: HTTP {status}: {}",
            http::truncate(body.trim(), 2000)
        ),
    };
    let code = wp.as_ref().map(|e| e.code.as_str()).unwrap_or("");
    let own = if status == StatusCode::TOO_MANY_REQUESTS || http::may_have_applied(status) {
        // The status says more than any code (a plugin or the database failing).
        None
    } else if AUTH_CODES.contains(&code) {
        Some(PublishError::Auth(said.clone()))
    } else if status == StatusCode::NOT_FOUND && (code.is_empty() || code == "rest_no_route") {
        Some(PublishError::Auth(format!(
            "{said} (is the REST API enabled, and are base_url and url_style right for this site?)"
        )))
    } else {
        None
    };
    match own {
        Some(e) => http::scrub_error(e),
        // 400 rest_invalid_param, 413 too large, 415, 412 hash mismatch, rest_upload_*: the site
        // refuses this content as it is (the kit's "other 4xx").
        None => http::status_error(status, headers, effect, http::DEFAULT_RETRY_AFTER, said),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn c(status: u16, body: &str, effect: Effect) -> PublishError {
        classify(
            "create post",
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body,
            effect,
        )
    }

    #[test]
    fn codes_and_statuses_pick_the_variant() {
        let auth = r#"{"code":"incorrect_password","message":"The provided password is an invalid application password.","data":{"status":401}}"#;
        assert!(
            matches!(c(401, auth, Effect::Creates), PublishError::Auth(m) if m.contains("invalid application password"))
        );
        let param = r#"{"code":"rest_invalid_param","message":"Invalid parameter(s): categories","data":{"status":400}}"#;
        assert!(
            matches!(c(400, param, Effect::Creates), PublishError::Rejected(m) if m.contains("rest_invalid_param"))
        );
        assert!(matches!(
            c(
                413,
                "<html>Request Entity Too Large</html>",
                Effect::Repeatable
            ),
            PublishError::Rejected(_)
        ));
        assert!(matches!(
            c(502, "<html>Bad Gateway</html>", Effect::Creates),
            PublishError::Ambiguous(_)
        ));
        assert!(matches!(
            c(503, "", Effect::Repeatable),
            PublishError::Transient(_)
        ));
        assert!(matches!(
            c(429, "", Effect::Creates),
            PublishError::RetryAfter(d, _) if d == http::DEFAULT_RETRY_AFTER
        ));
        assert!(
            matches!(c(404, r#"{"code":"rest_no_route","message":"No route","data":{"status":404}}"#, Effect::Repeatable), PublishError::Auth(m) if m.contains("url_style"))
        );
    }

    #[test]
    fn retry_after_is_read() {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, "42".parse().unwrap());
        let e = classify("x", StatusCode::TOO_MANY_REQUESTS, &h, "", Effect::Creates);
        assert_eq!(e.class(), "retry_after");
        assert!(matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(42)));
    }

    #[test]
    fn term_exists_carries_the_existing_id() {
        let e = WpError::parse(r#"{"code":"term_exists","message":"A term with the name provided already exists with this parent.","data":{"status":400,"term_id":17}}"#).unwrap();
        assert_eq!(e.term_id(), Some(17));
    }
}
