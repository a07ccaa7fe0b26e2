//! The data files compiled into the crate: cue verbs, count triggers, tone
//! lexicon. Parsed once, lazily. The parsers report `file:line` errors; unit
//! tests make sure the shipped files parse cleanly.

use crate::CountKind;
use std::collections::HashMap;
use std::sync::OnceLock;

const CUES: &str = include_str!("../data/cues.txt");
const CUES_LEARNED: &str = include_str!("../data/cues_learned.txt");
const TRIGGERS: &str = include_str!("../data/count_triggers.tsv");
const TONE: &str = include_str!("../data/tone_lexicon.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueClass {
    Speech,
    Belief,
    Report,
    /// A noun introducing reported content ("the claim that …").
    Noun,
    /// A noun naming where content was given ("in a statement", "in an
    /// interview", "in the latest poll").
    Source,
}

#[derive(Debug, Default)]
pub(crate) struct Cues {
    /// Single-word cue lemmas.
    pub verbs: HashMap<String, CueClass>,
    /// Cue nouns.
    pub nouns: HashMap<String, CueClass>,
    /// Source nouns (class `source`).
    pub sources: std::collections::HashSet<String>,
    /// Phrasal cues: verb lemma → particle ("point" → "out").
    pub phrasal: HashMap<String, (String, CueClass)>,
    /// Cue verbs (lemma, phrasal ones as "point out") marked `clause`: they
    /// take a finite clause as their reported content ("said (that) …"),
    /// read from the surface when the parse misses it.
    pub clause: std::collections::HashSet<String>,
    /// Cues of direct quotes only (`"…," he continued`), never of indirect
    /// speech (flag `direct`).
    pub direct_only: std::collections::HashSet<String>,
    /// Stance verbs whose object is the content whatever its length
    /// ("endorsed Trump", flag `object`).
    pub object: std::collections::HashSet<String>,
    /// Raising verbs whose content is the clause around them: subject and
    /// infinitive or predicate ("Clinton seemed irritated", "X is expected
    /// to win", flag `raising`).
    pub raising: std::collections::HashSet<String>,
    /// Attitude adjectives whose complement is reported content ("was
    /// critical of X", "is confident that …"; class `adjective`).
    pub adjectives: std::collections::HashSet<String>,
    /// Hearsay adverbs whose clause is reported content ("X is reportedly
    /// spending …", "allegedly sent"; class `adverb`).
    pub adverbs: std::collections::HashSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Predicate,
    Noun,
}

#[derive(Debug, Default)]
pub(crate) struct Triggers {
    pub predicate: HashMap<String, CountKind>,
    pub noun: HashMap<String, CountKind>,
}

fn lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    src.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

pub(crate) fn parse_cues(src: &str, file: &str) -> Result<Cues, String> {
    let mut c = Cues::default();
    for (n, line) in lines(src) {
        let mut f = line.split('\t');
        let (Some(lemma), Some(class), flag, None) = (f.next(), f.next(), f.next(), f.next())
        else {
            return Err(format!(
                "{file}:{n}: expected LEMMA<TAB>CLASS[<TAB>clause|direct|object|raising]"
            ));
        };
        if class == "adjective" {
            if flag.is_some() {
                return Err(format!("{file}:{n}: an adjective cue takes no flag"));
            }
            c.adjectives.insert(lemma.to_string());
            continue;
        }
        if class == "adverb" {
            if flag.is_some() {
                return Err(format!("{file}:{n}: an adverb cue takes no flag"));
            }
            c.adverbs.insert(lemma.to_string());
            continue;
        }
        match flag {
            None => {}
            Some("clause") => {
                c.clause.insert(lemma.to_string());
            }
            Some("direct") => {
                c.direct_only.insert(lemma.to_string());
            }
            Some("object") => {
                c.object.insert(lemma.to_string());
            }
            Some("raising") => {
                c.raising.insert(lemma.to_string());
            }
            Some(other) => return Err(format!("{file}:{n}: unknown flag {other:?}")),
        }
        let class = match class {
            "speech" => CueClass::Speech,
            "belief" => CueClass::Belief,
            "report" => CueClass::Report,
            "noun" => CueClass::Noun,
            "source" => CueClass::Source,
            other => return Err(format!("{file}:{n}: unknown cue class {other:?}")),
        };
        match lemma.split_once(' ') {
            Some((v, p)) => {
                c.phrasal.insert(v.to_string(), (p.to_string(), class));
            }
            None if class == CueClass::Source => {
                c.sources.insert(lemma.to_string());
            }
            None if class == CueClass::Noun => {
                c.nouns.insert(lemma.to_string(), class);
            }
            None => {
                c.verbs.insert(lemma.to_string(), class);
            }
        }
    }
    Ok(c)
}

/// Add the learned cues (`data/cues_learned.txt`, written by
/// [`crate::learn::write_learned`]: `LEMMA CLASS SHAPE GOLD FIRED`) to a
/// curated lexicon. A lemma the curated lexicon already has, in any role of
/// the same kind (verb, noun, source), keeps its curated entry.
pub(crate) fn add_learned(c: &mut Cues, src: &str, file: &str) -> Result<(), String> {
    for (n, line) in lines(src) {
        let f: Vec<&str> = line.split('\t').collect();
        let [lemma, class, _shape, gold, fired] = f.as_slice() else {
            return Err(format!(
                "{file}:{n}: expected LEMMA<TAB>CLASS<TAB>SHAPE<TAB>GOLD<TAB>FIRED"
            ));
        };
        for x in [gold, fired] {
            x.parse::<usize>()
                .map_err(|e| format!("{file}:{n}: bad count {x:?}: {e}"))?;
        }
        let class = crate::learn::class_of(class)
            .ok_or_else(|| format!("{file}:{n}: unknown cue class {class:?}"))?;
        if lemma.is_empty() || lemma.contains(' ') {
            return Err(format!("{file}:{n}: expected a one-word lemma"));
        }
        let lemma = lemma.to_string();
        match class {
            CueClass::Source => {
                c.sources.insert(lemma);
            }
            CueClass::Noun => {
                c.nouns.entry(lemma).or_insert(class);
            }
            _ if c.phrasal.contains_key(&lemma) || c.raising.contains(&lemma) => {}
            _ => {
                c.verbs.entry(lemma).or_insert(class);
            }
        }
    }
    Ok(())
}

/// The curated lexicon alone (`data/cues.txt`), without learned entries.
pub(crate) fn curated_cues() -> &'static Cues {
    static C: OnceLock<Cues> = OnceLock::new();
    C.get_or_init(|| parse_cues(CUES, "data/cues.txt").unwrap_or_default())
}

pub(crate) fn parse_triggers(src: &str, file: &str) -> Result<Triggers, String> {
    let mut t = Triggers::default();
    for (n, line) in lines(src) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 3 {
            return Err(format!("{file}:{n}: expected WORD<TAB>KIND<TAB>ROLE"));
        }
        let kind =
            CountKind::parse(f[1]).ok_or_else(|| format!("{file}:{n}: unknown kind {:?}", f[1]))?;
        let role = match f[2] {
            "v" => Role::Predicate,
            "n" => Role::Noun,
            other => return Err(format!("{file}:{n}: unknown role {other:?}")),
        };
        match role {
            Role::Predicate => t.predicate.insert(f[0].to_string(), kind),
            Role::Noun => t.noun.insert(f[0].to_string(), kind),
        };
    }
    Ok(t)
}

pub(crate) fn parse_tone(src: &str, file: &str) -> Result<HashMap<String, f32>, String> {
    let mut m = HashMap::new();
    for (n, line) in lines(src) {
        let (w, v) = line
            .split_once('\t')
            .ok_or_else(|| format!("{file}:{n}: expected WORD<TAB>VALENCE"))?;
        let v: f32 = v
            .parse()
            .map_err(|e| format!("{file}:{n}: bad valence {v:?}: {e}"))?;
        m.insert(w.to_string(), v);
    }
    Ok(m)
}

pub(crate) fn cues() -> &'static Cues {
    static C: OnceLock<Cues> = OnceLock::new();
    C.get_or_init(|| {
        let mut c = parse_cues(CUES, "data/cues.txt").unwrap_or_default();
        // A malformed learned file leaves the curated lexicon as it is (the
        // unit test `shipped_files_parse` keeps it well-formed).
        let mut with = parse_cues(CUES, "data/cues.txt").unwrap_or_default();
        if add_learned(&mut with, CUES_LEARNED, "data/cues_learned.txt").is_ok() {
            c = with;
        }
        c
    })
}

pub(crate) fn triggers() -> &'static Triggers {
    static T: OnceLock<Triggers> = OnceLock::new();
    T.get_or_init(|| parse_triggers(TRIGGERS, "data/count_triggers.tsv").unwrap_or_default())
}

pub(crate) fn tone_lexicon() -> &'static HashMap<String, f32> {
    static T: OnceLock<HashMap<String, f32>> = OnceLock::new();
    T.get_or_init(|| parse_tone(TONE, "data/tone_lexicon.tsv").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse() {
        let c = parse_cues(CUES, "cues.txt").unwrap();
        assert!(c.verbs.contains_key("say") && c.phrasal.contains_key("point"));
        assert!(c.clause.contains("say") && c.clause.contains("point out"));
        assert!(!c.clause.contains("criticize"));
        assert!(c.sources.contains("interview") && !c.verbs.contains_key("interview"));
        assert!(c.direct_only.contains("continue") && c.verbs.contains_key("continue"));
        assert!(c.object.contains("endorse") && c.raising.contains("seem"));
        let mut l = parse_cues(CUES, "cues.txt").unwrap();
        add_learned(&mut l, CUES_LEARNED, "cues_learned.txt").unwrap();
        assert!(l.verbs.len() >= c.verbs.len() && l.verbs["say"] == CueClass::Speech);
        let e = parse_cues("say\tspeech\tloud\n", "x.txt").unwrap_err();
        assert!(e.starts_with("x.txt:1: unknown flag"), "{e}");
        let t = parse_triggers(TRIGGERS, "count_triggers.tsv").unwrap();
        assert_eq!(t.predicate.get("kill"), Some(&CountKind::Kill));
        assert_eq!(t.noun.get("refugee"), Some(&CountKind::Displaced));
        let tone = parse_tone(TONE, "tone_lexicon.tsv").unwrap();
        assert!(tone.len() > 7000);
        assert!(tone["good"] > 0.0 && tone["war"] < 0.0);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse_cues("# c\nsay\tspeech\nbad line\n", "x.txt").unwrap_err();
        assert!(e.starts_with("x.txt:3:"), "{e}");
        let e = parse_cues("say\tspeech\tclausal\n", "x.txt").unwrap_err();
        assert!(e.starts_with("x.txt:1:"), "{e}");
        let mut c = Cues::default();
        let e = add_learned(&mut c, "# h\nsay\tspeech\tccomp\t3\n", "l.txt").unwrap_err();
        assert!(e.starts_with("l.txt:2:"), "{e}");
        let e = add_learned(&mut c, "say\tverb\tccomp\t3\t4\n", "l.txt").unwrap_err();
        assert!(e.starts_with("l.txt:1: unknown cue class"), "{e}");
        let e = add_learned(&mut c, "say\tspeech\tccomp\tx\t4\n", "l.txt").unwrap_err();
        assert!(e.starts_with("l.txt:1: bad count"), "{e}");
        let e = parse_triggers("kill\tKILLS\tv\n", "t.tsv").unwrap_err();
        assert!(e.starts_with("t.tsv:1:"), "{e}");
        let e = parse_tone("good\tx\n", "l.tsv").unwrap_err();
        assert!(e.starts_with("l.tsv:1:"), "{e}");
    }
}
