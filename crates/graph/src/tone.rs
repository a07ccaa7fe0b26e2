//! Document tone, GDELT V2Tone style.
//!
//! A word token (one with a letter or digit) is positive when its lowercase
//! form (or, failing that, its lemma) has VADER valence ≥ +0.5 in
//! `data/tone_lexicon.tsv`, negative when ≤ −0.5. As in GDELT, words are
//! counted, not weighted, and there is no negation handling. Scores are
//! percentages of the word count; `tone = positive − negative` and
//! `polarity = positive + negative`.

use crate::lexicon::tone_lexicon;
use crate::view::View;
use crate::Tone;
use petrel_doc::{Doc, Upos};

const THRESHOLD: f32 = 0.5;
const SELF_GROUP: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
];

/// Tone of the whole document text (tokens must be present; tags optional).
pub fn tone(doc: &Doc) -> Tone {
    let v = View::new(doc);
    let lex = tone_lexicon();
    let tagged = doc.tokens.upos.len() == v.len();
    let (mut words, mut pos, mut neg, mut act, mut selfg) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for i in 0..v.len() {
        let w = v.lower(i);
        if !w.chars().any(char::is_alphanumeric) {
            continue;
        }
        words += 1;
        let val = lex
            .get(w)
            .or_else(|| lex.get(&v.lemma(i).to_lowercase()))
            .copied()
            .unwrap_or(0.0);
        if val >= THRESHOLD {
            pos += 1;
        } else if val <= -THRESHOLD {
            neg += 1;
        }
        if tagged && v.upos(i) == Upos::Verb {
            act += 1;
        }
        if SELF_GROUP.contains(&w) {
            selfg += 1;
        }
    }
    if words == 0 {
        return Tone::default();
    }
    let pct = |k: u32| 100.0 * k as f64 / words as f64;
    let (p, n) = (pct(pos), pct(neg));
    Tone {
        tone: p - n,
        positive: p,
        negative: n,
        polarity: p + n,
        activity_density: pct(act),
        self_group_density: pct(selfg),
        word_count: words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::Span;

    fn doc(text: &str) -> Doc {
        let mut d = Doc::new("t", text);
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let sep = c.is_whitespace() || c == '.' || c == ',';
            match (start, sep) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    d.tokens.span.push(Span::new(s, i));
                    start = None;
                }
                _ => {}
            }
        }
        d
    }

    #[test]
    fn positive_and_negative_words() {
        let t = tone(&doc("The peace talks were a great success, we said."));
        assert_eq!(t.word_count, 9);
        assert!(t.positive > 20.0 && t.negative == 0.0, "{t:?}");
        assert!((t.tone - (t.positive - t.negative)).abs() < 1e-9);
        assert!((t.self_group_density - 100.0 / 9.0).abs() < 1e-9);
        let t = tone(&doc("Bombs killed ten people in a brutal attack."));
        assert!(t.tone < -20.0, "{t:?}");
        assert!((t.polarity - (t.positive + t.negative)).abs() < 1e-9);
    }

    #[test]
    fn empty_document() {
        assert_eq!(tone(&Doc::new("e", "")), Tone::default());
        assert_eq!(tone(&doc("... !!")).word_count, 0);
    }

    #[test]
    fn gdelt_field() {
        let t = tone(&doc("good bad"));
        assert_eq!(t.to_gdelt(), "0,50,50,100,0,0,2");
    }
}
