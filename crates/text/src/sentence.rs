//! Sentence splitting over tokens.
//!
//! A sentence ends:
//! - at a paragraph break (a blank line, or a line break followed by
//!   indentation), always;
//! - after terminal punctuation (`.`, `!`, `?`, `...`, `…`, and runs of
//!   these), together with closing quotes and brackets that follow it, when
//!   the next token can begin a sentence (not lowercase, not `,;:`);
//! - after an abbreviation that may end a sentence ("Inc.", "U.S.") only when
//!   the next word is a common sentence opener ("The", "He", ...), or a line
//!   break follows.
//!
//! Titles ("Gen.", "Mr."), initials ("J.") and months before a number
//! ("Jan. 5") never end a sentence.

use crate::abbrev::{self, AbbrevKind};
use crate::boundary::{self, BoundaryModel};
use crate::tokenize::is_dotted_letters;
use petrel_doc::{Sentence, Span};

/// Capitalised words that commonly open a sentence; after an ambiguous
/// abbreviation such as "U.S." they signal a sentence end.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Or",
    "So",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Some",
    "Many",
    "Most",
    "Other",
    "Officials",
    "However",
    "Meanwhile",
    "Also",
    "Yet",
    "Then",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Since",
    "Although",
    "Though",
    "Because",
    "Under",
    "For",
    "With",
    "From",
    "By",
    "No",
    "Not",
    "One",
    "Two",
    "All",
    "Both",
    "Each",
    "Such",
    "Thus",
    "Still",
    "Now",
    "Last",
    "Earlier",
    "Later",
    "Today",
    "Yesterday",
    "According",
];

pub(crate) fn is_terminal(tok: &str) -> bool {
    !tok.is_empty() && (tok.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')) || tok == "…")
}

fn is_closer(tok: &str) -> bool {
    matches!(tok, "\"" | "”" | "’" | "'" | ")" | "]" | "}" | "»" | "''")
}

/// Whether the whitespace `gap` between two tokens is a paragraph break.
pub(crate) fn paragraph_break(gap: &str) -> bool {
    let mut newlines = 0;
    let mut after_newline = false;
    for c in gap.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines >= 2 {
                return true;
            }
            after_newline = true;
        } else if after_newline && (c == ' ' || c == '\t') {
            // Indented line start ("\n    The ...").
            return true;
        } else if c != '\r' {
            after_newline = false;
        }
    }
    false
}

fn starts_lower(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| c.is_lowercase())
}

/// Whether single line breaks of the text are hard wrapping inside
/// sentences rather than ends of lines that each hold a sentence, title or
/// list item: many lines go on with a lowercase word after a non-final
/// token, and the wrapped lines are long.
pub(crate) fn hard_wrapped(text: &str, spans: &[Span]) -> bool {
    let (mut breaks, mut continued, mut long) = (0usize, 0usize, 0usize);
    let mut line_start = 0usize;
    for w in spans.windows(2) {
        let gap = &text[w[0].end as usize..w[1].start as usize];
        if !gap.contains('\n') {
            continue;
        }
        if !paragraph_break(gap) {
            breaks += 1;
            let prev = &text[w[0].range()];
            if starts_lower(&text[w[1].range()]) && !is_terminal(prev) {
                continued += 1;
            }
            if w[0].end as usize - line_start >= 35 {
                long += 1;
            }
        }
        line_start = w[1].start as usize;
    }
    breaks > 0 && continued * 4 >= breaks && long * 10 >= breaks * 7
}

/// Whether terminal token `i` is followed by whitespace (not "3.x", "end.so").
fn spans_apart(spans: &[Span], i: usize) -> bool {
    i + 1 < spans.len() && spans[i + 1].start > spans[i].end
}

/// Splits the token spans of `text` into sentences: the rules, then the
/// boundary model over the whitespace gaps inside lines
/// ([`crate::boundary`]).
pub fn split(text: &str, spans: &[Span]) -> Vec<Sentence> {
    split_with(text, spans, BoundaryModel::builtin())
}

/// [`split`] with a given boundary model.
pub fn split_with(text: &str, spans: &[Span], model: &BoundaryModel) -> Vec<Sentence> {
    let rule = rule_ends(text, spans);
    let wrapped = hard_wrapped(text, spans);
    let ends = boundary::decide(model, text, spans, rule, wrapped);
    from_ends(spans, &ends)
}

/// Rule decisions: `ends[i]` when a sentence ends after token `i`.
pub(crate) fn rule_ends(text: &str, spans: &[Span]) -> Vec<bool> {
    let mut ends = vec![false; spans.len()];
    for s in split_rules(text, spans) {
        if let Some(e) = (s.tokens.end as usize)
            .checked_sub(1)
            .and_then(|e| ends.get_mut(e))
        {
            *e = true;
        }
    }
    ends
}

/// Sentences from per-token end decisions (the last token always ends one).
fn from_ends(spans: &[Span], ends: &[bool]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, span) in spans.iter().enumerate() {
        if ends.get(i).copied().unwrap_or(false) || i + 1 == spans.len() {
            if let Some(first) = spans.get(start) {
                out.push(Sentence {
                    span: first.cover(*span),
                    tokens: start as u32..i as u32 + 1,
                });
            }
            start = i + 1;
        }
    }
    out
}

/// Splits the token spans of `text` into sentences with the rules alone.
pub fn split_rules(text: &str, spans: &[Span]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let n = spans.len();
    if n == 0 {
        return out;
    }
    let tok = |i: usize| &text[spans[i].range()];
    let gap = |i: usize| &text[spans[i].end as usize..spans[i + 1].start as usize];
    let wrapped = hard_wrapped(text, spans);
    // A single line break ends a sentence unless the text is hard-wrapped.
    let line_break = |i: usize| {
        !wrapped && gap(i).contains('\n') && !matches!(tok(i + 1), "," | ";" | ":" | ")")
    };
    let mut start = 0usize;
    let mut i = 0usize;
    while i < n {
        let t = tok(i);
        let mut end_here = false;
        let mut last = i;
        if i + 1 < n && (paragraph_break(gap(i)) || line_break(i)) {
            end_here = true;
        } else if is_terminal(t) {
            // Absorb closing quotes/brackets attached to the terminal mark.
            while last + 1 < n
                && is_closer(tok(last + 1))
                && spans[last + 1].start == spans[last].end
            {
                last += 1;
            }
            if last + 1 >= n {
                end_here = true;
            } else {
                let next = tok(last + 1);
                let para = paragraph_break(gap(last)) || gap(last).contains('\n');
                // A lowercase word goes on the sentence after a quoted
                // exclamation ("Stop!" he said) or an ellipsis; after a bare
                // full stop, question or exclamation mark it starts a new one
                // (informal text: "i am out. see you").
                let quoted = last > i;
                let ellipsis = t.len() > 1 || t == "…";
                let continues = matches!(next, "," | ";" | ":" | ")" | "-")
                    || (starts_lower(next) && (quoted || ellipsis || !spans_apart(spans, i)));
                // A list marker opening the sentence: "1. The ...", "b. The ...".
                let marker = i == start + 1 && {
                    let m = tok(start);
                    (m.len() <= 3 && m.bytes().all(|b| b.is_ascii_digit()))
                        || (m.len() == 1 && m.bytes().all(|b| b.is_ascii_lowercase()))
                };
                end_here = para || !(continues || marker);
            }
        } else if t.ends_with('.') && t.len() > 1 {
            end_here = abbrev_ends_sentence(text, spans, i);
        }
        if end_here {
            let end = if is_terminal(t) { last } else { i };
            out.push(Sentence {
                span: spans[start].cover(spans[end]),
                tokens: start as u32..end as u32 + 1,
            });
            start = end + 1;
            i = end + 1;
        } else {
            i += 1;
        }
    }
    if start < n {
        out.push(Sentence {
            span: spans[start].cover(spans[n - 1]),
            tokens: start as u32..n as u32,
        });
    }
    out
}

/// Whether the abbreviation token `i` (ending in a period) ends a sentence.
fn abbrev_ends_sentence(text: &str, spans: &[Span], i: usize) -> bool {
    let t = &text[spans[i].range()];
    let w = &t[..t.len() - 1];
    if i + 1 >= spans.len() {
        return false;
    }
    let next = &text[spans[i + 1].range()];
    let gap = &text[spans[i].end as usize..spans[i + 1].start as usize];
    let kind = abbrev::kind(w);
    if kind == Some(AbbrevKind::Title) {
        return false;
    }
    let single_letter = w.chars().count() == 1;
    if single_letter && kind.is_none() {
        // Initials: "J. R. R. Tolkien".
        return paragraph_break(gap);
    }
    if !(kind.is_some() || is_dotted_letters(w)) {
        return false;
    }
    if kind == Some(AbbrevKind::Month) && next.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return false;
    }
    if gap.contains('\n') {
        return next.chars().next().is_some_and(|c| c.is_uppercase());
    }
    OPENERS.contains(&next) || matches!(next, "\"" | "“")
}

#[cfg(test)]
mod tests {
    use crate::segment;

    fn sents(s: &str) -> Vec<&str> {
        let (_, ss) = segment(s);
        ss.iter().map(|x| &s[x.span.range()]).collect()
    }

    #[test]
    fn basic_and_quotes() {
        assert_eq!(sents("He left. She stayed!"), ["He left.", "She stayed!"]);
        assert_eq!(
            sents("\"We will fight,\" he said. Then he left."),
            ["\"We will fight,\" he said.", "Then he left."]
        );
        assert_eq!(sents("\"Stop!\" he said."), ["\"Stop!\" he said."]);
        assert_eq!(sents("i am out. see you"), ["i am out.", "see you"]);
        assert_eq!(sents("Well... maybe not."), ["Well... maybe not."]);
        assert_eq!(
            sents("1. Talks resume. 2. Troops leave."),
            ["1. Talks resume.", "2. Troops leave."]
        );
        assert_eq!(
            sents("He said: \"No.\" Then he left."),
            ["He said: \"No.\"", "Then he left."]
        );
    }

    #[test]
    fn abbreviations() {
        assert_eq!(
            sents("Gen. Smith met Mr. Jones in the U.S. on Jan. 5."),
            ["Gen. Smith met Mr. Jones in the U.S. on Jan. 5."]
        );
        assert_eq!(
            sents("He lives in the U.S. The trip was long."),
            ["He lives in the U.S.", "The trip was long."]
        );
        assert_eq!(
            sents("Written by J. R. R. Tolkien."),
            ["Written by J. R. R. Tolkien."]
        );
        assert_eq!(
            sents("Acme Inc. said profits rose."),
            ["Acme Inc. said profits rose."]
        );
    }

    #[test]
    fn datelines_and_paragraphs() {
        assert_eq!(
            sents("BOGOTA (Reuters) - Colombia cut ties. It said so."),
            ["BOGOTA (Reuters) - Colombia cut ties.", "It said so."]
        );
        assert_eq!(
            sents("LONDON, Jan. 5 (Reuters) - Talks ended."),
            ["LONDON, Jan. 5 (Reuters) - Talks ended."]
        );
        assert_eq!(
            sents("Colombia cuts ties\n\nBOGOTA - It did"),
            ["Colombia cuts ties", "BOGOTA - It did"]
        );
        assert_eq!(
            sents("Colombia cuts ties\nBOGOTA - It did"),
            ["Colombia cuts ties", "BOGOTA - It did"]
        );
        let wrapped = "The talks between the two delegations went on\nfor hours and the foreign minister of Colombia said\nTuesday that no deal on the border question\nwas near.";
        assert_eq!(sents(wrapped), [wrapped]);
    }
}
