//! Petrel's knowledge-graph layer: who said what, how many were killed,
//! and how the article reads.
//!
//! Three read-only extractors over an analysed [`petrel_doc::Doc`] (tokens
//! and sentences from `petrel-text`; lemma, UPOS and UD dependencies from
//! `petrel-nlp`; entities when present):
//!
//! * [`quotes`]: direct quotations (every common newswire shape, partial
//!   quotes, quotes running over several paragraphs) and indirect speech
//!   (`X said (that) …`, `according to X, …`), each with its cue verb,
//!   speaker, and a pronoun speaker resolved to an earlier named mention by a
//!   simple salience rule (see [`quotes`] for the rule); content ends and
//!   cues outside the lexicon are decided by two small models learned from
//!   PolNeAR's train split ([`boundary`], [`open_cues`], [`learn`]).
//! * [`counts`]: typed counts of people killed, wounded, kidnapped or held
//!   hostage, arrested, displaced, missing, and protest crowd sizes, with the
//!   number normalised ("1,200", "dozens", "a dozen", "three") and its
//!   qualifier ("at least", "nearly" …).
//! * [`tone`]: document tone in the shape of GDELT's V2Tone, from the
//!   VADER-derived lexicon in `data/tone_lexicon.tsv`.
//!
//! [`eval`] scores the extractors on PolNeAR (attributions) and GVDB
//! (casualties).
//!
//! What this crate is not: it does no tokenisation, tagging or parsing (run
//! `petrel-text` and `petrel-nlp` first; without a parse the extractors fall
//! back to surface patterns and do less), no named-entity recognition, no
//! full coreference resolution, and it does not modify the `Doc`. Its
//! lexicons are compiled in with `include_str!`; nothing here does I/O except
//! the evaluation readers in [`eval`].

use petrel_doc::Span;
use serde::{Deserialize, Serialize};

pub mod boundary;
mod calendar;
mod counts;
pub mod eval;
pub mod learn;
mod lexicon;
pub mod open_cues;
mod quotes;
mod tone;
mod view;

pub use counts::{casualty_totals, casualty_totals_in, counts};
pub use quotes::{quotes, quotes_with, Models};
pub use tone::tone;

/// How a quotation reports its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuoteKind {
    /// The content is entirely inside quotation marks.
    Direct,
    /// Reported speech without quotation marks.
    Indirect,
    /// Reported speech that contains a quoted fragment (partial quote).
    Mixed,
}

/// One attribution: content, cue, speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// What was said (for direct quotes: inside the quotation marks; a quote
    /// running over paragraphs spans all of them).
    pub content: Span,
    /// The cue verb ("said", "warned"), or "according to".
    pub cue: Option<Span>,
    /// The speaker as written ("he", "Smith, the minister").
    pub speaker: Option<Span>,
    /// Token index of the speaker's head word.
    pub speaker_head: Option<u32>,
    pub kind: QuoteKind,
    /// The speaker resolved to a named mention: the speaker itself when it is
    /// a name; for a pronoun, the nearest compatible earlier mention; for a
    /// direct quote with no cue, the speaker of the quote just before it.
    pub speaker_resolved: Option<Span>,
    /// The cue lies inside another attribution's content: reported speech
    /// within reported speech ("X said that Y warned that Z": Y's quote is
    /// nested in X's). Direct quotes are never nested.
    #[serde(default)]
    pub nested: bool,
}

/// What a [`Count`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CountKind {
    Kill,
    Wound,
    /// Kidnapped, abducted, or held hostage.
    Kidnap,
    Arrest,
    /// Refugees, displaced, evacuated, fled.
    Displaced,
    Missing,
    /// Crowd size of a protest.
    Protest,
}

impl CountKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            CountKind::Kill => "KILL",
            CountKind::Wound => "WOUND",
            CountKind::Kidnap => "KIDNAP",
            CountKind::Arrest => "ARREST",
            CountKind::Displaced => "DISPLACED",
            CountKind::Missing => "MISSING",
            CountKind::Protest => "PROTEST",
        }
    }

    pub fn parse(s: &str) -> Option<CountKind> {
        Some(match s {
            "KILL" => CountKind::Kill,
            "WOUND" => CountKind::Wound,
            "KIDNAP" => CountKind::Kidnap,
            "ARREST" => CountKind::Arrest,
            "DISPLACED" => CountKind::Displaced,
            "MISSING" => CountKind::Missing,
            "PROTEST" => CountKind::Protest,
            _ => return None,
        })
    }
}

/// A typed count of people ("at least 12 civilians were killed").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub kind: CountKind,
    /// The normalised number (vague quantities get a conventional value:
    /// "dozens" 24, "hundreds" 200, "thousands" 2000, with qualifier `approx`).
    pub number: u64,
    /// "at least", "more than", "about", "up to", "nearly", "approx" …
    pub qualifier: Option<String>,
    /// The number expression (with its qualifier).
    pub span: Span,
    /// The counted noun phrase ("Israelis", "civilians").
    pub object: Option<Span>,
    /// Index into `doc.sentences` (0 when the document has no sentences).
    pub sentence: usize,
    /// The trigger word ("killed", "refugees").
    pub trigger: Span,
    /// True when the trigger is a generic "shot"/"stabbed" (counted as
    /// wounded, but it may include people who died).
    pub generic: bool,
}

/// Document tone in the shape of GDELT's V2Tone (all densities are
/// percentages of `word_count`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Tone {
    /// `positive - negative`.
    pub tone: f64,
    /// Percentage of words with positive valence.
    pub positive: f64,
    /// Percentage of words with negative valence.
    pub negative: f64,
    /// `positive + negative`.
    pub polarity: f64,
    /// Percentage of words that are verbs (UPOS VERB; 0 without tags).
    pub activity_density: f64,
    /// Percentage of words that are first-person pronouns (I, we, us, our …).
    pub self_group_density: f64,
    /// Number of word tokens (tokens with at least one letter or digit).
    pub word_count: u32,
}

impl Tone {
    /// GDELT's comma-separated V2Tone field (7 values).
    pub fn to_gdelt(&self) -> String {
        format!(
            "{},{},{},{},{},{},{}",
            self.tone,
            self.positive,
            self.negative,
            self.polarity,
            self.activity_density,
            self.self_group_density,
            self.word_count
        )
    }
}

/// A one-sentence document of space-separated `words` with the given
/// lemmas and tags (no parse), for unit tests.
#[cfg(test)]
pub(crate) fn tagged_doc(
    words: &[&str],
    lemmas: &[&str],
    upos: Vec<petrel_doc::Upos>,
    xpos: &[&str],
) -> petrel_doc::Doc {
    let text = words.join(" ");
    let mut doc = petrel_doc::Doc::new("t", text.as_str());
    let mut at = 0;
    for w in words {
        doc.tokens.span.push(Span::new(at, at + w.len()));
        at += w.len() + 1;
    }
    doc.tokens.lemma = lemmas.iter().map(|l| l.to_string()).collect();
    doc.tokens.upos = upos;
    doc.tokens.xpos = xpos.iter().map(|x| x.to_string()).collect();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::{Doc, Upos};

    /// Malformed or partial layers must never panic.
    #[test]
    fn tolerates_malformed_layers() {
        let text = "\"Unclosed quote, he said 12 were killed \u{201C}and more\n\"x";
        let mut d = Doc::new("m", text);
        // Byte-wise tokens over whitespace, some layers short or wrong.
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (start, c.is_whitespace()) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    d.tokens.span.push(Span::new(s, i));
                    start = None;
                }
                _ => {}
            }
        }
        let n = d.tokens.len();
        assert!(quotes(&d).len() <= n && counts(&d).len() <= n);
        let _ = tone(&d);
        d.tokens.lemma = vec!["say".into(); n];
        d.tokens.upos = vec![Upos::Verb; n];
        d.tokens.xpos = vec!["VBD".into(); n];
        d.tokens.head = (0..n)
            .map(|i| Some(((i * 7 + 3) % (n + 5)) as u32))
            .collect();
        d.tokens.deprel = vec!["ccomp".into(); n];
        let _ = quotes(&d);
        let _ = counts(&d);
        d.tokens.deprel.pop();
        let _ = quotes(&d);
        let _ = counts(&d);
        assert!(quotes(&Doc::new("e", "")).is_empty());
        assert!(counts(&Doc::new("e", "")).is_empty());
    }
}
