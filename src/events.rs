//! Domain events to the people who need them. The newsroom and the dispatcher write each event
//! in the same transaction as the change it reports (it is an audit row of one of
//! [`EVENT_ACTIONS`](crate::store::EVENT_ACTIONS)); the daemon hands them to every
//! [`Notifier`] in order. Each notifier's place is kept in the store and moved on only after it
//! took an event, so an event is delivered after a crash too, and never skipped: at least once,
//! in order, per notifier. The log is the first notifier; the Telegram bot is the next.
//!
//! The daemon is the only reader: commands write events (a `prakat post`), the daemon tells.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::{Notify, watch};

use crate::store::{DomainEvent, Store};

/// Someone who tells people about events.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// A stable name: the store keeps this notifier's place under it.
    fn name(&self) -> &str;
    /// Tell about one event. `Err` (the chat service is down) is retried later, from this
    /// event on.
    async fn notify(&self, event: &DomainEvent) -> Result<(), String>;
}

/// Events as log lines.
pub struct LogNotifier;

#[async_trait]
impl Notifier for LogNotifier {
    fn name(&self) -> &str {
        "log"
    }

    async fn notify(&self, e: &DomainEvent) -> Result<(), String> {
        let what = format!("{} {}", e.entity, e.entity_id);
        match e.action.as_str() {
            "needs_attention" | "failed" | "channel_concern" | "rule_paused"
            | "correction_by_hand" | "correction_failed" => tracing::warn!(
                event = e.id,
                actor = %e.actor,
                error = %e.detail["error"].as_str().unwrap_or_default(),
                "{what}: {}", e.action
            ),
            _ => tracing::info!(event = e.id, actor = %e.actor, "{what}: {}", e.action),
        }
        Ok(())
    }
}

/// How many events a notifier takes per look.
const BATCH: usize = 100;

/// Hand every new event to every notifier until `shutdown`, looking when `wake` is notified
/// and at least every `every`.
pub async fn run<S: Store>(
    store: Arc<S>,
    notifiers: Vec<Arc<dyn Notifier>>,
    wake: Arc<Notify>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        for n in &notifiers {
            if let Err(e) = deliver(store.as_ref(), n.as_ref()).await {
                tracing::warn!(notifier = n.name(), error = %e, "cannot hand out events; trying again soon");
            }
        }
        tokio::select! {
            _ = shutdown.changed() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(every) => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Hand `notifier` every event after its place, moving its place on after each one it took.
pub async fn deliver<S: Store + ?Sized>(
    store: &S,
    notifier: &dyn Notifier,
) -> Result<usize, String> {
    let name = notifier.name();
    let mut cursor = store
        .notifier_cursor(name)
        .await
        .map_err(|e| e.to_string())?;
    let mut delivered = 0;
    loop {
        let events = store
            .events_after(cursor, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        let Some(last) = events.last().map(|e| e.id) else {
            return Ok(delivered);
        };
        for e in &events {
            notifier.notify(e).await?;
            cursor = e.id;
            delivered += 1;
            store
                .save_notifier_cursor(name, cursor)
                .await
                .map_err(|e| e.to_string())?;
        }
        debug_assert_eq!(cursor, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::channels::Purpose;
    use crate::newsroom::{Draft, Newsroom, Person, Role, When};
    use std::sync::Mutex;

    /// Records what it is told; fails once on the event `fail_on` (a chat service outage).
    struct Recorder {
        seen: Mutex<Vec<(i64, String)>>,
        fail_on: Mutex<Option<String>>,
    }

    #[async_trait]
    impl Notifier for Recorder {
        fn name(&self) -> &str {
            "recorder"
        }
        async fn notify(&self, e: &DomainEvent) -> Result<(), String> {
            let mut fail = self.fail_on.lock().unwrap();
            if fail.as_deref() == Some(e.action.as_str()) {
                *fail = None;
                return Err("chat service down".into());
            }
            self.seen.lock().unwrap().push((e.id, e.action.clone()));
            Ok(())
        }
    }

    #[tokio::test]
    async fn each_event_reaches_a_notifier_once_in_order_even_after_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = crate::settings::Settings::default();
        settings.storage.data_dir = dir.path().join("data");
        let app = App::open_for(settings, Purpose::Compose).await.unwrap();
        let rec = Recorder {
            seen: Mutex::new(vec![]),
            fail_on: Mutex::new(Some("approved".into())),
        };
        // A new notifier starts from now: nothing before it is replayed.
        assert_eq!(deliver(app.store.as_ref(), &rec).await.unwrap(), 0);

        let room = Newsroom::new(&app);
        let staff = Person {
            name: "somchai".into(),
            role: Role::DepartmentStaff,
            department: Some("traffic".into()),
            source: "telegram",
        };
        let officer = Person {
            name: "pr1".into(),
            role: Role::PrOfficer,
            department: None,
            source: "telegram",
        };
        let draft = Draft {
            department: "traffic".into(),
            title: None,
            text: "ตั้งจุดตรวจ".into(),
            link: None,
            tags: vec![],
            media: vec![],
            channels: vec!["website".into()],
            when: When::Now,
        };
        let submitted = room
            .submit(&staff, draft, chrono::Utc::now())
            .await
            .unwrap();
        let id = match submitted {
            crate::newsroom::Submitted::Pending { announcement, .. } => announcement.id,
            other => panic!("{other:?}"),
        };
        room.approve(&officer, id, None, chrono::Utc::now())
            .await
            .unwrap();

        let err = deliver(app.store.as_ref(), &rec).await.unwrap_err();
        assert_eq!(err, "chat service down");
        assert_eq!(deliver(app.store.as_ref(), &rec).await.unwrap(), 1);
        assert_eq!(
            deliver(app.store.as_ref(), &rec).await.unwrap(),
            0,
            "nothing twice"
        );
        let seen = rec.seen.lock().unwrap().clone();
        let actions: Vec<&str> = seen.iter().map(|(_, a)| a.as_str()).collect();
        assert_eq!(actions, ["submitted", "approved"]);
        assert!(seen[0].0 < seen[1].0);
    }
}
