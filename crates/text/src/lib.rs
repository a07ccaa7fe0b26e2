//! Text layer of Petrel: tokenisation, sentence splitting (rules plus a
//! small averaged-perceptron boundary model, [`boundary`]), lemmatisation and
//! news dateline detection for English.
//!
//! Tokens follow the UD English EWT conventions (clitics and possessives
//! split, punctuation separated, hyphenated words split at the hyphen, ...)
//! because the statistical tagger and parser downstream are trained on EWT.
//! Every token and sentence is a byte span into the original text.
//!
//! What this crate is not: it does no POS tagging or parsing (see
//! `petrel-nlp`), and does no I/O beyond data files compiled into the binary
//! with `include_str!` (the boundary model is one of them).

mod abbrev;
pub mod boundary;
mod dateline;
pub mod eval;
pub mod lemma;
mod sentence;
mod tokenize;

pub use dateline::dateline;
pub use lemma::lemmatize;
pub use tokenize::{segment, segment_rules, segment_with, tokenize, tokens};
