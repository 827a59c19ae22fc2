//! The channel registry: the enabled channels by name, built from the settings. The only place
//! where channels are `dyn`: the engine looks them up here by the name stored on each delivery;
//! the kind (templates, limits) comes from each channel's `type`.
//!
//! Built for one [`Purpose`]. Only the daemon builds for [`Purpose::Publish`]: it opens the
//! website (which rebuilds its indexes), creates the channels' directories and reads every
//! secret. Commands build for [`Purpose::Compose`] (prepare, limits, kind: no file written, no
//! secret read) or [`Purpose::Check`] (the same, with every secret read for the health checks),
//! so they never write the files the daemon writes.

use std::collections::BTreeMap;
use std::sync::Arc;

use prakat_adapters::outbox::Outbox;
use prakat_adapters::website::{Website, WebsiteSettings};
use prakat_adapters::{Channel, ChannelEnv};

use crate::i18n::{Msg, io_reason};
use crate::settings::{ChannelSettings, Settings, WebsiteChannel};

/// Why the channels could not be built. The channel's own words (a secret that cannot be read,
/// a setting the platform needs) are kept as it said them. The text here is for logs; a person
/// reads [`ChannelsError::msg`], in their language.
#[derive(Debug, thiserror::Error)]
pub enum ChannelsError {
    #[error("channels.{channel}: {detail}")]
    Setup { channel: String, detail: String },
    #[error("cannot create {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the website in {dir}: {detail}")]
    Website { dir: String, detail: String },
}

impl ChannelsError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            ChannelsError::Setup { channel, detail } => Msg::new("channel-setup")
                .with("channel", channel)
                .with("detail", detail),
            ChannelsError::Directory { path, source } => Msg::new("channel-directory")
                .with("path", path)
                .with_msg("reason", io_reason(source)),
            ChannelsError::Website { dir, detail } => Msg::new("channel-website-open")
                .with("dir", dir)
                .with("detail", detail),
        }
    }
}

/// What the channels are built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The daemon: the one writer of the website, the outbox and the channels' files.
    Publish,
    /// A command that composes (`post`) or only reads (`queue`, `department`): nothing is
    /// written and no secret is read.
    Compose,
    /// `channels check`: as `Compose`, but every secret is read and the health checks run.
    Check,
}

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

    /// The daemon's channels: opens the website, creates the channels' directories, reads
    /// every secret.
    pub fn for_publishing(s: &Settings) -> anyhow::Result<Registry> {
        Self::build(s, Purpose::Publish)
    }

    /// A command's channels for composing: no file written, no secret read.
    pub fn for_composing(s: &Settings) -> anyhow::Result<Registry> {
        Self::build(s, Purpose::Compose)
    }

    /// Build every enabled channel for `purpose`.
    pub fn build(s: &Settings, purpose: Purpose) -> anyhow::Result<Registry> {
        let http = prakat_adapters::http::client(prakat_adapters::http::HttpTimeouts {
            connect: s.http.connect_timeout,
            request: s.http.request_timeout,
        });
        let mut r = Registry::new();
        for (name, section) in s.channels.enabled() {
            if purpose != Purpose::Compose {
                section
                    .resolve_secrets()
                    .map_err(|detail| ChannelsError::Setup {
                        channel: name.to_owned(),
                        detail,
                    })?;
            }
            let data_dir = s.channel_dir(name);
            if purpose == Purpose::Publish
                && !matches!(
                    section,
                    ChannelSettings::Website(_) | ChannelSettings::Outbox(_)
                )
            {
                std::fs::create_dir_all(&data_dir).map_err(|source| ChannelsError::Directory {
                    path: data_dir.display().to_string(),
                    source,
                })?;
            }
            let env = ChannelEnv {
                http: http.clone(),
                data_dir,
                public_base_url: s.public_base_url(),
            };
            let platform = |built: Result<Arc<dyn Channel>, String>| {
                built.map_err(|detail| ChannelsError::Setup {
                    channel: name.to_owned(),
                    detail,
                })
            };
            // One arm per type.
            let channel: Arc<dyn Channel> = match section {
                ChannelSettings::Website(w) => Arc::new(match purpose {
                    Purpose::Publish => open_website(s, w)?,
                    Purpose::Compose | Purpose::Check => {
                        Website::for_composing(website_settings(s, w))
                    }
                }),
                ChannelSettings::Outbox(_) => {
                    let dir = s.outbox_dir_of(name);
                    Arc::new(match purpose {
                        Purpose::Publish => Outbox::new(dir),
                        Purpose::Compose | Purpose::Check => Outbox::for_composing(dir),
                    })
                }
                ChannelSettings::Facebook(c) => platform(
                    prakat_adapters::facebook::Facebook::new(c.clone(), &env)
                        .map(|c| Arc::new(c) as _),
                )?,
                ChannelSettings::Line(c) => platform(
                    prakat_adapters::line::Line::new(c.clone(), &env).map(|c| Arc::new(c) as _),
                )?,
                ChannelSettings::Youtube(c) => platform(
                    prakat_adapters::youtube::Youtube::new(c.clone(), &env)
                        .map(|c| Arc::new(c) as _),
                )?,
                ChannelSettings::Tiktok(c) => platform(
                    prakat_adapters::tiktok::Tiktok::new(c.clone(), &env).map(|c| Arc::new(c) as _),
                )?,
                ChannelSettings::Wordpress(c) => platform(
                    prakat_adapters::wordpress::Wordpress::new(c.clone(), &env)
                        .map(|c| Arc::new(c) as _),
                )?,
            };
            r.insert(
                name,
                channel,
                section.concurrency().unwrap_or(s.dispatch.concurrency),
            );
            if let Some(entry) = r.channels.get_mut(name) {
                entry.publish_timeout = section.publish_timeout();
            }
        }
        Ok(r)
    }
}

/// The website's settings as the daemon's settings describe it.
fn website_settings(s: &Settings, w: &WebsiteChannel) -> WebsiteSettings {
    let mut ws = WebsiteSettings::new(
        s.site_dir(),
        website_base_url(s),
        &s.station.name_th,
        &s.station.name_en,
    );
    ws.templates_dir = s.templates.dir.as_ref().map(|d| d.join("website"));
    ws.feed_items = w.feed_items;
    ws.digits = w.digits;
    ws.retraction = match w.retraction {
        crate::settings::channels::Retraction::Notice => {
            prakat_adapters::website::RetractionPage::Notice
        }
        crate::settings::channels::Retraction::Remove => {
            prakat_adapters::website::RetractionPage::Remove
        }
    };
    ws
}

/// Open the built-in website for writing (this rebuilds its indexes and feeds). Only the
/// daemon, and `site rebuild` behind the daemon's lock, do this.
pub fn open_website(s: &Settings, w: &WebsiteChannel) -> Result<Website, ChannelsError> {
    Website::open(website_settings(s, w)).map_err(|e| ChannelsError::Website {
        dir: s.site_dir().display().to_string(),
        detail: e.to_string(),
    })
}

/// Where the website is served: `<public_base_url>/site`.
pub fn website_base_url(s: &Settings) -> String {
    format!("{}/site", s.public_base_url())
}
