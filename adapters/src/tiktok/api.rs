//! The JSON calls of the Content Posting and Display APIs: one function per endpoint, each
//! returning the answer's `data` or a classified [`PublishError`]. Every call carries the user
//! access token in `Authorization` and goes through the kit's `http::exchange` (logged without it).

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::errors::{ApiError, classify};
use crate::http::{self, Effect};
use crate::{PublishError, Secret};

pub struct Api {
    pub http: reqwest::Client,
    pub base_url: String,
    pub rate_limit_wait: Duration,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    error: ApiError,
}

/// `creator_info/query` data.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CreatorInfo {
    #[serde(default)]
    pub creator_username: Option<String>,
    #[serde(default)]
    pub creator_nickname: Option<String>,
    #[serde(default)]
    pub privacy_level_options: Vec<String>,
    #[serde(default)]
    pub comment_disabled: bool,
    #[serde(default)]
    pub duet_disabled: bool,
    #[serde(default)]
    pub stitch_disabled: bool,
    #[serde(default)]
    pub max_video_post_duration_sec: Option<u64>,
}

/// `video/init` and `content/init` data.
#[derive(Debug, Clone, Deserialize)]
pub struct Init {
    pub publish_id: String,
    #[serde(default)]
    pub upload_url: Option<String>,
}

/// `status/fetch` data.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub fail_reason: Option<String>,
    /// Spelled so by TikTok; ids as numbers (or strings), empty until moderation is done.
    #[serde(default)]
    pub publicaly_available_post_id: Vec<Value>,
    #[serde(default)]
    pub uploaded_bytes: Option<u64>,
}

impl Status {
    /// The public post id, once TikTok gives it.
    pub fn post_id(&self) -> Option<String> {
        self.publicaly_available_post_id
            .iter()
            .find_map(|v| match v {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                _ => None,
            })
    }
}

/// One video of `video/query`.
#[derive(Debug, Clone, Deserialize)]
pub struct VideoStats {
    pub id: Value,
    pub view_count: Option<u64>,
    pub like_count: Option<u64>,
    pub comment_count: Option<u64>,
    pub share_count: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Videos {
    #[serde(default)]
    pub videos: Vec<VideoStats>,
}

/// The answer of a call: its data and TikTok's `log_id`.
pub struct Answer<T> {
    pub data: T,
    pub log_id: Option<String>,
}

impl Api {
    async fn call<T: DeserializeOwned>(
        &self,
        what: &str,
        path: &str,
        token: &Secret,
        body: &Value,
        effect: Effect,
    ) -> Result<Answer<T>, PublishError> {
        let url = format!("{}{path}", self.base_url.trim_end_matches('/'));
        let req = self
            .http
            .post(&url)
            .bearer_auth(token.expose())
            .header("Content-Type", "application/json; charset=UTF-8")
            .body(body.to_string());
        let what = format!("TikTok {what}");
        let answer = http::exchange("tiktok", &what, req, effect).await?;
        let (status, text) = (answer.status, &answer.body);
        let parsed: Result<Envelope<T>, _> = serde_json::from_str(text);
        let log_id = parsed
            .as_ref()
            .ok()
            .map(|e| e.error.log_id.clone())
            .filter(|l| !l.is_empty());
        match parsed {
            Ok(Envelope {
                data: Some(data),
                error,
            }) if status.is_success() && error.is_ok() => Ok(Answer { data, log_id }),
            Ok(env) if !env.error.is_ok() || !status.is_success() => Err(classify(
                &what,
                status,
                &answer.headers,
                &env.error,
                effect,
                self.rate_limit_wait,
            )),
            _ if !status.is_success() => {
                Err(http::fallback(&what, &answer, effect, self.rate_limit_wait))
            }
            _ => Err(effect.unsettled(http::scrub(&format!(
                "{what}: HTTP {status} with an answer that could not be read: {}",
                http::truncate(text, 500)
            )))),
        }
    }

    pub async fn creator_info(&self, token: &Secret) -> Result<Answer<CreatorInfo>, PublishError> {
        self.call(
            "creator info",
            "/v2/post/publish/creator_info/query/",
            token,
            &json!({}),
            Effect::Repeatable,
        )
        .await
    }

    /// Create a direct video post (`FILE_UPLOAD`). May create a publish: `Effect::Creates`.
    pub async fn video_init(
        &self,
        token: &Secret,
        body: &Value,
    ) -> Result<Answer<Init>, PublishError> {
        self.call(
            "video init",
            "/v2/post/publish/video/init/",
            token,
            body,
            Effect::Creates,
        )
        .await
    }

    /// Create a direct photo post (`PULL_FROM_URL`). May create a post: `Effect::Creates`.
    pub async fn content_init(
        &self,
        token: &Secret,
        body: &Value,
    ) -> Result<Answer<Init>, PublishError> {
        self.call(
            "photo init",
            "/v2/post/publish/content/init/",
            token,
            body,
            Effect::Creates,
        )
        .await
    }

    pub async fn status(
        &self,
        token: &Secret,
        publish_id: &str,
    ) -> Result<Answer<Status>, PublishError> {
        self.call(
            "status fetch",
            "/v2/post/publish/status/fetch/",
            token,
            &json!({ "publish_id": publish_id }),
            Effect::Repeatable,
        )
        .await
    }

    pub async fn video_query(
        &self,
        token: &Secret,
        ids: &[&str],
    ) -> Result<Answer<Videos>, PublishError> {
        self.call(
            "video query",
            "/v2/video/query/?fields=id,view_count,like_count,comment_count,share_count",
            token,
            &json!({ "filters": { "video_ids": ids } }),
            Effect::Repeatable,
        )
        .await
    }
}
