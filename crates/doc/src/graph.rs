//! Knowledge-graph layers: quotations, typed counts, document tone.

use crate::Span;
use serde::{Deserialize, Serialize};

/// One attribution: what was said, the cue, and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMention {
    pub content: Span,
    pub cue: Option<Span>,
    /// The speaker as written ("he", "Smith, the minister").
    pub speaker: Option<Span>,
    /// The speaker resolved to a named mention (a pronoun's antecedent).
    pub speaker_resolved: Option<Span>,
    /// Actor code of the resolved speaker, when an actor mention covers it.
    pub speaker_code: Option<String>,
    /// `direct`, `indirect` or `mixed`.
    pub kind: String,
    /// The cue lies inside another attribution's content: reported speech
    /// within reported speech ("X said that Y warned that Z": Y's attribution
    /// is nested in X's). Readers wanting one attribution per stretch of
    /// text keep only the top-level ones. Omitted from JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nested: bool,
}

/// A typed count of people ("at least 12 civilians were killed").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountMention {
    /// `KILL`, `WOUND`, `KIDNAP`, `ARREST`, `DISPLACED`, `MISSING`, `PROTEST`.
    pub kind: String,
    pub number: u64,
    /// "at least", "more than", "about", "approx" …
    pub qualifier: Option<String>,
    /// The number expression.
    pub span: Span,
    /// The counted noun phrase.
    pub object: Option<Span>,
    /// The trigger word ("killed", "refugees").
    pub trigger: Span,
    pub sentence: usize,
}

/// Document tone in the shape of GDELT's V2Tone (densities in percent of words).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ToneScores {
    pub tone: f64,
    pub positive: f64,
    pub negative: f64,
    pub polarity: f64,
    pub activity_density: f64,
    pub self_group_density: f64,
    pub word_count: u32,
}
