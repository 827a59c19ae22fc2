//! The youtube channel against a local fake server (being written).
