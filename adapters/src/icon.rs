//! prakat's icon (a megaphone), named by every page it writes or serves — the website's, the
//! digest's and the web desk's — as a `data:` address in the page itself: no file to copy next
//! to a page, no extra request, and allowed by the pages' `img-src 'self' data:` policy.

use std::sync::LazyLock;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

const SVG: &str = include_str!("../../config/templates/icon.svg");

/// Everything but letters, digits and a few marks that need no escaping in a URL nor in HTML.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'/')
    .remove(b':')
    .remove(b'=')
    .remove(b',');

/// The icon as a `data:image/svg+xml,…` address, for `<link rel="icon" href="…">`.
pub fn data_uri() -> &'static str {
    static URI: LazyLock<String> = LazyLock::new(|| {
        format!(
            "data:image/svg+xml,{}",
            utf8_percent_encode(SVG.trim(), ESCAPED)
        )
    });
    &URI
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_is_an_svg_address_that_needs_no_escaping_in_html() {
        let uri = super::data_uri();
        assert!(
            uri.starts_with("data:image/svg+xml,%3Csvg%20xmlns"),
            "{uri}"
        );
        assert!(!uri.contains(['<', '>', '"', '\'', '&', ' ', '#']), "{uri}");
        let decoded = percent_encoding::percent_decode_str(&uri["data:image/svg+xml,".len()..])
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, super::SVG.trim());
    }
}
