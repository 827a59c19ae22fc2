//! The duration of an MP4/MOV file, read from its `moov/mvhd` box, to honour the creator's
//! `max_video_post_duration_sec` before uploading. Reads a few headers only; a file it cannot
//! read (WebM, a damaged file) has no known duration and TikTok judges it.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The largest `moov` box read into memory.
const MOOV_MAX: u64 = 64 * 1024 * 1024;

/// Seconds, rounded up, or `None` when the file is not an MP4/MOV that says.
pub fn duration_secs(path: &Path) -> Option<u64> {
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let mut pos = 0u64;
    while pos + 8 <= len {
        f.seek(SeekFrom::Start(pos)).ok()?;
        let (size, kind, header) = box_header(&mut f, len - pos)?;
        if &kind == b"moov" {
            let body = size.checked_sub(header)?;
            if body > MOOV_MAX {
                return None;
            }
            let mut moov = vec![0; body as usize];
            f.read_exact(&mut moov).ok()?;
            return mvhd(&moov);
        }
        pos = pos.checked_add(size)?;
    }
    None
}

/// (box size, type, header length); a size of 0 means "to the end".
fn box_header(f: &mut impl Read, remaining: u64) -> Option<(u64, [u8; 4], u64)> {
    let mut h = [0u8; 8];
    f.read_exact(&mut h).ok()?;
    let kind = [h[4], h[5], h[6], h[7]];
    match u32::from_be_bytes([h[0], h[1], h[2], h[3]]) {
        0 => Some((remaining, kind, 8)),
        1 => {
            let mut l = [0u8; 8];
            f.read_exact(&mut l).ok()?;
            let size = u64::from_be_bytes(l);
            (size >= 16).then_some((size, kind, 16))
        }
        n if n >= 8 => Some((u64::from(n), kind, 8)),
        _ => None,
    }
}

fn mvhd(moov: &[u8]) -> Option<u64> {
    let mut pos = 0usize;
    while pos + 8 <= moov.len() {
        let size = u32::from_be_bytes(moov[pos..pos + 4].try_into().ok()?) as usize;
        if size < 8 || pos + size > moov.len() {
            return None;
        }
        if &moov[pos + 4..pos + 8] == b"mvhd" {
            let b = &moov[pos + 8..pos + size];
            let be32 = |at: usize| {
                b.get(at..at + 4)
                    .map(|s| u32::from_be_bytes(s.try_into().unwrap()))
            };
            let (scale, dur) = match *b.first()? {
                0 => (be32(12)?, u64::from(be32(16)?)),
                1 => (
                    be32(20)?,
                    u64::from_be_bytes(b.get(24..32)?.try_into().ok()?),
                ),
                _ => return None,
            };
            if scale == 0 {
                return None;
            }
            return Some(dur.div_ceil(u64::from(scale)));
        }
        pos += size;
    }
    None
}

/// A minimal MP4 (`ftyp`, `moov/mvhd`, `mdat` of `payload` bytes) of `secs` seconds, for tests.
#[cfg(test)]
pub fn sample(secs: u32, payload: usize) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&16u32.to_be_bytes());
    out.extend_from_slice(b"ftypisom\0\0\0\x01");
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&(secs * 1000).to_be_bytes());
    out.extend_from_slice(&(8 + 8 + mvhd.len() as u32).to_be_bytes());
    out.extend_from_slice(b"moov");
    out.extend_from_slice(&(8 + mvhd.len() as u32).to_be_bytes());
    out.extend_from_slice(b"mvhd");
    out.extend_from_slice(&mvhd);
    out.extend_from_slice(&((8 + payload) as u32).to_be_bytes());
    out.extend_from_slice(b"mdat");
    out.extend((0..payload).map(|i| (i % 251) as u8));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_movie_duration() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.mp4");
        std::fs::write(&p, sample(61, 1000)).unwrap();
        assert_eq!(duration_secs(&p), Some(61));
        std::fs::write(&p, b"not a video at all").unwrap();
        assert_eq!(duration_secs(&p), None);
    }
}
