//! In-memory story clustering: the same rule the store applies article by
//! article, for evaluation and one-shot runs.

use std::collections::{BTreeSet, HashMap};

use crate::{Fingerprint, Params};

/// Adds articles one at a time and joins each with every earlier duplicate
/// (candidates: same normalised URL, same content hash, or a shared LSH band
/// key; then [`Fingerprint::matches`]). Stories are the connected components,
/// named by their smallest article id, so they do not depend on the order
/// articles are added in.
pub struct Clusterer {
    params: Params,
    ids: Vec<String>,
    fps: Vec<Fingerprint>,
    parent: Vec<usize>,
    by_url: HashMap<String, Vec<usize>>,
    by_hash: HashMap<String, Vec<usize>>,
    by_band: HashMap<i64, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

impl Clusterer {
    pub fn new(params: Params) -> Clusterer {
        Clusterer {
            params,
            ids: Vec::new(),
            fps: Vec::new(),
            parent: Vec::new(),
            by_url: HashMap::new(),
            by_hash: HashMap::new(),
            by_band: HashMap::new(),
            by_id: HashMap::new(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let gp = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(slot) = self.parent.get_mut(hi) {
                *slot = lo;
            }
        }
    }

    /// Earlier articles that may be duplicates of `fp` (sorted, distinct).
    fn candidates(&self, fp: &Fingerprint) -> BTreeSet<usize> {
        let mut c = BTreeSet::new();
        if let Some(u) = &fp.url {
            c.extend(self.by_url.get(u).into_iter().flatten().copied());
        }
        if let Some(h) = &fp.text_hash {
            c.extend(self.by_hash.get(h).into_iter().flatten().copied());
        }
        for k in fp.band_keys(&self.params) {
            c.extend(self.by_band.get(&k).into_iter().flatten().copied());
        }
        c
    }

    /// Adds an article. An id added again is ignored (the first text
    /// counts). Returns the number of earlier articles it duplicates.
    pub fn add(&mut self, id: &str, fp: Fingerprint) -> usize {
        if self.by_id.contains_key(id) {
            return 0;
        }
        let i = self.ids.len();
        let matched: Vec<usize> = self
            .candidates(&fp)
            .into_iter()
            .filter(|&j| {
                self.fps
                    .get(j)
                    .is_some_and(|o| fp.matches(o, &self.params).is_some())
            })
            .collect();
        if let Some(u) = &fp.url {
            self.by_url.entry(u.clone()).or_default().push(i);
        }
        if let Some(h) = &fp.text_hash {
            self.by_hash.entry(h.clone()).or_default().push(i);
        }
        for k in fp.band_keys(&self.params) {
            self.by_band.entry(k).or_default().push(i);
        }
        self.ids.push(id.to_string());
        self.fps.push(fp);
        self.parent.push(i);
        self.by_id.insert(id.to_string(), i);
        for &j in &matched {
            self.union(i, j);
        }
        matched.len()
    }

    /// Number of articles added.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The story id of every article, in the order they were added: the
    /// smallest article id of its component.
    pub fn stories(&mut self) -> Vec<String> {
        let n = self.ids.len();
        let roots: Vec<usize> = (0..n).map(|i| self.find(i)).collect();
        let mut name: HashMap<usize, &str> = HashMap::new();
        for (i, r) in roots.iter().enumerate() {
            let id = self.ids.get(i).map_or("", String::as_str);
            name.entry(*r)
                .and_modify(|cur| {
                    if id < *cur {
                        *cur = id;
                    }
                })
                .or_insert(id);
        }
        roots
            .iter()
            .map(|r| name.get(r).copied().unwrap_or("").to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<(String, String)> {
        let a = "Ministers from both countries met in Geneva on Monday to discuss a ceasefire \
                 along the disputed border, officials said, adding that talks would resume next \
                 week after consultations with military commanders on each side of the line.";
        let b = "Shares in the carmaker fell sharply after it warned that profits for the year \
                 would be lower than expected because of rising steel prices and weak demand in \
                 its main European markets, the company said in a statement to the exchange.";
        vec![
            ("d".into(), a.into()),
            ("b".into(), b.into()),
            ("c".into(), format!("UPDATE: {a}")),
            ("a".into(), b.to_uppercase()),
            (
                "e".into(),
                a.split(' ').take(30).collect::<Vec<_>>().join(" "),
            ),
            (
                "f".into(),
                "Nothing in common with the others at all.".into(),
            ),
        ]
    }

    fn run(order: &[usize]) -> Vec<(String, String)> {
        let p = Params::default();
        let t = texts();
        let mut c = Clusterer::new(p);
        let mut ids = Vec::new();
        for &i in order {
            let (id, text) = &t[i];
            c.add(id, Fingerprint::new(text, None, &p));
            ids.push(id.clone());
        }
        let mut out: Vec<(String, String)> = ids.into_iter().zip(c.stories()).collect();
        out.sort();
        out
    }

    #[test]
    fn stories_are_named_by_smallest_id_whatever_the_order() {
        let want: Vec<(String, String)> = [
            ("a", "a"),
            ("b", "a"),
            ("c", "c"),
            ("d", "c"),
            ("e", "c"),
            ("f", "f"),
        ]
        .iter()
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
        assert_eq!(run(&[0, 1, 2, 3, 4, 5]), want);
        assert_eq!(run(&[5, 4, 3, 2, 1, 0]), want);
        assert_eq!(run(&[3, 0, 5, 1, 4, 2]), want);
    }

    #[test]
    fn adding_an_id_twice_does_not_change_anything() {
        let p = Params::default();
        let mut c = Clusterer::new(p);
        c.add(
            "x",
            Fingerprint::new("one two three four five six", None, &p),
        );
        c.add(
            "x",
            Fingerprint::new("one two three four five six", None, &p),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c.stories(), vec!["x".to_string()]);
    }
}
