//! The Telegram bot: department staff send their results from a phone, the PR officer approves
//! with a button, and both hear back when the channels have published. It is one front end of
//! the [`Newsroom`](crate::newsroom::Newsroom) and the [`Intake`](crate::intake::Intake): it
//! holds no rule of its own, only what Telegram needs (updates, buttons, files, flood control).
//!
//! - Updates come by long polling (works behind the station's NAT), or by webhook on the public
//!   listener with Telegram's secret-token header checked. The place in the update stream is
//!   kept in the store after each update is handled: an update is handled again after a crash,
//!   which keeps nothing twice (pieces are kept once per message, approval happens once).
//! - What people read is Thai, from `locales/th/telegram.ftl`; every piece of their own text
//!   in a reply is HTML-escaped.
//! - Telegram's 429 `retry_after` is waited out; a person who blocked the bot is skipped.

mod api;
mod notify;
mod updates;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot, watch};

use crate::app::App;
use crate::clock::Clock;
use crate::i18n::{Arg, Lang, tr};
use crate::newsroom::{Person, Role};
use crate::settings::{Telegram, TelegramMode};
use crate::store::{PersonRecord, Store};

pub use api::Api;
pub use notify::TelegramNotifier;

/// The name the store keeps this front end's places under.
pub const FRONT: &str = "telegram";

/// An update handed over by the webhook, with whom to tell once it is handled.
pub type WebhookUpdate = (teloxide::types::Update, oneshot::Sender<()>);

/// What the bot reads and writes with.
pub struct Bot {
    pub(crate) app: Arc<App>,
    pub(crate) api: Api,
    pub(crate) settings: Telegram,
    pub(crate) clock: Arc<dyn Clock>,
    /// Where files are downloaded before they go into the media store.
    pub(crate) downloads: PathBuf,
    /// One gathering at a time: `/send` and the quiet-time sweep never gather the same pieces
    /// at once (the store makes one submission of them even then; this spares a second receipt).
    pub(crate) gathering: tokio::sync::Mutex<()>,
    /// The dispatcher's wake-up: what the bot approves is published at once, not at the
    /// dispatcher's next look.
    pub(crate) wake: Arc<tokio::sync::Notify>,
}

/// A message in Thai, the language of the bot's people.
pub(crate) fn th(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    tr(Lang::Th, id, args)
}

/// `t!` for the bot: Thai.
macro_rules! tg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::telegram::th($id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),*])
    };
}
pub(crate) use tg;

/// Text a person wrote, safe inside an HTML message.
pub(crate) fn esc(s: &str) -> String {
    teloxide::utils::html::escape(s)
}

/// A time as the bot shows it: Thai government style, Buddhist Era.
pub(crate) fn when(t: DateTime<Utc>) -> String {
    prakat_adapters::thai::dates::gov_datetime(t, prakat_adapters::thai::Digits::Arabic)
}

/// The person a record is, acting through the bot. The name carries the record's number: two
/// people of one name are two actors.
pub(crate) fn person(record: &PersonRecord) -> Option<Person> {
    let mut p = crate::newsroom::people::person(record, FRONT)?;
    p.name = format!("{} #{}", record.name, record.id);
    Some(p)
}

impl Bot {
    pub fn new(
        app: Arc<App>,
        clock: Arc<dyn Clock>,
        wake: Arc<tokio::sync::Notify>,
    ) -> anyhow::Result<Option<Arc<Bot>>> {
        let settings = app.settings.telegram.clone();
        let Some(token) = &settings.token else {
            return Ok(None);
        };
        let token = token
            .resolve()
            .map_err(|e| anyhow::anyhow!("telegram.token: {e}"))?
            .to_owned();
        let api = Api::new(&token, &settings.api_url, &app.settings.http)?;
        let downloads = app.settings.storage.data_dir.join("intake");
        std::fs::create_dir_all(&downloads)?;
        Ok(Some(Arc::new(Bot {
            app,
            api,
            settings,
            clock,
            downloads,
            gathering: tokio::sync::Mutex::new(()),
            wake,
        })))
    }

    /// The people who decide: PR officers and admins who use the bot.
    pub(crate) async fn deciders(&self) -> Vec<PersonRecord> {
        match self.app.store.people().await {
            Ok(people) => people
                .into_iter()
                .filter(|p| {
                    p.telegram_user_id.is_some()
                        && Role::parse(&p.role).is_some_and(|r| r.may_approve())
                })
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read who decides");
                vec![]
            }
        }
    }

    /// Run the bot until `shutdown`: updates (polling, or from `webhook`), gathering what people
    /// sent, and the daily summary.
    pub async fn run(
        self: Arc<Self>,
        webhook: Option<mpsc::Receiver<WebhookUpdate>>,
        shutdown: watch::Receiver<bool>,
    ) {
        let gatherer = tokio::spawn(self.clone().gather_loop(shutdown.clone()));
        match (self.settings.mode, webhook) {
            (TelegramMode::Webhook, Some(rx)) => self.clone().webhook_loop(rx, shutdown).await,
            _ => self.clone().poll_loop(shutdown).await,
        }
        let _ = gatherer.await;
    }

    async fn gather_loop(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let tick = std::time::Duration::from_secs(1).min(self.settings.gather_for);
        // After a start (a crash, say), what a person sent before it counts as quiet only once
        // the bot has listened for `gather_for`: the rest of an album Telegram hands over again
        // joins its first photos instead of becoming a submission of its own.
        let listening_since = tokio::time::Instant::now();
        loop {
            if listening_since.elapsed() >= self.settings.gather_for {
                self.gather_quiet().await;
            }
            self.daily_summary().await;
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(tick) => {}
            }
        }
    }

    async fn gather_quiet(&self) {
        let now = self.clock.now();
        let since = now - chrono::Duration::from_std(self.settings.gather_for).unwrap_or_default();
        let intake = crate::intake::Intake::new(&self.app);
        let quiet = match intake.quiet(since).await {
            Ok(q) => q,
            Err(e) => {
                tracing::warn!(error = %e, "cannot look for submissions to gather");
                return;
            }
        };
        for person_id in quiet {
            if let Ok(Some(record)) = self.app.store.person(person_id).await {
                self.submit_gathered(&record, false).await;
            } else {
                // No longer allowed in: what they left is let go.
                let _ = intake.discard(person_id).await;
            }
        }
    }

    async fn daily_summary(&self) {
        let Some(at) = self.settings.summary_time() else {
            return;
        };
        let now = self.clock.now().with_timezone(&chrono_tz::Asia::Bangkok);
        if now.time() < at {
            return;
        }
        let key = format!("summary:{}", now.date_naive());
        match self.app.store.said(&key).await {
            Ok(false) => {}
            _ => return,
        }
        let room = crate::newsroom::Newsroom::new(&self.app);
        let Ok(waiting) = room.waiting(50).await else {
            return;
        };
        if !waiting.is_empty() {
            let mut text = tg!("tg-summary", count = waiting.len());
            for a in &waiting {
                text.push('\n');
                text.push_str(&tg!(
                    "tg-summary-line",
                    id = a.id,
                    department = esc(&a.department.name_th),
                    title = esc(&a.title),
                    since = when(a.created_at)
                ));
            }
            for p in self.deciders().await {
                let _ = self
                    .api
                    .send(p.telegram_user_id.unwrap(), &text, None)
                    .await;
            }
        }
        let _ = self.app.store.say_once(&key, self.clock.now()).await;
    }
}
