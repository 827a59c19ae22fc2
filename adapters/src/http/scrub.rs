//! Secrets out of anything that is logged or kept in an error message: query parameters that
//! are credentials (`access_token=`, `refresh_token=`, `client_secret=`, `input_token=`,
//! YouTube's resumable `upload_id=`, TikTok's `upload_token=`), the same names as JSON string
//! fields (`"access_token":"…"`), TikTok's whole `upload_url` (its query is the credential), and
//! any `Authorization` value (`Bearer …`, `Basic …`, `authorization: …`); and every secret value
//! the settings hold, wherever it appears ([`crate::secret::mask_known`]).

use crate::PublishError;

const MASK: &str = "[redacted]";

/// Query parameters whose value is a credential.
const QUERY_KEYS: &[&str] = &[
    "access_token=",
    "client_secret=",
    "refresh_token=",
    "input_token=",
    "upload_id=",
    "upload_token=",
];

/// JSON string fields whose value is a credential (or a URL carrying one).
const JSON_KEYS: &[&str] = &[
    "\"access_token\"",
    "\"refresh_token\"",
    "\"client_secret\"",
    "\"upload_url\"",
    "\"id_token\"",
];

/// Words after which the next word is a credential (case-insensitive).
const AUTH_WORDS: &[&str] = &["bearer ", "basic "];

/// Header dumps after which the rest of the line is a credential (case-insensitive).
const AUTH_HEADERS: &[&str] = &["authorization: ", "authorization="];

/// `s` with every secret this module knows masked as `[redacted]`.
pub fn scrub(s: &str) -> String {
    let mut out = crate::secret::mask_known(s);
    // Most texts hold none of the names below (every audit line goes through here): one
    // lower-cased copy and a look for each name, instead of sixteen passes that each copy.
    let lower = out.to_ascii_lowercase();
    let named = [JSON_KEYS, QUERY_KEYS, AUTH_WORDS, AUTH_HEADERS]
        .iter()
        .flat_map(|keys| keys.iter())
        .any(|key| lower.contains(key));
    if !named {
        return out;
    }
    // JSON first: a masked value may hold a URL whose query the next pass would cut.
    for key in JSON_KEYS {
        out = mask_json_string(&out, key);
    }
    for key in QUERY_KEYS {
        out = mask_after(&out, key, |c| {
            matches!(c, '&' | ' ' | '"' | ')' | '\'' | '#')
        });
    }
    for word in AUTH_WORDS {
        out = mask_after(&out, word, |c| {
            c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')')
        });
    }
    for word in AUTH_HEADERS {
        out = mask_after(&out, word, |c| matches!(c, '\n' | '\r' | '"' | ',' | '&'));
    }
    out
}

/// The error with its message scrubbed (the variant is kept).
pub fn scrub_error(e: PublishError) -> PublishError {
    match e {
        PublishError::RetryAfter(d, m) => PublishError::RetryAfter(d, scrub(&m)),
        PublishError::Transient(m) => PublishError::Transient(scrub(&m)),
        PublishError::QuotaExhausted { until, message } => PublishError::QuotaExhausted {
            until,
            message: scrub(&message),
        },
        PublishError::Auth(m) => PublishError::Auth(scrub(&m)),
        PublishError::Rejected(m) => PublishError::Rejected(scrub(&m)),
        PublishError::Ambiguous(m) => PublishError::Ambiguous(scrub(&m)),
    }
}

/// A URL without its query string: for upload URLs whose whole query is a capability.
pub fn without_query(url: &str) -> &str {
    url.split_once('?').map(|(u, _)| u).unwrap_or(url)
}

/// Replace what follows each (ASCII, case-insensitive) `key` up to a character `end` accepts.
fn mask_after(s: &str, key: &str, end: impl Fn(char) -> bool) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    while let Some(pos) = lower[from..].find(key) {
        let start = from + pos + key.len();
        let stop = s[start..].find(&end).map(|e| start + e).unwrap_or(s.len());
        out.push_str(&s[from..start]);
        if stop > start && &s[start..stop] != MASK {
            out.push_str(MASK);
        } else {
            out.push_str(&s[start..stop]);
        }
        from = stop;
    }
    out.push_str(&s[from..]);
    out
}

/// Replace the string value of a JSON field `"name"` (spaces allowed around the colon).
fn mask_json_string(s: &str, key: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    while let Some(pos) = s[from..].find(key) {
        let after = from + pos + key.len();
        let rest = &s[after..];
        let trimmed = rest.trim_start();
        let Some(value) = trimmed.strip_prefix(':') else {
            out.push_str(&s[from..after]);
            from = after;
            continue;
        };
        let open = s.len() - value.trim_start().len();
        out.push_str(&s[from..open]);
        if !s[open..].starts_with('"') {
            from = open;
            continue;
        }
        // Find the closing quote, skipping escaped characters.
        let mut end = None;
        let mut escaped = false;
        for (i, c) in s[open + 1..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = Some(open + 1 + i);
                    break;
                }
                _ => {}
            }
        }
        let close = end.unwrap_or(s.len());
        out.push('"');
        out.push_str(MASK);
        out.push('"');
        from = (close + 1).min(s.len());
    }
    out.push_str(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_urls_are_masked() {
        assert_eq!(
            scrub("GET https://graph.example/v21.0/me?fields=id&access_token=EAAB123&x=1 failed"),
            "GET https://graph.example/v21.0/me?fields=id&access_token=[redacted]&x=1 failed"
        );
        assert_eq!(scrub("a?refresh_token=abc"), "a?refresh_token=[redacted]");
        assert_eq!(
            scrub(
                "error sending request for url (https://up.example/upload/youtube/v3/videos?uploadType=resumable&upload_id=AEnB2Uo)"
            ),
            "error sending request for url (https://up.example/upload/youtube/v3/videos?uploadType=resumable&upload_id=[redacted])"
        );
    }

    #[test]
    fn json_secrets_and_upload_urls_are_masked() {
        let s = scrub(
            r#"{"data":{"publish_id":"p1","upload_url":"https://open-upload.example/video/?upload_id=1&upload_token=T\"x"},"access_token" : "act.1"}"#,
        );
        assert_eq!(
            s,
            r#"{"data":{"publish_id":"p1","upload_url":"[redacted]"},"access_token" : "[redacted]"}"#
        );
    }

    #[test]
    fn authorization_values_are_masked() {
        assert_eq!(
            scrub("Authorization: Bearer abc.def sent"),
            "Authorization: [redacted]"
        );
        assert_eq!(scrub("got Bearer abc.def"), "got Bearer [redacted]");
        assert_eq!(scrub("Basic dXNlcjpwYXNz"), "Basic [redacted]");
        // Facebook's words are left alone.
        assert_eq!(
            scrub("Invalid OAuth access token (OAuthException)"),
            "Invalid OAuth access token (OAuthException)"
        );
        // Scrubbing twice changes nothing.
        let once = scrub("x?access_token=1&upload_id=2");
        assert_eq!(scrub(&once), once);
    }

    #[test]
    fn names_are_found_in_any_case_and_texts_without_them_come_back_whole() {
        assert_eq!(
            scrub("x?ACCESS_TOKEN=abc&y=1"),
            "x?ACCESS_TOKEN=[redacted]&y=1"
        );
        assert_eq!(scrub("BEARER abc"), "BEARER [redacted]");
        let plain = r#"{"remote_id":"123_456","url":"https://www.facebook.com/123/posts/456","request_id":null}"#;
        assert_eq!(scrub(plain), plain);
        assert_eq!(scrub("ตั้งจุดตรวจ token ไม่ถูกต้อง"), "ตั้งจุดตรวจ token ไม่ถูกต้อง");
    }
}
