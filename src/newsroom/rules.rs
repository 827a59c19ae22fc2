//! Recurring rules under a person's control: listed, shown, paused, resumed, deleted and
//! edited here, whichever front end asks. A schedule that fires more often than the settings'
//! `rules.min_interval` is refused unless the person confirms it; a rule whose deliveries keep
//! failing is paused by the dispatcher ([`crate::dispatch`]) with a `rule_paused` event.

use chrono::{DateTime, Utc};

use super::{
    Newsroom, NewsroomError, Person, Result, bangkok, check_link, clean_text, clean_title, refused,
    title_from,
};
use crate::compose::Skipped;
use crate::i18n::Msg;
use crate::schedule::Recurrence;
use crate::store::{AnnouncementRecord, RuleEdit, RulePause, RuleRecord, Store};

/// How many coming occurrences a person is shown when a rule is created or changed.
pub const UPCOMING: usize = 3;

/// What a person changes in a rule; `None` keeps what it was.
#[derive(Debug, Clone, Default)]
pub struct RuleChanges {
    pub title: Option<String>,
    pub text: Option<String>,
    pub link: Option<String>,
    pub channels: Option<Vec<String>>,
    pub cron: Option<String>,
    /// Confirms a schedule firing more often than `rules.min_interval`.
    pub allow_frequent: bool,
}

/// A rule as saved, with its next occurrences.
#[derive(Debug)]
pub struct RuleSaved {
    pub rule: RuleRecord,
    pub next: Vec<DateTime<Utc>>,
    pub skipped: Vec<Skipped>,
}

/// A span of time in words, in the reader's language: "1 second", "30 minutes", "2 hours".
pub fn duration_msg(d: chrono::Duration) -> Msg {
    let secs = d.num_seconds().max(0);
    let (n, unit) = if secs >= 86_400 && secs % 86_400 == 0 {
        (secs / 86_400, "day")
    } else if secs >= 3600 && secs % 3600 == 0 {
        (secs / 3600, "hour")
    } else if secs >= 60 && secs % 60 == 0 {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    Msg::new("duration").with_number("n", n).with("unit", unit)
}

impl Newsroom<'_> {
    /// A cron expression that parses and, unless `allow_frequent`, fires no more often than
    /// the settings' `rules.min_interval`: the refusal says how often it would fire, and how to
    /// write what was most likely meant.
    pub(super) fn check_schedule(
        &self,
        expr: &str,
        allow_frequent: bool,
        now: DateTime<Utc>,
    ) -> Result<Recurrence> {
        let rec = Recurrence::parse(expr).map_err(|e| {
            NewsroomError::Refused(
                refused("newsroom-bad-cron")
                    .with("expr", &e.expr)
                    .with("why", &e.message),
            )
        })?;
        let min = self.app.settings.rules.min_interval;
        let min = chrono::Duration::from_std(min).unwrap_or(chrono::Duration::MAX);
        if allow_frequent || min <= chrono::Duration::zero() {
            return Ok(rec);
        }
        if let Some(b) = rec.busiest(now, min) {
            let expr = expr.trim();
            let id = match Recurrence::suggest_once(expr) {
                Some(_) => "newsroom-rule-too-frequent-suggest",
                None => "newsroom-rule-too-frequent",
            };
            return Err(NewsroomError::Refused(
                refused(id)
                    .with("expr", expr)
                    .with_number("count", b.per_day as i64)
                    .with_both(
                        "at",
                        bangkok(b.from),
                        prakat_adapters::thai::dates::gov_datetime(
                            b.from,
                            prakat_adapters::thai::Digits::Arabic,
                        ),
                    )
                    .with_msg("gap", duration_msg(b.gap))
                    .with_msg("min", duration_msg(min))
                    .with(
                        "suggestion",
                        Recurrence::suggest_once(expr).unwrap_or_default(),
                    ),
            ));
        }
        Ok(rec)
    }

    /// Every rule not deleted, in order.
    pub async fn rules(&self) -> Result<Vec<RuleRecord>> {
        Ok(self.app.store.rules().await?)
    }

    /// One rule, with its next occurrences (none while paused).
    pub async fn rule(&self, id: i64, now: DateTime<Utc>) -> Result<RuleSaved> {
        let rule = self.app.store.rule(id).await?;
        Ok(RuleSaved {
            next: upcoming(&rule, now),
            rule,
            skipped: vec![],
        })
    }

    /// Stop a rule firing until it is resumed.
    pub async fn pause_rule(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<RuleRecord> {
        self.must_approve(who)?;
        let rule = self.app.store.rule(id).await?;
        if !rule.active {
            return Err(NewsroomError::Conflict(
                refused("newsroom-rule-already-paused").with("id", id),
            ));
        }
        Ok(self
            .app
            .store
            .pause_rule(
                id,
                RulePause::ByHand,
                serde_json::json!({"reason": RulePause::ByHand.as_str()}),
                now,
                &who.actor(),
            )
            .await?)
    }

    /// Let a paused rule fire again, from its next occurrence after now: what it missed while
    /// paused is not posted.
    pub async fn resume_rule(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<RuleSaved> {
        self.must_approve(who)?;
        let rule = self.app.store.rule(id).await?;
        if rule.active {
            return Err(NewsroomError::Conflict(
                refused("newsroom-rule-not-paused").with("id", id),
            ));
        }
        let rec = self.stored_schedule(&rule)?;
        let next_fire_at = rec.next_after(now).ok_or_else(|| {
            NewsroomError::Refused(
                refused("newsroom-bad-cron")
                    .with("expr", &rule.cron)
                    .with("why", "it never fires again"),
            )
        })?;
        let rule = self
            .app
            .store
            .resume_rule(id, next_fire_at, now, &who.actor())
            .await?;
        Ok(RuleSaved {
            next: rec.next_n(now, UPCOMING),
            rule,
            skipped: vec![],
        })
    }

    /// Delete a rule: it never fires again. The announcements it made stay as they are.
    pub async fn delete_rule(
        &self,
        who: &Person,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<RuleRecord> {
        self.must_approve(who)?;
        Ok(self.app.store.delete_rule(id, now, &who.actor()).await?)
    }

    /// Change a rule's title, text, link, channels or schedule, checked as a new rule is.
    pub async fn edit_rule(
        &self,
        who: &Person,
        id: i64,
        changes: RuleChanges,
        now: DateTime<Utc>,
    ) -> Result<RuleSaved> {
        self.must_approve(who)?;
        let rule = self.app.store.rule(id).await?;
        let text = match &changes.text {
            Some(t) => clean_text(t)?,
            None => rule.body.clone(),
        };
        let title = match (clean_title(changes.title.as_deref()), &changes.text) {
            (Some(t), _) => t,
            // A new text without a title: its first line, as for a new post.
            (None, Some(_)) if rule.title == title_from(&rule.body) => title_from(&text),
            (None, _) => rule.title.clone(),
        };
        let link = match &changes.link {
            Some(l) if l.trim().is_empty() => None,
            Some(l) => {
                check_link(l)?;
                Some(l.trim().to_owned())
            }
            None => rule.link.clone(),
        };
        let mut channels = changes.channels.clone().unwrap_or(rule.channels.clone());
        let mut seen = std::collections::HashSet::new();
        channels.retain(|c| seen.insert(c.clone()));
        for c in &channels {
            if self.app.registry.get(c).is_none() {
                return Err(NewsroomError::Refused(
                    refused("newsroom-channel-off")
                        .with("channel", c)
                        .with("enabled", self.app.registry.names().join(", ")),
                ));
            }
        }
        let (cron, rec) = match &changes.cron {
            Some(c) => (
                c.trim().to_owned(),
                self.check_schedule(c, changes.allow_frequent, now)?,
            ),
            None => (rule.cron.clone(), self.stored_schedule(&rule)?),
        };
        let next_fire_at = if changes.cron.is_some() {
            rec.next_after(now).expect("checked when parsed")
        } else {
            rule.next_fire_at
        };
        // Composed once for its channels, as a new rule is, nothing written.
        let department = self
            .app
            .store
            .department(&rule.department)
            .await?
            .ok_or_else(|| {
                crate::store::StoreError::NotFound(format!("department {}", rule.department))
            })?;
        let probe = AnnouncementRecord {
            id: 0,
            department,
            title: title.clone(),
            body: text.clone(),
            link: link.clone(),
            tags: vec![],
            media: rule.media.clone(),
            author: who.actor().name,
            source: "recurring".into(),
            state: "pending_approval".into(),
            publish_at: next_fire_at,
            rule_id: Some(rule.id),
            created_at: now,
            channels: channels.clone(),
            decision: None,
            revision: Default::default(),
        };
        let composed =
            self.app
                .composer
                .deliveries(&self.app.registry, &channels, &probe, next_fire_at)?;
        let saved = self
            .app
            .store
            .edit_rule(
                id,
                &RuleEdit {
                    title,
                    body: text,
                    link,
                    channels,
                    cron,
                    next_fire_at,
                },
                &who.actor(),
            )
            .await?;
        Ok(RuleSaved {
            next: upcoming(&saved, now),
            rule: saved,
            skipped: composed.skipped,
        })
    }

    fn stored_schedule(&self, rule: &RuleRecord) -> Result<Recurrence> {
        Recurrence::parse(&rule.cron).map_err(|e| {
            NewsroomError::Refused(
                refused("newsroom-bad-cron")
                    .with("expr", &e.expr)
                    .with("why", &e.message),
            )
        })
    }
}

/// A rule's next occurrences: from the time it fires next; none while paused.
pub fn upcoming(rule: &RuleRecord, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    if !rule.active {
        return vec![];
    }
    match Recurrence::parse(&rule.cron) {
        Ok(rec) => {
            let mut next = vec![rule.next_fire_at];
            next.extend(rec.next_n(rule.next_fire_at.max(now), UPCOMING - 1));
            next
        }
        Err(_) => vec![],
    }
}
