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

/// One predicted content with its candidate ends (feature ids per
/// candidate) and the index of the candidate that best matches gold.
#[derive(Debug, Clone)]
pub struct BoundaryExample {
    pub cands: Vec<Vec<u32>>,
    pub target: usize,
    /// Index of the rules' own end.
    pub orig: usize,
    /// The rules' end matches no gold content but the target does.
    pub fixable: bool,
    /// Per candidate: overlap ratio with the best half-matching gold content
    /// (0 when none).
    pub quality: Vec<f64>,
}

/// For measuring what feature templates add: `true` for each feature name
/// whose template (after its two-character prefix, e.g. `o:`, `r:` or a
/// direction letter and `:`) starts with one of the comma-separated
/// `prefixes`.
pub fn dropped_features(names: &[String], prefixes: &str) -> Vec<bool> {
    let pre: Vec<&str> = prefixes.split(',').collect();
    names
        .iter()
        .map(|n| {
            let t = n.get(2..).unwrap_or("");
            pre.iter().any(|p| t.starts_with(p))
        })
        .collect()
}

/// Training data for the boundary model: interned feature names and
/// examples.
#[derive(Debug, Clone, Default)]
pub struct BoundaryData {
    pub names: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    pub examples: Vec<BoundaryExample>,
}

impl BoundaryData {
    fn id(&mut self, f: &str) -> u32 {
        if let Some(&k) = self.index.get(f) {
            return k;
        }
        let k = self.names.len() as u32;
        self.names.push(f.to_string());
        self.index.insert(f.to_string(), k);
        k
    }

    /// One ranking example over candidate token positions: each candidate's
    /// span (`span_of`) is scored against the gold contents by its best
    /// half-overlap ratio, the target is the best candidate, `rules` the
    /// position the rules chose; nothing is added when no candidate
    /// matches gold.
    fn push_ranking(
        &mut self,
        cands: &[usize],
        rules: usize,
        gold: &[petrel_doc::Span],
        span_of: impl Fn(usize) -> petrel_doc::Span,
        mut features: impl FnMut(usize, &mut Vec<String>),
    ) {
        let quality = |c: usize| {
            let sp = span_of(c);
            gold.iter()
                .filter(|g| crate::eval::half_overlap(sp, **g))
                .map(|g| {
                    let o = sp.end.min(g.end).saturating_sub(sp.start.max(g.start));
                    o as f64 / sp.len().max(g.len()).max(1) as f64
                })
                .fold(0.0, f64::max)
        };
        let scores: Vec<f64> = cands.iter().map(|&c| quality(c)).collect();
        let Some((target, &best)) = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
        else {
            return;
        };
        if best <= 0.0 {
            return;
        }
        let orig = cands.iter().position(|&c| c == rules).unwrap_or(0);
        let mut feats = Vec::new();
        let mut ids = Vec::with_capacity(cands.len());
        for &c in cands {
            features(c, &mut feats);
            let row: Vec<u32> = feats.iter().map(|f| self.id(f)).collect();
            ids.push(row);
        }
        self.examples.push(BoundaryExample {
            cands: ids,
            target,
            orig,
            fixable: scores.get(orig).is_some_and(|&s| s <= 0.0),
            quality: scores,
        });
    }

    /// Add the examples of one analysed article with its gold contents.
    pub fn add_doc(&mut self, doc: &Doc, gold: &[petrel_doc::Span]) {
        use crate::boundary::{candidates, features, Ctx};
        let v = View::new(doc);
        // The contents the ranker re-decides at run time: the rules'
        // candidates before the later rules (`split_coordinated`,
        // `trim_apposition`) reshape them; nested ones are not scored.
        let (out, _) = crate::quotes::candidates(&v, None, false, None);
        let nested = crate::quotes::nested_flags(&out);
        for (q, n) in out.into_iter().zip(nested) {
            if n || q.kind == crate::QuoteKind::Direct {
                continue;
            }
            let Some(ctx) = Ctx::of(&v, &q) else { continue };
            let cands = candidates(&v, &ctx);
            // The target is the best-matching end even when the rules' end
            // already matches (learning only the no-match → match changes
            // scored 0.004 F1 lower on dev).
            self.push_ranking(
                &cands,
                ctx.hi,
                gold,
                |e| petrel_doc::Span {
                    start: q.content.start,
                    end: v.span(e).end,
                },
                |e, out| features(&v, &ctx, e, out),
            );
        }
    }
}

impl BoundaryData {
    /// Add the content-start examples of one analysed article: the rules'
    /// top-level indirect and mixed contents with their ends decided by
    /// `boundary` (as at run time, where the start is decided after the
    /// end); the target is the candidate start whose span best matches a
    /// gold content.
    pub fn add_doc_starts(
        &mut self,
        doc: &Doc,
        gold: &[petrel_doc::Span],
        boundary: Option<&crate::boundary::BoundaryModel>,
    ) {
        use crate::boundary::{start_candidates, start_features, Ctx};
        let v = View::new(doc);
        let (out, _) = crate::quotes::candidates(&v, boundary, false, None);
        let nested = crate::quotes::nested_flags(&out);
        for (q, n) in out.into_iter().zip(nested) {
            if n || q.kind == crate::QuoteKind::Direct {
                continue;
            }
            let Some(ctx) = Ctx::of(&v, &q) else { continue };
            let cands = start_candidates(&v, &ctx);
            self.push_ranking(
                &cands,
                ctx.lo,
                gold,
                |s| petrel_doc::Span {
                    start: v.span(s).start,
                    end: q.content.end,
                },
                |s, out| start_features(&v, &ctx, s, out),
            );
        }
    }
}

/// Collect content-start training data from a PolNeAR split folder
/// (train), contents ending where `boundary` puts them.
pub fn start_data(
    dir: &std::path::Path,
    analyse: &dyn Fn(&str) -> Doc,
    boundary: Option<&crate::boundary::BoundaryModel>,
) -> Result<BoundaryData, String> {
    let mut data = BoundaryData::default();
    for (text, gold) in polnear_docs(dir)? {
        let doc = analyse(&text);
        let spans: Vec<petrel_doc::Span> = gold.iter().map(|g| g.content).collect();
        data.add_doc_starts(&doc, &spans, boundary);
    }
    Ok(data)
}

/// Collect boundary training data from a PolNeAR split folder (train).
pub fn boundary_data(
    dir: &std::path::Path,
    analyse: &dyn Fn(&str) -> Doc,
) -> Result<BoundaryData, String> {
    let mut data = BoundaryData::default();
    for (text, gold) in polnear_docs(dir)? {
        let doc = analyse(&text);
        let spans: Vec<petrel_doc::Span> = gold.iter().map(|g| g.content).collect();
        data.add_doc(&doc, &spans);
    }
    Ok(data)
}

/// Train the boundary ranker: an averaged perceptron, `epochs` passes over
/// the examples in a fixed pseudo-random order (deterministic). Features
/// seen in fewer than `min_count` examples are left out.
pub fn boundary_fit(data: &BoundaryData, m: &crate::boundary::BoundaryModel) -> (usize, usize) {
    let (mut fixed, mut broken) = (0, 0);
    for ex in &data.examples {
        let best = ex
            .cands
            .iter()
            .enumerate()
            .map(|(j, row)| {
                let s: f32 = row
                    .iter()
                    .filter_map(|&f| data.names.get(f as usize).and_then(|n| m.weights.get(n)))
                    .sum();
                (s, j)
            })
            .fold(
                (f32::NEG_INFINITY, ex.orig),
                |a, b| if b.0 > a.0 { b } else { a },
            )
            .1;
        let q = |j: usize| ex.quality.get(j).copied().unwrap_or(0.0) > 0.0;
        fixed += usize::from(!q(ex.orig) && q(best));
        broken += usize::from(q(ex.orig) && !q(best));
    }
    (fixed, broken)
}

/// Train the boundary ranker (see above).
pub fn train_boundary(
    data: &BoundaryData,
    epochs: usize,
    min_count: usize,
) -> crate::boundary::BoundaryModel {
    train_boundary_with(data, epochs, min_count, 1)
}

/// [`train_boundary`] averaged over `runs` passes orders (run `r` shuffles
/// with its own seed; the weights are the mean of the runs' averaged
/// weights, which steadies the ranker's choices).
pub fn train_boundary_with(
    data: &BoundaryData,
    epochs: usize,
    min_count: usize,
    runs: usize,
) -> crate::boundary::BoundaryModel {
    let n = data.names.len();
    let mut count = vec![0usize; n];
    for ex in &data.examples {
        let mut seen: Vec<u32> = ex.cands.iter().flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        for f in seen {
            count[f as usize] += 1;
        }
    }
    let keep: Vec<bool> = count.iter().map(|&c| c >= min_count).collect();
    let score = |w: &[f64], row: &[u32]| -> f64 {
        row.iter()
            .filter(|&&f| keep[f as usize])
            .map(|&f| w[f as usize])
            .sum()
    };
    let runs = runs.max(1);
    let mut total = vec![0f64; n];
    for run in 0..runs {
        let mut w = vec![0f64; n];
        let mut u = vec![0f64; n];
        let mut c = 1f64;
        // The rules' own end starts ahead: without evidence, keep it.
        let mut order: Vec<usize> = (0..data.examples.len()).collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64 ^ (run as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        if seed == 0 {
            seed = 1;
        }
        for _ in 0..epochs {
            for k in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(k, (seed % (k as u64 + 1)) as usize);
            }
            for &x in &order {
                let ex = &data.examples[x];
                let mut best = (f64::NEG_INFINITY, ex.orig);
                for (j, row) in ex.cands.iter().enumerate() {
                    let s = score(&w, row) + if j == ex.orig { 1e-9 } else { 0.0 };
                    if s > best.0 {
                        best = (s, j);
                    }
                }
                if best.1 != ex.target {
                    for (row, d) in [(&ex.cands[ex.target], 1.0), (&ex.cands[best.1], -1.0)] {
                        for &f in row.iter().filter(|&&f| keep[f as usize]) {
                            w[f as usize] += d;
                            u[f as usize] += c * d;
                        }
                    }
                }
                c += 1.0;
            }
        }
        for (k, t) in total.iter_mut().enumerate() {
            *t += (w[k] - u[k] / c) / runs as f64;
        }
    }
    let mut m = crate::boundary::BoundaryModel::default();
    for (k, name) in data.names.iter().enumerate() {
        let avg = total[k];
        if keep[k] && avg.abs() >= 5e-4 {
            m.weights.insert(name.clone(), avg as f32);
        }
    }
    m
}

/// Training data for the open-cue classifier: interned feature names and
/// (feature ids, label) per candidate.
#[derive(Debug, Clone, Default)]
pub struct CueData {
    pub names: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    /// (feature ids, label, whether a rules' attribution).
    pub examples: Vec<(Vec<u32>, bool, bool)>,
}

impl CueData {
    /// Add the candidates of one analysed article (content ends decided by
    /// `boundary`) with its gold contents.
    pub fn add_doc(
        &mut self,
        doc: &Doc,
        gold: &[petrel_doc::Span],
        boundary: Option<&crate::boundary::BoundaryModel>,
    ) {
        let v = View::new(doc);
        let (rules, open) = crate::quotes::candidates(&v, boundary, true, None);
        let top: Vec<crate::Quote> = crate::quotes::finish(rules.clone())
            .into_iter()
            .filter(|q| !q.nested)
            .collect();
        let all: Vec<&petrel_doc::Span> = gold.iter().collect();
        let free: Vec<&petrel_doc::Span> = gold
            .iter()
            .filter(|g| {
                !top.iter()
                    .any(|q| crate::eval::half_overlap(q.content, **g))
            })
            .collect();
        let mut feats = Vec::new();
        let nested = crate::quotes::nested_flags(&rules);
        let rule_cands = rules
            .iter()
            .zip(&nested)
            .filter(|(q, &n)| !n && q.kind != crate::QuoteKind::Direct)
            .map(|(q, _)| (q.clone(), true));
        let open_cands = crate::open_cues::top_level(&rules, open)
            .into_iter()
            .map(|q| (q, false));
        // The rules' nested attributions: positive when their content
        // half-matches a gold content no top-level attribution matches.
        let nested_cands = rules
            .iter()
            .zip(&nested)
            .filter(|(q, &n)| n && q.kind != crate::QuoteKind::Direct)
            .map(|(q, _)| (q.clone(), false, "n:"));
        let rule_cands = rule_cands.map(|(q, r)| (q, r, "r:"));
        let open_cands = open_cands.map(|(q, r)| (q, r, "o:"));
        for (q, rule, pre) in rule_cands.chain(open_cands).chain(nested_cands) {
            crate::open_cues::features_with(&v, &q, &rules, pre, &mut feats);
            let pool: &[&petrel_doc::Span] = if rule { &all } else { &free };
            let label = pool
                .iter()
                .any(|g| crate::eval::half_overlap(q.content, **g));
            let mut ids = Vec::with_capacity(feats.len());
            for f in &feats {
                let k = match self.index.get(f) {
                    Some(&k) => k,
                    None => {
                        let k = self.names.len() as u32;
                        self.names.push(f.clone());
                        self.index.insert(f.clone(), k);
                        k
                    }
                };
                ids.push(k);
            }
            self.examples.push((ids, label, rule));
        }
    }
}

/// Collect open-cue training data from a PolNeAR split folder (train).
pub fn open_cue_data(
    dir: &std::path::Path,
    analyse: &dyn Fn(&str) -> Doc,
    boundary: Option<&crate::boundary::BoundaryModel>,
) -> Result<CueData, String> {
    let mut data = CueData::default();
    for (text, gold) in polnear_docs(dir)? {
        let doc = analyse(&text);
        let spans: Vec<petrel_doc::Span> = gold.iter().map(|g| g.content).collect();
        data.add_doc(&doc, &spans, boundary);
    }
    Ok(data)
}

/// Train the open-cue classifier: logistic regression by stochastic
/// gradient descent (`epochs` passes in a fixed pseudo-random order, rate
/// 0.1 / (1 + epoch), L2 penalty `l2`). Features seen in fewer than
/// `min_count` examples are left out. `threshold` is written with the
/// model.
pub fn train_open_cues(
    data: &CueData,
    epochs: usize,
    min_count: usize,
    l2: f64,
    threshold: f32,
    rule_threshold: f32,
) -> crate::open_cues::CueModel {
    train_open_cues_with(
        data,
        epochs,
        min_count,
        l2,
        threshold,
        rule_threshold,
        false,
    )
}

/// [`train_open_cues`]; with `average`, the weights are the mean of the
/// iterates of the last epoch (steadier than the last iterate, whose
/// probabilities move with the last few examples seen).
pub fn train_open_cues_with(
    data: &CueData,
    epochs: usize,
    min_count: usize,
    l2: f64,
    threshold: f32,
    rule_threshold: f32,
    average: bool,
) -> crate::open_cues::CueModel {
    train_open_cues_runs(
        data,
        epochs,
        min_count,
        l2,
        threshold,
        rule_threshold,
        average,
        1,
    )
}

/// [`train_open_cues_with`] averaged over `runs` shuffle orders (run `r`
/// shuffles with its own seed, run 0 with the seed of a single run; the
/// weights are the mean of the runs' weights).
#[allow(clippy::too_many_arguments)]
pub fn train_open_cues_runs(
    data: &CueData,
    epochs: usize,
    min_count: usize,
    l2: f64,
    threshold: f32,
    rule_threshold: f32,
    average: bool,
    runs: usize,
) -> crate::open_cues::CueModel {
    let runs = runs.max(1);
    let mut total = vec![0f64; data.names.len()];
    for run in 0..runs {
        let w = open_cue_weights(data, epochs, min_count, l2, average, run);
        for (t, x) in total.iter_mut().zip(w) {
            *t += x / runs as f64;
        }
    }
    let mut m = crate::open_cues::CueModel {
        threshold,
        rule_threshold,
        ..Default::default()
    };
    for (k, name) in data.names.iter().enumerate() {
        let x = total.get(k).copied().unwrap_or(0.0);
        if x.abs() >= 5e-4 {
            m.weights.insert(name.clone(), x as f32);
        }
    }
    m
}

/// The weights of one SGD run (see [`train_open_cues_with`]) shuffling
/// with the seed of run `run`; features below `min_count` stay 0.
fn open_cue_weights(
    data: &CueData,
    epochs: usize,
    min_count: usize,
    l2: f64,
    average: bool,
    run: usize,
) -> Vec<f64> {
    let n = data.names.len();
    let mut count = vec![0usize; n];
    for (row, _, _) in &data.examples {
        for &f in row {
            count[f as usize] += 1;
        }
    }
    let keep: Vec<bool> = count.iter().map(|&c| c >= min_count).collect();
    let mut w = vec![0f64; n];
    let (mut u, mut c) = (vec![0f64; n], 1f64);
    let mut order: Vec<usize> = (0..data.examples.len()).collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64 ^ (run as u64).wrapping_mul(0x2545_f491_4f6c_dd1d);
    if seed == 0 {
        seed = 1;
    }
    for ep in 0..epochs {
        for k in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(k, (seed % (k as u64 + 1)) as usize);
        }
        let rate = 0.1 / (1.0 + ep as f64);
        let last = average && ep + 1 == epochs;
        for &x in &order {
            let (row, y, _) = &data.examples[x];
            let z: f64 = row
                .iter()
                .filter(|&&f| keep[f as usize])
                .map(|&f| w[f as usize])
                .sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = f64::from(u8::from(*y)) - p;
            for &f in row.iter().filter(|&&f| keep[f as usize]) {
                let f = f as usize;
                let d = rate * (g - l2 * w[f]);
                w[f] += d;
                if last {
                    u[f] += c * d;
                }
            }
            if last {
                c += 1.0;
            }
        }
    }
    if average {
        for (wk, uk) in w.iter_mut().zip(&u) {
            *wk -= uk / c;
        }
    }
    for (wk, &k) in w.iter_mut().zip(&keep) {
        if !k {
            *wk = 0.0;
        }
    }
    w
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
    fn boundary_ranker_learns_the_better_end() {
        // Two candidate ends per content: the rules' one ("o|…") and a
        // shorter one before a comma ("s|n1=,"); gold prefers the shorter
        // one when the break is a comma, the rules' one otherwise.
        let mut d = BoundaryData::default();
        let (o, s_comma, s_and) = (d.id("o|bias"), d.id("s|n1=,"), d.id("s|n1=and"));
        for k in 0..20 {
            let comma = k % 2 == 0;
            d.examples.push(BoundaryExample {
                cands: vec![vec![if comma { s_comma } else { s_and }], vec![o]],
                target: usize::from(!comma),
                orig: 1,
                fixable: comma,
                quality: vec![f64::from(u8::from(comma)), f64::from(u8::from(!comma))],
            });
        }
        let m = train_boundary(&d, 3, 1);
        assert!(m.weights["s|n1=,"] > m.weights.get("o|bias").copied().unwrap_or(0.0));
        assert!(m.weights.get("s|n1=and").copied().unwrap_or(0.0) < 0.0);
        assert_eq!(boundary_fit(&d, &m), (10, 0));
        // Deterministic: the same data gives the same model.
        assert_eq!(train_boundary(&d, 3, 1), m);
        // One run is the plain ranker; several average their weights and
        // learn the same choices.
        assert_eq!(train_boundary_with(&d, 3, 1, 1), m);
        let m5 = train_boundary_with(&d, 3, 1, 5);
        assert_eq!(boundary_fit(&d, &m5), (10, 0));
        assert_eq!(train_boundary_with(&d, 3, 1, 5), m5);
    }

    #[test]
    fn open_cue_classifier_separates() {
        let mut d = CueData::default();
        let mut id = |f: &str| match d.index.get(f) {
            Some(&k) => k,
            None => {
                let k = d.names.len() as u32;
                d.names.push(f.to_string());
                d.index.insert(f.to_string(), k);
                k
            }
        };
        let (b, vow, eat) = (id("o:bias"), id("o:l=vow"), id("o:l=eat"));
        for k in 0..40 {
            let pos = k % 4 != 0;
            d.examples
                .push((vec![b, if pos { vow } else { eat }], pos, false));
        }
        let m = train_open_cues(&d, 5, 1, 0.0, 0.5, 0.1);
        assert!(m.prob(&["o:bias".into(), "o:l=vow".into()]) > 0.5);
        assert!(m.prob(&["o:bias".into(), "o:l=eat".into()]) < 0.5);
        assert_eq!((m.threshold, m.rule_threshold), (0.5, 0.1));
        // Features below the count threshold are left out.
        assert!(train_open_cues(&d, 5, 31, 0.0, 0.5, 0.1)
            .weights
            .keys()
            .all(|k| k == "o:bias" || k == "o:l=vow"));
        // Averaging the last epoch's iterates keeps the separation.
        let a = train_open_cues_with(&d, 5, 1, 0.0, 0.5, 0.1, true);
        assert!(a.prob(&["o:bias".into(), "o:l=vow".into()]) > 0.5);
        assert!(a.prob(&["o:bias".into(), "o:l=eat".into()]) < 0.5);
        assert_ne!(a.weights, m.weights);
        // One run is the plain classifier; several average their weights.
        assert_eq!(train_open_cues_runs(&d, 5, 1, 0.0, 0.5, 0.1, true, 1), a);
        let r3 = train_open_cues_runs(&d, 5, 1, 0.0, 0.5, 0.1, true, 3);
        assert!(r3.prob(&["o:bias".into(), "o:l=vow".into()]) > 0.5);
        assert!(r3.prob(&["o:bias".into(), "o:l=eat".into()]) < 0.5);
        assert_ne!(r3.weights, a.weights);
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
