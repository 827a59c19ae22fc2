//! The channel registry: the enabled channels by name, built from the settings. The only place
//! where channels are `dyn`: the engine looks them up here by the name stored on each delivery.

use std::collections::BTreeMap;
use std::sync::Arc;

use prakat_adapters::outbox::Outbox;
use prakat_adapters::website::{Website, WebsiteSettings};
use prakat_adapters::{Channel, ChannelEnv};

use crate::settings::Settings;

/// One enabled channel and how many publishes it may run at once.
#[derive(Clone)]
pub struct Entry {
    pub channel: Arc<dyn Channel>,
    pub concurrency: usize,
    /// This channel's own publish timeout (uploads need a long one); else
    /// `dispatch.publish_timeout`.
    pub publish_timeout: Option<std::time::Duration>,
}

#[derive(Clone, Default)]
pub struct Registry {
    channels: BTreeMap<String, Entry>,
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    pub fn insert(
        &mut self,
        name: impl Into<String>,
        channel: Arc<dyn Channel>,
        concurrency: usize,
    ) {
        self.channels.insert(
            name.into(),
            Entry {
                channel,
                concurrency: concurrency.max(1),
                publish_timeout: None,
            },
        );
    }

    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.channels.get(name)
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Channel>> {
        self.channels.get(name).map(|e| &e.channel)
    }

    pub fn entries(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.channels.iter()
    }

    pub fn names(&self) -> Vec<String> {
        self.channels.keys().cloned().collect()
    }

    /// Build every enabled channel. Opening the website rebuilds its indexes from its entries.
    pub fn from_settings(s: &Settings) -> anyhow::Result<Registry> {
        let mut r = Registry::new();
        let c = &s.channels;
        if c.website.enabled {
            let site = open_website(s)?;
            r.insert(
                "website",
                Arc::new(site),
                c.website.concurrency.unwrap_or(s.dispatch.concurrency),
            );
        }
        let http = prakat_adapters::http::client(prakat_adapters::http::HttpTimeouts {
            connect: s.http.connect_timeout,
            request: s.http.request_timeout,
        });
        let env = |name: &str| -> anyhow::Result<ChannelEnv> {
            let dir = s.channel_dir(name);
            std::fs::create_dir_all(&dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            Ok(ChannelEnv {
                http: http.clone(),
                data_dir: dir,
                public_base_url: s.public_base_url(),
            })
        };
        // One line per platform: build it from its section, with its own files directory.
        macro_rules! platform {
            ($field:ident, $ty:ty) => {
                if let Some(cfg) = &c.$field {
                    let name = stringify!($field);
                    let ch = <$ty>::new(cfg.clone(), &env(name)?)
                        .map_err(|e| anyhow::anyhow!("channels.{name}: {e}"))?;
                    r.insert(
                        name,
                        Arc::new(ch),
                        cfg.concurrency.unwrap_or(s.dispatch.concurrency),
                    );
                }
            };
        }
        platform!(facebook, prakat_adapters::facebook::Facebook);
        platform!(line, prakat_adapters::line::Line);
        platform!(youtube, prakat_adapters::youtube::Youtube);
        platform!(tiktok, prakat_adapters::tiktok::Tiktok);
        platform!(wordpress, prakat_adapters::wordpress::Wordpress);
        if c.outbox.enabled {
            r.insert(
                "outbox",
                Arc::new(Outbox::new(s.outbox_dir())),
                c.outbox.concurrency.unwrap_or(s.dispatch.concurrency),
            );
        }
        Ok(r)
    }
}

/// Open the built-in website as the settings describe it (this rebuilds its indexes and feeds).
pub fn open_website(s: &Settings) -> anyhow::Result<Website> {
    let mut ws = WebsiteSettings::new(
        s.site_dir(),
        website_base_url(s),
        &s.station.name_th,
        &s.station.name_en,
    );
    ws.templates_dir = s.templates.dir.as_ref().map(|d| d.join("website"));
    ws.feed_items = s.channels.website.feed_items;
    ws.digits = s.channels.website.digits;
    Website::open(ws)
        .map_err(|e| anyhow::anyhow!("cannot open the website in {}: {e}", s.site_dir().display()))
}

/// Where the website is served: `<public_base_url>/site`.
pub fn website_base_url(s: &Settings) -> String {
    format!("{}/site", s.public_base_url())
}
