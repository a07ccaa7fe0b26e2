//! The token layer, stored as a struct of arrays (one entry per token in
//! every vector, all of equal length once the analysis stages have run).

use crate::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Universal POS tags (UD v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    #[default]
    X,
}

impl Upos {
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Upos::Adj => "ADJ",
            Upos::Adp => "ADP",
            Upos::Adv => "ADV",
            Upos::Aux => "AUX",
            Upos::Cconj => "CCONJ",
            Upos::Det => "DET",
            Upos::Intj => "INTJ",
            Upos::Noun => "NOUN",
            Upos::Num => "NUM",
            Upos::Part => "PART",
            Upos::Pron => "PRON",
            Upos::Propn => "PROPN",
            Upos::Punct => "PUNCT",
            Upos::Sconj => "SCONJ",
            Upos::Sym => "SYM",
            Upos::Verb => "VERB",
            Upos::X => "X",
        }
    }

    pub fn is_nominal(&self) -> bool {
        matches!(self, Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num)
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Upos {
    type Err = String;
    fn from_str(s: &str) -> Result<Upos, String> {
        Upos::ALL
            .iter()
            .copied()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| format!("unknown UPOS tag {s:?}"))
    }
}

/// Token layer. `span` is filled by tokenisation; the other vectors by the
/// NLP stages (they are empty until then).
///
/// `head[i]` is the index (into this same layer, i.e. document-global) of
/// token `i`'s syntactic head, or `None` for a sentence root. Heads never
/// cross sentence boundaries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub span: Vec<Span>,
    pub lemma: Vec<String>,
    pub upos: Vec<Upos>,
    /// Penn Treebank tag.
    pub xpos: Vec<String>,
    pub head: Vec<Option<u32>>,
    /// Universal Dependencies relation, with subtype (`nmod:poss`).
    pub deprel: Vec<String>,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.span.len()
    }
    pub fn is_empty(&self) -> bool {
        self.span.is_empty()
    }
    /// Whether the lemma/POS/dependency layers are filled for every token.
    pub fn is_parsed(&self) -> bool {
        let n = self.span.len();
        self.lemma.len() == n
            && self.upos.len() == n
            && self.head.len() == n
            && self.deprel.len() == n
    }
    /// Dependents of token `i`, in surface order (linear scan of the sentence range given).
    pub fn children(&self, i: u32, within: std::ops::Range<u32>) -> impl Iterator<Item = u32> + '_ {
        within.filter(move |&j| self.head.get(j as usize).copied().flatten() == Some(i))
    }
}
