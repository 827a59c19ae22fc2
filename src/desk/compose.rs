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
//! Photos and videos come with the form ([`super::uploads`]); after a preview without script
//! they are chosen again (a browser does not refill a file field).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::value::merge_maps;
use minijinja::{Value, context};
use prakat_adapters::LengthUnit;

use super::Desk;
use super::auth::{AnyRole, Fields, Signed, SignedForm};
use super::inbox::see_other;
use super::pages::{Page, newsroom_failure, status_of, when};
use crate::i18n::{Lang, Msg, tr};
use crate::newsroom::schedule::{Repeat, time_of_day, weekday};
use crate::newsroom::time::parse_bangkok;
use crate::newsroom::{Draft, Newsroom, NewsroomError, Preview, Submitted, When};

/// What the form shows: the departments and channels to choose from, and what was typed.
async fn form_context<N>(desk: &Desk, who: &Signed<N>, fields: &Fields) -> Result<Value, Response> {
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
    })
}

/// The draft a filled form is (with the files sent with it), or why not.
fn draft(fields: &Fields, media: &[std::path::PathBuf]) -> Result<Draft, NewsroomError> {
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
        media: media.to_vec(),
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
    match form_context(&desk, &who, &Fields::default()).await {
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

/// What is wrong, with an uploaded file named as it was sent, not by where the server keeps it
/// for the moment.
fn said(e: &NewsroomError, files: &[std::path::PathBuf], lang: Lang) -> String {
    let mut text = e.message(lang);
    for f in files {
        if let Some(name) = f.file_name() {
            text = text.replace(&f.display().to_string(), &name.to_string_lossy());
        }
    }
    text
}

/// The compose page again, with what was typed and a preview or what is wrong.
async fn again<N>(
    desk: &Desk,
    who: &Signed<N>,
    fields: &Fields,
    files: &[std::path::PathBuf],
    preview: Option<Value>,
    error: Option<&NewsroomError>,
) -> Response {
    let ctx = match form_context(desk, who, fields).await {
        Ok(ctx) => ctx,
        Err(r) => return r,
    };
    Page::render(
        desk,
        who.lang,
        "compose.html",
        merge_maps([
            context! {
                preview => preview,
                error => error.map(|e| said(e, files, who.lang)),
            },
            ctx,
            who.frame(),
        ]),
    )
    .status(error.map_or(StatusCode::OK, status_of))
    .into_response()
}

/// `POST /desk/compose`: `intent=preview` shows the preview, anything else submits: queued
/// at once from whoever approves, waiting in the inbox from department staff.
pub async fn submit(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let (who, fields) = (&form.who, &form.fields);
    let now = desk.clock.now();
    let room = Newsroom::new(&desk.app);
    let draft = match draft(fields, &form.files) {
        Ok(d) => d,
        Err(e) => return again(&desk, who, fields, &form.files, None, Some(&e)).await,
    };
    if fields.get("intent") == Some("preview") {
        return match room.preview(&who.person, &draft, now).await {
            Ok(p) => {
                let v = preview_value(&desk, who.lang, &p);
                again(&desk, who, fields, &form.files, Some(v), None).await
            }
            Err(e) => again(&desk, who, fields, &form.files, None, Some(&e)).await,
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
        Err(e) => again(&desk, who, fields, &form.files, None, Some(&e)).await,
    }
}

/// `POST /desk/compose/preview`: the preview alone, for the page's script to show in place.
pub async fn preview(State(desk): State<Arc<Desk>>, form: SignedForm<AnyRole>) -> Response {
    let (who, fields) = (&form.who, &form.fields);
    let result = match draft(fields, &form.files) {
        Ok(d) => {
            Newsroom::new(&desk.app)
                .preview(&who.person, &d, desk.clock.now())
                .await
        }
        Err(e) => Err(e),
    };
    let ctx = match &result {
        Ok(p) => context! { preview => preview_value(&desk, who.lang, p) },
        Err(e) => context! { error => said(e, &form.files, who.lang) },
    };
    let page = Page::render(&desk, who.lang, "preview.html", ctx);
    match &result {
        Err(e) if status_of(e) == StatusCode::FORBIDDEN => newsroom_failure(&desk, who.lang, e),
        _ => page.into_response(),
    }
}
