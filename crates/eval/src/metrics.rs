//! Counting helpers: precision, recall, F1 over sets of items.

use serde::Serialize;

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    /// Adds the comparison of a predicted and a gold set.
    pub fn add_sets<T: Ord + Clone>(&mut self, predicted: &[T], gold: &[T]) {
        let mut p: Vec<T> = predicted.to_vec();
        let mut g: Vec<T> = gold.to_vec();
        p.sort();
        p.dedup();
        g.sort();
        g.dedup();
        let tp = p.iter().filter(|x| g.binary_search(x).is_ok()).count();
        self.tp += tp;
        self.fp += p.len() - tp;
        self.fn_ += g.len() - tp;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_counts_sets() {
        let mut m = Prf::default();
        m.add_sets(&[1, 2, 2, 3], &[2, 3, 4]);
        assert_eq!((m.tp, m.fp, m.fn_), (2, 1, 1));
        assert!((m.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Prf::default().f1(), 0.0);
    }
}
