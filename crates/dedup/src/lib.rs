//! Duplicate stories: which articles tell the same story.
//!
//! Three tests, from cheapest to most tolerant, each one deterministic:
//!
//! 1. **Same URL** after [`normalize_url`] (scheme, `www.`/`m.`/`amp.`,
//!    default ports, fragments, tracking parameters and parameter order
//!    ignored), unless it is a bare host (a home page is not an article).
//! 2. **Same content**: [`text_hash`], a 128-bit hash of the text's word
//!    sequence (lower-cased, punctuation, spacing and paragraphing ignored).
//! 3. **Near duplicate**: MinHash ([`NUM_PERM`] = 128 permutations) over
//!    word 5-shingles of that word sequence. Candidates come from LSH bands
//!    ([`Params::bands`] bands of [`Params::rows`] minima each); a candidate
//!    pair is a duplicate when the estimated Jaccard similarity is at least
//!    [`Params::jaccard`] (0.5), **or** the estimated containment of the
//!    smaller text in the larger, |A∩B| / min(|A|,|B|), is at least
//!    [`Params::containment`] (0.8) and the smaller has at least
//!    [`Params::min_shingles`] (20) shingles — the second rule catches
//!    truncated copies, whose Jaccard similarity is only the kept fraction.
//!
//! Duplicate pairs are joined transitively (union–find) into **stories**;
//! a story's id is the lexicographically smallest article id in it. The
//! pair test is symmetric and band keys depend only on the text, so the
//! stories depend only on the set of articles: not on input order, batch
//! split or thread count ([`Clusterer`] adds articles one at a time, as the
//! store does).
//!
//! Measured on the perturbed BBC set (`petrel eval --sets dedup`, see
//! [`eval`]): pairwise precision 1.000 and recall 0.988 at these defaults
//! (0.976–0.985 with seeds 1–3); the threshold sweep is in ARCHITECTURE.md.
//! Copies cut to well under 40 % of the original can be missed (too few
//! shared band keys).
//!
//! What it is not: a topic clusterer. Two articles about the same event
//! written independently are different stories here; they meet again as
//! mentions of one merged event (see `petrel-store`).

mod cluster;
pub mod eval;
mod url;

pub use cluster::Clusterer;
pub use url::{normalize_url, normalized_host};

/// Number of MinHash permutations (signature length).
pub const NUM_PERM: usize = 128;

/// Tunable parameters of near-duplicate detection. The defaults are the
/// measured ones (see the crate docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Words per shingle.
    pub shingle: usize,
    /// LSH bands (each of `rows` consecutive minima); `bands * rows` must
    /// not exceed [`NUM_PERM`].
    pub bands: usize,
    pub rows: usize,
    /// Estimated Jaccard similarity at or above which two texts are
    /// duplicates.
    pub jaccard: f64,
    /// Estimated containment of the smaller text in the larger at or above
    /// which two texts are duplicates…
    pub containment: f64,
    /// …when the smaller has at least this many shingles.
    pub min_shingles: u32,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            shingle: 5,
            bands: 32,
            rows: 2,
            jaccard: 0.5,
            containment: 0.8,
            min_shingles: 20,
        }
    }
}

/// What makes an article a duplicate of another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Match {
    /// Same normalised URL.
    Url,
    /// Same word sequence.
    Content,
    /// Near duplicate, with the estimated Jaccard similarity and
    /// containment.
    Near { jaccard: f64, containment: f64 },
}

/// Everything needed to compare an article with others, computed from its
/// text and URL alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    /// [`normalize_url`] of the URL, when there is one.
    pub url: Option<String>,
    /// [`text_hash`]; `None` when the text has no words.
    pub text_hash: Option<String>,
    /// Number of distinct shingles.
    pub shingles: u32,
    /// MinHash signature ([`NUM_PERM`] values), empty when the text has no
    /// words.
    pub minhash: Vec<u32>,
}

/// The lower-cased words of `text` (maximal runs of alphanumeric
/// characters), the unit of shingles and content hashes.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// MurmurHash3's 64-bit finalizer.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// A 128-bit hash (32 hex digits) of the word sequence of `text`: equal for
/// texts that differ only in case, punctuation, spacing or paragraphing.
/// `None` when the text has no words.
pub fn text_hash(text: &str) -> Option<String> {
    let w = words(text);
    if w.is_empty() {
        return None;
    }
    let joined = w.join(" ");
    let a = petrel_doc::fnv1a64(&[b"petrel-dedup-a", joined.as_bytes()]);
    let b = petrel_doc::fnv1a64(&[b"petrel-dedup-b", joined.as_bytes()]);
    Some(format!("{:016x}{:016x}", fmix64(a), fmix64(b)))
}

/// The distinct hashed `k`-word shingles of `text`, sorted. A text of fewer
/// than `k` (but at least one) words has one shingle: all its words.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let w = words(text);
    let k = k.max(1);
    let hash = |ws: &[String]| {
        let parts: Vec<&[u8]> = ws.iter().map(|s| s.as_bytes()).collect();
        fmix64(petrel_doc::fnv1a64(&parts))
    };
    let mut out: Vec<u64> = if w.len() < k {
        if w.is_empty() {
            Vec::new()
        } else {
            vec![hash(&w)]
        }
    } else {
        w.windows(k).map(hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Seeds of the MinHash permutations (fixed: signatures are stored).
fn perm_seeds() -> [u64; NUM_PERM] {
    let mut seeds = [0u64; NUM_PERM];
    let mut x: u64 = 0x5045_5452_454c_4d48; // "PETRELMH"
    for s in seeds.iter_mut() {
        // splitmix64
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        *s = fmix64(x);
    }
    seeds
}

/// The MinHash signature of a shingle set: for each permutation, the
/// smallest 32-bit hash. Empty for an empty set.
pub fn minhash(shingles: &[u64]) -> Vec<u32> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let seeds = perm_seeds();
    let mut sig = vec![u32::MAX; NUM_PERM];
    for &s in shingles {
        for (m, seed) in sig.iter_mut().zip(seeds.iter()) {
            let h = (fmix64(s ^ seed) >> 32) as u32;
            if h < *m {
                *m = h;
            }
        }
    }
    sig
}

impl Fingerprint {
    /// The fingerprint of an article's text and URL.
    pub fn new(text: &str, url: Option<&str>, params: &Params) -> Fingerprint {
        let sh = shingles(text, params.shingle);
        Fingerprint {
            url: url.and_then(normalize_url),
            text_hash: text_hash(text),
            shingles: sh.len() as u32,
            minhash: minhash(&sh),
        }
    }

    /// The LSH band keys of the signature (one per band; none without a
    /// signature). Two texts share a key only in the same band.
    pub fn band_keys(&self, params: &Params) -> Vec<i64> {
        if self.minhash.len() != NUM_PERM {
            return Vec::new();
        }
        (0..params.bands)
            .filter_map(|b| {
                let rows = self.minhash.get(b * params.rows..(b + 1) * params.rows)?;
                let mut h = fmix64(0xba4d ^ b as u64);
                for &r in rows {
                    h = fmix64(h ^ r as u64);
                }
                Some(h as i64)
            })
            .collect()
    }

    /// The signature as bytes (little-endian `u32`s), for storage.
    pub fn minhash_bytes(&self) -> Vec<u8> {
        self.minhash.iter().flat_map(|m| m.to_le_bytes()).collect()
    }

    /// Reads [`Fingerprint::minhash_bytes`]; an error when the length is not
    /// a whole signature (or empty).
    pub fn minhash_from_bytes(b: &[u8]) -> Result<Vec<u32>, String> {
        if b.is_empty() {
            return Ok(Vec::new());
        }
        if b.len() != NUM_PERM * 4 {
            return Err(format!(
                "MinHash signature of {} bytes, expected {}",
                b.len(),
                NUM_PERM * 4
            ));
        }
        Ok(b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    /// Estimated Jaccard similarity of the shingle sets (fraction of equal
    /// minima); 0 when either has no signature.
    pub fn jaccard(&self, other: &Fingerprint) -> f64 {
        if self.minhash.len() != NUM_PERM || other.minhash.len() != NUM_PERM {
            return 0.0;
        }
        let eq = self
            .minhash
            .iter()
            .zip(&other.minhash)
            .filter(|(a, b)| a == b)
            .count();
        eq as f64 / NUM_PERM as f64
    }

    /// Whether `self` and `other` are duplicates, and why. Symmetric.
    pub fn matches(&self, other: &Fingerprint, params: &Params) -> Option<Match> {
        // A bare host (a home page) names a site, not an article.
        let article_url = |u: &Option<String>| u.as_deref().is_some_and(|u| u.contains(['/', '?']));
        if article_url(&self.url) && self.url == other.url {
            return Some(Match::Url);
        }
        if self.text_hash.is_some() && self.text_hash == other.text_hash {
            return Some(Match::Content);
        }
        let j = self.jaccard(other);
        if j == 0.0 {
            return None;
        }
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        let small = self.shingles.min(other.shingles);
        // |A∩B| = J·(|A|+|B|)/(1+J).
        let containment = (j * (a + b) / (1.0 + j) / a.min(b).max(1.0)).min(1.0);
        let near = j >= params.jaccard
            || (containment >= params.containment && small >= params.min_shingles);
        near.then_some(Match::Near {
            jaccard: j,
            containment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn \
        (£600m) for the three months to December, from $639m year-earlier. The firm, which is \
        now one of the biggest investors in Google, benefited from sales of high-speed internet \
        connections and higher advert sales. TimeWarner said fourth quarter sales rose 2% to \
        $11.1bn from $10.9bn. Its profits were buoyed by one-off gains which offset a profit dip \
        at Warner Bros, and less users for AOL.";

    #[test]
    fn words_and_hash_ignore_case_punctuation_and_layout() {
        assert_eq!(
            words("Hello, World!\n\nIt's 2005."),
            ["hello", "world", "it", "s", "2005"]
        );
        let relaid = TEXT.replace(". ", ".\n\n").to_uppercase();
        assert_eq!(text_hash(TEXT), text_hash(&relaid));
        assert_ne!(text_hash(TEXT), text_hash(&TEXT.replace("76%", "75%")));
        assert_eq!(text_hash(" ,. "), None);
        assert_eq!(text_hash(TEXT).map(|h| h.len()), Some(32));
    }

    #[test]
    fn shingles_of_short_and_empty_texts() {
        assert!(shingles("", 5).is_empty());
        assert_eq!(shingles("two words", 5).len(), 1);
        assert_eq!(shingles("a b c d e", 5).len(), 1);
        assert_eq!(shingles("a b c d e f", 5).len(), 2);
        // Repeated shingles count once.
        assert_eq!(shingles("a b a b a b a b", 2).len(), 2);
    }

    #[test]
    fn minhash_estimates_jaccard() {
        // Two sets of 1000 with 500 in common: Jaccard 1/3.
        let a: Vec<u64> = (0..1000u64).map(fmix64).collect();
        let b: Vec<u64> = (500..1500u64).map(fmix64).collect();
        let fa = Fingerprint {
            shingles: 1000,
            minhash: minhash(&a),
            ..Fingerprint::default()
        };
        let fb = Fingerprint {
            shingles: 1000,
            minhash: minhash(&b),
            ..Fingerprint::default()
        };
        let j = fa.jaccard(&fb);
        assert!((j - 1.0 / 3.0).abs() < 0.12, "estimate {j}");
        assert_eq!(fa.jaccard(&fa), 1.0);
        assert_eq!(fa.jaccard(&Fingerprint::default()), 0.0);
        // Signatures are deterministic.
        assert_eq!(minhash(&a), minhash(&a));
    }

    #[test]
    fn signature_bytes_round_trip() {
        let f = Fingerprint::new(TEXT, None, &Params::default());
        let back = Fingerprint::minhash_from_bytes(&f.minhash_bytes());
        assert_eq!(back, Ok(f.minhash.clone()));
        assert!(Fingerprint::minhash_from_bytes(&[1, 2, 3]).is_err());
        assert_eq!(Fingerprint::minhash_from_bytes(&[]), Ok(Vec::new()));
    }

    #[test]
    fn truncated_copy_matches_by_containment_and_unrelated_text_does_not() {
        let p = Params::default();
        let long = format!("{TEXT} {}", TEXT.replace("TimeWarner", "the company"));
        let full = Fingerprint::new(&long, None, &p);
        let cut: String = long.split(' ').take(50).collect::<Vec<_>>().join(" ");
        let part = Fingerprint::new(&cut, None, &p);
        match full.matches(&part, &p) {
            Some(Match::Near { containment, .. }) => assert!(containment >= 0.8),
            other => panic!("truncated copy not matched: {other:?}"),
        }
        assert_eq!(full.matches(&part, &p), part.matches(&full, &p));
        let other = Fingerprint::new(
            "The prime minister said on Tuesday that the election would be held in May, \
             ending months of speculation about the date among MPs of every party.",
            None,
            &p,
        );
        assert_eq!(full.matches(&other, &p), None);
        // Shared band keys for near copies, in the same band positions.
        let ka = full.band_keys(&p);
        assert_eq!(ka.len(), p.bands);
        assert!(ka.iter().zip(full.band_keys(&p)).all(|(a, b)| *a == b));
    }

    #[test]
    fn url_and_content_matches_come_first() {
        let p = Params::default();
        let a = Fingerprint::new(TEXT, Some("https://www.x.com/a?utm_source=1"), &p);
        let b = Fingerprint::new("Totally different words here.", Some("http://x.com/a/"), &p);
        assert_eq!(a.matches(&b, &p), Some(Match::Url));
        let home1 = Fingerprint::new("Front page one.", Some("https://www.x.com/"), &p);
        let home2 = Fingerprint::new("Front page two.", Some("http://x.com"), &p);
        assert_eq!(home1.matches(&home2, &p), None);
        let c = Fingerprint::new(&TEXT.to_lowercase(), None, &p);
        assert_eq!(a.matches(&c, &p), Some(Match::Content));
        // Two wordless texts are not duplicates of each other.
        let e1 = Fingerprint::new("…", None, &p);
        let e2 = Fingerprint::new("--", None, &p);
        assert_eq!(e1.matches(&e2, &p), None);
    }
}
