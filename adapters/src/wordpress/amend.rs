//! Corrections to a published post: an edit is `POST /wp/v2/posts/<id>` with the title and the
//! content built as `publish` builds them (the media the post already shows are read back from
//! its raw content and embedded again, so they are neither uploaded twice nor lost); a
//! retraction is `DELETE /wp/v2/posts/<id>` without `force`, which moves the post to the
//! site's trash, where a person can still restore it.
//!
//! Both are repeatable (the same update twice leaves one post with the new text), so a lost
//! answer is `Transient`. A post already in the trash (410 `rest_already_trashed`) or gone for
//! good (404 `rest_post_invalid_id`) counts as retracted. An edit of a trashed or deleted post
//! is `Rejected`: bringing it back is a person's decision.

use serde::Deserialize;
use serde_json::json;

use super::content::{self, Embedded};
use super::{Post, Wordpress, errors};
use crate::http::Effect;
use crate::{Payload, PublishError, Receipt};

/// The part of a post read with `context=edit` that an edit needs.
#[derive(Deserialize)]
struct Editable {
    #[serde(default)]
    content: Raw,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize, Default)]
struct Raw {
    #[serde(default)]
    raw: String,
}

/// The post id a receipt names.
fn post_id(receipt: &Receipt) -> Result<u64, PublishError> {
    receipt
        .remote_id
        .as_deref()
        .and_then(|id| id.trim().parse().ok())
        .ok_or_else(|| {
            PublishError::Rejected(format!(
                "the receipt names no WordPress post id ({:?}): the post must be changed by hand \
                 on the site",
                receipt.remote_id
            ))
        })
}

fn in_trash(id: u64) -> PublishError {
    PublishError::Rejected(format!(
        "the WordPress post {id} is in the site's trash: the correction is not applied; restore \
         it in wp-admin (Posts → Trash) and correct again, or publish the announcement again"
    ))
}

impl Wordpress {
    /// Replace the post's title and content with the payload's.
    pub(super) async fn edit_post(
        &self,
        receipt: &Receipt,
        payload: &Payload,
    ) -> Result<Receipt, PublishError> {
        let id = post_id(receipt)?;
        let route = format!("wp/v2/posts/{id}");
        let media = if payload.media.is_empty() {
            Vec::new()
        } else {
            let url = self.api.url(&route, &[("context", "edit")]);
            let post: Editable = self
                .api
                .send(
                    "read the post before the edit",
                    self.api.request(reqwest::Method::GET, url),
                    Effect::Repeatable,
                )
                .await?;
            if post.status == "trash" {
                return Err(in_trash(id));
            }
            content::media_in(&post.content.raw)
        };
        let embedded: Vec<Embedded<'_>> = media.iter().map(content::Found::embedded).collect();
        let body = json!({
            "title": payload.title,
            "content": content::render(&payload.text, &payload.title, &embedded),
        });
        let req = self
            .api
            .request(reqwest::Method::POST, self.api.url(&route, &[]))
            .json(&body);
        let post: Post = self.api.send("edit post", req, Effect::Repeatable).await?;
        if post.status == "trash" {
            return Err(in_trash(id));
        }
        Ok(Receipt {
            remote_id: Some(post.id.to_string()),
            url: Some(post.link)
                .filter(|l| !l.is_empty())
                .or(receipt.url.clone()),
            request_id: None,
            deduplicated: false,
        })
    }

    /// Move the post to the trash. One already there, or gone, is not an error.
    pub(super) async fn trash_post(&self, receipt: &Receipt) -> Result<(), PublishError> {
        const WHAT: &str = "move the post to the trash";
        let id = post_id(receipt)?;
        let url = self.api.url(&format!("wp/v2/posts/{id}"), &[]);
        let (status, headers, body) = self
            .api
            .exchange(
                WHAT,
                self.api.request(reqwest::Method::DELETE, url),
                Effect::Repeatable,
            )
            .await?;
        if status.is_success() {
            return Ok(());
        }
        let code = errors::WpError::parse(&body).map(|e| e.code);
        match (status.as_u16(), code.as_deref()) {
            (410, _) | (404, Some("rest_post_invalid_id")) => {
                tracing::info!(
                    channel = "wordpress",
                    post_id = id,
                    status = status.as_u16(),
                    "the post was already in the trash or gone: nothing to retract"
                );
                Ok(())
            }
            _ => Err(errors::classify(
                WHAT,
                status,
                &headers,
                &body,
                Effect::Repeatable,
            )),
        }
    }
}
