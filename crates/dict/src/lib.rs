//! Petrel's dictionaries: the in-memory model shared by every dictionary
//! format, the parsers and validators for Petrel's own formats, and loaders
//! for PETRARCH2/TABARI/Phoenix dictionaries as they are.
//!
//! This crate knows file formats; it knows nothing about documents or parses.
//! Every loaded entry keeps an `id` of the form `file:line` so coded output
//! can point back to the exact line that produced it.

pub mod model;

pub use model::*;
