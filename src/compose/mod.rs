//! Compose: an announcement plus a channel's template and limits → exactly what that channel
//! will send. Pure and synchronous (no I/O after the templates are loaded), so the CLI, the
//! store's transaction and a web preview can all call it and get the same answer.
//!
//! Templates are minijinja files, one per channel kind (`config/templates/channels/<kind>.txt`,
//! falling back to `default.txt`), editable: a templates directory in the settings overrides the
//! built-in copies file by file. Thai date filters come from `prakat_adapters::thai`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use minijinja::{Environment, context};
use prakat_adapters::{Draft, Rejection};

use crate::channels::Registry;
use crate::i18n::{Lang, Msg};
use crate::store::{AnnouncementRecord, NewDelivery};

/// Why an announcement cannot be composed for a channel.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ComposeError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("{channel}: {}", rejection.en)]
    Rejected {
        channel: String,
        rejection: Rejection,
    },
    #[error("channel {0:?} is not configured (enabled channels: {1})")]
    UnknownChannel(String, String),
    #[error("no channel takes this announcement: {}", skipped_en(.0))]
    NothingToSend(Vec<Skipped>),
}

fn skipped_en(s: &[Skipped]) -> String {
    s.iter()
        .map(|k| format!("{}: {}", k.channel, k.reason.en))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A channel left out of an announcement, and why (see [`Rejection::skip`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub channel: String,
    pub reason: Rejection,
}

/// What composing an announcement for its channels gives: a delivery for each channel that
/// takes it, and the channels that do not carry this kind of announcement.
#[derive(Debug, Clone, Default)]
pub struct Composed {
    pub deliveries: Vec<NewDelivery>,
    pub skipped: Vec<Skipped>,
}

impl From<Vec<NewDelivery>> for Composed {
    fn from(deliveries: Vec<NewDelivery>) -> Self {
        Composed {
            deliveries,
            skipped: vec![],
        }
    }
}

impl ComposeError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            ComposeError::Template { name, message } => Msg::new("compose-template")
                .with("name", name)
                .with("detail", message),
            ComposeError::Rejected { channel, rejection } => skipped_msg(channel, rejection),
            ComposeError::UnknownChannel(c, known) => Msg::new("compose-unknown-channel")
                .with("channel", format!("{c:?}"))
                .with("known", known),
            ComposeError::NothingToSend(s) => Msg::new("compose-nothing-to-send").with_list_sep(
                "skipped",
                s.iter()
                    .map(|k| skipped_msg(&k.channel, &k.reason))
                    .collect(),
                "; ",
            ),
        }
    }

    /// [`ComposeError::msg`] in Thai, for the callers that still pair an English and a Thai
    /// text.
    pub fn th(&self) -> String {
        self.msg().render(Lang::Th)
    }
}

/// "channel: why", the reason in the reader's language (a channel words it in both).
pub fn skipped_msg(channel: &str, reason: &Rejection) -> Msg {
    Msg::new("compose-channel-reason")
        .with("channel", channel)
        .with_both("reason", &reason.en, &reason.th)
}

const EMBEDDED: &[(&str, &str)] = &[
    (
        "default.txt",
        include_str!("../../config/templates/channels/default.txt"),
    ),
    (
        "website.txt",
        include_str!("../../config/templates/channels/website.txt"),
    ),
];

/// The body without its first line when that line is the title (a title taken from the text's
/// first line): the heading is not repeated as the first paragraph.
pub fn body_after_title<'b>(title: &str, body: &'b str) -> &'b str {
    let start = body.len() - body.trim_start().len();
    let rest = &body[start..];
    let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
    if !title.trim().is_empty() && first.trim() == title.trim() {
        after.trim_start_matches(['\n', '\r', ' ', '\t'])
    } else {
        body
    }
}

/// The station as templates see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StationInfo {
    pub name_th: String,
    pub name_en: String,
}

/// Renders announcements for channels. Build once, share.
pub struct Composer {
    env: Environment<'static>,
    station: StationInfo,
    /// The website's base URL, when the website channel is enabled: shortened texts link there.
    site_base_url: Option<String>,
}

impl Composer {
    pub fn new(
        templates_dir: Option<PathBuf>,
        station: StationInfo,
        site_base_url: Option<String>,
    ) -> Self {
        let mut env = Environment::new();
        env.set_keep_trailing_newline(false);
        env.set_loader(move |name: &str| {
            if let Some(dir) = &templates_dir {
                let path = dir.join("channels").join(name);
                match std::fs::read_to_string(&path) {
                    Ok(s) => return Ok(Some(s)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(minijinja::Error::new(
                            minijinja::ErrorKind::TemplateNotFound,
                            format!("cannot read {}: {e}", path.display()),
                        ));
                    }
                }
            }
            Ok(EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| (*s).to_owned()))
        });
        prakat_adapters::thai::register_filters(&mut env);
        Composer {
            env,
            station,
            site_base_url,
        }
    }

    /// The website page of an announcement, if the website is enabled.
    pub fn page_url(&self, announcement_id: i64) -> Option<String> {
        self.site_base_url
            .as_deref()
            .map(|base| prakat_adapters::website::Website::page_url_for(base, announcement_id))
    }

    /// Render the announcement through the template of a channel kind.
    pub fn draft(&self, kind: &str, a: &AnnouncementRecord) -> Result<Draft, ComposeError> {
        let specific = format!("{kind}.txt");
        let name = if self.env.get_template(&specific).is_ok() {
            specific
        } else {
            "default.txt".to_owned()
        };
        let tmpl = self
            .env
            .get_template(&name)
            .map_err(|e| template_error(&name, e))?;
        let link = self.page_url(a.id).or_else(|| a.link.clone());
        let text = tmpl
            .render(context! {
                title => a.title,
                body => body_after_title(&a.title, &a.body),
                // The link the sender gave, for "ลิงก์ที่เกี่ยวข้อง" (`link` is where to read more:
                // the website's page when there is one).
                related => a.link,
                department => a.department,
                station => self.station,
                publish_at => a.publish_at.to_rfc3339(),
                link => link,
                tags => a.tags,
            })
            .map_err(|e| template_error(&name, e))?;
        Ok(Draft {
            announcement_id: a.id,
            department: a.department.clone(),
            title: a.title.clone(),
            text: text.trim().to_owned(),
            media: a.media.clone(),
            link,
            published_at: a.publish_at,
            tags: a.tags.clone(),
        })
    }

    /// Compose one delivery per named channel, due at `due_at`. A channel that does not carry
    /// this kind of announcement (a skip) is left out with its reason; a channel that refuses it
    /// (text too long, file too large) fails the whole composition, so nothing is queued half-way.
    /// When every channel skips, that is an error too.
    pub fn deliveries(
        &self,
        registry: &Registry,
        channels: &[String],
        a: &AnnouncementRecord,
        due_at: DateTime<Utc>,
    ) -> Result<Composed, ComposeError> {
        let mut out = Composed::default();
        for name in channels {
            let channel = registry.get(name).ok_or_else(|| {
                ComposeError::UnknownChannel(name.clone(), registry.names().join(", "))
            })?;
            let mut draft = self.draft(channel.kind(), a)?;
            if !channel.carries_documents() {
                // The digest's files are for the website; a photo post never gets a PDF.
                draft
                    .media
                    .retain(|m| m.kind != prakat_adapters::MediaKind::Document);
            }
            match channel.prepare(&draft) {
                Ok(payload) => out.deliveries.push(NewDelivery {
                    channel: name.clone(),
                    payload,
                    due_at,
                    idempotency_key: uuid::Uuid::new_v4().to_string(),
                }),
                Err(reason) if reason.skip => out.skipped.push(Skipped {
                    channel: name.clone(),
                    reason,
                }),
                Err(rejection) => {
                    return Err(ComposeError::Rejected {
                        channel: name.clone(),
                        rejection,
                    });
                }
            }
        }
        if out.deliveries.is_empty() && !out.skipped.is_empty() {
            return Err(ComposeError::NothingToSend(out.skipped));
        }
        Ok(out)
    }
}

fn template_error(name: &str, e: minijinja::Error) -> ComposeError {
    ComposeError::Template {
        name: name.to_owned(),
        message: format!("{e:#}"),
    }
}

#[cfg(test)]
mod tests;
