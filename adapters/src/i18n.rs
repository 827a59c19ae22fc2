//! The adapters' own translation files, `adapters/locales/<lang>/*.ftl` (Project Fluent): the
//! words of a channel's refusal ([`Rejection`]) — a text too long, a file too large, a format
//! the platform does not take — in English and Thai.
//!
//! Why a loader of its own, rather than ids the application renders: a [`Rejection`] is data.
//! It crosses into the application, is kept in the audit trail in both languages, and is read
//! later by whoever looks, in their language; the adapter that knows a limit is the one place
//! that says it; and this crate is used without the application (its own tests, other front
//! ends). So a refusal is put into words here, once per language, from an id and its
//! variables: [`refusal!`](crate::i18n::refusal) and [`skip_reason!`](crate::i18n::skip_reason).
//! The application's tests check these files as they check its own: both languages have the
//! same ids with the same variables, and every id the code names exists.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::Rejection;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No bidi isolation marks around variables: the text goes to terminals, chat and pages.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static TH: LanguageIdentifier = langid!("th");

/// A value for a message's variable: text or a number.
pub type Arg<'a> = FluentValue<'a>;

fn render(lang: &LanguageIdentifier, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), v.clone()))
        .collect();
    LOCALES
        .try_lookup_complete(lang, id, Some(&args))
        .unwrap_or_else(|| id.to_owned())
}

/// The message `id` in English and in Thai.
pub fn both(id: &str, args: &[(&str, Arg<'_>)]) -> (String, String) {
    (render(&EN, id, args), render(&TH, id, args))
}

impl Rejection {
    /// A refusal worded by the message `id` of the translation files.
    pub fn from_message(id: &str, args: &[(&str, Arg<'_>)]) -> Self {
        let (en, th) = both(id, args);
        Rejection::new(en, th)
    }

    /// A skip worded by the message `id` of the translation files.
    pub fn skip_from_message(id: &str, args: &[(&str, Arg<'_>)]) -> Self {
        let (en, th) = both(id, args);
        Rejection::skip(en, th)
    }
}

/// `refusal!("id", name = value, …)`: a [`Rejection`] (the announcement must change) worded by
/// the translation files.
macro_rules! refusal {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Rejection::from_message(
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// `skip_reason!("id", name = value, …)`: a [`Rejection`] that leaves the channel out (it does
/// not carry this kind of announcement), worded by the translation files. Only the video
/// channels use it: a build without them (`--no-default-features --features wordpress`) leaves
/// it unused.
#[allow(unused_macros)]
macro_rules! skip_reason {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Rejection::skip_from_message(
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

#[allow(unused_imports)]
pub(crate) use {refusal, skip_reason};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_worded_in_both_languages_without_isolation_marks() {
        let r = refusal!("outbox-text-too-long", count = 12, max = 10);
        assert_eq!(r.en, "text is 12 characters; the outbox takes at most 10");
        assert_eq!(r.th, "ข้อความยาวเกินสำหรับ outbox (12/10 ตัวอักษร)");
        assert!(!r.skip);
        assert!(skip_reason!("youtube-video-only").skip);
    }

    #[test]
    fn an_unknown_id_shows_itself() {
        assert_eq!(both("no-such-message", &[]).1, "no-such-message");
    }
}
