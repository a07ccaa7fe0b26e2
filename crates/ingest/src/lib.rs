//! petrel-ingest (to be written).
