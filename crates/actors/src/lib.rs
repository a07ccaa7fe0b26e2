//! Actor resolution: turning noun phrases of a parsed [`Doc`] into CAMEO
//! actor codes (`COLGOV`, `ARNGOV`, `IGOUNO`) using a [`Dictionaries`].
//!
//! Given the head token of a noun phrase, the resolver looks at the phrase
//! (head plus compound / amod / flat / `nmod` / `nmod:poss` dependents, not
//! relative clauses or appositions), finds actor names (longest match on
//! lowercased surface forms, PETRARCH stems allowed) and agent nouns (matched
//! on lemmas or surface forms), and composes the code: actor + appended
//! agents, with prepended agents (`[NGO~]`) in front. Coordinated phrases
//! ("Chile and Bolivia", "the ambassadors of Arnor, Osgiliath and Gondor")
//! give one actor per conjunct, with modifiers shared across conjuncts.
//! A person's code is the one in force on the article date; "former" makes
//! an agent an elite (`ELI`); an unresolved head falls back to its
//! apposition. Names match on the phrase's full contiguous span (never
//! inside a hyphenated word: "Jong-un" is not UN); in a mixed-case
//! dictionary all-capital short names ("US", "UN") never match a word in
//! lower case ("us");
//! an agent word used as an adjective of a thing ("military conflict") is
//! not an agent. The span of a resolved actor is its noun phrase
//! ([`np_extent`]): no leading preposition, time adjunct or clause.
//! [`ActorResolver::annotate`] adds every dictionary actor mention of a
//! document to `doc.entities`.
//!
//! [`coref`] links pronouns, surnames and definite descriptions ("he",
//! "Petro said", "the group", "the two countries") to earlier actors of the
//! article ([`ActorResolver::chain`], with [`coref::Chain::resolve_mention`]
//! for other stages), and [`context`] applies Petrel's context rules for
//! names (person or place, "Georgia" by the article's cues). Their word
//! lists are data in `crates/actors/data/` (formats in the file headers).
//!
//! This crate does not find events, does not parse, and does not read files:
//! it only consumes a filled token layer and an in-memory dictionary.

pub mod context;
pub mod coref;
mod index;
pub mod learn;
pub mod testutil;
mod tree;

pub use index::{name_words, NameIndex};
pub use tree::{base_rel, deprel, lemma, lower, upos, xpos, SentTree};

use chrono::NaiveDate;
use petrel_dict::{AgentJoin, Dictionaries};
use petrel_doc::{Doc, Entity, EntityLabel, Span, TokenRange, Upos};

/// What to do with an agent noun that has no actor to attach to ("police").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BareAgent {
    /// The phrase resolves to nothing.
    Drop,
    /// The agent code alone (`COP`).
    Alone,
    /// The agent code behind a placeholder country (`---COP`, PETRARCH's convention).
    Prefixed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorOptions {
    pub bare_agent: BareAgent,
    /// "former"/"ex-" before an agent makes it an elite (`ELI`, CAMEO's
    /// code for former officials): "former Gondor prosecutors" → GONELI.
    pub former_as_elite: bool,
    /// An agent word used as an adjective of a noun that names no people
    /// still codes an agent ("military conflict" → MIL). Off for Petrel;
    /// on for PETRARCH's conventions ("Arnor religious leaders" → ARNREL).
    pub adjectival_agents: bool,
    /// Petrel's context rules ([`context`]): a country name inside a
    /// person's name ("Michael Jordan") is no actor; an ambiguous place
    /// name ("Georgia") follows the article's cues; the name holding the
    /// phrase head is the primary actor ("Chinese President Xi"); a
    /// person's dated code is not extended by a title; members of a group
    /// take its code (`data/member_agents.tsv`); "the Colombian leader" is
    /// COLGOV; plurals the lemmatizer missed ("troops") match agents. Off
    /// for PETRARCH.
    pub context_names: bool,
}

impl Default for ActorOptions {
    fn default() -> Self {
        ActorOptions {
            bare_agent: BareAgent::Alone,
            former_as_elite: true,
            adjectival_agents: false,
            context_names: true,
        }
    }
}

impl ActorOptions {
    /// The conventions of the PETRARCH2 unit tests (`---GOV` for a bare agent).
    pub fn petrarch() -> Self {
        ActorOptions {
            bare_agent: BareAgent::Prefixed("---".into()),
            former_as_elite: true,
            adjectival_agents: true,
            context_names: false,
        }
    }
}

/// One resolved actor.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedActor {
    pub code: String,
    /// Head token of the (conjunct) phrase.
    pub head: u32,
    pub tokens: TokenRange,
    pub span: Span,
    /// Dictionary entry ids that produced the code, joined with `+`.
    pub via: String,
    /// True when an actor name (not only an agent noun) was found.
    pub has_actor: bool,
    /// Tokens of the name (or agent noun) that gave the code.
    pub name: TokenRange,
}

/// A dictionary name found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// First token and one past the last.
    pub start: u32,
    pub end: u32,
    /// Index into the actor (or agent) vector.
    pub entry: usize,
}

/// Resolves noun phrases to actor codes. Owns an index of the dictionary's
/// actor and agent names.
#[derive(Debug, Clone)]
pub struct ActorResolver {
    actors: Vec<petrel_dict::Actor>,
    agents: Vec<petrel_dict::Agent>,
    names: NameIndex,
    agent_names: NameIndex,
    pub options: ActorOptions,
}

/// Whether the `nmod` dependent `c` is introduced by a preposition of
/// direction or time ("attack *on* X", "raid *against* Y", "talks *after*
/// the war"), which does not name who the head noun is.
fn aimed_complement(doc: &Doc, tree: &SentTree, c: u32) -> bool {
    tree.children(c).iter().any(|&k| {
        base_rel(doc, k) == "case"
            && matches!(
                lower(doc, k).as_str(),
                "on" | "against"
                    | "into"
                    | "toward"
                    | "towards"
                    | "at"
                    | "over"
                    | "about"
                    | "after"
                    | "before"
                    | "during"
                    | "since"
                    | "amid"
            )
    })
}

/// Relations that stay inside a noun phrase.
fn np_internal(rel: &str) -> bool {
    let base = rel.split(':').next().unwrap_or(rel);
    matches!(
        base,
        "compound"
            | "flat"
            | "amod"
            | "nmod"
            | "det"
            | "nummod"
            | "case"
            | "fixed"
            | "goeswith"
            | "name"
            | "advmod"
            | "conj"
            | "cc"
            | "mwe"
            | "nn"
            | "poss"
            | "possessive"
            | "prep"
            | "pobj"
            | "dep"
    ) && rel != "nmod:tmod"
}

fn clean_code(c: &str) -> String {
    c.trim().trim_matches('~').trim().to_string()
}

/// Appends 3-letter blocks of `add` to `code`, skipping blocks already present.
fn append_blocks(code: &mut String, add: &str) {
    let have: Vec<String> = blocks(code);
    for b in blocks(add) {
        if !have.contains(&b) {
            code.push_str(&b);
        }
    }
}

fn blocks(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(3).map(|c| c.iter().collect()).collect()
}

impl ActorResolver {
    pub fn new(dict: &Dictionaries) -> ActorResolver {
        ActorResolver::with_options(dict, ActorOptions::default())
    }

    pub fn with_options(dict: &Dictionaries, options: ActorOptions) -> ActorResolver {
        // In a mixed-case dictionary (Petrel's), all-capital short forms
        // ("US", "UN") never match a lower-case word; all-capital dictionaries
        // (PETRARCH's) are case-insensitive.
        let has_lower = |names: &[Vec<String>]| {
            names
                .iter()
                .flatten()
                .any(|w| w.chars().any(char::is_lowercase))
        };
        let mut names = NameIndex::default();
        for (i, a) in dict.actors.iter().enumerate() {
            let cased = has_lower(&a.names);
            for n in &a.names {
                names.add_cased(n, i, cased);
            }
        }
        let mut agent_names = NameIndex::default();
        for (i, a) in dict.agents.iter().enumerate() {
            let cased = has_lower(&a.names);
            for n in &a.names {
                agent_names.add_cased(n, i, cased);
            }
        }
        ActorResolver {
            actors: dict.actors.clone(),
            agents: dict.agents.clone(),
            names,
            agent_names,
            options,
        }
    }

    /// Actor-name matches (greedy, longest first, left to right) over the
    /// given tokens; a name must cover consecutive tokens.
    pub fn name_matches(&self, doc: &Doc, toks: &[u32]) -> Vec<NameMatch> {
        let mut out = self.matches(doc, toks, &self.names, false);
        if self.options.context_names {
            out.retain(|m| !self.person_part(doc, m));
        }
        out
    }

    /// Whether a place-name match is part of a person's name ("Michael
    /// Jordan"; [`context::person_name_at`]).
    fn person_part(&self, doc: &Doc, m: &NameMatch) -> bool {
        let place = self
            .actors
            .get(m.entry)
            .is_some_and(|a| a.id.contains("countries") || a.id.contains("regions"));
        if !place {
            return false;
        }
        let sentence = doc
            .sentence_of(m.start)
            .and_then(|s| doc.sentences.get(s))
            .map(|s| s.tokens.clone())
            .unwrap_or(0..doc.tokens.len() as u32);
        let known = |t: u32| {
            !self.matches(doc, &[t], &self.names, false).is_empty()
                || !self.matches(doc, &[t], &self.agent_names, true).is_empty()
        };
        context::person_name_at(doc, m, sentence, &known)
    }

    /// The codes of a name match in this article: the entry's code on the
    /// date, switched by the article's cues for an ambiguous place name
    /// ([`context::disambiguate`]). Returns the codes and the extra rule id.
    fn match_codes(
        &self,
        doc: &Doc,
        m: &NameMatch,
        date: Option<NaiveDate>,
    ) -> (Vec<String>, Option<String>) {
        let codes = self.actor_codes(m.entry, date);
        if !self.options.context_names || codes.len() != 1 {
            return (codes, None);
        }
        let name: Vec<String> = (m.start..m.end).map(|t| lower(doc, t)).collect();
        match context::disambiguate(doc, &name.join(" "), &codes[0]) {
            Some((c, rule)) => (vec![c], Some(rule)),
            None => (codes, None),
        }
    }

    /// Agent-noun matches over the given tokens (lemma or surface form).
    pub fn agent_matches(&self, doc: &Doc, toks: &[u32]) -> Vec<NameMatch> {
        self.matches(doc, toks, &self.agent_names, true)
    }

    fn matches(&self, doc: &Doc, toks: &[u32], ix: &NameIndex, lemmas: bool) -> Vec<NameMatch> {
        let mut out = Vec::new();
        if ix.is_empty() {
            return out;
        }
        // Phrase tokens plus the glued hyphens and apostrophes between them
        // ("Jong - un", "People 's Republic"): names match on the full
        // contiguous span, never on a piece of a hyphenated word.
        let mut all: Vec<u32> = Vec::with_capacity(toks.len());
        for (k, &t) in toks.iter().enumerate() {
            if k > 0 {
                let prev = toks[k - 1];
                if t > prev + 1 && (prev + 1..t).all(|g| is_glue(doc, g)) {
                    all.extend(prev + 1..t);
                }
            }
            all.push(t);
        }
        let mut k = 0;
        while k < all.len() {
            // A run of consecutive token indices.
            let mut e = k + 1;
            while e < all.len() && all[e] == all[e - 1] + 1 {
                e += 1;
            }
            let run = &all[k..e];
            let surface: Vec<String> = run
                .iter()
                .map(|&t| doc.token_text(t as usize).replace('\u{2019}', "'"))
                .collect();
            let forms: Vec<Vec<String>> = run
                .iter()
                .map(|&t| {
                    let mut f = vec![lower(doc, t)];
                    if lemmas {
                        let l = lemma(doc, t);
                        if l != f[0] {
                            f.push(l);
                        }
                        // A plural the lemmatizer left as it is ("troops").
                        if let Some(sg) = singular(&f[0]).filter(|_| self.options.context_names) {
                            if !f.contains(&sg) {
                                f.push(sg);
                            }
                        }
                    }
                    f
                })
                .collect();
            let mut p = 0;
            while p < forms.len() {
                let found = ix
                    .longest_at_cased(&forms, &surface, p)
                    .filter(|&(len, _)| !splits_word(doc, run[p], run[p] + len as u32));
                match found {
                    Some((len, entry)) => {
                        out.push(NameMatch {
                            start: run[p],
                            end: run[p] + len as u32,
                            entry,
                        });
                        p += len;
                    }
                    None => p += 1,
                }
            }
            k = e;
        }
        out
    }

    /// Id of an actor entry.
    pub fn actor_id(&self, entry: usize) -> &str {
        self.actors.get(entry).map(|a| a.id.as_str()).unwrap_or("")
    }

    /// Codes of an actor entry on a date (a `A/B` code names several actors).
    pub fn actor_codes(&self, entry: usize, date: Option<NaiveDate>) -> Vec<String> {
        let Some(a) = self.actors.get(entry) else {
            return Vec::new();
        };
        match a.code_on(date) {
            Some(c) => c
                .split('/')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Resolves the noun phrase headed by `head` to its first actor (see
    /// [`ActorResolver::resolve_all`] for coordinated phrases).
    pub fn resolve_np(
        &self,
        doc: &Doc,
        head: u32,
        date: Option<NaiveDate>,
    ) -> Option<ResolvedActor> {
        let range = match doc.sentence_of(head) {
            Some(s) => doc.sentences[s].tokens.clone(),
            None => 0..doc.tokens.len() as u32,
        };
        let tree = SentTree::new(doc, range);
        self.resolve_all(doc, &tree, head, date).into_iter().next()
    }

    /// The conjuncts of the phrase headed by `head`: `head` itself, then its
    /// `conj` dependents (recursively), in surface order.
    pub fn conjuncts(doc: &Doc, tree: &SentTree, head: u32) -> Vec<u32> {
        let mut out = vec![head];
        let mut k = 0;
        while k < out.len() {
            let h = out[k];
            for &c in tree.children(h) {
                if base_rel(doc, c) == "conj" && !out.contains(&c) {
                    out.push(c);
                }
            }
            k += 1;
        }
        out.sort_unstable();
        if let Some(p) = out.iter().position(|&x| x == head) {
            out.remove(p);
        }
        out.insert(0, head);
        out
    }

    /// Tokens of the phrase headed by `head` without its own conjuncts.
    pub fn phrase(doc: &Doc, tree: &SentTree, head: u32) -> Vec<u32> {
        tree.subtree_filtered(head, |c| {
            let top = tree.head(doc, c) == Some(head);
            let rel = deprel(doc, c);
            if top && matches!(tree::base_rel(doc, c), "conj" | "cc" | "punct") {
                return true;
            }
            // "an attack on mosques in New Zealand": a complement naming what
            // the head is aimed at or when it happens is not its identity.
            if tree::base_rel(doc, c) == "nmod" && aimed_complement(doc, tree, c) {
                return true;
            }
            !np_internal(rel) || (tree::base_rel(doc, c) == "punct")
        })
    }

    /// All actors of the phrase headed by `head`, one per conjunct (and per
    /// coordinated modifier): "Chile and Bolivia" → CHL, BOL; "Danish media
    /// and government" → DNKMED, DNKGOV.
    pub fn resolve_all(
        &self,
        doc: &Doc,
        tree: &SentTree,
        head: u32,
        date: Option<NaiveDate>,
    ) -> Vec<ResolvedActor> {
        let conj = Self::conjuncts(doc, tree, head);
        let first = Self::phrase(doc, tree, head);
        let first_mods: Vec<u32> = first.iter().copied().filter(|&t| t != head).collect();
        let mut out = Vec::new();
        for (k, &c) in conj.iter().enumerate() {
            let toks = if k == 0 {
                first.clone()
            } else {
                Self::phrase(doc, tree, c)
            };
            let mut res = self.compose(doc, tree, &toks, c, date);
            if k > 0 && !res.iter().any(|r| r.has_actor) {
                let mut merged = toks.clone();
                merged.extend(first_mods.iter().copied());
                merged.sort_unstable();
                merged.dedup();
                let inherited = self.compose(doc, tree, &merged, c, date);
                if inherited.iter().any(|r| r.has_actor) {
                    res = inherited
                        .into_iter()
                        .map(|mut r| {
                            r.tokens = toks.first().copied().unwrap_or(c)
                                ..toks.last().map(|t| t + 1).unwrap_or(c + 1);
                            r.span = doc.tokens_span(r.tokens.clone());
                            r
                        })
                        .collect();
                }
            }
            if res.is_empty() {
                // "The leader, Gustavo Petro, …": an apposition names the actor.
                for &a in tree.children(c) {
                    if base_rel(doc, a) == "appos" && res.is_empty() {
                        let toks = Self::phrase(doc, tree, a);
                        res = self.compose(doc, tree, &toks, a, date);
                    }
                }
            }
            for r in &mut res {
                // The conjunct's own phrase, with its apposition ("Mohammad
                // Radmanish, an Afghan defence spokesperson").
                let ext = np_extent(doc, tree, c);
                // The span always covers the name that gave the code.
                r.tokens = if is_temporal_noun(&lower(doc, c)) {
                    // "Denmark last week" parsed with "week" as the head.
                    r.name.clone()
                } else {
                    ext.start.min(r.name.start)..ext.end.max(r.name.end)
                };
                r.span = doc.tokens_span(r.tokens.clone());
            }
            out.extend(res);
        }
        out
    }

    /// Resolves two adjacent phrases as one ("Arnor" + "cleric" when a parser
    /// made both subjects of the verb): the tokens of both, headed by `head`.
    pub fn resolve_merged(
        &self,
        doc: &Doc,
        tree: &SentTree,
        first: u32,
        head: u32,
        date: Option<NaiveDate>,
    ) -> Vec<ResolvedActor> {
        let mut toks = Self::phrase(doc, tree, first);
        toks.extend(Self::phrase(doc, tree, head));
        toks.sort_unstable();
        toks.dedup();
        let (Some(&a), Some(&b)) = (toks.first(), toks.last()) else {
            return Vec::new();
        };
        let mut res = self.compose(doc, tree, &toks, head, date);
        for r in &mut res {
            r.tokens = a..b + 1;
            r.span = doc.tokens_span(r.tokens.clone());
        }
        res
    }

    /// Composes actor codes from the tokens of one phrase.
    pub fn compose(
        &self,
        doc: &Doc,
        tree: &SentTree,
        toks: &[u32],
        head: u32,
        date: Option<NaiveDate>,
    ) -> Vec<ResolvedActor> {
        if toks.is_empty() {
            return Vec::new();
        }
        let names = self.name_matches(doc, toks);
        let covered = |t: u32| names.iter().any(|m| t >= m.start && t < m.end);
        let rest: Vec<u32> = toks.iter().copied().filter(|&t| !covered(t)).collect();
        let mut agents = self.agent_matches(doc, &rest);
        // An agent word used as an adjective of a noun that is neither an
        // agent nor a word for people is not an agent: "military conflict",
        // "police station" (but "military officials", "army chief").
        if !self.options.adjectival_agents {
            let snapshot = agents.clone();
            let agent_at = |t: u32| snapshot.iter().any(|m| t >= m.start && t < m.end);
            agents.retain(|m| {
                let adjectival = m.end == m.start + 1
                    && (base_rel(doc, m.start) == "amod" || upos(doc, m.start) == Upos::Adj);
                let modifies_thing = tree.head(doc, m.start).is_some_and(|h| {
                    toks.contains(&h)
                        && matches!(upos(doc, h), Upos::Noun | Upos::Propn)
                        && !agent_at(h)
                        && !PEOPLE_NOUNS.contains(&lemma(doc, h).as_str())
                });
                !(adjectival && modifies_thing)
            });
        }
        let range = toks[0]..toks[toks.len() - 1] + 1;
        let span = doc.tokens_span(range.clone());

        // Agent codes, split by how they join.
        let mut pre = String::new();
        let mut post = String::new();
        let mut agent_via = Vec::new();
        for m in &agents {
            let Some(a) = self.agents.get(m.entry) else {
                continue;
            };
            let code = clean_code(&a.code);
            match a.join {
                AgentJoin::Prepend => pre.push_str(&code),
                AgentJoin::Append => append_blocks(&mut post, &code),
            }
            agent_via.push(a.id.clone());
        }

        if self.options.former_as_elite && !agents.is_empty() {
            let former = toks.iter().any(|&t| {
                let w = lower(doc, t);
                w == "former" || w == "ex" || w.starts_with("ex-")
            });
            if former {
                post = "ELI".to_string();
            }
        }

        // The primary actor name and the names coordinated with it.
        let mut group: Vec<&NameMatch> = Vec::new();
        // The name that contains the phrase head is the primary actor
        // ("Chinese President [Xi Jinping]": the person, not the country).
        let mut names = names;
        if self.options.context_names {
            if let Some(p) = names.iter().position(|m| head >= m.start && head < m.end) {
                let m = names.remove(p);
                names.insert(0, m);
            }
        }
        if let Some(m0) = names.first() {
            let h0 = match_head(doc, tree, m0);
            group.push(m0);
            for m in names.iter().skip(1) {
                let h = match_head(doc, tree, m);
                if conj_linked(doc, tree, h0, h) {
                    group.push(m);
                }
            }
        }
        let mut out = Vec::new();
        for m in &group {
            let (codes, rule) = self.match_codes(doc, m, date);
            for base in codes {
                let mut code = pre.clone();
                code.push_str(&base);
                append_blocks(&mut code, &post);
                let mut via = vec![self.actor_id(m.entry).to_string()];
                via.extend(rule.iter().cloned());
                via.extend(agent_via.iter().cloned());
                if self.options.context_names {
                    let file = self.actor_id(m.entry);
                    // Members of a non-state group or organisation take its
                    // code: "Hamas fighters", "a UN official" (no REB/GOV
                    // block after the group's own).
                    if let Some(dropped) = context::member_agents(file) {
                        code = pre.clone();
                        code.push_str(&base);
                        let kept: String = blocks(&post)
                            .into_iter()
                            .filter(|b| !dropped.iter().any(|d| d == b))
                            .collect();
                        append_blocks(&mut code, &kept);
                    }
                    // A person's dated role is the code: a title adds
                    // nothing ("Prime Minister X" while X is in opposition
                    // is X's code on that date, not OPP + GOV).
                    if file.contains("people") && base.len() > 3 {
                        code = pre.clone();
                        code.push_str(&base);
                        if post == "ELI" {
                            append_blocks(&mut code, &post);
                        }
                    }
                    // "the Colombian leader": a country's leader is its government.
                    let bare_title = toks.iter().all(|&t| {
                        t == head
                            || (t >= m.start && t < m.end)
                            || matches!(base_rel(doc, t), "det" | "punct")
                    });
                    if post.is_empty()
                        && pre.is_empty()
                        && code.len() == 3
                        && file.contains("countries")
                        && bare_title
                        && !matches!(xpos(doc, head), "NNS" | "NNPS")
                        && coref::is_head_noun(&lemma(doc, head))
                    {
                        code.push_str("GOV");
                        via.push("coref.tsv:head".into());
                    }
                }
                out.push(ResolvedActor {
                    code,
                    head,
                    tokens: range.clone(),
                    span,
                    via: via.join("+"),
                    has_actor: true,
                    name: m.start..m.end,
                });
            }
        }
        if out.is_empty() && !agents.is_empty() {
            let code = match &self.options.bare_agent {
                BareAgent::Drop => None,
                BareAgent::Alone => Some(format!("{pre}{post}")),
                BareAgent::Prefixed(p) => Some(format!("{pre}{p}{post}")),
            };
            if let Some(code) = code {
                out.push(ResolvedActor {
                    code,
                    head,
                    tokens: range,
                    span,
                    via: agent_via.join("+"),
                    has_actor: false,
                    name: agents
                        .first()
                        .map(|m| m.start..m.end)
                        .unwrap_or(head..head + 1),
                });
            }
        }
        out
    }

    /// Document pass: adds an entity with `code`/`source` for every actor
    /// name found by dictionary lookup (or fills the code of an existing
    /// entity over exactly the same tokens).
    pub fn annotate(&self, doc: &mut Doc) {
        let mut found = Vec::new();
        let ranges: Vec<TokenRange> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len() as u32).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        for r in ranges {
            let toks: Vec<u32> = r
                .clone()
                .filter(|&t| (t as usize) < doc.tokens.len())
                .collect();
            for m in self.name_matches(doc, &toks) {
                let Some(a) = self.actors.get(m.entry) else {
                    continue;
                };
                let mut code = a.code_on(doc.published).unwrap_or("").to_string();
                if code.is_empty() {
                    continue;
                }
                if let (codes, Some(_)) = self.match_codes(doc, &m, doc.published) {
                    code = codes.join("/");
                }
                let text = lower(doc, m.end - 1);
                found.push((
                    m.start..m.end,
                    label_for(a, &code, &text),
                    code,
                    a.id.clone(),
                ));
            }
        }
        for (tokens, label, code, id) in found {
            if let Some(e) = doc.entities.iter_mut().find(|e| e.tokens == tokens) {
                if e.code.is_none() {
                    e.code = Some(code);
                    e.source = id;
                }
                continue;
            }
            let span = doc.tokens_span(tokens.clone());
            doc.entities.push(Entity {
                span,
                tokens,
                label,
                code: Some(code),
                source: id,
            });
        }
        doc.entities.sort_by_key(|e| (e.tokens.start, e.tokens.end));
    }
}

/// Nouns for people or groups of people that an adjectival agent word
/// qualifies ("military officials", "religious leaders").
const PEOPLE_NOUNS: &[&str] = &[
    "official",
    "leader",
    "figure",
    "member",
    "source",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "personnel",
    "commander",
    "chief",
    "head",
    "representative",
    "delegation",
    "delegate",
    "circle",
    "community",
    "group",
    "people",
    "man",
    "woman",
    "staff",
    "team",
    "unit",
    "force",
    "analyst",
    "expert",
    "observer",
    "authority",
    "officer",
    "body",
    "establishment",
    "elite",
    "hardliner",
    "council",
    "court",
    "prosecutor",
    "judge",
];

/// The singular of a regular English plural noun ("troops" → "troop",
/// "militias" → "militia", "authorities" → "authority"), if the word looks
/// like one.
fn singular(w: &str) -> Option<String> {
    if w.len() < 4 || !w.chars().all(|c| c.is_ascii_lowercase()) || w.ends_with("ss") {
        return None;
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    w.strip_suffix('s').map(String::from)
}

/// Whether token `g` is a hyphen or apostrophe glued to both neighbours,
/// or a possessive `'s` glued to the word before it.
fn is_glue(doc: &Doc, g: u32) -> bool {
    let w = lower(doc, g);
    let before = g > 0 && glued(doc, g - 1, g);
    match w.as_str() {
        "-" | "'" => before && glued(doc, g, g + 1),
        "'s" => before,
        _ => false,
    }
}

/// Whether tokens `a` and `b` touch in the text (no space between them).
fn glued(doc: &Doc, a: u32, b: u32) -> bool {
    match (
        doc.tokens.span.get(a as usize),
        doc.tokens.span.get(b as usize),
    ) {
        (Some(x), Some(y)) => x.end == y.start,
        _ => false,
    }
}

/// Whether a name over tokens `[start, end)` would start inside a
/// hyphenated word ("un" of "Jong-un", "Israel" of "anti-Israel"). A name
/// that begins one ("US-led", "UN-backed") is kept.
fn splits_word(doc: &Doc, start: u32, _end: u32) -> bool {
    let hyphen = |t: u32| (t as usize) < doc.tokens.len() && doc.token_text(t as usize) == "-";
    start >= 2
        && hyphen(start - 1)
        && glued(doc, start - 1, start)
        && glued(doc, start - 2, start - 1)
}

/// The token of a name match whose head lies outside the match.
fn match_head(doc: &Doc, tree: &SentTree, m: &NameMatch) -> u32 {
    (m.start..m.end)
        .find(|&t| tree.head(doc, t).is_none_or(|h| h < m.start || h >= m.end))
        .unwrap_or(m.start)
}

/// Whether `b` is reached from `a` through `conj` links (either direction).
fn conj_linked(doc: &Doc, tree: &SentTree, a: u32, b: u32) -> bool {
    let up = |from: u32, to: u32| {
        let mut cur = from;
        for _ in 0..64 {
            if cur == to {
                return true;
            }
            if base_rel(doc, cur) != "conj" {
                return false;
            }
            match tree.head(doc, cur) {
                Some(h) => cur = h,
                None => return false,
            }
        }
        false
    };
    up(b, a) || up(a, b)
}

/// Entity label of an actor mention, from the shape of its entry and code.
fn label_for(a: &petrel_dict::Actor, code: &str, last_word: &str) -> EntityLabel {
    let dated = a.codes.iter().any(|c| c.from.is_some() || c.to.is_some());
    if dated {
        return EntityLabel::Person;
    }
    let org_prefix = ["IGO", "NGO", "NGM", "IMG", "MNC", "UNO"];
    if org_prefix.iter().any(|p| code.starts_with(p)) || code.len() > 3 {
        return EntityLabel::Organization;
    }
    let demonym = ["ian", "ans", "ese", "ish", "ean", "ian", "an"]
        .iter()
        .any(|s| last_word.ends_with(s))
        || (last_word.ends_with('i') && last_word.len() > 4);
    if demonym {
        EntityLabel::Norp
    } else {
        EntityLabel::Gpe
    }
}

/// Temporal nouns that head a time adjunct ("on Wednesday", "last week").
pub fn is_temporal_noun(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "today"
            | "tonight"
            | "yesterday"
            | "tomorrow"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "weekend"
            | "day"
            | "days"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "hour"
            | "hours"
    )
}

/// Whether the dependent `c` is a time adjunct: a `tmod` relation, or a
/// nominal modifier headed by a temporal noun ("on Wednesday").
fn is_time_adjunct(doc: &Doc, tree: &SentTree, c: u32) -> bool {
    let rel = deprel(doc, c);
    if rel.ends_with(":tmod") || rel == "tmod" {
        return true;
    }
    // "on July 23" may be headed by the day number.
    let temporal = is_temporal_noun(&lower(doc, c))
        || (upos(doc, c) == Upos::Num
            && tree
                .children(c)
                .iter()
                .any(|&k| is_temporal_noun(&lower(doc, k))));
    matches!(base_rel(doc, c), "nmod" | "obl" | "npadvmod" | "advmod")
        && rel != "nmod:poss"
        && temporal
}

/// The token extent of the noun phrase headed by `head`, as a reader would
/// mark it: the whole subtree (determiners, modifiers, possessors, `of`/`in`
/// phrases, appositions, relative clauses) without the head's own
/// preposition or marker ("with Israel" → "Israel"), its coordinated
/// conjuncts, time adjuncts ("on Wednesday", "last week") and edge
/// punctuation. The extent is contiguous (first to last kept token).
pub fn np_extent(doc: &Doc, tree: &SentTree, head: u32) -> TokenRange {
    let toks = tree.subtree_filtered(head, |c| {
        let top = tree.head(doc, c) == Some(head);
        let base = base_rel(doc, c);
        if top
            && matches!(
                base,
                "conj" | "cc" | "case" | "mark" | "cop" | "aux" | "nsubj"
            )
        {
            return true;
        }
        if top && base == "punct" && c < head {
            return true;
        }
        if matches!(base, "acl" | "advcl" | "parataxis") {
            return true;
        }
        if top && base == "nmod" && deprel(doc, c) != "nmod:poss" {
            let prep = tree
                .children(c)
                .iter()
                .find(|&&k| base_rel(doc, k) == "case")
                .map(|&k| lower(doc, k));
            if prep.as_deref().is_some_and(|p| p != "of" && p != "in") {
                return true;
            }
            // "French President Emmanuel Macron in Paris": where a person
            // (a name with `flat` parts) is, is not part of who they are.
            let person_name = upos(doc, head) == Upos::Propn
                && tree
                    .children(head)
                    .iter()
                    .any(|&k| base_rel(doc, k) == "flat");
            if person_name && prep.as_deref() == Some("in") {
                return true;
            }
        }
        is_time_adjunct(doc, tree, c)
    });
    let mut first = toks.first().copied().unwrap_or(head);
    let mut last = toks.last().copied().unwrap_or(head);
    let edge_punct = |t: u32| upos(doc, t) == Upos::Punct || base_rel(doc, t) == "punct";
    while first < head && edge_punct(first) {
        first += 1;
    }
    // A closing bracket stays when its opening one is inside ("( LDF )").
    let closes_inner = |l: u32| {
        let w = lower(doc, l);
        matches!(w.as_str(), ")" | "]")
            && (first..l).any(|t| matches!(lower(doc, t).as_str(), "(" | "["))
    };
    // A relative pronoun whose clause the parser cut off ("Salih Muslim, who").
    let dangling_relative =
        |l: u32| matches!(lower(doc, l).as_str(), "who" | "whom" | "whose" | "which");
    while last > head
        && (edge_punct(last) || base_rel(doc, last) == "cc" || dangling_relative(last))
        && !closes_inner(last)
    {
        last -= 1;
    }
    first..last + 1
}

/// Whether token `i` can head a noun phrase.
pub fn is_nominal(doc: &Doc, i: u32) -> bool {
    matches!(
        upos(doc, i),
        Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num | Upos::X | Upos::Adj
    )
}

#[cfg(test)]
mod tests;
