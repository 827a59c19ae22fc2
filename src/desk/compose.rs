//! Compose: a draft (department, title, text, link, channels; now, the station's next free
//! posting slot, a Bangkok time, or — for whoever approves — a repeat picked as daily, weekly
//! or monthly at a time, written as the cron expression the rules run on), a
//! preview of what each channel will send — its text, its length in the platform's own units
//! against its limit, what it shortens, which channels skip it and why — and the submission.
//! The preview and the submission are the newsroom's own ([`Newsroom::preview`],
//! [`Newsroom::submit`]), the same compose code the daemon publishes with. Without script the
//! Preview button posts the form back; with it, `desk.js` shows the preview in place, and again
//! a moment after typing stops.
//!
//! Photos and videos come with the form ([`super::uploads`]) or, with script, are dropped on the
//! page and uploaded one by one (`POST /desk/media`, with a progress bar each, checked for type
//! and size before they leave the browser); either way they are kept at once
//! ([`super::media::keep`]) and the form comes back carrying their hashes in `media_sha256`
//! fields, so a preview without script does not lose them (a browser does not refill a file
//! field). A hash that names no kept file is refused.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::value::merge_maps;
use minijinja::{Value, context};
use prakat_adapters::{LengthUnit, MediaRef};

use super::Desk;
use super::auth::{AnyRole, Fields, Signed, SignedForm};
use super::inbox::see_other;
use super::pages::{Page, newsroom_failure, status_of, when};
use super::uploads;
use crate::i18n::{Arg, Lang, Msg, tr};
use crate::media::human_size;
use crate::newsroom::schedule::{Repeat, time_of_day, weekday};
use crate::newsroom::time::parse_bangkok;
use crate::newsroom::{Draft, Newsroom, NewsroomError, Preview, Submitted, When};

/// What the form shows: the departments and channels to choose from, what was typed, the files
/// it carries and what the page's script checks before uploading one.
async fn form_context<N>(
    desk: &Desk,
    who: &Signed<N>,
    fields: &Fields,
    media: &[MediaRef],
) -> Result<Value, Response> {
    let departments = Newsroom::new(&desk.app)
        .departments()
        .await
        .map_err(|e| newsroom_failure(desk, who.lang, &e))?;
    let departments: Vec<Value> = departments
        .iter()
        .filter(|d| who.sees(&d.code))
        .map(|d| {
            context! {
                code => &d.code,
                name => match who.lang { Lang::Th => &d.name_th, Lang::En => &d.name_en },
            }
        })
        .collect();
    let chosen = if fields.0.is_empty() {
        desk.app.settings.post.default_channels.clone()
    } else {
        fields.all("channel")
    };
    let channels: Vec<Value> = desk
        .app
        .registry
        .names()
        .into_iter()
        .map(|name| context! { checked => chosen.contains(&name), name => name })
        .collect();
    Ok(context! {
        departments => departments,
        channels => channels,
        form => context! {
            department => fields.get("department").or(who.person.department.as_deref()),
            title => fields.get("title"),
            text => fields.0.iter().find(|(k, _)| k == "text").map(|(_, v)| v.as_str()),
            link => fields.get("link"),
            when => fields.get("when").unwrap_or("now"),
            at => fields.get("at"),
            repeat => fields.get("repeat").unwrap_or("weekly"),
            repeat_time => fields.get("repeat_time").unwrap_or("09:00"),
            repeat_days => fields.all("repeat_day"),
            repeat_date => fields.get("repeat_date").unwrap_or("1"),
            cron => fields.get("cron"),
        },
        weekdays => ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        media => media.iter().map(|m| context! {
            sha256 => &m.sha256,
            name => &m.original_name,
            size => human_size(m.size),
        }).collect::<Vec<_>>(),
        upload => upload_context(desk, who.lang),
    })
}

/// The drop zone's limits and messages, for the page's script: the same limits the server
/// keeps (`media.max_*_bytes`, [`uploads::MAX_FILES`]), each message with `{name}` for the
/// file's name (and `{reason}` for why an upload failed).
fn upload_context(desk: &Desk, lang: Lang) -> Value {
    let m = &desk.app.settings.media;
    let name = || Arg::from("{name}");
    context! {
        max_image => m.max_image_bytes,
        max_video => m.max_video_bytes,
        max_files => uploads::MAX_FILES,
        image_limit => human_size(m.max_image_bytes),
        video_limit => human_size(m.max_video_bytes),
        msg_type => tr(lang, "desk-drop-type", &[("name", name())]),
        msg_image_size => tr(lang, "desk-drop-too-large", &[
            ("name", name()),
            ("limit", human_size(m.max_image_bytes).into()),
        ]),
        msg_video_size => tr(lang, "desk-drop-too-large", &[
            ("name", name()),
            ("limit", human_size(m.max_video_bytes).into()),
        ]),
        msg_many => tr(lang, "desk-drop-too-many", &[
            ("name", name()),
            ("count", Arg::from(uploads::MAX_FILES as i64)),
        ]),
        msg_failed => tr(lang, "desk-drop-failed", &[
            ("name", name()),
            ("reason", Arg::from("{reason}")),
        ]),
        msg_remove => tr(lang, "desk-drop-remove", &[("name", name())]),
        msg_progress => tr(lang, "desk-drop-progress", &[("name", name())]),
        msg_wait => tr(lang, "desk-drop-wait", &[]),
    }
}

/// What the form carries: the files kept earlier (its `media_sha256` fields, in order) and then
/// those sent with it, kept now, each once. When one cannot be kept, what was kept so far and
/// why, said in `lang`.
async fn attached(
    desk: &Desk,
    lang: Lang,
    fields: &Fields,
    files: &[std::path::PathBuf],
) -> (Vec<MediaRef>, Option<(String, StatusCode)>) {
    let mut hashes = fields.all("media_sha256");
    let mut seen = std::collections::HashSet::new();
    hashes.retain(|h| seen.insert(h.to_ascii_lowercase()));
    if hashes.len() + files.len() > uploads::MAX_FILES {
        let msg = tr(lang, "desk-upload-too-many", &[]);
        return (Vec::new(), Some((msg, StatusCode::BAD_REQUEST)));
    }
    let mut media = match super::media::kept(desk, &hashes).await {
        Ok(m) => m,
        Err(super::media::NotFound::Unknown(h)) => {
            let msg = tr(lang, "desk-unknown-media", &[("sha256", h.into())]);
            return (Vec::new(), Some((msg, StatusCode::BAD_REQUEST)));
        }
        Err(super::media::NotFound::Store(e)) => {
            tracing::error!(error = %e, "the web desk could not find the uploaded files");
            let msg = e.msg().render(lang);
            return (Vec::new(), Some((msg, StatusCode::INTERNAL_SERVER_ERROR)));
        }
    };
    for path in files {
        match super::media::keep(desk, path).await {
            Ok(m) => {
                if !media.iter().any(|k| k.sha256 == m.sha256) {
                    media.push(m);
                }
            }
            Err(u) => return (media, Some((u.message(lang), u.status))),
        }
    }
    (media, None)
}

/// The draft a filled form is (with the files it carries), or why not.
fn draft(fields: &Fields, media: &[MediaRef]) -> Result<Draft, NewsroomError> {
    let when = match fields.get("when") {
        Some("at") => When::At(parse_bangkok(fields.get("at").unwrap_or(""))?),
        Some("slot") => When::NextSlot,
        Some("repeat") => When::Recurring {
            cron: repeat_cron(fields)?,
            allow_frequent: false,
        },
        _ => When::Now,
    };
    let channels = fields.all("channel");
    if channels.is_empty() {
        return Err(NewsroomError::Refused(Msg::new("desk-no-channel")));
    }
    Ok(Draft {
        department: fields.get("department").unwrap_or("").to_owned(),
        title: fields.get("title").map(str::to_owned),
        text: fields
            .0
            .iter()
            .find(|(k, _)| k == "text")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        link: fields.get("link").map(str::to_owned),
        tags: Vec::new(),
        media: media.iter().map(|m| m.path.clone()).collect(),
        channels,
        when,
    })
}

/// The cron expression the form's repeat fields pick: daily, on the ticked weekdays, or on a
/// day of the month, at a time of day; or the expression itself, for who writes cron.
fn repeat_cron(fields: &Fields) -> Result<String, NewsroomError> {
    let repeat = match fields.get("repeat") {
        Some("cron") => return Ok(fields.get("cron").unwrap_or("").to_owned()),
        Some("daily") => Repeat::Daily,
        Some("monthly") => {
            let day = fields.get("repeat_date").unwrap_or("");
            Repeat::Monthly(day.trim().parse().unwrap_or(0))
        }
        _ => Repeat::Weekly(
            fields
                .all("repeat_day")
                .iter()
                .filter_map(|d| weekday(d))
                .collect(),
        ),
    };
    repeat.cron(time_of_day(fields.get("repeat_time").unwrap_or(""))?)
}

fn unit_id(unit: LengthUnit) -> &'static str {
    match unit {
        LengthUnit::Chars | LengthUnit::Graphemes => "desk-unit-chars",
        LengthUnit::Utf16 => "desk-unit-utf16",
        LengthUnit::Bytes => "desk-unit-bytes",
    }
}

/// A preview as the page shows it.
fn preview_value(desk: &Desk, lang: Lang, p: &Preview) -> Value {
    let channels: Vec<Value> = p
        .payloads
        .iter()
        .map(|(name, payload)| {
            let limits = desk.app.registry.get(name).map(|c| c.limits().clone());
            let (count, max, unit) = match &limits {
                Some(l) => (
                    l.unit.count(&payload.text),
                    Some(l.text_max),
                    tr(lang, unit_id(l.unit), &[]),
                ),
                None => (payload.text.chars().count(), None, String::new()),
            };
            context! {
                name => name,
                title => &payload.title,
                text => &payload.text,
                count => count,
                max => max,
                unit => unit,
                notes => &payload.notes,
                shortened => !payload.notes.is_empty(),
            }
        })
        .collect();
    let skipped: Vec<Value> = p
        .skipped
        .iter()
        .map(|s| {
            context! {
                name => &s.channel,
                reason => crate::compose::skipped_msg(&s.channel, &s.reason).render(lang),
            }
        })
        .collect();
    context! {
        channels => channels,
        skipped => skipped,
        publish_at => when(lang, p.publish_at),
        recurring => p.recurring.as_ref().map(|(cron, next)| context! {
            cron => cron,
            next => next.iter().map(|t| when(lang, *t)).collect::<Vec<_>>(),
        }),
    }
}

/// `GET /desk/compose`.
pub async fn form(State(desk): State<Arc<Desk>>, who: Signed<AnyRole>) -> Response {
    match form_context(&desk, &who, &Fields::default(), &[]).await {
        Ok(ctx) => Page::render(
            &desk,
            who.lang,
            "compose.html",
            merge_maps([ctx, who.frame()]),
        )
        .into_response(),
        Err(r) => r,
    }
}

/// What is wrong, with a kept file named as it was sent, not by where the server keeps it.
fn said(e: &NewsroomError, media: &[MediaRef], lang: Lang) -> (String, StatusCode) {
    let mut text = e.message(lang);
    for m in media {
        text = text.replace(&m.path.display().to_string(), &m.original_name);
    }
    (text, status_of(e))
}

/// The compose page again, with what was typed, the files it carries, and a preview or what is
/// wrong.
async fn again<N>(
    desk: &Desk,
    who: &Signed<N>,
    fields: &Fields,
    media: &[MediaRef],
    preview: Option<Value>,
    error: Option<(String, StatusCode)>,
) -> Response {
    let ctx = match form_context(desk, who, fields, media).await {
        Ok(ctx) => ctx,
        Err(r) => return r,
    };
    let status = error.as_ref().map_or(StatusCode::OK, |(_, s)| *s);
    Page::render(
        desk,
        who.lang,
        "compose.html",
        merge_maps([
            context! {
                preview => preview,
                error => error.map(|(text, _)| text),
            },
            ctx,
            who.frame(),
        ]),
    )
    .status(status)
    .into_response()
}

/// `POST /desk/compose`: `intent=preview` shows the preview, anything else submits: queued
/// at once from whoever approves, waiting in the inbox from department staff.
pub async fn submit(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let (who, fields) = (&form.who, &form.fields);
    let now = desk.clock.now();
    let room = Newsroom::new(&desk.app);
    let (media, unkept) = attached(&desk, who.lang, fields, &form.files).await;
    if unkept.is_some() {
        return again(&desk, who, fields, &media, None, unkept).await;
    }
    let draft = match draft(fields, &media) {
        Ok(d) => d,
        Err(e) => {
            let error = said(&e, &media, who.lang);
            return again(&desk, who, fields, &media, None, Some(error)).await;
        }
    };
    if fields.get("intent") == Some("preview") {
        return match room.preview(&who.person, &draft, now).await {
            Ok(p) => {
                let v = preview_value(&desk, who.lang, &p);
                again(&desk, who, fields, &media, Some(v), None).await
            }
            Err(e) => {
                let error = said(&e, &media, who.lang);
                again(&desk, who, fields, &media, None, Some(error)).await
            }
        };
    }
    match room.submit(&who.person, draft, now).await {
        Ok(
            Submitted::Queued { announcement, .. }
            | Submitted::Pending { announcement, .. }
            | Submitted::Already { announcement },
        ) => {
            desk.wake.notify_one();
            see_other(&format!("/desk/announcements/{}", announcement.id))
        }
        Ok(Submitted::Recurring { rule, next, .. }) => {
            desk.wake.notify_one();
            let lang = who.lang;
            let times: Vec<String> = next.iter().map(|t| when(lang, *t)).collect();
            let detail = tr(
                lang,
                "desk-rule-made",
                &[
                    ("id", rule.id.into()),
                    ("cron", rule.cron.as_str().into()),
                    ("next", times.join(", ").into()),
                ],
            );
            Page::message(&desk, lang, "desk-rule-made-title", Some(detail)).into_response()
        }
        Err(e) => {
            let error = said(&e, &media, who.lang);
            again(&desk, who, fields, &media, None, Some(error)).await
        }
    }
}

/// `POST /desk/compose/preview`: the preview alone, for the page's script to show in place.
pub async fn preview(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let (who, fields) = (&form.who, &form.fields);
    let (media, unkept) = attached(&desk, who.lang, fields, &form.files).await;
    let result = match (unkept, draft(fields, &media)) {
        (Some(error), _) => Err(error),
        (None, Err(e)) => Err(said(&e, &media, who.lang)),
        (None, Ok(d)) => Newsroom::new(&desk.app)
            .preview(&who.person, &d, desk.clock.now())
            .await
            .map_err(|e| said(&e, &media, who.lang)),
    };
    match result {
        Ok(p) => Page::render(
            &desk,
            who.lang,
            "preview.html",
            context! { preview => preview_value(&desk, who.lang, &p) },
        )
        .into_response(),
        Err((text, StatusCode::FORBIDDEN)) => {
            Page::message(&desk, who.lang, "desk-forbidden", Some(text))
                .status(StatusCode::FORBIDDEN)
                .into_response()
        }
        Err((text, _)) => Page::render(&desk, who.lang, "preview.html", context! { error => text })
            .into_response(),
    }
}
