//! Sparse multi-class averaged perceptron.
//!
//! Training keeps, per feature key, only the classes that feature was ever
//! updated for (`Trainer`); averaging uses the Daumé trick (`w - u/c`).
//! The frozen model ([`Weights`]) is an open-addressing table from feature
//! key to a run of `(class, weight)` pairs: scoring a feature costs one probe
//! plus a few additions.

use crate::hash::IdMap;
use crate::io::{Reader, Writer};
use crate::Error;

#[derive(Clone, Copy)]
struct Entry {
    class: u32,
    w: f32,
    u: f64,
}

pub(crate) struct Trainer {
    nclass: usize,
    table: IdMap<Vec<Entry>>,
    /// Number of instances seen so far, plus one.
    c: f64,
}

impl Trainer {
    pub(crate) fn new(nclass: usize) -> Trainer {
        Trainer {
            nclass,
            table: IdMap::default(),
            c: 1.0,
        }
    }

    pub(crate) fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        for f in feats {
            if let Some(es) = self.table.get(f) {
                for e in es {
                    out[e.class as usize] += e.w;
                }
            }
        }
    }

    /// Promote `truth`, demote `guess` (no-op when they are equal).
    pub(crate) fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let c = self.c;
        for &f in feats {
            let es = self.table.entry(f).or_default();
            for (class, d) in [(truth as u32, 1.0f32), (guess as u32, -1.0f32)] {
                match es.iter_mut().find(|e| e.class == class) {
                    Some(e) => {
                        e.w += d;
                        e.u += c * d as f64;
                    }
                    None => es.push(Entry {
                        class,
                        w: d,
                        u: c * d as f64,
                    }),
                }
            }
        }
    }

    /// Add `d` to the weights of `class` for `feats` (a structured update
    /// is a sum of these).
    pub(crate) fn add(&mut self, feats: &[u64], class: usize, d: f32) {
        let c = self.c;
        for &f in feats {
            let es = self.table.entry(f).or_default();
            match es.iter_mut().find(|e| e.class == class as u32) {
                Some(e) => {
                    e.w += d;
                    e.u += c * d as f64;
                }
                None => es.push(Entry {
                    class: class as u32,
                    w: d,
                    u: c * d as f64,
                }),
            }
        }
    }

    /// Count one training instance (for averaging).
    pub(crate) fn tick(&mut self) {
        self.c += 1.0;
    }

    /// The averaged weights, dropping those with magnitude below `prune`.
    pub(crate) fn average(&self, prune: f32) -> Weights {
        let mut runs: Vec<(u32, Vec<(u16, f32)>)> = self
            .table
            .iter()
            .map(|(&k, es)| {
                let run = es
                    .iter()
                    .map(|e| (e.class as u16, (e.w as f64 - e.u / self.c) as f32))
                    .collect();
                (short_key(k), run)
            })
            .collect();
        runs.sort_unstable_by_key(|r| r.0);
        build(self.nclass, runs, prune)
    }
}

/// The 32-bit key a 64-bit feature hash is stored under (never 0).
#[inline]
fn short_key(k: u64) -> u32 {
    let s = (k >> 32) as u32 ^ k as u32;
    if s == 0 {
        1
    } else {
        s
    }
}

/// Round to the nearest bfloat16 and back (what the model file keeps).
fn bf16(w: f32) -> u16 {
    let b = w.to_bits();
    let r = b.wrapping_add(0x7fff + ((b >> 16) & 1));
    (r >> 16) as u16
}

fn from_bf16(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

/// Build weights from runs sorted by key; runs with equal keys are merged,
/// weights are rounded to bfloat16 and those below `prune` dropped.
fn build(nclass: usize, runs: Vec<(u32, Vec<(u16, f32)>)>, prune: f32) -> Weights {
    let mut slots_in: Vec<Slot> = Vec::new();
    let mut arena: Vec<u32> = Vec::new();
    let mut dense: Vec<f32> = Vec::new();
    let mut bytes: Vec<u8> = Vec::new();
    let small = nclass <= SMALL;
    let stride = row_stride(nclass);
    let mut i = 0;
    let mut merged: Vec<f32> = vec![0.0; nclass];
    let mut touched: Vec<u16> = Vec::new();
    let mut kept: Vec<u32> = Vec::new();
    while i < runs.len() {
        let key = runs[i].0;
        touched.clear();
        while i < runs.len() && runs[i].0 == key {
            for &(c, w) in &runs[i].1 {
                if (c as usize) < nclass {
                    touched.push(c);
                    merged[c as usize] += w;
                }
            }
            i += 1;
        }
        touched.sort_unstable();
        touched.dedup();
        kept.clear();
        for &c in &touched {
            let h = bf16(merged[c as usize]);
            merged[c as usize] = 0.0;
            let w = from_bf16(h);
            if w.abs() >= prune && w != 0.0 {
                kept.push((c as u32) << 16 | h as u32);
            }
        }
        // Offsets must fit below the flag bits; `read` rejects models that
        // large, so this only guards trained ones (over 4 GB of weights).
        let used = arena.len().max(dense.len()).max(bytes.len());
        if kept.is_empty() || used + stride.max(3 * kept.len() + 1) > MAX_ARENA {
            continue;
        }
        let val = if kept.len() * DENSE_SHARE >= nclass && kept.len() > 2 {
            // Dense row: all classes as f32 (the bfloat16 weights widened,
            // exactly), added with SIMD (faster than the entries one by one
            // from a quarter of the classes on).
            let base = dense.len();
            dense.resize(base + stride, 0.0);
            for &e in &kept {
                dense[base + (e >> 16) as usize] = from_bf16(e as u16);
            }
            DENSE | base as u32
        } else if kept.len() == 1 && nclass <= MAX_INLINE_CLASSES {
            // A single weight: kept in the slot itself (one memory access).
            INLINE | kept[0]
        } else if small
            && kept.len() <= MAX_BYTES_RUN
            && bytes.len() + 3 * kept.len() <= BYTES_OFFSET_MASK as usize
        {
            // Sparse run of a model with few classes: the classes, then the
            // weights (3 bytes an entry); its length is in the slot.
            let base = bytes.len();
            bytes.extend(kept.iter().map(|&e| (e >> 16) as u8));
            for &e in &kept {
                bytes.extend_from_slice(&(e as u16).to_le_bytes());
            }
            SMALL_RUN | (kept.len() as u32) << BYTES_LEN_SHIFT | base as u32
        } else {
            // Sparse run: its length, then the entries.
            let base = arena.len();
            arena.push(kept.len() as u32);
            arena.extend_from_slice(&kept);
            base as u32
        };
        slots_in.push(Slot { key, val });
    }
    let nkeys = slots_in.len();
    // Load factor 2/5 with 8-byte slots (eight per cache line, 20 bytes a
    // feature): a lookup nearly always reads one line, and probes are short
    // (1.3 slots on average for a present key, 1.9 for an absent one).
    // Measured on the nlp stage: load 3/4 is 10 % slower than 3/5, 1/2 is
    // 4 % faster and 2/5 another 4 % (presumably fewer mispredicted probe
    // steps); 1/3 gains little more. Any size: no rounding to a power of two.
    let cap = (nkeys * 5 / 2 + 1).max(16);
    let mut slots = huge_vec(cap);
    slots.resize(cap, Slot::default());
    for slot in slots_in {
        let mut j = slot_of(slot.key, cap);
        while slots[j].key != 0 {
            j = next_slot(j, cap);
        }
        slots[j] = slot;
    }
    let mut packed = huge_vec(arena.len());
    packed.extend_from_slice(&arena);
    let mut rows = huge_vec(dense.len());
    rows.extend_from_slice(&dense);
    let mut packed8 = huge_vec(bytes.len());
    packed8.extend_from_slice(&bytes);
    Weights {
        nclass,
        stride,
        nkeys,
        slots,
        arena: packed,
        dense: rows,
        bytes: packed8,
    }
}

/// An empty vector with room for `n` items whose memory the kernel is
/// asked to back with huge pages (Linux transparent huge pages in
/// `madvise` mode). Lookups in the weight tables are random over tens of
/// megabytes, so with 4 KiB pages nearly every one also misses the TLB.
/// Only a hint: where it is not honoured, nothing changes.
fn huge_vec<T>(n: usize) -> Vec<T> {
    let v: Vec<T> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        const MADV_HUGEPAGE: i32 = 14;
        extern "C" {
            fn madvise(addr: *mut core::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        let bytes = n.saturating_mul(std::mem::size_of::<T>());
        let start = v.as_ptr() as usize;
        let first = start.div_ceil(PAGE) * PAGE;
        let end = (start + bytes) / PAGE * PAGE;
        if bytes >= 1 << 21 && end > first {
            // SAFETY: the range lies inside the vector's own allocation and is
            // page-aligned; MADV_HUGEPAGE only changes how the kernel backs
            // the pages, never their contents, and failure is harmless.
            unsafe {
                madvise(first as *mut core::ffi::c_void, end - first, MADV_HUGEPAGE);
            }
        }
    }
    v
}

/// Flag on a slot's value: the value itself is the one entry
/// (`class << 16 | bfloat16 weight`) of the feature's run.
const INLINE: u32 = 1 << 31;

/// Flag on a slot's value: the run is a dense row of `nclass` f32 at the
/// arena offset in the low bits.
const DENSE: u32 = 1 << 30;

/// Flag on a slot's value (with [`DENSE`]): a sparse run in `bytes`, its
/// length in the bits from [`BYTES_LEN_SHIFT`] and its offset below them.
const SMALL_RUN: u32 = DENSE | INLINE;

/// Where the length of a sparse run in `bytes` starts in its slot value.
const BYTES_LEN_SHIFT: u32 = 24;

/// The offset of a sparse run in `bytes` (below its length).
const BYTES_OFFSET_MASK: u32 = (1 << BYTES_LEN_SHIFT) - 1;

/// Longest sparse run kept in `bytes` (longer ones go to `arena`).
const MAX_BYTES_RUN: usize = (OFFSET_MASK >> BYTES_LEN_SHIFT) as usize;

/// Models with at most this many classes keep sparse runs as bytes.
const SMALL: usize = 256;

/// A run with at least `nclass / DENSE_SHARE` entries is kept as a dense row.
const DENSE_SHARE: usize = 4;

/// Arena offsets are below this (the two flag bits are above it).
const OFFSET_MASK: u32 = DENSE - 1;

/// Single entries are inlined only when the class fits in 14 bits (so the
/// entry never has the [`DENSE`] bit).
const MAX_INLINE_CLASSES: usize = 1 << 14;

/// Arena words a model may have (offsets must fit below the flag bits).
const MAX_ARENA: usize = OFFSET_MASK as usize;

/// Scores are summed in groups of this many classes (one 256-bit vector of
/// f32): dense rows and the accumulator of [`Weights::score`] are padded
/// to a multiple of it, so the additions have no scalar tail.
const LANES: usize = 8;

/// Length of a dense row of a model with `nclass` classes.
fn row_stride(nclass: usize) -> usize {
    nclass.div_ceil(LANES) * LANES
}

/// `acc[c] += row[c]` for every class, [`LANES`]
/// at a time (lengths are multiples of [`LANES`]). Each sum is the same
/// single f32 addition whatever the instruction set. `AVX2` must only be
/// set where the caller is compiled for AVX2.
#[inline(always)]
fn add_row<const AVX2: bool>(acc: &mut [f32], row: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::*;
        for (a, h) in acc.chunks_exact_mut(LANES).zip(row.chunks_exact(LANES)) {
            // SAFETY: `a` and `h` hold 8 f32 each (exact chunks), so the
            // unaligned loads and the store stay inside them; SSE2 is part
            // of x86_64, and AVX2 instructions are used only when the caller
            // is compiled for AVX2 (`AVX2`).
            unsafe {
                if AVX2 {
                    let s = _mm256_add_ps(_mm256_loadu_ps(a.as_ptr()), _mm256_loadu_ps(h.as_ptr()));
                    _mm256_storeu_ps(a.as_mut_ptr(), s);
                } else {
                    let p = a.as_mut_ptr();
                    let q = h.as_ptr();
                    _mm_storeu_ps(p, _mm_add_ps(_mm_loadu_ps(p), _mm_loadu_ps(q)));
                    _mm_storeu_ps(
                        p.add(4),
                        _mm_add_ps(_mm_loadu_ps(p.add(4)), _mm_loadu_ps(q.add(4))),
                    );
                }
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for (a, &h) in acc.iter_mut().zip(row) {
        *a += h;
    }
}

/// The accumulator of [`Weights::score`] for models with at most `N`
/// classes (`N` a power of two, at most [`SMALL`]): on the stack, aligned
/// for vector loads; a class is masked with `N - 1`, which keeps every
/// class of the model and needs no bounds check.
#[repr(C, align(32))]
struct Acc<const N: usize>([f32; N]);

#[inline]
fn slot_of(key: u32, cap: usize) -> usize {
    // Multiply-shift range reduction: uniform over `0..cap` for any `cap`.
    ((key.wrapping_mul(0x9E37_79B1) as u64 * cap as u64) >> 32) as usize
}

#[inline]
fn next_slot(i: usize, cap: usize) -> usize {
    if i + 1 >= cap {
        0
    } else {
        i + 1
    }
}

/// One feature: its key (0: empty slot) and its value: with [`INLINE`]
/// alone, the run's one entry; with [`SMALL_RUN`], the length and offset
/// of a sparse run in `bytes`; with [`DENSE`] alone, the offset of a dense row in
/// `dense`; without flags, the offset in `arena` of the run's length, then
/// its entries. 8 bytes: eight per cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, align(8))]
struct Slot {
    key: u32,
    val: u32,
}

/// Frozen, averaged perceptron weights: an open-addressing table from
/// 32-bit feature key to a run of (class, bfloat16 weight) entries: single
/// entries inside the table (`class << 16 | weight`), sparse runs in
/// `arena` (same words) or, for models with at most [`SMALL`] classes, in
/// `bytes` (3 bytes an entry), and runs with many classes as dense rows.
/// The file format ([`Weights::write`]) does not depend on this layout.
pub(crate) struct Weights {
    nclass: usize,
    /// Length of a dense row: `nclass` rounded up to [`LANES`] (the
    /// padding is zero).
    stride: usize,
    nkeys: usize,
    slots: Vec<Slot>,
    arena: Vec<u32>,
    /// Dense rows: `stride` weights each (`nclass` used), bfloat16 values
    /// widened to f32.
    dense: Vec<f32>,
    /// Sparse runs of models with at most [`SMALL`] classes: the classes
    /// (u8), then the weights (bfloat16, little-endian).
    bytes: Vec<u8>,
}

#[inline(always)]
fn prefetch<T>(r: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults and `r` is a valid reference.
    unsafe {
        core::arch::x86_64::_mm_prefetch(
            r as *const T as *const i8,
            core::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = r;
}

/// Ask for the cache line holding element `i` of `v` (no bounds check
/// needed: the address is only computed, never read, and a prefetch of any
/// address is a hint that never faults).
#[inline(always)]
fn prefetch_at<T>(v: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `wrapping_add` computes an address without dereferencing it,
    // and a prefetch never faults, whatever the address.
    unsafe {
        core::arch::x86_64::_mm_prefetch(
            v.as_ptr().wrapping_add(i) as *const i8,
            core::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (v, i);
}

/// Offset and length of a sparse run in `bytes`, from its slot value.
#[inline(always)]
fn bytes_run(val: u32) -> (usize, usize) {
    (
        (val & BYTES_OFFSET_MASK) as usize,
        ((val & OFFSET_MASK) >> BYTES_LEN_SHIFT) as usize,
    )
}

/// Words of `u32` (or `f32`) per cache line.
const LINE_WORDS: usize = 16;

/// A feature's weights, as found in the table.
enum Run<'a> {
    One(u32),
    Sparse(&'a [u32]),
    Dense(&'a [f32]),
    /// Classes and little-endian bfloat16 weights.
    Bytes(&'a [u8], &'a [u8]),
}

impl Weights {
    pub(crate) fn nclass(&self) -> usize {
        self.nclass
    }

    /// Number of features with at least one weight.
    pub(crate) fn len(&self) -> usize {
        self.nkeys
    }

    /// The value of `key`'s slot, probing from slot `i`.
    #[inline]
    fn find(&self, key: u32, mut i: usize) -> Option<u32> {
        let cap = self.slots.len();
        loop {
            let s = self.slots.get(i)?;
            if s.key == key {
                return Some(s.val);
            }
            if s.key == 0 {
                return None;
            }
            i = next_slot(i, cap);
        }
    }

    /// Ask for the arena lines of a slot value's run to be brought into
    /// the cache (the whole run, up to 8 lines).
    #[inline(always)]
    fn prefetch_run(&self, val: u32) {
        if val & SMALL_RUN == INLINE {
            return;
        }
        if val & SMALL_RUN == SMALL_RUN {
            let (o, n) = bytes_run(val);
            prefetch_at(&self.bytes, o);
            prefetch_at(&self.bytes, (o + 3 * n).wrapping_sub(1));
            return;
        }
        let o = (val & OFFSET_MASK) as usize;
        if val & DENSE != 0 {
            let mut k = 0;
            while k < self.stride.min(8 * LINE_WORDS) {
                prefetch_at(&self.dense, o + k);
                k += LINE_WORDS;
            }
            prefetch_at(&self.dense, o + self.stride - 1);
            return;
        }
        let words = {
            // The length is in the run's first word, not yet read: two lines
            // cover the common runs; the rest streams in behind them.
            LINE_WORDS + 1
        };
        let mut k = 0;
        while k < words.min(8 * LINE_WORDS) {
            if let Some(a) = self.arena.get(o + k) {
                prefetch(a);
            }
            k += LINE_WORDS;
        }
        if let Some(a) = self.arena.get(o + words - 1) {
            prefetch(a);
        }
    }

    /// The run of a slot value.
    #[inline]
    fn run(&self, val: u32) -> Run<'_> {
        let o = (val & OFFSET_MASK) as usize;
        if val & SMALL_RUN == SMALL_RUN {
            let (o, n) = bytes_run(val);
            let run = self.bytes.get(o..o + 3 * n).unwrap_or(&[]);
            let (classes, weights) = run.split_at(run.len() / 3);
            return Run::Bytes(classes, weights);
        }
        if val & INLINE != 0 {
            return Run::One(val & !INLINE);
        }
        if val & DENSE != 0 {
            Run::Dense(self.dense.get(o..o + self.nclass).unwrap_or(&[]))
        } else {
            let n = self.arena.get(o).map_or(0, |&n| n as usize);
            Run::Sparse(self.arena.get(o + 1..o + 1 + n).unwrap_or(&[]))
        }
    }

    /// Sum the weights of `feats` per class into `out`. Lookups are done in
    /// batches with prefetching, so cache misses overlap. The additions are
    /// made feature by feature in the order of `feats`, each run in class
    /// order, so every path below gives the same sums, bit for bit.
    pub(crate) fn score(&self, feats: &[u64], out: &mut [f32]) {
        // (A 128-class accumulator for the models with fewer classes
        // measured slower than this 256-class one.)
        if out.len() != self.nclass {
            self.score_any(feats, out)
        } else if self.stride <= SMALL {
            self.score_into::<SMALL>(feats, out)
        } else {
            self.score_any(feats, out)
        }
    }

    /// [`Weights::score`] through an accumulator of `N` classes (`N` ≥
    /// `stride`, `out` of `nclass`).
    #[inline(always)]
    fn score_into<const N: usize>(&self, feats: &[u64], out: &mut [f32]) {
        let mut acc = Acc([0.0; N]);
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2 (checked just above).
                unsafe { self.score_small_avx2(feats, &mut acc) };
                out.copy_from_slice(acc.0.get(..self.nclass).unwrap_or(&[]));
                return;
            }
        }
        self.score_small::<false, N>(feats, &mut acc);
        out.copy_from_slice(acc.0.get(..self.nclass).unwrap_or(&[]));
    }

    /// [`Weights::score_small`] compiled for AVX2 (dense rows are added
    /// eight classes at a time).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_small_avx2<const N: usize>(&self, feats: &[u64], acc: &mut Acc<N>) {
        self.score_small::<true, N>(feats, acc)
    }

    /// Sums of a model whose `stride` is at most `N` into `acc` (zero on
    /// entry; the first `stride` classes are written). `AVX2`: only when
    /// inlined into a function compiled for AVX2.
    #[inline(always)]
    fn score_small<const AVX2: bool, const N: usize>(&self, feats: &[u64], acc: &mut Acc<N>) {
        const B: usize = 64;
        let mut keys = [0u32; B];
        let mut idx = [0u32; B];
        let mut found = [0u32; B];
        let cap = self.slots.len();
        let stride = self.stride.min(N);
        for chunk in feats.chunks(B) {
            for ((&f, key), ix) in chunk.iter().zip(&mut keys).zip(&mut idx) {
                *key = short_key(f);
                let i = slot_of(*key, cap);
                *ix = i as u32;
                prefetch_at(&self.slots, i);
            }
            let n = chunk.len().min(B);
            let mut m = 0;
            for (&key, &i) in keys[..n].iter().zip(&idx[..n]) {
                if let Some(v) = self.find(key, i as usize) {
                    self.prefetch_run(v);
                    if let Some(x) = found.get_mut(m) {
                        *x = v;
                    }
                    m += 1;
                }
            }
            for &v in &found[..m.min(B)] {
                let o = (v & OFFSET_MASK) as usize;
                if v & SMALL_RUN == SMALL_RUN {
                    let (o, n) = bytes_run(v);
                    if let Some(run) = self.bytes.get(o..o + 3 * n) {
                        let (classes, weights) = run.split_at(n);
                        for (&c, w) in classes.iter().zip(weights.chunks_exact(2)) {
                            acc.0[c as usize & (N - 1)] +=
                                from_bf16(u16::from_le_bytes([w[0], w[1]]));
                        }
                    }
                } else if v & INLINE != 0 {
                    acc.0[(v >> 16) as usize & (N - 1)] += from_bf16(v as u16);
                } else if v & DENSE != 0 {
                    if let Some(row) = self.dense.get(o..o + stride) {
                        add_row::<AVX2>(&mut acc.0[..stride], row);
                    }
                } else {
                    let n = self.arena.get(o).map_or(0, |&n| n as usize);
                    for &e in self.arena.get(o + 1..o + 1 + n).unwrap_or(&[]) {
                        acc.0[(e >> 16) as usize & (N - 1)] += from_bf16(e as u16);
                    }
                }
            }
        }
    }

    /// [`Weights::score`] for any number of classes and any `out` length
    /// (classes beyond `out` are ignored).
    fn score_any(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        const B: usize = 64;
        let mut keys = [0u32; B];
        let mut idx = [0usize; B];
        let mut found = [0u32; B];
        let cap = self.slots.len();
        for chunk in feats.chunks(B) {
            for (k, &f) in chunk.iter().enumerate() {
                keys[k] = short_key(f);
                idx[k] = slot_of(keys[k], cap);
                if let Some(s) = self.slots.get(idx[k]) {
                    prefetch(s);
                }
            }
            let mut m = 0;
            for k in 0..chunk.len() {
                if let Some(v) = self.find(keys[k], idx[k]) {
                    self.prefetch_run(v);
                    found[m] = v;
                    m += 1;
                }
            }
            for &v in &found[..m] {
                match self.run(v) {
                    Run::One(e) => {
                        if let Some(x) = out.get_mut((e >> 16) as usize) {
                            *x += from_bf16(e as u16);
                        }
                    }
                    Run::Sparse(run) => {
                        for &e in run {
                            if let Some(x) = out.get_mut((e >> 16) as usize) {
                                *x += from_bf16(e as u16);
                            }
                        }
                    }
                    Run::Dense(row) => {
                        for (x, &h) in out.iter_mut().zip(row) {
                            *x += h;
                        }
                    }
                    Run::Bytes(classes, weights) => {
                        for (&c, w) in classes.iter().zip(weights.chunks_exact(2)) {
                            if let Some(x) = out.get_mut(c as usize) {
                                *x += from_bf16(u16::from_le_bytes([w[0], w[1]]));
                            }
                        }
                    }
                }
            }
        }
    }

    /// The runs (key, [(class, weight)]) of the table, in key order.
    pub(crate) fn sorted_runs(&self) -> Vec<(u32, Vec<(u16, f32)>)> {
        let mut v: Vec<(u32, Vec<(u16, f32)>)> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| {
                let run = match self.run(s.val) {
                    Run::One(e) => vec![((e >> 16) as u16, from_bf16(e as u16))],
                    Run::Sparse(words) => words
                        .iter()
                        .map(|&e| ((e >> 16) as u16, from_bf16(e as u16)))
                        .collect(),
                    Run::Bytes(classes, weights) => classes
                        .iter()
                        .zip(weights.chunks_exact(2))
                        .map(|(&c, w)| (c as u16, from_bf16(u16::from_le_bytes([w[0], w[1]]))))
                        .collect(),
                    Run::Dense(words) => words
                        .iter()
                        .enumerate()
                        .map(|(c, &h)| (c as u16, h))
                        .filter(|x| x.1 != 0.0)
                        .collect(),
                };
                (s.key, run)
            })
            .collect();
        v.sort_unstable_by_key(|r| r.0);
        v
    }

    /// Weights from runs with strictly increasing keys and classes below
    /// `nclass` (weights rounded to bfloat16, as a written and read table).
    pub(crate) fn from_runs(nclass: usize, runs: Vec<(u32, Vec<(u16, f32)>)>) -> Weights {
        build(nclass, runs, 0.0)
    }

    /// A copy without the weights of magnitude below `prune`.
    pub(crate) fn pruned(&self, prune: f32) -> Weights {
        build(self.nclass, self.sorted_runs(), prune)
    }

    /// Format: class count (u32), key count (u32), then per key in
    /// increasing order: key (u32), run length (u8 or u16 when there are
    /// more than 255 classes), and per entry the class (same width) and the
    /// weight as bfloat16.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.nclass as u32);
        w.u32(self.nkeys as u32);
        let wide = self.nclass > 255;
        let small = |w: &mut Writer, v: usize| if wide { w.u16(v as u16) } else { w.u8(v as u8) };
        for (key, run) in self.sorted_runs() {
            w.u32(key);
            small(w, run.len());
            for (c, v) in run {
                small(w, c as usize);
                w.u16(bf16(v));
            }
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Weights, Error> {
        let nclass = r.u32("class count")? as usize;
        if nclass == 0 || nclass > u16::MAX as usize {
            return Err(Error::Model(format!(
                "{}: bad class count {nclass}",
                r.name()
            )));
        }
        let wide = nclass > 255;
        let nkeys = r.count("feature count", 5)?;
        let mut runs = Vec::with_capacity(nkeys);
        let mut prev = 0u32;
        // Upper bound of the arenas' sizes (runs with equal classes merge).
        let mut words = 0usize;
        for _ in 0..nkeys {
            let key = r.u32("feature key")?;
            if key <= prev {
                return Err(Error::Model(format!(
                    "{}: feature keys not strictly increasing",
                    r.name()
                )));
            }
            prev = key;
            let n = if wide {
                r.u16("run length")? as usize
            } else {
                r.u8("run length")? as usize
            };
            let mut run = Vec::with_capacity(n);
            for _ in 0..n {
                let c = if wide {
                    r.u16("class")?
                } else {
                    r.u8("class")? as u16
                };
                if c as usize >= nclass {
                    return Err(Error::Model(format!(
                        "{}: class {c} out of range ({nclass} classes)",
                        r.name()
                    )));
                }
                run.push((c, from_bf16(r.u16("weight")?)));
            }
            words += 3 * n
                + 1
                + if DENSE_SHARE * n >= nclass {
                    row_stride(nclass)
                } else {
                    0
                };
            runs.push((key, run));
        }
        if words > MAX_ARENA {
            return Err(Error::Model(format!(
                "{}: too many weights ({words} words)",
                r.name()
            )));
        }
        Ok(build(nclass, runs, 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Reader;

    #[test]
    fn learns_separable_problem_and_round_trips() {
        // class = which of features 10/20/30 is present; feature 99 always on.
        let data = [
            (vec![10u64, 99], 0usize),
            (vec![20, 99], 1),
            (vec![30, 99], 2),
        ];
        let mut t = Trainer::new(3);
        let mut scores = [0f32; 3];
        for _ in 0..5 {
            for (f, y) in &data {
                t.score(f, &mut scores);
                let guess = argmax(&scores);
                t.update(f, *y, guess);
                t.tick();
            }
        }
        let w = t.average(0.0);
        for (f, y) in &data {
            w.score(f, &mut scores);
            assert_eq!(argmax(&scores), *y);
        }
        let mut out = Writer::header("test");
        w.write(&mut out);
        let mut r = Reader::open(&out.buf, "mem", "test").expect("header");
        let w2 = Weights::read(&mut r).expect("reads");
        r.finish().expect("no trailing bytes");
        let mut s2 = [0f32; 3];
        for (f, _) in &data {
            w.score(f, &mut scores);
            w2.score(f, &mut s2);
            assert_eq!(scores, s2);
        }
        assert!(Reader::open(&out.buf[..5], "mem", "test").is_err());
        assert!(Reader::open(&out.buf, "mem", "other").is_err());
    }

    /// Inline, arena and dense runs, and absent keys, all score as the
    /// plain sum of their weights, whatever the table size.
    #[test]
    fn every_run_layout_scores_like_a_plain_sum() {
        let nclass = 8;
        let mut runs: Vec<(u32, Vec<(u16, f32)>)> = Vec::new();
        for key in 1..300u32 {
            let len = (key % 7) as usize; // 0 (dropped) … 6 (dense)
            let run = (0..len)
                .map(|c| (c as u16, (key as f32) * 0.5 - c as f32))
                .collect();
            runs.push((key.wrapping_mul(2_654_435_761) % 1_000_003 + 1, run));
        }
        runs.sort_unstable_by_key(|r| r.0);
        let w = build(nclass, runs.clone(), 0.0);
        assert_eq!(w.len(), runs.iter().filter(|r| !r.1.is_empty()).count());
        let mut out = vec![0f32; nclass];
        for (key, run) in &runs {
            // A raw feature hash whose short key is `key`.
            w.score(&[*key as u64], &mut out);
            let mut want = vec![0f32; nclass];
            for &(c, v) in run {
                want[c as usize] += from_bf16(bf16(v));
            }
            assert_eq!(out, want, "key {key}");
        }
        w.score(&[0xdead_beef_0000_0000], &mut out);
        assert!(out.iter().all(|&x| x == 0.0));
        // Round trip through the file format keeps every run.
        assert_eq!(w.sorted_runs(), w.pruned(0.0).sorted_runs());
    }

    /// With more classes than fit an inline entry or a byte, single
    /// weights and short runs go to the word arena and still score as a
    /// plain sum; long runs become dense rows.
    #[test]
    fn many_classes_use_the_word_arena() {
        let nclass = MAX_INLINE_CLASSES + 10;
        let mut runs: Vec<(u32, Vec<(u16, f32)>)> = (1..50u32)
            .map(|k| {
                let run = (0..(k % 3 + 1) as usize)
                    .map(|j| {
                        (
                            (nclass - 1 - 3 * k as usize - j) as u16,
                            k as f32 + j as f32,
                        )
                    })
                    .collect::<Vec<_>>();
                (k * 7919, run.into_iter().rev().collect())
            })
            .collect();
        let long: Vec<(u16, f32)> = (0..nclass / DENSE_SHARE + 1)
            .map(|c| ((c * 3) as u16, 0.5 + c as f32))
            .collect();
        runs.push((1_000_000, long));
        let w = build(nclass, runs.clone(), 0.0);
        assert_eq!(w.dense.len(), row_stride(nclass));
        assert!(w.bytes.is_empty());
        let mut out = vec![0f32; nclass];
        for (key, run) in &runs {
            w.score(&[*key as u64], &mut out);
            let mut want = vec![0f32; nclass];
            for &(c, v) in run {
                want[c as usize] += from_bf16(bf16(v));
            }
            assert_eq!(out, want, "key {key}");
        }
        let rounded: Vec<(u32, Vec<(u16, f32)>)> = runs
            .iter()
            .map(|(k, r)| {
                (
                    *k,
                    r.iter().map(|&(c, v)| (c, from_bf16(bf16(v)))).collect(),
                )
            })
            .collect();
        assert_eq!(w.sorted_runs(), rounded);
    }

    /// The scoring paths (any class count, small models, small models
    /// with AVX2) give the same sums bit for bit, whatever the run
    /// layouts, the feature order and repeated features.
    #[test]
    fn scoring_paths_agree_bit_for_bit() {
        let mut rng = crate::hash::Rng::new(3);
        for nclass in [1usize, 3, 8, 21, 103, 115, 256] {
            let mut runs: Vec<(u32, Vec<(u16, f32)>)> = Vec::new();
            for key in 1..400u32 {
                let len = match key % 5 {
                    0 => nclass,
                    1 => 1,
                    _ => 1 + (rng.next_u64() as usize) % nclass.min(12),
                };
                let mut classes: Vec<u16> = (0..nclass as u16).collect();
                rng.shuffle(&mut classes);
                classes.truncate(len);
                classes.sort_unstable();
                let run = classes
                    .iter()
                    .map(|&c| (c, (rng.unit() as f32 - 0.5) * 7.3))
                    .collect();
                runs.push((key * 7919, run));
            }
            let w = build(nclass, runs, 0.0);
            assert_eq!(w.dense.len() % LANES, 0);
            let feats: Vec<u64> = (0..150)
                .map(|_| match rng.next_u64() % 4 {
                    0 => rng.next_u64(),
                    _ => ((rng.next_u64() % 400) as u32 * 7919) as u64,
                })
                .collect();
            let mut any = vec![0f32; nclass];
            w.score_any(&feats, &mut any);
            let mut out = vec![1f32; nclass];
            w.score(&feats, &mut out);
            assert_eq!(
                any.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                out.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
            let mut acc = Acc([0.0; SMALL]);
            w.score_small::<false, SMALL>(&feats, &mut acc);
            assert_eq!(&acc.0[..nclass], &any[..]);
            assert!(acc.0[nclass..].iter().all(|&x| x == 0.0));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                let mut acc2 = Acc([0.0; SMALL]);
                // SAFETY: AVX2 is supported (checked).
                unsafe { w.score_small_avx2(&feats, &mut acc2) };
                assert_eq!(
                    acc.0.map(f32::to_bits).to_vec(),
                    acc2.0.map(f32::to_bits).to_vec()
                );
            }
            // A shorter output takes the general path and keeps its classes.
            let mut short = vec![0f32; nclass.saturating_sub(1)];
            w.score(&feats, &mut short);
            assert_eq!(&short[..], &any[..nclass - 1]);
        }
    }

    fn argmax(s: &[f32]) -> usize {
        let mut b = 0;
        for i in 1..s.len() {
            if s[i] > s[b] {
                b = i;
            }
        }
        b
    }
}
