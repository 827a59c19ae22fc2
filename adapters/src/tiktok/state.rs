//! What a TikTok delivery saves between attempts (`PublishContext::save_state`), as JSON.
//!
//! The order of events decides what a later attempt may do:
//! - `init_sent` is saved BEFORE an init request leaves. Found again, it means that init got no
//!   usable answer. For a video that is harmless: a `FILE_UPLOAD` publish whose bytes never
//!   arrive cannot go live (its upload URL expires after an hour), so a new init is safe. For
//!   photos it is not (TikTok pulls them by URL by itself): the delivery is parked for a person.
//! - `uploading` is saved as soon as TikTok returns `publish_id` + `upload_url`, before the first
//!   chunk, and again after every chunk (`next_chunk`).
//! - `processing`: everything was sent; only `status/fetch` remains.
//! - `failed`: TikTok said FAILED, so nothing was posted; a person's retry starts over.
//! - `unconfirmed`: a person was told a photo post may exist; the next attempt (only a
//!   person's retry reaches it) posts again.
//! - `not_created`: the init was refused (rate limit, validation, …) or never left: a later
//!   attempt starts afresh.

use serde::{Deserialize, Serialize};

use crate::PublishError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    Video,
    Photo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum SavedState {
    InitSent {
        kind: PostKind,
    },
    Uploading(Upload),
    Processing {
        publish_id: String,
        kind: PostKind,
        #[serde(default)]
        username: Option<String>,
    },
    Failed {
        publish_id: String,
        fail_reason: String,
    },
    Unconfirmed {
        kind: PostKind,
    },
    /// TikTok answered the last init with a refusal (or it never left): nothing was created.
    NotCreated {
        kind: PostKind,
    },
}

/// A video upload in progress: TikTok's handle, where to send the bytes, and the chunk plan
/// that was announced at init (it must not change between attempts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub publish_id: String,
    pub upload_url: String,
    /// The first chunk TikTok has not confirmed.
    pub next_chunk: u64,
    pub video_size: u64,
    pub chunk_size: u64,
    pub total_chunk_count: u64,
    #[serde(default)]
    pub username: Option<String>,
}

impl Upload {
    pub fn plan(&self) -> super::limits::ChunkPlan {
        super::limits::ChunkPlan {
            video_size: self.video_size,
            chunk_size: self.chunk_size,
            total_chunk_count: self.total_chunk_count,
        }
    }
}

impl SavedState {
    pub fn parse(text: &str) -> Result<SavedState, PublishError> {
        serde_json::from_str(text).map_err(|e| {
            PublishError::Rejected(format!(
                "the saved TikTok upload state cannot be read ({e}): {text}; check the TikTok \
                 app, then cancel this delivery or post it again"
            ))
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_as_tagged_json() {
        let s = SavedState::Uploading(Upload {
            publish_id: "v_pub_file~v2-1.1".into(),
            upload_url: "https://open-upload.tiktokapis.com/video/?upload_id=1".into(),
            next_chunk: 2,
            video_size: 30_000_000,
            chunk_size: 10_000_000,
            total_chunk_count: 3,
            username: Some("station".into()),
        });
        let json = s.to_json();
        assert!(
            json.starts_with("{\"phase\":\"uploading\",\"publish_id\":"),
            "{json}"
        );
        assert_eq!(SavedState::parse(&json).unwrap(), s);
        assert_eq!(
            SavedState::parse("{\"phase\":\"init_sent\",\"kind\":\"photo\"}").unwrap(),
            SavedState::InitSent {
                kind: PostKind::Photo
            }
        );
        assert_eq!(
            SavedState::parse("nonsense").unwrap_err().class(),
            "rejected"
        );
    }
}
