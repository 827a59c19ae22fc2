//! The youtube channel against a local fake YouTube (tests/youtube/fake.rs), one file per
//! subject: the resumable upload with its checkpoint and resume (`upload`), prepare's limits
//! (`content`), error classes and quota (`failures`), OAuth refresh and rotation, reach, the
//! health line and settings (`account`), corrections: edit and retract (`amend`).

#[path = "youtube/account.rs"]
mod account;
#[path = "youtube/amend.rs"]
mod amend;
#[path = "youtube/content.rs"]
mod content;
#[path = "youtube/failures.rs"]
mod failures;
#[path = "youtube/fake.rs"]
mod fake;
#[path = "youtube/harness.rs"]
mod harness;
#[path = "youtube/upload.rs"]
mod upload;
