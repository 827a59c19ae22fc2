//! The desk's pages: minijinja templates from `config/templates/desk/`, embedded in the binary
//! and auto-escaped (every name ends in `.html`), with the sentences from
//! `locales/<lang>/desk.ftl` through `t("id", name=value)` and times in the Buddhist Era.

use axum::http::{HeaderName, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Datelike, Timelike, Utc};
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, State, Value, context};
use prakat_adapters::thai::{Digits, dates};

use super::Desk;
use crate::i18n::{Arg, Lang, tr};
use crate::newsroom::NewsroomError;
use crate::store::{DeliveryState, StoreError};

/// The templates, by name: one copy of each, the files in `config/`.
pub(super) const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../config/templates/desk/base.html"),
    ),
    (
        "sign_in.html",
        include_str!("../../config/templates/desk/sign_in.html"),
    ),
    (
        "inbox.html",
        include_str!("../../config/templates/desk/inbox.html"),
    ),
    (
        "compose.html",
        include_str!("../../config/templates/desk/compose.html"),
    ),
    (
        "preview.html",
        include_str!("../../config/templates/desk/preview.html"),
    ),
    (
        "announcement.html",
        include_str!("../../config/templates/desk/announcement.html"),
    ),
    (
        "announcements.html",
        include_str!("../../config/templates/desk/announcements.html"),
    ),
    (
        "calendar.html",
        include_str!("../../config/templates/desk/calendar.html"),
    ),
    (
        "people.html",
        include_str!("../../config/templates/desk/people.html"),
    ),
    (
        "channels.html",
        include_str!("../../config/templates/desk/channels.html"),
    ),
    (
        "message.html",
        include_str!("../../config/templates/desk/message.html"),
    ),
];

/// The style sheet and the script, served under `/desk/static/`.
pub(super) const STYLE: &str = include_str!("../../config/templates/desk/desk.css");
pub(super) const SCRIPT: &str = include_str!("../../config/templates/desk/desk.js");

pub(super) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("config/templates/desk/{name}: {e}"));
    }
    env.add_function("t", translate);
    env
}

fn lang_in(state: &State) -> Lang {
    match state.lookup("lang").as_ref().and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Th,
    }
}

/// `t("desk-id", name=value, …)`: a sentence of `locales/<lang>/desk.ftl`.
fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let mut args: Vec<(String, Arg<'static>)> = Vec::new();
    for key in kwargs.args() {
        let v: Value = kwargs.get(key)?;
        let arg = match v.as_i64() {
            Some(n) => Arg::from(n),
            None => Arg::from(v.to_string()),
        };
        args.push((key.to_owned(), arg));
    }
    kwargs.assert_all_used()?;
    let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    Ok(tr(lang_in(state), id, &args))
}

/// A time as the desk shows it: Bangkok time, Buddhist Era year.
pub fn when(lang: Lang, at: DateTime<Utc>) -> String {
    match lang {
        Lang::Th => dates::gov_datetime(at, Digits::Arabic),
        Lang::En => {
            let l = dates::bangkok(at);
            format!(
                "{} {} BE {} {:02}:{:02}",
                l.day(),
                l.format("%B"),
                l.year() + 543,
                l.hour(),
                l.minute()
            )
        }
    }
}

/// Each delivery state's name in `lang`, by state, for a template's `labels[c.state]`: put
/// into words once a page rather than once for each delivery shown.
pub fn state_labels(lang: Lang) -> Value {
    Value::from_iter(DeliveryState::ALL.iter().map(|s| {
        (
            s.as_str(),
            tr(lang, &format!("desk-delivery-state-{}", s.as_str()), &[]),
        )
    }))
}

/// A rendered page, with its status and any headers to set.
pub struct Page {
    status: StatusCode,
    html: String,
    headers: Vec<(HeaderName, String)>,
}

impl Page {
    /// Render `template` with `ctx` and what every page has: the language, the station.
    pub fn render(desk: &Desk, lang: Lang, template: &str, ctx: Value) -> Page {
        let lang_code = match lang {
            Lang::Th => "th",
            Lang::En => "en",
        };
        let station = match lang {
            Lang::Th => &desk.app.settings.station.name_th,
            Lang::En => &desk.app.settings.station.name_en,
        };
        let full = context! { lang => lang_code, station => station, ..ctx };
        let html = desk
            .templates
            .get_template(template)
            .and_then(|t| t.render(full))
            .unwrap_or_else(|e| {
                tracing::error!(template, error = %e, "a desk page could not be rendered");
                tr(lang, "desk-page-failed", &[])
            });
        Page {
            status: StatusCode::OK,
            html,
            headers: Vec::new(),
        }
    }

    /// A page that says one thing (`id` of `desk.ftl`), with a detail under it.
    pub fn message(desk: &Desk, lang: Lang, id: &str, detail: Option<String>) -> Page {
        Page::render(
            desk,
            lang,
            "message.html",
            context! { message => tr(lang, id, &[]), detail => detail },
        )
    }

    pub fn status(mut self, status: StatusCode) -> Page {
        self.status = status;
        self
    }

    pub fn header(mut self, (name, value): (HeaderName, String)) -> Page {
        self.headers.push((name, value));
        self
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut r = (self.status, Html(self.html)).into_response();
        for (name, value) in self.headers {
            if let Ok(v) = value.parse() {
                r.headers_mut().append(name, v);
            }
        }
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        r
    }
}

/// The database failed: 500, said in the reader's language, logged.
pub fn store_failure(desk: &Desk, lang: Lang, e: &StoreError) -> Response {
    match e {
        StoreError::NotFound(_) => Page::message(desk, lang, "desk-not-found", None)
            .status(StatusCode::NOT_FOUND)
            .into_response(),
        StoreError::Conflict(_) | StoreError::Decided { .. } => {
            Page::message(desk, lang, "desk-conflict", Some(e.msg().render(lang)))
                .status(StatusCode::CONFLICT)
                .into_response()
        }
        _ => {
            tracing::error!(error = %e, "the web desk could not use the database");
            Page::message(desk, lang, "desk-store-failed", Some(e.msg().render(lang)))
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response()
        }
    }
}

/// What the newsroom refused, with the status that says why: 400 bad input, 403 not allowed,
/// 404 not there, 409 decided already or changed meanwhile.
pub fn status_of(e: &NewsroomError) -> StatusCode {
    match e {
        NewsroomError::Forbidden(_) => StatusCode::FORBIDDEN,
        NewsroomError::Conflict(_) => StatusCode::CONFLICT,
        NewsroomError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
        NewsroomError::Store(StoreError::Decided { .. } | StoreError::Conflict(_)) => {
            StatusCode::CONFLICT
        }
        NewsroomError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

pub fn newsroom_failure(desk: &Desk, lang: Lang, e: &NewsroomError) -> Response {
    let status = status_of(e);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "the web desk could not use the database");
    }
    let id = match status {
        StatusCode::FORBIDDEN => "desk-forbidden",
        StatusCode::NOT_FOUND => "desk-not-found",
        StatusCode::CONFLICT => "desk-conflict",
        StatusCode::INTERNAL_SERVER_ERROR => "desk-store-failed",
        _ => "desk-refused",
    };
    Page::message(desk, lang, id, Some(e.message(lang)))
        .status(status)
        .into_response()
}
