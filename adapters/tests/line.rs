//! The line channel against a local fake server (being written).
