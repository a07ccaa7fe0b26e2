//! The time layer: time expressions with their TIMEX3 normalisation.

use crate::{Span, TokenRange};
use serde::{Deserialize, Serialize};

/// One time expression ("on Wednesday", "in early November", "three years ago").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeMention {
    pub span: Span,
    pub tokens: TokenRange,
    /// TIMEX3 type: `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: String,
    /// TIMEX3 value (`2024-05-01`, `2024-W17`, `P3W`, `XXXX-XX-XX` when unresolved).
    pub value: String,
    /// `day`, `week`, `month`, `quarter`, `season`, `year`, `decade`, or `none`.
    pub precision: String,
    /// Whether the value was computed from the publication date or another expression.
    pub anchored: bool,
    /// The rule that recognised and normalised it.
    pub rule: String,
}
