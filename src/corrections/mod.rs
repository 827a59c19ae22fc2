//! Corrections carried to the channels: the daemon's worker for amendments (an edit or a
//! retraction of an announcement already out), and the words for what each one came to.
//!
//! An amendment is claimed under a lease and fenced by its claim, like a delivery. Repeating one
//! is harmless by the channels' contract ([`prakat_adapters::Amend`]: an edit sets the whole
//! text, a retraction of a post already gone succeeds), so after a crash or an unclear answer it
//! is simply carried out again; what must not happen is an edit overtaken by an older one (a
//! delivery's amendments run one at a time, in order) or an announcement taken back while an
//! attempt to publish it may still complete (a retraction waits for a running attempt, and
//! looks for a post an abandoned attempt may have made).
//!
//! Partial: media are not changed by an edit (title and text only).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use prakat_adapters::{Edit, Idempotency, PublishError, Retraction};
use tokio::sync::watch;

use crate::channels::Registry;
use crate::clock::Clock;
use crate::i18n::Lang;
use crate::store::{AmendAction, AmendOutcome, AmendmentRow, ClaimedAmendment, Store};
use crate::t;

pub mod cli;

/// How long an amendment waits for its delivery's attempt in progress before it looks again.
const WAIT_FOR_ATTEMPT: Duration = Duration::from_secs(5);
/// How long an edit waits for a delivery that is not out yet but may have been (an unsettled
/// attempt): its next attempt settles whether the old text went out.
const WAIT_FOR_DELIVERY: Duration = Duration::from_secs(30);
/// Tries at the platform before an amendment is left to a person.
const MAX_ATTEMPTS: u32 = 8;

/// The daemon's amendment worker.
pub struct Corrections<S: Store> {
    pub store: Arc<S>,
    pub registry: Registry,
    pub clock: Arc<dyn Clock>,
    pub owner: String,
    /// How long a claim lasts; each attempt ends well inside it.
    pub lease: Duration,
    /// The longest one call to a platform may take.
    pub timeout: Duration,
    /// How often to look for work.
    pub every: Duration,
}

impl<S: Store> Corrections<S> {
    /// Carry out amendments until `shutdown`.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let worked = match self.once().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "corrections: cannot look for amendments; trying again soon");
                    false
                }
            };
            if *shutdown.borrow() {
                return;
            }
            if !worked {
                tokio::select! {
                    _ = shutdown.changed() => return,
                    _ = tokio::time::sleep(self.every) => {}
                }
            }
        }
    }

    /// Claim what is due and carry it out; returns how many were claimed.
    pub async fn once(&self) -> crate::store::Result<usize> {
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_amendments(now, &self.owner, self.lease, 16)
            .await?;
        let n = claimed.len();
        for c in claimed {
            let outcome = self.attempt(&c).await;
            let at = self.clock.now();
            tracing::info!(
                amendment = c.row.id,
                announcement = c.row.announcement_id,
                channel = %c.row.channel,
                action = c.row.action.as_str(),
                outcome = ?outcome,
                "corrections: attempt ended"
            );
            if !self
                .store
                .settle_amendment(&c, &outcome, at, &self.owner)
                .await?
            {
                tracing::warn!(
                    amendment = c.row.id,
                    "corrections: a later claim took this amendment; its outcome is not written"
                );
            }
        }
        Ok(n)
    }

    fn later(&self, wait: Duration) -> DateTime<Utc> {
        self.clock.now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(1))
    }

    /// One attempt: decide from the delivery's state, then call the channel (bounded by the
    /// timeout, inside the lease).
    async fn attempt(&self, c: &ClaimedAmendment) -> AmendOutcome {
        let Some(channel) = self.registry.get(&c.row.channel) else {
            return AmendOutcome::ByHand {
                what: Outcome::ChannelGone.code().into(),
            };
        };
        let t = &c.target;
        let waiting = |count_attempt| AmendOutcome::Later {
            at: self.later(WAIT_FOR_ATTEMPT),
            error: None,
            count_attempt,
        };
        if t.state == "in_flight" && t.leased {
            // An attempt to publish is under way: what it ends with decides what to correct.
            return waiting(false);
        }
        let amend = channel.amend();
        match c.row.action {
            AmendAction::Edit => match t.state.as_str() {
                "published" => {}
                "cancelled" => return not_needed(Outcome::NotOut),
                _ if t.unsettled || t.state == "in_flight" => {
                    return AmendOutcome::Later {
                        at: self.later(WAIT_FOR_DELIVERY),
                        error: None,
                        count_attempt: false,
                    };
                }
                // Never out: its next attempt sends the new text.
                _ => return not_needed(Outcome::NotOut),
            },
            AmendAction::Retract => {
                if t.state != "published" {
                    // Cancelled (or abandoned in flight) after an attempt that may have reached
                    // the platform: look for what it made.
                    return self.retract_unsure(c).await;
                }
            }
        }
        let Some(amend) = amend else {
            return by_hand(c.row.action);
        };
        let call = async {
            match c.row.action {
                AmendAction::Edit => {
                    if !amend.can_edit() {
                        return Ok(by_hand(AmendAction::Edit));
                    }
                    let payload = c.payload.as_ref().unwrap_or(&t.payload);
                    let edit = Edit {
                        edited_at: c.corrected_at,
                        revision: c.row.revision,
                    };
                    let r = amend.edit(&t.receipt, payload, &edit).await?;
                    Ok(AmendOutcome::Done {
                        note: Outcome::Edited.code().into(),
                        url: r.url.filter(|u| Some(u) != t.receipt.url.as_ref()),
                    })
                }
                AmendAction::Retract => {
                    if !amend.can_retract() {
                        return Ok(by_hand(AmendAction::Retract));
                    }
                    amend
                        .retract(&t.receipt, &t.payload, &self.retraction(c))
                        .await?;
                    Ok(AmendOutcome::Done {
                        note: Outcome::Retracted.code().into(),
                        url: None,
                    })
                }
            }
        };
        self.bounded(c, call).await
    }

    /// A call to the platform, bounded by the timeout; its error becomes the next step.
    async fn bounded(
        &self,
        c: &ClaimedAmendment,
        call: impl std::future::Future<Output = Result<AmendOutcome, PublishError>>,
    ) -> AmendOutcome {
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(e)) => self.failed(c, &e),
            Err(_) => self.failed(
                c,
                &PublishError::Transient(format!(
                    "no answer within {}",
                    humantime::format_duration(self.timeout)
                )),
            ),
        }
    }

    fn retraction(&self, c: &ClaimedAmendment) -> Retraction {
        Retraction {
            retracted_at: c.corrected_at,
            reason: c.reason.clone().unwrap_or_default(),
        }
    }

    /// A retraction of a delivery that is not out, but whose attempt may have reached the
    /// platform (the daemon died during it, or its answer was lost).
    async fn retract_unsure(&self, c: &ClaimedAmendment) -> AmendOutcome {
        let t = &c.target;
        if !t.unsettled && t.state != "in_flight" {
            return not_needed(Outcome::NotOut);
        }
        let Some(channel) = self.registry.get(&c.row.channel) else {
            return AmendOutcome::ByHand {
                what: Outcome::ChannelGone.code().into(),
            };
        };
        let retraction = self.retraction(c);
        let look = async {
            match (channel.idempotency(), channel.reconcile(), channel.amend()) {
                // Taking down is harmless where nothing was made: do it without looking.
                (Idempotency::Native, _, Some(amend)) if amend.can_retract() => {
                    // Such a channel names what it made by the delivery's key.
                    let mut receipt = t.receipt.clone();
                    receipt.remote_id = receipt
                        .remote_id
                        .or_else(|| Some(t.idempotency_key.clone()));
                    amend.retract(&receipt, &t.payload, &retraction).await?;
                    Ok(AmendOutcome::Done {
                        note: Outcome::Retracted.code().into(),
                        url: None,
                    })
                }
                (_, Some(reconcile), amend) => {
                    match reconcile
                        .find_published(&t.payload, &t.idempotency_key)
                        .await?
                    {
                        None => Ok(not_needed(Outcome::NotOut)),
                        Some(found) => match amend {
                            Some(amend) if amend.can_retract() => {
                                amend.retract(&found, &t.payload, &retraction).await?;
                                Ok(AmendOutcome::Done {
                                    note: Outcome::Retracted.code().into(),
                                    url: None,
                                })
                            }
                            _ => Ok(by_hand(AmendAction::Retract)),
                        },
                    }
                }
                _ => Ok(AmendOutcome::ByHand {
                    what: Outcome::MaybeOut.code().into(),
                }),
            }
        };
        self.bounded(c, look).await
    }

    /// From a channel's error to the amendment's next step: a correction is safe to repeat, so
    /// everything but a refusal is tried again, up to [`MAX_ATTEMPTS`].
    fn failed(&self, c: &ClaimedAmendment, e: &PublishError) -> AmendOutcome {
        let error = e.to_string();
        match e {
            PublishError::Auth(_) | PublishError::Rejected(_) => AmendOutcome::Failed { error },
            _ if c.row.attempts >= MAX_ATTEMPTS => AmendOutcome::Failed { error },
            PublishError::RetryAfter(d, _) => AmendOutcome::Later {
                at: self.later(*d),
                error: Some(error),
                count_attempt: true,
            },
            PublishError::QuotaExhausted { until, .. } => AmendOutcome::Later {
                at: (*until).max(self.clock.now()),
                error: Some(error),
                count_attempt: false,
            },
            PublishError::Transient(_) | PublishError::Ambiguous(_) => AmendOutcome::Later {
                at: self.later(Duration::from_secs(5) * 2u32.pow(c.row.attempts.min(8))),
                error: Some(error),
                count_attempt: true,
            },
        }
    }
}

fn not_needed(o: Outcome) -> AmendOutcome {
    AmendOutcome::NotNeeded {
        note: o.code().into(),
    }
}

fn by_hand(action: AmendAction) -> AmendOutcome {
    AmendOutcome::ByHand {
        what: match action {
            AmendAction::Edit => Outcome::NoEdit,
            AmendAction::Retract => Outcome::NoRetract,
        }
        .code()
        .into(),
    }
}

/// What an amendment came to, stored as a stable code and put into words when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Edited,
    Retracted,
    NotOut,
    NoEdit,
    NoRetract,
    MaybeOut,
    ChannelGone,
}

impl Outcome {
    const ALL: [Outcome; 7] = [
        Outcome::Edited,
        Outcome::Retracted,
        Outcome::NotOut,
        Outcome::NoEdit,
        Outcome::NoRetract,
        Outcome::MaybeOut,
        Outcome::ChannelGone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Edited => "edited",
            Outcome::Retracted => "retracted",
            Outcome::NotOut => "not_out",
            Outcome::NoEdit => "no_edit_api",
            Outcome::NoRetract => "no_retract_api",
            Outcome::MaybeOut => "maybe_out",
            Outcome::ChannelGone => "channel_gone",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// One amendment in words, for the PR officer: the channel, what became of it, and for one left
/// to a person, what to do and where.
pub fn describe(lang: Lang, a: &AmendmentRow, url: Option<&str>) -> String {
    let channel = a.channel.as_str();
    let url = url.unwrap_or("-");
    let said = a.outcome.as_deref().and_then(Outcome::parse);
    match (a.state.as_str(), said) {
        ("done", Some(Outcome::Edited)) => t!(lang, "correction-edited", channel = channel),
        ("done", _) => t!(lang, "correction-retracted", channel = channel),
        ("not_needed", _) => t!(lang, "correction-not-out", channel = channel),
        ("superseded", _) => t!(lang, "correction-superseded", channel = channel),
        ("by_hand", Some(Outcome::NoEdit)) => {
            t!(lang, "correction-no-edit", channel = channel, url = url)
        }
        ("by_hand", Some(Outcome::NoRetract)) => {
            t!(lang, "correction-no-retract", channel = channel, url = url)
        }
        ("by_hand", Some(Outcome::MaybeOut)) => {
            t!(lang, "correction-maybe-out", channel = channel)
        }
        ("by_hand", _) => t!(lang, "correction-channel-gone", channel = channel),
        ("failed", _) => t!(
            lang,
            "correction-failed",
            channel = channel,
            error = a.last_error.clone().unwrap_or_default()
        ),
        _ => match a.action {
            AmendAction::Edit => t!(lang, "correction-edit-waiting", channel = channel),
            AmendAction::Retract => t!(lang, "correction-retract-waiting", channel = channel),
        },
    }
}
