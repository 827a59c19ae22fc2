//! The website's only file operations: write a file atomically, copy a media file in, and
//! sweep temporary files a killed process left behind.
//!
//! Every write goes to a temporary file in the same directory and is then renamed over the
//! target, so a reader (or a `kill -9`) sees the old file or the new one, never half of one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::WebsiteError;

/// Temporary files start with this, so a sweep finds exactly the ones this module made.
const TMP_PREFIX: &str = ".prakat-tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether a write must survive a power cut once `write_atomic` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sync {
    /// The data is flushed before the rename and the directory after it. For the entry
    /// records: every page is rebuilt from them, and a receipt must not outlive its record.
    Durable,
    /// Atomic against a killed process, not against a power cut. For pages, which `open`
    /// rebuilds from the records (article pages when missing or empty).
    Cached,
}

fn tmp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!("{TMP_PREFIX}{name}-{}-{n}", std::process::id()))
}

/// Write `bytes` to `path` atomically, creating the parent directory if needed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], sync: Sync) -> Result<(), WebsiteError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| WebsiteError::io("create directory", dir, e))?;
    }
    let tmp = tmp_path(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(|e| WebsiteError::io("create", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| WebsiteError::io("write", &tmp, e))?;
        if sync == Sync::Durable {
            f.sync_all()
                .map_err(|e| WebsiteError::io("flush to disk", &tmp, e))?;
        }
        drop(f);
        fs::rename(&tmp, path).map_err(|e| WebsiteError::io("rename into place", path, e))?;
        if sync == Sync::Durable {
            sync_dir(path)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Make a rename in `path`'s directory durable. Unix only: elsewhere a directory cannot be
/// opened for syncing, and the rename is as durable as the platform makes it.
fn sync_dir(path: &Path) -> Result<(), WebsiteError> {
    crate::durable::sync_parent_dir(path)
        .map_err(|e| WebsiteError::io("flush to disk", path.parent().unwrap_or(path), e))
}

/// Write `bytes` to `path` atomically unless the file already holds exactly them.
pub(crate) fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), WebsiteError> {
    match fs::read(path) {
        Ok(old) if old == bytes => Ok(()),
        _ => write_atomic(path, bytes, Sync::Cached),
    }
}

/// Put a media file into the site unless a file of the same name and size is already there
/// (names are content hashes), durably: pages point at it. A missing source is a refusal:
/// retrying will not bring it back.
pub(crate) fn copy_media(source: &Path, target: &Path) -> Result<(), WebsiteError> {
    let src_meta = match fs::metadata(source) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(WebsiteError::Refused(format!(
                "media file {} is missing from the media store; attach it again \
                 (ไม่พบไฟล์สื่อ {} ในที่เก็บไฟล์ กรุณาแนบไฟล์ใหม่)",
                source.display(),
                source.display()
            )));
        }
        Err(e) => return Err(WebsiteError::io("read", source, e)),
    };
    if let Ok(meta) = fs::metadata(target)
        && meta.len() == src_meta.len()
    {
        return Ok(());
    }
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|e| WebsiteError::io("create directory", dir, e))?;
    }
    let tmp = tmp_path(target);
    // A second name for the same file where the media store and the site share a file system
    // (the default: both under the data directory), so a photo is kept on disk once; a copy
    // where they do not. Media files are never changed in place: their names are their hashes.
    let placed = match fs::hard_link(source, &tmp) {
        Ok(()) => Ok(()),
        Err(_) => fs::copy(source, &tmp)
            .map_err(|e| WebsiteError::io("copy media to", &tmp, e))
            .and_then(|_| {
                fs::File::open(&tmp)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| WebsiteError::io("flush to disk", &tmp, e))
            }),
    };
    let result = placed
        .and_then(|_| {
            fs::rename(&tmp, target).map_err(|e| WebsiteError::io("rename into place", target, e))
        })
        .and_then(|_| sync_dir(target));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Remove a file (durably: its directory is flushed) unless it is already gone.
pub(crate) fn remove_if_present(path: &Path) -> Result<(), WebsiteError> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WebsiteError::io("remove", path, e)),
    }
}

/// Remove temporary files left by a process that was killed mid-write, in `dir` and below.
/// Files are few and directories shallow (site root, news, media, one level of indexes).
pub(crate) fn sweep_tmp(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        let is_tmp = item
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(TMP_PREFIX));
        match item.file_type() {
            Ok(t) if t.is_dir() => sweep_tmp(&path),
            Ok(_) if is_tmp => {
                if let Err(e) = fs::remove_file(&path) {
                    tracing::warn!(path = %path.display(), error = %e, "website: cannot remove a leftover temporary file");
                }
            }
            _ => {}
        }
    }
}
