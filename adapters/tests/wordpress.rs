//! The wordpress channel against a local fake server (being written).
