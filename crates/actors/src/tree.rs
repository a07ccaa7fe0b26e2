//! A defensive view of one sentence's dependency tree.
//!
//! Heads that point outside the sentence, at the token itself, or into a
//! cycle are tolerated: every traversal here carries a visited set, so no
//! tree shape can make it loop or panic.

use petrel_doc::{Doc, Upos};

/// Children lists and safe accessors for the tokens of one sentence.
/// All indices are document-global token indices.
#[derive(Debug, Clone)]
pub struct SentTree {
    pub start: u32,
    pub end: u32,
    children: Vec<Vec<u32>>,
}

impl SentTree {
    /// Builds the tree of the tokens `[start, end)`. Missing layers are
    /// treated as empty (every token a root, no labels).
    pub fn new(doc: &Doc, range: std::ops::Range<u32>) -> SentTree {
        let n = doc.tokens.len() as u32;
        let start = range.start.min(n);
        let end = range.end.min(n).max(start);
        let mut children = vec![Vec::new(); (end - start) as usize];
        for i in start..end {
            if let Some(h) = doc.tokens.head.get(i as usize).copied().flatten() {
                if h != i && h >= start && h < end {
                    children[(h - start) as usize].push(i);
                }
            }
        }
        SentTree {
            start,
            end,
            children,
        }
    }

    pub fn contains(&self, i: u32) -> bool {
        i >= self.start && i < self.end
    }

    /// Dependents of `i` in surface order (empty for tokens outside the sentence).
    pub fn children(&self, i: u32) -> &[u32] {
        if self.contains(i) {
            &self.children[(i - self.start) as usize]
        } else {
            &[]
        }
    }

    /// The head of `i` when it lies inside the sentence and is not `i` itself.
    pub fn head(&self, doc: &Doc, i: u32) -> Option<u32> {
        let h = doc.tokens.head.get(i as usize).copied().flatten()?;
        (h != i && self.contains(h)).then_some(h)
    }

    /// Tokens whose head is missing or outside the sentence.
    pub fn roots(&self, doc: &Doc) -> Vec<u32> {
        (self.start..self.end)
            .filter(|&i| self.head(doc, i).is_none())
            .collect()
    }

    /// Ancestors of `i`, nearest first, stopping at a cycle.
    pub fn ancestors(&self, doc: &Doc, i: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut cur = i;
        while let Some(h) = self.head(doc, cur) {
            if h == i || out.contains(&h) {
                break;
            }
            out.push(h);
            cur = h;
        }
        out
    }

    /// Whether `anc` dominates `i` (or is `i`).
    pub fn dominates(&self, doc: &Doc, anc: u32, i: u32) -> bool {
        anc == i || self.ancestors(doc, i).contains(&anc)
    }

    /// The subtree of `root` in surface order, not descending through
    /// dependents for which `skip(child)` is true (the root itself is always kept).
    pub fn subtree_filtered(&self, root: u32, mut skip: impl FnMut(u32) -> bool) -> Vec<u32> {
        let mut seen = vec![false; (self.end - self.start) as usize];
        let mut out = Vec::new();
        if !self.contains(root) {
            return out;
        }
        let mut stack = vec![root];
        while let Some(t) = stack.pop() {
            let k = (t - self.start) as usize;
            if seen[k] {
                continue;
            }
            seen[k] = true;
            out.push(t);
            for &c in self.children(t) {
                if !seen[(c - self.start) as usize] && !skip(c) {
                    stack.push(c);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The whole subtree of `root`, in surface order.
    pub fn subtree(&self, root: u32) -> Vec<u32> {
        self.subtree_filtered(root, |_| false)
    }
}

/// The dependency relation of token `i` (empty when the layer is missing).
pub fn deprel(doc: &Doc, i: u32) -> &str {
    doc.tokens
        .deprel
        .get(i as usize)
        .map(String::as_str)
        .unwrap_or("")
}

/// The relation without its subtype (`nmod:poss` → `nmod`).
pub fn base_rel(doc: &Doc, i: u32) -> &str {
    let r = deprel(doc, i);
    r.split(':').next().unwrap_or(r)
}

pub fn upos(doc: &Doc, i: u32) -> Upos {
    doc.tokens.upos.get(i as usize).copied().unwrap_or_default()
}

pub fn xpos(doc: &Doc, i: u32) -> &str {
    doc.tokens
        .xpos
        .get(i as usize)
        .map(String::as_str)
        .unwrap_or("")
}

/// Lowercased surface form.
pub fn lower(doc: &Doc, i: u32) -> String {
    if (i as usize) < doc.tokens.len() {
        // Curly apostrophes read as straight ones ("Israel’s").
        doc.token_text(i as usize)
            .to_lowercase()
            .replace('\u{2019}', "'")
    } else {
        String::new()
    }
}

/// Lowercased lemma, falling back to the lowercased surface form.
pub fn lemma(doc: &Doc, i: u32) -> String {
    match doc.tokens.lemma.get(i as usize) {
        Some(l) if !l.is_empty() && l != "_" => l.to_lowercase(),
        _ => lower(doc, i),
    }
}
