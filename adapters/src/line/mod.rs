//! The line channel (being written).
