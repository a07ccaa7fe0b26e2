//! Learning attribution cues from PolNeAR's cue annotations (train split).
//!
//! PolNeAR marks the cue span of every attribution. [`learn_cues`] analyses
//! each article, finds every verb and noun in one of the syntactic shapes
//! the extractor in [`crate::quotes`] reads content from, and counts, per
//! lemma and word class, how often that token lies inside a gold cue span
//! (`gold`) against how often it occurs in such a shape at all (`fired`).
//! Shapes (checked in this order, as the extractor does):
//!
//! * verbs: `ccomp` (a clausal complement), `parataxis` (the verb hangs off
//!   the reported clause: "…, he said"), `xcomp`, `obj` (an object of at
//!   least three tokens), `prep` (an `obl` with "about", "for", "of", "on",
//!   "against", "over");
//! * nouns: `that` (an `acl`/`ccomp` starting with "that"), `about` (an
//!   `nmod` with "about");
//! * source nouns: `in` (a noun between a sentence-initial "In" and the
//!   first comma: "In a Fox News poll, …").
//!
//! Only lemmas and counts are kept, never text from the corpus. The result
//! is a small model trained on the train split, written by
//! `cargo run --release -p petrel-graph --example learn_cues -- DIR` to
//! `data/cues_learned.txt` and read by the cue lexicon beside the curated
//! `data/cues.txt` (curated entries win).

use crate::eval::polnear_docs;
use crate::lexicon::{curated_cues, CueClass};
use crate::view::View;
use petrel_doc::{Doc, Upos};
use std::collections::BTreeMap;

/// Counts for one candidate cue (lemma and word class).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CueStat {
    pub lemma: String,
    /// `speech`, `belief`, `noun` or `source` (the class written to the
    /// lexicon).
    pub class: &'static str,
    /// Shape that most often carried a gold cue.
    pub shape: &'static str,
    /// Occurrences in a content-taking shape inside a gold cue span.
    pub gold: usize,
    /// Occurrences in a content-taking shape.
    pub fired: usize,
}

impl CueStat {
    pub fn precision(&self) -> f64 {
        if self.fired == 0 {
            0.0
        } else {
            self.gold as f64 / self.fired as f64
        }
    }
}

#[derive(Default)]
struct Acc {
    /// shape → (gold, fired)
    shapes: BTreeMap<&'static str, (usize, usize)>,
}

fn verb_shape(v: &View, i: usize) -> Option<&'static str> {
    let kids = v.children(i);
    if kids.iter().any(|&c| v.rel(c) == "ccomp") {
        return Some("ccomp");
    }
    if v.rel(i) == "parataxis" {
        return Some("parataxis");
    }
    if kids.iter().any(|&c| c > i && v.rel(c) == "xcomp") {
        return Some("xcomp");
    }
    if kids.iter().any(|&c| {
        let (lo, hi) = v.subtree(c);
        c > i && v.rel(c) == "obj" && hi >= lo + 2
    }) {
        return Some("obj");
    }
    let prep = kids.iter().any(|&c| {
        c > i
            && v.rel(c) == "obl"
            && v.children(c).iter().any(|&p| {
                v.rel(p) == "case"
                    && matches!(
                        v.lower(p),
                        "about" | "for" | "of" | "on" | "against" | "over"
                    )
            })
    });
    prep.then_some("prep")
}

fn noun_shape(v: &View, i: usize) -> Option<&'static str> {
    let kids = v.children(i);
    if kids
        .iter()
        .any(|&c| c > i && matches!(v.rel(c), "acl" | "ccomp") && v.lower(v.subtree(c).0) == "that")
    {
        return Some("that");
    }
    let about = kids.iter().any(|&c| {
        c > i
            && v.rel(c) == "nmod"
            && v.children(c)
                .iter()
                .any(|&p| v.rel(p) == "case" && v.lower(p) == "about")
    });
    about.then_some("about")
}

/// Count cue candidates over a PolNeAR split folder (`…/polnear/train`).
/// Lemmas already in the curated lexicon are skipped. Returns every
/// candidate that fired at least once, sorted by lemma and class.
pub fn learn_cues(
    dir: &std::path::Path,
    analyse: &dyn Fn(&str) -> Doc,
) -> Result<Vec<CueStat>, String> {
    let mut acc: BTreeMap<(String, &'static str), Acc> = BTreeMap::new();
    let curated = curated_cues();
    for (text, gold) in polnear_docs(dir)? {
        let doc = analyse(&text);
        let v = View::new(&doc);
        let cue_spans: Vec<_> = gold.iter().filter_map(|g| g.cue).collect();
        let in_cue = |i: usize| {
            let s = v.span(i);
            cue_spans
                .iter()
                .any(|c| c.start <= s.start && s.end <= c.end)
        };
        let mut add = |lemma: &str, cat: &'static str, shape: &'static str, g: bool| {
            let lemma = lemma.to_lowercase();
            if lemma.is_empty() || !lemma.chars().all(|c| c.is_alphabetic() || c == '-') {
                return;
            }
            let e = acc.entry((lemma, cat)).or_default();
            let s = e.shapes.entry(shape).or_default();
            s.0 += usize::from(g);
            s.1 += 1;
        };
        for i in 0..v.len() {
            if i > 0 && v.text(i - 1) == "-" {
                continue;
            }
            let lemma = v.lemma(i);
            let verb = matches!(v.upos(i), Upos::Verb) || v.xpos(i).starts_with("VB");
            if verb && !curated.verbs.contains_key(lemma) && !curated.phrasal.contains_key(lemma) {
                if let Some(shape) = verb_shape(&v, i) {
                    add(lemma, "verb", shape, in_cue(i));
                }
            } else if v.upos(i) == Upos::Noun && !curated.nouns.contains_key(lemma) {
                if let Some(shape) = noun_shape(&v, i) {
                    add(lemma, "noun", shape, in_cue(i));
                }
            }
        }
        for &(ss, se) in &v.sents {
            let (ss, se) = (ss as usize, se as usize);
            if v.lower(ss) != "in" {
                continue;
            }
            let Some(comma) = (ss + 1..(ss + 12).min(se)).find(|&k| v.text(k) == ",") else {
                continue;
            };
            for k in ss + 1..comma {
                if v.upos(k) == Upos::Noun && !curated.sources.contains(v.lemma(k)) {
                    add(v.lemma(k), "source", "in", in_cue(k));
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((lemma, cat), a) in acc {
        let total = |keep: &dyn Fn(&str) -> bool| {
            a.shapes
                .iter()
                .filter(|(s, _)| keep(s))
                .fold((0, 0), |(g, f), (_, &(g2, f2))| (g + g2, f + f2))
        };
        let best = a
            .shapes
            .iter()
            .max_by_key(|(_, &(g, f))| (g, f))
            .map_or("", |(s, _)| *s);
        let (class, (gold, fired)) = match cat {
            "verb" => {
                // Speech verbs take every shape; belief verbs not the
                // `…, he said` parataxis.
                let clausal = total(&|s| matches!(s, "ccomp" | "parataxis"));
                let other = total(&|s| !matches!(s, "ccomp" | "parataxis"));
                if clausal.0 >= other.0 {
                    ("speech", total(&|_| true))
                } else {
                    ("belief", total(&|s| s != "parataxis"))
                }
            }
            "noun" => ("noun", total(&|_| true)),
            _ => ("source", total(&|_| true)),
        };
        out.push(CueStat {
            lemma,
            class,
            shape: best,
            gold,
            fired,
        });
    }
    Ok(out)
}

/// The learned lexicon file: header (with `command`, the command that
/// rebuilt it) and one `LEMMA CLASS SHAPE GOLD FIRED` line per cue with at
/// least `min_count` gold occurrences and precision at least `min_prec`.
pub fn write_learned(stats: &[CueStat], min_count: usize, min_prec: f64, command: &str) -> String {
    let mut s = String::new();
    s.push_str(LEARNED_HEADER);
    s.push_str(&format!(
        "# Rebuilt with: {command}\n# Thresholds: gold >= {min_count}, precision >= {min_prec}.\n"
    ));
    for c in stats
        .iter()
        .filter(|c| c.gold >= min_count && c.precision() >= min_prec)
    {
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            c.lemma, c.class, c.shape, c.gold, c.fired
        ));
    }
    s
}

const LEARNED_HEADER: &str = "\
# Petrel learned attribution cues: a model trained on the PolNeAR train split
# (lemmas and counts only; no corpus text). See crates/graph/src/learn.rs.
# One cue per line: LEMMA<TAB>CLASS<TAB>SHAPE<TAB>GOLD<TAB>FIRED, where CLASS
# is as in cues.txt (speech, belief, noun, source), SHAPE the syntactic shape
# that most often carried a gold cue (verbs: ccomp, parataxis, xcomp, obj,
# prep; nouns: that, about; sources: in), GOLD the number of times the lemma,
# in a content-taking shape, lay inside a gold cue span, and FIRED the number
# of times it occurred in such a shape. Read beside cues.txt; curated entries
# win. Do not edit by hand: rebuild.
";

/// Class of a learned lexicon line (used by the loader).
pub(crate) fn class_of(s: &str) -> Option<CueClass> {
    match s {
        "speech" => Some(CueClass::Speech),
        "belief" => Some(CueClass::Belief),
        "report" => Some(CueClass::Report),
        "noun" => Some(CueClass::Noun),
        "source" => Some(CueClass::Source),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(lemma: &str, gold: usize, fired: usize) -> CueStat {
        CueStat {
            lemma: lemma.to_string(),
            class: "speech",
            shape: "ccomp",
            gold,
            fired,
        }
    }

    #[test]
    fn thresholds_filter_and_output_reloads() {
        let stats = [
            stat("chant", 9, 10),
            stat("make", 116, 941),
            stat("quip", 2, 2),
        ];
        assert!((stats[0].precision() - 0.9).abs() < 1e-9);
        assert_eq!(stat("x", 0, 0).precision(), 0.0);
        let out = write_learned(&stats, 5, 0.25, "cmd");
        let body: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(body, ["chant\tspeech\tccomp\t9\t10"]);
        assert!(out.contains("# Rebuilt with: cmd"));
        let mut c = crate::lexicon::Cues::default();
        crate::lexicon::add_learned(&mut c, &out, "t.txt").unwrap();
        assert_eq!(c.verbs.get("chant"), Some(&CueClass::Speech));
        assert!(!c.verbs.contains_key("make"));
    }

    #[test]
    fn shapes_from_a_parse() {
        // "They chanted that he lies": a clausal complement.
        let mut doc = Doc::new("t", "They chanted that he lies");
        let n = 5;
        doc.tokens.span = [(0, 4), (5, 12), (13, 17), (18, 20), (21, 25)]
            .iter()
            .map(|&(a, b)| petrel_doc::Span::new(a, b))
            .collect();
        doc.tokens.lemma = ["they", "chant", "that", "he", "lie"]
            .map(String::from)
            .to_vec();
        doc.tokens.upos = vec![Upos::Pron, Upos::Verb, Upos::Sconj, Upos::Pron, Upos::Verb];
        doc.tokens.xpos = ["PRP", "VBD", "IN", "PRP", "VBZ"]
            .map(String::from)
            .to_vec();
        doc.tokens.head = vec![Some(1), None, Some(4), Some(4), Some(1)];
        doc.tokens.deprel = ["nsubj", "root", "mark", "nsubj", "ccomp"]
            .map(String::from)
            .to_vec();
        assert_eq!(doc.tokens.len(), n);
        let v = View::new(&doc);
        assert_eq!(verb_shape(&v, 1), Some("ccomp"));
        assert_eq!(verb_shape(&v, 4), None);
        assert_eq!(noun_shape(&v, 0), None);
    }
}
