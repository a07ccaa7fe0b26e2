//! Feature hashing: 64-bit keys built from template ids and string or
//! integer atoms, and an identity hasher for maps keyed by such keys.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Finaliser of MurmurHash3: a good 64-bit bit mixer.
#[inline]
pub(crate) const fn fmix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Order-sensitive combination of two hashes.
#[inline]
pub(crate) const fn mix(a: u64, b: u64) -> u64 {
    fmix(a.rotate_left(23) ^ b.wrapping_add(K))
}

/// Hash of a string (FNV-1a, then mixed).
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    fmix(h ^ s.len() as u64)
}

/// Feature key for template `t` over the given atoms. Never 0 (0 marks an
/// empty slot in [`crate::perceptron::Weights`]).
#[inline]
pub(crate) fn feat(t: u32, atoms: &[u64]) -> u64 {
    let mut h = fmix(t as u64 + 0x51ed);
    for &a in atoms {
        h = mix(h, a);
    }
    if h == 0 {
        1
    } else {
        h
    }
}

/// The hash state of template `t` with `atoms` mixed in, not yet a key:
/// `feat(t, a ++ b) == feat_from(feat_prefix(t, a), b)`, so a prefix shared
/// by many keys can be computed once.
#[inline]
pub(crate) const fn feat_prefix(t: u32, atoms: &[u64]) -> u64 {
    let mut h = fmix(t as u64 + 0x51ed);
    let mut i = 0;
    while i < atoms.len() {
        h = mix(h, atoms[i]);
        i += 1;
    }
    h
}

/// The feature key from a hash state `h` (see [`feat_prefix`]) and the
/// remaining atoms: `feat(t, atoms) == feat_from(feat_prefix(t, &[]), atoms)`.
#[inline]
pub(crate) const fn feat_from(mut h: u64, atoms: &[u64]) -> u64 {
    let mut i = 0;
    while i < atoms.len() {
        h = mix(h, atoms[i]);
        i += 1;
    }
    if h == 0 {
        1
    } else {
        h
    }
}

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type IdMap<V> = std::collections::HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// SplitMix64: a small deterministic generator for shuffling and exploration.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(K);
        fmix(self.0)
    }
    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_keys_depend_on_order_and_template() {
        let a = hash_str("a");
        let b = hash_str("b");
        assert_ne!(feat(1, &[a, b]), feat(1, &[b, a]));
        assert_ne!(feat(1, &[a]), feat(2, &[a]));
        assert_eq!(feat(3, &[a, b]), feat(3, &[a, b]));
        assert_ne!(hash_str("ab"), hash_str("ba"));
    }

    #[test]
    fn prefixes_continue_to_the_same_keys() {
        let atoms: Vec<u64> = (0..5u64).map(|i| hash_str(&i.to_string())).collect();
        for t in [0, 1, 17, 122] {
            for k in 0..=atoms.len() {
                let (a, b) = atoms.split_at(k);
                assert_eq!(feat_from(feat_prefix(t, a), b), feat(t, &atoms));
            }
        }
    }

    #[test]
    fn rng_is_deterministic_and_shuffles() {
        let mut r1 = Rng::new(7);
        let mut r2 = Rng::new(7);
        let mut v1: Vec<u32> = (0..50).collect();
        let mut v2 = v1.clone();
        r1.shuffle(&mut v1);
        r2.shuffle(&mut v2);
        assert_eq!(v1, v2);
        assert_ne!(v1, (0..50).collect::<Vec<_>>());
        let u = Rng::new(1).unit();
        assert!((0.0..1.0).contains(&u));
    }
}
