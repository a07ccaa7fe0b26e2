//! Evaluation against UD treebanks (CoNLL-U text): tokenisation and sentence
//! splitting on the raw text rebuilt from the `# text` comments, and lemma
//! accuracy given the gold tags.
//!
//! The raw text of a document is rebuilt by joining the sentences of a
//! paragraph (`# newpar`) with `sent_sep` and paragraphs with a blank line;
//! documents (`# newdoc`) are evaluated one by one.

use crate::{lemmatize, segment};
use petrel_doc::{Sentence, Span, Upos};
use std::collections::HashSet;

/// One word (syntactic token) of a CoNLL-U sentence.
#[derive(Debug, Clone)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: Upos,
    pub xpos: String,
    /// Surface form of the multi-word token this word belongs to, if any,
    /// and its position in it.
    pub mwt: Option<(String, usize)>,
}

/// One sentence: its `# text` and its words.
#[derive(Debug, Clone, Default)]
pub struct GoldSentence {
    pub text: String,
    pub words: Vec<Word>,
    /// A `# newpar` comment precedes the sentence.
    pub new_par: bool,
}

/// One document (`# newdoc`).
#[derive(Debug, Clone, Default)]
pub struct GoldDoc {
    pub id: String,
    pub sentences: Vec<GoldSentence>,
}

/// Reads documents from CoNLL-U text (only what evaluation needs). Errors
/// name the line.
pub fn read_conllu(src: &str) -> Result<Vec<GoldDoc>, String> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut cur = GoldSentence::default();
    let mut pending_mwt: Option<(String, usize, usize)> = None; // form, last id, next index
    let mut in_sentence = false;
    let mut pending_par = false;
    for (n, line) in src.lines().enumerate() {
        let ln = n + 1;
        if let Some(rest) = line.strip_prefix("# newdoc") {
            let id = rest
                .split_once('=')
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default();
            docs.push(GoldDoc {
                id,
                sentences: Vec::new(),
            });
            pending_par = true;
            continue;
        }
        if line.starts_with("# newpar") {
            pending_par = true;
            continue;
        }
        if let Some(t) = line.strip_prefix("# text = ") {
            cur.text = t.to_string();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if in_sentence {
                if docs.is_empty() {
                    docs.push(GoldDoc::default());
                }
                let mut s = std::mem::take(&mut cur);
                s.new_par = std::mem::take(&mut pending_par);
                if let Some(d) = docs.last_mut() {
                    d.sentences.push(s);
                }
                in_sentence = false;
                pending_mwt = None;
            }
            continue;
        }
        in_sentence = true;
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 10 {
            return Err(format!(
                "line {ln}: expected 10 tab-separated columns, found {}",
                f.len()
            ));
        }
        if f[0].contains('.') {
            continue;
        }
        if let Some((a, b)) = f[0].split_once('-') {
            let last: usize = b
                .parse()
                .map_err(|_| format!("line {ln}: bad range id {:?}", f[0]))?;
            let _: usize = a
                .parse()
                .map_err(|_| format!("line {ln}: bad range id {:?}", f[0]))?;
            pending_mwt = Some((f[1].to_string(), last, 0));
            continue;
        }
        let id: usize = f[0]
            .parse()
            .map_err(|_| format!("line {ln}: bad word id {:?}", f[0]))?;
        let upos: Upos = f[3].parse().map_err(|e| format!("line {ln}: {e}"))?;
        let mwt = match &mut pending_mwt {
            Some((form, last, k)) if id <= *last => {
                let r = Some((form.clone(), *k));
                *k += 1;
                r
            }
            _ => None,
        };
        cur.words.push(Word {
            form: f[1].to_string(),
            lemma: f[2].to_string(),
            upos,
            xpos: f[4].to_string(),
            mwt,
        });
    }
    if in_sentence {
        if docs.is_empty() {
            docs.push(GoldDoc::default());
        }
        cur.new_par = pending_par;
        if let Some(d) = docs.last_mut() {
            d.sentences.push(cur);
        }
    }
    Ok(docs)
}

/// Raw text of a document with gold word and sentence spans.
#[derive(Debug, Clone, Default)]
pub struct RawDoc {
    pub text: String,
    pub words: Vec<Span>,
    pub sentences: Vec<Span>,
    /// Words whose surface form could not be located in `# text`.
    pub unaligned: usize,
}

/// Rebuilds the raw text of a document: sentences of a paragraph joined by
/// `sent_sep`, paragraphs by a blank line.
pub fn rebuild(doc: &GoldDoc, sent_sep: &str) -> RawDoc {
    let mut raw = RawDoc::default();
    for (k, s) in doc.sentences.iter().enumerate() {
        if k > 0 {
            raw.text.push_str(if s.new_par { "\n\n" } else { sent_sep });
        }
        let base = raw.text.len();
        raw.text.push_str(&s.text);
        let mut cursor = 0usize;
        let mut i = 0;
        while i < s.words.len() {
            let w = &s.words[i];
            let (surface, n_words) = match &w.mwt {
                Some((form, 0)) => {
                    let n = s.words[i..]
                        .iter()
                        .take_while(|x| x.mwt.as_ref().is_some_and(|m| &m.0 == form))
                        .count();
                    (form.as_str(), n.max(1))
                }
                _ => (w.form.as_str(), 1),
            };
            match s.text.get(cursor..).and_then(|t| t.find(surface)) {
                Some(off) => {
                    let start = cursor + off;
                    let end = start + surface.len();
                    let parts: Vec<&str> = s.words[i..i + n_words]
                        .iter()
                        .map(|x| x.form.as_str())
                        .collect();
                    if n_words > 1 && parts.concat() == surface {
                        let mut p = start;
                        for part in parts {
                            raw.words.push(Span::new(base + p, base + p + part.len()));
                            p += part.len();
                        }
                    } else {
                        for _ in 0..n_words {
                            raw.words.push(Span::new(base + start, base + end));
                        }
                    }
                    cursor = end;
                }
                None => raw.unaligned += n_words,
            }
            i += n_words;
        }
        raw.sentences.push(Span::new(base, base + s.text.len()));
    }
    raw
}

/// Precision, recall and F1 of exact span matches.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, gold: &[Span], predicted: &[Span]) {
        let g: HashSet<Span> = gold.iter().copied().collect();
        self.gold += g.len();
        self.predicted += predicted.len();
        self.correct += predicted.iter().filter(|s| g.contains(s)).count();
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Tokenisation and sentence-splitting scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SegmentationScores {
    pub tokens: Prf,
    pub sentences: Prf,
    pub unaligned: usize,
}

/// Scores [`segment`] on every document of a CoNLL-U treebank.
pub fn segmentation_scores(conllu: &str, sent_sep: &str) -> Result<SegmentationScores, String> {
    segmentation_scores_by(conllu, sent_sep, segment)
}

/// Scores a segmenter (text → token and sentence spans) on every document of
/// a CoNLL-U treebank.
pub fn segmentation_scores_by(
    conllu: &str,
    sent_sep: &str,
    seg: impl Fn(&str) -> (Vec<Span>, Vec<Sentence>),
) -> Result<SegmentationScores, String> {
    let mut sc = SegmentationScores::default();
    for doc in read_conllu(conllu)? {
        let raw = rebuild(&doc, sent_sep);
        let (toks, sents) = seg(&raw.text);
        sc.tokens.add(&raw.words, &toks);
        let sspans: Vec<Span> = sents.iter().map(|s| s.span).collect();
        sc.sentences.add(&raw.sentences, &sspans);
        sc.unaligned += raw.unaligned;
    }
    Ok(sc)
}

/// Lemma accuracy with gold tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LemmaScore {
    pub words: usize,
    pub correct: usize,
    /// Some errors: (form, xpos, gold lemma, predicted lemma).
    pub errors: Vec<(String, String, String, String)>,
}

impl LemmaScore {
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.words)
    }
}

/// Runs [`lemmatize`] on every word of a CoNLL-U treebank with its gold UPOS
/// and XPOS; keeps up to `max_errors` error examples.
pub fn lemma_accuracy(conllu: &str, max_errors: usize) -> Result<LemmaScore, String> {
    let mut sc = LemmaScore::default();
    for doc in read_conllu(conllu)? {
        for s in doc.sentences {
            for w in s.words {
                sc.words += 1;
                let l = lemmatize(&w.form, w.upos, &w.xpos);
                if l == w.lemma {
                    sc.correct += 1;
                } else if sc.errors.len() < max_errors {
                    sc.errors.push((w.form, w.xpos, w.lemma, l));
                }
            }
        }
    }
    Ok(sc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar id = p1\n# text = I don't know.\n\
1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n\
2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n\
3\tknow\tknow\tVERB\tVB\t_\t1\txcomp\t_\tSpaceAfter=No\n\
4\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn rebuilds_text_and_spans() {
        // The sample lacks the leading "I": the MWT starts the sentence text search.
        let src = SAMPLE.replace("I don't", "don't");
        let docs = read_conllu(&src).expect("parse");
        assert_eq!(docs.len(), 1);
        let raw = rebuild(&docs[0], " ");
        assert_eq!(raw.text, "don't know.");
        let forms: Vec<&str> = raw.words.iter().map(|s| &raw.text[s.range()]).collect();
        assert_eq!(forms, ["do", "n't", "know", "."]);
        let sc = segmentation_scores(&src, " ").expect("score");
        assert_eq!(sc.tokens.correct, 4);
        assert_eq!(sc.sentences.correct, 1);
        assert!((sc.tokens.f1() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn malformed_line_is_an_error() {
        let e = read_conllu("1\tdo\tdo\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
