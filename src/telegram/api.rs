//! The Bot API calls the bot makes, through teloxide, with Telegram's flood control waited out
//! and a person who blocked the bot told apart from a failure.

use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use std::future::IntoFuture;
use teloxide::net::Download;
use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, GetUpdatesSetters, SendMessageSetters,
};
use teloxide::prelude::Requester;
use teloxide::types::{
    AllowedUpdate, ChatId, InlineKeyboardMarkup, MessageId, ParseMode, Recipient, Update,
};
use teloxide::{ApiError, RequestError};
use tokio::io::AsyncWriteExt;

/// How often a call refused by flood control is tried again before it is given up for now.
const FLOOD_TRIES: u32 = 3;
/// The longest wait flood control is granted before the call is given up for now.
const FLOOD_MAX_WAIT: Duration = Duration::from_secs(120);

#[derive(Clone)]
pub struct Api {
    bot: teloxide::Bot,
}

/// What became of a message sent to a person.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Sent: its message id.
    Message(i64),
    /// The person blocked the bot or left: nothing to do for them.
    Unreachable,
}

/// Whether `e` says the person cannot be written to (blocked the bot, deleted, left).
pub fn unreachable(e: &RequestError) -> bool {
    matches!(
        e,
        RequestError::Api(
            ApiError::BotBlocked
                | ApiError::UserDeactivated
                | ApiError::ChatNotFound
                | ApiError::BotKicked
                | ApiError::BotKickedFromSupergroup
                | ApiError::CantInitiateConversation
                | ApiError::CantTalkWithBots
        )
    )
}

impl Api {
    pub fn new(token: &str, api_url: &str, http: &crate::settings::Http) -> anyhow::Result<Api> {
        let url = reqwest::Url::parse(api_url.trim_end_matches('/'))
            .map_err(|e| anyhow::anyhow!("telegram.api_url {api_url:?}: {e}"))?;
        // A long poll waits up to `poll_timeout` on Telegram's side: the client must wait
        // longer than that, whatever the platforms' request timeout.
        let client = reqwest::Client::builder()
            .connect_timeout(http.connect_timeout)
            .timeout(http.request_timeout.max(Duration::from_secs(90)))
            .tcp_nodelay(true)
            .build()?;
        Ok(Api {
            bot: teloxide::Bot::with_client(token, client).set_api_url(url),
        })
    }

    /// `call`, again after each flood-control wait, a few times.
    async fn flood<T, F, Fut>(&self, what: &str, call: F) -> Result<T, RequestError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, RequestError>>,
    {
        let mut tries = 0;
        loop {
            match call().await {
                Err(RequestError::RetryAfter(s)) if tries + 1 < FLOOD_TRIES => {
                    tries += 1;
                    let wait = s.duration().min(FLOOD_MAX_WAIT);
                    tracing::info!(
                        call = what,
                        wait_s = wait.as_secs(),
                        "Telegram asks to wait (flood control)"
                    );
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    /// Send an HTML message, with buttons when given.
    pub async fn send(
        &self,
        chat: i64,
        html: &str,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<Sent, RequestError> {
        let sent = self
            .flood("sendMessage", || {
                let mut req = self
                    .bot
                    .send_message(Recipient::Id(ChatId(chat)), clip(html))
                    .parse_mode(ParseMode::Html);
                if let Some(k) = keyboard.clone() {
                    req = req.reply_markup(k);
                }
                async move { req.await }
            })
            .await;
        match sent {
            Ok(m) => Ok(Sent::Message(i64::from(m.id.0))),
            Err(e) if unreachable(&e) => {
                tracing::info!(
                    chat,
                    "a person cannot be written to (blocked the bot?); skipped"
                );
                Ok(Sent::Unreachable)
            }
            Err(e) => Err(e),
        }
    }

    /// Show files people sent (by Telegram's own references, nothing uploaded): photos and
    /// videos as an album, documents one by one.
    pub async fn send_files(
        &self,
        chat: i64,
        files: &[(String, String)],
    ) -> Result<Sent, RequestError> {
        use teloxide::types::{FileId, InputFile, InputMedia, InputMediaPhoto, InputMediaVideo};
        let file = |r: &str| InputFile::file_id(FileId(r.to_owned()));
        let visual: Vec<InputMedia> = files
            .iter()
            .filter_map(|(kind, r)| match kind.as_str() {
                "photo" => Some(InputMedia::Photo(InputMediaPhoto::new(file(r)))),
                "video" => Some(InputMedia::Video(InputMediaVideo::new(file(r)))),
                _ => None,
            })
            .collect();
        let mut result = Ok(());
        // An album takes 2 to 10; one alone goes as itself.
        for group in visual.chunks(10) {
            result = match group {
                [InputMedia::Photo(p)] => self
                    .flood("sendPhoto", || {
                        self.bot
                            .send_photo(ChatId(chat), p.media.clone())
                            .into_future()
                    })
                    .await
                    .map(drop),
                [InputMedia::Video(v)] => self
                    .flood("sendVideo", || {
                        self.bot
                            .send_video(ChatId(chat), v.media.clone())
                            .into_future()
                    })
                    .await
                    .map(drop),
                _ => self
                    .flood("sendMediaGroup", || {
                        self.bot
                            .send_media_group(ChatId(chat), group.to_vec())
                            .into_future()
                    })
                    .await
                    .map(drop),
            };
            if result.is_err() {
                break;
            }
        }
        if result.is_ok() {
            for (_, r) in files.iter().filter(|(k, _)| k == "document") {
                result = self
                    .flood("sendDocument", || {
                        self.bot.send_document(ChatId(chat), file(r)).into_future()
                    })
                    .await
                    .map(drop);
                if result.is_err() {
                    break;
                }
            }
        }
        match result {
            Ok(()) => Ok(Sent::Message(0)),
            Err(e) if unreachable(&e) => Ok(Sent::Unreachable),
            Err(e) => Err(e),
        }
    }

    /// Upload a file from disk as a document, with an HTML caption.
    pub async fn send_document(
        &self,
        chat: i64,
        path: &Path,
        caption: &str,
    ) -> Result<Sent, RequestError> {
        use teloxide::payloads::SendDocumentSetters;
        use teloxide::types::InputFile;
        let sent = self
            .flood("sendDocument", || {
                self.bot
                    .send_document(ChatId(chat), InputFile::file(path.to_owned()))
                    .caption(clip(caption))
                    .parse_mode(ParseMode::Html)
                    .into_future()
            })
            .await;
        match sent {
            Ok(m) => Ok(Sent::Message(i64::from(m.id.0))),
            Err(e) if unreachable(&e) => Ok(Sent::Unreachable),
            Err(e) => Err(e),
        }
    }

    /// Change a message the bot sent; its buttons go unless `keyboard` is given.
    pub async fn edit(
        &self,
        chat: i64,
        message_id: i64,
        html: &str,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<(), RequestError> {
        let r = self
            .flood("editMessageText", || {
                let mut req = self
                    .bot
                    .edit_message_text(ChatId(chat), MessageId(message_id as i32), clip(html))
                    .parse_mode(ParseMode::Html);
                if let Some(k) = keyboard.clone() {
                    req = req.reply_markup(k);
                }
                async move { req.await }
            })
            .await;
        match r {
            Ok(_) => Ok(()),
            // Already so, or gone: nothing to change.
            Err(RequestError::Api(
                ApiError::MessageNotModified | ApiError::MessageToEditNotFound,
            )) => Ok(()),
            Err(e) if unreachable(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Answer a button press (stops the spinner), with a note, as an alert when `alert`.
    pub async fn answer(&self, id: &str, text: Option<&str>, alert: bool) {
        let r = self
            .flood("answerCallbackQuery", || {
                let mut req = self
                    .bot
                    .answer_callback_query(teloxide::types::CallbackQueryId(id.to_owned()));
                if let Some(t) = text {
                    req = req
                        .text(t.chars().take(200).collect::<String>())
                        .show_alert(alert);
                }
                async move { req.await }
            })
            .await;
        if let Err(e) = r {
            tracing::info!(error = %e, "cannot answer a button press");
        }
    }

    pub async fn leave(&self, chat: i64) {
        if let Err(e) = self.bot.leave_chat(Recipient::Id(ChatId(chat))).await {
            tracing::info!(chat, error = %e, "cannot leave a group");
        }
    }

    /// The next updates from `offset`, waiting up to `wait` for some.
    pub async fn updates(&self, offset: i64, wait: Duration) -> Result<Vec<Update>, RequestError> {
        self.bot
            .get_updates()
            .offset(offset.clamp(0, i64::from(i32::MAX)) as i32)
            .timeout(wait.as_secs() as u32)
            .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
            .await
    }

    /// The bot's user name.
    pub async fn username(&self) -> Result<String, RequestError> {
        let me = self.bot.get_me().await?;
        Ok(me.user.username.clone().unwrap_or_default())
    }

    pub async fn set_webhook(&self, url: &str, secret: &str) -> Result<(), RequestError> {
        use teloxide::payloads::SetWebhookSetters;
        let url = reqwest::Url::parse(url).map_err(|e| {
            RequestError::Io(std::sync::Arc::new(std::io::Error::other(e.to_string())))
        })?;
        self.bot
            .set_webhook(url)
            .secret_token(secret.to_owned())
            .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
            .await?;
        Ok(())
    }

    pub async fn delete_webhook(&self) -> Result<(), RequestError> {
        self.bot.delete_webhook().await?;
        Ok(())
    }

    /// Download a file people sent into `dest`, streamed; its size in bytes.
    pub async fn download(&self, file_id: &str, dest: &Path) -> anyhow::Result<u64> {
        let file = self
            .bot
            .get_file(teloxide::types::FileId(file_id.to_owned()))
            .await?;
        let mut out = tokio::fs::File::create(dest).await?;
        let mut stream = self.bot.download_file_stream(&file.path);
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            out.write_all(&chunk).await?;
        }
        out.flush().await?;
        out.sync_all().await?;
        Ok(size)
    }
}

/// Telegram takes at most 4096 characters in a message.
fn clip(html: &str) -> String {
    const MAX: usize = 4000;
    if html.chars().count() <= MAX {
        return html.to_owned();
    }
    let mut s: String = html.chars().take(MAX).collect();
    // Never cut inside a tag or an entity.
    if let Some(open) = s.rfind(['<', '&'])
        && !s[open..].contains(['>', ';'])
    {
        s.truncate(open);
    }
    s.push('…');
    s
}
