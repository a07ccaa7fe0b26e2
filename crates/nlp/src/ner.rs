//! Named-entity recognition: an averaged-perceptron BILOU tagger (beam
//! search, trained as a structured perceptron with early update) over
//! the words of a sentence and their predicted analyses (UPOS, XPOS,
//! dependency relation), word shape, affixes, distributional clusters, the
//! two previous labels and gazetteer features, trained on the named mentions
//! of the GUM corpus (see `models/en_ner.md`), optionally with silver
//! sentences from news text labelled by a teacher ([`NerTrainOptions::silver`],
//! `scripts/ner_silver.py`).
//!
//! The model predicts three kinds (person, organisation, place). Output
//! labels are refined by the lexicon stored in the model file: a place whose
//! name the gazetteer lists as a country, first-level division or populated
//! place is `GPE`, any other place `LOC`; a person span that is only a
//! demonym ("Americans") and capitalised demonyms outside every predicted
//! span ("Spanish", "Israeli") are `NORP`.
//!
//! Model file (`en_ner.bin`, [`crate::io`] container, kind `ner`): format
//! version (u32); the lexicon: longest phrase in words (u8), entry count
//! (u32), then per entry in increasing key order the phrase key (u64, the
//! chained hash of the normalised words) and the category bit mask (u32
//! since format 3, u16 before);
//! then the first-pass perceptron weights ([`Weights::write`]), a flag (u8)
//! and, when it is 1, the second-pass weights; since format 4 the beam width
//! of decoding (u8; formats 1–3 decode greedily).

use crate::clusters::Clusters;
use crate::data::read_conllu;
use crate::hash::{feat, hash_str, mix, IdMap, Rng};
use crate::io::{Reader, Writer};
use crate::perceptron::{Trainer, Weights};
use crate::tagger::{argmax, normalise};
use crate::{Error, Nlp, Result, TokenAnalysis};
use petrel_doc::{EntityLabel, Upos};
use petrel_treebank::conllu;
use petrel_treebank::entities::mentions;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// File name of the NER model inside a model directory.
pub const NER_FILE: &str = "en_ner.bin";
const FORMAT: u32 = 4;
/// Dev F1 gain the second pass must bring to be kept.
const SECOND_PASS_MIN_GAIN: f64 = 0.005;
/// Environment variable naming the silver data file `petrel train` mixes
/// into NER training (see [`NerTrainOptions::silver`]).
pub const SILVER_ENV: &str = "PETREL_NER_SILVER";
/// Longest lexicon phrase considered, in words.
const MAX_PHRASE: usize = 6;

/// What the model itself predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Org,
    Place,
}

const KINDS: [Kind; 3] = [Kind::Person, Kind::Org, Kind::Place];

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "PERSON",
            Kind::Org => "ORG",
            Kind::Place => "PLACE",
        }
    }
    fn index(self) -> usize {
        match self {
            Kind::Person => 0,
            Kind::Org => 1,
            Kind::Place => 2,
        }
    }
}

/// A recognised entity over words `start..end` of the analysed slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSpan {
    pub start: usize,
    pub end: usize,
    pub label: EntityLabel,
}

// ---------------------------------------------------------------- labels

/// Classes: 0 = O; `1 + 4 * kind + t` with t = 0 B, 1 I, 2 L, 3 U.
const NCLASS: usize = 1 + 4 * KINDS.len();
const B: usize = 0;
const I: usize = 1;
const L: usize = 2;
const U: usize = 3;

fn class(kind: Kind, t: usize) -> usize {
    1 + 4 * kind.index() + t
}

/// (kind, position) of a class; `None` for O.
fn split(c: usize) -> Option<(Kind, usize)> {
    if c == 0 || c >= NCLASS {
        return None;
    }
    KINDS.get((c - 1) / 4).map(|&k| (k, (c - 1) % 4))
}

/// Whether class `c` may follow class `prev` (`None`: sentence start), and
/// whether it may end the sentence when `last`.
fn allowed(prev: Option<usize>, c: usize, last: bool) -> bool {
    let open = prev.and_then(split).filter(|&(_, t)| t == B || t == I);
    let ok = match (open, split(c)) {
        (Some((k, _)), Some((k2, t))) => k == k2 && (t == I || t == L),
        (Some(_), None) => false,
        (None, Some((_, t))) => t == B || t == U,
        (None, None) => true,
    };
    ok && !(last && matches!(split(c), Some((_, t)) if t == B || t == I))
}

/// BILOU classes for spans `(start, end, kind)` over `n` words.
fn encode(n: usize, spans: &[(usize, usize, Kind)]) -> Vec<usize> {
    let mut y = vec![0; n];
    for &(a, b, k) in spans {
        if a >= b || b > n {
            continue;
        }
        if b - a == 1 {
            y[a] = class(k, U);
        } else {
            y[a] = class(k, B);
            for v in &mut y[a + 1..b - 1] {
                *v = class(k, I);
            }
            y[b - 1] = class(k, L);
        }
    }
    y
}

/// Spans of a well-formed class sequence (ill-formed runs are dropped).
fn decode(y: &[usize]) -> Vec<(usize, usize, Kind)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, Kind)> = None;
    for (i, &c) in y.iter().enumerate() {
        match split(c) {
            Some((k, U)) => {
                out.push((i, i + 1, k));
                start = None;
            }
            Some((k, B)) => start = Some((i, k)),
            Some((k, I)) => {
                if start.is_none_or(|(_, k0)| k0 != k) {
                    start = None;
                }
            }
            Some((k, _)) => {
                if let Some((a, k0)) = start {
                    if k0 == k {
                        out.push((a, i + 1, k));
                    }
                }
                start = None;
            }
            None => start = None,
        }
    }
    out
}

// ---------------------------------------------------------------- lexicon

/// Lexicon categories (bits of the mask).
const FIRST_NAME: u32 = 1;
const SURNAME: u32 = 1 << 1;
const COUNTRY: u32 = 1 << 2;
const ADMIN: u32 = 1 << 3;
const CITY: u32 = 1 << 4;
const OTHER_PLACE: u32 = 1 << 5;
const DEMONYM: u32 = 1 << 6;
const ORG_NAME: u32 = 1 << 7;
const PERSON_NAME: u32 = 1 << 8;
const COMMON_WORD: u32 = 1 << 9;
const ORG_WORD: u32 = 1 << 10;
const PLACE_WORD: u32 = 1 << 11;
const TITLE_WORD: u32 = 1 << 12;
/// Names the silver teacher labelled (see [`silver_names`]).
const SILVER_PERSON: u32 = 1 << 13;
const SILVER_ORG: u32 = 1 << 14;
const SILVER_PLACE: u32 = 1 << 15;
/// Populated places below `min_population` (at least
/// `NerTrainOptions::small_population`): towns and villages, a category of
/// their own so that the model learns how far to trust them.
const TOWN: u32 = 1 << 16;
/// WordNet's named instances (`data/geo/wordnet_names.tsv`).
const WN_PERSON: u32 = 1 << 17;
const WN_ORG: u32 = 1 << 18;
const WN_PLACE: u32 = 1 << 19;
const WN_FACILITY: u32 = 1 << 20;
const NBITS: u32 = 21;

/// Name designators and titles (`data/ner_designators.tsv`).
static DESIGNATORS: &str = include_str!("../data/ner_designators.tsv");

/// Lowercase words that may join the capitalised words of one name.
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "de", "for", "&", "'s", "’s", "-", "du", "la", "van", "von", "al", "on",
];

/// Phrase key → category mask.
#[derive(Default)]
struct Lexicon {
    map: IdMap<u32>,
    max_len: usize,
}

const PHRASE_SEED: u64 = 0x4e45_525f_4c58;

fn word_key(w: &str) -> u64 {
    hash_str(&normalise(w))
}

impl Lexicon {
    fn add(&mut self, phrase: &str, bits: u32) {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        if words.is_empty() || words.len() > MAX_PHRASE {
            return;
        }
        let mut h = PHRASE_SEED;
        for w in &words {
            h = mix(h, word_key(w));
        }
        *self.map.entry(h).or_insert(0) |= bits;
        self.max_len = self.max_len.max(words.len());
    }

    /// Per word: the category masks of the matches covering it, with the
    /// word's BILOU position in the match (index = position 0..4).
    fn matches(&self, keys: &[u64]) -> Vec<[u32; 4]> {
        let n = keys.len();
        let mut out = vec![[0u32; 4]; n];
        for a in 0..n {
            let mut h = PHRASE_SEED;
            for b in a..n.min(a + self.max_len) {
                h = mix(h, keys[b]);
                let Some(&m) = self.map.get(&h) else {
                    continue;
                };
                if b == a {
                    out[a][U] |= m;
                } else {
                    out[a][B] |= m;
                    for o in &mut out[a + 1..b] {
                        o[I] |= m;
                    }
                    out[b][L] |= m;
                }
            }
        }
        out
    }

    /// Mask of the exact phrase `words`.
    fn phrase(&self, words: &[&str]) -> u32 {
        if words.is_empty() || words.len() > self.max_len {
            return 0;
        }
        let mut h = PHRASE_SEED;
        for w in words {
            h = mix(h, word_key(w));
        }
        self.map.get(&h).copied().unwrap_or(0)
    }

    fn write(&self, w: &mut Writer) {
        w.u8(self.max_len as u8);
        let mut v: Vec<(u64, u32)> = self.map.iter().map(|(&k, &m)| (k, m)).collect();
        v.sort_unstable();
        w.u32(v.len() as u32);
        for (k, m) in v {
            w.u64(k);
            w.u32(m);
        }
    }

    /// The lexicon of a model file of NER format `format` (masks of 16 bits
    /// before format 3).
    fn read(r: &mut Reader, format: u32) -> Result<Lexicon> {
        let max_len = (r.u8("lexicon phrase length")? as usize).min(MAX_PHRASE);
        let wide = format >= 3;
        let n = r.count("lexicon entries", if wide { 12 } else { 10 })?;
        let mut map = IdMap::default();
        map.reserve(n);
        for _ in 0..n {
            let k = r.u64("lexicon key")?;
            let m = if wide {
                r.u32("lexicon mask")?
            } else {
                u32::from(r.u16("lexicon mask")?)
            };
            map.insert(k, m);
        }
        Ok(Lexicon { map, max_len })
    }

    /// Only the designator words of `data/ner_designators.tsv`.
    fn designators() -> Result<Lexicon> {
        let mut lex = Lexicon::default();
        for (n, l) in DESIGNATORS.lines().enumerate() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let bits = match l.split_once('\t') {
                Some((_, "ORG")) => ORG_WORD,
                Some((_, "PLACE")) => PLACE_WORD,
                Some((_, "TITLE")) => TITLE_WORD,
                _ => {
                    return Err(Error::Data(format!(
                        "ner_designators.tsv:{}: expected `word<TAB>ORG|PLACE|TITLE`",
                        n + 1
                    )))
                }
            };
            if let Some((w, _)) = l.split_once('\t') {
                lex.add(w, bits);
            }
        }
        Ok(lex)
    }

    /// Build from Petrel's lexicon files: `data/geo/` (first names, surnames,
    /// countries, demonyms, regions, common words, the gazetteer) and the
    /// actor dictionaries in `dictionaries/petrel/actors/`, under `root`.
    ///
    /// Populated places of at least `min_population` people are cities;
    /// those of at least `small_population` (when below `min_population`;
    /// 0: none) towns. With `wordnet` ≥ 1, WordNet's named instances of at
    /// least that many words too.
    fn build(
        root: Option<&Path>,
        min_population: u64,
        small_population: u64,
        wordnet: usize,
    ) -> Result<Lexicon> {
        let mut lex = Lexicon::designators()?;
        let Some(root) = root else {
            return Ok(lex);
        };
        let read = |rel: &str| -> Result<String> {
            let p = root.join(rel);
            std::fs::read_to_string(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))
        };
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect()
        };
        for l in lines(&read("data/geo/first_names.txt")?) {
            lex.add(&l, FIRST_NAME);
        }
        for l in lines(&read("data/geo/surnames.txt")?) {
            lex.add(&l, SURNAME);
        }
        for l in lines(&read("data/geo/common_words.txt")?) {
            lex.add(&l, COMMON_WORD);
        }
        for l in lines(&read("data/geo/demonyms.tsv")?) {
            if let Some(d) = l.split('\t').next() {
                lex.add(d, DEMONYM);
                if !d.ends_with('s') {
                    lex.add(&format!("{d}s"), DEMONYM);
                }
            }
        }
        for l in lines(&read("data/geo/countries.tsv")?) {
            if let Some(name) = l.split('\t').nth(4) {
                lex.add(name, COUNTRY);
            }
        }
        for l in lines(&read("data/geo/regions.tsv")?) {
            // name is the first column of the hand-authored regions table.
            if let Some(name) = l.split('\t').next() {
                lex.add(name, OTHER_PLACE);
            }
        }
        // Gazetteer: id name lat lon class code cc admin1 population alternates primary
        let gz_path = root.join("data/geo/gazetteer.tsv.gz");
        let gz = std::fs::read(&gz_path)
            .map_err(|e| Error::Io(format!("{}: {e}", gz_path.display())))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .map_err(|e| Error::Io(format!("{}: {e}", gz_path.display())))?;
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let c: Vec<&str> = l.split('\t').collect();
            let (Some(name), Some(cls), Some(code)) = (c.get(1), c.get(4), c.get(5)) else {
                continue;
            };
            let pop: u64 = c.get(8).and_then(|p| p.parse().ok()).unwrap_or(0);
            let bits = match (*cls, *code) {
                ("A", "PCLI") | ("A", "PCLD") | ("A", "PCLS") | ("A", "PCLF") | ("A", "PCL") => {
                    COUNTRY
                }
                ("A", _) => ADMIN,
                ("P", _) if pop >= min_population => CITY,
                ("P", _) if small_population > 0 && pop >= small_population => TOWN,
                ("P", _) => continue,
                _ => OTHER_PLACE,
            };
            lex.add(name, bits);
            if (bits != CITY && bits != TOWN) || pop >= 10 * min_population {
                for alt in c.get(9).copied().unwrap_or("").split('|') {
                    if alt.is_ascii() && alt.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                        lex.add(alt, bits);
                    }
                }
            }
        }
        if wordnet > 0 {
            let text = read("data/geo/wordnet_names.tsv")?;
            for (n, l) in text.lines().enumerate() {
                let l = l.trim();
                if l.is_empty() || l.starts_with('#') {
                    continue;
                }
                let (name, bits) = match l.split_once('\t') {
                    Some((name, "person")) => (name, WN_PERSON),
                    Some((name, "org")) => (name, WN_ORG),
                    Some((name, "place")) => (name, WN_PLACE),
                    Some((name, "facility")) => (name, WN_FACILITY),
                    _ => {
                        return Err(Error::Data(format!(
                            "data/geo/wordnet_names.tsv:{}: expected `name<TAB>person|org|place|facility`",
                            n + 1
                        )))
                    }
                };
                if name.split_whitespace().count() >= wordnet {
                    lex.add(name, bits);
                }
            }
        }
        // Actor dictionaries: `CODE: name | name` or person name lines.
        for (file, bits) in [
            ("institutions.txt", ORG_NAME),
            ("igos.txt", ORG_NAME),
            ("ngos.txt", ORG_NAME),
            ("armed_groups.txt", ORG_NAME),
            ("people.txt", PERSON_NAME),
            ("ethnic_religious.txt", DEMONYM),
        ] {
            let text = read(&format!("dictionaries/petrel/actors/{file}"))?;
            for raw in text.lines() {
                if raw.starts_with([' ', '\t']) {
                    continue;
                }
                let l = raw.split(" #").next().unwrap_or("").trim();
                if l.is_empty() || l.starts_with('#') {
                    continue;
                }
                let names = match l.split_once(':') {
                    Some((code, rest))
                        if !code.is_empty()
                            && code
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) =>
                    {
                        rest
                    }
                    _ => l,
                };
                for n in names.split('|') {
                    let n = n.trim();
                    // Only names, not descriptions ("world body").
                    if n.starts_with(|c: char| c.is_uppercase()) {
                        lex.add(n, bits);
                    }
                }
            }
        }
        Ok(lex)
    }
}

// ---------------------------------------------------------------- features

/// Per-word atoms computed once per sentence.
struct Tok {
    lw: u64,
    /// The word as written (case kept).
    word: u64,
    shape: u64,
    pre3: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    upos: u64,
    xpos: u64,
    deprel: u64,
    head_lw: u64,
    cf: u64,
    cc: u64,
    cap: bool,
    gaz: [u32; 4],
    /// BILOU position in the maximal run of capitalised words / PROPN.
    run: u64,
    /// Name run (capitalised words and connectors): lexicon bits of its
    /// single words, this word's BILOU position (4: not in a run), length.
    run_mask: u32,
    run_pos: u64,
    run_len: u64,
    /// Second pass only: this word's class in the first pass, and what the
    /// first pass made of the same word elsewhere in the document.
    first: u64,
    doc_kind: u64,
}

/// `Tok::first` in the first pass.
const NO_FIRST: u64 = u64::MAX;

const PAD: u64 = 0x5041_4400;

fn short_shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for ch in word.chars() {
        let c = if ch.is_uppercase() {
            'X'
        } else if ch.is_lowercase() {
            'x'
        } else if ch.is_numeric() {
            'd'
        } else {
            ch
        };
        if c != last {
            out.push(c);
            last = c;
        }
    }
    out
}

/// Hash of the first (`prefix`) or last `n` characters of `lw`, without
/// allocating.
fn affix(lw: &str, n: usize, prefix: bool) -> u64 {
    let s = if prefix {
        lw.char_indices().nth(n).map_or(lw, |(i, _)| &lw[..i])
    } else {
        lw.char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(lw, |(i, _)| &lw[i..])
    };
    hash_str(s) ^ n as u64
}

fn prepare(words: &[&str], an: &[TokenAnalysis], clusters: &Clusters, lex: &Lexicon) -> Vec<Tok> {
    // Each word normalised once (lexicon key, affixes, head word).
    let norms: Vec<String> = words.iter().map(|w| normalise(w)).collect();
    let keys: Vec<u64> = norms.iter().map(|w| hash_str(w)).collect();
    let gaz = lex.matches(&keys);
    let n = words.len();
    // Name runs: capitalised words, with connectors between two of them.
    let caps: Vec<bool> = (0..n)
        .map(|i| {
            words[i].starts_with(|c: char| c.is_uppercase())
                || an.get(i).is_some_and(|a| a.upos == Upos::Propn)
        })
        .collect();
    let mut in_run = caps.clone();
    for i in 1..n.saturating_sub(1) {
        if !caps[i]
            && caps[i - 1]
            && CONNECTORS.contains(&words[i].to_lowercase().as_str())
            && (caps[i + 1] || (i + 2 < n && caps[i + 2]))
        {
            in_run[i] = true;
        }
    }
    // Per word: (run mask, position in run 0..4, run length).
    let mut runinfo = vec![(0u32, 4u64, 0u64); n];
    let mut a = 0;
    while a < n {
        if !in_run[a] {
            a += 1;
            continue;
        }
        let mut b = a;
        while b < n && in_run[b] {
            b += 1;
        }
        // Trailing connectors are not part of the run.
        let mut e = b;
        while e > a + 1 && !caps[e - 1] {
            e -= 1;
        }
        let mask = gaz[a..e].iter().fold(0u32, |m, g| m | g[U]);
        for (k, r) in runinfo[a..e].iter_mut().enumerate() {
            let pos = if e - a == 1 {
                U
            } else if k == 0 {
                B
            } else if k + 1 == e - a {
                L
            } else {
                I
            };
            *r = (mask, pos as u64, (e - a).min(5) as u64);
        }
        a = b;
    }
    let mut toks = Vec::with_capacity(n);
    for (i, w) in words.iter().enumerate() {
        let lw = norms[i].as_str();
        let a = an.get(i);
        let cap = caps[i];
        let run = if !cap {
            0
        } else {
            let before = i > 0 && caps[i - 1];
            let after = i + 1 < n && caps[i + 1];
            1 + (before as u64) * 2 + after as u64
        };
        let head_lw = a
            .and_then(|a| a.head)
            .and_then(|h| keys.get(h).copied())
            .unwrap_or(PAD);
        let (cf, cc) = clusters.atoms(keys[i]);
        toks.push(Tok {
            lw: keys[i],
            word: hash_str(w),
            shape: hash_str(&short_shape(w)),
            pre3: affix(lw, 3, true),
            suf2: affix(lw, 2, false),
            suf3: affix(lw, 3, false),
            suf4: affix(lw, 4, false),
            upos: a.map_or(PAD, |a| a.upos as u64 + 0x100),
            xpos: a.map_or(PAD, |a| hash_str(&a.xpos)),
            deprel: a.map_or(PAD, |a| hash_str(&a.deprel)),
            head_lw,
            cf,
            cc,
            cap,
            gaz: gaz.get(i).copied().unwrap_or([0; 4]),
            run,
            run_mask: runinfo[i].0,
            run_pos: runinfo[i].1,
            run_len: runinfo[i].2,
            first: NO_FIRST,
            doc_kind: 0,
        });
    }
    toks
}

/// All features of word `i` with previous classes `p1`, `p2`: the
/// history-free ones ([`static_features`]), those of `p1`
/// ([`history_features`]) and the class bigram.
fn features(toks: &[Tok], i: usize, p1: usize, p2: usize, out: &mut Vec<u64>) {
    static_features(toks, i, out);
    history_features(toks, i, p1, out);
    out.extend(label_features(p1, p2));
}

/// The features of the previous classes alone.
fn label_features(p1: usize, p2: usize) -> [u64; 2] {
    [feat(20, &[p1 as u64]), feat(21, &[p1 as u64, p2 as u64])]
}

/// Rows of [`Transitions`]: the classes and `START`.
const NPREV: usize = START + 1;

/// The scores of [`label_features`] for every pair of previous classes,
/// `NCLASS` per pair (p1 × `NPREV` + p2): beam decoding reads them instead
/// of looking them up for each hypothesis.
struct Transitions(Vec<f32>);

impl Transitions {
    fn new(weights: &Weights) -> Transitions {
        let mut t = vec![0f32; NPREV * NPREV * NCLASS];
        for (k, row) in t.chunks_mut(NCLASS).enumerate() {
            weights.score(&label_features(k / NPREV, k % NPREV), row);
        }
        Transitions(t)
    }

    fn get(&self, p1: usize, p2: usize) -> Option<&[f32]> {
        self.0
            .get((p1 * NPREV + p2) * NCLASS..(p1 * NPREV + p2 + 1) * NCLASS)
    }
}

/// The features of word `i` that do not depend on previous classes
/// (`out` is cleared first).
fn static_features(toks: &[Tok], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let Some(t) = toks.get(i) else {
        return;
    };
    let at = |k: isize| -> Option<&Tok> {
        let j = i as isize + k;
        if j < 0 {
            None
        } else {
            toks.get(j as usize)
        }
    };
    let lw = |k: isize| at(k).map_or(PAD.wrapping_add(k as u64), |t| t.lw);
    let shape = |k: isize| at(k).map_or(PAD.wrapping_add(k as u64), |t| t.shape);
    let xpos = |k: isize| at(k).map_or(PAD.wrapping_add(k as u64), |t| t.xpos);
    let upos = |k: isize| at(k).map_or(PAD.wrapping_add(k as u64), |t| t.upos);
    let cf = |k: isize| at(k).map_or(PAD.wrapping_add(k as u64), |t| t.cf);
    out.push(feat(0, &[]));
    out.push(feat(1, &[t.lw]));
    out.push(feat(2, &[t.shape]));
    out.push(feat(3, &[t.pre3]));
    out.push(feat(4, &[t.suf2]));
    out.push(feat(5, &[t.suf3]));
    out.push(feat(6, &[t.suf4]));
    out.push(feat(7, &[lw(-1)]));
    out.push(feat(8, &[lw(1)]));
    out.push(feat(9, &[lw(-2)]));
    out.push(feat(10, &[lw(2)]));
    out.push(feat(11, &[t.upos]));
    out.push(feat(12, &[t.xpos]));
    out.push(feat(13, &[xpos(-1)]));
    out.push(feat(14, &[xpos(1)]));
    out.push(feat(15, &[upos(-1), t.upos, upos(1)]));
    out.push(feat(16, &[t.cf]));
    out.push(feat(17, &[t.cc]));
    out.push(feat(18, &[cf(-1)]));
    out.push(feat(19, &[cf(1)]));
    out.push(feat(25, &[shape(-1), t.shape, shape(1)]));
    out.push(feat(26, &[(i == 0) as u64, t.shape]));
    out.push(feat(27, &[t.lw, lw(1)]));
    out.push(feat(28, &[lw(-1), t.lw]));
    out.push(feat(29, &[t.deprel]));
    out.push(feat(30, &[t.deprel, t.head_lw]));
    out.push(feat(31, &[t.run, t.upos]));
    out.push(feat(33, &[t.cc, t.shape]));
    out.push(feat(34, &[lw(-1), t.shape]));
    out.push(feat(35, &[t.shape, lw(1)]));
    out.push(feat(36, &[cf(-2)]));
    out.push(feat(37, &[cf(2)]));
    out.push(feat(38, &[t.upos, lw(-1)]));
    out.push(feat(39, &[t.word]));
    for (pos, &m) in t.gaz.iter().enumerate() {
        if m == 0 {
            continue;
        }
        for b in 0..NBITS {
            if m & (1 << b) != 0 {
                out.push(feat(40, &[b as u64, pos as u64]));
                out.push(feat(41, &[b as u64, pos as u64, t.cap as u64]));
            }
        }
    }
    out.push(feat(44, &[t.run_pos, t.run_len]));
    for b in 0..NBITS {
        if t.run_mask & (1 << b) != 0 {
            out.push(feat(46, &[b as u64, t.run_pos]));
        }
    }
    if t.first != NO_FIRST {
        out.push(feat(50, &[t.first]));
        out.push(feat(51, &[t.doc_kind]));
        out.push(feat(53, &[t.doc_kind, t.first]));
        out.push(feat(54, &[t.doc_kind, t.lw]));
    }
    // Neighbours' single-word lexicon categories.
    for k in [-1isize, 1] {
        if let Some(n) = at(k) {
            let m = n.gaz[U];
            for b in 0..NBITS {
                if m & (1 << b) != 0 {
                    out.push(feat(43, &[b as u64, k as u64, n.cap as u64]));
                }
            }
        }
    }
}

/// The features of word `i` that depend on the previous class `p1`
/// (appended to `out`).
fn history_features(toks: &[Tok], i: usize, p1: usize, out: &mut Vec<u64>) {
    let Some(t) = toks.get(i) else {
        return;
    };
    let p1 = p1 as u64;
    out.push(feat(22, &[p1, t.lw]));
    out.push(feat(23, &[p1, t.shape]));
    out.push(feat(24, &[p1, t.xpos]));
    out.push(feat(32, &[t.run, p1]));
    for (pos, &m) in t.gaz.iter().enumerate() {
        if m == 0 {
            continue;
        }
        for b in 0..NBITS {
            if m & (1 << b) != 0 {
                out.push(feat(42, &[b as u64, pos as u64, p1]));
            }
        }
    }
    out.push(feat(45, &[t.run_pos, t.run_len, p1]));
    for b in 0..NBITS {
        if t.run_mask & (1 << b) != 0 {
            out.push(feat(47, &[b as u64, t.run_pos, p1]));
        }
    }
    if t.first != NO_FIRST {
        out.push(feat(52, &[t.doc_kind, p1]));
    }
}

const START: usize = NCLASS + 1;

/// Decoding: greedy (`beam` ≤ 1) or a beam of `beam` hypotheses, with the
/// transition scores of `weights` read from `trans` when computed beforehand.
fn run(weights: &Weights, trans: Option<&Transitions>, toks: &[Tok], beam: usize) -> Vec<usize> {
    if beam <= 1 {
        return run_greedy(weights, toks);
    }
    let scorer = Scorer {
        score: &|f, o| weights.score(f, o),
        trans,
    };
    beam_search(&scorer, toks, beam, None).classes
}

/// How [`beam_search`] scores features: a weight table (or trainer), and
/// the transition scores when they are computed beforehand.
struct Scorer<'a> {
    score: &'a dyn Fn(&[u64], &mut [f32]),
    trans: Option<&'a Transitions>,
}

/// Greedy decoding with BILOU constraints.
fn run_greedy(weights: &Weights, toks: &[Tok]) -> Vec<usize> {
    let n = toks.len();
    let mut y = Vec::with_capacity(n);
    let mut feats = Vec::with_capacity(96);
    let mut scores = vec![0f32; NCLASS];
    for i in 0..n {
        let p1 = if i > 0 { y[i - 1] } else { START };
        let p2 = if i > 1 { y[i - 2] } else { START };
        features(toks, i, p1, p2, &mut feats);
        weights.score(&feats, &mut scores);
        y.push(best_allowed(
            &scores,
            i.checked_sub(1).map(|j| y[j]),
            i + 1 == n,
        ));
    }
    y
}

/// A partial class sequence of the beam.
#[derive(Clone, Copy)]
struct Hyp {
    score: f32,
    /// Its last two classes (`START` before the sentence).
    p1: usize,
    p2: usize,
    /// Its last node in the node arena (`u32::MAX`: empty).
    node: u32,
    /// Whether it is a prefix of the gold sequence (training).
    gold: bool,
}

/// What [`beam_search`] found: the best sequence of the first
/// `classes.len()` words (all of them, unless the gold sequence fell off
/// the beam earlier: early update), and whether it is the gold prefix.
struct BeamOut {
    classes: Vec<usize>,
    gold: bool,
}

/// Beam search over well-formed BILOU sequences: at each word the
/// history-free features are scored once, those of the previous class once
/// per distinct previous class; hypotheses with the same last two classes
/// are recombined (the better one stays), `k` are kept. With `gold`, the
/// search stops at the first word after which no hypothesis is a prefix of
/// it (early update).
fn beam_search(scorer: &Scorer, toks: &[Tok], k: usize, gold: Option<&[usize]>) -> BeamOut {
    let n = toks.len();
    let k = k.max(1);
    let table = allowed_table();
    let mut nodes: Vec<(usize, u32)> = Vec::with_capacity(n * k);
    let mut beam = vec![Hyp {
        score: 0.0,
        p1: START,
        p2: START,
        node: u32::MAX,
        gold: true,
    }];
    let mut feats = Vec::with_capacity(96);
    let mut stat = [0f32; NCLASS];
    let mut hist = [0f32; NCLASS];
    let mut pair = [0f32; NCLASS];
    let mut cache: Vec<(usize, [f32; NCLASS])> = Vec::with_capacity(k);
    let mut next: Vec<Hyp> = Vec::with_capacity(k + 1);
    let mut done = n;
    let score = scorer.score;
    for i in 0..n {
        cache.clear();
        next.clear();
        let g = gold.and_then(|g| g.get(i)).copied();
        let last = i + 1 == n;
        // One hypothesis (at the first word): all its features in one
        // lookup batch, as greedy decoding does.
        let single = match beam.as_slice() {
            [h] => {
                features(toks, i, h.p1, h.p2, &mut feats);
                score(&feats, &mut stat);
                true
            }
            _ => {
                static_features(toks, i, &mut feats);
                score(&feats, &mut stat);
                false
            }
        };
        for h in &beam {
            if single {
                hist = [0.0; NCLASS];
                pair = [0.0; NCLASS];
            } else {
                hist = match cache.iter().find(|c| c.0 == h.p1) {
                    Some(c) => c.1,
                    None => {
                        feats.clear();
                        history_features(toks, i, h.p1, &mut feats);
                        score(&feats, &mut hist);
                        cache.push((h.p1, hist));
                        hist
                    }
                };
                match scorer.trans.and_then(|t| t.get(h.p1, h.p2)) {
                    Some(t) => pair.copy_from_slice(t),
                    None => score(&label_features(h.p1, h.p2), &mut pair),
                }
            }
            let ok = table.get(last as usize * NPREV + h.p1.min(START));
            for c in 0..NCLASS {
                if !ok.is_some_and(|r| r[c]) {
                    continue;
                }
                let sc = h.score + stat[c] + hist[c] + pair[c];
                // The k best with distinct last two classes, best first
                // (ties: the earlier candidate stays ahead).
                if next.len() == k && next.last().is_some_and(|w| sc <= w.score) {
                    continue;
                }
                if let Some(j) = next.iter().position(|x| x.p1 == c && x.p2 == h.p1) {
                    if sc <= next[j].score {
                        continue;
                    }
                    next.remove(j);
                }
                let at = next.iter().position(|x| x.score < sc).unwrap_or(next.len());
                next.insert(
                    at,
                    Hyp {
                        score: sc,
                        p1: c,
                        p2: h.p1,
                        node: h.node,
                        gold: h.gold && g == Some(c),
                    },
                );
                next.truncate(k);
            }
        }
        for h in next.iter_mut() {
            nodes.push((h.p1, h.node));
            h.node = (nodes.len() - 1) as u32;
        }
        std::mem::swap(&mut beam, &mut next);
        if gold.is_some() && !beam.iter().any(|h| h.gold) {
            done = i + 1;
            break;
        }
    }
    let best = beam.first().copied();
    let mut classes = vec![0; done];
    let mut node = best.map_or(u32::MAX, |h| h.node);
    for slot in classes.iter_mut().rev() {
        let Some(&(c, parent)) = nodes.get(node as usize) else {
            break;
        };
        *slot = c;
        node = parent;
    }
    BeamOut {
        classes,
        gold: best.is_some_and(|h| h.gold),
    }
}

/// [`allowed`] for every previous class (`START` for none) and class, not
/// last then last (row `last × NPREV + prev`).
fn allowed_table() -> &'static [[bool; NCLASS]] {
    static T: std::sync::OnceLock<Vec<[bool; NCLASS]>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = vec![[false; NCLASS]; 2 * NPREV];
        for (r, row) in t.iter_mut().enumerate() {
            let (last, p) = (r >= NPREV, r % NPREV);
            let prev = (p < NCLASS).then_some(p);
            for (c, v) in row.iter_mut().enumerate() {
                *v = allowed(prev, c, last);
            }
        }
        t
    })
}

fn best_allowed(scores: &[f32], prev: Option<usize>, last: bool) -> usize {
    let mut best = 0;
    let mut bs = f32::NEG_INFINITY;
    for (c, &s) in scores.iter().enumerate() {
        if allowed(prev, c, last) && s > bs {
            best = c;
            bs = s;
        }
    }
    best
}

// ---------------------------------------------------------------- model

/// Spans of the sentences of one document: the first pass per sentence,
/// then (with a second-pass model) the second pass, which sees what the
/// first pass made of each word across the document.
fn doc_spans(
    ner: &Ner,
    sents: &[(&[&str], &[TokenAnalysis])],
    clusters: &Clusters,
) -> Vec<Vec<(usize, usize, Kind)>> {
    let mut toks: Vec<Vec<Tok>> = sents
        .iter()
        .map(|(w, a)| prepare(w, a, clusters, &ner.lex))
        .collect();
    let first: Vec<Vec<usize>> = toks
        .iter()
        .map(|t| run(&ner.weights, ner.trans.as_ref(), t, ner.beam))
        .collect();
    let spans: Vec<Vec<(usize, usize, Kind)>> = match &ner.second {
        None => first.iter().map(|y| decode(y)).collect(),
        Some(w2) => {
            apply_doc(&mut toks, &first);
            toks.iter()
                .map(|t| decode(&run(w2, None, t, ner.beam)))
                .collect()
        }
    };
    let mut spans: Vec<Vec<(usize, usize, Kind)>> = spans
        .into_iter()
        .zip(sents)
        .map(|(sp, (w, a))| articles(w, a, sp))
        .collect();
    surnames(sents, &mut spans, NameRules::default());
    spans
}

/// Which document-level name rules [`surnames`] applies.
#[derive(Clone, Copy)]
struct NameRules {
    /// A lone surname the model took for another kind becomes a person.
    relabel: bool,
    /// First names of full names count as well as surnames.
    first: bool,
    /// Above 0: the spans of one name (without "the" / "'s") of at least
    /// this many words take the kind most of them have in the document.
    majority: usize,
}

impl Default for NameRules {
    /// The rules chosen by cross-validation (`models/en_ner.md`).
    fn default() -> NameRules {
        NameRules {
            relabel: true,
            first: false,
            majority: 1,
        }
    }
}

/// Whether a word starts with an uppercase letter.
fn capitalised(w: &str) -> bool {
    w.starts_with(|c: char| c.is_uppercase())
}

/// Whether a word is the possessive ending "'s".
fn possessive(w: &str) -> bool {
    matches!(w, "'s" | "’s")
}

/// Document-level name rules (`rules`, chosen by cross-validation): the
/// spans of one name (without "the" / "'s") take the kind that more than
/// half of them have in the document; a lone surname of a person named in
/// full somewhere in the document ("Ichiyō Higuchi") that the model took
/// for another kind becomes a person; and the surname is a person where it
/// stands alone outside every span, capitalised and tagged PROPN, between
/// words that are not capitalised ("Higuchi felt compelled …"), with a
/// possessive ending after it, as the gold spans have. Only the kinds of
/// spans change and single-word spans are added: the spans of each
/// sentence stay sorted and disjoint.
fn surnames(
    sents: &[(&[&str], &[TokenAnalysis])],
    spans: &mut [Vec<(usize, usize, Kind)>],
    rules: NameRules,
) {
    if rules.majority > 0 {
        let key = |w: &[&str], s: &(usize, usize, Kind)| -> Option<String> {
            let core = strip(w.get(s.0..s.1).unwrap_or(&[]));
            (core.len() >= rules.majority).then(|| core.join(" ").to_lowercase())
        };
        let mut votes: HashMap<String, [u32; 3]> = HashMap::new();
        for ((w, _), sp) in sents.iter().zip(spans.iter()) {
            for s in sp {
                if let Some(k) = key(w, s) {
                    votes.entry(k).or_default()[s.2.index()] += 1;
                }
            }
        }
        for ((w, _), sp) in sents.iter().zip(spans.iter_mut()) {
            for s in sp.iter_mut() {
                if let Some(c) = key(w, s).and_then(|k| votes.get(&k)) {
                    let best = majority(c);
                    if c.get(best).is_some_and(|&n| 2 * n > c.iter().sum::<u32>()) {
                        s.2 = KINDS.get(best).copied().unwrap_or(s.2);
                    }
                }
            }
        }
    }
    let mut names: HashSet<String> = HashSet::new();
    let good = |x: &str| x.chars().count() >= 3 && x.chars().all(char::is_alphabetic);
    for ((w, _), sp) in sents.iter().zip(spans.iter()) {
        for &(a, b, k) in sp {
            if k != Kind::Person {
                continue;
            }
            let core = strip(w.get(a..b).unwrap_or(&[]));
            if core.len() < 2 || !core.iter().all(|x| capitalised(x) || *x == "-") {
                continue;
            }
            if let Some(last) = core.last().filter(|x| good(x)) {
                names.insert(last.to_lowercase());
            }
            if let Some(first) = core.first().filter(|x| rules.first && good(x)) {
                names.insert(first.to_lowercase());
            }
        }
    }
    if names.is_empty() {
        return;
    }
    if rules.relabel {
        for (w, sp) in sents.iter().map(|s| s.0).zip(spans.iter_mut()) {
            for s in sp.iter_mut() {
                let core = strip(w.get(s.0..s.1).unwrap_or(&[]));
                if s.2 != Kind::Person
                    && core.len() == 1
                    && core
                        .first()
                        .is_some_and(|x| names.contains(&x.to_lowercase()))
                {
                    s.2 = Kind::Person;
                }
            }
        }
    }
    for ((w, an), sp) in sents.iter().zip(spans.iter_mut()) {
        let covered =
            |sp: &[(usize, usize, Kind)], i: usize| sp.iter().any(|s| s.0 <= i && i < s.1);
        let mut add = Vec::new();
        for (i, word) in w.iter().enumerate() {
            let alone = |j: Option<usize>| {
                j.and_then(|j| w.get(j))
                    .is_none_or(|x| !capitalised(x) && *x != "-")
            };
            if capitalised(word)
                && an.get(i).is_some_and(|a| a.upos == Upos::Propn)
                && alone(i.checked_sub(1))
                && (alone(Some(i + 1)) || w.get(i + 1).is_some_and(|x| possessive(x)))
                && !covered(sp, i)
                && names.contains(&word.to_lowercase())
            {
                let end = if w.get(i + 1).is_some_and(|x| possessive(x)) && !covered(sp, i + 1) {
                    i + 2
                } else {
                    i + 1
                };
                add.push((i, end, Kind::Person));
            }
        }
        if !add.is_empty() {
            sp.extend(add);
            sp.sort_unstable_by_key(|s| (s.0, s.1));
        }
    }
}

/// Whether word `i` is the article "the".
fn is_the(words: &[&str], i: usize) -> bool {
    words.get(i).is_some_and(|w| w.eq_ignore_ascii_case("the"))
}

/// Settle a name's leading "the" by the parse: a span takes the "the" before
/// it when the article's head lies inside the span ("the British Library")
/// and loses its first word "the" when that article's head lies outside it
/// ("the Library Carpentry model").
fn articles(
    words: &[&str],
    an: &[TokenAnalysis],
    spans: Vec<(usize, usize, Kind)>,
) -> Vec<(usize, usize, Kind)> {
    let head_in = |i: usize, a: usize, b: usize| {
        an.get(i)
            .and_then(|t| t.head)
            .is_some_and(|h| h >= a && h < b)
    };
    let mut out: Vec<(usize, usize, Kind)> = Vec::with_capacity(spans.len());
    for (a, b, k) in spans {
        let mut a = a;
        if a > 0
            && is_the(words, a - 1)
            && head_in(a - 1, a, b)
            && out.last().is_none_or(|p| p.1 < a)
        {
            a -= 1;
        } else if b - a > 1 && is_the(words, a) && !head_in(a, a + 1, b) {
            a += 1;
        }
        out.push((a, b, k));
    }
    out
}

/// Set the second-pass atoms of a document's words from first-pass classes.
fn apply_doc(toks: &mut [Vec<Tok>], first: &[Vec<usize>]) {
    let mut mem: IdMap<[u32; 3]> = IdMap::default();
    for (ts, y) in toks.iter().zip(first) {
        for (a, b, k) in decode(y) {
            for t in ts.get(a..b).unwrap_or(&[]) {
                if t.cap {
                    mem.entry(t.lw).or_default()[k.index()] += 1;
                }
            }
        }
    }
    for (ts, y) in toks.iter_mut().zip(first) {
        for (i, t) in ts.iter_mut().enumerate() {
            t.first = y.get(i).copied().unwrap_or(0) as u64;
            t.doc_kind = if !t.cap {
                0
            } else {
                match mem.get(&t.lw) {
                    None => 1,
                    Some(c) => {
                        let best = (0..3).max_by_key(|&k| (c[k], 3 - k)).unwrap_or(0);
                        let total: u32 = c.iter().sum();
                        2 + 2 * best as u64 + (c[best] == total) as u64
                    }
                }
            };
        }
    }
}

/// Output labels for model spans (GPE/LOC and NORP refinement), plus
/// demonyms outside every span.
fn refine(
    lex: &Lexicon,
    words: &[&str],
    an: &[TokenAnalysis],
    spans: Vec<(usize, usize, Kind)>,
) -> Vec<NamedSpan> {
    let mut covered = vec![false; words.len()];
    let mut out = Vec::new();
    for (a, b, k) in spans {
        let ws = words.get(a..b).unwrap_or(&[]);
        // Without a leading article and a trailing possessive.
        let core = strip(ws);
        let mask = lex.phrase(core);
        let label = match k {
            Kind::Person if mask & DEMONYM != 0 && core.len() == 1 => EntityLabel::Norp,
            Kind::Person => EntityLabel::Person,
            Kind::Org => EntityLabel::Organization,
            Kind::Place if mask & (COUNTRY | ADMIN | CITY) != 0 => EntityLabel::Gpe,
            Kind::Place => EntityLabel::Location,
        };
        for c in covered.get_mut(a..b).unwrap_or(&mut []) {
            *c = true;
        }
        out.push(NamedSpan {
            start: a,
            end: b,
            label,
        });
    }
    // Demonyms the model left alone ("Spanish paintings").
    for (i, w) in words.iter().enumerate() {
        if covered.get(i).copied().unwrap_or(true) || !w.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let adjectival = an
            .get(i)
            .is_some_and(|a| matches!(a.upos, Upos::Adj | Upos::Propn | Upos::Noun));
        if adjectival && lex.phrase(&[w]) & DEMONYM != 0 {
            out.push(NamedSpan {
                start: i,
                end: i + 1,
                label: EntityLabel::Norp,
            });
        }
    }
    out.sort_by_key(|s| (s.start, s.end));
    out
}

/// The NER model: lexicon plus weights.
pub(crate) struct Ner {
    lex: Lexicon,
    weights: Weights,
    /// Second pass with document features, when training kept one.
    second: Option<Weights>,
    /// Beam width of decoding (1: greedy).
    beam: usize,
    /// The first pass's transition scores (beam decoding).
    trans: Option<Transitions>,
}

impl Ner {
    fn new(lex: Lexicon, weights: Weights, second: Option<Weights>, beam: usize) -> Ner {
        let trans = (beam > 1).then(|| Transitions::new(&weights));
        Ner {
            lex,
            weights,
            second,
            beam,
            trans,
        }
    }

    /// Labelled entities of one sentence (a document of one sentence).
    pub(crate) fn entities(
        &self,
        words: &[&str],
        an: &[TokenAnalysis],
        clusters: &Clusters,
    ) -> Vec<NamedSpan> {
        self.entities_doc(&[(words, an)], clusters)
            .pop()
            .unwrap_or_default()
    }

    /// Labelled entities of each sentence of one document.
    pub(crate) fn entities_doc(
        &self,
        sents: &[(&[&str], &[TokenAnalysis])],
        clusters: &Clusters,
    ) -> Vec<Vec<NamedSpan>> {
        let spans = doc_spans(self, sents, clusters);
        sents
            .iter()
            .zip(spans)
            .map(|((w, a), sp)| refine(&self.lex, w, a, sp))
            .collect()
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut w = Writer::header("ner");
        w.u32(FORMAT);
        self.lex.write(&mut w);
        self.weights.write(&mut w);
        match &self.second {
            Some(w2) => {
                w.u8(1);
                w2.write(&mut w);
            }
            None => w.u8(0),
        }
        w.u8(self.beam.min(255) as u8);
        w.buf
    }

    pub(crate) fn read(data: &[u8], name: &str) -> Result<Ner> {
        let mut r = Reader::open(data, name, "ner")?;
        let v = r.u32("NER format")?;
        if !(1..=FORMAT).contains(&v) {
            return Err(Error::Model(format!(
                "{name}: NER format {v}, expected {FORMAT}"
            )));
        }
        let lex = Lexicon::read(&mut r, v)?;
        let weights = Weights::read(&mut r)?;
        // Format 1 had no second pass.
        let second = match v {
            1 => None,
            _ => match r.u8("second pass flag")? {
                0 => None,
                _ => Some(Weights::read(&mut r)?),
            },
        };
        // Formats 1–3 decoded greedily.
        let beam = match v {
            1..=3 => 1,
            _ => r.u8("beam width")?.max(1) as usize,
        };
        r.finish()?;
        if weights.nclass() != NCLASS || second.as_ref().is_some_and(|w| w.nclass() != NCLASS) {
            return Err(Error::Model(format!(
                "{name}: {} classes, expected {NCLASS}",
                weights.nclass()
            )));
        }
        Ok(Ner::new(lex, weights, second, beam))
    }

    pub(crate) fn feature_count(&self) -> usize {
        self.weights.len() + self.second.as_ref().map_or(0, Weights::len)
    }
}

fn strip<'a, 'b>(ws: &'a [&'b str]) -> &'a [&'b str] {
    let mut s = ws;
    if let Some((f, rest)) = s.split_first() {
        if f.eq_ignore_ascii_case("the") && !rest.is_empty() {
            s = rest;
        }
    }
    if let Some((l, rest)) = s.split_last() {
        if matches!(*l, "'s" | "’s" | "'" | "’") && !rest.is_empty() {
            s = rest;
        }
    }
    s
}

// ---------------------------------------------------------------- data

/// One GUM sentence: words, their predicted analyses, gold named mentions.
struct Example {
    /// Index of the document in its split.
    doc: usize,
    words: Vec<String>,
    an: Vec<TokenAnalysis>,
    gold: Vec<(usize, usize, Kind)>,
}

/// Words that end a name when they follow its head: what comes after them
/// in a GUM mention is an apposition, a parenthesis or a relative clause
/// ("Mary Chaworth , whom he met", "University of Portsmouth , United
/// Kingdom"), not part of the name.
const NAME_BREAKS: &[&str] = &[",", "(", "[", "—", "–", ";", ":"];

/// Lowercase words that may stand inside a name after its head ("University
/// of Portsmouth", "Food Standards Australia and New Zealand", "Ludwig van
/// Beethoven", "Osama bin Laden").
const NAME_PARTICLES: &[&str] = &[
    "of", "the", "and", "&", "for", "de", "du", "des", "da", "di", "del", "della", "der", "den",
    "van", "von", "la", "le", "el", "al", "bin", "ibn", "y", "on", "'s", "’s", "'", "’", "-",
];

/// Which spans of GUM's person/organisation/place mentions count as gold
/// named mentions (see `models/en_ner.md`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GoldSpans {
    /// The name: the mention cut as in `Mentions`, then without its
    /// leading words before the first capitalised word or proper noun (a
    /// "the" right before it stays: "a Dr. Bailey" → "Dr. Bailey", "the
    /// younger John Edleston" → "John Edleston", "the British Library"
    /// kept) and cut before the first lowercase word after the head that is
    /// not a name particle ([`NAME_PARTICLES`]: "the Russian State Military
    /// Archive in Moscow" → "the Russian State Military Archive", "the
    /// President on trial" → "the President"), trailing particles dropped.
    /// Named mentions nested in the cut-off words count on their own
    /// ("Moscow").
    #[default]
    Names,
    /// GUM's mention span, cut before the first of [`NAME_BREAKS`] after
    /// its head (the definition up to 29 Nov).
    Mentions,
}

/// [`gum_gold`] with [`GoldSpans::Mentions`].
pub fn gum_named_mentions(s: &conllu::Sentence) -> Vec<(usize, usize, Kind)> {
    gum_gold(s, GoldSpans::Mentions)
}

/// The name part of mention words `a..b` with head `head` (`GoldSpans::Names`).
fn name_part(s: &conllu::Sentence, a: usize, b: usize, head: usize) -> (usize, usize) {
    let form = |k: usize| s.words.get(k).map_or("", |w| w.form.as_str());
    // Capitalised (not merely sentence-initial) or a proper noun.
    let proper = |k: usize| {
        (k > 0 && form(k).starts_with(|c: char| c.is_uppercase()))
            || s.words.get(k).is_some_and(|w| w.upos == "PROPN")
    };
    let first = (a..=head).find(|&k| proper(k)).unwrap_or(head);
    let start = if first > a && form(first - 1).eq_ignore_ascii_case("the") {
        first - 1
    } else {
        first
    };
    let mut end = (head + 1..b)
        .find(|&k| {
            let f = form(k);
            !proper(k) && !NAME_PARTICLES.contains(&f.to_lowercase().as_str())
        })
        .unwrap_or(b);
    // Trailing particles leave, a possessive ending stays ("Byron 's").
    while end > head + 1 && !proper(end - 1) && !matches!(form(end - 1), "'s" | "’s" | "'" | "’")
    {
        end -= 1;
    }
    (start, end)
}

/// The named mentions of a GUM sentence, flat: mentions of type person,
/// organization or place whose syntactic head (the first word of the span
/// whose head lies outside it) is a proper noun (gold UPOS `PROPN`), each
/// cut before the first of [`NAME_BREAKS`] after its head (and trimmed to
/// the name with [`GoldSpans::Names`]); of nested named mentions only the
/// outermost (after the cut) is kept, and of crossing ones the one that
/// starts first.
pub fn gum_gold(s: &conllu::Sentence, gold: GoldSpans) -> Vec<(usize, usize, Kind)> {
    let mut named: Vec<(usize, usize, Kind)> = mentions(s)
        .into_iter()
        .filter_map(|m| {
            let kind = match m.etype.as_str() {
                "person" => Kind::Person,
                "organization" => Kind::Org,
                "place" => Kind::Place,
                _ => return None,
            };
            let (a, b) = (m.start, m.end.min(s.words.len()));
            let head = (a..b).find(|&k| {
                s.words.get(k).is_some_and(|w| match w.head {
                    Some(h) => !(h as usize > a && h as usize <= b),
                    None => true,
                })
            })?;
            if s.words.get(head)?.upos != "PROPN" {
                return None;
            }
            let cut = (head + 1..b)
                .find(|&k| {
                    s.words
                        .get(k)
                        .is_some_and(|w| NAME_BREAKS.contains(&w.form.as_str()))
                })
                .unwrap_or(b);
            Some(match gold {
                GoldSpans::Mentions => (a, cut, kind),
                GoldSpans::Names => {
                    let (a, cut) = name_part(s, a, cut, head);
                    (a, cut, kind)
                }
            })
        })
        .collect();
    // Outermost first: by start, then longest.
    named.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut out: Vec<(usize, usize, Kind)> = Vec::new();
    for m in named {
        if out.iter().all(|o| m.0 >= o.1 || m.1 <= o.0) {
            out.push(m);
        }
    }
    out
}

/// Sentences with their document index, and the document names.
type GumSplit = (Vec<(usize, conllu::Sentence)>, Vec<String>);

/// Sentences of the GUM documents listed in `file-lists/files.<split>`:
/// for `train` from `sources/<doc>.conllu`, for `dev`/`test` from the
/// official `en_gum-ud-<split>.conllu` (restricted to the listed documents).
fn gum_sentences(gum: &Path, split: &str) -> Result<GumSplit> {
    let list_path = gum.join(format!("file-lists/files.{split}"));
    let list = std::fs::read_to_string(&list_path)
        .map_err(|e| Error::Io(format!("{}: {e}", list_path.display())))?;
    let names: HashSet<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut out = Vec::new();
    let mut docs: Vec<String> = Vec::new();
    if split == "train" {
        let mut sorted: Vec<&str> = names.iter().copied().collect();
        sorted.sort_unstable();
        for n in sorted {
            let p = gum.join("sources").join(format!("{n}.conllu"));
            if p.exists() {
                out.extend(read_conllu(&p)?.into_iter().map(|s| (docs.len(), s)));
                docs.push(n.to_string());
            }
        }
    } else {
        let p = gum.join(format!("en_gum-ud-{split}.conllu"));
        let mut keep = false;
        for s in read_conllu(&p)? {
            if let Some(id) = s.comment("newdoc id") {
                keep = names.contains(id.trim());
                if keep {
                    docs.push(id.trim().to_string());
                }
            }
            if keep {
                out.push((docs.len().saturating_sub(1), s));
            }
        }
    }
    Ok((out, docs))
}

/// Predicted tags (XPOS, UPOS) of training sentences, found by their words:
/// the jackknifed tagger output `petrel train` computes for the parser, so
/// that NER trains on tags as noisy as those it sees at run time (the
/// tagger is trained on the same GUM documents).
#[derive(Debug, Clone, Default)]
pub struct TrainTags {
    map: HashMap<Vec<String>, (Vec<String>, Vec<String>)>,
}

impl TrainTags {
    /// Record the tags of one sentence (ignored when the lengths differ).
    pub fn insert(&mut self, words: &[String], xpos: &[String], upos: &[String]) {
        if words.len() == xpos.len() && words.len() == upos.len() {
            self.map
                .insert(words.to_vec(), (xpos.to_vec(), upos.to_vec()));
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Read a tags cache written by `petrel train` (`TrainOptions::tags_cache`:
    /// one `XPOS\tUPOS` line per word, a blank line after each sentence, for
    /// the EWT then the GUM training sentences), matching it to the
    /// sentences of `ewt` and `gum` in the order training reads them.
    pub fn from_cache(ewt: &Path, gum: &Path, cache: &Path) -> Result<TrainTags> {
        let (mut sents, _) =
            crate::data::load_list(&ewt.join("file-lists/files.train"), &ewt.join("sources"))?;
        let (g, _) =
            crate::data::load_list(&gum.join("file-lists/files.train"), &gum.join("sources"))?;
        sents.extend(g);
        let text = std::fs::read_to_string(cache)
            .map_err(|e| Error::Io(format!("{}: {e}", cache.display())))?;
        let mut out = TrainTags::default();
        let mut blocks = text.split("\n\n").filter(|b| !b.trim().is_empty());
        for (i, s) in sents.iter().enumerate() {
            let Some(b) = blocks.next() else {
                return Err(Error::Data(format!(
                    "{}: {} sentences, expected {}",
                    cache.display(),
                    i,
                    sents.len()
                )));
            };
            let (x, u): (Vec<String>, Vec<String>) = b
                .lines()
                .map(|l| {
                    let (x, u) = l.split_once('\t').unwrap_or((l, "X"));
                    (x.to_string(), u.to_string())
                })
                .unzip();
            if x.len() != s.words.len() {
                return Err(Error::Data(format!(
                    "{}: sentence {}: {} tags for {} words",
                    cache.display(),
                    i + 1,
                    x.len(),
                    s.words.len()
                )));
            }
            out.insert(&s.words, &x, &u);
        }
        Ok(out)
    }
}

/// Parse `words` with the given tags (lemmas from the tags), as
/// [`Nlp::annotate_words`] does with its own tagger's.
fn analyse_tagged(
    nlp: &Nlp,
    words: &[&str],
    xpos: &[String],
    upos: &[String],
) -> Vec<TokenAnalysis> {
    if words.len() > crate::MAX_SENTENCE_TOKENS {
        return nlp.annotate_words(words);
    }
    let xs: Vec<&str> = xpos.iter().map(String::as_str).collect();
    let us: Vec<&str> = upos.iter().map(String::as_str).collect();
    let (heads, labels) =
        nlp.parser
            .parse(&crate::parser::Input::new(words, &xs, &us, &nlp.clusters));
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let u: Upos = us.get(i).and_then(|u| u.parse().ok()).unwrap_or(Upos::X);
            let x = xs.get(i).copied().unwrap_or("");
            TokenAnalysis {
                lemma: petrel_text::lemmatize(w, u, x),
                upos: u,
                xpos: x.to_string(),
                head: heads.get(i).copied().flatten(),
                deprel: nlp
                    .parser
                    .label(labels.get(i).copied().unwrap_or(0))
                    .to_string(),
            }
        })
        .collect()
}

fn examples(
    nlp: &Nlp,
    sents: &[(usize, conllu::Sentence)],
    tags: Option<&TrainTags>,
    gold: GoldSpans,
) -> Vec<Example> {
    sents
        .iter()
        .filter(|(_, s)| !s.words.is_empty())
        .map(|(doc, s)| {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let an = match tags.and_then(|t| t.map.get(&words)) {
                Some((x, u)) => analyse_tagged(nlp, &refs, x, u),
                None => nlp.annotate_words(&refs),
            };
            Example {
                doc: *doc,
                gold: gum_gold(s, gold),
                words,
                an,
            }
        })
        .collect()
}

/// Ranges of consecutive items with the same document index.
fn doc_ranges(docs: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut a = 0;
    for i in 1..=docs.len() {
        if i == docs.len() || docs[i] != docs[a] {
            out.push(a..i);
            a = i;
        }
    }
    out
}

/// `f` over the examples of one document seen as `(words, analyses)`
/// sentences, as `doc_spans` and `surnames` take them.
fn with_sentences<R>(exs: &[Example], f: impl FnOnce(&[(&[&str], &[TokenAnalysis])]) -> R) -> R {
    let refs: Vec<Vec<&str>> = exs
        .iter()
        .map(|e| e.words.iter().map(String::as_str).collect())
        .collect();
    let sents: Vec<(&[&str], &[TokenAnalysis])> = refs
        .iter()
        .zip(exs)
        .map(|(w, e)| (w.as_slice(), e.an.as_slice()))
        .collect();
    f(&sents)
}

/// The document-level name rules over predictions of consecutive examples
/// (`docs[i]`: example i's document), one document at a time, as
/// `doc_spans` applies them at run time.
fn apply_name_rules(
    data: &[Example],
    docs: &[usize],
    pred: &mut [Vec<(usize, usize, Kind)>],
    rules: NameRules,
) {
    for r in doc_ranges(docs) {
        let exs = data.get(r.clone()).unwrap_or(&[]);
        if let Some(p) = pred.get_mut(r) {
            with_sentences(exs, |sents| surnames(sents, p, rules));
        }
    }
}

// ---------------------------------------------------------------- silver data

/// Kind of a silver entity in the file (`norp` is decided here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SilverKind {
    Kind(Kind),
    Norp,
}

/// One paragraph line of a silver file (`scripts/ner_silver.py`): the text
/// and its entities as `(start, end, kind)` in characters.
type SilverLine<'a> = (&'a str, Vec<(usize, usize, SilverKind)>);

fn parse_silver_line(line: &str) -> std::result::Result<SilverLine<'_>, String> {
    let (text, ents) = line
        .rsplit_once('\t')
        .ok_or("expected `text<TAB>entities`")?;
    let mut out = Vec::new();
    for e in ents.split_whitespace() {
        let mut it = e.splitn(3, '-');
        let (Some(a), Some(b), Some(k)) = (it.next(), it.next(), it.next()) else {
            return Err(format!("entity `{e}`: expected START-END-KIND"));
        };
        let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) else {
            return Err(format!("entity `{e}`: offsets are not numbers"));
        };
        let k = match k {
            "person" => SilverKind::Kind(Kind::Person),
            "org" => SilverKind::Kind(Kind::Org),
            "place" => SilverKind::Kind(Kind::Place),
            "norp" => SilverKind::Norp,
            _ => {
                return Err(format!(
                    "entity `{e}`: kind {k} is not person|org|place|norp"
                ))
            }
        };
        if a >= b {
            return Err(format!("entity `{e}`: empty span"));
        }
        out.push((a, b, k));
    }
    Ok((text, out))
}

/// Silver entities over the words of one sentence (word spans from the
/// teacher) brought to the gold convention of `GoldSpans::Names`, as far as
/// it can be told from the words and Petrel's own analyses: a NORP that is
/// one plural proper noun ("Americans", GUM's people) is a person, other
/// NORPs are dropped; spans without a capitalised word or proper noun are
/// dropped (GUM's named mentions have a proper-noun head); a person takes
/// the capitalised titles right before it ("Mr", "President": the teacher
/// leaves them out, GUM's names keep them); every span takes a possessive
/// ending right after it ("Byron 's", as GUM's mentions do); overlapping
/// spans after that keep the first; the leading "the" follows the parse as
/// at run time ([`articles`]).
fn silver_gold(
    words: &[&str],
    an: &[TokenAnalysis],
    lex: &Lexicon,
    ents: &[(usize, usize, SilverKind)],
) -> Vec<(usize, usize, Kind)> {
    let cap = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
            || an.get(i).is_some_and(|a| a.upos == Upos::Propn)
    };
    let mut spans: Vec<(usize, usize, Kind)> = Vec::new();
    for &(a, b, k) in ents {
        if a >= b || b > words.len() {
            continue;
        }
        let kind = match k {
            SilverKind::Kind(k) => k,
            SilverKind::Norp => {
                let plural = b - a == 1
                    && an
                        .get(a)
                        .is_some_and(|t| t.upos == Upos::Propn && t.xpos == "NNPS");
                if !plural {
                    continue;
                }
                Kind::Person
            }
        };
        if !(a..b).any(cap) {
            continue;
        }
        let mut a = a;
        if kind == Kind::Person {
            let a0 = a;
            while a > 0
                && words
                    .get(a - 1)
                    .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()))
                && lex.phrase(words.get(a - 1..a).unwrap_or(&[])) & TITLE_WORD != 0
            {
                a -= 1;
            }
            // After a title, the capitalised words before it ("US President
            // Barack Obama").
            if a < a0 {
                while a > 0 && cap(a - 1) {
                    a -= 1;
                }
            } else if a > 0 {
                // A name in apposition to a common noun right before it
                // ("creator Mark Zuckerberg"): GUM's mention is headed by
                // the noun, not a named mention.
                let head_out = (a..b).find_map(|i| {
                    an.get(i)
                        .and_then(|t| t.head)
                        .filter(|h| !(a..b).contains(h))
                });
                let noun_before = an.get(a - 1).is_some_and(|t| t.upos == Upos::Noun)
                    && words
                        .get(a - 1)
                        .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
                if noun_before && head_out == Some(a - 1) {
                    continue;
                }
            }
        }
        let mut b = b;
        if words
            .get(b)
            .is_some_and(|w| matches!(*w, "'s" | "’s" | "'" | "’"))
            && an.get(b).is_some_and(|t| t.xpos == "POS")
        {
            b += 1;
        }
        spans.push((a, b, kind));
    }
    spans.sort_by_key(|&(a, b, _)| (a, std::cmp::Reverse(b)));
    let mut out: Vec<(usize, usize, Kind)> = Vec::new();
    for m in spans {
        if out.last().is_none_or(|o| m.0 >= o.1) {
            out.push(m);
        }
    }
    articles(words, an, out)
}

/// Sentences of a silver file (see `scripts/ner_silver.py`), at most `max`
/// (0: all), tokenised, sentence-split, tagged and parsed by Petrel (`nlp`)
/// as at run time, their entities brought to the gold convention
/// ([`silver_gold`]). A sentence where a silver entity does not start and
/// end at Petrel token boundaries, or crosses a sentence boundary, is left
/// out (its labels cannot be trusted). Returns the sentences and the number
/// of sentences left out.
///
/// With `votes` ([`silver_votes`]), each entity takes the kind the teacher
/// gave its name most often over the whole file ("Labour": org 453 times,
/// person 84 → org everywhere).
fn read_silver(
    nlp: &Nlp,
    lex: &Lexicon,
    path: &Path,
    max: usize,
    votes: Option<&HashMap<String, [u32; 3]>>,
) -> Result<(Vec<Example>, usize)> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    let mut skipped = 0;
    let mut doc = 0usize;
    for (n, line) in text.lines().enumerate() {
        if max > 0 && out.len() >= max {
            break;
        }
        if line.starts_with("#doc") {
            doc += 1;
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (para, ents) = parse_silver_line(line)
            .map_err(|e| Error::Data(format!("{}:{}: {e}", path.display(), n + 1)))?;
        // Character offsets to bytes.
        let mut bytes: Vec<usize> = para.char_indices().map(|(i, _)| i).collect();
        bytes.push(para.len());
        let (toks, sents) = petrel_text::segment(para);
        let starts: HashMap<usize, usize> = toks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.start as usize, i))
            .collect();
        let ends: HashMap<usize, usize> = toks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.end as usize, i))
            .collect();
        let sent_of = |tok: usize| {
            sents
                .iter()
                .position(|s| (s.tokens.start as usize..s.tokens.end as usize).contains(&tok))
        };
        let sent_at = |byte: usize| {
            sents
                .iter()
                .position(|s| (s.span.start as usize..s.span.end as usize).contains(&byte))
        };
        let mut bad = vec![false; sents.len()];
        // Per sentence: entities as sentence-relative word spans.
        let mut local: Vec<Vec<(usize, usize, SilverKind)>> = vec![Vec::new(); sents.len()];
        for (a, b, k) in ents {
            let (Some(&ba), Some(&bb)) = (bytes.get(a), bytes.get(b)) else {
                return Err(Error::Data(format!(
                    "{}:{}: entity {a}-{b} beyond the text",
                    path.display(),
                    n + 1
                )));
            };
            let ta = starts.get(&ba).copied();
            let tb = ends.get(&bb).copied();
            let (sa, sb) = (ta.and_then(sent_of), tb.and_then(sent_of));
            match (ta, tb, sa, sb) {
                (Some(ta), Some(tb), Some(sa), Some(sb)) if sa == sb && ta <= tb => {
                    let s0 = sents.get(sa).map_or(0, |s| s.tokens.start as usize);
                    if let Some(l) = local.get_mut(sa) {
                        l.push((ta - s0, tb + 1 - s0, k));
                    }
                }
                _ => {
                    for s in [sa, sb, sent_at(ba), sent_at(bb.saturating_sub(1))]
                        .into_iter()
                        .flatten()
                    {
                        if let Some(x) = bad.get_mut(s) {
                            *x = true;
                        }
                    }
                }
            }
        }
        for (si, s) in sents.iter().enumerate() {
            if bad.get(si).copied().unwrap_or(true) {
                skipped += 1;
                continue;
            }
            let words: Vec<&str> = toks
                .get(s.tokens.start as usize..s.tokens.end as usize)
                .unwrap_or(&[])
                .iter()
                .filter_map(|t| para.get(t.start as usize..t.end as usize))
                .collect();
            if words.is_empty() || words.len() != (s.tokens.end - s.tokens.start) as usize {
                continue;
            }
            let an = nlp.annotate_words(&words);
            let mut ents = local.get(si).cloned().unwrap_or_default();
            if let Some(v) = votes {
                for (a, b, k) in &mut ents {
                    let name = words.get(*a..*b).map(|w| w.join(" ")).unwrap_or_default();
                    if let (SilverKind::Kind(_), Some(c)) = (*k, v.get(&name)) {
                        *k = SilverKind::Kind(
                            KINDS.get(majority(c)).copied().unwrap_or(Kind::Person),
                        );
                    }
                }
            }
            let gold = silver_gold(&words, &an, lex, &ents);
            out.push(Example {
                doc,
                words: words.iter().map(|w| w.to_string()).collect(),
                an,
                gold,
            });
            if max > 0 && out.len() >= max {
                break;
            }
        }
    }
    Ok((out, skipped))
}

/// Names of a silver file for the lexicon: each entity's words (tokenised
/// by Petrel) with the kind the teacher gave it, kept when the name was
/// labelled at least `SILVER_NAME_MIN` times, with one kind at least
/// `SILVER_NAME_SHARE` of the time (NORPs are not counted).
fn silver_names(path: &Path) -> Result<Vec<(String, u32)>> {
    let counts = silver_votes(path)?;
    let mut out: Vec<(String, u32)> = counts
        .into_iter()
        .filter_map(|(name, c)| {
            let total: u32 = c.iter().sum();
            let best = majority(&c);
            let top = c.get(best).copied().unwrap_or(0);
            if total < SILVER_NAME_MIN || (top as f64) < SILVER_NAME_SHARE * total as f64 {
                return None;
            }
            let bits = [SILVER_PERSON, SILVER_ORG, SILVER_PLACE];
            Some((name, bits.get(best).copied().unwrap_or(0)))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Index of the largest count (ties: the first kind).
fn majority(c: &[u32; 3]) -> usize {
    (0..3).max_by_key(|&k| (c[k], 3 - k)).unwrap_or(0)
}

/// How often the teacher gave each kind (person, org, place) to each name
/// (its words tokenised by Petrel, joined by spaces) in a silver file.
fn silver_votes(path: &Path) -> Result<HashMap<String, [u32; 3]>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    let mut counts: HashMap<String, [u32; 3]> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (para, ents) = parse_silver_line(line)
            .map_err(|e| Error::Data(format!("{}:{}: {e}", path.display(), n + 1)))?;
        let chars: Vec<char> = para.chars().collect();
        for (a, b, k) in ents {
            let SilverKind::Kind(k) = k else {
                continue;
            };
            let Some(cs) = chars.get(a..b) else {
                continue;
            };
            let name: String = cs.iter().collect();
            let words: Vec<&str> = petrel_text::tokens(&name)
                .iter()
                .filter_map(|t| name.get(t.start as usize..t.end as usize))
                .collect();
            if words.is_empty() || words.len() > MAX_PHRASE {
                continue;
            }
            counts.entry(words.join(" ")).or_default()[k.index()] += 1;
        }
    }
    Ok(counts)
}

/// A name enters the silver lexicon when the teacher labelled it this often…
const SILVER_NAME_MIN: u32 = 2;
/// …with one kind at least this share of the time.
const SILVER_NAME_SHARE: f64 = 0.8;

/// The lexicon of training: Petrel's lexicon files, plus the silver names
/// when `opts.silver_lexicon` and a silver file are given.
fn training_lexicon(opts: &NerTrainOptions, log: &dyn Fn(&str)) -> Result<Lexicon> {
    let mut lex = Lexicon::build(
        opts.lexicon_root.as_deref(),
        opts.min_population,
        opts.small_population,
        opts.wordnet,
    )?;
    if let (Some(p), true) = (&opts.silver, opts.silver_lexicon) {
        let names = silver_names(p)?;
        log(&format!("silver lexicon: {} names", names.len()));
        for (name, bits) in names {
            lex.add(&name, bits);
        }
    }
    Ok(lex)
}

/// Features of examples for training.
fn prepare_all(data: &[Example], clusters: &Clusters, lex: &Lexicon) -> Vec<Prepared> {
    data.iter()
        .map(|ex| {
            let refs: Vec<&str> = ex.words.iter().map(String::as_str).collect();
            Prepared {
                toks: prepare(&refs, &ex.an, clusters, lex),
                gold: encode(ex.words.len(), &ex.gold),
                spans: ex.gold.clone(),
                doc: ex.doc,
            }
        })
        .collect()
}

/// The silver sentences of `opts.silver` (none without a file), prepared.
fn silver_prepared(
    nlp: &Nlp,
    lex: &Lexicon,
    opts: &NerTrainOptions,
    log: &dyn Fn(&str),
) -> Result<Vec<Prepared>> {
    let Some(path) = opts.silver.as_ref().filter(|_| opts.silver_per_epoch > 0) else {
        return Ok(Vec::new());
    };
    let votes = if opts.silver_vote {
        Some(silver_votes(path)?)
    } else {
        None
    };
    let (ex, skipped) = read_silver(nlp, lex, path, opts.silver_max, votes.as_ref())?;
    let spans: usize = ex.iter().map(|e| e.gold.len()).sum();
    log(&format!(
        "silver: {} sentences with {spans} entities from {} ({skipped} sentences left out: entity not on token boundaries); {} per epoch",
        ex.len(),
        path.display(),
        opts.silver_per_epoch
    ));
    Ok(prepare_all(&ex, &nlp.clusters, lex))
}

// ---------------------------------------------------------------- scores

/// Precision, recall and F1 of one type (exact span and type match).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.predicted.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.gold.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// NER scores on one GUM split: per model kind and overall (micro).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerScores {
    pub documents: usize,
    pub sentences: usize,
    pub person: Prf,
    pub org: Prf,
    pub place: Prf,
    pub all: Prf,
    /// Output labels of the predicted spans (PERSON/NORP/ORG/GPE/LOC) with counts.
    pub labels: Vec<(String, usize)>,
}

impl NerScores {
    fn add(&mut self, gold: &[(usize, usize, Kind)], pred: &[(usize, usize, Kind)]) {
        for k in KINDS {
            let g: HashSet<(usize, usize)> = gold
                .iter()
                .filter(|m| m.2 == k)
                .map(|m| (m.0, m.1))
                .collect();
            let p: HashSet<(usize, usize)> = pred
                .iter()
                .filter(|m| m.2 == k)
                .map(|m| (m.0, m.1))
                .collect();
            let c = g.intersection(&p).count();
            let slot = match k {
                Kind::Person => &mut self.person,
                Kind::Org => &mut self.org,
                Kind::Place => &mut self.place,
            };
            for s in [slot, &mut self.all] {
                s.gold += g.len();
                s.predicted += p.len();
                s.correct += c;
            }
        }
    }

    /// One line per type: `TYPE P R F1 (gold/pred/correct)`.
    pub fn table(&self) -> String {
        let mut s = String::new();
        for (n, p) in [
            ("PERSON", &self.person),
            ("ORG", &self.org),
            ("PLACE", &self.place),
            ("ALL", &self.all),
        ] {
            s.push_str(&format!(
                "{n:<7} P {:.3} R {:.3} F1 {:.3}  (gold {}, predicted {}, correct {})\n",
                p.precision(),
                p.recall(),
                p.f1(),
                p.gold,
                p.predicted,
                p.correct
            ));
        }
        s
    }
}

/// Scores of the full model (both passes, output labels) on examples.
fn score(ner: &Ner, clusters: &Clusters, data: &[Example]) -> NerScores {
    let mut s = NerScores::default();
    let mut labels: std::collections::BTreeMap<String, usize> = Default::default();
    for (ex, sp) in data.iter().zip(predict(ner, clusters, data)) {
        s.add(&ex.gold, &sp);
        let words: Vec<&str> = ex.words.iter().map(String::as_str).collect();
        for e in refine(&ner.lex, &words, &ex.an, sp) {
            *labels.entry(e.label.as_str().to_string()).or_default() += 1;
        }
        s.sentences += 1;
    }
    let docs: Vec<usize> = data.iter().map(|e| e.doc).collect();
    s.documents = doc_ranges(&docs).len();
    s.labels = labels.into_iter().collect();
    s
}

/// Prepared sentences for training: features atoms, gold classes and spans.
struct Prepared {
    toks: Vec<Tok>,
    gold: Vec<usize>,
    spans: Vec<(usize, usize, Kind)>,
    doc: usize,
}

/// Micro F1 of `weights` on prepared data (spans from one pass).
fn score_prepared(weights: &Weights, data: &[Prepared], beam: usize) -> NerScores {
    let mut s = NerScores::default();
    for p in data {
        s.add(&p.spans, &decode(&run(weights, None, &p.toks, beam)));
    }
    s
}

/// Silver sentences mixed into training ([`NerTrainOptions::silver`]):
/// each epoch draws `per_epoch` of them anew (all when fewer).
#[derive(Clone, Copy)]
struct Mix<'a> {
    data: &'a [Prepared],
    per_epoch: usize,
}

const NO_MIX: Mix<'static> = Mix {
    data: &[],
    per_epoch: 0,
};

impl Mix<'_> {
    /// The order of one epoch: the (shuffled) gold indices `gold` and the
    /// drawn silver sentences (indices offset by `n_gold`), shuffled
    /// together. Without silver, `gold` itself (the random stream is then
    /// untouched, so training without silver is unchanged).
    fn epoch_order(
        &self,
        rng: &mut Rng,
        pool: &mut [usize],
        gold: &[usize],
        n_gold: usize,
    ) -> Vec<usize> {
        if self.data.is_empty() {
            return gold.to_vec();
        }
        rng.shuffle(pool);
        let k = self.per_epoch.min(pool.len());
        let mut out = gold.to_vec();
        out.extend(pool.iter().take(k).map(|&i| i + n_gold));
        rng.shuffle(&mut out);
        out
    }
}

/// One training epoch over `order`: indices below `data.len()` are gold
/// sentences, the rest silver ones. `beam` ≤ 1: greedy, word by word, with
/// the constrained prediction as history; else the structured perceptron
/// over a beam of `beam` ([`beam_search`]) with early update.
fn train_epoch(
    trainer: &mut Trainer,
    data: &[Prepared],
    silver: &[Prepared],
    order: &[usize],
    beam: usize,
) {
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0f32; NCLASS];
    for &k in order {
        let p = match k.checked_sub(data.len()) {
            None => data.get(k),
            Some(j) => silver.get(j),
        };
        let Some(p) = p else {
            continue;
        };
        if beam > 1 {
            let t: &Trainer = trainer;
            let scorer = Scorer {
                score: &|f, o| t.score(f, o),
                trans: None,
            };
            let out = beam_search(&scorer, &p.toks, beam, Some(&p.gold));
            if !out.gold {
                structured_update(trainer, &p.toks, &p.gold, &out.classes, &mut feats);
            }
            for _ in 0..out.classes.len() {
                trainer.tick();
            }
            continue;
        }
        let mut y: Vec<usize> = Vec::with_capacity(p.toks.len());
        for i in 0..p.toks.len() {
            let p1 = if i > 0 { y[i - 1] } else { START };
            let p2 = if i > 1 { y[i - 2] } else { START };
            features(&p.toks, i, p1, p2, &mut feats);
            trainer.score(&feats, &mut scores);
            let guess = argmax(&scores);
            let truth = p.gold.get(i).copied().unwrap_or(0);
            trainer.update(&feats, truth, guess);
            trainer.tick();
            // Continue with the constrained prediction as history.
            y.push(best_allowed(
                &scores,
                i.checked_sub(1).map(|j| y[j]),
                i + 1 == p.toks.len(),
            ));
        }
    }
}

/// Promote the features of the gold classes and demote those of the
/// predicted ones over the first `pred.len()` words (where the two
/// sequences agree, with the same history, the two cancel and are skipped).
fn structured_update(
    trainer: &mut Trainer,
    toks: &[Tok],
    gold: &[usize],
    pred: &[usize],
    feats: &mut Vec<u64>,
) {
    let at = |y: &[usize], j: Option<usize>| j.and_then(|j| y.get(j)).copied().unwrap_or(START);
    for j in 0..pred.len() {
        let g = (
            at(gold, Some(j)),
            at(gold, j.checked_sub(1)),
            at(gold, j.checked_sub(2)),
        );
        let q = (
            at(pred, Some(j)),
            at(pred, j.checked_sub(1)),
            at(pred, j.checked_sub(2)),
        );
        if g == q || g.0 >= NCLASS || q.0 >= NCLASS {
            continue;
        }
        features(toks, j, g.1, g.2, feats);
        trainer.add(feats, g.0, 1.0);
        features(toks, j, q.1, q.2, feats);
        trainer.add(feats, q.0, -1.0);
    }
}

/// Averaged-perceptron training over `data[idx]` for up to `epochs`
/// epochs; with `dev`, the epoch with the best dev F1 is kept, without it
/// the weights after the last epoch.
#[allow(clippy::too_many_arguments)]
fn train_weights(
    data: &[Prepared],
    idx: &[usize],
    mix: Mix,
    epochs: usize,
    seed: u64,
    prune: f32,
    beam: usize,
    dev: Option<&[Prepared]>,
    log: &dyn Fn(&str),
) -> (Weights, Vec<f64>, usize) {
    let mut trainer = Trainer::new(NCLASS);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = idx.to_vec();
    let mut pool: Vec<usize> = (0..mix.data.len()).collect();
    let mut best: Option<(f64, Weights, usize)> = None;
    let mut curve = Vec::new();
    for epoch in 1..=epochs.max(1) {
        rng.shuffle(&mut order);
        let ord = mix.epoch_order(&mut rng, &mut pool, &order, data.len());
        train_epoch(&mut trainer, data, mix.data, &ord, beam);
        let Some(dev) = dev else {
            continue;
        };
        let weights = trainer.average(prune);
        let s = score_prepared(&weights, dev, beam);
        let f = s.all.f1();
        log(&format!(
            "epoch {epoch}: dev F1 {:.4} (P {:.4} R {:.4})",
            f,
            s.all.precision(),
            s.all.recall()
        ));
        curve.push(f);
        if best.as_ref().is_none_or(|b| f > b.0) {
            best = Some((f, weights, epoch));
        }
    }
    match best {
        Some((_, w, e)) => (w, curve, e),
        None => (trainer.average(prune), curve, epochs.max(1)),
    }
}

/// `folds`-fold cross-validation over the documents of `data` (fold of a
/// sentence: its document index modulo `folds`): per epoch 1..=`epochs`,
/// the held-out scores summed over the folds.
#[allow(clippy::too_many_arguments)]
fn cross_validate(
    data: &[Prepared],
    mix: Mix,
    folds: usize,
    epochs: usize,
    seed: u64,
    prune: f32,
    members: usize,
    beam: usize,
    log: &dyn Fn(&str),
) -> Result<Vec<NerScores>> {
    let epochs = epochs.max(1);
    let mut sums = vec![NerScores::default(); epochs];
    for f in 0..folds {
        let (held, rest): (Vec<usize>, Vec<usize>) =
            (0..data.len()).partition(|&i| data[i].doc % folds == f);
        // One trainer per ensemble member, each with its own order and
        // silver draws.
        let mut runs: Vec<(Trainer, Rng, Vec<usize>, Vec<usize>)> = (0..members.max(1))
            .map(|m| {
                (
                    Trainer::new(NCLASS),
                    Rng::new(member_seed(seed ^ (0x4356 + f as u64), m)),
                    rest.clone(),
                    (0..mix.data.len()).collect(),
                )
            })
            .collect();
        for sum in sums.iter_mut() {
            let mut tables = Vec::with_capacity(runs.len());
            for (trainer, rng, order, pool) in runs.iter_mut() {
                rng.shuffle(order);
                let ord = mix.epoch_order(rng, pool, order, data.len());
                train_epoch(trainer, data, mix.data, &ord, beam);
                tables.push(trainer.average(prune));
            }
            let w = mean_of(tables, prune)?;
            for &i in &held {
                if let Some(p) = data.get(i) {
                    sum.add(&p.spans, &decode(&run(&w, None, &p.toks, beam)));
                }
            }
        }
        log(&format!("cross-validation fold {} of {folds} done", f + 1));
    }
    Ok(sums)
}

/// The seed of ensemble member `m` (member 0: `seed` itself, so a
/// one-member ensemble is the single model).
fn member_seed(seed: u64, m: usize) -> u64 {
    match m {
        0 => seed,
        _ => seed ^ (m as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
    }
}

/// The linear ensemble of averaged weight tables, each pruned below
/// `prune`: their mean, pruned below `prune / members` (a weight survives
/// when the members' sum reaches `prune`). One table: itself.
fn mean_of(mut tables: Vec<Weights>, prune: f32) -> Result<Weights> {
    if tables.len() == 1 {
        if let Some(w) = tables.pop() {
            return Ok(w);
        }
    }
    let refs: Vec<&Weights> = tables.iter().collect();
    crate::parser::mean_weights(&refs, prune / tables.len().max(1) as f32)
}

/// [`train_weights`] without dev for `members` seeds ([`member_seed`]),
/// averaged into one table ([`mean_of`]): scoring costs one model's time.
#[allow(clippy::too_many_arguments)]
fn train_members(
    data: &[Prepared],
    idx: &[usize],
    mix: Mix,
    epochs: usize,
    seed: u64,
    prune: f32,
    members: usize,
    beam: usize,
    log: &dyn Fn(&str),
) -> Result<Weights> {
    let mut tables = Vec::with_capacity(members.max(1));
    for m in 0..members.max(1) {
        let (w, _, _) = train_weights(
            data,
            idx,
            mix,
            epochs,
            member_seed(seed, m),
            prune,
            beam,
            None,
            log,
        );
        tables.push(w);
        if members > 1 {
            log(&format!("ensemble member {} of {members} trained", m + 1));
        }
    }
    mean_of(tables, prune)
}

/// Score the NER model of `nlp` on a GUM split (`dev` or `test`) against
/// the default gold spans ([`GoldSpans::Names`]).
pub fn evaluate_ner(nlp: &Nlp, gum: &Path, split: &str) -> Result<NerScores> {
    evaluate_ner_gold(nlp, gum, split, GoldSpans::default())
}

/// Score the NER model of `nlp` on a GUM split against the given gold spans.
pub fn evaluate_ner_gold(nlp: &Nlp, gum: &Path, split: &str, gold: GoldSpans) -> Result<NerScores> {
    let ner = nlp
        .ner
        .as_ref()
        .ok_or_else(|| Error::Model("no NER model loaded".into()))?;
    let (sents, docs) = gum_sentences(gum, split)?;
    let data = examples(nlp, &sents, None, gold);
    let mut s = score(ner, &nlp.clusters, &data);
    s.documents = docs.len();
    Ok(s)
}

/// Score another tagger's entities (a peer such as spaCy; file of
/// `scripts/ner_peer.py`: `sent_id<TAB>START-END-KIND …`, word offsets on
/// the gold words, kinds as in a silver file) on a GUM split against
/// `gold`, after bringing them to the name convention exactly as silver
/// entities are ([`silver_gold`], with Petrel's own analyses). A sentence
/// missing from the file counts as one without entities.
pub fn evaluate_peer(
    nlp: &Nlp,
    gum: &Path,
    split: &str,
    peer: &Path,
    gold: GoldSpans,
) -> Result<NerScores> {
    let text =
        std::fs::read_to_string(peer).map_err(|e| Error::Io(format!("{}: {e}", peer.display())))?;
    let mut by_id: HashMap<&str, Vec<(usize, usize, SilverKind)>> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (id, ents) = parse_silver_line(line)
            .map_err(|e| Error::Data(format!("{}:{}: {e}", peer.display(), n + 1)))?;
        by_id.insert(id, ents);
    }
    let lex = Lexicon::designators()?;
    let (sents, docs) = gum_sentences(gum, split)?;
    let mut s = NerScores::default();
    for (_, sent) in &sents {
        let words: Vec<&str> = sent.words.iter().map(|w| w.form.as_str()).collect();
        if words.is_empty() {
            continue;
        }
        let an = nlp.annotate_words(&words);
        let ents = sent
            .sent_id()
            .and_then(|id| by_id.get(id))
            .cloned()
            .unwrap_or_default();
        let pred = silver_gold(&words, &an, &lex, &ents);
        s.add(&gum_gold(sent, gold), &pred);
        s.sentences += 1;
    }
    s.documents = docs.len();
    Ok(s)
}

/// Model spans (before output labels) of every example, document by document.
fn predict(ner: &Ner, clusters: &Clusters, data: &[Example]) -> Vec<Vec<(usize, usize, Kind)>> {
    let mut out = Vec::with_capacity(data.len());
    let docs: Vec<usize> = data.iter().map(|e| e.doc).collect();
    for r in doc_ranges(&docs) {
        let exs = data.get(r).unwrap_or(&[]);
        out.extend(with_sentences(exs, |sents| doc_spans(ner, sents, clusters)));
    }
    out
}

/// Error analysis of the NER model of `nlp` on a GUM split: scores per
/// genre (the second part of GUM document names, `GUM_<genre>_…`) and the
/// mismatches by category (exact span with the wrong type, overlapping
/// span of the right type, overlapping with the wrong type, missed,
/// spurious).
/// With `list`, the mismatched spans of each sentence follow
/// (`- gold`, `+ predicted`).
pub fn analyse_ner(
    nlp: &Nlp,
    gum: &Path,
    split: &str,
    gold: GoldSpans,
    list: bool,
) -> Result<String> {
    let ner = nlp
        .ner
        .as_ref()
        .ok_or_else(|| Error::Model("no NER model loaded".into()))?;
    let (sents, names) = gum_sentences(gum, split)?;
    let data = examples(nlp, &sents, None, gold);
    let pred = predict(ner, &nlp.clusters, &data);
    Ok(mismatch_report(&data, &pred, &names, list))
}

/// Cross-validated error analysis on the GUM train documents: `opts.cv_folds`
/// folds by document (at least 2), each fold tagged by a model trained for
/// `opts.epochs` epochs on the others (first pass, with the leading-"the"
/// rule), reported as [`analyse_ner`] does.
pub fn cross_validate_ner(
    nlp: &Nlp,
    gum: &Path,
    opts: &NerTrainOptions,
    list: bool,
) -> Result<String> {
    let lex = training_lexicon(opts, &|_| {})?;
    let (train_s, names) = gum_sentences(gum, "train")?;
    let data = examples(nlp, &train_s, opts.train_tags.as_ref(), opts.gold);
    let folds = opts.cv_folds.max(2);
    let mut pred: Vec<Vec<(usize, usize, Kind)>> = vec![Vec::new(); data.len()];
    let toks = prepare_all(&data, &nlp.clusters, &lex);
    let silver = silver_prepared(nlp, &lex, opts, &|_| {})?;
    let mix = Mix {
        data: &silver,
        per_epoch: opts.silver_per_epoch,
    };
    for f in 0..folds {
        let (held, rest): (Vec<usize>, Vec<usize>) =
            (0..toks.len()).partition(|&i| toks[i].doc % folds == f);
        let w = train_members(
            &toks,
            &rest,
            mix,
            opts.epochs,
            opts.seed ^ (0x4356 + f as u64),
            opts.prune,
            opts.ensemble,
            opts.beam,
            &|_| {},
        )?;
        for i in held {
            if let (Some(p), Some(ex)) = (toks.get(i), data.get(i)) {
                let refs: Vec<&str> = ex.words.iter().map(String::as_str).collect();
                pred[i] = articles(&refs, &ex.an, decode(&run(&w, None, &p.toks, opts.beam)));
            }
        }
    }
    let mut s = NerScores::default();
    for (ex, p) in data.iter().zip(&pred) {
        s.add(&ex.gold, p);
    }
    // The document-level rules, as `doc_spans` applies them at run time,
    // and variants.
    let docs: Vec<usize> = data.iter().map(|e| e.doc).collect();
    let mut variants = String::new();
    let d = NameRules::default();
    for (name, rules) in [
        ("no majority kind", NameRules { majority: 0, ..d }),
        (
            "no majority kind, no relabel",
            NameRules {
                majority: 0,
                relabel: false,
                ..d
            },
        ),
        ("+ first names", NameRules { first: true, ..d }),
        (
            "majority kind of multi-word names only",
            NameRules { majority: 2, ..d },
        ),
    ] {
        let mut pv = pred.clone();
        apply_name_rules(&data, &docs, &mut pv, rules);
        let mut sv = NerScores::default();
        for (ex, p) in data.iter().zip(&pv) {
            sv.add(&ex.gold, p);
        }
        variants.push_str(&format!("variant {name}:\n{}", sv.table()));
    }
    apply_name_rules(&data, &docs, &mut pred, NameRules::default());
    let mut s2 = NerScores::default();
    for (ex, p) in data.iter().zip(&pred) {
        s2.add(&ex.gold, p);
    }
    Ok(format!(
        "{folds}-fold cross-validation on {} train documents, {} epochs, sentence by sentence:\n{}with the document-level rules:\n{}{variants}{}",
        names.len(),
        opts.epochs,
        s.table(),
        s2.table(),
        mismatch_report(&data, &pred, &names, list)
    ))
}

/// Scores per genre, mismatch categories and (with `list`) the mismatched
/// spans of each sentence.
fn mismatch_report(
    data: &[Example],
    pred: &[Vec<(usize, usize, Kind)>],
    names: &[String],
    list: bool,
) -> String {
    let genre = |d: usize| -> String {
        names
            .get(d)
            .and_then(|n| n.split('_').nth(1))
            .unwrap_or("?")
            .to_string()
    };
    let mut by_genre: std::collections::BTreeMap<String, NerScores> = Default::default();
    // wrong type, boundary, boundary + type, missed, spurious
    let mut cats = [0usize; 5];
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    let mut listing = String::new();
    for (ex, p) in data.iter().zip(pred) {
        by_genre.entry(genre(ex.doc)).or_default().add(&ex.gold, p);
        if list
            && (ex.gold.iter().any(|g| !p.contains(g)) || p.iter().any(|q| !ex.gold.contains(q)))
        {
            let show = |x: &(usize, usize, Kind)| {
                format!(
                    "[{}]{}",
                    ex.words.get(x.0..x.1).unwrap_or(&[]).join(" "),
                    x.2.as_str()
                )
            };
            listing.push_str(&format!("{} {}\n", genre(ex.doc), ex.words.join(" ")));
            for g in ex.gold.iter().filter(|g| !p.contains(g)) {
                listing.push_str(&format!("  - {}\n", show(g)));
            }
            for q in p.iter().filter(|q| !ex.gold.contains(q)) {
                listing.push_str(&format!("  + {}\n", show(q)));
            }
        }
        let overlaps = |a: &(usize, usize, Kind), b: &(usize, usize, Kind)| a.0 < b.1 && b.0 < a.1;
        for g in &ex.gold {
            if p.contains(g) {
                continue;
            }
            let ov: Vec<&(usize, usize, Kind)> = p.iter().filter(|q| overlaps(g, q)).collect();
            let c = if ov.is_empty() {
                3
            } else if ov.iter().any(|q| q.0 == g.0 && q.1 == g.1) {
                0
            } else if ov.iter().any(|q| q.2 == g.2) {
                1
            } else {
                2
            };
            cats[c] += 1;
            let detail = match c {
                0 => format!(
                    "type {}->{}",
                    g.2.as_str(),
                    ov.first().map_or("?", |q| q.2.as_str())
                ),
                3 => format!("missed {}", g.2.as_str()),
                _ => {
                    let q = ov.first().copied().unwrap_or(g);
                    let side = match (q.0.cmp(&g.0), q.1.cmp(&g.1)) {
                        (std::cmp::Ordering::Equal, o) => format!("end {o:?}"),
                        (o, std::cmp::Ordering::Equal) => format!("start {o:?}"),
                        (o1, o2) => format!("both {o1:?}/{o2:?}"),
                    };
                    format!("boundary {} {side}", g.2.as_str())
                }
            };
            *kinds.entry(detail).or_default() += 1;
        }
        for q in p {
            if !ex.gold.iter().any(|g| overlaps(g, q)) {
                cats[4] += 1;
                *kinds
                    .entry(format!("spurious {}", q.2.as_str()))
                    .or_default() += 1;
            }
        }
    }
    let mut s = String::new();
    for (g, sc) in &by_genre {
        s.push_str(&format!(
            "{g:<13} F1 {:.3}  (gold {}, predicted {}, correct {}; PERSON {:.2} ORG {:.2} PLACE {:.2})\n",
            sc.all.f1(),
            sc.all.gold,
            sc.all.predicted,
            sc.all.correct,
            sc.person.f1(),
            sc.org.f1(),
            sc.place.f1()
        ));
    }
    s.push_str(&format!(
        "gold not found: wrong type {}, boundary {}, boundary+type {}, missed {}; spurious predictions {}\n",
        cats[0], cats[1], cats[2], cats[3], cats[4]
    ));
    for (k, n) in kinds {
        s.push_str(&format!("  {k:<30} {n}\n"));
    }
    s.push_str(&listing);
    s
}

// ---------------------------------------------------------------- training

/// Settings of NER training.
#[derive(Debug, Clone)]
pub struct NerTrainOptions {
    /// Maximum epochs (the best dev F1 is kept).
    pub epochs: usize,
    pub seed: u64,
    /// Weights of smaller magnitude are dropped.
    pub prune: f32,
    /// Train a second pass with document features on `folds`-fold
    /// jackknifed first-pass output (kept only if it scores better on dev);
    /// `folds` < 2: one pass.
    pub folds: usize,
    /// Populated places need this many people to enter the lexicon.
    pub min_population: u64,
    /// Smaller populated places of at least this many people enter it as a
    /// category of their own (towns; 0: none).
    pub small_population: u64,
    /// ≥ 1: WordNet's named instances (`data/geo/wordnet_names.tsv`) of at
    /// least that many words enter the lexicon as categories of their own
    /// (person, org, place, facility); 0: none.
    pub wordnet: usize,
    /// Folder holding `data/geo/` and `dictionaries/petrel/actors/` (the
    /// repository root); `None`: no lexicon features.
    pub lexicon_root: Option<PathBuf>,
    /// Predicted tags for the training sentences (jackknifed); `None`: the
    /// training sentences are tagged by `nlp`'s tagger.
    pub train_tags: Option<TrainTags>,
    /// ≥ 2: choose the number of epochs by `cv_folds`-fold cross-validation
    /// over the training documents (folds by document) instead of on dev,
    /// then train one pass on all of them for that many epochs (no second
    /// pass: it is only ever chosen on dev). < 2: select on dev.
    pub cv_folds: usize,
    /// With `cv_folds` ≥ 2: add the dev documents to the final training set
    /// once the epoch count is chosen (dev figures are then in-sample).
    /// Off by default: the shipped models train on `files.train` only and
    /// keep dev for selection and test for the final figures.
    pub train_on_dev: bool,
    /// Gold spans trained on and scored.
    pub gold: GoldSpans,
    /// Silver data: a file written by `scripts/ner_silver.py` (a teacher's
    /// entities over news text in no GUM/EWT split), tokenised, tagged and
    /// parsed by Petrel at training time; its sentences are mixed into the
    /// training epochs (never into the held-out folds, dev or test). Only
    /// used with `cv_folds` ≥ 2. `None`: gold alone (`petrel train` reads
    /// the path from `PETREL_NER_SILVER`).
    pub silver: Option<PathBuf>,
    /// At most this many silver sentences are read (in file order; 0: all).
    pub silver_max: usize,
    /// Silver sentences drawn anew for each epoch (0: none are read, the
    /// file then only feeds the lexicon, with `silver_lexicon`).
    pub silver_per_epoch: usize,
    /// Add the silver file's names (by the kind the teacher gave them most)
    /// to the lexicon stored in the model ([`silver_names`]).
    pub silver_lexicon: bool,
    /// Relabel each silver entity with the kind the teacher gave its name
    /// most often over the whole file (a corpus-level vote against the
    /// teacher's inconsistent labels).
    pub silver_vote: bool,
    /// Members of the linear ensemble of the cross-validated path: that
    /// many models trained with different seeds (sentence order, silver
    /// draws), their averaged weights averaged again into one table, so
    /// the model tags at one model's cost; the cross-validation scores the
    /// ensemble too. 1: one model.
    pub ensemble: usize,
    /// Beam width of training (structured perceptron, early update) and
    /// decoding, stored in the model; 1: greedy.
    pub beam: usize,
    pub verbose: bool,
}

impl Default for NerTrainOptions {
    fn default() -> NerTrainOptions {
        NerTrainOptions {
            epochs: 25,
            seed: 20_260_101,
            prune: 0.5,
            folds: 4,
            min_population: 150_000,
            // Towns (≥ 1,000 or ≥ 15,000 people) as a category of their
            // own: no gain on the cross-validation (models/en_ner.md).
            small_population: 0,
            // WordNet's named instances of any length: +21 correct names of
            // 4,820 on the cross-validation, three seeds all positive
            // (models/en_ner.md).
            wordnet: 1,
            lexicon_root: Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))),
            train_tags: None,
            cv_folds: 4,
            train_on_dev: false,
            gold: GoldSpans::default(),
            silver: None,
            // Chosen by 4-fold cross-validation on the GUM train documents
            // (models/en_ner.md): all ~41.7k BBC sentences in the pool,
            // 1,000 drawn per epoch.
            silver_max: 0,
            silver_per_epoch: 1_000,
            silver_lexicon: false,
            silver_vote: false,
            // Chosen by cross-validation (models/en_ner.md): three members
            // gain ~0.005–0.01 F1 over one at the same tagging cost.
            ensemble: 3,
            // Chosen by cross-validation (models/en_ner.md): a beam of two
            // gains ~0.02 F1 over greedy decoding; four gains no more and
            // costs twice the NER time.
            beam: 2,
            verbose: false,
        }
    }
}

/// What NER training did.
#[derive(Debug, Clone, Default)]
pub struct NerTrainReport {
    pub train_documents: usize,
    pub train_sentences: usize,
    /// Silver sentences available to the training epochs.
    pub silver_sentences: usize,
    pub lexicon_entries: usize,
    /// Dev micro F1 after each epoch (first pass).
    pub curve: Vec<f64>,
    pub best_epoch: usize,
    /// The same for the second pass, when one was trained.
    pub curve2: Vec<f64>,
    pub best_epoch2: usize,
    /// Held-out micro F1 of the cross-validation after each epoch, and the
    /// scores at the chosen epoch (empty / `None` when selected on dev).
    pub cv_curve: Vec<f64>,
    pub cv: Option<NerScores>,
    /// Dev micro F1 of the first pass alone, and whether the second pass was kept.
    pub dev_first_pass: f64,
    pub second_pass: bool,
    pub dev: NerScores,
    pub features: usize,
    pub model_bytes: usize,
    pub seconds: f64,
}

/// Train the NER model on the GUM train documents under `gum` (the
/// `ud-english-gum` folder), using `nlp`'s tagger and parser for the
/// analyses; select the epoch on GUM dev. Returns the model file bytes.
pub fn train_ner(
    nlp: &Nlp,
    gum: &Path,
    opts: &NerTrainOptions,
) -> Result<(Vec<u8>, NerTrainReport)> {
    let t0 = std::time::Instant::now();
    let log = |s: &str| {
        if opts.verbose {
            eprintln!("[{:7.1}s] ner: {s}", t0.elapsed().as_secs_f64());
        }
    };
    let mut rep = NerTrainReport::default();
    let lex = training_lexicon(opts, &log)?;
    rep.lexicon_entries = lex.map.len();
    log(&format!("lexicon: {} phrases", lex.map.len()));
    let (train_s, docs) = gum_sentences(gum, "train")?;
    let docs = docs.len();
    rep.train_documents = docs;
    let train = examples(nlp, &train_s, opts.train_tags.as_ref(), opts.gold);
    if let Some(t) = &opts.train_tags {
        let found = train_s
            .iter()
            .filter(|(_, s)| {
                let w: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
                t.map.contains_key(&w)
            })
            .count();
        log(&format!(
            "training tags: {found} of {} sentences from the jackknifed tags",
            train_s.len()
        ));
    }
    rep.train_sentences = train.len();
    let (dev_s, _) = gum_sentences(gum, "dev")?;
    let dev = examples(nlp, &dev_s, None, opts.gold);
    if train.is_empty() || dev.is_empty() {
        return Err(Error::Data(format!(
            "no GUM train/dev sentences under {}",
            gum.display()
        )));
    }
    log(&format!(
        "{} train documents, {} sentences; {} dev sentences",
        docs,
        train.len(),
        dev.len()
    ));
    let clusters = &nlp.clusters;
    let prep = |data: &[Example]| prepare_all(data, clusters, &lex);
    let mut tr = prep(&train);
    let mut dv = prep(&dev);
    let silver = if opts.cv_folds >= 2 {
        silver_prepared(nlp, &lex, opts, &log)?
    } else {
        if opts.silver.is_some() {
            log("silver data ignored: only used with cross-validated training (cv_folds >= 2)");
        }
        Vec::new()
    };
    rep.silver_sentences = silver.len();
    let mix = Mix {
        data: &silver,
        per_epoch: opts.silver_per_epoch,
    };
    if opts.cv_folds >= 2 {
        let sums = cross_validate(
            &tr,
            mix,
            opts.cv_folds,
            opts.epochs,
            opts.seed ^ 0x004e_4552,
            opts.prune,
            opts.ensemble,
            opts.beam,
            &log,
        )?;
        rep.cv_curve = sums.iter().map(|s| s.all.f1()).collect();
        for (e, f) in rep.cv_curve.iter().enumerate() {
            log(&format!("epoch {}: cross-validated F1 {f:.4}", e + 1));
        }
        // The first epoch with the best held-out F1.
        let mut e = 0;
        for (k, f) in rep.cv_curve.iter().enumerate() {
            if rep.cv_curve.get(e).is_some_and(|b| f > b) {
                e = k;
            }
        }
        rep.best_epoch = e + 1;
        rep.cv = sums.get(e).cloned();
        if opts.train_on_dev {
            let mut extra = prep(&dev);
            for p in &mut extra {
                p.doc += docs;
            }
            tr.extend(extra);
        }
        let idx: Vec<usize> = (0..tr.len()).collect();
        let w = train_members(
            &tr,
            &idx,
            mix,
            rep.best_epoch,
            opts.seed ^ 0x004e_4552,
            opts.prune,
            opts.ensemble,
            opts.beam,
            &log,
        )?;
        rep.dev_first_pass = score_prepared(&w, &dv, opts.beam).all.f1();
        log(&format!(
            "cross-validation: best epoch {}, F1 {:.4}; final model on {} sentences{}",
            rep.best_epoch,
            rep.cv.as_ref().map_or(0.0, |s| s.all.f1()),
            tr.len(),
            if opts.train_on_dev {
                " (train + dev)"
            } else {
                ""
            }
        ));
        let ner = Ner::new(lex, w, None, opts.beam);
        return Ok(finish(ner, rep, clusters, &dev, t0, &log));
    }
    let all: Vec<usize> = (0..tr.len()).collect();
    let (w1, curve, e1) = train_weights(
        &tr,
        &all,
        NO_MIX,
        opts.epochs,
        opts.seed ^ 0x004e_4552,
        opts.prune,
        opts.beam,
        Some(&dv),
        &log,
    );
    rep.curve = curve;
    rep.best_epoch = e1;
    let mut ner = Ner::new(Lexicon::default(), w1, None, opts.beam);
    rep.dev_first_pass = score_prepared(&ner.weights, &dv, opts.beam).all.f1();
    log(&format!(
        "first pass: best epoch {e1}, dev F1 {:.4}",
        rep.dev_first_pass
    ));
    if opts.folds >= 2 {
        // Jackknifed first-pass classes of the training sentences.
        let mut first: Vec<Vec<usize>> = vec![Vec::new(); tr.len()];
        for f in 0..opts.folds {
            let (held, rest): (Vec<usize>, Vec<usize>) =
                (0..tr.len()).partition(|&i| tr[i].doc % opts.folds == f);
            let (w, _, _) = train_weights(
                &tr,
                &rest,
                NO_MIX,
                e1,
                opts.seed ^ 0x004e_4552 ^ (f as u64 + 1),
                opts.prune,
                opts.beam,
                None,
                &log,
            );
            for i in held {
                first[i] = run(&w, None, &tr[i].toks, opts.beam);
            }
            log(&format!("fold {} of {} done", f + 1, opts.folds));
        }
        let set_doc = |data: &mut [Prepared], first: &[Vec<usize>]| {
            let docs: Vec<usize> = data.iter().map(|p| p.doc).collect();
            for r in doc_ranges(&docs) {
                let mut toks: Vec<Vec<Tok>> = data[r.clone()]
                    .iter_mut()
                    .map(|p| std::mem::take(&mut p.toks))
                    .collect();
                apply_doc(&mut toks, &first[r.clone()]);
                for (p, t) in data[r].iter_mut().zip(toks) {
                    p.toks = t;
                }
            }
        };
        set_doc(&mut tr, &first);
        let dev_first: Vec<Vec<usize>> = dv
            .iter()
            .map(|p| run(&ner.weights, ner.trans.as_ref(), &p.toks, opts.beam))
            .collect();
        set_doc(&mut dv, &dev_first);
        let (w2, curve2, e2) = train_weights(
            &tr,
            &all,
            NO_MIX,
            opts.epochs,
            opts.seed ^ 0x004e_4553,
            opts.prune,
            opts.beam,
            Some(&dv),
            &log,
        );
        let f2 = score_prepared(&w2, &dv, opts.beam).all.f1();
        log(&format!("second pass: best epoch {e2}, dev F1 {f2:.4}"));
        rep.curve2 = curve2;
        rep.best_epoch2 = e2;
        // The second pass doubles the model and the NER time: keep it only
        // for a clear gain.
        if f2 > rep.dev_first_pass + SECOND_PASS_MIN_GAIN {
            ner.second = Some(w2);
            rep.second_pass = true;
        }
    }
    ner.lex = lex;
    Ok(finish(ner, rep, clusters, &dev, t0, &log))
}

/// Score the trained model on dev, fill the report, write the model bytes.
fn finish(
    ner: Ner,
    mut rep: NerTrainReport,
    clusters: &Clusters,
    dev: &[Example],
    t0: std::time::Instant,
    log: &dyn Fn(&str),
) -> (Vec<u8>, NerTrainReport) {
    rep.dev = score(&ner, clusters, dev);
    rep.dev.documents = dev.last().map_or(0, |e| e.doc + 1);
    rep.features = ner.feature_count();
    let bytes = ner.write();
    rep.model_bytes = bytes.len();
    rep.seconds = t0.elapsed().as_secs_f64();
    log(&format!(
        "dev F1 {:.4} (second pass {}); {} features, {} bytes",
        rep.dev.all.f1(),
        if rep.second_pass { "kept" } else { "dropped" },
        rep.features,
        bytes.len()
    ));
    (bytes, rep)
}

/// The NER step of [`crate::train`]: when `ud-english-gum` lies beside the
/// EWT folder `treebank_root`, train the NER model with `nlp` (the freshly
/// trained tagger and parser; the training sentences with `train_tags`, the
/// jackknifed tags the parser trained on, when given) and write
/// `en_ner.bin` into `out_dir`.
pub(crate) fn train_beside(
    treebank_root: &Path,
    out_dir: &Path,
    nlp: &Nlp,
    seed: u64,
    train_tags: Option<TrainTags>,
    verbose: bool,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    let Some(gum) = treebank_root
        .parent()
        .map(|p| p.join("ud-english-gum"))
        .filter(|g| g.join("file-lists/files.train").exists())
    else {
        log("NER: GUM not found beside EWT; en_ner.bin not rebuilt");
        return Ok(());
    };
    // Silver data (`scripts/ner_silver.py`), when the variable names a file.
    let silver = std::env::var_os(SILVER_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    if let Some(p) = &silver {
        if !p.is_file() {
            return Err(Error::Io(format!(
                "{SILVER_ENV}={}: no such file (make it with scripts/ner_silver.py)",
                p.display()
            )));
        }
        log(&format!("NER: silver data from {}", p.display()));
    }
    let opts = NerTrainOptions {
        seed,
        verbose,
        train_tags,
        silver,
        ..NerTrainOptions::default()
    };
    let (bytes, rep) = train_ner(nlp, &gum, &opts)?;
    let p = out_dir.join(NER_FILE);
    std::fs::write(&p, &bytes).map_err(|e| Error::Io(format!("{}: {e}", p.display())))?;
    let cv = rep.cv.as_ref().map_or(String::new(), |s| {
        format!(
            ", {}-fold cross-validated F1 {:.4} (PERSON {:.4} ORG {:.4} PLACE {:.4})",
            opts.cv_folds,
            s.all.f1(),
            s.person.f1(),
            s.org.f1(),
            s.place.f1()
        )
    });
    log(&format!(
        "NER: {} GUM train documents{}{}, best epoch {}{cv}, GUM dev F1 {:.4}{} (PERSON {:.4} ORG {:.4} PLACE {:.4}); {} bytes in {:.0}s",
        rep.train_documents,
        if opts.train_on_dev && opts.cv_folds >= 2 {
            " + dev"
        } else {
            ""
        },
        match rep.silver_sentences {
            0 => String::new(),
            n => format!(" + {n} silver sentences ({} per epoch)", opts.silver_per_epoch),
        },
        rep.best_epoch,
        rep.dev.all.f1(),
        if opts.train_on_dev && opts.cv_folds >= 2 {
            " (in-sample)"
        } else {
            ""
        },
        rep.dev.person.f1(),
        rep.dev.org.f1(),
        rep.dev.place.f1(),
        bytes.len(),
        rep.seconds
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_treebank::conllu::parse;

    #[test]
    fn bilou_encode_decode_and_constraints() {
        let spans = vec![(0, 2, Kind::Person), (3, 4, Kind::Place), (5, 8, Kind::Org)];
        let y = encode(9, &spans);
        assert_eq!(y[0], class(Kind::Person, B));
        assert_eq!(y[1], class(Kind::Person, L));
        assert_eq!(y[3], class(Kind::Place, U));
        assert_eq!(y[6], class(Kind::Org, I));
        assert_eq!(decode(&y), spans);
        // Out-of-range spans are ignored; ill-formed runs are dropped.
        assert_eq!(encode(2, &[(1, 5, Kind::Org)]), vec![0, 0]);
        let bad = [
            class(Kind::Person, I),
            class(Kind::Org, B),
            class(Kind::Person, L),
        ];
        assert!(decode(&bad).is_empty());
        assert!(allowed(None, class(Kind::Org, B), false));
        assert!(!allowed(None, class(Kind::Org, I), false));
        assert!(!allowed(Some(class(Kind::Org, B)), 0, false));
        assert!(!allowed(
            Some(class(Kind::Org, B)),
            class(Kind::Person, L),
            false
        ));
        assert!(allowed(
            Some(class(Kind::Org, B)),
            class(Kind::Org, L),
            true
        ));
        assert!(!allowed(Some(0), class(Kind::Org, B), true));
        assert_eq!(split(NCLASS), None);
    }

    #[test]
    fn lexicon_matches_phrases_and_round_trips() {
        let mut lex = Lexicon::designators().expect("designators parse");
        lex.add("New York", CITY);
        lex.add("York", CITY);
        let keys: Vec<u64> = ["in", "new", "York", "University"]
            .iter()
            .map(|w| word_key(w))
            .collect();
        let m = lex.matches(&keys);
        assert_eq!(m[0], [0; 4]);
        assert_eq!(m[1][B], CITY);
        assert_eq!(m[2][L], CITY);
        assert_eq!(m[2][U], CITY);
        assert_eq!(m[3][U], ORG_WORD);
        assert_eq!(lex.phrase(&["NEW", "york"]), CITY);
        assert_eq!(lex.phrase(&[]), 0);
        let mut w = Writer::header("ner");
        lex.write(&mut w);
        let mut r = Reader::open(&w.buf, "mem", "ner").expect("header");
        let back = Lexicon::read(&mut r, FORMAT).expect("reads");
        r.finish().expect("no trailing bytes");
        assert_eq!(back.map, lex.map);
        assert_eq!(back.max_len, lex.max_len);
        // Wide masks (categories past bit 15) survive; format 2 files have
        // 16-bit masks.
        lex.add("Coron", TOWN | WN_PLACE);
        let mut w = Writer::header("ner");
        lex.write(&mut w);
        let mut r = Reader::open(&w.buf, "mem", "ner").expect("header");
        let back = Lexicon::read(&mut r, FORMAT).expect("reads");
        assert_eq!(back.phrase(&["Coron"]), TOWN | WN_PLACE);
        let mut w = Writer::header("ner");
        w.u8(1);
        w.u32(1);
        w.u64(7);
        w.u16(CITY as u16);
        let mut r = Reader::open(&w.buf, "mem", "ner").expect("header");
        let old = Lexicon::read(&mut r, 2).expect("reads format 2");
        r.finish().expect("no trailing bytes");
        assert_eq!(old.map.get(&7), Some(&CITY));
    }

    #[test]
    fn gum_named_mentions_are_flat_proper_and_cut_at_appositions() {
        let text = "\
1\tClaire\tClaire\tPROPN\tNNP\t_\t0\troot\t_\tEntity=(6-person-new-nnnnn-cf1-1-coref
2\tWarwick\tWarwick\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=6)
3\t,\t,\tPUNCT\t,\t_\t4\tpunct\t_\t_
4\tUniversity\tUniversity\tPROPN\tNNP\t_\t1\tlist\t_\tEntity=(8-organization-new-nnnnn-cf3-1-sgl-X
5\tof\tof\tADP\tIN\t_\t6\tcase\t_\t_
6\tDurham\tDurham\tPROPN\tNNP\t_\t4\tnmod\t_\tEntity=(9-place-new-nnnnn-cf4-1-sgl-Durham)
7\t,\t,\tPUNCT\t,\t_\t8\tpunct\t_\t_
8\tEngland\tEngland\tPROPN\tNNP\t_\t4\tappos\t_\tEntity=(10-place-new-nnnnn-cf5-1-sgl-England)8)
9\tthe\tthe\tDET\tDT\t_\t10\tdet\t_\tEntity=(11-person-new-nnnnn-cf1-2-sgl
10\tstaff\tstaff\tNOUN\tNN\t_\t1\tdep\t_\tEntity=11)
";
        let s = parse(text).expect("parses");
        let got = gum_named_mentions(&s[0]);
        assert_eq!(
            got,
            vec![(0, 2, Kind::Person), (3, 6, Kind::Org), (7, 8, Kind::Place)]
        );
    }

    #[test]
    fn gold_names_drop_modifiers_and_keep_the_and_possessives() {
        // "Neither a Dr. Bailey 's friend" is not GUM; the rows only need
        // heads, UPOS and entity brackets.
        let text = "\
1\tNeither\tneither\tCCONJ\tCC\t_\t3\tcc\t_\tEntity=(1-person-new-nnnnn-cf1-1-coref
2\ta\ta\tDET\tDT\t_\t3\tdet\t_\t_
3\tDr.\tDr.\tPROPN\tNNP\t_\t0\troot\t_\t_
4\tBailey\tBailey\tPROPN\tNNP\t_\t3\tflat\t_\t_
5\t's\t's\tPART\tPOS\t_\t3\tcase\t_\tEntity=1)
6\tthe\tthe\tDET\tDT\t_\t10\tdet\t_\tEntity=(2-organization-new-nnnnn-cf2-1-coref
7\tsaid\tsay\tVERB\tVBN\t_\t10\tamod\t_\t_
8\tthe\tthe\tDET\tDT\t_\t10\tdet\t_\t_
9\tRussian\tRussian\tADJ\tJJ\t_\t10\tamod\t_\t_
10\tArchive\tArchive\tPROPN\tNNP\t_\t3\tnmod\t_\t_
11\tof\tof\tADP\tIN\t_\t12\tcase\t_\t_
12\tState\tState\tPROPN\tNNP\t_\t10\tnmod\t_\t_
13\tin\tin\tADP\tIN\t_\t14\tcase\t_\t_
14\tMoscow\tMoscow\tPROPN\tNNP\t_\t10\tnmod\t_\tEntity=(3-place-new-nnnnn-cf3-1-sgl)2)
";
        let s = parse(text).expect("parses");
        assert_eq!(
            gum_gold(&s[0], GoldSpans::Mentions),
            vec![(0, 5, Kind::Person), (5, 14, Kind::Org)]
        );
        assert_eq!(
            gum_gold(&s[0], GoldSpans::Names),
            vec![
                (2, 5, Kind::Person),
                (7, 12, Kind::Org),
                (13, 14, Kind::Place)
            ]
        );
    }

    #[test]
    fn silver_lines_parse_and_report_errors() {
        let (text, ents) =
            parse_silver_line("Mr Blair met Intel's boss.\t3-8-person 13-18-org").expect("parses");
        assert_eq!(text, "Mr Blair met Intel's boss.");
        assert_eq!(
            ents,
            vec![
                (3, 8, SilverKind::Kind(Kind::Person)),
                (13, 18, SilverKind::Kind(Kind::Org))
            ]
        );
        assert_eq!(
            parse_silver_line("No names here.\t").expect("parses").1,
            vec![]
        );
        for bad in [
            "no tab",
            "x\t3-8",
            "x\t3-x-org",
            "x\t3-8-city",
            "x\t8-3-org",
        ] {
            assert!(parse_silver_line(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn silver_spans_follow_the_gold_convention() {
        let lex = Lexicon::designators().expect("designators parse");
        let mk = |w: &[&str], upos: &[Upos], xpos: &[&str]| -> Vec<TokenAnalysis> {
            (0..w.len())
                .map(|i| TokenAnalysis {
                    lemma: String::new(),
                    upos: upos.get(i).copied().unwrap_or(Upos::X),
                    xpos: xpos.get(i).copied().unwrap_or("").to_string(),
                    head: None,
                    deprel: String::new(),
                })
                .collect()
        };
        use Upos::{Adj, Noun, Part, Propn, Verb};
        // Title joins a person, a possessive joins the span.
        let w = ["President", "Bush", "'s", "plan", "failed"];
        let an = mk(
            &w,
            &[Propn, Propn, Part, Noun, Verb],
            &["NNP", "NNP", "POS", "NN", "VBD"],
        );
        let ents = [(1, 2, SilverKind::Kind(Kind::Person))];
        assert_eq!(
            silver_gold(&w, &an, &lex, &ents),
            vec![(0, 3, Kind::Person)]
        );
        // A plural proper-noun NORP is people; an adjectival one is dropped;
        // a lowercase span is dropped; out-of-range spans are ignored.
        let w = ["Americans", "like", "French", "wine", "firms"];
        let an = mk(
            &w,
            &[Propn, Verb, Adj, Noun, Noun],
            &["NNPS", "VBP", "JJ", "NN", "NNS"],
        );
        let ents = [
            (0, 1, SilverKind::Norp),
            (2, 3, SilverKind::Norp),
            (4, 5, SilverKind::Kind(Kind::Org)),
            (3, 9, SilverKind::Kind(Kind::Org)),
        ];
        assert_eq!(
            silver_gold(&w, &an, &lex, &ents),
            vec![(0, 1, Kind::Person)]
        );
        // Capitalised words before a title join; a name in apposition to a
        // lowercase noun right before it is no named mention.
        let w = [
            "US",
            "President",
            "Obama",
            "met",
            "creator",
            "Mark",
            "Zuckerberg",
        ];
        let mut an = mk(
            &w,
            &[Propn, Propn, Propn, Verb, Noun, Propn, Propn],
            &["NNP", "NNP", "NNP", "VBD", "NN", "NNP", "NNP"],
        );
        an[5].head = Some(4);
        an[6].head = Some(5);
        let ents = [
            (0, 1, SilverKind::Kind(Kind::Place)),
            (2, 3, SilverKind::Kind(Kind::Person)),
            (5, 7, SilverKind::Kind(Kind::Person)),
        ];
        assert_eq!(
            silver_gold(&w, &an, &lex, &ents),
            vec![(0, 3, Kind::Person)]
        );
        // Overlaps keep the first (longest) span.
        let w = ["New", "York", "City"];
        let an = mk(&w, &[Propn, Propn, Propn], &["NNP", "NNP", "NNP"]);
        let ents = [
            (0, 3, SilverKind::Kind(Kind::Place)),
            (0, 2, SilverKind::Kind(Kind::Place)),
        ];
        assert_eq!(silver_gold(&w, &an, &lex, &ents), vec![(0, 3, Kind::Place)]);
    }

    #[test]
    fn silver_mix_draws_per_epoch_and_leaves_gold_alone_without_silver() {
        let gold = [0usize, 1, 2];
        let mut rng = Rng::new(7);
        assert_eq!(
            NO_MIX.epoch_order(&mut rng, &mut [], &gold, 3),
            gold.to_vec()
        );
        // The random stream is untouched without silver.
        assert_eq!(rng.next_u64(), Rng::new(7).next_u64());
        let silver: Vec<Prepared> = (0..5)
            .map(|d| Prepared {
                toks: Vec::new(),
                gold: Vec::new(),
                spans: Vec::new(),
                doc: d,
            })
            .collect();
        let mix = Mix {
            data: &silver,
            per_epoch: 2,
        };
        let mut pool: Vec<usize> = (0..5).collect();
        let mut o = mix.epoch_order(&mut rng, &mut pool, &gold, 3);
        assert_eq!(o.len(), 5);
        o.sort_unstable();
        assert_eq!(&o[..3], &gold);
        assert!(o[3..].iter().all(|&i| (3..8).contains(&i)));
        let all = Mix {
            data: &silver,
            per_epoch: 99,
        };
        assert_eq!(all.epoch_order(&mut rng, &mut pool, &gold, 3).len(), 8);
    }

    #[test]
    fn silver_file_gives_sentences_and_names() {
        let dir = std::env::temp_dir().join(format!("petrel-ner-silver-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let p = dir.join("silver.tsv");
        let text = "# comment\n#doc a\nIntel hired Ann Lee. Intel grew.\t0-5-org 12-19-person 21-26-org\n#doc b\nIntel-led deals.\t0-5-org\nPeople met Intel in Paris.\t11-16-org 20-25-place\n";
        std::fs::write(&p, text).expect("writes");
        let nlp = Nlp::embedded().expect("embedded models");
        let lex = Lexicon::designators().expect("designators parse");
        let (ex, skipped) = read_silver(&nlp, &lex, &p, 0, None).expect("reads");
        // "Intel-led" is cut at the hyphen by Petrel's tokeniser: aligned.
        assert_eq!(skipped, 0);
        let spans: Vec<(String, Kind, usize)> = ex
            .iter()
            .flat_map(|e| {
                e.gold
                    .iter()
                    .map(|&(a, b, k)| (e.words[a..b].join(" "), k, e.doc))
            })
            .collect();
        assert!(
            spans.contains(&("Ann Lee".to_string(), Kind::Person, 1)),
            "{spans:?}"
        );
        assert!(
            spans.contains(&("Paris".to_string(), Kind::Place, 2)),
            "{spans:?}"
        );
        assert_eq!(
            read_silver(&nlp, &lex, &p, 1, None).expect("reads").0.len(),
            1
        );
        let names = silver_names(&p).expect("names");
        // Intel: 4 times org; Ann Lee and Paris once (below the minimum).
        assert_eq!(names, vec![("Intel".to_string(), SILVER_ORG)]);
        // A misaligned entity drops its sentence; a broken line is an error.
        std::fs::write(&p, "Intelligence.\t0-5-org\n").expect("writes");
        assert_eq!(read_silver(&nlp, &lex, &p, 0, None).expect("reads").1, 1);
        std::fs::write(&p, "Intel.\t0-50-org\n").expect("writes");
        assert!(read_silver(&nlp, &lex, &p, 0, None).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn affixes_count_characters() {
        let naive = |w: &str, n: usize, prefix: bool| {
            let c: Vec<char> = w.chars().collect();
            let k = n.min(c.len());
            let s: String = if prefix {
                c[..k].iter().collect()
            } else {
                c[c.len() - k..].iter().collect()
            };
            hash_str(&s) ^ n as u64
        };
        for w in ["", "a", "ab", "abcd", "zürich", "ñandú", "東京都庁"] {
            for n in 1..=5 {
                for prefix in [true, false] {
                    assert_eq!(affix(w, n, prefix), naive(w, n, prefix), "{w} {n} {prefix}");
                }
            }
        }
    }

    fn analyses(heads: &[Option<usize>]) -> Vec<TokenAnalysis> {
        heads
            .iter()
            .map(|&head| TokenAnalysis {
                lemma: String::new(),
                upos: Upos::X,
                xpos: String::new(),
                head,
                deprel: String::new(),
            })
            .collect()
    }

    #[test]
    fn leading_article_follows_the_parse() {
        // "the" attached inside the name joins it.
        let w = ["at", "the", "British", "Library"];
        let an = analyses(&[Some(3), Some(3), Some(3), None]);
        assert_eq!(
            articles(&w, &an, vec![(2, 4, Kind::Org)]),
            vec![(1, 4, Kind::Org)]
        );
        // "the" attached to a common noun after the name leaves it.
        let w = ["the", "Library", "Carpentry", "model"];
        let an = analyses(&[Some(3), Some(2), Some(3), None]);
        assert_eq!(
            articles(&w, &an, vec![(0, 3, Kind::Org)]),
            vec![(1, 3, Kind::Org)]
        );
        // Never into the previous span, never out of range.
        let w = ["the", "Paris"];
        let an = analyses(&[Some(1), Some(7)]);
        assert_eq!(
            articles(&w, &an, vec![(0, 1, Kind::Place), (1, 2, Kind::Place)]),
            vec![(0, 1, Kind::Place), (1, 2, Kind::Place)]
        );
        assert_eq!(articles(&[], &[], vec![]), vec![]);
    }

    /// A fixed pseudo-random scorer with small integer weights (sums are
    /// exact in f32, whatever their order).
    fn toy_score(feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for &f in feats {
            for (c, o) in out.iter_mut().enumerate() {
                *o += (mix(f, c as u64) % 11) as f32 - 5.0;
            }
        }
    }

    fn plain<'a>(score: &'a dyn Fn(&[u64], &mut [f32])) -> Scorer<'a> {
        Scorer { score, trans: None }
    }

    fn toy_toks(words: &[&str]) -> Vec<Tok> {
        let an = analyses(&vec![None; words.len()]);
        prepare(words, &an, &Clusters::default(), &Lexicon::default())
    }

    /// Score of a whole class sequence under `toy_score`.
    fn sequence_score(toks: &[Tok], y: &[usize]) -> f32 {
        let mut feats = Vec::new();
        let mut sc = [0f32; NCLASS];
        let mut total = 0.0;
        for (i, &c) in y.iter().enumerate() {
            let p1 = i.checked_sub(1).map_or(START, |j| y[j]);
            let p2 = i.checked_sub(2).map_or(START, |j| y[j]);
            features(toks, i, p1, p2, &mut feats);
            toy_score(&feats, &mut sc);
            total += sc[c];
        }
        total
    }

    #[test]
    fn wide_beam_finds_the_best_well_formed_sequence() {
        let toks = toy_toks(&["The", "United", "Nations", "met"]);
        // Brute force over all well-formed sequences.
        let n = toks.len();
        let mut best = (f32::NEG_INFINITY, Vec::new());
        let total = NCLASS.pow(n as u32);
        for code in 0..total {
            let mut y = Vec::with_capacity(n);
            let mut x = code;
            for _ in 0..n {
                y.push(x % NCLASS);
                x /= NCLASS;
            }
            let ok = (0..n).all(|i| allowed(i.checked_sub(1).map(|j| y[j]), y[i], i + 1 == n));
            if !ok {
                continue;
            }
            let s = sequence_score(&toks, &y);
            if s > best.0 {
                best = (s, y);
            }
        }
        // (previous two classes) states: a beam that keeps them all is exact.
        let out = beam_search(&plain(&toy_score), &toks, NCLASS * NCLASS, None);
        assert_eq!(out.classes.len(), n);
        assert_eq!(sequence_score(&toks, &out.classes), best.0);
        // A narrow beam is well formed and never beats the exact search.
        let narrow = beam_search(&plain(&toy_score), &toks, 2, None).classes;
        assert!((0..n).all(|i| allowed(
            i.checked_sub(1).map(|j| narrow[j]),
            narrow[i],
            i + 1 == n
        )));
        assert!(sequence_score(&toks, &narrow) <= best.0);
        assert!(beam_search(&plain(&toy_score), &[], 4, None)
            .classes
            .is_empty());
    }

    #[test]
    fn beam_training_stops_early_and_learns_the_gold_sequence() {
        let toks = toy_toks(&["at", "Harrow", "School", "today"]);
        let gold = encode(4, &[(1, 3, Kind::Org)]);
        // Untrained, all scores tie and the beam keeps the first two
        // candidates (O O, O B-PERSON): the gold B-ORG of word 1 falls off,
        // the search stops there with the best prefix.
        let mut t = Trainer::new(NCLASS);
        let out = beam_search(&plain(&|f, o| t.score(f, o)), &toks, 2, Some(&gold));
        assert_eq!(out.classes, vec![0, 0]);
        assert!(!out.gold);
        // Training on it converges to the gold sequence.
        for _ in 0..20 {
            let tr: &Trainer = &t;
            let out = beam_search(&plain(&|f, o| tr.score(f, o)), &toks, 2, Some(&gold));
            if out.gold && out.classes.len() == 4 {
                break;
            }
            let mut feats = Vec::new();
            structured_update(&mut t, &toks, &gold, &out.classes, &mut feats);
            t.tick();
        }
        let out = beam_search(&plain(&|f, o| t.score(f, o)), &toks, 2, None);
        assert_eq!(decode(&out.classes), vec![(1, 3, Kind::Org)]);
        // The frozen weights, with the transition table as a model has it
        // and without: the same classes.
        let w = t.average(0.0);
        let trans = Transitions::new(&w);
        assert_eq!(run(&w, Some(&trans), &toks, 2), run(&w, None, &toks, 2));
    }

    #[test]
    fn ensemble_scores_are_the_mean_of_its_members() {
        assert_eq!(member_seed(7, 0), 7);
        assert_ne!(member_seed(7, 1), member_seed(7, 2));
        let member = |truth: usize, guess: usize| {
            let mut t = Trainer::new(NCLASS);
            t.update(&[11, 12], truth, guess);
            t.tick();
            t.average(0.0)
        };
        let (a, b) = (member(1, 2), member(3, 2));
        let (mut sa, mut sb, mut sm) = (vec![0f32; NCLASS], vec![0f32; NCLASS], vec![0f32; NCLASS]);
        a.score(&[11, 12], &mut sa);
        b.score(&[11, 12], &mut sb);
        let m = mean_of(vec![member(1, 2), member(3, 2)], 0.0).expect("same class count");
        m.score(&[11, 12], &mut sm);
        for c in 0..NCLASS {
            assert!((sm[c] - (sa[c] + sb[c]) / 2.0).abs() < 1e-2, "class {c}");
        }
        assert!(sm[1] > 0.0 && sm[3] > 0.0 && sm[2] < 0.0);
        // One member: itself.
        let one = mean_of(vec![member(1, 2)], 0.5).expect("one table");
        one.score(&[11, 12], &mut sm);
        assert_eq!(sm, sa);
        assert!(mean_of(Vec::new(), 0.5).is_err());
    }

    #[test]
    fn surnames_of_full_names_are_persons_elsewhere_in_the_document() {
        let propn = |n: usize| -> Vec<TokenAnalysis> {
            let mut a = analyses(&vec![None; n]);
            for t in &mut a {
                t.upos = Upos::Propn;
            }
            a
        };
        let s1 = ["Ichiyō", "Higuchi", "wrote", "."];
        let s2 = [
            "Later", ",", "Higuchi", "'s", "diary", "says", "Higuchi", "Street", ".",
        ];
        let s3 = ["Higuchi", "left", "."];
        let (a1, a2, a3) = (propn(4), propn(9), propn(3));
        let sents: Vec<(&[&str], &[TokenAnalysis])> = vec![(&s1, &a1), (&s2, &a2), (&s3, &a3)];
        let mut spans = vec![
            vec![(0, 2, Kind::Person)],
            vec![],
            vec![(0, 1, Kind::Place)],
        ];
        let plain = NameRules {
            relabel: false,
            ..NameRules::default()
        };
        surnames(&sents, &mut spans, plain);
        // The lone surname with its possessive; not inside the longer
        // capitalised run "Higuchi Street"; without `relabel` another kind
        // is kept.
        assert_eq!(spans[1], vec![(2, 4, Kind::Person)]);
        assert_eq!(spans[2], vec![(0, 1, Kind::Place)]);
        let mut relabelled = vec![
            vec![(0, 2, Kind::Person)],
            vec![],
            vec![(0, 1, Kind::Place)],
        ];
        surnames(&sents, &mut relabelled, NameRules::default());
        assert_eq!(relabelled[2], vec![(0, 1, Kind::Person)]);
        // The majority kind of a name in the document (strictly more than
        // half of its spans).
        let s4 = [
            "Fort", "Lee", "and", "Fort", "Lee", "and", "the", "Fort", "Lee", ".",
        ];
        let a4 = propn(10);
        let sents: Vec<(&[&str], &[TokenAnalysis])> = vec![(&s4, &a4)];
        let mut spans = vec![vec![
            (0, 2, Kind::Person),
            (3, 5, Kind::Place),
            (6, 9, Kind::Place),
        ]];
        surnames(&sents, &mut spans, NameRules::default());
        assert!(spans[0].iter().all(|s| s.2 == Kind::Place));
        let mut tie = vec![vec![(0, 2, Kind::Person), (3, 5, Kind::Place)]];
        surnames(&sents, &mut tie, NameRules::default());
        assert_eq!(tie[0], vec![(0, 2, Kind::Person), (3, 5, Kind::Place)]);
        // Not PROPN, or no full name in the document: nothing added.
        let a2x = analyses(&[None; 9]);
        let sents: Vec<(&[&str], &[TokenAnalysis])> = vec![(&s1, &a1), (&s2, &a2x)];
        let mut spans = vec![vec![(0, 2, Kind::Person)], vec![]];
        surnames(&sents, &mut spans, NameRules::default());
        assert!(spans[1].is_empty());
        let sents: Vec<(&[&str], &[TokenAnalysis])> = vec![(&s2, &a2)];
        let mut spans = vec![vec![]];
        surnames(&sents, &mut spans, NameRules::default());
        assert!(spans[0].is_empty());
    }

    #[test]
    fn train_tags_are_found_by_words_and_checked() {
        let words: Vec<String> = ["Paris", "is", "big"].map(String::from).to_vec();
        let x: Vec<String> = ["NNP", "VBZ", "JJ"].map(String::from).to_vec();
        let u: Vec<String> = ["PROPN", "AUX", "ADJ"].map(String::from).to_vec();
        let mut t = TrainTags::default();
        t.insert(&words, &x, &u[..2]);
        assert!(t.is_empty());
        t.insert(&words, &x, &u);
        assert_eq!(t.len(), 1);
        assert_eq!(t.map.get(&words), Some(&(x.clone(), u.clone())));
    }

    #[test]
    fn model_file_errors_are_reported() {
        assert!(Ner::read(b"garbage", "x").is_err());
        let lex = Lexicon::designators().expect("designators parse");
        let ner = Ner::new(
            lex,
            Trainer::new(NCLASS).average(0.0),
            Some(Trainer::new(NCLASS).average(0.0)),
            4,
        );
        let bytes = ner.write();
        let back = Ner::read(&bytes, "mem").expect("round trip");
        assert_eq!(back.lex.map.len(), ner.lex.map.len());
        assert!(Ner::read(&bytes[..bytes.len() - 1], "mem").is_err());
        // Untrained weights: never panics, finds nothing but demonyms.
        let words = ["", "🙂", "Paris"];
        let an: Vec<TokenAnalysis> = words
            .iter()
            .map(|_| TokenAnalysis {
                lemma: String::new(),
                upos: Upos::X,
                xpos: String::new(),
                head: Some(99),
                deprel: String::new(),
            })
            .collect();
        let c = Clusters::default();
        assert!(back.entities(&words, &an, &c).is_empty());
        assert!(back.entities(&[], &[], &c).is_empty());
    }
}
