//! What people send the bot: registration, pieces of submissions, commands, answers to the
//! bot's questions, and button presses.

use std::sync::Arc;
use std::time::Duration;

use teloxide::types::{CallbackQuery, Message, Update, UpdateKind};
use teloxide::{ApiError, RequestError};
use tokio::sync::{mpsc, watch};

use super::api::Sent;
use super::{Bot, FRONT, WebhookUpdate, esc, person, tg, when};
use crate::intake::{Gathered, Intake};
use crate::newsroom::{Newsroom, NewsroomError, Person, Submitted};
use crate::store::{Actor, ChatWait, NewChatPiece, PersonRecord, Store, StoreError};

/// The Bot API's limit on files a bot may download ("20 MB"; read as the smaller, decimal, one).
pub const DOWNLOAD_LIMIT: u64 = 20_000_000;

/// A file in a message: kind, Telegram's id, size, the name it came with.
struct FileIn<'a> {
    kind: &'static str,
    id: &'a str,
    size: u64,
    name: Option<&'a str>,
}

fn file_in(msg: &Message) -> Option<FileIn<'_>> {
    if let Some(sizes) = msg.photo() {
        // The last size is the largest.
        let p = sizes.last()?;
        return Some(FileIn {
            kind: "photo",
            id: &p.file.id.0,
            size: u64::from(p.file.size),
            name: None,
        });
    }
    if let Some(v) = msg.video() {
        return Some(FileIn {
            kind: "video",
            id: &v.file.id.0,
            size: u64::from(v.file.size),
            name: v.file_name.as_deref(),
        });
    }
    if let Some(d) = msg.document() {
        return Some(FileIn {
            kind: "document",
            id: &d.file.id.0,
            size: u64::from(d.file.size),
            name: d.file_name.as_deref(),
        });
    }
    None
}

impl Bot {
    pub(super) async fn poll_loop(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        // Polling and a webhook exclude each other at Telegram: polling wins.
        if let Err(e) = self.api.delete_webhook().await {
            tracing::debug!(error = %e, "cannot remove a webhook before polling");
        }
        let mut offset = self
            .app
            .store
            .chat_cursor(FRONT)
            .await
            .ok()
            .flatten()
            .unwrap_or(0);
        let mut backoff = Duration::from_secs(1);
        let mut told_token = false;
        loop {
            let got = tokio::select! {
                _ = shutdown.changed() => return,
                got = self.api.updates(offset, self.settings.poll_timeout) => got,
            };
            let pause = match got {
                Ok(updates) => {
                    backoff = Duration::from_secs(1);
                    told_token = false;
                    for u in updates {
                        let next = i64::from(u.id.0) + 1;
                        if let Err(e) = self.handle(u).await {
                            // The store, not the update: handle it again shortly.
                            tracing::warn!(error = %e, "cannot handle a Telegram update; trying again");
                            break;
                        }
                        offset = next;
                        if let Err(e) = self.app.store.save_chat_cursor(FRONT, offset).await {
                            tracing::warn!(error = %e, "cannot keep the place in Telegram's updates");
                        }
                    }
                    None
                }
                Err(RequestError::RetryAfter(s)) => Some(s.duration()),
                Err(RequestError::Api(ApiError::InvalidToken)) => {
                    if !told_token {
                        tracing::error!(
                            "Telegram refuses the bot's token (telegram.token): revoked or mistyped; ask @BotFather for the token and restart"
                        );
                        told_token = true;
                    }
                    Some(Duration::from_secs(60))
                }
                Err(e) => {
                    tracing::warn!(error = %e, wait_s = backoff.as_secs(), "cannot reach Telegram; trying again");
                    let wait = backoff;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    Some(wait)
                }
            };
            if let Some(wait) = pause {
                tokio::select! {
                    _ = shutdown.changed() => return,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        }
    }

    pub(super) async fn webhook_loop(
        self: Arc<Self>,
        mut updates: mpsc::Receiver<WebhookUpdate>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            let (update, done) = tokio::select! {
                _ = shutdown.changed() => return,
                got = updates.recv() => match got { Some(u) => u, None => return },
            };
            match self.handle(update).await {
                // Telegram is answered 200 only once the update is handled: otherwise it sends
                // it again.
                Ok(()) => {
                    let _ = done.send(());
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot handle a Telegram update; Telegram will send it again")
                }
            }
        }
    }

    /// Handle one update. `Err` only when the store failed: the update is handled again.
    pub(super) async fn handle(&self, update: Update) -> Result<(), StoreError> {
        match update.kind {
            UpdateKind::Message(msg) => self.message(&msg).await,
            UpdateKind::CallbackQuery(q) => self.button(&q).await,
            _ => Ok(()),
        }
    }

    async fn reply(&self, chat: i64, html: &str) {
        if let Err(e) = self.api.send(chat, html, None).await {
            tracing::warn!(error = %e, "cannot answer on Telegram");
        }
    }

    async fn message(&self, msg: &Message) -> Result<(), StoreError> {
        let Some(from) = msg.from.as_ref() else {
            return Ok(());
        };
        let chat = msg.chat.id.0;
        if !msg.chat.is_private() {
            // The bot works person to person; a group it was added to is told once and left.
            if self
                .app
                .store
                .say_once(&format!("group:{chat}"), self.clock.now())
                .await?
            {
                self.reply(chat, &tg!("tg-group")).await;
            }
            self.api.leave(chat).await;
            return Ok(());
        }
        let user_id = from.id.0 as i64;
        let text = msg.text().unwrap_or_default().trim();
        let (command, rest) = command(text);
        if command == Some("start") && !rest.is_empty() {
            return self.join(chat, user_id, &from.full_name(), rest).await;
        }
        let Some(record) = self.app.store.person_by_telegram(user_id).await? else {
            return self.stranger(chat, user_id, msg).await;
        };
        let Some(who) = person(&record) else {
            return Ok(());
        };
        match command {
            Some("start" | "help") => {
                let help = if who.role.may_approve() {
                    tg!("tg-help-officer", name = esc(&record.name))
                } else {
                    tg!(
                        "tg-help-staff",
                        name = esc(&record.name),
                        department = esc(record.department.as_deref().unwrap_or("-"))
                    )
                };
                self.reply(chat, &help).await;
                return Ok(());
            }
            Some("send") => {
                self.submit_gathered(&record, true).await;
                return Ok(());
            }
            Some("cancel") => return self.cancel(chat, &record, rest).await,
            Some("status") => return self.status(chat, &record).await,
            Some("pending") if who.role.may_approve() => {
                return self.pending_list(chat).await;
            }
            Some("retract") if who.role.may_approve() => {
                return self.retract(chat, &who, rest).await;
            }
            Some(_) => {
                self.reply(chat, &tg!("tg-unknown-command")).await;
                return Ok(());
            }
            None => {}
        }
        // An answer to the bot's question comes before a new submission.
        if !text.is_empty()
            && let Some(wait) = self.app.store.take_chat_wait(record.id).await?
        {
            self.answer_wait(chat, &record, wait, text).await;
            return Ok(());
        }
        self.piece(chat, &record, msg).await
    }

    async fn join(
        &self,
        chat: i64,
        user_id: i64,
        name: &str,
        code: &str,
    ) -> Result<(), StoreError> {
        let room = Newsroom::new(&self.app);
        match room.join(code, name, Some(user_id), self.clock.now()).await {
            Ok(p) => {
                let role = tg!("tg-role", role = p.role.as_str());
                self.reply(
                    chat,
                    &tg!(
                        "tg-joined",
                        name = esc(&p.name),
                        role = role,
                        department = esc(p.department.as_deref().unwrap_or("-"))
                    ),
                )
                .await;
                Ok(())
            }
            Err(NewsroomError::Store(e)) => Err(e),
            Err(e) => {
                self.reply(chat, &esc(&e.message(crate::i18n::Lang::Th)))
                    .await;
                Ok(())
            }
        }
    }

    /// Someone not registered: told once a day, politely; nothing they sent is kept but a line
    /// in the audit trail.
    async fn stranger(&self, chat: i64, user_id: i64, msg: &Message) -> Result<(), StoreError> {
        let what = if file_in(msg).is_some() {
            "file"
        } else if msg.text().is_some() {
            "text"
        } else {
            "other"
        };
        self.app
            .store
            .record_audit(
                &Actor::person(FRONT, &format!("user {user_id}"), "unregistered"),
                "refused_unregistered",
                "chat",
                &chat.to_string(),
                serde_json::json!({ "kind": what }),
            )
            .await?;
        let now = self.clock.now().with_timezone(&chrono_tz::Asia::Bangkok);
        if self
            .app
            .store
            .say_once(
                &format!("stranger:{user_id}:{}", now.date_naive()),
                self.clock.now(),
            )
            .await?
        {
            self.reply(chat, &tg!("tg-stranger")).await;
        }
        Ok(())
    }

    /// Keep what a person sent as a piece of their next submission.
    async fn piece(
        &self,
        chat: i64,
        record: &PersonRecord,
        msg: &Message,
    ) -> Result<(), StoreError> {
        let origin = format!("{FRONT}:{chat}:{}", msg.id.0);
        let body = msg
            .text()
            .or(msg.caption())
            .map(crate::text::normalize)
            .filter(|t| !t.trim().is_empty());
        let mut piece = NewChatPiece {
            origin,
            person_id: record.id,
            chat: format!("{FRONT}:{chat}"),
            body,
            kind: None,
            file_path: None,
            file_ref: None,
            received_at: self.clock.now(),
        };
        if let Some(f) = file_in(msg) {
            if f.size > DOWNLOAD_LIMIT {
                self.reply(
                    chat,
                    &tg!(
                        "tg-file-too-big",
                        size = crate::media::human_size(f.size),
                        limit = crate::media::human_size(DOWNLOAD_LIMIT)
                    ),
                )
                .await;
                return Ok(());
            }
            // A name of its own: a message Telegram hands over again must not overwrite (or,
            // below, remove) the file its first copy keeps.
            let dest = self.downloads.join(format!(
                "{}-{}-{}{}",
                chat,
                msg.id.0,
                uuid::Uuid::new_v4().simple(),
                f.name
                    .and_then(|n| std::path::Path::new(n).extension())
                    .and_then(|e| e.to_str())
                    .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
                    .map(|e| format!(".{e}"))
                    .unwrap_or_default()
            ));
            if let Err(e) = self.api.download(f.id, &dest).await {
                tracing::warn!(error = %e, "cannot download a file sent on Telegram");
                let _ = std::fs::remove_file(&dest);
                self.reply(chat, &tg!("tg-file-failed")).await;
                return Ok(());
            }
            piece.kind = Some(f.kind.into());
            piece.file_ref = Some(f.id.to_owned());
            piece.file_path = Some(dest.display().to_string());
        } else if piece.body.is_none() {
            // A sticker, a voice note, a location, a contact, a poll…
            self.reply(chat, &tg!("tg-unsupported")).await;
            return Ok(());
        }
        let intake = Intake::new(&self.app);
        let kept = match intake.receive(&piece).await {
            Ok(k) => k,
            Err(NewsroomError::Store(e)) => return Err(e),
            Err(_) => false,
        };
        if !kept {
            // Sent again by Telegram: kept already. A second download is not needed.
            if let Some(p) = &piece.file_path {
                let _ = std::fs::remove_file(p);
            }
            return Ok(());
        }
        // The first piece of a submission is acknowledged (an album: its first photo).
        let open = self.app.store.open_chat_pieces(record.id).await?;
        if open.len() == 1 {
            self.reply(
                chat,
                &tg!("tg-gathering", seconds = self.settings.gather_for.as_secs()),
            )
            .await;
        }
        Ok(())
    }

    /// Gather a person's pieces into a submission and tell them what became of it. `asked`:
    /// the person said /send (an empty basket is worth a word).
    pub(super) async fn submit_gathered(&self, record: &PersonRecord, asked: bool) {
        let Some(who) = person(record) else { return };
        let chat_id = record.telegram_user_id.unwrap_or_default();
        let _one = self.gathering.lock().await;
        let intake = Intake::new(&self.app);
        let gathered = match intake.gather(record, &who, self.clock.now()).await {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(error = %e, "cannot gather a submission; trying again");
                return;
            }
        };
        match gathered {
            Gathered::Nothing => {
                if asked {
                    self.reply(chat_id, &tg!("tg-nothing-to-send")).await;
                }
            }
            Gathered::NeedsText { chat, first_piece } => {
                let key = format!("needs-text:{first_piece}");
                if asked
                    || self
                        .app
                        .store
                        .say_once(&key, self.clock.now())
                        .await
                        .unwrap_or(false)
                {
                    self.reply(chat_of(&chat).unwrap_or(chat_id), &tg!("tg-needs-text"))
                        .await;
                }
            }
            Gathered::Refused { chat, error } => {
                self.reply(
                    chat_of(&chat).unwrap_or(chat_id),
                    &tg!(
                        "tg-refused",
                        reason = esc(&error.message(crate::i18n::Lang::Th))
                    ),
                )
                .await;
            }
            Gathered::Submitted {
                chat,
                submitted,
                preview,
            } => {
                let chat = chat_of(&chat).unwrap_or(chat_id);
                let mut text = match *submitted {
                    Submitted::Pending { announcement, .. } => tg!(
                        "tg-submitted",
                        id = announcement.id,
                        title = esc(&announcement.title)
                    ),
                    Submitted::Queued { announcement, .. } => {
                        self.wake.notify_one();
                        tg!(
                            "tg-queued",
                            id = announcement.id,
                            title = esc(&announcement.title),
                            at = when(announcement.publish_at)
                        )
                    }
                    Submitted::Already { announcement } => tg!(
                        "tg-submitted",
                        id = announcement.id,
                        title = esc(&announcement.title)
                    ),
                    Submitted::Recurring { .. } => return,
                };
                text.push_str(&super::notify::preview_lines(&preview));
                self.reply(chat, &text).await;
            }
        }
    }

    async fn cancel(&self, chat: i64, record: &PersonRecord, rest: &str) -> Result<(), StoreError> {
        let Some(who) = person(record) else {
            return Ok(());
        };
        // A question waiting for an answer goes first.
        if self.app.store.take_chat_wait(record.id).await?.is_some() {
            self.reply(chat, &tg!("tg-question-dropped")).await;
            return Ok(());
        }
        let dropped = Intake::new(&self.app)
            .discard(record.id)
            .await
            .map_err(store_of)?;
        if dropped > 0 && rest.is_empty() {
            self.reply(chat, &tg!("tg-discarded", count = dropped))
                .await;
            return Ok(());
        }
        // The latest pending one, or the one named: `/cancel 12`.
        let id = match rest.trim_start_matches('#').parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let mine = self.app.store.chat_announcements(record.id, 20).await?;
                let mut found = None;
                for id in mine {
                    if self.app.store.announcement(id).await?.decided().is_none() {
                        found = Some(id);
                        break;
                    }
                }
                found
            }
        };
        let Some(id) = id else {
            self.reply(chat, &tg!("tg-nothing-to-cancel")).await;
            return Ok(());
        };
        let room = Newsroom::new(&self.app);
        match room.withdraw(&who, id).await {
            Ok(a) => {
                self.reply(chat, &tg!("tg-withdrawn", id = a.id, title = esc(&a.title)))
                    .await
            }
            Err(NewsroomError::Store(StoreError::Database(e))) => {
                return Err(StoreError::Database(e));
            }
            Err(e) => {
                self.reply(chat, &esc(&e.message(crate::i18n::Lang::Th)))
                    .await
            }
        }
        Ok(())
    }

    /// `/retract 12 why`: take an approved announcement back from the chat, and say what each
    /// channel will do and what is left by hand.
    async fn retract(&self, chat: i64, who: &Person, rest: &str) -> Result<(), StoreError> {
        let (id, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let Ok(id) = id.trim_start_matches('#').parse::<i64>() else {
            self.reply(chat, &tg!("tg-retract-usage")).await;
            return Ok(());
        };
        let room = Newsroom::new(&self.app);
        let done = match room.retract(who, id, reason, chrono::Utc::now()).await {
            Ok(done) => done,
            Err(NewsroomError::Store(StoreError::Database(e))) => {
                return Err(StoreError::Database(e));
            }
            Err(e) => {
                self.reply(chat, &esc(&e.message(crate::i18n::Lang::Th)))
                    .await;
                return Ok(());
            }
        };
        let mut text = tg!(
            "tg-retracted",
            id = id,
            title = esc(&done.announcement.title)
        );
        for (_, channel) in &done.corrected.in_place {
            text.push('\n');
            text.push_str(&tg!("tg-retract-not-out", channel = esc(channel)));
        }
        for m in &done.corrected.amendments {
            let mut m = m.clone();
            if done.by_hand.contains(&m.channel) {
                m.state = "by_hand".into();
                m.outcome = Some(crate::corrections::Outcome::NoRetract.code().into());
            }
            let url = self
                .app
                .store
                .delivery(m.delivery_id)
                .await
                .ok()
                .and_then(|d| d.remote_url);
            text.push('\n');
            text.push_str(&esc(&crate::corrections::describe(
                crate::i18n::Lang::Th,
                &m,
                url.as_deref(),
            )));
        }
        self.reply(chat, &text).await;
        Ok(())
    }

    async fn status(&self, chat: i64, record: &PersonRecord) -> Result<(), StoreError> {
        let mine = self.app.store.chat_announcements(record.id, 10).await?;
        if mine.is_empty() {
            self.reply(chat, &tg!("tg-status-none")).await;
            return Ok(());
        }
        let mut text = tg!("tg-status-head");
        for id in mine {
            let a = self.app.store.announcement(id).await?;
            text.push('\n');
            text.push_str(&tg!(
                "tg-status-line",
                id = a.id,
                title = esc(&a.title),
                state = tg!("tg-state", state = a.state.as_str())
            ));
        }
        self.reply(chat, &text).await;
        Ok(())
    }

    async fn pending_list(&self, chat: i64) -> Result<(), StoreError> {
        let waiting = Newsroom::new(&self.app)
            .waiting(20)
            .await
            .map_err(store_of)?;
        if waiting.is_empty() {
            self.reply(chat, &tg!("tg-pending-none")).await;
            return Ok(());
        }
        for a in waiting {
            let (text, keyboard) = super::notify::card(&a, None);
            if let Ok(Sent::Message(m)) = self.api.send(chat, &text, Some(keyboard)).await {
                self.app
                    .store
                    .add_chat_message(a.id, &format!("{FRONT}:{chat}"), m)
                    .await?;
            }
        }
        Ok(())
    }

    /// The answer to a question the bot asked a PR officer.
    async fn answer_wait(&self, chat: i64, record: &PersonRecord, wait: ChatWait, text: &str) {
        let Some(who) = person(record) else { return };
        let room = Newsroom::new(&self.app);
        let id = wait.announcement_id;
        let now = self.clock.now();
        let done = match wait.action.as_str() {
            "reject" => room
                .reject(&who, id, text)
                .await
                .map(|a| tg!("tg-rejected-done", id = a.id)),
            "edit" => room
                .edit(&who, id, None, text, now)
                .await
                .map(|a| tg!("tg-edited-done", id = a.id, title = esc(&a.title))),
            "time" => match crate::newsroom::time::parse_bangkok(text) {
                Ok(at) => room.approve(&who, id, Some(at), now).await.map(|a| {
                    tg!(
                        "tg-approved-done",
                        id = a.announcement.id,
                        at = when(a.announcement.publish_at)
                    )
                }),
                Err(e) => Err(e),
            },
            _ => return,
        };
        match done {
            Ok(line) => {
                self.wake.notify_one();
                self.reply(chat, &line).await;
                if wait.action == "edit"
                    && let Ok(a) = self.app.store.announcement(id).await
                {
                    let (text, keyboard) = super::notify::card(&a, None);
                    if let Ok(Sent::Message(m)) = self.api.send(chat, &text, Some(keyboard)).await {
                        let _ = self
                            .app
                            .store
                            .add_chat_message(id, &format!("{FRONT}:{chat}"), m)
                            .await;
                    }
                }
            }
            Err(e) => {
                // A time that does not parse, or is past: asked again.
                if wait.action == "time" && matches!(e, NewsroomError::Refused(_)) {
                    let _ = self.app.store.set_chat_wait(record.id, &wait, now).await;
                }
                self.reply(chat, &esc(&e.message(crate::i18n::Lang::Th)))
                    .await;
            }
        }
    }

    /// A button under a submission: approve, pick a time, edit, reject.
    async fn button(&self, q: &CallbackQuery) -> Result<(), StoreError> {
        let qid = q.id.0.as_str();
        let parsed = q.data.as_deref().and_then(|d| {
            let (action, id) = d.split_once(':')?;
            Some((action, id.parse::<i64>().ok()?))
        });
        let Some((action, id)) = parsed else {
            self.api
                .answer(qid, Some(&tg!("tg-button-unknown")), true)
                .await;
            return Ok(());
        };
        let record = self
            .app
            .store
            .person_by_telegram(q.from.id.0 as i64)
            .await?;
        let Some(who) = record.as_ref().and_then(person) else {
            self.api
                .answer(qid, Some(&tg!("tg-not-allowed")), true)
                .await;
            return Ok(());
        };
        let record = record.expect("a person");
        if !who.role.may_approve() {
            self.api
                .answer(qid, Some(&tg!("tg-not-allowed")), true)
                .await;
            return Ok(());
        }
        let room = Newsroom::new(&self.app);
        let now = self.clock.now();
        // Whatever the button, a decided announcement says who decided and when.
        let current = match self.app.store.announcement(id).await {
            Ok(a) => a,
            Err(StoreError::NotFound(_)) => {
                self.api
                    .answer(qid, Some(&tg!("tg-button-unknown")), true)
                    .await;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if let Some(e) = current.decided() {
            self.api
                .answer(
                    qid,
                    Some(&NewsroomError::from(e).message(crate::i18n::Lang::Th)),
                    true,
                )
                .await;
            return Ok(());
        }
        let ask = |what: &'static str| ChatWait {
            action: what.into(),
            announcement_id: id,
        };
        let chat = record.telegram_user_id.unwrap_or_default();
        match action {
            "ap" => match room.approve(&who, id, None, now).await {
                Ok(a) => {
                    self.wake.notify_one();
                    self.api
                        .answer(
                            qid,
                            Some(&tg!(
                                "tg-approved-done",
                                id = id,
                                at = when(a.announcement.publish_at)
                            )),
                            false,
                        )
                        .await
                }
                Err(NewsroomError::Store(StoreError::Database(e))) => {
                    return Err(StoreError::Database(e));
                }
                Err(e) => {
                    self.api
                        .answer(qid, Some(&e.message(crate::i18n::Lang::Th)), true)
                        .await
                }
            },
            "tm" | "ed" | "rj" => {
                let (wait, question) = match action {
                    "tm" => (ask("time"), tg!("tg-ask-time", id = id)),
                    "ed" => (ask("edit"), tg!("tg-ask-edit", id = id)),
                    _ => (ask("reject"), tg!("tg-ask-reason", id = id)),
                };
                self.app.store.set_chat_wait(record.id, &wait, now).await?;
                self.api.answer(qid, None, false).await;
                self.reply(chat, &question).await;
            }
            _ => {
                self.api
                    .answer(qid, Some(&tg!("tg-button-unknown")), true)
                    .await;
            }
        }
        Ok(())
    }
}

/// `/command@bot rest` → (`command`, `rest`).
fn command(text: &str) -> (Option<&str>, &str) {
    let Some(t) = text.strip_prefix('/') else {
        return (None, text);
    };
    let (head, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
    let name = head.split('@').next().unwrap_or(head);
    (Some(name), rest.trim())
}

/// The Telegram chat id in a stored chat (`telegram:42`).
pub(crate) fn chat_of(chat: &str) -> Option<i64> {
    chat.strip_prefix("telegram:")?.parse().ok()
}

fn store_of(e: NewsroomError) -> StoreError {
    match e {
        NewsroomError::Store(e) => e,
        other => StoreError::Conflict(other.to_string()),
    }
}
