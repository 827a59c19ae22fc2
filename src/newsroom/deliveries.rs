//! One delivery sent again or stopped, by whoever approves: the same state-guarded changes as
//! `prakat queue retry|cancel` and the desk's buttons (a delivery being published cannot be
//! cancelled; a published one is neither retried nor cancelled — the store says `Conflict`).

use chrono::{DateTime, Utc};

use super::{Newsroom, Person, Result};
use crate::store::{DeliveryRow, Store};

impl Newsroom<'_> {
    /// Queue a failed, cancelled or waiting-for-a-person delivery again: at its own time if that
    /// is still to come, else now.
    pub async fn retry_delivery(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<DeliveryRow> {
        self.must_approve(who)?;
        Ok(self.app.store.retry_delivery(id, now, &who.actor()).await?)
    }

    /// Stop a delivery not yet published (queued, failed or waiting for a person).
    pub async fn cancel_delivery(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<DeliveryRow> {
        self.must_approve(who)?;
        Ok(self
            .app
            .store
            .cancel_delivery(id, now, &who.actor())
            .await?)
    }
}
