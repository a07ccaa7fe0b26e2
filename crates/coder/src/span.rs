//! The span of an event actor: which words of the sentence an analyst would
//! mark as the source or target of the event.
//!
//! Convention (Petrel's defaults, measured on the ConfliBERT CAMEO BIO
//! annotations, `petrel eval --sets conflibert`): an actor's span is its noun
//! phrase — the head with its pre-modifiers, determiners and numbers ("a car
//! bomb", "the Iraqi government", "dozens of Islamic State fighters"), its
//! possessor chain ("the Croatian government's request"), `of` complements
//! ("an arms depot of the Syrian army") and an apposition that names it
//! ("his Lebanese counterpart, Michel Aoun") — without relative or
//! participial clauses, time adjuncts, conjuncts and edge punctuation. This
//! is [`petrel_actors::np_extent`] (which also drops prepositional phrases
//! other than `of`/`in` directly on the head). Measured against the gold
//! spans: a leading determiner is kept in 653 of 686 cases (95%); cutting
//! appositions or prepositional phrases of any preposition inside the phrase
//! loses more exact matches than it gains; adding participial or relative
//! clauses loses 23 exact targets for 4 gained. So none of these changes.
//!
//! Two rules are added here. [`person_place`], for all actors: a phrase of
//! place attached to a person's name inside the span ("US President Donald
//! Trump *at the White House*") is cut off, wherever the parser hung it.
//! [`nested_actor`], for targets: when the actor's name sits in a
//! prepositional complement (any preposition but `of`) of an object noun
//! that is itself no name, pronoun or agent word — "provided $2 million in
//! assistance *to Fiji*", "denied charges *by the U.S. State Department*", "a
//! private dinner *for Netanyahu*", "a ceasefire *in Afghanistan*", "took
//! refuge *in Bangladesh*" — the target is that complement, and the span is
//! its own noun phrase (the lowest such complement above the name), not the
//! whole object phrase. A phrase of place (`in`, `at`, `near`, …) is cut off
//! only after a noun that is no *site* (`crates/coder/data/span_nouns.txt`:
//! places, facilities, vehicles, groups of people): "attacked *a police
//! headquarters in eastern Afghanistan*", "dispersed *protesters in southern
//! Nepal*" keep the whole phrase, as the annotators do. Measured on the
//! ConfliBERT sentences (all events): cutting place phrases after non-site
//! nouns gains 26 exact targets and loses 3; cutting `of` complements of
//! action nouns ("the blockade *of Qatar*") gains 9 and loses 9, so `of`
//! stays in the phrase. Sources keep their whole subject phrase: the subject is the actor
//! that acts ("A spokesman for the Taliban", "Thousands of textile workers in
//! Haiti"); on the ConfliBERT sentences the rule gains no source span and
//! loses five.
//!
//! Words the verb pattern names are part of the act, never of its target
//! (measured on the ConfliBERT sentences, all events, against the rules
//! above; target tp / fp 567 / 719 before): [`lexical_complement`] — when
//! the target found is such a word ("sent *200 troops* in Syria",
//! "declared *a state of siege* in Bolivia", "denied *charges* by the U.S.
//! Chamber of Commerce"), the target is its prepositional complement that
//! names an actor, unless the word is a site or group of people or an agent
//! word naming its own actor ("summoned *the Chinese ambassador* in
//! Berlin"): +10 tp, -8 fp; [`own_force_target`] — the forces word of a
//! force-posture act ("withdrew *peacekeepers* from the Golan Heights",
//! "strengthened *its forces* in Crimea") gives way to where the forces go
//! or whom they face, a place kept uncoded as annotators mark it (+5 tp, -8
//! fp on all events); [`pattern_word_cut`] — a pattern word the
//! parser hung inside the target phrase is cut off with its branch
//! ("accused *the Nigerian military* of mass slaughter …"): +1 tp. Checked
//! and not adopted (simulated over the parses of the same sentences):
//! cutting every apposition (-17 tp), appositions of a common noun after a
//! name (+2 tp on targets, -2 on sources), every `in` phrase (-10 tp),
//! `of` phrases after a name (0), keeping `acl` clauses (-33 tp), dropping
//! a leading "the" (-119 tp) or "a/an" (-22 tp).

use petrel_actors::{base_rel, deprel, lemma, upos, ActorResolver, ResolvedActor, SentTree};
use petrel_doc::{Doc, TokenRange, Upos};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The noun classes of the span rules, shipped in `crates/coder/data/span_nouns.txt`
/// (format in the file's header).
#[derive(Debug, Clone, Default)]
pub struct SpanNouns {
    site: HashSet<String>,
    time: HashSet<String>,
    force: HashSet<String>,
}

/// The shipped noun list.
pub const DEFAULT_SPAN_NOUNS: &str = include_str!("../data/span_nouns.txt");

impl SpanNouns {
    /// Parses the list; an error names the line.
    pub fn parse(text: &str) -> Result<SpanNouns, String> {
        let mut n = SpanNouns::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            let Some(class) = words.next() else {
                continue;
            };
            let set = match class {
                "site" => &mut n.site,
                "time" => &mut n.time,
                "force" => &mut n.force,
                other => return Err(format!("line {}: unknown class {other:?}", i + 1)),
            };
            set.extend(words.map(str::to_lowercase));
        }
        Ok(n)
    }

    /// The shipped list (validated by a unit test; empty should it fail).
    pub fn builtin() -> &'static SpanNouns {
        static N: OnceLock<SpanNouns> = OnceLock::new();
        N.get_or_init(|| SpanNouns::parse(DEFAULT_SPAN_NOUNS).unwrap_or_default())
    }

    fn forms(doc: &Doc, t: u32) -> [String; 2] {
        [lemma(doc, t).to_lowercase(), petrel_actors::lower(doc, t)]
    }

    /// A concrete place, facility, vehicle or group of people.
    pub fn is_site(&self, doc: &Doc, t: u32) -> bool {
        Self::forms(doc, t).iter().any(|w| self.site.contains(w))
    }

    /// Armed forces or arms: what a force-posture act moves or posts.
    pub fn is_force(&self, doc: &Doc, t: u32) -> bool {
        Self::forms(doc, t).iter().any(|w| self.force.contains(w))
    }

    /// A noun of time, a number or an ordinal ("Thursday", "the 13th").
    pub fn is_time(&self, doc: &Doc, t: u32) -> bool {
        let [l, w] = Self::forms(doc, t);
        let ordinal = w.len() > 2
            && ["st", "nd", "rd", "th"].iter().any(|x| w.ends_with(x))
            && w.chars().next().is_some_and(|c| c.is_ascii_digit());
        upos(doc, t) == Upos::Num || ordinal || self.time.contains(&l) || self.time.contains(&w)
    }
}

/// The token whose head lies outside `range` (the first, in surface order),
/// i.e. the syntactic head of a name.
fn range_head(doc: &Doc, tree: &SentTree, range: &TokenRange) -> Option<u32> {
    range
        .clone()
        .find(|&t| tree.head(doc, t).is_none_or(|h| !range.contains(&h)))
}

/// The preposition (`case` dependent) of a nominal modifier, lowercased lemma.
fn preposition(doc: &Doc, tree: &SentTree, n: u32) -> Option<String> {
    tree.children(n)
        .iter()
        .copied()
        .find(|&k| base_rel(doc, k) == "case")
        .map(|k| lemma(doc, k).to_lowercase())
}

/// The narrower span of an actor whose name is nested in a prepositional
/// complement of a head that is no actor itself (see the module docs), or
/// `None` when the actor's span stays as it is.
pub fn nested_actor(
    doc: &Doc,
    tree: &SentTree,
    resolver: &ActorResolver,
    actor: &ResolvedActor,
) -> Option<TokenRange> {
    let head = actor.head;
    // Only an actor whose name lies inside its own phrase, past the head.
    if actor.name.contains(&head) || actor.name.is_empty() || !actor.tokens.contains(&head) {
        return None;
    }
    if actor.name.start < actor.tokens.start || actor.name.end > actor.tokens.end {
        return None;
    }
    // A head that is a name, a pronoun or an agent / people word is the actor.
    if matches!(upos(doc, head), Upos::Propn | Upos::Pron)
        || !resolver.agent_matches(doc, &[head]).is_empty()
    {
        return None;
    }
    // Climb from the name to the head; the lowest prepositional complement
    // other than `of` and the prepositions of place (possessives excepted)
    // is where the actor is.
    let mut n = range_head(doc, tree, &actor.name)?;
    let mut cut = None;
    let mut steps = 0;
    while n != head {
        steps += 1;
        if steps > 64 {
            return None;
        }
        if cut.is_none()
            && base_rel(doc, n) == "nmod"
            && deprel(doc, n) != "nmod:poss"
            && preposition(doc, tree, n).is_some_and(|p| {
                p != "of"
                    && (!crate::LOCATIVE_PREPS.contains(&p.as_str())
                        || !tree
                            .head(doc, n)
                            .is_some_and(|g| SpanNouns::builtin().is_site(doc, g)))
            })
        {
            cut = Some(n);
        }
        n = tree.head(doc, n)?;
    }
    let cut = cut?;
    let ext = petrel_actors::np_extent(doc, tree, cut);
    // The narrower span must still cover the name and stay inside the old one.
    (ext.start <= actor.name.start
        && ext.end >= actor.name.end
        && ext.start >= actor.tokens.start
        && ext.end <= actor.tokens.end
        && ext != actor.tokens)
        .then_some(ext)
}

/// Prepositions whose complement names members or a role of the phrase they
/// hang on, not another actor.
const SAME_REFERENT_PREPS: &[&str] = &["including", "as", "like", "except", "excluding", "among"];

/// The actor behind a word the verb pattern names: when the target found,
/// `t`, is one of the pattern's own words (`lexical`: "sent *200 troops* in
/// Syria", "declared *a state of siege* in Bolivia", "deploying *the UN
/// peacekeeping mission* in Mali"), that word is part of the act and the
/// target is its first prepositional complement (any preposition but `of`,
/// on the word or on its `of` complement: "state *of siege* in Bolivia")
/// that names an actor. `None` when `t` is no pattern word or no such
/// complement exists.
pub fn lexical_complement(
    doc: &Doc,
    tree: &SentTree,
    t: u32,
    lexical: &[u32],
    resolvable: &dyn Fn(u32) -> bool,
) -> Option<u32> {
    if !lexical.contains(&t) {
        return None;
    }
    let is_of = |c: u32| preposition(doc, tree, c).as_deref() == Some("of");
    let complements = |w: u32| {
        tree.children(w)
            .iter()
            .copied()
            .filter(move |&c| c > w && base_rel(doc, c) == "nmod" && deprel(doc, c) != "nmod:poss")
            .collect::<Vec<u32>>()
    };
    let mut heads = vec![t];
    heads.extend(complements(t).into_iter().filter(|&c| is_of(c)));
    // "stormed *a police headquarters* in Kabul", "detained *dozens of
    // demonstrators* in Yerevan": a site or group of people named by the
    // pattern is what is hit, with its place.
    if heads.iter().any(|&w| SpanNouns::builtin().is_site(doc, w)) {
        return None;
    }
    heads
        .into_iter()
        .flat_map(complements)
        .filter(|&c| {
            // "people *including* children", "*as* civilians": members or
            // roles of the word itself, no other actor.
            preposition(doc, tree, c)
                .is_some_and(|p| p != "of" && !SAME_REFERENT_PREPS.contains(&p.as_str()))
        })
        .find(|&c| resolvable(c))
}

/// Prepositions of a force-posture act that name where forces go, stand or
/// come from, or whom they face ("sent troops *to* X", "withdrew
/// peacekeepers *from* X", "massed forces *against* X").
const FORCE_PREPS: &[&str] = &[
    "to", "into", "in", "inside", "from", "against", "toward", "towards", "at", "near", "across",
    "along", "onto",
];

/// The target of a force-posture act whose target found, `t`, is the
/// source's own forces named by the pattern ("withdrew *peacekeepers* from
/// the Golan Heights", "strengthened *its forces* in Crimea", "mobilized
/// *troops* for the first Gulf War against Iraq"): the forces are the means
/// of the act, not its target, which is where they go, stand or come from,
/// or whom they face — a prepositional complement of the forces word (not
/// `of`, `including`, `as`, …), else of the verb `v` (prepositions
/// [`FORCE_PREPS`]), else the `against` complement of a `for` phrase ("for a
/// battle *against* X"), else the object or place of a purpose clause ("sent
/// troops *to help the Philippines army*"); nouns of time never. The first that names an actor
/// wins, else the first (a place or thing kept as an uncoded target, as the
/// annotators mark it). `None` when `t` is no forces word of the pattern
/// (the rule does not apply); `Some(None)` when no such complement exists
/// (the event has no target).
pub fn own_force_target(
    doc: &Doc,
    tree: &SentTree,
    v: u32,
    t: u32,
    lexical: &[u32],
    resolvable: &dyn Fn(u32) -> bool,
) -> Option<Option<u32>> {
    let nouns = SpanNouns::builtin();
    if !lexical.contains(&t) || !nouns.is_force(doc, t) {
        return None;
    }
    let prep = |c: u32| preposition(doc, tree, c);
    let usable = |c: u32| {
        petrel_actors::is_nominal(doc, c)
            && !nouns.is_time(doc, c)
            && !matches!(upos(doc, c), Upos::Pron)
    };
    let mut words = vec![t];
    words.extend(
        tree.children(t)
            .iter()
            .copied()
            .filter(|&c| base_rel(doc, c) == "nmod" && prep(c).as_deref() == Some("of")),
    );
    let mut cands: Vec<u32> = Vec::new();
    for &w in &words {
        cands.extend(tree.children(w).iter().copied().filter(|&c| {
            c > w
                && base_rel(doc, c) == "nmod"
                && deprel(doc, c) != "nmod:poss"
                && prep(c).is_some_and(|p| p != "of" && !SAME_REFERENT_PREPS.contains(&p.as_str()))
        }));
    }
    cands.extend(tree.children(v).iter().copied().filter(|&c| {
        base_rel(doc, c) == "obl" && prep(c).is_some_and(|p| FORCE_PREPS.contains(&p.as_str()))
    }));
    // "mobilized troops for a battle *against* X".
    let purposes: Vec<u32> = tree
        .children(v)
        .iter()
        .chain(tree.children(t))
        .copied()
        .filter(|&c| {
            matches!(base_rel(doc, c), "obl" | "nmod") && prep(c).as_deref() == Some("for")
        })
        .collect();
    for f in purposes {
        cands.extend(
            tree.children(f)
                .iter()
                .copied()
                .filter(|&c| base_rel(doc, c) == "nmod" && prep(c).as_deref() == Some("against")),
        );
    }
    // "sent troops *to help* the Philippines army": the purpose clause's
    // object or place, last.
    let purpose_clauses: Vec<u32> = tree
        .children(v)
        .iter()
        .copied()
        .filter(|&c| {
            matches!(base_rel(doc, c), "advcl" | "xcomp")
                && crate::roles::marked_by(doc, tree, c, &["to"])
        })
        .collect();
    for pc in purpose_clauses {
        cands.extend(tree.children(pc).iter().copied().filter(|&c| {
            base_rel(doc, c) == "obj"
                || (base_rel(doc, c) == "obl"
                    && prep(c).is_some_and(|p| FORCE_PREPS.contains(&p.as_str())))
        }));
    }
    cands.retain(|&c| c != t && usable(c));
    Some(
        cands
            .iter()
            .copied()
            .find(|&c| resolvable(c))
            .or_else(|| cands.first().copied()),
    )
}

/// The span of an actor cut before a word the verb pattern names that the
/// parser hung inside the actor's phrase ("accused *the US* of genocide"
/// with `of genocide` attached to "US"): the pattern's word is part of the
/// act, so the phrase ends before the branch of the head that holds it
/// (edge punctuation and conjunctions trimmed). `None` when nothing is cut.
pub fn pattern_word_cut(
    doc: &Doc,
    tree: &SentTree,
    actor: &ResolvedActor,
    lexical: &[u32],
) -> Option<TokenRange> {
    let toks = actor.tokens.clone();
    let head = actor.head;
    let mut cut = toks.end;
    for &w in lexical {
        if !toks.contains(&w) || w <= head || actor.name.contains(&w) {
            continue;
        }
        // The branch of the head that holds the word.
        let mut b = w;
        let mut steps = 0;
        while let Some(up) = tree.head(doc, b).filter(|&up| up != head) {
            b = up;
            steps += 1;
            if steps > 64 || !toks.contains(&b) {
                return None;
            }
        }
        if tree.head(doc, b) != Some(head) {
            continue;
        }
        let first = tree.subtree(b).first().copied().unwrap_or(b);
        cut = cut.min(first);
    }
    if cut >= toks.end {
        return None;
    }
    // Edge punctuation and conjunctions go; a closing bracket whose opening
    // one is inside stays ("( LDF )").
    let closes_inner = |l: u32| {
        matches!(doc.token_text(l as usize), ")" | "]")
            && (toks.start..l).any(|t| matches!(doc.token_text(t as usize), "(" | "["))
    };
    let mut end = cut;
    while end > head + 1
        && (upos(doc, end - 1) == Upos::Punct || base_rel(doc, end - 1) == "cc")
        && !closes_inner(end - 1)
    {
        end -= 1;
    }
    (end < toks.end && end > head && end >= actor.name.end).then_some(toks.start..end)
}

/// The span of an actor cut before the place where a person named in it is
/// ("US President Donald Trump *at the White House*", "President Uhuru
/// Kenyatta *in Nairobi*"): a prepositional phrase of place (`in`, `at`,
/// `near`, …) attached, anywhere in the phrase, to a person's name (a proper
/// noun with `flat` parts) says where they are, not who they are.
/// `None` when nothing is cut.
pub fn person_place(doc: &Doc, tree: &SentTree, actor: &ResolvedActor) -> Option<TokenRange> {
    let toks = actor.tokens.clone();
    let mut cut = toks.end;
    for n in toks.clone() {
        let kids = tree.children(n);
        let person =
            upos(doc, n) == Upos::Propn && kids.iter().any(|&k| base_rel(doc, k) == "flat");
        if !person {
            continue;
        }
        for &c in kids {
            if c > n
                && toks.contains(&c)
                && matches!(base_rel(doc, c), "nmod" | "obl")
                && deprel(doc, c) != "nmod:poss"
                && preposition(doc, tree, c)
                    .is_some_and(|p| crate::LOCATIVE_PREPS.contains(&p.as_str()))
            {
                let first = tree.subtree(c).first().copied().unwrap_or(c);
                cut = cut.min(first);
            }
        }
    }
    if cut >= toks.end {
        return None;
    }
    let mut end = cut;
    while end > toks.start + 1
        && (end - 1) > actor.head
        && (upos(doc, end - 1) == Upos::Punct || base_rel(doc, end - 1) == "cc")
    {
        end -= 1;
    }
    (end < toks.end && end > actor.head && end >= actor.name.end).then_some(toks.start..end)
}

/// Applies [`person_place`] to each actor of a list.
pub fn cut_person_place(doc: &Doc, tree: &SentTree, list: &mut [ResolvedActor]) {
    for a in list.iter_mut() {
        if let Some(r) = person_place(doc, tree, a) {
            a.tokens = r;
            a.span = doc.tokens_span(a.tokens.clone());
        }
    }
}

/// Applies [`nested_actor`] to each actor of a list.
pub fn narrow_nested(
    doc: &Doc,
    tree: &SentTree,
    resolver: &ActorResolver,
    list: &mut [ResolvedActor],
) {
    for a in list.iter_mut() {
        if let Some(r) = nested_actor(doc, tree, resolver, a) {
            a.tokens = r;
            a.span = doc.tokens_span(a.tokens.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_noun_list_parses_and_errors_name_the_line() {
        let n = SpanNouns::parse(DEFAULT_SPAN_NOUNS).expect("shipped list parses");
        assert!(n.site.contains("headquarters") && n.site.contains("protester"));
        assert!(n.time.contains("thursday") && !n.time.contains("ceasefire"));
        assert!(n.force.contains("troop") && !n.force.contains("protester"));
        let e = SpanNouns::parse("site camp\n# note\nbogus word\n").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
        assert!(SpanNouns::parse("").is_ok());
    }
}
