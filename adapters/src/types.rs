//! The values that cross the boundary between the daemon and a channel.

use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A line of work (สายงาน) of the station. Departments are data, not code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Short stable code used on the command line and in URLs, e.g. `traffic`.
    pub code: String,
    /// Thai name, e.g. งานจราจร.
    pub name_th: String,
    /// English name, e.g. Traffic.
    pub name_en: String,
}

/// What kind of file a media item is; decides which channels can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Video,
    /// A file to download (PDF, XLSX, CSV): the monthly digest's files. Only channels that say
    /// they carry documents ([`crate::Channel::carries_documents`], the website) are given
    /// them; the others are composed without.
    Document,
}

impl MediaKind {
    /// `image`, `video` or `document`, as stored and as messages choose their words by.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
        }
    }
}

/// A content-addressed media file kept by the daemon's media store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    /// SHA-256 of the content, hex: the file's identity.
    pub sha256: String,
    /// MIME type, e.g. `image/jpeg`.
    pub mime: String,
    pub kind: MediaKind,
    /// Size in bytes.
    pub size: u64,
    /// Where the file is on disk (inside the media store).
    pub path: PathBuf,
    /// The name the file had when it was submitted, for captions and downloads.
    pub original_name: String,
}

impl MediaRef {
    /// The stored file name: `<sha256>.<ext>`, stable for the same content.
    pub fn stored_name(&self) -> String {
        match self.path.extension().and_then(|e| e.to_str()) {
            Some(ext) => format!("{}.{}", self.sha256, ext),
            None => self.sha256.clone(),
        }
    }
}

/// An announcement rendered through a channel's template, before the channel's limits are
/// applied. Built by the daemon's compose step; pure data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub announcement_id: i64,
    pub department: Department,
    pub title: String,
    /// The channel's text as its template rendered it (plain text, paragraphs split by a blank
    /// line).
    pub text: String,
    pub media: Vec<MediaRef>,
    /// The announcement's page on the station website: the full text, linked when a channel
    /// has to shorten.
    pub link: Option<String>,
    /// The time the announcement is published under (its due time).
    pub published_at: DateTime<Utc>,
    pub tags: Vec<String>,
}

/// Exactly what a channel will send: the draft after `Channel::prepare` fitted it to the
/// channel's limits. Stored with the delivery so what was previewed is what is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The channel kind that prepared this payload.
    pub channel: String,
    pub announcement_id: i64,
    pub department: Department,
    pub title: String,
    pub text: String,
    pub media: Vec<MediaRef>,
    pub link: Option<String>,
    pub published_at: DateTime<Utc>,
    pub tags: Vec<String>,
    /// What `prepare` changed, in words for the PR officer (e.g. shortened, with counts).
    pub notes: Vec<String>,
}

impl Payload {
    /// A payload that is the draft unchanged.
    pub fn from_draft(channel: &str, draft: &Draft) -> Self {
        Payload {
            channel: channel.to_owned(),
            announcement_id: draft.announcement_id,
            department: draft.department.clone(),
            title: draft.title.clone(),
            text: draft.text.clone(),
            media: draft.media.clone(),
            link: draft.link.clone(),
            published_at: draft.published_at,
            tags: draft.tags.clone(),
            notes: Vec::new(),
        }
    }
}

/// How a platform counts the length of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthUnit {
    /// Unicode code points (YouTube, TikTok).
    Chars,
    /// UTF-16 code units (LINE).
    Utf16,
    /// UTF-8 bytes.
    Bytes,
    /// Extended grapheme clusters (LINE action labels).
    Graphemes,
}

impl LengthUnit {
    /// The length of `s` in this unit.
    pub fn count(self, s: &str) -> usize {
        match self {
            LengthUnit::Chars => s.chars().count(),
            LengthUnit::Utf16 => s.encode_utf16().count(),
            LengthUnit::Bytes => s.len(),
            LengthUnit::Graphemes => {
                unicode_segmentation::UnicodeSegmentation::graphemes(s, true).count()
            }
        }
    }

    /// A Thai word for the unit, for messages to the PR officer.
    pub fn name_th(self) -> &'static str {
        match self {
            LengthUnit::Chars => "ตัวอักษร",
            LengthUnit::Utf16 => "หน่วย UTF-16",
            LengthUnit::Bytes => "ไบต์",
            LengthUnit::Graphemes => "ตัวอักษร",
        }
    }
}

/// What a channel accepts. One place for each platform's numbers: the adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Longest text, counted in `unit`.
    pub text_max: usize,
    pub unit: LengthUnit,
    /// Longest title, counted in `unit`; `None` when the channel has no title.
    pub title_max: Option<usize>,
    /// Most media items in one post.
    pub media_max: usize,
    pub image_max_bytes: u64,
    pub video_max_bytes: u64,
    /// The channel publishes video only (YouTube, TikTok).
    pub requires_video: bool,
    /// Whether the channel may add a link to the full text when it shortens.
    pub links_allowed: bool,
}

/// Why a channel cannot send a draft. Both languages are kept: the PR officer reads Thai, logs
/// and the CLI default to English.
///
/// Two kinds: a refusal (`skip == false`: the text is too long, a file too large — the person
/// must change the announcement) and a skip (`skip == true`: this channel does not carry this
/// kind of announcement at all, e.g. YouTube and a text without video — the announcement goes to
/// the other channels and the reason is recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{en}")]
pub struct Rejection {
    pub en: String,
    pub th: String,
    #[serde(default)]
    pub skip: bool,
}

impl Rejection {
    /// The announcement must change before this channel can take it.
    pub fn new(en: impl Into<String>, th: impl Into<String>) -> Self {
        Rejection {
            en: en.into(),
            th: th.into(),
            skip: false,
        }
    }

    /// This channel does not carry this kind of announcement: leave it out, say why.
    pub fn skip(en: impl Into<String>, th: impl Into<String>) -> Self {
        Rejection {
            en: en.into(),
            th: th.into(),
            skip: true,
        }
    }
}

/// What the dispatcher tells a channel about the attempt it is making.
#[derive(Clone)]
pub struct PublishContext {
    pub delivery_id: i64,
    /// The same on every attempt of one delivery; adapters send it where the platform supports
    /// idempotency and embed it where they reconcile.
    pub idempotency_key: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// A previous attempt was claimed but never settled (the daemon died, or the outcome was
    /// ambiguous): it may have reached the platform.
    pub after_unsettled_attempt: bool,
    /// What the channel saved with [`Checkpoint::save`] during an earlier attempt of this
    /// delivery (a resumable upload's session URI, a TikTok `publish_id`), if anything.
    pub saved_state: Option<String>,
    /// Where to save such state as soon as it exists, before the next network call, so a
    /// restart resumes instead of starting over. `None` in previews and tests that need none.
    pub checkpoint: Option<std::sync::Arc<dyn Checkpoint>>,
}

impl PublishContext {
    /// A context for a first attempt with nowhere to save state (previews, tests).
    pub fn first(delivery_id: i64, idempotency_key: impl Into<String>) -> Self {
        PublishContext {
            delivery_id,
            idempotency_key: idempotency_key.into(),
            attempt: 1,
            after_unsettled_attempt: false,
            saved_state: None,
            checkpoint: None,
        }
    }

    /// Say how far a long transfer got (bytes done of total), for the progress shown to people.
    pub fn report_progress(&self, done: u64, total: u64) {
        if let Some(c) = &self.checkpoint {
            c.progress(done, total);
        }
    }

    /// Save resumable state through the checkpoint, if there is one.
    pub async fn save_state(&self, state: &str) -> Result<(), crate::PublishError> {
        match &self.checkpoint {
            Some(c) => c.save(state).await,
            None => Ok(()),
        }
    }
}

impl fmt::Debug for PublishContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublishContext")
            .field("delivery_id", &self.delivery_id)
            .field("idempotency_key", &self.idempotency_key)
            .field("attempt", &self.attempt)
            .field("after_unsettled_attempt", &self.after_unsettled_attempt)
            .field("saved_state", &self.saved_state)
            .finish_non_exhaustive()
    }
}

/// Durable storage for one delivery's in-progress state (see [`PublishContext::checkpoint`]).
/// The daemon writes it to the delivery's row, fenced by the lease.
#[async_trait::async_trait]
pub trait Checkpoint: Send + Sync {
    async fn save(&self, state: &str) -> Result<(), crate::PublishError>;

    /// How far a long transfer got. Not durable: for progress bars, not for resuming.
    fn progress(&self, _done: u64, _total: u64) {}
}

/// What every channel gets from the daemon when it is built: the one HTTP client, where it may
/// keep files (rotating tokens), and the public addresses of the daemon and the website.
#[derive(Clone, Debug)]
pub struct ChannelEnv {
    pub http: reqwest::Client,
    /// A directory for this channel's own files (e.g. `tokens/`), created by the daemon.
    pub data_dir: PathBuf,
    /// Where the public (and platforms fetching media by URL) reach the daemon, no trailing `/`.
    pub public_base_url: String,
}

impl ChannelEnv {
    /// The public URL of a stored media file (served by the daemon under `/media/`).
    pub fn media_url(&self, media: &MediaRef) -> String {
        format!(
            "{}/media/{}/{}",
            self.public_base_url,
            &media.sha256[..2.min(media.sha256.len())],
            media.stored_name()
        )
    }
}

/// Proof that a channel published: kept for reach collection and the digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The platform's id for the post.
    pub remote_id: Option<String>,
    /// A link to the live post.
    pub url: Option<String>,
    /// The platform's request id (LINE's `X-Line-Request-Id`), needed later for insights.
    pub request_id: Option<String>,
    /// The publish was recognised as a repeat of an earlier one and had no new effect.
    #[serde(default)]
    pub deduplicated: bool,
}

/// One reading of how far a post reached. Platforms hide small numbers and not every platform
/// has every figure: each one is optional, and `None` means "not told", never zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachSample {
    pub taken_at: Option<DateTime<Utc>>,
    /// Views or impressions: how often the post was seen.
    pub views: Option<u64>,
    /// Reach: how many different people saw it.
    pub unique_viewers: Option<u64>,
    pub reactions: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub clicks: Option<u64>,
    /// How often its video was played.
    #[serde(default)]
    pub video_views: Option<u64>,
}

/// The answer of a channel's health check, one line for `prakat channels check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub summary: String,
    /// When a person must renew the credential: a token that cannot renew itself (a Page
    /// token, a rotating refresh token's own end of life). Not an access token the adapter
    /// refreshes on its own — that belongs in `summary`, or nobody could tell the two apart.
    pub token_expires_at: Option<DateTime<Utc>>,
    pub missing_permissions: Vec<String>,
    pub quota: Option<String>,
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(at) = self.token_expires_at {
            write!(f, "; token expires {}", at.format("%Y-%m-%d %H:%M UTC"))?;
        }
        if !self.missing_permissions.is_empty() {
            write!(
                f,
                "; missing permissions: {}",
                self.missing_permissions.join(", ")
            )?;
        }
        if let Some(q) = &self.quota {
            write!(f, "; quota: {q}")?;
        }
        Ok(())
    }
}
