//! The tiktok channel against a local fake server (being written).
