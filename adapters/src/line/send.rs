//! One publish attempt: the state saved before the send, the quota check, exactly one send
//! request per recipient set (one broadcast, one narrowcast, or one push per `to` id), and the
//! receipt. Never a retry here: the dispatcher decides from the error.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{PublishContext, PublishError, Receipt};

use super::Line;
use super::client::Sent;
use super::limits::QUOTA_CACHE_SECS;
use super::messages::messages;
use super::quota::{self, QuotaReading};
use super::retry_key::{push_retry_key, retry_key};
use super::settings::Mode;
use super::state::SendState;

/// A failed attempt, and whether something may have reached LINE before or during it.
struct Failed {
    error: PublishError,
    maybe_sent: bool,
}

impl From<PublishError> for Failed {
    fn from(error: PublishError) -> Self {
        let maybe_sent = matches!(
            error,
            PublishError::Transient(_) | PublishError::Ambiguous(_)
        );
        Failed { error, maybe_sent }
    }
}

impl Line {
    pub(super) async fn send(
        &self,
        payload: &crate::Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let now = self.now();
        let mut state = SendState::load(ctx);
        state.check_repeatable(now)?;
        let earlier = state.maybe_sent_since;
        let messages = messages(payload, self.settings.style, &self.env);
        // A repeat after an unanswered send may already have used the messages: the retry
        // key, not the quota, decides it.
        let needed = match earlier {
            None => Some(self.check_quota(now).await?),
            Some(_) => None,
        };
        state.maybe_sent_since = Some(earlier.unwrap_or(now));
        state.save(ctx).await?;
        let result = match self.settings.mode {
            Mode::Broadcast => self.broadcast(ctx, messages, now).await,
            Mode::Narrowcast => self.narrowcast(ctx, messages, now).await,
            Mode::Push => self.push(ctx, messages, now).await,
        };
        match result {
            Ok(receipt) => {
                if let (Some(n), false) = (needed, receipt.deduplicated) {
                    self.spend(n);
                }
                tracing::info!(
                    delivery_id = ctx.delivery_id,
                    request_id = receipt.request_id.as_deref(),
                    deduplicated = receipt.deduplicated,
                    "line: published"
                );
                Ok(receipt)
            }
            Err(f) => {
                if !f.maybe_sent {
                    // LINE answered and took nothing: forget this attempt.
                    state.maybe_sent_since = earlier;
                    if let Err(e) = state.save(ctx).await {
                        tracing::warn!(delivery_id = ctx.delivery_id, error = %e, "line: cannot save state");
                    }
                }
                tracing::warn!(delivery_id = ctx.delivery_id, error = %f.error, "line: publish failed");
                Err(f.error)
            }
        }
    }

    async fn broadcast(
        &self,
        ctx: &PublishContext,
        messages: Vec<Value>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Failed> {
        let body = json!({
            "messages": messages,
            "notificationDisabled": self.settings.notification_disabled,
        });
        let key = retry_key(&ctx.idempotency_key);
        let sent = self
            .api
            .send("broadcast", "/v2/bot/message/broadcast", key, &body, now)
            .await?;
        Ok(receipt(sent, None))
    }

    async fn narrowcast(
        &self,
        ctx: &PublishContext,
        messages: Vec<Value>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Failed> {
        let mut body = json!({
            "messages": messages,
            "notificationDisabled": self.settings.notification_disabled,
        });
        if let Some(id) = self.settings.audience_group_id {
            body["recipient"] = json!({ "type": "audience", "audienceGroupId": id });
        }
        let key = retry_key(&ctx.idempotency_key);
        let sent = self
            .api
            .send("narrowcast", "/v2/bot/message/narrowcast", key, &body, now)
            .await?;
        Ok(receipt(sent, None))
    }

    /// One push per recipient, each with its own retry key; a repeat sends again only to those
    /// LINE did not accept (the others answer 409).
    async fn push(
        &self,
        ctx: &PublishContext,
        messages: Vec<Value>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, Failed> {
        let mut first: Option<Receipt> = None;
        let mut all_repeats = true;
        for to in &self.settings.to {
            let key: Uuid = if self.settings.to.len() == 1 {
                retry_key(&ctx.idempotency_key)
            } else {
                push_retry_key(&ctx.idempotency_key, to)
            };
            let body = json!({
                "to": to,
                "messages": messages,
                "notificationDisabled": self.settings.notification_disabled,
            });
            let sent = match self
                .api
                .send("push", "/v2/bot/message/push", key, &body, now)
                .await
            {
                Ok(s) => s,
                Err(e) => {
                    let mut f = Failed::from(e);
                    f.maybe_sent |= first.is_some();
                    return Err(f);
                }
            };
            let message_id = match &sent {
                Sent::Accepted { body, .. } => body
                    .pointer("/sentMessages/0/id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                Sent::AlreadyAccepted { .. } => None,
            };
            let r = receipt(sent, message_id);
            all_repeats &= r.deduplicated;
            first.get_or_insert(r);
        }
        let mut r = first.unwrap_or_default();
        r.deduplicated = all_repeats;
        Ok(r)
    }

    /// How many messages this send costs, after checking the month has them.
    async fn check_quota(&self, now: DateTime<Utc>) -> Result<u64, PublishError> {
        let to_friends = match self.settings.mode {
            Mode::Broadcast => true,
            Mode::Narrowcast => self.settings.audience_group_id.is_none(),
            Mode::Push => false,
        };
        let cached = self
            .quota
            .lock()
            .expect("quota cache lock")
            .clone()
            .filter(|r| now - r.read_at < Duration::seconds(QUOTA_CACHE_SECS) && now >= r.read_at);
        let reading: QuotaReading = match cached {
            Some(r) => r,
            None => {
                let r = quota::read(&self.api, to_friends, now).await?;
                *self.quota.lock().expect("quota cache lock") = Some(r.clone());
                r
            }
        };
        let needed = match self.settings.mode {
            Mode::Push => self.settings.to.len() as u64,
            _ if to_friends => reading.friends.unwrap_or(1),
            _ => 1,
        };
        reading.check(needed, now)?;
        Ok(needed)
    }

    /// Count a send in the cached reading, so the next delivery of a batch sees it.
    fn spend(&self, messages: u64) {
        if let Some(r) = self.quota.lock().expect("quota cache lock").as_mut() {
            r.used = r.used.saturating_add(messages);
        }
    }
}

fn receipt(sent: Sent, remote_id: Option<String>) -> Receipt {
    match sent {
        Sent::Accepted { request_id, .. } => Receipt {
            remote_id: remote_id.or_else(|| request_id.clone()),
            url: None,
            request_id,
            deduplicated: false,
        },
        Sent::AlreadyAccepted { request_id } => Receipt {
            remote_id: remote_id.or_else(|| request_id.clone()),
            url: None,
            request_id,
            deduplicated: true,
        },
    }
}
