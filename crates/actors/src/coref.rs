//! Document-level coreference for actors.
//!
//! [`ActorResolver::chain`] walks an article's sentences in order and keeps
//! every noun phrase that resolves to an actor (people, countries, groups,
//! organisations, government bodies) as a [`Mention`]. A phrase that the
//! dictionary does not resolve is linked to an earlier mention when it is
//!
//! * a personal pronoun: `he`/`she` → the nearest salient person, `they` →
//!   a group, collective or plural actor, `it` → a country, group or
//!   organisation;
//! * a person's surname alone ("Petro said", "Mr. Katz") → the earlier
//!   person whose name ends with it;
//! * a definite description ("the country", "the group", "the militants",
//!   "the ministry", "the president", "the alliance"), with a number for a
//!   compound ("the two countries" → the last two countries);
//! * a relational noun with an `of`/`for` phrase that is itself linked ("a
//!   member of the group");
//! * an agent noun whose possessor or `of` phrase is linked ("the
//!   country's police").
//!
//! Salience: the current sentence before the phrase first (subjects, then
//! the nearest), then up to three sentences back (subjects first, then in
//! reading order). The words and their classes are data
//! (`data/coref.tsv`, format in its header). Every linked actor says where
//! it comes from: `via` is `coref:<class>:<antecedent text>@s<sentence>`
//! followed by the antecedent's own `via`.
//!
//! Public API for other stages (e.g. quotation speakers): build the chain
//! once per document with [`ActorResolver::chain`], then ask
//! [`Chain::resolve_mention`] for a span or [`Chain::at_head`] for a token;
//! [`Chain::root_of`] follows links back to the first mention.

use crate::{
    base_rel, lemma, lower, np_extent, upos, xpos, ActorResolver, ResolvedActor, SentTree,
};
use petrel_doc::{Doc, Span, TokenRange, Upos};
use std::collections::HashMap;
use std::sync::OnceLock;

static LEXICON: &str = include_str!("../data/coref.tsv");

/// The class of a coreference word (see `data/coref.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorefClass {
    Person,
    Plural,
    Thing,
    Country,
    Group,
    Ministry,
    Head,
    Igo,
    Relational,
}

impl CorefClass {
    fn parse(s: &str) -> Option<CorefClass> {
        Some(match s {
            "person" => CorefClass::Person,
            "plural" => CorefClass::Plural,
            "thing" => CorefClass::Thing,
            "country" => CorefClass::Country,
            "group" => CorefClass::Group,
            "ministry" => CorefClass::Ministry,
            "head" => CorefClass::Head,
            "igo" => CorefClass::Igo,
            "relational" => CorefClass::Relational,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            CorefClass::Person => "person",
            CorefClass::Plural => "plural",
            CorefClass::Thing => "thing",
            CorefClass::Country => "country",
            CorefClass::Group => "group",
            CorefClass::Ministry => "ministry",
            CorefClass::Head => "head",
            CorefClass::Igo => "igo",
            CorefClass::Relational => "relational",
        }
    }
}

/// Parses the coreference lexicon; errors name the line.
pub fn parse_lexicon(text: &str) -> Result<HashMap<String, CorefClass>, String> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (w, c) = l
            .split_once('\t')
            .ok_or_else(|| format!("coref.tsv:{}: expected word<TAB>class", i + 1))?;
        let class = CorefClass::parse(c.trim())
            .ok_or_else(|| format!("coref.tsv:{}: unknown class {:?}", i + 1, c.trim()))?;
        out.insert(w.trim().to_lowercase(), class);
    }
    Ok(out)
}

fn lexicon() -> &'static HashMap<String, CorefClass> {
    static L: OnceLock<HashMap<String, CorefClass>> = OnceLock::new();
    // The embedded lexicon is checked by a unit test.
    L.get_or_init(|| parse_lexicon(LEXICON).unwrap_or_default())
}

/// Whether a noun (lemma) names a leader ("president", "leader"): a
/// country's leader is its government.
pub fn is_head_noun(lemma: &str) -> bool {
    lexicon().get(lemma) == Some(&CorefClass::Head)
}

/// What kind of actor a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Country,
    Group,
    Igo,
    Government,
    Collective,
    Other,
}

/// One actor mention of a document.
#[derive(Debug, Clone)]
pub struct Mention {
    pub sentence: usize,
    pub head: u32,
    pub tokens: TokenRange,
    pub span: Span,
    /// One actor per conjunct ("Chile and Bolivia": two).
    pub actors: Vec<ResolvedActor>,
    pub kind: Kind,
    /// Kind of each actor (a compound may mix a government and a group).
    pub kinds: Vec<Kind>,
    pub plural: bool,
    /// Subject of its clause.
    pub subject: bool,
    /// Index in [`Chain::mentions`] of the mention this one refers back to.
    pub antecedent: Option<usize>,
    /// Lowercase surname a later mention may use ("petro").
    pub surname: Option<String>,
}

impl Mention {
    fn has_actor(&self) -> bool {
        self.actors.iter().any(|a| a.has_actor)
    }
}

/// The actor mentions of one document, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub mentions: Vec<Mention>,
}

impl Chain {
    /// The mention headed by token `head`.
    pub fn at_head(&self, head: u32) -> Option<&Mention> {
        self.mentions.iter().find(|m| m.head == head)
    }

    /// The mention for a byte span: the one with exactly that span, else
    /// the largest one whose head lies inside it.
    pub fn resolve_mention(&self, span: Span) -> Option<&Mention> {
        if let Some(m) = self.mentions.iter().find(|m| m.span == span) {
            return Some(m);
        }
        self.mentions
            .iter()
            .filter(|m| m.span.start >= span.start && m.span.end <= span.end)
            .max_by_key(|m| m.span.end - m.span.start)
    }

    /// The first mention of the entity mention `i` refers to.
    pub fn root_of(&self, i: usize) -> usize {
        let mut cur = i;
        for _ in 0..self.mentions.len() {
            match self.mentions.get(cur).and_then(|m| m.antecedent) {
                Some(a) if a != cur => cur = a,
                _ => break,
            }
        }
        cur
    }
}

fn number_word(w: &str) -> Option<usize> {
    Some(match w {
        "both" | "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        _ => return None,
    })
}

fn is_subject(doc: &Doc, tree: &SentTree, h: u32) -> bool {
    let r = base_rel(doc, h);
    if r == "nsubj" || r == "nsubjpass" {
        return true;
    }
    r == "conj"
        && tree
            .head(doc, h)
            .is_some_and(|p| base_rel(doc, p) == "nsubj")
}

/// The file part of an entry id (`actors/people.txt:12` → `actors/people.txt`).
fn entry_file(via: &str) -> &str {
    let first = via.split('+').next().unwrap_or("");
    first.rsplit_once(':').map(|(f, _)| f).unwrap_or(first)
}

fn kind_of(doc: &Doc, h: u32, actors: &[ResolvedActor]) -> Kind {
    let lex = lexicon();
    let Some(a) = actors.first() else {
        return Kind::Other;
    };
    match lex.get(&lemma(doc, h)) {
        Some(CorefClass::Head) => return Kind::Person,
        Some(CorefClass::Ministry) => return Kind::Government,
        _ => {}
    }
    let file = entry_file(&a.via);
    if file.contains("people") {
        Kind::Person
    } else if file.contains("countries") {
        if a.code.len() <= 3 {
            Kind::Country
        } else if a.code.ends_with("GOV") {
            Kind::Government
        } else {
            Kind::Other
        }
    } else if file.contains("regions") {
        Kind::Collective
    } else if file.contains("armed_groups") || file.contains("ethnic") {
        Kind::Group
    } else if file.contains("igos") {
        Kind::Igo
    } else if file.contains("ngos") || file.contains("institutions") {
        Kind::Group
    } else {
        Kind::Other
    }
}

/// Whether token `t` heads a phrase that may be an actor mention.
fn candidate(doc: &Doc, t: u32) -> bool {
    let nominal = match upos(doc, t) {
        Upos::Noun | Upos::Propn => true,
        Upos::Pron => {
            matches!(
                lexicon().get(&lower(doc, t)),
                Some(CorefClass::Person | CorefClass::Plural | CorefClass::Thing)
            ) && !xpos(doc, t).starts_with("PRP$")
                && !xpos(doc, t).starts_with('W')
        }
        _ => false,
    };
    nominal
        && !matches!(
            base_rel(doc, t),
            "compound"
                | "flat"
                | "fixed"
                | "goeswith"
                | "name"
                | "amod"
                | "conj"
                | "det"
                | "case"
                | "punct"
                | "mwe"
        )
}

impl ActorResolver {
    /// The actor mentions of `doc` with their coreference links (see the
    /// module documentation).
    pub fn chain(&self, doc: &Doc) -> Chain {
        let mut chain = Chain::default();
        let date = doc.published;
        for (si, sent) in doc.sentences.iter().enumerate() {
            let tree = SentTree::new(doc, sent.tokens.clone());
            let cands: Vec<u32> = (tree.start..tree.end)
                .filter(|&t| (t as usize) < doc.tokens.len() && candidate(doc, t))
                .collect();
            let mut pending: Vec<(u32, Vec<ResolvedActor>)> = Vec::new();
            for &h in &cands {
                let res: Vec<ResolvedActor> = self
                    .resolve_all(doc, &tree, h, date)
                    .into_iter()
                    .filter(|a| !a.code.is_empty())
                    .collect();
                if res.iter().any(|r| r.has_actor) {
                    let m = self.mention(doc, &tree, si, h, res, None);
                    chain.mentions.push(m);
                } else {
                    pending.push((h, res));
                }
            }
            // Dependents before their heads ("a member of [the group]").
            pending.sort_by_key(|(h, _)| std::cmp::Reverse(tree.ancestors(doc, *h).len()));
            for (h, res) in pending {
                let linked = self.link(doc, &tree, si, h, &res, &chain);
                match linked {
                    Some(m) => chain.mentions.push(m),
                    None if !res.is_empty() => {
                        let m = self.mention(doc, &tree, si, h, res, None);
                        chain.mentions.push(m);
                    }
                    None => {}
                }
            }
        }
        chain
    }

    fn mention(
        &self,
        doc: &Doc,
        tree: &SentTree,
        si: usize,
        h: u32,
        actors: Vec<ResolvedActor>,
        antecedent: Option<usize>,
    ) -> Mention {
        let ext = np_extent(doc, tree, h);
        let tokens = actors.iter().fold(ext.clone(), |r, a| {
            r.start.min(a.tokens.start)..r.end.max(a.tokens.end)
        });
        let kind = kind_of(doc, h, &actors);
        let kinds: Vec<Kind> = actors
            .iter()
            .map(|a| {
                if a.head == h {
                    kind_of(doc, h, std::slice::from_ref(a))
                } else {
                    kind_of(doc, a.head, std::slice::from_ref(a))
                }
            })
            .collect();
        let person_entry = actors.first().is_some_and(|a| {
            entry_file(&a.via).contains("people") || a.via.starts_with("coref:person")
        });
        let surname = (kind == Kind::Person && person_entry)
            .then(|| {
                actors
                    .first()
                    .map(|a| lower(doc, a.name.end.saturating_sub(1)))
            })
            .flatten()
            .filter(|s| s.chars().any(char::is_alphabetic));
        let plural = actors.len() > 1 || matches!(xpos(doc, h), "NNS" | "NNPS");
        Mention {
            sentence: si,
            head: h,
            span: doc.tokens_span(tokens.clone()),
            tokens,
            actors,
            kind,
            kinds,
            plural,
            subject: is_subject(doc, tree, h),
            antecedent,
            surname,
        }
    }

    /// Links an unresolved phrase to earlier mentions.
    fn link(
        &self,
        doc: &Doc,
        tree: &SentTree,
        si: usize,
        h: u32,
        bare: &[ResolvedActor],
        chain: &Chain,
    ) -> Option<Mention> {
        let lex = lexicon();
        let ext = np_extent(doc, tree, h);
        let word = if upos(doc, h) == Upos::Pron {
            lower(doc, h)
        } else {
            lemma(doc, h)
        };
        let class = lex.get(&word).copied();
        let kids: Vec<u32> = tree.children(h).to_vec();
        let definite = kids.iter().any(|&k| {
            base_rel(doc, k) == "det"
                && matches!(
                    lower(doc, k).as_str(),
                    "the" | "this" | "that" | "these" | "those"
                )
        });
        let number = kids
            .iter()
            .filter(|&&k| matches!(base_rel(doc, k), "nummod" | "det" | "cc:preconj" | "cc"))
            .find_map(|&k| number_word(&lower(doc, k)))
            .unwrap_or(1);
        // Content words other than determiners and numbers make the phrase
        // more than a description ("the last ISIS group bastion").
        let in_agent = |k: u32| bare.iter().any(|a| k >= a.name.start && k < a.name.end);
        let modified = kids.iter().any(|&k| {
            matches!(
                base_rel(doc, k),
                "amod" | "compound" | "nmod" | "acl" | "appos"
            ) && k < h
                && number_word(&lower(doc, k)).is_none()
                && !in_agent(k)
        });
        let here = |from: &Mention| -> Vec<ResolvedActor> {
            from.actors
                .iter()
                .map(|a| {
                    let mut r = a.clone();
                    r.head = h;
                    r.tokens = ext.clone();
                    r.span = doc.tokens_span(ext.clone());
                    r.name = h..h + 1;
                    r.has_actor = true;
                    r
                })
                .collect()
        };
        let tag = |class: &str, idx: &[usize]| -> String {
            let texts: Vec<String> = idx
                .iter()
                .filter_map(|&i| chain.mentions.get(i))
                .map(|m| format!("{}@s{}", doc.span_text(m.span), m.sentence))
                .collect();
            format!("coref:{class}:{}", texts.join("&"))
        };
        let finish =
            |class: &str, idx: Vec<usize>, actors: Vec<ResolvedActor>| -> Option<Mention> {
                let first = *idx.first()?;
                let t = tag(class, &idx);
                let actors: Vec<ResolvedActor> = actors
                    .into_iter()
                    .map(|mut a| {
                        a.via = format!("{t}+{}", a.via);
                        a
                    })
                    .collect();
                if actors.is_empty() {
                    return None;
                }
                Some(self.mention(doc, tree, si, h, actors, Some(first)))
            };
        let before = ext.start;

        // Relational nouns and bare agents take the actor of their
        // possessor or `of`/`for` phrase when that one is linked.
        for &k in &kids {
            let rel = crate::deprel(doc, k);
            let of_phrase = base_rel(doc, k) == "nmod"
                && tree
                    .children(k)
                    .iter()
                    .any(|&c| matches!(lower(doc, c).as_str(), "of" | "for" | "from"));
            if !(rel == "nmod:poss" || of_phrase) {
                continue;
            }
            let Some((i, m)) = chain
                .mentions
                .iter()
                .enumerate()
                .find(|(_, m)| m.head == k && m.antecedent.is_some())
            else {
                continue;
            };
            if class == Some(CorefClass::Relational) && bare.is_empty() {
                return finish("member", vec![i], here(m));
            }
            if let Some(agent) = bare.first() {
                let actors: Vec<ResolvedActor> = here(m)
                    .into_iter()
                    .map(|mut a| {
                        let country: String = a.code.chars().take(3).collect();
                        a.code = format!("{country}{}", agent.code);
                        a.via = format!("{}+{}", a.via, agent.via);
                        a
                    })
                    .collect();
                return finish("owner", vec![i], actors);
            }
        }

        // Surname alone: "Petro said", "Mr. Katz".
        if upos(doc, h) == Upos::Propn && bare.is_empty() {
            let sur = lower(doc, h);
            let found = chain.mentions.iter().enumerate().rev().find(|(_, m)| {
                m.surname.as_deref() == Some(sur.as_str()) && m.tokens.end <= before
            });
            if let Some((i, m)) = found {
                return finish("surname", vec![i], here(m));
            }
            return None;
        }

        let class = class?;
        let pronoun = upos(doc, h) == Upos::Pron;
        if !pronoun && (!definite || modified) {
            return None;
        }
        let accept: Box<Accept> = match class {
            CorefClass::Person => Box::new(|m, i| kind_at(m, i) == Kind::Person && !m.plural),
            CorefClass::Plural => Box::new(|m, i| {
                let k = kind_at(m, i);
                k != Kind::Person
                    && (m.plural
                        || matches!(k, Kind::Group | Kind::Collective)
                        || m.actors
                            .get(i)
                            .is_some_and(|a| a.code.len() > 3 && k == Kind::Other))
            }),
            CorefClass::Thing => Box::new(|m, i| {
                !m.plural
                    && matches!(
                        kind_at(m, i),
                        Kind::Country | Kind::Group | Kind::Igo | Kind::Government
                    )
            }),
            CorefClass::Country => Box::new(|m, i| kind_at(m, i) == Kind::Country),
            CorefClass::Group => Box::new(|m, i| kind_at(m, i) == Kind::Group),
            CorefClass::Ministry => Box::new(|m, i| kind_at(m, i) == Kind::Government),
            CorefClass::Head => Box::new(|m, i| kind_at(m, i) == Kind::Person && !m.plural),
            CorefClass::Igo => Box::new(|m, i| kind_at(m, i) == Kind::Igo),
            CorefClass::Relational => return None,
        };
        let n = if pronoun { 1 } else { number };
        let all = class == CorefClass::Plural;
        // "it" and "they" are too often things or unnamed people: only a
        // subject, and only for an actor of an earlier sentence (within a
        // sentence the coder's governing-subject rule applies).
        let before = if pronoun && matches!(class, CorefClass::Plural | CorefClass::Thing) {
            if !is_subject(doc, tree, h) {
                return None;
            }
            tree.start
        } else {
            before
        };
        // Binding (principle B): a non-reflexive object pronoun never
        // refers to the subject of its own clause ("Petro pardoned him":
        // "him" is not Petro, nor anyone coded as Petro is).
        let banned: Vec<String> = if pronoun
            && matches!(base_rel(doc, h), "obj" | "iobj" | "obl")
            && !lower(doc, h).ends_with("self")
            && !lower(doc, h).ends_with("selves")
        {
            let subjects: Vec<u32> = tree
                .head(doc, h)
                .map(|g| {
                    tree.children(g)
                        .iter()
                        .copied()
                        .filter(|&c| base_rel(doc, c).starts_with("nsubj"))
                        .collect()
                })
                .unwrap_or_default();
            chain
                .mentions
                .iter()
                .filter(|m| m.sentence == si && subjects.iter().any(|&c| m.tokens.contains(&c)))
                .flat_map(|m| m.actors.iter().map(|a| a.code.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let accept: Box<Accept> = if banned.is_empty() {
            accept
        } else {
            Box::new(move |m: &Mention, i| {
                m.actors.get(i).is_some_and(|a| !banned.contains(&a.code)) && accept(m, i)
            })
        };
        let found = salient(chain, si, before, n, all, &*accept);
        let mut actors = Vec::new();
        let mut idx = Vec::new();
        for &(i, k) in &found {
            if let Some(m) = chain.mentions.get(i) {
                if let Some(a) = here(m).into_iter().nth(k) {
                    actors.push(a);
                }
                if !idx.contains(&i) {
                    idx.push(i);
                }
            }
        }
        if !found.is_empty() && actors.len() >= n {
            return finish(class.name(), idx, actors);
        }
        // "the ministry" with no government body before: the last country
        // with the agent code of the phrase ("GOV").
        if class == CorefClass::Ministry && n == 1 {
            if let Some(agent) = bare.first() {
                // The country of the most salient state actor ("Russian
                // forces … the defence ministry").
                let found = salient(chain, si, before, 1, false, &|m: &Mention, i| {
                    matches!(kind_at(m, i), Kind::Country | Kind::Government)
                        || (kind_at(m, i) == Kind::Other
                            && m.actors
                                .get(i)
                                .is_some_and(|a| entry_file(&a.via).contains("countries")))
                });
                if let Some(&(mi, k)) = found.first() {
                    let m = chain.mentions.get(mi)?;
                    let found = vec![mi];
                    let actors: Vec<ResolvedActor> = here(m)
                        .into_iter()
                        .skip(k)
                        .take(1)
                        .map(|mut a| {
                            let country: String = a.code.chars().take(3).collect();
                            a.code = format!("{country}{}", agent.code);
                            a.via = format!("{}+{}", a.via, agent.via);
                            a
                        })
                        .collect();
                    return finish("ministry", found, actors);
                }
            }
        }
        None
    }
}

/// Whether actor `i` of a mention may be the antecedent.
type Accept = dyn Fn(&Mention, usize) -> bool;

fn kind_at(m: &Mention, i: usize) -> Kind {
    m.kinds.get(i).copied().unwrap_or(m.kind)
}

/// Up to `n` actors (mention index, actor index) with distinct codes that
/// `accept` takes, by salience: the current sentence before `before`
/// (subjects, then nearest), then up to three sentences back (subjects
/// first, then in reading order). With `all`, every accepted actor of the
/// first mention found ("they" after "Chile and Bolivia").
fn salient(
    chain: &Chain,
    si: usize,
    before: u32,
    n: usize,
    all: bool,
    accept: &dyn Fn(&Mention, usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    for s in (si.saturating_sub(3)..=si).rev() {
        let mut ms: Vec<(usize, &Mention)> = chain
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.sentence == s && m.has_actor())
            .filter(|(_, m)| s != si || m.tokens.end <= before)
            .collect();
        if s == si {
            ms.sort_by_key(|(_, m)| (!m.subject, std::cmp::Reverse(m.tokens.start)));
        } else {
            ms.sort_by_key(|(_, m)| (!m.subject, m.tokens.start));
        }
        for (i, m) in ms {
            let ok: Vec<usize> = (0..m.actors.len()).filter(|&k| accept(m, k)).collect();
            if ok.is_empty() {
                continue;
            }
            if all {
                return ok.into_iter().map(|k| (i, k)).collect();
            }
            for k in ok {
                let Some(code) = m.actors.get(k).map(|a| a.code.clone()) else {
                    continue;
                };
                if codes.contains(&code) {
                    continue;
                }
                codes.push(code);
                out.push((i, k));
                if out.len() == n {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_parses() {
        let l = parse_lexicon(LEXICON).unwrap();
        assert_eq!(l.get("he"), Some(&CorefClass::Person));
        assert_eq!(l.get("country"), Some(&CorefClass::Country));
    }

    #[test]
    fn bad_lexicon_line_is_reported() {
        let e = parse_lexicon("he\tperson\nfoo\tnonsense\n").unwrap_err();
        assert!(e.contains(":2:"), "{e}");
    }
}
