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

pub use eval::{evaluate_tbaq, parse_timeml, GoldTimex, Report, TimemlDoc};

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
        let all = petrel_doc::Sentence { span: doc.tokens_span(0..n), tokens: 0..n };
        (doc.tokens.span.clone(), vec![all])
    } else {
        (doc.tokens.span.clone(), doc.sentences.clone())
    };
    let lex = lexicon::Lexicon::get();
    let dateline = petrel_text::dateline(&doc.text);
    let mut out = Vec::new();
    for sent in &sentences {
        let range = sent.tokens.start as usize..(sent.tokens.end as usize).min(spans.len());
        let toks = range.filter_map(|t| spans.get(t).map(|s| (t as u32, s.start as usize, s.end as usize)));
        let words = matcher::words(&doc.text, toks);
        let found = Matcher::new(&words, lex).find();
        let mut resolved: Vec<resolve::Resolved> =
            found.iter().map(|f| resolve::resolve(&f.sem, doc.published, f.future)).collect();
        // "two days after May 2": anchor on the following expression's day.
        for k in 0..found.len() {
            if let Sem::OffsetFrom { n: Some(n), unit, sign, next } = found[k].sem {
                let anchor = found.get(k + 1).filter(|g| g.start == next).and_then(|_| resolved[k + 1].day);
                if let Some(a) = anchor {
                    resolved[k] = resolve::offset(a, n, unit, sign);
                }
            }
        }
        for (f, r) in found.iter().zip(resolved) {
            let (Some(first), Some(last)) = (words.get(f.start), words.get(f.end.saturating_sub(1))) else {
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
    let num = |s: &str| -> Option<u32> { s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok()).flatten() };
    let parts: Vec<&str> = v.split('-').collect();
    let y: i32 = match parts.first() {
        Some(p) if p.len() == 4 => num(p)? as i32,
        Some(p) if p.len() == 3 && parts.len() == 1 => {
            return NaiveDate::from_ymd_opt(num(p)? as i32 * 10, 1, 1).map(|d| (d, Precision::Decade))
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
            let m = if p.starts_with('Q') { (k.checked_sub(1)?) * 3 + 1 } else { (k.checked_sub(1)?) * 6 + 1 };
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
/// first day of the value, its precision and the index into `times`.
pub fn event_date(doc: &Doc, sentence: usize, verb_token: u32, times: &[TimeExpr]) -> Option<(NaiveDate, Precision, usize)> {
    let sent = doc.sentences.get(sentence)?;
    let mut best: Option<((bool, bool, u32), NaiveDate, Precision, usize)> = None;
    for (i, t) in times.iter().enumerate() {
        if !matches!(t.kind, TimexType::Date | TimexType::Time) {
            continue;
        }
        if t.tokens.start < sent.tokens.start || t.tokens.end > sent.tokens.end {
            continue;
        }
        let Some((date, prec)) = value_start(&t.value) else { continue };
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
    let Some(mut cur) = r.clone().find(|&i| t.head.get(i as usize).copied().flatten().is_none_or(|h| !r.contains(&h))) else {
        return false;
    };
    for _ in 0..3 {
        let Some(h) = t.head.get(cur as usize).copied().flatten() else { return false };
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
