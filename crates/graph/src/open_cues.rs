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
//! top-level indirect attributions that it finds unlikely.
//!
//! The classifier is trained on PolNeAR's train split only
//! ([`crate::learn::open_cue_data`], example `train_quotes`): a candidate is
//! positive when its content half-matches a gold content that no rule-based
//! attribution already matches (a rules' attribution: any gold content).
//!
//! File format (`data/quote_cues.tsv`, compiled in): `#` comment lines, one
//! `@threshold<TAB>P` line (the probability an open candidate needs), one
//! `@rule_threshold<TAB>P` line (the probability a rules' attribution
//! needs), then one
//! `FEATURE<TAB>WEIGHT` line per feature. Feature names are the templates of
//! [`features`] filled with lemmas, lowercase function words, tags,
//! relations and buckets; no corpus text is stored.

use crate::view::View;
use crate::Quote;
use petrel_doc::{EntityLabel, Upos};
use std::collections::HashMap;
use std::sync::OnceLock;

const MODEL: &str = include_str!("../data/quote_cues.tsv");

/// Logistic-regression weights and the acceptance threshold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CueModel {
    pub weights: HashMap<String, f32>,
    /// Probability an open candidate needs to be kept.
    pub threshold: f32,
    /// Probability a (top-level, indirect or mixed) attribution found by
    /// the rules needs to be kept.
    pub rule_threshold: f32,
}

impl CueModel {
    /// Parse the model file; errors name `file:line`.
    pub fn parse(src: &str, file: &str) -> Result<CueModel, String> {
        let mut m = CueModel {
            weights: HashMap::new(),
            threshold: f32::NAN,
            rule_threshold: f32::NAN,
        };
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
                .map_err(|e| format!("{file}:{}: bad number {w:?}: {e}", n + 1))?;
            if !w.is_finite() {
                return Err(format!("{file}:{}: number is not finite", n + 1));
            }
            if f == "@threshold" {
                m.threshold = w;
            } else if f == "@rule_threshold" {
                m.rule_threshold = w;
            } else {
                m.weights.insert(f.to_string(), w);
            }
        }
        if m.threshold.is_nan() || m.rule_threshold.is_nan() {
            return Err(format!("{file}: no @threshold or @rule_threshold line"));
        }
        Ok(m)
    }

    /// The model file: `header` lines as comments, the threshold, then the
    /// features sorted by name (weights rounded to 3 decimals, zeros left
    /// out).
    pub fn write(&self, header: &str) -> String {
        let mut s = String::new();
        for l in header.lines() {
            s.push_str("# ");
            s.push_str(l);
            s.push('\n');
        }
        s.push_str(&format!("@threshold\t{}\n", self.threshold));
        s.push_str(&format!("@rule_threshold\t{}\n", self.rule_threshold));
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

    /// Probability that the candidate is an attribution.
    pub fn prob(&self, feats: &[String]) -> f32 {
        let z: f32 = feats.iter().filter_map(|f| self.weights.get(f)).sum();
        1.0 / (1.0 + (-z).exp())
    }

    /// Whether `q` (an open candidate, or one of the rules' attributions
    /// `rules` when `rule` is set) is kept.
    pub(crate) fn accept(&self, v: &View, q: &Quote, rules: &[Quote], rule: bool) -> bool {
        let mut f = Vec::new();
        features(v, q, rules, rule, &mut f);
        self.prob(&f)
            >= if rule {
                self.rule_threshold
            } else {
                self.threshold
            }
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

fn word(v: &View, k: usize) -> String {
    match v.upos(k) {
        Upos::Propn | Upos::Num | Upos::Noun | Upos::Adj | Upos::Verb => {
            format!("<{}>", v.upos(k))
        }
        _ => v.lower(k).to_string(),
    }
}

/// Features of candidate `q` given the rules' attributions `rules`; those
/// of the rules' own attributions (`rule`) are a separate set (prefix `r:`,
/// open candidates `o:`).
pub(crate) fn features(v: &View, q: &Quote, rules: &[Quote], rule: bool, out: &mut Vec<String>) {
    out.clear();
    let pre = if rule { "r:" } else { "o:" };
    let Some(cue) = q.cue.map(|c| v.token_at_or_after(c.start)) else {
        out.push(format!("{pre}bias"));
        out.push(format!("{pre}nocue|k={:?}", q.kind));
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
    let lemma = v.lemma(cue).to_lowercase();
    let kids = v.children(cue);
    // The shape: the cue's dependent whose subtree holds the content.
    let shape = kids
        .iter()
        .copied()
        .find(|&c| {
            let (a, b) = v.subtree(c);
            a <= lo && lo <= b
        })
        .map_or("other".to_string(), |c| {
            let r = v.rel(c);
            if r == "obl" || r == "nmod" {
                let case = v
                    .children(c)
                    .into_iter()
                    .find(|&p| v.rel(p) == "case")
                    .map_or("", |p| v.lower(p));
                format!("{r}:{case}")
            } else {
                r.to_string()
            }
        });
    let subj = q.speaker_head.map(|h| h as usize).filter(|&h| h < v.len());
    let subj_kind = subj.map_or("none".to_string(), |h| {
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
            (Some(l), _) => l.to_string(),
            (None, Upos::Pron) => format!("pron:{}", v.lower(h)),
            (None, u) => format!("{u}"),
        }
    });
    let subj_word = subj.map_or("<none>".to_string(), |h| {
        if v.upos(h) == Upos::Noun {
            v.lemma(h).to_lowercase()
        } else {
            word(v, h)
        }
    });
    let fin = (lo..=hi).any(|k| matches!(v.xpos(k), "VBD" | "VBZ" | "VBP" | "MD"));
    let len = bucket(hi + 1 - lo);
    let first = word(v, lo);
    let overlaps = rules.iter().any(|o| {
        o.content != q.content && o.content.start < q.content.end && q.content.start < o.content.end
    });
    let neg = kids
        .iter()
        .any(|&c| matches!(v.lower(c), "not" | "n't" | "never"));
    let modal = kids
        .iter()
        .copied()
        .find(|&c| v.rel(c) == "aux" && v.xpos(c) == "MD")
        .map_or("-".to_string(), |c| v.lower(c).to_string());
    let obj_head = kids
        .iter()
        .copied()
        .find(|&c| v.rel(c) == "obj" && c > cue)
        .map_or("-".to_string(), |c| v.lemma(c).to_lowercase());
    let suffix: String = {
        let cs: Vec<char> = lemma.chars().collect();
        cs[cs.len().saturating_sub(3)..].iter().collect()
    };
    let mut push = |s: String| out.push(format!("{pre}{s}"));
    push("bias".into());
    push(format!("k={:?}", q.kind));
    push(format!("k={:?}|sh={shape}", q.kind));
    push(format!("cu={}", v.upos(cue)));
    push(format!("l={lemma}"));
    push(format!("l={lemma}|sh={shape}"));
    push(format!("sh={shape}"));
    push(format!("x={}", v.xpos(cue)));
    push(format!("x={}|sh={shape}", v.xpos(cue)));
    push(format!("x={}|sk={subj_kind}", v.xpos(cue)));
    push(format!("d={}", v.rel(cue)));
    push(format!("sh={shape}|d={}", v.rel(cue)));
    push(format!("sk={subj_kind}"));
    push(format!("sk={subj_kind}|sh={shape}"));
    push(format!("sw={subj_word}"));
    push(format!("l={lemma}|sk={subj_kind}"));
    push(format!("fin={fin}"));
    push(format!("sh={shape}|fin={fin}"));
    push(format!("len={len}"));
    push(format!("sh={shape}|len={len}"));
    push(format!("first={first}"));
    push(format!("sh={shape}|first={first}"));
    push(format!("l={lemma}|first={first}"));
    push(format!("ov={overlaps}"));
    push(format!("neg={neg}"));
    push(format!("md={modal}"));
    push(format!("oh={obj_head}"));
    push(format!("l={lemma}|oh={obj_head}"));
    push(format!("suf={suffix}"));
    push(format!("suf={suffix}|sh={shape}"));
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
}
