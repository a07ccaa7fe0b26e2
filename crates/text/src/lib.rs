//! petrel-text (to be written).
