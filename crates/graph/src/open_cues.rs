//! Learned attributions with a cue verb outside the lexicon.
//!
//! PolNeAR marks a long tail of cues ("mocked", "slammed", "vowed", "knows",
//! "shows") that no lexicon lists in full. With an open-cue model, the
//! extractor in [`crate::quotes`] reads every other verb as a candidate cue:
//! the same content shapes as a belief verb of the lexicon (a clausal
//! complement, an object of three tokens or more, an infinitive, an
//! "about/for/of/on/against/over" phrase; a subject is required), and this
//! module keeps the candidates that a logistic-regression classifier scores
//! at least at the model's threshold. Candidates whose cue lies inside a
//! content found by the rules (nested speech) are dropped. Open nouns take
//! a "that" clause or an "about/for/of/on/to/against/over" phrase ("support
//! for Trump"). The same classifier, with its own features (prefix `r:`)
//! and a lower threshold (`@rule_threshold`), also drops the rules' own
//! top-level indirect attributions that it finds unlikely, and, with
//! features `n:` and `@nested_threshold`, promotes the rules' nested
//! attributions (cue inside another content) to top-level: PolNeAR often
//! marks `Y warned B` inside `X said A, and Y warned B` rather than the
//! outer one (the outer content is then cut, `quotes::cut_outer`).
//!
//! The classifier is trained on PolNeAR's train split only
//! ([`crate::learn::open_cue_data`], example `train_quotes`): a candidate is
//! positive when its content half-matches a gold content that no rule-based
//! attribution already matches (a rules' attribution: any gold content;
//! a nested one: a gold content no top-level attribution matches).
//!
//! File format (`data/quote_cues.tsv`, compiled in): `#` comment lines, one
//! `@threshold<TAB>P` line (the probability an open candidate needs), one
//! `@rule_threshold<TAB>P` line (the probability a rules' attribution
//! needs), an optional `@nested_threshold<TAB>P` line (a nested one; 0 or
//! absent: never promoted), then one
//! `FEATURE<TAB>WEIGHT` line per feature. Feature names are the templates of
//! [`features`] filled with lemmas, lowercase function words, tags,
//! relations and buckets; no corpus text is stored.

use crate::boundary::{bool_str, digit, push_lower, read_weights, write_weights, Weights};
use crate::view::View;
use crate::Quote;
use petrel_doc::{EntityLabel, Upos};
use std::sync::OnceLock;

const MODEL: &str = include_str!("../data/quote_cues.tsv");

/// Logistic-regression weights and the acceptance threshold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CueModel {
    pub weights: Weights,
    /// Probability an open candidate needs to be kept.
    pub threshold: f32,
    /// Probability a (top-level, indirect or mixed) attribution found by
    /// the rules needs to be kept.
    pub rule_threshold: f32,
    /// Probability a nested attribution of the rules (its cue inside
    /// another content) needs to be scored as top-level (features `n:`);
    /// 0: never (`@nested_threshold`, optional).
    pub nested_threshold: f32,
}

impl CueModel {
    /// Parse the model file; errors name `file:line`.
    pub fn parse(src: &str, file: &str) -> Result<CueModel, String> {
        let (mut threshold, mut rule_threshold) = (f32::NAN, f32::NAN);
        let mut nested_threshold = 0.0;
        let weights = read_weights(src, file, "number", |f, w| match f {
            "@threshold" => {
                threshold = w;
                true
            }
            "@rule_threshold" => {
                rule_threshold = w;
                true
            }
            "@nested_threshold" => {
                nested_threshold = w;
                true
            }
            _ => false,
        })?;
        if threshold.is_nan() || rule_threshold.is_nan() {
            return Err(format!("{file}: no @threshold or @rule_threshold line"));
        }
        Ok(CueModel {
            weights,
            threshold,
            rule_threshold,
            nested_threshold,
        })
    }

    /// The model file: `header` lines as comments, the threshold, then the
    /// features sorted by name (weights rounded to 3 decimals, zeros left
    /// out).
    pub fn write(&self, header: &str) -> String {
        write_weights(
            header,
            &[
                ("@threshold", self.threshold),
                ("@rule_threshold", self.rule_threshold),
                ("@nested_threshold", self.nested_threshold),
            ],
            &self.weights,
        )
    }

    /// Probability that the candidate is an attribution.
    pub fn prob(&self, feats: &[String]) -> f32 {
        let z: f32 = feats.iter().filter_map(|f| self.weights.get(f)).sum();
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether `q` (an open candidate, or one of the rules' attributions
    /// `rules` when `rule` is set) is kept.
    pub(crate) fn accept(&self, v: &View, q: &Quote, rules: &[Quote], rule: bool) -> bool {
        // The weights of the features, summed in feature order (as `prob`
        // does), without building the feature list.
        let mut z = 0.0f32;
        let mut key = String::new();
        emit_features(v, q, rules, prefix(rule), false, &mut key, &mut |f, _| {
            if let Some(w) = self.weights.get(f) {
                z += w;
            }
        });
        let p = 1.0 / (1.0 + (-z).exp());
        p >= if rule {
            self.rule_threshold
        } else {
            self.threshold
        }
    }

    /// Whether the rules' nested attribution `q` (its cue inside another
    /// content of `rules`) is scored as top-level: PolNeAR often marks
    /// the inner attribution rather than the outer one.
    pub(crate) fn accept_nested(&self, v: &View, q: &Quote, rules: &[Quote]) -> bool {
        if self.nested_threshold <= 0.0 {
            return false;
        }
        let mut z = 0.0f32;
        let mut key = String::new();
        emit_features(v, q, rules, "n:", false, &mut key, &mut |f, _| {
            if let Some(w) = self.weights.get(f) {
                z += w;
            }
        });
        1.0 / (1.0 + (-z).exp()) >= self.nested_threshold
    }

    /// Whether open candidate `q` (not yet given its final content end) is
    /// rejected by [`CueModel::accept`] wherever its content ends: only the
    /// `fin`, `len` and `ov` features depend on the end, so the best value
    /// of each bounds the score. The bound keeps a margin far above the
    /// rounding of the f32 sum and sigmoid, so a candidate dropped here is
    /// one `accept` drops.
    pub(crate) fn surely_rejected(&self, v: &View, q: &Quote, rules: &[Quote]) -> bool {
        if !(self.threshold > 0.0 && self.threshold < 0.99) {
            return false;
        }
        let t = f64::from(self.threshold);
        let logit = (t / (1.0 - t)).ln();
        let (mut fixed, mut abs) = (0.0f64, 0.0f64);
        let mut groups = [[0.0f64; 8]; 3];
        let mut key = String::new();
        emit_features(v, q, rules, "o:", true, &mut key, &mut |f, slot| {
            let w = self.weights.get(f).map_or(0.0, |&w| f64::from(w));
            abs += w.abs();
            match slot {
                Slot::Fixed => fixed += w,
                Slot::Var(g, k) => {
                    if let Some(x) = groups.get_mut(g).and_then(|r| r.get_mut(k)) {
                        *x += w;
                    }
                }
            }
        });
        // Values per group: fin and ov 2, len 8.
        let best: f64 = groups
            .iter()
            .zip([2usize, 8, 2])
            .map(|(g, n)| g.iter().take(n).copied().fold(f64::NEG_INFINITY, f64::max))
            .sum();
        fixed + best + 1e-3 + 1e-5 * abs < logit
    }
}

/// The shipped model (`data/quote_cues.tsv`); `None` when it does not parse
/// (the unit test `shipped_model_parses` keeps it well-formed).
pub(crate) fn model() -> Option<&'static CueModel> {
    static M: OnceLock<Option<CueModel>> = OnceLock::new();
    M.get_or_init(|| CueModel::parse(MODEL, "data/quote_cues.tsv").ok())
        .as_ref()
}

/// Whether token `i` may be an open cue: a verb (not an auxiliary, not
/// after a hyphen) with an alphabetic lemma.
pub(crate) fn open_verb(v: &View, i: usize) -> bool {
    v.upos(i) == Upos::Verb
        && !(i > 0 && v.text(i - 1) == "-")
        && v.lemma(i).chars().all(|c| c.is_alphabetic())
}

/// The candidates whose cue lies outside every content of `rules`.
pub(crate) fn top_level(rules: &[Quote], open: Vec<Quote>) -> Vec<Quote> {
    open.into_iter()
        .filter(|q| {
            q.cue.is_none_or(|c| {
                !rules
                    .iter()
                    .any(|o| o.content.start <= c.start && c.end <= o.content.end)
            })
        })
        .collect()
}

fn bucket(n: usize) -> usize {
    match n {
        0..=2 => n,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        17..=32 => 6,
        _ => 7,
    }
}

/// The word feature of token `k` written into `out`: `<UPOS>` for content
/// words, else the lowercase form.
fn word_into(v: &View, k: usize, out: &mut String) {
    match v.upos(k) {
        Upos::Propn | Upos::Num | Upos::Noun | Upos::Adj | Upos::Verb => {
            out.push('<');
            out.push_str(v.upos(k).as_str());
            out.push('>');
        }
        _ => out.push_str(v.lower(k)),
    }
}

/// Features of candidate `q` given the rules' attributions `rules`; those
/// of the rules' own attributions (`rule`) are a separate set (prefix `r:`,
/// open candidates `o:`).
#[cfg(test)]
pub(crate) fn features(v: &View, q: &Quote, rules: &[Quote], rule: bool, out: &mut Vec<String>) {
    features_with(v, q, rules, prefix(rule), out);
}

/// [`features`] with the prefix given: `r:` (rules' attribution), `o:`
/// (open candidate), `n:` (the rules' nested attribution).
pub(crate) fn features_with(
    v: &View,
    q: &Quote,
    rules: &[Quote],
    pre: &str,
    out: &mut Vec<String>,
) {
    out.clear();
    let mut key = String::new();
    emit_features(v, q, rules, pre, false, &mut key, &mut |f, _| {
        out.push(f.to_string())
    });
}

fn prefix(rule: bool) -> &'static str {
    if rule {
        "r:"
    } else {
        "o:"
    }
}

/// Where a feature stands for [`CueModel::surely_rejected`]: fixed by the
/// candidate's cue, subject and content start, or one value (`.1`) of a
/// feature group (`.0`) that depends on where the content ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Fixed,
    Var(usize, usize),
}

/// The features of [`features`], each handed to `sink` in turn, built in
/// the reused buffer `key` (the order is part of the model: weights are
/// summed in it). With `alts`, the groups that depend on the content's end
/// (`fin`, `len`: group 0 and 1; `ov`: group 2) are given for every value
/// instead of the candidate's own.
fn emit_features(
    v: &View,
    q: &Quote,
    rules: &[Quote],
    pre: &str,
    alts: bool,
    key: &mut String,
    sink: &mut dyn FnMut(&str, Slot),
) {
    let kind = match q.kind {
        crate::QuoteKind::Direct => "Direct",
        crate::QuoteKind::Indirect => "Indirect",
        crate::QuoteKind::Mixed => "Mixed",
    };
    let mut emit = |slot: Slot, parts: &[&str]| {
        key.clear();
        key.push_str(pre);
        for p in parts {
            key.push_str(p);
        }
        sink(key, slot);
    };
    let Some(cue) = q.cue.map(|c| v.token_at_or_after(c.start)) else {
        emit(Slot::Fixed, &["bias"]);
        emit(Slot::Fixed, &["nocue|k=", kind]);
        return;
    };
    let lo = v.token_at_or_after(q.content.start);
    let hi = v
        .doc
        .tokens
        .span
        .partition_point(|s| s.start < q.content.end)
        .saturating_sub(1)
        .max(lo);
    let mut lemma = String::new();
    push_lower(&mut lemma, v.lemma(cue));
    let kids = v.children(cue);
    // The shape: the cue's dependent whose subtree holds the content.
    let mut shape = String::new();
    let shape_child = kids.iter().copied().find(|&c| {
        let (a, b) = v.subtree(c);
        a <= lo && lo <= b
    });
    match shape_child {
        None => shape.push_str("other"),
        Some(c) => {
            let r = v.rel(c);
            shape.push_str(r);
            if r == "obl" || r == "nmod" {
                let (a, b) = v.sentence_range(c);
                let case = (a..b)
                    .find(|&p| v.head(p) == Some(c) && v.rel(p) == "case")
                    .map_or("", |p| v.lower(p));
                shape.push(':');
                shape.push_str(case);
            }
        }
    }
    let subj = q.speaker_head.map(|h| h as usize).filter(|&h| h < v.len());
    let mut subj_kind = String::new();
    match subj {
        None => subj_kind.push_str("none"),
        Some(h) => {
            let ent = v
                .doc
                .entities
                .iter()
                .find(|e| (e.tokens.start as usize) <= h && h < e.tokens.end as usize)
                .map(|e| match e.label {
                    EntityLabel::Person => "PER",
                    EntityLabel::Organization => "ORG",
                    EntityLabel::Norp => "NORP",
                    _ => "ENT",
                });
            match (ent, v.upos(h)) {
                (Some(l), _) => subj_kind.push_str(l),
                (None, Upos::Pron) => {
                    subj_kind.push_str("pron:");
                    subj_kind.push_str(v.lower(h));
                }
                (None, u) => subj_kind.push_str(u.as_str()),
            }
        }
    }
    let mut subj_word = String::new();
    match subj {
        None => subj_word.push_str("<none>"),
        Some(h) if v.upos(h) == Upos::Noun => push_lower(&mut subj_word, v.lemma(h)),
        Some(h) => word_into(v, h, &mut subj_word),
    }
    let fin = bool_str((lo..=hi).any(|k| matches!(v.xpos(k), "VBD" | "VBZ" | "VBP" | "MD")));
    let len = digit(bucket(hi + 1 - lo));
    let mut first = String::new();
    word_into(v, lo, &mut first);
    let overlaps = bool_str(rules.iter().any(|o| {
        o.content != q.content && o.content.start < q.content.end && q.content.start < o.content.end
    }));
    let neg = bool_str(
        kids.iter()
            .any(|&c| matches!(v.lower(c), "not" | "n't" | "never")),
    );
    let modal = kids
        .iter()
        .copied()
        .find(|&c| v.rel(c) == "aux" && v.xpos(c) == "MD")
        .map_or("-", |c| v.lower(c));
    let mut obj_head = String::new();
    match kids.iter().copied().find(|&c| v.rel(c) == "obj" && c > cue) {
        None => obj_head.push('-'),
        Some(c) => push_lower(&mut obj_head, v.lemma(c)),
    }
    // The last three characters of the lemma.
    let suffix = lemma
        .char_indices()
        .rev()
        .nth(2)
        .map_or(lemma.as_str(), |(i, _)| &lemma[i..]);
    let cu = v.upos(cue).as_str();
    let (x, d) = (v.xpos(cue), v.rel(cue));
    let (shape, subj_kind, subj_word) = (shape.as_str(), subj_kind.as_str(), subj_word.as_str());
    let (first, obj_head, lemma) = (first.as_str(), obj_head.as_str(), lemma.as_str());
    emit(Slot::Fixed, &["bias"]);
    emit(Slot::Fixed, &["k=", kind]);
    emit(Slot::Fixed, &["k=", kind, "|sh=", shape]);
    emit(Slot::Fixed, &["cu=", cu]);
    emit(Slot::Fixed, &["l=", lemma]);
    emit(Slot::Fixed, &["l=", lemma, "|sh=", shape]);
    emit(Slot::Fixed, &["sh=", shape]);
    emit(Slot::Fixed, &["x=", x]);
    emit(Slot::Fixed, &["x=", x, "|sh=", shape]);
    emit(Slot::Fixed, &["x=", x, "|sk=", subj_kind]);
    emit(Slot::Fixed, &["d=", d]);
    emit(Slot::Fixed, &["sh=", shape, "|d=", d]);
    emit(Slot::Fixed, &["sk=", subj_kind]);
    emit(Slot::Fixed, &["sk=", subj_kind, "|sh=", shape]);
    emit(Slot::Fixed, &["sw=", subj_word]);
    emit(Slot::Fixed, &["l=", lemma, "|sk=", subj_kind]);
    if alts {
        for (k, b) in ["false", "true"].into_iter().enumerate() {
            emit(Slot::Var(0, k), &["fin=", b]);
            emit(Slot::Var(0, k), &["sh=", shape, "|fin=", b]);
        }
        for k in 0..=7 {
            emit(Slot::Var(1, k), &["len=", digit(k)]);
            emit(Slot::Var(1, k), &["sh=", shape, "|len=", digit(k)]);
        }
    } else {
        emit(Slot::Fixed, &["fin=", fin]);
        emit(Slot::Fixed, &["sh=", shape, "|fin=", fin]);
        emit(Slot::Fixed, &["len=", len]);
        emit(Slot::Fixed, &["sh=", shape, "|len=", len]);
    }
    emit(Slot::Fixed, &["first=", first]);
    emit(Slot::Fixed, &["sh=", shape, "|first=", first]);
    emit(Slot::Fixed, &["l=", lemma, "|first=", first]);
    if alts {
        for (k, b) in ["false", "true"].into_iter().enumerate() {
            emit(Slot::Var(2, k), &["ov=", b]);
        }
    } else {
        emit(Slot::Fixed, &["ov=", overlaps]);
    }
    emit(Slot::Fixed, &["neg=", neg]);
    emit(Slot::Fixed, &["md=", modal]);
    emit(Slot::Fixed, &["oh=", obj_head]);
    emit(Slot::Fixed, &["l=", lemma, "|oh=", obj_head]);
    emit(Slot::Fixed, &["suf=", suffix]);
    emit(Slot::Fixed, &["suf=", suffix, "|sh=", shape]);
    // Context of the cue: its own marker and voice, what it hangs off,
    // the words around it, the content's head, quotation marks at the
    // content's start, the rules' attributions in the same sentence, and
    // (nouns) a possessor or determiner.
    let (ctx, pass) = (
        cue_context(v, cue, lo, &kids, shape_child),
        bool_str(kids.iter().any(|&c| v.deprel(c).ends_with(":pass"))),
    );
    let in_sent = rules
        .iter()
        .filter(|o| o.content != q.content)
        .filter_map(|o| o.cue)
        .filter(|c| {
            let k = v.token_at_or_after(c.start);
            k < v.len() && v.sentence_range(k) == v.sentence_range(cue)
        })
        .count()
        .min(2);
    let sr = digit(in_sent);
    let ca = bool_str(hi < cue);
    let sd = digit(bucket(subj.map_or(0, |h| h.abs_diff(cue))));
    let c = &ctx;
    emit(Slot::Fixed, &["mk=", &c.mark]);
    emit(Slot::Fixed, &["mk=", &c.mark, "|d=", d]);
    emit(Slot::Fixed, &["pass=", pass]);
    emit(Slot::Fixed, &["hl=", &c.head, "|d=", d]);
    emit(Slot::Fixed, &["pw=", &c.prev]);
    emit(Slot::Fixed, &["pw=", &c.prev, "|x=", x]);
    emit(Slot::Fixed, &["nw=", &c.next]);
    emit(Slot::Fixed, &["ch=", &c.content_head, "|sh=", shape]);
    emit(Slot::Fixed, &["ch=", &c.content_head, "|sk=", subj_kind]);
    emit(Slot::Fixed, &["qm=", c.quote_mark]);
    emit(Slot::Fixed, &["sq=", c.sentence_quote]);
    emit(Slot::Fixed, &["sr=", sr]);
    emit(Slot::Fixed, &["sr=", sr, "|sh=", shape]);
    emit(Slot::Fixed, &["ca=", ca]);
    emit(Slot::Fixed, &["sd=", sd]);
    emit(Slot::Fixed, &["poss=", &c.poss]);
    emit(Slot::Fixed, &["det=", &c.det]);
    if pre == "n:" {
        // A nested attribution: the kind of the attribution whose content
        // holds its cue, whether both contents end (`oe`) or start (`os`)
        // together. (The outer cue's lemma, alone and with the inner one's,
        // and the distance between the starts fitted train better but lost
        // dev 8–10 matches.)
        let cs = v.span(cue);
        let Some(o) = rules.iter().find(|o| {
            o.content != q.content && o.content.start <= cs.start && cs.end <= o.content.end
        }) else {
            return;
        };
        let okind = match o.kind {
            crate::QuoteKind::Direct => "Direct",
            crate::QuoteKind::Indirect => "Indirect",
            crate::QuoteKind::Mixed => "Mixed",
        };
        let mut olemma = String::new();
        match o.cue.map(|c| v.token_at_or_after(c.start)) {
            Some(k) if k < v.len() => push_lower(&mut olemma, v.lemma(k)),
            _ => olemma.push('-'),
        }
        let at_end = bool_str(q.content.end + 2 >= o.content.end);
        let same_start = bool_str(o.content.start + 2 >= q.content.start);
        emit(Slot::Fixed, &["ok=", okind]);
        emit(Slot::Fixed, &["oe=", at_end]);
        emit(Slot::Fixed, &["oe=", at_end, "|ok=", okind]);
        emit(Slot::Fixed, &["os=", same_start]);
    }
}

/// Context features of a cue (see the end of [`emit_features`]).
struct CueContext {
    /// The cue's `mark` dependent ("to", "that", "if", …) or `-`.
    mark: String,
    /// What the cue hangs off: a verb's or noun's lemma, else `<UPOS>`.
    head: String,
    /// The words right before and after the cue.
    prev: String,
    next: String,
    /// UPOS of the cue's dependent that holds the content.
    content_head: String,
    /// A quotation mark at or right before the content's first token.
    quote_mark: &'static str,
    /// A quotation mark anywhere in the cue's sentence.
    sentence_quote: &'static str,
    /// Nouns: the kind of a possessor (`nmod:poss`) and the determiner.
    poss: String,
    det: String,
}

fn cue_context(
    v: &View,
    cue: usize,
    lo: usize,
    kids: &[usize],
    shape_child: Option<usize>,
) -> CueContext {
    let qmark = |k: usize| matches!(v.text(k), "\"" | "\u{201C}" | "\u{201D}" | "``" | "''");
    let mut mark = String::new();
    match kids
        .iter()
        .copied()
        .find(|&c| v.rel(c) == "mark" && c < cue)
    {
        Some(c) => push_lower(&mut mark, v.lower(c)),
        None => mark.push('-'),
    }
    let mut head = String::new();
    match v.head(cue) {
        None => head.push_str("<root>"),
        Some(h) if matches!(v.upos(h), Upos::Verb | Upos::Noun) => {
            push_lower(&mut head, v.lemma(h))
        }
        Some(h) => {
            head.push('<');
            head.push_str(v.upos(h).as_str());
            head.push('>');
        }
    }
    let (sa, sb) = v.sentence_range(cue);
    let mut prev = String::new();
    if cue > sa {
        word_into(v, cue - 1, &mut prev);
    } else {
        prev.push_str("<s>");
    }
    let mut next = String::new();
    if cue + 1 < sb {
        word_into(v, cue + 1, &mut next);
    } else {
        next.push_str("</s>");
    }
    let content_head = shape_child.map_or("-".to_string(), |c| v.upos(c).as_str().to_string());
    let quote_mark = bool_str(qmark(lo) || (lo > 0 && qmark(lo - 1)));
    let sentence_quote = bool_str((sa..sb).any(qmark));
    let mut poss = String::from("-");
    let mut det = String::from("-");
    if matches!(v.upos(cue), Upos::Noun | Upos::Propn) {
        if let Some(p) = kids.iter().copied().find(|&c| v.deprel(c) == "nmod:poss") {
            poss = v.upos(p).as_str().to_string();
        }
        if let Some(d) = kids.iter().copied().find(|&c| v.rel(c) == "det") {
            det.clear();
            push_lower(&mut det, v.lower(d));
        }
    }
    CueContext {
        mark,
        head,
        prev,
        next,
        content_head,
        quote_mark,
        sentence_quote,
        poss,
        det,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_parses() {
        let m = CueModel::parse(MODEL, "quote_cues.tsv").unwrap();
        assert!((0.0..=1.0).contains(&m.threshold));
        assert!((0.0..=1.0).contains(&m.rule_threshold));
        assert!(model().is_some());
    }

    #[test]
    fn parse_errors_and_round_trip() {
        let e = CueModel::parse("@threshold\t0.5\nbias\t1\n", "c.tsv").unwrap_err();
        assert!(e.contains("no @threshold or @rule_threshold"), "{e}");
        let e = CueModel::parse("@threshold\t0.5\nbias\tz\n", "c.tsv").unwrap_err();
        assert!(e.starts_with("c.tsv:2: bad number"), "{e}");
        let mut m = CueModel {
            threshold: 0.4,
            rule_threshold: 0.2,
            ..Default::default()
        };
        m.weights.insert("bias".into(), -2.0);
        m.weights.insert("l=vow".into(), 3.5);
        let back = CueModel::parse(&m.write("h"), "m").unwrap();
        assert_eq!(back, m);
        let p = back.prob(&["bias".into(), "l=vow".into()]);
        assert!((p - 0.8176).abs() < 1e-3, "{p}");
        assert!(back.prob(&["bias".into()]) < 0.4);
    }

    #[test]
    fn nested_threshold_is_optional_and_zero_is_off() {
        let m = CueModel::parse("@threshold\t0.4\n@rule_threshold\t0.3\nn:bias\t5\n", "c").unwrap();
        assert_eq!(m.nested_threshold, 0.0);
        let doc = crate::tagged_doc(
            &["He", "said", "it", "rose"],
            &["he", "say", "it", "rise"],
            vec![Upos::Pron, Upos::Verb, Upos::Pron, Upos::Verb],
            &["PRP", "VBD", "PRP", "VBD"],
        );
        let v = View::new(&doc);
        let q = Quote {
            content: v.cover(2, 3),
            cue: Some(v.span(1)),
            speaker: Some(v.span(0)),
            speaker_head: Some(0),
            kind: crate::QuoteKind::Indirect,
            speaker_resolved: None,
            nested: false,
        };
        assert!(!m.accept_nested(&v, &q, &[]));
        let on = CueModel {
            nested_threshold: 0.5,
            ..m.clone()
        };
        assert!(on.accept_nested(&v, &q, &[]));
        let mut f = Vec::new();
        features_with(&v, &q, &[], "n:", &mut f);
        assert!(f.iter().all(|x| x.starts_with("n:")), "{f:?}");
        let back = CueModel::parse(&on.write("h"), "m").unwrap();
        assert_eq!(back.nested_threshold, 0.5);
    }

    #[test]
    fn rejection_bound_never_drops_an_accepted_candidate() {
        let doc = crate::tagged_doc(
            &["He", "slammed", "the", "new", "tax", "plan", "."],
            &["he", "slam", "the", "new", "tax", "plan", "."],
            vec![
                Upos::Pron,
                Upos::Verb,
                Upos::Det,
                Upos::Adj,
                Upos::Noun,
                Upos::Noun,
                Upos::Punct,
            ],
            &["PRP", "VBD", "DT", "JJ", "NN", "NN", "."],
        );
        let v = View::new(&doc);
        let q = Quote {
            content: v.cover(2, 5),
            cue: Some(v.span(1)),
            speaker: Some(v.span(0)),
            speaker_head: Some(0),
            kind: crate::QuoteKind::Indirect,
            speaker_resolved: None,
            nested: false,
        };
        let mut f = Vec::new();
        features(&v, &q, &[], false, &mut f);
        assert!(f.contains(&"o:len=3".to_string()), "{f:?}");
        assert!(f.contains(&"o:l=slam|sk=pron:he".to_string()), "{f:?}");
        for x in ["o:pw=he", "o:nw=the", "o:sr=0", "o:qm=false", "o:mk=-"] {
            assert!(f.contains(&x.to_string()), "{x} missing from {f:?}");
        }
        let model = |ws: &[(&str, f32)]| CueModel {
            weights: ws.iter().map(|&(k, w)| (k.to_string(), w)).collect(),
            threshold: 0.45,
            rule_threshold: 0.2,
            nested_threshold: 0.0,
        };
        // Fixed features alone far below the threshold: rejected.
        let m = model(&[("o:bias", -6.0), ("o:l=slam", 1.0)]);
        assert!(!m.accept(&v, &q, &[], false));
        assert!(m.surely_rejected(&v, &q, &[]));
        // A length the content could take lifts it: not surely rejected,
        // whatever the current length (here it is accepted).
        let m = model(&[("o:bias", -6.0), ("o:len=3", 7.0)]);
        assert!(m.accept(&v, &q, &[], false));
        assert!(!m.surely_rejected(&v, &q, &[]));
        let m = model(&[
            ("o:bias", -6.0),
            ("o:len=6", 7.0),
            ("o:sh=other|fin=true", 1.0),
        ]);
        assert!(!m.accept(&v, &q, &[], false));
        assert!(!m.surely_rejected(&v, &q, &[]));
        // Close to the threshold: the margin keeps it.
        let m = model(&[("o:bias", -0.201)]);
        assert!(!m.accept(&v, &q, &[], false));
        assert!(!m.surely_rejected(&v, &q, &[]));
    }
}
