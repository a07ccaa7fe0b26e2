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
//! prepositional complement (any preposition but `of` and the prepositions
//! of place: "an army camp *in western Kabul*" is where the target is, and a
//! place is no target) of an object noun that is itself no name, pronoun or
//! agent word — "provided $2 million in assistance *to Fiji*", "denied
//! charges *by the U.S. State Department*", "a private dinner *for
//! Netanyahu*" — the target is that complement, and the span is its own noun
//! phrase (the lowest such complement above the name), not the whole object
//! phrase. Sources keep their whole subject phrase: the subject is the actor
//! that acts ("A spokesman for the Taliban", "Thousands of textile workers in
//! Haiti"); on the ConfliBERT sentences the rule gains no source span and
//! loses five.

use petrel_actors::{base_rel, deprel, lemma, upos, ActorResolver, ResolvedActor, SentTree};
use petrel_doc::{Doc, TokenRange, Upos};

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
            && preposition(doc, tree, n)
                .is_some_and(|p| p != "of" && !crate::LOCATIVE_PREPS.contains(&p.as_str()))
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
