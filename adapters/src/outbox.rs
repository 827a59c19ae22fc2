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

use std::io::Write;
use std::path::PathBuf;

use async_trait::async_trait;
use serde::Serialize;

use crate::{
    Channel, Draft, Health, Idempotency, LengthUnit, Limits, Payload, PublishContext, PublishError,
    Receipt, Rejection,
};

pub struct Outbox {
    dir: PathBuf,
    limits: Limits,
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
    pub fn new(dir: PathBuf) -> Self {
        Outbox {
            dir,
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
            Ok(_) => true,
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
            return Err(Rejection::new(
                format!(
                    "text is {n} characters; the outbox takes at most {}",
                    self.limits.text_max
                ),
                format!(
                    "ข้อความยาวเกินสำหรับ outbox ({n}/{} ตัวอักษร)",
                    self.limits.text_max
                ),
            ));
        }
        Ok(Payload::from_draft("outbox", draft))
    }

    async fn publish(
        &self,
        payload: &Payload,
        ctx: &PublishContext,
    ) -> Result<Receipt, PublishError> {
        let wrote = self.write(payload, ctx).map_err(|e| {
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

    async fn healthcheck(&self) -> Result<Health, PublishError> {
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
