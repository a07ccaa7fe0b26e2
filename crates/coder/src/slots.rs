//! Petrel dependency patterns: each slot (`obj:tie|relation`, `with:+`,
//! `subj:$`, `xcomp:meet`) must be filled by a dependent of the verb (a
//! preposition's complement may also hang from the verb's object).

use crate::roles::{
    is_passive, object, own_subject, passive_agent, prep_complement, prep_complements, subject,
};
use petrel_actors::{base_rel, deprel, lemma, SentTree};
use petrel_dict::{Filler, Role, Slot};
use petrel_doc::Doc;

/// What a slot pattern bound.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlotMatch {
    pub source: Option<u32>,
    pub target: Option<u32>,
}

/// Finds the dependent filling a role.
pub fn fill(doc: &Doc, tree: &SentTree, v: u32, role: &Role) -> Option<u32> {
    let passive = is_passive(doc, tree, v);
    match role {
        Role::Obj if passive => own_subject(doc, tree, v),
        Role::Obj => object(doc, tree, v),
        Role::Subj if passive => passive_agent(doc, tree, v),
        // An open complement's subject is its controller's ("troops began
        // *leaving* Afghanistan": `subj:troop` of "leave").
        Role::Subj => own_subject(doc, tree, v).or_else(|| {
            (base_rel(doc, v) == "xcomp")
                .then(|| subject(doc, tree, v))
                .flatten()
        }),
        Role::Prep(p) => prep_complement(doc, tree, v, p, true),
        Role::Xcomp => tree
            .children(v)
            .iter()
            .copied()
            .find(|&c| base_rel(doc, c) == "xcomp"),
    }
}

/// The forms a token offers to a lemma filler: lemma, lowercased surface,
/// a naive singular of a plural surface ("troops" → "troop", when the
/// lemmatiser kept the plural) and the hyphenated word it ends ("cease -
/// fire" → "cease-fire").
fn word_forms(doc: &Doc, t: u32) -> Vec<String> {
    let mut f = vec![lemma(doc, t), petrel_actors::lower(doc, t)];
    let w = f[1].clone();
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        f.push(w[..w.len() - 1].to_string());
    }
    if let Some(h) = hyphen_word(doc, t) {
        f.push(h);
    }
    // An amount of money ("$2 million", "352 million euros") is money.
    if CURRENCIES.contains(&f[0].as_str()) || CURRENCIES.contains(&f[1].as_str()) {
        f.push("money".to_string());
    }
    f
}

/// Currency symbols and names (lemmas) that head an amount of money.
const CURRENCIES: &[&str] = &[
    "$", "€", "£", "¥", "us$", "usd", "eur", "euro", "dollar", "pound", "yen", "yuan", "rupee",
    "franc", "riyal", "dirham", "ruble", "rouble", "shekel", "naira", "shilling", "rand", "peso",
    "lira", "ringgit", "rupiah", "taka", "birr", "cedi", "kwacha",
];

/// The hyphenated word ending at token `t` when the text writes it without
/// spaces ("cease-fire" tokenised as `cease` `-` `fire`), lowercased.
pub fn hyphen_word(doc: &Doc, t: u32) -> Option<String> {
    let span = |i: u32| doc.tokens.span.get(i as usize).copied();
    let mut start = t;
    while start >= 2 {
        let (a, d, b) = (span(start - 2)?, span(start - 1)?, span(start)?);
        if doc.token_text(start as usize - 1) != "-" || a.end != d.start || d.end != b.start {
            break;
        }
        start -= 2;
    }
    (start < t).then(|| doc.span_text(doc.tokens_span(start..t + 1)).to_lowercase())
}

/// Whether the phrase headed by `h` matches lemma alternatives (`diplomatic
/// relation`: head lemma last, the other words among its dependents).
pub fn lemma_matches(doc: &Doc, tree: &SentTree, h: u32, alts: &[String]) -> bool {
    if head_matches(doc, tree, h, alts) {
        return true;
    }
    // A partitive or quantity head stands for its `of` complement ("withdrew
    // *some of* its troops", "sent *dozens of* tents").
    PARTITIVES.contains(&lemma(doc, h).as_str())
        && tree.children(h).iter().any(|&c| {
            base_rel(doc, c) == "nmod"
                && tree
                    .children(c)
                    .iter()
                    .any(|&k| base_rel(doc, k) == "case" && petrel_actors::lower(doc, k) == "of")
                && head_matches(doc, tree, c, alts)
        })
}

/// Quantity words that head a partitive phrase ("some of the troops").
const PARTITIVES: &[&str] = &[
    "some",
    "all",
    "most",
    "many",
    "much",
    "part",
    "half",
    "number",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "majority",
    "rest",
    "remainder",
    "bulk",
    "portion",
    "batch",
    "several",
    "few",
    "lot",
    "lots",
    "ton",
    "tons",
    "tonne",
    "tonnes",
    "load",
];

fn head_matches(doc: &Doc, tree: &SentTree, h: u32, alts: &[String]) -> bool {
    let head = word_forms(doc, h);
    alts.iter().any(|alt| {
        let words: Vec<&str> = alt.split([' ', '_']).filter(|w| !w.is_empty()).collect();
        let Some((last, mods)) = words.split_last() else {
            return false;
        };
        if !head.iter().any(|f| f == last) {
            return false;
        }
        mods.iter().all(|m| {
            tree.children(h)
                .iter()
                .any(|&c| word_forms(doc, c).iter().any(|f| f == m))
        })
    })
}

/// Matches all slots; `None` when one is unfilled or its filler does not fit.
pub fn match_slots(doc: &Doc, tree: &SentTree, v: u32, slots: &[Slot]) -> Option<SlotMatch> {
    let mut m = SlotMatch::default();
    for s in slots {
        match &s.filler {
            Filler::Lemmas(alts) => {
                fill_matching(doc, tree, v, &s.role, alts)?;
            }
            Filler::Target => m.target = Some(fill(doc, tree, v, &s.role)?),
            Filler::Source => m.source = Some(fill(doc, tree, v, &s.role)?),
            Filler::Any => {
                fill(doc, tree, v, &s.role)?;
            }
        }
    }
    Some(m)
}

/// The dependent filling a lexical slot: for a preposition, the first of
/// its complements whose head matches (a verb may carry two `in` phrases,
/// "in addition" and "in peacekeeping operations"); otherwise the one
/// [`fill`] finds, if it matches.
pub fn fill_matching(
    doc: &Doc,
    tree: &SentTree,
    v: u32,
    role: &Role,
    alts: &[String],
) -> Option<u32> {
    match role {
        Role::Prep(p) => prep_complements(doc, tree, v, p, true)
            .into_iter()
            .find(|&c| lemma_matches(doc, tree, c, alts)),
        _ => fill(doc, tree, v, role).filter(|&f| lemma_matches(doc, tree, f, alts)),
    }
}

/// How many filler words the slots matched, counting for each lexical slot
/// its longest matching alternative: the tie-break between equally
/// specific patterns ("air strike" beats "strike").
pub fn matched_words(doc: &Doc, tree: &SentTree, v: u32, slots: &[Slot]) -> usize {
    slots
        .iter()
        .map(|s| match &s.filler {
            Filler::Lemmas(alts) => fill_matching(doc, tree, v, &s.role, alts)
                .map(|f| {
                    alts.iter()
                        .filter(|a| lemma_matches(doc, tree, f, std::slice::from_ref(*a)))
                        .map(|a| a.split([' ', '_']).filter(|w| !w.is_empty()).count())
                        .max()
                        .unwrap_or(0)
                })
                .unwrap_or(0),
            _ => 0,
        })
        .sum()
}

/// The default target of a slot pattern without `+` (docs/dictionary-format.md):
/// the direct object unless lexically constrained, else the complement of
/// the first of `against, with, to, on, at, toward, into, from, over, for`.
pub fn default_target(doc: &Doc, tree: &SentTree, v: u32, slots: &[Slot]) -> Option<u32> {
    let obj_constrained = slots
        .iter()
        .any(|s| s.role == Role::Obj && matches!(s.filler, Filler::Lemmas(_)));
    if !obj_constrained {
        if let Some(o) = fill(doc, tree, v, &Role::Obj) {
            if !deprel(doc, o).starts_with("nsubj") || is_passive(doc, tree, v) {
                return Some(o);
            }
        }
    }
    [
        "against", "with", "to", "on", "at", "toward", "towards", "into", "from", "over", "for",
    ]
    .iter()
    .find_map(|p| prep_complement(doc, tree, v, p, true))
}
