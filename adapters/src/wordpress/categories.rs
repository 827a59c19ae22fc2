//! The category of each department: found by name on the site, created once if missing, and
//! remembered for the life of the process.
//!
//! One lock covers look-up and creation, so two publishes running at once for the same
//! department never both create the category. Another program (or another prakat) may still
//! create it between our search and our create: WordPress then answers `term_exists` with the
//! existing id in `data.term_id`, which is taken as the answer.

use std::collections::HashMap;

use serde::Deserialize;
use tokio::sync::Mutex;

use super::client::Api;
use super::errors::WpError;
use crate::PublishError;
use crate::http::Effect;

#[derive(Default)]
pub(crate) struct Categories {
    ids: Mutex<HashMap<String, u64>>,
}

#[derive(Deserialize)]
struct Term {
    id: u64,
    #[serde(default)]
    name: String,
}

impl Categories {
    /// The id of the category named `name`, creating it if the site has none.
    pub(crate) async fn id_for(&self, api: &Api, name: &str) -> Result<u64, PublishError> {
        let mut ids = self.ids.lock().await;
        if let Some(id) = ids.get(name) {
            return Ok(*id);
        }
        let id = match find(api, name).await? {
            Some(id) => id,
            None => create(api, name).await?,
        };
        ids.insert(name.to_owned(), id);
        Ok(id)
    }
}

async fn find(api: &Api, name: &str) -> Result<Option<u64>, PublishError> {
    let url = api.url(
        "wp/v2/categories",
        &[
            ("search", name),
            ("per_page", "100"),
            ("hide_empty", "false"),
        ],
    );
    let found: Vec<Term> = api
        .send(
            "find category",
            api.request(reqwest::Method::GET, url),
            Effect::Repeatable,
        )
        .await?;
    // `search` matches parts of names and slugs; WordPress returns names HTML-escaped.
    Ok(found
        .iter()
        .find(|t| unescape(&t.name) == name)
        .map(|t| t.id))
}

async fn create(api: &Api, name: &str) -> Result<u64, PublishError> {
    let req = api
        .request(reqwest::Method::POST, api.url("wp/v2/categories", &[]))
        .json(&serde_json::json!({ "name": name }));
    // Creating a category twice is refused with `term_exists`, so a repeat is harmless.
    let what = "create category";
    let (status, headers, body) = api.exchange(what, req, Effect::Repeatable).await?;
    if status.is_success() {
        return super::client::parse_json::<Term>(&body)
            .map(|t| t.id)
            .ok_or_else(|| {
                PublishError::Transient(format!("{what}: HTTP {status} without a category id"))
            });
    }
    if let Some(id) = WpError::parse(&body)
        .filter(|e| e.code == "term_exists")
        .and_then(|e| e.term_id())
    {
        return Ok(id);
    }
    Err(super::errors::classify(
        what,
        status,
        &headers,
        &body,
        Effect::Repeatable,
    ))
}

/// Undo the escaping WordPress applies to term names (`esc_html`).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_names_compare_equal() {
        assert_eq!(
            super::unescape("งานสืบสวน &amp; ปราบปราม"),
            "งานสืบสวน & ปราบปราม"
        );
    }
}
