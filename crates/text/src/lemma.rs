//! English lemmatisation: inflection rules, an authored table of irregular
//! forms (`data/irregular.tsv`), and data learned from the UD English EWT
//! and GUM **train** documents (`data/lemma_learned.tsv`: a vocabulary of
//! lemmas used to choose between rule candidates such as "hoped" → "hope" /
//! "hop", and the exceptions the rules get wrong). Lemmas follow UD EWT:
//! lowercase, except proper nouns, which keep their case (plural proper
//! nouns are singularised: "Americans" → "American"), and "I".

use petrel_doc::Upos;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const IRREGULAR: &str = include_str!("../data/irregular.tsv");
const LEARNED: &str = include_str!("../data/lemma_learned.tsv");

/// Word class of the vocabularies and irregular tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Verb,
    Noun,
    Adj,
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
        match s {
            "V" => Some(Class::Verb),
            "N" => Some(Class::Noun),
            "A" => Some(Class::Adj),
            _ => None,
        }
    }
    fn letter(self) -> &'static str {
        match self {
            Class::Verb => "V",
            Class::Noun => "N",
            Class::Adj => "A",
        }
    }
}

/// A lemmatiser: rules plus its tables.
#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    /// form → (class, lemma) pairs.
    irregular: HashMap<String, Vec<(Class, String)>>,
    /// lemma → bit set of the classes it was seen with.
    vocab: HashMap<String, u8>,
    /// form key → (xpos, lemma) pairs; the form key is lowercase except for
    /// proper nouns.
    exceptions: HashMap<String, Vec<(String, String)>>,
}

impl Class {
    fn bit(self) -> u8 {
        match self {
            Class::Verb => 1,
            Class::Noun => 2,
            Class::Adj => 4,
        }
    }
}

/// One training word: (form, UPOS, XPOS, gold lemma).
pub type TrainWord = (String, Upos, String, String);

fn normalize(word: &str) -> String {
    word.replace(['’', '´', '`'], "'")
}

fn key_form(word: &str, upos: Upos) -> String {
    let w = normalize(word);
    if upos == Upos::Propn {
        w
    } else {
        w.to_lowercase()
    }
}

impl Lemmatizer {
    /// The lemmatiser built from the data files compiled into the crate.
    pub fn builtin() -> &'static Lemmatizer {
        static L: OnceLock<Lemmatizer> = OnceLock::new();
        L.get_or_init(|| {
            Lemmatizer::from_data(IRREGULAR, LEARNED)
                .unwrap_or_else(|e| panic!("petrel-text lemma data (compiled in): {e}"))
        })
    }

    /// Builds a lemmatiser from the text of an irregular-forms table and a
    /// learned-data file (formats in their headers). Errors name the line.
    pub fn from_data(irregular: &str, learned: &str) -> Result<Lemmatizer, String> {
        let mut l = Lemmatizer::default();
        for (n, line) in irregular.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let class = f
                .next()
                .and_then(Class::parse)
                .ok_or_else(|| format!("irregular.tsv:{}: expected class V, N or A", n + 1))?;
            let lemma = f
                .next()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("irregular.tsv:{}: no lemma", n + 1))?;
            let mut any = false;
            for form in f {
                l.irregular
                    .entry(form.to_string())
                    .or_default()
                    .push((class, lemma.to_string()));
                any = true;
            }
            if !any {
                return Err(format!("irregular.tsv:{}: no forms", n + 1));
            }
        }
        for (n, line) in learned.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                [c, lemma] => {
                    let class = Class::parse(c).ok_or_else(|| format!("lemma_learned.tsv:{}: bad class {c:?}", n + 1))?;
                    *l.vocab.entry(lemma.to_string()).or_default() |= class.bit();
                }
                // For a form of the authored irregular table, a learned lemma
                // that is no known word is annotation noise ("fled" → "flead").
                ["X", form, _, lemma] if l.irregular.contains_key(*form) && !l.vocab.contains_key(*lemma) => {}
                ["X", form, xpos, lemma] => {
                    l.exceptions
                        .entry(form.to_string())
                        .or_default()
                        .push((xpos.to_string(), lemma.to_string()));
                }
                _ => return Err(format!("lemma_learned.tsv:{}: expected `C<TAB>lemma` or `X<TAB>form<TAB>xpos<TAB>lemma`", n + 1)),
            }
        }
        Ok(l)
    }

    /// Lemma of `word` given its UPOS and Penn tag (`xpos` may be empty).
    pub fn lemmatize(&self, word: &str, upos: Upos, xpos: &str) -> String {
        if let Some(entries) = self.exceptions.get(&key_form(word, upos)) {
            if let Some((_, l)) = entries.iter().find(|(x, _)| x == xpos) {
                return l.clone();
            }
        }
        self.rules(word, upos, xpos)
    }

    fn known(&self, class: Class, w: &str) -> bool {
        self.vocab.get(w).is_some_and(|b| b & class.bit() != 0)
    }

    fn irregular(&self, class: Class, w: &str) -> Option<String> {
        self.irregular
            .get(w)?
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, l)| l.clone())
    }

    /// First candidate in the vocabulary of `class`, else the first known in
    /// another class ("upgrading" → "upgrade", seen only as a noun), else the
    /// default.
    fn choose(&self, class: Class, cands: &[String], default: usize) -> String {
        cands
            .iter()
            .find(|c| self.known(class, c))
            .or_else(|| cands.iter().find(|c| self.vocab.contains_key(c.as_str())))
            .or_else(|| cands.get(default))
            .or_else(|| cands.first())
            .cloned()
            .unwrap_or_default()
    }

    /// The rules alone (no learned exceptions).
    fn rules(&self, word: &str, upos: Upos, xpos: &str) -> String {
        let w = normalize(word);
        if upos == Upos::Propn {
            if xpos == "NNPS" && w.len() > 3 && w.ends_with(['s', 'S']) {
                let lower = w.to_lowercase();
                let sing = self.noun_singular(&lower);
                // Keep the original case of the kept prefix.
                if lower.starts_with(&sing) {
                    if let Some(kept) = w.get(..sing.len()) {
                        return kept.to_string();
                    }
                }
                return w[..w.len() - 1].to_string();
            }
            return propn_case(w);
        }
        let lower = w.to_lowercase();
        if !lower.chars().any(|c| c.is_alphabetic()) {
            // Numbers and punctuation are their own lemma.
            return word.to_string();
        }
        let tag = if xpos.is_empty() {
            default_xpos(upos)
        } else {
            xpos
        };
        match tag {
            "NNS" => self.noun_singular(&lower),
            "VBZ" => self
                .irregular(Class::Verb, &lower)
                .unwrap_or_else(|| self.verb_s(&lower)),
            "VBD" | "VBN" => self
                .irregular(Class::Verb, &lower)
                .unwrap_or_else(|| self.verb_ed(&lower)),
            "VBG" => self
                .irregular(Class::Verb, &lower)
                .unwrap_or_else(|| self.verb_ing(&lower)),
            "VBP" | "MD" => self.irregular(Class::Verb, &lower).unwrap_or(lower),
            "JJR" | "RBR" => self
                .irregular(Class::Adj, &lower)
                .unwrap_or_else(|| self.adj_suffix(&lower, "er")),
            "JJS" | "RBS" => self
                .irregular(Class::Adj, &lower)
                .unwrap_or_else(|| self.adj_suffix(&lower, "est")),
            _ => lower,
        }
    }

    fn noun_singular(&self, w: &str) -> String {
        if let Some(l) = self.irregular(Class::Noun, w) {
            return l;
        }
        if w.len() < 3
            || !w.ends_with('s')
            || w.ends_with("ss")
            || w.ends_with("us")
            || w.ends_with("is")
        {
            return w.to_string();
        }
        let cut = |n: usize| w[..w.len() - n].to_string();
        if w.ends_with("ies") && w.len() > 4 {
            return self.choose(Class::Noun, &[cut(3) + "y", cut(1)], 0);
        }
        if w.ends_with("ves") {
            return self.choose(Class::Noun, &[cut(1), cut(3) + "f", cut(3) + "fe"], 0);
        }
        if w.ends_with("sses")
            || w.ends_with("shes")
            || w.ends_with("ches")
            || w.ends_with("xes")
            || w.ends_with("zzes")
        {
            return self.choose(Class::Noun, &[cut(2), cut(1)], 0);
        }
        if w.ends_with("oes") || w.ends_with("ses") || w.ends_with("zes") {
            let d = if w.ends_with("oes") { 0 } else { 1 };
            return self.choose(Class::Noun, &[cut(2), cut(1)], d);
        }
        cut(1)
    }

    fn verb_s(&self, w: &str) -> String {
        if w.len() < 3 || !w.ends_with('s') || w.ends_with("ss") {
            return w.to_string();
        }
        let cut = |n: usize| w[..w.len() - n].to_string();
        if w.ends_with("ies") && w.len() > 4 {
            return self.choose(Class::Verb, &[cut(3) + "y", cut(1)], 0);
        }
        if w.ends_with("sses")
            || w.ends_with("shes")
            || w.ends_with("ches")
            || w.ends_with("xes")
            || w.ends_with("zzes")
        {
            return self.choose(Class::Verb, &[cut(2), cut(1)], 0);
        }
        if w.ends_with("oes") {
            return self.choose(Class::Verb, &[cut(2), cut(1)], 0);
        }
        cut(1)
    }

    fn verb_ed(&self, w: &str) -> String {
        if w.len() < 4 || !w.ends_with("ed") {
            // "put", "cut", "let": already the base.
            return w.to_string();
        }
        let s = &w[..w.len() - 2];
        if w.ends_with("ied") && w.len() > 4 {
            return self.choose(
                Class::Verb,
                &[
                    s[..s.len() - 1].to_string() + "y",
                    w[..w.len() - 1].to_string(),
                ],
                0,
            );
        }
        if w.ends_with("eed") {
            return self.choose(
                Class::Verb,
                &[w[..w.len() - 1].to_string(), s.to_string()],
                0,
            );
        }
        self.stem_candidates(Class::Verb, s)
    }

    fn verb_ing(&self, w: &str) -> String {
        if w.len() < 5 || !w.ends_with("ing") {
            return w.to_string();
        }
        let s = &w[..w.len() - 3];
        if s.ends_with('y') && s.len() <= 2 {
            // "dying", "lying", "tying".
            return self.choose(
                Class::Verb,
                &[s[..s.len() - 1].to_string() + "ie", s.to_string()],
                0,
            );
        }
        self.stem_candidates(Class::Verb, s)
    }

    fn adj_suffix(&self, w: &str, suffix: &str) -> String {
        if w.len() < suffix.len() + 3 || !w.ends_with(suffix) {
            return w.to_string();
        }
        let s = &w[..w.len() - suffix.len()];
        if let Some(stem) = s.strip_suffix('i') {
            return self.choose(Class::Adj, &[stem.to_string() + "y", s.to_string()], 0);
        }
        self.stem_candidates(Class::Adj, s)
    }

    /// Base of a stem left by removing "-ed", "-ing", "-er" or "-est":
    /// undoubles a final consonant ("stopp" → "stop") or restores a silent
    /// "e" ("hop" → "hope"), checking the vocabulary first.
    fn stem_candidates(&self, class: Class, s: &str) -> String {
        let b = s.as_bytes();
        let n = b.len();
        if n >= 2 && b[n - 1] == b[n - 2] && is_consonant(b[n - 1]) {
            let single = s[..n - 1].to_string();
            let keep_double = matches!(b[n - 1], b'l' | b's' | b'f' | b'z');
            return self.choose(
                class,
                &[single, s.to_string()],
                if keep_double { 1 } else { 0 },
            );
        }
        let with_e = format!("{s}e");
        let d = if needs_e(s) { 0 } else { 1 };
        self.choose(class, &[with_e, s.to_string()], d)
    }

    /// Learns the vocabulary and the exceptions from training words and
    /// returns the text of a learned-data file (header included). Only the
    /// irregular table of `self` is used.
    pub fn learn(&self, words: &[TrainWord], header: &str) -> String {
        let mut vocab: HashSet<(Class, String)> = HashSet::new();
        for (_, upos, _, lemma) in words {
            let class = match upos {
                Upos::Verb | Upos::Aux => Class::Verb,
                Upos::Noun => Class::Noun,
                Upos::Adj | Upos::Adv => Class::Adj,
                _ => continue,
            };
            if lemma.len() >= 2 && lemma.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                vocab.insert((class, lemma.clone()));
            }
        }
        let mut bits: HashMap<String, u8> = HashMap::new();
        for (c, l) in &vocab {
            *bits.entry(l.clone()).or_default() |= c.bit();
        }
        let base = Lemmatizer {
            irregular: self.irregular.clone(),
            vocab: bits,
            exceptions: HashMap::new(),
        };
        let mut counts: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        let mut sample: HashMap<(String, String), (String, Upos)> = HashMap::new();
        for (form, upos, xpos, lemma) in words {
            if lemma == "_" || form.contains('\t') || lemma.contains('\t') {
                continue;
            }
            let k = (key_form(form, *upos), xpos.clone());
            *counts
                .entry(k.clone())
                .or_default()
                .entry(lemma.clone())
                .or_default() += 1;
            sample.entry(k).or_insert((form.clone(), *upos));
        }
        let mut exceptions: Vec<(String, String, String)> = Vec::new();
        for (k, lemmas) in &counts {
            let total: usize = lemmas.values().sum();
            let Some((best, &c)) = lemmas
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            else {
                continue;
            };
            let Some((form, upos)) = sample.get(k) else {
                continue;
            };
            if c * 2 <= total {
                continue;
            }
            // The rule output for every casing seen shares the key; test the sample.
            if base.rules(form, *upos, &k.1) != *best {
                exceptions.push((k.0.clone(), k.1.clone(), best.clone()));
            }
        }
        exceptions.sort();
        let mut vocab: Vec<(Class, String)> = vocab.into_iter().collect();
        vocab.sort_by(|a, b| a.0.letter().cmp(b.0.letter()).then_with(|| a.1.cmp(&b.1)));
        let mut out = String::from(header);
        for (c, l) in vocab {
            out.push_str(c.letter());
            out.push('\t');
            out.push_str(&l);
            out.push('\n');
        }
        for (f, x, l) in exceptions {
            out.push_str(&format!("X\t{f}\t{x}\t{l}\n"));
        }
        out
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn is_consonant(c: u8) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// Whether a stem needs its silent "e" back ("creat" → "create",
/// "produc" → "produce", "hop" → "hope"), for stems not in the vocabulary.
fn needs_e(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    if n < 2 {
        return false;
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    // Last two characters when both are ASCII (else no rule below applies).
    let tail = s.get(n - 2..).unwrap_or("");
    if matches!(last, b'v' | b'c') || (last == b'z' && prev != b'z') {
        return true;
    }
    if matches!(
        tail,
        "dg" | "rg"
            | "lv"
            | "rv"
            | "rs"
            | "ns"
            | "ps"
            | "ls"
            | "bl"
            | "cl"
            | "dl"
            | "fl"
            | "gl"
            | "kl"
            | "pl"
            | "tl"
            | "zl"
            | "th"
    ) {
        return true;
    }
    // "at" after a consonant: "created", "stated".
    if s.ends_with("at") && n >= 3 && is_consonant(b[n - 3]) {
        return true;
    }
    // Consonant-vowel-consonant with a single vowel: "hop", "us", "vot".
    if is_consonant(last)
        && !matches!(last, b'w' | b'x' | b'y')
        && is_vowel(prev)
        && (n == 2 || !is_vowel(b[n - 3]))
    {
        // Unstressed final syllables take no "e": "opened", "visited", "offered".
        let unstressed = [
            "er", "en", "on", "el", "it", "et", "al", "ol", "om", "um", "or", "ic", "ip", "ap",
            "em", "ad",
        ];
        return n <= 3 || !unstressed.contains(&tail);
    }
    false
}

/// EWT writes the lemma of a capitalised name in title case
/// ("WASHINGTON" → "Washington") but keeps acronyms ("FBI", "MSNBC"):
/// all-capital words of five letters or more with two vowels or more.
fn propn_case(w: String) -> String {
    let letters = w.chars().count();
    let all_caps = w.chars().all(|c| c.is_ascii_uppercase());
    let vowels = w
        .chars()
        .filter(|c| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U'))
        .count();
    if all_caps && letters >= 5 && vowels >= 2 {
        let lower = w.to_ascii_lowercase();
        return w[..1].to_string() + &lower[1..];
    }
    w
}

fn default_xpos(upos: Upos) -> &'static str {
    match upos {
        Upos::Noun => "NN",
        Upos::Verb | Upos::Aux => "VB",
        Upos::Adj => "JJ",
        Upos::Adv => "RB",
        _ => "",
    }
}

/// Lemma of `word` given its UPOS and Penn tag, with the built-in tables:
/// lowercase, except proper nouns (case kept) and "I".
pub fn lemmatize(word: &str, upos: Upos, xpos: &str) -> String {
    Lemmatizer::builtin().lemmatize(word, upos, xpos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        let l = Lemmatizer::from_data(IRREGULAR, LEARNED).expect("data");
        assert!(l.irregular.values().map(Vec::len).sum::<usize>() > 200);
        assert!(l.known(Class::Verb, "attack") && !l.known(Class::Verb, "zzzq"));
        assert!(Lemmatizer::from_data("Q\tx\ty", "").is_err());
        assert!(Lemmatizer::from_data("V\tgo", "").is_err());
        assert!(Lemmatizer::from_data("", "X\ta").is_err());
    }

    #[test]
    fn authored_irregular_forms_win_over_learned_exceptions() {
        let l = Lemmatizer::from_data(
            "V\tflee\tfled\nV\thave\t'd",
            "V\twould\nX\tfled\tVBD\tflead\nX\t'd\tMD\twould",
        )
        .expect("data");
        assert_eq!(l.lemmatize("fled", Upos::Verb, "VBD"), "flee");
        assert_eq!(l.lemmatize("'d", Upos::Aux, "MD"), "would");
    }

    #[test]
    fn rules_without_data() {
        let l = Lemmatizer::from_data(IRREGULAR, "").expect("data");
        let v = |w: &str, x: &str| l.lemmatize(w, Upos::Verb, x);
        assert_eq!(v("attacked", "VBD"), "attack");
        assert_eq!(v("debated", "VBN"), "debate");
        assert_eq!(v("treated", "VBN"), "treat");
        assert_eq!(v("stopped", "VBD"), "stop");
        assert_eq!(v("tried", "VBD"), "try");
        assert_eq!(v("hoped", "VBD"), "hope");
        assert_eq!(v("opened", "VBD"), "open");
        assert_eq!(v("produced", "VBD"), "produce");
        assert_eq!(v("went", "VBD"), "go");
        assert_eq!(v("vowed", "VBD"), "vow");
        assert_eq!(v("says", "VBZ"), "say");
        assert_eq!(v("watches", "VBZ"), "watch");
        assert_eq!(v("severing", "VBG"), "sever");
        assert_eq!(v("making", "VBG"), "make");
        assert_eq!(v("running", "VBG"), "run");
        assert_eq!(v("is", "VBZ"), "be");
        let n = |w: &str| l.lemmatize(w, Upos::Noun, "NNS");
        assert_eq!(n("countries"), "country");
        assert_eq!(n("ties"), "tie");
        assert_eq!(n("churches"), "church");
        assert_eq!(n("children"), "child");
        assert_eq!(n("talks"), "talk");
        assert_eq!(n("Forces"), "force");
        assert_eq!(l.lemmatize("bigger", Upos::Adj, "JJR"), "big");
        assert_eq!(l.lemmatize("easiest", Upos::Adj, "JJS"), "easy");
        assert_eq!(l.lemmatize("Arnor", Upos::Propn, "NNP"), "Arnor");
        assert_eq!(l.lemmatize("WASHINGTON", Upos::Propn, "NNP"), "Washington");
        assert_eq!(l.lemmatize("MSNBC", Upos::Propn, "NNP"), "MSNBC");
        assert_eq!(l.lemmatize("FBI", Upos::Propn, "NNP"), "FBI");
        assert_eq!(l.lemmatize("Americans", Upos::Propn, "NNPS"), "American");
        assert_eq!(l.lemmatize("The", Upos::Det, "DT"), "the");
        assert_eq!(l.lemmatize("1,200", Upos::Num, "CD"), "1,200");
    }

    #[test]
    fn builtin_uses_learned_exceptions() {
        assert_eq!(lemmatize("n't", Upos::Part, "RB"), "not");
        assert_eq!(lemmatize("me", Upos::Pron, "PRP"), "I");
        assert_eq!(lemmatize("'s", Upos::Aux, "VBZ"), "be");
        assert_eq!(lemmatize("sought", Upos::Verb, "VBD"), "seek");
        // A stem known only in another class still beats a non-word.
        assert_eq!(lemmatize("upgrading", Upos::Verb, "VBG"), "upgrade");
    }
}
