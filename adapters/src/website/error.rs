//! Why the website could not be opened or written. Inside the channel these become
//! [`PublishError`](crate::PublishError) variants; `Website::open` returns them as they are.

use std::path::PathBuf;

use crate::PublishError;

/// A failure of the website channel, naming the file and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum WebsiteError {
    /// Reading or writing a file failed (disk full, permission, …).
    #[error(
        "website: cannot {action} {path}: {source} (check that the directory exists, is writable and the disk is not full)"
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An entry record under `_entries/` is not valid JSON.
    #[error(
        "website: entry record {path} is unreadable: {source} (fix it or remove it, then start again)"
    )]
    Entry {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// A template failed to load or render.
    #[error("website: template {name}: {source}")]
    Template {
        name: String,
        #[source]
        source: minijinja::Error,
    },
    /// A feed or a record could not be serialised.
    #[error("website: cannot write {what}: {message}")]
    Serialize { what: &'static str, message: String },
    /// What was asked to be published cannot be, whatever is retried (a media file is missing,
    /// a department code is not usable in a URL).
    #[error("{0}")]
    Refused(String),
}

impl WebsiteError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        WebsiteError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl From<WebsiteError> for PublishError {
    /// A refusal needs a person; everything else (disk, templates loaded from disk) may pass
    /// on a later attempt.
    fn from(e: WebsiteError) -> Self {
        match e {
            WebsiteError::Refused(m) => PublishError::Rejected(m),
            other => PublishError::Transient(other.to_string()),
        }
    }
}
