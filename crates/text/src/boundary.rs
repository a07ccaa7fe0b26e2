//! Statistical sentence boundaries inside running text: an averaged
//! perceptron that decides, at every whitespace gap between two tokens of a
//! line, whether a sentence ends there. It sees the rule splitter's decision
//! (punctuation, abbreviations, quotes) as one feature among the token
//! words, shapes and case around the gap, so it can confirm the rules and
//! also find the ends of sentences written without final punctuation
//! (headlines, list items, chat and e-mail text).
//!
//! The model is data (`data/sentence_model.tsv`, format below), trained from
//! the UD English EWT and GUM **train** documents with the example
//! `build_sentence_model` (see README.md). Features are strings; the model
//! file lists each feature with its weight, and lookup hashes the feature
//! string (FNV-1a, 64 bit) so that no string is allocated per feature.
//!
//! Model file format: `#` comment lines, then one `WEIGHT<TAB>FEATURE` line
//! per feature; a line `version<TAB>N` must come first among the non-comment
//! lines and match [`MODEL_VERSION`].

use crate::abbrev::{self, AbbrevKind};
use petrel_doc::Span;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Version of the feature set; a model file with another version is refused.
pub const MODEL_VERSION: u32 = 1;

const DATA: &str = include_str!("../data/sentence_model.tsv");

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash over `s`.
fn fnv_extend(mut h: u64, s: &str) -> u64 {
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a hash of a feature string.
fn fnv(s: &str) -> u64 {
    fnv_extend(FNV_OFFSET, s)
}

/// Hasher for keys that are already FNV hashes: uses them as they are.
#[derive(Debug, Clone, Copy, Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b) ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type Weights = HashMap<u64, f32, std::hash::BuildHasherDefault<PreHashed>>;

/// A trained boundary model: feature hash → weight.
#[derive(Debug, Clone, Default)]
pub struct BoundaryModel {
    weights: Weights,
}

impl BoundaryModel {
    /// Parses a model file (format in the module documentation).
    pub fn from_data(data: &str) -> Result<Self, String> {
        let mut weights = Weights::default();
        let mut version = None;
        for (n, line) in data.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (a, b) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected WEIGHT<TAB>FEATURE", n + 1))?;
            if version.is_none() {
                if a != "version" {
                    return Err(format!("line {}: expected `version<TAB>N` first", n + 1));
                }
                let v: u32 = b
                    .trim()
                    .parse()
                    .map_err(|_| format!("line {}: bad version {b:?}", n + 1))?;
                if v != MODEL_VERSION {
                    return Err(format!(
                        "line {}: model version {v}, this build reads {MODEL_VERSION}",
                        n + 1
                    ));
                }
                version = Some(v);
                continue;
            }
            let w: f32 = a
                .parse()
                .map_err(|_| format!("line {}: bad weight {a:?}", n + 1))?;
            weights.insert(fnv(b), w);
        }
        if version.is_none() {
            return Err("no `version` line".into());
        }
        Ok(Self { weights })
    }

    /// The model compiled into the binary.
    pub fn builtin() -> &'static BoundaryModel {
        static M: OnceLock<BoundaryModel> = OnceLock::new();
        M.get_or_init(|| {
            BoundaryModel::from_data(DATA)
                .unwrap_or_else(|e| panic!("data/sentence_model.tsv (compiled in): {e}"))
        })
    }

    /// Number of features with a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the model has no features.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    fn score(&self, feats: &[u64]) -> f32 {
        feats
            .iter()
            .map(|h| self.weights.get(h).copied().unwrap_or(0.0))
            .sum()
    }
}

/// Everything the features of one text need.
pub(crate) struct Context<'a> {
    text: &'a str,
    spans: &'a [Span],
    /// Lowercased tokens.
    lower: Vec<String>,
    /// Token shapes.
    shape: Vec<String>,
    /// Rule decision: a sentence ends after token i.
    rule: Vec<bool>,
    /// Index of the next token (>= i) that is terminal punctuation, within the
    /// same paragraph, if any.
    next_terminal: Vec<Option<usize>>,
}

/// Whether the gap after token `i` is a candidate for the model: there is
/// whitespace between the tokens and no line break (line breaks and
/// adjacency stay with the rules), or a line break in hard-wrapped text.
pub(crate) fn candidate(text: &str, spans: &[Span], i: usize, wrapped: bool) -> bool {
    let (Some(a), Some(b)) = (spans.get(i), spans.get(i + 1)) else {
        return false;
    };
    if b.start <= a.end {
        return false;
    }
    let gap = text.get(a.end as usize..b.start as usize).unwrap_or("");
    if crate::sentence::paragraph_break(gap) {
        return false;
    }
    wrapped || !gap.contains('\n')
}

fn shape(t: &str) -> String {
    let mut s = String::new();
    let mut last = None;
    let mut run = 0;
    for c in t.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if Some(k) == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = Some(k);
        s.push(k);
        if s.chars().count() >= 6 {
            break;
        }
    }
    s
}

fn case_class(t: &str) -> &'static str {
    match t.chars().next() {
        Some(c) if c.is_uppercase() => {
            if t.chars().skip(1).any(|c| c.is_lowercase()) {
                "Cap"
            } else {
                "Upper"
            }
        }
        Some(c) if c.is_lowercase() => "low",
        Some(c) if c.is_ascii_digit() => "dig",
        Some(_) => "pun",
        None => "none",
    }
}

fn bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=5 => "4-5",
        6..=8 => "6-8",
        9..=13 => "9-13",
        14..=20 => "14-20",
        21..=35 => "21-35",
        _ => "36+",
    }
}

impl<'a> Context<'a> {
    pub(crate) fn new(text: &'a str, spans: &'a [Span], rule: Vec<bool>) -> Self {
        let toks: Vec<&str> = spans
            .iter()
            .map(|s| text.get(s.range()).unwrap_or(""))
            .collect();
        let lower = toks.iter().map(|t| t.to_lowercase()).collect();
        let shape = toks.iter().map(|t| shape(t)).collect();
        let mut next_terminal = vec![None; spans.len()];
        let mut next = None;
        for i in (0..spans.len()).rev() {
            if crate::sentence::is_terminal(toks[i]) {
                next = Some(i);
            }
            next_terminal[i] = next;
            if i > 0 {
                let gap = text
                    .get(spans[i - 1].end as usize..spans[i].start as usize)
                    .unwrap_or("");
                if crate::sentence::paragraph_break(gap) {
                    next = None;
                }
            }
        }
        Self {
            text,
            spans,
            lower,
            shape,
            rule,
            next_terminal,
        }
    }

    fn tok(&self, i: usize) -> &str {
        self.spans
            .get(i)
            .and_then(|s| self.text.get(s.range()))
            .unwrap_or("<none>")
    }

    fn low(&self, i: isize) -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.lower.get(i))
            .map_or("<none>", String::as_str)
    }

    fn shp(&self, i: isize) -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.shape.get(i))
            .map_or("<none>", String::as_str)
    }

    /// Feature hashes of the gap after token `i`, `since` tokens after the
    /// last boundary. `names` receives the feature strings when given.
    pub(crate) fn features(
        &self,
        i: usize,
        since: usize,
        out: &mut Vec<u64>,
        mut names: Option<&mut Vec<String>>,
    ) {
        out.clear();
        let mut push = |parts: &[&str]| {
            // FNV-1a over the parts is the hash of their concatenation.
            let mut h: u64 = FNV_OFFSET;
            for p in parts {
                h = fnv_extend(h, p);
            }
            out.push(h);
            if let Some(n) = names.as_deref_mut() {
                n.push(parts.concat());
            }
        };
        let ii = i as isize;
        let r = if self.rule.get(i).copied().unwrap_or(false) {
            "1"
        } else {
            "0"
        };
        let t0 = self.tok(i);
        let t1 = self.tok(i + 1);
        let c1 = case_class(t1);
        let ab = if t0.len() > 1 && t0.ends_with('.') {
            match abbrev::kind(&t0[..t0.len() - 1]) {
                Some(AbbrevKind::Title) => "title",
                Some(AbbrevKind::Month) => "month",
                Some(AbbrevKind::Number) => "number",
                Some(AbbrevKind::Other) => "other",
                None => "dot",
            }
        } else {
            "-"
        };
        let term = match self.next_terminal.get(i + 1).copied().flatten() {
            Some(j) => bucket(j - i),
            None => "none",
        };
        let sb = bucket(since);
        push(&["bias"]);
        push(&["r=", r]);
        push(&["r|s0|s1=", r, "|", self.shp(ii), "|", self.shp(ii + 1)]);
        push(&["w0=", self.low(ii)]);
        push(&["w1=", self.low(ii + 1)]);
        push(&["W1=", t1]);
        push(&["w-1=", self.low(ii - 1)]);
        push(&["w2=", self.low(ii + 2)]);
        push(&["w0|c1=", self.low(ii), "|", c1]);
        push(&["w-1|w0=", self.low(ii - 1), "|", self.low(ii)]);
        push(&["w0|w1=", self.low(ii), "|", self.low(ii + 1)]);
        push(&["w1|w2=", self.low(ii + 1), "|", self.low(ii + 2)]);
        push(&["s0|s1=", self.shp(ii), "|", self.shp(ii + 1)]);
        push(&[
            "s-1|s0|s1=",
            self.shp(ii - 1),
            "|",
            self.shp(ii),
            "|",
            self.shp(ii + 1),
        ]);
        push(&[
            "s0|s1|s2=",
            self.shp(ii),
            "|",
            self.shp(ii + 1),
            "|",
            self.shp(ii + 2),
        ]);
        push(&["ab|c1=", ab, "|", c1]);
        push(&["ab|w1=", ab, "|", self.low(ii + 1)]);
        push(&["d=", sb]);
        push(&["d|r=", sb, "|", r]);
        push(&["d|c1=", sb, "|", c1]);
        push(&["t=", term]);
        push(&["t|c1|r=", term, "|", c1, "|", r]);
        push(&["t|d=", term, "|", sb]);
    }
}

/// Score a gap needs for the model to end a sentence where the rules do not
/// (chosen on EWT and GUM dev: splits inside news sentences cost more than
/// missed ends of unpunctuated web sentences).
pub const ADD_MARGIN: f32 = 2.0;

/// Decides the candidate gaps of a text with `model`, left to right, from the
/// rule decisions `rule` (a sentence ends after token i). Returns the final
/// decisions for every gap.
pub(crate) fn decide(
    model: &BoundaryModel,
    text: &str,
    spans: &[Span],
    rule: Vec<bool>,
    wrapped: bool,
) -> Vec<bool> {
    let mut out = rule.clone();
    if model.is_empty() {
        return out;
    }
    let ctx = Context::new(text, spans, rule);
    let mut feats = Vec::with_capacity(32);
    let mut since = 0usize;
    // The last token always ends a sentence; candidates stop before it.
    let last = spans.len().saturating_sub(1);
    for (i, end) in out.iter_mut().enumerate().take(last) {
        since += 1;
        if candidate(text, spans, i, wrapped) {
            ctx.features(i, since, &mut feats, None);
            let margin = if *end { 0.0 } else { ADD_MARGIN };
            *end = model.score(&feats) > margin;
        }
        if *end {
            since = 0;
        }
    }
    out
}

/// Training: averaged perceptron over the candidate gaps of texts with gold
/// sentence ends.
#[derive(Debug, Default)]
pub struct Trainer {
    w: HashMap<u64, (f64, f64, u64)>, // weight, accumulated, last update step
    /// Occurrences of each feature over the candidate gaps ([`Trainer::count`]).
    counts: HashMap<u64, u32>,
    /// Features seen fewer times than this are left out.
    pub min_count: u32,
    names: HashMap<u64, String>,
    step: u64,
    /// (texts, candidate gaps, errors) of the last epoch.
    pub seen: (usize, usize, usize),
}

/// One training text: raw text and the byte offsets where gold sentences end.
#[derive(Debug, Clone)]
pub struct TrainText {
    pub text: String,
    pub ends: Vec<u32>,
}

impl Trainer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts the features of one text (before training, so that rare
    /// features can be left out).
    pub fn count(&mut self, t: &TrainText) {
        let spans = crate::tokens(&t.text);
        let rule = crate::sentence::rule_ends(&t.text, &spans);
        let wrapped = crate::sentence::hard_wrapped(&t.text, &spans);
        let ends: std::collections::HashSet<u32> = t.ends.iter().copied().collect();
        let ctx = Context::new(&t.text, &spans, rule);
        let mut feats = Vec::new();
        let mut since = 0usize;
        for i in 0..spans.len().saturating_sub(1) {
            since += 1;
            if candidate(&t.text, &spans, i, wrapped) {
                ctx.features(i, since, &mut feats, None);
                for h in &feats {
                    *self.counts.entry(*h).or_insert(0) += 1;
                }
            }
            if ends.contains(&spans[i].end) {
                since = 0;
            }
        }
    }

    /// Starts an epoch's counters.
    pub fn begin_epoch(&mut self) {
        self.seen = (0, 0, 0);
    }

    /// One perceptron pass over one text.
    pub fn train(&mut self, t: &TrainText) {
        let spans = crate::tokens(&t.text);
        let n = spans.len();
        if n < 2 {
            return;
        }
        let rule = crate::sentence::rule_ends(&t.text, &spans);
        let wrapped = crate::sentence::hard_wrapped(&t.text, &spans);
        let ends: std::collections::HashSet<u32> = t.ends.iter().copied().collect();
        let ctx = Context::new(&t.text, &spans, rule);
        let mut feats = Vec::new();
        let mut names = Vec::new();
        let mut since = 0usize;
        self.seen.0 += 1;
        for i in 0..n - 1 {
            since += 1;
            let gold = ends.contains(&spans[i].end);
            if candidate(&t.text, &spans, i, wrapped) {
                names.clear();
                ctx.features(i, since, &mut feats, Some(&mut names));
                if self.min_count > 1 {
                    let keep: Vec<bool> = feats
                        .iter()
                        .map(|h| self.counts.get(h).copied().unwrap_or(0) >= self.min_count)
                        .collect();
                    let mut k = keep.iter();
                    feats.retain(|_| k.next().copied().unwrap_or(false));
                    let mut k = keep.iter();
                    names.retain(|_| k.next().copied().unwrap_or(false));
                }
                self.step += 1;
                let score: f64 = feats
                    .iter()
                    .map(|h| self.w.get(h).map_or(0.0, |x| x.0))
                    .sum();
                self.seen.1 += 1;
                if (score > 0.0) != gold {
                    self.seen.2 += 1;
                    let delta = if gold { 1.0 } else { -1.0 };
                    for (h, name) in feats.iter().zip(&names) {
                        let e = self.w.entry(*h).or_insert((0.0, 0.0, self.step));
                        e.1 += (self.step - e.2) as f64 * e.0;
                        e.0 += delta;
                        e.2 = self.step;
                        self.names.entry(*h).or_insert_with(|| name.clone());
                    }
                }
            }
            if gold {
                since = 0;
            }
        }
    }

    /// The averaged model as a data file (features whose averaged weight is
    /// below `min_abs` in absolute value are dropped), with `header` comment
    /// lines first.
    pub fn finish(&self, header: &str, min_abs: f64) -> String {
        let mut rows: Vec<(String, f64)> = Vec::new();
        let total = self.step.max(1) as f64;
        for (h, (w, acc, last)) in &self.w {
            let acc = acc + (self.step - last) as f64 * w;
            let avg = acc / total;
            if avg.abs() >= min_abs {
                if let Some(name) = self.names.get(h) {
                    rows.push((name.clone(), avg));
                }
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::from(header);
        let _ = writeln!(out, "version\t{MODEL_VERSION}");
        for (name, w) in rows {
            let _ = writeln!(out, "{w:.4}\t{name}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_file_parses() {
        let m = BoundaryModel::builtin();
        assert!(m.len() > 100, "model has {} features", m.len());
        assert!(BoundaryModel::from_data("1.0\tbias\n").is_err());
        assert!(BoundaryModel::from_data("version\t999\n").is_err());
        assert!(BoundaryModel::from_data("version\t1\nx\tbias\n").is_err());
        let m = BoundaryModel::from_data("# c\nversion\t1\n1.5\tbias\n").expect("parses");
        assert_eq!(m.len(), 1);
    }

    fn sents(m: &BoundaryModel, s: &str) -> Vec<String> {
        let (_, ss) = crate::segment_with(s, m);
        ss.iter().map(|x| s[x.span.range()].to_string()).collect()
    }

    #[test]
    fn decisions_and_margin() {
        let text = "He left. She stayed \"here\" and then went home";
        // No features: the rules decide.
        let empty = BoundaryModel::from_data("version\t1\n").expect("parses");
        assert_eq!(
            sents(&empty, text),
            crate::segment_rules(text)
                .1
                .iter()
                .map(|x| text[x.span.range()].to_string())
                .collect::<Vec<_>>()
        );
        // A bias below the margin keeps rule ends and adds none.
        let low = BoundaryModel::from_data(&format!("version\t1\n{}\tbias\n", ADD_MARGIN / 2.0))
            .expect("parses");
        assert_eq!(
            sents(&low, text),
            ["He left.", "She stayed \"here\" and then went home"]
        );
        // Above the margin every whitespace gap ends a sentence; the
        // adjacent quote and the line break stay with the rules.
        let high = BoundaryModel::from_data(&format!("version\t1\n{}\tbias\n", ADD_MARGIN * 2.0))
            .expect("parses");
        assert_eq!(sents(&high, "a b\"c\" d"), ["a", "b\"c\"", "d"]);
        assert!(sents(&high, "").is_empty());
    }

    #[test]
    fn builtin_model_on_running_text() {
        let m = BoundaryModel::builtin();
        // An ambiguous abbreviation before a capitalised noun: the rules end
        // the sentence, the model does not.
        assert_eq!(
            sents(m, "Earlier, U.S. Officials with Shultz said he would go."),
            ["Earlier, U.S. Officials with Shultz said he would go."]
        );
        // News prose is left as the rules split it.
        let news = "Gen. Smith met Mr. Jones in the U.S. on Jan. 5. The talks, which began in 1,200 rooms, ended at 3.5% growth.";
        assert_eq!(
            sents(m, news),
            crate::segment_rules(news)
                .1
                .iter()
                .map(|x| news[x.span.range()].to_string())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Hello"), "Xxx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1,200"), "d,dd");
        assert_eq!(case_class("I"), "Upper");
        assert_eq!(case_class("Then"), "Cap");
    }
}
