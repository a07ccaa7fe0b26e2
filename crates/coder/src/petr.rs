//! PETRARCH/TABARI linear patterns.
//!
//! A pattern is a list of elements before the verb (`before`) and after it
//! (`after`). The *upper* sequence is the words of the sentence before the
//! verb; the *lower* sequence is the words of the verb's phrase after it
//! (its subtree, without its subject, conjoined clauses or parentheticals;
//! adverbial clauses stay, as in PETRARCH's verb phrase). Elements match in order with gaps allowed; the words of
//! one element (`A_B`, a multi-word synset member, a `{NOUN PHRASE}`) must be
//! consecutive in the sentence. `$`/`+` bind the source/target to a noun
//! phrase that resolves to an actor at that position, `%` to a coordinated
//! (compound) actor, `^` skips at least one word.

use crate::roles::{nominal, np_head};
use petrel_actors::{base_rel, lower, SentTree};
use petrel_dict::PatTok;
use petrel_doc::{Doc, Upos};

/// What a linear pattern bound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PetrMatch {
    pub source: Option<u32>,
    pub target: Option<u32>,
    /// `%` matched: the source is a compound actor coded pairwise.
    pub compound: bool,
}

/// Matching context for one verb.
pub struct Ctx<'a> {
    pub doc: &'a Doc,
    pub tree: &'a SentTree,
    /// Lowercased surface forms, indexed by token - tree.start.
    pub words: &'a [String],
    /// Whether the noun phrase headed by a token resolves to an actor.
    pub resolvable: &'a dyn Fn(u32) -> bool,
}

/// Elementary steps after flattening `(PREP ...)`.
#[derive(Debug, Clone)]
enum Step<'p> {
    Words(&'p [String]),
    Phrase(&'p [Vec<String>]),
    Source,
    Target,
    Skip,
    Compound,
    /// `%` after the verb: a compound target ("agrees with % …").
    CompoundTarget,
    Prep(&'p str),
}

fn flatten<'p>(toks: &'p [PatTok], out: &mut Vec<Step<'p>>) {
    for t in toks {
        match t {
            PatTok::Word(w) => out.push(Step::Words(w)),
            PatTok::Phrase(p) => out.push(Step::Phrase(p)),
            PatTok::Source => out.push(Step::Source),
            PatTok::Target => out.push(Step::Target),
            PatTok::Skip => out.push(Step::Skip),
            PatTok::Compound => out.push(Step::Compound),
            PatTok::Prep(p, inner) => {
                out.push(Step::Prep(p));
                flatten(inner, out);
            }
        }
    }
}

/// The upper sequence of verb `v`: sentence tokens before it, without punctuation.
pub fn upper(doc: &Doc, tree: &SentTree, v: u32) -> Vec<u32> {
    (tree.start..v.min(tree.end))
        .filter(|&t| petrel_actors::upos(doc, t) != Upos::Punct)
        .collect()
}

/// The lower sequence of verb `v`: its phrase after it (see module docs).
pub fn lower_seq(doc: &Doc, tree: &SentTree, v: u32) -> Vec<u32> {
    let sub = tree.subtree_filtered(v, |c| {
        let top = tree.head(doc, c) == Some(v);
        let rel = base_rel(doc, c);
        if top
            && matches!(
                rel,
                "nsubj" | "csubj" | "parataxis" | "cc" | "discourse" | "vocative"
            )
        {
            return true;
        }
        if top && rel == "conj" {
            return true;
        }
        rel == "punct" || (rel == "conj" && petrel_actors::upos(doc, c) == Upos::Verb)
    });
    sub.into_iter()
        .filter(|&t| t > v && petrel_actors::upos(doc, t) != Upos::Punct)
        .collect()
}

impl Ctx<'_> {
    fn word(&self, t: u32) -> &str {
        self.words
            .get((t - self.tree.start) as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// End positions (exclusive, in `seq`) of consecutive words `ws` starting at `p`.
    fn words_at(&self, seq: &[u32], p: usize, ws: &[&str]) -> Option<usize> {
        for (k, w) in ws.iter().enumerate() {
            let q = p + k;
            let t = *seq.get(q)?;
            if k > 0 && t != seq[q - 1] + 1 {
                return None;
            }
            if !word_eq(self.word(t), w) {
                return None;
            }
        }
        Some(p + ws.len())
    }

    fn alts_at(&self, seq: &[u32], p: usize, alts: &[String]) -> Vec<usize> {
        let mut ends = Vec::new();
        for a in alts {
            let ws: Vec<&str> = a.split([' ', '_']).filter(|w| !w.is_empty()).collect();
            if ws.is_empty() {
                continue;
            }
            if let Some(e) = self.words_at(seq, p, &ws) {
                if !ends.contains(&e) {
                    ends.push(e);
                }
            }
        }
        ends
    }

    fn step_at(
        &self,
        step: &Step,
        seq: &[u32],
        p: usize,
        st: &PetrMatch,
    ) -> Vec<(usize, PetrMatch)> {
        let Some(&t) = seq.get(p) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match step {
            Step::Words(alts) => {
                for e in self.alts_at(seq, p, alts) {
                    out.push((e, st.clone()));
                }
            }
            Step::Prep(w) => {
                if word_eq(self.word(t), w) {
                    out.push((p + 1, st.clone()));
                }
            }
            Step::Phrase(parts) => {
                let mut ends = vec![p];
                for alts in parts.iter() {
                    let mut next = Vec::new();
                    for &e in &ends {
                        // Consecutive with the previous part.
                        if e > p && seq.get(e).is_some_and(|&x| x != seq[e - 1] + 1) {
                            continue;
                        }
                        for n in self.alts_at(seq, e, alts) {
                            next.push(n);
                        }
                    }
                    ends = next;
                }
                for e in ends {
                    out.push((e, st.clone()));
                }
            }
            Step::Skip => {
                // A skipped noun phrase: this token and the rest of its phrase.
                let h = np_head(self.doc, self.tree, t);
                let mut e = p + 1;
                while e < seq.len()
                    && seq[e] == seq[e - 1] + 1
                    && np_head(self.doc, self.tree, seq[e]) == h
                {
                    e += 1;
                }
                out.push((e, st.clone()));
            }
            Step::Source | Step::Target | Step::Compound | Step::CompoundTarget => {
                if !nominal(self.doc, t) {
                    return out;
                }
                let h = np_head(self.doc, self.tree, t);
                if !(self.resolvable)(h) {
                    return out;
                }
                let mut s = st.clone();
                match step {
                    Step::Source => s.source = Some(h),
                    Step::Target => s.target = Some(h),
                    _ => {
                        let has_conj = self
                            .tree
                            .children(h)
                            .iter()
                            .any(|&c| base_rel(self.doc, c) == "conj");
                        if !has_conj {
                            return out;
                        }
                        if matches!(step, Step::CompoundTarget) {
                            s.target = Some(h);
                        } else {
                            s.source = Some(h);
                            s.compound = true;
                        }
                    }
                }
                // The element consumes the rest of its noun phrase.
                let mut e = p + 1;
                while e < seq.len()
                    && np_head(self.doc, self.tree, seq[e]) == h
                    && seq[e] == seq[e - 1] + 1
                {
                    e += 1;
                }
                out.push((e, s));
            }
        }
        out
    }

    fn seq_match(
        &self,
        steps: &[Step],
        seq: &[u32],
        p: usize,
        st: PetrMatch,
        budget: &mut usize,
    ) -> Option<PetrMatch> {
        let Some((first, rest)) = steps.split_first() else {
            return Some(st);
        };
        for q in p..seq.len() {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            for (e, s) in self.step_at(first, seq, q, &st) {
                if let Some(done) = self.seq_match(rest, seq, e, s, budget) {
                    return Some(done);
                }
            }
        }
        None
    }

    /// Matches a whole pattern for verb `v`.
    pub fn match_pattern(&self, v: u32, before: &[PatTok], after: &[PatTok]) -> Option<PetrMatch> {
        let up = upper(self.doc, self.tree, v);
        let low = lower_seq(self.doc, self.tree, v);
        self.match_seqs(&up, &low, before, after)
    }

    /// Matches a pattern against precomputed upper and lower sequences.
    pub fn match_seqs(
        &self,
        up: &[u32],
        low: &[u32],
        before: &[PatTok],
        after: &[PatTok],
    ) -> Option<PetrMatch> {
        let mut b = Vec::new();
        flatten(before, &mut b);
        let mut a = Vec::new();
        flatten(after, &mut a);
        for step in a.iter_mut() {
            if matches!(step, Step::Compound) {
                *step = Step::CompoundTarget;
            }
        }
        let mut budget = 20_000;
        let st = self.seq_match(&b, up, 0, PetrMatch::default(), &mut budget)?;
        self.seq_match(&a, low, 0, st, &mut budget)
    }
}

/// Word equality, with a trailing `*` in the pattern word as a prefix.
fn word_eq(text: &str, pat: &str) -> bool {
    match pat.strip_suffix('*') {
        Some(stem) if !stem.is_empty() => text.starts_with(stem),
        _ => text == pat,
    }
}

/// Lowercased words of a sentence (index = token - start).
pub fn sentence_words(doc: &Doc, tree: &SentTree) -> Vec<String> {
    (tree.start..tree.end).map(|t| lower(doc, t)).collect()
}
