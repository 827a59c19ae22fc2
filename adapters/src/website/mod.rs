//! The built-in static website: the station's channel of record, where ITA assessors look.
//!
//! What lives here: the `website` [`Channel`]. Publishing an announcement writes its page
//! (`news/<id>.html`), its record (`_entries/<id>.json`), copies its media (`media/`), and
//! rebuilds only what the entry touches: its department's landing page
//! (`departments/<code>/`) and its page for the fiscal year (`departments/<code>/<FY BE>/`,
//! entries by month), its month page grouped by department (`months/<BE year>-<MM>/`, the ITA
//! "monthly, by line of work" page), the home page with every month by fiscal year, the
//! department and month indexes, and the feeds (`feed.xml` RSS 2.0, `atom.xml`, `feed.json`
//! JSON Feed 1.1). Pages come from the templates in `config/templates/website/` (embedded; a
//! templates directory may override them), with dates in Thai Buddhist Era style from
//! [`crate::thai`]. `Website::open` rebuilds every index from the records, which repairs
//! whatever a killed process left, unless the mark of current index pages (`mark`) says that
//! nothing changed since they were last written in full; only the process that publishes (the
//! daemon) opens the site.
//! [`Website::for_composing`] is the same channel for everyone else (the command line): the
//! same `prepare`, limits and page URLs, and it never writes a file.
//!
//! What must never happen here: user text reaching a page unescaped (HTML is made only by
//! auto-escaping templates; JSON-LD is escaped for the script element); a half-written file
//! (every write is a temporary file renamed into place); two pages or two records for one
//! announcement (the id names both); shortening text (the website refuses what does not fit,
//! other channels shorten and link here); or a publish whose cost grows with the archive's
//! page count (it rewrites a bounded set of pages, never all of them). One process writes a
//! site directory at a time.

mod archive;
mod body;
mod entry;
mod error;
mod feeds;
mod fsio;
mod mark;
mod paths;
mod prepare;
mod render;
mod settings;
mod site;
mod templates;
#[cfg(test)]
mod tests;
mod views;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

pub use entry::{Entry, EntryMedia, EntryRetraction, MonthKey};
pub use error::WebsiteError;
pub use mark::MARK as INDEXES_MARK;
pub use paths::DIGESTS_DIR;
pub use prepare::{KIND, limits};
pub use settings::{DEFAULT_FEED_ITEMS, RetractionPage, WebsiteSettings};

use crate::{
    Amend, Channel, Draft, Edit, Health, Idempotency, Limits, Payload, PublishContext,
    PublishError, Receipt, Rejection, Retraction,
};

/// The website channel. Cheap to clone; clones share one site and one lock.
#[derive(Clone)]
pub struct Website {
    mode: Mode,
    limits: Arc<Limits>,
}

/// Whether this process writes the site or only composes for it.
#[derive(Clone)]
enum Mode {
    /// Opened: the one writer of the site directory.
    Publishing(Arc<site::Site>),
    /// Prepare, limits and URLs only: no file is read for writing, none is written.
    Composing(Arc<WebsiteSettings>),
}

impl std::fmt::Debug for Website {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Website")
            .field("root", &self.root())
            .field("publishing", &self.is_publishing())
            .finish_non_exhaustive()
    }
}

impl Website {
    /// Open the site at `settings.root`: create the directory tree, load every entry record,
    /// write any missing article page and rebuild every index and feed (repairing whatever an
    /// interrupted publish left) unless they are current: the mark matches the settings, the
    /// templates, this build and the records, and every index page is there. Blocking: call it before the runtime's work starts, or in
    /// `spawn_blocking`.
    pub fn open(settings: WebsiteSettings) -> Result<Website, WebsiteError> {
        let site = site::Site::open(settings)?;
        Ok(Website {
            mode: Mode::Publishing(Arc::new(site)),
            limits: Arc::new(prepare::limits()),
        })
    }

    /// The website for a process that only composes and checks (the command line, while the
    /// daemon may be writing the site): the same `prepare`, limits and page URLs as an opened
    /// site, without opening it. It creates, sweeps and rewrites nothing; `publish` and
    /// `rebuild_all` refuse, and the health check only reads.
    pub fn for_composing(settings: WebsiteSettings) -> Website {
        Website {
            mode: Mode::Composing(Arc::new(settings)),
            limits: Arc::new(prepare::limits()),
        }
    }

    /// Whether this is the opened site (the one writer) rather than one for composing.
    pub fn is_publishing(&self) -> bool {
        matches!(self.mode, Mode::Publishing(_))
    }

    /// The canonical page URL of an announcement, which other channels link to.
    pub fn page_url(&self, announcement_id: i64) -> String {
        Self::page_url_for(&self.settings().base_url, announcement_id)
    }

    /// The canonical page URL of an announcement under `base_url`, without an open site
    /// (compose uses it to fill `Draft::link`).
    pub fn page_url_for(base_url: &str, announcement_id: i64) -> String {
        paths::absolute(base_url, &paths::page(announcement_id))
    }

    /// The announcement whose article page is at `relative` under the site root
    /// (`news/12.html` → 12), for counting page views.
    pub fn page_announcement(relative: &str) -> Option<i64> {
        paths::page_announcement(relative)
    }

    /// The site directory.
    pub fn root(&self) -> &Path {
        &self.settings().root
    }

    /// The settings the site was opened (or made for composing) with.
    pub fn settings(&self) -> &WebsiteSettings {
        match &self.mode {
            Mode::Publishing(site) => site.settings(),
            Mode::Composing(settings) => settings,
        }
    }

    /// The opened site, or why this one may not write.
    fn site(&self, what: &str) -> Result<Arc<site::Site>, WebsiteError> {
        match &self.mode {
            Mode::Publishing(site) => Ok(Arc::clone(site)),
            Mode::Composing(_) => Err(WebsiteError::Refused(format!(
                "website: cannot {what}: this process only composes for the site in {}; the daemon writes it",
                self.root().display()
            ))),
        }
    }

    /// Re-render every page (after the templates changed), then every index and feed.
    /// Returns the number of article pages.
    pub async fn rebuild_all(&self) -> Result<usize, WebsiteError> {
        let site = self.site("rebuild")?;
        let root = self.root().to_owned();
        tokio::task::spawn_blocking(move || site.rebuild_all())
            .await
            .map_err(|e| WebsiteError::io("rebuild", root, std::io::Error::other(e)))?
    }
}

#[async_trait]
impl Channel for Website {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn carries_documents(&self) -> bool {
        true
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        prepare::prepare(&self.limits, draft)
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let site = self.site("publish")?;
        let (payload_owned, key) = (payload.clone(), ctx.idempotency_key.clone());
        let span = tracing::info_span!(
            "website_publish",
            delivery_id = ctx.delivery_id,
            announcement_id = payload.announcement_id
        );
        let published = tokio::task::spawn_blocking(move || {
            span.in_scope(|| site.publish(&payload_owned, &key))
        })
        .await
        .map_err(|e| PublishError::Transient(format!("website publish task stopped: {e}")))?
        .map_err(|e| {
            tracing::warn!(delivery_id = ctx.delivery_id, error = %e, "website: publish failed");
            PublishError::from(e)
        })?;
        tracing::info!(
            delivery_id = ctx.delivery_id,
            announcement_id = payload.announcement_id,
            deduplicated = published.deduplicated,
            "website: published"
        );
        Ok(Receipt {
            remote_id: Some(payload.announcement_id.to_string()),
            url: Some(published.url),
            request_id: None,
            deduplicated: published.deduplicated,
        })
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        let summary = match &self.mode {
            Mode::Publishing(site) => {
                let site = Arc::clone(site);
                let pages = tokio::task::spawn_blocking(move || site.check())
                    .await
                    .map_err(|e| {
                        PublishError::Transient(format!("website health check stopped: {e}"))
                    })??;
                format!(
                    "website: writing to {}, {pages} pages",
                    self.root().display()
                )
            }
            Mode::Composing(settings) => {
                let root = settings.root.clone();
                tokio::task::spawn_blocking(move || site::check_without_writing(&root))
                    .await
                    .map_err(|e| {
                        PublishError::Transient(format!("website health check stopped: {e}"))
                    })??
            }
        };
        Ok(Health {
            summary,
            token_expires_at: None,
            missing_permissions: Vec::new(),
            quota: None,
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Native
    }

    fn amend(&self) -> Option<&dyn Amend> {
        Some(self)
    }
}

/// Corrections on the site: an edit rewrites the page in place (with "แก้ไขเมื่อ …") and every
/// index it is on; a retraction takes it off every index and feed, replaces the page by a
/// notice or removes it ([`RetractionPage`]) and unlinks its media. Both are keyed by the
/// announcement id, so a repeat rewrites the same files.
#[async_trait]
impl Amend for Website {
    async fn edit(
        &self,
        _receipt: &Receipt,
        payload: &Payload,
        edit: &Edit,
    ) -> Result<Receipt, PublishError> {
        let site = self.site("edit")?;
        let (payload, edited_at) = (payload.clone(), edit.edited_at);
        let id = payload.announcement_id;
        let url = tokio::task::spawn_blocking(move || site.edit(&payload, edited_at))
            .await
            .map_err(|e| PublishError::Transient(format!("website edit task stopped: {e}")))??;
        tracing::info!(
            announcement_id = id,
            revision = edit.revision,
            "website: page edited"
        );
        Ok(Receipt {
            remote_id: Some(id.to_string()),
            url: Some(url),
            request_id: None,
            deduplicated: false,
        })
    }

    async fn retract(
        &self,
        _receipt: &Receipt,
        payload: &Payload,
        retraction: &Retraction,
    ) -> Result<(), PublishError> {
        let site = self.site("retract")?;
        let id = payload.announcement_id;
        let r = EntryRetraction {
            at: retraction.retracted_at,
            reason: retraction.reason.clone(),
        };
        tokio::task::spawn_blocking(move || site.retract(id, r))
            .await
            .map_err(|e| PublishError::Transient(format!("website retract task stopped: {e}")))??;
        tracing::info!(announcement_id = id, "website: retracted");
        Ok(())
    }
}
