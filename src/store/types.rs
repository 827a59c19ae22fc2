//! The store's domain types: what goes in and what comes out.

use std::fmt;

use chrono::{DateTime, Utc};
use prakat_adapters::{Department, MediaRef, Payload};
use serde::Serialize;

/// Who did something: a person through an intake (`cli:somchai`, `web:pr1`) or the daemon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub name: String,
    /// The person's role when they acted; `None` for the daemon itself.
    pub role: Option<String>,
}

impl Actor {
    pub fn person(source: &str, name: &str, role: &str) -> Self {
        Actor {
            name: format!("{source}:{name}"),
            role: Some(role.to_owned()),
        }
    }
    pub fn daemon(part: &str) -> Self {
        Actor {
            name: part.to_owned(),
            role: None,
        }
    }
}

/// The state of a delivery. See the README for how one moves between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Queued,
    InFlight,
    Published,
    Failed,
    NeedsAttention,
    Cancelled,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 6] = [
        DeliveryState::Queued,
        DeliveryState::InFlight,
        DeliveryState::Published,
        DeliveryState::Failed,
        DeliveryState::NeedsAttention,
        DeliveryState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::InFlight => "in_flight",
            DeliveryState::Published => "published",
            DeliveryState::Failed => "failed",
            DeliveryState::NeedsAttention => "needs_attention",
            DeliveryState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new announcement as an intake submits it.
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub department: String,
    /// The channels asked for; kept with an announcement that waits for approval.
    pub channels: Vec<String>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    pub media: Vec<MediaRef>,
    /// cli, web, api, telegram, recurring
    pub source: String,
    pub publish_at: DateTime<Utc>,
}

/// A person as the store keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRecord {
    pub id: i64,
    pub name: String,
    /// admin, pr_officer, department_staff
    pub role: String,
    pub department: Option<String>,
    pub telegram_user_id: Option<i64>,
}

/// An invitation to join, as created.
#[derive(Debug, Clone)]
pub struct NewInvite {
    /// SHA-256 (hex) of the code; the code itself is never stored.
    pub code_sha256: String,
    pub role: String,
    pub department: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// How a pending announcement ends without being published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Rejected,
    Withdrawn,
}

impl Closing {
    pub fn state(self) -> &'static str {
        match self {
            Closing::Rejected => "rejected",
            Closing::Withdrawn => "withdrawn",
        }
    }
}

/// Who decided about an announcement, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A stored announcement.
#[derive(Debug, Clone, Serialize)]
pub struct AnnouncementRecord {
    pub id: i64,
    pub department: Department,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    pub media: Vec<MediaRef>,
    pub author: String,
    pub source: String,
    pub state: String,
    pub publish_at: DateTime<Utc>,
    pub rule_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// The channels asked for (of an announcement waiting for approval).
    pub channels: Vec<String>,
    /// Who approved, rejected or withdrew it, when, and the reason given.
    pub decision: Option<Decision>,
    /// Its edits and retraction, once approved.
    pub revision: super::Revision,
}

impl AnnouncementRecord {
    /// Why this announcement can no longer be approved, rejected, edited or withdrawn: who
    /// decided and when (its author and creation, for one that never waited). `None` while it
    /// waits for approval.
    pub fn decided(&self) -> Option<super::StoreError> {
        if self.state == "pending_approval" {
            return None;
        }
        let (by, at) = match &self.decision {
            Some(d) => (d.by.clone(), d.at),
            None => (self.author.clone(), self.created_at),
        };
        Some(super::StoreError::Decided {
            id: self.id,
            state: self.state.clone(),
            by,
            at,
        })
    }
}

/// One delivery to create with an announcement.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub channel: String,
    pub payload: Payload,
    pub due_at: DateTime<Utc>,
    pub idempotency_key: String,
}

/// A delivery as the dispatcher claimed it.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub announcement_id: i64,
    pub channel: String,
    pub payload: Payload,
    pub idempotency_key: String,
    /// The attempt this claim makes, 1 for the first.
    pub attempt: u32,
    /// A previous attempt may have reached the platform without being settled.
    pub unsettled: bool,
    pub due_at: DateTime<Utc>,
    /// What the channel saved during an earlier attempt (see `Checkpoint`).
    pub saved_state: Option<String>,
    /// This claim's number in the delivery's claim sequence: the token every write of this
    /// attempt is fenced by (settling, checkpoints). A later claim has a larger one.
    pub claim: i64,
    /// When the attempt whose outcome is unknown started, for an unsettled delivery: a look-up
    /// on the platform proves nothing before that attempt can no longer complete.
    pub uncertain_since: Option<DateTime<Utc>>,
}

/// How an attempt ended, as the dispatcher decided from the channel's answer.
#[derive(Debug, Clone)]
pub enum Outcome {
    Published(prakat_adapters::Receipt),
    /// Try again at `at`. `count_attempt` is false for waits the platform asked for (rate
    /// limits, quota), which are not the delivery's fault, and for claims handed back unused.
    /// `unsettled` marks an ambiguous outcome: this attempt may have reached the platform.
    Retry {
        at: DateTime<Utc>,
        error: String,
        class: String,
        count_attempt: bool,
        unsettled: bool,
    },
    /// A person must act (token, permission, content refused, unsettled without reconcile).
    NeedsAttention {
        error: String,
        class: String,
    },
    /// Attempts are used up.
    Failed {
        error: String,
        class: String,
    },
}

#[derive(Debug, Clone)]
pub struct Settlement {
    pub delivery_id: i64,
    /// The claim this outcome belongs to ([`ClaimedDelivery::claim`]). An outcome of a claim
    /// that was superseded is kept in the audit trail, never written over the newer claim.
    pub claim: i64,
    pub outcome: Outcome,
}

/// A delivery as people see it in the queue.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub announcement_id: i64,
    pub department: String,
    pub title: String,
    pub channel: String,
    pub state: DeliveryState,
    pub due_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub attempts: u32,
    pub unsettled: bool,
    pub idempotency_key: String,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub request_id: Option<String>,
    pub last_error: Option<String>,
    pub last_error_class: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub payload: Payload,
}

/// A delivery as a list shows it at a glance (the calendar, the latest announcements): whose
/// announcement, which channel, when it is due and how it stands. Listed by the same filter and
/// in the same order as [`DeliveryRow`]s, without what such a list never shows: the payload
/// (the costliest part of a row to read), the attempts and the platform's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryGlance {
    pub id: i64,
    pub announcement_id: i64,
    /// The announcement's department (its code).
    pub department: String,
    pub title: String,
    pub channel: String,
    pub state: DeliveryState,
    pub due_at: DateTime<Utc>,
}

impl DeliveryGlance {
    /// This row's place in a list, for the page after it.
    pub fn key(&self) -> DeliveryKey {
        DeliveryKey {
            due_at: self.due_at,
            id: self.id,
        }
    }
}

/// Which deliveries to list. Every filter is optional; a page is read from an index, so a page
/// of a large store costs what a page of a small one does.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub state: Option<DeliveryState>,
    pub channel: Option<String>,
    pub announcement_id: Option<i64>,
    /// The announcement's department (its code).
    pub department: Option<String>,
    /// Due at or after this time.
    pub due_from: Option<DateTime<Utc>>,
    /// Due before this time.
    pub due_until: Option<DateTime<Utc>>,
    /// Keyset paging: only the rows after this one in the list's order (the last row of the
    /// page before, [`DeliveryRow::key`]).
    pub after: Option<DeliveryKey>,
    pub limit: Option<usize>,
    /// The newest first (the last made); otherwise by due time, the earliest first.
    pub newest_first: bool,
}

/// Where a delivery stands in a list: by due time then id, or (the newest first) by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryKey {
    pub due_at: DateTime<Utc>,
    pub id: i64,
}

impl DeliveryKey {
    /// The key as a page link carries it: `<due_at in ms>.<id>`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.due_at.timestamp_millis(), self.id)
    }

    /// A key from [`DeliveryKey::encode`]; `None` for anything else.
    pub fn decode(s: &str) -> Option<DeliveryKey> {
        let (due, id) = s.split_once('.')?;
        Some(DeliveryKey {
            due_at: DateTime::from_timestamp_millis(due.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }
}

impl DeliveryRow {
    /// This row's place in a list, for the page after it.
    pub fn key(&self) -> DeliveryKey {
        DeliveryKey {
            due_at: self.due_at,
            id: self.id,
        }
    }
}

/// Which announcements to list, the newest (the last made) first.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementFilter {
    /// `pending_approval`, `approved`, `rejected`, `withdrawn`, `retracted`, …
    pub state: Option<String>,
    /// The department's code.
    pub department: Option<String>,
    /// To be published at or after this time.
    pub publish_from: Option<DateTime<Utc>>,
    /// To be published before this time.
    pub publish_until: Option<DateTime<Utc>>,
    /// Keyset paging: only those made before this one (the last id of the page before).
    pub before: Option<i64>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryCount {
    pub channel: String,
    pub state: DeliveryState,
    pub count: u64,
}

/// A standing notice posted again on a schedule.
#[derive(Debug, Clone)]
pub struct NewRule {
    pub department: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub media: Vec<MediaRef>,
    pub channels: Vec<String>,
    /// Six or seven fields (seconds first), evaluated in Asia/Bangkok.
    pub cron: String,
    pub next_fire_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleRecord {
    pub id: i64,
    pub department: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub media: Vec<MediaRef>,
    pub channels: Vec<String>,
    pub cron: String,
    pub next_fire_at: DateTime<Utc>,
    /// Fires; false while paused.
    pub active: bool,
    pub author: String,
    /// Why it is paused: `by_hand`, or `failures` (paused by prakat after its deliveries
    /// failed too often in a row). `None` while it fires.
    pub paused_reason: Option<String>,
    pub paused_at: Option<DateTime<Utc>>,
}

/// What a rule becomes when edited (its media stay as they are).
#[derive(Debug, Clone)]
pub struct RuleEdit {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub channels: Vec<String>,
    pub cron: String,
    pub next_fire_at: DateTime<Utc>,
}

/// Why a rule stops firing for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePause {
    /// A person paused it.
    ByHand,
    /// Its deliveries failed too often in a row: prakat paused it (a `rule_paused` event).
    Failures,
}

impl RulePause {
    pub fn as_str(self) -> &'static str {
        match self {
            RulePause::ByHand => "by_hand",
            RulePause::Failures => "failures",
        }
    }
}

/// The audit actions that are domain events: what people are told about.
pub const EVENT_ACTIONS: &[&str] = &[
    "submitted",
    "approved",
    "rejected",
    "withdrawn",
    "published",
    "needs_attention",
    "failed",
    "channel_concern",
    "rule_paused",
    "edited",
    "retracted",
    "correction_by_hand",
    "correction_failed",
    "digest_ready",
];

/// A domain event: an audit row of one of [`EVENT_ACTIONS`], with its place in the log.
#[derive(Debug, Clone, Serialize)]
pub struct DomainEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    /// `announcement` or `delivery`.
    pub entity: String,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub role: Option<String>,
    pub action: String,
    pub detail: serde_json::Value,
}

/// One thing a person sent by chat, before it is gathered into a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChatPiece {
    /// Front end, chat and message (`telegram:42:17`): kept once however often it arrives.
    pub origin: String,
    pub person_id: i64,
    /// Where answers go (`telegram:42`).
    pub chat: String,
    /// The text, or a file's caption.
    pub body: Option<String>,
    /// `photo`, `video`, `document`; none for a text.
    pub kind: Option<String>,
    /// The file as downloaded on this machine.
    pub file_path: Option<String>,
    /// The front end's own reference to the file (Telegram's `file_id`).
    pub file_ref: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// A piece as kept, waiting to be gathered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatPiece {
    pub id: i64,
    pub origin: String,
    pub chat: String,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub file_path: Option<String>,
    pub file_ref: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// A question the bot asked a person and waits for the answer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatWait {
    /// `reject` (the answer is the reason), `edit` (the new text), `time` (when to publish).
    pub action: String,
    pub announcement_id: i64,
}

/// Where a submission came from, when it must be made once however often it is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Unique per submission: a second try with the same key finds the first.
    pub key: String,
    /// The chat pieces it is made of (the person and the last piece): closed in the same change
    /// that makes the submission, so whoever reads the submission finds its pieces.
    pub chat_pieces: Option<(i64, i64)>,
}
