//! Finding a post this channel already made, after an ambiguous outcome (a timeout after the
//! request left, a 5xx, error 506): list the Page's recent posts and match the message text
//! (whitespace-normalised) or, for a post without text, the website link. Nothing is embedded
//! in what readers see.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::Facebook;
use crate::{Payload, PublishError, Receipt};

/// How far before the delivery's due time a post may have been created and still be this
/// delivery's (clock skew between prakat and Facebook). Kept short so an identical text
/// posted for an earlier occurrence of a recurring announcement is not mistaken for this one.
const LOOK_BACK: Duration = Duration::minutes(15);

/// How many recent posts one listing asks for.
const PAGE_SIZE: &str = "100";

#[derive(Deserialize)]
struct Posts {
    #[serde(default)]
    data: Vec<Post>,
}

#[derive(Deserialize)]
struct Post {
    id: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    permalink_url: Option<String>,
    /// e.g. `2026-11-24T03:00:00+0000`.
    #[serde(default)]
    created_time: Option<String>,
}

/// Facebook's `created_time` (`%Y-%m-%dT%H:%M:%S%z`).
fn created(p: &Post) -> Option<DateTime<Utc>> {
    let t = p.created_time.as_deref()?;
    DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(t))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whitespace collapsed and trimmed: Facebook may rewrite line ends and trailing spaces.
pub fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Facebook {
    pub(super) async fn find_post(
        &self,
        payload: &Payload,
    ) -> Result<Option<Receipt>, PublishError> {
        let from = payload.published_at - LOOK_BACK;
        let since = from.timestamp().to_string();
        let url = self.graph.url(&format!("{}/posts", self.settings.page_id));
        let reply = self
            .graph
            .get(
                "list the Page's recent posts",
                &url,
                &[
                    ("fields", "id,message,created_time,permalink_url"),
                    ("since", &since),
                    ("limit", PAGE_SIZE),
                ],
            )
            .await?;
        let posts: Posts = reply.json("list the Page's recent posts")?;
        let want = normalize(&payload.text);
        let found = posts.data.into_iter().find(|p| {
            // Facebook applies `since`; a post it dates earlier is not this delivery's.
            if created(p).is_some_and(|t| t < from) {
                return false;
            }
            let got = normalize(p.message.as_deref().unwrap_or(""));
            if want.is_empty() {
                payload
                    .link
                    .as_deref()
                    .is_some_and(|l| got.contains(l) || p.permalink_url.as_deref() == Some(l))
            } else {
                got == want
            }
        });
        Ok(found.map(|p| Receipt {
            url: Some(p.permalink_url.unwrap_or_else(|| self.post_url(&p.id))),
            remote_id: Some(p.id),
            request_id: reply.trace_id(),
            deduplicated: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn whitespace_differences_do_not_matter() {
        assert_eq!(normalize(" ประกาศ\r\n\r\nเรื่อง  ถนน \n"), "ประกาศ เรื่อง ถนน");
    }
}
