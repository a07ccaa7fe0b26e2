//! petrel-actors (to be written).
