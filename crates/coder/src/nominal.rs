//! Nominal events: a sentence whose verbs code no act on a target may still name an
//! act with an event noun and its actors ("*Russia's attack on Ukraine*",
//! "a visit by Modi to Beijing", "sanctions against Iran"). The nouns and
//! the verbs whose bare patterns code them are data
//! (`crates/coder/data/nominal_events.txt`, format in its header), so the
//! code always comes from the verb dictionary in use.
//!
//! Used only when [`crate::CoderOptions::nominal_events`] is on and no event
//! of the sentence's verbs has a target; verbal events are kept as they are.

use petrel_actors::{base_rel, deprel, lemma, lower, upos, ResolvedActor, SentTree};
use petrel_dict::{Code, VerbPattern};
use petrel_doc::{Doc, Upos};
use std::collections::{HashMap, HashSet};

/// The shipped table.
pub const DEFAULT_NOMINALS: &str = include_str!("../data/nominal_events.txt");

/// One event noun of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Nominal {
    /// The verb lemma whose bare pattern codes the noun.
    pub verb: String,
    /// Prepositions introducing the target.
    pub preps: Vec<String>,
    /// `nominal_events.txt:LINE`.
    pub id: String,
}

/// Event nouns by lemma.
#[derive(Debug, Clone, Default)]
pub struct NominalTable {
    nouns: HashMap<String, Nominal>,
    /// Support verbs: an event noun that is their object is their act
    /// ("*launched* an attack on X"); the object of any other verb is what
    /// that verb's act is about ("lifted sanctions", "rejected accusations")
    /// and is not coded.
    support: HashSet<String>,
}

impl NominalTable {
    /// Parses the table; an error names the line.
    pub fn parse(text: &str) -> Result<NominalTable, String> {
        let mut t = NominalTable::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.first() == Some(&"support") {
                let verbs = f.get(1..).unwrap_or(&[]);
                if verbs.is_empty() {
                    return Err(format!(
                        "nominal_events.txt:{}: support without verbs",
                        i + 1
                    ));
                }
                t.support.extend(verbs.iter().map(|v| v.to_lowercase()));
                continue;
            }
            let [noun, verb, preps] = f.as_slice() else {
                return Err(format!(
                    "nominal_events.txt:{}: expected NOUN VERB PREP|PREP, got {line:?}",
                    i + 1
                ));
            };
            let preps: Vec<String> = preps.split('|').map(str::to_lowercase).collect();
            if preps.iter().any(|p| p.is_empty()) {
                return Err(format!("nominal_events.txt:{}: empty preposition", i + 1));
            }
            let noun = noun.to_lowercase();
            if t.nouns.contains_key(&noun) {
                return Err(format!("nominal_events.txt:{}: {noun} given twice", i + 1));
            }
            t.nouns.insert(
                noun,
                Nominal {
                    verb: verb.to_lowercase(),
                    preps,
                    id: format!("nominal_events.txt:{}", i + 1),
                },
            );
        }
        Ok(t)
    }

    /// The shipped table (validated by a unit test; empty should it fail).
    pub fn builtin() -> NominalTable {
        NominalTable::parse(DEFAULT_NOMINALS).unwrap_or_default()
    }

    /// The entry for noun token `t` (lemma, surface form, or the surface
    /// form without a plural `s`).
    pub fn get(&self, doc: &Doc, t: u32) -> Option<&Nominal> {
        if upos(doc, t) != Upos::Noun {
            return None;
        }
        let surface = lower(doc, t);
        let singular = surface.strip_suffix('s').map(str::to_string);
        [Some(lemma(doc, t).to_lowercase()), Some(surface), singular]
            .into_iter()
            .flatten()
            .find_map(|k| self.nouns.get(&k))
    }

    pub fn is_empty(&self) -> bool {
        self.nouns.is_empty()
    }

    /// The actors of event noun `n`: (source head, target head), or `None`
    /// when the noun is the object of a verb that is not a support verb.
    pub fn roles(
        &self,
        doc: &Doc,
        tree: &SentTree,
        n: u32,
        preps: &[String],
    ) -> Option<(Option<u32>, Option<u32>)> {
        let case_of = |c: u32| {
            tree.children(c)
                .iter()
                .copied()
                .find(|&k| base_rel(doc, k) == "case")
                .map(|k| lower(doc, k))
        };
        let mut source = None;
        let mut target = None;
        for &c in tree.children(n) {
            if base_rel(doc, c) != "nmod" {
                continue;
            }
            if deprel(doc, c) == "nmod:poss" {
                source = source.or(Some(c));
                continue;
            }
            match case_of(c) {
                Some(p) if p == "by" => source = source.or(Some(c)),
                Some(p) if preps.contains(&p) => target = target.or(Some(c)),
                _ => {}
            }
        }
        if base_rel(doc, n) == "obj" {
            let v = tree.head(doc, n)?;
            if !self.support.contains(&lemma(doc, v).to_lowercase()) {
                return None;
            }
            // "X launched an attack on Y": the support verb's subject acts,
            // and its complement after the noun may be the target (the parser
            // often attaches "on Y" to the verb).
            if source.is_none() {
                source = crate::roles::subject(doc, tree, v);
            }
            if target.is_none() {
                target = tree.children(v).iter().copied().find(|&c| {
                    c > n
                        && base_rel(doc, c) == "obl"
                        && case_of(c).is_some_and(|p| preps.contains(&p))
                });
            }
        }
        Some((source, target))
    }
}

/// The first bare pattern (no slots, no PETRARCH context) of `verb` with a
/// CAMEO code: its index.
pub fn bare_pattern(verbs: &[VerbPattern], verb: &str) -> Option<usize> {
    verbs.iter().position(|p| {
        p.verb.len() == 1
            && p.verb.first().is_some_and(|v| v == verb)
            && p.slots.is_empty()
            && p.before.is_empty()
            && p.after.is_empty()
            && matches!(p.code, Code::Cameo(_))
    })
}

/// Whether some actor of the list names an actor (not only an agent word).
pub fn names_actor(v: &[ResolvedActor]) -> bool {
    v.iter().any(|a| a.has_actor)
}
