//! Learned content boundaries of indirect attributions.
//!
//! The rules in [`crate::quotes`] find an attribution's cue and read its
//! content from the parse or the surface; where that content *ends* is the
//! commonest error (it runs on over an apposition, a `, which` clause or a
//! trailing adjunct, or stops short of a complement). This module re-decides
//! the end: for an indirect or mixed content of tokens `lo..=hi` it lists the
//! candidate last tokens (the rule's own `hi`; every token before a break —
//! punctuation, a conjunction, a subordinator, a wh-word, a preposition, a
//! gerund — inside the content; and the same breaks after it, up to the end
//! of the sentence), scores each with a linear model over features of the
//! break, and keeps the best. Direct quotes keep the quotation marks' bounds.
//!
//! The model is an averaged perceptron trained as a ranker on PolNeAR's train
//! split only ([`crate::learn::learn_boundaries`], example `train_quotes`):
//! for each predicted content that overlaps a gold content, the target is the
//! candidate whose span best matches the gold one.
//!
//! File format (`data/quote_boundary.tsv`, compiled in): `#` comment lines,
//! then one `FEATURE<TAB>WEIGHT` line per feature (weight a decimal number).
//! Feature names are the templates of [`features`] filled with lemmas,
//! lowercase function words, UPOS tags, dependency relations and buckets; no
//! corpus text is stored.

use crate::lexicon::cues;
use crate::view::View;
use crate::{Quote, QuoteKind};
use petrel_doc::{Span, Upos};
use std::collections::HashMap;
use std::sync::OnceLock;

const MODEL: &str = include_str!("../data/quote_boundary.tsv");

/// A linear model scoring candidate content ends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoundaryModel {
    pub weights: HashMap<String, f32>,
}

impl BoundaryModel {
    /// Parse the model file; errors name `file:line`.
    pub fn parse(src: &str, file: &str) -> Result<BoundaryModel, String> {
        let mut weights = HashMap::new();
        for (n, line) in src.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (f, w) = line
                .split_once('\t')
                .ok_or_else(|| format!("{file}:{}: expected FEATURE<TAB>WEIGHT", n + 1))?;
            let w: f32 = w
                .parse()
                .map_err(|e| format!("{file}:{}: bad weight {w:?}: {e}", n + 1))?;
            if !w.is_finite() {
                return Err(format!("{file}:{}: weight is not finite", n + 1));
            }
            weights.insert(f.to_string(), w);
        }
        Ok(BoundaryModel { weights })
    }

    /// The model file: `header` (each line prefixed with `# `), then the
    /// features sorted by name, weights rounded to 3 decimals; features
    /// whose rounded weight is 0 are left out.
    pub fn write(&self, header: &str) -> String {
        let mut s = String::new();
        for l in header.lines() {
            s.push_str("# ");
            s.push_str(l);
            s.push('\n');
        }
        let mut fs: Vec<(&String, &f32)> = self.weights.iter().collect();
        fs.sort_by(|a, b| a.0.cmp(b.0));
        for (f, w) in fs {
            let r = (w * 1000.0).round() / 1000.0;
            if r != 0.0 {
                s.push_str(&format!("{f}\t{r}\n"));
            }
        }
        s
    }

    fn score(&self, feats: &[String]) -> f32 {
        feats
            .iter()
            .filter_map(|f| self.weights.get(f))
            .copied()
            .sum()
    }
}

/// The shipped model (`data/quote_boundary.tsv`); `None` when it does not
/// parse (the unit test `shipped_model_parses` keeps it well-formed).
pub(crate) fn model() -> Option<&'static BoundaryModel> {
    static M: OnceLock<Option<BoundaryModel>> = OnceLock::new();
    M.get_or_init(|| BoundaryModel::parse(MODEL, "data/quote_boundary.tsv").ok())
        .as_ref()
}

/// What the features need to know about one attribution.
pub(crate) struct Ctx {
    pub lo: usize,
    pub hi: usize,
    pub kind: QuoteKind,
    pub cue: Option<usize>,
}

impl Ctx {
    /// Token bounds of a quote's content (`None` when it covers no token).
    pub fn of(v: &View, q: &Quote) -> Option<Ctx> {
        let lo = v.token_at_or_after(q.content.start);
        let hi = v
            .doc
            .tokens
            .span
            .partition_point(|s| s.start < q.content.end)
            .checked_sub(1)?;
        if lo > hi || hi >= v.len() {
            return None;
        }
        let cue = q
            .cue
            .map(|c| v.token_at_or_after(c.start))
            .filter(|&c| c < v.len());
        Some(Ctx {
            lo,
            hi,
            kind: q.kind,
            cue,
        })
    }
}

fn is_break(v: &View, k: usize) -> bool {
    let w = v.lower(k);
    v.is_punct(k)
        || matches!(
            v.upos(k),
            Upos::Cconj | Upos::Sconj | Upos::Adp | Upos::Part
        )
        || w.starts_with("wh")
        || w == "that"
        || v.xpos(k) == "VBG"
        || w == "according"
}

/// Last token of `lo..=e` that is not punctuation (at least `lo`).
fn trim_end(v: &View, lo: usize, mut e: usize) -> usize {
    while e > lo && v.is_punct(e) {
        e -= 1;
    }
    e
}

/// Candidate last tokens for content `ctx.lo..=ctx.hi`, sorted, distinct;
/// always contains `ctx.hi`.
pub(crate) fn candidates(v: &View, ctx: &Ctx) -> Vec<usize> {
    let (_, send) = v.sentence_range(ctx.hi);
    let last = send.saturating_sub(1).max(ctx.hi);
    let mut out = vec![ctx.hi];
    for k in ctx.lo + 2..=last.min(ctx.hi + 40) {
        if k != ctx.hi + 1 && is_break(v, k) || k == last && k > ctx.hi {
            let e = if k == last && k > ctx.hi && !is_break(v, k) {
                k
            } else {
                k - 1
            };
            let e = trim_end(v, ctx.lo, e);
            if e > ctx.lo && ctx.cue.is_none_or(|c| !(ctx.hi < c && c <= e)) {
                out.push(e);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn bucket(n: usize) -> usize {
    match n {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

fn word(v: &View, k: usize) -> String {
    if k >= v.len() {
        return "<end>".into();
    }
    match v.upos(k) {
        Upos::Propn | Upos::Num => format!("<{}>", v.upos(k)),
        _ => v.lemma(k).to_lowercase(),
    }
}

/// Features of ending the content at `e`.
pub(crate) fn features(v: &View, ctx: &Ctx, e: usize, out: &mut Vec<String>) {
    out.clear();
    let (_, send) = v.sentence_range(ctx.hi);
    let dir = match e.cmp(&ctx.hi) {
        std::cmp::Ordering::Equal => "o",
        std::cmp::Ordering::Less => "s",
        std::cmp::Ordering::Greater => "x",
    };
    let kind = match ctx.kind {
        QuoteKind::Direct => "D",
        QuoteKind::Indirect => "I",
        QuoteKind::Mixed => "M",
    };
    let nb = e + 1; // token right after the kept part (often punctuation)
    let nw = word(v, nb);
    let nw2 = word(v, nb + 1);
    let nu = if nb < send {
        v.upos(nb).to_string()
    } else {
        "<eos>".into()
    };
    let nu2 = if nb + 1 < send {
        v.upos(nb + 1).to_string()
    } else {
        "<eos>".into()
    };
    let ew = word(v, e);
    let eu = v.upos(e).to_string();
    let cue_lemma = ctx.cue.map_or("<none>", |c| v.lemma(c)).to_lowercase();
    let cue_after = ctx.cue.is_some_and(|c| c > ctx.hi);
    let class = ctx
        .cue
        .and_then(|c| cues().verbs.get(v.lemma(c)))
        .map_or("-".to_string(), |c| format!("{c:?}"));
    let at_end = e + 1 >= send || (e + 1..send).all(|k| v.is_punct(k));
    let kept = e + 1 - ctx.lo;
    let (dlo, dhi) = if e < ctx.hi {
        (e + 1, ctx.hi)
    } else {
        (ctx.hi + 1, e)
    };
    let moved = dhi + 1 - dlo;
    let fin =
        |a: usize, b: usize| (a..=b).any(|k| matches!(v.xpos(k), "VBD" | "VBZ" | "VBP" | "MD"));
    let qm = |a: usize, b: usize| {
        (a..=b).any(|k| matches!(v.text(k), "\"" | "\u{201C}" | "\u{201D}" | "``" | "''"))
    };
    // Tree: does the token after the end hang inside the kept part?
    let attach = match v.head(nb) {
        Some(h) if h >= ctx.lo && h <= e => "in",
        Some(h) if h > e => "after",
        Some(_) => "before",
        None => "root",
    };
    let nd = v.rel(nb).to_string();
    // Root of the kept part: subtree of the first token whose head lies
    // outside; does its subtree end exactly here?
    let root = (ctx.lo..=e).find(|&k| v.head(k).is_none_or(|h| h < ctx.lo || h > e));
    let subtree_end = root.map(|r| v.subtree(r).1);
    let closes = match subtree_end {
        Some(se) if se == e => "eq",
        Some(se) if se < e => "lt",
        Some(_) => "gt",
        None => "none",
    };
    let mut push = |s: String| out.push(format!("{dir}|{s}"));
    push("bias".into());
    push(format!("k={kind}"));
    push(format!("cue={cue_lemma}"));
    push(format!("cls={class}"));
    push(format!("cueafter={cue_after}"));
    push(format!("n1={nw}"));
    push(format!("n1u={nu}"));
    push(format!("n1={nw}|n2u={nu2}"));
    push(format!("n1={nw}|n2={nw2}"));
    push(format!("n1u={nu}|n2u={nu2}"));
    push(format!("e={ew}"));
    push(format!("eu={eu}"));
    push(format!("eu={eu}|n1={nw}"));
    push(format!("n1d={nd}|att={attach}"));
    push(format!("n1={nw}|att={attach}"));
    push(format!("closes={closes}"));
    push(format!("closes={closes}|n1={nw}"));
    push(format!("atend={at_end}"));
    push(format!("atend={at_end}|k={kind}"));
    push(format!("kept={}", bucket(kept)));
    push(format!("moved={}", bucket(moved)));
    push(format!("moved={}|n1={nw}", bucket(moved)));
    push(format!("keptfin={}", fin(ctx.lo, e)));
    push(format!("movedfin={}", dir != "o" && fin(dlo, dhi)));
    push(format!("movedqm={}", dir != "o" && qm(dlo, dhi)));
    push(format!("cue={cue_lemma}|n1={nw}"));
    push(format!("k={kind}|n1={nw}"));
    push(format!("cueafter={cue_after}|n1={nw}"));
    push(format!("cls={class}|closes={closes}"));
    push(format!("first={}", word(v, ctx.lo)));
    push(format!("first={}|n1={nw}", word(v, ctx.lo)));
}

/// The content of `q` with its end re-decided by `m` (`q.content` when the
/// quote is direct or has no tokens).
pub(crate) fn refine(v: &View, m: &BoundaryModel, q: &Quote) -> Span {
    if q.kind == QuoteKind::Direct {
        return q.content;
    }
    let Some(ctx) = Ctx::of(v, q) else {
        return q.content;
    };
    let mut feats = Vec::new();
    let mut best = (f32::NEG_INFINITY, ctx.hi);
    for e in candidates(v, &ctx) {
        features(v, &ctx, e, &mut feats);
        let s = m.score(&feats);
        if s > best.0 {
            best = (s, e);
        }
    }
    if best.1 == ctx.hi {
        q.content
    } else {
        Span {
            start: q.content.start,
            end: v.span(best.1).end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_parses() {
        let m = BoundaryModel::parse(MODEL, "quote_boundary.tsv").unwrap();
        assert!(!m.weights.is_empty());
        assert!(model().is_some());
    }

    #[test]
    fn parse_reports_file_and_line() {
        let e = BoundaryModel::parse("# h\no|bias\tx\n", "b.tsv").unwrap_err();
        assert!(e.starts_with("b.tsv:2: bad weight"), "{e}");
        let e = BoundaryModel::parse("o|bias 1\n", "b.tsv").unwrap_err();
        assert!(e.starts_with("b.tsv:1: expected"), "{e}");
        assert!(BoundaryModel::parse("a\tNaN\n", "b.tsv").is_err());
    }

    #[test]
    fn candidates_and_refine_on_a_sentence() {
        use petrel_doc::Doc;
        // "He said taxes rise , which hurts ." with a flat parse.
        let words = ["He", "said", "taxes", "rise", ",", "which", "hurts", "."];
        let text = words.join(" ");
        let mut doc = Doc::new("t", text.as_str());
        let mut at = 0;
        for w in words {
            doc.tokens.span.push(Span::new(at, at + w.len()));
            at += w.len() + 1;
        }
        doc.tokens.lemma = ["he", "say", "tax", "rise", ",", "which", "hurt", "."]
            .map(String::from)
            .to_vec();
        doc.tokens.upos = vec![
            Upos::Pron,
            Upos::Verb,
            Upos::Noun,
            Upos::Verb,
            Upos::Punct,
            Upos::Pron,
            Upos::Verb,
            Upos::Punct,
        ];
        doc.tokens.xpos = ["PRP", "VBD", "NNS", "VBP", ",", "WDT", "VBZ", "."]
            .map(String::from)
            .to_vec();
        let v = View::new(&doc);
        let q = Quote {
            content: v.cover(2, 6),
            cue: Some(v.span(1)),
            speaker: None,
            speaker_head: None,
            kind: QuoteKind::Indirect,
            speaker_resolved: None,
            nested: false,
        };
        let ctx = Ctx::of(&v, &q).unwrap();
        assert_eq!((ctx.lo, ctx.hi, ctx.cue), (2, 6, Some(1)));
        assert_eq!(candidates(&v, &ctx), vec![3, 6]);
        let mut m = BoundaryModel::default();
        m.weights.insert("s|n1=,|n2=which".into(), 2.0);
        assert_eq!(doc.span_text(refine(&v, &m, &q)), "taxes rise");
        m.weights.insert("o|bias".into(), 3.0);
        assert_eq!(refine(&v, &m, &q), q.content);
        // Direct quotes keep their bounds.
        let d = Quote {
            kind: QuoteKind::Direct,
            ..q.clone()
        };
        m.weights.clear();
        m.weights.insert("s|bias".into(), 9.0);
        assert_eq!(refine(&v, &m, &d), d.content);
    }

    #[test]
    fn write_round_trips() {
        let mut m = BoundaryModel::default();
        m.weights.insert("o|bias".into(), 1.25);
        m.weights.insert("s|n1=,".into(), -0.5);
        m.weights.insert("x|tiny".into(), 0.0001);
        let s = m.write("a model\nline two");
        assert!(s.starts_with("# a model\n# line two\n"));
        let back = BoundaryModel::parse(&s, "m").unwrap();
        assert_eq!(back.weights.len(), 2);
        assert_eq!(back.weights["s|n1=,"], -0.5);
    }
}
