//! Learning actor candidates from analysed news: title and apposition
//! patterns ("Colombian President Gustavo Petro", "Y, X's foreign minister",
//! "Foreign Minister Y of X", "Y, the head of X's army") give a person name,
//! a country (ISO3 code through the dictionary's country names) and a role
//! (CAMEO sector code through the agents dictionary), hence a proposed code
//! (`COLGOV`). Candidates are counted over a corpus with first/last seen
//! dates and provenance sentences, compared with the curated dictionaries
//! (learned entries never override curated ones) and written as TSV or as a
//! Petrel-format actors file for review.
//!
//! This module does not analyse text (it consumes a [`Doc`] with tokens,
//! POS and lemmas filled) and does not read or write files.

use chrono::NaiveDate;
use petrel_dict::{AgentJoin, Dictionaries};
use petrel_doc::{Doc, Upos};
use std::collections::{BTreeMap, HashMap};

/// Agent codes that are not offices a named person holds.
const NOT_TITLES: &[&str] = &[
    "CVL", "ELI", "REF", "AGR", "LAB", "EDU", "HLH", "MED", "CRM", "SET", "MNC",
];
/// Words in front of a title that make it not a current office.
const NOT_CURRENT: &[&str] = &["former", "ex", "late", "then", "ex-", "outgoing"];
/// Words that make a capitalised phrase an organisation rather than a
/// person, and a title an institution ("Government Securities Market").
const ORG_WORDS: &[&str] = &[
    "government",
    "ministry",
    "exchange",
    "market",
    "bank",
    "system",
    "corp",
    "corporation",
    "company",
    "co",
    "inc",
    "ltd",
    "group",
    "committee",
    "council",
    "party",
    "association",
    "union",
    "agency",
    "board",
    "commission",
    "court",
    "office",
    "department",
    "army",
    "navy",
    "force",
    "forces",
    "police",
    "university",
    "institute",
    "federation",
    "fund",
    "trust",
    "securities",
    "holdings",
    "industries",
    "international",
    "national",
    "news",
    "airlines",
    "assembly",
    "parliament",
    "congress",
    "senate",
    "cabinet",
    "authority",
    "administration",
    "service",
    "league",
    "front",
    "movement",
    "organisation",
    "organization",
    "society",
    "centre",
    "center",
    "foundation",
    "chamber",
    "reserve",
    "treasury",
    "embassy",
    "state",
    "states",
    "republic",
    "kingdom",
    "street",
    "house",
    "hall",
    "plc",
    "spa",
    "sa",
    "ag",
    "nv",
    "bv",
    "gmbh",
    "ltd.",
    "corp.",
    "co.",
    "inc.",
    "motor",
    "motors",
    "air",
    "electric",
    "oil",
    "et",
    "des",
    "anno",
    "brothers",
    "partners",
    "petroleum",
    "steel",
    "chemical",
    "chemicals",
];
/// Calendar words, never part of a name ("Houphouet-Boigny March 12").
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// Words heading an apposition before the country: "Y, the head of X's army".
const HEADS: &[&str] = &["head", "chief", "leader", "commander", "chairman"];

/// One pattern match in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name as written (words joined by one space).
    pub name: String,
    /// Country code (`COL`).
    pub country: String,
    /// Sector code from the agents dictionary (`GOV`).
    pub role: String,
    /// The title as written ("foreign minister").
    pub title: String,
    /// Which pattern matched: `title-name`, `title-comma-name`, `name-apposition`.
    pub pattern: &'static str,
    /// Sentence index in the document.
    pub sentence: usize,
}

/// Curated entry with the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// Entry id (`actors/people.txt:250`).
    pub id: String,
    /// Its code on the last-seen date (default code when undated).
    pub code: Option<String>,
    /// Whether that code equals the proposed one.
    pub agrees: bool,
}

/// A learned (name, country, role) with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub country: String,
    pub role: String,
    /// Proposed code: country + role (`COLGOV`).
    pub code: String,
    pub count: usize,
    pub first_seen: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    /// Titles seen, lowercase, sorted, distinct.
    pub titles: Vec<String>,
    /// Up to three (document id, sentence text).
    pub provenance: Vec<(String, String)>,
    /// Set when the name is already in the curated dictionaries.
    pub known: Option<Known>,
}

/// Pattern matcher built from a dictionary set.
pub struct Learner {
    countries: HashMap<Vec<String>, String>,
    country_max: usize,
    agents: HashMap<Vec<String>, String>,
    agent_max: usize,
    /// Lowercase single words that are agent or country names (never name words).
    stop: std::collections::HashSet<String>,
    known: HashMap<Vec<String>, usize>,
    actors: Vec<petrel_dict::Actor>,
}

fn is_country_code(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())
}

fn words_of(name: &[String]) -> Vec<String> {
    crate::name_words(name)
}

impl Learner {
    pub fn new(dicts: &Dictionaries) -> Learner {
        let mut countries = HashMap::new();
        let mut known = HashMap::new();
        let mut stop = std::collections::HashSet::new();
        for (i, a) in dicts.actors.iter().enumerate() {
            let default = a.code_on(None).unwrap_or_default();
            let person = a.codes.iter().any(|c| c.from.is_some() || c.to.is_some());
            for n in &a.names {
                let w = words_of(n);
                if w.is_empty() || w.last().is_some_and(|l| l.ends_with('*')) {
                    continue;
                }
                if is_country_code(default) && !person {
                    countries
                        .entry(w.clone())
                        .or_insert_with(|| default.to_string());
                    if w.len() == 1 {
                        stop.insert(w[0].clone());
                    }
                }
                known.entry(w).or_insert(i);
            }
        }
        let mut agents = HashMap::new();
        for ag in &dicts.agents {
            if ag.join != AgentJoin::Append || NOT_TITLES.contains(&ag.code.as_str()) {
                continue;
            }
            for n in &ag.names {
                let w = words_of(n);
                if w.is_empty() {
                    continue;
                }
                if w.len() == 1 {
                    stop.insert(w[0].clone());
                }
                agents.entry(w).or_insert_with(|| ag.code.clone());
            }
        }
        Learner {
            country_max: countries.keys().map(Vec::len).max().unwrap_or(0),
            agent_max: agents.keys().map(Vec::len).max().unwrap_or(0),
            countries,
            agents,
            stop,
            known,
            actors: dicts.actors.clone(),
        }
    }

    /// The curated entry carrying exactly this name, if any.
    pub fn known_entry(&self, name: &str) -> Option<&petrel_dict::Actor> {
        let w: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        self.known.get(&w).map(|&i| &self.actors[i])
    }

    /// Every title/apposition pattern match of a document.
    pub fn extract(&self, doc: &Doc) -> Vec<Mention> {
        let t = &doc.tokens;
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            let (a, b) = (s.tokens.start as usize, s.tokens.end as usize);
            if b > t.len() || a >= b || t.upos.len() < b || t.lemma.len() < b {
                continue;
            }
            let low: Vec<String> = (a..b)
                .map(|i| doc.token_text(i).to_lowercase().replace('\u{2019}', "'"))
                .collect();
            let lem: Vec<String> = (a..b).map(|i| t.lemma[i].to_lowercase()).collect();
            let name_tok = |k: usize| -> bool {
                let i = a + k;
                let txt = doc.token_text(i);
                let first_upper = txt.chars().next().is_some_and(char::is_uppercase);
                let has_lower = txt.chars().any(char::is_lowercase);
                let initial = txt.len() == 2 && txt.ends_with('.') && first_upper;
                t.upos[i] == Upos::Propn
                    && first_upper
                    && (has_lower || initial)
                    && !self.stop.contains(&low[k])
                    && !CALENDAR.contains(&low[k].as_str())
                    && txt
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
            };
            let n = b - a;
            let mut k = 0;
            while k < n {
                let Some((end, role)) = self.agent_at(&low, &lem, k) else {
                    k += 1;
                    continue;
                };
                let title = low[k..end].join(" ");
                let prev = k.checked_sub(1).map(|p| low[p].as_str());
                // Country before: "X's title", "X title", "Xian title".
                let mut before = k;
                if before > 0 && (low[before - 1] == "'s" || low[before - 1] == "'") {
                    before -= 1;
                }
                // "Bank of China President": the title is the organisation's
                // (a capitalised name before "of"; "the head of X's army" stays).
                let country_before = self.country_ending(&low, before).filter(|(st, _)| {
                    !(*st >= 2
                        && low[*st - 1] == "of"
                        && doc
                            .token_text(a + *st - 2)
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase))
                });
                let not_current = prev.is_some_and(|p| NOT_CURRENT.contains(&p))
                    || country_before.as_ref().is_some_and(|(st, _)| {
                        *st > 0 && NOT_CURRENT.contains(&low[*st - 1].as_str())
                    });
                if not_current {
                    k = end;
                    continue;
                }
                let org_title = ORG_WORDS.contains(&low[end - 1].as_str())
                    || ORG_WORDS.contains(&lem[end - 1].as_str());
                let name_or_hyphen = |e: usize| {
                    name_tok(e)
                        || (low[e] == "-"
                            && e > 0
                            && name_tok(e - 1)
                            && e + 1 < n
                            && name_tok(e + 1))
                };
                let run_after = if org_title {
                    end
                } else {
                    run_from(end, n, &name_or_hyphen)
                };
                let mut push = |name: (usize, usize), country: String, pattern: &'static str| {
                    if (name.0..name.1).any(|i| ORG_WORDS.contains(&low[i].as_str()))
                        || (name.0..name.1).filter(|&i| low[i] != "-").count() > 4
                    {
                        return;
                    }
                    out.push(Mention {
                        name: (name.0..name.1)
                            .map(|i| doc.token_text(a + i))
                            .collect::<Vec<_>>()
                            .join(" ")
                            .replace(" - ", "-"),
                        country,
                        role: role.clone(),
                        title: title.clone(),
                        pattern,
                        sentence: si,
                    });
                };
                // "of X" right after a span; not "of X's League", "of X Airlines".
                let of_country = |p: usize| -> Option<String> {
                    if p >= n || low[p] != "of" {
                        return None;
                    }
                    let (e, c) = self.country_at(&low, p + 1)?;
                    (e >= n || (low[e] != "'s" && !name_tok(e))).then_some(c)
                };
                if run_after > end {
                    // "Colombian President Gustavo Petro", "Foreign Minister Y of X".
                    let country = country_before
                        .as_ref()
                        .map(|(_, c)| c.clone())
                        .or_else(|| of_country(run_after));
                    if let Some(c) = country {
                        push((end, run_after), c, "title-name");
                    }
                    k = run_after;
                    continue;
                }
                if end < n && low[end] == "," {
                    // "X's foreign minister, Y, said".
                    let r = run_from(end + 1, n, &name_or_hyphen);
                    if !org_title
                        && r > end + 1
                        && (r == n || matches!(low[r].as_str(), "," | "said" | "." | "told"))
                    {
                        if let Some((_, c)) = &country_before {
                            push((end + 1, r), c.clone(), "title-comma-name");
                            k = r;
                            continue;
                        }
                    }
                }
                // "Y, X's foreign minister" / "Y, foreign minister of X" /
                // "Y, the head of X's army".
                let (mut p, country) = match &country_before {
                    Some((st, c)) => (*st, Some(c.clone())),
                    None => (k, of_country(end)),
                };
                if let Some(c) = country {
                    let headed =
                        p >= 2 && low[p - 1] == "of" && HEADS.contains(&low[p - 2].as_str());
                    if headed {
                        p -= 2;
                    } else if org_title {
                        k = end;
                        continue;
                    }
                    if p >= 1 && low[p - 1] == "the" {
                        p -= 1;
                    }
                    if p >= 2 && low[p - 1] == "," {
                        let stop = p - 1;
                        let mut st = stop;
                        while st > 0 && name_or_hyphen(st - 1) {
                            st -= 1;
                        }
                        // Not the tail of a possessive or a place phrase ("in Tokyo, Japan's ...").
                        let clause_start = st == 0
                            || !matches!(
                                low[st - 1].as_str(),
                                "'s" | "of" | "in" | "at" | "from" | "near"
                            );
                        if st < stop && clause_start {
                            push((st, stop), c, "name-apposition");
                        }
                    }
                }
                k = end;
            }
        }
        out
    }

    fn agent_at(&self, low: &[String], lem: &[String], k: usize) -> Option<(usize, String)> {
        for len in (1..=self.agent_max.min(low.len() - k)).rev() {
            for src in [low, lem] {
                if let Some(code) = self.agents.get(&src[k..k + len]) {
                    return Some((k + len, code.clone()));
                }
            }
        }
        None
    }

    /// A country name starting at `k`: (its end, its code).
    fn country_at(&self, low: &[String], k: usize) -> Option<(usize, String)> {
        (1..=self.country_max.min(low.len().saturating_sub(k)))
            .rev()
            .find_map(|len| {
                self.countries
                    .get(&low[k..k + len])
                    .map(|c| (k + len, c.clone()))
            })
    }

    /// A country name ending just before `end`: (its start, its code).
    fn country_ending(&self, low: &[String], end: usize) -> Option<(usize, String)> {
        (1..=self.country_max.min(end)).rev().find_map(|len| {
            self.countries
                .get(&low[end - len..end])
                .map(|c| (end - len, c.clone()))
        })
    }
}

/// End of the maximal run of name tokens starting at `k` (at most 6 tokens; `k` when none).
fn run_from(k: usize, n: usize, ok: &impl Fn(usize) -> bool) -> usize {
    let mut e = k;
    while e < n && ok(e) {
        e += 1;
    }
    if e - k > 6 {
        k
    } else {
        e
    }
}

/// Sentence text on one line (no tabs or newlines).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct Acc {
    count: usize,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    titles: Vec<String>,
    prov: Vec<(String, String)>,
}

impl Acc {
    fn add(&mut self, date: Option<NaiveDate>, title: &str, doc: &str, sent: &str) {
        self.count += 1;
        if let Some(d) = date {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
        if !self.titles.iter().any(|t| t == title) {
            self.titles.push(title.to_string());
        }
        if self.prov.len() < 3 && !self.prov.iter().any(|(_, s)| s == sent) {
            self.prov.push((doc.to_string(), sent.to_string()));
        }
    }
    fn merge(&mut self, o: &Acc) {
        self.count += o.count;
        for d in [o.first, o.last].into_iter().flatten() {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
        for t in &o.titles {
            if !self.titles.contains(t) {
                self.titles.push(t.clone());
            }
        }
        for p in &o.prov {
            if self.prov.len() < 3 && !self.prov.contains(p) {
                self.prov.push(p.clone());
            }
        }
    }
}

/// Counts mentions over a corpus. Documents may be added in any order; the
/// result is sorted (count descending, then name, country, role).
#[derive(Default)]
pub struct Tally {
    full: BTreeMap<(String, String, String), Acc>,
    surnames: BTreeMap<(String, String, String), Acc>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Adds every mention of one analysed document.
    pub fn add_doc(&mut self, learner: &Learner, doc: &Doc) {
        for m in learner.extract(doc) {
            let sent = doc
                .sentences
                .get(m.sentence)
                .filter(|s| (s.span.end as usize) <= doc.text.len())
                .map(|s| flat(doc.span_text(s.span)))
                .unwrap_or_default();
            let key = (m.name.clone(), m.country.clone(), m.role.clone());
            let map = if m.name.contains(' ') {
                &mut self.full
            } else {
                &mut self.surnames
            };
            map.entry(key)
                .or_default()
                .add(doc.published, &m.title, &doc.id, &sent);
        }
    }

    /// The candidates: multi-word names, with a bare surname counted into the
    /// one full name of the same country and role that ends with it.
    pub fn candidates(self, learner: &Learner) -> Vec<Candidate> {
        let mut full = self.full;
        for ((sur, c, r), acc) in &self.surnames {
            let owners: Vec<_> = full
                .keys()
                .filter(|(n, fc, fr)| {
                    fc == c && fr == r && n.rsplit(' ').next() == Some(sur.as_str())
                })
                .cloned()
                .collect();
            if let [only] = owners.as_slice() {
                if let Some(a) = full.get_mut(only) {
                    a.merge(acc);
                }
            }
        }
        let mut out: Vec<Candidate> = full
            .into_iter()
            .map(|((name, country, role), mut acc)| {
                let code = format!("{country}{role}");
                acc.titles.sort();
                let known = learner.known_entry(&name).map(|a| {
                    let kc = a.code_on(acc.last).map(str::to_string);
                    Known {
                        id: a.id.clone(),
                        agrees: kc.as_deref() == Some(code.as_str()),
                        code: kc,
                    }
                });
                Candidate {
                    name,
                    country,
                    role,
                    code,
                    count: acc.count,
                    first_seen: acc.first,
                    last_seen: acc.last,
                    titles: acc.titles,
                    provenance: acc.prov,
                    known,
                }
            })
            .collect();
        out.sort_by(|x, y| {
            y.count
                .cmp(&x.count)
                .then_with(|| x.name.cmp(&y.name))
                .then_with(|| x.country.cmp(&y.country))
                .then_with(|| x.role.cmp(&y.role))
        });
        out
    }
}

/// Header of the candidates TSV.
pub const TSV_HEADER: &str =
    "name\tcountry\trole\tcode\tcount\tfirst_seen\tlast_seen\tstatus\tknown_id\tknown_code\ttitles\tprovenance";

fn date_str(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Candidates as TSV (header + one line each). Provenance: `doc: sentence`
/// joined with ` || `.
pub fn to_tsv(cands: &[Candidate]) -> String {
    let mut s = String::from(TSV_HEADER);
    s.push('\n');
    for c in cands {
        let (status, kid, kcode) = match &c.known {
            Some(k) => (
                if k.agrees {
                    "known-agrees"
                } else {
                    "known-differs"
                },
                k.id.clone(),
                k.code.clone().unwrap_or_default(),
            ),
            None => ("new", String::new(), String::new()),
        };
        let prov: Vec<String> = c
            .provenance
            .iter()
            .map(|(d, t)| format!("{}: {}", flat(d), t.replace(" || ", " | ")))
            .collect();
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            c.name,
            c.country,
            c.role,
            c.code,
            c.count,
            date_str(c.first_seen),
            date_str(c.last_seen),
            status,
            kid,
            kcode,
            c.titles.join("; "),
            prov.join(" || ")
        ));
    }
    s
}

/// Reads a TSV written by [`to_tsv`]; errors name the line.
pub fn from_tsv(text: &str) -> Result<Vec<Candidate>, String> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_end() == TSV_HEADER => {}
        _ => return Err(format!("line 1: expected the header `{TSV_HEADER}`")),
    }
    let date = |s: &str, ln: usize| -> Result<Option<NaiveDate>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|e| format!("line {ln}: bad date `{s}`: {e}"))
        }
    };
    let mut out = Vec::new();
    for (i, line) in lines {
        let ln = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 12 {
            return Err(format!(
                "line {ln}: expected 12 tab-separated fields, found {}",
                f.len()
            ));
        }
        let count = f[4]
            .parse()
            .map_err(|_| format!("line {ln}: count `{}` is not a number", f[4]))?;
        let known = match f[7] {
            "new" => None,
            "known-agrees" | "known-differs" => Some(Known {
                id: f[8].to_string(),
                code: (!f[9].is_empty()).then(|| f[9].to_string()),
                agrees: f[7] == "known-agrees",
            }),
            other => return Err(format!("line {ln}: unknown status `{other}`")),
        };
        let provenance = f[11]
            .split(" || ")
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once(": ") {
                Some((d, t)) => (d.to_string(), t.to_string()),
                None => (String::new(), p.to_string()),
            })
            .collect();
        out.push(Candidate {
            name: f[0].to_string(),
            country: f[1].to_string(),
            role: f[2].to_string(),
            code: f[3].to_string(),
            count,
            first_seen: date(f[5], ln)?,
            last_seen: date(f[6], ln)?,
            titles: f[10]
                .split("; ")
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            provenance,
            known,
        });
    }
    Ok(out)
}

/// Whether a name can be written as a Petrel dictionary name (letters,
/// digits, `'`, `-`, `.` in space-separated words).
pub fn writable_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '\'' | '-' | '.' | ' '))
}

/// A Petrel-format actors file with one person entry per accepted candidate
/// (`CODE FIRST_SEEN..`), provenance in comments. Known names and names
/// that cannot be written are left out; a name seen with several codes keeps
/// the first (most frequent) one.
pub fn to_actors_file(cands: &[Candidate]) -> String {
    let mut s = String::from(
        "# Learned by `petrel actors learn` / `petrel actors review`: machine-proposed entries.\n\
         # Curated files take precedence; check each entry before moving it into them.\n\n",
    );
    let mut seen = std::collections::HashSet::new();
    for c in cands {
        if c.known.is_some() || !writable_name(&c.name) || !seen.insert(c.name.to_lowercase()) {
            continue;
        }
        s.push_str(&format!(
            "# {} mention(s) {}..{}; titles: {}\n",
            c.count,
            date_str(c.first_seen),
            date_str(c.last_seen),
            c.titles.join(", ")
        ));
        for (d, t) in &c.provenance {
            s.push_str(&format!("#   {}: {}\n", flat(d), flat(t)));
        }
        s.push_str(&c.name);
        s.push('\n');
        match c.first_seen {
            Some(d) => s.push_str(&format!("  {} {}..\n\n", c.code, d)),
            None => s.push_str(&format!("  {}\n\n", c.code)),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(name: &str, known: Option<Known>) -> Candidate {
        Candidate {
            name: name.into(),
            country: "COL".into(),
            role: "GOV".into(),
            code: "COLGOV".into(),
            count: 3,
            first_seen: NaiveDate::from_ymd_opt(1987, 3, 2),
            last_seen: NaiveDate::from_ymd_opt(1987, 4, 1),
            titles: vec!["president".into()],
            provenance: vec![("d1".into(), "President Virgilio Barco said so.".into())],
            known,
        }
    }

    #[test]
    fn tsv_round_trips() {
        let cs = vec![
            cand("Virgilio Barco", None),
            cand(
                "Gustavo Petro",
                Some(Known {
                    id: "actors/people.txt:250".into(),
                    code: Some("COLGOV".into()),
                    agrees: true,
                }),
            ),
        ];
        let back = from_tsv(&to_tsv(&cs)).expect("parses");
        assert_eq!(back, cs);
    }

    #[test]
    fn tsv_errors_name_the_line() {
        let bad = format!("{TSV_HEADER}\nA B\tCOL\n");
        let e = from_tsv(&bad).expect_err("short line");
        assert!(e.starts_with("line 2:"), "{e}");
        assert!(from_tsv("nope\n").is_err());
    }

    #[test]
    fn actors_file_skips_known_and_parses() {
        let cs = vec![
            cand("Virgilio Barco", None),
            cand(
                "Gustavo Petro",
                Some(Known {
                    id: "x".into(),
                    code: None,
                    agrees: false,
                }),
            ),
        ];
        let text = to_actors_file(&cs);
        assert!(text.contains("Virgilio Barco\n  COLGOV 1987-03-02..\n"));
        assert!(!text.contains("\nGustavo Petro"));
        let cameo = "code\tname\tgoldstein\tplover_type\tplover_mode\n";
        let (d, report) = petrel_dict::petrel::parse_files(&[
            ("cameo.tsv", cameo),
            ("actors/learned.txt", &text),
        ]);
        assert!(
            d.actors.iter().any(|a| a
                .names
                .iter()
                .any(|n| n.join(" ").to_lowercase() == "virgilio barco")),
            "{report}"
        );
        assert!(
            !format!("{report}").contains("learned.txt:"),
            "learned file has problems: {report}"
        );
    }
}
