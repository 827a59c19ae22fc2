//! The facebook channel against a fake Graph API (tests/facebook/fake.rs) that answers as the
//! Facebook documentation says: publishing, error classification, resumable uploads,
//! reconcile, reach, the health check, and corrections (edit and retract).

#[path = "facebook/fake.rs"]
mod fake;
#[path = "facebook/graph.rs"]
mod graph;
// Its log capture is used by tests/facebook_logs.rs only.
#[allow(dead_code)]
#[path = "facebook/support.rs"]
mod support;

#[path = "facebook/amend.rs"]
mod amend;
#[path = "facebook/checks.rs"]
mod checks;
#[path = "facebook/failures.rs"]
mod failures;
#[path = "facebook/publishing.rs"]
mod publishing;
