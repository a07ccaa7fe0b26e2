//! Petrel's dictionaries: the in-memory model shared by every dictionary
//! format, the parsers and validators for Petrel's own formats, and loaders
//! for PETRARCH2/TABARI/Phoenix dictionaries as they are.
//!
//! This crate knows file formats; it knows nothing about documents or parses,
//! and it does no matching (that is the coder's job).
//! Every loaded entry keeps an `id` of the form `file:line` so coded output
//! can point back to the exact line that produced it.
//!
//! * [`model`]: the types every format loads into ([`Dictionaries`]).
//! * [`petrel`]: Petrel's own formats (`dictionaries/petrel/`, see
//!   `docs/dictionary-format.md`): [`petrel::load_dir`], [`petrel::embedded`],
//!   [`petrel::validate_dir`].
//! * [`petrarch`]: PETRARCH2/TABARI/Phoenix files as they are:
//!   [`petrarch::load_verbs`], [`petrarch::load_actors`],
//!   [`petrarch::load_agents`], [`petrarch::load_discards`],
//!   [`petrarch::load_set`].

mod lines;
pub mod model;
pub mod petrarch;
pub mod petrel;

pub use model::*;
