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
        if kept.is_empty() {
            continue;
        }
        let mut slot = Slot {
            key,
            ..Slot::default()
        };
        if kept.len() * 2 >= nclass && kept.len() > INLINE {
            // Dense row: all classes as f32 bits, added with SIMD.
            slot.head = DENSE | nclass as u32;
            slot.run[0] = arena.len() as u32;
            let base = arena.len();
            arena.resize(base + nclass, 0f32.to_bits());
            for &e in &kept {
                arena[base + (e >> 16) as usize] = from_bf16(e as u16).to_bits();
            }
        } else if kept.len() <= INLINE {
            // Short run: kept in the slot itself (one memory access).
            slot.head = kept.len() as u32;
            slot.run[..kept.len()].copy_from_slice(&kept);
        } else {
            slot.head = kept.len() as u32;
            slot.run[0] = arena.len() as u32;
            arena.extend_from_slice(&kept);
        }
        slots_in.push(slot);
    }
    let nkeys = slots_in.len();
    // Load factor 1/2: most lookups are of features the model lacks, and an
    // unsuccessful linear probe grows fast with the load (2.5 slots at 1/2,
    // 8.5 at 3/4). Any size: no rounding to a power of two.
    let cap = (nkeys * 2 + 1).max(16);
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
    Weights {
        nclass,
        nkeys,
        slots,
        arena: packed,
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

/// Flag on a run's length word: the run is a dense row of `nclass` f32.
const DENSE: u32 = 1 << 31;

/// Runs of at most this many entries are stored inside their slot.
const INLINE: usize = 2;

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

/// One feature: its key, the run's length word (`DENSE` flag for dense
/// rows), and either the run itself (at most [`INLINE`] entries) or, in
/// `run[0]`, its offset in the arena. 16 bytes: four per cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Slot {
    key: u32,
    head: u32,
    run: [u32; INLINE],
}

/// Frozen, averaged perceptron weights: an open-addressing table from
/// 32-bit feature key to a run of words packing
/// `class << 16 | bfloat16 weight` (short runs inside the table, longer ones
/// and dense f32 rows in `arena`).
pub(crate) struct Weights {
    nclass: usize,
    nkeys: usize,
    slots: Vec<Slot>,
    arena: Vec<u32>,
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

impl Weights {
    pub(crate) fn nclass(&self) -> usize {
        self.nclass
    }

    /// Number of features with at least one weight.
    pub(crate) fn len(&self) -> usize {
        self.nkeys
    }

    #[inline]
    fn find(&self, key: u32, mut i: usize) -> Option<&Slot> {
        let cap = self.slots.len();
        loop {
            let s = self.slots.get(i)?;
            if s.key == key {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = next_slot(i, cap);
        }
    }

    /// The entries of a slot's run (for dense rows: the f32 row).
    #[inline]
    fn run<'a>(&'a self, s: &'a Slot) -> &'a [u32] {
        let n = (s.head & !DENSE) as usize;
        if s.head & DENSE == 0 && n <= INLINE {
            &s.run[..n]
        } else {
            let o = s.run[0] as usize;
            self.arena.get(o..o + n).unwrap_or(&[])
        }
    }

    /// Sum the weights of `feats` per class into `out`. Lookups are done in
    /// batches with prefetching, so cache misses overlap.
    pub(crate) fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        const B: usize = 64;
        let mut keys = [0u32; B];
        let mut idx = [0usize; B];
        let mut found = [Slot::default(); B];
        let cap = self.slots.len();
        for chunk in feats.chunks(B) {
            for (k, &f) in chunk.iter().enumerate() {
                keys[k] = short_key(f);
                idx[k] = slot_of(keys[k], cap);
                prefetch(&self.slots[idx[k]]);
            }
            let mut m = 0;
            for k in 0..chunk.len() {
                if let Some(s) = self.find(keys[k], idx[k]) {
                    if s.head & DENSE != 0 || (s.head as usize) > INLINE {
                        if let Some(a) = self.arena.get(s.run[0] as usize) {
                            prefetch(a);
                        }
                    }
                    found[m] = *s;
                    m += 1;
                }
            }
            for s in &found[..m] {
                let run = self.run(s);
                if s.head & DENSE != 0 {
                    for (x, &v) in out.iter_mut().zip(run) {
                        *x += f32::from_bits(v);
                    }
                } else {
                    for &e in run {
                        if let Some(x) = out.get_mut((e >> 16) as usize) {
                            *x += from_bf16(e as u16);
                        }
                    }
                }
            }
        }
    }

    fn sorted_runs(&self) -> Vec<(u32, Vec<(u16, f32)>)> {
        let mut v: Vec<(u32, Vec<(u16, f32)>)> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| {
                let words = self.run(s);
                let run = if s.head & DENSE != 0 {
                    words
                        .iter()
                        .enumerate()
                        .map(|(c, &v)| (c as u16, f32::from_bits(v)))
                        .filter(|x| x.1 != 0.0)
                        .collect()
                } else {
                    words
                        .iter()
                        .map(|&e| ((e >> 16) as u16, from_bf16(e as u16)))
                        .collect()
                };
                (s.key, run)
            })
            .collect();
        v.sort_unstable_by_key(|r| r.0);
        v
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
            runs.push((key, run));
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
