//! The website's own reach: views of its announcement pages, counted per announcement and
//! Bangkok day.
//!
//! Counting must not slow a page down: a view is one increment in memory, under a lock held for
//! nothing else; the daemon writes the counts out every `reach.page_views_flush` (and at
//! shutdown), a failed write keeping them for the next one. Nothing about the reader is kept —
//! no address, no user agent, no cookie — and bots and crawlers are recognised by their user
//! agent (the `isbot` list) and not counted, nor is a request without one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use chrono_tz::Asia::Bangkok;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::store::{PageViews, Store, StoreError};

pub struct PageViewCounter {
    counts: Mutex<HashMap<(i64, NaiveDate), u64>>,
    bots: isbot::Bots,
    clock: Arc<dyn Clock>,
}

impl PageViewCounter {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        PageViewCounter {
            counts: Mutex::new(HashMap::new()),
            bots: isbot::Bots::default(),
            clock,
        }
    }

    /// Whether a request with this user agent is a person's (a bot's is not counted; neither
    /// is a request that gives no user agent, as scripts do).
    pub fn is_person(&self, user_agent: Option<&str>) -> bool {
        match user_agent.map(str::trim) {
            Some(ua) if !ua.is_empty() => !self.bots.is_bot(ua),
            _ => false,
        }
    }

    /// Count a view of the page at `site_path` (under the site root, `news/12.html`), if it is
    /// an announcement's page and the reader is a person. Returns whether it was counted.
    pub fn count(&self, site_path: &str, user_agent: Option<&str>) -> bool {
        let Some(id) = prakat_adapters::website::Website::page_announcement(site_path) else {
            return false;
        };
        if !self.is_person(user_agent) {
            return false;
        }
        let day = self.clock.now().with_timezone(&Bangkok).date_naive();
        *self
            .counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((id, day))
            .or_default() += 1;
        true
    }

    /// Take the counts so far, leaving none.
    pub fn take(&self) -> Vec<PageViews> {
        let counts = std::mem::take(&mut *self.counts.lock().unwrap_or_else(|e| e.into_inner()));
        let mut views: Vec<PageViews> = counts
            .into_iter()
            .map(|((announcement_id, day), views)| PageViews {
                announcement_id,
                day,
                views,
            })
            .collect();
        views.sort_by_key(|v| (v.announcement_id, v.day));
        views
    }

    /// Put counts back that could not be written.
    fn restore(&self, views: Vec<PageViews>) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for v in views {
            *counts.entry((v.announcement_id, v.day)).or_default() += v.views;
        }
    }

    /// Write the counts so far to the store; on failure they are kept for the next flush.
    pub async fn flush<S: Store>(&self, store: &S) -> Result<usize, StoreError> {
        let views = self.take();
        let n = views.len();
        if let Err(e) = store.add_page_views(&views).await {
            self.restore(views);
            return Err(e);
        }
        Ok(n)
    }

    /// Flush every `every` until shutdown, then once more.
    pub async fn run<S: Store>(
        self: Arc<Self>,
        store: Arc<S>,
        every: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let stop = tokio::select! {
                _ = tokio::time::sleep(every) => false,
                _ = shutdown.wait_for(|s| *s) => true,
            };
            if let Err(e) = self.flush(&*store).await {
                tracing::warn!(error = %e, "page views not written yet; kept for the next try");
            }
            if stop {
                return;
            }
        }
    }
}
