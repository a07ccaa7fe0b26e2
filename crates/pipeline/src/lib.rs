//! petrel-pipeline (to be written).
