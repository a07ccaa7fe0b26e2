//! The in-memory dictionary model. Both Petrel's own formats and the
//! PETRARCH/TABARI formats load into these types; the coder consumes only these.

use chrono::NaiveDate;

/// The event code a pattern assigns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code {
    /// A CAMEO code, 2–4 digits as a string ("161", "0311").
    Cameo(String),
    /// A null code (`---` in PETRARCH): the pattern matches but codes no event.
    Null,
}

/// What fills a pattern slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filler {
    /// The slot's noun phrase is the event's target (`+`).
    Target,
    /// The slot's noun phrase is the event's source (`$`).
    Source,
    /// The slot's head lemma must be one of these (lowercase lemmas; a
    /// multi-word alternative is space-separated, head last).
    Lemmas(Vec<String>),
    /// Anything may fill the slot, but it must be present.
    Any,
}

/// Grammatical position of a slot, relative to the verb (dependency-based).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// Direct object (`obj`); for a passive verb, the passive subject.
    Obj,
    /// Subject (`nsubj`); for a passive verb, the `by` agent.
    Subj,
    /// Complement of this preposition (`obl`/`nmod` with `case` = the word),
    /// attached to the verb or to its object.
    Prep(String),
    /// An open clausal complement with this verb lemma (`xcomp`: "refuse to *meet*").
    Xcomp,
}

/// One slot constraint of a Petrel pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub role: Role,
    pub filler: Filler,
}

/// One element of a PETRARCH/TABARI-style linear pattern (words before or
/// after the verb, matched in order, gaps allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatTok {
    /// One of these words (uppercase-insensitive; stored lowercase). Synsets are expanded here.
    /// An alternative containing spaces is a sequence of consecutive words
    /// (PETRARCH `A_B` or a multi-word synset member).
    Word(Vec<String>),
    /// A noun phrase `{A B}` whose words must appear in order; the head is the last.
    Phrase(Vec<Vec<String>>),
    /// `$`: the source actor's position.
    Source,
    /// `+`: the target actor's position.
    Target,
    /// `^`: skip a noun phrase.
    Skip,
    /// `(PREP ...)`: a prepositional phrase opened by this word, with its content.
    Prep(String, Vec<PatTok>),
    /// `%` (TABARI/PETRARCH): a compound actor whose members are both source
    /// and target of the event ("Arnor and Gondor agreed").
    Compound,
}

/// A verb pattern: a verb (lemma, with particles) plus either dependency
/// slots (Petrel format) or a linear PETRARCH pattern, and the code it yields.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbPattern {
    /// `file:line` of the pattern (or of the verb line for a bare verb).
    pub id: String,
    pub code: Code,
    /// Verb lemma first, then particles/fixed words (`["break", "off"]`), lowercase.
    /// In TABARI files (no `---` blocks) a verb stem without trailing `_` ends in
    /// `*` (a prefix: `abus*`).
    pub verb: Vec<String>,
    /// Petrel dependency slots (empty for PETRARCH patterns).
    pub slots: Vec<Slot>,
    /// PETRARCH elements before the verb, in order (empty for Petrel patterns).
    pub before: Vec<PatTok>,
    /// PETRARCH elements after the verb, in order.
    pub after: Vec<PatTok>,
    /// PETRARCH two-way codes `[a:b]`: the code of the reciprocal event
    /// (target → source); `code` is then `a` (`Null` when `a` is empty, as in
    /// `[:173]`). `None` for ordinary codes and for every Petrel pattern.
    pub reverse_code: Option<Code>,
}

impl VerbPattern {
    /// How specific the pattern is; the coder prefers higher values.
    pub fn specificity(&self) -> usize {
        fn toks(t: &[PatTok]) -> usize {
            t.iter()
                .map(|p| match p {
                    PatTok::Prep(_, inner) => 1 + toks(inner),
                    PatTok::Phrase(w) => w.len(),
                    _ => 1,
                })
                .sum()
        }
        self.verb.len() * 2 + self.slots.len() * 2 + toks(&self.before) + toks(&self.after)
    }
}

/// A date range during which a code applies (inclusive; open ends allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DatedCode {
    pub fn applies(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date <= t)
    }
}

/// An actor (country, IGO, group, person): its names and codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    /// Names as word sequences (tokenised on spaces/underscores), in the case
    /// the dictionary writes them (Petrel files; matching lowercases them, but
    /// all-capital short words of a mixed-case entry match only in capitals).
    /// A name whose last word ends in `*` is a prefix (PETRARCH stems: a phrase
    /// without a trailing `_`); the `*` is not part of the word.
    pub names: Vec<Vec<String>>,
    /// Dated codes; the first applying one wins. An entry with neither bound
    /// is the default.
    pub codes: Vec<DatedCode>,
}

impl Actor {
    /// The code in force on `date` (or the default code when no date is known).
    pub fn code_on(&self, date: Option<NaiveDate>) -> Option<&str> {
        let pick = match date {
            Some(d) => self
                .codes
                .iter()
                .find(|c| (c.from.is_some() || c.to.is_some()) && c.applies(d))
                .or_else(|| {
                    self.codes
                        .iter()
                        .find(|c| c.from.is_none() && c.to.is_none())
                }),
            None => self
                .codes
                .iter()
                .find(|c| c.from.is_none() && c.to.is_none())
                .or(self.codes.first()),
        };
        pick.map(|c| c.code.as_str())
    }
}

/// How an agent code combines with a country/actor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentJoin {
    /// `[~GOV]`: appended (COL + GOV = COLGOV).
    Append,
    /// `[NGO~]`: prepended.
    Prepend,
}

/// An agent noun ("police", "rebels", "foreign minister") and its code.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub id: String,
    /// Lemma sequences (singular; plurals match by lemma), in the case the
    /// dictionary writes them (see [`Actor::names`]).
    pub names: Vec<Vec<String>>,
    pub code: String,
    pub join: AgentJoin,
}

/// A discard phrase: the sentence (or whole story) is not coded when it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Discard {
    pub id: String,
    /// Lowercase words; as for actor names, a last word ending in `*` is a
    /// prefix (PETRARCH discards without a trailing `_` are stems).
    pub words: Vec<String>,
    /// True when the whole story is discarded (`+` lines in PETRARCH).
    pub story: bool,
}

/// Facts about one CAMEO code.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    pub code: String,
    pub name: String,
    pub goldstein: f32,
    pub plover_type: Option<String>,
    pub plover_mode: Option<String>,
}

/// Everything the coder needs, from whatever files it came from.
#[derive(Debug, Clone, Default)]
pub struct Dictionaries {
    pub verbs: Vec<VerbPattern>,
    pub actors: Vec<Actor>,
    pub agents: Vec<Agent>,
    pub discards: Vec<Discard>,
    /// Keyed by code; empty when the verb dictionary came without a code table.
    pub cameo: std::collections::HashMap<String, CameoCode>,
    /// Irregular verb forms declared by a dictionary (PETRARCH `{...}` lists):
    /// lowercase surface form of the verb word → its lemma ("brought" →
    /// "bring", "tapped" → "tap"). Lets the coder match surface forms its
    /// lemmatiser gets wrong. Empty for Petrel dictionaries.
    pub verb_forms: std::collections::HashMap<String, String>,
    /// PETRARCH verb transformations (`~ a (a b ATTACK) SAY = a b 015`).
    pub transformations: Vec<Transformation>,
}

/// A PETRARCH verb-verb transformation, `~ a (b c VERB2) VERB1 = x y CODE`:
/// when VERB1 (with source `a`) governs VERB2 (source `b`, target `c`), code
/// `x → y` with `CODE`. Actor variables are letters; `.` means an unspecified
/// actor and `_` an absent one; a verb `Q` means any verb, a code `Q` keeps
/// the inner verb's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transformation {
    pub id: String,
    pub source: String,
    pub inner_source: String,
    pub inner_target: String,
    /// Lowercase verb words of the inner (governed) verb.
    pub inner_verb: String,
    /// Lowercase verb words of the outer (governing) verb.
    pub verb: String,
    pub out_source: String,
    pub out_target: String,
    pub code: String,
}

/// A dictionary error with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DictError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DictError {}

/// GDELT QuadClass of a CAMEO root ("01".."20").
pub fn quad_class(root: &str) -> u8 {
    match root.parse::<u8>().unwrap_or(0) {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        15..=20 => 4,
        _ => 0,
    }
}
