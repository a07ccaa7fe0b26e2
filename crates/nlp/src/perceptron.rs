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
    let mut keys: Vec<(u32, u32)> = Vec::new();
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
        if !kept.is_empty() {
            keys.push((key, arena.len() as u32));
            if kept.len() * 2 >= nclass {
                // Dense row: all classes as f32 bits, added with SIMD.
                arena.push(DENSE | nclass as u32);
                let base = arena.len();
                arena.resize(base + nclass, 0f32.to_bits());
                for &e in &kept {
                    arena[base + (e >> 16) as usize] = from_bf16(e as u16).to_bits();
                }
            } else {
                arena.push(kept.len() as u32);
                arena.extend_from_slice(&kept);
            }
        }
    }
    let cap = (keys.len() * 3 / 2 + 1).next_power_of_two().max(16);
    let mut slots = vec![Slot::default(); cap];
    for &(key, off) in &keys {
        let mut j = slot_of(key, cap);
        while slots[j].key != 0 {
            j = (j + 1) & (cap - 1);
        }
        slots[j] = Slot { key, off };
    }
    Weights {
        nclass,
        nkeys: keys.len(),
        slots,
        arena,
    }
}

/// Flag on a run's length word: the run is a dense row of `nclass` f32.
const DENSE: u32 = 1 << 31;

#[inline]
fn slot_of(key: u32, cap: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B1) as usize) & (cap - 1)
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: u32,
    /// Offset into the arena: a length word, then that many entries.
    off: u32,
}

/// Frozen, averaged perceptron weights: an open-addressing table from
/// 32-bit feature key to a run in `arena`, whose words pack
/// `class << 16 | bfloat16 weight`.
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
    fn find(&self, key: u32, mut i: usize) -> Option<usize> {
        let mask = self.slots.len() - 1;
        loop {
            let s = &self.slots[i];
            if s.key == key {
                return Some(s.off as usize);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Sum the weights of `feats` per class into `out`. Lookups are done in
    /// batches with prefetching, so cache misses overlap.
    pub(crate) fn score(&self, feats: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        const B: usize = 64;
        let mut keys = [0u32; B];
        let mut idx = [0usize; B];
        let mut offs = [usize::MAX; B];
        let cap = self.slots.len();
        for chunk in feats.chunks(B) {
            for (k, &f) in chunk.iter().enumerate() {
                keys[k] = short_key(f);
                idx[k] = slot_of(keys[k], cap);
                prefetch(&self.slots[idx[k]]);
            }
            for k in 0..chunk.len() {
                offs[k] = match self.find(keys[k], idx[k]) {
                    Some(o) => {
                        prefetch(&self.arena[o]);
                        o
                    }
                    None => usize::MAX,
                };
            }
            for &o in &offs[..chunk.len()] {
                if o == usize::MAX {
                    continue;
                }
                let head = self.arena[o];
                let n = (head & !DENSE) as usize;
                let run = self.arena.get(o + 1..o + 1 + n).unwrap_or(&[]);
                if head & DENSE != 0 {
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
                let o = s.off as usize;
                let head = self.arena[o];
                let n = (head & !DENSE) as usize;
                let words = &self.arena[o + 1..o + 1 + n];
                let run = if head & DENSE != 0 {
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
