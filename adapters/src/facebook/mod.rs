//! The facebook channel (being written).
