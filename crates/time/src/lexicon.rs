//! The word lists of `data/lexicon.tsv`, compiled into the binary and parsed
//! once. The file format is documented at the top of the file itself.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../data/lexicon.tsv");

/// Categories known to the matcher; a line with any other category is a
/// data error, reported by [`Lexicon::parse`].
const CATEGORIES: &[&str] = &[
    "month",
    "weekday",
    "number",
    "vague",
    "ordinal",
    "unit",
    "season",
    "part",
    "dayrel",
    "ref",
    "relmod",
    "premod",
    "approx",
    "offset",
    "set",
    "ampm",
    "clock",
    "tz",
    "future",
    "past",
    "deadline",
    "holiday",
    "yearcue",
    "yearblock",
    "yearprev",
];

/// Phrase tables, one per category: lowercase phrase → value.
#[derive(Debug, Default)]
pub struct Lexicon {
    tables: HashMap<&'static str, Table>,
}

#[derive(Debug, Default)]
struct Table {
    entries: HashMap<String, String>,
    /// Longest phrase, in words.
    max_words: usize,
}

impl Lexicon {
    /// Parses lexicon text; errors name the offending line.
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let mut lex = Lexicon::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (cat, phrase, value) = match (cols.next(), cols.next(), cols.next(), cols.next()) {
                (Some(c), Some(p), Some(v), None) => (c.trim(), p.trim(), v.trim()),
                _ => {
                    return Err(format!(
                        "lexicon.tsv:{}: expected CATEGORY<TAB>PHRASE<TAB>VALUE, got {line:?}",
                        n + 1
                    ))
                }
            };
            let Some(cat) = CATEGORIES.iter().copied().find(|c| *c == cat) else {
                return Err(format!("lexicon.tsv:{}: unknown category {cat:?}", n + 1));
            };
            if phrase.is_empty() || value.is_empty() {
                return Err(format!("lexicon.tsv:{}: empty phrase or value", n + 1));
            }
            let phrase = phrase
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let table = lex.tables.entry(cat).or_default();
            table.max_words = table.max_words.max(phrase.split(' ').count());
            table.entries.insert(phrase, value.to_string());
        }
        Ok(lex)
    }

    /// The built-in lexicon.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        // The data file is compiled in and checked by a unit test, so a
        // parse error is a build defect, not an input error: fall back to an
        // empty lexicon rather than panicking.
        LEX.get_or_init(|| Lexicon::parse(DATA).unwrap_or_default())
    }

    /// Value of a single-word entry.
    pub fn word(&self, cat: &str, w: &str) -> Option<&str> {
        self.tables.get(cat)?.entries.get(w).map(String::as_str)
    }

    /// Longest phrase of `cat` starting at `words[i]`: (value, end index).
    pub fn longest<'a, S: AsRef<str>>(
        &'a self,
        cat: &str,
        words: &[S],
        i: usize,
    ) -> Option<(&'a str, usize)> {
        let table = self.tables.get(cat)?;
        let max = table.max_words.min(words.len().saturating_sub(i));
        let mut key = String::new();
        let mut best = None;
        for n in 1..=max {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(words[i + n - 1].as_ref());
            if let Some(v) = table.entries.get(&key) {
                best = Some((v.as_str(), i + n));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses() {
        let lex = Lexicon::parse(DATA).expect("lexicon.tsv must parse");
        assert_eq!(lex.word("month", "sept"), Some("9"));
        assert_eq!(lex.word("weekday", "sunday"), Some("7"));
        let words = ["the", "day", "before", "yesterday", "x"];
        assert_eq!(lex.longest("dayrel", &words, 0), Some(("-2", 4)));
        assert_eq!(lex.longest("dayrel", &words, 1), None);
    }

    #[test]
    fn bad_lines_are_reported_with_line_numbers() {
        let e = Lexicon::parse("# c\nmonth\tjan\n").unwrap_err();
        assert!(e.contains("lexicon.tsv:2"), "{e}");
        let e = Lexicon::parse("colour\tred\t1\n").unwrap_err();
        assert!(e.contains("unknown category"), "{e}");
    }
}
