//! prakat's icon (a megaphone), an SVG. The daemon serves it at `/favicon.ico`, where a
//! browser looks for a page's icon when the page names none (the website's pages, the digest's
//! HTML), and the web desk names it there too.

/// The icon, `image/svg+xml`.
pub const SVG: &str = include_str!("../../config/templates/icon.svg");

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_is_an_svg_image() {
        assert!(
            super::SVG
                .trim_start()
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(super::SVG.trim_end().ends_with("</svg>"));
        assert!(!super::SVG.contains("<script"));
    }
}
