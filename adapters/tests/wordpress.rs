//! The wordpress channel against a local fake WordPress REST API (wordpress/fake.rs), in both
//! URL styles, plus one ignored test against a real WordPress on loopback
//! (scripts/wordpress-e2e.sh sets it up and runs it).

#[path = "wordpress/amend.rs"]
mod amend;
#[path = "wordpress/copies.rs"]
mod copies;
#[path = "wordpress/failures.rs"]
mod failures;
#[path = "wordpress/fake.rs"]
mod fake;
#[path = "wordpress/fake_posts.rs"]
mod fake_posts;
#[path = "wordpress/publish.rs"]
mod publish;
#[path = "wordpress/real.rs"]
mod real;
#[path = "wordpress/support.rs"]
mod support;
