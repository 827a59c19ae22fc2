//! The bot as a [`Notifier`]: the PR officers receive each submission with its buttons, and
//! hear of every delivery parked for a person; the sender and the PR officers hear once when
//! an announcement's channels are done, with the links.

use std::sync::Arc;

use async_trait::async_trait;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::api::Sent;
use super::updates::chat_of;
use super::{Bot, FRONT, esc, tg, when};
use crate::events::Notifier;
use crate::newsroom::Preview;
use crate::store::{AnnouncementRecord, DeliveryFilter, DeliveryState, DomainEvent, Store};

/// How much of a submission's text the PR officer's card shows.
const EXCERPT: usize = 1500;

pub struct TelegramNotifier {
    bot: Arc<Bot>,
}

impl TelegramNotifier {
    pub fn new(bot: Arc<Bot>) -> Self {
        TelegramNotifier { bot }
    }
}

/// What the PR officer reads about a submission, and the buttons under it (none once decided:
/// `decided` is the line that says how).
pub(crate) fn card(
    a: &AnnouncementRecord,
    decided: Option<String>,
) -> (String, InlineKeyboardMarkup) {
    let mut body: String = a.body.chars().take(EXCERPT).collect();
    if a.body.chars().count() > EXCERPT {
        body.push('…');
    }
    let mut text = tg!(
        "tg-card",
        id = a.id,
        department = esc(&a.department.name_th),
        by = esc(&a.author),
        title = esc(&a.title),
        body = esc(&body),
        channels = esc(&a.channels.join(", ")),
        media = a.media.len()
    );
    let keyboard = match decided {
        Some(line) => {
            text.push_str("\n\n");
            text.push_str(&line);
            InlineKeyboardMarkup::default()
        }
        None => InlineKeyboardMarkup::new(vec![
            vec![
                InlineKeyboardButton::callback(tg!("tg-btn-approve"), format!("ap:{}", a.id)),
                InlineKeyboardButton::callback(tg!("tg-btn-time"), format!("tm:{}", a.id)),
            ],
            vec![
                InlineKeyboardButton::callback(tg!("tg-btn-edit"), format!("ed:{}", a.id)),
                InlineKeyboardButton::callback(tg!("tg-btn-reject"), format!("rj:{}", a.id)),
            ],
        ]),
    };
    (text, keyboard)
}

/// The lines under a submission's receipt: where it goes, what each channel changes, what it
/// skips.
pub(crate) fn preview_lines(p: &Preview) -> String {
    let mut out = String::new();
    let names: Vec<&str> = p.channels.iter().map(|(c, _)| c.as_str()).collect();
    out.push('\n');
    out.push_str(&tg!(
        "tg-preview-channels",
        channels = esc(&names.join(", "))
    ));
    for (channel, notes) in &p.channels {
        for n in notes {
            out.push('\n');
            out.push_str(&tg!(
                "tg-preview-note",
                channel = esc(channel),
                note = esc(n)
            ));
        }
    }
    for k in &p.skipped {
        out.push('\n');
        out.push_str(&tg!(
            "tg-preview-skipped",
            channel = esc(&k.channel),
            reason = esc(&k.reason.th)
        ));
    }
    out
}

impl TelegramNotifier {
    /// Send `html` to `chat`; `Err` only when Telegram could not be reached (tried again later).
    async fn send(&self, chat: i64, html: &str) -> Result<Option<i64>, String> {
        match self.bot.api.send(chat, html, None).await {
            Ok(Sent::Message(m)) => Ok(Some(m)),
            Ok(Sent::Unreachable) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn submitted(&self, a: &AnnouncementRecord) -> Result<(), String> {
        if a.decided().is_some() {
            // A PR officer's own, approved at once; or decided before this was read.
            return Ok(());
        }
        let (text, keyboard) = card(a, None);
        // The PR officer sees the photos before deciding (a face, a victim, a plate).
        let files = self
            .bot
            .app
            .store
            .chat_files(a.id)
            .await
            .map_err(|e| e.to_string())?;
        for p in self.bot.deciders().await {
            let chat = p.telegram_user_id.unwrap_or_default();
            if !files.is_empty() {
                match self.bot.api.send_files(chat, &files).await {
                    Ok(Sent::Unreachable) => continue,
                    Ok(Sent::Message(_)) => {}
                    Err(e) => return Err(e.to_string()),
                }
            }
            match self.bot.api.send(chat, &text, Some(keyboard.clone())).await {
                Ok(Sent::Message(m)) => self
                    .bot
                    .app
                    .store
                    .add_chat_message(a.id, &format!("{FRONT}:{chat}"), m)
                    .await
                    .map_err(|e| e.to_string())?,
                Ok(Sent::Unreachable) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(())
    }

    /// The cards about a decided announcement lose their buttons and say who decided; the
    /// sender is told.
    async fn decided(&self, a: &AnnouncementRecord, action: &str) -> Result<(), String> {
        let Some(d) = &a.decision else { return Ok(()) };
        let line = match action {
            "approved" => tg!(
                "tg-decided-approved",
                by = esc(&d.by),
                at = when(a.publish_at)
            ),
            "rejected" => tg!(
                "tg-decided-rejected",
                by = esc(&d.by),
                reason = esc(d.note.as_deref().unwrap_or("-"))
            ),
            _ => tg!("tg-decided-withdrawn", by = esc(&d.by)),
        };
        let messages = self
            .bot
            .app
            .store
            .chat_messages(a.id)
            .await
            .map_err(|e| e.to_string())?;
        let (text, _) = card(a, Some(line));
        for (chat, message) in messages {
            if let Some(chat) = chat_of(&chat) {
                self.bot
                    .api
                    .edit(chat, message, &text, None)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        let Some((_, chat)) = self
            .bot
            .app
            .store
            .chat_of_announcement(a.id)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        if d.by == a.author {
            // Their own doing: they know.
            return Ok(());
        }
        let told = match action {
            "approved" => tg!(
                "tg-you-approved",
                id = a.id,
                title = esc(&a.title),
                at = when(a.publish_at)
            ),
            "rejected" => tg!(
                "tg-you-rejected",
                id = a.id,
                title = esc(&a.title),
                reason = esc(d.note.as_deref().unwrap_or("-"))
            ),
            _ => tg!(
                "tg-you-withdrawn",
                id = a.id,
                title = esc(&a.title),
                by = esc(&d.by)
            ),
        };
        if let Some(chat) = chat_of(&chat) {
            self.send(chat, &told).await?;
        }
        Ok(())
    }

    /// A delivery settled: a parked one is told to the PR officers; once every delivery of the
    /// announcement is done, the links go to the sender and the PR officers, once.
    async fn settled(&self, e: &DomainEvent) -> Result<(), String> {
        let store = &self.bot.app.store;
        let Ok(id) = e.entity_id.parse::<i64>() else {
            return Ok(());
        };
        let d = store.delivery(id).await.map_err(|e| e.to_string())?;
        if matches!(e.action.as_str(), "needs_attention" | "failed") {
            let error = e.detail["error"].as_str().unwrap_or("-");
            let todo = match e.detail["class"].as_str() {
                Some("auth") => tg!("tg-todo-auth", channel = esc(&d.channel), id = d.id),
                _ => tg!("tg-todo-retry", id = d.id),
            };
            let text = tg!(
                "tg-parked",
                id = d.announcement_id,
                title = esc(&d.title),
                channel = esc(&d.channel),
                error = esc(error),
                todo = todo
            );
            for p in self.bot.deciders().await {
                self.send(p.telegram_user_id.unwrap_or_default(), &text)
                    .await?;
            }
        }
        let all = store
            .deliveries(&DeliveryFilter {
                announcement_id: Some(d.announcement_id),
                ..Default::default()
            })
            .await
            .map_err(|e| e.to_string())?;
        let done = all.iter().all(|x| {
            matches!(
                x.state,
                DeliveryState::Published
                    | DeliveryState::NeedsAttention
                    | DeliveryState::Failed
                    | DeliveryState::Cancelled
            )
        });
        let key = format!("links:{}", d.announcement_id);
        if !done
            || !all.iter().any(|x| x.state == DeliveryState::Published)
            || store.said(&key).await.map_err(|e| e.to_string())?
        {
            return Ok(());
        }
        let mut text = tg!(
            "tg-published",
            id = d.announcement_id,
            title = esc(&d.title)
        );
        for x in &all {
            text.push('\n');
            text.push_str(&match (x.state, &x.remote_url) {
                (DeliveryState::Published, Some(url)) => {
                    tg!(
                        "tg-published-link",
                        channel = esc(&x.channel),
                        url = esc(url)
                    )
                }
                (DeliveryState::Published, None) => {
                    tg!("tg-published-nolink", channel = esc(&x.channel))
                }
                _ => tg!(
                    "tg-published-not",
                    channel = esc(&x.channel),
                    state = tg!("tg-delivery-state", state = x.state.as_str())
                ),
            });
        }
        let mut chats: Vec<i64> = self
            .bot
            .deciders()
            .await
            .iter()
            .filter_map(|p| p.telegram_user_id)
            .collect();
        if let Some((_, chat)) = store
            .chat_of_announcement(d.announcement_id)
            .await
            .map_err(|e| e.to_string())?
            && let Some(chat) = chat_of(&chat)
            && !chats.contains(&chat)
        {
            chats.push(chat);
        }
        for chat in chats {
            self.send(chat, &text).await?;
        }
        store
            .say_once(&key, self.bot.clock.now())
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

impl TelegramNotifier {
    /// A channel's token expires soon, has expired or no longer works, or lacks permissions.
    /// A correction a channel could not carry out: the PR officers and admins are told what is
    /// left to do, and where.
    async fn correction(&self, e: &DomainEvent) -> Result<(), String> {
        let Ok(id) = e.entity_id.parse::<i64>() else {
            return Ok(());
        };
        let store = &self.bot.app.store;
        let amendments = store.amendments(id).await.map_err(|e| e.to_string())?;
        let Some(m) = amendments
            .iter()
            .find(|m| Some(m.id) == e.detail["amendment"].as_i64())
        else {
            return Ok(());
        };
        let a = store.announcement(id).await.map_err(|e| e.to_string())?;
        let url = store
            .delivery(m.delivery_id)
            .await
            .ok()
            .and_then(|d| d.remote_url);
        let text = tg!(
            "tg-correction-left",
            id = id,
            title = esc(&a.title),
            what = esc(&crate::corrections::describe(
                crate::i18n::Lang::Th,
                m,
                url.as_deref()
            ))
        );
        for p in self.bot.deciders().await {
            self.send(p.telegram_user_id.unwrap_or_default(), &text)
                .await?;
        }
        Ok(())
    }

    async fn concern(&self, e: &DomainEvent) -> Result<(), String> {
        let d = &e.detail;
        let channel = esc(d["channel"].as_str().unwrap_or(&e.entity_id));
        let mut lines = vec![];
        if let Some(at) = d["expires_at"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            let at = when(at.with_timezone(&chrono::Utc));
            lines.push(if d["expired"].as_bool() == Some(true) {
                tg!("tg-token-expired", channel = channel.as_str(), at = at)
            } else {
                tg!("tg-token-expiring", channel = channel.as_str(), at = at)
            });
        }
        let missing: Vec<&str> = d["missing_permissions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        if !missing.is_empty() {
            lines.push(tg!(
                "tg-missing-permissions",
                channel = channel.as_str(),
                permissions = esc(&missing.join(", "))
            ));
        }
        if let Some(err) = d["error"].as_str() {
            lines.push(tg!(
                "tg-channel-unhealthy",
                channel = channel.as_str(),
                error = esc(err)
            ));
        }
        if lines.is_empty() {
            return Ok(());
        }
        let text = lines.join("\n");
        for p in self.bot.deciders().await {
            self.send(p.telegram_user_id.unwrap_or_default(), &text)
                .await?;
        }
        Ok(())
    }
}

impl TelegramNotifier {
    /// A month's digest was built: its PDF goes to every PR officer, to print and have signed.
    async fn digest_ready(&self, e: &DomainEvent) -> Result<(), String> {
        let d = &e.detail;
        let caption = tg!(
            "tg-digest-ready",
            month = esc(d["month_th"].as_str().unwrap_or(&e.entity_id)),
            announcements = d["announcements"].as_u64().unwrap_or_default(),
            url = esc(d["url"].as_str().unwrap_or("none"))
        );
        let Some(pdf) = d["pdf"].as_str().map(std::path::PathBuf::from) else {
            return Ok(());
        };
        if !pdf.is_file() {
            tracing::warn!(pdf = %pdf.display(), "the digest's PDF is gone; the PR officers are told without it");
            for p in self.bot.deciders().await {
                self.send(p.telegram_user_id.unwrap_or_default(), &caption)
                    .await?;
            }
            return Ok(());
        }
        for p in self.bot.deciders().await {
            let chat = p.telegram_user_id.unwrap_or_default();
            self.bot
                .api
                .send_document(chat, &pdf, &caption)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[async_trait]
impl Notifier for TelegramNotifier {
    fn name(&self) -> &str {
        FRONT
    }

    async fn notify(&self, e: &DomainEvent) -> Result<(), String> {
        match (e.entity.as_str(), e.action.as_str()) {
            ("announcement", action @ ("submitted" | "approved" | "rejected" | "withdrawn")) => {
                let Ok(id) = e.entity_id.parse::<i64>() else {
                    return Ok(());
                };
                let a = self
                    .bot
                    .app
                    .store
                    .announcement(id)
                    .await
                    .map_err(|e| e.to_string())?;
                if action == "submitted" {
                    self.submitted(&a).await
                } else {
                    self.decided(&a, action).await
                }
            }
            ("delivery", "published" | "needs_attention" | "failed") => self.settled(e).await,
            ("channel", "channel_concern") => self.concern(e).await,
            ("announcement", "correction_by_hand" | "correction_failed") => {
                self.correction(e).await
            }
            ("digest", "digest_ready") => self.digest_ready(e).await,
            ("rule", "rule_paused") => {
                let d = &e.detail;
                let text = tg!(
                    "tg-rule-paused",
                    id = e.entity_id.as_str(),
                    title = esc(d["title"].as_str().unwrap_or("-")),
                    channel = esc(d["channel"].as_str().unwrap_or("-")),
                    failures = d["failures"].as_u64().unwrap_or_default()
                );
                for p in self.bot.deciders().await {
                    self.send(p.telegram_user_id.unwrap_or_default(), &text)
                        .await?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}
