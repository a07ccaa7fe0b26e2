//! Recognition: finds time expressions in one sentence's words and returns
//! their meaning ([`Sem`]) without resolving it against any date.
//!
//! The matcher works on *words*: the sentence's tokens, with tokens that
//! contain an inner hyphen ("third-quarter", "mid-November", "30-day") cut
//! into parts, so that it behaves the same whether or not the tokeniser
//! splits at hyphens. At each word every rule is tried and the longest match
//! wins; matching then resumes after it.

use crate::lexicon::Lexicon;

/// One word of a sentence: byte span in the document, lowercase form, and
/// the index of the token it comes from.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub lw: String,
    pub cap: bool,
    pub tok: u32,
    /// The token is tagged as a past-tense verb (Penn `VBD`), when the
    /// document has POS tags.
    pub past: bool,
}

/// Cuts tokens into words (see the module comment).
pub(crate) fn words(text: &str, tokens: impl Iterator<Item = (u32, usize, usize)>) -> Vec<Word> {
    let mut out = Vec::new();
    for (tok, s, e) in tokens {
        let Some(t) = text.get(s..e) else { continue };
        let inner_hyphen = t.match_indices('-').any(|(i, _)| i > 0 && i + 1 < t.len())
            && !t.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if !inner_hyphen {
            out.push(word(t, s, e, tok));
            continue;
        }
        let mut a = 0;
        for (i, _) in t.match_indices('-') {
            if i > a {
                out.push(word(&t[a..i], s + a, s + i, tok));
            }
            out.push(word("-", s + i, s + i + 1, tok));
            a = i + 1;
        }
        if a < t.len() {
            out.push(word(&t[a..], s + a, e, tok));
        }
    }
    out
}

fn word(t: &str, s: usize, e: usize, tok: u32) -> Word {
    Word {
        start: s,
        end: e,
        lw: t.to_lowercase().replace('’', "'"),
        cap: t.chars().next().is_some_and(char::is_uppercase),
        tok,
        past: false,
    }
}

/// Calendar units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    fn from_code(c: &str) -> Option<Unit> {
        Some(match c {
            "S" => Unit::Second,
            "MIN" => Unit::Minute,
            "H" => Unit::Hour,
            "D" => Unit::Day,
            "W" => Unit::Week,
            "WE" => Unit::Weekend,
            "2W" => Unit::Fortnight,
            "M" => Unit::Month,
            "Q" => Unit::Quarter,
            "Y" => Unit::Year,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            _ => return None,
        })
    }
}

/// What an expression means, before resolution. `rel` is the offset given
/// by "last" (-1), "this" (0) or "next" (1); `None` for a bare expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sem {
    Date {
        y: i32,
        m: u32,
        d: u32,
    },
    YearMonth {
        y: i32,
        m: u32,
    },
    Year(i32),
    /// First year of the decade ("the 1990s" → 1990).
    Decade(i32),
    /// Two-digit decade ("the '90s" → 90), century taken from the anchor.
    ShortDecade(i32),
    MonthDay {
        m: u32,
        d: u32,
    },
    Month {
        m: u32,
        rel: Option<i32>,
    },
    /// "July last year": month `m` of the anchor's year + `rel`.
    MonthRelYear {
        m: u32,
        rel: i32,
    },
    Weekday {
        wd: u32,
        rel: Option<i32>,
    },
    DayRel(i64),
    Unit {
        unit: Unit,
        rel: Option<i32>,
    },
    Quarter {
        q: u32,
        year: Option<i32>,
    },
    Half {
        h: u32,
        year: Option<i32>,
    },
    Season {
        s: &'static str,
        year: Option<i32>,
        rel: Option<i32>,
    },
    /// "three years ago": `n` units from the anchor in direction `sign`.
    Offset {
        n: Option<f64>,
        unit: Unit,
        sign: i32,
    },
    /// "two days after <X>": resolved only when X is a time expression
    /// starting at word `next`.
    OffsetFrom {
        n: Option<f64>,
        unit: Unit,
        sign: i32,
        next: usize,
    },
    Duration {
        n: Option<f64>,
        unit: Unit,
    },
    Ref(String),
    Set(String),
    Time {
        h: u32,
        min: u32,
        day: Option<Box<Sem>>,
    },
    PartOfDay {
        day: Box<Sem>,
        part: String,
    },
    /// "that day", "the next morning", "later that year": relative to the
    /// previous time expression of the document, `shift` units away.
    Narrative {
        unit: Unit,
        shift: i64,
        part: Option<String>,
    },
    /// A holiday, by its lexicon spec ("12-25", "11/4/4", "E-2").
    Holiday {
        spec: String,
        rel: Option<i32>,
    },
}

/// One recognised expression: words `[start, end)`.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub sem: Sem,
    pub rule: &'static str,
    /// The clause reads as future ("will meet on Friday").
    pub future: bool,
}

type M = Option<(usize, Sem, &'static str)>;

pub(crate) struct Matcher<'a> {
    w: &'a [Word],
    lws: Vec<&'a str>,
    lex: &'a Lexicon,
}

fn bare(s: &str) -> &str {
    if s.len() > 1 {
        s.strip_suffix('.').unwrap_or(s)
    } else {
        s
    }
}

fn days_in_month(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_md(m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(m)
}

fn valid_ymd(y: i32, m: u32, d: u32) -> bool {
    chrono::NaiveDate::from_ymd_opt(y, m, d).is_some()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Numeric dates inside one word: ISO "2024-05-02", "2024-05", US
/// "05/02/2024" and "11/02/89" (day-first when the first field exceeds 12),
/// decades "1990s", "'90s".
fn numeric_word(s: &str) -> Option<Sem> {
    let b = s.as_bytes();
    if s.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..].parse().ok()?,
        );
        return valid_ymd(y, m, d).then_some(Sem::Date { y, m, d });
    }
    if s.len() == 7 && b[4] == b'-' && all_digits(&s[..4]) && all_digits(&s[5..]) {
        let (y, m) = (s[..4].parse().ok()?, s[5..].parse().ok()?);
        return (1..=12).contains(&m).then_some(Sem::YearMonth { y, m });
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() == 3 && parts.iter().all(|p| all_digits(p) && p.len() <= 4) {
        let (mut m, mut d): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
        if m > 12 && d <= 12 {
            std::mem::swap(&mut m, &mut d);
        }
        let y: i32 = match parts[2].len() {
            4 => parts[2].parse().ok()?,
            2 => {
                let yy: i32 = parts[2].parse().ok()?;
                if yy <= 30 {
                    2000 + yy
                } else {
                    1900 + yy
                }
            }
            _ => return None,
        };
        return valid_ymd(y, m, d).then_some(Sem::Date { y, m, d });
    }
    if let Some(n) = s.strip_suffix('s').or_else(|| s.strip_suffix("'s")) {
        if n.len() == 4 && all_digits(n) {
            let y: i32 = n.parse().ok()?;
            return (y % 10 == 0 && (1000..2200).contains(&y)).then_some(Sem::Decade(y));
        }
        if let Some(n) = n.strip_prefix('\'') {
            if n.len() == 2 && all_digits(n) {
                let x: i32 = n.parse().ok()?;
                return (x % 10 == 0).then_some(Sem::ShortDecade(x));
            }
        }
    }
    None
}

impl<'a> Matcher<'a> {
    pub fn new(w: &'a [Word], lex: &'a Lexicon) -> Matcher<'a> {
        Matcher {
            w,
            lws: w.iter().map(|w| w.lw.as_str()).collect(),
            lex,
        }
    }

    /// All expressions of the sentence, left to right, not overlapping.
    pub fn find(&self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.w.len() {
            match self.best_at(i) {
                Some((end, sem, rule)) if end > i => {
                    let future = self.future_cue(i)
                        && !matches!(
                            sem,
                            Sem::Year(_)
                                | Sem::YearMonth { .. }
                                | Sem::Date { .. }
                                | Sem::Quarter { .. }
                                | Sem::Half { .. }
                        );
                    out.push(Found {
                        start: i,
                        end,
                        sem,
                        rule,
                        future,
                    });
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }

    fn best_at(&self, i: usize) -> M {
        let cands = [
            self.narrative(i),
            self.premod(i),
            self.time(i),
            self.date_core(i),
            self.decade(i),
            self.quarter(i),
            self.rel(i),
            self.quantity(i),
            self.dayrel(i),
            self.weekday(i),
            self.season(i),
            self.year(i),
            self.set(i),
            self.refs(i),
            self.holiday(i),
            self.spoken_year(i),
        ];
        let mut best: M = None;
        for c in cands.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| c.0 > b.0) {
                best = Some(c);
            }
        }
        best
    }

    fn lw(&self, i: usize) -> &str {
        self.lws.get(i).copied().unwrap_or("")
    }

    fn cap(&self, i: usize) -> bool {
        self.w.get(i).is_some_and(|w| w.cap)
    }

    fn cat(&self, cat: &str, i: usize) -> Option<&'a str> {
        self.lex.word(cat, bare(self.lw(i)))
    }

    fn phrase(&self, cat: &str, i: usize) -> Option<(&'a str, usize)> {
        if i >= self.lws.len() {
            return None;
        }
        self.lex.longest(cat, &self.lws, i)
    }

    /// Clause looks future: a future marker ("will", "planned") within the
    /// ten words before, with no past marker ("said") in between, or a
    /// modal ("will", "would") right after ("The March accession will").
    fn is_past(&self, j: usize) -> bool {
        self.lex.word("past", self.lw(j)).is_some() || self.w.get(j).is_some_and(|w| w.past)
    }

    fn future_cue(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0 && self.lex.longest("premod", &self.lws, k - 1).is_some() {
            k -= 1;
        }
        let past_before = (i.saturating_sub(10)..i).any(|j| self.is_past(j));
        if k > 0 && self.lex.word("deadline", self.lw(k - 1)).is_some() && !past_before {
            return true;
        }
        for j in (i.saturating_sub(10)..i).rev() {
            let w = self.lw(j);
            if self.lex.word("future", w).is_some() {
                return true;
            }
            if self.is_past(j) || matches!(w, "." | ";" | ":") {
                return false;
            }
        }
        let mut j = i;
        while j < self.lws.len() && j < i + 6 && !self.is_past(j) {
            if matches!(self.lw(j), "will" | "'ll" | "would") && j > i {
                return true;
            }
            j += 1;
        }
        false
    }

    /// Month name: (month, abbreviated). Capitalised, or lowercase before a
    /// day number; abbreviations must end with a period or be followed by a
    /// number.
    fn month(&self, i: usize) -> Option<(u32, bool)> {
        // Lowercase only right before a day number ("Bogota, march 4 -").
        if !self.cap(i) && (self.day(i + 1).is_none() || bare(self.lw(i)) == "may") {
            return None;
        }
        let lw = self.lw(i);
        let m: u32 = self.cat("month", i)?.parse().ok()?;
        let full = bare(lw).len() >= 5 || matches!(bare(lw), "may" | "june" | "july");
        if !full && !lw.ends_with('.') && self.lw(i + 1) != "." && !all_digits(self.lw(i + 1)) {
            return None;
        }
        Some((m, !full))
    }

    fn weekday_word(&self, i: usize) -> Option<u32> {
        if !self.cap(i) {
            return None;
        }
        let lw = self.lw(i);
        let d: u32 = self.cat("weekday", i)?.parse().ok()?;
        let full = bare(lw).ends_with("day");
        (full || lw.ends_with('.')).then_some(d)
    }

    fn day(&self, i: usize) -> Option<u32> {
        let w = self.lw(i);
        let n = w
            .strip_suffix("st")
            .or_else(|| w.strip_suffix("nd"))
            .or_else(|| w.strip_suffix("rd"))
            .or_else(|| w.strip_suffix("th"))
            .unwrap_or(w);
        if n.is_empty() || n.len() > 2 || !all_digits(n) {
            return None;
        }
        n.parse().ok().filter(|d| (1..=31).contains(d))
    }

    fn year_num(&self, i: usize) -> Option<i32> {
        let w = self.lw(i);
        if w.len() != 4 || !all_digits(w) {
            return None;
        }
        w.parse().ok().filter(|y| (1000..2200).contains(y))
    }

    /// Cardinal number: digits ("18", "1,500", "2.5") or words ("twenty
    /// four", "twenty-four", "a dozen").
    fn number(&self, i: usize) -> Option<(f64, usize)> {
        let w = self.lw(i);
        if w.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && w.bytes()
                .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
        {
            let n: f64 = w.replace(',', "").parse().ok()?;
            // "5 1/2 hours"
            if self.lw(i + 1) == "1/2" {
                return Some((n + 0.5, i + 2));
            }
            return Some((n, i + 1));
        }
        let (v, mut end) = self.phrase("number", i)?;
        let mut n: f64 = v.parse().ok()?;
        if (20.0..100.0).contains(&n) && n % 10.0 == 0.0 {
            let k = if self.lw(end) == "-" { end + 1 } else { end };
            if let Some(u) = self
                .lex
                .word("number", self.lw(k))
                .and_then(|u| u.parse::<f64>().ok())
            {
                if (1.0..10.0).contains(&u) && !matches!(self.lw(k), "a" | "an") {
                    n += u;
                    end = k + 1;
                }
            }
        }
        Some((n, end))
    }

    fn unit(&self, i: usize) -> Option<(Unit, bool)> {
        let lw = self.lw(i);
        let u = Unit::from_code(self.lex.word("unit", lw)?)?;
        Some((u, lw.ends_with('s') || lw == "centuries"))
    }

    fn after_cue(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let p = self.lw(i - 1);
        p == "-"
            || self.lex.word("yearcue", p).is_some()
            || self.lex.word("relmod", p).is_some()
            || self.lex.word("premod", p).is_some()
    }

    /// Absolute and month-based dates: "Thursday, April 6", "May 2, 2024",
    /// "2 May 2024", "March 1996", "May of 2019", "November", numeric forms.
    fn date_core(&self, i: usize) -> M {
        let mut j = i;
        let wd = self.weekday_word(j);
        if wd.is_some() {
            j += 1;
            if self.lw(j) == "," {
                j += 1;
            }
        }
        if let Some((m, abbr)) = self.month(j) {
            let mut k = j + 1;
            if self.lw(k) == "." && self.day(k + 1).is_some() {
                k += 1;
            }
            if let Some(d) = self.day(k) {
                if valid_md(m, d) {
                    k += 1;
                    if self.lw(k) == "," {
                        if let Some(y) = self.year_num(k + 1) {
                            if valid_ymd(y, m, d) {
                                return Some((k + 2, Sem::Date { y, m, d }, "month_day_year"));
                            }
                        }
                    }
                    if let Some(y) = self.year_num(k) {
                        if valid_ymd(y, m, d) {
                            return Some((k + 1, Sem::Date { y, m, d }, "month_day_year"));
                        }
                    }
                    return Some((k, Sem::MonthDay { m, d }, "month_day"));
                }
            }
            if wd.is_some() {
                return None;
            }
            let k = j + 1;
            if let Some(y) = self.year_num(k) {
                return Some((k + 1, Sem::YearMonth { y, m }, "month_year"));
            }
            // "January nineteen ninety-seven"
            if let Some((e, Sem::Year(y), _)) = self.spoken_year(k) {
                return Some((e, Sem::YearMonth { y, m }, "month_year"));
            }
            // "July last year", "March of next year"
            let kr = if self.lw(k) == "of" { k + 1 } else { k };
            if let Some((
                e,
                Sem::Unit {
                    unit: Unit::Year,
                    rel: Some(rel),
                },
                _,
            )) = self.rel(kr)
            {
                return Some((e, Sem::MonthRelYear { m, rel }, "month_rel_year"));
            }
            if matches!(self.lw(k), "," | "of") {
                if let Some(y) = self.year_num(k + 1) {
                    return Some((k + 2, Sem::YearMonth { y, m }, "month_year"));
                }
            }
            // "may" (modal) needs a cue word before it; "March" (verb) only
            // at the start of a sentence or quote.
            let at_start = j == 0 || matches!(self.lw(j - 1), "``" | "\"" | "“" | "(" | "--");
            let ok = match m {
                5 => self.after_cue(j),
                3 => !at_start || self.after_cue(j),
                _ => true,
            };
            if ok && !abbr {
                return Some((j + 1, Sem::Month { m, rel: None }, "month"));
            }
            return None;
        }
        if let Some(d) = self.day(j) {
            if let Some((m, _)) = self.month(j + 1) {
                if valid_md(m, d) {
                    let mut k = j + 2;
                    if self.lw(k) == "." {
                        k += 1;
                    }
                    if let Some(y) = self.year_num(k) {
                        if valid_ymd(y, m, d) {
                            return Some((k + 1, Sem::Date { y, m, d }, "day_month_year"));
                        }
                    }
                    return Some((j + 2, Sem::MonthDay { m, d }, "day_month"));
                }
            }
        }
        if wd.is_none() {
            if let Some(sem @ (Sem::Date { .. } | Sem::YearMonth { .. })) = numeric_word(self.lw(j))
            {
                return Some((j + 1, sem, "numeric_date"));
            }
        }
        None
    }

    /// Decades: "the 1990s", "the '90s", "1980s".
    fn decade(&self, i: usize) -> M {
        let j = if self.lw(i) == "the" { i + 1 } else { i };
        // "the nineties", "the eighties"
        if j > i {
            if let Some(x) = match self.lw(j) {
                "twenties" => Some(20),
                "thirties" => Some(30),
                "forties" => Some(40),
                "fifties" => Some(50),
                "sixties" => Some(60),
                "seventies" => Some(70),
                "eighties" => Some(80),
                "nineties" => Some(90),
                _ => None,
            } {
                return Some((j + 1, Sem::ShortDecade(x), "decade"));
            }
        }
        match numeric_word(self.lw(j)) {
            Some(sem @ (Sem::Decade(_) | Sem::ShortDecade(_))) => Some((j + 1, sem, "decade")),
            _ => {
                // "'" "90s" as two tokens
                if self.lw(j) == "'" {
                    let w = format!("'{}", self.lw(j + 1));
                    if let Some(sem @ Sem::ShortDecade(_)) = numeric_word(&w) {
                        return Some((j + 2, sem, "decade"));
                    }
                }
                None
            }
        }
    }

    /// Spoken years: "nineteen ninety-six", "the year two thousand".
    fn spoken_year(&self, i: usize) -> M {
        let j = if self.lw(i) == "the" && self.lw(i + 1) == "year" {
            i + 2
        } else {
            i
        };
        if self.lw(j) == "nineteen" {
            let (n, e) = self.number(j + 1)?;
            let ok = (10.0..100.0).contains(&n)
                && n.fract() == 0.0
                && !matches!(self.lw(j + 1), "a" | "an");
            return ok.then_some((e, Sem::Year(1900 + n as i32), "spoken_year"));
        }
        if self.lw(j) == "two" && self.lw(j + 1) == "thousand" && (j > i || self.after_cue(j)) {
            let mut e = j + 2;
            let mut y = 2000;
            let k = if self.lw(e) == "and" { e + 1 } else { e };
            if let Some((n, ne)) = self.number(k) {
                if (1.0..100.0).contains(&n)
                    && n.fract() == 0.0
                    && !matches!(self.lw(k), "a" | "an")
                {
                    y += n as i32;
                    e = ne;
                }
            }
            return Some((e, Sem::Year(y), "spoken_year"));
        }
        None
    }

    /// A bare four-digit year, with guards against quantities.
    fn year(&self, i: usize) -> M {
        let (j, rule) = if self.lw(i) == "fiscal" {
            (i + 1, "fiscal_year")
        } else {
            (i, "year")
        };
        let y = self.year_num(j)?;
        let next = self.lw(j + 1);
        if self.lex.word("yearblock", next).is_some() {
            return None;
        }
        if j > 0 && self.lex.word("yearprev", bare(self.lw(j - 1))).is_some() {
            return None;
        }
        let plausible = (1900..=2100).contains(&y);
        // Years outside 1900-2100 need a real temporal cue ("in 1848").
        let weak_cue = j > 0 && matches!(self.lw(j - 1), "the" | "and" | "to" | "-" | "for");
        let cue = j == i + 1 || self.after_cue(j) && (plausible || !weak_cue);
        let next_alpha = next.chars().next().is_some_and(char::is_alphabetic);
        if cue
            || (plausible && (!next_alpha || self.lex.word("yearcue", next).is_some()))
            || plausible && self.w.get(j + 1).is_some_and(|w| w.cap)
        {
            return Some((j + 1, Sem::Year(y), rule));
        }
        None
    }

    /// Year spec after a quarter/half/season: "of 1989", "1989", "of fiscal 1989".
    fn trailing_year(&self, k: usize) -> (usize, Option<i32>) {
        let mut j = k;
        if self.lw(j) == "of" {
            j += 1;
        }
        if self.lw(j) == "fiscal" {
            j += 1;
        }
        match self.year_num(j) {
            Some(y) => (j + 1, Some(y)),
            None => (k, None),
        }
    }

    /// "the third quarter", "third-quarter", "the first half of 1990".
    fn quarter(&self, i: usize) -> M {
        let mut j = i;
        if self.lw(j) == "the" {
            j += 1;
        }
        if self.lw(j) == "fiscal" {
            j += 1;
        }
        // "the 1988 third quarter"
        let lead_year = if j > i { self.year_num(j) } else { None };
        if lead_year.is_some() {
            j += 1;
        }
        let q: u32 = self.lex.word("ordinal", self.lw(j))?.parse().ok()?;
        j += 1;
        if self.lw(j) == "-" {
            j += 1;
        }
        if self.lw(j) == "fiscal" {
            j += 1;
        }
        // "third-quarter" is an adjective: TimeML leaves "the" outside.
        // (The match is then found one word later, without "the".)
        if self.lw(j - 1) == "-" && self.lw(i) == "the" {
            return None;
        }
        let half = match self.lw(j) {
            "quarter" => false,
            "half" if q <= 2 => true,
            _ => return None,
        };
        let (end, year) = self.trailing_year(j + 1);
        let year = year.or(lead_year);
        if half {
            Some((end, Sem::Half { h: q, year }, "half"))
        } else {
            Some((end, Sem::Quarter { q, year }, "quarter"))
        }
    }

    /// "last week", "this year", "next Friday", "last April", "this summer",
    /// "this morning", "last night", "the past two months", "the weekend".
    fn rel(&self, i: usize) -> M {
        let mut j = i;
        let the = self.lw(j) == "the";
        if the {
            j += 1;
        }
        let Some((r, k)) = self.phrase("relmod", j) else {
            // "the quarter" in business news: the latest completed quarter.
            if the && self.lw(j) == "quarter" && !matches!(self.lw(j + 1), "-" | "of") {
                return Some((
                    j + 1,
                    Sem::Unit {
                        unit: Unit::Quarter,
                        rel: Some(-1),
                    },
                    "the_quarter",
                ));
            }
            if the && matches!(self.lw(j), "weekend") {
                return Some((
                    j + 1,
                    Sem::Unit {
                        unit: Unit::Weekend,
                        rel: None,
                    },
                    "the_weekend",
                ));
            }
            return None;
        };
        let r: i32 = r.parse().ok()?;
        let rw = self.lw(j);
        // "the past two months", "last three years", "the next few weeks"
        let qty = self
            .number(k)
            .map(|(n, e)| (Some(n), e))
            .or_else(|| self.phrase("vague", k).map(|(_, e)| (None, e)));
        if let Some((n, e)) = qty {
            if let Some((unit, _)) = self.unit(e) {
                if !matches!(self.lw(k), "a" | "an") {
                    return Some((e + 1, Sem::Duration { n, unit }, "rel_duration"));
                }
            }
        }
        if the {
            // "the past week", "the coming year": a duration of one unit.
            if let Some((unit, plural)) = self.unit(k) {
                // "the previous week": the week before this one.
                if rw == "previous" && !plural {
                    return Some((
                        k + 1,
                        Sem::Unit {
                            unit,
                            rel: Some(-1),
                        },
                        "rel_unit",
                    ))
                    .filter(|_| {
                        matches!(unit, Unit::Week | Unit::Month | Unit::Quarter | Unit::Year)
                    });
                }
                if matches!(rw, "past" | "last" | "next" | "coming" | "previous") {
                    let n = if plural { None } else { Some(1.0) };
                    return Some((k + 1, Sem::Duration { n, unit }, "rel_duration"));
                }
                if matches!(rw, "current" | "latest") && !plural {
                    return Some((k + 1, Sem::Unit { unit, rel: Some(r) }, "rel_unit"));
                }
            }
            return None;
        }
        if let Some((unit, plural)) = self.unit(k) {
            if plural && unit != Unit::Weekend {
                // "in coming weeks", "over past years"
                if matches!(rw, "coming" | "past" | "next" | "last") {
                    return Some((k + 1, Sem::Duration { n: None, unit }, "rel_duration"));
                }
                return None;
            }
            if matches!(
                unit,
                Unit::Week
                    | Unit::Weekend
                    | Unit::Month
                    | Unit::Quarter
                    | Unit::Year
                    | Unit::Decade
            ) {
                return Some((k + 1, Sem::Unit { unit, rel: Some(r) }, "rel_unit"));
            }
            return None;
        }
        if !matches!(
            rw,
            "this" | "last" | "next" | "this past" | "this coming" | "past" | "coming"
        ) {
            return None;
        }
        if let Some(wd) = self.weekday_word(k) {
            let sem = Sem::Weekday { wd, rel: Some(r) };
            if let Some(part) = self.lex.word("part", self.lw(k + 1)) {
                return Some((
                    k + 2,
                    Sem::PartOfDay {
                        day: Box::new(sem),
                        part: part.into(),
                    },
                    "rel_weekday_part",
                ));
            }
            return Some((k + 1, sem, "rel_weekday"));
        }
        if let Some((m, _)) = self.month(k) {
            // "last Oct. 23": the date itself.
            if let Some((e, sem @ Sem::MonthDay { .. }, _)) = self.date_core(k) {
                return Some((e, sem, "rel_month_day"));
            }
            return Some((k + 1, Sem::Month { m, rel: Some(r) }, "rel_month"));
        }
        if let Some((e, Sem::Holiday { spec, .. }, _)) = self.holiday(k) {
            return Some((e, Sem::Holiday { spec, rel: Some(r) }, "rel_holiday"));
        }
        if let Some(s) = self.lex.word("season", self.lw(k)) {
            return Some((
                k + 1,
                Sem::Season {
                    s: season_code(s),
                    year: None,
                    rel: Some(r),
                },
                "rel_season",
            ));
        }
        if let Some(part) = self.lex.word("part", self.lw(k)) {
            let day = match (rw, part) {
                ("this", _) => 0,
                ("last", "NI" | "EV") => -1,
                _ => return None,
            };
            return Some((
                k + 1,
                Sem::PartOfDay {
                    day: Box::new(Sem::DayRel(day)),
                    part: part.into(),
                },
                "rel_part",
            ));
        }
        None
    }

    /// Quantities of units: durations ("three weeks", "two-year", "several
    /// years"), offsets ("three years ago", "a year earlier", "two days
    /// after ...") and rates ("$5 a day" is a set).
    fn quantity(&self, i: usize) -> M {
        let mut j = i;
        if let Some((_, e)) = self.phrase("approx", j) {
            j = e;
        }
        let approx = j > i;
        if self.lw(j) == "the" && !approx {
            // "the nine months", "the first nine months"
            let k = if matches!(self.lw(j + 1), "first" | "initial" | "final") {
                j + 2
            } else {
                j + 1
            };
            if self.number(k).is_some() && !matches!(self.lw(k), "a" | "an") {
                j = k;
            }
        }
        let (n, vague, mut k) = match self.number(j) {
            Some((n, e)) => (Some(n), false, e),
            None => match self.phrase("vague", j) {
                Some((_, e)) => (None, true, e),
                None => (None, false, j),
            },
        };
        if n.is_none() && !vague && self.lw(j) == "recent" {
            k = j + 1;
        }
        let mut hy = false;
        if self.lw(k) == "-" && n.is_some() {
            k += 1;
            hy = true;
        }
        let (unit, plural) = self.unit(k)?;
        let end = k + 1;
        // "a second round": an ordinal, not a duration.
        if unit == Unit::Second && matches!(self.lw(j), "a" | "an") {
            return None;
        }
        // "a quarter of the vote", "three-quarters": fractions.
        let fraction = hy || self.lw(end) == "of" && n.is_some_and(|n| n <= 3.0);
        if unit == Unit::Quarter && fraction {
            return None;
        }
        // "the 1988 quarter", "the second quarter": a year, an ordinal.
        if self.year_num(j).is_some() && !plural
            || self.lw(k) == "second" && matches!(self.lw(end), "quarter" | "half")
        {
            return None;
        }
        // Ages and adjectival compounds: "44-year-old".
        if self.lw(end) == "old" || self.lw(end) == "-" && self.lw(end + 1) == "old" {
            return None;
        }
        let bare_plural = n.is_none() && !vague && k == j;
        if bare_plural {
            // "for years", "within weeks": a vague duration only after a cue.
            // "days after the attack", "months ago", "the weeks before".
            let cue = j > 0
                && matches!(
                    self.lw(j - 1),
                    "for" | "within" | "over" | "in" | "after" | "recent"
                )
                || self.phrase("offset", k + 1).is_some();
            if !plural || !cue || approx || unit == Unit::Weekend {
                return None;
            }
        }
        if (vague || k > j && n.is_none()) && !plural {
            return None;
        }
        if let Some((v, oe)) = self.phrase("offset", end) {
            if !hy {
                let (inside, sign) = v.split_once(':')?;
                let sign: i32 = sign.parse().ok()?;
                // "from 80 mln dlrs a year before.": nothing follows, so it
                // counts from the anchor like "a year earlier".
                let next = self.lw(oe);
                let dangling = next.is_empty()
                    || !next.chars().next().is_some_and(char::is_alphanumeric)
                    || matches!(next, "and" | "but" | "or" | "when" | "while");
                if inside == "in" || dangling && matches!(self.lw(end), "before" | "after") {
                    return Some((oe, Sem::Offset { n, unit, sign }, "offset"));
                }
                return Some((
                    end,
                    Sem::OffsetFrom {
                        n,
                        unit,
                        sign,
                        next: oe,
                    },
                    "offset_from",
                ));
            }
        }
        if matches!(self.lw(j), "a" | "an") && !approx && i > 0 {
            // "15.8 mln barrels a day", "twice a week": a quantity just before.
            let rate = (i.saturating_sub(4)..i).any(|q| {
                let p = self.lw(q);
                p.bytes().next().is_some_and(|b| b.is_ascii_digit())
                    || matches!(
                        p,
                        "million"
                            | "billion"
                            | "mln"
                            | "bln"
                            | "times"
                            | "once"
                            | "twice"
                            | "thrice"
                    )
            });
            if rate {
                return Some((end, Sem::Set(duration_value(Some(1.0), unit)), "rate"));
            }
        }
        if unit == Unit::Weekend && n.is_none() {
            return None;
        }
        Some((end, Sem::Duration { n, unit }, "duration"))
    }

    fn dayrel(&self, i: usize) -> M {
        if self.lw(i) == "tonight" {
            let sem = Sem::PartOfDay {
                day: Box::new(Sem::DayRel(0)),
                part: "NI".into(),
            };
            return Some((i + 1, sem, "tonight"));
        }
        let (v, e) = self.phrase("dayrel", i)?;
        let sem = Sem::DayRel(v.parse().ok()?);
        if let Some(part) = self.lex.word("part", self.lw(e)) {
            return Some((
                e + 1,
                Sem::PartOfDay {
                    day: Box::new(sem),
                    part: part.into(),
                },
                "dayrel_part",
            ));
        }
        Some((e, sem, "dayrel"))
    }

    fn weekday(&self, i: usize) -> M {
        let wd = self.weekday_word(i)?;
        let sem = Sem::Weekday { wd, rel: None };
        if let Some(part) = self.lex.word("part", self.lw(i + 1)) {
            return Some((
                i + 2,
                Sem::PartOfDay {
                    day: Box::new(sem),
                    part: part.into(),
                },
                "weekday_part",
            ));
        }
        Some((i + 1, sem, "weekday"))
    }

    /// "the summer", "in the fall of 1998", "winter 1994".
    fn season(&self, i: usize) -> M {
        let the = self.lw(i) == "the";
        let j = if the { i + 1 } else { i };
        let s = season_code(self.lex.word("season", self.lw(j))?);
        let (end, year) = self.trailing_year(j + 1);
        if year.is_some() {
            return Some((end, Sem::Season { s, year, rel: None }, "season_year"));
        }
        let cue = i > 0
            && matches!(
                self.lw(i - 1),
                "in" | "during" | "since" | "until" | "by" | "through" | "early" | "late"
            );
        if (the || cue) && self.lw(j + 1) != "of" {
            return Some((
                j + 1,
                Sem::Season {
                    s,
                    year: None,
                    rel: None,
                },
                "season",
            ));
        }
        None
    }

    /// Clock times: "10 a.m.", "10:35 a.m. EST", "noon Thursday", "5 p.m. EST, Nov. 9".
    fn time(&self, i: usize) -> M {
        let mut j = i;
        if matches!(self.lw(j), "about" | "around" | "approximately") {
            j += 1;
        }
        let (h, min, mut k) = if let Some(v) = self.lex.word("clock", self.lw(j)) {
            let (h, m) = v.split_once(':')?;
            (h.parse().ok()?, m.parse().ok()?, j + 1)
        } else {
            let w = self.lw(j);
            // fused suffix: "10am", "10:30pm"
            let (num, fused) = match w.find(|c: char| c.is_ascii_alphabetic()) {
                Some(p) if p > 0 => (&w[..p], self.lex.word("ampm", &w[p..])),
                _ => (w, None),
            };
            let (h, m): (u32, u32) = match num.split_once(':') {
                Some((h, m)) if all_digits(h) && m.len() == 2 && all_digits(m) => {
                    (h.parse().ok()?, m.parse().ok()?)
                }
                None if all_digits(num) && num.len() <= 2 => (num.parse().ok()?, 0),
                _ => return None,
            };
            let (ampm, k) = match fused {
                Some(a) => (Some(a), j + 1),
                None => match self.lex.word("ampm", self.lw(j + 1)) {
                    Some(a) => (Some(a), j + 2),
                    None => (None, j + 1),
                },
            };
            let h = match ampm {
                Some(_) if !(1..=12).contains(&h) => return None,
                Some("PM") if h < 12 => h + 12,
                Some("AM") if h == 12 => 0,
                Some(_) => h,
                None => {
                    // "10:30" alone only with a time-zone word after it.
                    if !num.contains(':') || self.lex.word("tz", self.lw(k)).is_none() || h > 24 {
                        return None;
                    }
                    h
                }
            };
            if m > 59 {
                return None;
            }
            (h, m, k)
        };
        if self.lex.word("tz", self.lw(k)).is_some() {
            k += 1;
        }
        // A following day: "10 a.m. Friday", "noon today", "5 p.m. EST, Nov. 9".
        let d = if self.lw(k) == "," { k + 1 } else { k };
        let day = self
            .dayrel(d)
            .or_else(|| self.weekday(d))
            .or_else(|| self.date_core(d));
        if let Some((e, sem, _)) = day {
            if matches!(
                sem,
                Sem::DayRel(_) | Sem::Weekday { .. } | Sem::MonthDay { .. } | Sem::Date { .. }
            ) {
                return Some((
                    e,
                    Sem::Time {
                        h,
                        min,
                        day: Some(Box::new(sem)),
                    },
                    "clock_day",
                ));
            }
        }
        Some((k, Sem::Time { h, min, day: None }, "clock"))
    }

    /// Frequencies: "daily", "every day", "each Thursday", "every other week".
    fn set(&self, i: usize) -> M {
        if let Some(v) = self.lex.word("set", self.lw(i)) {
            return Some((i + 1, Sem::Set(v.into()), "set"));
        }
        if !matches!(self.lw(i), "every" | "each" | "per") {
            return None;
        }
        let mut j = i + 1;
        let mut n = 1.0;
        if self.lw(j) == "other" {
            n = 2.0;
            j += 1;
        } else if let Some((v, e)) = self.number(j) {
            n = v;
            j = e;
        }
        if let Some(wd) = self.weekday_word(j) {
            return Some((j + 1, Sem::Set(format!("XXXX-WXX-{wd}")), "set_weekday"));
        }
        if let Some((m, _)) = self.month(j) {
            return Some((j + 1, Sem::Set(format!("XXXX-{m:02}")), "set_month"));
        }
        let (unit, _) = self.unit(j)?;
        Some((j + 1, Sem::Set(duration_value(Some(n), unit)), "set_unit"))
    }

    /// Narrative anchors: "that day", "that same week", "later that year",
    /// "the next day", "the following morning", "the day before.".
    fn narrative(&self, i: usize) -> M {
        let mut j = i;
        if matches!(self.lw(j), "earlier" | "later") {
            j += 1;
        }
        let (shift, k) = match (self.lw(j), self.lw(j + 1)) {
            ("that", "same") | ("the", "same") => (0, j + 2),
            ("that", _) => (0, j + 1),
            ("the", "next" | "following") => (1, j + 2),
            ("the", "previous" | "preceding") => (-1, j + 2),
            ("the", "day") if j == i && matches!(self.lw(j + 2), "before" | "after") => {
                let next = self.lw(j + 3);
                if !next.is_empty() && next.chars().next().is_some_and(char::is_alphanumeric) {
                    return None;
                }
                let shift = if self.lw(j + 2) == "before" { -1 } else { 1 };
                return Some((
                    j + 3,
                    Sem::Narrative {
                        unit: Unit::Day,
                        shift,
                        part: None,
                    },
                    "narrative",
                ));
            }
            _ => return None,
        };
        let w = self.lw(k);
        let (unit, part) = match (w, self.lex.word("part", w)) {
            (_, Some(p)) => (Unit::Day, Some(p.to_string())),
            ("day", _) => (Unit::Day, None),
            ("week", _) if shift >= 0 => (Unit::Week, None),
            ("month", _) if shift >= 0 => (Unit::Month, None),
            ("year", _) if shift >= 0 => (Unit::Year, None),
            _ => return None,
        };
        // "earlier"/"later" only with "that": "later that day".
        if j > i && self.lw(j) != "that" {
            return None;
        }
        Some((k + 1, Sem::Narrative { unit, shift, part }, "narrative"))
    }

    /// Holidays: "Christmas", "Thanksgiving Day", "New Year's Day". The
    /// first word must be capitalised.
    fn holiday(&self, i: usize) -> M {
        if !self.cap(i) {
            return None;
        }
        let (v, e) = self.phrase("holiday", i)?;
        Some((
            e,
            Sem::Holiday {
                spec: v.into(),
                rel: None,
            },
            "holiday",
        ))
    }

    fn refs(&self, i: usize) -> M {
        let (v, e) = self.phrase("ref", i)?;
        Some((e, Sem::Ref(v.into()), "ref"))
    }

    /// Modifiers that widen the span but keep the value: "early November",
    /// "late 1990s", "mid-1996", "the end of 1994", "earlier this month".
    fn premod(&self, i: usize) -> M {
        let mut j = i;
        if self.lw(j) == "the" && matches!(self.lw(j + 1), "early" | "late" | "mid") {
            j += 1;
        }
        let (v, mut k) = self.phrase("premod", j)?;
        if self.lw(k) == "-" {
            k += 1;
        }
        let core = if matches!(v, "BEFORE" | "AFTER") {
            // "earlier this month", "later today"
            self.rel(k).or_else(|| self.dayrel(k))
        } else {
            [
                self.date_core(k),
                self.decade(k),
                self.year(k),
                self.quarter(k),
                self.rel(k),
                self.season(k),
                self.weekday(k),
                self.dayrel(k),
            ]
            .into_iter()
            .flatten()
            .max_by_key(|c| c.0)
        };
        let (end, sem, _) = core?;
        if matches!(sem, Sem::Duration { .. }) {
            return None;
        }
        Some((end, sem, "premod"))
    }
}

fn season_code(s: &str) -> &'static str {
    match s {
        "SP" => "SP",
        "SU" => "SU",
        "FA" => "FA",
        _ => "WI",
    }
}

/// TIMEX3 duration value: "P3W", "PT16H", "PXY", "P40Y" for four decades.
pub(crate) fn duration_value(n: Option<f64>, unit: Unit) -> String {
    let (time, mult, code) = match unit {
        Unit::Second => (true, 1.0, "S"),
        Unit::Minute => (true, 1.0, "M"),
        Unit::Hour => (true, 1.0, "H"),
        Unit::Day => (false, 1.0, "D"),
        Unit::Week => (false, 1.0, "W"),
        Unit::Weekend => (false, 1.0, "WE"),
        Unit::Fortnight => (false, 2.0, "W"),
        Unit::Month => (false, 1.0, "M"),
        Unit::Quarter => (false, 1.0, "Q"),
        Unit::Year => (false, 1.0, "Y"),
        Unit::Decade => (false, 10.0, "Y"),
        Unit::Century => (false, 100.0, "Y"),
    };
    let p = if time { "PT" } else { "P" };
    let Some(n) = n else {
        let code = if unit == Unit::Decade {
            "DE"
        } else if unit == Unit::Century {
            "CE"
        } else {
            code
        };
        return format!("{p}X{code}");
    };
    let n = n * mult;
    if n.fract() == 0.0 {
        return format!("{p}{}{code}", n as i64);
    }
    if unit == Unit::Hour {
        return format!(
            "PT{}H{}M",
            n.trunc() as i64,
            (n.fract() * 60.0).round() as i64
        );
    }
    if unit == Unit::Day {
        return format!(
            "P{}DT{}H",
            n.trunc() as i64,
            (n.fract() * 24.0).round() as i64
        );
    }
    format!("{p}{n}{code}")
}
