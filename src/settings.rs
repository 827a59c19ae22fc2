//! Settings: built-in defaults, then a TOML file (`--config` or `PRAKAT_CONFIG`), then
//! `PRAKAT__SECTION__KEY` environment variables. Unknown keys and bad values are errors that name
//! the file (or variable), the key and the line. With no file at all, everything has a working
//! default: SQLite and the static website under `./prakat-data`, public HTTP on 127.0.0.1:8080,
//! admin HTTP (`/metrics`, `/internal/*`) on 127.0.0.1:8081.
//!
//! Secrets (tokens, passwords; the platform channels add them) are [`prakat_adapters::Secret`]
//! values, inline, from the environment or from a file — the last two read when first used, so
//! a command that needs no token works without it — and never printed: see
//! [`Settings::redacted`]. The channels, `[channels.<name>]` with a `type`, are in
//! [`channels`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub mod channels;

pub use channels::{ChannelSettings, Channels, OutboxChannel, WebsiteChannel};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: Server,
    pub storage: Storage,
    pub station: Station,
    pub dispatch: Dispatch,
    pub templates: Templates,
    pub media: Media,
    pub post: Post,
    pub http: Http,
    pub channels: Channels,
    pub ui: Ui,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Http {
    /// How long connecting to a platform may take.
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// How long one request to a platform may take (an upload chunk included).
    #[serde(with = "humantime_serde")]
    pub request_timeout: Duration,
}

impl Default for Http {
    fn default() -> Self {
        let d = prakat_adapters::http::HttpTimeouts::default();
        Http {
            connect_timeout: d.connect,
            request_timeout: d.request,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    /// The public listener: the website (`/site/`), media (`/media/`, which LINE and Facebook
    /// fetch) and `/healthz`, nothing else. Safe to expose.
    pub listen: SocketAddr,
    /// The admin listener: `/metrics` and `/internal/*` (the CLI's wake-up and upload progress).
    /// Loopback by default; the CLI reaches the daemon here.
    pub admin_listen: SocketAddr,
    /// When set, every request to the admin listener needs `Authorization: Bearer <token>`
    /// (the CLI sends it). Set it before putting `admin_listen` on anything but loopback.
    pub admin_token: Option<prakat_adapters::Secret>,
    /// The address the public reaches the daemon at: page links and media URLs use it.
    /// Defaults to `http://<listen>`.
    pub public_base_url: Option<String>,
}

impl Server {
    /// Where a client on this machine reaches the admin listener (`http://127.0.0.1:8081`): an
    /// unspecified listen address (`0.0.0.0`, `::`) is reached on loopback.
    pub fn admin_base_url(&self) -> String {
        let mut addr = self.admin_listen;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Storage {
    /// Everything prakat writes lives here: database, media, site, outbox.
    pub data_dir: PathBuf,
    /// `sqlite://…`; defaults to `<data_dir>/prakat.db`.
    pub database_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Station {
    pub name_th: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Dispatch {
    /// Most deliveries claimed in one go (also the most in flight at once).
    pub batch_size: usize,
    /// How long a claim is held before another claimer may take it over.
    #[serde(with = "humantime_serde")]
    pub lease: Duration,
    /// A publish call that takes longer is abandoned as ambiguous.
    #[serde(with = "humantime_serde")]
    pub publish_timeout: Duration,
    /// Transient failures are retried this many attempts in all, then the delivery fails.
    pub max_attempts: u32,
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    #[serde(with = "humantime_serde")]
    pub retry_max: Duration,
    /// Publishes in parallel per channel, unless the channel's own section says otherwise.
    pub concurrency: usize,
    /// How long shutdown waits for in-flight publishes before leaving them to the next start.
    #[serde(with = "humantime_serde")]
    pub shutdown_grace: Duration,
    /// The longest sleep with nothing due: a safety net for work added by another process that
    /// could not wake the daemon.
    #[serde(with = "humantime_serde")]
    pub idle_recheck: Duration,
    /// After a channel's token is refused, its other deliveries are parked without calling the
    /// platform for this long (one refused call, not one per delivery). A restart with a fixed
    /// token lifts the hold at once.
    #[serde(with = "humantime_serde")]
    pub auth_hold: Duration,
    /// How long a platform may still be working on a request after its answer was lost (the
    /// connection dropped, a crash): after an unsettled attempt, a channel that looks its posts
    /// up waits for the attempt's start + `publish_timeout` + this before it looks, because a
    /// look-up proves nothing while the earlier create may still complete.
    #[serde(with = "humantime_serde")]
    pub reconcile_margin: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Templates {
    /// A directory whose files override the built-in templates (`channels/<kind>.txt`,
    /// `website/*.html`). Unset: the built-in ones.
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Media {
    pub max_image_bytes: u64,
    pub max_video_bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Post {
    /// Channels a post goes to when `--channels` is not given.
    pub default_channels: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ui {
    /// Language of CLI messages: `en` or `th`.
    pub lang: Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Th,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            server: Server::default(),
            storage: Storage::default(),
            station: Station::default(),
            dispatch: Dispatch::default(),
            templates: Templates::default(),
            media: Media::default(),
            post: Post::default(),
            http: Http::default(),
            channels: Channels::default(),
            ui: Ui { lang: Lang::En },
        }
    }
}

impl Default for Server {
    fn default() -> Self {
        Server {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_listen: SocketAddr::from(([127, 0, 0, 1], 8081)),
            admin_token: None,
            public_base_url: None,
        }
    }
}

impl Default for Storage {
    fn default() -> Self {
        Storage {
            data_dir: PathBuf::from("./prakat-data"),
            database_url: None,
        }
    }
}

impl Default for Station {
    fn default() -> Self {
        Station {
            name_th: "สถานีตำรวจภูธรเมืองระนอง".into(),
            name_en: "Mueang Ranong Provincial Police Station".into(),
        }
    }
}

impl Default for Dispatch {
    fn default() -> Self {
        Dispatch {
            batch_size: 256,
            lease: Duration::from_secs(120),
            publish_timeout: Duration::from_secs(60),
            max_attempts: 8,
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            concurrency: 4,
            shutdown_grace: Duration::from_secs(10),
            idle_recheck: Duration::from_secs(30),
            auth_hold: Duration::from_secs(15 * 60),
            reconcile_margin: Duration::from_secs(30),
        }
    }
}

impl Default for Media {
    fn default() -> Self {
        Media {
            max_image_bytes: 20 * 1024 * 1024,
            max_video_bytes: 1024 * 1024 * 1024,
        }
    }
}

impl Default for Post {
    fn default() -> Self {
        Post {
            default_channels: vec!["website".into()],
        }
    }
}

impl Default for Ui {
    fn default() -> Self {
        Ui { lang: Lang::En }
    }
}

/// A settings problem, said so a person can fix it: the file or variable, the key, the line.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid settings in {path}:\n{message}")]
    File { path: PathBuf, message: String },
    #[error("invalid setting in environment variable {var}: {message}")]
    Env { var: String, message: String },
    #[error("invalid settings: {0}")]
    Invalid(String),
}

const ENV_PREFIX: &str = "PRAKAT__";

impl Settings {
    /// Load from an optional file and the process environment; a deprecated form in the file
    /// is said once, as a warning.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let settings = Self::load_from(file, std::env::vars())?;
        if let Some(line) = settings.channels.deprecation() {
            tracing::warn!("{line}");
        }
        Ok(settings)
    }

    /// Load from an optional file and the given environment (tests pass their own).
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        let (mut settings, mut table) = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                let in_file = |e: toml::de::Error| SettingsError::File {
                    path: path.to_owned(),
                    message: e.to_string(),
                };
                let table: toml::Table = toml::from_str(&text).map_err(in_file)?;
                // Deserialize from the text itself so errors carry the line and column.
                let settings: Settings =
                    channels::with_types(&table, || toml::from_str(&text)).map_err(in_file)?;
                (settings, table)
            }
            None => (Settings::default(), toml::Table::new()),
        };
        let mut overridden = Vec::new();
        for (var, value) in env {
            let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            if path.iter().any(String::is_empty) {
                return Err(SettingsError::Env {
                    var,
                    message: "empty key segment".into(),
                });
            }
            set_path(&mut table, &path, parse_env_value(&value));
            overridden.push(var);
        }
        if !overridden.is_empty() {
            settings = channels::with_types(&table.clone(), || table.try_into()).map_err(
                |e: toml::de::Error| SettingsError::Env {
                    var: overridden.join(", "),
                    message: e.message().to_owned(),
                },
            )?;
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let d = &self.dispatch;
        if d.batch_size == 0 || d.concurrency == 0 {
            return Err(SettingsError::Invalid(
                "dispatch.batch_size and dispatch.concurrency must be at least 1".into(),
            ));
        }
        if d.max_attempts == 0 {
            return Err(SettingsError::Invalid(
                "dispatch.max_attempts must be at least 1".into(),
            ));
        }
        if d.lease <= d.publish_timeout {
            return Err(SettingsError::Invalid(format!(
                "dispatch.lease ({}) must be longer than dispatch.publish_timeout ({}), or a slow publish could be claimed twice",
                humantime::format_duration(d.lease),
                humantime::format_duration(d.publish_timeout)
            )));
        }
        for (name, section) in self.channels.enabled() {
            if let Some(t) = section.publish_timeout()
                && t >= d.lease
            {
                return Err(SettingsError::Invalid(format!(
                    "channels.{name}.publish_timeout ({}) must be shorter than dispatch.lease ({}), or a slow publish could be claimed twice",
                    humantime::format_duration(t),
                    humantime::format_duration(d.lease)
                )));
            }
        }
        if self.server.listen.ip().is_unspecified() && self.server.public_base_url.is_none() {
            return Err(SettingsError::Invalid(format!(
                "server.listen is {} (every address of this machine) but server.public_base_url is not set: \
                 the website's links and those sent to LINE and Facebook would point at http://{}, which no reader can open. \
                 Set server.public_base_url to the address the public uses, e.g. \"https://ranong.police.go.th\" \
                 (or PRAKAT__SERVER__PUBLIC_BASE_URL)",
                self.server.listen, self.server.listen
            )));
        }
        if self.server.listen == self.server.admin_listen && self.server.listen.port() != 0 {
            return Err(SettingsError::Invalid(format!(
                "server.admin_listen ({}) must differ from server.listen: the admin listener is kept apart from the public one",
                self.server.admin_listen
            )));
        }
        if let Some(url) = &self.server.public_base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(SettingsError::Invalid(format!(
                "server.public_base_url must start with http:// or https://, not {url:?}"
            )));
        }
        self.channels.validate().map_err(SettingsError::Invalid)?;
        for c in &self.post.default_channels {
            if !self.channel_enabled(c) {
                return Err(SettingsError::Invalid(format!(
                    "post.default_channels names {c:?}, which is not an enabled channel"
                )));
            }
        }
        Ok(())
    }

    /// Whether a channel of this name is configured and on.
    pub fn channel_enabled(&self, name: &str) -> bool {
        self.channels
            .get(name)
            .is_some_and(ChannelSettings::enabled)
    }

    /// Where a channel keeps its own files (rotating tokens).
    pub fn channel_dir(&self, name: &str) -> PathBuf {
        self.storage.data_dir.join("channels").join(name)
    }

    pub fn public_base_url(&self) -> String {
        self.server
            .public_base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.server.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn database_url(&self) -> String {
        self.storage.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.storage.data_dir.join("prakat.db").display()
            )
        })
    }

    pub fn site_dir(&self) -> PathBuf {
        self.storage.data_dir.join("site")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.storage.data_dir.join("media")
    }

    /// The folder of the outbox named `outbox`.
    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox_dir_of("outbox")
    }

    /// The folder of an outbox channel: its `dir`, else `<data_dir>/outbox` for the one named
    /// `outbox` and `<data_dir>/channels/<name>/outbox` for others.
    pub fn outbox_dir_of(&self, name: &str) -> PathBuf {
        match self.channels.get(name) {
            Some(ChannelSettings::Outbox(OutboxChannel { dir: Some(d), .. })) => d.clone(),
            _ if name == "outbox" => self.storage.data_dir.join("outbox"),
            _ => self.channel_dir(name).join("outbox"),
        }
    }

    /// The settings as TOML with every secret replaced by `[redacted]`, for `prakat config show`.
    pub fn redacted(&self) -> String {
        // Every secret is a `Secret`, whose Serialize writes "[redacted]".
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

fn parse_env_value(raw: &str) -> toml::Value {
    // A TOML literal if it is one (numbers, booleans, arrays), else a plain string.
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_owned()))
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    let (last, parents) = path.split_last().expect("non-empty path");
    let mut cur = table;
    for p in parents {
        let entry = cur
            .entry(p.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        cur = entry.as_table_mut().expect("just made a table");
    }
    cur.insert(last.clone(), value);
}

#[cfg(test)]
mod tests;
