//! Grammatical roles around a verb: subject (inherited through `xcomp` and
//! `conj`), object, passive voice and its `by` agent, prepositional
//! complements, and the noun-phrase head a token belongs to.

use petrel_actors::{base_rel, deprel, lemma, lower, upos, SentTree};
use petrel_doc::{Doc, Upos};

/// Verbs whose object is the understood subject of their `xcomp`
/// ("urged Bree to help", "asked Gondor to leave").
const OBJECT_CONTROL: &[&str] = &[
    "urge",
    "ask",
    "call",
    "appeal",
    "order",
    "persuade",
    "force",
    "tell",
    "invite",
    "encourage",
    "allow",
    "help",
    "request",
    "implore",
    "press",
    "compel",
    "require",
    "permit",
    "advise",
    "warn",
    "instruct",
    "authorize",
    "enable",
];

fn child_with(doc: &Doc, tree: &SentTree, v: u32, rels: &[&str]) -> Option<u32> {
    tree.children(v)
        .iter()
        .copied()
        .find(|&c| rels.contains(&deprel(doc, c)))
}

/// Whether `v` is in the passive voice.
pub fn is_passive(doc: &Doc, tree: &SentTree, v: u32) -> bool {
    tree.children(v).iter().any(|&c| {
        matches!(
            deprel(doc, c),
            "nsubj:pass" | "aux:pass" | "csubj:pass" | "nsubjpass" | "auxpass"
        )
    })
}

/// Whether clause `v` is introduced by one of `words` (a `mark` child:
/// "*if* Damascus did not meet …", "the decision *to* recognize").
pub fn marked_by(doc: &Doc, tree: &SentTree, v: u32, words: &[&str]) -> bool {
    tree.children(v)
        .iter()
        .any(|&c| base_rel(doc, c) == "mark" && words.contains(&lower(doc, c).as_str()))
}

/// The grammatical subject of `v` itself (no inheritance). When a parser
/// gave the verb several subjects, the one nearest before it.
pub fn own_subject(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    let subjects: Vec<u32> = tree
        .children(v)
        .iter()
        .copied()
        .filter(|&c| {
            matches!(
                deprel(doc, c),
                "nsubj" | "nsubj:pass" | "nsubjpass" | "nsubj:xsubj"
            )
        })
        .collect();
    // "The government Monday denied …": a day parsed as a second subject.
    let timeless: Vec<u32> = subjects
        .iter()
        .copied()
        .filter(|&c| !petrel_actors::is_temporal_noun(&lower(doc, c)))
        .collect();
    let subjects = if timeless.is_empty() {
        subjects
    } else {
        timeless
    };
    subjects
        .iter()
        .copied()
        .filter(|&c| c < v)
        .max()
        .or_else(|| subjects.first().copied())
}

/// Other subjects of the verb whose subject is `s`, before it: a parser
/// sometimes splits one subject ("Arnor cleric", "Mordor, Rohan, Fornost
/// and Bree") into several `nsubj` dependents of the verb.
pub fn sibling_subjects(doc: &Doc, tree: &SentTree, s: u32) -> Vec<u32> {
    if !deprel(doc, s).starts_with("nsubj") {
        return Vec::new();
    }
    let Some(v) = tree.head(doc, s) else {
        return Vec::new();
    };
    tree.children(v)
        .iter()
        .copied()
        .filter(|&c| {
            c != s
                && c < v
                && matches!(deprel(doc, c), "nsubj" | "nsubj:pass")
                && !petrel_actors::is_temporal_noun(&lower(doc, c))
        })
        .collect()
}

/// The direct object of `v` (`obj` before `iobj`: in "gave Ukraine a
/// warning" the object is "warning"); failing one, a bare nominal right after the
/// verb that the parser attached as an adjunct without a preposition
/// ("freed 37 prisoners" parsed as `obl:unmarked`), unless it names a time.
pub fn object(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    child_with(doc, tree, v, &["obj", "dobj"])
        .or_else(|| child_with(doc, tree, v, &["iobj"]))
        .or_else(|| {
            tree.children(v).iter().copied().find(|&c| {
                c > v
                && base_rel(doc, c) == "obl"
                && nominal(doc, c)
                && !petrel_actors::is_temporal_noun(&lower(doc, c))
                && !tree
                    .children(c)
                    .iter()
                    .any(|&k| matches!(base_rel(doc, k), "case" | "mark"))
                // The phrase follows the verb directly.
                && (v + 1..c).all(|t| tree.dominates(doc, c, t))
            })
        })
}

/// The person or thing a secondary predicate right after `v` is said of
/// ("let *free* Towakil Karman", "set *loose* the prisoners"): the parser
/// makes the adjective the verb's `xcomp` (or, wrongly, its `obj`) and hangs
/// the noun phrase on it (`appos`, `obj`, `nsubj`, `dep`). The head of the
/// first nominal such dependent after the adjective; `None` when `v` has a
/// nominal object of its own.
pub fn secondary_object(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    if child_with(doc, tree, v, &["obj", "dobj", "iobj"]).is_some_and(|o| nominal(doc, o)) {
        return None;
    }
    let adj = tree.children(v).iter().copied().find(|&c| {
        c > v && upos(doc, c) == Upos::Adj && matches!(base_rel(doc, c), "xcomp" | "obj")
    })?;
    tree.children(adj).iter().copied().find(|&c| {
        c > adj
            && nominal(doc, c)
            && matches!(base_rel(doc, c), "appos" | "obj" | "nsubj" | "dep")
            && !petrel_actors::is_temporal_noun(&lower(doc, c))
    })
}

/// Prepositions that introduce what an attitude adjective is about
/// ("skeptical *of*", "pessimistic *about*", "hostile *towards*").
const ATTITUDE_PREPS: &[&str] = &["of", "about", "over", "toward", "towards"];

/// What the speaker's stated attitude is about, when the clause `v` reports
/// is a copular adjective said of the speaker ("X said *it is skeptical
/// of* the plan", "says *he is pessimistic about* a deal"): the head of the
/// adjective's `of`/`about`/`over`/`toward(s)` complement. The adjective's
/// subject (or `expl` "it") must be a personal pronoun (the speaker itself).
pub fn attitude_object(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    let adj = tree.children(v).iter().copied().find(|&c| {
        c > v
            && upos(doc, c) == Upos::Adj
            && base_rel(doc, c) == "ccomp"
            && tree.children(c).iter().any(|&k| base_rel(doc, k) == "cop")
    })?;
    // The parser often reads the "it" of "it is skeptical" as `expl`.
    let speaker = own_subject(doc, tree, adj).or_else(|| child_with(doc, tree, adj, &["expl"]))?;
    if upos(doc, speaker) != Upos::Pron || RELATIVE.contains(&lower(doc, speaker).as_str()) {
        return None;
    }
    tree.children(adj).iter().copied().find(|&c| {
        c > adj
            && nominal(doc, c)
            && matches!(base_rel(doc, c), "obl" | "nmod")
            && tree.children(c).iter().any(|&k| {
                base_rel(doc, k) == "case" && ATTITUDE_PREPS.contains(&lower(doc, k).as_str())
            })
    })
}

/// Relative pronouns that stand for the noun a relative clause modifies.
const RELATIVE: &[&str] = &["which", "who", "that", "whom"];

/// The subject of `v`, inherited from the governing verb through `xcomp`
/// (with object control: "urged X to act" → X) and `conj` ("condemned … and
/// promised"); in a relative or participial clause, the noun it modifies.
pub fn subject(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    let mut u = v;
    for _ in 0..16 {
        let in_relative = base_rel(doc, u) == "acl";
        if let Some(s) = own_subject(doc, tree, u) {
            // "Colombia, which severed ties, …": the relative pronoun stands for the noun.
            if in_relative && RELATIVE.contains(&lower(doc, s).as_str()) {
                return tree.head(doc, u).or(Some(s));
            }
            return Some(s);
        }
        let h = tree.head(doc, u)?;
        match base_rel(doc, u) {
            // A participle or infinitive modifying a noun ("troops attacking
            // the city"); a past participle's noun is its patient, not its agent.
            "acl" => {
                return (petrel_actors::xpos(doc, u) != "VBN" && !is_passive(doc, tree, u))
                    .then_some(h);
            }
            "xcomp" => {
                let controller = lemma(doc, h);
                if OBJECT_CONTROL.contains(&controller.as_str()) {
                    // "urged Bree to …", "called on Bree to …", "appealed to Bree to …"
                    let addressee = object(doc, tree, h)
                        .or_else(|| prep_complement(doc, tree, h, "on", false))
                        .or_else(|| prep_complement(doc, tree, h, "upon", false))
                        .or_else(|| {
                            (controller == "appeal")
                                .then(|| prep_complement(doc, tree, h, "to", false))
                                .flatten()
                        });
                    if let Some(o) = addressee {
                        return Some(o);
                    }
                }
                u = h;
            }
            "conj" => u = h,
            _ => return None,
        }
    }
    None
}

/// The `by` agent of a passive verb (`obl:agent`, or an `obl`/`nmod` whose case is "by").
pub fn passive_agent(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    if let Some(a) = child_with(doc, tree, v, &["obl:agent", "nmod:agent"]) {
        return Some(a);
    }
    if let Some(a) = prep_complement(doc, tree, v, "by", false) {
        return Some(a);
    }
    // A `by` phrase attached lower in the same clause ("opposed earlier by X").
    let clause = tree.subtree_filtered(v, |c| {
        matches!(
            base_rel(doc, c),
            "ccomp" | "xcomp" | "advcl" | "acl" | "parataxis" | "conj" | "csubj" | "nsubj"
        )
    });
    clause.into_iter().filter(|&t| t > v).find(|&t| {
        nominal(doc, t)
            && matches!(base_rel(doc, t), "obl" | "nmod")
            && tree
                .children(t)
                .iter()
                .any(|&c| base_rel(doc, c) == "case" && lower(doc, c) == "by")
    })
}

/// The subject of the clause governing `v` (through `ccomp`, `advcl`,
/// `xcomp`, `conj`, `parataxis`), for pronouns and patterns that bind the
/// subject position to the target.
pub fn governing_subject(doc: &Doc, tree: &SentTree, v: u32) -> Option<u32> {
    let mut u = v;
    for _ in 0..16 {
        if !matches!(
            base_rel(doc, u),
            "ccomp" | "advcl" | "xcomp" | "conj" | "parataxis"
        ) {
            return None;
        }
        u = tree.head(doc, u)?;
        if let Some(s) = subject(doc, tree, u) {
            if upos(doc, s) != Upos::Pron {
                return Some(s);
            }
        }
    }
    None
}

/// Complement of preposition `prep` attached to `v` (and, when `via_object`,
/// to `v`'s object): "sever ties *with Israel*".
pub fn prep_complement(
    doc: &Doc,
    tree: &SentTree,
    v: u32,
    prep: &str,
    via_object: bool,
) -> Option<u32> {
    prep_complements(doc, tree, v, prep, via_object)
        .first()
        .copied()
}

/// Every complement of `prep` in the order [`prep_complement`] prefers them:
/// those on the verb (left to right), then those on its object when
/// `via_object`. A lexical slot tries them all ("participate *in addition*
/// … *in peacekeeping operations*").
pub fn prep_complements(
    doc: &Doc,
    tree: &SentTree,
    v: u32,
    prep: &str,
    via_object: bool,
) -> Vec<u32> {
    let has_case = |n: u32| {
        tree.children(n).iter().any(|&c| {
            matches!(base_rel(doc, c), "case" | "mark")
                && (lower(doc, c) == prep || lemma(doc, c) == prep)
        })
    };
    let on = |h: u32| {
        tree.children(h)
            .iter()
            .copied()
            .filter(|&c| {
                matches!(
                    base_rel(doc, c),
                    "obl" | "nmod" | "advcl" | "xcomp" | "ccomp"
                ) && has_case(c)
            })
            .collect::<Vec<u32>>()
    };
    let mut out = on(v);
    // Phrasal particle analysed as the verb's dependent with the object after it ("called on Gondor").
    if via_object {
        if let Some(o) = object(doc, tree, v) {
            out.extend(on(o));
        }
    }
    out
}

/// The head of the noun phrase token `t` belongs to: climbs through
/// phrase-internal relations (compound, flat, amod, det, possessive, case).
pub fn np_head(doc: &Doc, tree: &SentTree, t: u32) -> u32 {
    let mut u = t;
    for _ in 0..16 {
        let rel = deprel(doc, u);
        let internal = matches!(
            rel.split(':').next().unwrap_or(rel),
            "compound" | "flat" | "amod" | "det" | "nummod" | "case" | "fixed" | "goeswith"
        ) || rel == "nmod:poss"
            || rel == "nmod:desc";
        if !internal {
            break;
        }
        match tree.head(doc, u) {
            Some(h) => u = h,
            None => break,
        }
    }
    u
}

/// Whether `t` can head a noun phrase.
pub fn nominal(doc: &Doc, t: u32) -> bool {
    matches!(
        upos(doc, t),
        Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num | Upos::X
    )
}
