//! The store: every durable fact of prakat — departments, media, announcements, deliveries,
//! recurring rules and the audit log — behind one [`Store`] trait.
//!
//! SQL lives in the implementations only (`sqlite/`, and a PostgreSQL one to come); callers speak
//! in domain types. Every state change writes an audit row in the same transaction as the change,
//! so the trail can never disagree with the state. Times are UTC here; Bangkok time is for
//! display only.

mod corrections;
mod desk;
mod digest;
mod message;
mod reach;
mod sqlite;
mod types;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use prakat_adapters::{Department, MediaRef};

pub use corrections::*;
pub use desk::*;
pub use digest::*;
pub use reach::*;
pub use sqlite::{Durability, SqliteStore, SqliteTuning};
pub use types::*;

/// What can go wrong in the store. `NotFound`, `Conflict` and `Invalid` are the caller's to show;
/// `Database` is an operational fault. The text here is for logs; a person reads
/// [`StoreError::msg`], in their language.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("could not compose: {0}")]
    Compose(#[from] crate::compose::ComposeError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// An announcement that is no longer waiting for approval: someone decided first.
    #[error("announcement {id} is already {state} (by {by} at {at})")]
    Decided {
        id: i64,
        state: String,
        by: String,
        at: DateTime<Utc>,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Renders an announcement's deliveries once its id is known. Called inside the store's
/// transaction: if it fails, nothing is written. Compose is pure, so this never does I/O.
pub type ComposeFn<'a> = dyn Fn(&AnnouncementRecord) -> Result<crate::compose::Composed, crate::compose::ComposeError>
    + Send
    + Sync
    + 'a;

/// Everything prakat keeps. A PostgreSQL implementation fills the same trait; callers never see
/// SQL.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The database's identity, made once with it: the folders prakat writes for this database
    /// carry it, so they are never mixed with another database's ([`crate::binding`]).
    async fn store_id(&self) -> Result<String>;

    // ---- departments
    async fn add_department(&self, dept: &Department, actor: &Actor) -> Result<()>;
    /// A new database's departments, all in one change and only while there are none: whoever
    /// opens the database meanwhile sees none or all of them. Returns how many it added.
    async fn seed_departments(&self, depts: &[Department], actor: &Actor) -> Result<usize>;
    /// The active departments in the order they were added: a new database's in the seed's
    /// order, as the digest lists them.
    async fn departments(&self) -> Result<Vec<Department>>;
    async fn department(&self, code: &str) -> Result<Option<Department>>;

    // ---- media
    /// Record a media file already written to the media store (idempotent by hash).
    async fn put_media(&self, media: &MediaRef) -> Result<()>;
    /// Media files kept earlier, by their SHA-256, in the order asked; `NotFound` names the
    /// first one not kept.
    async fn media(&self, sha256: &[String]) -> Result<Vec<MediaRef>>;

    // ---- announcements
    /// Create an announcement and its deliveries in one transaction. `compose` is given the new
    /// announcement (with its id) and returns one delivery per channel, and the channels it
    /// skipped (recorded in the audit trail with their reasons).
    async fn create_announcement(
        &self,
        new: &NewAnnouncement,
        compose: &ComposeFn<'_>,
        actor: &Actor,
    ) -> Result<(AnnouncementRecord, Vec<DeliveryRow>)>;
    /// Create many approved announcements and their deliveries in one transaction: all of them
    /// or, when one cannot be composed or stored, none. `compose` is called for each (with its
    /// id) before anything is written. Returns them in the order given. For imports and the
    /// JSON API; announcements of recurring rules go through [`Store::fire_rule`].
    async fn create_announcements(
        &self,
        news: &[NewAnnouncement],
        compose: &ComposeFn<'_>,
        actor: &Actor,
    ) -> Result<Vec<(AnnouncementRecord, Vec<DeliveryRow>)>>;
    async fn announcement(&self, id: i64) -> Result<AnnouncementRecord>;

    /// Keep a submission that waits for approval: the announcement (`pending_approval`) with
    /// its media and the channels asked for; no deliveries yet.
    async fn submit_announcement(
        &self,
        new: &NewAnnouncement,
        origin: Option<&Origin>,
        actor: &Actor,
    ) -> Result<AnnouncementRecord>;
    /// Approve a pending announcement, storing the deliveries composed for it beforehand, in
    /// one change guarded by the state: of two people approving at once, one approves and the
    /// other gets [`StoreError::Decided`] naming who did.
    async fn approve_announcement(
        &self,
        id: i64,
        publish_at: DateTime<Utc>,
        composed: &crate::compose::Composed,
        actor: &Actor,
    ) -> Result<(AnnouncementRecord, Vec<DeliveryRow>)>;
    /// Reject (with a reason) or withdraw a pending announcement, guarded by its state.
    async fn close_announcement(
        &self,
        id: i64,
        closing: Closing,
        note: Option<&str>,
        actor: &Actor,
    ) -> Result<AnnouncementRecord>;
    /// Change the title and text of an announcement that still waits for approval.
    async fn edit_pending(
        &self,
        id: i64,
        title: &str,
        body: &str,
        actor: &Actor,
    ) -> Result<AnnouncementRecord>;
    /// Announcements by the filter, the newest first, a page at a time.
    async fn list_announcements(
        &self,
        filter: &AnnouncementFilter,
    ) -> Result<Vec<AnnouncementRecord>>;
    /// Announcements in a state, oldest first (the pending list).
    async fn announcements_in_state(
        &self,
        state: &str,
        limit: usize,
    ) -> Result<Vec<AnnouncementRecord>>;

    // ---- recurring rules
    async fn create_rule(&self, rule: &NewRule, actor: &Actor) -> Result<RuleRecord>;
    /// Every rule not deleted, in order.
    async fn rules(&self) -> Result<Vec<RuleRecord>>;
    /// One rule; `NotFound` when there is none or it was deleted.
    async fn rule(&self, id: i64) -> Result<RuleRecord>;
    /// Stop a rule firing, guarded by its state (`Conflict` when already paused). Paused by
    /// prakat ([`RulePause::Failures`]), the audit row is a `rule_paused` event with `detail`.
    async fn pause_rule(
        &self,
        id: i64,
        why: RulePause,
        detail: serde_json::Value,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<RuleRecord>;
    /// Let a paused rule fire again from `next_fire_at` (occurrences missed while paused are not
    /// fired); its failures in a row are counted afresh.
    async fn resume_rule(
        &self,
        id: i64,
        next_fire_at: DateTime<Utc>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<RuleRecord>;
    /// Delete a rule: it never fires again and is listed nowhere; the announcements it made stay.
    async fn delete_rule(&self, id: i64, now: DateTime<Utc>, actor: &Actor) -> Result<RuleRecord>;
    /// Change a rule's text, link, channels and schedule, audited with the old and the new.
    async fn edit_rule(&self, id: i64, edit: &RuleEdit, actor: &Actor) -> Result<RuleRecord>;
    /// A channel whose last `n` deliveries of the rule's announcements (since it was created or
    /// last resumed) all failed or need attention, if any.
    async fn rule_failing_channel(&self, id: i64, n: u32) -> Result<Option<String>>;
    async fn due_rules(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<RuleRecord>>;
    /// Create the announcement for one occurrence of a rule and move the rule to its next fire
    /// time, in one transaction. An occurrence that already has its announcement is not created
    /// again; returns `None` then.
    async fn fire_rule(
        &self,
        rule: &RuleRecord,
        occurrence: DateTime<Utc>,
        next_fire_at: DateTime<Utc>,
        compose: &ComposeFn<'_>,
    ) -> Result<Option<AnnouncementRecord>>;
    /// Move a rule past an occurrence that could not be composed, recording why.
    async fn skip_rule_occurrence(
        &self,
        rule_id: i64,
        occurrence: DateTime<Utc>,
        next_fire_at: DateTime<Utc>,
        reason: &str,
    ) -> Result<()>;

    // ---- deliveries: the dispatcher's side
    /// Claim up to `limit` deliveries of approved announcements that are due (or whose lease
    /// ran out) for `owner`, until `now + lease`. Each claim counts an attempt, takes the next
    /// number of the delivery's claim sequence (its fencing token) and is audited. A row is
    /// claimed only in the state the claim expects, so two claimers never both win it.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease: std::time::Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedDelivery>>;
    /// Settle attempts in one transaction, each fenced by its claim token. The outcome of a
    /// superseded claim is not written over the newer one: it goes to the audit trail with its
    /// remote id (and a post it made marks a delivery not yet published as published). Returns
    /// how many settled their own claim.
    async fn settle(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        settlements: &[Settlement],
    ) -> Result<usize>;
    /// [`settle`](Store::settle) these outcomes, then [`claim_due`](Store::claim_due): the
    /// dispatcher's turn of the loop. A store may do both in one transaction (one commit instead
    /// of two); if it fails, neither happened. Returns how many settled their own claim, and the
    /// claims.
    async fn settle_and_claim(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        settlements: &[Settlement],
        lease: std::time::Duration,
        limit: usize,
    ) -> Result<(usize, Vec<ClaimedDelivery>)> {
        let settled = if settlements.is_empty() {
            0
        } else {
            self.settle(owner, now, settlements).await?
        };
        Ok((settled, self.claim_due(now, owner, lease, limit).await?))
    }
    /// Save a channel's in-progress state for a delivery, if `claim` is still the delivery's
    /// current claim. Returns false when a later claim has taken it.
    async fn save_publish_state(&self, delivery_id: i64, claim: i64, state: &str) -> Result<bool>;
    /// Make every in-flight lease claimable now. Only for a daemon that knows it is the only one
    /// (the SQLite daemon holds the data directory's lock): the previous owner is dead.
    async fn release_orphaned_leases(&self, now: DateTime<Utc>, actor: &Actor) -> Result<u64>;
    /// The earliest time something becomes due: a queued delivery, an expiring lease, a rule.
    async fn next_wake_at(&self) -> Result<Option<DateTime<Utc>>>;
    /// The publishing times in `[from, to)` of announcements waiting for approval or approved:
    /// the posting slots already taken.
    async fn publish_times(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>>;

    // ---- deliveries: the people's side
    async fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<DeliveryRow>>;
    /// The same deliveries as [`Store::deliveries`] with the same filter, in the same order,
    /// as a list shows them at a glance: without their payloads, which are neither read nor
    /// parsed.
    async fn delivery_glances(&self, filter: &DeliveryFilter) -> Result<Vec<DeliveryGlance>>;
    /// How many deliveries the filter matches, whatever its limit and page (`after`).
    async fn count_deliveries(&self, filter: &DeliveryFilter) -> Result<u64>;
    async fn delivery(&self, id: i64) -> Result<DeliveryRow>;
    async fn cancel_delivery(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DeliveryRow>;
    async fn retry_delivery(
        &self,
        id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DeliveryRow>;
    async fn delivery_counts(&self) -> Result<Vec<DeliveryCount>>;

    // ---- audit
    async fn audit_trail(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>>;
    /// Keep a line in the audit trail about something that changed nothing else (a stranger's
    /// message refused).
    async fn record_audit(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: serde_json::Value,
    ) -> Result<()>;

    // ---- people
    async fn create_invite(&self, invite: &NewInvite, actor: &Actor) -> Result<()>;
    /// Use an invite once: the person is created with the invite's role and department, in one
    /// change guarded by the invite being unused and unexpired (of two people sending the same
    /// code at once, one joins). `NotFound` when the code is unknown, used or expired.
    async fn redeem_invite(
        &self,
        code_sha256: &str,
        name: &str,
        telegram_user_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<PersonRecord>;
    async fn person_by_telegram(&self, telegram_user_id: i64) -> Result<Option<PersonRecord>>;

    // ---- reach
    /// The slots due for sampling ([`ReachDue`]), the earliest first: for each published
    /// delivery of `q.channels`, its latest slot that has come, when it has no sample, is not
    /// waiting for a retry and has attempts left.
    async fn reach_due(&self, q: &ReachQuery) -> Result<Vec<ReachDue>>;
    /// Keep a sample for a delivery's slot, taken at `taken_at`. A slot keeps its first sample:
    /// returns false (and changes nothing) when it already has one.
    async fn record_reach(
        &self,
        delivery_id: i64,
        slot: ReachSlot,
        taken_at: DateTime<Utc>,
        sample: &prakat_adapters::ReachSample,
    ) -> Result<bool>;
    /// Leave a slot due, to be tried again at `retry.retry_at`; returns its failed attempts.
    async fn reach_retry_later(&self, retry: &ReachRetry) -> Result<u32>;
    /// The samples of an announcement's deliveries, by delivery and slot.
    async fn reach_samples(&self, announcement_id: i64) -> Result<Vec<ReachRecord>>;
    /// The slots of an announcement's deliveries that failed and have no sample yet.
    async fn reach_failures(&self, announcement_id: i64) -> Result<Vec<ReachFailure>>;
    /// Add counted website page views (per announcement and day). Views of a page whose
    /// announcement is unknown are dropped.
    async fn add_page_views(&self, views: &[PageViews]) -> Result<()>;
    /// An announcement's website page views, all days together.
    async fn page_views_total(&self, announcement_id: i64) -> Result<u64>;

    // ---- domain events (for notifiers)
    /// Events after `after` (an event id), oldest first.
    async fn events_after(&self, after: i64, limit: usize) -> Result<Vec<DomainEvent>>;
    /// The last event `notifier` delivered; for a new notifier, the latest event so far (it
    /// starts from now, not from the beginning of the log).
    async fn notifier_cursor(&self, notifier: &str) -> Result<i64>;
    async fn save_notifier_cursor(&self, notifier: &str, last_event: i64) -> Result<()>;

    // ---- people, as the chat front ends need them
    async fn person(&self, id: i64) -> Result<Option<PersonRecord>>;
    /// Everyone who may use prakat now.
    async fn people(&self) -> Result<Vec<PersonRecord>>;

    // ---- submissions by chat
    /// Keep a piece once: `false` when a piece of the same origin is kept already.
    async fn add_chat_piece(&self, piece: &NewChatPiece) -> Result<bool>;
    /// A person's pieces not yet gathered, oldest first.
    async fn open_chat_pieces(&self, person_id: i64) -> Result<Vec<ChatPiece>>;
    /// The people whose newest open piece came at or before `quiet_since`.
    async fn quiet_chat_senders(&self, quiet_since: DateTime<Utc>) -> Result<Vec<i64>>;
    /// Close a person's open pieces up to piece `up_to`: `submitted` with the announcement they
    /// became, or `discarded`. Returns how many it closed.
    async fn close_chat_pieces(
        &self,
        person_id: i64,
        up_to: i64,
        announcement_id: Option<i64>,
    ) -> Result<u64>;
    /// The chat an announcement was submitted from, with the person who sent it.
    async fn chat_of_announcement(&self, announcement_id: i64) -> Result<Option<(i64, String)>>;
    /// The files of a chat submission as the front end knows them: (`kind`, its reference).
    async fn chat_files(&self, announcement_id: i64) -> Result<Vec<(String, String)>>;
    /// The announcements a person submitted by chat, newest first.
    async fn chat_announcements(&self, person_id: i64, limit: usize) -> Result<Vec<i64>>;
    /// Ask a person a question (replacing any earlier one).
    async fn set_chat_wait(
        &self,
        person_id: i64,
        wait: &ChatWait,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The question a person was asked, taken (asked once, answered once).
    async fn take_chat_wait(&self, person_id: i64) -> Result<Option<ChatWait>>;
    /// Where a front end is in its stream of updates.
    async fn chat_cursor(&self, front: &str) -> Result<Option<i64>>;
    async fn save_chat_cursor(&self, front: &str, next: i64) -> Result<()>;
    /// Remember a message sent about an announcement (to change it once decided).
    async fn add_chat_message(
        &self,
        announcement_id: i64,
        chat: &str,
        message_id: i64,
    ) -> Result<()>;
    async fn chat_messages(&self, announcement_id: i64) -> Result<Vec<(String, i64)>>;
    /// Whether `key` is said for the first time; it is then remembered as said.
    async fn say_once(&self, key: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Whether `key` was said.
    async fn said(&self, key: &str) -> Result<bool>;

    // ---- corrections of approved announcements
    /// Give an approved announcement a new title and text, in one change guarded by its
    /// revision (`Conflict` when another edit came first, or it was retracted): deliveries not
    /// yet out carry the new payload in place; each delivery out, or being sent, gets an edit
    /// amendment (replacing a waiting one). Audited with the old and the new text.
    async fn edit_announcement(&self, edit: &AnnouncementEdit, actor: &Actor) -> Result<Corrected>;
    /// Take an approved announcement back, in one change: it is `retracted` (never claimed
    /// again), deliveries not yet out are cancelled, waiting edits are superseded, and each
    /// delivery that is out, being sent, or may have reached its platform gets a retraction
    /// amendment.
    async fn retract_announcement(
        &self,
        retraction: &AnnouncementRetraction,
        actor: &Actor,
    ) -> Result<Corrected>;
    /// An announcement's amendments, oldest first.
    async fn amendments(&self, announcement_id: i64) -> Result<Vec<AmendmentRow>>;
    /// Claim up to `limit` open amendments for `owner` until `now + lease`: waiting ones whose
    /// time has come and claimed ones whose lease ran out, each only when no earlier amendment
    /// of the same delivery is open (a delivery's corrections are carried out in order).
    async fn claim_amendments(
        &self,
        now: DateTime<Utc>,
        owner: &str,
        lease: std::time::Duration,
        limit: usize,
    ) -> Result<Vec<ClaimedAmendment>>;
    /// Write an attempt's outcome, fenced by its claim; false when a later claim has taken it.
    /// Audited; a correction left to a person or refused is a domain event.
    async fn settle_amendment(
        &self,
        claimed: &ClaimedAmendment,
        outcome: &AmendOutcome,
        now: DateTime<Utc>,
        owner: &str,
    ) -> Result<bool>;

    // ---- web desk
    /// Add a person who signs in to the web desk with a password, in one change: the person
    /// and their login. `Conflict` when the login is taken, `NotFound` for an unknown
    /// department.
    async fn add_desk_person(&self, new: &NewDeskPerson, actor: &Actor) -> Result<PersonRecord>;
    /// Add the first admin, only while no active admin can sign in (decided in the same
    /// change, so two daemons starting at once make one). `None` when one can.
    async fn add_first_desk_admin(
        &self,
        new: &NewDeskPerson,
        actor: &Actor,
    ) -> Result<Option<PersonRecord>>;
    /// Give a login a new password hash; every session of that person ends. `NotFound` for an
    /// unknown login.
    async fn set_desk_password(
        &self,
        login: &str,
        password_hash: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()>;
    /// An active person's login by the name they type (case ignored).
    async fn desk_login(&self, login: &str) -> Result<Option<DeskLogin>>;
    /// Count an attempt to sign in before its password is checked: refused (`None`) when the
    /// name or the address already has `limit.max_failures` attempts since `limit.since`,
    /// otherwise kept (counted as failed until [`Store::login_succeeded`]) and its id
    /// returned. Counted and kept in one change, so attempts at once cannot pass the limit.
    async fn start_login_attempt(
        &self,
        login: &str,
        ip: &str,
        now: DateTime<Utc>,
        limit: LoginLimit,
    ) -> Result<Option<i64>>;
    /// An attempt whose password was right no longer counts against the limit.
    async fn login_succeeded(&self, attempt: i64) -> Result<()>;
    /// Start a session (audited as a sign-in).
    async fn create_desk_session(&self, session: &NewDeskSession, actor: &Actor) -> Result<()>;
    /// The session with this id hash, when it has not ended, not expired and was seen within
    /// `idle`; its last use is moved to `now`. `None` otherwise, or when its person left.
    async fn desk_session(
        &self,
        id_sha256: &str,
        now: DateTime<Utc>,
        idle: std::time::Duration,
    ) -> Result<Option<DeskSession>>;
    /// End a session (signing out); false when it had ended already.
    async fn end_desk_session(&self, id_sha256: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Keep a JSON API token (its SHA-256) acting as the person with this login; returns its
    /// id. `NotFound` for an unknown login.
    async fn create_api_token(
        &self,
        login: &str,
        token_sha256: &str,
        label: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64>;
    /// The active person a token acts as, when it is not revoked.
    async fn api_token_person(&self, token_sha256: &str) -> Result<Option<PersonRecord>>;
    /// Revoke a token; false when it was revoked already.
    async fn revoke_api_token(&self, id: i64, now: DateTime<Utc>, actor: &Actor) -> Result<bool>;
    /// Everyone who may sign in to the desk (active), with their login, in order.
    async fn desk_logins(&self) -> Result<Vec<DeskLogin>>;
    /// Every JSON API token, the newest first.
    async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>>;
    /// Take a person off the desk, in one change: they no longer sign in (their login is freed),
    /// their sessions end and their tokens stop working; what they did stays in the audit trail.
    /// `NotFound` for an unknown login.
    async fn remove_desk_person(
        &self,
        login: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<()>;
    // ---- digest
    /// What the monthly digest is built from: the departments in the order they were added,
    /// and one row per delivery (cancelled ones left out) of every approved announcement whose
    /// publishing time is in `[from, to)` and that was published on at least one channel, each
    /// with its latest reach sample and the announcement's website page views. Ordered by
    /// publishing time, announcement and channel.
    async fn digest_rows(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<DigestRows>;
}
