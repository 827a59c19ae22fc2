//! The wordpress channel (being written).
