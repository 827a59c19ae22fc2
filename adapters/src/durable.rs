//! Making a file's arrival durable: after a temporary file is renamed into place, the directory
//! that holds it is synced too, or a power cut can lose the rename (and so the file) even though
//! its bytes were on the disk.

use std::path::Path;

/// Sync the directory holding `path`, so a rename into it survives a power cut. Unix only:
/// elsewhere a directory cannot be opened for syncing.
pub fn sync_parent_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
