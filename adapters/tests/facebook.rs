//! The facebook channel against a local fake server (being written).
