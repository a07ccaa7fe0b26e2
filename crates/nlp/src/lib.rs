//! Petrel's statistical NLP core, in pure Rust with no external runtime:
//!
//! * a greedy averaged-perceptron tagger giving joint (UPOS, Penn XPOS)
//!   classes in two passes (the second sees the first pass's tags on both
//!   sides), with distributional word clusters as features,
//! * an arc-hybrid dependency parser (averaged perceptron trained greedily
//!   with a dynamic oracle; a width-4 beam over locally normalised scores at
//!   parse time, greedy with [`Nlp::set_parser_search`]) giving Universal
//!   Dependencies heads and relations,
//! * lemmas from [`petrel_text::lemmatize`],
//! * training ([`train`]) from the UD English EWT (and optionally GUM)
//!   treebanks, and evaluation ([`evaluate`]) on CoNLL-U files,
//! * named-entity recognition (PERSON, ORG, GPE, LOC, NORP) trained on the
//!   GUM entity annotations ([`ner`]), filling `Doc::named_entities`.
//!
//! Models are small binary files in `models/` (see the model cards there)
//! embedded into the binary by [`Nlp::embedded`].
//!
//! What this crate is not: it does not tokenise or split sentences (that is
//! `petrel-text`), does not resolve entities to actors or places (that is
//! `petrel-actors` and `petrel-geo`), and knows no file format other than
//! its own model files and CoNLL-U for training.

mod clusters;
mod data;
mod hash;
mod io;
pub mod ner;
mod parser;
mod perceptron;
mod tagger;
mod train;

pub use ner::{NamedSpan, NER_FILE};
pub use train::{evaluate, train, ParserSearch, Scores, TrainOptions, TrainReport};

use petrel_doc::{Doc, Entity, Upos};
use std::fmt;
use std::path::Path;

/// Errors of model loading, training and evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A model file is missing, malformed or of another version.
    Model(String),
    /// Reading or writing a file failed.
    Io(String),
    /// Training/evaluation data is malformed or missing.
    Data(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(m) => write!(f, "model error: {m}"),
            Error::Io(m) => write!(f, "I/O error: {m}"),
            Error::Data(m) => write!(f, "data error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// File names of the models inside a model directory.
pub const TAGGER_FILE: &str = "en_tagger.bin";
pub const PARSER_FILE: &str = "en_parser.bin";
pub const CLUSTERS_FILE: &str = "en_clusters.bin";

static EMBEDDED_TAGGER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_tagger.bin"
));
static EMBEDDED_PARSER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_parser.bin"
));
static EMBEDDED_CLUSTERS: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_clusters.bin"
));
static EMBEDDED_NER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../models/en_ner.bin"
));

/// The analysis of one word by [`Nlp::annotate_words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAnalysis {
    pub lemma: String,
    pub upos: Upos,
    /// Penn Treebank tag.
    pub xpos: String,
    /// Index of the head word in the given slice; `None` for the root.
    pub head: Option<usize>,
    pub deprel: String,
}

/// Tagger plus parser. Cheap to share across threads (`&Nlp` is `Sync`).
pub struct Nlp {
    tagger: tagger::Tagger,
    parser: parser::Parser,
    clusters: clusters::Clusters,
    /// Named-entity recogniser; `None` when no NER model was loaded.
    ner: Option<ner::Ner>,
}

/// Longest stretch of tokens analysed as one unit; longer sentences are
/// analysed in consecutive pieces, each with its own root.
pub const MAX_SENTENCE_TOKENS: usize = 1000;

impl Nlp {
    /// The English models compiled into the binary.
    pub fn embedded() -> Result<Nlp> {
        Nlp::from_bytes(EMBEDDED_TAGGER, EMBEDDED_PARSER, EMBEDDED_CLUSTERS)?.with_ner(EMBEDDED_NER)
    }

    /// Load `en_tagger.bin`, `en_parser.bin` and `en_clusters.bin` from a
    /// directory, and `en_ner.bin` when it is there (without it, no NER).
    pub fn load(dir: &Path) -> Result<Nlp> {
        let read = |f: &str| {
            let p = dir.join(f);
            std::fs::read(&p).map_err(|e| Error::Io(format!("{}: {e}", p.display())))
        };
        let t = read(TAGGER_FILE)?;
        let p = read(PARSER_FILE)?;
        let c = read(CLUSTERS_FILE)?;
        let name = |f: &str| dir.join(f).display().to_string();
        Ok(Nlp {
            tagger: tagger::Tagger::read(&t, &name(TAGGER_FILE))?,
            parser: parser::Parser::read(&p, &name(PARSER_FILE))?,
            clusters: clusters::Clusters::read(&c, &name(CLUSTERS_FILE))?,
            ner: match std::fs::read(dir.join(NER_FILE)) {
                Ok(b) => Some(ner::Ner::read(&b, &name(NER_FILE))?),
                Err(_) => None,
            },
        })
    }

    /// Models from in-memory model files.
    pub fn from_bytes(tagger: &[u8], parser: &[u8], clusters: &[u8]) -> Result<Nlp> {
        Ok(Nlp {
            tagger: tagger::Tagger::read(tagger, TAGGER_FILE)?,
            parser: parser::Parser::read(parser, PARSER_FILE)?,
            clusters: clusters::Clusters::read(clusters, CLUSTERS_FILE)?,
            ner: None,
        })
    }

    /// Add (or replace) the NER model from the bytes of an `en_ner.bin`.
    pub fn with_ner(mut self, ner: &[u8]) -> Result<Nlp> {
        self.ner = Some(ner::Ner::read(ner, NER_FILE)?);
        Ok(self)
    }

    /// Drop the NER model (`annotate` then leaves `named_entities` empty).
    pub fn without_ner(mut self) -> Nlp {
        self.ner = None;
        self
    }

    /// Override the parser's search (the model file says which to use;
    /// `ParserSearch::Greedy` is the fastest). `temperature` > 0 compares
    /// sequences by locally normalised scores, 0 by raw scores.
    pub fn set_parser_search(&mut self, search: ParserSearch, temperature: f32) {
        self.parser.set_search(search.to_search(), temperature);
    }

    /// Parse one sentence whose tags are given (Penn XPOS and UPOS, one per
    /// word; missing tags read as `_`): heads (index into `words`, `None`
    /// for the root) and relations. For measuring the parser alone
    /// (`examples/parse_speed.rs`); [`Nlp::annotate_words`] is the API.
    #[doc(hidden)]
    pub fn parse_tagged(
        &self,
        words: &[&str],
        xpos: &[&str],
        upos: &[&str],
    ) -> (Vec<Option<usize>>, Vec<&str>) {
        let (heads, labels) =
            self.parser
                .parse(&parser::Input::new(words, xpos, upos, &self.clusters));
        let labels = labels.iter().map(|&l| self.parser.label(l)).collect();
        (heads, labels)
    }

    /// Whether a NER model is loaded.
    pub fn has_ner(&self) -> bool {
        self.ner.is_some()
    }

    /// Named entities of one analysed sentence: `analyses` are
    /// [`Nlp::annotate_words`]'s output for `words`. Empty without a NER
    /// model or when the lengths differ.
    pub fn entities_words(&self, words: &[&str], analyses: &[TokenAnalysis]) -> Vec<NamedSpan> {
        match &self.ner {
            Some(n) if words.len() == analyses.len() => n.entities(words, analyses, &self.clusters),
            _ => Vec::new(),
        }
    }

    /// Tag, lemmatise and parse pre-tokenised words (one sentence).
    pub fn annotate_words(&self, words: &[&str]) -> Vec<TokenAnalysis> {
        let mut out = Vec::with_capacity(words.len());
        for chunk in words.chunks(MAX_SENTENCE_TOKENS) {
            let base = out.len();
            out.extend(self.analyse(chunk).into_iter().map(|mut a| {
                a.head = a.head.map(|h| h + base);
                a
            }));
        }
        out
    }

    fn analyse(&self, words: &[&str]) -> Vec<TokenAnalysis> {
        let classes = self.tagger.tag(words, &self.clusters);
        let upos: Vec<Upos> = classes.iter().map(|&c| self.tagger.upos(c)).collect();
        let xpos: Vec<&str> = classes.iter().map(|&c| self.tagger.xpos(c)).collect();
        let upos_s: Vec<&str> = upos.iter().map(|u| u.as_str()).collect();
        let (heads, labels) =
            self.parser
                .parse(&parser::Input::new(words, &xpos, &upos_s, &self.clusters));
        (0..words.len())
            .map(|i| TokenAnalysis {
                lemma: petrel_text::lemmatize(words[i], upos[i], xpos[i]),
                upos: upos[i],
                xpos: xpos[i].to_string(),
                head: heads.get(i).copied().flatten(),
                deprel: self
                    .parser
                    .label(labels.get(i).copied().unwrap_or(0))
                    .to_string(),
            })
            .collect()
    }

    /// Fill lemma, UPOS, XPOS, head and deprel for every token of `doc`,
    /// and `doc.named_entities` when a NER model is loaded (source
    /// `en_ner`, no code).
    ///
    /// Uses `doc.tokens.span` and `doc.sentences`; tokens outside every
    /// sentence are analysed as sentences of their own runs. Existing
    /// analysis layers are replaced. Never panics.
    pub fn annotate(&self, doc: &mut Doc) {
        let n = doc.tokens.span.len();
        let t = &mut doc.tokens;
        t.lemma = vec![String::new(); n];
        t.upos = vec![Upos::X; n];
        t.xpos = vec![String::new(); n];
        t.head = vec![None; n];
        t.deprel = vec![String::new(); n];
        doc.named_entities.clear();
        // Stretches of tokens to analyse: the sentences, plus gaps.
        let mut units: Vec<(usize, usize)> = Vec::new();
        let mut covered = 0usize;
        let mut sents: Vec<(usize, usize)> = doc
            .sentences
            .iter()
            .map(|s| {
                (
                    (s.tokens.start as usize).min(n),
                    (s.tokens.end as usize).min(n),
                )
            })
            .filter(|(a, b)| a < b)
            .collect();
        sents.sort_unstable();
        for (a, b) in sents {
            let a = a.max(covered);
            if a >= b {
                continue;
            }
            if a > covered {
                units.push((covered, a));
            }
            units.push((a, b));
            covered = b;
        }
        if covered < n {
            units.push((covered, n));
        }
        let words: Vec<Vec<&str>> = units
            .iter()
            .map(|&(a, b)| {
                (a..b)
                    .map(|i| doc.text.get(doc.tokens.span[i].range()).unwrap_or(""))
                    .collect()
            })
            .collect();
        let res: Vec<Vec<TokenAnalysis>> = words.iter().map(|w| self.annotate_words(w)).collect();
        // NER sees the whole document (its document-level name rules).
        let found = self.entities_document(&words, &res);
        drop(words);
        for ((&(a, _), res), found) in units.iter().zip(res).zip(found) {
            let t = &mut doc.tokens;
            for (k, r) in res.into_iter().enumerate() {
                let i = a + k;
                t.lemma[i] = r.lemma;
                t.upos[i] = r.upos;
                t.xpos[i] = r.xpos;
                t.head[i] = r.head.map(|h| (a + h) as u32);
                t.deprel[i] = r.deprel;
            }
            for e in found {
                let tokens = (a + e.start) as u32..(a + e.end) as u32;
                doc.named_entities.push(Entity {
                    span: doc.tokens_span(tokens.clone()),
                    tokens,
                    label: e.label,
                    code: None,
                    source: "en_ner".to_string(),
                });
            }
        }
    }

    /// Named entities of the analysed sentences of one document
    /// (`analyses[k]`: [`Nlp::annotate_words`]'s output for `words[k]`),
    /// with the NER model's document-level name rules (one kind per name;
    /// the lone surname of a person named in full elsewhere is a person;
    /// see `models/en_ner.md`). One list per sentence; empty lists without
    /// a NER model, and for a sentence whose lengths differ.
    pub fn entities_document<'w, S: AsRef<[&'w str]>>(
        &self,
        words: &[S],
        analyses: &[Vec<TokenAnalysis>],
    ) -> Vec<Vec<NamedSpan>> {
        let Some(n) = &self.ner else {
            return vec![Vec::new(); words.len()];
        };
        let sents: Vec<(&[&str], &[TokenAnalysis])> = words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let w = w.as_ref();
                match analyses.get(k) {
                    Some(a) if a.len() == w.len() => (w, a.as_slice()),
                    _ => (&[][..], &[][..]),
                }
            })
            .collect();
        n.entities_doc(&sents, &self.clusters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::{Sentence, Span};

    fn nlp() -> Nlp {
        Nlp::embedded().expect("embedded models load")
    }

    #[test]
    fn annotates_a_simple_sentence() {
        let n = nlp();
        let a = n.annotate_words(&["The", "president", "visited", "Paris", "on", "Monday", "."]);
        assert_eq!(a.len(), 7);
        assert_eq!(a[2].upos, Upos::Verb);
        assert_eq!(a[2].xpos, "VBD");
        assert_eq!(a[2].head, None);
        assert_eq!(a[2].deprel, "root");
        assert_eq!(a[1].head, Some(2));
        assert_eq!(a[1].deprel, "nsubj");
        assert_eq!(a[3].upos, Upos::Propn);
        assert_eq!(a[3].head, Some(2));
    }

    #[test]
    fn annotate_never_panics_on_odd_input() {
        let n = nlp();
        assert!(n.annotate_words(&[]).is_empty());
        let long: Vec<String> = (0..1500).map(|i| format!("w{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let a = n.annotate_words(&refs);
        assert_eq!(a.len(), 1500);
        assert!(a.iter().all(|x| x.head.is_none_or(|h| h < 1500)));
        let odd = ["", "\u{0}", "🙂🙂", "\u{202e}abc", "ǅ", "\t", "ß"];
        assert_eq!(n.annotate_words(&odd).len(), odd.len());

        // A doc with an empty sentence, a bogus sentence and uncovered tokens.
        let text = "Rebels attacked the town. Police said";
        let mut d = Doc::new("t", text);
        let mut pos = 0;
        for w in text.split(' ') {
            let s = text[pos..].find(w).map_or(pos, |k| pos + k);
            let (start, end) = if w.ends_with('.') {
                (s, s + w.len() - 1)
            } else {
                (s, s + w.len())
            };
            d.tokens.span.push(Span::new(start, end));
            if w.ends_with('.') {
                d.tokens.span.push(Span::new(end, end + 1));
            }
            pos = s + w.len();
        }
        d.sentences.push(Sentence {
            span: Span::new(0, 25),
            tokens: 0..5,
        });
        d.sentences.push(Sentence {
            span: Span::new(25, 25),
            tokens: 5..5,
        });
        d.sentences.push(Sentence {
            span: Span::new(0, 0),
            tokens: 40..50,
        });
        n.annotate(&mut d);
        assert!(d.tokens.is_parsed());
        assert_eq!(d.tokens.head[1], None);
        assert_eq!(d.tokens.head[0], Some(1));
        // Uncovered tokens 5..7 form their own unit with heads inside it.
        assert!(d.tokens.head[5..]
            .iter()
            .all(|h| h.is_none_or(|h| (5..7).contains(&h))));
        let mut empty = Doc::new("e", "");
        n.annotate(&mut empty);
        assert!(empty.tokens.is_parsed());
    }

    #[test]
    fn recognises_named_entities_in_words_and_docs() {
        use petrel_doc::EntityLabel;
        let n = nlp();
        assert!(n.has_ner());
        let words = [
            "Barack",
            "Obama",
            "met",
            "German",
            "officials",
            "in",
            "Paris",
            "on",
            "Monday",
            ".",
        ];
        let a = n.annotate_words(&words);
        let e = n.entities_words(&words, &a);
        let has = |s: usize, t: usize, l: EntityLabel| {
            e.iter().any(|x| x.start == s && x.end == t && x.label == l)
        };
        assert!(has(0, 2, EntityLabel::Person), "{e:?}");
        assert!(has(3, 4, EntityLabel::Norp), "{e:?}");
        assert!(has(6, 7, EntityLabel::Gpe), "{e:?}");
        assert!(n.entities_words(&words, &a[..2]).is_empty());

        let text = words.join(" ");
        let mut d = Doc::new("t", text.as_str());
        let mut pos = 0;
        for w in &words {
            d.tokens.span.push(Span::new(pos, pos + w.len()));
            pos += w.len() + 1;
        }
        d.sentences.push(Sentence {
            span: Span::new(0, text.len()),
            tokens: 0..words.len() as u32,
        });
        n.annotate(&mut d);
        let paris = d
            .named_entities
            .iter()
            .find(|e| e.label == EntityLabel::Gpe)
            .expect("a GPE");
        assert_eq!(d.span_text(paris.span), "Paris");
        assert_eq!(paris.tokens, 6..7);
        assert_eq!(paris.source, "en_ner");
        assert!(d.entities.is_empty());
        let without = nlp().without_ner();
        without.annotate(&mut d);
        assert!(d.named_entities.is_empty());
    }

    #[test]
    fn document_entities_come_one_list_per_sentence() {
        let n = nlp();
        let s1 = ["Angela", "Merkel", "visited", "Paris", "."];
        let s2 = ["She", "left", "."];
        let words: Vec<&[&str]> = vec![&s1, &s2, &s2];
        let an: Vec<Vec<TokenAnalysis>> =
            vec![n.annotate_words(&s1), n.annotate_words(&s2), Vec::new()];
        let found = n.entities_document(&words, &an);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], n.entities_words(&s1, &an[0]));
        assert!(found[1].is_empty() && found[2].is_empty());
        let without = nlp().without_ner().entities_document(&words, &an);
        assert_eq!(without, vec![Vec::new(); 3]);
    }

    #[test]
    fn load_reports_missing_files() {
        let e = Nlp::load(Path::new("/nonexistent-dir"))
            .err()
            .expect("fails");
        assert!(e.to_string().contains("en_tagger.bin"));
        assert!(Nlp::from_bytes(b"garbage", b"garbage", b"garbage").is_err());
    }
}
