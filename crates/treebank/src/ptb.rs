//! Penn Treebank bracketed trees: reading, and conversion to Universal
//! Dependencies.
//!
//! [`parse_tree`] / [`parse_trees`] read CoreNLP/PTB-style brackets such as
//! `(ROOT (S (NP (NNP Arnor)) (VP (VBD left)) (. .)))`; an unlabeled outer
//! wrapper `( (S ...) )` is read as `ROOT`. Empty elements (`-NONE-`) are
//! dropped at conversion. Errors give the line and column.
//!
//! [`to_doc`] / [`trees_to_doc`] convert to dependencies with head rules in
//! the style of Collins and the Stanford converter, but with UD content
//! heads: the main verb heads its auxiliaries, the predicate heads a copula,
//! a preposition is a `case` dependent of its noun, the first conjunct heads
//! a coordination (`cc` and commas attach to the following conjunct). Labels
//! are the UD relations the coder relies on: `nsubj`, `nsubj:pass`, `obj`,
//! `iobj`, `obl`, `obl:agent`, `obl:tmod`, `nmod`, `nmod:poss`, `case`,
//! `det`, `amod`, `compound`, `conj`, `cc`, `aux`, `aux:pass`, `cop`, `mark`,
//! `advmod`, `xcomp`, `ccomp`, `acl`, `acl:relcl`, `advcl`, `appos`,
//! `nummod`, `punct`, `compound:prt`, `expl`, `obl:npmod`, `nmod:tmod`,
//! `parataxis`, `discourse`, `root`, with `dep` for
//! configurations no rule covers. UPOS is derived from the Penn tag and the
//! relation; lemmas come from `petrel_text::lemmatize`.

use petrel_doc::{Doc, Sentence, Span, Upos};
use std::fmt;

/// Deepest bracket nesting accepted.
const MAX_DEPTH: usize = 400;

/// A constituency tree. A preterminal has a `word` and no children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tree {
    /// Category or POS tag as written (`NP-SBJ-1`, `NNP`, `-LRB-`); `ROOT`
    /// for an unlabeled outer wrapper.
    pub label: String,
    /// The word of a preterminal, as written (escapes such as `-LRB-` kept).
    pub word: Option<String>,
    pub children: Vec<Tree>,
}

impl Tree {
    /// Whether this node is a POS tag over a word.
    pub fn is_preterminal(&self) -> bool {
        self.word.is_some()
    }

    /// (tag, word) of every leaf in order, words as written.
    pub fn leaves(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(t) = stack.pop() {
            if let Some(w) = &t.word {
                out.push((t.label.as_str(), w.as_str()));
            } else {
                stack.extend(t.children.iter().rev());
            }
        }
        out
    }
}

impl fmt::Display for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.word {
            Some(w) => write!(f, "({} {})", self.label, w),
            None => {
                write!(f, "({}", self.label)?;
                for c in &self.children {
                    write!(f, " {c}")?;
                }
                write!(f, ")")
            }
        }
    }
}

/// Malformed bracketed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtbError {
    /// 1-based line and column (in characters) where the problem was found.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for PtbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PTB tree, line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for PtbError {}

fn error_at(s: &str, offset: usize, message: impl Into<String>) -> PtbError {
    let before = &s[..offset.min(s.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    PtbError {
        line,
        column,
        message: message.into(),
    }
}

#[derive(Debug)]
enum Tok<'a> {
    Open(usize),
    Close(usize),
    Atom(usize, &'a str),
}

fn lex(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => {
                out.push(Tok::Open(i));
                i += 1;
            }
            b')' => {
                out.push(Tok::Close(i));
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b'(' | b')') && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                out.push(Tok::Atom(start, &s[start..i]));
            }
        }
    }
    out
}

struct Frame {
    label: Option<String>,
    word: Option<String>,
    children: Vec<Tree>,
    open: usize,
}

/// Parses every tree in `s` (one after another, any whitespace between).
pub fn parse_trees(s: &str) -> Result<Vec<Tree>, PtbError> {
    let mut trees = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for tok in lex(s) {
        match tok {
            Tok::Open(at) => {
                if let Some(top) = stack.last() {
                    if top.word.is_some() {
                        return Err(error_at(
                            s,
                            at,
                            "a preterminal (tag and word) cannot have children",
                        ));
                    }
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        s,
                        at,
                        format!("brackets nested deeper than {MAX_DEPTH}"),
                    ));
                }
                stack.push(Frame {
                    label: None,
                    word: None,
                    children: Vec::new(),
                    open: at,
                });
            }
            Tok::Atom(at, a) => {
                let Some(top) = stack.last_mut() else {
                    return Err(error_at(s, at, format!("text {a:?} outside brackets")));
                };
                if top.label.is_none() && top.children.is_empty() {
                    top.label = Some(a.to_string());
                } else if top.word.is_none() && top.children.is_empty() {
                    top.word = Some(a.to_string());
                } else if top.word.is_some() {
                    return Err(error_at(
                        s,
                        at,
                        format!("a preterminal has a single word; extra {a:?}"),
                    ));
                } else {
                    return Err(error_at(
                        s,
                        at,
                        format!("word {a:?} mixed with constituents"),
                    ));
                }
            }
            Tok::Close(at) => {
                let Some(f) = stack.pop() else {
                    return Err(error_at(s, at, "unbalanced ')'"));
                };
                let tree = match (f.label, f.word) {
                    (Some(label), Some(word)) => Tree {
                        label,
                        word: Some(word),
                        children: Vec::new(),
                    },
                    (label, None) => {
                        if f.children.is_empty() {
                            let what = label
                                .map(|l| format!("constituent {l:?}"))
                                .unwrap_or_else(|| "'()'".into());
                            return Err(error_at(s, f.open, format!("empty {what}")));
                        }
                        Tree {
                            label: label.unwrap_or_else(|| "ROOT".to_string()),
                            word: None,
                            children: f.children,
                        }
                    }
                    (None, Some(_)) => return Err(error_at(s, at, "word without a tag")),
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(tree),
                    None => trees.push(tree),
                }
            }
        }
    }
    if let Some(f) = stack.last() {
        return Err(error_at(s, f.open, "'(' never closed"));
    }
    Ok(trees)
}

/// Parses exactly one tree.
pub fn parse_tree(s: &str) -> Result<Tree, PtbError> {
    let mut trees = parse_trees(s)?;
    match trees.len() {
        0 => Err(error_at(s, 0, "no tree in input")),
        1 => Ok(trees.remove(0)),
        n => Err(error_at(
            s,
            s.len(),
            format!("expected one tree, found {n}"),
        )),
    }
}

/// Undoes PTB escapes in a word (`-LRB-` → `(`, `\/` → `/`, ``` `` ``` → `"`).
pub fn unescape_word(w: &str) -> String {
    match w {
        "-LRB-" | "-lrb-" => "(".into(),
        "-RRB-" | "-rrb-" => ")".into(),
        "-LSB-" | "-lsb-" => "[".into(),
        "-RSB-" | "-rsb-" => "]".into(),
        "-LCB-" | "-lcb-" => "{".into(),
        "-RCB-" | "-rcb-" => "}".into(),
        "``" | "''" => "\"".into(),
        _ => w.replace("\\/", "/").replace("\\*", "*"),
    }
}

/// Penn tag for the `AUX*` tags some parsers emit (`AUXD` → `VBD`).
fn normalize_tag(t: &str) -> &str {
    match t {
        "AUX" | "AUXB" => "VB",
        "AUXD" => "VBD",
        "AUXZ" => "VBZ",
        "AUXP" => "VBP",
        "AUXG" => "VBG",
        "AUXN" => "VBN",
        _ => t,
    }
}

// ---------------------------------------------------------------------------
// Conversion

#[derive(Debug)]
struct Node {
    /// Base category (`NP` for `NP-SBJ-1`), or the normalised tag of a preterminal.
    label: String,
    ft: FuncTags,
    children: Vec<usize>,
    /// Token index for a preterminal.
    leaf: Option<usize>,
    head_child: usize,
    head_tok: usize,
    parent: Option<usize>,
}

struct Conv {
    nodes: Vec<Node>,
    words: Vec<String>,
    lower: Vec<String>,
    tags: Vec<String>,
    head: Vec<Option<usize>>,
    deprel: Vec<String>,
}

/// PTB function tags the conversion uses (`NP-SBJ`, `PP-LGS`, `NP-PRD`, `NP-TMP`).
#[derive(Debug, Clone, Copy, Default)]
struct FuncTags {
    tmp: bool,
    sbj: bool,
    lgs: bool,
    prd: bool,
}

fn base_label(l: &str) -> (String, FuncTags) {
    let mut ft = FuncTags::default();
    if l.starts_with('-') || l.len() <= 1 {
        return (l.to_string(), ft);
    }
    let core = l.split(['=']).next().unwrap_or(l);
    let mut parts = core.split('-');
    let base = parts.next().unwrap_or(core).to_string();
    for p in parts {
        match p {
            "TMP" => ft.tmp = true,
            "SBJ" => ft.sbj = true,
            "LGS" => ft.lgs = true,
            "PRD" => ft.prd = true,
            _ => {}
        }
    }
    (base, ft)
}

fn is_punct_tag(t: &str) -> bool {
    matches!(
        t,
        "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-" | "HYPH" | "NFP" | "-NONE-"
    )
}

fn is_verb_tag(t: &str) -> bool {
    matches!(t, "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" | "MD")
}

fn is_noun_tag(t: &str) -> bool {
    matches!(t, "NN" | "NNS" | "NNP" | "NNPS" | "FW")
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "be" | "is" | "are" | "was" | "were" | "been" | "being" | "am" | "'s" | "'re" | "'m" | "s"
    )
}

fn is_get(w: &str) -> bool {
    matches!(w, "get" | "gets" | "got" | "gotten" | "getting")
}

fn is_clause(l: &str) -> bool {
    matches!(l, "S" | "SINV" | "SQ" | "SBARQ")
}

fn is_nominal(l: &str) -> bool {
    matches!(l, "NP" | "NX" | "NML" | "WHNP" | "NAC")
}

const ADVERBIAL_MARKERS: &[&str] = &[
    "after", "before", "because", "while", "when", "whenever", "since", "although", "though",
    "unless", "until", "till", "as", "once", "whereas", "if", "so", "lest", "than", "where",
    "wherever", "despite", "without", "upon",
];

impl Conv {
    fn build(tree: &Tree) -> Option<Conv> {
        let mut c = Conv {
            nodes: Vec::new(),
            words: Vec::new(),
            lower: Vec::new(),
            tags: Vec::new(),
            head: Vec::new(),
            deprel: Vec::new(),
        };
        let root = c.add(tree)?;
        c.head = vec![None; c.words.len()];
        c.deprel = vec![String::new(); c.words.len()];
        c.find_heads(root);
        c.label(root);
        let r = c.nodes[root].head_tok;
        c.head[r] = None;
        c.deprel[r] = "root".into();
        Some(c)
    }

    /// Adds a subtree to the arena (dropping empty elements); returns its id.
    fn add(&mut self, t: &Tree) -> Option<usize> {
        if let Some(w) = &t.word {
            if t.label == "-NONE-" {
                return None;
            }
            let tag = normalize_tag(&t.label).to_string();
            let word = unescape_word(w);
            let tok = self.words.len();
            self.lower.push(word.to_lowercase().replace('’', "'"));
            self.words.push(word);
            self.tags.push(tag.clone());
            self.nodes.push(Node {
                label: tag,
                ft: FuncTags::default(),
                children: Vec::new(),
                leaf: Some(tok),
                head_child: 0,
                head_tok: tok,
                parent: None,
            });
            return Some(self.nodes.len() - 1);
        }
        let kids: Vec<usize> = t.children.iter().filter_map(|c| self.add(c)).collect();
        if kids.is_empty() {
            return None;
        }
        if kids.len() == 1 && t.label == "ROOT" {
            return Some(kids[0]);
        }
        let (label, ft) = base_label(&t.label);
        let id = self.nodes.len();
        for &k in &kids {
            self.nodes[k].parent = Some(id);
        }
        self.nodes.push(Node {
            label,
            ft,
            children: kids,
            leaf: None,
            head_child: 0,
            head_tok: 0,
            parent: None,
        });
        Some(id)
    }

    fn lab(&self, n: usize) -> &str {
        &self.nodes[n].label
    }

    fn is_punct(&self, n: usize) -> bool {
        match self.nodes[n].leaf {
            Some(_) => is_punct_tag(self.lab(n)),
            None => self.nodes[n].children.iter().all(|&c| self.is_punct(c)),
        }
    }

    fn word(&self, n: usize) -> Option<&str> {
        self.nodes[n].leaf.map(|t| self.lower[t].as_str())
    }

    fn head_tag(&self, n: usize) -> &str {
        &self.tags[self.nodes[n].head_tok]
    }

    /// Coordination: the children split into conjunct segments at CC/CONJP
    /// (and the commas of a list), if the node coordinates.
    fn segments(&self, n: usize) -> Option<Vec<Vec<usize>>> {
        let kids = &self.nodes[n].children;
        let l = self.lab(n);
        if self.nodes[n].leaf.is_some()
            || matches!(l, "PRN" | "QP" | "CONJP" | "ROOT" | "SBAR" | "WHADVP")
        {
            return None;
        }
        let first = kids
            .iter()
            .position(|&c| !self.is_punct(c) && !matches!(self.lab(c), "CC" | "DT"))?;
        let is_sep = |c: usize| matches!(self.lab(c), "CC" | "CONJP");
        let has_cc = kids[first + 1..].iter().enumerate().any(|(k, &c)| {
            is_sep(c)
                && kids[first + 1 + k + 1..]
                    .iter()
                    .any(|&d| !self.is_punct(d) && !is_sep(d))
        });
        if !has_cc {
            return None;
        }
        let mut segs: Vec<Vec<usize>> = Vec::new();
        let mut cur: Vec<usize> = Vec::new();
        for (k, &c) in kids.iter().enumerate() {
            let sep = k > first && (is_sep(c) || matches!(self.lab(c), "," | ":"));
            if sep {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push(k);
            }
        }
        if !cur.is_empty() {
            segs.push(cur);
        }
        // Trailing punctuation alone is no conjunct.
        segs.retain(|s| s.iter().any(|&k| !self.is_punct(kids[k])));
        (segs.len() >= 2).then_some(segs)
    }

    fn find_heads(&mut self, n: usize) {
        if self.nodes[n].leaf.is_some() {
            return;
        }
        let kids = self.nodes[n].children.clone();
        for &c in &kids {
            self.find_heads(c);
        }
        let all: Vec<usize> = (0..kids.len()).collect();
        let hc = match self.segments(n) {
            Some(segs) => self.head_among(n, &segs[0]),
            None => self.head_among(n, &all),
        };
        self.nodes[n].head_child = hc;
        self.nodes[n].head_tok = self.nodes[kids[hc]].head_tok;
    }

    /// Head child (position among the node's children) chosen among `ps`.
    fn head_among(&self, n: usize, ps: &[usize]) -> usize {
        let kids = &self.nodes[n].children;
        let lab = |k: usize| self.lab(kids[k]);
        let content: Vec<usize> = ps
            .iter()
            .copied()
            .filter(|&k| !self.is_punct(kids[k]))
            .collect();
        let ps: &[usize] = if content.is_empty() { ps } else { &content };
        let first = |pred: &dyn Fn(&str) -> bool| ps.iter().copied().find(|&k| pred(lab(k)));
        let last = |pred: &dyn Fn(&str) -> bool| ps.iter().rev().copied().find(|&k| pred(lab(k)));
        let fallback = ps.first().copied().unwrap_or(0);
        match self.lab(n) {
            "S" | "SINV" | "SQ" => first(&|l| l == "VP")
                .or_else(|| {
                    let np = first(&is_nominal)?;
                    ps.iter()
                        .copied()
                        .find(|&k| k > np && matches!(lab(k), "ADJP" | "PP" | "NP" | "ADVP"))
                })
                .or_else(|| first(&|l| is_clause(l) || matches!(l, "SBAR" | "FRAG" | "UCP")))
                .or_else(|| first(&|l| is_verb_tag(l)))
                .or_else(|| first(&is_nominal))
                .unwrap_or(fallback),
            "SBARQ" => first(&|l| is_clause(l) || l == "FRAG").unwrap_or(fallback),
            "SBAR" => first(&|l| is_clause(l) || matches!(l, "SBAR" | "FRAG"))
                .or_else(|| first(&|l| l == "VP" || is_nominal(l)))
                .or_else(|| ps.last().copied())
                .unwrap_or(fallback),
            "VP" => self.vp_head(n, ps),
            "PP" | "WHPP" => {
                let prep = first(&|l| matches!(l, "IN" | "TO" | "RP" | "VBG" | "VBN" | "JJ"));
                let obj = |from: usize| {
                    ps.iter().copied().find(|&k| {
                        k > from
                            && (is_nominal(lab(k))
                                || is_clause(lab(k))
                                || matches!(
                                    lab(k),
                                    "SBAR" | "ADJP" | "ADVP" | "PP" | "VP" | "QP" | "CD" | "PRP"
                                )
                                || is_noun_tag(lab(k)))
                    })
                };
                match prep {
                    Some(p) => obj(p).unwrap_or(p),
                    None => first(&|l| is_nominal(l) || l == "PP").unwrap_or(fallback),
                }
            }
            "NP" | "NX" | "NML" | "WHNP" | "NAC" => {
                let f = ps[0];
                let possessive = |k: usize| {
                    let ch = &self.nodes[kids[k]].children;
                    ch.last().is_some_and(|&c| self.lab(c) == "POS")
                };
                if ps.len() >= 2 && matches!(lab(f), "NP" | "NML" | "NX") && !possessive(f) {
                    return f;
                }
                last(&|l| is_noun_tag(l) || matches!(l, "NX" | "NML"))
                    .or_else(|| first(&|l| l == "NP"))
                    .or_else(|| last(&|l| matches!(l, "$" | "#" | "ADJP" | "PRN")))
                    .or_else(|| last(&|l| matches!(l, "CD" | "QP")))
                    .or_else(|| {
                        last(&|l| {
                            matches!(
                                l,
                                "PRP"
                                    | "WP"
                                    | "WDT"
                                    | "EX"
                                    | "DT"
                                    | "JJ"
                                    | "JJS"
                                    | "JJR"
                                    | "RB"
                                    | "VBG"
                                    | "VBN"
                            )
                        })
                    })
                    .unwrap_or_else(|| ps.last().copied().unwrap_or(0))
            }
            "ADJP" | "WHADJP" => first(&|l| matches!(l, "JJ" | "JJR" | "JJS" | "VBN" | "VBG"))
                .or_else(|| first(&|l| l == "ADJP"))
                .or_else(|| first(&|l| is_noun_tag(l) || matches!(l, "CD" | "QP" | "NP")))
                .or_else(|| last(&|l| matches!(l, "RB" | "RBR" | "RBS" | "ADVP")))
                .unwrap_or(fallback),
            "ADVP" | "WHADVP" => {
                // Last adverb of the leading run: "almost entirely".
                let mut h = None;
                for &k in ps {
                    if matches!(lab(k), "RB" | "RBR" | "RBS" | "WRB") {
                        h = Some(k);
                    } else if h.is_some() {
                        break;
                    }
                }
                h.or_else(|| first(&|l| matches!(l, "ADVP" | "JJ" | "IN" | "NP" | "RP")))
                    .unwrap_or(fallback)
            }
            "QP" => last(&|l| l == "CD")
                .or_else(|| last(&|l| is_noun_tag(l) || l == "$"))
                .unwrap_or(fallback),
            "PRT" => first(&|l| l == "RP").unwrap_or(fallback),
            "ROOT" | "FRAG" | "X" | "RRC" | "UCP" | "INTJ" | "LST" => first(&|l| {
                is_clause(l)
                    || matches!(
                        l,
                        "VP" | "NP" | "ADJP" | "PP" | "SBAR" | "ADVP" | "UH" | "INTJ"
                    )
            })
            .unwrap_or(fallback),
            _ => fallback,
        }
    }

    fn vp_head(&self, n: usize, ps: &[usize]) -> usize {
        let kids = &self.nodes[n].children;
        let lab = |k: usize| self.lab(kids[k]);
        let fallback = ps.first().copied().unwrap_or(0);
        let verb = ps
            .iter()
            .copied()
            .find(|&k| is_verb_tag(lab(k)) || lab(k) == "TO");
        let vp = ps
            .iter()
            .copied()
            .find(|&k| lab(k) == "VP" && verb.is_none_or(|v| v < k));
        if let (Some(v), Some(q)) = (verb, vp) {
            if v < q {
                return q;
            }
        }
        if verb.is_none() {
            if let Some(q) = vp {
                return q;
            }
        }
        if let Some(v) = verb {
            let w = self.word(kids[v]).unwrap_or("");
            if is_be(w) && lab(v) != "MD" && !self.existential(n) {
                let after = |pred: &dyn Fn(&str) -> bool| {
                    ps.iter().copied().find(|&k| k > v && pred(lab(k)))
                };
                let clausal = after(&|l| is_clause(l) || matches!(l, "SBAR" | "VP"));
                let marked = ps
                    .iter()
                    .copied()
                    .find(|&k| k > v && self.nodes[kids[k]].ft.prd);
                let pred = marked
                    .or_else(|| after(&|l| matches!(l, "ADJP" | "JJ" | "JJR" | "JJS")))
                    .or_else(|| {
                        ps.iter()
                            .copied()
                            .find(|&k| k > v && is_nominal(lab(k)) && !self.nodes[kids[k]].ft.tmp)
                    })
                    .or_else(|| {
                        if clausal.is_none() {
                            after(&|l| l == "PP")
                        } else {
                            None
                        }
                    });
                if let Some(p) = pred {
                    return p;
                }
            }
            return v;
        }
        ps.iter()
            .copied()
            .find(|&k| is_clause(lab(k)) || lab(k) == "SBAR")
            .or_else(|| ps.iter().copied().find(|&k| !self.is_punct(kids[k])))
            .unwrap_or(fallback)
    }

    /// Whether the clause above VP `n` has an expletive subject ("there is").
    fn existential(&self, n: usize) -> bool {
        let Some(p) = self.nodes[n].parent else {
            return false;
        };
        self.nodes[p]
            .children
            .iter()
            .any(|&c| is_nominal(self.lab(c)) && self.tags[self.nodes[c].head_tok] == "EX")
    }

    /// Whether VP `n` is headed by a past participle (directly, or through
    /// coordinated VPs).
    fn participle_vp(&self, n: usize) -> bool {
        let node = &self.nodes[n];
        if node.label != "VP" || node.leaf.is_some() {
            return false;
        }
        let h = node.children[node.head_child];
        match self.nodes[h].leaf {
            Some(t) => self.tags[t] == "VBN",
            None => self.lab(h) == "VP" && self.segments(n).is_some() && self.participle_vp(h),
        }
    }

    /// Whether the VP chain under clause `s` is passive ("was attacked",
    /// "will be attacked", "got arrested").
    fn clause_passive(&self, s: usize) -> bool {
        let node = &self.nodes[s];
        let Some(&vp) = node.children.iter().find(|&&c| self.lab(c) == "VP") else {
            return false;
        };
        self.vp_passive(vp, 0)
    }

    fn vp_passive(&self, vp: usize, depth: usize) -> bool {
        if depth > 12 {
            return false;
        }
        let kids = &self.nodes[vp].children;
        let aux = kids.iter().position(|&c| {
            self.nodes[c].leaf.is_some() && (is_verb_tag(self.lab(c)) || self.lab(c) == "TO")
        });
        let inner = kids.iter().position(|&c| self.lab(c) == "VP");
        match (aux, inner) {
            (Some(a), Some(i)) if a < i => {
                let w = self.word(kids[a]).unwrap_or("");
                if (is_be(w) || is_get(w)) && self.participle_vp(kids[i]) {
                    true
                } else {
                    self.vp_passive(kids[i], depth + 1)
                }
            }
            (None, Some(i)) => self.vp_passive(kids[i], depth + 1),
            _ => false,
        }
    }

    /// Whether clause `s` has a subject before its predicate.
    fn has_subject(&self, s: usize) -> bool {
        let node = &self.nodes[s];
        if !is_clause(&node.label) {
            return false;
        }
        let h = node.head_child;
        node.children[..h]
            .iter()
            .any(|&c| is_nominal(self.lab(c)) && !self.nodes[c].ft.tmp)
    }

    /// Whether clause `s` is an infinitive ("to attack").
    fn infinitival(&self, s: usize) -> bool {
        let mut n = s;
        for _ in 0..4 {
            let node = &self.nodes[n];
            if node.leaf.is_some() {
                return false;
            }
            if let Some(&vp) = node.children.iter().find(|&&c| self.lab(c) == "VP") {
                let kids = &self.nodes[vp].children;
                if kids.iter().any(|&c| self.lab(c) == "TO") {
                    return true;
                }
                n = vp;
            } else {
                return false;
            }
        }
        false
    }

    /// First word of an SBAR's complementizer, and whether it has a WH phrase.
    /// A leading "five years" or "even" before the marker is skipped.
    fn complementizer(&self, sbar: usize) -> (Option<&str>, bool) {
        let mut wh = false;
        let mut comp = None;
        for &c in &self.nodes[sbar].children {
            let l = self.lab(c);
            if l.starts_with("WH") {
                wh = true;
                comp = comp.or_else(|| self.word(self.first_leaf(c)));
            } else if matches!(l, "IN" | "DT" | "WDT") && comp.is_none() {
                comp = self.word(c);
            } else if matches!(l, "RB" | "ADVP" | "NP") && comp.is_none() {
                // "even if", "five years after": modifiers of the marker.
                continue;
            } else if !self.is_punct(c) {
                break;
            }
        }
        (comp, wh)
    }

    fn first_leaf(&self, mut n: usize) -> usize {
        while let Some(&c) = self.nodes[n].children.first() {
            n = c;
        }
        n
    }

    fn comma_between(&self, n: usize, a: usize, b: usize) -> bool {
        let kids = &self.nodes[n].children;
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        kids[lo + 1..hi]
            .iter()
            .any(|&c| matches!(self.lab(c), "," | ":"))
    }

    fn attach(&mut self, dep_node: usize, head_tok: usize, rel: &str) {
        let t = self.nodes[dep_node].head_tok;
        if t != head_tok {
            self.head[t] = Some(head_tok);
            self.deprel[t] = rel.to_string();
        }
    }

    /// Assigns heads and relations to all non-head children, top-down.
    fn label(&mut self, n: usize) {
        if self.nodes[n].leaf.is_some() {
            return;
        }
        let kids = self.nodes[n].children.clone();
        let all: Vec<usize> = (0..kids.len()).collect();
        let segs = self.segments(n);
        let groups: Vec<Vec<usize>> = match &segs {
            Some(s) => s.clone(),
            None => vec![all.clone()],
        };
        let seg_heads: Vec<usize> = groups.iter().map(|g| self.head_among(n, g)).collect();
        let head_tok = self.nodes[n].head_tok;
        for (g, group) in groups.iter().enumerate() {
            let h = seg_heads[g];
            let htok = self.nodes[kids[h]].head_tok;
            if g > 0 {
                self.attach(kids[h], head_tok, "conj");
            }
            for &k in group {
                if k == h {
                    continue;
                }
                let rel = self.relation(n, h, k);
                self.attach(kids[k], htok, &rel);
            }
        }
        if segs.is_some() {
            // Separators: cc/punct of the following conjunct (UD v2).
            let in_group: Vec<bool> = (0..kids.len())
                .map(|k| groups.iter().any(|g| g.contains(&k)))
                .collect();
            for k in 0..kids.len() {
                if in_group[k] {
                    continue;
                }
                let next = groups
                    .iter()
                    .zip(&seg_heads)
                    .find(|(g, _)| g[0] > k)
                    .map(|(_, &h)| h);
                let target = next
                    .map(|h| self.nodes[kids[h]].head_tok)
                    .unwrap_or(head_tok);
                let rel = if self.is_punct(kids[k]) {
                    "punct"
                } else {
                    "cc"
                };
                self.attach(kids[k], target, rel);
            }
        }
        for &c in &kids {
            self.label(c);
        }
    }

    /// Relation of child `d` to head child `h` (positions among `n`'s children).
    fn relation(&self, n: usize, h: usize, d: usize) -> String {
        let kids = &self.nodes[n].children;
        let (hn, dn) = (kids[h], kids[d]);
        if self.is_punct(dn) {
            return "punct".into();
        }
        let dl = self.lab(dn).to_string();
        if matches!(dl.as_str(), "CC" | "CONJP") {
            return "cc".into();
        }
        match self.lab(n) {
            "S" | "SINV" | "SQ" | "SBARQ" | "VP" | "FRAG" | "RRC" | "X" | "UCP" => {
                self.clause_rel(n, h, d)
            }
            "NP" | "NX" | "NML" | "WHNP" | "NAC" => self.np_rel(n, h, d),
            "PP" | "WHPP" => {
                let clausal = is_clause(self.lab(hn)) || matches!(self.lab(hn), "SBAR" | "VP");
                match dl.as_str() {
                    "IN" | "TO" | "RP" | "VBG" | "VBN" | "JJ" if d < h => {
                        if clausal {
                            "mark"
                        } else {
                            "case"
                        }
                    }
                    "RB" | "RBR" | "RBS" | "ADVP" => "advmod",
                    "PP" => "nmod",
                    _ if is_nominal(&dl) && d < h => "obl:npmod",
                    _ => "dep",
                }
                .into()
            }
            "SBAR" => match dl.as_str() {
                "IN" | "DT" | "WDT" => "mark".into(),
                "WHNP" => {
                    if self.has_subject(hn) {
                        "obj".into()
                    } else if self.clause_passive(hn) {
                        "nsubj:pass".into()
                    } else {
                        "nsubj".into()
                    }
                }
                "WHADVP" | "RB" | "ADVP" => "advmod".into(),
                "WHPP" => "obl".into(),
                // "five years after ...": a measure phrase.
                _ if is_nominal(&dl) => "obl:npmod".into(),
                _ => "dep".into(),
            },
            "ADJP" | "WHADJP" | "ADVP" | "WHADVP" => match dl.as_str() {
                "RB" | "RBR" | "RBS" | "ADVP" | "WRB" => "advmod".into(),
                "PP" => "obl".into(),
                "S" => {
                    if self.infinitival(dn) {
                        "xcomp".into()
                    } else {
                        "ccomp".into()
                    }
                }
                "SBAR" => "advcl".into(),
                "JJ" | "JJR" | "JJS" | "ADJP" => "amod".into(),
                "CD" | "QP" => "nummod".into(),
                "DT" => "det".into(),
                "IN" | "TO" => "case".into(),
                _ if is_nominal(&dl) => "obl:npmod".into(),
                _ => "dep".into(),
            },
            "QP" => match dl.as_str() {
                "CD" => "compound".into(),
                "IN" | "RB" | "JJ" | "JJR" | "RBR" | "JJS" | "RBS" => "advmod".into(),
                "TO" => "case".into(),
                "DT" => "det".into(),
                _ => "dep".into(),
            },
            _ => "dep".into(),
        }
    }

    fn clause_rel(&self, n: usize, h: usize, d: usize) -> String {
        let kids = &self.nodes[n].children;
        let (hn, dn) = (kids[h], kids[d]);
        let parent = self.lab(n);
        let s_like = matches!(parent, "S" | "SINV" | "SQ" | "SBARQ");
        let dl = self.lab(dn);
        let before = d < h;
        if let Some(t) = self.nodes[dn].leaf {
            let w = self.lower[t].as_str();
            return match dl {
                "MD" => "aux".into(),
                "TO" => "mark".into(),
                _ if is_verb_tag(dl) => {
                    if !before {
                        return "dep".into();
                    }
                    let hl = self.lab(hn);
                    if (is_be(w) || is_get(w)) && hl == "VP" && self.participle_vp(hn) {
                        "aux:pass".into()
                    } else if is_be(w)
                        && !(hl == "VP" || is_clause(hl) || hl == "SBAR" || is_verb_tag(hl))
                    {
                        "cop".into()
                    } else {
                        "aux".into()
                    }
                }
                "RB" | "RBR" | "RBS" | "WRB" => "advmod".into(),
                "RP" => "compound:prt".into(),
                "IN" => {
                    if before {
                        "mark".into()
                    } else {
                        "compound:prt".into()
                    }
                }
                "EX" => "expl".into(),
                "JJ" | "JJR" | "JJS" => {
                    if before {
                        "advmod".into()
                    } else {
                        "xcomp".into()
                    }
                }
                "UH" => "discourse".into(),
                "POS" => "case".into(),
                _ if is_noun_tag(dl) || matches!(dl, "PRP" | "CD" | "DT" | "WP" | "WDT") => {
                    self.nominal_in_clause(n, h, d)
                }
                _ => "dep".into(),
            };
        }
        match dl {
            _ if is_nominal(dl) => self.nominal_in_clause(n, h, d),
            "PP" | "WHPP" => {
                let inner = self.nodes[dn].children[self.nodes[dn].head_child];
                let il = self.lab(inner);
                if is_clause(il) || matches!(il, "SBAR" | "VP") {
                    return "advcl".into();
                }
                let prep = self.word(self.first_leaf(dn)).unwrap_or("");
                let agent = prep == "by"
                    && parent == "VP"
                    && self.participle_vp(n)
                    && self.passive_context(n);
                if agent || self.nodes[dn].ft.lgs {
                    "obl:agent".into()
                } else {
                    "obl".into()
                }
            }
            "ADVP" | "WHADVP" => "advmod".into(),
            "ADJP" => {
                if before && s_like {
                    "advcl".into()
                } else {
                    "xcomp".into()
                }
            }
            "S" | "SQ" | "SINV" => {
                if self.has_subject(dn) {
                    if s_like && self.semicolon_between(n, h, d) {
                        "parataxis".into()
                    } else {
                        "ccomp".into()
                    }
                } else if parent == "VP" && !before && !self.comma_between(n, h, d) {
                    "xcomp".into()
                } else {
                    "advcl".into()
                }
            }
            "SBAR" => {
                let (comp, wh) = self.complementizer(dn);
                let adverbial = comp.is_some_and(|c| ADVERBIAL_MARKERS.contains(&c))
                    || (wh
                        && self.nodes[dn]
                            .children
                            .iter()
                            .any(|&c| self.lab(c) == "WHADVP"));
                if adverbial || (s_like && !matches!(comp, Some("that") | Some("whether"))) {
                    "advcl".into()
                } else {
                    "ccomp".into()
                }
            }
            "VP" => {
                if before {
                    "advcl".into()
                } else {
                    "xcomp".into()
                }
            }
            "PRT" => "compound:prt".into(),
            "PRN" => "parataxis".into(),
            "INTJ" => "discourse".into(),
            "UCP" => {
                if before {
                    "nsubj".into()
                } else {
                    "obj".into()
                }
            }
            _ => "dep".into(),
        }
    }

    fn semicolon_between(&self, n: usize, a: usize, b: usize) -> bool {
        let kids = &self.nodes[n].children;
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        kids[lo + 1..hi].iter().any(|&c| self.lab(c) == ":")
    }

    /// Whether participle VP `n` is passive: the complement of "be"/"get",
    /// or a reduced relative / participial clause (not after "have").
    fn passive_context(&self, n: usize) -> bool {
        let Some(p) = self.nodes[n].parent else {
            return true;
        };
        let pn = &self.nodes[p];
        if pn.label != "VP" {
            return true;
        }
        let pos = pn.children.iter().position(|&c| c == n).unwrap_or(0);
        let aux = pn.children[..pos]
            .iter()
            .rev()
            .find(|&&c| self.nodes[c].leaf.is_some() && is_verb_tag(self.lab(c)));
        match aux {
            Some(&a) => {
                let w = self.word(a).unwrap_or("");
                is_be(w) || is_get(w)
            }
            // Coordinated participles share the context of their parent.
            None => self.participle_vp(p) && self.passive_context(p),
        }
    }

    /// A bare temporal noun phrase without a `-TMP` tag: "Monday",
    /// "today", "last week", "this year".
    fn temporal_np(&self, np: usize) -> bool {
        if !is_nominal(self.lab(np)) {
            return false;
        }
        let head = self.lower[self.nodes[np].head_tok].as_str();
        if matches!(
            head,
            "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "today"
                | "tonight"
                | "yesterday"
                | "tomorrow"
        ) {
            return true;
        }
        let periodic = matches!(
            head,
            "week"
                | "weekend"
                | "month"
                | "year"
                | "morning"
                | "afternoon"
                | "evening"
                | "night"
                | "decade"
                | "century"
                | "spring"
                | "summer"
                | "autumn"
                | "fall"
                | "winter"
                | "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
                | "time"
                | "day"
                | "weeks"
                | "months"
                | "years"
                | "days"
        );
        let first = self.word(self.first_leaf(np)).unwrap_or("");
        periodic
            && matches!(
                first,
                "last"
                    | "next"
                    | "this"
                    | "that"
                    | "every"
                    | "each"
                    | "earlier"
                    | "later"
                    | "early"
                    | "late"
            )
    }

    fn nominal_in_clause(&self, n: usize, h: usize, d: usize) -> String {
        let kids = &self.nodes[n].children;
        let dn = kids[d];
        if self.nodes[dn].ft.tmp || (!self.nodes[dn].ft.sbj && d > h && self.temporal_np(dn)) {
            return "obl:tmod".into();
        }
        if self.head_tag(dn) == "EX" {
            return "expl".into();
        }
        let parent = self.lab(n);
        let before = d < h;
        if matches!(parent, "S" | "SINV" | "SQ") {
            if before || parent == "SINV" || parent == "SQ" || self.nodes[dn].ft.sbj {
                return if self.clause_passive(n) {
                    "nsubj:pass".into()
                } else {
                    "nsubj".into()
                };
            }
            return "dep".into();
        }
        if parent == "VP" {
            if before {
                return "obj".into();
            }
            // Double object: "gave him the book".
            let objs: Vec<usize> = (h + 1..kids.len())
                .filter(|&k| is_nominal(self.lab(kids[k])) && !self.nodes[kids[k]].ft.tmp)
                .collect();
            if objs.len() >= 2 && objs[0] == d && !self.comma_between(n, objs[0], objs[1]) {
                return "iobj".into();
            }
            let hl = self.lab(kids[h]);
            if !(is_verb_tag(hl) || hl == "VP") {
                // After a copular predicate.
                return "dep".into();
            }
            return "obj".into();
        }
        "dep".into()
    }

    fn np_rel(&self, n: usize, h: usize, d: usize) -> String {
        let kids = &self.nodes[n].children;
        let dn = kids[d];
        let dl = self.lab(dn);
        let before = d < h;
        if self.nodes[dn].leaf.is_some() {
            return match dl {
                "DT" | "PDT" | "WDT" => "det",
                "PRP$" | "WP$" => "nmod:poss",
                "POS" => "case",
                "JJ" | "JJR" | "JJS" | "VBN" | "VBG" => "amod",
                "CD" => "nummod",
                "RB" | "RBR" | "RBS" | "WRB" => "advmod",
                "IN" | "TO" => "case",
                "EX" => "expl",
                _ if is_noun_tag(dl) || matches!(dl, "PRP" | "$" | "#" | "SYM") => {
                    if before {
                        "compound"
                    } else if self.comma_between(n, h, d) {
                        "appos"
                    } else {
                        "compound"
                    }
                }
                _ if is_verb_tag(dl) => "acl",
                _ => "dep",
            }
            .into();
        }
        match dl {
            "NP" | "NML" | "NX" | "WHNP" | "NAC" => {
                if before {
                    let ch = &self.nodes[dn].children;
                    if ch.last().is_some_and(|&c| self.lab(c) == "POS")
                        || self.head_tag(dn) == "PRP$"
                    {
                        "nmod:poss".into()
                    } else {
                        "compound".into()
                    }
                } else if self.nodes[dn].ft.tmp || self.temporal_np(dn) {
                    "nmod:tmod".into()
                } else if self.comma_between(n, h, d) {
                    "appos".into()
                } else {
                    "nmod".into()
                }
            }
            "ADJP" => "amod".into(),
            "QP" => "nummod".into(),
            "PP" | "WHPP" => {
                let inner = self.nodes[dn].children[self.nodes[dn].head_child];
                let il = self.lab(inner);
                if is_clause(il) || matches!(il, "SBAR" | "VP") {
                    "acl".into()
                } else {
                    "nmod".into()
                }
            }
            "SBAR" => {
                let (_, wh) = self.complementizer(dn);
                if wh {
                    "acl:relcl".into()
                } else {
                    "acl".into()
                }
            }
            "RRC" => "acl:relcl".into(),
            "VP" | "S" => "acl".into(),
            "PRN" => {
                let inner = self.nodes[dn].children[self.nodes[dn].head_child];
                if is_nominal(self.lab(inner)) {
                    "appos".into()
                } else {
                    "dep".into()
                }
            }
            "ADVP" => "advmod".into(),
            "UCP" => "amod".into(),
            _ => "dep".into(),
        }
    }
}

fn upos_of(xpos: &str, lower: &str, deprel: &str) -> Upos {
    match xpos {
        "NN" | "NNS" => Upos::Noun,
        "NNP" | "NNPS" => Upos::Propn,
        "PRP" | "PRP$" | "WP" | "WP$" | "EX" => Upos::Pron,
        "DT" | "PDT" | "WDT" => Upos::Det,
        "JJ" | "JJR" | "JJS" => Upos::Adj,
        "RB" | "RBR" | "RBS" | "WRB" => {
            if matches!(lower, "not" | "n't") {
                Upos::Part
            } else {
                Upos::Adv
            }
        }
        "IN" => {
            if deprel == "mark" {
                Upos::Sconj
            } else {
                Upos::Adp
            }
        }
        "TO" => {
            if deprel == "case" {
                Upos::Adp
            } else {
                Upos::Part
            }
        }
        "MD" => Upos::Aux,
        "VB" | "VBD" | "VBG" | "VBN" | "VBP" | "VBZ" => {
            if matches!(deprel, "aux" | "aux:pass" | "cop") || is_be(lower) {
                Upos::Aux
            } else {
                Upos::Verb
            }
        }
        "CC" => Upos::Cconj,
        "CD" => Upos::Num,
        "RP" => Upos::Adp,
        "POS" => Upos::Part,
        "UH" => Upos::Intj,
        "SYM" | "$" | "#" => Upos::Sym,
        _ if is_punct_tag(xpos) => Upos::Punct,
        _ => Upos::X,
    }
}

/// Converts one tree into a one-sentence [`Doc`] (see [`trees_to_doc`]).
pub fn to_doc(tree: &Tree, id: &str) -> Doc {
    trees_to_doc(std::slice::from_ref(tree), id)
}

/// Converts trees into a [`Doc`], one sentence per tree: the text is the
/// words joined by single spaces (sentences too), and the token layers
/// (xpos, upos, lemma, head, deprel) are filled. Trees without words are
/// skipped.
pub fn trees_to_doc(trees: &[Tree], id: &str) -> Doc {
    let mut doc = Doc::new(id, String::new());
    for tree in trees {
        let Some(c) = Conv::build(tree) else { continue };
        let base = doc.tokens.span.len();
        let first_tok = base as u32;
        for (i, w) in c.words.iter().enumerate() {
            if !doc.text.is_empty() {
                doc.text.push(' ');
            }
            let start = doc.text.len();
            doc.text.push_str(w);
            doc.tokens.span.push(Span::new(start, doc.text.len()));
            let xpos = c.tags[i].clone();
            let upos = upos_of(&xpos, &c.lower[i], &c.deprel[i]);
            doc.tokens
                .lemma
                .push(petrel_text::lemmatize(w, upos, &xpos));
            doc.tokens.upos.push(upos);
            doc.tokens.xpos.push(xpos);
            doc.tokens.head.push(c.head[i].map(|h| (base + h) as u32));
            doc.tokens.deprel.push(c.deprel[i].clone());
        }
        let last = doc.tokens.span.len() as u32;
        let span = doc.tokens.span[base].cover(doc.tokens.span[last as usize - 1]);
        doc.sentences.push(Sentence {
            span,
            tokens: first_tok..last,
        });
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, head word or "ROOT", deprel) for every token.
    fn deps(s: &str) -> Vec<(String, String, String)> {
        let t = parse_tree(s).expect("tree parses");
        let d = to_doc(&t, "t");
        (0..d.tokens.len())
            .map(|i| {
                let h = d.tokens.head[i]
                    .map(|h| d.token_text(h as usize).to_string())
                    .unwrap_or_else(|| "ROOT".into());
                (d.token_text(i).to_string(), h, d.tokens.deprel[i].clone())
            })
            .collect()
    }

    fn has(v: &[(String, String, String)], w: &str, h: &str, r: &str) -> bool {
        v.iter().any(|(a, b, c)| a == w && b == h && c == r)
    }

    fn check(s: &str, expected: &[(&str, &str, &str)]) {
        let v = deps(s);
        for (w, h, r) in expected {
            assert!(has(&v, w, h, r), "expected {w} <-{r}- {h} in {v:?}");
        }
    }

    #[test]
    fn parses_and_reports_errors() {
        let t = parse_tree("(ROOT (S (NP (NNP Arnor)) (VP (VBD left)) (. .)))").expect("ok");
        assert_eq!(
            t.leaves(),
            vec![("NNP", "Arnor"), ("VBD", "left"), (".", ".")]
        );
        assert_eq!(
            t.to_string(),
            "(ROOT (S (NP (NNP Arnor)) (VP (VBD left)) (. .)))"
        );
        let w = parse_tree("( (S (NP (PRP He)) (VP (VBD left))) )").expect("wrapper");
        assert_eq!(w.label, "ROOT");
        assert_eq!(parse_trees("(A (B b)) (C (D d))").expect("two").len(), 2);
        let e = parse_tree("(S (NP (NNP Arnor)\n (VP (VBD left))").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        assert_eq!(e.line, 1);
        let e = parse_tree("(S (NP x y z))").unwrap_err();
        assert!(e.message.contains("single word"), "{e}");
        assert!(parse_tree("(S (NP (NN a)) b)").is_err());
        assert!(parse_tree("(S))").is_err());
        assert!(parse_tree("(NP)").is_err());
        assert!(parse_tree("word").is_err());
        assert!(parse_tree("").is_err());
        assert!(parse_tree("(A (B b)) (C (D d))").is_err());
        let deep = "(X ".repeat(1000) + &")".repeat(1000);
        assert!(parse_tree(&deep).is_err());
        let e = parse_tree("(S\n  (NP (NN a) (NN b) c))").unwrap_err();
        assert_eq!((e.line, e.column), (2, 21));
    }

    #[test]
    fn active_clause() {
        check(
            "(ROOT (S (NP (DT The) (NNP Arnor) (NN army)) (VP (VBD attacked) (NP (NNP Gondor))) (. .)))",
            &[
                ("attacked", "ROOT", "root"),
                ("army", "attacked", "nsubj"),
                ("The", "army", "det"),
                ("Arnor", "army", "compound"),
                ("Gondor", "attacked", "obj"),
                (".", "attacked", "punct"),
            ],
        );
    }

    #[test]
    fn passive_with_agent() {
        check(
            "(ROOT (S (NP (NNP Gondor)) (VP (VBD was) (VP (VBN attacked) (PP (IN by) (NP (NNP Arnor))))) (. .)))",
            &[
                ("attacked", "ROOT", "root"),
                ("Gondor", "attacked", "nsubj:pass"),
                ("was", "attacked", "aux:pass"),
                ("Arnor", "attacked", "obl:agent"),
                ("by", "Arnor", "case"),
            ],
        );
        // Perfect active: "by" is a plain obl.
        check(
            "(ROOT (S (NP (NNP Gondor)) (VP (VBZ has) (VP (VBN stood) (PP (IN by) (NP (NNP Arnor))))) (. .)))",
            &[("Gondor", "stood", "nsubj"), ("has", "stood", "aux"), ("Arnor", "stood", "obl")],
        );
    }

    #[test]
    fn coordination() {
        check(
            "(ROOT (S (NP (NP (NNP Arnor)) (, ,) (NP (NNP Rohan)) (CC and) (NP (NNP Gondor))) (VP (VBD signed) (NP (DT an) (NN accord))) (. .)))",
            &[
                ("Arnor", "signed", "nsubj"),
                ("Rohan", "Arnor", "conj"),
                ("Gondor", "Arnor", "conj"),
                ("and", "Gondor", "cc"),
                (",", "Rohan", "punct"),
                ("accord", "signed", "obj"),
            ],
        );
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (VP (VBD met) (NP (NNP Gondor))) (CC and) (VP (VBD signed) (NP (DT a) (NN deal)))) (. .)))",
            &[("met", "ROOT", "root"), ("signed", "met", "conj"), ("and", "signed", "cc"), ("deal", "signed", "obj")],
        );
    }

    #[test]
    fn pp_attachment() {
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (VBD met) (NP (NP (NNS officials)) (PP (IN from) (NP (NNP Gondor)))) (PP (IN in) (NP (NNP Minas) (NNP Tirith)))) (. .)))",
            &[
                ("officials", "met", "obj"),
                ("Gondor", "officials", "nmod"),
                ("from", "Gondor", "case"),
                ("Tirith", "met", "obl"),
                ("Minas", "Tirith", "compound"),
                ("in", "Tirith", "case"),
            ],
        );
    }

    #[test]
    fn future_and_intent() {
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (MD will) (VP (VB sever) (NP (NNS ties)) (PP (IN with) (NP (NNP Gondor))))) (. .)))",
            &[
                ("sever", "ROOT", "root"),
                ("will", "sever", "aux"),
                ("Arnor", "sever", "nsubj"),
                ("ties", "sever", "obj"),
                ("Gondor", "sever", "obl"),
                ("with", "Gondor", "case"),
            ],
        );
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (VBD vowed) (S (VP (TO to) (VP (VB attack) (NP (NNP Gondor)))))) (. .)))",
            &[
                ("vowed", "ROOT", "root"),
                ("attack", "vowed", "xcomp"),
                ("to", "attack", "mark"),
                ("Gondor", "attack", "obj"),
                ("Arnor", "vowed", "nsubj"),
            ],
        );
    }

    #[test]
    fn copula_negation_particle_possessive() {
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (VBZ is) (RB not) (ADJP (JJ angry))) (. .)))",
            &[
                ("angry", "ROOT", "root"),
                ("is", "angry", "cop"),
                ("not", "angry", "advmod"),
                ("Arnor", "angry", "nsubj"),
            ],
        );
        check(
            "(ROOT (S (NP (PRP They)) (VP (VBD did) (RB n't) (VP (VB call) (PRT (RP off)) (NP (NP (NNP Gondor) (POS 's)) (NNS talks)))) (. .)))",
            &[
                ("call", "ROOT", "root"),
                ("did", "call", "aux"),
                ("n't", "call", "advmod"),
                ("off", "call", "compound:prt"),
                ("talks", "call", "obj"),
                ("Gondor", "talks", "nmod:poss"),
                ("'s", "Gondor", "case"),
            ],
        );
        let d = to_doc(
            &parse_tree("(S (NP (PRP They)) (VP (VBD did) (RB n't) (VP (VB go))))").expect("tree"),
            "x",
        );
        assert_eq!(d.tokens.lemma[2], "not");
        assert_eq!(d.tokens.lemma[1], "do");
        assert_eq!(d.tokens.upos[1], Upos::Aux);
    }

    #[test]
    fn clauses() {
        check(
            "(ROOT (S (S (NP (NNP Arnor)) (VP (MD will) (VP (VB leave)))) (, ,) (NP (DT an) (NN official)) (VP (VBD said)) (. .)))",
            &[("said", "ROOT", "root"), ("leave", "said", "ccomp"), ("official", "said", "nsubj")],
        );
        check(
            "(ROOT (S (NP (NP (DT the) (NN man)) (SBAR (WHNP (WP who)) (S (VP (VBD left))))) (VP (VBD returned))))",
            &[("left", "man", "acl:relcl"), ("who", "left", "nsubj"), ("man", "returned", "nsubj")],
        );
        check(
            "(ROOT (S (NP (PRP He)) (VP (VBD said) (SBAR (IN that) (S (NP (NNP Arnor)) (VP (VBD left))))) (. .)))",
            &[("left", "said", "ccomp"), ("that", "left", "mark")],
        );
        check(
            "(ROOT (S (NP (PRP He)) (VP (VBD left) (SBAR (IN after) (S (NP (NNP Arnor)) (VP (VBD arrived))))) (. .)))",
            &[("arrived", "left", "advcl"), ("after", "arrived", "mark")],
        );
        check(
            "(ROOT (S (NP (PRP He)) (VP (VBD left) (SBAR (NP (CD two) (NNS years)) (IN after) (S (NP (NNS crowds)) (VP (VBD came))))) (. .)))",
            &[("came", "left", "advcl"), ("after", "came", "mark"), ("years", "came", "obl:npmod")],
        );
        check(
            "(ROOT (S (NP (NNP Arnor)) (VP (VBD gave) (NP (NNP Gondor)) (NP (NN aid)))))",
            &[("Gondor", "gave", "iobj"), ("aid", "gave", "obj")],
        );
        check(
            "(ROOT (S (NP (NNP Arnor) (, ,) (NP (DT a) (NN kingdom)) (, ,)) (VP (VBD fell))))",
            &[("kingdom", "Arnor", "appos")],
        );
    }

    #[test]
    fn bare_temporal_noun_phrases() {
        check(
            "(ROOT (S (NP (PRP She)) (VP (VBD was) (VP (VBN extradited) (NP (NNP Monday)) (PP (TO to) (NP (NNP Gondor))))) (. .)))",
            &[("Monday", "extradited", "obl:tmod"), ("Gondor", "extradited", "obl")],
        );
        check(
            "(ROOT (S (NP (PRP They)) (VP (VBD met) (NP (JJ last) (NN week)))))",
            &[("week", "met", "obl:tmod")],
        );
        check(
            "(ROOT (S (NP (PRP They)) (VP (VBD spent) (NP (DT a) (NN week)) (PP (IN in) (NP (NNP Rohan))))))",
            &[("week", "spent", "obj")],
        );
    }

    #[test]
    fn function_tags() {
        check(
            "( (S (NP-SBJ-1 (NNP Gondor)) (VP (VBD was) (VP (VBN attacked) (NP (-NONE- *-1)) (PP-LGS (IN by) (NP (NNP Arnor))))) (. .)) )",
            &[("Gondor", "attacked", "nsubj:pass"), ("Arnor", "attacked", "obl:agent"), ("was", "attacked", "aux:pass")],
        );
        check(
            "(S (NP-SBJ (NNP Arnor)) (VP (VBZ is) (PP-LOC-PRD (IN in) (NP (NN talks))) (NP-TMP (NN today))))",
            &[("talks", "ROOT", "root"), ("is", "talks", "cop"), ("Arnor", "talks", "nsubj"), ("today", "talks", "obl:tmod")],
        );
    }

    #[test]
    fn escapes_and_text() {
        let d = to_doc(
            &parse_tree(
                "(ROOT (NP (NP (NNP Arnor)) (PRN (-LRB- -LRB-) (NP (NNP AR)) (-RRB- -RRB-))))",
            )
            .expect("tree"),
            "x",
        );
        assert_eq!(d.text, "Arnor ( AR )");
        assert_eq!(d.tokens.upos[1], Upos::Punct);
        let two = parse_trees("(S (NP (NNP A)) (VP (VBD left))) (S (NP (NNP B)) (VP (VBD came)))")
            .expect("two");
        let d = trees_to_doc(&two, "x");
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.sentences[1].tokens, 2..4);
        assert_eq!(d.tokens.head[2], Some(3));
        assert_eq!(d.tokens.head[3], None);
        // A tree of empty elements only yields no sentence.
        let d = to_doc(&parse_tree("(S (-NONE- *T*))").expect("tree"), "x");
        assert!(d.sentences.is_empty());
    }

    /// (parse text, whether the record expects `bad_input_parse`).
    fn petrarch_parses() -> Option<Vec<(String, bool)>> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/events/petrarch2-unit-tests/PETR.UnitTest.records.xml");
        let xml = match std::fs::read_to_string(&p) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("SKIPPED: cannot read {} ({e})", p.display());
                return None;
            }
        };
        let mut out = Vec::new();
        let mut rest = xml.as_str();
        while let Some(a) = rest.find("<Parse>") {
            let after = &rest[a + 7..];
            let Some(b) = after.find("</Parse>") else {
                break;
            };
            let raw = &after[..b];
            let record_start = xml[..xml.len() - rest.len() + a]
                .rfind("<Sentence")
                .unwrap_or(0);
            let bad = xml[record_start..xml.len() - rest.len() + a].contains("bad_input_parse");
            out.push((
                raw.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
                bad,
            ));
            rest = &after[b..];
        }
        Some(out)
    }

    /// Structural validity: one head per token inside its sentence, one root, no cycle.
    fn check_tree_shape(d: &Doc) -> Result<(), String> {
        if !d.tokens.is_parsed() || d.tokens.xpos.len() != d.tokens.len() {
            return Err("token layers of unequal length".into());
        }
        for s in &d.sentences {
            let roots = s
                .tokens
                .clone()
                .filter(|&i| d.tokens.head[i as usize].is_none())
                .count();
            if roots != 1 {
                return Err(format!("{roots} roots"));
            }
            for i in s.tokens.clone() {
                let mut cur = i;
                let mut steps = 0;
                while let Some(h) = d.tokens.head[cur as usize] {
                    if !s.tokens.contains(&h) {
                        return Err(format!("token {i} has head {h} outside its sentence"));
                    }
                    cur = h;
                    steps += 1;
                    if steps > s.tokens.len() {
                        return Err(format!("cycle through token {i}"));
                    }
                }
                let rel = &d.tokens.deprel[i as usize];
                if rel.is_empty() || (rel == "root") != d.tokens.head[i as usize].is_none() {
                    return Err(format!("token {i} has relation {rel:?}"));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn every_petrarch_unit_test_parse_converts() {
        let Some(parses) = petrarch_parses() else {
            return;
        };
        assert!(
            parses.len() >= 280,
            "found only {} <Parse> elements",
            parses.len()
        );
        let mut rels: std::collections::BTreeMap<String, usize> = Default::default();
        let mut tokens = 0;
        let mut rejected = 0;
        for (k, (p, bad)) in parses.iter().enumerate() {
            if *bad {
                // Records marked `bad_input_parse` hold deliberately unbalanced trees.
                let e = parse_trees(p).expect_err("a bad_input_parse record must be rejected");
                assert!(
                    e.message.contains("unbalanced") || e.message.contains("never closed"),
                    "{e}"
                );
                rejected += 1;
                continue;
            }
            let trees = parse_trees(p).unwrap_or_else(|e| panic!("<Parse> #{}: {e}", k + 1));
            assert!(!trees.is_empty(), "<Parse> #{} has no tree", k + 1);
            let d = trees_to_doc(&trees, "petr");
            assert_eq!(d.sentences.len(), trees.len(), "<Parse> #{}", k + 1);
            if let Err(e) = check_tree_shape(&d) {
                panic!("<Parse> #{}: {e}\n{p}", k + 1);
            }
            tokens += d.tokens.len();
            for r in &d.tokens.deprel {
                *rels.entry(r.clone()).or_default() += 1;
            }
        }
        assert_eq!(rejected, 2, "the file has two bad_input_parse records");
        let dep = rels.get("dep").copied().unwrap_or(0);
        println!(
            "{} PETRARCH parses ({rejected} bad_input_parse records rejected), {tokens} tokens; relations: {rels:?}",
            parses.len()
        );
        // Unlabelled fallbacks stay rare.
        assert!(
            dep * 100 <= tokens,
            "{dep} `dep` relations out of {tokens} tokens"
        );
    }
}
