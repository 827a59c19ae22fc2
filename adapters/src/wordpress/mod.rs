//! The wordpress channel: publishes an announcement as a post on the station's own WordPress
//! site through its REST API, signed in with an application password (HTTP Basic, WordPress
//! ≥ 5.6).
//!
//! One publish is: the department's category (found, or created once: `categories.rs`), each
//! photo or video uploaded to the media library (`media.rs`, raw body with `Content-Type` and an
//! ASCII-safe `Content-Disposition`), then one `POST /wp/v2/posts` with escaped HTML built from
//! the plain text (`content.rs`), the first image as `featured_media`, the announcement's time as
//! `date_gmt` (see [`date_gmt`]), and a deterministic slug `prakat-<announcement id>-<key
//! prefix>` ([`slug`]). Both URL styles are spoken: `{base}/wp-json/wp/v2/…` and `{base}/?rest_route=/wp/v2/…` (the
//! default: it works without pretty permalinks).
//!
//! Idempotency: WordPress has none, so the channel reconciles and its create detects copies
//! (`posts.rs`). The slug is the fingerprint. A post is created as a draft with the slug, then
//! given the configured status by a second, repeatable request; the REST API makes even a
//! draft's slug unique, so a slug that comes back as `…-2` proves an earlier attempt's post
//! exists: the copy is deleted and the original used (published if it is still a draft). After
//! an unsettled attempt, `GET /wp/v2/posts?slug=<slug>&status=any&context=edit` is asked first
//! and a draft found there is published instead of creating another. Reconcile counts only a
//! post that has the configured status. Uploaded media ids are saved with `ctx.save_state` after
//! each upload, so a later attempt reuses them instead of uploading again. A media upload that
//! fails with a 5xx or a timeout is retried as `Transient` and may leave an orphan file in the
//! media library: accepted (see `media.rs`).
//!
//! Not done: uploaded media are not attached to the post afterwards (`post` on the attachment),
//! so the media library lists them as unattached; alt text is only in the post's `<img alt>`.
//!
//! Tested against a fake REST API (adapters/tests/wordpress/) and, by
//! `scripts/wordpress-e2e.sh`, against a real WordPress 6.1 (Debian's package) on loopback.
//!
//! Reach: WordPress core counts no views, so this channel has no `ReachSource`. A source reading
//! Jetpack Stats (`/jetpack/v4/stats-app/…`) could be added later for sites that run it.
//!
//! Corrections (`amend.rs`): an edit sends the title and the content built as publish builds
//! them to `POST /wp/v2/posts/<id>`, embedding again the media the post already shows (read
//! back from its raw content with `context=edit`); the category, featured image, date and
//! slug stay, and a hand edit made on the site since is overwritten. A retraction moves the
//! post to the trash (`DELETE` without `force`), from where a person can restore it; a post
//! already trashed (410) or gone (404 `rest_post_invalid_id`) counts as retracted. Media added
//! to or removed from the announcement are not uploaded or removed by an edit.
//!
//! What must never happen here: a second published post for one delivery (a copy is detected
//! by its changed slug and deleted); the PR officer's text sent as raw
//! HTML; the application password in a log line or an error message; a retry inside `publish`.

mod amend;
mod categories;
mod client;
mod content;
mod errors;
mod health;
mod media;
mod payload;
mod posts;
mod settings;

use async_trait::async_trait;
use serde::Deserialize;

pub use payload::{ALLOWED_MIME, MEDIA_MAX, TEXT_MAX_CHARS, TITLE_MAX_CHARS, slug};
pub use settings::{PostStatus, UrlStyle, WordpressSettings};

use crate::{
    Amend, Channel, ChannelEnv, Draft, Edit, Health, Idempotency, Limits, MediaKind, Payload,
    PublishContext, PublishError, Receipt, Reconcile, Rejection, Retraction,
};
use categories::Categories;
use client::Api;
use content::Embedded;
use media::SavedState;

/// A WordPress site as a publishing channel.
pub struct Wordpress {
    settings: WordpressSettings,
    api: Api,
    limits: Limits,
    categories: Categories,
}

/// The part of a post WordPress returns that a receipt needs.
#[derive(Deserialize)]
struct Post {
    id: u64,
    #[serde(default)]
    link: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    status: String,
}

impl Wordpress {
    /// Build the channel from its settings (no network).
    pub fn new(settings: WordpressSettings, env: &ChannelEnv) -> Result<Wordpress, String> {
        if settings.max_upload_mb == 0 {
            return Err("wordpress max_upload_mb must be at least 1".into());
        }
        if settings.concurrency == Some(0) {
            return Err("wordpress concurrency must be at least 1".into());
        }
        let api = Api::new(
            env.http.clone(),
            &settings.base_url,
            settings.url_style,
            &settings.username,
            &settings.application_password,
        )?;
        Ok(Wordpress {
            limits: payload::limits(settings.max_upload_mb),
            settings,
            api,
            categories: Categories::default(),
        })
    }

    /// Publishes this channel may run at once, if the settings say.
    pub fn concurrency(&self) -> Option<usize> {
        self.settings.concurrency
    }

    /// The category a department's posts go into.
    pub fn category_name(&self, department: &crate::Department) -> String {
        match self.settings.categories.get(&department.code) {
            Some(name) => name.clone(),
            None => format!("{}{}", self.settings.category_prefix, department.name_th),
        }
    }

    /// The post this delivery published, if one holding its slug has the configured status
    /// (a draft an earlier attempt left is not published yet: `publish` finishes it).
    async fn find_by_slug(&self, slug: &str) -> Result<Option<Receipt>, PublishError> {
        let posts = self.holding(slug).await?;
        Ok(posts
            .into_iter()
            .find(|p| self.is_done(p))
            .map(|p| Receipt {
                remote_id: Some(p.id.to_string()),
                url: Some(p.link),
                request_id: None,
                deduplicated: true,
            }))
    }
}

#[async_trait]
impl Channel for Wordpress {
    fn kind(&self) -> &'static str {
        "wordpress"
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        payload::prepare(&self.limits, draft)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let slug = slug(payload.announcement_id, &ctx.idempotency_key);
        if ctx.after_unsettled_attempt
            && let Some(found) = self.finish_existing(&slug).await?
        {
            return Ok(found);
        }
        let category = self
            .categories
            .id_for(&self.api, &self.category_name(&payload.department))
            .await?;
        let mut state = SavedState::load(ctx);
        let uploaded = media::upload_all(&self.api, &payload.media, &mut state, ctx).await?;
        let embedded: Vec<Embedded<'_>> = payload
            .media
            .iter()
            .zip(&uploaded)
            .map(|(m, u)| Embedded {
                id: u.id,
                source_url: &u.source_url,
                kind: m.kind,
            })
            .collect();
        let featured = embedded
            .iter()
            .find(|e| e.kind == MediaKind::Image)
            .map(|e| e.id);
        let mut body = serde_json::json!({
            "title": payload.title,
            "content": content::render(&payload.text, &payload.title, &embedded),
            "categories": [category],
        });
        if let Some(date) = date_gmt(payload.published_at, chrono::Utc::now()) {
            body["date_gmt"] = date.into();
        }
        if let Some(id) = featured {
            body["featured_media"] = id.into();
        }
        self.create_two_phase(&slug, body).await
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        health::check(&self.api, self.settings.status).await
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Reconcile
    }

    fn reconcile(&self) -> Option<&dyn Reconcile> {
        Some(self)
    }

    fn amend(&self) -> Option<&dyn Amend> {
        Some(self)
    }
}

#[async_trait]
impl Amend for Wordpress {
    async fn edit(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        _edit: &Edit,
    ) -> Result<Receipt, PublishError> {
        self.edit_post(receipt, payload).await
    }

    async fn retract(
        &self,
        receipt: &Receipt,
        _payload: &Payload,
        _retraction: &Retraction,
    ) -> Result<(), PublishError> {
        self.trash_post(receipt).await
    }
}

/// How far behind our clock an announcement's time must be for it to be sent as `date_gmt`.
pub const DATE_GMT_MARGIN_SECONDS: i64 = 600;

/// The `date_gmt` a post is sent with: the announcement's time (`published_at`, UTC), unless it
/// is less than [`DATE_GMT_MARGIN_SECONDS`] before `now`. WordPress turns a `publish` whose date
/// is after its own clock into `future` (scheduled, left to WP-Cron), so a due time of "now"
/// sent to a site whose clock is a few seconds behind would not go live: then the date is left
/// out and WordPress stamps the post with its own "now", which is the same moment give or take
/// the skew. A delivery retried later keeps its announcement's time.
pub fn date_gmt(
    published_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<String> {
    (published_at <= now - chrono::Duration::seconds(DATE_GMT_MARGIN_SECONDS))
        .then(|| published_at.format("%Y-%m-%dT%H:%M:%S").to_string())
}

#[async_trait]
impl Reconcile for Wordpress {
    async fn find_published(
        &self,
        payload: &Payload,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, PublishError> {
        self.find_by_slug(&slug(payload.announcement_id, fingerprint))
            .await
    }
}
