//! Publishing text, link and photo posts: `POST /{page-id}/feed` (message, link), one photo by
//! URL with `POST /{page-id}/photos`, several photos as unpublished uploads attached to one
//! feed post. Each uploaded photo id is checkpointed before the next request so a retry after
//! a crash attaches the same photos instead of uploading them again.

use serde::Deserialize;

use super::Facebook;
use super::progress::{Progress, UploadedPhoto};
use crate::http::Effect;
use crate::{MediaRef, Payload, PublishContext, PublishError, Receipt};

#[derive(Deserialize)]
struct Created {
    id: String,
    #[serde(default)]
    post_id: Option<String>,
}

impl Facebook {
    /// The public link of a post id.
    pub(super) fn post_url(&self, post_id: &str) -> String {
        format!("https://www.facebook.com/{post_id}")
    }

    /// A feed post with text and the website link.
    pub(super) async fn publish_text(&self, payload: &Payload) -> Result<Receipt, PublishError> {
        let mut form = Vec::new();
        if !payload.text.is_empty() {
            form.push(("message".to_owned(), payload.text.clone()));
        }
        if let Some(link) = &payload.link {
            form.push(("link".to_owned(), link.clone()));
        }
        self.create_feed_post(form).await
    }

    async fn create_feed_post(&self, form: Vec<(String, String)>) -> Result<Receipt, PublishError> {
        let url = self.graph.url(&format!("{}/feed", self.settings.page_id));
        let reply = self
            .graph
            .post_form("create the Page post", &url, &form, Effect::Creates)
            .await?;
        let created: Created = reply.json("create the Page post")?;
        Ok(Receipt {
            url: Some(self.post_url(&created.id)),
            remote_id: Some(created.id),
            request_id: reply.trace_id(),
            deduplicated: false,
        })
    }

    /// One photo, published with its caption: the photo's `post_id` is the post.
    pub(super) async fn publish_photo(
        &self,
        payload: &Payload,
        media: &MediaRef,
    ) -> Result<Receipt, PublishError> {
        let url = self.graph.url(&format!("{}/photos", self.settings.page_id));
        let form = vec![
            ("url".to_owned(), self.env.media_url(media)),
            ("caption".to_owned(), payload.text.clone()),
        ];
        let reply = self
            .graph
            .post_form("post the photo", &url, &form, Effect::Creates)
            .await?;
        let created: Created = reply.json("post the photo")?;
        let post_id = created.post_id.unwrap_or(created.id);
        Ok(Receipt {
            url: Some(self.post_url(&post_id)),
            remote_id: Some(post_id),
            request_id: reply.trace_id(),
            deduplicated: false,
        })
    }

    /// Several photos: each uploaded unpublished (reusing saved ids), then one feed post with
    /// `attached_media[i]={"media_fbid":"…"}`.
    pub(super) async fn publish_photos(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let mut progress = Progress::load(ctx);
        let url = self.graph.url(&format!("{}/photos", self.settings.page_id));
        let mut ids = Vec::with_capacity(payload.media.len());
        for media in &payload.media {
            if let Some(id) = progress.photo(&media.sha256) {
                ids.push(id.to_owned());
                continue;
            }
            let form = vec![
                ("url".to_owned(), self.env.media_url(media)),
                ("published".to_owned(), "false".to_owned()),
            ];
            // An unpublished photo nobody attaches is invisible: repeating the upload is safe.
            let reply = self
                .graph
                .post_form("upload a photo", &url, &form, Effect::Repeatable)
                .await?;
            let created: Created = reply.json("upload a photo")?;
            progress.photos.push(UploadedPhoto {
                sha256: media.sha256.clone(),
                id: created.id.clone(),
            });
            progress.save(ctx).await?;
            ids.push(created.id);
        }
        let mut form = Vec::with_capacity(ids.len() + 1);
        if !payload.text.is_empty() {
            form.push(("message".to_owned(), payload.text.clone()));
        }
        for (i, id) in ids.iter().enumerate() {
            form.push((
                format!("attached_media[{i}]"),
                serde_json::json!({ "media_fbid": id }).to_string(),
            ));
        }
        self.create_feed_post(form).await
    }
}
