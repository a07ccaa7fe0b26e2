//! Time expressions for Petrel: finds dates, times, durations and
//! frequencies in a [`Doc`] and normalises them to TIMEX3 values relative to
//! the publication date ([`Doc::published`]), so that every event can be
//! given a date ([`event_date`]).
//!
//! Resolution is news-safe: bare expressions resolve **backwards** ("on
//! Wednesday" is the latest Wednesday not after publication, "in early
//! November" the latest November) unless the clause reads as future ("will
//! meet on Friday"); "next"/"tomorrow" go forward. Offsets from other events
//! ("two days after the vote") are left unresolved unless the anchor is
//! itself a time expression ("two days after May 2").
//!
//! Word lists (month and day names, units, relative-expression lexicon) are
//! data in `data/lexicon.tsv`; the recognition rules are in `matcher.rs`,
//! the date arithmetic in `resolve.rs`. [`evaluate_tbaq`] scores the module
//! on TimeBank + AQUAINT.
//!
//! What this crate is not: it does not tokenise documents that already
//! have tokens (it only tokenises when the token layer is empty), it does not
//! order events in time (no TLINKs), handles English only, and does not
//! resolve holidays, fiscal calendars or expressions anchored on events.

use petrel_doc::{Doc, Span, TokenRange};

mod eval;
mod lexicon;
mod matcher;
mod resolve;

pub use eval::{evaluate_tbaq, parse_timeml, GoldTimex, Prf, Report, TimemlDoc};

use chrono::NaiveDate;
use matcher::{Matcher, Sem};

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(&self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// Granularity of a resolved date value. `None` for durations, sets,
/// references (`PRESENT_REF`) and unresolved values. A clock time on a known
/// day has precision `Day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Day,
    Week,
    Month,
    /// A quarter or half year ("1989-Q3", "1990-H1").
    Quarter,
    /// A season ("1998-FA").
    Season,
    Year,
    Decade,
    None,
}

/// One time expression found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    /// Byte span in [`Doc::text`].
    pub span: Span,
    /// Tokens covered (a token partly covered, as "mid" in "mid-1996", is included).
    pub tokens: TokenRange,
    pub kind: TimexType,
    /// TIMEX3 value: "2024-05-01", "2024-05", "2024-W17", "2024-Q3",
    /// "2024", "199", "P3W", "2024-05-01T10:00", "PRESENT_REF", or with `X`
    /// for unknown parts ("XXXX-XX-XX") when it cannot be resolved.
    pub value: String,
    pub precision: Precision,
    /// The value was computed from an anchor (the publication date or
    /// another time expression) rather than read off the text alone.
    pub anchored: bool,
    /// Name of the rule that recognised it ("weekday", "month_day_year",
    /// "offset", ... ; "dateline" inside a news dateline).
    pub rule: &'static str,
}

/// Finds and normalises the time expressions of `doc`, in text order.
/// Uses `doc.tokens.span` and `doc.sentences` (tokenising the text itself
/// when the token layer is empty) and `doc.published` as the anchor;
/// without a publication date, relative expressions come out unresolved.
pub fn find_times(doc: &Doc) -> Vec<TimeExpr> {
    let (spans, sentences) = if doc.tokens.is_empty() {
        petrel_text::segment(&doc.text)
    } else if doc.sentences.is_empty() {
        let n = doc.tokens.len() as u32;
        let all = petrel_doc::Sentence {
            span: doc.tokens_span(0..n),
            tokens: 0..n,
        };
        (doc.tokens.span.clone(), vec![all])
    } else {
        (doc.tokens.span.clone(), doc.sentences.clone())
    };
    let lex = lexicon::Lexicon::get();
    let dateline = petrel_text::dateline(&doc.text);
    let mut out = Vec::new();
    // The latest resolved DATE/TIME (first day, precision), for "the next day".
    let mut last: Option<(NaiveDate, Precision)> = None;
    for sent in &sentences {
        let range = sent.tokens.start as usize..(sent.tokens.end as usize).min(spans.len());
        let toks = range.filter_map(|t| {
            spans
                .get(t)
                .map(|s| (t as u32, s.start as usize, s.end as usize))
        });
        let mut words = matcher::words(&doc.text, toks);
        if doc.tokens.xpos.len() == spans.len() {
            for w in &mut words {
                w.past = doc
                    .tokens
                    .xpos
                    .get(w.tok as usize)
                    .is_some_and(|x| x == "VBD");
            }
        }
        let found = Matcher::new(&words, lex).find();
        let mut resolved: Vec<resolve::Resolved> = found
            .iter()
            .map(|f| resolve::resolve(&f.sem, doc.published, f.future))
            .collect();
        // "two days after May 2": anchor on the following expression's day.
        for k in 0..found.len() {
            if let Sem::OffsetFrom {
                n: Some(n),
                unit,
                sign,
                next,
            } = found[k].sem
            {
                let anchor = found
                    .get(k + 1)
                    .filter(|g| g.start == next)
                    .and_then(|_| resolved[k + 1].day);
                if let Some(a) = anchor {
                    resolved[k] = resolve::offset(a, n, unit, sign);
                }
            }
        }
        for (f, r) in found.iter().zip(resolved.iter_mut()) {
            if let Sem::Narrative { unit, shift, part } = &f.sem {
                *r = resolve::narrative(*unit, *shift, part.as_deref(), last);
            }
            if matches!(r.kind, TimexType::Date | TimexType::Time) {
                if let Some(v) = value_start(&r.value) {
                    last = Some(v);
                }
            }
        }
        for (f, r) in found.iter().zip(resolved) {
            let (Some(first), Some(last)) =
                (words.get(f.start), words.get(f.end.saturating_sub(1)))
            else {
                continue;
            };
            let span = Span::new(first.start, last.end);
            let in_dateline = dateline.is_some_and(|d| d.start <= span.start && span.end <= d.end);
            out.push(TimeExpr {
                span,
                tokens: first.tok..last.tok + 1,
                kind: r.kind,
                value: r.value,
                precision: r.precision,
                anchored: r.anchored,
                rule: if in_dateline { "dateline" } else { f.rule },
            });
        }
    }
    out
}

/// First day and precision of a resolved DATE/TIME value ("2024-W17" →
/// Monday of week 17, "1998-FA" → 1 September 1998); `None` for durations,
/// references and values with unknown parts.
pub fn value_start(value: &str) -> Option<(NaiveDate, Precision)> {
    let v = value.split('T').next().unwrap_or(value);
    let num = |s: &str| -> Option<u32> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let parts: Vec<&str> = v.split('-').collect();
    let y: i32 = match parts.first() {
        Some(p) if p.len() == 4 => num(p)? as i32,
        Some(p) if p.len() == 3 && parts.len() == 1 => {
            return NaiveDate::from_ymd_opt(num(p)? as i32 * 10, 1, 1)
                .map(|d| (d, Precision::Decade))
        }
        _ => return None,
    };
    match parts.as_slice() {
        [_] => NaiveDate::from_ymd_opt(y, 1, 1).map(|d| (d, Precision::Year)),
        [_, p] | [_, p, "WE"] if p.starts_with('W') => {
            let w = num(&p[1..])?;
            let d = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)?;
            Some((d, Precision::Week))
        }
        [_, p] if p.starts_with('Q') || p.starts_with('H') => {
            let k = num(&p[1..])?;
            let m = if p.starts_with('Q') {
                (k.checked_sub(1)?) * 3 + 1
            } else {
                (k.checked_sub(1)?) * 6 + 1
            };
            NaiveDate::from_ymd_opt(y, m, 1).map(|d| (d, Precision::Quarter))
        }
        [_, s @ ("SP" | "SU" | "FA" | "WI")] => {
            let m = match *s {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            NaiveDate::from_ymd_opt(y, m, 1).map(|d| (d, Precision::Season))
        }
        [_, m] => NaiveDate::from_ymd_opt(y, num(m)?, 1).map(|d| (d, Precision::Month)),
        [_, m, d] => NaiveDate::from_ymd_opt(y, num(m)?, num(d)?).map(|d| (d, Precision::Day)),
        _ => None,
    }
}

/// The date of the event whose verb is token `verb_token` in sentence
/// `sentence`: among the DATE/TIME expressions of that sentence with a
/// resolved value, prefer day precision, then the one nearest the verb;
/// when the token layer is parsed, an expression attached (through its
/// syntactic head) to the verb's clause wins over the others. Returns the
/// first day of the value, its precision and the index into `times`;
/// `None` when the sentence has no resolved date (callers usually fall back
/// to the publication date).
pub fn event_date(
    doc: &Doc,
    sentence: usize,
    verb_token: u32,
    times: &[TimeExpr],
) -> Option<(NaiveDate, Precision, usize)> {
    let sent = doc.sentences.get(sentence)?;
    /// (not attached to the verb, not day precision, distance), date, precision, index
    type Best = ((bool, bool, u32), NaiveDate, Precision, usize);
    let mut best: Option<Best> = None;
    for (i, t) in times.iter().enumerate() {
        if !matches!(t.kind, TimexType::Date | TimexType::Time) {
            continue;
        }
        if t.tokens.start < sent.tokens.start || t.tokens.end > sent.tokens.end {
            continue;
        }
        let Some((date, prec)) = value_start(&t.value) else {
            continue;
        };
        let dist = if t.tokens.contains(&verb_token) {
            0
        } else if verb_token < t.tokens.start {
            t.tokens.start - verb_token
        } else {
            verb_token.saturating_sub(t.tokens.end.saturating_sub(1))
        };
        let attached = attaches_to(doc, &t.tokens, verb_token, &sent.tokens);
        let key = (!attached, prec != Precision::Day, dist);
        if best.as_ref().is_none_or(|b| key < b.0) {
            best = Some((key, date, t.precision.min(prec), i));
        }
    }
    best.map(|(_, d, p, i)| (d, p, i))
}

/// Whether the head of `r` reaches `verb` in at most three steps without
/// passing through another verb (false when the doc is not parsed).
fn attaches_to(doc: &Doc, r: &TokenRange, verb: u32, within: &TokenRange) -> bool {
    let t = &doc.tokens;
    if !t.is_parsed() {
        return false;
    }
    let Some(mut cur) = r.clone().find(|&i| {
        t.head
            .get(i as usize)
            .copied()
            .flatten()
            .is_none_or(|h| !r.contains(&h))
    }) else {
        return false;
    };
    for _ in 0..3 {
        let Some(h) = t.head.get(cur as usize).copied().flatten() else {
            return false;
        };
        if !within.contains(&h) {
            return false;
        }
        if h == verb {
            return true;
        }
        if matches!(t.upos.get(h as usize), Some(petrel_doc::Upos::Verb)) {
            return false;
        }
        cur = h;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, published: (i32, u32, u32)) -> Doc {
        let mut d = Doc::new("t", text);
        d.published = NaiveDate::from_ymd_opt(published.0, published.1, published.2);
        d
    }

    /// (surface, type, value) of every expression found.
    fn run(text: &str, published: (i32, u32, u32)) -> Vec<(String, &'static str, String)> {
        let d = doc(text, published);
        find_times(&d)
            .into_iter()
            .map(|t| (d.span_text(t.span).to_string(), t.kind.as_str(), t.value))
            .collect()
    }

    fn one(text: &str, published: (i32, u32, u32)) -> (String, &'static str, String) {
        let r = run(text, published);
        assert_eq!(r.len(), 1, "{text:?} -> {r:?}");
        r.into_iter().next().unwrap_or_default()
    }

    fn val(text: &str, published: (i32, u32, u32)) -> String {
        one(text, published).2
    }

    #[test]
    fn weekdays_resolve_backwards_across_month_and_year_boundaries() {
        // 2024-05-02 is a Thursday.
        assert_eq!(
            val("Police said on Wednesday that two died.", (2024, 5, 2)),
            "2024-05-01"
        );
        assert_eq!(val("He arrived Thursday.", (2024, 5, 2)), "2024-05-02");
        assert_eq!(val("He arrived on Friday.", (2024, 5, 2)), "2024-04-26");
        // 2025-01-01 is a Wednesday: Monday is in the previous year.
        assert_eq!(val("Talks began on Monday.", (2025, 1, 1)), "2024-12-30");
        assert_eq!(val("They met last Wednesday.", (2025, 1, 1)), "2024-12-25");
        assert_eq!(val("They meet next Monday.", (2024, 12, 30)), "2025-01-06");
        // Future clause: forward.
        assert_eq!(
            val("The minister will visit on Friday.", (2024, 5, 2)),
            "2024-05-03"
        );
        // but a reported past stops the search.
        assert_eq!(
            val("He will go, she said Friday.", (2024, 5, 2)),
            "2024-04-26"
        );
    }

    #[test]
    fn days_relative_to_publication() {
        assert_eq!(
            one("Rebels attacked yesterday.", (2024, 3, 1)),
            ("yesterday".into(), "DATE", "2024-02-29".into())
        );
        assert_eq!(val("Talks resume tomorrow.", (2024, 12, 31)), "2025-01-01");
        assert_eq!(val("He spoke today.", (2024, 5, 2)), "2024-05-02");
        assert_eq!(
            one("Shelling resumed Monday night.", (2024, 5, 2)),
            ("Monday night".into(), "TIME", "2024-04-29TNI".into())
        );
        assert_eq!(
            one("Fighting broke out last night.", (2024, 5, 2)),
            ("last night".into(), "TIME", "2024-05-01TNI".into())
        );
    }

    #[test]
    fn weeks_months_years_relative() {
        assert_eq!(
            one("Troops moved in last week.", (2024, 5, 2)),
            ("last week".into(), "DATE", "2024-W17".into())
        );
        assert_eq!(
            val("The deal was signed this week.", (2024, 1, 1)),
            "2024-W01"
        );
        assert_eq!(val("Prices rose last month.", (2024, 1, 15)), "2023-12");
        assert_eq!(
            one("Prices fell in the previous week.", (2024, 5, 2)).2,
            "2024-W17"
        );
        assert!(run("He won a second term.", (2024, 5, 2)).is_empty());
        assert_eq!(
            val("Elections are due next month.", (2024, 12, 15)),
            "2025-01"
        );
        assert_eq!(val("Exports fell this year.", (2024, 5, 2)), "2024");
        assert_eq!(val("Exports fell last year.", (2024, 5, 2)), "2023");
        assert_eq!(
            one("It happened earlier this month.", (2024, 5, 20)),
            ("earlier this month".into(), "DATE", "2024-05".into())
        );
        assert_eq!(val("It was built three years ago.", (2024, 5, 2)), "2021");
        assert_eq!(val("They left two weeks ago.", (2024, 5, 2)), "2024-W16");
        assert_eq!(val("He died five days ago.", (2024, 5, 2)), "2024-04-27");
        assert_eq!(val("Profit rose a year earlier.", (1989, 11, 2)), "1988");
    }

    #[test]
    fn bare_months_and_seasons_resolve_to_the_latest_one() {
        // "early November" published in October → the previous year's November.
        assert_eq!(
            one("Clashes erupted in early November.", (2024, 10, 15)),
            ("early November".into(), "DATE", "2023-11".into())
        );
        assert_eq!(
            val("Clashes erupted in early November.", (2024, 11, 20)),
            "2024-11"
        );
        assert_eq!(
            val("The ceasefire collapsed in March.", (2024, 5, 2)),
            "2024-03"
        );
        assert_eq!(val("The vote is set for March.", (2024, 5, 2)), "2024-03");
        assert_eq!(
            val("The vote will take place in March.", (2024, 5, 2)),
            "2025-03"
        );
        assert_eq!(val("He resigned last April.", (2024, 4, 10)), "2023-04");
        assert_eq!(val("He was shot last fall.", (1999, 5, 7)), "1998-FA");
        assert_eq!(
            val("The talks must end by March.", (2024, 2, 10)),
            "2024-03"
        );
        assert_eq!(
            val("The talks must end by March.", (2024, 5, 10)),
            "2025-03"
        );
        assert_eq!(val("They had left by March.", (2024, 2, 10)), "2023-03");
        assert_eq!(
            val("Net income fell in the quarter.", (1989, 11, 2)),
            "1989-Q3"
        );
        assert!(run("a quarter of the vote", (1989, 11, 2)).is_empty());
        assert_eq!(val("It opened this summer.", (1999, 8, 7)), "1999-SU");
        assert_eq!(val("Sales rose this summer.", (1990, 1, 15)), "1989-SU");
        assert_eq!(val("Sales rise this spring.", (1990, 1, 15)), "1990-SP");
    }

    #[test]
    fn may_and_march_need_context() {
        assert!(run("Rebels may attack again.", (2024, 5, 2)).is_empty());
        assert!(run("March on the capital, they said.", (2024, 5, 2)).is_empty());
        assert_eq!(val("Fighting resumed in May.", (2024, 5, 2)), "2024-05");
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(
            val("On May 2, 2024 troops left.", (2024, 6, 1)),
            "2024-05-02"
        );
        assert_eq!(
            val("On 2 May 2024 troops left.", (2024, 6, 1)),
            "2024-05-02"
        );
        assert_eq!(
            val("Signed 2024-05-02 in Geneva.", (2024, 6, 1)),
            "2024-05-02"
        );
        assert_eq!(
            val("Signed on 05/02/2024 in Geneva.", (2024, 6, 1)),
            "2024-05-02"
        );
        assert_eq!(
            one("Talks began Aug. 7, 1998.", (1999, 1, 1)),
            ("Aug. 7, 1998".into(), "DATE", "1998-08-07".into())
        );
        assert_eq!(
            val("It ended on Thursday, April 6, 2000.", (2000, 5, 1)),
            "2000-04-06"
        );
        // Year from context: the closest to publication.
        assert_eq!(
            val("He was arrested on May 2.", (2024, 5, 10)),
            "2024-05-02"
        );
        assert_eq!(
            val("He was arrested on Dec. 30.", (2025, 1, 3)),
            "2024-12-30"
        );
        assert_eq!(
            val("He was arrested on Oct. 23.", (1999, 4, 20)),
            "1998-10-23"
        );
        assert_eq!(val("The summit opens May 20.", (2024, 5, 2)), "2024-05-20");
        assert_eq!(
            val("The summit will open on Jan. 5.", (2024, 12, 20)),
            "2025-01-05"
        );
        assert_eq!(
            val("Profit fell in the 1988 third quarter.", (1989, 11, 2)),
            "1988-Q3"
        );
        assert_eq!(
            one("the third-quarter loss", (1989, 11, 2)),
            ("third-quarter".into(), "DATE", "1989-Q3".into())
        );
        assert_eq!(
            one("in the first nine months", (1989, 11, 2)),
            ("the first nine months".into(), "DURATION", "P9M".into())
        );
        assert_eq!(
            one("He was shot last Oct. 23 at home.", (1999, 4, 19)).2,
            "1998-10-23"
        );
        assert_eq!(val("The war ended in 1987.", (2024, 5, 2)), "1987");
        assert_eq!(val("The junta ruled in the 1990s.", (2024, 5, 2)), "199");
        assert_eq!(
            val("It began in nineteen ninety-six.", (2024, 5, 2)),
            "1996"
        );
        assert_eq!(val("in the year two thousand", (1998, 5, 2)), "2000");
        assert_eq!(
            val("It began in January nineteen ninety-seven.", (2024, 5, 2)),
            "1997-01"
        );
        assert_eq!(
            one("It began in July last year.", (2024, 5, 2)),
            ("July last year".into(), "DATE", "2023-07".into())
        );
        assert_eq!(
            val("It ends in March of next year.", (2024, 5, 2)),
            "2025-03"
        );
        assert_eq!(val("The band peaked in the eighties.", (2024, 5, 2)), "198");
        assert_eq!(
            one("He was seen days after the attack.", (2024, 5, 2)).0,
            "days"
        );
        assert_eq!(
            val("Talks are expected in coming weeks.", (2024, 5, 2)),
            "PXW"
        );
        assert_eq!(
            val(
                "Growth slowed for several quarters of the decade.",
                (2024, 5, 2)
            ),
            "PXQ"
        );
        assert_eq!(val("Rates peaked in March 1996.", (2024, 5, 2)), "1996-03");
        assert_eq!(
            val("Profit fell in the third quarter.", (1989, 11, 2)),
            "1989-Q3"
        );
        assert_eq!(
            val("Profit fell in the fourth quarter of 1988.", (1989, 11, 2)),
            "1988-Q4"
        );
        assert_eq!(val("It grew in mid-1996.", (1999, 1, 1)), "1996");
    }

    #[test]
    fn years_that_are_quantities_are_not_dates() {
        assert!(run("About 2000 people marched.", (2024, 5, 2)).is_empty());
        assert!(run("It cost $1999.", (2024, 5, 2)).is_empty());
        assert!(run("Resolution 1973 was adopted.", (2024, 5, 2)).is_empty());
        assert!(run("Flight 1549 landed in the river.", (2024, 5, 2)).is_empty());
        assert!(run("Nearly 2000 marched.", (2024, 5, 2)).is_empty());
        assert!(run("the 1500 rebels", (2024, 5, 2)).is_empty());
        assert_eq!(val("The city fell in 1453.", (2024, 5, 2)), "1453");
    }

    #[test]
    fn durations_times_sets_and_references() {
        assert_eq!(
            one("The siege lasted for three weeks.", (2024, 5, 2)),
            ("three weeks".into(), "DURATION", "P3W".into())
        );
        assert_eq!(val("a two-year program began", (2024, 5, 2)), "P2Y");
        assert_eq!(val("for 5 1/2 hours", (2024, 5, 2)), "PT5H30M");
        assert_eq!(val("He served for several years.", (2024, 5, 2)), "PXY");
        assert_eq!(val("in the past two months", (2024, 5, 2)), "P2M");
        assert!(run("a 44-year-old man", (2024, 5, 2)).is_empty());
        assert_eq!(
            one("The blast came at 10 a.m.", (2024, 5, 2)),
            ("10 a.m.".into(), "TIME", "2024-05-02T10:00".into())
        );
        assert_eq!(
            val("The vote closed at 10:35 p.m. EST Friday.", (2024, 5, 2)),
            "2024-04-26T22:35"
        );
        assert_eq!(val("noon Thursday", (2024, 5, 2)), "2024-05-02T12:00");
        assert_eq!(
            one("It is published daily.", (2024, 5, 2)),
            ("daily".into(), "SET", "P1D".into())
        );
        assert_eq!(val("They meet each Thursday.", (2024, 5, 2)), "XXXX-WXX-4");
        assert_eq!(val("Prices are rising now.", (2024, 5, 2)), "PRESENT_REF");
        assert_eq!(val("in the future", (2024, 5, 2)), "FUTURE_REF");
    }

    #[test]
    fn offsets_from_events_are_anchored_only_on_times() {
        let d = doc("Riots broke out two days after the vote.", (2024, 5, 2));
        let t = find_times(&d);
        assert_eq!(t.len(), 1);
        assert_eq!(d.span_text(t[0].span), "two days");
        assert_eq!(t[0].value, "XXXX-XX-XX");
        assert!(!t[0].anchored);
        let d = doc("Riots broke out two days after May 2.", (2024, 5, 10));
        let t = find_times(&d);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].value, "2024-05-04");
        assert!(t[0].anchored);
    }

    #[test]
    fn rates_and_dangling_offsets() {
        assert_eq!(
            one("output of 15.8 mln barrels a day", (1987, 3, 2)),
            ("a day".into(), "SET", "P1D".into())
        );
        assert_eq!(
            one("up from 80 mln dlrs a year before.", (1987, 3, 2)),
            ("a year before".into(), "DATE", "1986".into())
        );
        assert_eq!(one("a year before the war", (1987, 3, 2)).2, "XXXX-XX-XX");
    }

    #[test]
    fn lowercase_month_before_a_day() {
        assert_eq!(
            val("Bogota, march 4 - Talks ended.", (2024, 3, 4)),
            "2024-03-04"
        );
        assert!(run("They may 4 times a year.", (2024, 3, 4))
            .iter()
            .all(|t| t.1 != "DATE"));
    }

    #[test]
    fn datelines() {
        let d = doc(
            "BOGOTA, May 2 (Reuters) - Rebels freed two hostages on Wednesday.",
            (2024, 5, 2),
        );
        let t = find_times(&d);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].rule, "dateline");
        assert_eq!(t[0].value, "2024-05-02");
        assert_eq!(t[1].value, "2024-05-01");
    }

    #[test]
    fn without_publication_date_relative_values_stay_unresolved() {
        let mut d = doc("He left on Friday and returns May 2, 2024.", (2024, 5, 2));
        d.published = None;
        let t = find_times(&d);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].value, "XXXX-WXX-5");
        assert_eq!(t[0].precision, Precision::None);
        assert_eq!(t[1].value, "2024-05-02");
    }

    #[test]
    fn value_start_reads_every_resolved_form() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        assert_eq!(
            value_start("2024-05-02"),
            Some((d(2024, 5, 2), Precision::Day))
        );
        assert_eq!(
            value_start("2024-05-02TNI"),
            Some((d(2024, 5, 2), Precision::Day))
        );
        assert_eq!(
            value_start("2024-W17"),
            Some((d(2024, 4, 22), Precision::Week))
        );
        assert_eq!(
            value_start("2024-W17-WE"),
            Some((d(2024, 4, 22), Precision::Week))
        );
        assert_eq!(
            value_start("2024-05"),
            Some((d(2024, 5, 1), Precision::Month))
        );
        assert_eq!(
            value_start("1989-Q3"),
            Some((d(1989, 7, 1), Precision::Quarter))
        );
        assert_eq!(
            value_start("1998-FA"),
            Some((d(1998, 9, 1), Precision::Season))
        );
        assert_eq!(value_start("2024"), Some((d(2024, 1, 1), Precision::Year)));
        assert_eq!(value_start("199"), Some((d(1990, 1, 1), Precision::Decade)));
        for v in [
            "P3W",
            "PRESENT_REF",
            "XXXX-XX-XX",
            "XXXX-WXX-5",
            "",
            "2024-13-01",
            "2024-Q0",
        ] {
            assert_eq!(value_start(v), None, "{v}");
        }
    }

    #[test]
    fn event_date_prefers_day_precision_then_nearest() {
        let mut d = doc(
            "Last year rebels attacked the town on Wednesday. Talks resumed in March.",
            (2024, 5, 2),
        );
        let (spans, sents) = petrel_text::segment(&d.text);
        d.tokens.span = spans;
        d.sentences = sents;
        let t = find_times(&d);
        let verb = (0..d.tokens.len() as u32)
            .find(|&i| d.token_text(i as usize) == "attacked")
            .unwrap_or(0);
        let (date, prec, i) = event_date(&d, 0, verb, &t).expect("a date");
        assert_eq!(
            (date, prec),
            (
                NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default(),
                Precision::Day
            )
        );
        assert_eq!(d.span_text(t[i].span), "Wednesday");
        let verb2 = (0..d.tokens.len() as u32)
            .find(|&i| d.token_text(i as usize) == "resumed")
            .unwrap_or(0);
        let (date, prec, _) = event_date(&d, 1, verb2, &t).expect("a date");
        assert_eq!(
            (date, prec),
            (
                NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default(),
                Precision::Month
            )
        );
        assert_eq!(event_date(&d, 5, verb, &t), None);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "",
            " ",
            "-",
            "--- - -",
            "May",
            "May 31 31 31",
            "Feb. 30, 2024",
            "99/99/9999",
            "2024-13-45",
            "the '",
            "10:99 p.m.",
            "13 p.m.",
            "every",
            "the past",
            "a 9999999999999999999 years ago",
            "é— Friday ’90s mid-",
            "last",
            "the",
            "in the",
            "1/2",
        ];
        for text in inputs {
            let _ = run(text, (2024, 5, 2));
            let mut d = doc(text, (2024, 5, 2));
            d.published = None;
            let _ = find_times(&d);
            let mut d = doc(text, (262143, 12, 31));
            d.published = NaiveDate::MAX.into();
            let _ = find_times(&d);
        }
    }

    #[test]
    fn holidays_resolve_backwards() {
        assert_eq!(
            one("The bomb exploded on Christmas Day.", (2024, 12, 27)).2,
            "2024-12-25"
        );
        assert_eq!(
            val("The bomb exploded on Christmas Day.", (2025, 3, 1)),
            "2024-12-25"
        );
        assert_eq!(val("He died on Thanksgiving.", (1998, 12, 1)), "1998-11-26");
        assert_eq!(
            one("They met last Christmas.", (2024, 12, 20)).2,
            "2023-12-25"
        );
        assert_eq!(
            val("They meet next Christmas.", (2024, 12, 26)),
            "2025-12-25"
        );
        assert_eq!(
            val("Pilgrims gathered on Good Friday.", (2024, 4, 2)),
            "2024-03-29"
        );
        assert_eq!(
            val("Shops close on New Year's Day.", (2024, 10, 20)),
            "2024-01-01"
        );
        assert_eq!(
            val("Shops will close on New Year's Day.", (2024, 12, 20)),
            "2025-01-01"
        );
    }

    #[test]
    fn event_date_prefers_the_expression_attached_to_the_verb() {
        // Rebels(0) attacked(1) the(2) town(3) shelled(4) on(5) Sunday(6) ,(7) on(8) Monday(9) .(10)
        let mut d = doc(
            "Rebels attacked the town shelled on Sunday , on Monday .",
            (2024, 5, 2),
        );
        let (spans, sents) = petrel_text::segment(&d.text);
        assert_eq!(spans.len(), 11);
        let n = spans.len();
        d.tokens.span = spans;
        d.sentences = sents;
        let heads = [1, u32::MAX, 3, 1, 3, 6, 4, 1, 9, 1, 1];
        d.tokens.head = heads
            .iter()
            .map(|&h| (h != u32::MAX).then_some(h))
            .collect();
        d.tokens.upos = vec![petrel_doc::Upos::Noun; n];
        d.tokens.upos[1] = petrel_doc::Upos::Verb;
        d.tokens.upos[4] = petrel_doc::Upos::Verb;
        d.tokens.lemma = vec![String::new(); n];
        d.tokens.deprel = vec![String::new(); n];
        let t = find_times(&d);
        assert_eq!(t.len(), 2);
        let (date, _, i) = event_date(&d, 0, 1, &t).expect("a date");
        assert_eq!(d.span_text(t[i].span), "Monday");
        assert_eq!(Some(date), NaiveDate::from_ymd_opt(2024, 4, 29));
        // The shelling is dated by its own modifier.
        let (_, _, i) = event_date(&d, 0, 4, &t).expect("a date");
        assert_eq!(d.span_text(t[i].span), "Sunday");
    }

    #[test]
    fn random_word_salad_never_panics() {
        let vocab = [
            "May",
            "2",
            ",",
            "2024",
            "last",
            "next",
            "the",
            "-",
            "week",
            "'90s",
            "1990s",
            "ago",
            "a",
            "year",
            "after",
            "Friday",
            "night",
            "10",
            "a.m.",
            "EST",
            "every",
            "other",
            "third",
            "quarter",
            "of",
            "early",
            "mid",
            "the end of",
            "two",
            "twenty",
            "five",
            "several",
            "days",
            "01/02/03",
            "2024-02-30",
            "by",
            "will",
            "said",
            "Christmas",
            "Day",
            "'s",
            "New",
            "Year",
            "fiscal",
            "1/2",
            "hours",
            "ago",
            "1e30",
            "99999999999",
            "noon",
            "today",
            "this",
            "morning",
            "tonight",
            "é",
            "’",
            "decades",
            "later",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(vocab[(seed >> 33) as usize % vocab.len()]);
                text.push(' ');
            }
            for published in [Some((2024, 5, 2)), None] {
                let mut d = doc(&text, published.unwrap_or((2024, 5, 2)));
                if published.is_none() {
                    d.published = None;
                }
                for t in find_times(&d) {
                    assert!(t.span.end as usize <= d.text.len());
                    assert!(t.tokens.start < t.tokens.end);
                }
            }
            let mut d = doc(&text, (2024, 5, 2));
            d.published = Some(NaiveDate::MAX);
            let _ = find_times(&d);
            d.published = Some(NaiveDate::MIN);
            let _ = find_times(&d);
        }
    }

    #[test]
    fn past_tense_tags_stop_the_future_search() {
        // Without tags "would" makes the clause future; a VBD in between
        // ("tore") marks the expression as past.
        let text = "He would say the bullet tore through the window Friday night.";
        assert_eq!(val(text, (2024, 5, 2)), "2024-05-03TNI");
        let mut d = doc(text, (2024, 5, 2));
        let (spans, sents) = petrel_text::segment(&d.text);
        d.tokens.xpos = spans
            .iter()
            .map(|s| {
                if &d.text[s.range()] == "tore" {
                    "VBD"
                } else {
                    "NN"
                }
                .to_string()
            })
            .collect();
        d.tokens.span = spans;
        d.sentences = sents;
        let t = find_times(&d);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].value, "2024-04-26TNI");
    }

    #[test]
    fn narrative_expressions_follow_the_previous_date() {
        let r = run(
            "Rebels seized the town on March 3, 2024. The next day troops arrived. Later that week talks began. \
             That year was hard. He left the day before.",
            (2024, 6, 1),
        );
        let got: Vec<(&str, &str)> = r.iter().map(|(s, _, v)| (s.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("March 3, 2024", "2024-03-03"),
                ("The next day", "2024-03-04"),
                ("Later that week", "2024-W10"),
                ("That year", "2024"),
                ("the day before", "XXXX-XX-XX"),
            ]
        );
        // Without an earlier date there is nothing to count from.
        assert_eq!(
            val("The next morning they left.", (2024, 6, 1)),
            "XXXX-XX-XX"
        );
        let r = run(
            "They met on Monday and left the following morning.",
            (2024, 5, 2),
        );
        assert_eq!(
            r[1],
            (
                "the following morning".into(),
                "TIME",
                "2024-04-30TMO".into()
            )
        );
    }
}
