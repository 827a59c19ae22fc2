//! Corrections of announcements already approved: [`Newsroom::correct`] (a new title and text),
//! [`Newsroom::correct_with_media`] (new files too) and [`Newsroom::retract`] (taken back, with
//! a reason). Each is decided here and written in one change of the store; the daemon carries
//! them to each channel (see [`crate::corrections`]). What a channel cannot do is said before anything is written, in
//! [`Correction::by_hand`], so the PR officer knows at once what is left to do by hand.

use chrono::{DateTime, Utc};
use prakat_adapters::{MediaRef, Payload};
use serde::Serialize;

use super::{
    Newsroom, NewsroomError, Person, Result, clean_text, clean_title, refused, same_files,
    title_from,
};
use crate::store::{
    AmendAction, AnnouncementEdit, AnnouncementRecord, AnnouncementRetraction, Corrected,
    DeliveryFilter, DeliveryState, Store,
};

/// What a correction did, and what the channels that cannot carry it leave to a person.
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub announcement: AnnouncementRecord,
    pub corrected: Corrected,
    /// Channels (of the amendments made) that cannot edit or take down a post: a person must.
    pub by_hand: Vec<String>,
}

impl Newsroom<'_> {
    /// Give an approved announcement a new text (and title, when given; else its first line):
    /// deliveries not yet out go out with it, and each channel already carrying it is changed
    /// where the platform allows. Only a PR officer or an admin.
    pub async fn correct(
        &self,
        who: &Person,
        id: i64,
        title: Option<&str>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Correction> {
        self.correct_as(who, id, title, text, None, now).await
    }

    /// [`Newsroom::correct`] with new attachments too (the monthly digest built again: its
    /// PDF, XLSX and CSV replaced): the store's record of the announcement names `media` from
    /// now on, and every channel carrying it gets the new files through the same correction
    /// (the website rewrites its page with them). `media` must already be kept
    /// ([`Store::put_media`]). Refused as the same when neither the text nor the files changed.
    pub async fn correct_with_media(
        &self,
        who: &Person,
        id: i64,
        title: Option<&str>,
        text: &str,
        media: Vec<MediaRef>,
        now: DateTime<Utc>,
    ) -> Result<Correction> {
        self.correct_as(who, id, title, text, Some(media), now)
            .await
    }

    async fn correct_as(
        &self,
        who: &Person,
        id: i64,
        title: Option<&str>,
        text: &str,
        media: Option<Vec<MediaRef>>,
        now: DateTime<Utc>,
    ) -> Result<Correction> {
        self.must_approve(who)?;
        let mut record = self.correctable(id).await?;
        let text = clean_text(text)?;
        let title = clean_title(title).unwrap_or_else(|| title_from(&text));
        let same_media = media.as_ref().is_none_or(|m| same_files(m, &record.media));
        if title == record.title && text == record.body && same_media {
            return Err(NewsroomError::Refused(refused("newsroom-correction-same")));
        }
        let from_revision = record.revision.number;
        record.title = title.clone();
        record.body = text.clone();
        if let Some(m) = &media {
            record.media = m.clone();
        }
        let deliveries = self.deliveries_of(id).await?;
        let mut payloads = Vec::with_capacity(deliveries.len());
        for d in deliveries {
            if d.state == DeliveryState::Cancelled {
                continue;
            }
            payloads.push((d.id, self.payload_for(&d.channel, &record, &d.payload)?));
        }
        let corrected = self
            .app
            .store
            .edit_announcement(
                &AnnouncementEdit {
                    id,
                    from_revision,
                    title,
                    body: text,
                    media: media.filter(|_| !same_media),
                    payloads,
                    at: now,
                },
                &who.actor(),
            )
            .await?;
        self.finish(id, corrected).await
    }

    /// Take an approved announcement back, saying why: what is not out is cancelled, and each
    /// channel carrying it takes it down where the platform allows. Only a PR officer or an
    /// admin; a reason is needed (the website's notice shows it, the audit trail keeps it).
    pub async fn retract(
        &self,
        who: &Person,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Correction> {
        self.must_approve(who)?;
        let reason = crate::text::normalize(reason);
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(NewsroomError::Refused(refused(
                "newsroom-retract-reason-needed",
            )));
        }
        self.correctable(id).await?;
        let corrected = self
            .app
            .store
            .retract_announcement(
                &AnnouncementRetraction {
                    id,
                    reason: reason.to_owned(),
                    at: now,
                },
                &who.actor(),
            )
            .await?;
        self.finish(id, corrected).await
    }

    async fn finish(&self, id: i64, corrected: Corrected) -> Result<Correction> {
        let by_hand = corrected
            .amendments
            .iter()
            .filter(|a| !self.channel_can(&a.channel, a.action))
            .map(|a| a.channel.clone())
            .collect();
        Ok(Correction {
            announcement: self.app.store.announcement(id).await?,
            corrected,
            by_hand,
        })
    }

    /// Whether the channel named `name` can carry out `action` itself.
    pub fn channel_can(&self, name: &str, action: AmendAction) -> bool {
        self.app
            .registry
            .get(name)
            .and_then(|c| c.amend().map(|a| (a.can_edit(), a.can_retract())))
            .is_some_and(|(edit, retract)| match action {
                AmendAction::Edit => edit,
                AmendAction::Retract => retract,
            })
    }

    /// An approved announcement (not waiting, not refused, not already retracted).
    async fn correctable(&self, id: i64) -> Result<AnnouncementRecord> {
        let record = self.app.store.announcement(id).await?;
        match record.state.as_str() {
            "approved" => Ok(record),
            "pending_approval" => Err(NewsroomError::Conflict(
                refused("newsroom-correction-pending").with("id", id),
            )),
            "retracted" => Err(NewsroomError::Conflict(
                refused("newsroom-correction-retracted").with("id", id),
            )),
            state => Err(NewsroomError::Conflict(
                refused("newsroom-correction-state")
                    .with("id", id)
                    .with("state", state),
            )),
        }
    }

    async fn deliveries_of(&self, id: i64) -> Result<Vec<crate::store::DeliveryRow>> {
        Ok(self
            .app
            .store
            .deliveries(&DeliveryFilter {
                announcement_id: Some(id),
                ..Default::default()
            })
            .await?)
    }

    /// The new payload of one delivery: composed for its channel like a first publish, under
    /// the time it was published with. A channel no longer in the settings keeps its payload
    /// with the new title and text (its correction is left to a person).
    fn payload_for(
        &self,
        channel: &str,
        record: &AnnouncementRecord,
        old: &Payload,
    ) -> Result<Payload> {
        if self.app.registry.get(channel).is_none() {
            let mut p = old.clone();
            p.title = record.title.clone();
            p.text = record.body.clone();
            return Ok(p);
        }
        let composed = self.app.composer.deliveries(
            &self.app.registry,
            &[channel.to_owned()],
            record,
            old.published_at,
        )?;
        match composed.deliveries.into_iter().next() {
            Some(d) => {
                let mut p = d.payload;
                p.published_at = old.published_at;
                Ok(p)
            }
            None => Err(crate::compose::ComposeError::NothingToSend(composed.skipped).into()),
        }
    }
}
