//! The newsroom: every rule about announcements, in the one place every front end calls — the
//! CLI today, the Telegram bot, the web desk and the JSON API next. None of them holds a rule of
//! its own; each turns what a person did into a call here with a typed [`Person`], and shows
//! the typed answer (or [`NewsroomError`]) in the person's language.
//!
//! - [`Newsroom::submit`]: what a PR officer or an admin sends is approved at once (queued, or a
//!   recurring rule); what department staff send waits as `pending_approval`.
//! - [`Newsroom::approve`], [`Newsroom::reject`] (with a reason), [`Newsroom::withdraw`],
//!   [`Newsroom::edit`]: decisions on what waits, each guarded by the state in the store, so
//!   two people pressing approve at once approve once and the second is told who did.
//! - [`Newsroom::preview`]: what each channel will make of a draft, nothing written.
//! - [`Newsroom::departments`]: the departments people may use. The monthly digest's own
//!   department ([`crate::digest::announce::DEPARTMENT`]) is the daemon's: nobody submits,
//!   previews, makes a rule or invites for it, and no front end offers it.
//!
//! Every check happens before anything is written. Composition happens before the store is
//! asked to keep what was composed; the store never composes on approval.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use prakat_adapters::MediaRef;

use crate::app::App;
use crate::compose::{ComposeError, Skipped};
use crate::i18n::{Lang, Msg};
use crate::media::MediaError;
use crate::schedule::Recurrence;
use crate::store::{
    Actor, AnnouncementRecord, Closing, DeliveryRow, NewAnnouncement, NewRule, RuleRecord, Store,
    StoreError,
};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    PrOfficer,
    DepartmentStaff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PrOfficer => "pr_officer",
            Role::DepartmentStaff => "department_staff",
        }
    }

    /// Approves, rejects and publishes directly; creates recurring rules.
    pub fn may_approve(self) -> bool {
        matches!(self, Role::Admin | Role::PrOfficer)
    }
}

/// Who acts, through which front end.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub role: Role,
    /// The department department staff send for; none for the PR officer and admins.
    pub department: Option<String>,
    /// The front end: `cli`, `telegram`, `web`, `api`.
    pub source: &'static str,
}

impl Person {
    pub fn actor(&self) -> Actor {
        Actor::person(self.source, &self.name, self.role.as_str())
    }
}

/// When an announcement is to be published.
#[derive(Debug, Clone)]
pub enum When {
    Now,
    At(DateTime<Utc>),
    /// The station's next free posting slot (settings `post.slots`), found when checked.
    NextSlot,
    /// A cron expression (six fields, seconds first, Bangkok time): a recurring rule. One firing
    /// more often than the settings' `rules.min_interval` is refused unless `allow_frequent`.
    Recurring {
        cron: String,
        allow_frequent: bool,
    },
}

/// What a person sends.
#[derive(Debug, Clone)]
pub struct Draft {
    pub department: String,
    /// The title; the first line of the text when none is given.
    pub title: Option<String>,
    pub text: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    /// Files to attach, as they are on this machine.
    pub media: Vec<PathBuf>,
    /// Empty: the settings' `post.default_channels`.
    pub channels: Vec<String>,
    pub when: When,
}

/// What became of a submission.
#[derive(Debug)]
pub enum Submitted {
    /// Approved at once and queued for its channels.
    Queued {
        announcement: AnnouncementRecord,
        deliveries: Vec<DeliveryRow>,
        skipped: Vec<Skipped>,
    },
    /// Waiting for the PR officer.
    Pending {
        announcement: AnnouncementRecord,
        skipped: Vec<Skipped>,
    },
    /// Made by an earlier try of the same submission, and decided since.
    Already { announcement: AnnouncementRecord },
    /// A recurring rule, first firing at `first_at`; `next` its first three occurrences.
    Recurring {
        rule: RuleRecord,
        first_at: DateTime<Utc>,
        next: Vec<DateTime<Utc>>,
        skipped: Vec<Skipped>,
    },
}

/// What cancelling an announcement did.
#[derive(Debug, Default)]
pub struct Cancelled {
    pub cancelled: Vec<DeliveryRow>,
    /// Published, or being published: not cancelled.
    pub left: Vec<DeliveryRow>,
}

/// What an approval queued.
#[derive(Debug)]
pub struct Approved {
    pub announcement: AnnouncementRecord,
    pub deliveries: Vec<DeliveryRow>,
    pub skipped: Vec<Skipped>,
}

/// What a draft will become on each channel, nothing written.
#[derive(Debug)]
pub struct Preview {
    /// One per channel that takes it, with what the channel changes (shortened, …).
    pub channels: Vec<(String, Vec<String>)>,
    pub skipped: Vec<Skipped>,
    pub publish_at: DateTime<Utc>,
    /// A recurring draft: its cron expression and the times it fires next.
    pub recurring: Option<(String, Vec<DateTime<Utc>>)>,
    /// What each channel (by name) would send, as composed: the web desk shows it with its
    /// length.
    pub payloads: Vec<(String, prakat_adapters::Payload)>,
}

/// Why the newsroom said no. Each reads in the person's language ([`NewsroomError::message`]).
#[derive(Debug, thiserror::Error)]
pub enum NewsroomError {
    /// The input breaks a rule: the message says which and how to fix it.
    #[error("{}", .0.render(Lang::En))]
    Refused(Msg),
    /// The person's role does not allow it.
    #[error("{}", .0.render(Lang::En))]
    Forbidden(Msg),
    /// The thing is not in a state that allows it (a rule already paused).
    #[error("{}", .0.render(Lang::En))]
    Conflict(Msg),
    /// A channel cannot carry the announcement (text too long, a video needed, …).
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl NewsroomError {
    /// The message, to be worded in the reader's language.
    pub fn msg(&self) -> Msg {
        match self {
            NewsroomError::Refused(m)
            | NewsroomError::Forbidden(m)
            | NewsroomError::Conflict(m) => m.clone(),
            NewsroomError::Compose(e) => e.msg(),
            NewsroomError::Media(e) => e.msg(),
            NewsroomError::Store(e) => e.msg(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        self.msg().render(lang)
    }
}

pub type Result<T, E = NewsroomError> = std::result::Result<T, E>;

fn refused(id: &'static str) -> Msg {
    Msg::new(id)
}

/// A time as the newsroom's messages show it: Bangkok wall time, `2026-12-01 09:00`.
pub(crate) fn bangkok(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Bangkok)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A draft that passed every check, ready to be kept.
struct Checked {
    department: prakat_adapters::Department,
    title: String,
    text: String,
    channels: Vec<String>,
    publish_at: DateTime<Utc>,
    recurrence: Option<(String, Recurrence)>,
    skipped: Vec<Skipped>,
    notes: Vec<(String, Vec<String>)>,
    payloads: Vec<(String, prakat_adapters::Payload)>,
}

/// The newsroom over an opened [`App`].
pub struct Newsroom<'a> {
    app: &'a App,
}

impl<'a> Newsroom<'a> {
    pub fn new(app: &'a App) -> Self {
        Newsroom { app }
    }

    /// The departments people may submit for, preview, make rules for and invite to, in the
    /// seed's order: every one but the monthly digest's own, which only the daemon publishes
    /// under. Each front end offers these and no other.
    pub async fn departments(&self) -> Result<Vec<prakat_adapters::Department>> {
        Ok(self
            .app
            .store
            .departments()
            .await?
            .into_iter()
            .filter(|d| !is_digest(&d.code))
            .collect())
    }

    /// Add a department people may use: a code of 1–32 characters of a-z, 0-9 and `-` (it
    /// appears in web addresses), and a Thai and an English name (each on one line). The monthly
    /// digest's own code is refused: that department is the daemon's. A code already in use is
    /// a conflict.
    pub async fn add_department(
        &self,
        code: &str,
        name_th: &str,
        name_en: &str,
        actor: &Actor,
    ) -> Result<prakat_adapters::Department> {
        let code = code.trim();
        let valid = !code.is_empty()
            && code.len() <= 32
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(NewsroomError::Refused(
                refused("error-department-code").with("code", format!("{code:?}")),
            ));
        }
        if is_digest(code) {
            return Err(NewsroomError::Refused(
                refused("newsroom-department-reserved").with("department", code),
            ));
        }
        let (name_th, name_en) = (
            crate::text::one_line(name_th),
            crate::text::one_line(name_en),
        );
        if name_th.trim().is_empty() || name_en.trim().is_empty() {
            return Err(NewsroomError::Refused(refused("error-department-names")));
        }
        let department = prakat_adapters::Department {
            code: code.to_owned(),
            name_th,
            name_en,
        };
        match self.app.store.add_department(&department, actor).await {
            Ok(()) => Ok(department),
            Err(StoreError::Conflict(_)) => Err(NewsroomError::Conflict(
                refused("newsroom-department-exists").with("department", code),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The codes of [`Newsroom::departments`], for a message that lists them.
    pub(crate) async fn known_departments(&self) -> Result<String> {
        Ok(self
            .departments()
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// What each channel will make of `draft`, nothing written.
    pub async fn preview(
        &self,
        who: &Person,
        draft: &Draft,
        now: DateTime<Utc>,
    ) -> Result<Preview> {
        let c = self.check(who, draft, now).await?;
        Ok(Preview {
            channels: c.notes,
            skipped: c.skipped,
            publish_at: c.publish_at,
            recurring: c
                .recurrence
                .map(|(cron, rec)| (cron, rec.next_n(now, rules::UPCOMING))),
            payloads: c.payloads,
        })
    }

    /// Take what a person sends: approved at once from a PR officer or an admin, waiting for
    /// approval from department staff.
    pub async fn submit(
        &self,
        who: &Person,
        draft: Draft,
        now: DateTime<Utc>,
    ) -> Result<Submitted> {
        self.submit_once(who, draft, None, now).await
    }

    /// [`Newsroom::submit`], made once for `origin` (a chat submission's first piece) however
    /// often it is tried: a second try finds the announcement the first made. The chat pieces
    /// the origin names are closed in the same change.
    pub async fn submit_once(
        &self,
        who: &Person,
        draft: Draft,
        origin: Option<&crate::store::Origin>,
        now: DateTime<Utc>,
    ) -> Result<Submitted> {
        let c = self.check(who, &draft, now).await?;
        let actor = who.actor();
        // Checked; now stored, media first (an announcement refers to its files).
        let mut media = Vec::with_capacity(draft.media.len());
        for path in &draft.media {
            // Copied and hashed off the async runtime: a video is large.
            let (media_store, file) = (self.app.media.clone(), path.clone());
            let m = match tokio::task::spawn_blocking(move || media_store.ingest(&file)).await {
                Ok(ingested) => ingested?,
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            };
            self.app.store.put_media(&m).await?;
            media.push(m);
        }
        if let Some((cron, recurrence)) = c.recurrence {
            let rule = self
                .app
                .store
                .create_rule(
                    &NewRule {
                        department: c.department.code.clone(),
                        title: c.title,
                        body: c.text,
                        link: draft.link.clone(),
                        media,
                        channels: c.channels,
                        cron,
                        next_fire_at: c.publish_at,
                    },
                    &actor,
                )
                .await?;
            return Ok(Submitted::Recurring {
                rule,
                first_at: c.publish_at,
                next: recurrence.next_n(now, UPCOMING),
                skipped: c.skipped,
            });
        }
        let new = NewAnnouncement {
            channels: c.channels,
            department: c.department.code.clone(),
            title: c.title,
            body: c.text,
            link: draft.link.clone(),
            tags: clean_tags(&draft.tags),
            media,
            source: who.source.into(),
            publish_at: c.publish_at,
        };
        let pending = self
            .app
            .store
            .submit_announcement(&new, origin, &actor)
            .await?;
        if pending.decided().is_some() {
            return Ok(Submitted::Already {
                announcement: pending,
            });
        }
        if !who.role.may_approve() {
            return Ok(Submitted::Pending {
                announcement: pending,
                skipped: c.skipped,
            });
        }
        let approved = self
            .approve_record(who, pending, Some(c.publish_at), now)
            .await?;
        Ok(Submitted::Queued {
            announcement: approved.announcement,
            deliveries: approved.deliveries,
            skipped: approved.skipped,
        })
    }

    /// Approve a pending announcement, to publish at `at` (its own time, or now if that has
    /// passed, when `None`).
    pub async fn approve(
        &self,
        who: &Person,
        id: i64,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Approved> {
        self.must_approve(who)?;
        if let Some(at) = at {
            not_past(at, now)?;
        }
        let record = self.pending(id).await?;
        self.approve_record(who, record, at, now).await
    }

    async fn approve_record(
        &self,
        who: &Person,
        mut record: AnnouncementRecord,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Approved> {
        let publish_at = at.unwrap_or(record.publish_at).max(now);
        record.publish_at = publish_at;
        let composed = self.app.composer.deliveries(
            &self.app.registry,
            &record.channels,
            &record,
            publish_at,
        )?;
        let skipped = composed.skipped.clone();
        let (announcement, deliveries) = self
            .app
            .store
            .approve_announcement(record.id, publish_at, &composed, &who.actor())
            .await?;
        Ok(Approved {
            announcement,
            deliveries,
            skipped,
        })
    }

    /// Refuse a pending announcement, saying why (the sender is told).
    pub async fn reject(&self, who: &Person, id: i64, reason: &str) -> Result<AnnouncementRecord> {
        self.must_approve(who)?;
        let reason = crate::text::normalize(reason);
        if reason.trim().is_empty() {
            return Err(NewsroomError::Refused(refused("newsroom-reason-needed")));
        }
        self.pending(id).await?;
        Ok(self
            .app
            .store
            .close_announcement(id, Closing::Rejected, Some(reason.trim()), &who.actor())
            .await?)
    }

    /// Take back a pending announcement: its sender, or whoever may approve.
    pub async fn withdraw(&self, who: &Person, id: i64) -> Result<AnnouncementRecord> {
        let record = self.pending(id).await?;
        self.must_own_or_approve(who, &record)?;
        Ok(self
            .app
            .store
            .close_announcement(id, Closing::Withdrawn, None, &who.actor())
            .await?)
    }

    /// Change the title (when given) and the text of a pending announcement: its sender, or
    /// whoever may approve. Checked against its channels as a new submission is.
    pub async fn edit(
        &self,
        who: &Person,
        id: i64,
        title: Option<&str>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<AnnouncementRecord> {
        let mut record = self.pending(id).await?;
        self.must_own_or_approve(who, &record)?;
        let text = clean_text(text)?;
        let title = clean_title(title).unwrap_or_else(|| title_from(&text));
        record.title = title.clone();
        record.body = text.clone();
        let at = record.publish_at.max(now);
        self.app
            .composer
            .deliveries(&self.app.registry, &record.channels, &record, at)?;
        Ok(self
            .app
            .store
            .edit_pending(id, &title, &text, &who.actor())
            .await?)
    }

    /// Cancel every delivery of an announcement not yet published (queued, failed or waiting for
    /// a person). One being published at this moment cannot be cancelled: it is listed in
    /// `left` with those already published or cancelled.
    pub async fn cancel_announcement(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Cancelled> {
        self.must_approve(who)?;
        self.app.store.announcement(id).await?;
        let deliveries = self
            .app
            .store
            .deliveries(&crate::store::DeliveryFilter {
                announcement_id: Some(id),
                ..Default::default()
            })
            .await?;
        let mut done = Cancelled::default();
        for d in deliveries {
            use crate::store::DeliveryState as S;
            if matches!(d.state, S::Queued | S::Failed | S::NeedsAttention) {
                match self
                    .app
                    .store
                    .cancel_delivery(d.id, now, &who.actor())
                    .await
                {
                    Ok(c) => done.cancelled.push(c),
                    // Claimed meanwhile: it is being published.
                    Err(StoreError::Conflict(_)) => {
                        done.left.push(self.app.store.delivery(d.id).await?)
                    }
                    Err(e) => return Err(e.into()),
                }
            } else if d.state != S::Cancelled {
                done.left.push(d);
            }
        }
        Ok(done)
    }

    /// What waits for approval, oldest first.
    pub async fn waiting(&self, limit: usize) -> Result<Vec<AnnouncementRecord>> {
        Ok(self
            .app
            .store
            .announcements_in_state("pending_approval", limit)
            .await?)
    }

    async fn pending(&self, id: i64) -> Result<AnnouncementRecord> {
        let record = self.app.store.announcement(id).await?;
        match record.decided() {
            Some(e) => Err(e.into()),
            None => Ok(record),
        }
    }

    fn must_approve(&self, who: &Person) -> Result<()> {
        if who.role.may_approve() {
            Ok(())
        } else {
            Err(NewsroomError::Forbidden(refused(
                "newsroom-only-pr-officer",
            )))
        }
    }

    fn must_own_or_approve(&self, who: &Person, record: &AnnouncementRecord) -> Result<()> {
        if who.role.may_approve() || record.author == who.actor().name {
            Ok(())
        } else {
            Err(NewsroomError::Forbidden(refused("newsroom-not-yours")))
        }
    }

    /// Every rule, in order, before anything is written.
    async fn check(&self, who: &Person, draft: &Draft, now: DateTime<Utc>) -> Result<Checked> {
        let app = self.app;
        let text = clean_text(&draft.text)?;
        if let Some(link) = &draft.link {
            check_link(link)?;
        }
        if is_digest(&draft.department) {
            return Err(NewsroomError::Refused(digest_department(
                &draft.department,
                self.known_departments().await?,
            )));
        }
        let Some(department) = app.store.department(&draft.department).await? else {
            return Err(NewsroomError::Refused(
                refused("newsroom-unknown-department")
                    .with("department", &draft.department)
                    .with("known", self.known_departments().await?),
            ));
        };
        if !who.role.may_approve() && who.department.as_deref() != Some(department.code.as_str()) {
            return Err(NewsroomError::Forbidden(
                refused("newsroom-other-department")
                    .with("department", &department.code)
                    .with("own", who.department.as_deref().unwrap_or("-")),
            ));
        }
        let mut channels = if draft.channels.is_empty() {
            app.settings.post.default_channels.clone()
        } else {
            draft.channels.clone()
        };
        // A channel named twice is one delivery, not an error.
        let mut seen = HashSet::new();
        channels.retain(|c| seen.insert(c.clone()));
        for c in &channels {
            if app.registry.get(c).is_none() {
                return Err(NewsroomError::Refused(
                    refused("newsroom-channel-off")
                        .with("channel", c)
                        .with("enabled", app.registry.names().join(", ")),
                ));
            }
        }
        let (publish_at, recurrence) = match &draft.when {
            When::Now => (now, None),
            When::NextSlot => (self.next_free_slot(now).await?, None),
            When::At(at) => {
                not_past(*at, now)?;
                ((*at).max(now), None)
            }
            When::Recurring {
                cron,
                allow_frequent,
            } => {
                if !who.role.may_approve() {
                    return Err(NewsroomError::Forbidden(refused(
                        "newsroom-only-pr-officer",
                    )));
                }
                let rec = self.check_schedule(cron, *allow_frequent, now)?;
                let first = rec.next_after(now).expect("checked when parsed");
                (first, Some((cron.trim().to_owned(), rec)))
            }
        };
        let mut probe_media = Vec::with_capacity(draft.media.len());
        for path in &draft.media {
            let (mime, kind, size) = app.media.check(path)?;
            probe_media.push(MediaRef {
                // Not hashed yet (that happens when the file is stored); channels check only
                // the type, size and count.
                sha256: "0".repeat(64),
                mime,
                kind,
                size,
                path: path.clone(),
                original_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            });
        }
        let title = clean_title(draft.title.as_deref()).unwrap_or_else(|| title_from(&text));
        let probe = AnnouncementRecord {
            id: 0,
            department: department.clone(),
            title: title.clone(),
            body: text.clone(),
            link: draft.link.clone(),
            tags: clean_tags(&draft.tags),
            media: probe_media,
            author: who.actor().name,
            source: who.source.into(),
            state: "pending_approval".into(),
            publish_at,
            rule_id: None,
            created_at: now,
            channels: channels.clone(),
            decision: None,
            revision: Default::default(),
        };
        let composed = app
            .composer
            .deliveries(&app.registry, &channels, &probe, publish_at)?;
        let notes = composed
            .deliveries
            .iter()
            .map(|d| (d.channel.clone(), d.payload.notes.clone()))
            .collect();
        Ok(Checked {
            department,
            title,
            text,
            channels,
            publish_at,
            recurrence,
            skipped: composed.skipped,
            notes,
            payloads: composed
                .deliveries
                .into_iter()
                .map(|d| (d.channel, d.payload))
                .collect(),
        })
    }
}

/// The same files in the same order (a kept file is named by its content's SHA-256).
pub(crate) fn same_files(a: &[MediaRef], b: &[MediaRef]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.sha256 == b.sha256)
}

/// Whether `code` is the monthly digest's own department (the daemon's alone).
fn is_digest(code: &str) -> bool {
    code.trim() == crate::digest::announce::DEPARTMENT
}

/// The refusal of the digest's department, naming the ones people may use.
fn digest_department(code: &str, known: String) -> Msg {
    refused("newsroom-digest-department")
        .with("department", code.trim())
        .with("known", known)
}

fn not_past(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if at < now - chrono::Duration::minutes(1) {
        return Err(NewsroomError::Refused(
            refused("newsroom-time-past")
                .with("at", bangkok(at))
                .with("now", bangkok(now)),
        ));
    }
    Ok(())
}

/// The text as it is kept: normalised (NFC, no control characters) and not empty.
fn clean_text(text: &str) -> Result<String> {
    let text = crate::text::normalize(text);
    if text.trim().is_empty() {
        return Err(NewsroomError::Refused(refused("newsroom-text-empty")));
    }
    Ok(text)
}

/// A given title on one line, or `None` when none (or only spaces) was given.
fn clean_title(title: Option<&str>) -> Option<String> {
    title.map(crate::text::one_line).filter(|t| !t.is_empty())
}

/// Tags on one line each, empty ones dropped.
fn clean_tags(tags: &[String]) -> Vec<String> {
    tags.iter()
        .map(|t| crate::text::one_line(t))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A title from the first line of the text, cut at a natural place near 120 characters.
pub fn title_from(text: &str) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    prakat_adapters::thai::fit_text(
        first,
        &prakat_adapters::thai::FitOptions {
            max: 120,
            unit: prakat_adapters::LengthUnit::Chars,
            link: None,
        },
    )
    .text
}

/// A link readers may follow: `http` or `https` only (a `javascript:` or `data:` link would run
/// or show something on the station's pages).
fn check_link(link: &str) -> Result<()> {
    match reqwest::Url::parse(link.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(NewsroomError::Refused(
            refused("newsroom-bad-link").with("link", link),
        )),
    }
}

pub mod corrections;
pub mod deliveries;
pub mod people;
pub mod rules;
pub mod schedule;
pub mod time;

pub use corrections::Correction;
pub use rules::{RuleChanges, RuleSaved, UPCOMING};

#[cfg(test)]
mod tests;
