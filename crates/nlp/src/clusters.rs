//! Distributional word clusters learned from unlabelled text.
//!
//! Each word type (lowercased, digits → `0`) seen often enough is described
//! by the positive PMI of its left and right neighbours (among the most
//! frequent words), and the vectors are grouped by spherical k-means into
//! fine clusters, whose centroids are grouped again into coarse clusters.
//! The tagger and parser use the cluster ids as features, which helps with
//! words rare or absent in the treebanks (news names, terms).

use crate::hash::{hash_str, IdMap, Rng};
use crate::io::{Reader, Writer};
use crate::tagger::normalise;
use crate::Error;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Word hash (of the normalised form) → cluster ids.
#[derive(Default)]
pub(crate) struct Clusters {
    map: IdMap<(u16, u16)>,
}

pub(crate) const UNK_FINE: u64 = 0x7f7f_0001;
pub(crate) const UNK_COARSE: u64 = 0x7f7f_0002;

impl Clusters {
    /// `(fine, coarse)` feature atoms for a normalised-word hash.
    #[inline]
    pub(crate) fn atoms(&self, lw_hash: u64) -> (u64, u64) {
        match self.map.get(&lw_hash) {
            Some(&(f, c)) => (0x4346_0000 + f as u64, 0x4343_0000 + c as u64),
            None => (UNK_FINE, UNK_COARSE),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    pub(crate) fn write(&self) -> Vec<u8> {
        let mut w = Writer::header("clusters");
        let mut v: Vec<_> = self.map.iter().collect();
        v.sort_unstable();
        w.u32(v.len() as u32);
        for (k, (f, c)) in v {
            w.u64(*k);
            w.u16(*f);
            w.u16(*c);
        }
        w.buf
    }

    pub(crate) fn read(data: &[u8], name: &str) -> Result<Clusters, Error> {
        let mut r = Reader::open(data, name, "clusters")?;
        let n = r.count("cluster entries", 12)?;
        let mut map = IdMap::default();
        map.reserve(n);
        for _ in 0..n {
            let k = r.u64("word key")?;
            let f = r.u16("fine cluster")?;
            let c = r.u16("coarse cluster")?;
            map.insert(k, (f, c));
        }
        r.finish()?;
        Ok(Clusters { map })
    }
}

/// Settings of cluster induction.
#[derive(Debug, Clone)]
pub(crate) struct ClusterConfig {
    pub fine: usize,
    pub coarse: usize,
    pub min_count: u32,
    pub max_vocab: usize,
    pub contexts: usize,
    pub iterations: usize,
    pub seed: u64,
}

/// Texts of a corpus path: a `.jsonl` file (the `body` and `title` fields
/// of each line), a text file, or a folder of them (recursively, in name
/// order).
pub(crate) fn corpus_texts(path: &Path, out: &mut Vec<String>) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io(format!("{}: {e}", path.display()));
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if p.is_dir() || ext == "txt" || ext == "jsonl" {
                if p.file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| f.eq_ignore_ascii_case("README.TXT"))
                {
                    continue;
                }
                corpus_texts(&p, out)?;
            }
        }
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8_lossy(&bytes);
    if path.extension().and_then(|e| e.to_str()) == Some("jsonl") {
        for (k, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| Error::Data(format!("{}:{}: {e}", path.display(), k + 1)))?;
            for field in ["title", "body"] {
                if let Some(s) = v.get(field).and_then(|s| s.as_str()) {
                    out.push(s.to_string());
                }
            }
        }
    } else {
        out.push(text.into_owned());
    }
    Ok(())
}

/// Induce clusters from documents (each a token sequence of normalised
/// words).
pub(crate) fn induce(
    docs: &[Vec<String>],
    cfg: &ClusterConfig,
    log: &mut dyn FnMut(&str),
) -> Clusters {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for d in docs {
        for w in d {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u32)> = counts
        .iter()
        .map(|(w, c)| (*w, *c))
        .filter(|(_, c)| *c >= cfg.min_count)
        .collect();
    vocab.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocab.truncate(cfg.max_vocab);
    let nv = vocab.len();
    if nv < cfg.fine * 2 {
        log(&format!(
            "clusters: vocabulary of {nv} too small; no clusters"
        ));
        return Clusters::default();
    }
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();
    let nctx = cfg.contexts.min(nv);
    // Context ids: 0..nctx frequent words, nctx = other, nctx+1 = boundary.
    let dims = 2 * (nctx + 2);
    let ctx_of = |w: Option<&String>| -> usize {
        match w {
            None => nctx + 1,
            Some(w) => match index.get(w.as_str()) {
                Some(&i) if i < nctx => i,
                _ => nctx,
            },
        }
    };
    let mut cooc: Vec<HashMap<u32, f32>> = vec![HashMap::new(); nv];
    for d in docs {
        for (i, w) in d.iter().enumerate() {
            let Some(&wi) = index.get(w.as_str()) else {
                continue;
            };
            let l = ctx_of(if i > 0 { d.get(i - 1) } else { None });
            let r = ctx_of(d.get(i + 1));
            *cooc[wi].entry(l as u32).or_default() += 1.0;
            *cooc[wi].entry((nctx + 2 + r) as u32).or_default() += 1.0;
        }
    }
    // PPMI weighting, then unit length.
    let mut ctx_tot = vec![0f64; dims];
    let mut total = 0f64;
    for row in &cooc {
        for (&d, &c) in row {
            ctx_tot[d as usize] += c as f64;
            total += c as f64;
        }
    }
    let vecs: Vec<Vec<(u32, f32)>> = cooc
        .iter()
        .map(|row| {
            let wt: f64 = row.values().map(|&c| c as f64).sum();
            let mut v: Vec<(u32, f32)> = row
                .iter()
                .filter_map(|(&d, &c)| {
                    let pmi = ((c as f64 * total) / (wt * ctx_tot[d as usize])).ln();
                    (pmi > 0.0).then_some((d, pmi as f32))
                })
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
            for x in &mut v {
                x.1 /= norm;
            }
            v
        })
        .collect();
    log(&format!(
        "clusters: {nv} word types, {} contexts, {} tokens",
        nctx,
        total as u64 / 2
    ));
    let fine = kmeans_sparse(&vecs, dims, cfg.fine, cfg.iterations, cfg.seed, log);
    // Coarse clusters: k-means over the fine centroids' members' mean.
    let mut cents = vec![vec![0f32; dims]; cfg.fine];
    for (v, &c) in vecs.iter().zip(&fine) {
        for &(d, x) in v {
            cents[c][d as usize] += x;
        }
    }
    let cent_sparse: Vec<Vec<(u32, f32)>> = cents
        .iter()
        .map(|c| {
            let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
            c.iter()
                .enumerate()
                .filter(|(_, &x)| x != 0.0)
                .map(|(d, &x)| (d as u32, x / norm))
                .collect()
        })
        .collect();
    let coarse_of_fine = kmeans_sparse(
        &cent_sparse,
        dims,
        cfg.coarse.min(cfg.fine),
        cfg.iterations,
        cfg.seed + 1,
        log,
    );
    let mut map = IdMap::default();
    for (i, (w, _)) in vocab.iter().enumerate() {
        map.insert(
            hash_str(w),
            (fine[i] as u16, coarse_of_fine[fine[i]] as u16),
        );
    }
    Clusters { map }
}

/// Spherical k-means over unit-length sparse vectors; k-means++ seeding.
fn kmeans_sparse(
    vecs: &[Vec<(u32, f32)>],
    dims: usize,
    k: usize,
    iters: usize,
    seed: u64,
    log: &mut dyn FnMut(&str),
) -> Vec<usize> {
    let n = vecs.len();
    let k = k.min(n).max(1);
    let mut rng = Rng::new(seed);
    let dot = |v: &[(u32, f32)], c: &[f32]| v.iter().map(|&(d, x)| x * c[d as usize]).sum::<f32>();
    let dense = |v: &[(u32, f32)]| {
        let mut c = vec![0f32; dims];
        for &(d, x) in v {
            c[d as usize] = x;
        }
        c
    };
    let mut cents: Vec<Vec<f32>> = vec![dense(&vecs[(rng.next_u64() % n as u64) as usize])];
    let mut best_sim: Vec<f32> = vecs.iter().map(|v| dot(v, &cents[0])).collect();
    while cents.len() < k {
        let weights: Vec<f64> = best_sim
            .iter()
            .map(|&s| (1.0 - s as f64).max(0.0))
            .collect();
        let total: f64 = weights.iter().sum();
        let mut target = rng.unit() * total;
        let mut pick = n - 1;
        for (i, w) in weights.iter().enumerate() {
            target -= w;
            if target <= 0.0 {
                pick = i;
                break;
            }
        }
        let c = dense(&vecs[pick]);
        for (i, v) in vecs.iter().enumerate() {
            best_sim[i] = best_sim[i].max(dot(v, &c));
        }
        cents.push(c);
    }
    let mut assign = vec![0usize; n];
    for it in 0..iters {
        let mut changed = 0;
        let mut obj = 0f64;
        for (i, v) in vecs.iter().enumerate() {
            let mut best = 0;
            let mut bs = f32::MIN;
            for (c, cent) in cents.iter().enumerate() {
                let s = dot(v, cent);
                if s > bs {
                    bs = s;
                    best = c;
                }
            }
            obj += bs as f64;
            if assign[i] != best || it == 0 {
                changed += 1;
            }
            assign[i] = best;
        }
        for c in cents.iter_mut() {
            c.fill(0.0);
        }
        for (v, &a) in vecs.iter().zip(&assign) {
            for &(d, x) in v {
                cents[a][d as usize] += x;
            }
        }
        for c in cents.iter_mut() {
            let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                for x in c.iter_mut() {
                    *x /= norm;
                }
            }
        }
        log(&format!(
            "k-means k={k} iteration {}: {changed} moved, mean similarity {:.4}",
            it + 1,
            obj / n as f64
        ));
        if changed == 0 {
            break;
        }
    }
    assign
}

/// Normalised token sequences of raw texts (tokenised by `petrel-text`).
pub(crate) fn tokenise_texts(texts: &[String]) -> Vec<Vec<String>> {
    texts
        .iter()
        .map(|t| {
            petrel_text::tokens(t)
                .iter()
                .map(|s| normalise(t.get(s.range()).unwrap_or("")))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_words_by_context_and_round_trips() {
        // "cat"/"dog" share contexts, as do "ran"/"sat".
        let mut docs = Vec::new();
        for i in 0..40 {
            let noun = ["cat", "dog", "cow"][i % 3];
            let verb = ["ran", "sat", "ate"][i % 3];
            let s = format!("the {noun} {verb} away . a {noun} {verb} here .");
            docs.push(s.split(' ').map(String::from).collect::<Vec<_>>());
        }
        let cfg = ClusterConfig {
            fine: 4,
            coarse: 2,
            min_count: 2,
            max_vocab: 100,
            contexts: 20,
            iterations: 10,
            seed: 1,
        };
        let c = induce(&docs, &cfg, &mut |_| {});
        assert!(c.len() >= 8);
        let a = |w: &str| c.atoms(hash_str(w)).0;
        assert_eq!(a("cat"), a("dog"));
        assert_eq!(a("ran"), a("sat"));
        assert_ne!(a("cat"), a("ran"));
        assert_eq!(c.atoms(hash_str("zebra")), (UNK_FINE, UNK_COARSE));
        let c2 = Clusters::read(&c.write(), "mem").expect("round trip");
        assert_eq!(c2.atoms(hash_str("cow")), c.atoms(hash_str("cow")));
    }
}
