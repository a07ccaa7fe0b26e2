//! petrel-time (being written).
