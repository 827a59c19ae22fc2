//! The TikTok channel against a local fake of the Content Posting API, the Display API video
//! query and the OAuth token endpoint (tests/tiktok/fake.rs, fake_posting.rs), written from
//! TikTok's documentation and recording every request it receives.

#[path = "tiktok/account.rs"]
mod account;
#[path = "tiktok/fake.rs"]
mod fake;
#[path = "tiktok/fake_posting.rs"]
mod fake_posting;
#[path = "tiktok/media.rs"]
mod media;
#[path = "tiktok/video.rs"]
mod video;
#[path = "tiktok/world.rs"]
mod world;
