//! Classifying Graph API answers into [`PublishError`]: by `error.code` / `error_subcode` of the
//! documented body `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`, with the
//! wait for rate limits taken from the usage headers. The platform's message is kept whole.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::PublishError;
use crate::http::{self, Effect};

/// The `error` object of a Graph API error body.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct GraphError {
    #[serde(default)]
    pub message: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub error_user_title: Option<String>,
    #[serde(default)]
    pub error_user_msg: Option<String>,
    #[serde(default)]
    pub is_transient: Option<bool>,
    #[serde(default)]
    pub fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: GraphError,
}

impl GraphError {
    /// The error in a body, if the body is a Graph API error.
    pub fn parse(body: &str) -> Option<GraphError> {
        serde_json::from_str::<ErrorBody>(body)
            .ok()
            .map(|b| b.error)
    }

    /// Whether Facebook refused a metric (deprecated or unknown): code 100 naming the metric.
    pub fn is_invalid_metric(&self) -> bool {
        self.code == 100 && self.message.to_lowercase().contains("metric")
    }

    /// Everything Facebook said, in one line.
    pub fn describe(&self) -> String {
        let mut s = self.message.clone();
        if let Some(msg) = &self.error_user_msg {
            s.push_str(" — ");
            if let Some(title) = &self.error_user_title {
                s.push_str(title);
                s.push_str(": ");
            }
            s.push_str(msg);
        }
        s.push_str(&format!(" (code {}", self.code));
        if let Some(sub) = self.error_subcode {
            s.push_str(&format!(", subcode {sub}"));
        }
        if let Some(kind) = &self.kind {
            s.push_str(&format!(", type {kind}"));
        }
        if let Some(id) = &self.fbtrace_id {
            s.push_str(&format!(", fbtrace_id {id}"));
        }
        s.push(')');
        s
    }
}

/// Whether an error code is one of the documented rate limits: app (4), user (17), page (32),
/// custom (613), application limit (341) and the Business Use Case family (80001 pages,
/// 80000–80099 others).
pub fn is_rate_limit(code: i64) -> bool {
    matches!(code, 4 | 17 | 32 | 341 | 613 | 80_000..=80_099)
}

/// Classify a non-success answer (or a 2xx whose body is an error): Facebook's own codes first,
/// then the kit's status fallbacks ([`http::status_error`]).
pub fn classify(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    effect: Effect,
    default_wait: Duration,
) -> PublishError {
    // Facebook answers rate limits with its usage headers; a proxy in front may say Retry-After.
    let wait = regain_wait(headers)
        .or_else(|| http::retry_after(headers, chrono::Utc::now()))
        .unwrap_or(default_wait);
    let Some(e) = GraphError::parse(body) else {
        let msg = format!("{what}: HTTP {status}: {}", http::truncate(body, 2000));
        return http::status_error(status, headers, effect, wait, msg);
    };
    let msg = format!("{what}: {}", e.describe());
    let coded = match e.code {
        c if is_rate_limit(c) => Some(PublishError::RetryAfter(wait, msg.clone())),
        // Unknown / service errors: Facebook says to retry, but on a create the post may exist.
        1 | 2 => Some(effect.unsettled(msg.clone())),
        10 | 102 | 190 | 200..=299 => Some(PublishError::Auth(msg.clone())),
        368 => Some(PublishError::Rejected(format!(
            "Facebook has temporarily blocked this Page from posting for a policy violation: \
             a person must check the Page's notifications and Page Quality before anything is \
             posted again. {msg}"
        ))),
        506 => Some(PublishError::Ambiguous(format!(
            "Facebook says this is a duplicate post: it may already be on the Page. {msg}"
        ))),
        100 => Some(PublishError::Rejected(msg.clone())),
        _ if e.is_transient == Some(true) => Some(effect.unsettled(msg.clone())),
        _ => None,
    };
    match coded {
        Some(err) => http::scrub_error(err),
        // An unknown code on a 2xx or 4xx: the content or request was refused.
        None if status.is_client_error() && !matches!(status.as_u16(), 401 | 403 | 408 | 429) => {
            PublishError::Rejected(http::scrub(&msg))
        }
        None => http::status_error(status, headers, effect, wait, msg),
    }
}

/// The longest `estimated_time_to_regain_access` (minutes) in the usage headers, if any is
/// above zero. `X-Business-Use-Case-Usage` is keyed by business id, each an array of objects;
/// `X-App-Usage` and `X-Page-Usage` are one object.
pub fn regain_wait(headers: &HeaderMap) -> Option<Duration> {
    let mut minutes: Option<u64> = None;
    for name in ["x-business-use-case-usage", "x-page-usage", "x-app-usage"] {
        for value in usage_objects(headers, name) {
            if let Some(m) = value
                .get("estimated_time_to_regain_access")
                .and_then(serde_json::Value::as_u64)
                .filter(|m| *m > 0)
            {
                minutes = Some(minutes.map_or(m, |old| old.max(m)));
            }
        }
    }
    minutes.map(|m| Duration::from_secs(m * 60))
}

/// The highest usage percentage (`call_count`, `total_time`, `total_cputime`) any header
/// reports, with the header's name: the quota line of the health check.
pub fn usage_summary(headers: &HeaderMap) -> Option<String> {
    let mut parts = Vec::new();
    for (name, label) in [
        ("x-business-use-case-usage", "business use case"),
        ("x-page-usage", "page"),
        ("x-app-usage", "app"),
    ] {
        let top = usage_objects(headers, name)
            .iter()
            .flat_map(|o| {
                ["call_count", "total_time", "total_cputime"]
                    .into_iter()
                    .filter_map(|k| o.get(k).and_then(serde_json::Value::as_u64))
            })
            .max();
        if let Some(top) = top {
            parts.push(format!("{label} usage {top}%"));
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn usage_objects(headers: &HeaderMap, name: &str) -> Vec<serde_json::Value> {
    let Some(v) = headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
    else {
        return Vec::new();
    };
    match v {
        serde_json::Value::Object(map) if name == "x-business-use-case-usage" => map
            .into_iter()
            .flat_map(|(_, list)| match list {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            })
            .collect(),
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, value.parse().unwrap());
        h
    }

    #[test]
    fn the_longest_regain_time_of_any_business_wins() {
        let h = headers(
            "x-business-use-case-usage",
            concat!(
                r#"{"112":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}],"#,
                r#""113":[{"type":"pages","call_count":40,"estimated_time_to_regain_access":7}]}"#,
            ),
        );
        assert_eq!(regain_wait(&h), Some(Duration::from_secs(7 * 60)));
        assert_eq!(
            usage_summary(&h).as_deref(),
            Some("business use case usage 100%")
        );
    }

    #[test]
    fn zero_or_missing_estimates_give_no_hint() {
        let h = headers("x-app-usage", r#"{"call_count":100,"total_time":5}"#);
        assert_eq!(regain_wait(&h), None);
        let e = classify(
            "post",
            StatusCode::BAD_REQUEST,
            &h,
            r#"{"error":{"message":"limit","code":4}}"#,
            Effect::Creates,
            Duration::from_secs(300),
        );
        assert!(matches!(e, PublishError::RetryAfter(d, _) if d == Duration::from_secs(300)));
    }

    #[test]
    fn unknown_and_transient_codes_are_ambiguous_on_a_create() {
        let c = |body: &str, effect| {
            classify(
                "create the Page post",
                StatusCode::INTERNAL_SERVER_ERROR,
                &HeaderMap::new(),
                body,
                effect,
                Duration::from_secs(300),
            )
            .class()
        };
        for body in [
            r#"{"error":{"message":"An unknown error occurred","code":1}}"#,
            r#"{"error":{"message":"Service temporarily unavailable","code":2}}"#,
            r#"{"error":{"message":"Please retry","code":9999,"is_transient":true}}"#,
        ] {
            assert_eq!(c(body, Effect::Creates), "ambiguous", "{body}");
            assert_eq!(c(body, Effect::Repeatable), "transient", "{body}");
        }
    }
}
