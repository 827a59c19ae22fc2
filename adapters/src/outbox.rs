//! The outbox channel: writes exactly what would be sent, one JSON file per delivery, into a
//! folder. For previews, dry runs, and for handing announcements to a system prakat does not
//! speak to.
//!
//! A delivery's file is named by its idempotency key and created without ever replacing an
//! existing one, so publishing the same delivery twice leaves one file (the second call returns
//! a receipt marked `deduplicated`). Every call is also recorded in `attempts.jsonl` (key,
//! attempt, whether a previous attempt was unsettled, whether the call wrote the file), which
//! shows what the dispatcher did. The line is appended after the file is in place: a crash
//! between the two leaves the file (the effect) without its line (the diagnostics).
//!
//! Corrections are files too: an edit writes `<key>.edit-<revision>.json` (the new payload) and a
//! retraction `<key>.retract.json` (when and why), each created once, beside the delivery's file;
//! a retraction of a delivery whose file was never written writes nothing.
//!
//! Only the daemon writes the folder: [`Outbox::for_composing`] is the same channel for the
//! command line, with the same `prepare` and limits, a health check that only reads, and a
//! `publish` that refuses.

use std::io::Write;
use std::path::PathBuf;

use async_trait::async_trait;
use serde::Serialize;

use crate::{
    Amend, Channel, Draft, Edit, Health, Idempotency, LengthUnit, Limits, Payload, PublishContext,
    PublishError, Receipt, Rejection, Retraction,
};

#[derive(Clone)]
pub struct Outbox {
    dir: PathBuf,
    limits: Limits,
    /// False for an outbox made for composing: it never writes.
    writes: bool,
}

#[derive(Serialize)]
struct Written<'a> {
    idempotency_key: &'a str,
    delivery_id: i64,
    payload: &'a Payload,
}

#[derive(Serialize)]
struct AttemptLine<'a> {
    idempotency_key: &'a str,
    delivery_id: i64,
    attempt: u32,
    after_unsettled_attempt: bool,
    wrote: bool,
}

impl Outbox {
    /// The outbox that publishes into `dir` (the daemon's).
    pub fn new(dir: PathBuf) -> Self {
        Outbox {
            dir,
            writes: true,
            limits: Limits {
                text_max: 100_000,
                unit: LengthUnit::Chars,
                title_max: Some(1_000),
                media_max: 50,
                image_max_bytes: u64::MAX,
                video_max_bytes: u64::MAX,
                requires_video: false,
                links_allowed: true,
            },
        }
    }

    /// The outbox for a process that only composes and checks: nothing is created or written.
    pub fn for_composing(dir: PathBuf) -> Self {
        Outbox {
            writes: false,
            ..Outbox::new(dir)
        }
    }

    /// The file a delivery is written to.
    pub fn file_for(&self, idempotency_key: &str) -> PathBuf {
        self.dir.join(format!("{idempotency_key}.json"))
    }

    fn write(&self, payload: &Payload, ctx: &PublishContext) -> std::io::Result<bool> {
        std::fs::create_dir_all(&self.dir)?;
        let dest = self.file_for(&ctx.idempotency_key);
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        serde_json::to_writer_pretty(
            &mut tmp,
            &Written {
                idempotency_key: &ctx.idempotency_key,
                delivery_id: ctx.delivery_id,
                payload,
            },
        )?;
        tmp.as_file().sync_all()?;
        let wrote = match tmp.persist_noclobber(&dest) {
            Ok(_) => {
                crate::durable::sync_parent_dir(&dest)?;
                true
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(e) => return Err(e.error),
        };
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("attempts.jsonl"))?;
        let mut line = serde_json::to_vec(&AttemptLine {
            idempotency_key: &ctx.idempotency_key,
            delivery_id: ctx.delivery_id,
            attempt: ctx.attempt,
            after_unsettled_attempt: ctx.after_unsettled_attempt,
            wrote,
        })?;
        line.push(b'\n');
        log.write_all(&line)?;
        Ok(wrote)
    }
}

/// A correction as the outbox writes it.
#[derive(Serialize)]
struct Correction<'a> {
    idempotency_key: &'a str,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a Payload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    at: chrono::DateTime<chrono::Utc>,
}

impl Outbox {
    /// Write `c` to `name` once (an existing file is the same correction, written before).
    fn write_once(&self, name: &str, c: &Correction<'_>) -> std::io::Result<()> {
        let dest = self.dir.join(name);
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        serde_json::to_writer_pretty(&mut tmp, c)?;
        tmp.as_file().sync_all()?;
        match tmp.persist_noclobber(&dest) {
            Ok(_) => crate::durable::sync_parent_dir(&dest),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(e.error),
        }
    }

    fn correct(&self, name: String, c: Correction<'_>) -> Result<(), PublishError> {
        if !self.writes {
            return Err(PublishError::Rejected(format!(
                "this process only composes for the outbox {}; the daemon writes it",
                self.dir.display()
            )));
        }
        if !self.file_for(c.idempotency_key).exists() {
            // Never written: nothing to correct.
            return Ok(());
        }
        self.write_once(&name, &c).map_err(|e| {
            PublishError::Transient(format!(
                "cannot write to the outbox {}: {e}",
                self.dir.display()
            ))
        })
    }

    /// The delivery's key, as its receipt names it.
    fn key_of(receipt: &Receipt) -> Result<&str, PublishError> {
        receipt
            .remote_id
            .as_deref()
            .filter(|k| !k.is_empty() && !k.contains(['/', '\\']) && !k.starts_with('.'))
            .ok_or_else(|| PublishError::Rejected("the outbox receipt names no file".into()))
    }
}

#[async_trait]
impl Amend for Outbox {
    async fn edit(
        &self,
        receipt: &Receipt,
        payload: &Payload,
        edit: &Edit,
    ) -> Result<Receipt, PublishError> {
        let key = Self::key_of(receipt)?;
        self.correct(
            format!("{key}.edit-{}.json", edit.revision),
            Correction {
                idempotency_key: key,
                action: "edit",
                revision: Some(edit.revision),
                payload: Some(payload),
                reason: None,
                at: edit.edited_at,
            },
        )?;
        Ok(receipt.clone())
    }

    async fn retract(
        &self,
        receipt: &Receipt,
        _payload: &Payload,
        retraction: &Retraction,
    ) -> Result<(), PublishError> {
        let key = Self::key_of(receipt)?;
        self.correct(
            format!("{key}.retract.json"),
            Correction {
                idempotency_key: key,
                action: "retract",
                revision: None,
                payload: None,
                reason: Some(&retraction.reason),
                at: retraction.retracted_at,
            },
        )
    }
}

impl Outbox {
    /// The folder, if it exists yet, is a directory that is not read-only. Reads only.
    fn check_without_writing(&self) -> Result<Health, PublishError> {
        let summary = match std::fs::metadata(&self.dir) {
            Ok(m) if m.is_dir() && !m.permissions().readonly() => {
                format!("outbox: {}, written by the daemon", self.dir.display())
            }
            Ok(_) => {
                return Err(PublishError::Transient(format!(
                    "outbox {} is not a writable directory",
                    self.dir.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "outbox: {} is not there yet; the daemon creates it when it first writes",
                self.dir.display()
            ),
            Err(e) => {
                return Err(PublishError::Transient(format!(
                    "outbox {}: {e}",
                    self.dir.display()
                )));
            }
        };
        Ok(Health {
            summary,
            token_expires_at: None,
            missing_permissions: vec![],
            quota: None,
        })
    }
}

#[async_trait]
impl Channel for Outbox {
    fn kind(&self) -> &'static str {
        "outbox"
    }

    fn limits(&self) -> &Limits {
        &self.limits
    }

    fn prepare(&self, draft: &Draft) -> Result<Payload, Rejection> {
        let n = self.limits.unit.count(&draft.text);
        if n > self.limits.text_max {
            return Err(crate::i18n::refusal!(
                "outbox-text-too-long",
                count = n,
                max = self.limits.text_max
            ));
        }
        Ok(Payload::from_draft("outbox", draft))
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        if !self.writes {
            return Err(PublishError::Rejected(format!(
                "this process only composes for the outbox {}; the daemon writes it",
                self.dir.display()
            )));
        }
        // File work runs off the async runtime.
        let (this, owned, attempt) = (self.clone(), payload.clone(), ctx.clone());
        let wrote = tokio::task::spawn_blocking(move || this.write(&owned, &attempt))
            .await
            .map_err(|e| PublishError::Transient(format!("outbox write task stopped: {e}")))?
            .map_err(|e| {
                PublishError::Transient(format!(
                    "cannot write to the outbox {}: {e}",
                    self.dir.display()
                ))
            })?;
        let file = self.file_for(&ctx.idempotency_key);
        Ok(Receipt {
            remote_id: Some(ctx.idempotency_key.clone()),
            url: Some(format!("file://{}", file.display())),
            request_id: None,
            deduplicated: !wrote,
        })
    }

    fn amend(&self) -> Option<&dyn Amend> {
        Some(self)
    }

    async fn healthcheck(&self) -> Result<Health, PublishError> {
        if !self.writes {
            return self.check_without_writing();
        }
        std::fs::create_dir_all(&self.dir)
            .and_then(|_| tempfile::NamedTempFile::new_in(&self.dir).map(drop))
            .map_err(|e| {
                PublishError::Transient(format!(
                    "outbox {} is not writable: {e}",
                    self.dir.display()
                ))
            })?;
        Ok(Health {
            summary: format!("outbox: writing to {}", self.dir.display()),
            token_expires_at: None,
            missing_permissions: vec![],
            quota: None,
        })
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Native
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            announcement_id: 7,
            department: crate::Department {
                code: "traffic".into(),
                name_th: "งานจราจร".into(),
                name_en: "Traffic".into(),
            },
            title: "t".into(),
            text: "ข้อความ".into(),
            media: vec![],
            link: None,
            published_at: chrono::Utc::now(),
            tags: vec![],
        }
    }

    #[tokio::test]
    async fn an_outbox_for_composing_prepares_and_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("outbox");
        let composing = Outbox::for_composing(folder.clone());
        let payload = composing.prepare(&draft()).unwrap();
        let health = composing.healthcheck().await.unwrap();
        assert!(health.summary.contains("not there yet"), "{health}");
        let err = composing
            .publish(&payload, &PublishContext::first(1, "k"))
            .await
            .unwrap_err();
        assert!(matches!(err, PublishError::Rejected(_)), "{err}");
        assert!(!folder.exists());

        let writing = Outbox::new(folder.clone());
        writing
            .publish(&payload, &PublishContext::first(1, "k"))
            .await
            .unwrap();
        let files = std::fs::read_dir(&folder).unwrap().count();
        composing.healthcheck().await.unwrap();
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), files);
    }
}
