//! Treebank formats: CoNLL-U (read/write) and Penn Treebank bracketed trees
//! (read, and convert to dependencies), so analyses from outside Petrel can
//! be fed to the coder and Petrel's own can be scored.
//!
//! Knows text formats, not files.

pub mod conllu;
pub mod entities;
pub mod ptb;
