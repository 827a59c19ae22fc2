//! The thin Graph API client: version-pinned URLs, the token in the `Authorization` header
//! (never in a URL), one request per call, every exchange logged without secrets, and every
//! answer either parsed or classified by [`super::errors::classify`].

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use super::errors::{self, GraphError};
use crate::http::{self, Effect};
use crate::{PublishError, Secret};

/// The header carrying Facebook's request trace id.
pub const TRACE_HEADER: &str = "x-fb-trace-id";

/// A successful answer.
#[derive(Debug)]
pub struct Reply {
    pub headers: HeaderMap,
    pub body: String,
    /// What the request could have done: decides what an unreadable body means.
    pub effect: Effect,
}

impl Reply {
    /// The trace id of the request, from the header.
    pub fn trace_id(&self) -> Option<String> {
        trace_id(&self.headers)
    }

    /// The body as `T`. An unreadable success answer to a create leaves its outcome unknown.
    pub fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, PublishError> {
        serde_json::from_str(&self.body).map_err(|e| {
            let msg = format!(
                "{what}: unexpected answer from Facebook ({e}): {}",
                http::truncate(&self.body, 500)
            );
            match self.effect {
                Effect::Creates => PublishError::Ambiguous(msg),
                Effect::Repeatable => PublishError::Transient(msg),
            }
        })
    }
}

fn trace_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get(TRACE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A failed answer, kept for callers that look at the Graph error itself (reach fallbacks).
#[derive(Debug)]
pub struct Failure {
    pub error: PublishError,
    pub graph: Option<GraphError>,
}

impl From<Failure> for PublishError {
    fn from(f: Failure) -> Self {
        f.error
    }
}

/// The Graph API as one Page token sees it.
#[derive(Clone)]
pub struct Graph {
    http: reqwest::Client,
    base_url: String,
    video_base_url: String,
    version: String,
    token: Secret,
    default_wait: Duration,
}

impl Graph {
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        video_base_url: &str,
        version: &str,
        token: Secret,
        default_wait: Duration,
    ) -> Self {
        Graph {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            video_base_url: video_base_url.trim_end_matches('/').to_owned(),
            version: version.trim_matches('/').to_owned(),
            token,
            default_wait,
        }
    }

    /// `{base}/{version}/{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.base_url, self.version, path)
    }

    /// `{video base}/{version}/{path}`.
    pub fn video_url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.video_base_url, self.version, path)
    }

    /// A request with the Page token (or `token`) in the `Authorization` header.
    pub fn request(&self, method: Method, url: &str, token: Option<&Secret>) -> RequestBuilder {
        let token = token.unwrap_or(&self.token);
        self.http
            .request(method, url)
            .header("authorization", format!("OAuth {}", token.expose()))
    }

    /// `GET url` with query parameters.
    pub async fn get(
        &self,
        what: &str,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<Reply, Failure> {
        let req = self.request(Method::GET, url, None).query(query);
        self.send(what, req, Effect::Repeatable).await
    }

    /// `POST url` with a form body.
    pub async fn post_form(
        &self,
        what: &str,
        url: &str,
        form: &[(String, String)],
        effect: Effect,
    ) -> Result<Reply, Failure> {
        let req = self.request(Method::POST, url, None).form(form);
        self.send(what, req, effect).await
    }

    /// Send one request through the kit's [`http::exchange`] and classify the answer.
    pub async fn send(
        &self,
        what: &str,
        req: RequestBuilder,
        effect: Effect,
    ) -> Result<Reply, Failure> {
        let answer = http::exchange(super::KIND, what, req, effect)
            .await
            .map_err(|error| Failure { error, graph: None })?;
        let trace = trace_id(&answer.headers);
        let graph = GraphError::parse(&answer.body);
        if answer.status.is_success() && graph.is_none() {
            return Ok(Reply {
                headers: answer.headers,
                body: answer.body,
                effect,
            });
        }
        let status = if answer.status.is_success() {
            StatusCode::BAD_REQUEST
        } else {
            answer.status
        };
        let mut error = errors::classify(
            what,
            status,
            &answer.headers,
            &answer.body,
            effect,
            self.default_wait,
        );
        if let (Some(t), PublishError::Ambiguous(m) | PublishError::Transient(m)) =
            (&trace, &mut error)
            && graph.is_none()
        {
            m.push_str(&format!(" (x-fb-trace-id {t})"));
        }
        Err(Failure { error, graph })
    }
}
