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

use crate::i18n::Msg;

pub mod channels;
mod message;

pub use channels::{ChannelSettings, Channels, OutboxChannel, WebsiteChannel};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: Server,
    pub storage: Storage,
    pub station: Station,
    pub dispatch: Dispatch,
    pub reach: Reach,
    pub templates: Templates,
    pub media: Media,
    pub post: Post,
    pub rules: Rules,
    pub http: Http,
    pub channels: Channels,
    pub ui: Ui,
    pub telegram: Telegram,
    /// The web desk ([`crate::desk`]).
    pub desk: crate::desk::DeskSettings,
    pub digest: DigestSettings,
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
    /// fetch) and `/healthz`, nothing else. Safe to expose. An address and port
    /// (`127.0.0.1:8080`, `[::1]:8080`) or a host name and port (`localhost:8080`).
    #[serde(deserialize_with = "listen_address")]
    pub listen: SocketAddr,
    /// The admin listener: `/metrics` and `/internal/*` (the CLI's wake-up and upload progress).
    /// Loopback by default; the CLI reaches the daemon here.
    #[serde(deserialize_with = "listen_address")]
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
    /// SQLite's page cache per connection, in MiB (SQLite's own default is 2). Give it about
    /// the size of the database's busy part: the queued deliveries and their indexes.
    pub sqlite_cache_mib: u32,
    /// How much of the database file SQLite reads through a memory map, in MiB (0: none).
    pub sqlite_mmap_mib: u32,
}

impl Storage {
    /// SQLite's memory for pages, as these settings ask.
    pub fn sqlite_tuning(&self) -> crate::store::SqliteTuning {
        crate::store::SqliteTuning {
            cache_mib: self.sqlite_cache_mib,
            mmap_mib: self.sqlite_mmap_mib,
        }
    }
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

/// Reach collection: when each published delivery is sampled, and how gently.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reach {
    /// Whether the daemon collects reach at all (`prakat reach collect` works either way).
    pub enabled: bool,
    /// The slots: how long after publishing each sample is taken (humantime: "1h", "1d").
    pub after: Vec<crate::store::ReachSlot>,
    /// How often the daemon looks for slots that have come.
    #[serde(with = "humantime_serde")]
    pub every: Duration,
    /// Most samples taken in one pass.
    pub batch_size: usize,
    /// A slot that failed this many times is given up.
    pub max_attempts: u32,
    /// The wait after a first failure, doubled after each further one, up to `retry_max`.
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    #[serde(with = "humantime_serde")]
    pub retry_max: Duration,
    /// How often the website's page views counted in memory are written to the database.
    #[serde(with = "humantime_serde")]
    pub page_views_flush: Duration,
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            enabled: true,
            after: ["1h", "1d", "7d", "30d"]
                .into_iter()
                .map(|s| crate::store::ReachSlot::parse(s).expect("a valid slot"))
                .collect(),
            every: Duration::from_secs(300),
            batch_size: 200,
            max_attempts: 6,
            retry_base: Duration::from_secs(600),
            retry_max: Duration::from_secs(6 * 3600),
            page_views_flush: Duration::from_secs(60),
        }
    }
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
    /// The station's posting times, Bangkok time of day (`"09:00"`): "the next free slot" is
    /// the first of them, from today on, at which no announcement is due yet.
    pub slots: Vec<SlotTime>,
}

/// A time of day in Bangkok, written `HH:MM` in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SlotTime(pub chrono::NaiveTime);

impl TryFrom<String> for SlotTime {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map(SlotTime)
            .map_err(|_| format!("`{s}` is not a time of day: write it HH:MM, e.g. \"09:00\""))
    }
}

impl From<SlotTime> for String {
    fn from(t: SlotTime) -> String {
        t.0.format("%H:%M").to_string()
    }
}

/// Recurring rules (`post --recur`, `prakat rule …`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// A schedule firing more often than this is refused unless `--allow-frequent` is given.
    #[serde(with = "humantime_serde")]
    pub min_interval: Duration,
    /// A rule whose deliveries on one channel failed this many times in a row is paused (and the
    /// PR officer told); 0: never paused for failures.
    pub pause_after_failures: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_interval: Duration::from_secs(3600),
            pause_after_failures: 3,
        }
    }
}

/// The Telegram bot: department staff send results, the PR officer approves and hears back.
/// Off until a token is set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Telegram {
    /// The bot's token from @BotFather. No token: no bot.
    pub token: Option<prakat_adapters::Secret>,
    /// The Bot API's address (a self-hosted Bot API server takes files over 20 MB).
    pub api_url: String,
    /// The bot's user name, for the `t.me/<bot>?start=<code>` links of invitations; asked of
    /// Telegram when not set.
    pub bot_username: Option<String>,
    /// `polling` (works behind NAT) or `webhook` (Telegram calls the public listener at
    /// `/telegram/webhook`, which needs `server.public_base_url` over https).
    pub mode: TelegramMode,
    /// The secret Telegram sends with every webhook call; made up at each start when not set.
    pub webhook_secret: Option<prakat_adapters::Secret>,
    /// Pieces a person sends (a text, the photos of an album) become one submission when the
    /// person is quiet this long, or at once on /send.
    #[serde(with = "humantime_serde")]
    pub gather_for: Duration,
    /// How long one getUpdates call waits for news.
    #[serde(with = "humantime_serde")]
    pub poll_timeout: Duration,
    /// When the PR officers get the day's summary of what waits for approval (Bangkok time,
    /// `HH:MM`); empty for none.
    pub daily_summary_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    #[default]
    Polling,
    Webhook,
}

impl Default for Telegram {
    fn default() -> Self {
        Telegram {
            token: None,
            api_url: "https://api.telegram.org".into(),
            bot_username: None,
            mode: TelegramMode::Polling,
            webhook_secret: None,
            gather_for: Duration::from_secs(60),
            poll_timeout: Duration::from_secs(25),
            daily_summary_at: "08:30".into(),
        }
    }
}

impl Telegram {
    /// The summary's time of day, when one is asked for.
    pub fn summary_time(&self) -> Option<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.daily_summary_at.trim(), "%H:%M").ok()
    }
}

/// The monthly digest (`prakat digest`, and the daemon's build on the first of each month).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DigestSettings {
    /// Whether the daemon builds, keeps and publishes last month's digest on the first of each
    /// month (`prakat digest` works either way).
    pub enabled: bool,
    /// The station's name on the cover; `station.name_th` when not set.
    pub station_name: Option<String>,
    /// The station commander who signs the digest, and their rank (`พ.ต.อ.`).
    pub commander_name: String,
    pub commander_rank: String,
    /// The signer's position under the signature (`ผู้กำกับการสถานีตำรวจภูธรเมืองระนอง`).
    pub signer_title: String,
    /// When, on the first day of each month (Bangkok time, `HH:MM`), the daemon builds last
    /// month's digest.
    pub build_at: TimeOfDay,
    /// Where the daemon keeps the digests it builds; `<data_dir>/digests` when not set.
    pub output_dir: Option<PathBuf>,
    /// `thai` (๑๒๓, as in official documents) or `arabic` digits in the printed digest.
    pub digits: prakat_adapters::thai::Digits,
}

impl Default for DigestSettings {
    fn default() -> Self {
        DigestSettings {
            enabled: true,
            station_name: None,
            commander_name: String::new(),
            commander_rank: "พ.ต.อ.".into(),
            signer_title: "ผู้กำกับการ".into(),
            build_at: TimeOfDay(chrono::NaiveTime::from_hms_opt(7, 0, 0).expect("a valid time")),
            output_dir: None,
            digits: prakat_adapters::thai::Digits::Thai,
        }
    }
}

/// A time of day, Bangkok time, written `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay(pub chrono::NaiveTime);

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format("%H:%M"))
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map(TimeOfDay)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{s:?} is not a time of day: write HH:MM, Bangkok time (\"07:00\")"
                ))
            })
    }
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
            reach: Reach::default(),
            templates: Templates::default(),
            media: Media::default(),
            post: Post::default(),
            rules: Rules::default(),
            http: Http::default(),
            channels: Channels::default(),
            ui: Ui { lang: Lang::En },
            telegram: Telegram::default(),
            desk: Default::default(),
            digest: DigestSettings::default(),
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
            sqlite_cache_mib: crate::store::SqliteTuning::default().cache_mib,
            sqlite_mmap_mib: crate::store::SqliteTuning::default().mmap_mib,
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
            slots: ["09:00", "12:00", "18:00"]
                .into_iter()
                .map(|t| SlotTime::try_from(t.to_owned()).expect("a time of day"))
                .collect(),
        }
    }
}

impl Default for Ui {
    fn default() -> Self {
        Ui { lang: Lang::En }
    }
}

/// A settings problem, said so a person can fix it: the file or variable, the key, the line.
/// The text here is for logs; a person reads [`SettingsError::msg`], in their language
/// (`locales/*/settings.ftl`).
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid settings in {path}:\n{message}")]
    File {
        path: PathBuf,
        /// The TOML reader's whole report: place, the line quoted, the reason.
        message: String,
        /// Where, counted from 1, when known.
        line: Option<usize>,
        column: Option<usize>,
        /// The reason alone, as the TOML reader or the settings' types said it.
        reason: String,
        /// The TOML text could not be read at all (not a setting's value).
        syntax: bool,
    },
    #[error("invalid setting in environment variable {var}: {message}")]
    Env {
        var: String,
        /// The setting it names (`dispatch.batch_size`), when known.
        key: Option<String>,
        message: String,
    },
    #[error("invalid settings: {}", .0.render(Lang::En))]
    Invalid(Msg),
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

    /// The language the settings ask for, read cheaply before they are loaded (for the help
    /// and for a complaint about the settings themselves): `PRAKAT__UI__LANG`, else `[ui] lang`
    /// in `file`, if it can be read as TOML at all.
    pub fn peek_lang(file: Option<&Path>) -> Option<Lang> {
        let parse = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "th" => Some(Lang::Th),
            _ => None,
        };
        if let Some(lang) = std::env::var(format!("{ENV_PREFIX}UI__LANG"))
            .ok()
            .and_then(|v| parse(&v))
        {
            return Some(lang);
        }
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(file?).ok()?).ok()?;
        parse(table.get("ui")?.get("lang")?.as_str()?)
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
                let in_file = |syntax: bool| {
                    let text = &text;
                    move |e: toml::de::Error| {
                        let (line, column) = e
                            .span()
                            .map(|span| message::line_and_column(text, span.start))
                            .unzip();
                        SettingsError::File {
                            path: path.to_owned(),
                            message: e.to_string(),
                            line,
                            column,
                            reason: e.message().trim().to_owned(),
                            syntax,
                        }
                    }
                };
                let table: toml::Table = toml::from_str(&text).map_err(in_file(true))?;
                // Deserialize from the text itself so errors carry the line and column.
                let settings: Settings = channels::with_types(&table, || toml::from_str(&text))
                    .map_err(in_file(false))?;
                (settings, table)
            }
            None => (Settings::default(), toml::Table::new()),
        };
        // Each variable is read as a TOML value (a number, a boolean, an array) unless the
        // setting it names wants a string: a Facebook page id of digits stays a string.
        let mut overrides: Vec<EnvOverride> = Vec::new();
        for (var, value) in env {
            let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            if path.iter().any(String::is_empty) {
                return Err(SettingsError::Env {
                    var,
                    key: None,
                    message: "empty key segment".into(),
                });
            }
            set_path(&mut table, &path, parse_env_value(&value));
            overrides.push(EnvOverride {
                var,
                path,
                raw: value,
                as_string: false,
            });
        }
        if !overrides.is_empty() {
            settings = loop {
                let read = channels::with_types(&table, || {
                    serde_path_to_error::deserialize::<_, Settings>(toml::Value::Table(
                        table.clone(),
                    ))
                });
                let e = match read {
                    Ok(s) => break s,
                    Err(e) => e,
                };
                let at = e.path().to_string();
                let message = e.into_inner().message().to_owned();
                let culprit = EnvOverride::culprit(&mut overrides, &at, &message);
                match culprit {
                    Some(o) if !o.as_string => {
                        o.as_string = true;
                        set_path(&mut table, &o.path, toml::Value::String(o.raw.clone()));
                    }
                    Some(o) => {
                        return Err(SettingsError::Env {
                            var: o.var.clone(),
                            key: Some(o.path.join(".")),
                            message,
                        });
                    }
                    None => {
                        return Err(SettingsError::Env {
                            var: overrides
                                .iter()
                                .map(|o| o.var.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            key: Some(at),
                            message,
                        });
                    }
                }
            };
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |m: Msg| Err(SettingsError::Invalid(m));
        let duration = |d: Duration| humantime::format_duration(d).to_string();
        let d = &self.dispatch;
        if d.batch_size == 0 || d.concurrency == 0 {
            return invalid(Msg::new("settings-batch-zero"));
        }
        if d.max_attempts == 0 {
            return invalid(Msg::new("settings-attempts-zero"));
        }
        if d.lease <= d.publish_timeout {
            return invalid(
                Msg::new("settings-lease-short")
                    .with("lease", duration(d.lease))
                    .with("timeout", duration(d.publish_timeout)),
            );
        }
        for (name, section) in self.channels.enabled() {
            if let Some(t) = section.publish_timeout()
                && t >= d.lease
            {
                return invalid(
                    Msg::new("settings-channel-timeout")
                        .with("name", name)
                        .with("timeout", duration(t))
                        .with("lease", duration(d.lease)),
                );
            }
        }
        if self.server.listen.ip().is_unspecified() && self.server.public_base_url.is_none() {
            return invalid(
                Msg::new("settings-public-url-missing").with("listen", self.server.listen),
            );
        }
        if self.server.listen == self.server.admin_listen && self.server.listen.port() != 0 {
            return invalid(Msg::new("settings-admin-same").with("addr", self.server.admin_listen));
        }
        if let Some(url) = &self.server.public_base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return invalid(Msg::new("settings-public-url-scheme").with("url", format!("{url:?}")));
        }
        let tg = &self.telegram;
        if !tg.daily_summary_at.trim().is_empty() && tg.summary_time().is_none() {
            return invalid(
                Msg::new("settings-telegram-summary-time")
                    .with("value", format!("{:?}", tg.daily_summary_at)),
            );
        }
        if !(tg.api_url.starts_with("http://") || tg.api_url.starts_with("https://")) {
            return invalid(
                Msg::new("settings-telegram-api-url").with("url", format!("{:?}", tg.api_url)),
            );
        }
        if tg.token.is_some()
            && tg.mode == TelegramMode::Webhook
            && !self
                .server
                .public_base_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
        {
            return invalid(Msg::new("settings-telegram-webhook-https"));
        }
        let r = &self.reach;
        if r.batch_size == 0 || r.max_attempts == 0 || r.every.is_zero() {
            return invalid(Msg::new("settings-reach-zero"));
        }
        self.channels.validate().map_err(SettingsError::Invalid)?;
        for c in &self.post.default_channels {
            if !self.channel_enabled(c) {
                return invalid(
                    Msg::new("settings-default-channel").with("channel", format!("{c:?}")),
                );
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

    /// Where the daemon keeps the monthly digests it builds.
    pub fn digest_dir(&self) -> PathBuf {
        self.digest
            .output_dir
            .clone()
            .unwrap_or_else(|| self.storage.data_dir.join("digests"))
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
        // Every secret is a `Secret`, whose Serialize writes "[redacted]"; the database URL is a
        // plain string that may carry a password.
        let mut shown = self.clone();
        shown.storage.database_url = shown.storage.database_url.as_deref().map(redact_url);
        toml::to_string_pretty(&shown).unwrap_or_default()
    }

    /// The database URL as it may be shown: without its password.
    pub fn database_url_shown(&self) -> String {
        redact_url(&self.database_url())
    }
}

/// `url` with its password (`scheme://user:password@host`) replaced by `[redacted]`. The password
/// is also remembered as a secret, so it is masked wherever else it turns up.
pub fn redact_url(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return url.to_owned();
    };
    match parsed.password() {
        Some(p) if !p.is_empty() => {
            prakat_adapters::remember_secret(p);
            if let Ok(decoded) = percent_encoding::percent_decode_str(p).decode_utf8() {
                prakat_adapters::remember_secret(&decoded);
            }
            url.replacen(&format!(":{p}@"), ":[redacted]@", 1)
        }
        _ => url.to_owned(),
    }
}

/// A listening address: `127.0.0.1:8080`, `[::1]:8080`, or a name of this machine and a port
/// (`localhost:8080`), which is looked up once, here.
fn listen_address<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    use serde::de::Error;
    let text = String::deserialize(d)?;
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let expected = || {
        D::Error::custom(format!(
            "{text:?} is not an address and port: write it as 127.0.0.1:8080, [::1]:8080 or localhost:8080"
        ))
    };
    let (host, port) = text.rsplit_once(':').ok_or_else(expected)?;
    let port: u16 = port.parse().map_err(|_| expected())?;
    if host.is_empty() {
        return Err(expected());
    }
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    use std::net::ToSocketAddrs;
    let mut found = (host, port).to_socket_addrs().map_err(|e| {
        D::Error::custom(format!(
            "{host:?} in {text:?} is not a known name of this machine: {e}"
        ))
    })?;
    found
        .next()
        .ok_or_else(|| D::Error::custom(format!("{host:?} in {text:?} has no address")))
}

trait Segments {
    fn starts_with_segments(&self, prefix: &[&str]) -> bool;
}

impl Segments for Vec<String> {
    fn starts_with_segments(&self, prefix: &[&str]) -> bool {
        self.len() >= prefix.len() && self.iter().zip(prefix).all(|(a, b)| a == b)
    }
}

/// One `PRAKAT__…` variable applied over the settings.
struct EnvOverride {
    var: String,
    /// The setting it names, lower-cased: `["channels", "facebook", "page_id"]`.
    path: Vec<String>,
    raw: String,
    /// Retried as a plain string after its TOML reading was refused.
    as_string: bool,
}

impl EnvOverride {
    /// The variable a deserialization error at `at` (`channels.facebook.page_id`) is about:
    /// the one naming that setting, or, for an unknown key, the one whose path has the key the
    /// message quotes right under that place.
    fn culprit<'a>(
        overrides: &'a mut [EnvOverride],
        at: &str,
        message: &str,
    ) -> Option<&'a mut EnvOverride> {
        let exact = overrides.iter().position(|o| o.path.join(".") == at);
        // Else the variables under that place (an unknown key is reported at the key itself
        // or at its parent): the one whose key the message quotes, or the only one.
        let at_segments: Vec<&str> = at
            .trim_start_matches('.')
            .split('.')
            .filter(|s| !s.is_empty())
            .collect();
        let below: Vec<usize> = (0..overrides.len())
            .filter(|&i| overrides[i].path.starts_with_segments(&at_segments))
            .collect();
        let under = || {
            below
                .iter()
                .copied()
                .find(|&i| {
                    overrides[i]
                        .path
                        .iter()
                        .any(|seg| message.contains(&format!("`{seg}`")))
                })
                .or_else(|| (below.len() == 1).then(|| below[0]))
        };
        let only = || (overrides.len() == 1).then_some(0);
        let i = exact.or_else(under).or_else(only)?;
        overrides.get_mut(i)
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
