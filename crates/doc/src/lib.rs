//! Petrel's document model.
//!
//! A [`Doc`] is a value: the original text of one article plus stand-off
//! annotation layers (tokens, sentences, entities, events), each addressed by
//! **byte** offsets into [`Doc::text`]. Nothing here does I/O, knows a file
//! format, or holds global state. Conversion to the character offsets of the
//! JSON contract is done by [`CharMap`].
//!
//! Layers are filled by pipeline stages in order: `text` (tokens,
//! sentences) → `nlp` (lemma, POS, dependencies, entities) → `actors` →
//! `coder` (events). A stage only ever adds its own layer.

use serde::{Deserialize, Serialize};

mod article;
mod charmap;
mod event;
mod graph;
mod location;
mod time;
mod tokens;

pub use article::{parse_published, Article};
pub use charmap::CharMap;
pub use event::{ActorRef, Event, Modality};
pub use graph::{CountMention, QuoteMention, ToneScores};
pub use location::LocationMention;
pub use time::TimeMention;
pub use tokens::{Tokens, Upos};

/// A half-open byte range `[start, end)` into [`Doc::text`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// Smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A half-open range of token indices `[start, end)` into [`Doc::tokens`].
pub type TokenRange = std::ops::Range<u32>;

/// One sentence: its byte span and its tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub tokens: TokenRange,
}

/// Named-entity label. `Gpe` covers countries, cities and other places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityLabel {
    Person,
    Organization,
    Gpe,
    Location,
    Norp,
    Other,
}

impl EntityLabel {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Organization => "ORG",
            EntityLabel::Gpe => "GPE",
            EntityLabel::Location => "LOC",
            EntityLabel::Norp => "NORP",
            EntityLabel::Other => "MISC",
        }
    }
}

/// A named entity (or an actor mention) over a token range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub span: Span,
    pub tokens: TokenRange,
    pub label: EntityLabel,
    /// Actor code when the mention resolved to one (e.g. `COLGOV`).
    pub code: Option<String>,
    /// What produced the code or label (dictionary entry id, model name).
    pub source: String,
}

/// One article and all its annotation layers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    /// Publication date, when known (the date events are stamped with).
    pub published: Option<chrono::NaiveDate>,
    pub text: String,
    pub tokens: Tokens,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    /// Named entities found by the statistical NER model of `petrel-nlp`
    /// (PERSON, ORG, GPE, LOC, NORP; `source` names the model). Kept apart
    /// from `entities` (actor mentions) so their consumers are unchanged.
    #[serde(default)]
    pub named_entities: Vec<Entity>,
    /// Time expressions, normalised against `published` (filled by `petrel-time`).
    #[serde(default)]
    pub times: Vec<TimeMention>,
    /// Place names resolved against the gazetteer (filled by `petrel-geo`).
    #[serde(default)]
    pub locations: Vec<LocationMention>,
    /// Quotations with their speakers (filled by `petrel-graph`).
    #[serde(default)]
    pub quotes: Vec<QuoteMention>,
    /// Typed counts: killed, wounded, kidnapped, arrested, displaced, missing, crowd size.
    #[serde(default)]
    pub counts: Vec<CountMention>,
    /// Document tone (GDELT V2Tone shape).
    #[serde(default)]
    pub tone: Option<ToneScores>,
    pub events: Vec<Event>,
}

impl Doc {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Doc {
        Doc {
            id: id.into(),
            text: text.into(),
            ..Doc::default()
        }
    }

    pub fn from_article(a: Article) -> Doc {
        Doc {
            id: a.id,
            url: a.url,
            source: a.source,
            title: a.title,
            published: a.published,
            text: a.text,
            ..Doc::default()
        }
    }

    /// The text under a byte span.
    pub fn span_text(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The surface form of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.span_text(self.tokens.span[i])
    }

    /// Byte span covering tokens `[start, end)`.
    pub fn tokens_span(&self, r: TokenRange) -> Span {
        if r.start >= r.end {
            return Span::default();
        }
        self.tokens.span[r.start as usize].cover(self.tokens.span[r.end as usize - 1])
    }

    /// Index of the sentence containing token `i`.
    pub fn sentence_of(&self, token: u32) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= token);
        (i < self.sentences.len() && self.sentences[i].tokens.contains(&token)).then_some(i)
    }
}

/// 64-bit FNV-1a over `parts`, with a separator between parts so that
/// ("ab", "c") and ("a", "bc") differ; one part is plain FNV-1a. Used for
/// stable ids and content hashes (not for security).
pub fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for &b in *p {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
