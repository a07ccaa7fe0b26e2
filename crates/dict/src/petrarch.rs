//! Loaders for PETRARCH2, TABARI and Phoenix dictionaries, read as they are
//! (`CAMEO.2.0.txt`, `PETR.Validate.*`, `Phoenix.*.actors.txt`,
//! `Phoenix.agents.txt`, `Phoenix.discards.txt`, TABARI `.verbs` files).
//!
//! Everything is mapped into the shared [`Dictionaries`] model:
//!
//! * **Verbs.** A PETRARCH2 block `--- NAME [code] ---` groups synonymous
//!   verbs; its patterns apply to every verb of the block. Each verb yields a
//!   bare [`VerbPattern`] (its own code, else the block code) and one pattern
//!   per `-` line of the block. A file without block headers is read as
//!   TABARI: every verb line opens its own block and its stem (no trailing
//!   `_`) is stored with a trailing `*` (prefix). Synsets `&NAME` are expanded
//!   into word alternatives, with regular plurals unless the label or the
//!   member ends in `_`. In a multi-word verb the `+` word is the verb: words
//!   after it are particles (`verb[1..]`), words before it become a word
//!   element immediately before the verb. Irregular forms in `{...}` go to
//!   [`Dictionaries::verb_forms`]. `A/B` alternatives are expanded (in a
//!   preposition, into separate patterns). `[a:b]` codes set
//!   [`VerbPattern::reverse_code`]. Transformations `~` are stored.
//! * **Actors.** `PHRASE [CODE]`, `+SYNONYM` lines, tab-indented date
//!   restrictions `[CODE yymmdd-yymmdd]`, `[CODE >yymmdd]`, `[CODE <yymmdd]`;
//!   years `00`–`30` are 20xx, others 19xx. A phrase without trailing `_` is
//!   a stem: its last word gets a trailing `*`.
//! * **Agents.** `PHRASE {plurals} [~CODE]` (appended) or `[CODE~]`
//!   (prepended); `!SET! = A, B` substitution sets. Declared irregular
//!   plurals are extra names; regular plurals are left to lemmatisation.
//! * **Discards.** One phrase per line, `+` for story level; stems as for
//!   actors.
//!
//! Errors carry `file:line`; questionable but loadable input (odd codes,
//! malformed brackets PETRARCH tolerates, undefined synsets, which PETRARCH
//! silently skips) gives warnings.

use crate::lines::{err, id, logical_lines, plural, read_text, CommentStyle, Line};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Counts gathered while loading, for reports and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStats {
    pub verb_blocks: usize,
    /// Verb lines (each verb of each block).
    pub verbs: usize,
    /// Irregular forms recorded in [`Dictionaries::verb_forms`].
    pub irregular_forms: usize,
    pub synsets: usize,
    pub synset_members: usize,
    /// `-` pattern lines read.
    pub pattern_lines: usize,
    /// [`VerbPattern`]s produced (bare verbs plus verbs × patterns).
    pub patterns: usize,
    /// Pattern lines skipped (undefined synset, as PETRARCH does).
    pub skipped_patterns: usize,
    pub transformations: usize,
    pub actors: usize,
    pub actor_names: usize,
    /// Actor codes with a date restriction.
    pub dated_codes: usize,
    pub agents: usize,
    pub agent_names: usize,
    pub discards: usize,
    pub story_discards: usize,
}

impl LoadStats {
    fn add(&mut self, o: &LoadStats) {
        self.verb_blocks += o.verb_blocks;
        self.verbs += o.verbs;
        self.irregular_forms += o.irregular_forms;
        self.synsets += o.synsets;
        self.synset_members += o.synset_members;
        self.pattern_lines += o.pattern_lines;
        self.patterns += o.patterns;
        self.skipped_patterns += o.skipped_patterns;
        self.transformations += o.transformations;
        self.actors += o.actors;
        self.actor_names += o.actor_names;
        self.dated_codes += o.dated_codes;
        self.agents += o.agents;
        self.agent_names += o.agent_names;
        self.discards += o.discards;
        self.story_discards += o.story_discards;
    }
}

/// A loaded file (or set of files): the entries, counts and warnings.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub dict: Dictionaries,
    pub stats: LoadStats,
    pub warnings: Vec<DictError>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn read(path: &Path) -> Result<(String, String), Vec<DictError>> {
    let name = file_name(path);
    let text = read_text(path, &name).map_err(|e| vec![e])?;
    Ok((name, text))
}

/// Loads a PETRARCH2 (or TABARI) verb dictionary.
pub fn load_verbs(path: &Path) -> Result<Loaded, Vec<DictError>> {
    let (name, text) = read(path)?;
    parse_verbs(&name, &text)
}

/// Loads a PETRARCH/TABARI actor dictionary.
pub fn load_actors(path: &Path) -> Result<Loaded, Vec<DictError>> {
    let (name, text) = read(path)?;
    parse_actors(&name, &text)
}

/// Loads a PETRARCH agent dictionary.
pub fn load_agents(path: &Path) -> Result<Loaded, Vec<DictError>> {
    let (name, text) = read(path)?;
    parse_agents(&name, &text)
}

/// Loads a PETRARCH discard list.
pub fn load_discards(path: &Path) -> Result<Loaded, Vec<DictError>> {
    let (name, text) = read(path)?;
    parse_discards(&name, &text)
}

/// Loads a whole set (as named in a PETRARCH config) into one
/// [`Dictionaries`]; every error of every file is collected.
pub fn load_set(
    verbs: &[PathBuf],
    actors: &[PathBuf],
    agents: &[PathBuf],
    discards: &[PathBuf],
) -> Result<Dictionaries, Vec<DictError>> {
    load_set_full(verbs, actors, agents, discards).map(|l| l.dict)
}

/// [`load_set`], also returning counts and warnings.
pub fn load_set_full(
    verbs: &[PathBuf],
    actors: &[PathBuf],
    agents: &[PathBuf],
    discards: &[PathBuf],
) -> Result<Loaded, Vec<DictError>> {
    type Loader = fn(&Path) -> Result<Loaded, Vec<DictError>>;
    let groups: [(&[PathBuf], Loader); 4] = [
        (verbs, load_verbs),
        (actors, load_actors),
        (agents, load_agents),
        (discards, load_discards),
    ];
    let mut out = Loaded::default();
    let mut errors = Vec::new();
    for (paths, loader) in groups {
        for p in paths {
            match loader(p) {
                Ok(l) => merge(&mut out, l),
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn merge(into: &mut Loaded, from: Loaded) {
    let d = from.dict;
    into.dict.verbs.extend(d.verbs);
    into.dict.actors.extend(d.actors);
    into.dict.agents.extend(d.agents);
    into.dict.discards.extend(d.discards);
    into.dict.cameo.extend(d.cameo);
    for (k, v) in d.verb_forms {
        into.dict.verb_forms.entry(k).or_insert(v);
    }
    into.dict.transformations.extend(d.transformations);
    into.stats.add(&from.stats);
    into.warnings.extend(from.warnings);
}

// ---------------------------------------------------------------------------
// Codes

/// Parses the inside of a PETRARCH code bracket: `---`, `123`, `a:b`, `:b`.
fn parse_code(s: &str) -> Result<(Code, Option<Code>), String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty code `[]`".into());
    }
    if s.chars().any(char::is_whitespace) {
        return Err(format!("code `[{s}]` contains a blank"));
    }
    let one = |c: &str| -> Code {
        if c.is_empty() || c == "---" {
            Code::Null
        } else {
            Code::Cameo(c.to_string())
        }
    };
    match s.split_once(':') {
        Some((a, b)) => {
            if a.is_empty() && b.is_empty() {
                return Err("code `[:]` has neither side".into());
            }
            Ok((one(a), if b.is_empty() { None } else { Some(one(b)) }))
        }
        None => Ok((one(s), None)),
    }
}

fn is_cameo_like(c: &Code) -> bool {
    match c {
        Code::Null => true,
        Code::Cameo(s) => (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Finds the last `[...]` in `text`; returns (before, inside, after).
/// A `}` closing a `[` (a typo PETRARCH tolerates) is accepted when no `]` is
/// found; the flag says so.
fn last_bracket(text: &str) -> Option<(&str, &str, &str, bool)> {
    let open = text.rfind('[')?;
    let rest = &text[open + 1..];
    if let Some(close) = rest.find(']') {
        return Some((&text[..open], &rest[..close], &rest[close + 1..], false));
    }
    let close = rest.find('}')?;
    Some((&text[..open], &rest[..close], &rest[close + 1..], true))
}

// ---------------------------------------------------------------------------
// Verbs

struct VerbEntry {
    id: String,
    /// Verb lemma then particles.
    words: Vec<String>,
    /// Words fixed immediately before the verb (`WIRE_+TAP`).
    pre: Vec<String>,
    code: Option<(Code, Option<Code>)>,
}

struct PatternEntry {
    id: String,
    before: Vec<PatTok>,
    after: Vec<PatTok>,
    code: Code,
    reverse: Option<Code>,
}

#[derive(Default)]
struct Block {
    code: Option<(Code, Option<Code>)>,
    verbs: Vec<VerbEntry>,
    patterns: Vec<PatternEntry>,
    header_line: usize,
    implicit: bool,
}

struct VerbReader<'a> {
    file: &'a str,
    /// Repairs made while parsing the current pattern (become warnings).
    notes: std::cell::RefCell<Vec<String>>,
    synsets: HashMap<String, Vec<String>>,
    errors: Vec<DictError>,
    out: Loaded,
}

fn lower_words(s: &str) -> Vec<String> {
    s.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Raw lexical token of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(String),
    Open(char),
    Close(char),
}

fn lex(s: &str) -> Vec<Lex> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '{' | '(' | '}' | ')' => {
                if !cur.is_empty() {
                    out.push(Lex::Word(std::mem::take(&mut cur)));
                }
                if c == '{' || c == '(' {
                    out.push(Lex::Open(c));
                } else {
                    out.push(Lex::Close(c));
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(Lex::Word(std::mem::take(&mut cur)));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Lex::Word(cur));
    }
    out
}

/// One item of a parsed pattern: the verb position or an element.
#[derive(Debug, Clone)]
enum Item {
    Verb,
    Tok(PatTok),
    /// A prepositional phrase whose preposition has alternatives.
    Prep(Vec<String>, Vec<PatTok>),
}

enum PatErr {
    /// A malformed pattern (an error).
    Bad(String),
    /// An undefined synset (PETRARCH skips the pattern: a warning).
    Undefined(String),
}

const MAX_ALTERNATIVES: usize = 20_000;

impl<'a> VerbReader<'a> {
    /// Alternatives for one word position: `A/B`, `&SYN`, plain word.
    fn word_alts(&self, part: &str) -> Result<Vec<String>, PatErr> {
        let mut alts = Vec::new();
        for piece in part.split('/') {
            if piece.is_empty() {
                return Err(PatErr::Bad(format!("empty alternative in `{part}`")));
            }
            if let Some(name) = piece.strip_prefix('&') {
                let key = name.trim_end_matches('_').to_uppercase();
                match self.synsets.get(&key) {
                    Some(members) => {
                        for m in members {
                            push_unique(&mut alts, m.clone());
                        }
                    }
                    None => return Err(PatErr::Undefined(piece.to_string())),
                }
            } else {
                push_unique(&mut alts, piece.to_lowercase());
            }
        }
        Ok(alts)
    }

    /// Consecutive word positions joined into multi-word alternatives.
    fn join_positions(&self, positions: &[Vec<String>]) -> Result<Vec<String>, PatErr> {
        let mut acc: Vec<String> = vec![String::new()];
        for pos in positions {
            if acc.len() * pos.len() > MAX_ALTERNATIVES {
                return Err(PatErr::Bad(format!(
                    "more than {MAX_ALTERNATIVES} word alternatives after expansion"
                )));
            }
            let mut next = Vec::with_capacity(acc.len() * pos.len());
            for a in &acc {
                for w in pos {
                    next.push(if a.is_empty() {
                        w.clone()
                    } else {
                        format!("{a} {w}")
                    });
                }
            }
            acc = next;
        }
        Ok(acc)
    }

    /// Items of one word token, which may join words, `*` and actor marks
    /// with `_` (`IN_*`, `SUGGESTED_+`, `NEW_&TIETYPES_RELATIONS`).
    fn word_items(&self, w: &str, out: &mut Vec<Item>) -> Result<(), PatErr> {
        let mut pending: Vec<Vec<String>> = Vec::new();
        let flush = |pending: &mut Vec<Vec<String>>, out: &mut Vec<Item>| -> Result<(), PatErr> {
            if !pending.is_empty() {
                let alts = self.join_positions(pending)?;
                out.push(Item::Tok(PatTok::Word(alts)));
                pending.clear();
            }
            Ok(())
        };
        for part in w.split('_').filter(|p| !p.is_empty()) {
            let special = match part {
                "*" => Some(Item::Verb),
                "$" => Some(Item::Tok(PatTok::Source)),
                "+" => Some(Item::Tok(PatTok::Target)),
                "^" => Some(Item::Tok(PatTok::Skip)),
                "%" => Some(Item::Tok(PatTok::Compound)),
                _ => None,
            };
            match special {
                Some(item) => {
                    flush(&mut pending, out)?;
                    out.push(item);
                }
                None => {
                    if let Some(word) = part.strip_prefix('*').filter(|w| !w.contains('*')) {
                        // `*WORD`, a typo for `* WORD`.
                        self.notes
                            .borrow_mut()
                            .push(format!("`{part}` read as `* {word}`"));
                        flush(&mut pending, out)?;
                        out.push(Item::Verb);
                        pending.push(self.word_alts(word)?);
                    } else if let Some(word) = part.strip_suffix('*').filter(|w| !w.contains('*')) {
                        self.notes
                            .borrow_mut()
                            .push(format!("`{part}` read as `{word} *`"));
                        pending.push(self.word_alts(word)?);
                        flush(&mut pending, out)?;
                        out.push(Item::Verb);
                    } else if part.contains('*') {
                        return Err(PatErr::Bad(format!("`{part}`: `*` glued to words")));
                    } else {
                        pending.push(self.word_alts(part)?);
                    }
                }
            }
        }
        flush(&mut pending, out)
    }

    /// Parses tokens up to `close` (or the end when `None`).
    fn parse_seq(
        &self,
        toks: &[Lex],
        pos: &mut usize,
        close: Option<char>,
        in_prep: bool,
    ) -> Result<Vec<Item>, PatErr> {
        let mut out = Vec::new();
        while *pos < toks.len() {
            let t = toks[*pos].clone();
            *pos += 1;
            match t {
                Lex::Word(w) => {
                    if w == "|" {
                        return Err(PatErr::Bad("`|` outside `{ ... }`".into()));
                    }
                    self.word_items(&w, &mut out)?;
                }
                Lex::Close(c) => {
                    let expected = close.map(|o| if o == '(' { ')' } else { '}' });
                    if Some(c) == expected {
                        return Ok(out);
                    }
                    // A stray `X)` repeating the end of the preceding `( ... X)`
                    // (a copy-paste slip in CAMEO.2.0.txt): drop the repeat.
                    let last_prep = out.iter().rposition(|i| matches!(i, Item::Prep(..)));
                    match last_prep {
                        Some(p)
                            if close.is_none()
                                && c == ')'
                                && p + 1 < out.len()
                                && out[p + 1..].iter().all(|i| matches!(i, Item::Tok(_))) =>
                        {
                            self.notes.borrow_mut().push(format!(
                                "stray `)` after a prepositional phrase: {} repeated element(s) dropped",
                                out.len() - p - 1
                            ));
                            out.truncate(p + 1);
                        }
                        _ => return Err(PatErr::Bad(format!("unbalanced `{c}`"))),
                    }
                }
                Lex::Open('{') => {
                    let start = *pos;
                    let mut inner = Vec::new();
                    loop {
                        match toks.get(*pos) {
                            Some(Lex::Word(w)) => inner.push(w.clone()),
                            Some(Lex::Close('}')) => break,
                            Some(_) => return Err(PatErr::Bad("bracket inside `{ ... }`".into())),
                            None => return Err(PatErr::Bad("`{` without `}`".into())),
                        }
                        *pos += 1;
                    }
                    *pos += 1;
                    if inner.is_empty() {
                        return Err(PatErr::Bad(format!("empty `{{}}` (token {start})")));
                    }
                    if inner.iter().any(|w| w == "|") {
                        // TABARI alternation `{ A | B }`.
                        let mut alts = Vec::new();
                        for group in inner.split(|w| w == "|") {
                            if group.is_empty() {
                                return Err(PatErr::Bad("empty alternative in `{ | }`".into()));
                            }
                            let mut positions = Vec::new();
                            for w in group {
                                for part in w.split('_').filter(|p| !p.is_empty()) {
                                    positions.push(self.word_alts(part)?);
                                }
                            }
                            for a in self.join_positions(&positions)? {
                                push_unique(&mut alts, a);
                            }
                        }
                        out.push(Item::Tok(PatTok::Word(alts)));
                    } else {
                        let mut positions = Vec::new();
                        for w in &inner {
                            if w.split('_')
                                .any(|p| matches!(p, "*" | "$" | "+" | "^" | "%"))
                            {
                                return Err(PatErr::Bad(format!(
                                    "`{w}` inside a noun phrase `{{...}}`"
                                )));
                            }
                            let parts: Vec<Vec<String>> = w
                                .split('_')
                                .filter(|p| !p.is_empty())
                                .map(|p| self.word_alts(p))
                                .collect::<Result<_, _>>()?;
                            positions.push(self.join_positions(&parts)?);
                        }
                        if positions.len() == 1 {
                            out.push(Item::Tok(PatTok::Word(positions.remove(0))));
                        } else {
                            out.push(Item::Tok(PatTok::Phrase(positions)));
                        }
                    }
                }
                Lex::Open(_) => {
                    if in_prep {
                        return Err(PatErr::Bad("nested `(`".into()));
                    }
                    let prep = match toks.get(*pos) {
                        Some(Lex::Word(w)) => w.clone(),
                        _ => return Err(PatErr::Bad("`(` not followed by a preposition".into())),
                    };
                    *pos += 1;
                    if prep
                        .split('_')
                        .any(|p| matches!(p, "*" | "$" | "+" | "^" | "%"))
                    {
                        return Err(PatErr::Bad(format!("`({prep}`: a preposition is expected")));
                    }
                    let parts: Vec<Vec<String>> = prep
                        .split('_')
                        .filter(|p| !p.is_empty())
                        .map(|p| self.word_alts(p))
                        .collect::<Result<_, _>>()?;
                    let preps = self.join_positions(&parts)?;
                    let inner = self.parse_seq(toks, pos, Some('('), true)?;
                    let mut content = Vec::new();
                    for it in inner {
                        match it {
                            Item::Tok(t) => content.push(t),
                            Item::Verb => return Err(PatErr::Bad("`*` inside `( ... )`".into())),
                            Item::Prep(..) => return Err(PatErr::Bad("nested `(`".into())),
                        }
                    }
                    out.push(Item::Prep(preps, content));
                }
            }
        }
        match close {
            Some(c) => Err(PatErr::Bad(format!("`{c}` without its closing bracket"))),
            None => Ok(out),
        }
    }

    /// Parses the body of a pattern line into (before, after) variants.
    #[allow(clippy::type_complexity)]
    fn parse_pattern(&self, body: &str) -> Result<Vec<(Vec<PatTok>, Vec<PatTok>)>, PatErr> {
        let toks = lex(body);
        let mut pos = 0;
        let items = self.parse_seq(&toks, &mut pos, None, false)?;
        let verbs = items.iter().filter(|i| matches!(i, Item::Verb)).count();
        if verbs == 0 {
            return Err(PatErr::Bad("pattern has no verb position `*`".into()));
        }
        if verbs > 1 {
            return Err(PatErr::Bad("pattern has more than one `*`".into()));
        }
        // Expand preposition alternatives into separate variants.
        let mut variants: Vec<(Vec<PatTok>, Vec<PatTok>, bool)> =
            vec![(Vec::new(), Vec::new(), false)];
        for it in items {
            match it {
                Item::Verb => variants.iter_mut().for_each(|v| v.2 = true),
                Item::Tok(t) => variants.iter_mut().for_each(|v| {
                    if v.2 {
                        v.1.push(t.clone())
                    } else {
                        v.0.push(t.clone())
                    }
                }),
                Item::Prep(preps, content) => {
                    let mut next = Vec::new();
                    for v in &variants {
                        for p in &preps {
                            let mut nv = v.clone();
                            let tok = PatTok::Prep(p.clone(), content.clone());
                            if nv.2 {
                                nv.1.push(tok)
                            } else {
                                nv.0.push(tok)
                            }
                            next.push(nv);
                        }
                    }
                    variants = next;
                }
            }
        }
        Ok(variants.into_iter().map(|(b, a, _)| (b, a)).collect())
    }

    /// `VERB`, `+MULTI_WORD`, `PRE_+VERB`: (pre words, verb words).
    fn split_verb(
        &mut self,
        tok: &str,
        line: usize,
        tabari: bool,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let parts: Vec<&str> = tok.split('_').filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            self.errors
                .push(err(self.file, line, format!("empty verb `{tok}`")));
            return None;
        }
        let plus: Vec<usize> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.starts_with('+'))
            .map(|(i, _)| i)
            .collect();
        if plus.len() > 1 {
            self.errors.push(err(
                self.file,
                line,
                format!("verb `{tok}` marks more than one word with `+`"),
            ));
            return None;
        }
        let vi = match plus.first() {
            Some(&i) => i,
            None => {
                if parts.len() > 1 {
                    self.out.warnings.push(err(
                        self.file,
                        line,
                        format!("multi-word verb `{tok}` without `+`: taking the first word as the verb"),
                    ));
                }
                0
            }
        };
        let clean = |p: &str| p.trim_start_matches('+').to_lowercase();
        let pre: Vec<String> = parts[..vi].iter().map(|p| clean(p)).collect();
        let mut words: Vec<String> = parts[vi..].iter().map(|p| clean(p)).collect();
        if words
            .iter()
            .chain(pre.iter())
            .any(|w| w.is_empty() || w.contains(['*', '$', '&', '{', '}', '[', ']']))
        {
            self.errors
                .push(err(self.file, line, format!("bad verb `{tok}`")));
            return None;
        }
        if tabari && parts.len() == 1 && !tok.ends_with('_') {
            words[0].push('*');
        }
        Some((pre, words))
    }

    fn verb_line(&mut self, block: &mut Option<Block>, line: Line<'_>, tabari: bool) {
        let mut text = line.text.trim().to_string();
        let mut code = None;
        if let Some((before, inside, after, brace)) = last_bracket(line.text.trim()) {
            if !after.trim().is_empty() && !after.trim_start().starts_with('{') {
                self.errors.push(err(
                    self.file,
                    line.no,
                    format!("text after the code: `{}`", after.trim()),
                ));
                return;
            }
            if brace {
                self.out.warnings.push(err(
                    self.file,
                    line.no,
                    "code closed with `}` instead of `]`",
                ));
            }
            match parse_code(inside) {
                Ok(c) => {
                    if !is_cameo_like(&c.0) || c.1.as_ref().is_some_and(|r| !is_cameo_like(r)) {
                        self.out.warnings.push(err(
                            self.file,
                            line.no,
                            format!("non-CAMEO code `[{}]` kept as is", inside.trim()),
                        ));
                    }
                    code = Some(c);
                }
                Err(m) => {
                    self.errors.push(err(self.file, line.no, m));
                    return;
                }
            }
            // `VERB [code] {forms}` keeps its forms.
            text = format!("{} {}", before.trim(), after.trim());
        }
        let text = text.trim();
        let mut forms: Vec<&str> = Vec::new();
        let head = match (text.find('{'), text.rfind('}')) {
            (Some(o), Some(c)) if o < c => {
                forms = text[o + 1..c]
                    .split(|ch: char| ch.is_whitespace() || ch == ',')
                    .filter(|f| !f.is_empty())
                    .collect();
                if !text[c + 1..].trim().is_empty() {
                    self.errors.push(err(
                        self.file,
                        line.no,
                        format!("text after `}}`: `{}`", text[c + 1..].trim()),
                    ));
                }
                text[..o].trim()
            }
            (None, None) => text,
            _ => {
                self.errors
                    .push(err(self.file, line.no, "unbalanced `{ }` in verb line"));
                return;
            }
        };
        let toks: Vec<&str> = head.split_whitespace().collect();
        if toks.is_empty() {
            self.errors
                .push(err(self.file, line.no, "verb line without a verb"));
            return;
        }
        let tok = if toks.len() > 1 {
            self.out.warnings.push(err(
                self.file,
                line.no,
                format!("verb `{head}` contains blanks; read as `_`"),
            ));
            toks.join("_")
        } else {
            toks[0].to_string()
        };
        let Some((pre, words)) = self.split_verb(&tok, line.no, tabari) else {
            return;
        };
        let lemma = words[0].trim_end_matches('*').to_string();
        for f in forms {
            let fparts: Vec<&str> = f.split('_').filter(|p| !p.is_empty()).collect();
            let vword = fparts.iter().find(|p| p.starts_with('+')).or_else(|| {
                if fparts.len() == 1 {
                    fparts.first()
                } else {
                    None
                }
            });
            match vword {
                Some(v) => {
                    let v = v.trim_start_matches('+').to_lowercase();
                    if v.is_empty() {
                        self.errors
                            .push(err(self.file, line.no, format!("empty form `{f}`")));
                    } else if v != lemma {
                        if let Some(prev) = self.out.dict.verb_forms.get(&v) {
                            if *prev != lemma {
                                self.out.warnings.push(err(
                                    self.file,
                                    line.no,
                                    format!("form `{v}` already given for `{prev}`; kept there"),
                                ));
                            }
                        } else {
                            self.out.dict.verb_forms.insert(v, lemma.clone());
                        }
                    }
                }
                None => self.errors.push(err(
                    self.file,
                    line.no,
                    format!("multi-word form `{f}` does not mark its verb word with `+`"),
                )),
            }
        }
        if tabari || block.is_none() {
            self.flush(block.take());
            *block = Some(Block {
                implicit: true,
                header_line: line.no,
                ..Block::default()
            });
        }
        if let Some(b) = block.as_mut() {
            b.verbs.push(VerbEntry {
                id: id(self.file, line.no),
                words,
                pre,
                code,
            });
        }
        self.out.stats.verbs += 1;
    }

    fn pattern_line(&mut self, block: &mut Option<Block>, line: Line<'_>) {
        self.out.stats.pattern_lines += 1;
        let body = line.text.trim_start().trim_start_matches('-');
        let Some((before, inside, after, brace)) = last_bracket(body) else {
            self.errors
                .push(err(self.file, line.no, "pattern without a code `[...]`"));
            return;
        };
        if brace {
            self.out.warnings.push(err(
                self.file,
                line.no,
                "code closed with `}` instead of `]`",
            ));
        }
        if !after.trim().is_empty() {
            self.errors.push(err(
                self.file,
                line.no,
                format!("text after the code: `{}`", after.trim()),
            ));
            return;
        }
        let (code, reverse) = match parse_code(inside) {
            Ok(c) => c,
            Err(m) => {
                self.errors.push(err(self.file, line.no, m));
                return;
            }
        };
        if !is_cameo_like(&code) || reverse.as_ref().is_some_and(|r| !is_cameo_like(r)) {
            self.out.warnings.push(err(
                self.file,
                line.no,
                format!("non-CAMEO code `[{}]` kept as is", inside.trim()),
            ));
        }
        let Some(b) = block.as_mut() else {
            self.errors
                .push(err(self.file, line.no, "pattern before any verb"));
            return;
        };
        let parsed = self.parse_pattern(before);
        for n in self.notes.borrow_mut().drain(..) {
            self.out.warnings.push(err(self.file, line.no, n));
        }
        match parsed {
            Ok(variants) => {
                for (bt, at) in variants {
                    b.patterns.push(PatternEntry {
                        id: id(self.file, line.no),
                        before: bt,
                        after: at,
                        code: code.clone(),
                        reverse: reverse.clone(),
                    });
                }
            }
            Err(PatErr::Bad(m)) => self.errors.push(err(self.file, line.no, m)),
            Err(PatErr::Undefined(s)) => {
                self.out.stats.skipped_patterns += 1;
                self.out.warnings.push(err(
                    self.file,
                    line.no,
                    format!("undefined synset `{s}`: pattern skipped (as PETRARCH does)"),
                ));
            }
        }
    }

    fn flush(&mut self, block: Option<Block>) {
        let Some(b) = block else { return };
        if b.verbs.is_empty() {
            if !b.patterns.is_empty() || !b.implicit {
                self.out
                    .warnings
                    .push(err(self.file, b.header_line, "verb block without verbs"));
            }
            return;
        }
        let block_code = b.code.clone().unwrap_or((Code::Null, None));
        for v in &b.verbs {
            let pre_tok = if v.pre.is_empty() {
                None
            } else {
                Some(PatTok::Word(vec![v.pre.join(" ")]))
            };
            let (code, reverse) = v.code.clone().unwrap_or_else(|| block_code.clone());
            self.out.dict.verbs.push(VerbPattern {
                id: v.id.clone(),
                code,
                verb: v.words.clone(),
                slots: Vec::new(),
                before: pre_tok.iter().cloned().collect(),
                after: Vec::new(),
                reverse_code: reverse,
            });
            for p in &b.patterns {
                let mut before = p.before.clone();
                before.extend(pre_tok.iter().cloned());
                self.out.dict.verbs.push(VerbPattern {
                    id: p.id.clone(),
                    code: p.code.clone(),
                    verb: v.words.clone(),
                    slots: Vec::new(),
                    before,
                    after: p.after.clone(),
                    reverse_code: p.reverse.clone(),
                });
            }
        }
    }

    fn block_header(&mut self, block: &mut Option<Block>, line: Line<'_>) {
        self.flush(block.take());
        self.out.stats.verb_blocks += 1;
        let inner = line
            .text
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-');
        let code = match last_bracket(inner) {
            Some((_, inside, _, _)) => match parse_code(inside) {
                Ok(c) => {
                    if !is_cameo_like(&c.0) || c.1.as_ref().is_some_and(|r| !is_cameo_like(r)) {
                        self.out.warnings.push(err(
                            self.file,
                            line.no,
                            format!("non-CAMEO code `[{}]` kept as is", inside.trim()),
                        ));
                    }
                    Some(c)
                }
                Err(m) => {
                    self.errors.push(err(self.file, line.no, m));
                    None
                }
            },
            None => None,
        };
        if inner.trim().is_empty() {
            self.out
                .warnings
                .push(err(self.file, line.no, "verb block without a name"));
        }
        *block = Some(Block {
            code,
            header_line: line.no,
            ..Block::default()
        });
    }

    fn transformation(&mut self, line: Line<'_>) {
        let body = line.text.trim().trim_start_matches('~');
        let Some((lhs, rhs)) = body.split_once('=') else {
            self.errors
                .push(err(self.file, line.no, "transformation without `=`"));
            return;
        };
        let spaced = lhs.replace('(', " ( ").replace(')', " ) ");
        let l: Vec<&str> = spaced.split_whitespace().collect();
        let r: Vec<&str> = rhs.split_whitespace().collect();
        let ok = l.len() == 7 && l[1] == "(" && l[5] == ")" && r.len() == 3;
        if !ok {
            self.errors.push(err(
                self.file,
                line.no,
                "transformation must read `~ a (b c VERB2) VERB1 = x y CODE`",
            ));
            return;
        }
        let verb = |s: &str| lower_words(s).join(" ");
        self.out.dict.transformations.push(Transformation {
            id: id(self.file, line.no),
            source: l[0].to_string(),
            inner_source: l[2].to_string(),
            inner_target: l[3].to_string(),
            inner_verb: verb(l[4]),
            verb: verb(l[6]),
            out_source: r[0].to_string(),
            out_target: r[1].to_string(),
            code: r[2].to_string(),
        });
        self.out.stats.transformations += 1;
    }

    fn synset_member(&mut self, label: &str, no_plural_label: bool, line: Line<'_>) {
        let m = line.text.trim().trim_start_matches('+').trim();
        if m.is_empty() {
            self.errors
                .push(err(self.file, line.no, "empty synset member"));
            return;
        }
        let mut alts = Vec::new();
        if let Some(name) = m.strip_prefix('&') {
            let key = name.trim_end_matches('_').to_uppercase();
            match self.synsets.get(&key) {
                Some(ms) => alts.extend(ms.iter().cloned()),
                None => {
                    self.errors.push(err(
                        self.file,
                        line.no,
                        format!("synset `&{name}` used before it is defined"),
                    ));
                    return;
                }
            }
        } else {
            if m.contains(['&', '*', '$', '%', '^', '{', '(', '[']) {
                self.errors.push(err(
                    self.file,
                    line.no,
                    format!("synset member `{m}` may only contain words"),
                ));
                return;
            }
            let words = lower_words(m);
            let base = words.join(" ");
            alts.push(base);
            if !no_plural_label && !m.ends_with('_') {
                if let Some((last, rest)) = words.split_last() {
                    if let Some(pl) = plural(last) {
                        let mut w = rest.to_vec();
                        w.push(pl);
                        alts.push(w.join(" "));
                    }
                }
            }
        }
        self.out.stats.synset_members += 1;
        let entry = self.synsets.entry(label.to_string()).or_default();
        for a in alts {
            push_unique(entry, a);
        }
    }
}

/// Parses verb dictionary text; `file` names it in ids and errors.
pub fn parse_verbs(file: &str, text: &str) -> Result<Loaded, Vec<DictError>> {
    let lines = logical_lines(
        text,
        CommentStyle {
            xml: true,
            semicolon: true,
        },
    );
    let tabari = !lines.iter().any(|l| l.text.trim_start().starts_with("---"));
    let mut r = VerbReader {
        file,
        notes: std::cell::RefCell::new(Vec::new()),
        synsets: HashMap::new(),
        errors: Vec::new(),
        out: Loaded::default(),
    };
    let mut block: Option<Block> = None;
    let mut synset: Option<(String, bool)> = None;
    for line in lines {
        let t = line.text.trim_start();
        if let Some((label, no_plural)) = synset.clone() {
            if t.starts_with('+') {
                r.synset_member(&label, no_plural, line);
                continue;
            }
            if r.synsets.get(&label).is_none_or(|m| m.is_empty()) {
                r.errors.push(err(
                    file,
                    line.no,
                    format!("synset `&{label}` has no members"),
                ));
            }
            synset = None;
        }
        if t.starts_with("---") {
            r.block_header(&mut block, line);
        } else if t.starts_with('-') {
            r.pattern_line(&mut block, line);
        } else if t.starts_with('~') {
            r.transformation(line);
        } else if let Some(name) = t.strip_prefix('&') {
            let name = name.trim();
            let no_plural = name.ends_with('_');
            let label = name.trim_end_matches('_').to_uppercase();
            if label.is_empty() || label.contains(char::is_whitespace) {
                r.errors
                    .push(err(file, line.no, format!("bad synset label `&{name}`")));
                continue;
            }
            if r.synsets.contains_key(&label) {
                r.out.warnings.push(err(
                    file,
                    line.no,
                    format!("synset `&{label}` redefined; members added"),
                ));
            }
            r.synsets.entry(label.clone()).or_default();
            r.out.stats.synsets += 1;
            synset = Some((label, no_plural));
        } else {
            r.verb_line(&mut block, line, tabari);
        }
    }
    if let Some((label, _)) = synset {
        if r.synsets.get(&label).is_none_or(|m| m.is_empty()) {
            r.errors
                .push(err(file, 0, format!("synset `&{label}` has no members")));
        }
    }
    r.flush(block.take());
    // A surface form that is itself one of the dictionary's verbs (`found`,
    // irregular past of FIND and a verb of its own) is ambiguous: drop it and
    // leave the decision to the lemmatiser.
    let lemmas: HashSet<String> = r
        .out
        .dict
        .verbs
        .iter()
        .filter_map(|v| v.verb.first())
        .map(|w| w.trim_end_matches('*').to_string())
        .collect();
    r.out
        .dict
        .verb_forms
        .retain(|form, _| !lemmas.contains(form));
    r.out.stats.irregular_forms = r.out.dict.verb_forms.len();
    r.out.stats.patterns = r.out.dict.verbs.len();
    if r.errors.is_empty() {
        Ok(r.out)
    } else {
        Err(r.errors)
    }
}

// ---------------------------------------------------------------------------
// Actors

/// Words of a PETRARCH phrase; a phrase without trailing `_` is a stem.
fn phrase_words(phrase: &str, stems: bool) -> Vec<String> {
    let mut words = lower_words(phrase);
    if stems && !phrase.trim_end().ends_with('_') {
        if let Some(last) = words.last_mut() {
            last.push('*');
        }
    }
    words
}

/// Parses a PETRARCH date `yymmdd` or `yyyymmdd`. Longer digit strings (a
/// few Phoenix typos such as `1920030320`) are read from their last, else
/// their first, eight digits, with a warning message.
fn parse_date(s: &str) -> Result<(NaiveDate, Option<String>), String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad date `{s}` (expected yymmdd or yyyymmdd)"));
    }
    let ymd = |y: i32, m: &str, d: &str| -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
    };
    match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().map_err(|_| format!("bad date `{s}`"))?;
            let y = if yy <= 30 { 2000 + yy } else { 1900 + yy };
            ymd(y, &s[2..4], &s[4..6])
                .map(|d| (d, None))
                .ok_or_else(|| format!("impossible date `{s}`"))
        }
        8 => {
            let y: i32 = s[..4].parse().map_err(|_| format!("bad date `{s}`"))?;
            ymd(y, &s[4..6], &s[6..8])
                .map(|d| (d, None))
                .ok_or_else(|| format!("impossible date `{s}`"))
        }
        7 => {
            // A doubled digit (`9008223`): read the first six.
            let (d, _) = parse_date(&s[..6])?;
            Ok((
                d,
                Some(format!("date `{s}` has 7 digits: read as `{}`", &s[..6])),
            ))
        }
        n if n > 8 => {
            for cand in [&s[n - 8..], &s[..8]] {
                if let Ok((d, _)) = parse_date(cand) {
                    return Ok((
                        d,
                        Some(format!("date `{s}` has {n} digits: read as `{cand}`")),
                    ));
                }
            }
            Err(format!("bad date `{s}`"))
        }
        _ => Err(format!("bad date `{s}` (expected yymmdd or yyyymmdd)")),
    }
}

/// Parses `CODE`, `CODE a-b`, `CODE >a`, `CODE <a` (inside brackets).
fn parse_dated(inside: &str) -> Result<(DatedCode, Vec<String>), String> {
    let mut it = inside.split_whitespace();
    let code = it.next().ok_or("empty code `[]`")?.to_uppercase();
    let rest: String = it.collect();
    let mut notes = Vec::new();
    let mut date = |s: &str| -> Result<NaiveDate, String> {
        let (d, note) = parse_date(s)?;
        notes.extend(note);
        Ok(d)
    };
    let (from, to) = if rest.is_empty() {
        (None, None)
    } else if let Some(d) = rest.strip_prefix('>') {
        (Some(date(d)?), None)
    } else if let Some(d) = rest.strip_prefix('<') {
        (None, Some(date(d)?))
    } else if let Some((a, b)) = rest.split_once('-') {
        (Some(date(a)?), Some(date(b)?))
    } else if rest.bytes().all(|b| b.is_ascii_digit()) {
        let d = date(&rest)?;
        notes.push(format!(
            "date restriction `{rest}` without `>`, `<` or `-`: read as `>{rest}`"
        ));
        (Some(d), None)
    } else {
        return Err(format!(
            "bad date restriction `{rest}` (expected a-b, >a or <a)"
        ));
    };
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            notes.push(format!(
                "date range `{rest}` ends before it starts: it never applies"
            ));
        }
    }
    Ok((DatedCode { code, from, to }, notes))
}

/// Parses actor dictionary text.
pub fn parse_actors(file: &str, text: &str) -> Result<Loaded, Vec<DictError>> {
    let mut out = Loaded::default();
    let mut errors = Vec::new();
    let mut cur: Option<Actor> = None;
    let finish = |a: Option<Actor>, out: &mut Loaded| {
        if let Some(a) = a {
            if a.codes.is_empty() {
                out.warnings.push(err(
                    file,
                    line_of(&a.id),
                    "actor without a code (null-coded)",
                ));
            }
            out.stats.actors += 1;
            out.stats.actor_names += a.names.len();
            out.stats.dated_codes += a
                .codes
                .iter()
                .filter(|c| c.from.is_some() || c.to.is_some())
                .count();
            out.dict.actors.push(a);
        }
    };
    let style = CommentStyle {
        xml: true,
        semicolon: true,
    };
    for line in logical_lines(text, style) {
        let t = line.text.trim();
        // Split off the code brackets, if any (TABARI allows several).
        let (phrase, brackets) = match t.find('[') {
            Some(o) => (&t[..o], &t[o..]),
            None => (t, ""),
        };
        let mut codes: Vec<&str> = Vec::new();
        let mut rest = brackets.trim();
        let mut bad = None;
        while !rest.is_empty() {
            let Some(r) = rest.strip_prefix('[') else {
                out.warnings.push(err(
                    file,
                    line.no,
                    format!("text after the code ignored: `{rest}`"),
                ));
                break;
            };
            let Some(c) = r.find(']') else {
                bad = Some("`[` without `]`".to_string());
                break;
            };
            codes.push(&r[..c]);
            rest = r[c + 1..].trim_start();
        }
        if let Some(m) = bad {
            errors.push(err(file, line.no, m));
            continue;
        }
        let mut dated = Vec::new();
        for inside in codes {
            match parse_dated(inside) {
                Ok((d, notes)) => {
                    for n in notes {
                        out.warnings.push(err(file, line.no, n));
                    }
                    dated.push(d);
                }
                Err(m) => bad = Some(m),
            }
        }
        if let Some(m) = bad {
            errors.push(err(file, line.no, m));
            continue;
        }
        let phrase = phrase.trim();
        if phrase.is_empty() {
            // Date restriction line.
            match cur.as_mut() {
                Some(a) => a.codes.extend(dated),
                None => errors.push(err(file, line.no, "code line before any actor")),
            }
            continue;
        }
        if let Some(syn) = phrase.strip_prefix('+') {
            let words = phrase_words(syn, true);
            match cur.as_mut() {
                Some(a) if !words.is_empty() => {
                    a.names.push(words);
                    a.codes.extend(dated);
                }
                Some(_) => errors.push(err(file, line.no, "empty synonym `+`")),
                None => errors.push(err(file, line.no, "synonym `+` before any actor")),
            }
            continue;
        }
        let words = phrase_words(phrase, true);
        if words.is_empty() {
            errors.push(err(file, line.no, "empty actor name"));
            continue;
        }
        finish(cur.take(), &mut out);
        cur = Some(Actor {
            id: id(file, line.no),
            names: vec![words],
            codes: dated,
        });
    }
    finish(cur.take(), &mut out);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn line_of(id: &str) -> usize {
    id.rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Agents

/// Splits a trailing comma off words (`agriculture,` → `agriculture`, `,`),
/// as a Treebank tokeniser would.
fn split_commas(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        match w.strip_suffix(',') {
            Some(s) if !s.is_empty() => {
                out.push(s.to_string());
                out.push(",".to_string());
            }
            _ => out.push(w),
        }
    }
    out
}

/// Expands `!SET!` markers in a phrase into every member.
fn expand_markers(
    phrase: &str,
    sets: &HashMap<String, Vec<String>>,
) -> Result<Vec<String>, String> {
    let Some(start) = phrase.find('!') else {
        return Ok(vec![phrase.to_string()]);
    };
    let rest = &phrase[start + 1..];
    let Some(len) = rest.find('!') else {
        return Err(format!("unclosed substitution marker in `{phrase}`"));
    };
    let name = rest[..len].to_uppercase();
    let members = sets
        .get(&name)
        .ok_or_else(|| format!("undefined substitution set `!{name}!`"))?;
    let tail = &rest[len + 1..];
    let mut out = Vec::new();
    for m in members {
        for t in expand_markers(tail, sets)? {
            out.push(format!("{}{}{}", &phrase[..start], m, t));
        }
    }
    Ok(out)
}

/// Parses agent dictionary text.
pub fn parse_agents(file: &str, text: &str) -> Result<Loaded, Vec<DictError>> {
    let mut out = Loaded::default();
    let mut errors = Vec::new();
    let mut sets: HashMap<String, Vec<String>> = HashMap::new();
    let style = CommentStyle {
        xml: true,
        semicolon: false,
    };
    for line in logical_lines(text, style) {
        let t = line.text.trim();
        if t.starts_with('!') && t.contains('=') && !t.contains('[') {
            let (lhs, rhs) = t.split_once('=').unwrap_or((t, ""));
            let name = lhs.trim().trim_matches('!').to_uppercase();
            let members: Vec<String> = rhs
                .split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            if name.is_empty() || members.is_empty() {
                errors.push(err(
                    file,
                    line.no,
                    "substitution set must read `!NAME! = A, B, ...`",
                ));
            } else {
                sets.insert(name, members);
            }
            continue;
        }
        let Some((before, inside, after, brace)) = last_bracket(t) else {
            out.warnings.push(err(
                file,
                line.no,
                "agent without a code `[~CODE]`: skipped",
            ));
            continue;
        };
        if brace {
            out.warnings
                .push(err(file, line.no, "code closed with `}` instead of `]`"));
        }
        if !after.trim().is_empty() {
            errors.push(err(
                file,
                line.no,
                format!("text after the code: `{}`", after.trim()),
            ));
            continue;
        }
        let inside = inside.trim();
        let (code, join) = if let Some(c) = inside.strip_prefix('~') {
            (c.trim(), AgentJoin::Append)
        } else if let Some(c) = inside.strip_suffix('~') {
            (c.trim(), AgentJoin::Prepend)
        } else {
            out.warnings.push(err(
                file,
                line.no,
                format!("code `[{inside}]` without `~`: appended"),
            ));
            (inside, AgentJoin::Append)
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            errors.push(err(file, line.no, format!("bad agent code `[{inside}]`")));
            continue;
        }
        let (phrase, plurals) = match (before.find('{'), before.rfind('}')) {
            (Some(o), Some(c)) if o < c => (
                format!("{} {}", &before[..o], &before[c + 1..]),
                Some(&before[o + 1..c]),
            ),
            (None, None) => (before.to_string(), None),
            _ => {
                errors.push(err(file, line.no, "unbalanced `{ }`"));
                continue;
            }
        };
        let mut names: Vec<Vec<String>> = Vec::new();
        let add = |p: &str, names: &mut Vec<Vec<String>>| -> Result<(), String> {
            for e in expand_markers(p, &sets)? {
                let w = split_commas(lower_words(&e));
                if !w.is_empty() && !names.contains(&w) {
                    names.push(w);
                }
            }
            Ok(())
        };
        if let Err(m) = add(phrase.trim(), &mut names) {
            errors.push(err(file, line.no, m));
            continue;
        }
        if names.is_empty() {
            errors.push(err(file, line.no, "empty agent name"));
            continue;
        }
        if let Some(pl) = plurals {
            let mut bad = None;
            for form in pl.split_whitespace() {
                if let Err(m) = add(form, &mut names) {
                    bad = Some(m);
                }
            }
            if let Some(m) = bad {
                errors.push(err(file, line.no, m));
                continue;
            }
        }
        out.stats.agents += 1;
        out.stats.agent_names += names.len();
        out.dict.agents.push(Agent {
            id: id(file, line.no),
            names,
            code: code.to_uppercase(),
            join,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------
// Discards

/// Parses a discard list.
pub fn parse_discards(file: &str, text: &str) -> Result<Loaded, Vec<DictError>> {
    let mut out = Loaded::default();
    let mut errors = Vec::new();
    let style = CommentStyle {
        xml: true,
        semicolon: false,
    };
    for line in logical_lines(text, style) {
        let t = line.text.trim();
        let (story, phrase) = match t.strip_prefix('+') {
            Some(p) => (true, p.trim()),
            None => (false, t),
        };
        let words = phrase_words(phrase, true);
        if words.is_empty() {
            errors.push(err(file, line.no, "empty discard phrase"));
            continue;
        }
        out.stats.discards += 1;
        if story {
            out.stats.story_discards += 1;
        }
        out.dict.discards.push(Discard {
            id: id(file, line.no),
            words,
            story,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[&str]) -> PatTok {
        PatTok::Word(s.iter().map(|x| x.to_string()).collect())
    }

    const VERBS: &str = "\
<!-- header -->
&TIE_
+MILITARY
+ECONOMIC

&AID
+AID
+ASSISTANCE_
+&TIE

--- BLAME   [112]  ---
ACCUSE [112:111]
CHARGE
+CORDON_OFF {+CORDONED_OFF +CORDONS_OFF}
WIRE_+TAP {WIRE_+TAPPED}
BRING {BRINGS BROUGHT} ;shan 8/30/93
- * (FOR {&TIE INCURSION})    [111]  # CONDEMN
- * ABDUCTION (OF ^) BY +     [---]
- SUGGESTED_+ * DEMAND_&TIE_CONVENTIONS [:173]
- % * (BY/WITH &AID) [1121]
- * &UNDEFINED [001]
~ a (a b ATTACK) SAY = a b 015
";

    #[test]
    fn petrarch_verbs() {
        let l = parse_verbs("v.txt", VERBS).unwrap_or_else(|e| panic!("{e:?}"));
        let s = &l.stats;
        assert_eq!(
            (
                s.verb_blocks,
                s.verbs,
                s.synsets,
                s.pattern_lines,
                s.skipped_patterns
            ),
            (1, 5, 2, 5, 1)
        );
        // 5 verbs × (1 bare + 1 + 1 + 1 + 2 prep variants) = 30
        assert_eq!(l.dict.verbs.len(), 30);
        let accuse: Vec<&VerbPattern> = l
            .dict
            .verbs
            .iter()
            .filter(|v| v.verb == ["accuse"])
            .collect();
        assert_eq!(accuse[0].code, Code::Cameo("112".into()));
        assert_eq!(accuse[0].reverse_code, Some(Code::Cameo("111".into())));
        assert_eq!(accuse[0].id, "v.txt:12");
        assert_eq!(
            accuse[1].after,
            vec![PatTok::Prep(
                "for".into(),
                vec![PatTok::Phrase(vec![
                    vec!["military".into(), "economic".into()],
                    vec!["incursion".into()]
                ])]
            )]
        );
        assert_eq!(accuse[2].code, Code::Null);
        assert_eq!(
            accuse[2].after,
            vec![
                w(&["abduction"]),
                PatTok::Prep("of".into(), vec![PatTok::Skip]),
                w(&["by"]),
                PatTok::Target
            ]
        );
        assert_eq!(accuse[3].code, Code::Null);
        assert_eq!(accuse[3].reverse_code, Some(Code::Cameo("173".into())));
        assert_eq!(accuse[3].before, vec![w(&["suggested"]), PatTok::Target]);
        assert_eq!(
            accuse[3].after,
            vec![w(&[
                "demand military conventions",
                "demand economic conventions"
            ])]
        );
        // Synset with embedded synset; label `_` suppresses plurals of TIE only.
        let aid = w(&["aid", "aids", "assistance", "military", "economic"]);
        assert_eq!(accuse[4].before, vec![PatTok::Compound]);
        assert_eq!(
            accuse[4].after,
            vec![PatTok::Prep("by".into(), vec![aid.clone()])]
        );
        assert_eq!(
            accuse[5].after,
            vec![PatTok::Prep("with".into(), vec![aid])]
        );
        // Bare CHARGE takes the block code.
        let charge = l
            .dict
            .verbs
            .iter()
            .find(|v| v.verb == ["charge"])
            .unwrap_or_else(|| panic!("no charge"));
        assert_eq!(charge.code, Code::Cameo("112".into()));
        let cordon = l.dict.verbs.iter().find(|v| v.verb == ["cordon", "off"]);
        assert!(cordon.is_some());
        let tap: Vec<&VerbPattern> = l.dict.verbs.iter().filter(|v| v.verb == ["tap"]).collect();
        assert_eq!(tap[0].before, vec![w(&["wire"])]);
        assert_eq!(tap[2].before, vec![w(&["wire"])]);
        assert_eq!(
            l.dict.verb_forms.get("brought").map(String::as_str),
            Some("bring")
        );
        assert_eq!(
            l.dict.verb_forms.get("cordoned").map(String::as_str),
            Some("cordon")
        );
        assert_eq!(
            l.dict.verb_forms.get("tapped").map(String::as_str),
            Some("tap")
        );
        assert_eq!(l.dict.transformations.len(), 1);
        assert_eq!(l.dict.transformations[0].inner_verb, "attack");
        assert_eq!(l.dict.transformations[0].code, "015");
        assert!(l
            .warnings
            .iter()
            .any(|w| w.line == 21 && w.message.contains("UNDEFINED")));
    }

    #[test]
    fn verb_errors_have_lines() {
        let text = "--- X [010] ---\nSAY\n- SAY [010]\n- * (FOR [011]\n- * [ ]\n- * X\n&EMPTY\n--- Y ---\n";
        let e = parse_verbs("bad.txt", text).err().unwrap_or_default();
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 8], "{e:?}");
        assert!(e[0].to_string().starts_with("bad.txt:3: "));
    }

    #[test]
    fn tabari_verbs() {
        let text = "ABDUCT  [181] ;shan   7/24/93\n- + * AT_ GUNPOINT FROM CAR $  [181] ;sls\n- + IN_ $ { WAS | WERE } *  [181]\nKILL_ [190]\n- * + [1823]\n";
        let l = parse_verbs("t.verbs", text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(l.stats.verb_blocks, 0);
        assert_eq!(l.dict.verbs.len(), 5);
        assert_eq!(l.dict.verbs[0].verb, vec!["abduct*".to_string()]);
        assert_eq!(
            l.dict.verbs[2].before,
            vec![
                PatTok::Target,
                w(&["in"]),
                PatTok::Source,
                w(&["was", "were"])
            ]
        );
        // Patterns belong to their own verb only.
        assert_eq!(l.dict.verbs[3].verb, vec!["kill".to_string()]);
        assert_eq!(l.dict.verbs[4].verb, vec!["kill".to_string()]);
    }

    #[test]
    fn actors() {
        let text = "\
AFGHANISTAN_  [AFG]
+AFGHAN_
+KABUL
MOHAMMAD_ZAHIR_SHAH_  ; CountryInfo.txt
\t[AFGELI 320101-331108]
\t[AFGGOV >331108]
\t[AFGELI]
PALESTINIAN [pse]
\tJOHN_MCCLOY_\t[IGOUNO <490630]# x
NOBODY_
";
        let l = parse_actors("a.txt", text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(l.stats.actors, 5);
        assert_eq!(l.stats.dated_codes, 3);
        let a = &l.dict.actors;
        assert_eq!(a[0].names[2], vec!["kabul*".to_string()]);
        assert_eq!(a[1].codes[0].from, NaiveDate::from_ymd_opt(1932, 1, 1));
        assert_eq!(
            a[1].code_on(NaiveDate::from_ymd_opt(1950, 1, 1)),
            Some("AFGGOV")
        );
        assert_eq!(
            a[1].code_on(NaiveDate::from_ymd_opt(1920, 1, 1)),
            Some("AFGELI")
        );
        assert_eq!(a[2].codes[0].code, "PSE");
        assert_eq!(a[3].codes[0].to, NaiveDate::from_ymd_opt(1949, 6, 30));
        assert!(a[4].codes.is_empty());
        assert_eq!(l.warnings.len(), 1);
        let bad = parse_actors("b.txt", "\t[AFG]\nX [Y 0101]\n+\nZ [W 010101-0202]\n")
            .err()
            .unwrap_or_default();
        assert_eq!(
            bad.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn long_dates() {
        let (d, note) = parse_date("1920030320").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2003, 3, 20).unwrap_or_default());
        assert!(note.is_some());
        let (d, _) = parse_date("201005011").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2010, 5, 1).unwrap_or_default());
        assert!(parse_date("990231").is_err());
    }

    #[test]
    fn agents() {
        let text = "\
!PERSON! = MAN, MEN
POLICE {} [ ~COP]
CONGRESS!PERSON! [~LEG]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG] # mj
HUMAN_RIGHTS_ORGANIZATION  [  NGO~]
DEPARMENT_OF_ENVIRONMENT [~ENV}
!MINIST!_OF_X [~GOV]
";
        let e = parse_agents("g.txt", text).err().unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 7);
        let l = parse_agents("g.txt", &text.replace("!MINIST!_OF_X [~GOV]\n", ""))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let g = &l.dict.agents;
        assert_eq!(g.len(), 5);
        assert_eq!(g[0].code, "COP");
        assert_eq!(
            g[1].names,
            vec![
                vec!["congressman".to_string()],
                vec!["congressmen".to_string()]
            ]
        );
        assert_eq!(g[2].names.len(), 2);
        assert_eq!(g[3].join, AgentJoin::Prepend);
        assert_eq!(l.warnings.len(), 1);
    }

    #[test]
    fn discards() {
        let l = parse_discards("d.txt", "MONTHS LATER\n+ World Golf_\n1914\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let d = &l.dict.discards;
        assert_eq!(d[0].words, vec!["months".to_string(), "later*".to_string()]);
        assert!(d[1].story);
        assert_eq!(d[1].words, vec!["world".to_string(), "golf".to_string()]);
        assert_eq!(l.stats.story_discards, 1);
    }
}
