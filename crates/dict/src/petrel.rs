//! Petrel's own dictionary formats (`dictionaries/petrel/`, specified in
//! `docs/dictionary-format.md`): `cameo.tsv`, `verbs/*.txt`, `actors/*.txt`,
//! `agents.txt`, `discards.txt`.
//!
//! Every file is validated as it is parsed; every problem is reported with
//! `file:line` (all of them, not only the first). Problems that make an entry
//! unusable or ambiguous are errors; questionable but usable entries
//! (duplicates, a code outside its file's root, overlapping date ranges) are
//! warnings. Other files of the folder (such as the coder's `modality.txt`)
//! are not read here.

use crate::lines::{err, id, logical_lines, CommentStyle, Line};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

/// Figures on a dictionary folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Dictionary files read.
    pub files: usize,
    /// Codes in `cameo.tsv`.
    pub cameo_codes: usize,
    /// Verb patterns (null patterns included).
    pub patterns: usize,
    /// Null (`---`) patterns.
    pub null_patterns: usize,
    /// Distinct verbs (lemma plus particles) having a pattern.
    pub verbs: usize,
    /// Distinct `cameo.tsv` codes some pattern yields.
    pub codes_covered: usize,
    /// Distinct CAMEO roots (of 20) some pattern yields.
    pub roots_covered: usize,
    /// Roots no pattern yields.
    pub roots_missing: Vec<String>,
    /// Number of (non-null) patterns per CAMEO root (`"01"`..`"20"`).
    pub patterns_per_root: std::collections::BTreeMap<String, usize>,
    pub actors: usize,
    pub actor_names: usize,
    /// Actor codes with a date range.
    pub dated_codes: usize,
    pub agents: usize,
    pub agent_names: usize,
    pub discards: usize,
}

/// The outcome of validating a folder: errors, warnings and figures.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub errors: Vec<DictError>,
    pub warnings: Vec<DictError>,
    pub stats: Stats,
}

impl Report {
    /// True when there is no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.stats;
        writeln!(
            f,
            "{} files: {} patterns ({} null) on {} verbs; {}/{} CAMEO codes and {}/20 roots covered",
            s.files, s.patterns, s.null_patterns, s.verbs, s.codes_covered, s.cameo_codes, s.roots_covered
        )?;
        if !s.patterns_per_root.is_empty() {
            let per: Vec<String> = s
                .patterns_per_root
                .iter()
                .map(|(r, n)| format!("{r}:{n}"))
                .collect();
            writeln!(f, "patterns per root: {}", per.join(" "))?;
        }
        if !s.roots_missing.is_empty() {
            writeln!(f, "roots without patterns: {}", s.roots_missing.join(" "))?;
        }
        writeln!(
            f,
            "{} actors ({} names, {} dated codes); {} agents ({} names); {} discards",
            s.actors, s.actor_names, s.dated_codes, s.agents, s.agent_names, s.discards
        )?;
        writeln!(
            f,
            "{} errors, {} warnings",
            self.errors.len(),
            self.warnings.len()
        )?;
        for e in &self.errors {
            writeln!(f, "error: {e}")?;
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// The PLOVER event types `cameo.tsv` may name.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// Prepositions a slot role may name (one word, or a fixed multi-word
/// preposition joined with `_`).
pub const PREPOSITIONS: &[&str] = &[
    "aboard",
    "about",
    "above",
    "across",
    "after",
    "against",
    "along",
    "alongside",
    "amid",
    "amidst",
    "among",
    "amongst",
    "around",
    "as",
    "at",
    "atop",
    "before",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "by",
    "concerning",
    "despite",
    "down",
    "during",
    "except",
    "following",
    "for",
    "from",
    "in",
    "including",
    "inside",
    "into",
    "like",
    "near",
    "of",
    "off",
    "on",
    "onto",
    "opposite",
    "out",
    "outside",
    "over",
    "past",
    "per",
    "regarding",
    "since",
    "than",
    "through",
    "throughout",
    "till",
    "to",
    "toward",
    "towards",
    "under",
    "underneath",
    "unlike",
    "until",
    "up",
    "upon",
    "versus",
    "via",
    "with",
    "within",
    "without",
    "according_to",
    "ahead_of",
    "along_with",
    "apart_from",
    "because_of",
    "close_to",
    "due_to",
    "instead_of",
    "next_to",
    "on_behalf_of",
    "out_of",
    "prior_to",
    "together_with",
];

const HEADER: [&str; 5] = ["code", "name", "goldstein", "plover_type", "plover_mode"];

/// Which kind of dictionary file a relative path is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cameo,
    Verbs,
    Actors,
    Agents,
    Discards,
}

fn kind_of(rel: &str) -> Option<Kind> {
    match rel {
        "cameo.tsv" => Some(Kind::Cameo),
        "agents.txt" => Some(Kind::Agents),
        "discards.txt" => Some(Kind::Discards),
        _ => {
            let (dir, name) = rel.split_once('/')?;
            if name.contains('/') || !name.ends_with(".txt") {
                return None;
            }
            match dir {
                "verbs" => Some(Kind::Verbs),
                "actors" => Some(Kind::Actors),
                _ => None,
            }
        }
    }
}

const STYLE: CommentStyle = CommentStyle {
    xml: false,
    semicolon: false,
};

struct Reader {
    dict: Dictionaries,
    report: Report,
    /// Pattern key → (id, code) of its first occurrence.
    pattern_keys: HashMap<String, (String, Code)>,
    /// Lowercase name → (id, code) of the actor that has it.
    actor_names: HashMap<String, (String, String)>,
    agent_names: HashMap<String, (String, String)>,
    discard_keys: HashMap<(bool, String), String>,
}

impl Reader {
    fn error(&mut self, file: &str, line: usize, m: impl Into<String>) {
        self.report.errors.push(err(file, line, m));
    }
    fn warn(&mut self, file: &str, line: usize, m: impl Into<String>) {
        self.report.warnings.push(err(file, line, m));
    }

    // -- cameo.tsv ----------------------------------------------------------

    fn cameo(&mut self, file: &str, text: &str) {
        let lines = logical_lines(text, STYLE);
        let Some(first) = lines.first() else {
            self.error(file, 0, "empty code table");
            return;
        };
        let header: Vec<&str> = first.text.split('\t').map(str::trim).collect();
        if header != HEADER {
            self.error(
                file,
                first.no,
                format!("header must be `{}` (tab-separated)", HEADER.join("\\t")),
            );
        }
        for line in &lines[1..] {
            self.cameo_line(file, *line);
        }
        // Parents must exist.
        let mut missing = Vec::new();
        for c in self.dict.cameo.values() {
            let parent = match c.code.len() {
                3 => &c.code[..2],
                4 => &c.code[..3],
                _ => continue,
            };
            if !self.dict.cameo.contains_key(parent) {
                missing.push((c.code.clone(), parent.to_string()));
            }
        }
        missing.sort();
        for (code, parent) in missing {
            self.error(
                file,
                0,
                format!("code {code} has no parent {parent} in the table"),
            );
        }
        self.report.stats.cameo_codes = self.dict.cameo.len();
        if self.dict.cameo.len() != 312 {
            let n = self.dict.cameo.len();
            self.warn(file, 0, format!("{n} codes; CAMEO has 312"));
        }
    }

    fn cameo_line(&mut self, file: &str, line: Line<'_>) {
        let f: Vec<&str> = line.text.split('\t').map(str::trim).collect();
        if !(3..=5).contains(&f.len()) {
            self.error(
                file,
                line.no,
                format!("{} fields; expected 3 to 5 tab-separated fields", f.len()),
            );
            return;
        }
        let code = f[0];
        if !is_cameo_code(code) {
            self.error(
                file,
                line.no,
                format!("bad CAMEO code `{code}` (2–4 digits, root 01–20)"),
            );
            return;
        }
        if f[1].is_empty() {
            self.error(file, line.no, format!("code {code} has no name"));
        }
        let goldstein = match f[2].parse::<f32>() {
            Ok(g) if (-10.0..=10.0).contains(&g) => g,
            _ => {
                self.error(
                    file,
                    line.no,
                    format!("goldstein `{}` is not a number in [-10, 10]", f[2]),
                );
                return;
            }
        };
        let opt = |i: usize| f.get(i).filter(|s| !s.is_empty()).map(|s| s.to_string());
        let plover_type = opt(3);
        if let Some(t) = &plover_type {
            if !PLOVER_TYPES.contains(&t.as_str()) {
                self.error(file, line.no, format!("unknown PLOVER event type `{t}`"));
            }
        }
        let plover_mode = opt(4);
        if plover_mode.is_some() && plover_type.is_none() {
            self.warn(file, line.no, "PLOVER mode without a PLOVER type");
        }
        if self.dict.cameo.contains_key(code) {
            self.error(file, line.no, format!("code {code} given twice"));
            return;
        }
        self.dict.cameo.insert(
            code.to_string(),
            CameoCode {
                code: code.to_string(),
                name: f[1].to_string(),
                goldstein,
                plover_type,
                plover_mode,
            },
        );
    }

    // -- verbs --------------------------------------------------------------

    fn verbs(&mut self, file: &str, text: &str) {
        // `verbs/16_reduce.txt` holds root 16.
        let name = file.rsplit('/').next().unwrap_or(file);
        let root = name
            .get(..2)
            .filter(|r| r.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string);
        for line in logical_lines(text, STYLE) {
            self.verb_line(file, line, root.as_deref());
        }
    }

    fn verb_line(&mut self, file: &str, line: Line<'_>, root: Option<&str>) {
        let toks: Vec<&str> = line.text.split_whitespace().collect();
        let code_tok = toks[0];
        let code = if code_tok == "---" {
            Code::Null
        } else if (2..=4).contains(&code_tok.len()) && code_tok.bytes().all(|b| b.is_ascii_digit())
        {
            if self.dict.cameo.contains_key(code_tok) {
                Code::Cameo(code_tok.to_string())
            } else {
                self.error(
                    file,
                    line.no,
                    format!("unknown CAMEO code {code_tok} (not in cameo.tsv)"),
                );
                return;
            }
        } else {
            self.error(
                file,
                line.no,
                format!("bad code `{code_tok}` (a CAMEO code such as 0311, or ---)"),
            );
            return;
        };
        let Some(verb_tok) = toks.get(1) else {
            self.error(file, line.no, "pattern without a verb");
            return;
        };
        let verb: Vec<String> = verb_tok.split('_').map(str::to_lowercase).collect();
        if verb.iter().any(|w| !is_word(w)) {
            self.error(
                file,
                line.no,
                format!("bad verb `{verb_tok}` (lowercase lemma, particles joined with `_`)"),
            );
            return;
        }
        let mut slots = Vec::new();
        let mut ok = true;
        for tok in &toks[2..] {
            match parse_slot(tok) {
                Ok(s) => slots.push(s),
                Err(m) => {
                    self.error(file, line.no, m);
                    ok = false;
                }
            }
        }
        if !ok {
            return;
        }
        if let Err(m) = check_slots(&slots) {
            self.error(file, line.no, m);
            return;
        }
        if let (Some(r), Code::Cameo(c)) = (root, &code) {
            if &c[..2] != r {
                self.warn(file, line.no, format!("code {c} in a file of root {r}"));
            }
        }
        let key = pattern_key(&verb, &slots);
        let this_id = id(file, line.no);
        if let Some((first, first_code)) = self.pattern_keys.get(&key).cloned() {
            if first_code == code {
                self.warn(file, line.no, format!("duplicate of {first}"));
            } else {
                self.warn(
                    file,
                    line.no,
                    format!(
                        "same verb and slots as {first} with another code; the earlier line wins"
                    ),
                );
            }
        } else {
            self.pattern_keys
                .insert(key, (this_id.clone(), code.clone()));
        }
        self.dict.verbs.push(VerbPattern {
            id: this_id,
            code,
            verb,
            slots,
            before: Vec::new(),
            after: Vec::new(),
            reverse_code: None,
        });
    }

    // -- actors -------------------------------------------------------------

    fn actors(&mut self, file: &str, text: &str) {
        // The entry being read: actor, whether it is a person header.
        let mut cur: Option<(Actor, bool, usize)> = None;
        for line in logical_lines(text, STYLE) {
            let indented = line.text.starts_with([' ', '\t']);
            let t = line.text.trim();
            if indented {
                match cur.as_mut() {
                    Some((actor, _, _)) => match parse_code_line(t) {
                        Ok(dc) => actor.codes.push(dc),
                        Err(m) => self.error(file, line.no, m),
                    },
                    None => self.error(
                        file,
                        line.no,
                        "indented code line without an actor above it",
                    ),
                }
                continue;
            }
            if let Some(c) = cur.take() {
                self.finish_actor(file, c);
            }
            let (code, names_part) = match split_code_prefix(t) {
                Some((c, rest)) => (Some(c), rest),
                None => (None, t),
            };
            if let Some(c) = code {
                if let Err(m) = check_actor_code(c) {
                    self.error(file, line.no, m);
                    continue;
                }
            }
            let names = match self.names(file, line.no, names_part) {
                Some(n) => n,
                None => continue,
            };
            let actor = Actor {
                id: id(file, line.no),
                names,
                codes: code
                    .map(|c| DatedCode {
                        code: c.to_string(),
                        from: None,
                        to: None,
                    })
                    .into_iter()
                    .collect(),
            };
            cur = Some((actor, code.is_none(), line.no));
        }
        if let Some(c) = cur.take() {
            self.finish_actor(file, c);
        }
    }

    /// Splits `NAME | NAME` into word sequences; reports empty names.
    fn names(&mut self, file: &str, line: usize, s: &str) -> Option<Vec<Vec<String>>> {
        let mut names = Vec::new();
        let mut ok = true;
        let lower = |w: &[String]| -> Vec<String> { w.iter().map(|x| x.to_lowercase()).collect() };
        for (i, n) in s.split('|').enumerate() {
            // Names keep their case: matching is case-insensitive, except that
            // the actor resolver compares all-capital short words ("US", "ICE")
            // of a mixed-case entry case-sensitively. Duplicates are found
            // case-insensitively.
            let words: Vec<String> = n.split_whitespace().map(str::to_string).collect();
            if words.is_empty() {
                self.error(file, line, format!("empty name (alternative {})", i + 1));
                ok = false;
            } else if names
                .iter()
                .any(|m: &Vec<String>| lower(m) == lower(&words))
            {
                self.warn(
                    file,
                    line,
                    format!("name `{}` given twice", words.join(" ")),
                );
            } else if words.iter().any(|w| w.contains('_')) {
                self.warn(
                    file,
                    line,
                    format!(
                        "name `{}` contains `_`: names are split on blanks",
                        words.join(" ")
                    ),
                );
                names.push(words);
            } else {
                names.push(words);
            }
        }
        ok.then_some(names)
    }

    fn finish_actor(&mut self, file: &str, (actor, person, line): (Actor, bool, usize)) {
        if actor.codes.is_empty() {
            if person {
                self.error(file, line, "actor header without (valid) code lines: expected indented `CODE [FROM..TO]` lines");
            }
            return;
        }
        let defaults = actor
            .codes
            .iter()
            .filter(|c| c.from.is_none() && c.to.is_none())
            .count();
        if defaults > 1 {
            self.error(
                file,
                line,
                format!("{defaults} codes without dates; at most one default"),
            );
            return;
        }
        let dated: Vec<&DatedCode> = actor
            .codes
            .iter()
            .filter(|c| c.from.is_some() || c.to.is_some())
            .collect();
        for (i, a) in dated.iter().enumerate() {
            for b in &dated[i + 1..] {
                let a_from = a.from.unwrap_or(NaiveDate::MIN);
                let a_to = a.to.unwrap_or(NaiveDate::MAX);
                let b_from = b.from.unwrap_or(NaiveDate::MIN);
                let b_to = b.to.unwrap_or(NaiveDate::MAX);
                if a_from <= b_to && b_from <= a_to && a.code != b.code {
                    self.warn(
                        file,
                        line,
                        format!(
                            "date ranges of {} and {} overlap; the first listed wins",
                            a.code, b.code
                        ),
                    );
                }
            }
        }
        let main = actor.code_on(None).unwrap_or_default().to_string();
        for n in &actor.names {
            let key = n.join(" ").to_lowercase();
            match self.actor_names.get(&key) {
                Some((first, code)) if *code == main => {
                    let m = format!("name `{key}` also given by {first}");
                    self.report.warnings.push(err(file, line, m));
                }
                Some((first, code)) => {
                    let m = format!("name `{key}` also names {code} ({first}); the longest match, then the first entry, wins");
                    self.report.warnings.push(err(file, line, m));
                }
                None => {
                    self.actor_names
                        .insert(key, (actor.id.clone(), main.clone()));
                }
            }
        }
        self.report.stats.dated_codes += dated.len();
        self.dict.actors.push(actor);
    }

    // -- agents -------------------------------------------------------------

    fn agents(&mut self, file: &str, text: &str) {
        for line in logical_lines(text, STYLE) {
            let t = line.text.trim();
            let Some((code, rest)) = split_code_prefix(t) else {
                self.error(file, line.no, "expected `CODE: noun | noun phrase | ...`");
                continue;
            };
            if let Err(m) = check_actor_code(code) {
                self.error(file, line.no, m);
                continue;
            }
            let Some(names) = self.names(file, line.no, rest) else {
                continue;
            };
            for n in &names {
                let key = n.join(" ").to_lowercase();
                match self.agent_names.get(&key) {
                    Some((first, c)) => {
                        let m = if c == code {
                            format!("agent `{key}` also given by {first}")
                        } else {
                            format!("agent `{key}` is also {c} ({first}); the first entry wins")
                        };
                        self.warn(file, line.no, m);
                    }
                    None => {
                        self.agent_names
                            .insert(key, (id(file, line.no), code.to_string()));
                    }
                }
            }
            self.dict.agents.push(Agent {
                id: id(file, line.no),
                names,
                code: code.to_string(),
                join: AgentJoin::Append,
            });
        }
    }

    // -- discards -----------------------------------------------------------

    fn discards(&mut self, file: &str, text: &str) {
        for line in logical_lines(text, STYLE) {
            let t = line.text.trim();
            let (story, phrase) = match t.strip_prefix('+') {
                Some(p) => (true, p),
                None => (false, t),
            };
            let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
            if words.is_empty() {
                self.error(file, line.no, "empty discard phrase");
                continue;
            }
            let key = (story, words.join(" "));
            if let Some(first) = self.discard_keys.get(&key) {
                let m = format!("duplicate of {first}");
                self.warn(file, line.no, m);
                continue;
            }
            self.discard_keys.insert(key, id(file, line.no));
            self.dict.discards.push(Discard {
                id: id(file, line.no),
                words,
                story,
            });
        }
    }
}

/// `CODE: rest` when the prefix is an uppercase code.
fn split_code_prefix(t: &str) -> Option<(&str, &str)> {
    let (c, rest) = t.split_once(':')?;
    let c = c.trim();
    (!c.is_empty()
        && c.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    .then_some((c, rest))
}

fn check_actor_code(c: &str) -> Result<(), String> {
    if c.len() < 3
        || !c
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(format!(
            "bad actor code `{c}` (uppercase letters and digits, 3 or more)"
        ));
    }
    Ok(())
}

/// `CODE`, `CODE FROM..`, `CODE ..TO`, `CODE FROM..TO` (ISO dates).
fn parse_code_line(t: &str) -> Result<DatedCode, String> {
    let toks: Vec<&str> = t.split_whitespace().collect();
    let code = toks[0];
    check_actor_code(code)?;
    let (from, to) = match toks.len() {
        1 => (None, None),
        2 if toks[1].starts_with('[') => {
            return Err(format!(
                "date range `{}`: write it without brackets (FROM..TO)",
                toks[1]
            ));
        }
        2 => {
            let Some((a, b)) = toks[1].split_once("..") else {
                return Err(format!(
                    "bad date range `{}` (expected FROM..TO, FROM.. or ..TO)",
                    toks[1]
                ));
            };
            let date = |s: &str| -> Result<Option<NaiveDate>, String> {
                if s.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| format!("bad date `{s}` (expected YYYY-MM-DD)"))
            };
            let (f, to) = (date(a)?, date(b)?);
            if f.is_none() && to.is_none() {
                return Err("date range `..` has neither end".into());
            }
            if let (Some(x), Some(y)) = (f, to) {
                if x > y {
                    return Err(format!(
                        "bad date range `{}`: it ends before it starts",
                        toks[1]
                    ));
                }
            }
            (f, to)
        }
        _ => return Err(format!("code line `{t}`: expected `CODE [FROM..TO]`")),
    };
    Ok(DatedCode {
        code: code.to_string(),
        from,
        to,
    })
}

fn is_cameo_code(c: &str) -> bool {
    (2..=4).contains(&c.len())
        && c.bytes().all(|b| b.is_ascii_digit())
        && matches!(c[..2].parse::<u8>(), Ok(1..=20))
}

/// A lowercase word of a lemma: letters, digits, `'`, `-`, `.`.
fn is_word(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || matches!(c, '\'' | '-' | '.'))
        && w.chars().any(|c| c.is_alphanumeric())
}

fn parse_slot(tok: &str) -> Result<Slot, String> {
    let Some((role, filler)) = tok.split_once(':') else {
        return Err(format!("bad slot `{tok}` (expected ROLE:FILLER)"));
    };
    let role = match role.to_lowercase().as_str() {
        "obj" => Role::Obj,
        "subj" => Role::Subj,
        "xcomp" => Role::Xcomp,
        p if PREPOSITIONS.contains(&p) => Role::Prep(p.replace('_', " ")),
        p => {
            return Err(format!(
                "unknown role `{p}` in `{tok}` (obj, subj, xcomp or a preposition)"
            ))
        }
    };
    let filler = match filler {
        "+" => Filler::Target,
        "$" => Filler::Source,
        "*" => Filler::Any,
        "" => return Err(format!("slot `{tok}` has no filler")),
        alts => {
            let mut out = Vec::new();
            for a in alts.split('|') {
                let a = a.to_lowercase();
                if a.is_empty() {
                    return Err(format!("empty alternative in `{tok}`"));
                }
                if !a.split('_').all(is_word) {
                    return Err(format!(
                        "bad lemma `{a}` in `{tok}` (lowercase words joined with `_`)"
                    ));
                }
                let a = a.replace('_', " ");
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            Filler::Lemmas(out)
        }
    };
    if role == Role::Xcomp && matches!(filler, Filler::Target | Filler::Source) {
        return Err(format!(
            "`{tok}`: an xcomp slot takes verb lemmas or `*`, not an actor"
        ));
    }
    Ok(Slot { role, filler })
}

fn check_slots(slots: &[Slot]) -> Result<(), String> {
    let targets = slots.iter().filter(|s| s.filler == Filler::Target).count();
    let sources = slots.iter().filter(|s| s.filler == Filler::Source).count();
    if targets > 1 {
        return Err("more than one target slot `+`".into());
    }
    if sources > 1 {
        return Err("more than one source slot `$`".into());
    }
    for (i, a) in slots.iter().enumerate() {
        if slots[i + 1..].iter().any(|b| b.role == a.role) {
            return Err(format!("role `{}` given twice", role_name(&a.role)));
        }
    }
    Ok(())
}

fn role_name(r: &Role) -> String {
    match r {
        Role::Obj => "obj".into(),
        Role::Subj => "subj".into(),
        Role::Xcomp => "xcomp".into(),
        Role::Prep(p) => p.replace(' ', "_"),
    }
}

fn pattern_key(verb: &[String], slots: &[Slot]) -> String {
    let mut parts: Vec<String> = slots
        .iter()
        .map(|s| {
            let f = match &s.filler {
                Filler::Target => "+".to_string(),
                Filler::Source => "$".to_string(),
                Filler::Any => "*".to_string(),
                Filler::Lemmas(l) => {
                    let mut l = l.clone();
                    l.sort();
                    l.join("|")
                }
            };
            format!("{}:{f}", role_name(&s.role))
        })
        .collect();
    parts.sort();
    format!("{} {}", verb.join("_"), parts.join(" "))
}

/// Parses and validates a set of files given as (path relative to the
/// dictionary folder, content). Files that are not dictionary files are
/// ignored. Returns the dictionaries (errors left out) and the report.
pub fn parse_files(files: &[(&str, &str)]) -> (Dictionaries, Report) {
    let mut r = Reader {
        dict: Dictionaries::default(),
        report: Report::default(),
        pattern_keys: HashMap::new(),
        actor_names: HashMap::new(),
        agent_names: HashMap::new(),
        discard_keys: HashMap::new(),
    };
    for (p, _) in files {
        if kind_of(p).is_none() && (p.starts_with("verbs/") || p.starts_with("actors/")) {
            r.warn(
                p,
                0,
                "not read: only `.txt` files directly in verbs/ and actors/ are dictionary files",
            );
        }
    }
    let mut sorted: Vec<(&str, &str, Kind)> = files
        .iter()
        .filter_map(|(p, t)| kind_of(p).map(|k| (*p, *t, k)))
        .collect();
    // The code table first: patterns are checked against it.
    sorted.sort_by_key(|(p, _, k)| (*k != Kind::Cameo, p.to_string()));
    if !sorted.iter().any(|(_, _, k)| *k == Kind::Cameo) {
        r.error("cameo.tsv", 0, "missing: the CAMEO code table is required");
    }
    for (path, text, kind) in &sorted {
        r.report.stats.files += 1;
        match kind {
            Kind::Cameo => r.cameo(path, text),
            Kind::Verbs => r.verbs(path, text),
            Kind::Actors => r.actors(path, text),
            Kind::Agents => r.agents(path, text),
            Kind::Discards => r.discards(path, text),
        }
    }
    let s = &mut r.report.stats;
    s.patterns = r.dict.verbs.len();
    s.null_patterns = r.dict.verbs.iter().filter(|v| v.code == Code::Null).count();
    s.verbs = r
        .dict
        .verbs
        .iter()
        .map(|v| v.verb.join("_"))
        .collect::<BTreeSet<_>>()
        .len();
    let codes: BTreeSet<&str> = r
        .dict
        .verbs
        .iter()
        .filter_map(|v| match &v.code {
            Code::Cameo(c) => Some(c.as_str()),
            Code::Null => None,
        })
        .collect();
    s.codes_covered = codes
        .iter()
        .filter(|c| r.dict.cameo.contains_key(**c))
        .count();
    for v in &r.dict.verbs {
        if let Code::Cameo(c) = &v.code {
            *s.patterns_per_root.entry(c[..2].to_string()).or_insert(0) += 1;
        }
    }
    let roots: BTreeSet<&str> = codes.iter().map(|c| &c[..2]).collect();
    s.roots_covered = roots.len();
    s.roots_missing = (1..=20)
        .map(|n| format!("{n:02}"))
        .filter(|n| !roots.contains(n.as_str()))
        .collect();
    s.actors = r.dict.actors.len();
    s.actor_names = r.dict.actors.iter().map(|a| a.names.len()).sum();
    s.agents = r.dict.agents.len();
    s.agent_names = r.dict.agents.iter().map(|a| a.names.len()).sum();
    s.discards = r.dict.discards.len();
    (r.dict, r.report)
}

/// Reads every file under `dir` as (relative path with `/`, content).
fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, DictError> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), DictError> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            err(
                &dir.display().to_string(),
                0,
                format!("cannot read folder: {e}"),
            )
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                err(
                    &dir.display().to_string(),
                    0,
                    format!("cannot read folder: {e}"),
                )
            })?;
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if kind_of(&rel).is_none() && !rel.starts_with("verbs/") && !rel.starts_with("actors/")
            {
                continue;
            }
            let text = crate::lines::read_text(&path, &rel)?;
            out.push((rel, text));
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// Parses and validates a dictionary folder, returning the dictionaries
/// (entries with errors left out) and the full report.
pub fn load_dir_report(dir: &Path) -> (Dictionaries, Report) {
    match read_dir(dir) {
        Ok(files) => {
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            parse_files(&refs)
        }
        Err(e) => {
            let report = Report {
                errors: vec![e],
                ..Report::default()
            };
            (Dictionaries::default(), report)
        }
    }
}

/// Loads a Petrel dictionary folder; any error fails the load (all of them
/// are returned). Warnings are dropped: use [`validate_dir`] to see them.
pub fn load_dir(dir: &Path) -> Result<Dictionaries, Vec<DictError>> {
    let (d, report) = load_dir_report(dir);
    if report.errors.is_empty() {
        Ok(d)
    } else {
        Err(report.errors)
    }
}

/// Validates a dictionary folder: errors, warnings and statistics.
pub fn validate_dir(dir: &Path) -> Report {
    load_dir_report(dir).1
}

mod generated {
    include!(concat!(env!("OUT_DIR"), "/embedded_dictionaries.rs"));
}

/// Every file of `dictionaries/petrel/` as it was at build time, as (path
/// relative to that folder, content), sorted by path. Includes files other
/// crates read (such as `modality.txt`).
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    generated::FILES
}

/// The content of one embedded file (`"modality.txt"`, `"verbs/16_reduce.txt"`).
pub fn embedded_file(rel: &str) -> Option<&'static str> {
    generated::FILES
        .iter()
        .find(|(p, _)| *p == rel)
        .map(|(_, t)| *t)
}

/// Petrel's own dictionaries, embedded in the binary at build time.
pub fn embedded() -> Result<Dictionaries, Vec<DictError>> {
    let (d, report) = parse_files(generated::FILES);
    if report.errors.is_empty() {
        Ok(d)
    } else {
        Err(report.errors)
    }
}

/// The embedded CAMEO code table alone (`cameo.tsv`), e.g. to give Goldstein
/// values and PLOVER types to dictionaries loaded from PETRARCH files, which
/// carry no code table.
pub fn embedded_cameo() -> Result<HashMap<String, CameoCode>, Vec<DictError>> {
    let files: Vec<(&str, &str)> = generated::FILES
        .iter()
        .filter(|(p, _)| *p == "cameo.tsv")
        .copied()
        .collect();
    let (d, report) = parse_files(&files);
    if report.errors.is_empty() {
        Ok(d.cameo)
    } else {
        Err(report.errors)
    }
}

/// Validation report of the embedded dictionaries.
pub fn validate_embedded() -> Report {
    parse_files(generated::FILES).1
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAMEO: &str = "code\tname\tgoldstein\tplover_type\tplover_mode\n\
        01\tMake public statement\t0\t\t\n\
        16\tReduce relations\t-4\tSANCTION\t\n\
        161\tReduce or break diplomatic relations\t-4\tSANCTION\trelations\n\
        04\tConsult\t1\tCONSULT\t\n\
        041\tDiscuss by telephone\t1\tCONSULT\tphone\n";

    /// Parses with the small code table above; its "not 312 codes" warning
    /// is dropped.
    fn parse(files: &[(&str, &str)]) -> (Dictionaries, Report) {
        let mut all = vec![("cameo.tsv", CAMEO)];
        all.extend_from_slice(files);
        let (d, mut r) = parse_files(&all);
        r.warnings.retain(|w| w.file != "cameo.tsv");
        (d, r)
    }

    #[test]
    fn verbs_parse_into_slots() {
        let verbs = "## 16\n161   sever      obj:tie|relation   with:+\n161  break_off  obj:Diplomatic_Relation\n--- attack obj:problem  # not an assault\n041 phone\n";
        let (d, r) = parse(&[("verbs/16_reduce.txt", verbs)]);
        assert!(r.is_ok(), "{r}");
        assert_eq!(d.verbs.len(), 4);
        let v = &d.verbs[0];
        assert_eq!(v.id, "verbs/16_reduce.txt:2");
        assert_eq!(v.code, Code::Cameo("161".into()));
        assert_eq!(v.verb, vec!["sever".to_string()]);
        assert_eq!(
            v.slots,
            vec![
                Slot {
                    role: Role::Obj,
                    filler: Filler::Lemmas(vec!["tie".into(), "relation".into()])
                },
                Slot {
                    role: Role::Prep("with".into()),
                    filler: Filler::Target
                },
            ]
        );
        assert_eq!(
            d.verbs[1].verb,
            vec!["break".to_string(), "off".to_string()]
        );
        assert_eq!(
            d.verbs[1].slots[0].filler,
            Filler::Lemmas(vec!["diplomatic relation".into()])
        );
        assert_eq!(d.verbs[2].code, Code::Null);
        // 041 in a root-16 file is a warning.
        assert_eq!(r.warnings.len(), 1, "{r}");
        assert_eq!(r.warnings[0].line, 5);
        assert_eq!(r.stats.patterns_per_root.get("16"), Some(&2));
        assert_eq!(
            (
                r.stats.codes_covered,
                r.stats.roots_covered,
                r.stats.null_patterns
            ),
            (2, 2, 1)
        );
    }

    #[test]
    fn verb_errors_are_all_reported() {
        let verbs = "\
999 sever obj:tie
0311 sever
161
161 sever obj
161 sever foo:+
161 sever obj:+ with:+
161 sever obj:tie||relation
161 Sever obj:tie
161 sever obj:tie
161 sever xcomp:$
161 sever obj:a obj:b
XYZ sever
";
        let (_, r) = parse(&[("verbs/16.txt", verbs)]);
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5, 6, 7, 10, 11, 12], "{r}");
        assert!(r.errors[0]
            .to_string()
            .starts_with("verbs/16.txt:1: unknown CAMEO code 999"));
        // Line 9 duplicates line 8 (case-insensitive): a warning.
        assert_eq!(
            r.warnings.iter().map(|w| w.line).collect::<Vec<_>>(),
            vec![9],
            "{r}"
        );
    }

    #[test]
    fn actors_simple_and_dated() {
        let actors = "\
COL: Colombia | Republic of Colombia | Bogotá
Gustavo Petro | Gustavo Francisco Petro Urrego
  COLGOV 2022-08-07..
  COLLEG 2018-07-20..2022-08-06
  COLELI
Nobody Here
IGOUNO: United Nations |  | UN
Someone
  COLGOV 2022-08-07..2021-01-01
  COLGOV 2022-13-01..
  col
  COLGOV 2020-01-01
COL: colombia
Other_Name
  COL 2020-01-01..
  COL [2021-01-01..]
";
        let (d, r) = parse(&[("actors/people.txt", actors)]);
        let mut errs: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        errs.sort();
        assert_eq!(errs, vec![6, 7, 8, 9, 10, 11, 12, 16], "{r}");
        assert!(
            r.warnings
                .iter()
                .any(|w| w.line == 14 && w.message.contains("`_`")),
            "{r}"
        );
        assert_eq!(d.actors.len(), 4);
        assert_eq!(d.actors[0].names[2], vec!["Bogotá".to_string()]);
        let petro = &d.actors[1];
        assert_eq!(
            petro.code_on(NaiveDate::from_ymd_opt(2023, 1, 1)),
            Some("COLGOV")
        );
        assert_eq!(
            petro.code_on(NaiveDate::from_ymd_opt(2019, 1, 1)),
            Some("COLLEG")
        );
        assert_eq!(
            petro.code_on(NaiveDate::from_ymd_opt(2010, 1, 1)),
            Some("COLELI")
        );
        // Petro's two ranges and Other_Name's valid one.
        assert_eq!(r.stats.dated_codes, 3);
        // `colombia` again, same code: a warning.
        assert!(r.warnings.iter().any(|w| w.line == 13), "{r}");
    }

    #[test]
    fn names_keep_their_case_and_duplicates_ignore_it() {
        let (d, r) = parse(&[(
            "actors/a.txt",
            "USA: United States | US | united states\nUSACOP: ICE | Immigration and Customs Enforcement\n",
        )]);
        assert!(r.errors.is_empty(), "{r}");
        assert_eq!(d.actors[0].names[1], vec!["US".to_string()]);
        assert_eq!(d.actors[1].names[0], vec!["ICE".to_string()]);
        // `united states` repeats `United States` within the entry.
        assert!(
            r.warnings
                .iter()
                .any(|w| w.line == 1 && w.message.contains("twice")),
            "{r}"
        );
    }

    #[test]
    fn agents_and_discards() {
        let (d, r) = parse(&[
            (
                "agents.txt",
                "GOV: government | foreign minister\nCOP: police\npolice: COP\nMIL: government\n",
            ),
            (
                "discards.txt",
                "world cup\n+ Premier League\nworld cup\n+\n",
            ),
        ]);
        assert_eq!(
            r.errors
                .iter()
                .map(|e| (e.file.as_str(), e.line))
                .collect::<Vec<_>>(),
            vec![("agents.txt", 3), ("discards.txt", 4)]
        );
        assert_eq!(r.warnings.len(), 2, "{r}");
        assert_eq!(
            d.agents[0].names[1],
            vec!["foreign".to_string(), "minister".to_string()]
        );
        assert_eq!(d.agents[0].join, AgentJoin::Append);
        assert_eq!(d.discards.len(), 2);
        assert!(d.discards[1].story);
        assert_eq!(
            d.discards[1].words,
            vec!["premier".to_string(), "league".to_string()]
        );
    }

    #[test]
    fn cameo_table_is_checked() {
        let bad = "code\tname\tgoldstein\n01\tA\t0\n0111\tB\t1\n011\t\t11\n99\tC\t0\n01\tD\t0\n012\tE\t1\tHUG\n";
        let (d, r) = parse_files(&[("cameo.tsv", bad)]);
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 4, 4, 5, 6, 7, 0], "{r}");
        assert_eq!(d.cameo.len(), 3);
        let (_, r) = parse_files(&[("verbs/x.txt", "161 sever\n")]);
        assert!(r.errors.iter().any(|e| e.file == "cameo.tsv"));
    }

    #[test]
    fn other_files_are_ignored() {
        let (_, r) = parse(&[("modality.txt", "future will\n"), ("verbs/notes.md", "x")]);
        assert!(r.is_ok());
        assert_eq!(r.stats.files, 1);
        assert_eq!(r.warnings.len(), 1, "{r}");
        assert_eq!(r.warnings[0].file, "verbs/notes.md");
    }
}
