//! The tiktok channel (being written).
