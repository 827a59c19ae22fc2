//! `prakat channels check` for WordPress: the REST root answers in the configured URL style,
//! the application password signs in, and the user has the capabilities publishing needs.

use serde::Deserialize;

use super::client::Api;
use super::settings::{PostStatus, UrlStyle};
use crate::http::Effect;
use crate::{Health, PublishError};

#[derive(Deserialize)]
struct Root {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespaces: Vec<String>,
}

#[derive(Deserialize)]
struct Me {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    capabilities: serde_json::Map<String, serde_json::Value>,
}

/// The capabilities a publish may use: posting (live), uploading media, creating a category.
pub(crate) fn required_capabilities(status: PostStatus) -> Vec<&'static str> {
    let post = match status {
        PostStatus::Publish => "publish_posts",
        PostStatus::Draft => "edit_posts",
    };
    vec![post, "upload_files", "manage_categories"]
}

pub(crate) async fn check(api: &Api, status: PostStatus) -> Result<Health, PublishError> {
    let what = "read the REST API root";
    let (code, headers, body) = api
        .exchange(
            what,
            api.request(reqwest::Method::GET, api.url("", &[])),
            Effect::Repeatable,
        )
        .await?;
    if !code.is_success() {
        return Err(super::errors::classify(
            what,
            code,
            &headers,
            &body,
            Effect::Repeatable,
        ));
    }
    // A site without pretty permalinks answers `/wp-json/` with its home page.
    let root: Root = super::client::parse_json(&body).ok_or_else(|| {
        PublishError::Auth(format!(
            "{what}: {} answered HTTP {code} but not with the REST API's JSON (is url_style right for this site?)",
            api.url("", &[])
        ))
    })?;
    let style = match api.style() {
        UrlStyle::Pretty => "pretty",
        UrlStyle::Query => "query",
    };
    if !root.namespaces.iter().any(|n| n == "wp/v2") {
        return Err(PublishError::Auth(format!(
            "the REST API of {:?} answers ({style} URLs) but has no wp/v2 namespace: a plugin may be hiding it",
            root.name
        )));
    }
    let me: Me = api
        .send(
            "read the signed-in user",
            api.request(
                reqwest::Method::GET,
                api.url("wp/v2/users/me", &[("context", "edit")]),
            ),
            Effect::Repeatable,
        )
        .await?;
    let missing: Vec<String> = required_capabilities(status)
        .into_iter()
        .filter(|c| me.capabilities.get(*c).and_then(|v| v.as_bool()) != Some(true))
        .map(str::to_owned)
        .collect();
    let roles = if me.roles.is_empty() {
        "no role".to_owned()
    } else {
        me.roles.join(", ")
    };
    Ok(Health {
        summary: format!(
            "WordPress \"{}\" answers ({style} URLs); signed in as {} ({roles})",
            root.name, me.slug
        ),
        token_expires_at: None,
        missing_permissions: missing,
        quota: None,
    })
}
