//! The event layer: coded (source, verb, target) records with their evidence.

use crate::{Span, TokenRange};
use serde::{Deserialize, Serialize};

/// An actor slot of an event: the code it resolved to and the text behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorRef {
    /// CAMEO-style actor code (`COLGOV`, `IGOUNO`); empty when the slot was
    /// found in the sentence but no dictionary entry resolved it.
    pub code: String,
    /// Byte span of the mention (the whole noun phrase).
    pub span: Span,
    pub tokens: TokenRange,
    /// What resolved the code: a dictionary entry id (`file:line`), or a rule.
    pub via: String,
}

/// How the event is asserted in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Reported as happened or happening.
    #[default]
    Asserted,
    /// Future tense or announced plan ("will sever").
    Future,
    /// Expressed intent ("vowed to", "pledged to", "plans to").
    Intent,
    /// Threat ("threatened to").
    Threat,
    /// Conditional or hypothetical ("could", "would", "if").
    Hypothetical,
}

impl Modality {
    pub fn as_str(&self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Future => "future",
            Modality::Intent => "intent",
            Modality::Threat => "threat",
            Modality::Hypothetical => "hypothetical",
        }
    }
}

/// One coded event with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Full CAMEO code as a string, 3 or 4 digits (`"161"`, `"0311"`).
    pub cameo: String,
    /// CAMEO root, 2 digits (`"16"`).
    pub root: String,
    /// GDELT QuadClass: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub goldstein: f32,
    /// PLOVER event type (`REDUCE_RELATIONS` is CAMEO-only; PLOVER says `SANCTION`), if any.
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
    pub source: Option<ActorRef>,
    pub target: Option<ActorRef>,
    /// Byte span of the verb phrase that triggered the event.
    pub verb: Span,
    pub verb_tokens: TokenRange,
    /// True when the event is negated ("never condemned"): recorded, not dropped.
    pub negated: bool,
    pub modality: Modality,
    /// For reported speech: who reported the act ("..., the minister said").
    pub reported_by: Option<ActorRef>,
    /// Event date (the article date unless a time expression says otherwise).
    pub date: Option<chrono::NaiveDate>,
    /// Index of the sentence in [`crate::Doc::sentences`].
    pub sentence: usize,
    /// Id of the pattern or rule that produced the event (`verbs.txt:812`).
    pub rule: String,
    /// Coder confidence in [0, 1].
    pub confidence: f32,
}
