//! The HTTP side of the WordPress channel: building REST URLs in either style, signing requests
//! with the application password, sending exactly one request, and reading the JSON answer.
//!
//! The password goes only into the `Authorization` header, which is never logged.

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::errors;
use super::settings::UrlStyle;
use crate::http::{self, Effect};
use crate::{PublishError, Secret};

const CHANNEL: &str = "wordpress";

/// A signed-in view of one site's REST API.
pub(crate) struct Api {
    http: reqwest::Client,
    /// The site, without a trailing `/`.
    base: String,
    style: UrlStyle,
    username: String,
    password: Secret,
}

impl Api {
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: &str,
        style: UrlStyle,
        username: &str,
        password: &Secret,
    ) -> Result<Api, String> {
        let base = base_url.trim().trim_end_matches('/').to_owned();
        let parsed = Url::parse(&base).map_err(|e| format!("wordpress base_url {base:?}: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("wordpress base_url {base:?}: must be http(s)"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!(
                "wordpress base_url {base:?}: give the site address without ?query or #fragment"
            ));
        }
        if username.trim().is_empty() {
            return Err("wordpress username is empty".into());
        }
        // WordPress shows application passwords in groups of four separated by spaces.
        let password: String = password
            .expose()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Ok(Api {
            http,
            base,
            style,
            username: username.trim().to_owned(),
            password: Secret::new(password),
        })
    }

    pub(crate) fn style(&self) -> UrlStyle {
        self.style
    }

    /// The URL of a REST route such as `wp/v2/posts` (`""` is the API root), with query pairs.
    pub(crate) fn url(&self, route: &str, query: &[(&str, &str)]) -> Url {
        let route = route.trim_matches('/');
        let s = match self.style {
            UrlStyle::Pretty if route.is_empty() => format!("{}/wp-json/", self.base),
            UrlStyle::Pretty => format!("{}/wp-json/{route}", self.base),
            // Slashes stay literal, as WordPress's own rest_url() writes them.
            UrlStyle::Query => format!("{}/?rest_route=/{route}", self.base),
        };
        let mut url = Url::parse(&s).expect("base_url was checked in Api::new");
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    pub(crate) fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .basic_auth(&self.username, Some(self.password.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// Send one request; a 2xx answer's JSON is returned, anything else is classified.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        what: &str,
        req: RequestBuilder,
        effect: Effect,
    ) -> Result<T, PublishError> {
        let (status, headers, body) = self.exchange(what, req, effect).await?;
        if !status.is_success() {
            return Err(errors::classify(what, status, &headers, &body, effect));
        }
        parse_json::<T>(&body).ok_or_else(|| {
            effect.unsettled(http::scrub(&format!(
                "{what}: HTTP {status} but the answer is not the expected JSON: {}",
                http::truncate(body.trim(), 500)
            )))
        })
    }

    /// Send one request and read the whole answer, whatever its status.
    pub(crate) async fn exchange(
        &self,
        what: &str,
        req: RequestBuilder,
        effect: Effect,
    ) -> Result<(StatusCode, HeaderMap, String), PublishError> {
        let answer = http::exchange(CHANNEL, what, req, effect).await?;
        Ok((answer.status, answer.headers, answer.body))
    }
}

/// Parse a JSON answer. Sites with PHP's `display_errors` on print notices before the JSON, so
/// when the whole body does not parse, the part from the first `{` or `[` is tried.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &str) -> Option<T> {
    if let Ok(v) = serde_json::from_str(body) {
        return Some(v);
    }
    let start = body.find(['{', '['])?;
    serde_json::from_str(&body[start..]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(style: UrlStyle, base: &str) -> Api {
        Api::new(
            reqwest::Client::new(),
            base,
            style,
            "prakat",
            &Secret::new("abcd efgh ijkl"),
        )
        .unwrap()
    }

    #[test]
    fn both_url_styles() {
        let p = api(UrlStyle::Pretty, "https://station.example/news/");
        assert_eq!(
            p.url(
                "wp/v2/posts",
                &[("slug", "prakat-1-abc"), ("status", "any")]
            )
            .as_str(),
            "https://station.example/news/wp-json/wp/v2/posts?slug=prakat-1-abc&status=any"
        );
        assert_eq!(
            p.url("", &[]).as_str(),
            "https://station.example/news/wp-json/"
        );
        let q = api(UrlStyle::Query, "https://station.example");
        assert_eq!(
            q.url("wp/v2/categories", &[("search", "งานจราจร")])
                .as_str(),
            "https://station.example/?rest_route=/wp/v2/categories&search=%E0%B8%87%E0%B8%B2%E0%B8%99%E0%B8%88%E0%B8%A3%E0%B8%B2%E0%B8%88%E0%B8%A3"
        );
        assert_eq!(
            q.url("", &[]).as_str(),
            "https://station.example/?rest_route=/"
        );
        assert_eq!(q.password.expose(), "abcdefghijkl");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        let s = Secret::new("x");
        let h = reqwest::Client::new();
        assert!(Api::new(h.clone(), "station.example", UrlStyle::Query, "u", &s).is_err());
        assert!(
            Api::new(
                h.clone(),
                "https://s.example/?p=1",
                UrlStyle::Query,
                "u",
                &s
            )
            .is_err()
        );
        assert!(Api::new(h, "https://s.example", UrlStyle::Query, " ", &s).is_err());
    }

    #[test]
    fn php_notices_before_json_are_skipped() {
        let v: serde_json::Value = parse_json("<br />\n<b>Notice</b>: x in y\n{\"id\":5}").unwrap();
        assert_eq!(v["id"], 5);
    }
}
