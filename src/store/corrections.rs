//! The store's correction types: an announcement's revision and retraction, an edit or a
//! retraction asked for, and the amendments that carry a correction to each channel.

use chrono::{DateTime, Utc};
use prakat_adapters::{Payload, Receipt};
use serde::Serialize;

/// Where an approved announcement stands after corrections.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// 0 as approved; one more with each edit and with a retraction.
    pub number: u32,
    pub edited_at: Option<DateTime<Utc>>,
    pub retracted: Option<Retracted>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retracted {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A new title and text (and, when given, new attachments) for an approved announcement,
/// with each of its deliveries' payload composed again from them.
#[derive(Debug, Clone)]
pub struct AnnouncementEdit {
    pub id: i64,
    /// The revision the edit was made from: if another edit came first, this one is refused
    /// (`Conflict`) rather than silently undoing it.
    pub from_revision: u32,
    pub title: String,
    pub body: String,
    /// The announcement's files from now on, in order, each already kept ([`Store::put_media`]);
    /// `None` keeps the ones it has.
    ///
    /// [`Store::put_media`]: super::Store::put_media
    pub media: Option<Vec<prakat_adapters::MediaRef>>,
    /// The new payload per delivery id. Deliveries not named keep theirs (cancelled ones).
    pub payloads: Vec<(i64, Payload)>,
    pub at: DateTime<Utc>,
}

/// Taking an approved announcement back.
#[derive(Debug, Clone)]
pub struct AnnouncementRetraction {
    pub id: i64,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// What an edit or a retraction did, per delivery.
#[derive(Debug, Clone, Serialize)]
pub struct Corrected {
    pub announcement_id: i64,
    pub revision: u32,
    /// Deliveries not yet out: they now carry the new text (edit) or are cancelled (retraction).
    pub in_place: Vec<(i64, String)>,
    /// The amendments made for deliveries that are out, or being sent.
    pub amendments: Vec<AmendmentRow>,
}

/// The two corrections a channel may have to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmendAction {
    Edit,
    Retract,
}

impl AmendAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AmendAction::Edit => "edit",
            AmendAction::Retract => "retract",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "edit" => Some(AmendAction::Edit),
            "retract" => Some(AmendAction::Retract),
            _ => None,
        }
    }
}

/// One amendment as people see it.
#[derive(Debug, Clone, Serialize)]
pub struct AmendmentRow {
    pub id: i64,
    pub announcement_id: i64,
    pub delivery_id: i64,
    pub channel: String,
    pub action: AmendAction,
    pub revision: u32,
    /// `waiting`, `in_flight`, `done`, `by_hand`, `failed`, `superseded`, `not_needed`.
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// What was done, or what a person must do.
    pub outcome: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The delivery an amendment corrects, as it stands when the amendment is claimed.
#[derive(Debug, Clone)]
pub struct AmendTarget {
    /// The delivery's state (`published`, `in_flight`, `queued`, …).
    pub state: String,
    /// Whether a lease on the delivery is still running (an attempt may be under way).
    pub leased: bool,
    /// An attempt was claimed and never settled: it may have reached the platform.
    pub unsettled: bool,
    pub receipt: Receipt,
    pub idempotency_key: String,
    /// The delivery's payload (for a retraction: what was published).
    pub payload: Payload,
}

/// An amendment claimed for one attempt.
#[derive(Debug, Clone)]
pub struct ClaimedAmendment {
    pub row: AmendmentRow,
    /// Its fencing token: the outcome is written only while this is still the latest claim.
    pub claim: i64,
    /// The edit's new payload.
    pub payload: Option<Payload>,
    pub reason: Option<String>,
    pub target: AmendTarget,
    /// When the announcement was edited or retracted.
    pub corrected_at: DateTime<Utc>,
}

/// How one attempt of an amendment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmendOutcome {
    /// Carried out. `url`: the post's link afterwards, when it changed.
    Done { note: String, url: Option<String> },
    /// The channel cannot: a person must do this.
    ByHand { what: String },
    /// Nothing to do: the delivery never went out (and now never will with the old text).
    NotNeeded { note: String },
    /// Try again at `at` (the delivery is still being sent, or the platform asked to wait).
    /// `count_attempt`: whether this was a real try at the platform.
    Later {
        at: DateTime<Utc>,
        error: Option<String>,
        count_attempt: bool,
    },
    /// The platform refused; a person must look.
    Failed { error: String },
}
