//! Names whose reading depends on their context: a country name that is a
//! person's first name or surname ("Michael Jordan", "Jordan Bardella",
//! "Chad Smith"), and place names with two referents chosen by the
//! article's cues ("Georgia", the US state or the country:
//! `data/ambiguous_names.tsv`).
//!
//! The word lists are the gazetteer's (`data/geo/first_names.txt`,
//! `surnames.txt`, `common_words.txt`, documented in `data/geo/ATTRIBUTION.md`).

use crate::{lower, upos, NameMatch};
use petrel_doc::{Doc, Upos};
use std::collections::HashSet;
use std::sync::OnceLock;

static FIRST_NAMES: &str = include_str!("../../../data/geo/first_names.txt");
static SURNAMES: &str = include_str!("../../../data/geo/surnames.txt");
static COMMON: &str = include_str!("../../../data/geo/common_words.txt");
static AMBIGUOUS: &str = include_str!("../data/ambiguous_names.tsv");
static MEMBER_AGENTS: &str = include_str!("../data/member_agents.tsv");

/// Parses `member_agents.tsv`: (entry file, dropped agent codes).
pub fn parse_member_agents(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (f, codes) = l
            .split_once('\t')
            .ok_or_else(|| format!("member_agents.tsv:{}: expected file<TAB>codes", i + 1))?;
        let codes: Vec<String> = codes.split_whitespace().map(String::from).collect();
        if codes.iter().any(|c| c.len() != 3) {
            return Err(format!("member_agents.tsv:{}: codes are 3 letters", i + 1));
        }
        out.push((f.trim().to_string(), codes));
    }
    Ok(out)
}

/// The agent codes dropped after an entry from this entry id's file.
pub fn member_agents(entry_id: &str) -> Option<&'static [String]> {
    static M: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    let rows = M.get_or_init(|| parse_member_agents(MEMBER_AGENTS).unwrap_or_default());
    let file = entry_id
        .rsplit_once(':')
        .map(|(f, _)| f)
        .unwrap_or(entry_id);
    rows.iter()
        .find(|(f, _)| file.contains(f.as_str()))
        .map(|(_, c)| c.as_slice())
}

struct Lists {
    first: HashSet<String>,
    surnames: HashSet<String>,
    common: HashSet<String>,
}

fn word_set(text: &str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| Lists {
        first: word_set(FIRST_NAMES),
        surnames: word_set(SURNAMES),
        common: word_set(COMMON),
    })
}

/// One row of `ambiguous_names.tsv`.
#[derive(Debug, Clone)]
pub struct AmbiguousName {
    pub name: String,
    pub default: String,
    pub alternative: String,
    pub alt_cues: Vec<String>,
    pub default_cues: Vec<String>,
}

/// Parses the ambiguous-name table; malformed lines are reported by line number.
pub fn parse_ambiguous(text: &str) -> Result<Vec<AmbiguousName>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_end();
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = l.split('\t').collect();
        if cols.len() < 4 {
            return Err(format!(
                "ambiguous_names.tsv:{}: expected name, default, alternative, cues",
                i + 1
            ));
        }
        let cues = |s: Option<&&str>| -> Vec<String> {
            s.map(|c| {
                c.split('|')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
        };
        out.push(AmbiguousName {
            name: cols[0].trim().to_lowercase(),
            default: cols[1].trim().to_string(),
            alternative: cols[2].trim().to_string(),
            alt_cues: cues(cols.get(3)),
            default_cues: cues(cols.get(4)),
        });
    }
    Ok(out)
}

fn ambiguous() -> &'static [AmbiguousName] {
    static A: OnceLock<Vec<AmbiguousName>> = OnceLock::new();
    // The embedded table is checked by a unit test; a broken one disables the rule.
    A.get_or_init(|| parse_ambiguous(AMBIGUOUS).unwrap_or_default())
}

/// How often `needle` occurs in `hay` as a whole word sequence.
fn count_word(hay: &str, needle: &str) -> usize {
    let mut n = 0;
    let mut from = 0;
    while let Some(p) = hay.get(from..).and_then(|h| h.find(needle)) {
        let s = from + p;
        let e = s + needle.len();
        let before_ok = hay[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            n += 1;
        }
        from = e.max(s + 1);
    }
    n
}

/// The code an ambiguous place name takes in this article: the table's
/// alternative when the article's cues for it outnumber those for the
/// default referent. Returns `(code, rule)` or `None` when `name` (lowercase
/// words joined by spaces) is not ambiguous or the default stands.
pub fn disambiguate(doc: &Doc, name: &str, base: &str) -> Option<(String, String)> {
    let row = ambiguous()
        .iter()
        .find(|r| r.name == name && r.default == base)?;
    let score = |cues: &[String]| -> usize { cues.iter().map(|c| count_word(&doc.text, c)).sum() };
    let alt = score(&row.alt_cues);
    let def = score(&row.default_cues);
    (alt > def).then(|| {
        (
            row.alternative.clone(),
            format!("context:{}={}", row.name, row.alternative),
        )
    })
}

fn is_cap(doc: &Doc, t: u32) -> bool {
    doc.token_text(t as usize)
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

fn alphabetic(doc: &Doc, t: u32) -> bool {
    let w = doc.token_text(t as usize);
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Whether the one-word place-name match `m` is part of a person's name:
/// a capitalised first name just before it ("Michael Jordan"), or, when the
/// word is itself a first name, a surname just after it ("Jordan Peterson",
/// "Chad Smith") or a capitalised word that is no common word and ends the
/// name ("Jordan Bardella said"). `known(t)` says whether token `t` is a
/// dictionary name or agent word (those make a phrase, not a person's name:
/// "Israel Defense Forces" is not caught because "Forces" follows).
pub fn person_name_at(
    doc: &Doc,
    m: &NameMatch,
    sentence: std::ops::Range<u32>,
    known: &dyn Fn(u32) -> bool,
) -> bool {
    if m.end != m.start + 1 {
        return false;
    }
    let l = lists();
    let t = m.start;
    let word = lower(doc, t);
    let glued = |a: u32, b: u32| match (
        doc.tokens.span.get(a as usize),
        doc.tokens.span.get(b as usize),
    ) {
        (Some(x), Some(y)) => y.start > x.end && y.start - x.end == 1,
        _ => false,
    };
    // "Michael Jordan": a first name right before.
    if t > sentence.start {
        let p = t - 1;
        let pw = lower(doc, p);
        if is_cap(doc, p)
            && alphabetic(doc, p)
            && glued(p, t)
            && l.first.contains(&pw)
            && !known(p)
            && upos(doc, p) == Upos::Propn
        {
            return true;
        }
    }
    // "Jordan Peterson", "Jordan Bardella said".
    if !l.first.contains(&word) {
        return false;
    }
    let n = t + 1;
    if n >= sentence.end || !is_cap(doc, n) || !alphabetic(doc, n) || !glued(t, n) || known(n) {
        return false;
    }
    let nw = lower(doc, n);
    if l.surnames.contains(&nw) {
        return true;
    }
    let ends_name = n + 1 >= sentence.end || !is_cap(doc, n + 1);
    ends_name && !l.common.contains(&nw) && upos(doc, n) == Upos::Propn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let t = parse_ambiguous(AMBIGUOUS).unwrap();
        assert!(t
            .iter()
            .any(|r| r.name == "georgia" && r.alternative == "USA"));
    }

    #[test]
    fn member_agents_table_parses() {
        assert!(parse_member_agents(MEMBER_AGENTS).is_ok());
        assert!(member_agents("actors/armed_groups.txt:45")
            .is_some_and(|c| c.iter().any(|x| x == "REB")));
        assert!(member_agents("actors/countries.txt:1").is_none());
        assert!(parse_member_agents("igos\tGOVX\n").is_err());
    }

    #[test]
    fn malformed_row_is_reported_with_its_line() {
        let e = parse_ambiguous("# c\ngeorgia\tGEO\n").unwrap_err();
        assert!(e.contains(":2:"), "{e}");
    }

    #[test]
    fn cue_counting_needs_whole_words() {
        assert_eq!(count_word("Atlanta, Atlantans and Atlanta", "Atlanta"), 2);
        assert_eq!(count_word("Governorate", "Governor"), 0);
    }

    #[test]
    fn georgia_follows_the_cues() {
        let d = Doc::new(
            "a",
            "Officials in Atlanta said Georgia would certify, Governor Kemp said.",
        );
        assert_eq!(
            disambiguate(&d, "georgia", "GEO").map(|x| x.0),
            Some("USA".into())
        );
        let d = Doc::new("b", "Protesters in Tbilisi said Georgia must join the EU.");
        assert_eq!(disambiguate(&d, "georgia", "GEO"), None);
        let d = Doc::new("c", "Georgia and Armenia signed a deal.");
        assert_eq!(disambiguate(&d, "georgia", "GEO"), None);
    }
}
