//! `[channels.<name>]`: the channels by name, each section saying its platform with `type`, so
//! two Facebook Pages are two sections:
//!
//! ```toml
//! [channels.page_traffic]
//! type = "facebook"
//! page_id = "…"
//! ```
//!
//! The built-in `website` and `outbox` are on with no configuration at all; their sections need
//! no `type`. The old form, a platform's own name without `type` (`[channels.facebook]`), is
//! still read, with one deprecation line. A section is deserialized with the settings of its
//! `type` straight from the file, so an unknown key or a bad value names the file, the key and
//! the line as everywhere else: the types are read first from the parsed table and handed to the
//! deserializer of `[channels]` (see [`with_types`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::de;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use prakat_adapters::facebook::FacebookSettings;
use prakat_adapters::line::LineSettings;
use prakat_adapters::thai::Digits;
use prakat_adapters::tiktok::TiktokSettings;
use prakat_adapters::wordpress::WordpressSettings;
use prakat_adapters::youtube::YoutubeSettings;

mod read;

/// One line per channel type. A new platform is one line here and one arm where the registry
/// builds it (`crate::channels`).
macro_rules! channel_types {
    ($($variant:ident($ty:ty) = $name:literal,)*) => {
        /// One channel's settings: its `type` and that type's keys.
        #[derive(Debug, Clone)]
        pub enum ChannelSettings {
            $($variant($ty),)*
        }

        impl ChannelSettings {
            /// Every `type` a section may name.
            pub const TYPES: &'static [&'static str] = &[$($name),*];

            /// The section's `type`: the channel kind, which picks its templates and limits.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $name,)*
                }
            }

            /// Publishes this channel may run at once, when its section says.
            pub fn concurrency(&self) -> Option<usize> {
                match self {
                    $(Self::$variant(c) => c.concurrency,)*
                }
            }

            /// How long one publish may take, when its section says.
            pub fn publish_timeout(&self) -> Option<std::time::Duration> {
                match self {
                    $(Self::$variant(c) => c.publish_timeout,)*
                }
            }

            /// Read every secret of the section, or name the one that cannot be read.
            pub fn resolve_secrets(&self) -> Result<(), String> {
                match self {
                    $(Self::$variant(c) => prakat_adapters::resolve_secrets(c),)*
                }
            }

            fn deserialize_as<'de, D: Deserializer<'de>>(
                ty: &str,
                d: D,
            ) -> Result<Self, D::Error> {
                match ty {
                    $($name => <$ty>::deserialize(d).map(Self::$variant),)*
                    other => Err(de::Error::unknown_variant(other, Self::TYPES)),
                }
            }

            fn to_table(&self) -> Result<toml::Table, String> {
                match self {
                    $(Self::$variant(c) => table_of(c),)*
                }
            }
        }
    };
}

channel_types! {
    Website(WebsiteChannel) = "website",
    Outbox(OutboxChannel) = "outbox",
    Facebook(FacebookSettings) = "facebook",
    Line(LineSettings) = "line",
    Youtube(YoutubeSettings) = "youtube",
    Tiktok(TiktokSettings) = "tiktok",
    Wordpress(WordpressSettings) = "wordpress",
}

fn table_of<T: Serialize>(value: &T) -> Result<toml::Table, String> {
    match toml::Value::try_from(value).map_err(|e| e.to_string())? {
        toml::Value::Table(t) => Ok(t),
        other => Err(format!("a channel section is a table, not {other}")),
    }
}

/// The built-in channels: on by default, their sections need no `type`.
const BUILT_IN: [&str; 2] = ["website", "outbox"];

impl ChannelSettings {
    /// Whether the channel is on: a platform section's presence turns it on; the built-ins
    /// have `enabled`.
    pub fn enabled(&self) -> bool {
        match self {
            ChannelSettings::Website(w) => w.enabled,
            ChannelSettings::Outbox(o) => o.enabled,
            _ => true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebsiteChannel {
    pub enabled: bool,
    /// Digits in dates on the website: `thai` (default, as in formal documents) or `arabic`.
    pub digits: Digits,
    /// How many newest announcements the home page and feeds show.
    pub feed_items: usize,
    /// What a retracted announcement's page becomes: `notice` (default: a short notice of
    /// when and why, kept for the record) or `remove` (the address answers 404).
    pub retraction: Retraction,
    pub concurrency: Option<usize>,
    /// How long one publish may take; `None`: `dispatch.publish_timeout`.
    #[serde(with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

/// `[channels.website] retraction`: what a retracted announcement's page becomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retraction {
    #[default]
    Notice,
    Remove,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboxChannel {
    pub enabled: bool,
    /// Defaults to `<data_dir>/outbox` for the channel named `outbox`, else
    /// `<data_dir>/channels/<name>/outbox`.
    pub dir: Option<PathBuf>,
    pub concurrency: Option<usize>,
    /// How long one publish may take; `None`: `dispatch.publish_timeout`.
    #[serde(with = "humantime_serde")]
    pub publish_timeout: Option<std::time::Duration>,
}

impl Default for WebsiteChannel {
    fn default() -> Self {
        WebsiteChannel {
            enabled: true,
            digits: Digits::Thai,
            feed_items: 50,
            retraction: Retraction::Notice,
            concurrency: None,
            publish_timeout: None,
        }
    }
}

impl Default for OutboxChannel {
    fn default() -> Self {
        OutboxChannel {
            enabled: true,
            dir: None,
            concurrency: None,
            publish_timeout: None,
        }
    }
}

/// Every channel section by name, the built-ins included.
#[derive(Debug, Clone)]
pub struct Channels {
    sections: BTreeMap<String, ChannelSettings>,
    /// Sections written in the old form (a platform's name, no `type`).
    old_form: Vec<String>,
}

impl Default for Channels {
    fn default() -> Self {
        let sections = BTreeMap::from([
            (
                "website".to_owned(),
                ChannelSettings::Website(WebsiteChannel::default()),
            ),
            (
                "outbox".to_owned(),
                ChannelSettings::Outbox(OutboxChannel::default()),
            ),
        ]);
        Channels {
            sections,
            old_form: Vec::new(),
        }
    }
}

impl Channels {
    /// A section by name, enabled or not.
    pub fn get(&self, name: &str) -> Option<&ChannelSettings> {
        self.sections.get(name)
    }

    /// Every section, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ChannelSettings)> {
        self.sections.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// Every enabled channel, by name.
    pub fn enabled(&self) -> impl Iterator<Item = (&str, &ChannelSettings)> {
        self.iter().filter(|(_, s)| s.enabled())
    }

    /// Add or replace a section (tests and tools that build settings in code).
    pub fn insert(&mut self, name: impl Into<String>, section: ChannelSettings) {
        self.sections.insert(name.into(), section);
    }

    /// The website's settings, when it is on.
    pub fn website(&self) -> Option<&WebsiteChannel> {
        match self.sections.get("website") {
            Some(ChannelSettings::Website(w)) if w.enabled => Some(w),
            _ => None,
        }
    }

    /// The deprecation line for sections in the old form, if any.
    pub fn deprecation(&self) -> Option<String> {
        if self.old_form.is_empty() {
            return None;
        }
        let fixes: Vec<String> = self
            .old_form
            .iter()
            .map(|n| format!("[channels.{n}] needs type = \"{n}\""))
            .collect();
        Some(format!(
            "settings: channel sections without `type` are deprecated: {} (see README, \"Channels\")",
            fixes.join(", ")
        ))
    }

    pub(super) fn validate(&self) -> Result<(), crate::i18n::Msg> {
        for (name, s) in &self.sections {
            if matches!(s, ChannelSettings::Website(_)) && name != "website" {
                return Err(crate::i18n::Msg::new("settings-one-website").with("name", name));
            }
        }
        Ok(())
    }
}

/// What the pre-pass found about one section: its `type` as written (or the name, in the old
/// form), and whether that was the old form.
#[derive(Debug, Clone)]
struct Found {
    ty: Option<String>,
    old_form: bool,
}

thread_local! {
    static TYPES: RefCell<Option<BTreeMap<String, Found>>> = const { RefCell::new(None) };
}

/// Run `f` (which deserializes the whole settings from the file or from `table`) knowing the
/// `type` of every `[channels.<name>]` in `table`, so each section is read with its own type.
pub(super) fn with_types<T>(table: &toml::Table, f: impl FnOnce() -> T) -> T {
    let mut found = BTreeMap::new();
    if let Some(toml::Value::Table(channels)) = table.get("channels") {
        for (name, section) in channels {
            let written = section
                .as_table()
                .and_then(|t| t.get("type"))
                .and_then(|t| t.as_str());
            let f = match written {
                Some(ty) => Found {
                    ty: Some(ty.to_owned()),
                    old_form: false,
                },
                None if ChannelSettings::TYPES.contains(&name.as_str()) => Found {
                    ty: Some(name.clone()),
                    old_form: !BUILT_IN.contains(&name.as_str()),
                },
                None => Found {
                    ty: None,
                    old_form: false,
                },
            };
            found.insert(name.clone(), f);
        }
    }
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            TYPES.with(|t| *t.borrow_mut() = None);
        }
    }
    TYPES.with(|t| *t.borrow_mut() = Some(found));
    let _reset = Reset;
    f()
}

impl Serialize for Channels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.sections.len()))?;
        for (name, section) in &self.sections {
            m.serialize_entry(name, &Typed(section))?;
        }
        m.end()
    }
}

/// A section as written: `type` first, then its keys.
struct Typed<'a>(&'a ChannelSettings);

impl Serialize for Typed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let table = self.0.to_table().map_err(serde::ser::Error::custom)?;
        let mut m = s.serialize_map(Some(table.len() + 1))?;
        m.serialize_entry("type", self.0.type_name())?;
        for (k, v) in &table {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
