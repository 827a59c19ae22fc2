//! The media store: files submitted with announcements, kept once by content
//! (`media/<sha256[..2]>/<sha256>.<ext>`), checked for type and size before anything is queued.
//! Files are copied to a temporary name and renamed, so a crash never leaves a half file under
//! a content name.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use prakat_adapters::{MediaKind, MediaRef};
use sha2::{Digest, Sha256};

use crate::i18n::{Msg, io_reason};
use crate::settings::{self, Lang};

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media file {0} does not exist")]
    Missing(PathBuf),
    #[error("cannot read media file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "media file {path}: its content is {mime}, which is not supported (photos and videos only: JPEG, PNG, GIF, WebP, HEIF, MP4, MOV, WebM …; SVG is refused)"
    )]
    Unsupported { path: PathBuf, mime: String },
    #[error(
        "media file {path} is {}; the limit for a {kind} is {} (setting media.max_{kind}_bytes)",
        human_size(*size),
        human_size(*limit)
    )]
    TooLarge {
        path: PathBuf,
        kind: &'static str,
        size: u64,
        limit: u64,
    },
    #[error("cannot store media in {dir}: {source}")]
    Store {
        dir: PathBuf,
        source: std::io::Error,
    },
}

impl MediaError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            MediaError::Missing(p) => Msg::new("media-missing").with("path", p.display()),
            MediaError::Read { path, source } => Msg::new("media-read")
                .with("path", path.display())
                .with_msg("reason", io_reason(source)),
            MediaError::Unsupported { path, mime } => Msg::new("media-unsupported")
                .with("path", path.display())
                .with("mime", mime),
            MediaError::TooLarge {
                path,
                kind,
                size,
                limit,
            } => Msg::new("media-too-large")
                .with("path", path.display())
                .with("kind", kind)
                .with("size", human_size(*size))
                .with("limit", human_size(*limit)),
            MediaError::Store { dir, source } => Msg::new("media-store")
                .with("dir", dir.display())
                .with_msg("reason", io_reason(source)),
        }
    }

    /// [`MediaError::msg`] in Thai, for the callers that still pair an English and a Thai text.
    pub fn th(&self) -> String {
        self.msg().render(Lang::Th)
    }
}

/// The first bytes of a file: enough for every signature `infer` knows.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)?
        .take(8192)
        .read_to_end(&mut head)?;
    Ok(head)
}

#[derive(Debug, Clone)]
pub struct MediaStore {
    dir: PathBuf,
    limits: settings::Media,
}

impl MediaStore {
    pub fn new(dir: PathBuf, limits: settings::Media) -> Self {
        MediaStore { dir, limits }
    }

    /// Check a file without storing it: exists, is an image or video, is within the limit.
    pub fn check(&self, path: &Path) -> Result<(String, MediaKind, u64), MediaError> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => MediaError::Missing(path.to_owned()),
            _ => MediaError::Read {
                path: path.to_owned(),
                source: e,
            },
        })?;
        if !meta.is_file() {
            return Err(MediaError::Missing(path.to_owned()));
        }
        // Judged by content (magic bytes), never by the file's name: a text file named `.jpg`
        // or HTML named `.gif` is refused, and so is SVG (an image that can carry script).
        let head = read_head(path).map_err(|e| MediaError::Read {
            path: path.to_owned(),
            source: e,
        })?;
        let detected = infer::get(&head);
        let mime = detected.map(|t| t.mime_type()).unwrap_or("unknown");
        let (kind, limit, name) = match detected.map(|t| t.matcher_type()) {
            Some(infer::MatcherType::Image) if mime != "image/svg+xml" => {
                (MediaKind::Image, self.limits.max_image_bytes, "image")
            }
            Some(infer::MatcherType::Video) => {
                (MediaKind::Video, self.limits.max_video_bytes, "video")
            }
            _ => {
                return Err(MediaError::Unsupported {
                    path: path.to_owned(),
                    mime: mime.to_owned(),
                });
            }
        };
        if meta.len() > limit {
            return Err(MediaError::TooLarge {
                path: path.to_owned(),
                kind: name,
                size: meta.len(),
                limit,
            });
        }
        Ok((mime.to_owned(), kind, meta.len()))
    }

    /// Copy a checked file into the store, hashing it on the way.
    pub fn ingest(&self, path: &Path) -> Result<MediaRef, MediaError> {
        let (mime, kind, _) = self.check(path)?;
        let read_err = |source| MediaError::Read {
            path: path.to_owned(),
            source,
        };
        let store_err = |source| MediaError::Store {
            dir: self.dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(store_err)?;
        let mut src = std::fs::File::open(path).map_err(read_err)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).map_err(store_err)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            let n = src.read(&mut buf).map_err(read_err)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            tmp.write_all(&buf[..n]).map_err(store_err)?;
            size += n as u64;
        }
        let sha256 = hex::encode(hasher.finalize());
        // The stored name's extension follows the content, not the name it was sent with.
        let ext = read_head(path)
            .ok()
            .and_then(|h| infer::get(&h))
            .map(|t| t.extension().to_owned());
        let name = match &ext {
            Some(ext) => format!("{sha256}.{ext}"),
            None => sha256.clone(),
        };
        let sub = self.dir.join(&sha256[..2]);
        std::fs::create_dir_all(&sub).map_err(store_err)?;
        let dest = sub.join(name);
        if !dest.exists() {
            tmp.as_file().sync_all().map_err(store_err)?;
            readable_by_all(tmp.path()).map_err(store_err)?;
            tmp.persist(&dest).map_err(|e| store_err(e.error))?;
            prakat_adapters::durable::sync_parent_dir(&dest).map_err(store_err)?;
        } else {
            // Kept by an earlier version as 0600; the website serves the same file.
            readable_by_all(&dest).map_err(store_err)?;
        }
        let dest = std::fs::canonicalize(&dest).unwrap_or(dest);
        Ok(MediaRef {
            sha256,
            mime,
            kind,
            size,
            path: dest,
            original_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    }
}

impl MediaStore {
    /// Keep a document prakat made itself (the monthly digest's PDF, XLSX and CSV) under its
    /// content, as [`MediaStore::ingest`] keeps a person's file: the kind and type are the
    /// caller's, not guessed (a CSV has no signature), and `name` is what it is downloaded as.
    pub fn keep_document(
        &self,
        bytes: &[u8],
        name: &str,
        mime: &str,
    ) -> Result<MediaRef, MediaError> {
        let store_err = |source| MediaError::Store {
            dir: self.dir.clone(),
            source,
        };
        let sha256 = hex::encode(Sha256::digest(bytes));
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
            .map(str::to_ascii_lowercase);
        let stored = match &ext {
            Some(ext) => format!("{sha256}.{ext}"),
            None => sha256.clone(),
        };
        let sub = self.dir.join(&sha256[..2]);
        std::fs::create_dir_all(&sub).map_err(store_err)?;
        let dest = sub.join(stored);
        if !dest.exists() {
            let mut tmp = tempfile::NamedTempFile::new_in(&sub).map_err(store_err)?;
            tmp.write_all(bytes).map_err(store_err)?;
            tmp.as_file().sync_all().map_err(store_err)?;
            readable_by_all(tmp.path()).map_err(store_err)?;
            tmp.persist(&dest).map_err(|e| store_err(e.error))?;
            prakat_adapters::durable::sync_parent_dir(&dest).map_err(store_err)?;
        }
        let dest = std::fs::canonicalize(&dest).unwrap_or(dest);
        Ok(MediaRef {
            sha256,
            mime: mime.to_owned(),
            kind: MediaKind::Document,
            size: bytes.len() as u64,
            path: dest,
            original_name: name.to_owned(),
        })
    }
}

/// Media files get the mode of the website's pages (0644): the website serves them (the site's
/// copy is the same file), and a temporary file starts private.
fn readable_by_all(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// A size as people read it: `12.3 MB`.
pub fn human_size(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL.decimal_places(1))
}
