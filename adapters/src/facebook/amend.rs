//! Corrections to what was published: the message of a post replaced with `POST /{post-id}`
//! (`message`), a video's `description` and title (`name`, as the Video node calls it)
//! replaced with `POST /{video-id}`, and a post or video taken down with `DELETE /{id}`.
//! Facebook answers each with `{"success":true}`.
//!
//! Both are harmless to repeat, so a lost answer (a timeout, a 5xx, Graph codes 1 and 2) is
//! `Transient`, never `Ambiguous`: setting the message twice leaves it as set once, and a
//! delete of a post that is already gone — Graph error 100 with subcode 33, "Unsupported
//! delete request" / "does not exist" — counts as done.

use reqwest::Method;
use serde::Deserialize;

use super::Facebook;
use super::client::Failure;
use super::errors::GraphError;
use crate::http::Effect;
use crate::{MediaKind, Payload, PublishError, Receipt};

/// The answer to an update or a delete.
#[derive(Deserialize)]
struct Done {
    #[serde(default)]
    success: bool,
}

/// Whether Facebook says the object is not there (deleted on the Page, or never was): code
/// 100 with subcode 33, or the "does not exist" wording of an unsupported request on an id.
pub fn is_gone(e: &GraphError) -> bool {
    let msg = e.message.to_lowercase();
    e.code == 100
        && (e.error_subcode == Some(33)
            || msg.contains("does not exist")
            || msg.contains("unsupported delete request"))
}

/// The post or video a receipt names.
fn target(receipt: &Receipt) -> Result<&str, PublishError> {
    receipt
        .remote_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            PublishError::Rejected(
                "the receipt names no Facebook post id: the post must be changed by hand on the \
                 Page"
                    .into(),
            )
        })
}

/// Whether the payload was published as a video (its receipt is then the video id).
fn is_video(payload: &Payload) -> bool {
    matches!(payload.media.as_slice(), [one] if one.kind == MediaKind::Video)
}

impl Facebook {
    /// Replace the post's message (or the video's description and title) with the payload's.
    pub(super) async fn edit_post(
        &self,
        receipt: &Receipt,
        payload: &Payload,
    ) -> Result<Receipt, PublishError> {
        let id = target(receipt)?;
        let (what, form) = if is_video(payload) {
            let mut form = vec![("description".to_owned(), payload.text.clone())];
            if !payload.title.trim().is_empty() {
                form.push(("name".to_owned(), payload.title.clone()));
            }
            ("change the video's description", form)
        } else {
            // `prepare` made the text, with the website link when it shortened it; the link
            // preview attached at publish stays (Facebook does not change an attachment).
            (
                "change the Page post's message",
                vec![("message".to_owned(), payload.text.clone())],
            )
        };
        let url = self.graph.url(id);
        let reply = self
            .graph
            .post_form(what, &url, &form, Effect::Repeatable)
            .await
            .map_err(|f| gone_on_edit(f, id))?;
        succeeded(what, reply.json::<Done>(what)?)?;
        Ok(Receipt {
            remote_id: Some(id.to_owned()),
            url: receipt.url.clone(),
            request_id: reply.trace_id(),
            deduplicated: false,
        })
    }

    /// Delete the post (or the video). One already gone is not an error.
    pub(super) async fn retract_post(&self, receipt: &Receipt) -> Result<(), PublishError> {
        const WHAT: &str = "delete the Page post";
        let id = target(receipt)?;
        let req = self
            .graph
            .request(Method::DELETE, &self.graph.url(id), None);
        match self.graph.send(WHAT, req, Effect::Repeatable).await {
            Ok(reply) => succeeded(WHAT, reply.json::<Done>(WHAT)?),
            Err(Failure {
                graph: Some(ref e), ..
            }) if is_gone(e) => {
                tracing::info!(
                    channel = super::KIND,
                    remote_id = id,
                    "the post was already gone from the Page: nothing to delete"
                );
                Ok(())
            }
            Err(f) => Err(f.error),
        }
    }
}

/// `{"success":false}`: Facebook did not apply it; asking again is safe.
fn succeeded(what: &str, done: Done) -> Result<(), PublishError> {
    if done.success {
        Ok(())
    } else {
        Err(PublishError::Transient(format!(
            "{what}: Facebook answered success=false"
        )))
    }
}

/// An edit of a post that is no longer on the Page cannot be done by repeating it.
fn gone_on_edit(f: Failure, id: &str) -> PublishError {
    match &f.graph {
        Some(e) if is_gone(e) => PublishError::Rejected(format!(
            "the Facebook post {id} is no longer on the Page (deleted there?): the correction \
             cannot be applied; publish the announcement again if it should be on the Page. {}",
            e.describe()
        )),
        _ => f.error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: i64, sub: Option<i64>, message: &str) -> GraphError {
        GraphError {
            code,
            error_subcode: sub,
            message: message.into(),
            ..GraphError::default()
        }
    }

    #[test]
    fn only_a_missing_object_counts_as_gone() {
        assert!(is_gone(&e(100, Some(33), "Unsupported post request.")));
        assert!(is_gone(&e(
            100,
            None,
            "Unsupported delete request. Object with ID '1_2' does not exist"
        )));
        assert!(!is_gone(&e(100, None, "(#100) Invalid parameter")));
        assert!(!is_gone(&e(190, Some(33), "Error validating access token")));
    }
}
