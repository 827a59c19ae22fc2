//! The traits a channel implements. `Channel` is what every channel must do; `Reconcile`,
//! `ReachSource` and `Amend` are what only some can, kept apart so the dispatcher asks for them
//! explicitly.

use async_trait::async_trait;

use crate::{
    Draft, Health, Limits, Payload, PublishContext, PublishError, ReachSample, Receipt, Rejection,
};

/// How a channel makes a repeated publish of the same delivery harmless.
///
/// The dispatcher reads this after a crash or an ambiguous failure, when it cannot know whether
/// the previous attempt reached the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Publishing twice with the same idempotency key has one effect (the website's page path,
    /// the outbox's file name, LINE's `X-Line-Retry-Key`). Re-sending is safe.
    Native,
    /// The channel cannot dedupe by itself but can look for what it published
    /// ([`Channel::reconcile`] returns `Some`). Look first, then re-send only if nothing is found.
    Reconcile,
    /// The channel decides from what it saved during the earlier attempt
    /// ([`crate::PublishContext::saved_state`]) whether a repeat is safe: it resumes or only
    /// polls where a handle was saved, and refuses (`Rejected`, parked for a person) where a
    /// repeat could post twice. The dispatcher calls `publish` again, flagged
    /// `after_unsettled_attempt`. (TikTok: no lookup API, but a saved `publish_id`.)
    Resumable,
    /// Neither: an unsettled attempt is parked for a person to check, never re-sent blindly.
    None,
}

/// One publishing channel: a platform account or a built-in sink.
///
/// `prepare` is pure (no I/O) so previews and the CLI can call it; `publish` performs the one
/// side effect and must not retry internally: retries belong to the dispatcher, which decides
/// them from the returned [`PublishError`] variant.
#[async_trait]
pub trait Channel: Send + Sync {
    /// The channel kind, e.g. `website`, `line`. Stable: stored with every delivery.
    fn kind(&self) -> &'static str;

    /// The limits this channel enforces, in the unit the platform counts.
    fn limits(&self) -> &Limits;

    /// Turn a rendered draft into exactly what will be sent, fitting text to the limits, or
    /// say clearly why it cannot be sent.
    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection>;

    /// Send the payload. `ctx.idempotency_key` is the same on every attempt of one delivery.
    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError>;

    /// Check that the channel can publish (token valid, folder writable, …).
    async fn healthcheck(&self) -> Result<Health, PublishError>;

    /// How a repeated publish is made harmless; see [`Idempotency`].
    fn idempotency(&self) -> Idempotency;

    /// Whether the channel publishes documents ([`crate::MediaKind::Document`]) with a post.
    /// Those that do not are composed without them.
    fn carries_documents(&self) -> bool {
        false
    }

    /// The reconcile capability, for channels whose [`Idempotency`] is `Reconcile`.
    fn reconcile(&self) -> Option<&dyn Reconcile> {
        None
    }

    /// The reach capability, for channels that report views and reactions.
    fn reach_source(&self) -> Option<&dyn ReachSource> {
        None
    }

    /// The correction capability, for channels whose posts can be changed or taken down after
    /// they are published. `None`: what was published stays as it is, and a person is told what
    /// to do by hand (LINE broadcasts cannot be unsent or edited).
    fn amend(&self) -> Option<&dyn Amend> {
        None
    }
}

/// Change or take down a post this channel published. Both calls are made again after a
/// crash or an unclear answer, so each must be harmless to repeat: an edit sets the whole text
/// (setting it twice leaves it as set once), and a retraction of a post already gone succeeds.
#[async_trait]
pub trait Amend: Send + Sync {
    /// Whether this channel can change a published post's text and title. `false`: the edit is
    /// left for a person to make by hand.
    fn can_edit(&self) -> bool {
        true
    }

    /// Whether this channel can take a published post down.
    fn can_retract(&self) -> bool {
        true
    }

    /// Replace the text (and title, where the platform has one) of the post `receipt` names
    /// with `payload`'s, prepared by this channel's `prepare` like a first publish. Returns the
    /// post's receipt afterwards (the same post; its URL may change).
    async fn edit(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        edit: &Edit,
    ) -> Result<Receipt, PublishError>;

    /// Take the post `receipt` names down (delete it, or move it to the platform's trash).
    /// A post that is already gone is not an error.
    async fn retract(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        retraction: &Retraction,
    ) -> Result<(), PublishError>;
}

/// What an edit is, besides the new payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// When the announcement was changed: the website shows it ("แก้ไขเมื่อ …").
    pub edited_at: chrono::DateTime<chrono::Utc>,
    /// The announcement's revision after this edit (1 for the first edit): a channel may use it
    /// to tell its own repeats from a newer edit.
    pub revision: u32,
}

/// What a retraction is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retraction {
    pub retracted_at: chrono::DateTime<chrono::Utc>,
    /// Why, as the PR officer wrote it (shown on the website's notice).
    pub reason: String,
}

/// Find a post this channel already published for a delivery, after an ambiguous outcome.
#[async_trait]
pub trait Reconcile: Send + Sync {
    /// `fingerprint` is the delivery's idempotency key; adapters embed or derive it in what they
    /// publish so it can be found again.
    async fn find_published(
        &self,
        payload: &Payload,
        fingerprint: &str,
    ) -> Result<Option<Receipt>, PublishError>;

    /// Whether what the earlier attempt saved lets the next one finish it without a look-up
    /// (a resumable upload session: resuming cannot create a second post). Then the dispatcher
    /// neither waits for the earlier attempt to settle nor looks: it publishes, which resumes.
    fn resumes_without_lookup(&self, _saved_state: Option<&str>) -> bool {
        false
    }
}

/// Read how many people a published post reached.
#[async_trait]
pub trait ReachSource: Send + Sync {
    async fn reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError>;

    /// How long after publishing the platform has figures to give. Asking earlier spends a
    /// request for nothing (LINE's insights come a day late), so a sample due sooner waits.
    fn ready_after(&self) -> std::time::Duration {
        std::time::Duration::ZERO
    }
}
