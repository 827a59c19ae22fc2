//! Reach of a published post: `GET /{post-id}/insights` with the 2026 metric set
//! (`post_media_view`, `post_total_media_view_unique`, `post_reactions_by_type_total`,
//! `post_clicks`), plus shares and comments from the post itself. Facebook keeps retiring
//! metrics: when it refuses one (error 100 naming a metric), each metric is asked for alone,
//! a refused one is replaced by its older name where there is one, and a metric nobody
//! answers is left empty — one metric never fails the whole sample.

use serde::Deserialize;
use serde_json::Value;

use super::Facebook;
use super::client::Failure;
use crate::{PublishError, ReachSample, Receipt};

/// The metrics asked for, each with the older name tried when Facebook refuses it.
pub const METRICS: &[(&str, Option<&str>)] = &[
    ("post_media_view", Some("post_impressions")),
    (
        "post_total_media_view_unique",
        Some("post_impressions_unique"),
    ),
    ("post_reactions_by_type_total", None),
    ("post_clicks", None),
];

#[derive(Deserialize)]
struct Insights {
    #[serde(default)]
    data: Vec<Insight>,
}

#[derive(Deserialize)]
struct Insight {
    name: String,
    #[serde(default)]
    values: Vec<InsightValue>,
}

#[derive(Deserialize)]
struct InsightValue {
    #[serde(default)]
    value: Value,
}

/// A number, or the sum of an object of numbers (reactions by type).
fn total(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::Object(map) => Some(map.values().filter_map(Value::as_u64).sum()),
        _ => None,
    }
}

fn apply(sample: &mut ReachSample, name: &str, value: Option<u64>) {
    let slot = match name {
        "post_media_view" | "post_impressions" => &mut sample.views,
        "post_total_media_view_unique" | "post_impressions_unique" => &mut sample.unique_viewers,
        "post_reactions_by_type_total" => &mut sample.reactions,
        "post_clicks" => &mut sample.clicks,
        _ => return,
    };
    if value.is_some() {
        *slot = value;
    }
}

impl Facebook {
    pub(super) async fn read_reach(&self, receipt: &Receipt) -> Result<ReachSample, PublishError> {
        let Some(post_id) = receipt.remote_id.as_deref() else {
            return Err(PublishError::Rejected(
                "no Facebook post id in the receipt: reach cannot be read".into(),
            ));
        };
        let mut sample = ReachSample::default();
        let all: Vec<&str> = METRICS.iter().map(|(m, _)| *m).collect();
        match self.insights(post_id, &all.join(",")).await {
            Ok(found) => found
                .into_iter()
                .for_each(|(n, v)| apply(&mut sample, &n, v)),
            Err(f) if is_refused_metric(&f) => {
                for (metric, older) in METRICS {
                    let mut got = self.one_metric(post_id, metric).await?;
                    if got.is_none()
                        && let Some(older) = older
                    {
                        got = self.one_metric(post_id, older).await?;
                    }
                    if let Some((name, value)) = got {
                        apply(&mut sample, &name, value);
                    }
                }
            }
            Err(f) => return Err(f.into()),
        }
        self.engagement(post_id, &mut sample).await?;
        Ok(sample)
    }

    /// One metric; `None` when Facebook refuses it as unknown or deprecated.
    async fn one_metric(
        &self,
        post_id: &str,
        metric: &str,
    ) -> Result<Option<(String, Option<u64>)>, PublishError> {
        match self.insights(post_id, metric).await {
            Ok(found) => Ok(found.into_iter().next()),
            Err(f) if is_refused_metric(&f) => {
                tracing::debug!(metric, "facebook: metric refused");
                Ok(None)
            }
            Err(f) => Err(f.into()),
        }
    }

    async fn insights(
        &self,
        post_id: &str,
        metrics: &str,
    ) -> Result<Vec<(String, Option<u64>)>, Failure> {
        let url = self.graph.url(&format!("{post_id}/insights"));
        let reply = self
            .graph
            .get(
                "read the post's insights",
                &url,
                &[("metric", metrics), ("period", "lifetime")],
            )
            .await?;
        let insights: Insights = reply
            .json("read the post's insights")
            .map_err(|error| Failure { error, graph: None })?;
        Ok(insights
            .data
            .into_iter()
            .map(|i| {
                let v = i.values.last().and_then(|v| total(&v.value));
                (i.name, v)
            })
            .collect())
    }

    /// Shares and comments, from the post's own fields; left empty if Facebook refuses them.
    async fn engagement(
        &self,
        post_id: &str,
        sample: &mut ReachSample,
    ) -> Result<(), PublishError> {
        let url = self.graph.url(post_id);
        let reply = match self
            .graph
            .get(
                "read the post's shares and comments",
                &url,
                &[("fields", "shares,comments.limit(0).summary(true)")],
            )
            .await
        {
            Ok(r) => r,
            Err(Failure {
                error: PublishError::Rejected(_),
                ..
            }) => return Ok(()),
            Err(f) => return Err(f.into()),
        };
        let v: Value = reply.json("read the post's shares and comments")?;
        sample.shares = v.pointer("/shares/count").and_then(Value::as_u64);
        sample.comments = v
            .pointer("/comments/summary/total_count")
            .and_then(Value::as_u64);
        Ok(())
    }
}

fn is_refused_metric(f: &Failure) -> bool {
    f.graph.as_ref().is_some_and(|g| g.is_invalid_metric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_by_type_are_summed() {
        let v: Value = serde_json::json!({"like": 3, "love": 2, "haha": 1});
        assert_eq!(total(&v), Some(6));
        assert_eq!(total(&serde_json::json!(42)), Some(42));
        assert_eq!(total(&Value::Null), None);
    }
}
