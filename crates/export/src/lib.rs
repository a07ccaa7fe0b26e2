//! petrel-export (to be written).
