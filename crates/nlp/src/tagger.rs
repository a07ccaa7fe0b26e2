//! Greedy left-to-right averaged-perceptron tagger predicting a joint
//! (UPOS, Penn XPOS) class per word.
//!
//! Features: the word, its lowercased/digit-normalised form, prefixes and
//! suffixes, orthographic shape, the two previous predicted classes,
//! neighbouring words, and "ambiguity classes" (the set of classes a word
//! was seen with in training) of the word and its right neighbours, which
//! stand in for the unknown right-context tags. Frequent words that always
//! had the same class are looked up in a tag dictionary instead. A few
//! templates are paired with the treebank a training sentence comes from
//! (EWT, the target, or another), so that GUM's conventions do not blur
//! EWT's; text is always tagged as EWT.

use crate::clusters::Clusters;
use crate::data::GoldSentence;
use crate::hash::{feat, hash_str, IdMap, Rng};
use crate::io::{Reader, Writer};
use crate::perceptron::{Trainer, Weights};
use crate::Error;
use petrel_doc::Upos;
use std::collections::HashMap;

pub(crate) struct Tagger {
    /// Class id → (UPOS, XPOS).
    pub(crate) classes: Vec<(Upos, String)>,
    ambig: IdMap<u64>,
    tagdict: IdMap<u16>,
    weights: Weights,
    /// Second pass: sees the first pass's classes on both sides.
    second: Option<Weights>,
}

/// Per-token hashed atoms, computed once per sentence.
#[derive(Clone, Copy, Default)]
struct Tok {
    w: u64,
    lw: u64,
    pre: [u64; 3],
    suf: [u64; 5],
    shape: u64,
    sshape: u64,
    amb: u64,
    flags: u64,
    cf: u64,
    cc: u64,
    /// Domain of the sentence: [`HOME`] at tagging time; in training,
    /// [`HOME`] for the target treebank's sentences, [`OTHER`] for the rest.
    dom: u64,
}

/// Domain atoms. The domain templates (60–63) pair them with the bias, the
/// word, its suffix and the previous class: with the domain known in
/// training, treebank-specific conventions (GUM's against EWT's) go to the
/// domain copies instead of pulling the shared weights apart. Text is
/// always tagged as [`HOME`], so [`OTHER`]'s weights never fire there.
const HOME: u64 = 0x484f_4d45;
const OTHER: u64 = 0x4f54_4852;

const START: u64 = 0x5741_5254;
const END: u64 = 0x0045_4e44;

/// Lowercase with every digit replaced by `0`.
pub(crate) fn normalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalise_into(word, &mut out);
    out
}

/// [`normalise`] appended to `out` (no allocation once `out` is large
/// enough).
fn normalise_into(word: &str, out: &mut String) {
    for c in word.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_digit() {
                '0'
            } else {
                c.to_ascii_lowercase()
            });
        } else {
            // No lowercase form of a non-ASCII character is an ASCII digit.
            out.extend(c.to_lowercase());
        }
    }
}

fn char_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a'
    } else {
        c
    }
}

/// Word shape: character classes with runs capped at 3; and the short
/// shape with every run collapsed to one.
#[cfg(test)]
fn shapes(word: &str) -> (String, String) {
    let mut long = String::new();
    let mut short = String::new();
    shapes_into(word, &mut long, &mut short);
    (long, short)
}

/// The two shapes of `word` written into `long` and `short` (cleared
/// first).
fn shapes_into(word: &str, long: &mut String, short: &mut String) {
    long.clear();
    short.clear();
    let mut last = '\0';
    let mut run = 0;
    for (k, c) in word.chars().enumerate() {
        if k >= 40 {
            break;
        }
        let s = char_class(c);
        if s == last {
            run += 1;
        } else {
            run = 1;
            short.push(s);
        }
        if run <= 3 {
            long.push(s);
        }
        last = s;
    }
}

/// Hashes of the prefixes of 1–3 and the suffixes of 1–5 characters (the
/// whole word when it is shorter).
fn affixes(lw: &str) -> ([u64; 3], [u64; 5]) {
    let mut ends = [lw.len(); 3];
    for (k, (i, c)) in lw.char_indices().take(3).enumerate() {
        ends[k] = i + c.len_utf8();
    }
    let mut starts = [0usize; 5];
    for (k, (i, _)) in lw.char_indices().rev().take(5).enumerate() {
        starts[k] = i;
    }
    let mut pre = [0u64; 3];
    let mut suf = [0u64; 5];
    for (p, &e) in pre.iter_mut().zip(&ends) {
        *p = hash_str(lw.get(..e).unwrap_or(lw));
    }
    for (s, &b) in suf.iter_mut().zip(&starts) {
        *s = hash_str(lw.get(b..).unwrap_or(lw));
    }
    (pre, suf)
}

fn flags(word: &str, first: bool) -> u64 {
    let has_digit = word.chars().any(|c| c.is_numeric()) as u64;
    let has_hyphen = word.contains('-') as u64;
    let upper_first = word.chars().next().is_some_and(|c| c.is_uppercase()) as u64;
    let all_upper =
        (word.chars().any(|c| c.is_alphabetic()) && !word.chars().any(|c| c.is_lowercase())) as u64;
    has_digit | has_hyphen << 1 | upper_first << 2 | all_upper << 3 | (first as u64) << 4
}

fn prepare(words: &[&str], ambig: &IdMap<u64>, clusters: &Clusters) -> Vec<Tok> {
    let mut lw = String::new();
    let (mut long, mut short) = (String::new(), String::new());
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            lw.clear();
            normalise_into(w, &mut lw);
            let (pre, suf) = affixes(&lw);
            shapes_into(w, &mut long, &mut short);
            let lwh = hash_str(&lw);
            let (cf, cc) = clusters.atoms(lwh);
            Tok {
                cf,
                cc,
                w: hash_str(w),
                lw: lwh,
                pre,
                suf,
                shape: hash_str(&long),
                sshape: hash_str(&short),
                amb: ambig.get(&lwh).copied().unwrap_or(0x554e4b),
                flags: flags(w, i == 0),
                dom: HOME,
            }
        })
        .collect()
}

fn features(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let t = &toks[i];
    let at = |k: isize| -> Option<&Tok> {
        let j = i as isize + k;
        if j < 0 {
            None
        } else {
            toks.get(j as usize)
        }
    };
    let lw = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.lw);
    let amb = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.amb);
    let suf3 = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.suf[2]);
    let ssh = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.sshape);
    out.push(feat(0, &[]));
    out.push(feat(1, &[t.w]));
    out.push(feat(2, &[t.lw]));
    for k in 0..5 {
        out.push(feat(3 + k as u32, &[t.suf[k]]));
    }
    for k in 0..3 {
        out.push(feat(8 + k as u32, &[t.pre[k]]));
    }
    out.push(feat(11, &[t.shape]));
    out.push(feat(12, &[t.sshape]));
    out.push(feat(13, &[p1]));
    out.push(feat(14, &[p2, p1]));
    out.push(feat(15, &[p1, t.lw]));
    out.push(feat(16, &[lw(-1)]));
    out.push(feat(17, &[lw(-2)]));
    out.push(feat(18, &[lw(1)]));
    out.push(feat(19, &[lw(2)]));
    out.push(feat(20, &[suf3(-1)]));
    out.push(feat(21, &[suf3(1)]));
    out.push(feat(22, &[lw(-1), t.lw]));
    out.push(feat(23, &[t.lw, lw(1)]));
    out.push(feat(24, &[t.amb]));
    out.push(feat(25, &[amb(1)]));
    out.push(feat(26, &[amb(2)]));
    out.push(feat(27, &[t.amb, amb(1)]));
    out.push(feat(28, &[p1, amb(1)]));
    out.push(feat(29, &[p1, t.amb]));
    out.push(feat(30, &[t.flags, t.sshape]));
    out.push(feat(31, &[lw(-1), lw(1)]));
    out.push(feat(32, &[p1, t.suf[2]]));
    out.push(feat(33, &[ssh(1)]));
    out.push(feat(34, &[ssh(-1), t.sshape]));
    out.push(feat(35, &[t.flags]));
    out.push(feat(36, &[p1, t.amb, amb(1)]));
    out.push(feat(37, &[t.lw, amb(1)]));
    out.push(feat(38, &[p2, p1, t.amb]));
    out.push(feat(39, &[amb(-1)]));
    out.push(feat(40, &[t.suf[1], lw(1)]));
    let cf = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.cf);
    let cc = |k: isize| at(k).map_or(if k < 0 { START } else { END }, |t| t.cc);
    out.push(feat(41, &[t.cf]));
    out.push(feat(42, &[t.cc]));
    out.push(feat(43, &[cf(1)]));
    out.push(feat(44, &[cc(1)]));
    out.push(feat(45, &[cc(2)]));
    out.push(feat(46, &[p1, t.cc]));
    out.push(feat(47, &[t.cc, cc(1)]));
    out.push(feat(48, &[cc(-1), t.cf]));
    out.push(feat(49, &[t.suf[2], t.cc]));
    out.push(feat(60, &[t.dom]));
    out.push(feat(61, &[t.dom, t.lw]));
    out.push(feat(62, &[t.dom, t.suf[2]]));
    out.push(feat(63, &[t.dom, p1]));
}

/// Second-pass features: the first-pass ones plus the first pass's classes
/// around `i` (right context included).
fn features2(toks: &[Tok], i: usize, p1: u64, p2: u64, first: &[usize], out: &mut Vec<u64>) {
    features(toks, i, p1, p2, out);
    second_features(toks, i, p1, first, out);
}

/// The features [`features2`] adds to [`features`].
fn second_features(toks: &[Tok], i: usize, p1: u64, first: &[usize], out: &mut Vec<u64>) {
    let f = |k: isize| -> u64 {
        let j = i as isize + k;
        if j < 0 {
            START
        } else {
            first.get(j as usize).map_or(END, |&c| tag_atom(c))
        }
    };
    let t = &toks[i];
    out.push(feat(200, &[f(0)]));
    out.push(feat(201, &[f(1)]));
    out.push(feat(202, &[f(2)]));
    out.push(feat(203, &[f(0), f(1)]));
    out.push(feat(204, &[p1, f(1)]));
    out.push(feat(205, &[f(1), f(2)]));
    out.push(feat(206, &[t.lw, f(1)]));
    out.push(feat(207, &[t.lw, f(0)]));
    out.push(feat(208, &[p1, f(0), f(1)]));
    out.push(feat(209, &[t.suf[2], f(1)]));
    out.push(feat(210, &[f(-1), f(0), f(1)]));
}

/// Greedy decoding with one pass's weights.
fn run(w: &Weights, tagdict: &IdMap<u16>, toks: &[Tok], first: Option<&[usize]>) -> Vec<usize> {
    run_kept(w, tagdict, toks, first, &mut Kept::default())
}

/// The feature vectors ([`features`]) of a first pass, kept for the second
/// pass, whose vectors begin with the same features: token `i`'s were made
/// with previous classes `prev[i]` (`None`: the tag dictionary decided) and
/// are `feats[end[i - 1]..end[i]]`.
#[derive(Default)]
struct Kept {
    prev: Vec<Option<(u64, u64)>>,
    end: Vec<usize>,
    feats: Vec<u64>,
}

impl Kept {
    /// Token `i`'s kept features, if they were made with the previous
    /// classes `(p1, p2)`.
    fn get(&self, i: usize, p1: u64, p2: u64) -> Option<&[u64]> {
        if self.prev.get(i).copied().flatten() != Some((p1, p2)) {
            return None;
        }
        let start = i
            .checked_sub(1)
            .map_or(Some(0), |j| self.end.get(j).copied())?;
        self.feats.get(start..*self.end.get(i)?)
    }
}

/// [`run`] that, in a first pass (`first` is `None`), keeps its feature
/// vectors in `kept` (emptied first), and in a second pass reuses those of
/// the tokens whose previous classes are the same as in the first (the
/// vectors, hence the scores, are the same as [`run`]'s).
fn run_kept(
    w: &Weights,
    tagdict: &IdMap<u16>,
    toks: &[Tok],
    first: Option<&[usize]>,
    kept: &mut Kept,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(toks.len());
    let mut feats = Vec::with_capacity(80);
    let mut scores = vec![0f32; w.nclass()];
    let (mut p1, mut p2) = (START, START + 1);
    if first.is_none() {
        kept.prev.clear();
        kept.end.clear();
        kept.feats.clear();
    }
    for i in 0..toks.len() {
        let c = match tagdict.get(&toks[i].w) {
            Some(&c) => {
                if first.is_none() {
                    kept.prev.push(None);
                    kept.end.push(kept.feats.len());
                }
                c as usize
            }
            None => {
                match first {
                    Some(f) => match kept.get(i, p1, p2) {
                        Some(base) => {
                            feats.clear();
                            feats.extend_from_slice(base);
                            second_features(toks, i, p1, f, &mut feats);
                        }
                        None => features2(toks, i, p1, p2, f, &mut feats),
                    },
                    None => {
                        features(toks, i, p1, p2, &mut feats);
                        kept.prev.push(Some((p1, p2)));
                        kept.feats.extend_from_slice(&feats);
                        kept.end.push(kept.feats.len());
                    }
                }
                w.score(&feats, &mut scores);
                argmax(&scores)
            }
        };
        out.push(c);
        p2 = p1;
        p1 = tag_atom(c);
    }
    out
}

#[inline]
fn tag_atom(class: usize) -> u64 {
    0x1000 + class as u64
}

/// Index of the first largest score (0 for an empty slice; a NaN first
/// score is never beaten).
pub(crate) fn argmax(s: &[f32]) -> usize {
    let Some((&first, rest)) = s.split_first() else {
        return 0;
    };
    let (mut b, mut best) = (0, first);
    for (i, &x) in rest.iter().enumerate() {
        if x > best {
            (b, best) = (i + 1, x);
        }
    }
    b
}

impl Tagger {
    /// Class ids for each word.
    pub(crate) fn tag(&self, words: &[&str], clusters: &Clusters) -> Vec<usize> {
        let toks = prepare(words, &self.ambig, clusters);
        match &self.second {
            Some(w2) => {
                let mut kept = Kept::default();
                let first = run_kept(&self.weights, &self.tagdict, &toks, None, &mut kept);
                run_kept(w2, &self.tagdict, &toks, Some(&first), &mut kept)
            }
            None => run(&self.weights, &self.tagdict, &toks, None),
        }
    }

    pub(crate) fn upos(&self, class: usize) -> Upos {
        self.classes.get(class).map_or(Upos::X, |c| c.0)
    }

    pub(crate) fn xpos(&self, class: usize) -> &str {
        self.classes.get(class).map_or("_", |c| c.1.as_str())
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut w = Writer::header("tagger");
        w.u32(self.classes.len() as u32);
        for (u, x) in &self.classes {
            w.str(u.as_str());
            w.str(x);
        }
        let mut amb: Vec<_> = self.ambig.iter().collect();
        amb.sort_unstable();
        w.u32(amb.len() as u32);
        for (k, v) in amb {
            w.u64(*k);
            w.u64(*v);
        }
        let mut td: Vec<_> = self.tagdict.iter().collect();
        td.sort_unstable();
        w.u32(td.len() as u32);
        for (k, v) in td {
            w.u64(*k);
            w.u16(*v);
        }
        self.weights.write(&mut w);
        match &self.second {
            Some(w2) => {
                w.u8(1);
                w2.write(&mut w);
            }
            None => w.u8(0),
        }
        w.buf
    }

    pub(crate) fn read(data: &[u8], name: &str) -> Result<Tagger, Error> {
        let mut r = Reader::open(data, name, "tagger")?;
        let n = r.count("class count", 8)?;
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let u = r.str("UPOS")?;
            let x = r.str("XPOS")?;
            let u: Upos = u
                .parse()
                .map_err(|e| Error::Model(format!("{name}: {e}")))?;
            classes.push((u, x));
        }
        let n = r.count("ambiguity classes", 16)?;
        let mut ambig = IdMap::default();
        for _ in 0..n {
            let k = r.u64("ambiguity key")?;
            ambig.insert(k, r.u64("ambiguity value")?);
        }
        let n = r.count("tag dictionary", 10)?;
        let mut tagdict = IdMap::default();
        for _ in 0..n {
            let k = r.u64("tag dictionary key")?;
            let v = r.u16("tag dictionary class")?;
            if v as usize >= classes.len() {
                return Err(Error::Model(format!(
                    "{name}: tag dictionary class {v} out of range"
                )));
            }
            tagdict.insert(k, v);
        }
        let weights = Weights::read(&mut r)?;
        let second = match r.u8("second-pass flag")? {
            0 => None,
            1 => Some(Weights::read(&mut r)?),
            x => return Err(Error::Model(format!("{name}: bad second-pass flag {x}"))),
        };
        r.finish()?;
        if second.as_ref().is_some_and(|w| w.nclass() != classes.len()) {
            return Err(Error::Model(format!(
                "{name}: second-pass weights do not match the class table"
            )));
        }
        if weights.nclass() != classes.len() {
            return Err(Error::Model(format!(
                "{name}: weights have {} classes, the class table {}",
                weights.nclass(),
                classes.len()
            )));
        }
        Ok(Tagger {
            classes,
            ambig,
            tagdict,
            weights,
            second,
        })
    }

    pub(crate) fn feature_count(&self) -> usize {
        self.weights.len() + self.second.as_ref().map_or(0, |w| w.len())
    }
}

/// Settings for tagger training.
#[derive(Debug, Clone)]
pub(crate) struct TaggerTrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Drop weights of smaller magnitude from the final model.
    pub prune: f32,
    /// Thresholds to report dev scores for (model-size exploration).
    pub prune_sweep: Vec<f32>,
    /// Folds of jackknifing for the second pass (< 2: one pass only).
    pub jackknife: usize,
    /// The first this many training sentences are the target domain (the
    /// one tagged text is treated as); the rest are another treebank.
    pub home_sentences: usize,
}

/// What tagger training produced.
pub(crate) struct TaggerTraining {
    pub tagger: Tagger,
    /// Dev accuracy (joint class) per epoch of the first, then second pass.
    pub curve: Vec<f64>,
    /// First-pass classes of the training sentences, each predicted by a
    /// tagger that did not see it (empty without jackknifing), every sentence
    /// tagged as the target domain, as text is tagged at run time: the tags
    /// the parser and NER train on. (The second pass trains on the same
    /// jackknifed output with each sentence in its own domain.)
    pub jackknifed_home: Vec<Vec<usize>>,
}

struct Pass<'a> {
    toks: &'a [Vec<Tok>],
    gold: &'a [Vec<usize>],
    first: Option<&'a [Vec<usize>]>,
    /// Class table and gold sentences, to report UPOS and XPOS apart
    /// (dev passes only).
    tags: Option<DevTags<'a>>,
}

/// Class id → (UPOS, XPOS) table and the gold sentences of a dev pass.
type DevTags<'a> = (&'a [(Upos, String)], &'a [GoldSentence]);

/// Train one pass; with a dev set keep the best epoch, else the last.
/// Returns the weights, the best epoch (1-based) and the dev curve.
fn train_pass(
    train: &Pass,
    dev: Option<&Pass>,
    nclass: usize,
    tagdict: &IdMap<u16>,
    epochs: usize,
    seed: u64,
    log: &mut dyn FnMut(&str),
) -> (Weights, usize, Vec<f64>) {
    let mut trainer = Trainer::new(nclass);
    let mut order: Vec<usize> = (0..train.toks.len()).collect();
    let mut rng = Rng::new(seed);
    let mut feats = Vec::with_capacity(80);
    let mut scores = vec![0f32; nclass];
    let mut best: Option<(f64, usize, Weights)> = None;
    let mut curve = Vec::new();
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let toks = &train.toks[si];
            let (mut p1, mut p2) = (START, START + 1);
            for i in 0..toks.len() {
                let truth = train.gold[si][i];
                let guess = match tagdict.get(&toks[i].w) {
                    Some(&c) => c as usize,
                    None => {
                        match train.first {
                            Some(f) => features2(toks, i, p1, p2, &f[si], &mut feats),
                            None => features(toks, i, p1, p2, &mut feats),
                        }
                        trainer.score(&feats, &mut scores);
                        let g = argmax(&scores);
                        trainer.update(&feats, truth, g);
                        trainer.tick();
                        g
                    }
                };
                right += (guess == truth) as usize;
                total += 1;
                p2 = p1;
                p1 = tag_atom(guess);
            }
        }
        let Some(dev) = dev else {
            if epoch + 1 == epochs {
                best = Some((0.0, epoch + 1, trainer.average(0.0)));
            }
            continue;
        };
        let w = trainer.average(0.0);
        let (acc, upos, xpos) = pass_accuracy(&w, tagdict, dev);
        log(&format!(
            "tagger{} epoch {}: train {:.2}%, dev joint {:.2}% UPOS {:.2}% XPOS {:.2}% ({} features)",
            if train.first.is_some() { " pass 2" } else { "" },
            epoch + 1,
            100.0 * right as f64 / total.max(1) as f64,
            100.0 * acc,
            100.0 * upos,
            100.0 * xpos,
            w.len()
        ));
        curve.push(acc);
        if best.as_ref().is_none_or(|b| acc > b.0) {
            best = Some((acc, epoch + 1, w));
        }
    }
    match best {
        Some((_, e, w)) => (w, e, curve),
        None => (trainer.average(0.0), 0, curve),
    }
}

/// Joint, UPOS and XPOS accuracy of one pass (UPOS and XPOS are 0 when
/// the pass has no gold tags).
fn pass_accuracy(w: &Weights, tagdict: &IdMap<u16>, dev: &Pass) -> (f64, f64, f64) {
    let (mut right, mut total, mut ru, mut rx) = (0usize, 0usize, 0usize, 0usize);
    for (si, toks) in dev.toks.iter().enumerate() {
        let pred = run(w, tagdict, toks, dev.first.map(|f| f[si].as_slice()));
        for (i, (p, g)) in pred.iter().zip(&dev.gold[si]).enumerate() {
            right += (p == g) as usize;
            total += 1;
            if let Some((classes, sents)) = dev.tags {
                if let (Some((u, x)), Some(s)) = (classes.get(*p), sents.get(si)) {
                    ru += s.upos.get(i).is_some_and(|g| g == u.as_str()) as usize;
                    rx += s.xpos.get(i).is_some_and(|g| g == x) as usize;
                }
            }
        }
    }
    let n = total.max(1) as f64;
    (right as f64 / n, ru as f64 / n, rx as f64 / n)
}

/// Train on `train`, pick epochs by dev accuracy (UPOS and XPOS both
/// right); with `jackknife` ≥ 2 also train a second pass on jackknifed
/// first-pass classes.
pub(crate) fn train(
    train: &[GoldSentence],
    dev: &[GoldSentence],
    clusters: &Clusters,
    cfg: &TaggerTrainConfig,
    log: &mut dyn FnMut(&str),
) -> Result<TaggerTraining, Error> {
    // Class inventory.
    let mut class_of: HashMap<(String, String), usize> = HashMap::new();
    let mut classes: Vec<(Upos, String)> = Vec::new();
    let mut gold: Vec<Vec<usize>> = Vec::with_capacity(train.len());
    for s in train {
        let mut g = Vec::with_capacity(s.len());
        for i in 0..s.len() {
            let key = (s.upos[i].clone(), s.xpos[i].clone());
            let id = match class_of.get(&key) {
                Some(&id) => id,
                None => {
                    let u: Upos = s.upos[i].parse().unwrap_or(Upos::X);
                    classes.push((u, s.xpos[i].clone()));
                    class_of.insert(key, classes.len() - 1);
                    classes.len() - 1
                }
            };
            g.push(id);
        }
        gold.push(g);
    }
    if classes.is_empty() {
        return Err(Error::Data("tagger training: no training words".into()));
    }
    if classes.len() > 255 {
        return Err(Error::Data(
            "tagger training: more than 255 (UPOS, XPOS) classes".into(),
        ));
    }
    // Ambiguity classes and tag dictionary.
    let mut by_lower: IdMap<HashMap<usize, u32>> = IdMap::default();
    let mut by_form: IdMap<HashMap<usize, u32>> = IdMap::default();
    for (s, g) in train.iter().zip(&gold) {
        for (w, &c) in s.words.iter().zip(g) {
            *by_lower
                .entry(hash_str(&normalise(w)))
                .or_default()
                .entry(c)
                .or_default() += 1;
            *by_form
                .entry(hash_str(w))
                .or_default()
                .entry(c)
                .or_default() += 1;
        }
    }
    let mut ambig = IdMap::default();
    for (k, counts) in &by_lower {
        let total: u32 = counts.values().sum();
        if total < 3 {
            continue;
        }
        let mut set: Vec<usize> = counts
            .iter()
            .filter(|(_, &n)| n as f64 >= 0.05 * total as f64)
            .map(|(&c, _)| c)
            .collect();
        set.sort_unstable();
        let h = set
            .iter()
            .fold(0x414d42u64, |h, &c| crate::hash::mix(h, c as u64));
        ambig.insert(*k, h);
    }
    let mut tagdict = IdMap::default();
    for (k, counts) in &by_form {
        let total: u32 = counts.values().sum();
        let mut best: Option<(usize, u32)> = None;
        for (&c, &n) in counts {
            if best.is_none_or(|b| n > b.1 || (n == b.1 && c < b.0)) {
                best = Some((c, n));
            }
        }
        if let Some((c, n)) = best {
            if total >= 30 && n as f64 >= 0.995 * total as f64 {
                tagdict.insert(*k, c as u16);
            }
        }
    }
    log(&format!(
        "tagger: {} sentences, {} classes, {} ambiguity entries, {} tag-dictionary words",
        train.len(),
        classes.len(),
        ambig.len(),
        tagdict.len()
    ));
    let toks_of = |s: &GoldSentence| {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        prepare(&words, &ambig, clusters)
    };
    let mut train_toks: Vec<Vec<Tok>> = train.iter().map(toks_of).collect();
    for t in train_toks.iter_mut().skip(cfg.home_sentences) {
        for x in t.iter_mut() {
            x.dom = OTHER;
        }
    }
    let dev_toks: Vec<Vec<Tok>> = dev.iter().map(toks_of).collect();
    let dev_gold: Vec<Vec<usize>> = dev
        .iter()
        .map(|s| {
            (0..s.len())
                .map(|i| {
                    class_of
                        .get(&(s.upos[i].clone(), s.xpos[i].clone()))
                        .copied()
                        .unwrap_or(usize::MAX)
                })
                .collect()
        })
        .collect();
    let nclass = classes.len();
    let p1 = Pass {
        toks: &train_toks,
        gold: &gold,
        first: None,
        tags: None,
    };
    let d1 = Pass {
        toks: &dev_toks,
        gold: &dev_gold,
        first: None,
        tags: Some((&classes, dev)),
    };
    let dev_pass = (!dev.is_empty()).then_some(&d1);
    let (w1, best_epoch, mut curve) = train_pass(
        &p1,
        dev_pass,
        nclass,
        &tagdict,
        cfg.epochs.max(1),
        cfg.seed,
        log,
    );
    let mut jackknifed_home = Vec::new();
    let mut second = None;
    if cfg.jackknife >= 2 {
        let k = cfg.jackknife;
        let mut jackknifed = vec![Vec::new(); train.len()];
        jackknifed_home = vec![Vec::new(); train.len()];
        for fold in 0..k {
            let idx: Vec<usize> = (0..train.len()).filter(|i| i % k != fold).collect();
            let toks: Vec<Vec<Tok>> = idx.iter().map(|&i| train_toks[i].clone()).collect();
            let g: Vec<Vec<usize>> = idx.iter().map(|&i| gold[i].clone()).collect();
            let p = Pass {
                toks: &toks,
                gold: &g,
                first: None,
                tags: None,
            };
            let (w, _, _) = train_pass(
                &p,
                None,
                nclass,
                &tagdict,
                best_epoch.max(1),
                cfg.seed + 1 + fold as u64,
                log,
            );
            for i in (0..train.len()).filter(|i| i % k == fold) {
                jackknifed[i] = run(&w, &tagdict, &train_toks[i], None);
                jackknifed_home[i] = if i < cfg.home_sentences {
                    jackknifed[i].clone()
                } else {
                    let mut home = train_toks[i].clone();
                    for x in home.iter_mut() {
                        x.dom = HOME;
                    }
                    run(&w, &tagdict, &home, None)
                };
            }
            log(&format!("tagger jackknife fold {}/{k} done", fold + 1));
        }
        let dev_first: Vec<Vec<usize>> = dev_toks
            .iter()
            .map(|t| run(&w1, &tagdict, t, None))
            .collect();
        let p2 = Pass {
            toks: &train_toks,
            gold: &gold,
            first: Some(&jackknifed),
            tags: None,
        };
        let d2 = Pass {
            toks: &dev_toks,
            gold: &dev_gold,
            first: Some(&dev_first),
            tags: Some((&classes, dev)),
        };
        let dev_pass2 = (!dev.is_empty()).then_some(&d2);
        let (w2, _, c2) = train_pass(
            &p2,
            dev_pass2,
            nclass,
            &tagdict,
            cfg.epochs.max(1),
            cfg.seed ^ 0x2222,
            log,
        );
        curve.extend(c2);
        second = Some(w2);
    }
    let best = Tagger {
        classes,
        ambig,
        tagdict,
        weights: w1,
        second,
    };
    for &thr in &cfg.prune_sweep {
        let t = Tagger {
            weights: best.weights.pruned(thr),
            second: best.second.as_ref().map(|w| w.pruned(thr)),
            classes: best.classes.clone(),
            ambig: best.ambig.clone(),
            tagdict: best.tagdict.clone(),
        };
        log(&format!(
            "tagger pruned at {thr}: dev joint {:.2}% ({} features)",
            100.0 * accuracy(&t, dev, clusters),
            t.feature_count()
        ));
    }
    let tagger = Tagger {
        weights: best.weights.pruned(cfg.prune),
        second: best.second.as_ref().map(|w| w.pruned(cfg.prune)),
        ..best
    };
    Ok(TaggerTraining {
        tagger,
        curve,
        jackknifed_home,
    })
}

/// Share of words with both UPOS and XPOS right.
fn accuracy(t: &Tagger, sents: &[GoldSentence], clusters: &Clusters) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for s in sents {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        for (i, c) in t.tag(&words, clusters).into_iter().enumerate() {
            right += (t.upos(c).as_str() == s.upos[i] && t.xpos(c) == s.xpos[i]) as usize;
            total += 1;
        }
    }
    right as f64 / total.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_normalisation() {
        assert_eq!(
            shapes("McDonald's"),
            ("XxXxxx'x".to_string(), "XxXx'x".to_string())
        );
        assert_eq!(shapes("1984"), ("ddd".to_string(), "d".to_string()));
        assert_eq!(normalise("Year-2024"), "year-0000");
        let (pre, suf) = affixes("a");
        assert_eq!(pre[0], pre[2]);
        assert_eq!(suf[0], suf[4]);
    }

    /// The allocation-free affixes and normalisation give the hashes of
    /// the straightforward definitions (which the models were trained with).
    #[test]
    fn affixes_and_normalisation_match_the_reference() {
        fn reference(word: &str) -> (String, [u64; 3], [u64; 5]) {
            let lw: String = word
                .chars()
                .flat_map(|c| c.to_lowercase())
                .map(|c| if c.is_ascii_digit() { '0' } else { c })
                .collect();
            let starts: Vec<usize> = lw.char_indices().map(|(i, _)| i).collect();
            let n = starts.len();
            let cut = |k: usize| if k >= n { lw.len() } else { starts[k] };
            let mut pre = [0u64; 3];
            let mut suf = [0u64; 5];
            for (k, p) in pre.iter_mut().enumerate() {
                *p = hash_str(&lw[..cut(k + 1)]);
            }
            for (k, s) in suf.iter_mut().enumerate() {
                *s = hash_str(&lw[cut(n.saturating_sub(k + 1))..]);
            }
            (lw, pre, suf)
        }
        for w in [
            "",
            "a",
            "ab",
            "Year-2024",
            "McDonald's",
            "İstanbul",
            "\u{212a}elvin",
            "ÉCOLE",
            "naïve",
            "日本語テキスト",
            "🙂x",
            "ΣΊΣΥΦΟΣ",
            "x\u{301}y",
            "1,000.5",
        ] {
            let (lw, pre, suf) = reference(w);
            assert_eq!(normalise(w), lw, "{w}");
            assert_eq!(affixes(&lw), (pre, suf), "{w}");
        }
    }

    /// The second pass that reuses the first pass's feature vectors tags
    /// as the one that makes them afresh, and a kept vector is the one
    /// [`features`] makes, for the previous classes it was made with only.
    #[test]
    fn kept_first_pass_features_change_nothing() {
        let t = Tagger::read(crate::EMBEDDED_TAGGER, "tagger").expect("tagger");
        let cl = Clusters::read(crate::EMBEDDED_CLUSTERS, "clusters").expect("clusters");
        let w2 = t.second.as_ref().expect("two passes");
        let mut reused = 0;
        for text in [
            "The minister said on Tuesday that talks with the rebels would resume in Geneva .",
            "Shares of Acme Corp. rose 3.5 % to $ 12.40 after it beat forecasts",
            "I saw her duck , and she saw my saw",
            "",
            "Protesters",
        ] {
            let words: Vec<&str> = text.split_whitespace().collect();
            let toks = prepare(&words, &t.ambig, &cl);
            let mut kept = Kept::default();
            let first = run_kept(&t.weights, &t.tagdict, &toks, None, &mut kept);
            assert_eq!(first, run(&t.weights, &t.tagdict, &toks, None));
            let (mut p1, mut p2) = (START, START + 1);
            let mut f = Vec::new();
            for (i, &c) in first.iter().enumerate() {
                if let Some(k) = kept.get(i, p1, p2) {
                    features(&toks, i, p1, p2, &mut f);
                    assert_eq!(k, &f[..]);
                    assert!(kept.get(i, p1 ^ 1, p2).is_none());
                    reused += 1;
                }
                p2 = p1;
                p1 = tag_atom(c);
            }
            let second = run_kept(w2, &t.tagdict, &toks, Some(&first), &mut kept);
            assert_eq!(second, run(w2, &t.tagdict, &toks, Some(&first)));
            assert_eq!(t.tag(&words, &cl), second);
        }
        assert!(reused > 10);
    }

    /// Thread CPU time in seconds (Linux; 0 elsewhere).
    fn cpu() -> f64 {
        let s = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
        let rest = s.rfind(')').map_or("", |k| &s[k + 2..]);
        let f: Vec<&str> = rest.split(' ').collect();
        let t = |k: usize| f.get(k).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        (t(11) + t(12)) / 100.0
    }

    /// Tagging speed of the embedded model (or `PETREL_MODELS=DIR`'s) on
    /// EWT dev (gold words): `cargo test --release -p petrel-nlp --lib
    /// tagging_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn tagging_speed() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/treebanks/ud-english-ewt/en_ewt-ud-dev.conllu");
        let Ok(sents) = crate::data::load(&path) else {
            eprintln!("no EWT dev at {}", path.display());
            return;
        };
        // PETREL_MODELS=DIR: the tagger and clusters of DIR instead.
        let dir = std::env::var("PETREL_MODELS")
            .ok()
            .map(std::path::PathBuf::from);
        let file = |name: &str, embedded: &[u8]| -> Vec<u8> {
            dir.as_ref()
                .and_then(|d| std::fs::read(d.join(name)).ok())
                .unwrap_or_else(|| embedded.to_vec())
        };
        let t =
            Tagger::read(&file("en_tagger.bin", crate::EMBEDDED_TAGGER), "tagger").expect("tagger");
        let cl = Clusters::read(
            &file("en_clusters.bin", crate::EMBEDDED_CLUSTERS),
            "clusters",
        )
        .expect("clusters");
        let words: Vec<Vec<&str>> = sents
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let n: usize = words.iter().map(Vec::len).sum();
        let rounds = 20;
        let c0 = cpu();
        let mut sink = 0usize;
        for _ in 0..rounds {
            for w in &words {
                sink += prepare(w, &t.ambig, &cl).len();
            }
        }
        let c1 = cpu();
        for _ in 0..rounds {
            for w in &words {
                sink += t.tag(w, &cl).len();
            }
        }
        let c2 = cpu();
        let us = |c: f64| 1e6 * c / (rounds * n) as f64;
        eprintln!(
            "{n} words x {rounds}: prepare {:.3} us/word, tag (incl. prepare) {:.3} us/word ({sink})",
            us(c1 - c0),
            us(c2 - c1)
        );
    }

    fn sent(pairs: &[(&str, &str, &str)]) -> GoldSentence {
        GoldSentence {
            words: pairs.iter().map(|p| p.0.to_string()).collect(),
            upos: pairs.iter().map(|p| p.1.to_string()).collect(),
            xpos: pairs.iter().map(|p| p.2.to_string()).collect(),
            lemma: pairs.iter().map(|p| p.0.to_lowercase()).collect(),
            head: vec![0; pairs.len()],
            deprel: vec!["dep".into(); pairs.len()],
        }
    }

    /// A word tagged one way in the target treebank and another way, more
    /// often, in the other one is tagged the target's way.
    #[test]
    fn text_is_tagged_with_the_target_treebanks_conventions() {
        let home = sent(&[
            ("the", "DET", "DT"),
            ("internet", "NOUN", "NN"),
            ("works", "VERB", "VBZ"),
        ]);
        let other = sent(&[
            ("the", "DET", "DT"),
            ("internet", "PROPN", "NNP"),
            ("works", "VERB", "VBZ"),
        ]);
        let mut data = vec![home.clone(), home.clone()];
        data.extend(vec![other; 4]);
        let cfg = TaggerTrainConfig {
            epochs: 10,
            seed: 3,
            prune: 0.0,
            prune_sweep: Vec::new(),
            jackknife: 0,
            home_sentences: 2,
        };
        let cl = Clusters::default();
        let t = train(&data, &[home], &cl, &cfg, &mut |_| {})
            .expect("trains")
            .tagger;
        let tags = t.tag(&["the", "internet", "works"], &cl);
        assert_eq!(t.xpos(tags[1]), "NN");
        // Without the domain split the majority wins.
        let flat = TaggerTrainConfig {
            home_sentences: data.len(),
            ..cfg
        };
        let t = train(&data, &[], &cl, &flat, &mut |_| {})
            .expect("trains")
            .tagger;
        assert_eq!(t.xpos(t.tag(&["the", "internet", "works"], &cl)[1]), "NNP");
    }

    #[test]
    fn learns_a_toy_language_and_round_trips() {
        let data = vec![
            sent(&[
                ("the", "DET", "DT"),
                ("dog", "NOUN", "NN"),
                ("runs", "VERB", "VBZ"),
            ]),
            sent(&[
                ("a", "DET", "DT"),
                ("cat", "NOUN", "NN"),
                ("sleeps", "VERB", "VBZ"),
            ]),
            sent(&[
                ("the", "DET", "DT"),
                ("cats", "NOUN", "NNS"),
                ("run", "VERB", "VBP"),
            ]),
        ];
        let cfg = TaggerTrainConfig {
            epochs: 8,
            seed: 1,
            prune: 0.0,
            prune_sweep: vec![0.5],
            jackknife: 2,
            home_sentences: 2,
        };
        let tr = train(&data, &data, &Clusters::default(), &cfg, &mut |_| {}).expect("trains");
        let t = tr.tagger;
        assert_eq!(tr.curve.len(), 16);
        assert_eq!(tr.jackknifed_home.len(), 3);
        assert!(t.second.is_some());
        let cl = Clusters::default();
        assert!(accuracy(&t, &data, &cl) > 0.99);
        let t2 = Tagger::read(&t.write(), "mem").expect("round trip");
        let words = ["the", "dog", "sleeps"];
        assert_eq!(t.tag(&words, &cl), t2.tag(&words, &cl));
        assert_eq!(t2.xpos(t2.tag(&words, &cl)[1]), "NN");
        assert!(t2.tag(&[], &cl).is_empty());
        assert_eq!(t2.tag(&["", "\u{200b}", "🙂"], &cl).len(), 3);
    }
}
