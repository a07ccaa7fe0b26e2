//! Typed counts of people (killed, wounded, kidnapped, arrested, displaced,
//! missing, protesting).
//!
//! A **quantity** is a number expression ("1,200", "three", "twenty-five",
//! "a dozen", "dozens of", "hundreds", "1.5 million") with an optional
//! qualifier before it ("at least", "more than" …), or a single person ("a
//! man", "the victim", "he", "John Smith, 25,") which counts 1. Its counted
//! noun phrase follows the number ("12 Israeli soldiers", "dozens of
//! civilians"); quantities of units and times ("5 years", "3 shots") are
//! ignored, as are ages ("5-year-old", "Janet Wilson, 31,", "aged 25",
//! "under the age of 12"), children ("a mother of three"), clock times,
//! dates and years.
//!
//! A quantity is typed by, in order:
//! 1. a predicate trigger (`data/count_triggers.tsv`, role `v`) whose
//!    subject or object it is in the dependency parse;
//! 2. a predicate trigger right after its noun phrase, skipping auxiliaries
//!    and hedges ("34 of whom are presumed dead", "5 people were killed");
//! 3. an active trigger verb right before it ("killing at least 12 people");
//!    `death toll … to N` counts as KILL;
//! 4. a counted-noun trigger (role `n`) as its head ("200 refugees").
//!
//! Single persons (a determiner phrase, a name of two words or more, a
//! surname as passive subject, "another was injured") are only counted
//! through 1–2. Being taken to a hospital counts like "shot"; triggers in
//! the bare infinitive or imperative ("threatened to kill") or after a
//! near-miss adverb ("possibly killing") are no events. The generic
//! gunshot or stab triggers ("was shot") count as WOUND with `generic =
//! true`, and as KILL when "fatally", "dead", "to death" or "and killed"
//! qualify them, or when the phrase's own predicate says the person died
//! ("a man who was found dead … was shot").

use crate::calendar::{is_month, is_weekday};
use crate::lexicon::triggers;
use crate::view::View;
use crate::{Count, CountKind};
use petrel_doc::{Doc, Upos};

const UNITS: &[&str] = &[
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "week",
    "time",
    "percent",
    "per",
    "dollar",
    "cent",
    "mile",
    "foot",
    "feet",
    "inch",
    "meter",
    "metre",
    "kilometer",
    "kilometre",
    "round",
    "shot",
    "bullet",
    "gun",
    "handgun",
    "shotgun",
    "firearm",
    "revolver",
    "magazine",
    "casing",
    "weapon",
    "rifle",
    "pistol",
    "car",
    "vehicle",
    "home",
    "house",
    "building",
    "block",
    "ton",
    "tonne",
    "pound",
    "kilogram",
    "kg",
    "point",
    "vote",
    "seat",
    "count",
    "charge",
    "million",
    "billion",
    "a.m.",
    "p.m.",
    "am",
    "pm",
    "o'clock",
    "%",
    "$",
    "degree",
    "page",
    "story",
    "floor",
    "grade",
    "mph",
    "caliber",
    "calibre",
    "mm",
    "case",
    "incident",
    "shooting",
    "attack",
    "bomb",
    "rocket",
    "missile",
    "village",
    "town",
    "city",
    "country",
    "state",
    "county",
    "district",
    "km",
    "acre",
    "euro",
    "yen",
    "pound",
    "rupee",
    "share",
    "barrel",
    "gallon",
    "litre",
    "liter",
];

const PERSON_NOUNS: &[&str] = &[
    "man",
    "woman",
    "boy",
    "girl",
    "child",
    "kid",
    "teen",
    "teenager",
    "person",
    "victim",
    "resident",
    "officer",
    "soldier",
    "student",
    "driver",
    "passenger",
    "worker",
    "mother",
    "father",
    "son",
    "daughter",
    "baby",
    "infant",
    "toddler",
    "suspect",
    "gunman",
    "bystander",
    "civilian",
    "journalist",
    "reporter",
    "policeman",
    "policewoman",
    "guard",
    "pedestrian",
    "motorist",
    "relative",
    "brother",
    "sister",
    "wife",
    "husband",
    "friend",
    "neighbor",
    "neighbour",
    "customer",
    "employee",
    "clerk",
    "owner",
    "youth",
    "adult",
    "juvenile",
    "male",
    "female",
    "individual",
    "cop",
    "deputy",
    "trooper",
    "agent",
    "shooter",
    "assailant",
    "attacker",
    "robber",
    "teacher",
    "pupil",
    "patient",
    "doctor",
    "nurse",
    "tourist",
    "hostage",
    "protester",
    "demonstrator",
    "refugee",
    "fighter",
    "militant",
    "rebel",
    "policeman",
    "cyclist",
    "girlfriend",
    "boyfriend",
    "grandmother",
    "grandfather",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "security",
    "inmate",
    "prisoner",
];

/// Tokens skipped between a counted noun phrase and its predicate trigger.
const SKIP_RIGHT: &[&str] = &[
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "be",
    "being",
    "reportedly",
    "also",
    "later",
    "all",
    "presumed",
    "believed",
    "feared",
    "reported",
    "confirmed",
    "now",
    "still",
    "remain",
    "remained",
    "remains",
    "who",
    "that",
    "of",
    "whom",
    "them",
    "those",
    "seriously",
    "critically",
    "slightly",
    "fatally",
    "mortally",
    "badly",
    "allegedly",
    "taken",
    "held",
    "people",
    "persons",
    "apparently",
    "initially",
    "got",
    "get",
    "gets",
    "found",
    "pronounced",
    "left",
    "lay",
    "laying",
    "lying",
    "each",
    "both",
    "either",
    "and",
    "subsequently",
];

fn word_number(w: &str) -> Option<u64> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn multiplier(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        _ => return None,
    })
}

/// Parse a digit token ("1,200", "12", "1.5"); `None` for anything else.
fn digits(t: &str) -> Option<f64> {
    if t.is_empty() || !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    if t.contains(',') {
        // Thousands separators must group by three.
        let mut parts = t.split(',');
        let first = parts.next()?;
        if first.is_empty() || first.len() > 3 || parts.clone().any(|p| p.len() != 3) {
            return None;
        }
    }
    t.replace(',', "").parse().ok()
}

/// A number expression at tokens `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Number {
    value: u64,
    start: usize,
    end: usize,
    approx: bool,
}

fn number_at(v: &View, i: usize) -> Option<Number> {
    let w = v.lower(i);
    let vague = |value: u64, end: usize| {
        Some(Number {
            value,
            start: i,
            end,
            approx: true,
        })
    };
    match w {
        "dozens" => return vague(24, i + 1),
        "scores" if v.lower(i + 1) == "of" => return vague(40, i + 1),
        "hundreds" if v.lower(i + 1) == "of" && v.lower(i + 2) == "thousands" => {
            return vague(200_000, i + 3)
        }
        "hundreds" => return vague(200, i + 1),
        "tens" if v.lower(i + 1) == "of" && v.lower(i + 2) == "thousands" => {
            return vague(20_000, i + 3)
        }
        "thousands" => return vague(2_000, i + 1),
        "millions" => return vague(2_000_000, i + 1),
        "dozen" if i > 0 && matches!(v.lower(i - 1), "a" | "one") => {
            return Some(Number {
                value: 12,
                start: i - 1,
                end: i + 1,
                approx: false,
            })
        }
        _ => {}
    }
    let (mut value, mut end) = if let Some(x) = digits(w) {
        (x, i + 1)
    } else if let Some(x) = word_number(w) {
        let mut x = x;
        let mut e = i + 1;
        // twenty-five / twenty five
        if x >= 20 && x % 10 == 0 {
            let k = if v.text(e) == "-" { e + 1 } else { e };
            if let Some(u) = word_number(v.lower(k)).filter(|&u| u < 10) {
                x += u;
                e = k + 1;
            }
        }
        (x as f64, e)
    } else if w == "a" && v.lower(i + 1) == "hundred" {
        (1.0, i + 1)
    } else {
        return None;
    };
    // "two hundred", "1.5 million", "three thousand"
    while let Some(m) = multiplier(v.lower(end)) {
        value *= m as f64;
        end += 1;
    }
    if value.fract() != 0.0 || !(0.0..1e12).contains(&value) {
        return None;
    }
    Some(Number {
        value: value as u64,
        start: i,
        end,
        approx: false,
    })
}

/// Numbers that are not counts: ages, clock times, dates, years.
fn not_a_count(v: &View, n: &Number) -> bool {
    let next = v.text(n.end);
    if next == "-" || next == ":" || next == "/" || next == "%" {
        return true;
    }
    if n.start > 0 {
        let prev = v.lower(n.start - 1).trim_end_matches('.');
        if is_month(prev)
            || matches!(
                prev,
                "$" | "no" | "number" | "page" | "route" | "interstate" | "highway"
            )
        {
            return true;
        }
        if matches!(v.text(n.start - 1), "-" | "/" | ":") {
            return true;
        }
    }
    if (1900..=2100).contains(&n.value) && !v.text(n.start).contains(',') && n.end == n.start + 1 {
        return true;
    }
    if n.start >= 2 {
        let prev = v.lower(n.start - 1);
        let prev2 = v.lower(n.start - 2);
        // "aged 25", "ages 19 and 24", "under the age of 12"
        if matches!(prev, "aged" | "ages" | "age") || (prev == "of" && prev2 == "age") {
            return true;
        }
        // "a mother of three", "father of two": children, not victims.
        if prev == "of" && KIN.contains(&prev2) {
            return true;
        }
        // An age in apposition: "Janet Wilson, 31, died", "Boy, 7, killed".
        let named = v.upos(n.start - 2) == Upos::Propn || singular_noun(v, n.start - 2);
        let closed = matches!(v.text(n.end), "," | ")" | "" | "-" | ";")
            || v.sentence_range(n.start).1 == n.end;
        if prev == "," && named && closed && n.end == n.start + 1 && n.value < 120 {
            return true;
        }
    }
    false
}

/// Kinship nouns: "mother of three" gives the number of children.
const KIN: &[&str] = &[
    "mother",
    "father",
    "parent",
    "mom",
    "dad",
    "grandmother",
    "grandfather",
    "grandparent",
];

fn qualifier(v: &View, start: usize) -> (Option<&'static str>, usize) {
    let w = |k: usize| if k < v.len() { v.lower(k) } else { "" };
    if start >= 2 {
        let two = (w(start - 2), w(start - 1));
        let q = match two {
            ("at", "least") => Some("at least"),
            ("at", "most") => Some("at most"),
            ("more", "than") => Some("more than"),
            ("less", "than") | ("fewer", "than") => Some("less than"),
            ("up", "to") => Some("up to"),
            ("as", "many") => None,
            ("close", "to") => Some("about"),
            ("upwards", "of") => Some("more than"),
            ("an", "estimated") => Some("about"),
            _ => None,
        };
        if let Some(q) = q {
            return (Some(q), start - 2);
        }
    }
    if start >= 3 && w(start - 3) == "as" && w(start - 2) == "many" && w(start - 1) == "as" {
        return (Some("up to"), start - 3);
    }
    if start >= 1 {
        let q = match w(start - 1) {
            "over" => Some("more than"),
            "about" | "around" | "approximately" | "roughly" | "some" | "nearly" | "almost"
            | "under" => Some(match w(start - 1) {
                "nearly" | "almost" => "nearly",
                "under" => "less than",
                _ => "about",
            }),
            _ => None,
        };
        if let Some(q) = q {
            return (Some(q), start - 1);
        }
    }
    (None, start)
}

fn trigger_of(
    v: &View,
    i: usize,
    map: &std::collections::HashMap<String, CountKind>,
) -> Option<CountKind> {
    if i >= v.len() {
        return None;
    }
    // "shots were fired": the plural noun is no shooting of people.
    if v.lower(i) == "shots" {
        return None;
    }
    map.get(v.lower(i)).or_else(|| map.get(v.lemma(i))).copied()
}

fn is_generic(v: &View, i: usize) -> bool {
    matches!(v.lemma(i), "shoot" | "stab") || matches!(v.lower(i), "shot" | "stabbed")
}

/// Refine a generic shot/stab trigger at `t` into KILL when qualified.
fn refine(v: &View, t: usize, kind: CountKind, from: usize) -> (CountKind, bool) {
    if !is_generic(v, t) {
        if kind == CountKind::Wound
            && (from..t).any(|k| matches!(v.lower(k), "fatally" | "mortally"))
        {
            return (CountKind::Kill, false);
        }
        return (kind, false);
    }
    let fatal_before = (from..t).any(|k| matches!(v.lower(k), "fatally" | "mortally"));
    let w1 = v.lower(t + 1);
    let w2 = v.lower(t + 2);
    let w3 = v.lower(t + 3);
    // "shot at a party dies", "shot Sunday, died Monday": a death verb
    // later in the same clause.
    let dies_later = (t + 1..(t + 7).min(v.len()))
        .take_while(|&k| {
            !matches!(v.text(k), "." | ";" | ":" | "?" | "!") && !v.text(k).contains('\n')
        })
        .take_while(|&k| v.upos(k) != Upos::Num)
        .any(|k| matches!(v.lower(k), "dies" | "died" | "killed" | "dead") && k > t + 1);
    let fatal_after = dies_later
        || matches!(w1, "dead" | "fatally")
        || (w1 == "to" && w2 == "death")
        || (w1 == "and" && (matches!(w2, "killed" | "died") || matches!(w3, "killed" | "died")));
    if fatal_before || fatal_after {
        (CountKind::Kill, false)
    } else {
        (kind, true)
    }
}

/// Predicate trigger right after token `e` (the end of the counted phrase).
fn right_trigger(v: &View, e: usize, send: usize) -> Option<(usize, CountKind, bool)> {
    let preds = &triggers().predicate;
    let mut k = e + 1;
    let mut skipped = 0;
    let from = k;
    // Apposition without a verb: ", 25," / ", a 67-year-old man,"; but
    // ", died Monday" is the predicate itself.
    if v.text(k) == "," && trigger_of(v, k + 1, preds).is_none() {
        let close = (k + 1..(k + 12).min(send))
            .take_while(|&j| v.upos(j) != Upos::Verb && v.upos(j) != Upos::Aux)
            .find(|&j| v.text(j) == ",");
        if let Some(close) = close {
            k = close + 1;
        }
    } else if v.text(k) == "," {
        k += 1;
    }
    while k < send && skipped <= 5 {
        let w = v.lower(k);
        // "in critical condition", "with a gunshot wound", "critical after"
        let condition = w == "in"
            && matches!(
                v.lower(k + 1),
                "critical" | "serious" | "stable" | "grave" | "fair"
            )
            && v.lower(k + 2) == "condition";
        let with_wound = w == "with"
            && (k + 1..(k + 5).min(send)).any(|j| {
                matches!(v.lower(j), "wound" | "wounds" | "injuries" | "injury")
                    && (v.lower(j) != "wound" || v.lower(j - 1) == "gunshot")
            });
        let critical = w == "critical" && v.lower(k + 1) != "of";
        // "suffered a gunshot wound", "sustained fatal injuries"
        // "pistol-whipped": hurt with a gun, not shot.
        if w == "pistol" && v.text(k + 1) == "-" && v.lower(k + 2).starts_with("whip") {
            return Some((k + 2, CountKind::Wound, false));
        }
        if w.starts_with("suffer") || w.starts_with("sustain") || w.starts_with("receiv") {
            let obj = (k + 1..(k + 9).min(send)).find(|&j| {
                matches!(
                    v.lower(j),
                    "wound"
                        | "wounds"
                        | "injuries"
                        | "injury"
                        | "cut"
                        | "cuts"
                        | "laceration"
                        | "lacerations"
                )
            });
            if let Some(j) = obj {
                let fatal = (k + 1..j).any(|x| matches!(v.lower(x), "fatal" | "mortal" | "deadly"));
                return Some(if fatal {
                    (j, CountKind::Kill, false)
                } else {
                    (j, CountKind::Wound, true)
                });
            }
        }
        if condition || critical {
            return Some((k, CountKind::Wound, false));
        }
        if let Some(found) = to_hospital(v, k, send) {
            return Some(found);
        }
        if with_wound {
            // Like "shot": the wounded may have died.
            return Some((k, CountKind::Wound, true));
        }
        if let Some(kind) = trigger_of(v, k, preds) {
            if unrealised(v, k) {
                return None;
            }
            if active_transitive(v, k, from) {
                // "Smith shot twice at the house": the phrase is the shooter.
                return None;
            }
            let (kind, generic) = refine(v, k, kind, from);
            return Some((k, kind, generic));
        }
        if SKIP_RIGHT.contains(&w) || v.upos(k) == Upos::Adv || v.upos(k) == Upos::Aux {
            k += 1;
            skipped += 1;
            continue;
        }
        break;
    }
    None
}

/// Whether the trigger verb at `t` names no event that happened: a bare
/// infinitive or imperative ("threatened to kill", "go ahead and kill him",
/// "Shoot him"), or a near miss ("came within inches of possibly killing",
/// "nearly killed").
fn unrealised(v: &View, t: usize) -> bool {
    let hedge = t > 0
        && matches!(
            v.lower(t - 1),
            "possibly" | "nearly" | "almost" | "narrowly"
        );
    // A base form ("threatened to kill", "could shoot"). A verb tagged VB
    // with its own subject and no auxiliary or marker ("an officer fatally
    // shot a man") is a mis-tagged past tense, not an infinitive.
    let base_form = v.xpos(t) == "VB" && v.upos(t) == Upos::Verb;
    hedge || base_form && !mistagged_past(v, t)
}

/// A verb tagged VB with its own subject and no auxiliary or marker ("an
/// officer fatally shot a man"): a past tense the tagger read as a base form.
fn mistagged_past(v: &View, t: usize) -> bool {
    v.xpos(t) == "VB"
        && v.children(t)
            .iter()
            .any(|&c| v.deprel(c).starts_with("nsubj"))
        && !v
            .children(t)
            .iter()
            .any(|&c| matches!(v.rel(c), "aux" | "mark"))
}

/// "taken to the hospital", "transported to a local hospital", "went to
/// Harlem Hospital on his own": someone hurt, like "shot" (they may have
/// died: KILL when a death word follows in the clause).
fn to_hospital(v: &View, k: usize, send: usize) -> Option<(usize, CountKind, bool)> {
    if !matches!(
        v.lower(k),
        "taken"
            | "transported"
            | "rushed"
            | "brought"
            | "flown"
            | "airlifted"
            | "driven"
            | "went"
            | "admitted"
            | "sent"
    ) || !matches!(v.lower(k + 1), "to" | "into")
    {
        return None;
    }
    let clause_end = (k + 1..send)
        .find(|&j| matches!(v.text(j), "." | ";" | "?" | "!") || v.text(j).contains('\n'))
        .unwrap_or(send);
    let hospital = (k + 2..(k + 7).min(clause_end))
        .find(|&j| matches!(v.lemma(j), "hospital" | "hospitals") || v.lower(j) == "hospital")?;
    let died = (hospital + 1..clause_end)
        .any(|j| matches!(v.lower(j), "died" | "dies" | "dead" | "succumbed"));
    Some(if died {
        (hospital, CountKind::Kill, false)
    } else {
        (hospital, CountKind::Wound, true)
    })
}

/// A generic "shot" found through the parse, but the phrase's own
/// predicate says the person died: "a man who was found dead in a ditch
/// was shot several times" counts as killed.
fn prefer_death(
    v: &View,
    found: (usize, CountKind, bool),
    e: usize,
    send: usize,
) -> (usize, CountKind, bool) {
    if found.1 != CountKind::Wound || !found.2 {
        return found;
    }
    match right_trigger(v, e, send) {
        Some(r) if r.1 == CountKind::Kill && r.0 != found.0 => r,
        _ => found,
    }
}

/// Trigger verbs whose active subject is the perpetrator.
const TRANSITIVE: &[&str] = &[
    "kill",
    "shoot",
    "wound",
    "injure",
    "hurt",
    "stab",
    "murder",
    "slay",
    "execute",
    "behead",
    "massacre",
    "assassinate",
    "kidnap",
    "abduct",
    "arrest",
    "detain",
    "apprehend",
    "jail",
    "imprison",
    "evacuate",
    "displace",
    "hospitalize",
    "hospitalise",
];

/// Whether the trigger verb at `t` is used actively with an object or
/// target (`shot at`, `killed his wife`) and no passive auxiliary stands
/// between the phrase (ending before `from`) and the verb: then the phrase
/// is the agent, not the victim. Reflexives (`shot himself`) are victims.
fn active_transitive(v: &View, t: usize, from: usize) -> bool {
    // Coordinated verbs share the agent: "the officer (also) shot and killed
    // a neighbor" (the object belongs to the second verb; the tagger often
    // reads the first "shot" as a participle).
    if (matches!(v.xpos(t), "VBD" | "VBN") && TRANSITIVE.contains(&v.lemma(t))
        || v.lower(t) == "shot")
        && v.lower(t + 1) == "and"
        && t + 2 < v.len()
        && active_transitive(v, t + 2, from)
    {
        return true;
    }
    // "troopers who shot DeGroat": a participle tag right after a relative
    // pronoun is a past tense.
    let relative = t > 0 && matches!(v.lower(t - 1), "who" | "that");
    if !(matches!(v.xpos(t), "VBD" | "VBZ" | "VBP" | "VBG")
        || relative && v.xpos(t) == "VBN"
        || mistagged_past(v, t))
        || !(TRANSITIVE.contains(&v.lemma(t))
            || mistagged_past(v, t)
                && TRANSITIVE
                    .contains(&petrel_text::lemmatize(v.lower(t), Upos::Verb, "VBD").as_str()))
    {
        return false;
    }
    let passive = (from..t).any(|k| {
        matches!(
            v.lower(k),
            "was" | "were" | "been" | "being" | "is" | "are" | "got" | "get" | "gets" | "be"
        )
    });
    if passive {
        return false;
    }
    let next = v.lower(t + 1);
    if matches!(next, "himself" | "herself" | "themselves" | "itself") {
        return false;
    }
    let named_object = v.upos(t + 1) == Upos::Propn && !is_weekday(next) && !is_month(next);
    named_object
        || matches!(
            next,
            "at" | "twice" | "him" | "her" | "them" | "his" | "a" | "an" | "the" | "into" | "their"
        )
        || v.children(t)
            .iter()
            .any(|&c| v.rel(c) == "obj" && !v.lower(c).ends_with("self"))
}

/// Active trigger verb right before the quantity (`killing at least 12`).
fn left_trigger(v: &View, qstart: usize, sstart: usize) -> Option<(usize, CountKind, bool)> {
    let preds = &triggers().predicate;
    let k = qstart.checked_sub(1)?;
    if k < sstart {
        return None;
    }
    if v.lower(k) == "to" && (sstart..k).any(|j| v.lemma(j) == "toll") {
        return Some((k, CountKind::Kill, false));
    }
    let w = v.lower(k);
    let active =
        w.ends_with("ing") || w.ends_with("ed") || matches!(w, "shot" | "slew" | "held" | "hurt");
    if !active {
        return None;
    }
    let kind = trigger_of(v, k, preds)?;
    if unrealised(v, k) {
        return None;
    }
    // "left 5 dead" style handled by the right window; passive "killed 5"
    // in headlines counts too.
    let (kind, generic) = refine(v, k, kind, k);
    Some((k, kind, generic))
}

/// Dependency link: the counted head is the subject or object of a trigger.
fn dep_trigger(v: &View, head: usize) -> Option<(usize, CountKind, bool)> {
    let preds = &triggers().predicate;
    let rel = v.deprel(head);
    if !matches!(rel, "nsubj" | "nsubj:pass" | "obj") {
        return None;
    }
    let h = v.head(head)?;
    let kind = trigger_of(v, h, preds)?;
    if unrealised(v, h) {
        return None;
    }
    // Only passive/intransitive subjects and objects are victims: the subject
    // of an active transitive trigger is the perpetrator ("gunmen killed 5").
    // "the officer shot and killed a neighbor": a coordinated transitive
    // trigger without its own subject shares it, and its object makes the
    // shared subject an agent (also when "shot" is mis-tagged as a noun).
    let conj_obj = (TRANSITIVE.contains(&v.lemma(h)) || v.lower(h) == "shot")
        && v.children(h).iter().any(|&c| {
            v.rel(c) == "conj"
                && v.upos(c) == Upos::Verb
                && TRANSITIVE.contains(&v.lemma(c))
                && v.children(c)
                    .iter()
                    .all(|&d| !v.deprel(d).starts_with("nsubj"))
                && v.children(c).iter().any(|&d| v.rel(d) == "obj")
        });
    if rel == "nsubj" && conj_obj {
        return None;
    }
    if rel == "nsubj" && v.xpos(h) != "JJ" && v.upos(h) == Upos::Verb {
        let has_obj = v.children(h).iter().any(|&c| v.rel(c) == "obj");
        let transitive_kill = matches!(
            v.lemma(h),
            "kill"
                | "wound"
                | "injure"
                | "kidnap"
                | "abduct"
                | "arrest"
                | "detain"
                | "shoot"
                | "murder"
                | "evacuate"
                | "displace"
        );
        if has_obj || transitive_kill {
            return None;
        }
    }
    // An object follows its verb: "fatally shot a 19-year-old" (the
    // qualifier stands right before the verb).
    let from = if head < h {
        head + 1
    } else {
        h.saturating_sub(2)
    };
    let (kind, generic) = refine(v, h, kind, from);
    Some((h, kind, generic))
}

/// The counted noun phrase after a number ending at `end`: (lo, head).
fn object_after(v: &View, end: usize, send: usize) -> Option<(usize, usize)> {
    let mut k = end;
    if v.lower(k) == "of" {
        k += 1;
        if matches!(
            v.lower(k),
            "the" | "them" | "whom" | "those" | "us" | "these"
        ) {
            if v.lower(k) != "the" {
                return None;
            }
            k += 1;
        }
    }
    let lo = k;
    let mut head = None;
    while k < send {
        match v.upos(k) {
            Upos::Noun | Upos::Propn => head = Some(k),
            Upos::Adj | Upos::Num => {}
            Upos::X if v.text(k).chars().all(char::is_alphabetic) => head = Some(k),
            _ => break,
        }
        if v.text(k).contains('\n') {
            break;
        }
        k += 1;
        if head.is_some() && !matches!(v.upos(k), Upos::Noun | Upos::Propn) {
            break;
        }
    }
    head.map(|h| (lo, h))
}

/// Whether token `i` starts a line (a headline glued to its body).
fn line_start(v: &View, i: usize) -> bool {
    let start = v.span(i).start as usize;
    let prev_end = if i == 0 {
        0
    } else {
        v.span(i - 1).end as usize
    };
    v.doc
        .text
        .get(prev_end.min(start)..start)
        .is_some_and(|gap| gap.contains('\n'))
}

fn singular_noun(v: &View, k: usize) -> bool {
    let l = v.lemma(k);
    let w = v.lower(k);
    PERSON_NOUNS.contains(&l) || PERSON_NOUNS.contains(&w)
}

/// All counts in the document, in text order.
pub fn counts(doc: &Doc) -> Vec<Count> {
    let v = View::new(doc);
    let nouns = &triggers().noun;
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let (sstart, send) = v.sentence_range(i);
        let sentence = v.sent_of.get(i).copied().unwrap_or(0);
        // --- numbers -------------------------------------------------------
        if let Some(n) = number_at(&v, i) {
            i = n.end.max(i + 1);
            if not_a_count(&v, &n) {
                continue;
            }
            let (q, qstart) = qualifier(&v, n.start);
            let qualifier = q
                .map(str::to_string)
                .or_else(|| n.approx.then(|| "approx".to_string()));
            let mut obj = object_after(&v, n.end, send);
            // "Three shot, one dead": a singular "shot" after a plural
            // number is the verb, not the unit ("3 shots").
            if obj.is_some_and(|(lo, h)| lo == h && v.lower(h) == "shot" && n.value != 1) {
                obj = None;
            }
            if let Some((_, h)) = obj {
                if UNITS.contains(&v.lemma(h)) || UNITS.contains(&v.lower(h)) {
                    continue;
                }
            }
            let head = obj.map(|(_, h)| h).unwrap_or(n.end - 1);
            // End of the counted phrase: object head, or "of whom/them".
            let mut e = head;
            if obj.is_none()
                && v.lower(n.end) == "of"
                && matches!(
                    v.lower(n.end + 1),
                    "whom" | "them" | "those" | "these" | "us"
                )
            {
                e = n.end + 1;
            }
            let found = dep_trigger(&v, head)
                .or_else(|| dep_trigger(&v, n.end - 1))
                .or_else(|| right_trigger(&v, e, send))
                .or_else(|| left_trigger(&v, qstart, sstart))
                .or_else(|| obj.and_then(|(_, h)| trigger_of(&v, h, nouns).map(|k| (h, k, false))))
                .or_else(|| {
                    // "the lives of 12", "claimed 12 lives"
                    obj.filter(|&(_, h)| v.lemma(h) == "life" || v.lower(h) == "lives")
                        .map(|(_, h)| (h, CountKind::Kill, false))
                });
            let found = found.map(|f| prefer_death(&v, f, e, send));
            if let Some((t, kind, generic)) = found {
                out.push(Count {
                    kind,
                    number: n.value,
                    qualifier,
                    span: v.cover(qstart, n.end - 1),
                    object: obj.map(|(lo, h)| v.cover(lo, h)),
                    sentence,
                    trigger: v.span(t),
                    generic,
                });
            }
            continue;
        }
        // --- single persons ----------------------------------------------
        let w = v.lower(i);
        let mut surname = false;
        let single = if matches!(
            w,
            "a" | "an" | "the" | "another" | "his" | "her" | "their" | "one"
        ) {
            // a 25-year-old man / the victim
            let mut k = i + 1;
            let mut head = None;
            while k < send && k < i + 8 {
                let t = v.lower(k);
                // The "year" of an age ("a 23-year-old") is not the head.
                let age_year = t == "year"
                    && (v.lower(k + 1) == "old"
                        || v.lower(k + 1) == "-" && v.lower(k + 2) == "old");
                if singular_noun(&v, k) && !v.xpos(k).ends_with('S') && !age_year {
                    head = Some(k);
                    if !singular_noun(&v, k + 1) {
                        break;
                    }
                } else if !(matches!(v.upos(k), Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn)
                    || matches!(t, "-" | "year" | "old"))
                {
                    break;
                }
                k += 1;
            }
            // "a 15-year-old with a gunshot wound": the age is the noun.
            let head = head.or_else(|| {
                (i + 1..k.min(send))
                    .rev()
                    .find(|&j| v.lower(j) == "old" && v.lower(j.saturating_sub(2)) == "year")
                    .filter(|&j| {
                        !singular_noun(&v, j + 1)
                            && !matches!(v.upos(j + 1), Upos::Noun | Upos::Propn)
                    })
            });
            // "a second was injured", "the other died"
            let head = head.or_else(|| {
                (matches!(v.lower(i + 1), "second" | "third" | "other" | "fourth")
                    && matches!(v.upos(i + 2), Upos::Aux | Upos::Verb))
                .then_some(i + 1)
            });
            // "one man was killed, another was injured"
            let head = head.or_else(|| {
                (w == "another" && matches!(v.upos(i + 1), Upos::Aux | Upos::Verb)).then_some(i)
            });
            head.map(|h| {
                let object = if h == i { v.span(i) } else { v.cover(i + 1, h) };
                (i, h, Some(object))
            })
        } else if matches!(w, "he" | "she") && matches!(v.rel(i), "nsubj" | "nsubj:pass" | "")
            || matches!(w, "him" | "her") && v.rel(i) == "obj"
        {
            Some((i, i, None))
        } else if i == sstart && singular_noun(&v, i) && !v.xpos(i).ends_with('S') {
            // Headline style: "Man shot, killed on west side".
            Some((i, i, Some(v.span(i))))
        } else if v.upos(i) == Upos::Propn
            && (i == sstart || v.upos(i - 1) != Upos::Propn || line_start(&v, i))
            && v.upos(i + 1) == Upos::Propn
        {
            // A personal name of two or more words.
            let mut h = i + 1;
            while v.upos(h + 1) == Upos::Propn && h + 1 < send && !line_start(&v, h + 1) {
                h += 1;
            }
            Some((i, h, Some(v.cover(i, h))))
        } else if v.upos(i) == Upos::Propn
            && v.xpos(i) == "NNP"
            && (i == sstart
                || !matches!(
                    v.upos(i - 1),
                    Upos::Propn | Upos::Num | Upos::Det | Upos::Adj
                ))
            && v.upos(i + 1) != Upos::Propn
            && (v.deprel(i) == "nsubj:pass"
                || v.rel(i) == "nsubj" && v.head(i).is_some_and(|h| v.lemma(h) == "die"))
        {
            // A surname as the passive subject: "Waldron was shot and
            // killed" (only KILL and WOUND, below).
            surname = true;
            Some((i, i, Some(v.span(i))))
        } else {
            None
        };
        // A fatal shooting, a shooting death, a murder: at least one killed.
        let fatal_event = (matches!(w, "fatal" | "deadly")
            && (i + 1..(i + 4).min(send))
                .take_while(|&k| !v.is_punct(k))
                .any(|k| matches!(v.lower(k), "shooting" | "stabbing")))
            || (w == "shooting" && matches!(v.lemma(i + 1), "death"))
            || (matches!(v.lemma(i), "murder" | "homicide")
                && v.upos(i) == Upos::Noun
                && !(i > 0 && matches!(v.lower(i - 1), "attempted" | "attempt")));
        // "double shooting" (two people shot), "triple homicide".
        let multiple = match w {
            "double" => Some(2),
            "triple" => Some(3),
            "quadruple" => Some(4),
            _ => None,
        }
        .and_then(|n| {
            let t = v.lemma(i + 1);
            match t {
                "shooting" | "stabbing" => Some((n, CountKind::Wound, true)),
                "homicide" | "murder" | "killing" => Some((n, CountKind::Kill, false)),
                _ => None,
            }
        });
        if let Some((number, kind, generic)) = multiple {
            out.push(Count {
                kind,
                number,
                qualifier: None,
                span: v.span(i),
                object: None,
                sentence,
                trigger: v.span(i + 1),
                generic,
            });
            i += 2;
            continue;
        }
        if fatal_event {
            // A murder-suicide: the victim and the killer died.
            let murder_suicide = v.lemma(i) == "murder"
                && (v.lower(i + 1) == "suicide"
                    || (v.text(i + 1) == "-" && v.lower(i + 2) == "suicide"));
            out.push(Count {
                kind: CountKind::Kill,
                number: if murder_suicide { 2 } else { 1 },
                qualifier: Some("at least".to_string()),
                span: v.span(i),
                object: None,
                sentence,
                trigger: v.cover(i, (i + 1).min(v.len().saturating_sub(1))),
                generic: false,
            });
            i += 1;
            continue;
        }
        if let Some((a, h, object)) = single {
            let body_of =
                a >= 2 && v.lower(a - 1) == "of" && matches!(v.lemma(a - 2), "body" | "remains");
            let found = dep_trigger(&v, h)
                .or_else(|| right_trigger(&v, h, send))
                .or_else(|| body_of.then(|| (a - 2, CountKind::Kill, false)));
            let found = found.map(|f| prefer_death(&v, f, h, send));
            // A single person fleeing or marching is no displacement or crowd.
            let found = found.filter(|f| !matches!(f.1, CountKind::Displaced | CountKind::Protest));
            let found =
                found.filter(|f| !surname || matches!(f.1, CountKind::Kill | CountKind::Wound));
            if let Some((t, kind, generic)) = found {
                out.push(Count {
                    kind,
                    number: 1,
                    qualifier: None,
                    span: v.cover(a, if object.is_some() { a } else { h }),
                    object,
                    sentence,
                    trigger: v.span(t),
                    generic,
                });
                i = h + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Per-article totals of killed and wounded, the aggregation used for GVDB:
/// `killed` = the largest KILL count (repeated mentions of the same victims
/// are not added up); `wounded` = the largest explicit WOUND count, or, when
/// larger, the largest generic "shot" count minus the killed (people shot =
/// killed + wounded).
pub fn casualty_totals(counts: &[Count]) -> (u64, u64) {
    let max = |f: &dyn Fn(&Count) -> bool| {
        counts
            .iter()
            .filter(|c| f(c))
            .map(|c| c.number)
            .max()
            .unwrap_or(0)
    };
    let killed = max(&|c| c.kind == CountKind::Kill);
    let explicit = max(&|c| c.kind == CountKind::Wound && !c.generic);
    let shot = max(&|c| c.kind == CountKind::Wound && c.generic);
    (killed, explicit.max(shot.saturating_sub(killed)))
}

/// Whether count `c` sits in a sentence about a period rather than an
/// incident: "this year" anywhere in it, or the count after a "since"
/// whose phrase names a year ("since 2007", "since the December 2012
/// rampage").
fn background(v: &View, c: &Count) -> bool {
    let k = v.token_at_or_after(c.span.start);
    if k >= v.len() {
        return false;
    }
    let (a, b) = v.sentence_range(k);
    let this_year = (a..b).any(|j| v.lower(j) == "this" && v.lower(j + 1) == "year");
    let is_year = |j: usize| {
        let t = v.text(j);
        t.len() == 4
            && t.chars().all(|ch| ch.is_ascii_digit())
            && t.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
    };
    let since_year = (a..k).any(|j| v.lower(j) == "since" && (j + 1..b).any(is_year));
    this_year || since_year
}

/// Determiners that introduce a new single victim ("a man", "another
/// man"), as opposed to a repeated mention ("the man", "he").
const NEW_REFERENT: &[&str] = &["a", "an", "one", "another"];

/// [`casualty_totals`], raised by the enumeration of single victims: the
/// number of single-person mentions introduced as new ("a 22-year-old man
/// and a 16-year-old boy were shot", "one man was shot … and a 29-year-old
/// man was shot") in one sentence, plus the "another …" mentions in later
/// sentences ("Another man was shot"). Counted per kind (killed; wounded,
/// where a generic "shot" counts minus the killed).
///
/// Background figures are left out: counts in a sentence about a period
/// ("… have been fatally shot this year", "the deadliest month since 2007,
/// when 28 were killed") are cumulative statistics, not this incident.
pub fn casualty_totals_in(doc: &Doc, counts: &[Count]) -> (u64, u64) {
    let v = View::new(doc);
    let counts: Vec<Count> = counts
        .iter()
        .filter(|c| !background(&v, c))
        .cloned()
        .collect();
    let counts = counts.as_slice();
    let (killed, wounded) = casualty_totals(counts);
    let enumerated = |want: &dyn Fn(&Count) -> bool| -> u64 {
        let mut per_sentence: std::collections::BTreeMap<usize, u64> = Default::default();
        let mut another: Vec<usize> = Vec::new();
        for c in counts
            .iter()
            .filter(|c| want(c) && c.number == 1 && c.object.is_some())
        {
            let det = doc.span_text(c.span).to_lowercase();
            // "one of two women": a share of a number, not a new victim.
            let of_number = c.object.is_some_and(|o| {
                doc.span_text(o)
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| word_number(w).is_some() || digits(w).is_some())
            });
            if !NEW_REFERENT.contains(&det.as_str()) || of_number {
                continue;
            }
            *per_sentence.entry(c.sentence).or_default() += 1;
            if det == "another" {
                another.push(c.sentence);
            }
        }
        let Some((&best_s, &best)) = per_sentence
            .iter()
            .max_by_key(|(s, n)| (**n, std::cmp::Reverse(**s)))
        else {
            return 0;
        };
        best + another.iter().filter(|&&s| s > best_s).count() as u64
    };
    let k = enumerated(&|c| c.kind == CountKind::Kill);
    let killed = killed.max(k);
    let explicit = enumerated(&|c| c.kind == CountKind::Wound && !c.generic);
    let shot = enumerated(&|c| c.kind == CountKind::Wound && c.generic);
    let wounded = wounded.max(explicit).max(shot.saturating_sub(killed));
    (killed, wounded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use petrel_doc::Span;

    #[test]
    fn digit_parsing() {
        assert_eq!(digits("1,200"), Some(1200.0));
        assert_eq!(digits("12"), Some(12.0));
        assert_eq!(digits("1.5"), Some(1.5));
        assert_eq!(digits("12,34"), None);
        assert_eq!(digits("12a"), None);
        assert_eq!(digits(""), None);
    }

    #[test]
    fn totals_aggregate_by_max() {
        let c = |kind, number, generic| Count {
            kind,
            number,
            qualifier: None,
            span: Span::default(),
            object: None,
            sentence: 0,
            trigger: Span::default(),
            generic,
        };
        let cs = vec![
            c(CountKind::Wound, 2, true),
            c(CountKind::Kill, 1, false),
            c(CountKind::Kill, 1, false),
        ];
        assert_eq!(casualty_totals(&cs), (1, 1));
        assert_eq!(casualty_totals(&[]), (0, 0));
    }
}
