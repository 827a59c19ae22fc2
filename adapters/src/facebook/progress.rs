//! What a delivery's attempt saves through the checkpoint so a later attempt resumes instead of
//! uploading again: the ids of unpublished photos already uploaded, and the video upload
//! session (its id, how far it got, the file handle once complete). Stored as JSON in the
//! delivery's `saved_state`; each item names the media's SHA-256 so a changed payload never
//! reuses another file's upload.

use serde::{Deserialize, Serialize};

use crate::{PublishContext, PublishError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<UploadedPhoto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoUpload>,
}

/// An unpublished photo (`published=false`) waiting to be attached to the post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedPhoto {
    pub sha256: String,
    pub id: String,
}

/// A Resumable Upload API session for the delivery's video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoUpload {
    pub sha256: String,
    /// `upload:<session id>`, as `POST /{app-id}/uploads` returned it.
    pub session: String,
    /// Bytes Facebook had confirmed when this was saved.
    pub offset: u64,
    /// The uploaded file handle (`h`), once the upload is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

impl Progress {
    /// What an earlier attempt saved; unreadable state is dropped (the upload starts over).
    pub fn load(ctx: &PublishContext) -> Progress {
        match ctx.saved_state.as_deref() {
            None | Some("") => Progress::default(),
            Some(s) => serde_json::from_str(s).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "facebook: saved state unreadable, starting over");
                Progress::default()
            }),
        }
    }

    /// Save through the checkpoint, before the next network call.
    pub async fn save(&self, ctx: &PublishContext) -> Result<(), PublishError> {
        let s = serde_json::to_string(self).expect("progress serializes");
        ctx.save_state(&s).await
    }

    /// The uploaded photo for a media file, if an earlier attempt uploaded it.
    pub fn photo(&self, sha256: &str) -> Option<&str> {
        self.photos
            .iter()
            .find(|p| p.sha256 == sha256)
            .map(|p| p.id.as_str())
    }
}
