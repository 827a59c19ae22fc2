//! Thai text and dates, done the way Thai readers expect.
//!
//! - [`dates`]: Buddhist Era dates in Asia/Bangkok time, government style
//!   (`วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น.`) and short style (`๔ ก.พ. ๖๘`), Thai or Arabic digits,
//!   fiscal years (October to September).
//! - [`fit`]: shortening text to a platform's limit at a natural place (space or punctuation,
//!   else a Thai word boundary, else a grapheme boundary), never inside a link or a grapheme
//!   cluster, with a link to the full text.
//! - [`words`]: where Thai words end: newmm over PyThaiNLP's word list (compiled in), with
//!   ICU4X LSTM guesses as a fallback where the dictionary gives nothing near the cut.
//!
//! Everything here is pure: no I/O, no clock.

pub mod dates;
pub mod fit;
pub mod words;

pub use dates::{Digits, bangkok};
pub use fit::{FitOptions, Fitted, fit_text};

/// Register the Thai date filters on a template environment, so every template (compose and the
/// website's pages alike) formats dates the same way:
///
/// - `{{ at | thai_datetime }}` → `วันที่ ๑๗ มีนาคม ๒๕๖๘ เวลา ๐๙.๓๐ น.`
/// - `{{ at | thai_date }}` → `๑๗ มีนาคม ๒๕๖๘`
/// - `{{ at | thai_short_date }}` → `๑๗ มี.ค. ๖๘`
/// - `{{ at | thai_month_year }}` → `มีนาคม ๒๕๖๘`
/// - `{{ n | thai_digits }}` → Thai digits for any value
///
/// Each date filter takes an RFC 3339 string and an optional `digits` argument, `"thai"`
/// (default) or `"arabic"`: `{{ at | thai_short_date("arabic") }}` → `17 มี.ค. 68`.
pub fn register_filters(env: &mut minijinja::Environment<'_>) {
    use minijinja::{Error, ErrorKind};

    fn parse(
        at: &str,
        digits: Option<&str>,
    ) -> Result<(chrono::DateTime<chrono::Utc>, Digits), Error> {
        let dt = chrono::DateTime::parse_from_rfc3339(at)
            .map_err(|e| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("not an RFC 3339 time {at:?}: {e}"),
                )
            })?
            .with_timezone(&chrono::Utc);
        let digits = match digits.unwrap_or("thai") {
            "thai" => Digits::Thai,
            "arabic" => Digits::Arabic,
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("digits must be \"thai\" or \"arabic\", not {other:?}"),
                ));
            }
        };
        Ok((dt, digits))
    }
    env.add_filter("thai_datetime", |at: &str, d: Option<&str>| {
        parse(at, d).map(|(dt, d)| dates::gov_datetime(dt, d))
    });
    env.add_filter("thai_date", |at: &str, d: Option<&str>| {
        parse(at, d).map(|(dt, d)| dates::gov_date(dt, d))
    });
    env.add_filter("thai_short_date", |at: &str, d: Option<&str>| {
        parse(at, d).map(|(dt, d)| dates::short_date(dt, d))
    });
    env.add_filter("thai_month_year", |at: &str, d: Option<&str>| {
        parse(at, d).map(|(dt, d)| dates::month_year(dt, d))
    });
    env.add_filter("thai_digits", |v: minijinja::Value| {
        dates::thai_digits(&v.to_string())
    });
}
