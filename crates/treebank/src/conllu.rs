//! CoNLL-U (Universal Dependencies v2) reading and writing.
//!
//! [`parse`] reads the ten-column format into plain [`Sentence`] values:
//! comments are kept verbatim, multiword-token lines (`1-2`) are kept apart
//! from the syntactic words, empty nodes (`1.1`, enhanced graphs only) are
//! skipped. [`to_doc`] turns sentences into a [`petrel_doc::Doc`] with the
//! text rebuilt from the forms and `SpaceAfter=No`, and the gold layers
//! filled; [`write_doc`] writes a `Doc`'s analysis back out.
//!
//! Errors name the line (1-based) and what was wrong.

use petrel_doc::{Doc, Sentence as DocSentence, Span, Upos};
use std::fmt;

/// A malformed line of CoNLL-U input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluError {
    /// 1-based line number in the input.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ConlluError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CoNLL-U line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ConlluError {}

/// One syntactic word (a line with an integer ID).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// 1-based position in the sentence.
    pub id: u32,
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// `Some(0)` for the root, `None` when the column is `_`.
    pub head: Option<u32>,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Word {
    /// Whether MISC says `SpaceAfter=No`.
    pub fn no_space_after(&self) -> bool {
        misc_has_no_space(&self.misc)
    }
}

/// A multiword token line (`3-4  don't ...`): the surface token over words
/// `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiwordToken {
    pub first: u32,
    pub last: u32,
    pub form: String,
    pub misc: String,
}

/// One sentence: its comment lines (without the leading `#`, trimmed), its
/// words and its multiword tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiword: Vec<MultiwordToken>,
    /// Line number of the sentence's first line (1-based).
    pub line: usize,
}

impl Sentence {
    /// Value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }
    pub fn sent_id(&self) -> Option<&str> {
        self.comment("sent_id")
    }
    pub fn text(&self) -> Option<&str> {
        self.comment("text")
    }
    /// Whether this sentence starts a new document (`# newdoc`).
    pub fn starts_document(&self) -> bool {
        self.comments.iter().any(|c| c.starts_with("newdoc"))
    }
    /// Whether this sentence starts a new paragraph (`# newpar`).
    pub fn starts_paragraph(&self) -> bool {
        self.comments.iter().any(|c| c.starts_with("newpar"))
    }
    /// The surface tokens in order: `(form, words covered, no space after)`.
    /// A multiword token covers several words; every other word is its own
    /// token.
    pub fn surface_tokens(&self) -> Vec<(&str, std::ops::Range<usize>, bool)> {
        let mut out = Vec::with_capacity(self.words.len());
        let mut i = 0;
        while i < self.words.len() {
            let id = self.words[i].id;
            if let Some(m) = self.multiword.iter().find(|m| m.first == id) {
                let n = (m.last - m.first + 1) as usize;
                let end = (i + n).min(self.words.len());
                out.push((m.form.as_str(), i..end, misc_has_no_space(&m.misc)));
                i = end;
            } else {
                let w = &self.words[i];
                out.push((w.form.as_str(), i..i + 1, w.no_space_after()));
                i += 1;
            }
        }
        out
    }
}

fn misc_has_no_space(misc: &str) -> bool {
    misc.split('|').any(|f| f == "SpaceAfter=No")
}

fn err(line: usize, message: impl Into<String>) -> ConlluError {
    ConlluError {
        line,
        message: message.into(),
    }
}

/// Parse CoNLL-U text. Sentences are separated by blank lines; a final
/// sentence without a trailing blank line is accepted.
pub fn parse(input: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut last_line = 0;
    for (k, raw) in input.lines().enumerate() {
        let ln = k + 1;
        last_line = ln;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                finish(&mut cur, ln)?;
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if cur.words.is_empty() && cur.comments.is_empty() && cur.multiword.is_empty() {
            cur.line = ln;
        }
        if let Some(c) = line.strip_prefix('#') {
            if !cur.words.is_empty() {
                return Err(err(
                    ln,
                    "comment line inside a sentence (missing blank line?)",
                ));
            }
            cur.comments.push(c.trim().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(
                ln,
                format!("expected 10 tab-separated columns, found {}", cols.len()),
            ));
        }
        let id = cols[0];
        if id.contains('.') {
            // Empty node of the enhanced graph: not part of the basic tree.
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let first = parse_id(a, ln)?;
            let last = parse_id(b, ln)?;
            if last < first {
                return Err(err(ln, format!("multiword token range {id:?} is reversed")));
            }
            cur.multiword.push(MultiwordToken {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let id = parse_id(id, ln)?;
        let expected = cur.words.len() as u32 + 1;
        if id != expected {
            return Err(err(
                ln,
                format!("word ID {id} out of sequence (expected {expected})"),
            ));
        }
        let head = match cols[6] {
            "_" => None,
            h => Some(parse_head(h, ln)?),
        };
        cur.words.push(Word {
            id,
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() || !cur.comments.is_empty() {
        finish(&mut cur, last_line + 1)?;
        out.push(cur);
    }
    Ok(out)
}

fn parse_id(s: &str, ln: usize) -> Result<u32, ConlluError> {
    match s.parse::<u32>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(err(
            ln,
            format!("bad ID {s:?} (expected a positive integer)"),
        )),
    }
}

fn parse_head(s: &str, ln: usize) -> Result<u32, ConlluError> {
    s.parse::<u32>()
        .map_err(|_| err(ln, format!("bad HEAD {s:?} (expected an integer or _)")))
}

fn finish(s: &mut Sentence, ln: usize) -> Result<(), ConlluError> {
    let n = s.words.len() as u32;
    for w in &s.words {
        if let Some(h) = w.head {
            if h > n {
                return Err(err(
                    s.line,
                    format!("sentence ending before line {ln}: word {} has HEAD {h} beyond the last word {n}", w.id),
                ));
            }
        }
    }
    for m in &s.multiword {
        if m.last > n {
            return Err(err(
                s.line,
                format!("sentence ending before line {ln}: multiword token {}-{} beyond the last word {n}", m.first, m.last),
            ));
        }
    }
    Ok(())
}

/// Build a [`Doc`] from sentences: the text is rebuilt from the surface
/// tokens (a space unless `SpaceAfter=No`, a newline between sentences, a
/// blank line before a new paragraph), one token per syntactic word, and the
/// gold lemma/UPOS/XPOS/head/deprel layers filled.
///
/// Words of a multiword token get sub-spans when their forms spell the token
/// (`do` + `n't` = `don't`); otherwise the first word gets the whole token
/// span and the others an empty span at its end. An unknown UPOS becomes
/// `X`; a missing HEAD becomes a root.
pub fn to_doc(id: &str, sentences: &[Sentence]) -> Doc {
    let mut doc = Doc::new(id, String::new());
    let mut text = String::new();
    for (k, s) in sentences.iter().enumerate() {
        if k > 0 {
            text.push_str(if s.starts_paragraph() { "\n\n" } else { "\n" });
        }
        let first_token = doc.tokens.span.len() as u32;
        let sent_start = text.len();
        let surface = s.surface_tokens();
        for (t, (form, words, no_space)) in surface.iter().enumerate() {
            let start = text.len();
            text.push_str(form);
            let end = text.len();
            let ws = &s.words[words.clone()];
            let spelled =
                ws.len() > 1 && ws.iter().map(|w| w.form.as_str()).collect::<String>() == *form;
            let mut pos = start;
            for (j, _w) in ws.iter().enumerate() {
                let span = if ws.len() == 1 {
                    Span::new(start, end)
                } else if spelled {
                    let l = ws[j].form.len();
                    pos += l;
                    Span::new(pos - l, pos)
                } else if j == 0 {
                    Span::new(start, end)
                } else {
                    Span::new(end, end)
                };
                doc.tokens.span.push(span);
            }
            if !no_space && t + 1 < surface.len() {
                text.push(' ');
            }
        }
        for w in &s.words {
            doc.tokens.lemma.push(w.lemma.clone());
            doc.tokens.upos.push(w.upos.parse().unwrap_or(Upos::X));
            doc.tokens.xpos.push(w.xpos.clone());
            doc.tokens.head.push(match w.head {
                Some(h) if h > 0 => Some(first_token + h - 1),
                _ => None,
            });
            doc.tokens.deprel.push(w.deprel.clone());
        }
        let last_token = doc.tokens.span.len() as u32;
        doc.sentences.push(DocSentence {
            span: Span::new(sent_start, text.len()),
            tokens: first_token..last_token,
        });
    }
    doc.text = text;
    doc
}

/// Write a column value, replacing characters CoNLL-U cannot carry.
fn col(out: &mut String, v: &str) {
    if v.is_empty() {
        out.push('_');
        return;
    }
    for c in v.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Write a [`Doc`]'s sentences as CoNLL-U: `# sent_id = <doc id>-<n>`,
/// `# text`, one line per token. Layers that are not filled are written as
/// `_`; FEATS and DEPS are always `_`. `SpaceAfter=No` is derived from the
/// offsets (no gap before the next token).
pub fn write_doc(doc: &Doc) -> String {
    let mut out = String::new();
    let t = &doc.tokens;
    let n = t.span.len();
    for (k, s) in doc.sentences.iter().enumerate() {
        out.push_str("# sent_id = ");
        out.push_str(if doc.id.is_empty() { "s" } else { &doc.id });
        out.push_str(&format!("-{}\n# text = ", k + 1));
        let txt: String = doc
            .span_text(s.span)
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        out.push_str(txt.trim());
        out.push('\n');
        let first = s.tokens.start as usize;
        let end = (s.tokens.end as usize).min(n);
        for i in first..end {
            out.push_str(&format!("{}\t", i - first + 1));
            col(&mut out, doc.token_text(i));
            out.push('\t');
            col(&mut out, t.lemma.get(i).map(String::as_str).unwrap_or(""));
            out.push('\t');
            col(&mut out, t.upos.get(i).map(|u| u.as_str()).unwrap_or(""));
            out.push('\t');
            col(&mut out, t.xpos.get(i).map(String::as_str).unwrap_or(""));
            out.push_str("\t_\t");
            match t.head.get(i) {
                Some(Some(h)) if (*h as usize) >= first && (*h as usize) < end => {
                    out.push_str(&(*h as usize - first + 1).to_string())
                }
                Some(_) if t.deprel.len() == n => out.push('0'),
                _ => out.push('_'),
            }
            out.push('\t');
            col(&mut out, t.deprel.get(i).map(String::as_str).unwrap_or(""));
            out.push_str("\t_\t");
            let no_space =
                i + 1 < n && t.span[i + 1].start == t.span[i].end && !t.span[i].is_empty();
            out.push_str(if no_space { "SpaceAfter=No" } else { "_" });
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Write sentences back as CoNLL-U (comments, multiword tokens, words).
pub fn write_sentences(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            out.push_str("# ");
            out.push_str(c);
            out.push('\n');
        }
        for w in &s.words {
            if let Some(m) = s.multiword.iter().find(|m| m.first == w.id) {
                out.push_str(&format!("{}-{}\t", m.first, m.last));
                col(&mut out, &m.form);
                out.push_str("\t_\t_\t_\t_\t_\t_\t_\t");
                col(&mut out, &m.misc);
                out.push('\n');
            }
            out.push_str(&format!("{}\t", w.id));
            for v in [&w.form, &w.lemma, &w.upos, &w.xpos, &w.feats] {
                col(&mut out, v);
                out.push('\t');
            }
            match w.head {
                Some(h) => out.push_str(&h.to_string()),
                None => out.push('_'),
            }
            for v in [&w.deprel, &w.deps, &w.misc] {
                out.push('\t');
                col(&mut out, v);
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# sent_id = s1\n# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tknew\tknow\tVERB\tVBD\t_\t_\t_\t4:conj\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\
\n\
# sent_id = s2\n\
1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_\n";

    #[test]
    fn parses_words_multiword_and_skips_empty_nodes() {
        let s = parse(SAMPLE).expect("sample parses");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words.len(), 5);
        assert_eq!(s[0].multiword.len(), 1);
        assert_eq!(s[0].sent_id(), Some("s1"));
        assert_eq!(s[0].text(), Some("I don't know."));
        assert!(s[0].starts_document());
        assert_eq!(s[0].words[3].head, Some(0));
        assert!(s[0].words[3].no_space_after());
        assert_eq!(s[1].words[0].form, "Yes");
        assert_eq!(s[1].line, 12);
    }

    #[test]
    fn to_doc_rebuilds_text_and_layers() {
        let s = parse(SAMPLE).expect("sample parses");
        let d = to_doc("d1", &s);
        assert_eq!(d.text, "I don't know.\nYes");
        assert_eq!(d.tokens.len(), 6);
        assert_eq!(d.token_text(1), "do");
        assert_eq!(d.token_text(2), "n't");
        assert_eq!(d.token_text(4), ".");
        assert_eq!(d.tokens.head[0], Some(3));
        assert_eq!(d.tokens.head[3], None);
        assert_eq!(d.tokens.head[5], None);
        assert_eq!(d.tokens.upos[1], Upos::Aux);
        assert_eq!(d.sentences[1].tokens, 5..6);
        assert_eq!(d.span_text(d.sentences[0].span), "I don't know.");
    }

    #[test]
    fn write_doc_round_trips_analysis() {
        let s = parse(SAMPLE).expect("sample parses");
        let d = to_doc("d1", &s);
        let w = write_doc(&d);
        let back = parse(&w).expect("written output parses");
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].text(), Some("I don't know."));
        let heads: Vec<_> = back[0].words.iter().map(|w| w.head).collect();
        assert_eq!(heads, vec![Some(4), Some(4), Some(4), Some(0), Some(4)]);
        assert!(back[0].words[1].no_space_after());
        assert!(back[0].words[3].no_space_after());
        assert!(!back[0].words[0].no_space_after());
        let d2 = to_doc("d1", &back);
        assert_eq!(d2.tokens.deprel, d.tokens.deprel);
    }

    #[test]
    fn write_sentences_round_trips() {
        let s = parse(SAMPLE).expect("sample parses");
        let again = parse(&write_sentences(&s)).expect("re-parses");
        assert_eq!(again.len(), s.len());
        for (a, b) in again.iter().zip(&s) {
            assert_eq!(a.words, b.words);
            assert_eq!(a.multiword, b.multiword);
            assert_eq!(a.comments, b.comments);
        }
    }

    #[test]
    fn errors_name_the_line() {
        let e =
            parse("1\tA\ta\tX\tX\t_\t0\troot\t_\t_\n3\tB\tb\tX\tX\t_\t1\tdep\t_\t_\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("1\tA\ta\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().contains("10 tab-separated"));
        let e = parse("1\tA\ta\tX\tX\t_\t7\troot\t_\t_\n").unwrap_err();
        assert!(e.message.contains("HEAD 7"));
        let e = parse("1\tA\ta\tX\tX\t_\tz\troot\t_\t_\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn unspelled_multiword_gets_whole_span_then_empty() {
        let src = "1-2\tdel\t_\t_\t_\t_\t_\t_\t_\t_\n1\tde\tde\tADP\t_\t_\t0\troot\t_\t_\n2\tel\tel\tDET\t_\t_\t1\tdet\t_\t_\n";
        let d = to_doc("x", &parse(src).expect("parses"));
        assert_eq!(d.text, "del");
        assert_eq!(d.token_text(0), "del");
        assert!(d.tokens.span[1].is_empty());
    }
}
