//! The adapter conformance suite: every platform channel, against its own fake behind a
//! bad-day proxy (tests/conformance/bad_day.rs), driven as the dispatcher drives it
//! (tests/conformance/drive.rs), must end every create with exactly one post — whether the
//! connection closes after the platform acted, the platform answers 5xx after acting, 429 with
//! or without `Retry-After`, or answers later than the client waits — and with none after 401.

#[path = "conformance/bad_day.rs"]
mod bad_day;
#[path = "conformance/cases.rs"]
mod cases;
#[path = "conformance/drive.rs"]
mod drive;
#[path = "conformance/platforms.rs"]
mod platforms;

// The platforms' own fakes, shared with their test targets (only part of each is used here).
#[allow(dead_code)]
#[path = "facebook"]
mod facebook {
    pub mod fake;
    pub mod graph;
}
#[allow(dead_code)]
#[path = "line"]
mod line {
    pub mod fake;
    pub mod schema;
}
#[allow(dead_code)]
#[path = "youtube"]
mod youtube {
    pub mod fake;
}
#[allow(dead_code)]
#[path = "tiktok"]
mod tiktok {
    pub mod fake;
    pub mod fake_posting;
}
#[allow(dead_code)]
#[path = "wordpress"]
mod wordpress {
    pub mod fake;
    pub mod fake_posts;
}
