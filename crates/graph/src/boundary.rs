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
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Feature weights by name. Names are hashed with [`FeatureHasher`]
/// (lookups compare the full names, so results do not depend on it).
pub type Weights = HashMap<String, f32, BuildHasherDefault<FeatureHasher>>;

/// A fast, non-cryptographic hasher for feature names (the multiply-rotate
/// scheme of rustc's `FxHasher`, eight bytes at a time). Model files are
/// trusted data, so resistance to crafted collisions is not needed.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeatureHasher {
    hash: u64,
}

impl FeatureHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FeatureHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

const MODEL: &str = include_str!("../data/quote_boundary.tsv");

/// A linear model scoring candidate content ends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoundaryModel {
    pub weights: Weights,
}

impl BoundaryModel {
    /// Parse the model file; errors name `file:line`.
    pub fn parse(src: &str, file: &str) -> Result<BoundaryModel, String> {
        let weights = read_weights(src, file, "weight", |_, _| false)?;
        Ok(BoundaryModel { weights })
    }

    /// The model file: `header` (each line prefixed with `# `), then the
    /// features sorted by name, weights rounded to 3 decimals; features
    /// whose rounded weight is 0 are left out.
    pub fn write(&self, header: &str) -> String {
        write_weights(header, &[], &self.weights)
    }
}

/// Reads a quote-model file of `FEATURE<TAB>VALUE` lines (`#` comments and
/// blank lines skipped); `special` takes the lines it recognises (returns
/// true), the rest are weights. Errors name `file:line`; `what` names the
/// value ("weight", "number").
pub(crate) fn read_weights(
    src: &str,
    file: &str,
    what: &str,
    mut special: impl FnMut(&str, f32) -> bool,
) -> Result<Weights, String> {
    let mut weights = Weights::default();
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
            .map_err(|e| format!("{file}:{}: bad {what} {w:?}: {e}", n + 1))?;
        if !w.is_finite() {
            return Err(format!("{file}:{}: {what} is not finite", n + 1));
        }
        if !special(f, w) {
            weights.insert(f.to_string(), w);
        }
    }
    Ok(weights)
}

/// Writes a quote-model file: `header` lines as `# ` comments, the
/// `specials` lines, then the features sorted by name with weights rounded
/// to 3 decimals (zeros left out).
pub(crate) fn write_weights(header: &str, specials: &[(&str, f32)], weights: &Weights) -> String {
    let mut s = String::new();
    for l in header.lines() {
        s.push_str("# ");
        s.push_str(l);
        s.push('\n');
    }
    for (name, v) in specials {
        s.push_str(&format!("{name}\t{v}\n"));
    }
    let mut fs: Vec<(&String, &f32)> = weights.iter().collect();
    fs.sort_by(|a, b| a.0.cmp(b.0));
    for (f, w) in fs {
        let r = (w * 1000.0).round() / 1000.0;
        if r != 0.0 {
            s.push_str(&format!("{f}\t{r}\n"));
        }
    }
    s
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

/// The digit of a bucket (the buckets of both quote models are 0..=9).
pub(crate) fn digit(n: usize) -> &'static str {
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        .get(n)
        .copied()
        .unwrap_or("9")
}

pub(crate) fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Append `s.to_lowercase()` to `out` (no allocation for ASCII).
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// The word feature of token `k` written into `out` (cleared first):
/// `<end>` past the document, `<PROPN>`/`<NUM>`, else the lowercase lemma.
fn word_into(v: &View, k: usize, out: &mut String) {
    out.clear();
    if k >= v.len() {
        out.push_str("<end>");
        return;
    }
    match v.upos(k) {
        Upos::Propn | Upos::Num => {
            out.push('<');
            out.push_str(v.upos(k).as_str());
            out.push('>');
        }
        _ => push_lower(out, v.lemma(k)),
    }
}

/// What the features of one content need that does not depend on the
/// candidate end, computed once per content ([`refine`] scores tens of
/// candidates each).
struct Fixed {
    send: usize,
    kind: &'static str,
    cue_lemma: String,
    cue_after: &'static str,
    class: String,
    first: String,
    /// First token from `lo` that is a finite verb or modal.
    first_fin: Option<usize>,
    /// Last token of `lo..send` that is not punctuation.
    last_word: Option<usize>,
}

fn is_fin(v: &View, k: usize) -> bool {
    matches!(v.xpos(k), "VBD" | "VBZ" | "VBP" | "MD")
}

impl Fixed {
    fn new(v: &View, ctx: &Ctx) -> Fixed {
        let (_, send) = v.sentence_range(ctx.hi);
        let mut cue_lemma = String::new();
        push_lower(&mut cue_lemma, ctx.cue.map_or("<none>", |c| v.lemma(c)));
        let class = ctx
            .cue
            .and_then(|c| cues().verbs.get(v.lemma(c)))
            .map_or("-".to_string(), |c| format!("{c:?}"));
        let mut first = String::new();
        word_into(v, ctx.lo, &mut first);
        Fixed {
            send,
            kind: match ctx.kind {
                QuoteKind::Direct => "D",
                QuoteKind::Indirect => "I",
                QuoteKind::Mixed => "M",
            },
            cue_lemma,
            cue_after: bool_str(ctx.cue.is_some_and(|c| c > ctx.hi)),
            class,
            first,
            // Candidate ends are below `send` or the content's own end, so
            // scanning to the larger of the two covers every `lo..=e`.
            first_fin: (ctx.lo..send.max(ctx.hi + 1)).find(|&k| is_fin(v, k)),
            last_word: (ctx.lo..send).rev().find(|&k| !v.is_punct(k)),
        }
    }
}

/// Reused buffers of the per-candidate features (no allocation per
/// candidate once they have grown).
#[derive(Default)]
struct Scratch {
    key: String,
    nw: String,
    nw2: String,
    ew: String,
    /// Lemma of the first word after the end when it opens a phrase.
    pw: String,
    /// The last subtree computed: (root, its span).
    subtree: Option<(usize, (usize, usize))>,
}

/// Features of ending the content at `e`: each feature name is handed to
/// `sink` in turn (the order is part of the model: scores are summed in it).
fn emit_features(
    v: &View,
    ctx: &Ctx,
    fx: &Fixed,
    e: usize,
    sc: &mut Scratch,
    sink: &mut dyn FnMut(&str),
) {
    let send = fx.send;
    let dir = match e.cmp(&ctx.hi) {
        std::cmp::Ordering::Equal => "o",
        std::cmp::Ordering::Less => "s",
        std::cmp::Ordering::Greater => "x",
    };
    let nb = e + 1; // token right after the kept part (often punctuation)
    word_into(v, nb, &mut sc.nw);
    word_into(v, nb + 1, &mut sc.nw2);
    word_into(v, e, &mut sc.ew);
    let nu = if nb < send {
        v.upos(nb).as_str()
    } else {
        "<eos>"
    };
    let nu2 = if nb + 1 < send {
        v.upos(nb + 1).as_str()
    } else {
        "<eos>"
    };
    let eu = v.upos(e).as_str();
    // `e + 1..send` all punctuation (the last word of the sentence is at or
    // before `e`).
    let at_end = bool_str(e + 1 >= send || fx.last_word.is_none_or(|w| w <= e));
    let kept = e + 1 - ctx.lo;
    let (dlo, dhi) = if e < ctx.hi {
        (e + 1, ctx.hi)
    } else {
        (ctx.hi + 1, e)
    };
    let moved = dhi + 1 - dlo;
    let fin = |a: usize, b: usize| (a..=b).any(|k| is_fin(v, k));
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
    let nd = v.rel(nb);
    // Root of the kept part: subtree of the first token whose head lies
    // outside; does its subtree end exactly here?
    let root = (ctx.lo..=e).find(|&k| v.head(k).is_none_or(|h| h < ctx.lo || h > e));
    let subtree_end = root.map(|r| match sc.subtree {
        Some((sr, span)) if sr == r => span.1,
        _ => {
            let span = v.subtree(r);
            sc.subtree = Some((r, span));
            span.1
        }
    });
    let closes = match subtree_end {
        Some(se) if se == e => "eq",
        Some(se) if se < e => "lt",
        Some(_) => "gt",
        None => "none",
    };
    let keptfin = bool_str(fx.first_fin.is_some_and(|f| f <= e));
    let movedfin = bool_str(dir != "o" && fin(dlo, dhi));
    let movedqm = bool_str(dir != "o" && qm(dlo, dhi));
    let (kept, moved) = (digit(bucket(kept)), digit(bucket(moved)));
    // The material after the end: its first word `nx` (past punctuation),
    // where that word and the phrase it opens attach (kept part, cue,
    // before, after; UPOS of the head: a verb's adjunct or a noun's
    // modifier), and whether a clause with its own subject follows.
    let side = |h: Option<usize>| match h {
        None => "root",
        Some(h) if ctx.cue == Some(h) => "cue",
        Some(h) if h >= ctx.lo && h <= e => "in",
        Some(h) if h > e => "after",
        Some(_) => "before",
    };
    let hu = |h: Option<usize>| h.map_or("<none>", |h| v.upos(h).as_str());
    let nx = (e + 1..send).find(|&k| !v.is_punct(k));
    let sep = match nx {
        None => "end",
        Some(x) if x == e + 1 => "none",
        Some(_) => match v.text(e + 1) {
            "," => "comma",
            ";" | ":" => "semi",
            "-" | "--" | "\u{2014}" | "\u{2013}" => "dash",
            _ => "other",
        },
    };
    let nxrel = nx.map_or("<eos>", |x| v.rel(x));
    let nxside = side(nx.and_then(|x| v.head(x)));
    let nxhu = hu(nx.and_then(|x| v.head(x)));
    sc.pw.clear();
    let (mut orel, mut oside, mut ohu) = ("-", "-", "-");
    if let Some(x) = nx.filter(|&x| matches!(v.upos(x), Upos::Adp | Upos::Sconj)) {
        push_lower(&mut sc.pw, v.lemma(x));
        // The phrase's head (the noun of a PP, the verb of a clause).
        if let Some(o) = v.head(x).filter(|&o| o > x) {
            orel = v.rel(o);
            oside = side(v.head(o));
            ohu = hu(v.head(o));
        }
    } else {
        sc.pw.push('-');
    }
    let cued = digit(bucket(match ctx.cue {
        Some(c) if c > e => c - e,
        Some(c) => e.saturating_sub(c),
        None => 0,
    }));
    let tail = digit(bucket(send.saturating_sub(e + 1)));
    let tailcl =
        bool_str((e + 1..send).any(|k| v.rel(k) == "nsubj" && v.head(k).is_some_and(|h| h > e)));
    let pw = sc.pw.as_str();
    let (nw, nw2, ew) = (sc.nw.as_str(), sc.nw2.as_str(), sc.ew.as_str());
    let (kind, cue_lemma, cue_after) = (fx.kind, fx.cue_lemma.as_str(), fx.cue_after);
    let (class, first) = (fx.class.as_str(), fx.first.as_str());
    let key = &mut sc.key;
    let mut emit = |parts: &[&str]| {
        key.clear();
        key.push_str(dir);
        key.push('|');
        for p in parts {
            key.push_str(p);
        }
        sink(key);
    };
    emit(&["bias"]);
    emit(&["k=", kind]);
    emit(&["cue=", cue_lemma]);
    emit(&["cls=", class]);
    emit(&["cueafter=", cue_after]);
    emit(&["n1=", nw]);
    emit(&["n1u=", nu]);
    emit(&["n1=", nw, "|n2u=", nu2]);
    emit(&["n1=", nw, "|n2=", nw2]);
    emit(&["n1u=", nu, "|n2u=", nu2]);
    emit(&["e=", ew]);
    emit(&["eu=", eu]);
    emit(&["eu=", eu, "|n1=", nw]);
    emit(&["n1d=", nd, "|att=", attach]);
    emit(&["n1=", nw, "|att=", attach]);
    emit(&["closes=", closes]);
    emit(&["closes=", closes, "|n1=", nw]);
    emit(&["atend=", at_end]);
    emit(&["atend=", at_end, "|k=", kind]);
    emit(&["kept=", kept]);
    emit(&["moved=", moved]);
    emit(&["moved=", moved, "|n1=", nw]);
    emit(&["keptfin=", keptfin]);
    emit(&["movedfin=", movedfin]);
    emit(&["movedqm=", movedqm]);
    emit(&["cue=", cue_lemma, "|n1=", nw]);
    emit(&["k=", kind, "|n1=", nw]);
    emit(&["cueafter=", cue_after, "|n1=", nw]);
    emit(&["cls=", class, "|closes=", closes]);
    emit(&["first=", first]);
    emit(&["first=", first, "|n1=", nw]);
    emit(&["sep=", sep]);
    emit(&["nxr=", nxrel, "|h=", nxside]);
    emit(&["nxr=", nxrel, "|h=", nxside, "|hu=", nxhu]);
    emit(&["nxr=", nxrel, "|sep=", sep]);
    emit(&["pp=", pw, "|o=", orel, "|h=", oside]);
    emit(&["pp=", pw, "|h=", oside, "|hu=", ohu]);
    emit(&["pp=", pw, "|sep=", sep]);
    emit(&["o=", orel, "|h=", oside, "|hu=", ohu]);
    emit(&["cued=", cued]);
    emit(&["cued=", cued, "|cueafter=", cue_after]);
    emit(&["tail=", tail, "|sep=", sep]);
    emit(&["tailcl=", tailcl]);
    emit(&["tailcl=", tailcl, "|sep=", sep]);
}

/// Features of ending the content at `e` (the training form of what
/// [`refine`] scores).
pub(crate) fn features(v: &View, ctx: &Ctx, e: usize, out: &mut Vec<String>) {
    out.clear();
    let fx = Fixed::new(v, ctx);
    let mut sc = Scratch::default();
    emit_features(v, ctx, &fx, e, &mut sc, &mut |f| out.push(f.to_string()));
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
    let fx = Fixed::new(v, &ctx);
    let mut sc = Scratch::default();
    let mut best = (f32::NEG_INFINITY, ctx.hi);
    for e in candidates(v, &ctx) {
        // The weights of the features, summed in feature order.
        let mut s = 0.0f32;
        emit_features(v, &ctx, &fx, e, &mut sc, &mut |f| {
            if let Some(w) = m.weights.get(f) {
                s += w;
            }
        });
        if s > best.0 {
            best = (s, e);
        }
    }
    let end = if best.1 == ctx.hi {
        q.content.end
    } else {
        v.span(best.1).end
    };
    // The start, given the end, when the model has start features.
    if !m.weights.contains_key(START_KEY) {
        return Span {
            start: q.content.start,
            end,
        };
    }
    let sctx = Ctx { hi: best.1, ..ctx };
    let mut key = String::new();
    let score = |s: usize, key: &mut String| {
        let mut t = 0.0f32;
        emit_start_features(v, &sctx, s, key, &mut |f| {
            if let Some(w) = m.weights.get(f) {
                t += w;
            }
        });
        t
    };
    // The rules' own start wins ties.
    let mut sbest = (score(sctx.lo, &mut key), sctx.lo);
    for s in start_candidates(v, &sctx) {
        if s != sctx.lo {
            let t = score(s, &mut key);
            if t > sbest.0 {
                sbest = (t, s);
            }
        }
    }
    Span {
        start: if sbest.1 == sctx.lo {
            q.content.start
        } else {
            v.span(sbest.1).start
        },
        end,
    }
}

/// The bias feature of the start ranker: its presence in a model turns
/// start decisions on.
pub(crate) const START_KEY: &str = "So|bias";

/// Candidate first tokens for content `ctx.lo..=ctx.hi`, sorted, distinct;
/// always contains `ctx.lo`: the sentence start and every token after a
/// break (see [`candidates`]) from 40 tokens before the content to two
/// tokens before its end, never a punctuation mark, and never a start that
/// would put the cue inside the content.
pub(crate) fn start_candidates(v: &View, ctx: &Ctx) -> Vec<usize> {
    let (sstart, _) = v.sentence_range(ctx.lo);
    let from = sstart.max(ctx.lo.saturating_sub(40));
    let mut out = vec![ctx.lo];
    for s in from..ctx.hi {
        let ok = (s == sstart || s > 0 && is_break(v, s - 1))
            && !v.is_punct(s)
            && ctx.cue.is_none_or(|c| !(s <= c && c <= ctx.hi));
        if ok {
            out.push(s);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Features of starting the content at `s` (its end fixed at `ctx.hi`),
/// each built in `key` and handed to `sink`; names start with `So|`
/// (the rules' start), `Sl|` (later) or `Se|` (earlier).
fn emit_start_features(
    v: &View,
    ctx: &Ctx,
    s: usize,
    key: &mut String,
    sink: &mut dyn FnMut(&str),
) {
    let dir = match s.cmp(&ctx.lo) {
        std::cmp::Ordering::Equal => "So|",
        std::cmp::Ordering::Greater => "Sl|",
        std::cmp::Ordering::Less => "Se|",
    };
    let (sstart, _) = v.sentence_range(s);
    let mut p1 = String::new();
    if s > sstart {
        word_into(v, s - 1, &mut p1);
    } else {
        p1.push_str("<s>");
    }
    let p1u = if s > sstart {
        v.upos(s - 1).as_str()
    } else {
        "<s>"
    };
    let mut f1 = String::new();
    word_into(v, s, &mut f1);
    let f1u = v.upos(s).as_str();
    let f2u = if s < ctx.hi {
        v.upos(s + 1).as_str()
    } else {
        "<e>"
    };
    let side = |h: Option<usize>| match h {
        None => "root",
        Some(h) if ctx.cue == Some(h) => "cue",
        Some(h) if h >= s && h <= ctx.hi => "in",
        Some(h) if h > ctx.hi => "after",
        Some(_) => "before",
    };
    let f1d = v.rel(s);
    let f1h = side(v.head(s));
    let p1d = if s > sstart { v.rel(s - 1) } else { "<s>" };
    let (dlo, dhi) = if s < ctx.lo {
        (s, ctx.lo - 1)
    } else {
        (ctx.lo, s.saturating_sub(1))
    };
    let moved = if s == ctx.lo { 0 } else { dhi + 1 - dlo };
    let movedfin = bool_str(
        s != ctx.lo && (dlo..=dhi).any(|k| matches!(v.xpos(k), "VBD" | "VBZ" | "VBP" | "MD")),
    );
    let movedqm = bool_str(
        s != ctx.lo
            && (dlo..=dhi)
                .any(|k| matches!(v.text(k), "\"" | "\u{201C}" | "\u{201D}" | "``" | "''")),
    );
    let moved = digit(bucket(moved));
    let root = (s..=ctx.hi).find(|&k| v.head(k).is_none_or(|h| h < s || h > ctx.hi));
    let opens = match root.map(|r| v.subtree(r).0) {
        Some(a) if a == s => "eq",
        Some(a) if a < s => "lt",
        Some(_) => "gt",
        None => "none",
    };
    let rootd = root.map_or("-", |r| v.rel(r));
    let (cue_rel, cued) = match ctx.cue {
        Some(c) if c < s => ("after", digit(bucket(s - c))),
        Some(c) => ("before", digit(bucket(c - s))),
        None => ("none", "0"),
    };
    let mut cue_lemma = String::new();
    push_lower(&mut cue_lemma, ctx.cue.map_or("<none>", |c| v.lemma(c)));
    let kind = match ctx.kind {
        QuoteKind::Direct => "D",
        QuoteKind::Indirect => "I",
        QuoteKind::Mixed => "M",
    };
    let sent = bool_str(s == sstart);
    let mut emit = |parts: &[&str]| {
        key.clear();
        key.push_str(dir);
        for p in parts {
            key.push_str(p);
        }
        sink(key);
    };
    let (p1, f1) = (p1.as_str(), f1.as_str());
    emit(&["bias"]);
    emit(&["k=", kind]);
    emit(&["cue=", &cue_lemma]);
    emit(&["cuer=", cue_rel]);
    emit(&["cued=", cued, "|cuer=", cue_rel]);
    emit(&["p1=", p1]);
    emit(&["p1u=", p1u]);
    emit(&["p1=", p1, "|f1=", f1]);
    emit(&["p1=", p1, "|f1u=", f1u]);
    emit(&["f1=", f1]);
    emit(&["f1u=", f1u, "|f2u=", f2u]);
    emit(&["f1d=", f1d, "|h=", f1h]);
    emit(&["f1=", f1, "|h=", f1h]);
    emit(&["p1d=", p1d, "|f1d=", f1d]);
    emit(&["moved=", moved]);
    emit(&["moved=", moved, "|p1=", p1]);
    emit(&["movedfin=", movedfin]);
    emit(&["movedqm=", movedqm]);
    emit(&["opens=", opens]);
    emit(&["opens=", opens, "|p1=", p1]);
    emit(&["rootd=", rootd, "|cuer=", cue_rel]);
    emit(&["sent=", sent, "|cuer=", cue_rel]);
    emit(&["cue=", &cue_lemma, "|p1=", p1]);
    emit(&["k=", kind, "|p1=", p1]);
}

/// Features of starting the content at `s` (the training form of what
/// [`refine`] scores).
pub(crate) fn start_features(v: &View, ctx: &Ctx, s: usize, out: &mut Vec<String>) {
    out.clear();
    let mut key = String::new();
    emit_start_features(v, ctx, s, &mut key, &mut |f| out.push(f.to_string()));
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
        // "He said taxes rise , which hurts ." with a flat parse.
        let doc = crate::tagged_doc(
            &["He", "said", "taxes", "rise", ",", "which", "hurts", "."],
            &["he", "say", "tax", "rise", ",", "which", "hurt", "."],
            vec![
                Upos::Pron,
                Upos::Verb,
                Upos::Noun,
                Upos::Verb,
                Upos::Punct,
                Upos::Pron,
                Upos::Verb,
                Upos::Punct,
            ],
            &["PRP", "VBD", "NNS", "VBP", ",", "WDT", "VBZ", "."],
        );
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
        // What follows the shorter end: a comma, then "which" (no phrase
        // opener); three tokens from the cue; four tokens to the end.
        let mut fs = Vec::new();
        features(&v, &ctx, 3, &mut fs);
        for f in [
            "s|sep=comma",
            "s|pp=-|sep=comma",
            "s|cued=2",
            "s|tail=3|sep=comma",
            "s|tailcl=false",
        ] {
            assert!(fs.iter().any(|x| x == f), "{f} missing from {fs:?}");
        }
        features(&v, &ctx, 6, &mut fs);
        assert!(fs.iter().any(|x| x == "o|sep=end"), "{fs:?}");
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
        // Starts: the rules' own, and after the comma (the sentence start
        // and the cue itself would put the cue inside the content).
        assert_eq!(start_candidates(&v, &ctx), vec![2, 5]);
        let mut fs = Vec::new();
        start_features(&v, &ctx, 5, &mut fs);
        assert!(fs.iter().any(|x| x == "Sl|p1=,"), "{fs:?}");
        m.weights.clear();
        m.weights.insert("o|bias".into(), 1.0);
        m.weights.insert("Sl|p1=,".into(), 1.0);
        // Without the start model's bias feature, starts are not decided.
        assert_eq!(refine(&v, &m, &q), q.content);
        m.weights.insert(START_KEY.into(), 0.5);
        assert_eq!(doc.span_text(refine(&v, &m, &q)), "which hurts");
        m.weights.insert("Sl|p1=,".into(), 0.1);
        assert_eq!(refine(&v, &m, &q), q.content);
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

    #[test]
    fn feature_hasher_keeps_names_apart() {
        let mut w = Weights::default();
        let names = [
            "o|bias",
            "s|bias",
            "x|n1=,|n2=which",
            "x|n1=,|n2=whic",
            "",
            "a",
        ];
        for (k, n) in names.iter().enumerate() {
            w.insert(n.to_string(), k as f32);
        }
        for (k, n) in names.iter().enumerate() {
            assert_eq!(w.get(*n), Some(&(k as f32)));
        }
        assert_eq!(w.get("o|bia"), None);
    }
}
