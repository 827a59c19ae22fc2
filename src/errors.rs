//! What the errors of the lower layers say at the command line, and with which exit code. Each
//! error type words itself (its `msg()`, from the translation files); this module finds it
//! behind an `anyhow::Error` and picks the code: 2 bad input, 3 bad settings, 4 not found,
//! 5 conflict, 1 anything else.

use chrono::{DateTime, Utc};
use prakat_adapters::thai::{Digits, dates::gov_datetime};
use prakat_adapters::{Health, PublishError};

use crate::cli::CliError;
use crate::i18n::{Lang, Msg};
use crate::store::StoreError;

/// The failure a person sees for an error from below.
pub fn cli_error(e: &anyhow::Error) -> CliError {
    if let Some(s) = e.downcast_ref::<StoreError>() {
        return store_error(s);
    }
    if let Some(s) = e.downcast_ref::<crate::settings::SettingsError>() {
        return CliError::of(3, s.msg());
    }
    if let Some(s) = e.downcast_ref::<crate::compose::ComposeError>() {
        return CliError::bad_input(s.msg());
    }
    let msg = if let Some(s) = e.downcast_ref::<crate::lock::LockError>() {
        s.msg()
    } else if let Some(s) = e.downcast_ref::<crate::binding::BindingError>() {
        s.msg()
    } else if let Some(s) = e.downcast_ref::<crate::app::OpenError>() {
        s.msg()
    } else if let Some(s) = e.downcast_ref::<crate::channels::ChannelsError>() {
        s.msg()
    } else if let Some(s) = e.downcast_ref::<crate::media::MediaError>() {
        s.msg()
    } else if let Some(s) = e.downcast_ref::<crate::server::BindError>() {
        bind_error_msg(s)
    } else {
        Msg::new("error-other").with("detail", format!("{e:#}"))
    };
    CliError::of(1, msg)
}

/// A store error with its exit code.
pub fn store_error(e: &StoreError) -> CliError {
    let code = match e {
        StoreError::NotFound(_) => 4,
        StoreError::Conflict(_) | StoreError::Decided { .. } => 5,
        StoreError::Invalid(_) | StoreError::Compose(_) => 2,
        _ => 1,
    };
    CliError::of(code, e.msg())
}

/// A listener that could not be bound.
pub fn bind_error_msg(e: &crate::server::BindError) -> Msg {
    Msg::new("error-listen")
        .with("addr", e.addr)
        .with("key", e.key)
        .with("env", e.env)
        .with_msg("reason", crate::i18n::io_reason(&e.source))
}

/// A time as each language reads it: UTC in English, Thai government style (Bangkok) in Thai.
fn when(at: DateTime<Utc>) -> (String, String) {
    (
        at.format("%Y-%m-%d %H:%M UTC").to_string(),
        gov_datetime(at, Digits::Arabic),
    )
}

/// A channel's health line: the channel's own summary, then what a person must renew or grant.
pub fn health_line(h: &Health, lang: Lang) -> String {
    let mut line = h.summary.clone();
    if let Some(at) = h.token_expires_at {
        let (en, th) = when(at);
        let m = Msg::new("health-token-expires").with_both("at", en, th);
        line.push_str("; ");
        line.push_str(&m.render(lang));
    }
    if !h.missing_permissions.is_empty() {
        let m = Msg::new("health-missing-permissions")
            .with("permissions", h.missing_permissions.join(", "));
        line.push_str("; ");
        line.push_str(&m.render(lang));
    }
    if let Some(q) = &h.quota {
        line.push_str("; ");
        line.push_str(&Msg::new("health-quota").with("quota", q).render(lang));
    }
    line
}

/// What a failed publish or health check means, the platform's own words kept whole.
pub fn publish_error_msg(e: &PublishError) -> Msg {
    match e {
        PublishError::RetryAfter(wait, detail) => Msg::new("publish-retry-after")
            .with("wait", humantime::format_duration(*wait))
            .with("detail", detail),
        PublishError::Transient(detail) => Msg::new("publish-transient").with("detail", detail),
        PublishError::QuotaExhausted { until, message } => {
            let (en, th) = when(*until);
            Msg::new("publish-quota")
                .with_both("until", en, th)
                .with("detail", message)
        }
        PublishError::Auth(detail) => Msg::new("publish-auth").with("detail", detail),
        PublishError::Rejected(detail) => Msg::new("publish-rejected").with("detail", detail),
        PublishError::Ambiguous(detail) => Msg::new("publish-ambiguous").with("detail", detail),
    }
}
