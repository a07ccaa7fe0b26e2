//! Arc-hybrid dependency parser with an averaged perceptron, trained
//! greedily with a dynamic oracle (Goldberg & Nivre 2013) and exploration,
//! or globally with a beam and max-violation updates (Huang et al. 2012).
//! Parse-time search ([`Search`]) is greedy, beam (raw or locally
//! normalised scores) or selectional branching, as the model file says.
//!
//! Configuration: a stack (ROOT at the bottom), a buffer, and the arcs built
//! so far. Transitions: SHIFT; LEFT-ARC(l) (s0 ← b0); RIGHT-ARC(l) (s0 ← s1).
//! A single root is enforced: RIGHT-ARC from ROOT is allowed only when the
//! buffer is empty and one token is left on the stack, and only with the
//! label `root`; `root` is not allowed anywhere else.
//!
//! Features follow Zhang & Nivre (2011) adapted to arc-hybrid: words and
//! tags of s0–s2 and b0–b2, of the leftmost/rightmost children of s0, s1 and
//! b0, their labels, distances, valencies and label sets.

use crate::clusters::Clusters;
use crate::data::GoldSentence;
use crate::hash::{feat, feat_from, feat_prefix, fmix, hash_str, IdMap, Rng};
use crate::io::{Reader, Writer};
use crate::perceptron::{Trainer, Weights};
use crate::tagger::normalise;
use crate::Error;

const NONE: u32 = u32::MAX;
const A_NONE: u64 = 0x4e4f4e45;
const A_ROOT: u64 = 0x524f4f54;

/// Per-token atoms the parser looks at.
pub(crate) struct Input {
    w: Vec<u64>,
    p: Vec<u64>,
    u: Vec<u64>,
    cf: Vec<u64>,
    cc: Vec<u64>,
    /// The parts of feature keys that depend on one token only, per token,
    /// then ROOT, then a row for `NONE` (see [`TokenPre`]).
    pre: Vec<TokenPre>,
}

impl Input {
    pub(crate) fn new(words: &[&str], xpos: &[&str], upos: &[&str], clusters: &Clusters) -> Input {
        let n = words.len();
        fn get<'a>(v: &[&'a str], i: usize) -> &'a str {
            v.get(i).copied().unwrap_or("_")
        }
        let mut inp = Input {
            w: words.iter().map(|w| hash_str(&normalise(w))).collect(),
            p: (0..n).map(|i| hash_str(get(xpos, i))).collect(),
            u: (0..n).map(|i| hash_str(get(upos, i)) ^ 0x55).collect(),
            cf: Vec::with_capacity(n + 1),
            cc: Vec::with_capacity(n + 1),
            pre: Vec::new(),
        };
        for i in 0..n {
            let (f, c) = clusters.atoms(inp.w[i]);
            inp.cf.push(f);
            inp.cc.push(c);
        }
        inp.cf.push(A_ROOT);
        inp.cc.push(A_ROOT);
        inp.w.push(A_ROOT);
        inp.p.push(A_ROOT);
        inp.u.push(A_ROOT);
        // Rows 0..n: tokens (the neighbours of the first and last are NONE).
        let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(A_NONE);
        inp.pre = Vec::with_capacity(n + 2);
        for i in 0..n {
            let before = if i > 0 { at(&inp.p, i - 1) } else { A_NONE };
            let after = if i + 1 < n { at(&inp.p, i + 1) } else { A_NONE };
            inp.pre.push(TokenPre::new(
                [
                    at(&inp.w, i),
                    at(&inp.p, i),
                    at(&inp.u, i),
                    at(&inp.cf, i),
                    at(&inp.cc, i),
                ],
                before,
                after,
            ));
        }
        inp.pre.push(ROOT_PRE);
        inp.pre.push(NONE_PRE);
        inp
    }
    fn len(&self) -> usize {
        self.w.len() - 1
    }
    /// The precomputed key parts of position `x` (a token, ROOT, or
    /// `NONE`: every position past ROOT reads as `NONE`, as its atoms do).
    #[inline(always)]
    fn pre(&self, x: u32) -> &TokenPre {
        let i = (x as usize).min(self.w.len());
        self.pre.get(i).unwrap_or(&NONE_PRE)
    }
}

/// The parts of the parser's feature keys that depend on one token only,
/// computed once per sentence instead of once per state. Field `tN` is
/// template `N`'s key when all its atoms are this token's (word, tags,
/// clusters, and the tags of its surface neighbours), else its hash state
/// after its leading atoms from this token ([`feat_prefix`]), which the
/// state's other atoms continue ([`feat_from`]). Keys are the same, bit
/// for bit, as those of [`feat`] over all the atoms.
#[derive(Clone, Copy)]
struct TokenPre {
    t1: u64,
    t2: u64,
    t3: u64,
    t12: u64,
    t13: u64,
    t14: u64,
    t15: u64,
    t16: u64,
    t17: u64,
    t18: u64,
    t19: u64,
    t20: u64,
    t21: u64,
    t22: u64,
    t23: u64,
    t25: u64,
    t26: u64,
    t27: u64,
    t28: u64,
    t29: u64,
    t30: u64,
    t32: u64,
    t33: u64,
    t34: u64,
    t35: u64,
    t36: u64,
    t37: u64,
    t38: u64,
    t39: u64,
    t40: u64,
    t41: u64,
    t42: u64,
    t43: u64,
    t44: u64,
    t45: u64,
    t46: u64,
    t47: u64,
    t48: u64,
    t49: u64,
    t50: u64,
    t51: u64,
    t52: u64,
    t53: u64,
    t54: u64,
    t55: u64,
    t56: u64,
    t57: u64,
    t58: u64,
    t59: u64,
    t60: u64,
    t61: u64,
    t62: u64,
    t63: u64,
    t65: u64,
    t66: u64,
    t68: u64,
    t69: u64,
    t71: u64,
    t72: u64,
    t74: u64,
    t75: u64,
    t77: u64,
    t78: u64,
    t80: u64,
    t81: u64,
    t84: u64,
    t85: u64,
    t86: u64,
    t87: u64,
    t88: u64,
    t89: u64,
    t90: u64,
    t91: u64,
    t92: u64,
    t93: u64,
    t95: u64,
    t96: u64,
    t97: u64,
    t98: u64,
    t99: u64,
    t100: u64,
    t103: u64,
    t104: u64,
    t105: u64,
    t106: u64,
    t107: u64,
    t108: u64,
    t109: u64,
    t110: u64,
    t111: u64,
    t112: u64,
    t113: u64,
    t114: u64,
    t115: u64,
    t116: u64,
    t117: u64,
    t119: u64,
    t120: u64,
    t121: u64,
}

/// The key of template `t` over `atoms` ([`feat`], usable in constants).
const fn feat_key(t: u32, atoms: &[u64]) -> u64 {
    feat_from(feat_prefix(t, &[]), atoms)
}

/// The row of ROOT (atoms `A_ROOT`; its neighbours are `NONE`).
const ROOT_PRE: TokenPre = TokenPre::new([A_ROOT; 5], A_NONE, A_NONE);
/// The row of `NONE` (all atoms `A_NONE`).
const NONE_PRE: TokenPre = TokenPre::new([A_NONE; 5], A_NONE, A_NONE);

impl TokenPre {
    /// The row of a token with atoms `[w, p, u, cf, cc]` whose neighbours
    /// have tags `before` and `after`.
    const fn new(atoms: [u64; 5], before: u64, after: u64) -> TokenPre {
        let [w, p, u, cf, cc] = atoms;
        TokenPre {
            t1: feat_key(1, &[w]),
            t2: feat_key(2, &[p]),
            t3: feat_key(3, &[w, p]),
            t12: feat_key(12, &[w]),
            t13: feat_key(13, &[p]),
            t14: feat_key(14, &[w, p]),
            t15: feat_key(15, &[p]),
            t16: feat_key(16, &[w]),
            t17: feat_prefix(17, &[w, p]),
            t18: feat_prefix(18, &[w, p]),
            t19: feat_prefix(19, &[w]),
            t20: feat_prefix(20, &[w, p]),
            t21: feat_prefix(21, &[p]),
            t22: feat_prefix(22, &[w]),
            t23: feat_prefix(23, &[p]),
            t25: feat_prefix(25, &[p]),
            t26: feat_prefix(26, &[w]),
            t27: feat_prefix(27, &[p]),
            t28: feat_prefix(28, &[w, p]),
            t29: feat_prefix(29, &[p]),
            t30: feat_prefix(30, &[p]),
            t32: feat_prefix(32, &[p]),
            t33: feat_prefix(33, &[p]),
            t34: feat_prefix(34, &[p]),
            t35: feat_prefix(35, &[p]),
            t36: feat_prefix(36, &[p]),
            t37: feat_prefix(37, &[p]),
            t38: feat_prefix(38, &[p]),
            t39: feat_prefix(39, &[p]),
            t40: feat_prefix(40, &[p]),
            t41: feat_prefix(41, &[p]),
            t42: feat_prefix(42, &[p]),
            t43: feat_prefix(43, &[p]),
            t44: feat_prefix(44, &[p]),
            t45: feat_prefix(45, &[p]),
            t46: feat_prefix(46, &[w]),
            t47: feat_prefix(47, &[p]),
            t48: feat_prefix(48, &[w]),
            t49: feat_prefix(49, &[p]),
            t50: feat_prefix(50, &[w]),
            t51: feat_prefix(51, &[p]),
            t52: feat_prefix(52, &[p]),
            t53: feat_prefix(53, &[w]),
            t54: feat_prefix(54, &[w]),
            t55: feat_prefix(55, &[p]),
            t56: feat_prefix(56, &[w]),
            t57: feat_prefix(57, &[p]),
            t58: feat_prefix(58, &[w]),
            t59: feat_prefix(59, &[p]),
            t60: feat_prefix(60, &[p]),
            t61: feat_prefix(61, &[p]),
            t62: feat_key(62, &[w]),
            t63: feat_key(63, &[p]),
            t65: feat_key(65, &[w]),
            t66: feat_key(66, &[p]),
            t68: feat_key(68, &[w]),
            t69: feat_key(69, &[p]),
            t71: feat_key(71, &[w]),
            t72: feat_key(72, &[p]),
            t74: feat_key(74, &[w]),
            t75: feat_key(75, &[p]),
            t77: feat_key(77, &[w]),
            t78: feat_key(78, &[p]),
            t80: feat_prefix(80, &[p]),
            t81: feat_prefix(81, &[p]),
            t84: feat_prefix(84, &[w]),
            t85: feat_prefix(85, &[p]),
            t86: feat_prefix(86, &[w]),
            t87: feat_prefix(87, &[p]),
            t88: feat_prefix(88, &[w]),
            t89: feat_prefix(89, &[p]),
            t90: feat_prefix(90, &[p]),
            t91: feat_prefix(91, &[u]),
            t92: feat_prefix(92, &[u]),
            t93: feat_prefix(93, &[u]),
            t95: feat_prefix(95, &[w]),
            t96: feat_prefix(96, &[p]),
            t97: feat_prefix(97, &[w]),
            t98: feat_prefix(98, &[w]),
            t99: feat_prefix(99, &[u]),
            t100: feat_key(100, &[cf]),
            t103: feat_key(103, &[cf]),
            t104: feat_prefix(104, &[cc]),
            t105: feat_prefix(105, &[cf]),
            t106: feat_prefix(106, &[p]),
            t107: feat_prefix(107, &[cc]),
            t108: feat_prefix(108, &[cc]),
            t109: feat_prefix(109, &[cc]),
            t110: feat_prefix(110, &[cc]),
            t111: feat_prefix(111, &[cc]),
            t112: feat_key(112, &[w, p]),
            t113: feat_prefix(113, &[p]),
            t114: feat_prefix(114, &[w]),
            t115: feat_prefix(115, &[w]),
            t116: feat_prefix(116, &[p]),
            t117: feat_prefix(117, &[p]),
            t119: feat_key(119, &[p, after]),
            t120: feat_key(120, &[before, p]),
            t121: feat_prefix(121, &[before]),
        }
    }
}

/// What a state records about one token (index `n`: ROOT).
#[derive(Clone, Copy)]
struct Node {
    head: u32,
    label: u16,
    /// Number of left / right children (saturating).
    nl: u8,
    nr: u8,
    /// Leftmost and second-leftmost children.
    lc: [u32; 2],
    /// Rightmost and second-rightmost children.
    rc: [u32; 2],
    /// Labels of the left / right children, as bits (label id mod 64).
    lset: u64,
    rset: u64,
}

const EMPTY_NODE: Node = Node {
    head: NONE,
    label: 0,
    nl: 0,
    nr: 0,
    lc: [NONE; 2],
    rc: [NONE; 2],
    lset: 0,
    rset: 0,
};

struct State {
    n: usize,
    stack: Vec<u32>,
    b: usize,
    nodes: Vec<Node>,
}

impl Clone for State {
    fn clone(&self) -> State {
        State {
            n: self.n,
            stack: self.stack.clone(),
            b: self.b,
            nodes: self.nodes.clone(),
        }
    }
    /// Reuses the buffers of `self` (beam search recycles states).
    fn clone_from(&mut self, other: &State) {
        self.n = other.n;
        self.b = other.b;
        self.stack.clone_from(&other.stack);
        self.nodes.clone_from(&other.nodes);
    }
}

impl State {
    fn new(n: usize) -> State {
        State {
            n,
            stack: vec![n as u32],
            b: 0,
            nodes: vec![EMPTY_NODE; n + 1],
        }
    }
    /// A placeholder that allocates nothing.
    fn empty() -> State {
        State {
            n: 0,
            stack: Vec::new(),
            b: 0,
            nodes: Vec::new(),
        }
    }
    #[inline]
    fn node(&self, x: u32) -> Option<&Node> {
        if x == NONE {
            None
        } else {
            self.nodes.get(x as usize)
        }
    }
    /// Head of token `i` (`NONE` when unattached or out of range).
    fn head(&self, i: usize) -> u32 {
        self.nodes.get(i).map_or(NONE, |n| n.head)
    }
    fn label(&self, i: usize) -> u16 {
        self.nodes.get(i).map_or(0, |n| n.label)
    }
    fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.len() <= 1
    }
    fn s(&self, k: usize) -> u32 {
        if self.stack.len() > k {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }
    fn bf(&self, k: usize) -> u32 {
        if self.b + k < self.n {
            (self.b + k) as u32
        } else {
            NONE
        }
    }
    fn add_arc(&mut self, h: u32, d: u32, l: u16) {
        if let Some(dn) = self.nodes.get_mut(d as usize) {
            dn.head = h;
            dn.label = l;
        }
        let Some(hn) = self.nodes.get_mut(h as usize) else {
            return;
        };
        if d < h {
            let c = &mut hn.lc;
            if c[0] == NONE || d < c[0] {
                c[1] = c[0];
                c[0] = d;
            } else if c[1] == NONE || d < c[1] {
                c[1] = d;
            }
            hn.nl = hn.nl.saturating_add(1);
            hn.lset |= 1u64 << (l % 64);
        } else {
            let c = &mut hn.rc;
            if c[0] == NONE || d > c[0] {
                c[1] = c[0];
                c[0] = d;
            } else if c[1] == NONE || d > c[1] {
                c[1] = d;
            }
            hn.nr = hn.nr.saturating_add(1);
            hn.rset |= 1u64 << (l % 64);
        }
    }
}

/// Transition classes: 0 = SHIFT, 1..=L LEFT-ARC(l), L+1..=2L RIGHT-ARC(l).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Move {
    Shift,
    Left(u16),
    Right(u16),
}

fn decode(class: usize, nlab: usize) -> Move {
    if class == 0 {
        Move::Shift
    } else if class <= nlab {
        Move::Left((class - 1) as u16)
    } else {
        Move::Right((class - 1 - nlab) as u16)
    }
}

fn apply(st: &mut State, m: Move) {
    match m {
        Move::Shift => {
            st.stack.push(st.b as u32);
            st.b += 1;
        }
        Move::Left(l) => {
            if let Some(d) = st.stack.pop() {
                st.add_arc(st.b as u32, d, l);
            }
        }
        Move::Right(l) => {
            if let Some(d) = st.stack.pop() {
                if let Some(&h) = st.stack.last() {
                    st.add_arc(h, d, l);
                }
            }
        }
    }
}

/// Which classes are allowed: (shift, left, right-to-token, right-to-root).
fn valid(st: &State) -> (bool, bool, bool, bool) {
    let has_b = st.b < st.n;
    let sl = st.stack.len();
    (has_b, has_b && sl >= 2, sl >= 3, sl == 2 && !has_b)
}

fn bucket(d: usize) -> u64 {
    match d {
        0..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

/// Feature templates fall into groups by what part of the state they read,
/// so that a group's partial scores can be reused by every state that
/// agrees on it (see [`Memo`]): the buffer (`b0`–`b2` and the word before
/// `b0`: the same for every state with the same `b`)...
const G_BUFFER: usize = 0;
/// ... the tokens `s0`–`s2`, `b0`–`b2` and their surface neighbours
/// (no arcs) ...
const G_TOKENS: usize = 1;
/// ... the unlabelled arcs (children, valencies) ...
const G_ARCS: usize = 2;
/// ... and the labels of the arcs (labels, label sets).
const G_LABELS: usize = 3;
const GROUPS: usize = 4;

/// The parts of feature keys that depend on one arc label only (field `tN`
/// as in [`TokenPre`]).
#[derive(Clone, Copy)]
struct LabelPre {
    t64: u64,
    t67: u64,
    t70: u64,
    t73: u64,
    t76: u64,
    t79: u64,
    t82: u64,
    t83: u64,
}

impl LabelPre {
    /// The parts for label atom `l` ([`View::l`]).
    const fn new(l: u64) -> LabelPre {
        LabelPre {
            t64: feat_key(64, &[l]),
            t67: feat_key(67, &[l]),
            t70: feat_key(70, &[l]),
            t73: feat_key(73, &[l]),
            t76: feat_key(76, &[l]),
            t79: feat_key(79, &[l]),
            t82: feat_prefix(82, &[l]),
            t83: feat_prefix(83, &[l]),
        }
    }
}

/// [`LabelPre`] of the label ids below 256 (models have far fewer labels;
/// larger ids are computed when met) ...
static LABEL_PRE: [LabelPre; 256] = {
    let mut t = [NONE_LABEL_PRE; 256];
    let mut i = 0;
    while i < t.len() {
        t[i] = LabelPre::new(0x4c00 + i as u64);
        i += 1;
    }
    t
};
/// ... and of no arc (`A_NONE`).
const NONE_LABEL_PRE: LabelPre = LabelPre::new(A_NONE);

/// The positions and atoms of one state that the templates read.
struct View<'a> {
    inp: &'a Input,
    st: &'a State,
    s0: u32,
    s1: u32,
    s2: u32,
    b0: u32,
    b1: u32,
    b2: u32,
    s0l: u32,
    s0l2: u32,
    s0r: u32,
    s0r2: u32,
    s1l: u32,
    s1r: u32,
    b0l: u32,
    b0l2: u32,
}

impl<'a> View<'a> {
    fn new(inp: &'a Input, st: &'a State) -> View<'a> {
        let lc = |x: u32, k: usize| st.node(x).map_or(NONE, |n| n.lc[k]);
        let rc = |x: u32, k: usize| st.node(x).map_or(NONE, |n| n.rc[k]);
        let (s0, s1, b0) = (st.s(0), st.s(1), st.bf(0));
        View {
            inp,
            st,
            s0,
            s1,
            s2: st.s(2),
            b0,
            b1: st.bf(1),
            b2: st.bf(2),
            s0l: lc(s0, 0),
            s0l2: lc(s0, 1),
            s0r: rc(s0, 0),
            s0r2: rc(s0, 1),
            s1l: lc(s1, 0),
            s1r: rc(s1, 0),
            b0l: lc(b0, 0),
            b0l2: lc(b0, 1),
        }
    }
    #[inline]
    fn atom(v: &[u64], x: u32) -> u64 {
        if x == NONE {
            A_NONE
        } else {
            v.get(x as usize).copied().unwrap_or(A_NONE)
        }
    }
    fn w(&self, x: u32) -> u64 {
        Self::atom(&self.inp.w, x)
    }
    fn p(&self, x: u32) -> u64 {
        Self::atom(&self.inp.p, x)
    }
    fn u(&self, x: u32) -> u64 {
        Self::atom(&self.inp.u, x)
    }
    fn cf(&self, x: u32) -> u64 {
        Self::atom(&self.inp.cf, x)
    }
    fn cc(&self, x: u32) -> u64 {
        Self::atom(&self.inp.cc, x)
    }
    fn l(&self, x: u32) -> u64 {
        self.st.node(x).map_or(A_NONE, |n| 0x4c00 + n.label as u64)
    }
    /// The precomputed key parts of `x`'s label ([`View::l`]).
    #[inline(always)]
    fn lpre(&self, x: u32) -> LabelPre {
        match self.st.node(x) {
            None => NONE_LABEL_PRE,
            Some(n) => LABEL_PRE
                .get(n.label as usize)
                .copied()
                .unwrap_or_else(|| LabelPre::new(0x4c00 + n.label as u64)),
        }
    }
    fn nl(&self, x: u32) -> u64 {
        self.st.node(x).map_or(99, |n| n.nl as u64)
    }
    fn nr(&self, x: u32) -> u64 {
        self.st.node(x).map_or(99, |n| n.nr as u64)
    }
    fn ls(&self, x: u32) -> u64 {
        self.st.node(x).map_or(A_NONE, |n| n.lset)
    }
    fn rs(&self, x: u32) -> u64 {
        self.st.node(x).map_or(A_NONE, |n| n.rset)
    }
    fn dist(&self, a: u32, b: u32) -> u64 {
        let n = self.st.n;
        if a == NONE || b == NONE || a as usize == n || b as usize == n {
            99
        } else {
            bucket((a as i64 - b as i64).unsigned_abs() as usize)
        }
    }
    /// Surface neighbours (tokens adjacent in the sentence, attached or not).
    fn before(&self, x: u32) -> u32 {
        if x == NONE || x == 0 || x as usize >= self.st.n {
            NONE
        } else {
            x - 1
        }
    }
    /// (Read through [`TokenPre`] outside tests.)
    #[cfg(test)]
    fn after(&self, x: u32) -> u32 {
        if x == NONE || x as usize + 1 >= self.st.n {
            NONE
        } else {
            x + 1
        }
    }

    /// The key of group `g`: states with equal keys have equal features in
    /// that group (`None`: not cacheable, or a sentence too long to pack).
    fn key(&self, g: usize) -> Option<u64> {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let st = self.st;
        if st.n >= 0xffff {
            return None;
        }
        let x = |v: u32| if v == NONE { 0xffff } else { v as u64 & 0xffff };
        let pack = |a: u32, b: u32, c: u32, d: u32| x(a) | x(b) << 16 | x(c) << 32 | x(d) << 48;
        let b = st.b as u32;
        let words = match g {
            G_BUFFER => [b as u64, 0, 0, 0, 0],
            G_TOKENS => [pack(self.s2, self.s1, self.s0, b), 0, 0, 0, 0],
            G_ARCS => {
                let cnt = |v: u32| {
                    st.node(v)
                        .map_or(0xffff, |n| n.nl as u64 | (n.nr as u64) << 8)
                };
                [
                    pack(self.s1, self.s0, b, self.s0l),
                    pack(self.s0l2, self.s0r, self.s0r2, self.s1l),
                    pack(self.s1r, self.b0l, self.b0l2, 0),
                    cnt(self.s0) | cnt(self.s1) << 16 | cnt(self.b0) << 32,
                    0,
                ]
            }
            _ => return None,
        };
        let mut h = (g as u64 + 1).wrapping_mul(K);
        for w in words {
            h = (h ^ w).wrapping_mul(K).rotate_left(29);
        }
        Some(fmix(h))
    }

    /// Append the features of group `g`. Key parts that depend on one
    /// token or one label only come precomputed ([`TokenPre`],
    /// [`LabelPre`]); the keys equal those of [`feat`] over all the atoms.
    fn push(&self, g: usize, out: &mut Vec<u64>) {
        let (s0, s1, s2) = (self.s0, self.s1, self.s2);
        let (b0, b1, b2) = (self.b0, self.b1, self.b2);
        let (s0l, s0l2, s0r, s0r2) = (self.s0l, self.s0l2, self.s0r, self.s0r2);
        let (s1l, s1r, b0l, b0l2) = (self.s1l, self.s1r, self.b0l, self.b0l2);
        let w = |x| self.w(x);
        let p = |x| self.p(x);
        let u = |x| self.u(x);
        let cf = |x| self.cf(x);
        let cc = |x| self.cc(x);
        let l = |x| self.l(x);
        let nl = |x| self.nl(x);
        let nr = |x| self.nr(x);
        let ls = |x| self.ls(x);
        let rs = |x| self.rs(x);
        let before = |x| self.before(x);
        let pre = |x| self.inp.pre(x);
        match g {
            G_BUFFER => {
                let w_b0 = w(b0);
                let p_b0 = p(b0);
                let w_b1 = w(b1);
                let p_b1 = p(b1);
                let w_b2 = w(b2);
                let p_b2 = p(b2);
                let cf_b0 = cf(b0);
                let cf_b1 = cf(b1);
                let p_bef_b0 = p(before(b0));
                let w_bef_b0 = w(before(b0));
                out.extend_from_slice(&[
                    feat(0, &[]),
                    feat(4, &[w_b0]),
                    feat(5, &[p_b0]),
                    feat(6, &[w_b0, p_b0]),
                    feat(7, &[w_b1]),
                    feat(8, &[p_b1]),
                    feat(9, &[w_b1, p_b1]),
                    feat(10, &[w_b2]),
                    feat(11, &[p_b2]),
                    feat(24, &[p_b0, p_b1]),
                    feat(31, &[p_b0, p_b1, p_b2]),
                    feat(94, &[w_b0, w_b1]),
                    feat(101, &[cf_b0]),
                    feat(102, &[cf_b1]),
                    feat(118, &[p_bef_b0, p_b0]),
                    feat(122, &[w_bef_b0, p_b0]),
                ]);
            }
            G_TOKENS => {
                let (r0, r1, r2, rb) = (pre(s0), pre(s1), pre(s2), pre(b0));
                let w_s0 = w(s0);
                let p_s0 = p(s0);
                let p_s1 = p(s1);
                let w_b0 = w(b0);
                let p_b0 = p(b0);
                let p_b1 = p(b1);
                let u_s0 = u(s0);
                let u_b0 = u(b0);
                let u_b1 = u(b1);
                let cc_s0 = cc(s0);
                let cc_b0 = cc(b0);
                let cf_b0 = cf(b0);
                let d = self.dist(s0, b0);
                let d2 = self.dist(s1, s0);
                let d3 = self.dist(s1, b0);
                out.extend_from_slice(&[
                    r0.t1,
                    r0.t2,
                    r0.t3,
                    r1.t12,
                    r1.t13,
                    r1.t14,
                    r2.t15,
                    r2.t16,
                    feat_from(r0.t17, &[w_b0, p_b0]),
                    feat_from(r0.t18, &[w_b0]),
                    feat_from(r0.t19, &[w_b0, p_b0]),
                    feat_from(r0.t20, &[p_b0]),
                    feat_from(r0.t21, &[w_b0, p_b0]),
                    feat_from(r0.t22, &[w_b0]),
                    feat_from(r0.t23, &[p_b0]),
                    feat_from(r1.t25, &[p_s0]),
                    feat_from(r1.t26, &[w_s0]),
                    feat_from(r1.t27, &[p_b0]),
                    feat_from(r1.t28, &[p_s0]),
                    feat_from(r1.t29, &[w_s0, p_s0]),
                    feat_from(r0.t30, &[p_b1]),
                    feat_from(r0.t32, &[p_b0, p_b1]),
                    feat_from(r1.t33, &[p_s0, p_b0]),
                    feat_from(r2.t34, &[p_s1, p_s0]),
                    feat_from(r1.t45, &[p_s0, p_b1]),
                    feat_from(r0.t46, &[d]),
                    feat_from(r0.t47, &[d]),
                    feat_from(rb.t48, &[d]),
                    feat_from(rb.t49, &[d]),
                    feat_from(r0.t50, &[w_b0, d]),
                    feat_from(r0.t51, &[p_b0, d]),
                    feat_from(r1.t52, &[p_s0, d2]),
                    feat_from(r1.t53, &[w_s0, d2]),
                    feat_from(r0.t91, &[u_b0]),
                    feat_from(r1.t92, &[u_s0, u_b0]),
                    feat_from(r0.t93, &[u_b0, u_b1]),
                    feat_from(r0.t95, &[p_s1, p_b0]),
                    feat_from(r0.t96, &[w_b0, p_b1]),
                    r0.t100,
                    r1.t103,
                    feat_from(r0.t104, &[cc_b0]),
                    feat_from(r0.t105, &[p_b0]),
                    feat_from(r0.t106, &[cf_b0]),
                    feat_from(r0.t107, &[p_b0, p_b1]),
                    feat_from(r1.t110, &[cc_s0, cc_b0]),
                    feat_from(r0.t111, &[cc_b0, d]),
                    r2.t112,
                    feat_from(r1.t113, &[p_b0, d3]),
                    feat_from(r1.t115, &[p_b0]),
                    feat_from(r1.t116, &[w_b0]),
                    r0.t119,
                    r0.t120,
                    feat_from(rb.t121, &[p_s0, p_b0]),
                ]);
            }
            G_ARCS => {
                let (r0, r1, rb) = (pre(s0), pre(s1), pre(b0));
                let (r0l, r0l2, r0r, r0r2) = (pre(s0l), pre(s0l2), pre(s0r), pre(s0r2));
                let (rbl, rbl2) = (pre(b0l), pre(b0l2));
                let p_s0 = p(s0);
                let p_s0l = p(s0l);
                let p_b0 = p(b0);
                let p_s0r = p(s0r);
                let p_b0l = p(b0l);
                let p_s1r = p(s1r);
                let p_s0l2 = p(s0l2);
                let p_s0r2 = p(s0r2);
                let p_b0l2 = p(b0l2);
                let p_s1l = p(s1l);
                let nr_s0 = nr(s0);
                let nl_s0 = nl(s0);
                let nl_b0 = nl(b0);
                let nr_s1 = nr(s1);
                let nl_s1 = nl(s1);
                out.extend_from_slice(&[
                    feat_from(r0.t35, &[p_s0l, p_b0]),
                    feat_from(r0.t36, &[p_s0r, p_b0]),
                    feat_from(r0.t37, &[p_b0, p_b0l]),
                    feat_from(r1.t38, &[p_s0, p_s0l]),
                    feat_from(r1.t39, &[p_s0, p_s0r]),
                    feat_from(r1.t40, &[p_s1r, p_s0]),
                    feat_from(r0.t41, &[p_s0l, p_s0l2]),
                    feat_from(r0.t42, &[p_s0r, p_s0r2]),
                    feat_from(rb.t43, &[p_b0l, p_b0l2]),
                    feat_from(r1.t44, &[p_s1l, p_s0]),
                    feat_from(r0.t54, &[nr_s0]),
                    feat_from(r0.t55, &[nr_s0]),
                    feat_from(r0.t56, &[nl_s0]),
                    feat_from(r0.t57, &[nl_s0]),
                    feat_from(rb.t58, &[nl_b0]),
                    feat_from(rb.t59, &[nl_b0]),
                    feat_from(r1.t60, &[nr_s1]),
                    feat_from(r1.t61, &[nl_s1]),
                    r0l.t62,
                    r0l.t63,
                    r0r.t65,
                    r0r.t66,
                    rbl.t68,
                    rbl.t69,
                    r0l2.t71,
                    r0l2.t72,
                    r0r2.t74,
                    r0r2.t75,
                    rbl2.t77,
                    rbl2.t78,
                    feat_from(rbl.t108, &[p_b0]),
                    feat_from(r0r.t109, &[p_s0]),
                    feat_from(rb.t114, &[p_s0, p_s0l]),
                    feat_from(r0.t117, &[nl_s0, nr_s0]),
                ]);
            }
            G_LABELS => {
                let (r0, r1, rb) = (pre(s0), pre(s1), pre(b0));
                let (q0l, q0r, qbl) = (self.lpre(s0l), self.lpre(s0r), self.lpre(b0l));
                let (q0l2, q0r2, qbl2) = (self.lpre(s0l2), self.lpre(s0r2), self.lpre(b0l2));
                let l_s0l = l(s0l);
                let l_s0r = l(s0r);
                let l_b0l = l(b0l);
                let l_s0l2 = l(s0l2);
                let l_s0r2 = l(s0r2);
                let l_s1l = l(s1l);
                let l_s1r = l(s1r);
                let p_s0 = p(s0);
                let ls_s0 = ls(s0);
                let rs_s0 = rs(s0);
                let ls_b0 = ls(b0);
                let p_b0 = p(b0);
                let rs_s1 = rs(s1);
                let u_b0 = u(b0);
                out.extend_from_slice(&[
                    q0l.t64,
                    q0r.t67,
                    qbl.t70,
                    q0l2.t73,
                    q0r2.t76,
                    qbl2.t79,
                    feat_from(pre(s1l).t80, &[l_s1l]),
                    feat_from(pre(s1r).t81, &[l_s1r]),
                    feat_from(q0l.t82, &[l_s0l2, p_s0]),
                    feat_from(q0r.t83, &[l_s0r2, p_s0]),
                    feat_from(r0.t84, &[ls_s0]),
                    feat_from(r0.t85, &[ls_s0]),
                    feat_from(r0.t86, &[rs_s0]),
                    feat_from(r0.t87, &[rs_s0]),
                    feat_from(rb.t88, &[ls_b0]),
                    feat_from(rb.t89, &[ls_b0]),
                    feat_from(r1.t90, &[rs_s1]),
                    feat_from(r0.t97, &[l_s0r, p_b0]),
                    feat_from(rb.t98, &[l_b0l, p_s0]),
                    feat_from(r0.t99, &[l_s0l, l_s0r, u_b0]),
                ]);
            }
            _ => {}
        }
    }
}

/// All features of a state (the 123 templates, group by group).
fn features(inp: &Input, st: &State, out: &mut Vec<u64>) {
    out.clear();
    let v = View::new(inp, st);
    for g in 0..GROUPS {
        v.push(g, out);
    }
}

/// The feature groups whose partial scores greedy search caches (only
/// the buffer's recur along one transition sequence)...
const GREEDY_CACHED: u32 = 1 << G_BUFFER;
/// ... and beam search (items at one step often share a stack and
/// buffer, or all but a label).
const BEAM_CACHED: u32 = 1 << G_BUFFER | 1 << G_TOKENS | 1 << G_ARCS;

/// Partial scores of feature groups, per sentence: group key → offset of
/// `nclass` scores in `arena`. Keys are 64-bit hashes of the positions a
/// group reads (a collision, about 2^-64 per pair, would only swap two
/// partial scores).
#[derive(Default)]
struct Memo {
    map: IdMap<u32>,
    arena: Vec<f32>,
}

/// Above these sizes a thread's memo is dropped after a sentence rather
/// than kept for the next one (one very long sentence should not pin its
/// memory).
const MEMO_KEEP_ARENA: usize = 1 << 22;
const MEMO_KEEP_MAP: usize = 1 << 16;

thread_local! {
    /// One memo per thread, kept across sentences so that its map and
    /// arena are not regrown for every sentence.
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

impl Memo {
    /// Run `f` with this thread's memo, emptied (a fresh one if the
    /// thread's is in use).
    fn with<R>(f: impl FnOnce(&mut Memo) -> R) -> R {
        MEMO.with(|cell| match cell.try_borrow_mut() {
            Ok(mut memo) => {
                memo.map.clear();
                memo.arena.clear();
                let r = f(&mut memo);
                if memo.arena.capacity() > MEMO_KEEP_ARENA || memo.map.capacity() > MEMO_KEEP_MAP {
                    *memo = Memo::default();
                }
                r
            }
            Err(_) => f(&mut Memo::default()),
        })
    }
}

/// How the parser searches for the transition sequence at parse time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Search {
    /// Take the best-scoring valid transition at every step.
    Greedy,
    /// Beam search keeping the `k` best partial sequences (sum of
    /// transition scores), and of those only the ones scored within
    /// `margin` of the best (0: no such pruning). With locally normalised
    /// scores most steps then keep one item and cost what greedy costs.
    Beam { k: usize, margin: f32 },
    /// Selectional branching (Choi & McCallum 2013): one greedy pass that
    /// records the transitions scored within `margin` of the best; from at
    /// most `k - 1` of them (smallest gap first) a greedy pass is run to the
    /// end, and the sequence with the highest total score wins.
    Branch { k: usize, margin: f32 },
}

pub(crate) struct Parser {
    pub(crate) labels: Vec<String>,
    root: u16,
    weights: Weights,
    search: Search,
    /// With `temperature` > 0, beam and branching compare sequences by the
    /// sum of log-softmax(score / temperature) over the valid transitions
    /// (locally normalised); with 0, by the sum of raw scores.
    temperature: f32,
    /// Second-stage labeller applied to the finished tree, if trained.
    labeller: Option<Labeller>,
}

/// Whether class `c` is allowed in a state with validity `v` (see [`valid`]).
#[inline]
fn allowed(c: usize, nlab: usize, root: u16, v: (bool, bool, bool, bool)) -> bool {
    let (sh, la, ra_tok, ra_root) = v;
    match decode(c, nlab) {
        Move::Shift => sh,
        Move::Left(l) => la && l != root,
        Move::Right(l) => (ra_tok && l != root) || (ra_root && l == root),
    }
}

/// e^x for x ≤ 0, to 5e-6 relative above −10 (the terms that count in a
/// sum whose largest term is 1) and 1e-9 absolute below (−87 and less:
/// ~1e-38 rather than 0); branch-free, so loops over it vectorise.
#[inline(always)]
fn exp_neg(x: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5 · 2^23: adding it rounds to an integer
    let t = x.clamp(-87.0, 0.0) * std::f32::consts::LOG2_E;
    let r = t + MAGIC;
    let n = r - MAGIC;
    let f = t - n;
    let k = (r.to_bits() as i32).wrapping_sub(MAGIC.to_bits() as i32);
    let p = 1.0
        + f * (std::f32::consts::LN_2
            + f * (0.240_226_5 + f * (0.055_504_11 + f * (0.009_618_129 + f * 0.001_333_355))));
    p * f32::from_bits(((k + 127) as u32) << 23)
}

/// The largest of `scores` (NaN ignored; −∞ when there are none), with
/// lane accumulators so that the loop vectorises.
fn max_score(scores: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; 8];
    let mut chunks = scores.chunks_exact(8);
    for ch in &mut chunks {
        for (m, &s) in lanes.iter_mut().zip(ch) {
            *m = m.max(s);
        }
    }
    chunks
        .remainder()
        .iter()
        .chain(&lanes)
        .fold(f32::NEG_INFINITY, |a, &b| a.max(b))
}

/// The log-normaliser of masked raw scores at temperature `t` whose
/// scaled maximum is `max`: `max + ln Σ e^(s / t − max)` (branch-free
/// lanes, so the loop vectorises), or `max` itself when not `normalise`
/// (enough to rank one state's transitions).
fn log_norm(scores: &[f32], t: f32, max: f32, normalise: bool) -> f32 {
    if !normalise {
        return max;
    }
    let mut lanes = [0f32; 8];
    let mut chunks = scores.chunks_exact(8);
    for ch in &mut chunks {
        for (a, &s) in lanes.iter_mut().zip(ch) {
            *a += exp_neg(s / t - max);
        }
    }
    let sum = chunks
        .remainder()
        .iter()
        .map(|&s| exp_neg(s / t - max))
        .chain(lanes)
        .sum::<f32>();
    max + sum.max(f32::MIN_POSITIVE).ln()
}

/// A beam candidate: an item of the beam extended by one transition.
#[derive(Clone, Copy, Debug)]
struct Cand {
    score: f32,
    item: u32,
    class: u16,
    /// Gold arcs lost so far (training only).
    loss: u32,
}

/// Keep the `k` best candidates, best first (ties: earlier item, lower
/// class, so the result does not depend on the sort algorithm).
fn top_k(cands: &mut Vec<Cand>, k: usize) {
    let order = |a: &Cand, b: &Cand| {
        b.score
            .total_cmp(&a.score)
            .then(a.item.cmp(&b.item))
            .then(a.class.cmp(&b.class))
    };
    if cands.len() > k && k > 0 {
        cands.select_nth_unstable_by(k - 1, order);
        cands.truncate(k);
    }
    cands.sort_unstable_by(order);
}

/// Best valid class under `scores`, restricted by `allowed` (when given).
fn best_valid(
    scores: &[f32],
    st: &State,
    nlab: usize,
    root: u16,
    allowed: Option<&[u32]>,
) -> Option<usize> {
    let (sh, la, ra_tok, ra_root) = valid(st);
    let mut best: Option<usize> = None;
    for (c, &s) in scores.iter().enumerate() {
        let ok = match decode(c, nlab) {
            Move::Shift => sh,
            Move::Left(l) => la && l != root,
            Move::Right(l) => (ra_tok && l != root) || (ra_root && l == root),
        };
        if !ok || allowed.is_some_and(|a| a[c] != 0) {
            continue;
        }
        if best.is_none_or(|b| s > scores[b]) {
            best = Some(c);
        }
    }
    best
}

impl Parser {
    /// Heads (`None` = root) and label ids for one sentence.
    pub(crate) fn parse(&self, inp: &Input) -> (Vec<Option<usize>>, Vec<u16>) {
        let n = inp.len();
        let st = match self.search {
            Search::Greedy => self.greedy(inp, State::new(n), &mut 0.0),
            Search::Beam { k, margin } if k > 1 => self.beam(inp, k, margin),
            Search::Branch { k, margin } if k > 1 => self.branch(inp, k, margin),
            _ => self.greedy(inp, State::new(n), &mut 0.0),
        };
        let heads: Vec<Option<usize>> = (0..n)
            .map(|i| {
                let h = st.head(i);
                if h == NONE || h as usize >= n {
                    None
                } else {
                    Some(h as usize)
                }
            })
            .collect();
        let mut labels: Vec<u16> = (0..n)
            .map(|i| {
                if st.head(i) == NONE {
                    self.root
                } else {
                    st.label(i)
                }
            })
            .collect();
        if let Some(lb) = &self.labeller {
            lb.relabel(inp, &heads, &mut labels, self.root);
        }
        (heads, labels)
    }

    /// Transition scores in state `st`: raw, or log-probabilities over the
    /// valid transitions (invalid ones −∞) when a temperature is set. With
    /// `normalise` false the log-probabilities are only known up to a
    /// constant of the state (enough to rank one state's transitions).
    fn step_scores(
        &self,
        inp: &Input,
        st: &State,
        feats: &mut Vec<u64>,
        scores: &mut [f32],
        normalise: bool,
    ) {
        features(inp, st, feats);
        self.weights.score(feats, scores);
        self.normalise(st, scores, normalise);
    }

    /// Raw transition scores of `st` as the sum of its feature groups'
    /// partial scores, those of the groups in `cached` (bit `g`: group
    /// `g`) taken from `memo` (and added to it when missing); the other
    /// groups are scored together. `tmp` is scratch of `nclass`.
    #[allow(clippy::too_many_arguments)]
    fn memo_scores(
        &self,
        inp: &Input,
        st: &State,
        cached: u32,
        memo: &mut Memo,
        feats: &mut Vec<u64>,
        tmp: &mut [f32],
        scores: &mut [f32],
    ) {
        let v = View::new(inp, st);
        let nc = scores.len();
        let add = |scores: &mut [f32], part: &[f32]| {
            for (s, p) in scores.iter_mut().zip(part) {
                *s += p;
            }
        };
        let keys: [Option<u64>; GROUPS] = std::array::from_fn(|g| {
            if cached & (1 << g) != 0 {
                v.key(g)
            } else {
                None
            }
        });
        // The groups not cached, scored together.
        feats.clear();
        for (g, key) in keys.iter().enumerate() {
            if key.is_none() {
                v.push(g, feats);
            }
        }
        self.weights.score(feats, scores);
        for (g, key) in keys.into_iter().enumerate() {
            let Some(key) = key else {
                continue;
            };
            if let Some(part) = memo
                .map
                .get(&key)
                .and_then(|&o| memo.arena.get(o as usize..o as usize + nc))
            {
                add(scores, part);
                continue;
            }
            feats.clear();
            v.push(g, feats);
            self.weights.score(feats, tmp);
            add(scores, tmp);
            if let Ok(o) = u32::try_from(memo.arena.len()) {
                memo.map.insert(key, o);
                memo.arena.extend_from_slice(tmp);
            }
        }
    }

    /// Turn raw scores into log-probabilities over the valid transitions
    /// when a temperature is set (see [`Parser::step_scores`]).
    fn normalise(&self, st: &State, scores: &mut [f32], normalise: bool) {
        let t = self.temperature;
        if t > 0.0 {
            // Invalid classes are masked (−∞) on the raw scores, then
            // scaled: −∞ / t = −∞, and as rounding is monotone,
            // max(s / t) = max(s) / t, so the scaled maximum comes from the
            // raw one and every score is divided once, in the last pass.
            // Branch-free loops with lane accumulators, so they vectorise.
            self.mask_invalid(st, scores);
            let max = max_score(scores) / t;
            let norm = log_norm(scores, t, max, normalise);
            for s in scores.iter_mut() {
                *s = *s / t - norm;
            }
        }
    }

    /// Set the scores of the classes invalid in `st` to −∞ (classes:
    /// SHIFT, LEFT-ARC(0..nlab), RIGHT-ARC(0..nlab); see [`allowed`]).
    /// Masking twice is masking once.
    fn mask_invalid(&self, st: &State, scores: &mut [f32]) {
        let nlab = self.labels.len();
        let root = self.root as usize;
        let (sh, la, ra_tok, ra_root) = valid(st);
        let ninf = f32::NEG_INFINITY;
        if let Some(s) = scores.get_mut(0).filter(|_| !sh) {
            *s = ninf;
        }
        if let Some(left) = scores.get_mut(1..=nlab) {
            if la {
                if let Some(s) = left.get_mut(root) {
                    *s = ninf;
                }
            } else {
                left.fill(ninf);
            }
        }
        if let Some(right) = scores.get_mut(nlab + 1..) {
            let r = right.get(root).copied().unwrap_or(ninf);
            if !ra_tok {
                right.fill(ninf);
            }
            if let Some(s) = right.get_mut(root) {
                *s = if ra_root { r } else { ninf };
            }
        }
    }

    /// The candidates of item number `item` of a beam (prefix score `sc`,
    /// state `st`) from its raw transition scores: those that
    /// [`Parser::normalise`] followed by the margin test of
    /// [`Parser::beam_with`] keep, with the same scores, in one pass. With
    /// a finite scaled maximum `max`, the best normalised score is exactly
    /// `max - norm` (the best class's `s / t` is `max`, and rounding is
    /// monotone, so no other is above it), so the margin's floor is known
    /// before any score is scaled. Needs a temperature. Returns false,
    /// having only masked `scores`, when `max` is not finite (the general
    /// path then applies).
    fn beam_cands(
        &self,
        st: &State,
        scores: &mut [f32],
        (sc, item): (f32, u32),
        (margin, normalise): (f32, bool),
        cands: &mut Vec<Cand>,
    ) -> bool {
        let t = self.temperature;
        self.mask_invalid(st, scores);
        let max = max_score(scores) / t;
        if !max.is_finite() {
            return false;
        }
        let norm = log_norm(scores, t, max, normalise);
        let floor = if margin > 0.0 {
            (max - norm) - margin
        } else {
            f32::NEG_INFINITY
        };
        // `raw / t - norm` is monotone in `raw`, so no class whose raw score
        // is at most `lo` reaches the floor (checked on `lo` itself; −∞
        // when the check fails), and only the others need scaling.
        let lo = {
            let x = (floor + norm) * t;
            let x = x - x.abs() * 1e-5 - f32::MIN_POSITIVE;
            if x / t - norm < floor {
                x
            } else {
                f32::NEG_INFINITY
            }
        };
        for (c, &raw) in scores.iter().enumerate() {
            if raw <= lo {
                continue;
            }
            let s = raw / t - norm;
            if s >= floor && s > f32::NEG_INFINITY {
                cands.push(Cand {
                    score: sc + s,
                    item,
                    class: c as u16,
                    loss: 0,
                });
            }
        }
        true
    }

    /// Greedy search from `st` to a terminal state; adds the scores of the
    /// chosen transitions to `total`.
    fn greedy(&self, inp: &Input, mut st: State, total: &mut f32) -> State {
        let nlab = self.labels.len();
        let nclass = self.weights.nclass();
        let mut feats = Vec::with_capacity(128);
        let mut scores = vec![0f32; nclass];
        let mut tmp = vec![0f32; nclass];
        Memo::with(|memo| {
            while !st.terminal() {
                self.memo_scores(
                    inp,
                    &st,
                    GREEDY_CACHED,
                    memo,
                    &mut feats,
                    &mut tmp,
                    &mut scores,
                );
                self.normalise(&st, &mut scores, true);
                match best_valid(&scores, &st, nlab, self.root, None) {
                    Some(c) => {
                        *total += scores[c];
                        apply(&mut st, decode(c, nlab));
                    }
                    None => break,
                }
            }
        });
        st
    }

    /// Beam search of width `k` (every sequence has 2n transitions, so the
    /// items of a beam always have the same length). Items often share
    /// parts of their feature sets (the same buffer position, the same
    /// stack and children but another label), so the partial scores of
    /// feature groups are cached for the sentence ([`Memo`]).
    fn beam(&self, inp: &Input, k: usize, margin: f32) -> State {
        let nclass = self.weights.nclass();
        let mut feats = Vec::with_capacity(128);
        let mut tmp = vec![0f32; nclass];
        Memo::with(|memo| self.beam_with(inp, k, margin, memo, &mut feats, &mut tmp))
    }

    /// [`Parser::beam`] with a memo and scratch buffers.
    fn beam_with(
        &self,
        inp: &Input,
        k: usize,
        margin: f32,
        memo: &mut Memo,
        feats: &mut Vec<u64>,
        tmp: &mut [f32],
    ) -> State {
        let nlab = self.labels.len();
        let nclass = self.weights.nclass();
        let mut scores = vec![0f32; nclass];
        let mut beam: Vec<(f32, State)> = vec![(0.0, State::new(inp.len()))];
        let mut next: Vec<(f32, State)> = Vec::with_capacity(k);
        let mut spare: Vec<State> = Vec::with_capacity(k);
        let mut cands: Vec<Cand> = Vec::new();
        let mut last: Vec<usize> = Vec::with_capacity(k);
        while beam.first().is_some_and(|b| !b.1.terminal()) {
            cands.clear();
            // One item: its transitions need only be ranked among themselves,
            // and the groups it shares with no other item are not worth
            // caching (its successors have other stacks or buffers).
            let normalise = beam.len() > 1;
            let cached = if normalise {
                BEAM_CACHED
            } else {
                GREEDY_CACHED
            };
            for (i, (sc, st)) in beam.iter().enumerate() {
                self.memo_scores(inp, st, cached, memo, feats, tmp, &mut scores);
                if self.temperature > 0.0
                    && self.beam_cands(
                        st,
                        &mut scores,
                        (*sc, i as u32),
                        (margin, normalise),
                        &mut cands,
                    )
                {
                    continue;
                }
                self.normalise(st, &mut scores, normalise);
                let v = valid(st);
                // Transitions more than `margin` below this item's best are
                // below the beam's best by more than that too.
                // (With a temperature, invalid transitions score −∞.)
                let check = self.temperature <= 0.0;
                let floor = if margin > 0.0 {
                    let mut best = f32::NEG_INFINITY;
                    for (c, &s) in scores.iter().enumerate() {
                        if s > best && (!check || allowed(c, nlab, self.root, v)) {
                            best = s;
                        }
                    }
                    best - margin
                } else {
                    f32::NEG_INFINITY
                };
                for (c, &s) in scores.iter().enumerate() {
                    if s >= floor
                        && s > f32::NEG_INFINITY
                        && (!check || allowed(c, nlab, self.root, v))
                    {
                        cands.push(Cand {
                            score: sc + s,
                            item: i as u32,
                            class: c as u16,
                            loss: 0,
                        });
                    }
                }
            }
            if cands.is_empty() {
                break;
            }
            top_k(&mut cands, k);
            if margin > 0.0 {
                if let Some(floor) = cands.first().map(|c| c.score - margin) {
                    cands.retain(|c| c.score >= floor);
                }
            }
            // The last candidate from an item takes its state; the others
            // copy it (into recycled states).
            last.clear();
            last.resize(beam.len(), usize::MAX);
            for (j, c) in cands.iter().enumerate() {
                if let Some(l) = last.get_mut(c.item as usize) {
                    *l = j;
                }
            }
            spare.extend(
                next.drain(..)
                    .map(|x| x.1)
                    .filter(|s| s.nodes.capacity() > 0),
            );
            for (j, c) in cands.iter().enumerate() {
                let i = c.item as usize;
                let Some(item) = beam.get_mut(i) else {
                    continue;
                };
                let mut st = if last.get(i) == Some(&j) {
                    std::mem::replace(&mut item.1, State::empty())
                } else {
                    let mut s = spare.pop().unwrap_or_else(State::empty);
                    s.clone_from(&item.1);
                    s
                };
                apply(&mut st, decode(c.class as usize, nlab));
                next.push((c.score, st));
            }
            std::mem::swap(&mut beam, &mut next);
        }
        beam.into_iter()
            .next()
            .map_or_else(|| State::new(inp.len()), |b| b.1)
    }

    /// Selectional branching: see [`Search::Branch`].
    fn branch(&self, inp: &Input, k: usize, margin: f32) -> State {
        let nlab = self.labels.len();
        let mut feats = Vec::with_capacity(128);
        let mut scores = vec![0f32; self.weights.nclass()];
        let mut st = State::new(inp.len());
        let mut total = 0f32;
        // (gap, score of the prefix with the alternative, state, class)
        let mut alts: Vec<(f32, f32, State, usize)> = Vec::new();
        while !st.terminal() {
            self.step_scores(inp, &st, &mut feats, &mut scores, true);
            let Some(best) = best_valid(&scores, &st, nlab, self.root, None) else {
                break;
            };
            let v = valid(&st);
            for (c, &s) in scores.iter().enumerate() {
                let gap = scores[best] - s;
                if c == best || gap >= margin || !allowed(c, nlab, self.root, v) {
                    continue;
                }
                if alts.len() + 1 >= k && alts.last().is_none_or(|a| a.0 <= gap) {
                    continue;
                }
                let at = alts.partition_point(|a| a.0 <= gap);
                alts.insert(at, (gap, total + s, st.clone(), c));
                alts.truncate(k - 1);
            }
            total += scores[best];
            apply(&mut st, decode(best, nlab));
        }
        let mut best = (total, st);
        for (_, prefix, mut st, c) in alts {
            apply(&mut st, decode(c, nlab));
            let mut t = prefix;
            let st = self.greedy(inp, st, &mut t);
            if t > best.0 {
                best = (t, st);
            }
        }
        best.1
    }

    pub(crate) fn label(&self, id: u16) -> &str {
        self.labels.get(id as usize).map_or("dep", String::as_str)
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut w = Writer::header("parser");
        w.u32(self.labels.len() as u32);
        for l in &self.labels {
            w.str(l);
        }
        w.u16(self.root);
        self.weights.write(&mut w);
        // Optional trailer (absent in greedy models): how to search.
        let (mode, k, margin) = match self.search {
            Search::Greedy => (0, 1, 0.0),
            Search::Beam { k, margin } => (1, k, margin),
            Search::Branch { k, margin } => (2, k, margin),
        };
        if mode != 0 || self.temperature != 0.0 || self.labeller.is_some() {
            w.u8(mode);
            w.u32(k as u32);
            w.u32(margin.to_bits());
            w.u32(self.temperature.to_bits());
        }
        // Optional section after the trailer: the second-stage labeller.
        if let Some(lb) = &self.labeller {
            w.u8(LABELLER_TAG);
            w.u32(lb.margin.to_bits());
            lb.weights.write(&mut w);
        }
        w.buf
    }

    /// Parse-time search (overrides what the model file asks for).
    pub(crate) fn set_search(&mut self, search: Search, temperature: f32) {
        self.search = search;
        self.temperature = temperature.max(0.0);
    }

    pub(crate) fn read(data: &[u8], name: &str) -> Result<Parser, Error> {
        let mut r = Reader::open(data, name, "parser")?;
        let n = r.count("label count", 4)?;
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            labels.push(r.str("label")?);
        }
        let root = r.u16("root label")?;
        if root as usize >= labels.len() {
            return Err(Error::Model(format!(
                "{name}: root label {root} out of range"
            )));
        }
        if labels.len() > 64 * 64 {
            return Err(Error::Model(format!("{name}: too many labels")));
        }
        let weights = Weights::read(&mut r)?;
        let mut temperature = 0.0;
        let search = if r.finish().is_ok() {
            Search::Greedy
        } else {
            let mode = r.u8("search mode")?;
            let k = r.u32("beam width")?.clamp(1, 64) as usize;
            let margin = f32::from_bits(r.u32("branching margin")?);
            temperature = f32::from_bits(r.u32("temperature")?);
            if !(temperature.is_finite() && temperature >= 0.0) {
                return Err(Error::Model(format!("{name}: bad temperature")));
            }
            match mode {
                0 => Search::Greedy,
                1 if margin.is_finite() && margin >= 0.0 => Search::Beam { k, margin },
                2 if margin.is_finite() && margin >= 0.0 => Search::Branch { k, margin },
                _ => {
                    return Err(Error::Model(format!("{name}: unknown search mode {mode}")));
                }
            }
        };
        let labeller = if r.finish().is_ok() {
            None
        } else {
            let tag = r.u8("labeller section")?;
            let margin = f32::from_bits(r.u32("labeller margin")?);
            if tag != LABELLER_TAG || !(margin.is_finite() && margin >= 0.0) {
                return Err(Error::Model(format!("{name}: bad labeller section")));
            }
            let weights = Weights::read(&mut r)?;
            if weights.nclass() != labels.len() {
                return Err(Error::Model(format!(
                    "{name}: labeller does not match the label table"
                )));
            }
            Some(Labeller { weights, margin })
        };
        r.finish()?;
        if weights.nclass() != 1 + 2 * labels.len() {
            return Err(Error::Model(format!(
                "{name}: weights do not match the label table"
            )));
        }
        Ok(Parser {
            labels,
            root,
            weights,
            search,
            temperature,
            labeller,
        })
    }

    pub(crate) fn feature_count(&self) -> usize {
        self.weights.len()
    }
}

/// Cost of each class (number of gold arcs made unreachable, counting a
/// wrong label on a gold arc), or `u32::MAX` for invalid classes.
fn costs(st: &State, gh: &[u32], gl: &[u16], nlab: usize, root: u16, out: &mut [u32]) {
    let n = st.n;
    let (sh, la, ra_tok, ra_root) = valid(st);
    let s0 = st.s(0);
    let s1 = st.s(1);
    let b = st.b;
    // Gold dependents of s0 in the buffer.
    let s0_deps_in_buffer = if s0 != NONE {
        (b..n).filter(|&d| gh[d] == s0).count() as u32
    } else {
        0
    };
    let sh_cost = if sh {
        let deps = st
            .stack
            .iter()
            .filter(|&&d| (d as usize) < n && gh[d as usize] == b as u32)
            .count() as u32;
        let head_lost = st.stack[..st.stack.len() - 1].contains(&gh[b]) as u32;
        deps + head_lost
    } else {
        u32::MAX
    };
    let g0 = if s0 != NONE && (s0 as usize) < n {
        gh[s0 as usize]
    } else {
        NONE
    };
    let la_base = if la {
        let head_lost = g0 != b as u32 && (g0 == s1 || (g0 as usize > b && (g0 as usize) < n));
        head_lost as u32 + s0_deps_in_buffer
    } else {
        u32::MAX
    };
    let ra_base = if ra_tok || ra_root {
        let head_lost = g0 != s1 && (g0 as usize) >= b && (g0 as usize) < n;
        head_lost as u32 + s0_deps_in_buffer
    } else {
        u32::MAX
    };
    for (c, o) in out.iter_mut().enumerate() {
        *o = match decode(c, nlab) {
            Move::Shift => sh_cost,
            Move::Left(l) => {
                if !la || l == root {
                    u32::MAX
                } else {
                    la_base + (g0 == b as u32 && gl[s0 as usize] != l) as u32
                }
            }
            Move::Right(l) => {
                if (ra_tok && l != root) || (ra_root && l == root) {
                    ra_base + (g0 == s1 && gl[s0 as usize] != l) as u32
                } else {
                    u32::MAX
                }
            }
        };
    }
}

/// Settings for parser training.
#[derive(Debug, Clone)]
pub(crate) struct ParserTrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Probability of following a wrong prediction (after the first epoch).
    pub explore: f64,
    /// Drop weights of smaller magnitude from the final model.
    pub prune: f32,
    /// Thresholds to report dev scores for (model-size exploration).
    pub prune_sweep: Vec<f32>,
    /// Beam width. 1: greedy training with the dynamic oracle and
    /// exploration (`explore`). k ≥ 2: global training (structured
    /// perceptron, max-violation updates, Huang et al. 2012) with a beam of
    /// `k`; the model then parses with a beam of `k`.
    pub beam: usize,
    /// Parse-time search and temperature written into the model (`None`:
    /// greedy for greedy training, raw-score beam of `beam` otherwise).
    pub search: Option<(Search, f32)>,
    /// Log the dev score with `search` as well.
    pub search_report: bool,
    /// The first `home` training examples are the target domain; each
    /// epoch visits them `home_repeat` times (≥ 1), the others once.
    pub home: usize,
    pub home_repeat: usize,
    /// Epochs of the second-stage labeller (0: none; see [`Labeller`]).
    pub labeller_epochs: usize,
    /// With ≥ 2: the labeller is stacked, trained on the trees of
    /// `labeller_folds` jackknifed parsers (`labeller_fold_epochs` epochs
    /// each) with the parser's label as a feature; else on gold trees.
    pub labeller_folds: usize,
    pub labeller_fold_epochs: usize,
}

/// A training sentence: gold tree plus the tags the parser will see.
pub(crate) struct ParserExample<'a> {
    pub gold: &'a GoldSentence,
    pub xpos: Vec<String>,
    pub upos: Vec<String>,
}

/// Buffers of global training, reused across sentences.
#[derive(Default)]
struct Workspace {
    /// Feature vectors of every scored state of the sentence, back to back.
    feats: Vec<u64>,
    /// Transition history: (parent node, offset of the state's features,
    /// class).
    nodes: Vec<(u32, u32, u16)>,
    f: Vec<u64>,
    scores: Vec<f32>,
    cost: Vec<u32>,
    mask: Vec<u32>,
    cands: Vec<Cand>,
    offs: Vec<u32>,
}

/// A beam item in training: state, score, history node and gold arcs lost.
#[derive(Clone)]
struct Item {
    st: State,
    score: f32,
    node: u32,
    loss: u32,
}

#[derive(Clone, Copy)]
struct GEntry {
    class: u16,
    w: f32,
    u: f64,
}

/// Averaged structured perceptron for global (beam) training: like
/// [`Trainer`] but with one-sided updates (`add`), since the gold and the
/// predicted sequences go through different states.
struct GlobalTrainer {
    nclass: usize,
    table: IdMap<Vec<GEntry>>,
    c: f64,
}

/// The 32-bit key [`Weights`] stores a feature hash under (must match
/// `perceptron::short_key`; checked by a test).
fn short_key(k: u64) -> u32 {
    let s = (k >> 32) as u32 ^ k as u32;
    if s == 0 {
        1
    } else {
        s
    }
}

/// Round to the nearest bfloat16 (the precision of the model file).
fn bf16(w: f32) -> u16 {
    let b = w.to_bits();
    (b.wrapping_add(0x7fff + ((b >> 16) & 1)) >> 16) as u16
}

impl GlobalTrainer {
    fn new(nclass: usize) -> GlobalTrainer {
        GlobalTrainer {
            nclass,
            table: IdMap::default(),
            c: 1.0,
        }
    }

    fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for f in feats {
            if let Some(es) = self.table.get(f) {
                for e in es {
                    if let Some(x) = out.get_mut(e.class as usize) {
                        *x += e.w;
                    }
                }
            }
        }
    }

    fn add(&mut self, feats: &[u64], class: usize, d: f32) {
        let c = self.c;
        for &f in feats {
            let es = self.table.entry(f).or_default();
            match es.iter_mut().find(|e| e.class as usize == class) {
                Some(e) => {
                    e.w += d;
                    e.u += c * d as f64;
                }
                None => es.push(GEntry {
                    class: class as u16,
                    w: d,
                    u: c * d as f64,
                }),
            }
        }
    }

    /// Averaged weights (Daumé's trick), those below `prune` dropped,
    /// frozen through the model file format.
    fn average(&self, prune: f32) -> Result<Weights, Error> {
        let mut runs: Vec<(u32, &Vec<GEntry>)> = self
            .table
            .iter()
            .map(|(&k, es)| (short_key(k), es))
            .collect();
        runs.sort_unstable_by_key(|r| r.0);
        let mut merged = vec![0f32; self.nclass];
        let mut out: Vec<(u32, Vec<(u16, u16)>)> = Vec::new();
        let mut i = 0;
        while i < runs.len() {
            let key = runs[i].0;
            let mut touched: Vec<u16> = Vec::new();
            while i < runs.len() && runs[i].0 == key {
                for e in runs[i].1 {
                    if let Some(m) = merged.get_mut(e.class as usize) {
                        *m += (e.w as f64 - e.u / self.c) as f32;
                        touched.push(e.class);
                    }
                }
                i += 1;
            }
            touched.sort_unstable();
            touched.dedup();
            let mut run = Vec::new();
            for c in touched {
                let h = bf16(merged[c as usize]);
                merged[c as usize] = 0.0;
                let w = f32::from_bits((h as u32) << 16);
                if w != 0.0 && w.abs() >= prune {
                    run.push((c, h));
                }
            }
            if !run.is_empty() {
                out.push((key, run));
            }
        }
        let wide = self.nclass > 255;
        let mut w = Writer::header("weights");
        w.u32(self.nclass as u32);
        w.u32(out.len() as u32);
        for (key, run) in out {
            w.u32(key);
            if wide {
                w.u16(run.len() as u16);
            } else {
                w.u8(run.len() as u8);
            }
            for (c, h) in run {
                if wide {
                    w.u16(c);
                } else {
                    w.u8(c as u8);
                }
                w.u16(h);
            }
        }
        let mut r = Reader::open(&w.buf, "beam weights", "weights")?;
        let weights = Weights::read(&mut r)?;
        r.finish()?;
        Ok(weights)
    }

    /// One sentence of global training: beam search of width `k` beside the
    /// best-scoring gold sequence (the dynamic oracle's zero-cost moves, so
    /// any sequence reaching the best reachable tree counts as gold), then a
    /// max-violation update. Returns whether no update was needed.
    #[allow(clippy::too_many_arguments)]
    fn learn(
        &mut self,
        inp: &Input,
        gh: &[u32],
        gl: &[u16],
        k: usize,
        nlab: usize,
        root: u16,
        ws: &mut Workspace,
    ) -> bool {
        let n = inp.len();
        let nclass = self.nclass;
        ws.feats.clear();
        ws.nodes.clear();
        ws.scores.resize(nclass, 0.0);
        ws.cost.resize(nclass, 0);
        ws.mask.resize(nclass, 0);
        let start = Item {
            st: State::new(n),
            score: 0.0,
            node: NONE,
            loss: 0,
        };
        let mut gold = start.clone();
        let mut beam = vec![start];
        // (violation, gold node, predicted node)
        let mut worst: Option<(f32, u32, u32)> = None;
        while !gold.st.terminal() {
            // The gold item follows the best-scoring min-cost move.
            let off = ws.feats.len() as u32;
            features(inp, &gold.st, &mut ws.f);
            ws.feats.extend_from_slice(&ws.f);
            self.score(&ws.f, &mut ws.scores);
            costs(&gold.st, gh, gl, nlab, root, &mut ws.cost);
            let min = ws.cost.iter().copied().min().unwrap_or(0);
            for (m, &c) in ws.mask.iter_mut().zip(&ws.cost) {
                *m = (c != min) as u32;
            }
            let Some(gc) = best_valid(&ws.scores, &gold.st, nlab, root, Some(&ws.mask)) else {
                break;
            };
            gold.score += ws.scores[gc];
            ws.nodes.push((gold.node, off, gc as u16));
            gold.node = (ws.nodes.len() - 1) as u32;
            apply(&mut gold.st, decode(gc, nlab));

            ws.cands.clear();
            ws.offs.clear();
            for (i, it) in beam.iter().enumerate() {
                let off = ws.feats.len() as u32;
                ws.offs.push(off);
                features(inp, &it.st, &mut ws.f);
                ws.feats.extend_from_slice(&ws.f);
                self.score(&ws.f, &mut ws.scores);
                costs(&it.st, gh, gl, nlab, root, &mut ws.cost);
                let min = ws.cost.iter().copied().min().unwrap_or(0);
                let v = valid(&it.st);
                for (c, &s) in ws.scores.iter().enumerate() {
                    if allowed(c, nlab, root, v) {
                        ws.cands.push(Cand {
                            score: it.score + s,
                            item: i as u32,
                            class: c as u16,
                            loss: it.loss + ws.cost[c].saturating_sub(min),
                        });
                    }
                }
            }
            if ws.cands.is_empty() {
                break;
            }
            top_k(&mut ws.cands, k);
            let mut next = Vec::with_capacity(ws.cands.len());
            for c in &ws.cands {
                let Some(parent) = beam.get(c.item as usize) else {
                    continue;
                };
                let mut st = parent.st.clone();
                apply(&mut st, decode(c.class as usize, nlab));
                ws.nodes
                    .push((parent.node, ws.offs[c.item as usize], c.class));
                next.push(Item {
                    st,
                    score: c.score,
                    node: (ws.nodes.len() - 1) as u32,
                    loss: c.loss,
                });
            }
            beam = next;
            // The best correct item of the beam, if better, becomes gold.
            if let Some(g) = beam.iter().find(|it| it.loss == 0) {
                if g.score > gold.score {
                    gold = g.clone();
                }
            }
            if let Some(b) = beam.first() {
                let v = b.score - gold.score;
                if b.loss > 0 && v >= 0.0 && worst.is_none_or(|w| v > w.0) {
                    worst = Some((v, gold.node, b.node));
                }
            }
        }
        let ok = worst.is_none();
        if let Some((_, g, p)) = worst {
            let path = |mut x: u32| {
                let mut v = Vec::new();
                while let Some(&(parent, off, c)) = ws.nodes.get(x as usize) {
                    v.push((off as usize, c as usize));
                    x = parent;
                }
                v.reverse();
                v
            };
            let (gp, pp) = (path(g), path(p));
            let nf = ws.f.len();
            let same = gp.iter().zip(&pp).take_while(|(a, b)| a.1 == b.1).count();
            for (&(go, gc), &(po, pc)) in gp.iter().zip(&pp).skip(same) {
                if let (Some(gf), Some(pf)) = (ws.feats.get(go..go + nf), ws.feats.get(po..po + nf))
                {
                    let (gf, pf) = (gf.to_vec(), pf.to_vec());
                    self.add(&gf, gc, 1.0);
                    self.add(&pf, pc, -1.0);
                }
            }
        }
        self.c += 1.0;
        ok
    }
}

/// Unlabelled and labelled attachment (all words counted) of `p` on `dev`.
pub(crate) fn attachment(p: &Parser, dev: &[ParserExample], clusters: &Clusters) -> (f64, f64) {
    let (mut ua, mut la, mut total) = (0usize, 0usize, 0usize);
    for ex in dev {
        let words: Vec<&str> = ex.gold.words.iter().map(String::as_str).collect();
        let xp: Vec<&str> = ex.xpos.iter().map(String::as_str).collect();
        let up: Vec<&str> = ex.upos.iter().map(String::as_str).collect();
        let (heads, labels) = p.parse(&Input::new(&words, &xp, &up, clusters));
        for i in 0..words.len() {
            let h = heads[i].map_or(0, |h| h as u32 + 1);
            if h == ex.gold.head[i] {
                ua += 1;
                la += (p.label(labels[i]) == ex.gold.deprel[i]) as usize;
            }
            total += 1;
        }
    }
    (
        ua as f64 / total.max(1) as f64,
        la as f64 / total.max(1) as f64,
    )
}

/// Train; keep the epoch with the best dev LAS. Returns the parser and the
/// per-epoch dev (UAS, LAS).
pub(crate) fn train(
    train: &[ParserExample],
    dev: &[ParserExample],
    clusters: &Clusters,
    cfg: &ParserTrainConfig,
    log: &mut dyn FnMut(&str),
) -> Result<(Parser, Vec<(f64, f64)>), Error> {
    let mut labels: Vec<String> = vec!["root".to_string()];
    for ex in train {
        for l in &ex.gold.deprel {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
    }
    labels[1..].sort();
    if labels.len() > 4000 {
        return Err(Error::Data("parser training: too many labels".into()));
    }
    let root = 0u16;
    let nlab = labels.len();
    let nclass = 1 + 2 * nlab;
    log(&format!(
        "parser: {} sentences, {} labels",
        train.len(),
        nlab
    ));
    let lab_id = |l: &str| labels.iter().position(|x| x == l).unwrap_or(0) as u16;
    // Gold heads/labels in the parser's indexing (ROOT = n).
    let golds: Vec<(Vec<u32>, Vec<u16>)> = train
        .iter()
        .map(|ex| {
            let n = ex.gold.len() as u32;
            let h = ex
                .gold
                .head
                .iter()
                .map(|&h| if h == 0 || h > n { n } else { h - 1 })
                .collect();
            let l = ex
                .gold
                .deprel
                .iter()
                .zip(&ex.gold.head)
                .map(|(l, &h)| if h == 0 { root } else { lab_id(l).max(1) })
                .collect();
            (h, l)
        })
        .collect();
    let inputs: Vec<Input> = train
        .iter()
        .map(|ex| {
            let words: Vec<&str> = ex.gold.words.iter().map(String::as_str).collect();
            let xp: Vec<&str> = ex.xpos.iter().map(String::as_str).collect();
            let up: Vec<&str> = ex.upos.iter().map(String::as_str).collect();
            Input::new(&words, &xp, &up, clusters)
        })
        .collect();

    let mut trainer = Trainer::new(nclass);
    let mut global = GlobalTrainer::new(nclass);
    let mut ws = Workspace::default();
    let search = if cfg.beam > 1 {
        Search::Beam {
            k: cfg.beam,
            margin: 0.0,
        }
    } else {
        Search::Greedy
    };
    let mut rng = Rng::new(cfg.seed);
    // Target-domain sentences are visited `home_repeat` times an epoch.
    let home = cfg.home.min(train.len());
    let mut order: Vec<usize> = (0..train.len())
        .chain((1..cfg.home_repeat.max(1)).flat_map(|_| 0..home))
        .collect();
    let mut feats = Vec::with_capacity(128);
    let mut scores = vec![0f32; nclass];
    let mut cost = vec![0u32; nclass];
    let mut mask = vec![0u32; nclass];
    let mut best: Option<(f64, Parser)> = None;
    let mut curve = Vec::new();
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let inp = &inputs[si];
            let (gh, gl) = &golds[si];
            if cfg.beam > 1 {
                let ok = global.learn(inp, gh, gl, cfg.beam, nlab, root, &mut ws);
                right += ok as usize;
                total += 1;
                continue;
            }
            let mut st = State::new(inp.len());
            while !st.terminal() {
                features(inp, &st, &mut feats);
                trainer.score(&feats, &mut scores);
                let Some(pred) = best_valid(&scores, &st, nlab, root, None) else {
                    break;
                };
                costs(&st, gh, gl, nlab, root, &mut cost);
                let min = cost.iter().copied().min().unwrap_or(0);
                for (m, &c) in mask.iter_mut().zip(&cost) {
                    *m = (c != min) as u32;
                }
                let Some(gold) = best_valid(&scores, &st, nlab, root, Some(&mask)) else {
                    break;
                };
                let next = if cost[pred] == min {
                    right += 1;
                    pred
                } else {
                    trainer.update(&feats, gold, pred);
                    if epoch > 0 && rng.unit() < cfg.explore {
                        pred
                    } else {
                        gold
                    }
                };
                total += 1;
                trainer.tick();
                apply(&mut st, decode(next, nlab));
            }
        }
        let weights = if cfg.beam > 1 {
            global.average(1e-3)?
        } else {
            trainer.average(1e-3)
        };
        let parser = Parser {
            labels: labels.clone(),
            root,
            weights,
            search,
            temperature: 0.0,
            labeller: None,
        };
        let (uas, las) = attachment(&parser, dev, clusters);
        log(&format!(
            "parser epoch {}: train {} {:.2}% optimal, dev UAS {:.2}% LAS {:.2}% ({} features)",
            epoch + 1,
            if cfg.beam > 1 {
                "sentences"
            } else {
                "transitions"
            },
            100.0 * right as f64 / total.max(1) as f64,
            100.0 * uas,
            100.0 * las,
            parser.feature_count()
        ));
        curve.push((uas, las));
        if best.as_ref().is_none_or(|b| las > b.0) {
            best = Some((las, parser));
        }
    }
    let Some((_, best)) = best else {
        return Err(Error::Data("parser training: zero epochs".into()));
    };
    for &thr in &cfg.prune_sweep {
        let p = Parser {
            labels: best.labels.clone(),
            root,
            weights: best.weights.pruned(thr),
            search,
            temperature: 0.0,
            labeller: None,
        };
        let (uas, las) = attachment(&p, dev, clusters);
        log(&format!(
            "parser pruned at {thr}: dev UAS {:.2}% LAS {:.2}% ({} features)",
            100.0 * uas,
            100.0 * las,
            p.feature_count()
        ));
    }
    let weights = best.weights.pruned(cfg.prune);
    let mut parser = Parser { weights, ..best };
    if let Some((search, temperature)) = cfg.search {
        parser.set_search(search, temperature);
    }
    if cfg.labeller_epochs > 0 {
        train_labeller(&mut parser, train, dev, clusters, cfg, log)?;
    }
    if let Some((search, temperature)) = cfg.search {
        if cfg.search_report {
            let (uas, las) = attachment(&parser, dev, clusters);
            log(&format!(
                "parser with {search:?}, temperature {temperature}: dev UAS {:.2}% LAS {:.2}%",
                100.0 * uas,
                100.0 * las
            ));
        }
    }
    Ok((parser, curve))
}

/// Second-stage arc labeller: after the search has built the tree, each
/// arc's label is chosen again by a multiclass perceptron that sees the
/// whole tree (head, dependent, grandparent, the dependent's children with
/// their labels, the head's other children, surface neighbours, commas in
/// between). It overrides the parser's label only when it prefers another
/// one by more than `margin` (chosen on dev). Stored after the search
/// trailer of `en_parser.bin`; files without it parse as before.
pub(crate) struct Labeller {
    weights: Weights,
    margin: f32,
}

/// Section tag of the labeller in the model file.
const LABELLER_TAG: u8 = b'L';

/// Children of every token (ROOT = `n` last), in surface order.
fn children(heads: &[Option<usize>]) -> Vec<Vec<u32>> {
    let n = heads.len();
    let mut ch = vec![Vec::new(); n + 1];
    for (d, h) in heads.iter().enumerate() {
        if let Some(list) = ch.get_mut(h.unwrap_or(n)) {
            list.push(d as u32);
        }
    }
    ch
}

fn label_atom(l: u16) -> u64 {
    0x4c41_4200 ^ ((l as u64) << 32)
}

/// Features of the arc into `d` in the tree `heads` / `labels`.
#[allow(clippy::too_many_arguments)]
fn arc_features(
    inp: &Input,
    heads: &[Option<usize>],
    labels: &[u16],
    ch: &[Vec<u32>],
    d: usize,
    comma: u64,
    own: Option<u16>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let n = heads.len();
    let at = |v: &[u64], x: usize| v.get(x).copied().unwrap_or(A_NONE);
    let (w, p, u, cf) = (&inp.w, &inp.p, &inp.u, &inp.cf);
    let h = heads.get(d).copied().flatten().unwrap_or(n);
    let g = if h < n {
        heads.get(h).copied().flatten().unwrap_or(n)
    } else {
        n + 1
    };
    let lab = |x: usize| labels.get(x).map_or(A_NONE, |&l| label_atom(l));
    let lh = if h < n { lab(h) } else { A_ROOT };
    let dir = (h > d) as u64 + 1;
    let dist = bucket(h.abs_diff(d)) | dir << 8;
    let prev = d.checked_sub(1).map_or(A_NONE, |x| at(p, x));
    let prevw = d.checked_sub(1).map_or(A_NONE, |x| at(w, x));
    let (pd, ph, wd, wh) = (at(p, d), at(p, h), at(w, d), at(w, h));
    let next = if d + 1 < n { at(p, d + 1) } else { A_NONE };
    let nextw = if d + 1 < n { at(w, d + 1) } else { A_NONE };
    let (lo, hi) = (d.min(h), d.max(h).min(n));
    let commas = (lo + 1..hi).filter(|&x| at(w, x) == comma).count().min(2) as u64;
    let dch: &[u32] = ch.get(d).map_or(&[], Vec::as_slice);
    let hch: &[u32] = ch.get(h).map_or(&[], Vec::as_slice);
    let first = dch.first().map_or(A_NONE, |&c| at(p, c as usize));
    let last = dch.last().map_or(A_NONE, |&c| at(p, c as usize));
    out.extend_from_slice(&[
        feat(200, &[wd]),
        feat(201, &[pd]),
        feat(202, &[at(u, d)]),
        feat(203, &[at(cf, d)]),
        feat(204, &[wh]),
        feat(205, &[ph]),
        feat(206, &[at(cf, h)]),
        feat(207, &[ph, pd]),
        feat(208, &[wh, pd]),
        feat(209, &[ph, wd]),
        feat(210, &[wh, wd]),
        feat(211, &[at(u, h), at(u, d), dir]),
        feat(212, &[ph, pd, dist]),
        feat(213, &[dist]),
        feat(214, &[at(p, g), ph, pd]),
        feat(215, &[lh, ph, pd, dir]),
        feat(216, &[lh, wd]),
        feat(217, &[at(cf, h), at(cf, d)]),
        feat(218, &[pd, prev]),
        feat(219, &[pd, next]),
        feat(220, &[prevw, pd]),
        feat(221, &[nextw, pd]),
        feat(222, &[ph, pd, commas, dir]),
        feat(223, &[first, last, pd]),
        feat(224, &[(dch.len().min(4) as u64), pd, dir]),
        feat(225, &[at(w, g), ph, pd]),
    ]);
    // The parser's own label (stacked labellers only).
    if let Some(l) = own {
        let l = label_atom(l);
        out.extend_from_slice(&[
            feat(231, &[l]),
            feat(232, &[l, pd]),
            feat(233, &[l, ph, pd, dir]),
            feat(234, &[l, wd]),
            feat(235, &[l, wh]),
            feat(236, &[l, lh]),
        ]);
    }
    for &c in dch.iter().take(8) {
        let c = c as usize;
        out.push(feat(226, &[lab(c), at(w, c)]));
        out.push(feat(227, &[lab(c), pd]));
        out.push(feat(228, &[lab(c), at(p, c), ph]));
    }
    for &s in hch.iter().take(8) {
        let s = s as usize;
        if s == d {
            continue;
        }
        let side = (s > d) as u64 + 1;
        out.push(feat(229, &[lab(s), side, pd]));
        out.push(feat(230, &[lab(s), side, at(w, s), pd]));
    }
}

impl Labeller {
    /// Relabel every non-root arc of the tree in place.
    fn relabel(&self, inp: &Input, heads: &[Option<usize>], labels: &mut [u16], root: u16) {
        let ch = children(heads);
        let before = labels.to_vec();
        let comma = hash_str(&normalise(","));
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0f32; self.weights.nclass()];
        for d in 0..heads.len() {
            if heads[d].is_none() {
                continue;
            }
            arc_features(
                inp,
                heads,
                &before,
                &ch,
                d,
                comma,
                Some(before[d]),
                &mut feats,
            );
            self.weights.score(&feats, &mut scores);
            let Some(best) = argmax_except(&scores, root as usize) else {
                continue;
            };
            let cur = before[d] as usize;
            let cur_score = scores.get(cur).copied().unwrap_or(f32::NEG_INFINITY);
            if best != cur && scores[best] - cur_score > self.margin {
                labels[d] = best as u16;
            }
        }
    }
}

fn argmax_except(scores: &[f32], skip: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (c, &s) in scores.iter().enumerate() {
        if c != skip && best.is_none_or(|b| s > scores[b]) {
            best = Some(c);
        }
    }
    best
}

/// Train the second-stage labeller on the gold trees of `train` (with the
/// tags the examples carry), for at most `epochs` epochs, and attach it to
/// `parser` with the epoch and override margin that give the best dev LAS
/// over the trees `parser` builds; left off when no setting beats the
/// parser's own labels on dev.
pub(crate) fn train_labeller(
    parser: &mut Parser,
    examples: &[ParserExample],
    dev: &[ParserExample],
    clusters: &Clusters,
    cfg: &ParserTrainConfig,
    log: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    parser.labeller = None;
    let (epochs, seed) = (cfg.labeller_epochs, cfg.seed ^ 0x4c42);
    let stacked = cfg.labeller_folds >= 2;
    let jack = if stacked {
        jackknifed_trees(parser, examples, dev, clusters, cfg, log)?
    } else {
        Vec::new()
    };
    let nlab = parser.labels.len();
    let root = parser.root as usize;
    let comma = hash_str(&normalise(","));
    let lab_id = |l: &str| parser.labels.iter().position(|x| x == l);
    let input = |ex: &ParserExample| {
        let words: Vec<&str> = ex.gold.words.iter().map(String::as_str).collect();
        let xp: Vec<&str> = ex.xpos.iter().map(String::as_str).collect();
        let up: Vec<&str> = ex.upos.iter().map(String::as_str).collect();
        Input::new(&words, &xp, &up, clusters)
    };
    let gold_tree = |ex: &ParserExample| {
        let n = ex.gold.len();
        let heads: Vec<Option<usize>> = ex
            .gold
            .head
            .iter()
            .map(|&h| (h >= 1 && h as usize <= n).then(|| h as usize - 1))
            .collect();
        let labels: Vec<Option<usize>> = ex.gold.deprel.iter().map(|l| lab_id(l)).collect();
        (heads, labels)
    };
    // Training arcs: the jackknifed parser trees (stacked: the parser's
    // label is a feature; arcs with a wrong head are skipped), else the
    // gold trees.
    let mut data = Vec::with_capacity(examples.len());
    for (i, ex) in examples.iter().enumerate() {
        let (gh, gl) = gold_tree(ex);
        match jack.get(i) {
            Some((heads, labels)) if heads.len() == gh.len() => {
                let gl = gl
                    .iter()
                    .zip(heads.iter().zip(&gh))
                    .map(|(&l, (h, g))| l.filter(|_| h == g))
                    .collect();
                data.push((input(ex), heads.clone(), labels.clone(), gl));
            }
            _ => {
                let labels: Vec<u16> = gl.iter().map(|l| l.unwrap_or(root) as u16).collect();
                data.push((input(ex), gh, labels, gl));
            }
        }
    }
    // Dev: the parser's trees, scored against gold.
    let mut dev_data = Vec::with_capacity(dev.len());
    let mut total = 0usize;
    for ex in dev {
        let inp = input(ex);
        let (heads, labels) = parser.parse(&inp);
        let (gh, gl) = gold_tree(ex);
        total += heads.len();
        dev_data.push((inp, heads, labels, gh, gl));
    }
    let las_of = |right: usize| 100.0 * right as f64 / total.max(1) as f64;
    let mut base = 0usize;
    for (_, heads, labels, gh, gl) in &dev_data {
        for d in 0..heads.len() {
            base += (heads[d] == gh[d] && gl[d] == Some(labels[d] as usize)) as usize;
        }
    }
    log(&format!(
        "labeller: parser's own labels, dev LAS {:.2}%",
        las_of(base)
    ));
    const MARGINS: [f32; 10] = [0.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 70.0, 100.0];
    let mut trainer = Trainer::new(nlab);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut feats = Vec::with_capacity(64);
    let mut scores = vec![0f32; nlab];
    let mut best: Option<(usize, Labeller)> = None;
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut right, mut seen) = (0usize, 0usize);
        for &si in &order {
            let (inp, heads, labels, gl) = &data[si];
            let ch = children(heads);
            for d in 0..heads.len() {
                let Some(truth) = gl[d] else { continue };
                if heads[d].is_none() || truth == root {
                    continue;
                }
                let own = stacked.then_some(labels[d]);
                arc_features(inp, heads, labels, &ch, d, comma, own, &mut feats);
                trainer.score(&feats, &mut scores);
                let guess = argmax_except(&scores, root).unwrap_or(truth);
                right += (guess == truth) as usize;
                seen += 1;
                trainer.update(&feats, truth, guess);
                trainer.tick();
            }
        }
        let weights = trainer.average(1e-3);
        let mut hits = [0usize; MARGINS.len()];
        for (inp, heads, labels, gh, gl) in &dev_data {
            let ch = children(heads);
            for d in 0..heads.len() {
                if heads[d] != gh[d] {
                    continue;
                }
                let cur = labels[d] as usize;
                let mut pick = [cur; MARGINS.len()];
                if heads[d].is_some() {
                    let own = Some(labels[d]);
                    arc_features(inp, heads, labels, &ch, d, comma, own, &mut feats);
                    weights.score(&feats, &mut scores);
                    if let Some(b) = argmax_except(&scores, root) {
                        let gap = scores[b] - scores.get(cur).copied().unwrap_or(f32::NEG_INFINITY);
                        for (k, &m) in MARGINS.iter().enumerate() {
                            if b != cur && gap > m {
                                pick[k] = b;
                            }
                        }
                    }
                }
                for k in 0..MARGINS.len() {
                    hits[k] += (gl[d] == Some(pick[k])) as usize;
                }
            }
        }
        let row: Vec<String> = MARGINS
            .iter()
            .zip(&hits)
            .map(|(m, &h)| format!("{m}: {:.2}", las_of(h)))
            .collect();
        log(&format!(
            "labeller epoch {}: train arcs {:.2}% right; dev LAS by margin {}",
            epoch + 1,
            100.0 * right as f64 / seen.max(1) as f64,
            row.join(", ")
        ));
        // The smallest margin among the best of this epoch.
        let mut top = 0;
        for (k, &h) in hits.iter().enumerate() {
            if h > hits[top] {
                top = k;
            }
        }
        if hits[top] > base && best.as_ref().is_none_or(|b| hits[top] > b.0) {
            best = Some((
                hits[top],
                Labeller {
                    weights,
                    margin: MARGINS[top],
                },
            ));
        }
    }
    match best {
        Some((h, lb)) => {
            log(&format!(
                "labeller: kept, margin {}, dev LAS {:.2}% ({} features)",
                lb.margin,
                las_of(h),
                lb.weights.len()
            ));
            parser.labeller = Some(lb);
        }
        None => log("labeller: no gain on dev, left off"),
    }
    Ok(())
}

/// A parse: heads (`None`: root) and label ids.
type ParsedTree = (Vec<Option<usize>>, Vec<u16>);

/// Trees of `examples` (labels in `parser`'s table) built by parsers that
/// did not train on them: `cfg.labeller_folds` parsers, each trained on the
/// other folds for `cfg.labeller_fold_epochs` epochs with `cfg`'s search.
fn jackknifed_trees(
    parser: &Parser,
    examples: &[ParserExample],
    dev: &[ParserExample],
    clusters: &Clusters,
    cfg: &ParserTrainConfig,
    log: &mut dyn FnMut(&str),
) -> Result<Vec<ParsedTree>, Error> {
    let folds = cfg.labeller_folds.max(2);
    let mut out = vec![(Vec::new(), Vec::new()); examples.len()];
    for f in 0..folds {
        let sub: Vec<ParserExample> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, ex)| ParserExample {
                gold: ex.gold,
                xpos: ex.xpos.clone(),
                upos: ex.upos.clone(),
            })
            .collect();
        let home = (0..cfg.home.min(examples.len()))
            .filter(|i| i % folds != f)
            .count();
        let fcfg = ParserTrainConfig {
            epochs: cfg.labeller_fold_epochs.max(1),
            prune_sweep: Vec::new(),
            search_report: false,
            home,
            labeller_epochs: 0,
            labeller_folds: 0,
            ..cfg.clone()
        };
        let (p, _) = train(&sub, dev, clusters, &fcfg, &mut |_| {})?;
        for (i, ex) in examples.iter().enumerate().filter(|(i, _)| i % folds == f) {
            let words: Vec<&str> = ex.gold.words.iter().map(String::as_str).collect();
            let xp: Vec<&str> = ex.xpos.iter().map(String::as_str).collect();
            let up: Vec<&str> = ex.upos.iter().map(String::as_str).collect();
            let (heads, labels) = p.parse(&Input::new(&words, &xp, &up, clusters));
            let labels = labels
                .iter()
                .map(|&l| {
                    let name = p.label(l);
                    parser
                        .labels
                        .iter()
                        .position(|x| x == name)
                        .unwrap_or(parser.root as usize) as u16
                })
                .collect();
            if let Some(slot) = out.get_mut(i) {
                *slot = (heads, labels);
            }
        }
        log(&format!(
            "labeller: jackknifed parser {} of {folds} done",
            f + 1
        ));
    }
    Ok(out)
}

/// Weight runs: (key, [(class, weight)]) in key order.
type Runs = Vec<(u32, Vec<(u16, f32)>)>;

/// The mean of weight tables with one class count (a linear ensemble: its
/// scores are the mean of theirs), weights below `prune` in magnitude
/// dropped.
pub(crate) fn mean_weights(tables: &[&Weights], prune: f32) -> Result<Weights, Error> {
    let Some(first) = tables.first() else {
        return Err(Error::Data("no weight tables to average".into()));
    };
    let nclass = first.nclass();
    if tables.iter().any(|t| t.nclass() != nclass) {
        return Err(Error::Data(
            "weight tables of different class counts".into(),
        ));
    }
    let runs: Vec<Runs> = tables.iter().map(|t| t.sorted_runs()).collect();
    let scale = 1.0 / tables.len() as f32;
    let mut at = vec![0usize; runs.len()];
    let mut merged: Runs = Vec::new();
    let mut row = vec![0f32; nclass];
    while let Some(key) = runs
        .iter()
        .zip(&at)
        .filter_map(|(r, &i)| r.get(i).map(|x| x.0))
        .min()
    {
        row.fill(0.0);
        for (r, i) in runs.iter().zip(at.iter_mut()) {
            if let Some((k, run)) = r.get(*i) {
                if *k == key {
                    for &(c, v) in run {
                        if let Some(x) = row.get_mut(c as usize) {
                            *x += v * scale;
                        }
                    }
                    *i += 1;
                }
            }
        }
        let run: Vec<(u16, f32)> = row
            .iter()
            .enumerate()
            .filter(|(_, v)| v.abs() >= prune.max(f32::MIN_POSITIVE))
            .map(|(c, &v)| (c as u16, v))
            .collect();
        if !run.is_empty() {
            merged.push((key, run));
        }
    }
    Ok(Weights::from_runs(nclass, merged))
}

/// Make `base` the linear ensemble of itself and `others` (same label
/// table): its weights become the mean of theirs, pruned below `prune`.
pub(crate) fn average_parsers(
    base: &mut Parser,
    others: &[Parser],
    prune: f32,
) -> Result<(), Error> {
    if others
        .iter()
        .any(|p| p.labels != base.labels || p.root != base.root)
    {
        return Err(Error::Data("parsers with different label tables".into()));
    }
    let mut tables = vec![&base.weights];
    tables.extend(others.iter().map(|p| &p.weights));
    base.weights = mean_weights(&tables, prune)?;
    Ok(())
}

/// Train one parser per seed (`cfg.seed`, then `extra_seeds`: the order
/// of the sentences and the exploration decisions differ), each keeping
/// its best epoch and pruned as `cfg` says, and return their linear
/// ensemble: one parser whose weights are the mean of theirs (weights
/// below `mean_prune` dropped; 0: all kept), so it parses at the cost of
/// one (see `models/en_parser.md`). No extra seed: [`train`].
pub(crate) fn train_ensemble(
    examples: &[ParserExample],
    dev: &[ParserExample],
    clusters: &Clusters,
    cfg: &ParserTrainConfig,
    extra_seeds: &[u64],
    mean_prune: f32,
    log: &mut dyn FnMut(&str),
) -> Result<(Parser, Vec<(f64, f64)>), Error> {
    let members = 1 + extra_seeds.len();
    if members < 2 {
        return train(examples, dev, clusters, cfg, log);
    }
    let mut parsers = Vec::with_capacity(members);
    let mut curve = Vec::new();
    for m in 0..members {
        let seed = match m.checked_sub(1) {
            Some(k) => extra_seeds.get(k).copied().unwrap_or(cfg.seed),
            None => cfg.seed,
        };
        let mcfg = ParserTrainConfig {
            seed,
            prune_sweep: Vec::new(),
            search: None,
            search_report: false,
            labeller_epochs: 0,
            ..cfg.clone()
        };
        log(&format!("parser ensemble: member {} of {members}", m + 1));
        let (p, c) = train(examples, dev, clusters, &mcfg, log)?;
        curve.extend(c);
        parsers.push(p);
    }
    let mut parser = parsers.remove(0);
    average_parsers(&mut parser, &parsers, mean_prune)?;
    let (uas, las) = attachment(&parser, dev, clusters);
    log(&format!(
        "parser ensemble of {members}: dev UAS {:.2}% LAS {:.2}% greedy ({} features)",
        100.0 * uas,
        100.0 * las,
        parser.feature_count()
    ));
    if let Some((search, temperature)) = cfg.search {
        parser.set_search(search, temperature);
    }
    if cfg.labeller_epochs > 0 {
        train_labeller(&mut parser, examples, dev, clusters, cfg, log)?;
    }
    if let Some((search, temperature)) = cfg.search.filter(|_| cfg.search_report) {
        let (uas, las) = attachment(&parser, dev, clusters);
        log(&format!(
            "parser with {search:?}, temperature {temperature}: dev UAS {:.2}% LAS {:.2}%",
            100.0 * uas,
            100.0 * las
        ));
    }
    Ok((parser, curve))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`View::push`] with every key computed from all its atoms by
    /// [`feat`] (the definition the precomputed key parts must match).
    fn push_direct(v: &View, g: usize, out: &mut Vec<u64>) {
        let (s0, s1, s2) = (v.s0, v.s1, v.s2);
        let (b0, b1, b2) = (v.b0, v.b1, v.b2);
        let (s0l, s0l2, s0r, s0r2) = (v.s0l, v.s0l2, v.s0r, v.s0r2);
        let (s1l, s1r, b0l, b0l2) = (v.s1l, v.s1r, v.b0l, v.b0l2);
        let w = |x| v.w(x);
        let p = |x| v.p(x);
        let u = |x| v.u(x);
        let cf = |x| v.cf(x);
        let cc = |x| v.cc(x);
        let l = |x| v.l(x);
        let nl = |x| v.nl(x);
        let nr = |x| v.nr(x);
        let ls = |x| v.ls(x);
        let rs = |x| v.rs(x);
        let before = |x| v.before(x);
        let after = |x| v.after(x);
        match g {
            G_BUFFER => {
                let w_b0 = w(b0);
                let p_b0 = p(b0);
                let w_b1 = w(b1);
                let p_b1 = p(b1);
                let w_b2 = w(b2);
                let p_b2 = p(b2);
                let cf_b0 = cf(b0);
                let cf_b1 = cf(b1);
                let p_bef_b0 = p(before(b0));
                let w_bef_b0 = w(before(b0));
                out.extend_from_slice(&[
                    feat(0, &[]),
                    feat(4, &[w_b0]),
                    feat(5, &[p_b0]),
                    feat(6, &[w_b0, p_b0]),
                    feat(7, &[w_b1]),
                    feat(8, &[p_b1]),
                    feat(9, &[w_b1, p_b1]),
                    feat(10, &[w_b2]),
                    feat(11, &[p_b2]),
                    feat(24, &[p_b0, p_b1]),
                    feat(31, &[p_b0, p_b1, p_b2]),
                    feat(94, &[w_b0, w_b1]),
                    feat(101, &[cf_b0]),
                    feat(102, &[cf_b1]),
                    feat(118, &[p_bef_b0, p_b0]),
                    feat(122, &[w_bef_b0, p_b0]),
                ]);
            }
            G_TOKENS => {
                let w_s0 = w(s0);
                let p_s0 = p(s0);
                let w_s1 = w(s1);
                let p_s1 = p(s1);
                let p_s2 = p(s2);
                let w_s2 = w(s2);
                let w_b0 = w(b0);
                let p_b0 = p(b0);
                let p_b1 = p(b1);
                let u_s0 = u(s0);
                let u_b0 = u(b0);
                let u_s1 = u(s1);
                let u_b1 = u(b1);
                let cf_s0 = cf(s0);
                let cf_s1 = cf(s1);
                let cc_s0 = cc(s0);
                let cc_b0 = cc(b0);
                let cf_b0 = cf(b0);
                let cc_s1 = cc(s1);
                let p_aft_s0 = p(after(s0));
                let p_bef_s0 = p(before(s0));
                let p_bef_b0 = p(before(b0));
                let d = v.dist(s0, b0);
                let d2 = v.dist(s1, s0);
                let d3 = v.dist(s1, b0);
                out.extend_from_slice(&[
                    feat(1, &[w_s0]),
                    feat(2, &[p_s0]),
                    feat(3, &[w_s0, p_s0]),
                    feat(12, &[w_s1]),
                    feat(13, &[p_s1]),
                    feat(14, &[w_s1, p_s1]),
                    feat(15, &[p_s2]),
                    feat(16, &[w_s2]),
                    feat(17, &[w_s0, p_s0, w_b0, p_b0]),
                    feat(18, &[w_s0, p_s0, w_b0]),
                    feat(19, &[w_s0, w_b0, p_b0]),
                    feat(20, &[w_s0, p_s0, p_b0]),
                    feat(21, &[p_s0, w_b0, p_b0]),
                    feat(22, &[w_s0, w_b0]),
                    feat(23, &[p_s0, p_b0]),
                    feat(25, &[p_s1, p_s0]),
                    feat(26, &[w_s1, w_s0]),
                    feat(27, &[p_s1, p_b0]),
                    feat(28, &[w_s1, p_s1, p_s0]),
                    feat(29, &[p_s1, w_s0, p_s0]),
                    feat(30, &[p_s0, p_b1]),
                    feat(32, &[p_s0, p_b0, p_b1]),
                    feat(33, &[p_s1, p_s0, p_b0]),
                    feat(34, &[p_s2, p_s1, p_s0]),
                    feat(45, &[p_s1, p_s0, p_b1]),
                    feat(46, &[w_s0, d]),
                    feat(47, &[p_s0, d]),
                    feat(48, &[w_b0, d]),
                    feat(49, &[p_b0, d]),
                    feat(50, &[w_s0, w_b0, d]),
                    feat(51, &[p_s0, p_b0, d]),
                    feat(52, &[p_s1, p_s0, d2]),
                    feat(53, &[w_s1, w_s0, d2]),
                    feat(91, &[u_s0, u_b0]),
                    feat(92, &[u_s1, u_s0, u_b0]),
                    feat(93, &[u_s0, u_b0, u_b1]),
                    feat(95, &[w_s0, p_s1, p_b0]),
                    feat(96, &[p_s0, w_b0, p_b1]),
                    feat(100, &[cf_s0]),
                    feat(103, &[cf_s1]),
                    feat(104, &[cc_s0, cc_b0]),
                    feat(105, &[cf_s0, p_b0]),
                    feat(106, &[p_s0, cf_b0]),
                    feat(107, &[cc_s0, p_b0, p_b1]),
                    feat(110, &[cc_s1, cc_s0, cc_b0]),
                    feat(111, &[cc_s0, cc_b0, d]),
                    feat(112, &[w_s2, p_s2]),
                    feat(113, &[p_s1, p_b0, d3]),
                    feat(115, &[w_s1, p_b0]),
                    feat(116, &[p_s1, w_b0]),
                    feat(119, &[p_s0, p_aft_s0]),
                    feat(120, &[p_bef_s0, p_s0]),
                    feat(121, &[p_bef_b0, p_s0, p_b0]),
                ]);
            }
            G_ARCS => {
                let p_s0 = p(s0);
                let p_s0l = p(s0l);
                let p_b0 = p(b0);
                let p_s0r = p(s0r);
                let p_b0l = p(b0l);
                let p_s1 = p(s1);
                let p_s1r = p(s1r);
                let p_s0l2 = p(s0l2);
                let p_s0r2 = p(s0r2);
                let p_b0l2 = p(b0l2);
                let p_s1l = p(s1l);
                let w_s0 = w(s0);
                let nr_s0 = nr(s0);
                let nl_s0 = nl(s0);
                let w_b0 = w(b0);
                let nl_b0 = nl(b0);
                let nr_s1 = nr(s1);
                let nl_s1 = nl(s1);
                let w_s0l = w(s0l);
                let w_s0r = w(s0r);
                let w_b0l = w(b0l);
                let w_s0l2 = w(s0l2);
                let w_s0r2 = w(s0r2);
                let w_b0l2 = w(b0l2);
                let cc_b0l = cc(b0l);
                let cc_s0r = cc(s0r);
                out.extend_from_slice(&[
                    feat(35, &[p_s0, p_s0l, p_b0]),
                    feat(36, &[p_s0, p_s0r, p_b0]),
                    feat(37, &[p_s0, p_b0, p_b0l]),
                    feat(38, &[p_s1, p_s0, p_s0l]),
                    feat(39, &[p_s1, p_s0, p_s0r]),
                    feat(40, &[p_s1, p_s1r, p_s0]),
                    feat(41, &[p_s0, p_s0l, p_s0l2]),
                    feat(42, &[p_s0, p_s0r, p_s0r2]),
                    feat(43, &[p_b0, p_b0l, p_b0l2]),
                    feat(44, &[p_s1, p_s1l, p_s0]),
                    feat(54, &[w_s0, nr_s0]),
                    feat(55, &[p_s0, nr_s0]),
                    feat(56, &[w_s0, nl_s0]),
                    feat(57, &[p_s0, nl_s0]),
                    feat(58, &[w_b0, nl_b0]),
                    feat(59, &[p_b0, nl_b0]),
                    feat(60, &[p_s1, nr_s1]),
                    feat(61, &[p_s1, nl_s1]),
                    feat(62, &[w_s0l]),
                    feat(63, &[p_s0l]),
                    feat(65, &[w_s0r]),
                    feat(66, &[p_s0r]),
                    feat(68, &[w_b0l]),
                    feat(69, &[p_b0l]),
                    feat(71, &[w_s0l2]),
                    feat(72, &[p_s0l2]),
                    feat(74, &[w_s0r2]),
                    feat(75, &[p_s0r2]),
                    feat(77, &[w_b0l2]),
                    feat(78, &[p_b0l2]),
                    feat(108, &[cc_b0l, p_b0]),
                    feat(109, &[cc_s0r, p_s0]),
                    feat(114, &[w_b0, p_s0, p_s0l]),
                    feat(117, &[p_s0, nl_s0, nr_s0]),
                ]);
            }
            G_LABELS => {
                let l_s0l = l(s0l);
                let l_s0r = l(s0r);
                let l_b0l = l(b0l);
                let l_s0l2 = l(s0l2);
                let l_s0r2 = l(s0r2);
                let l_b0l2 = l(b0l2);
                let p_s1l = p(s1l);
                let l_s1l = l(s1l);
                let p_s1r = p(s1r);
                let l_s1r = l(s1r);
                let p_s0 = p(s0);
                let w_s0 = w(s0);
                let ls_s0 = ls(s0);
                let rs_s0 = rs(s0);
                let w_b0 = w(b0);
                let ls_b0 = ls(b0);
                let p_b0 = p(b0);
                let p_s1 = p(s1);
                let rs_s1 = rs(s1);
                let u_s0 = u(s0);
                let u_b0 = u(b0);
                out.extend_from_slice(&[
                    feat(64, &[l_s0l]),
                    feat(67, &[l_s0r]),
                    feat(70, &[l_b0l]),
                    feat(73, &[l_s0l2]),
                    feat(76, &[l_s0r2]),
                    feat(79, &[l_b0l2]),
                    feat(80, &[p_s1l, l_s1l]),
                    feat(81, &[p_s1r, l_s1r]),
                    feat(82, &[l_s0l, l_s0l2, p_s0]),
                    feat(83, &[l_s0r, l_s0r2, p_s0]),
                    feat(84, &[w_s0, ls_s0]),
                    feat(85, &[p_s0, ls_s0]),
                    feat(86, &[w_s0, rs_s0]),
                    feat(87, &[p_s0, rs_s0]),
                    feat(88, &[w_b0, ls_b0]),
                    feat(89, &[p_b0, ls_b0]),
                    feat(90, &[p_s1, rs_s1]),
                    feat(97, &[w_s0, l_s0r, p_b0]),
                    feat(98, &[w_b0, l_b0l, p_s0]),
                    feat(99, &[u_s0, l_s0l, l_s0r, u_b0]),
                ]);
            }
            _ => {}
        }
    }

    fn gold(words: &[&str], heads: &[u32], rels: &[&str]) -> GoldSentence {
        GoldSentence {
            words: words.iter().map(|s| s.to_string()).collect(),
            lemma: words.iter().map(|s| s.to_string()).collect(),
            upos: vec!["X".into(); words.len()],
            xpos: words.iter().map(|s| format!("T{}", s.len())).collect(),
            head: heads.to_vec(),
            deprel: rels.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Following the zero-cost transitions rebuilds a projective gold tree.
    #[test]
    fn dynamic_oracle_reaches_gold_tree() {
        let g = gold(
            &["the", "big", "dog", "saw", "a", "cat", "."],
            &[3, 3, 4, 0, 6, 4, 4],
            &["det", "amod", "nsubj", "root", "det", "obj", "punct"],
        );
        let labels: Vec<String> = ["root", "amod", "det", "nsubj", "obj", "punct"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let nlab = labels.len();
        let n = g.len() as u32;
        let gh: Vec<u32> = g
            .head
            .iter()
            .map(|&h| if h == 0 { n } else { h - 1 })
            .collect();
        let gl: Vec<u16> = g
            .deprel
            .iter()
            .map(|l| labels.iter().position(|x| x == l).unwrap_or(0) as u16)
            .collect();
        let mut st = State::new(g.len());
        let mut cost = vec![0u32; 1 + 2 * nlab];
        let mut steps = 0;
        while !st.terminal() {
            costs(&st, &gh, &gl, nlab, 0, &mut cost);
            let c = cost
                .iter()
                .position(|&c| c == 0)
                .expect("a zero-cost move exists");
            apply(&mut st, decode(c, nlab));
            steps += 1;
            assert!(steps < 100);
        }
        for i in 0..g.len() {
            assert_eq!(st.head(i), gh[i], "head of {i}");
            assert_eq!(st.label(i), gl[i], "label of {i}");
        }
    }

    #[test]
    fn trains_and_parses_any_input_without_panicking() {
        let data = [
            gold(
                &["dogs", "bark", "."],
                &[2, 0, 2],
                &["nsubj", "root", "punct"],
            ),
            gold(
                &["cats", "sleep", "."],
                &[2, 0, 2],
                &["nsubj", "root", "punct"],
            ),
        ];
        let exs = gold_tag_examples(&data);
        let cfg = ParserTrainConfig {
            prune_sweep: vec![1.0],
            search: Some((Search::Branch { k: 3, margin: 1.0 }, 20.0)),
            search_report: true,
            ..toy_config(5, 3, 1)
        };
        let cl = Clusters::default();
        let (p, curve) = train(&exs, &exs, &cl, &cfg, &mut |_| {}).expect("trains");
        assert_eq!(curve.len(), 5);
        let (uas, las) = attachment(&p, &exs, &cl);
        assert!(uas > 0.99 && las > 0.99, "{uas} {las}");
        let p2 = Parser::read(&p.write(), "mem").expect("round trip");
        let (h, l) = p2.parse(&Input::new(
            &["rats", "bark", "."],
            &["T4", "T4", "T1"],
            &["X", "X", "X"],
            &cl,
        ));
        assert_eq!(h, vec![Some(1), None, Some(1)]);
        assert_eq!(p2.label(l[1]), "root");
        assert!(p2.parse(&Input::new(&[], &[], &[], &cl)).0.is_empty());
        let long: Vec<&str> = (0..600)
            .map(|i| if i % 7 == 0 { "." } else { "x" })
            .collect();
        let (h, _) = p2.parse(&Input::new(&long, &[], &[], &cl));
        assert_eq!(h.iter().filter(|h| h.is_none()).count(), 1);
    }
    /// The second-stage labeller overrides a parser label only when it
    /// prefers another by more than its margin, and survives the file
    /// round trip; one trained on a treebank leaves every parse a tree.
    #[test]
    fn labeller_overrides_beyond_margin_and_round_trips() {
        let data = toy_data();
        let exs = gold_tag_examples(&data);
        let cl = Clusters::default();
        let (mut p, _) = train(&exs, &exs, &cl, &toy_config(5, 3, 1), &mut |_| {}).expect("trains");
        let g = &data[1];
        let words: Vec<&str> = g.words.iter().map(String::as_str).collect();
        let xp: Vec<&str> = g.xpos.iter().map(String::as_str).collect();
        let up: Vec<&str> = g.upos.iter().map(String::as_str).collect();
        let inp = Input::new(&words, &xp, &up, &cl);
        let (h, l) = p.parse(&inp);
        assert_eq!(p.label(l[1]), "amod");
        let obj = p.labels.iter().position(|x| x == "obj").expect("obj");
        let mut f = Vec::new();
        let comma = hash_str(&normalise(","));
        arc_features(&inp, &h, &l, &children(&h), 1, comma, None, &mut f);
        let mut t = Trainer::new(p.labels.len());
        for _ in 0..3 {
            t.update(&f, obj, l[1] as usize);
            t.tick();
        }
        let weights = t.average(0.0);
        p.labeller = Some(Labeller {
            weights,
            margin: 0.0,
        });
        let (h2, l2) = p.parse(&inp);
        assert_eq!(h2, h);
        assert_eq!(p.label(l2[1]), "obj");
        let q = Parser::read(&p.write(), "mem").expect("round trip");
        assert_eq!(q.parse(&inp), (h2, l2));
        if let Some(lb) = p.labeller.as_mut() {
            lb.margin = 1e9;
        }
        assert_eq!(p.label(p.parse(&inp).1[1]), "amod");
        // Trained on the treebank: any input still parses into one tree.
        let cfg = ParserTrainConfig {
            labeller_epochs: 2,
            ..toy_config(2, 7, 1)
        };
        train_labeller(&mut p, &exs, &exs, &cl, &cfg, &mut |_| {}).expect("trains");
        let cfg = ParserTrainConfig {
            labeller_folds: 2,
            ..cfg
        };
        train_labeller(&mut p, &exs, &exs, &cl, &cfg, &mut |_| {}).expect("trains stacked");
        let p = Parser::read(&p.write(), "mem").expect("round trip");
        assert!(p.parse(&Input::new(&[], &[], &[], &cl)).0.is_empty());
        let long: Vec<&str> = (0..300)
            .map(|i| if i % 5 == 0 { "," } else { "x" })
            .collect();
        let (h, l) = p.parse(&Input::new(&long, &[], &[], &cl));
        assert_eq!(h.iter().filter(|h| h.is_none()).count(), 1);
        assert!(l.iter().all(|&x| (x as usize) < p.labels.len()));
    }

    /// Averaged weights score the mean of the models' scores (to bfloat16
    /// precision), and a parser averaged with itself parses as before.
    #[test]
    fn averaged_parsers_score_the_mean() {
        let data = toy_data();
        let exs = gold_tag_examples(&data);
        let cl = Clusters::default();
        let (a, _) = train(&exs, &exs, &cl, &toy_config(3, 3, 1), &mut |_| {}).expect("trains");
        let (b, _) = train(&exs, &exs, &cl, &toy_config(3, 11, 1), &mut |_| {}).expect("trains");
        let mixed = mean_weights(&[&a.weights, &b.weights], 0.0).expect("mixes");
        let n = a.weights.nclass();
        let (mut sa, mut sb, mut sm) = (vec![0f32; n], vec![0f32; n], vec![0f32; n]);
        let mut f = Vec::new();
        for st in random_states(7, 20, 5) {
            let words = ["the", "big", "dog", "saw", "a", "cat", "."];
            let inp = Input::new(&words, &[], &[], &cl);
            if st.n != words.len() {
                continue;
            }
            features(&inp, &st, &mut f);
            a.weights.score(&f, &mut sa);
            b.weights.score(&f, &mut sb);
            mixed.score(&f, &mut sm);
            for c in 0..n {
                let want = (sa[c] + sb[c]) / 2.0;
                let tol = 0.02 * (sa[c].abs() + sb[c].abs()) + 0.1;
                assert!((sm[c] - want).abs() <= tol, "{c}: {} vs {want}", sm[c]);
            }
        }
        // Trained as an ensemble: the mean of the members trained alone.
        let search = Some((Search::Beam { k: 2, margin: 1.0 }, 30.0));
        let cfg = ParserTrainConfig {
            search,
            ..toy_config(3, 3, 1)
        };
        let (e, _) =
            train_ensemble(&exs, &exs, &cl, &cfg, &[11], 0.0, &mut |_| {}).expect("trains");
        assert_eq!(e.search, Search::Beam { k: 2, margin: 1.0 });
        let mut alone = Parser::read(&a.write(), "mem").expect("reads");
        average_parsers(&mut alone, &[b], 0.0).expect("mixes");
        alone.set_search(Search::Beam { k: 2, margin: 1.0 }, 30.0);
        for g in &data {
            let w: Vec<&str> = g.words.iter().map(String::as_str).collect();
            let xp: Vec<&str> = g.xpos.iter().map(String::as_str).collect();
            let inp = Input::new(&w, &xp, &[], &cl);
            assert_eq!(e.parse(&inp), alone.parse(&inp));
        }
        let mut same = Parser::read(&a.write(), "mem").expect("reads");
        average_parsers(
            &mut same,
            &[Parser::read(&a.write(), "mem").expect("reads")],
            0.0,
        )
        .expect("mixes");
        for g in &data {
            let w: Vec<&str> = g.words.iter().map(String::as_str).collect();
            let xp: Vec<&str> = g.xpos.iter().map(String::as_str).collect();
            let inp = Input::new(&w, &xp, &[], &cl);
            assert_eq!(same.parse(&inp), a.parse(&inp));
        }
        let (c, _) =
            train(&exs[..1], &exs, &cl, &toy_config(1, 3, 1), &mut |_| {}).expect("trains");
        if c.labels != a.labels {
            assert!(average_parsers(&mut same, &[c], 0.0).is_err());
        }
    }

    /// Training examples that carry the gold tags.
    /// A training configuration for the toy treebanks: no pruning, no
    /// search override.
    fn toy_config(epochs: usize, seed: u64, beam: usize) -> ParserTrainConfig {
        ParserTrainConfig {
            epochs,
            seed,
            explore: 0.9,
            prune: 0.0,
            prune_sweep: Vec::new(),
            beam,
            search: None,
            search_report: false,
            home: 0,
            home_repeat: 1,
            labeller_epochs: 0,
            labeller_folds: 0,
            labeller_fold_epochs: 1,
        }
    }

    fn gold_tag_examples(data: &[GoldSentence]) -> Vec<ParserExample<'_>> {
        data.iter()
            .map(|g| ParserExample {
                gold: g,
                xpos: g.xpos.clone(),
                upos: g.upos.clone(),
            })
            .collect()
    }

    fn toy_data() -> Vec<GoldSentence> {
        vec![
            gold(
                &["dogs", "bark", "."],
                &[2, 0, 2],
                &["nsubj", "root", "punct"],
            ),
            gold(
                &["the", "big", "dog", "saw", "a", "cat", "."],
                &[3, 3, 4, 0, 6, 4, 4],
                &["det", "amod", "nsubj", "root", "det", "obj", "punct"],
            ),
            gold(
                &["a", "cat", "saw", "the", "dogs"],
                &[2, 3, 0, 5, 3],
                &["det", "nsubj", "root", "det", "obj"],
            ),
        ]
    }

    /// Global (beam, max-violation) training learns the toy treebank, the
    /// model remembers its beam width, and every search mode parses any
    /// input into one tree.
    #[test]
    fn beam_training_and_every_search_mode() {
        let data = toy_data();
        let exs = gold_tag_examples(&data);
        let cfg = toy_config(6, 5, 4);
        let cl = Clusters::default();
        let (p, _) = train(&exs, &exs, &cl, &cfg, &mut |_| {}).expect("trains");
        assert_eq!(p.search, Search::Beam { k: 4, margin: 0.0 });
        let (uas, las) = attachment(&p, &exs, &cl);
        assert!(uas > 0.99 && las > 0.99, "{uas} {las}");
        let mut p = Parser::read(&p.write(), "mem").expect("round trip");
        assert_eq!(p.search, Search::Beam { k: 4, margin: 0.0 });
        let long: Vec<&str> = (0..300)
            .map(|i| if i % 5 == 0 { "." } else { "dogs" })
            .collect();
        for search in [
            Search::Greedy,
            Search::Beam { k: 1, margin: 0.0 },
            Search::Beam { k: 3, margin: 0.0 },
            Search::Beam { k: 3, margin: 2.0 },
            Search::Branch { k: 4, margin: 5.0 },
            Search::Branch { k: 1, margin: 5.0 },
        ] {
            for temp in [0.0, 2.0] {
                p.set_search(search, temp);
                let q = Parser::read(&p.write(), "mem").expect("round trip");
                assert_eq!((q.search, q.temperature), (search, temp));
                assert!(q.parse(&Input::new(&[], &[], &[], &cl)).0.is_empty());
                let (h, _) = q.parse(&Input::new(&long, &[], &[], &cl));
                assert_eq!(h.len(), long.len());
                assert_eq!(h.iter().filter(|h| h.is_none()).count(), 1, "{search:?}");
            }
        }
        // A search trailer with an unknown mode is refused, and so is junk.
        let mut bytes = p.write();
        let len = bytes.len();
        bytes[len - 13] = 7;
        assert!(Parser::read(&bytes, "mem").is_err());
        bytes.truncate(len - 3);
        assert!(Parser::read(&bytes, "mem").is_err());
    }

    /// Width-1 beams and single-branch branching are greedy search, with
    /// raw or locally normalised scores; wider searches still build one
    /// tree over every word.
    #[test]
    fn narrow_searches_equal_greedy() {
        let data = toy_data();
        let exs = gold_tag_examples(&data);
        let cfg = ParserTrainConfig {
            search: Some((Search::Branch { k: 3, margin: 1.0 }, 20.0)),
            search_report: true,
            ..toy_config(2, 9, 1)
        };
        let cl = Clusters::default();
        let mut log = Vec::new();
        let (mut p, _) =
            train(&exs, &exs, &cl, &cfg, &mut |l| log.push(l.to_string())).expect("trains");
        assert_eq!(p.search, Search::Branch { k: 3, margin: 1.0 });
        assert!(log.iter().any(|l| l.contains("temperature 20")), "{log:?}");
        let words = ["the", "dogs", "saw", "a", "big", "cat", "bark", "."];
        let inp = Input::new(&words, &[], &[], &cl);
        for temp in [0.0, 30.0] {
            p.set_search(Search::Greedy, temp);
            let gs = p.greedy(&inp, State::new(words.len()), &mut 0.0);
            let arcs = |st: &State| -> Vec<(u32, u16)> {
                (0..words.len())
                    .map(|i| (st.head(i), st.label(i)))
                    .collect()
            };
            assert_eq!(arcs(&p.beam(&inp, 1, 0.0)), arcs(&gs));
            assert_eq!(arcs(&p.branch(&inp, 1, 1e9)), arcs(&gs));
            for st in [
                p.beam(&inp, 4, 2.0),
                p.beam(&inp, 4, 0.0),
                p.branch(&inp, 8, 1e9),
            ] {
                assert!(st.terminal());
                assert!((0..words.len()).all(|i| st.head(i) != NONE));
            }
        }
    }

    /// States reached by random valid transitions over `words`.
    fn random_states(n: usize, walks: usize, seed: u64) -> Vec<State> {
        let nlab = 6;
        let mut rng = Rng::new(seed);
        let mut out = Vec::new();
        for _ in 0..walks {
            let mut st = State::new(n);
            while !st.terminal() {
                out.push(st.clone());
                let v = valid(&st);
                let ok: Vec<usize> = (0..1 + 2 * nlab)
                    .filter(|&c| allowed(c, nlab, 0, v))
                    .collect();
                let Some(&c) = ok.get((rng.next_u64() % ok.len().max(1) as u64) as usize) else {
                    break;
                };
                apply(&mut st, decode(c, nlab));
            }
            out.push(st);
        }
        out
    }

    /// The keys built from precomputed token and label parts equal those
    /// computed from all their atoms, for every state, sentence length and
    /// label id (ids past the label table included).
    #[test]
    fn precomputed_key_parts_give_the_direct_keys() {
        let words = [
            "The", "dogs", "saw", "a", "big", "cat", "and", "a", "rat", ".",
        ];
        let xp = ["DT", "NNS", "VBD", "DT", "JJ", "NN", "CC", "DT", "NN", "."];
        let up = [
            "DET", "NOUN", "VERB", "DET", "ADJ", "NOUN", "CCONJ", "DET", "NOUN",
        ];
        let cl = Clusters::default();
        let mut checked = 0;
        for n in [0, 1, 2, 3, words.len()] {
            let inp = Input::new(&words[..n], &xp[..n], &up[..n.min(up.len())], &cl);
            for (k, mut st) in random_states(n, 40, n as u64).into_iter().enumerate() {
                if k % 2 == 1 {
                    for (i, node) in st.nodes.iter_mut().enumerate() {
                        node.label = (i * 97 + k) as u16 % 400;
                    }
                }
                let v = View::new(&inp, &st);
                for g in 0..GROUPS {
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    v.push(g, &mut a);
                    push_direct(&v, g, &mut b);
                    assert_eq!(a, b, "group {g}, n {n}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }

    /// States with equal group keys have equal features in that group, the
    /// groups together are the 123 templates, and every group but the
    /// labels' has a key.
    #[test]
    fn group_keys_determine_group_features() {
        let words = [
            "the", "dogs", "saw", "a", "big", "cat", "and", "a", "rat", ".",
        ];
        let cl = Clusters::default();
        let inp = Input::new(&words, &[], &[], &cl);
        let states = random_states(words.len(), 300, 11);
        assert!(states.len() > 3000);
        let mut seen: Vec<IdMap<Vec<u64>>> = (0..GROUPS).map(|_| IdMap::default()).collect();
        let mut hits = [0usize; GROUPS];
        let mut all = Vec::new();
        for st in &states {
            let v = View::new(&inp, st);
            features(&inp, st, &mut all);
            assert_eq!(all.len(), 123);
            let mut joined = Vec::new();
            for g in 0..GROUPS {
                let mut f = Vec::new();
                v.push(g, &mut f);
                joined.extend_from_slice(&f);
                match v.key(g) {
                    Some(k) => {
                        let prev = seen[g].entry(k).or_insert_with(|| f.clone());
                        assert_eq!(*prev, f, "group {g}");
                        hits[g] += 1;
                    }
                    None => assert_eq!(g, G_LABELS),
                }
            }
            assert_eq!(joined, all);
        }
        // Keys are shared (else caching would be pointless) but not constant.
        for g in [G_BUFFER, G_TOKENS, G_ARCS] {
            assert!(seen[g].len() > 1 && seen[g].len() < hits[g], "{g}");
        }
    }

    /// Scores summed from cached group scores equal those of the whole
    /// feature set, and the fast exponential is accurate.
    #[test]
    fn cached_group_scores_equal_direct_scores() {
        let data = toy_data();
        let exs = gold_tag_examples(&data);
        let cfg = toy_config(3, 5, 1);
        let cl = Clusters::default();
        let (p, _) = train(&exs, &exs, &cl, &cfg, &mut |_| {}).expect("trains");
        let words = ["the", "big", "dogs", "saw", "a", "cat", "."];
        let inp = Input::new(&words, &[], &[], &cl);
        let nc = p.weights.nclass();
        let (mut a, mut b, mut tmp) = (vec![0f32; nc], vec![0f32; nc], vec![0f32; nc]);
        let mut memo = Memo::default();
        let mut feats = Vec::new();
        for st in random_states(words.len(), 50, 3) {
            for cached in [GREEDY_CACHED, BEAM_CACHED] {
                p.memo_scores(&inp, &st, cached, &mut memo, &mut feats, &mut tmp, &mut a);
                features(&inp, &st, &mut feats);
                p.weights.score(&feats, &mut b);
                for (x, y) in a.iter().zip(&b) {
                    assert!((x - y).abs() <= 1e-3 * y.abs().max(1.0), "{a:?} {b:?}");
                }
            }
        }
        assert!(memo.map.len() > 10);
        for i in 0..=8700 {
            let x = -(i as f32) / 100.0;
            let (e, f) = (exp_neg(x), x.exp());
            // Relative error matters near the largest term (e^0 = 1), which
            // is in every sum; far below, only the absolute error does.
            let tol = if x > -10.0 { 5e-6 * f } else { 1e-9 };
            assert!((e - f).abs() <= tol, "{x}: {e} {f}");
        }
        assert!(exp_neg(f32::NEG_INFINITY) < 1e-37);
        assert_eq!(exp_neg(0.0), 1.0);
    }

    /// The global trainer's frozen weights score like its live weights
    /// (to bfloat16 precision): the key folding matches `Weights`.
    #[test]
    fn global_trainer_freezes_to_equivalent_weights() {
        let mut t = GlobalTrainer::new(5);
        let feats: Vec<u64> = (1..200u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for (i, f) in feats.iter().enumerate() {
            t.add(&[*f], i % 5, 1.0 + (i % 3) as f32);
            t.add(&[*f], (i + 2) % 5, -1.0);
        }
        t.c += 1.0;
        let w = t.average(0.0).expect("freezes");
        let (mut a, mut b) = (vec![0f32; 5], vec![0f32; 5]);
        for chunk in feats.chunks(7) {
            // Averaged with c = 2: w - u/c where every update had c = 1.
            t.score(chunk, &mut a);
            w.score(chunk, &mut b);
            for (x, y) in a.iter().zip(&b) {
                assert!(
                    (x / 2.0 - y).abs() <= 0.02 * x.abs().max(1.0),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    /// The one-pass candidates of a beam item are those (and the scores)
    /// of `normalise` followed by the margin test, bit for bit, with and
    /// without normalising, any margin and temperature.
    #[test]
    fn beam_candidates_equal_normalise_then_margin() {
        let labels: Vec<String> = (0..6).map(|l| format!("l{l}")).collect();
        let nclass = 1 + 2 * labels.len();
        let ninf = f32::NEG_INFINITY;
        let mut rng = Rng::new(17);
        let mut checked = 0;
        for t in [0.5f32, 30.0] {
            let p = Parser {
                labels: labels.clone(),
                root: 0,
                weights: Weights::from_runs(nclass, Vec::new()),
                search: Search::Beam { k: 4, margin: 2.0 },
                temperature: t,
                labeller: None,
            };
            for st in random_states(7, 20, 5).iter().filter(|s| !s.terminal()) {
                for (margin, normalise) in [(0.0, true), (0.5, false), (2.0, true), (2.0, false)] {
                    let raw: Vec<f32> = (0..nclass)
                        .map(|_| (rng.unit() as f32 - 0.5) * 90.0)
                        .collect();
                    let mut s = raw.clone();
                    p.normalise(st, &mut s, normalise);
                    let best = s.iter().fold(ninf, |b, &x| if x > b { x } else { b });
                    let floor = if margin > 0.0 { best - margin } else { ninf };
                    let want: Vec<(u32, u16)> = (0..nclass)
                        .filter(|&c| s[c] >= floor && s[c] > ninf)
                        .map(|c| ((1.25 + s[c]).to_bits(), c as u16))
                        .collect();
                    let mut got = Vec::new();
                    let mut s2 = raw.clone();
                    assert!(p.beam_cands(st, &mut s2, (1.25, 3), (margin, normalise), &mut got));
                    assert!(got.iter().all(|c| c.item == 3));
                    let got: Vec<(u32, u16)> =
                        got.iter().map(|c| (c.score.to_bits(), c.class)).collect();
                    assert_eq!(got, want);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100);
    }
}
