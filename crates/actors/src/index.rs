//! Word-sequence index for dictionary names (actors and agents).
//!
//! Names are lowercase word sequences. A last word ending in `*` is a prefix
//! (PETRARCH stems: `ARGENTIN` matches "Argentina", "Argentine"). Lookup is by
//! first word (exact, or any prefix of the token for stems), then the rest of
//! the sequence is compared word by word; the longest match wins.

use std::collections::HashMap;

#[derive(Debug, Clone)]
struct Name {
    words: Vec<String>,
    /// The last word is a prefix.
    stem: bool,
    /// Index of the entry (actor or agent) in the dictionary vector.
    entry: usize,
    /// Per word: set for an all-capital short form (`US`, `UN`, `ICE`), which
    /// does not match a word written all in lower case (the pronoun "us").
    cased: Vec<Option<String>>,
}

/// Whether a dictionary word is an all-capital short form (2–4 letters)
/// that must not match a word written all in lower case.
pub fn is_caps_short(w: &str) -> bool {
    let n = w.chars().count();
    (2..=4).contains(&n) && w.chars().all(|c| c.is_ascii_uppercase())
}

/// Shortest stem (in characters) used as a prefix.
pub const MIN_STEM_CHARS: usize = 4;

/// Index of names → entry index.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    exact: HashMap<String, Vec<Name>>,
    /// Single-word stems and multi-word names whose *first* word is a stem
    /// (only possible for one-word names) keyed by the stem.
    stems: HashMap<String, Vec<Name>>,
    max_stem_chars: usize,
}

/// Splits a dictionary name into normalised words (lowercase; `_` and
/// spaces separate; a possessive written `' s` is the token `'s`).
pub fn name_words(name: &[String]) -> Vec<String> {
    merge_possessive(
        name.iter()
            .flat_map(|w| {
                w.split(['_', ' '])
                    .map(|s| s.to_lowercase().replace('\u{2019}', "'"))
                    .collect::<Vec<_>>()
            })
            .filter(|w| !w.is_empty())
            .collect(),
    )
}

/// Joins `'` `s` into `'s` (the tokenizer's possessive).
fn merge_possessive(words: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in words {
        if w.eq_ignore_ascii_case("s") && out.last().is_some_and(|p| p == "'") {
            out.pop();
            out.push("'s".to_string());
        } else {
            out.push(w);
        }
    }
    out
}

impl NameIndex {
    pub fn add(&mut self, raw: &[String], entry: usize) {
        self.add_cased(raw, entry, false);
    }

    /// Adds a name; with `cased`, its all-capital short words (2–4 letters)
    /// only match that exact surface form.
    pub fn add_cased(&mut self, raw: &[String], entry: usize, cased: bool) {
        let originals: Vec<String> = merge_possessive(
            raw.iter()
                .flat_map(|w| w.split(['_', ' ']).map(str::to_string).collect::<Vec<_>>())
                .filter(|w| !w.is_empty())
                .collect(),
        );
        let mut words = name_words(raw);
        let cased: Vec<Option<String>> = originals
            .iter()
            .map(|w| (cased && is_caps_short(w)).then(|| w.clone()))
            .collect();
        let Some(last) = words.last_mut() else { return };
        let mut stem = last.ends_with('*');
        if stem {
            let t = last.trim_end_matches('*').to_string();
            // Very short stems ("KU*", "AU*") would match almost anything:
            // they are read as whole words.
            stem = t.chars().count() >= MIN_STEM_CHARS;
            *last = t;
            if last.is_empty() {
                words.pop();
                if words.is_empty() {
                    return;
                }
            }
        }
        let mut cased = cased;
        cased.truncate(words.len());
        let name = Name {
            words,
            stem,
            entry,
            cased,
        };
        if name.stem && name.words.len() == 1 {
            self.max_stem_chars = self.max_stem_chars.max(name.words[0].chars().count());
            self.stems
                .entry(name.words[0].clone())
                .or_default()
                .push(name);
        } else {
            self.exact
                .entry(name.words[0].clone())
                .or_default()
                .push(name);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty()
    }

    /// Longest match starting at `pos` of `words`, where each position offers
    /// one or more alternative forms (surface, lemma). Returns `(length, entry)`;
    /// among equally long matches the earliest-added entry wins.
    pub fn longest_at(&self, words: &[Vec<String>], pos: usize) -> Option<(usize, usize)> {
        self.longest_at_cased(words, &[], pos)
    }

    /// [`NameIndex::longest_at`] with the original surface forms of the
    /// words, checked against case-sensitive name words (an empty `surface`
    /// skips the check).
    pub fn longest_at_cased(
        &self,
        words: &[Vec<String>],
        surface: &[String],
        pos: usize,
    ) -> Option<(usize, usize)> {
        let first = words.get(pos)?;
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |n: &Name| {
            if let Some(len) = match_rest(n, words, pos) {
                let case_ok = surface.is_empty()
                    || n.cased.iter().enumerate().all(|(k, c)| match c {
                        // Only a word written all in lower case is refused
                        // ("us", "ice"): capitals, a plural ("NGOs") and the
                        // title case some outlets use for acronyms ("Nato",
                        // "Farc") still match.
                        Some(_) => surface
                            .get(pos + k)
                            .is_some_and(|w| w.chars().any(char::is_uppercase)),
                        None => true,
                    });
                let better = match best {
                    None => true,
                    Some((bl, be)) => len > bl || (len == bl && n.entry < be),
                };
                if case_ok && better {
                    best = Some((len, n.entry));
                }
            }
        };
        for form in first {
            if let Some(list) = self.exact.get(form) {
                list.iter().for_each(&mut consider);
            }
            if !self.stems.is_empty() {
                for (k, _) in form
                    .char_indices()
                    .skip(1)
                    .chain(std::iter::once((form.len(), ' ')))
                {
                    if form[..k].chars().count() > self.max_stem_chars {
                        break;
                    }
                    if let Some(list) = self.stems.get(&form[..k]) {
                        list.iter().for_each(&mut consider);
                    }
                }
            }
        }
        best
    }
}

fn match_rest(n: &Name, words: &[Vec<String>], pos: usize) -> Option<usize> {
    let len = n.words.len();
    if pos + len > words.len() {
        return None;
    }
    for (k, w) in n.words.iter().enumerate() {
        let last = k + 1 == len;
        let ok = words[pos + k].iter().any(|f| {
            if last && n.stem {
                f.starts_with(w.as_str())
            } else {
                f == w
            }
        });
        if !ok {
            return None;
        }
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }
    fn forms(s: &str) -> Vec<Vec<String>> {
        s.split(' ').map(|x| vec![x.to_string()]).collect()
    }

    #[test]
    fn longest_exact_and_stem_matches() {
        let mut ix = NameIndex::default();
        ix.add(&w("united states"), 0);
        ix.add(&w("united"), 1);
        ix.add(&w("argentin*"), 2);
        ix.add(&w("minas_tirith"), 3);
        ix.add(&w("the ku*"), 4);
        let s = forms("the united states and argentina minas tirith");
        assert_eq!(ix.longest_at(&s, 1), Some((2, 0)));
        assert_eq!(ix.longest_at(&s, 0), None);
        assert_eq!(ix.longest_at(&s, 4), Some((1, 2)));
        assert_eq!(ix.longest_at(&s, 5), Some((2, 3)));
        assert_eq!(ix.longest_at(&s, 99), None);
        assert_eq!(
            ix.longest_at(&forms("the kuwait government"), 0),
            None,
            "short stems are whole words"
        );
        assert_eq!(ix.longest_at(&forms("the ku team"), 0), Some((2, 4)));
    }

    #[test]
    fn short_capitals_match_case_sensitively() {
        let mut ix = NameIndex::default();
        ix.add_cased(&w("US"), 0, true);
        ix.add_cased(&w("Iran"), 1, true);
        ix.add(&w("UK"), 2);
        let f = forms("us iran uk");
        let upper: Vec<String> = ["US", "Iran", "uk"].iter().map(|s| s.to_string()).collect();
        let lower: Vec<String> = ["us", "iran", "uk"].iter().map(|s| s.to_string()).collect();
        assert_eq!(ix.longest_at_cased(&f, &upper, 0), Some((1, 0)));
        assert_eq!(ix.longest_at_cased(&f, &lower, 0), None, "the pronoun us");
        assert_eq!(ix.longest_at_cased(&f, &lower, 1), Some((1, 1)));
        assert_eq!(
            ix.longest_at_cased(&f, &lower, 2),
            Some((1, 2)),
            "not cased"
        );
    }

    #[test]
    fn short_capital_names_refuse_only_lower_case_words() {
        let mut ix = NameIndex::default();
        ix.add_cased(&w("NGO"), 0, true);
        let f = vec![vec!["ngos".to_string(), "ngo".to_string()]];
        let s = |x: &str| vec![x.to_string()];
        assert_eq!(ix.longest_at_cased(&f, &s("NGOs"), 0), Some((1, 0)));
        assert_eq!(
            ix.longest_at_cased(&f, &s("Ngos"), 0),
            Some((1, 0)),
            "title case"
        );
        assert_eq!(ix.longest_at_cased(&f, &s("ngos"), 0), None, "lower case");
    }

    #[test]
    fn multiword_stem_on_last_word() {
        let mut ix = NameIndex::default();
        ix.add(&w("north korea*"), 7);
        assert_eq!(ix.longest_at(&forms("north korean"), 0), Some((2, 7)));
        assert_eq!(ix.longest_at(&forms("north dakota"), 0), None);
    }
}
