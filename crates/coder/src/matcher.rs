//! Finding event verbs: which tokens can be coded, and which dictionary
//! patterns are keyed on them (by lemma, surface form, or a dictionary's
//! irregular form table), with multi-word verbs checked around the verb.

use petrel_actors::{base_rel, lemma, lower, upos, xpos, SentTree};
use petrel_dict::Dictionaries;
use petrel_doc::{Doc, Upos};
use std::collections::HashMap;

/// Verb patterns indexed by their first verb word.
#[derive(Debug, Clone, Default)]
pub struct VerbIndex {
    by_word: HashMap<String, Vec<usize>>,
    forms: HashMap<String, String>,
}

impl VerbIndex {
    pub fn new(dict: &Dictionaries) -> VerbIndex {
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in dict.verbs.iter().enumerate() {
            if let Some(w) = p.verb.first() {
                by_word.entry(w.to_lowercase()).or_default().push(i);
            }
        }
        VerbIndex {
            by_word,
            forms: dict.verb_forms.clone(),
        }
    }

    /// Pattern indices keyed on token `t` (lemma, surface form, declared
    /// irregular form, regular base forms), deduplicated, in dictionary
    /// order, each with whether its verb is the token's exact surface form.
    pub fn patterns_for(&self, doc: &Doc, t: u32) -> Vec<(usize, bool)> {
        let surface = lower(doc, t);
        let mut keys = vec![lemma(doc, t), surface.clone()];
        if let Some(l) = self.forms.get(&surface) {
            keys.push(l.clone());
        }
        keys.extend(base_forms(&surface));
        let mut out: Vec<(usize, bool)> = Vec::new();
        for k in keys {
            if let Some(v) = self.by_word.get(&k) {
                out.extend(v.iter().map(|&i| (i, k == surface)));
            }
        }
        out.sort_unstable_by_key(|&(i, exact)| (i, !exact));
        out.dedup_by_key(|x| x.0);
        out
    }
}

/// Whether token `t` is a verb that can carry an event: a verb tag (Penn
/// `VB*` when the Penn layer is present, else UPOS `VERB`), not an auxiliary
/// or copula attached to another predicate.
pub fn is_event_verb(doc: &Doc, t: u32) -> bool {
    let rel = base_rel(doc, t);
    if matches!(rel, "aux" | "cop") {
        return false;
    }
    let x = xpos(doc, t);
    if !x.is_empty() && x != "_" {
        return x.starts_with("VB");
    }
    upos(doc, t) == Upos::Verb
}

/// Whether the extra words of a multi-word verb (`break down`, `wire tap`)
/// occur next to the verb: as its `compound:prt`/`fixed`/`compound` dependents
/// or within three tokens of it.
pub fn particles_present(doc: &Doc, tree: &SentTree, t: u32, words: &[String]) -> bool {
    words.iter().all(|w| {
        let w = w.to_lowercase();
        let dep = tree
            .children(t)
            .iter()
            .any(|&c| lower(doc, c) == w || lemma(doc, c) == w);
        let lo = t.saturating_sub(3).max(tree.start);
        let hi = (t + 4).min(tree.end);
        dep || (lo..hi).any(|j| j != t && (lower(doc, j) == w || lemma(doc, j) == w))
    })
}

/// The particle of a phrasal verb (`compound:prt` dependent), if any.
pub fn particle(doc: &Doc, tree: &SentTree, t: u32) -> Option<String> {
    tree.children(t)
        .iter()
        .find(|&&c| petrel_actors::deprel(doc, c) == "compound:prt")
        .map(|&c| lower(doc, c))
}

/// How specific a pattern is: twice its verb words and slots (a slot with
/// a word list one more), plus the
/// words its linear elements require (the shortest alternative of a word
/// set), one per actor mark; a skip counts nothing.
pub fn specificity(p: &petrel_dict::VerbPattern) -> usize {
    fn words(alts: &[String]) -> usize {
        alts.iter()
            .map(|a| a.split([' ', '_']).filter(|w| !w.is_empty()).count())
            .min()
            .unwrap_or(0)
    }
    fn toks(t: &[petrel_dict::PatTok]) -> usize {
        use petrel_dict::PatTok;
        t.iter()
            .map(|p| match p {
                PatTok::Word(a) => words(a),
                PatTok::Phrase(parts) => parts.iter().map(|a| words(a)).sum(),
                PatTok::Prep(_, inner) => 1 + toks(inner),
                PatTok::Skip => 0,
                PatTok::Source | PatTok::Target | PatTok::Compound => 1,
            })
            .sum()
    }
    // A slot that names its filler's words is more specific than one that
    // only marks an actor or presence (`obj:aid` beats `obj:+`).
    let slots: usize = p
        .slots
        .iter()
        .map(|s| 2 + matches!(s.filler, petrel_dict::Filler::Lemmas(_)) as usize)
        .sum();
    p.verb.len() * 2 + slots + toks(&p.before) + toks(&p.after)
}

/// Whether a code can be coded: it has a digit (`---` is [`petrel_dict::Code::Null`];
/// PETRARCH test dictionaries carry junk codes such as `+++`).
pub fn codable(code: &petrel_dict::Code) -> bool {
    match code {
        petrel_dict::Code::Cameo(c) => c.bytes().any(|b| b.is_ascii_digit()),
        petrel_dict::Code::Null => true,
    }
}

/// Candidate base forms of a regularly inflected English verb form
/// ("welcomed" → welcome/welcom, "stopped" → stop, "carries" → carry), so a
/// poor lemma does not hide a dictionary verb. Only regular suffixes are
/// undone: "departes" gives "departe", not "depart".
pub fn base_forms(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let undouble = |s: &str| -> Option<String> {
        let b = s.as_bytes();
        let n = b.len();
        (n >= 3
            && b[n - 1].is_ascii_alphabetic()
            && b[n - 1] == b[n - 2]
            && !matches!(b[n - 1], b'l' | b's' | b'z' | b'e' | b'o'))
        .then(|| s[..n - 1].to_string())
    };
    if let Some(s) = w.strip_suffix("ied").or_else(|| w.strip_suffix("ies")) {
        out.push(format!("{s}y"));
    }
    if let Some(s) = w.strip_suffix("ed") {
        out.push(s.to_string());
        out.push(format!("{s}e"));
        out.extend(undouble(s));
    }
    if let Some(s) = w.strip_suffix("ing") {
        out.push(s.to_string());
        out.push(format!("{s}e"));
        out.extend(undouble(s));
    }
    if let Some(s) = w.strip_suffix("es") {
        if s.ends_with(['s', 'x', 'z', 'o']) || s.ends_with("ch") || s.ends_with("sh") {
            out.push(s.to_string());
        }
    }
    if let Some(s) = w.strip_suffix('s') {
        if !s.ends_with('s') {
            out.push(s.to_string());
        }
    }
    out.retain(|s| s.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::base_forms;

    #[test]
    fn regular_inflections_are_undone() {
        assert!(base_forms("welcomed").contains(&"welcome".to_string()));
        assert!(base_forms("stopped").contains(&"stop".to_string()));
        assert!(base_forms("carries").contains(&"carry".to_string()));
        assert!(base_forms("departs").contains(&"depart".to_string()));
        assert!(!base_forms("departes").contains(&"depart".to_string()));
        assert!(base_forms("meeting").contains(&"meet".to_string()));
        // Multi-byte endings never split a character.
        for w in ["\u{2000}\u{2000}ed", "x\u{2000}ing", "éés", "日本ed"] {
            let _ = base_forms(w);
        }
    }
}
