//! The few Messaging API calls the channel makes, over the shared `reqwest` client: JSON GETs
//! (bot info, quota, followers, insights) and the sends with their `X-Line-Retry-Key`. Every
//! exchange is logged at debug without the token; every failure is classified by
//! [`super::errors::classify`].

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::http::{self, Effect};
use crate::{PublishError, Secret};

use super::errors::classify;
use super::limits::KIND;

pub(crate) const REQUEST_ID: &str = "x-line-request-id";
pub(crate) const ACCEPTED_REQUEST_ID: &str = "x-line-accepted-request-id";
pub(crate) const RETRY_KEY: &str = "x-line-retry-key";

/// How LINE took a send request.
#[derive(Debug)]
pub(crate) enum Sent {
    /// 200 or 202: accepted now. `request_id` is `X-Line-Request-Id`.
    Accepted {
        request_id: Option<String>,
        body: Value,
    },
    /// 409 with our retry key: an earlier request with the same key was accepted;
    /// `request_id` is its `X-Line-Accepted-Request-Id`.
    AlreadyAccepted { request_id: Option<String> },
}

pub(crate) struct Api {
    http: reqwest::Client,
    base: String,
    token: Secret,
}

impl Api {
    pub fn new(http: reqwest::Client, base: &str, token: Secret) -> Self {
        Api {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token,
        }
    }

    /// GET a JSON document. `what` names the call in errors.
    pub async fn get<T: DeserializeOwned>(
        &self,
        what: &str,
        path_and_query: &str,
        now: DateTime<Utc>,
    ) -> Result<T, PublishError> {
        let url = format!("{}{path_and_query}", self.base);
        let req = self.http.get(&url).bearer_auth(self.token.expose());
        let answer = http::exchange(KIND, &format!("line {what}"), req, Effect::Repeatable).await?;
        let (status, text) = (answer.status, &answer.body);
        if !status.is_success() {
            return Err(classify(what, &answer, now));
        }
        serde_json::from_str(text).map_err(|e| {
            PublishError::Transient(format!(
                "line {what}: unexpected answer ({e}): {}",
                http::truncate(text, 500)
            ))
        })
    }

    /// POST a send request (`/v2/bot/message/broadcast`, `narrowcast`, `push`) with its retry
    /// key. A timeout or 5xx is `Transient`: the same key makes the repeat harmless.
    pub async fn send(
        &self,
        what: &str,
        path: &str,
        retry_key: Uuid,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<Sent, PublishError> {
        let url = format!("{}{path}", self.base);
        let req = self
            .http
            .request(Method::POST, &url)
            .bearer_auth(self.token.expose())
            .header(RETRY_KEY, retry_key.to_string())
            .json(body);
        // The retry key makes a repeat harmless: every failure is a plain temporary one.
        let answer = http::exchange(KIND, &format!("line {what}"), req, Effect::Repeatable).await?;
        let accepted = answer.header(ACCEPTED_REQUEST_ID).map(str::to_owned);
        let request_id = answer.header(REQUEST_ID).map(str::to_owned);
        let (status, text) = (answer.status, &answer.body);
        if status == StatusCode::CONFLICT {
            tracing::info!(%retry_key, accepted_request_id = accepted.as_deref(), "line: {what} was already accepted");
            return Ok(Sent::AlreadyAccepted {
                request_id: accepted,
            });
        }
        if !status.is_success() {
            return Err(classify(what, &answer, now));
        }
        let body = if text.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(text).unwrap_or(Value::Null)
        };
        Ok(Sent::Accepted { request_id, body })
    }
}
