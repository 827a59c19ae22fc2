//! The video resource Google answers with when an upload completes, turned into a [`Receipt`].

use serde::Deserialize;

use super::limits::watch_url;
use crate::{PublishError, Receipt, http};

/// Google's id of an upload, on every answer of the upload endpoint: the receipt's request id.
pub const UPLOAD_ID_HEADER: &str = "x-guploader-uploadid";

/// The parts of a video resource read here.
#[derive(Debug, Deserialize)]
pub struct Video {
    pub id: String,
    #[serde(default)]
    pub status: Option<VideoStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoStatus {
    #[serde(default)]
    pub upload_status: Option<String>,
    #[serde(default)]
    pub rejection_reason: Option<String>,
    #[serde(default)]
    pub failure_reason: Option<String>,
}

/// The receipt for a completed upload (200/201 with the video resource). A video YouTube
/// rejected at once (e.g. `duplicate`) is a rejection, said whole.
pub fn receipt(what: &str, answer: &http::Answer) -> Result<Receipt, PublishError> {
    let request_id = answer.header(UPLOAD_ID_HEADER).map(str::to_owned);
    let body = &answer.body;
    let video: Video = serde_json::from_str(body).map_err(|e| {
        PublishError::Ambiguous(format!(
            "{what}: the upload completed but the answer has no video id ({e}): {}",
            http::truncate(body, 500)
        ))
    })?;
    if let Some(st) = &video.status
        && matches!(st.upload_status.as_deref(), Some("rejected" | "failed"))
    {
        return Err(PublishError::Rejected(format!(
            "YouTube {} the video {}: {}",
            st.upload_status.as_deref().unwrap_or_default(),
            video.id,
            st.rejection_reason
                .as_deref()
                .or(st.failure_reason.as_deref())
                .unwrap_or("no reason given")
        )));
    }
    Ok(Receipt {
        url: Some(watch_url(&video.id)),
        remote_id: Some(video.id),
        request_id,
        deduplicated: false,
    })
}
