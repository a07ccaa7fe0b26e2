//! petrel-coder (to be written).
