//! Creating the post so that a repeat can never leave two: in two phases, self-detecting.
//!
//! 1. `POST /wp/v2/posts` as a **draft** with the deterministic slug (the only request that
//!    may be ambiguous). The REST API makes even a draft's explicit slug unique
//!    (`WP_REST_Posts_Controller::create_item` calls `wp_unique_post_slug` as for `publish`), so
//!    a slug that comes back changed (`…-2`) proves another post holds ours: an earlier attempt
//!    that got through after all. Ours is the copy: it is deleted (`DELETE …?force=true`) and
//!    the original is used (published if it is still a draft).
//! 2. `POST /wp/v2/posts/<id>` with the configured status: a repeatable update, so a failure
//!    there is only temporary and the next attempt finds the draft by its slug and publishes it.
//!
//! A reader never sees a draft, so the worst a crash can leave is an unpublished draft of an
//! attempt that reached WordPress after a later one had already published (its slug is `…-2`).

use serde_json::json;

use super::{Post, Wordpress};
use crate::http::Effect;
use crate::{PublishError, Receipt};

impl Wordpress {
    /// Every post holding `slug` exactly, drafts included (the signed-in `context=edit` view
    /// with `status=any`), oldest first.
    pub(super) async fn holding(&self, slug: &str) -> Result<Vec<Post>, PublishError> {
        let url = self.api.url(
            "wp/v2/posts",
            &[
                ("slug", slug),
                ("status", "any"),
                ("context", "edit"),
                ("orderby", "id"),
                ("order", "asc"),
                ("per_page", "10"),
            ],
        );
        let found: Vec<Post> = self
            .api
            .send(
                "find post by slug",
                self.api.request(reqwest::Method::GET, url),
                Effect::Repeatable,
            )
            .await?;
        Ok(found.into_iter().filter(|p| p.slug == slug).collect())
    }

    /// Whether a post has reached the status the settings ask for (`future` counts as
    /// published: WordPress schedules a post dated ahead of its own clock).
    pub(super) fn is_done(&self, post: &Post) -> bool {
        let want = self.settings.status.as_str();
        post.status == want || want == "publish" && post.status == "future"
    }

    /// The post already holding `slug`, brought to the configured status if it is a draft an
    /// earlier attempt left; `None` when no post holds it.
    pub(super) async fn finish_existing(
        &self,
        slug: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        let posts = self.holding(slug).await?;
        let Some(original) = posts.into_iter().next() else {
            return Ok(None);
        };
        let post = if self.is_done(&original) {
            original
        } else {
            self.set_status(original.id).await?
        };
        Ok(Some(receipt(post, true)))
    }

    /// Phase 1 and 2 for a delivery no post holds yet (see the module comment).
    pub(super) async fn create_two_phase(
        &self,
        slug: &str,
        mut body: serde_json::Value,
    ) -> Result<Receipt, PublishError> {
        body["status"] = json!("draft");
        body["slug"] = json!(slug);
        let req = self
            .api
            .request(reqwest::Method::POST, self.api.url("wp/v2/posts", &[]))
            .json(&body);
        let created: Post = self
            .api
            .send("create post (draft)", req, Effect::Creates)
            .await?;
        if created.slug != slug {
            if let Some(original) = self.finish_existing(slug).await? {
                tracing::warn!(
                    wanted = %slug,
                    got = %created.slug,
                    copy = created.id,
                    original = original.remote_id.as_deref(),
                    "WordPress already had this delivery's post: the copy is deleted"
                );
                self.delete(created.id).await?;
                return Ok(original);
            }
            // Held by a post in the trash: ours is the only live one.
            tracing::warn!(
                wanted = %slug,
                got = %created.slug,
                post_id = created.id,
                "WordPress changed the slug (a post in the trash holds it)"
            );
        }
        let draft_had_our_slug = created.slug == slug;
        let post = if self.is_done(&created) {
            created
        } else {
            self.set_status(created.id).await?
        };
        if draft_had_our_slug && post.slug != slug {
            return self.after_publish_clash(slug, post).await;
        }
        Ok(receipt(post, false))
    }

    /// Publishing gave our post another slug: a post holding ours appeared meanwhile (or the
    /// site keeps a draft's slug as given, as WordPress before the REST API's unique draft
    /// slugs did). A published holder is the original and ours the copy; a draft holder is an
    /// earlier attempt's leftover, deleted so ours can take the slug.
    async fn after_publish_clash(&self, slug: &str, ours: Post) -> Result<Receipt, PublishError> {
        let holders = self.holding(slug).await?;
        if let Some(original) = holders.iter().find(|p| p.id != ours.id && self.is_done(p)) {
            tracing::warn!(wanted = %slug, copy = ours.id, original = original.id,
                "WordPress already had this delivery's post: the copy is deleted");
            self.delete(ours.id).await?;
            let original = holders
                .into_iter()
                .find(|p| p.id != ours.id && self.is_done(p));
            return Ok(receipt(original.expect("found above"), true));
        }
        for leftover in holders.iter().filter(|p| p.id != ours.id) {
            tracing::warn!(wanted = %slug, leftover = leftover.id,
                "an earlier attempt's draft held this delivery's slug: it is deleted");
            self.delete(leftover.id).await?;
        }
        let req = self
            .api
            .request(
                reqwest::Method::POST,
                self.api.url(&format!("wp/v2/posts/{}", ours.id), &[]),
            )
            .json(&json!({ "slug": slug }));
        let post: Post = self
            .api
            .send("give the post its slug", req, Effect::Repeatable)
            .await?;
        Ok(receipt(post, false))
    }

    /// Phase 2: give a post the configured status. Repeating it changes nothing.
    async fn set_status(&self, id: u64) -> Result<Post, PublishError> {
        let want = self.settings.status.as_str();
        let req = self
            .api
            .request(
                reqwest::Method::POST,
                self.api.url(&format!("wp/v2/posts/{id}"), &[]),
            )
            .json(&json!({ "status": want }));
        let post: Post = self
            .api
            .send("publish post", req, Effect::Repeatable)
            .await?;
        if !self.is_done(&post) {
            tracing::warn!(wanted = want, got = %post.status, post_id = post.id, "WordPress gave the post another status");
        }
        Ok(post)
    }

    /// Delete a copy for good (`force=true`: not to the trash, where it would keep the slug).
    async fn delete(&self, id: u64) -> Result<(), PublishError> {
        let url = self
            .api
            .url(&format!("wp/v2/posts/{id}"), &[("force", "true")]);
        let (status, headers, body) = self
            .api
            .exchange(
                "delete the copy",
                self.api.request(reqwest::Method::DELETE, url),
                Effect::Repeatable,
            )
            .await?;
        // Gone already (an earlier try deleted it): nothing left to do.
        if status.is_success() || status.as_u16() == 404 || status.as_u16() == 410 {
            return Ok(());
        }
        Err(super::errors::classify(
            "delete the copy",
            status,
            &headers,
            &body,
            Effect::Repeatable,
        ))
    }
}

fn receipt(post: Post, deduplicated: bool) -> Receipt {
    Receipt {
        remote_id: Some(post.id.to_string()),
        url: Some(post.link),
        request_id: None,
        deduplicated,
    }
}
