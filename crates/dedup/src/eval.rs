//! The near-duplicate test set and its scorer.
//!
//! [`perturbed_set`] takes a corpus in the BBC layout (one article per text:
//! headline line, blank line, paragraphs separated by blank lines) and, with
//! a fixed seed, makes 1–3 copies of a sample of the articles. Each copy
//! gets one or more of these perturbations:
//!
//! * **re-headlined**: a new first line (a tag such as `UPDATED:` before the
//!   headline, the headline's words reordered, or the first words of the
//!   body as headline);
//! * **truncated**: only the first 40–80 % of the body's words are kept,
//!   cut at a sentence end where there is one;
//! * **re-paragraphed**: neighbouring paragraphs merged, long ones split at
//!   a sentence end;
//! * **lightly edited**: one sentence dropped, a few numbers changed and a
//!   publisher trailer line added.
//!
//! The originals are kept — the untouched articles, many on the same topics,
//! are the hard negatives. The truth groups each original with its copies.
//! The corpus itself is not duplicate-free: originals whose exact shingle
//! Jaccard similarity is at least [`SAME_STORY`] are one truth group, and
//! originals in the ambiguous band below it (rewrites of one story: exact
//! Jaccard ≥ [`AMBIGUOUS_JACCARD`] or containment ≥
//! [`AMBIGUOUS_CONTAINMENT`]) are left out, since no truth can be claimed
//! for them. [`score`] clusters the set with [`crate::Clusterer`] and
//! reports pairwise precision and recall against the truth.

use std::collections::HashMap;

use crate::{Clusterer, Fingerprint, Params};

/// The seed of the measured set.
pub const SEED: u64 = 20_250_107;
/// The share of originals that get copies in the measured set.
pub const RATE: f64 = 0.15;

/// The (Jaccard, containment) thresholds of the reported sweep.
pub const SWEEP: [(f64, f64); 7] = [
    (0.3, 0.6),
    (0.4, 0.7),
    (0.5, 0.7),
    (0.5, 0.8),
    (0.6, 0.9),
    (0.7, 0.95),
    (0.5, 2.0),
];

/// One article of the test set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalDoc {
    pub id: String,
    pub text: String,
    /// Truth: articles with the same group are the same story.
    pub group: String,
    /// `original`, or the perturbations applied, joined by `+`.
    pub kind: String,
}

/// Deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Headline and body paragraphs of a BBC-layout text.
fn split_article(text: &str) -> (String, Vec<String>) {
    let mut paras: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if paras.is_empty() {
        return (String::new(), Vec::new());
    }
    let head = paras.remove(0);
    (head, paras)
}

fn join_article(head: &str, body: &[String]) -> String {
    let mut out = head.to_string();
    for p in body {
        out.push_str("\n\n");
        out.push_str(p);
    }
    out.push('\n');
    out
}

/// Byte offsets just after each sentence end (`. `, `? `, `! `) in `p`.
fn sentence_ends(p: &str) -> Vec<usize> {
    let b = p.as_bytes();
    (1..b.len())
        .filter(|&i| b[i] == b' ' && matches!(b[i - 1], b'.' | b'?' | b'!'))
        .collect()
}

fn reheadline(rng: &mut Rng, head: &str, body: &[String]) -> String {
    match rng.below(3) {
        0 => {
            let tags = ["UPDATED:", "Analysis:", "Breaking:", "In depth:", "Latest:"];
            format!("{} {head}", tags[rng.below(tags.len())])
        }
        1 => {
            let mut w: Vec<&str> = head.split_whitespace().collect();
            if w.len() > 1 {
                let k = 1 + rng.below(w.len() - 1);
                w.rotate_left(k);
            }
            w.join(" ")
        }
        _ => body
            .first()
            .map(|p| p.split_whitespace().take(8).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| head.to_string()),
    }
}

fn truncate(rng: &mut Rng, body: &[String]) -> Vec<String> {
    let total: usize = body.iter().map(|p| p.split_whitespace().count()).sum();
    let keep = ((0.4 + 0.4 * rng.unit()) * total as f64).round().max(1.0) as usize;
    let mut out = Vec::new();
    let mut n = 0;
    for p in body {
        let w = p.split_whitespace().count();
        if n + w <= keep {
            out.push(p.clone());
            n += w;
            continue;
        }
        // Cut this paragraph near the remaining word budget, at a sentence
        // end where one comes before it.
        let words: Vec<&str> = p.split_whitespace().collect();
        let part = words
            .get(..keep.saturating_sub(n))
            .unwrap_or(&words)
            .join(" ");
        let cut = match sentence_ends(&part).last() {
            Some(&e) => part[..e].trim().to_string(),
            None => part,
        };
        if !cut.is_empty() {
            out.push(cut);
        }
        break;
    }
    if out.is_empty() {
        out.extend(body.first().cloned());
    }
    out
}

fn reparagraph(rng: &mut Rng, body: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in body {
        let ends = sentence_ends(p);
        if !ends.is_empty() && rng.unit() < 0.4 {
            let e = ends[rng.below(ends.len())];
            out.push(p[..e].trim().to_string());
            out.push(p[e..].trim().to_string());
        } else if !out.is_empty() && rng.unit() < 0.4 {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(p);
            }
        } else {
            out.push(p.clone());
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

fn edit(rng: &mut Rng, body: &[String]) -> Vec<String> {
    let mut out: Vec<String> = body.to_vec();
    // Drop one sentence of a random paragraph (when it has several).
    if !out.is_empty() {
        let i = rng.below(out.len());
        if let Some(p) = out.get_mut(i) {
            let ends = sentence_ends(p);
            if !ends.is_empty() {
                let k = rng.below(ends.len() + 1);
                let start = if k == 0 { 0 } else { ends[k - 1] };
                let end = ends.get(k).copied().unwrap_or(p.len());
                let s = format!("{} {}", &p[..start], &p[end..]);
                *p = s.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
    }
    // Change up to three numbers.
    let mut changed = 0;
    for p in out.iter_mut() {
        if changed >= 3 {
            break;
        }
        let words: Vec<String> = p
            .split(' ')
            .map(|w| {
                if changed < 3 && !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) {
                    changed += 1;
                    let n: u64 = w.parse().unwrap_or(0);
                    (n + 1 + rng.below(9) as u64).to_string()
                } else {
                    w.to_string()
                }
            })
            .collect();
        *p = words.join(" ");
    }
    out.retain(|p| !p.is_empty());
    let trailers = [
        "Copyright 2005 BBC News. All rights reserved.",
        "Story from BBC NEWS. Published 2005/01/12.",
        "Have your say: send us your comments using the form below.",
    ];
    out.push(trailers[rng.below(trailers.len())].to_string());
    out
}

/// Exact Jaccard similarity (word 5-shingles) at or above which two
/// originals of the corpus are already the same story (the BBC corpus holds
/// about 150 such pairs: the same article filed twice, lightly updated).
pub const SAME_STORY: f64 = 0.9;
/// Originals closer to another original than this (exact Jaccard), or with
/// containment at least [`AMBIGUOUS_CONTAINMENT`], but not the same story,
/// are rewrites whose truth is unknown: they are left out of the set.
pub const AMBIGUOUS_JACCARD: f64 = 0.2;
pub const AMBIGUOUS_CONTAINMENT: f64 = 0.5;

/// The test set and how it was made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestSet {
    pub docs: Vec<EvalDoc>,
    /// Originals left out as ambiguous (ids, sorted).
    pub excluded: Vec<String>,
    /// Perturbed copies in `docs`.
    pub copies: usize,
}

/// Groups the originals by exact shingle overlap: returns the truth group
/// of each original (`None` when it is left out as ambiguous).
fn base_truth(originals: &[(String, String)]) -> Vec<Option<String>> {
    let sets: Vec<Vec<u64>> = originals
        .iter()
        .map(|(_, t)| crate::shingles(t, 5))
        .collect();
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for &h in s {
            index.entry(h).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), u32> = HashMap::new();
    for docs in index.values() {
        // Shingles in very many articles are boilerplate, not evidence.
        if docs.len() < 2 || docs.len() > 50 {
            continue;
        }
        for (x, &i) in docs.iter().enumerate() {
            for &j in &docs[x + 1..] {
                *shared.entry((i, j)).or_default() += 1;
            }
        }
    }
    let n = originals.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut ambiguous = vec![false; n];
    let mut keys: Vec<(usize, usize)> = shared.keys().copied().collect();
    keys.sort_unstable();
    for (i, j) in keys {
        let inter = shared[&(i, j)] as f64;
        let (a, b) = (sets[i].len() as f64, sets[j].len() as f64);
        let jac = inter / (a + b - inter).max(1.0);
        let cont = inter / a.min(b).max(1.0);
        if jac >= SAME_STORY {
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            parent[ri.max(rj)] = ri.min(rj);
        } else if jac >= AMBIGUOUS_JACCARD || cont >= AMBIGUOUS_CONTAINMENT {
            ambiguous[i] = true;
            ambiguous[j] = true;
        }
    }
    (0..n)
        .map(|i| {
            let r = root(&mut parent, i);
            (!ambiguous[i] && !ambiguous[r]).then(|| originals[r].0.clone())
        })
        .collect()
}

/// Builds the perturbed test set: the originals (but the ambiguous ones,
/// see [`AMBIGUOUS_JACCARD`]), plus 1–3 perturbed copies of each original
/// picked with probability `rate`, deterministically for a `seed`.
/// `originals` are `(id, text)` pairs; the truth group of an original is
/// the first original of its [`SAME_STORY`] group.
pub fn perturbed_set(originals: &[(String, String)], seed: u64, rate: f64) -> TestSet {
    let mut rng = Rng(seed);
    let truth = base_truth(originals);
    let mut out: Vec<EvalDoc> = Vec::new();
    let mut excluded = Vec::new();
    for ((id, text), group) in originals.iter().zip(truth) {
        let Some(group) = group else {
            excluded.push(id.clone());
            continue;
        };
        out.push(EvalDoc {
            id: id.clone(),
            text: text.clone(),
            group,
            kind: "original".into(),
        });
    }
    excluded.sort();
    let mut copies = Vec::new();
    for d in &out {
        if rng.unit() >= rate {
            continue;
        }
        let (head, body) = split_article(&d.text);
        if body.is_empty() {
            continue;
        }
        let n = 1 + rng.below(3);
        for c in 0..n {
            let mut ops: Vec<usize> = (0..4).filter(|_| rng.unit() < 0.5).collect();
            if ops.is_empty() {
                ops.push(rng.below(4));
            }
            let (mut h, mut b) = (head.clone(), body.clone());
            let mut kind = Vec::new();
            for op in ops {
                match op {
                    0 => {
                        h = reheadline(&mut rng, &h, &b);
                        kind.push("reheadlined");
                    }
                    1 => {
                        b = truncate(&mut rng, &b);
                        kind.push("truncated");
                    }
                    2 => {
                        b = reparagraph(&mut rng, &b);
                        kind.push("reparagraphed");
                    }
                    _ => {
                        b = edit(&mut rng, &b);
                        kind.push("edited");
                    }
                }
            }
            copies.push(EvalDoc {
                id: format!("{}~copy{}", d.id, c + 1),
                text: join_article(&h, &b),
                group: d.group.clone(),
                kind: kind.join("+"),
            });
        }
    }
    let n_copies = copies.len();
    out.extend(copies);
    TestSet {
        docs: out,
        excluded,
        copies: n_copies,
    }
}

/// Pairwise scores of a clustering against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairScore {
    pub docs: usize,
    /// Same-story pairs in the truth.
    pub true_pairs: u64,
    /// Same-story pairs found.
    pub found_pairs: u64,
    /// Pairs both found and true.
    pub correct_pairs: u64,
    /// Number of stories in the truth and found.
    pub true_stories: usize,
    pub found_stories: usize,
}

impl PairScore {
    /// Correct / found pairs (1 when nothing was found).
    pub fn precision(&self) -> f64 {
        if self.found_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.found_pairs as f64
        }
    }
    /// Correct / true pairs (1 when there are none).
    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.true_pairs as f64
        }
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores story labels (`found[i]` for `docs[i]`) against the truth groups.
pub fn score_labels(docs: &[EvalDoc], found: &[String]) -> PairScore {
    let mut by_true: HashMap<&str, u64> = HashMap::new();
    let mut by_found: HashMap<&str, u64> = HashMap::new();
    let mut by_both: HashMap<(&str, &str), u64> = HashMap::new();
    for (d, f) in docs.iter().zip(found) {
        *by_true.entry(&d.group).or_default() += 1;
        *by_found.entry(f).or_default() += 1;
        *by_both.entry((&d.group, f)).or_default() += 1;
    }
    PairScore {
        docs: docs.len().min(found.len()),
        true_pairs: by_true.values().map(|&n| pairs(n)).sum(),
        found_pairs: by_found.values().map(|&n| pairs(n)).sum(),
        correct_pairs: by_both.values().map(|&n| pairs(n)).sum(),
        true_stories: by_true.len(),
        found_stories: by_found.len(),
    }
}

/// Clusters `docs` (no URLs: text only) with `params` and scores the result.
pub fn score(docs: &[EvalDoc], params: &Params) -> PairScore {
    let mut c = Clusterer::new(*params);
    for d in docs {
        c.add(&d.id, Fingerprint::new(&d.text, None, params));
    }
    score_labels(docs, &c.stories())
}

/// The pairs the clustering gets wrong, as `(id, id, truth says same)`;
/// at most `limit` of each kind, for inspection.
pub fn errors(docs: &[EvalDoc], params: &Params, limit: usize) -> Vec<(String, String, bool)> {
    let mut c = Clusterer::new(*params);
    for d in docs {
        c.add(&d.id, Fingerprint::new(&d.text, None, params));
    }
    let found = c.stories();
    let mut by_found: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_true: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (d, f)) in docs.iter().zip(&found).enumerate() {
        by_found.entry(f).or_default().push(i);
        by_true.entry(&d.group).or_default().push(i);
    }
    let mut out = Vec::new();
    let mut keys: Vec<&&str> = by_found.keys().collect();
    keys.sort();
    let (mut fp, mut fnn) = (0, 0);
    for k in keys {
        let m = &by_found[*k];
        for (x, &i) in m.iter().enumerate() {
            for &j in &m[x + 1..] {
                if docs[i].group != docs[j].group && fp < limit {
                    out.push((docs[i].id.clone(), docs[j].id.clone(), false));
                    fp += 1;
                }
            }
        }
    }
    let mut keys: Vec<&&str> = by_true.keys().collect();
    keys.sort();
    for k in keys {
        let m = &by_true[*k];
        for (x, &i) in m.iter().enumerate() {
            for &j in &m[x + 1..] {
                if found[i] != found[j] && fnn < limit {
                    out.push((docs[i].id.clone(), docs[j].id.clone(), true));
                    fnn += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Articles of random words (from a small vocabulary, so that
    /// unrelated articles share words but rarely 5-word runs).
    fn corpus() -> Vec<(String, String)> {
        let mut rng = Rng(3);
        let vocab: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
        let sentence = |rng: &mut Rng| {
            let w: Vec<&str> = (0..12)
                .map(|_| vocab[rng.below(vocab.len())].as_str())
                .collect();
            format!("{}.", w.join(" "))
        };
        (0..40)
            .map(|i| {
                let body: Vec<String> = (0..6)
                    .map(|_| {
                        (0..4)
                            .map(|_| sentence(&mut rng))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                (
                    format!("{i:03}"),
                    join_article(&format!("Headline {i}"), &body),
                )
            })
            .collect()
    }

    #[test]
    fn the_set_is_deterministic_and_keeps_every_original() {
        let c = corpus();
        let a = perturbed_set(&c, 7, 0.5).docs;
        assert_eq!(a, perturbed_set(&c, 7, 0.5).docs);
        assert_ne!(a, perturbed_set(&c, 8, 0.5).docs);
        assert_eq!(a.iter().filter(|d| d.kind == "original").count(), c.len());
        assert!(a.len() > c.len());
        for d in a.iter().filter(|d| d.kind != "original") {
            assert!(d.id.starts_with(&d.group));
            assert_ne!(d.text, c[d.group.parse::<usize>().unwrap_or(0)].1);
        }
    }

    #[test]
    fn pair_scores_count_pairs() {
        let d = |id: &str, g: &str| EvalDoc {
            id: id.into(),
            text: String::new(),
            group: g.into(),
            kind: String::new(),
        };
        let docs = [d("a", "1"), d("b", "1"), d("c", "1"), d("x", "2")];
        let found: Vec<String> = ["a", "a", "c", "a"].iter().map(|s| s.to_string()).collect();
        let s = score_labels(&docs, &found);
        assert_eq!((s.true_pairs, s.found_pairs, s.correct_pairs), (3, 3, 1));
        assert!((s.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.recall() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn synthetic_copies_are_found() {
        let docs = perturbed_set(&corpus(), 11, 0.5).docs;
        let s = score(&docs, &Params::default());
        assert!(s.true_pairs > 0);
        assert!(s.recall() >= 0.9, "{s:?}");
        assert!(s.precision() >= 0.95, "{s:?}");
    }
}
