//! The youtube channel (being written).
