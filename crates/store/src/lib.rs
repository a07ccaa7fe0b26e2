//! petrel-store (to be written).
