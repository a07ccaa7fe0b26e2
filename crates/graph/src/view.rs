//! Bounds-safe read access to a [`Doc`]'s token layers. Every accessor
//! tolerates missing analysis layers (an unparsed document reads as untagged
//! tokens with no dependencies).

use petrel_doc::{Doc, Span, Upos};

pub(crate) struct View<'a> {
    pub doc: &'a Doc,
    /// Lowercased surface forms.
    pub lower: Vec<String>,
    /// Sentence token ranges; one range covering everything when the document
    /// has no sentences.
    pub sents: Vec<(u32, u32)>,
    /// Sentence index of each token.
    pub sent_of: Vec<usize>,
    parsed: bool,
}

impl<'a> View<'a> {
    pub fn new(doc: &'a Doc) -> View<'a> {
        let n = doc.tokens.len();
        let lower: Vec<String> = (0..n)
            .map(|i| {
                let t = doc.token_text(i);
                // Normalise curly apostrophes so "don’t" and "don't" agree.
                t.to_lowercase().replace('\u{2019}', "'")
            })
            .collect();
        let mut sents: Vec<(u32, u32)> = doc
            .sentences
            .iter()
            .map(|s| (s.tokens.start.min(n as u32), s.tokens.end.min(n as u32)))
            .filter(|(a, b)| a < b)
            .collect();
        if sents.is_empty() && n > 0 {
            sents.push((0, n as u32));
        }
        let mut sent_of = vec![0usize; n];
        for (k, &(a, b)) in sents.iter().enumerate() {
            for s in &mut sent_of[a as usize..b as usize] {
                *s = k;
            }
        }
        View {
            doc,
            lower,
            sents,
            sent_of,
            parsed: doc.tokens.is_parsed(),
        }
    }

    pub fn len(&self) -> usize {
        self.lower.len()
    }

    pub fn span(&self, i: usize) -> Span {
        self.doc.tokens.span.get(i).copied().unwrap_or_default()
    }

    pub fn lower(&self, i: usize) -> &str {
        self.lower.get(i).map(String::as_str).unwrap_or("")
    }

    pub fn text(&self, i: usize) -> &str {
        if i < self.len() {
            self.doc.token_text(i)
        } else {
            ""
        }
    }

    /// Lemma, or the lowercase form without a lemma layer.
    pub fn lemma(&self, i: usize) -> &str {
        match self.doc.tokens.lemma.get(i) {
            Some(l) if !l.is_empty() => l.as_str(),
            _ => self.lower(i),
        }
    }

    pub fn upos(&self, i: usize) -> Upos {
        self.doc.tokens.upos.get(i).copied().unwrap_or(Upos::X)
    }

    pub fn xpos(&self, i: usize) -> &str {
        self.doc
            .tokens
            .xpos
            .get(i)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        if !self.parsed {
            return None;
        }
        let h = self.doc.tokens.head.get(i).copied().flatten()? as usize;
        (h < self.len() && h != i).then_some(h)
    }

    pub fn deprel(&self, i: usize) -> &str {
        if !self.parsed {
            return "";
        }
        self.doc
            .tokens
            .deprel
            .get(i)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Base relation without subtype (`nsubj:pass` → `nsubj`).
    pub fn rel(&self, i: usize) -> &str {
        let d = self.deprel(i);
        d.split(':').next().unwrap_or(d)
    }

    pub fn sentence_range(&self, i: usize) -> (usize, usize) {
        let k = self.sent_of.get(i).copied().unwrap_or(0);
        self.sents
            .get(k)
            .map(|&(a, b)| (a as usize, b as usize))
            .unwrap_or((0, self.len()))
    }

    /// Dependents of `i` within its sentence, in surface order.
    pub fn children(&self, i: usize) -> Vec<usize> {
        let (a, b) = self.sentence_range(i);
        (a..b).filter(|&j| self.head(j) == Some(i)).collect()
    }

    /// Token range `[lo, hi]` (inclusive) of the subtree rooted at `i`,
    /// limited to its sentence. Cycles in a malformed parse are tolerated.
    pub fn subtree(&self, i: usize) -> (usize, usize) {
        let (a, b) = self.sentence_range(i);
        let (mut lo, mut hi) = (i, i);
        for j in a..b {
            if self.dominated_by(j, i) {
                lo = lo.min(j);
                hi = hi.max(j);
            }
        }
        (lo, hi)
    }

    /// Whether `anc` is `j` or one of its ancestors.
    pub fn dominated_by(&self, j: usize, anc: usize) -> bool {
        let mut cur = j;
        for _ in 0..64 {
            if cur == anc {
                return true;
            }
            match self.head(cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    }

    pub fn is_punct(&self, i: usize) -> bool {
        let t = self.text(i);
        !t.is_empty() && t.chars().all(|c| !c.is_alphanumeric())
    }

    /// Byte span of tokens `lo..=hi`.
    pub fn cover(&self, lo: usize, hi: usize) -> Span {
        self.span(lo).cover(self.span(hi))
    }

    /// First token whose span starts at or after byte `b`.
    pub fn token_at_or_after(&self, b: u32) -> usize {
        self.doc.tokens.span.partition_point(|s| s.start < b)
    }
}
