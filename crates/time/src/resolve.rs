//! Resolution: turns a recognised meaning ([`Sem`]) into a TIMEX3 value,
//! relative to an anchor date (the publication date). News-safe: bare
//! expressions resolve backwards ("Wednesday" is the latest Wednesday not
//! after the anchor) unless the clause reads as future.

use crate::matcher::{duration_value, Sem, Unit};
use crate::{Precision, TimexType};
use chrono::{Datelike, Days, Months, NaiveDate};

/// A resolved expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub kind: TimexType,
    pub value: String,
    pub precision: Precision,
    pub anchored: bool,
    /// The day it denotes, when it denotes one day (used to anchor
    /// "two days after <this>").
    pub day: Option<NaiveDate>,
}

fn res(kind: TimexType, value: String, precision: Precision, anchored: bool) -> Resolved {
    Resolved {
        kind,
        value,
        precision,
        anchored,
        day: None,
    }
}

pub(crate) fn fmt_day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub(crate) fn fmt_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn day_res(d: NaiveDate, anchored: bool) -> Resolved {
    Resolved {
        day: Some(d),
        ..res(TimexType::Date, fmt_day(d), Precision::Day, anchored)
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = u32::try_from(n.unsigned_abs()).ok()?;
    if n >= 0 {
        d.checked_add_months(Months::new(m))
    } else {
        d.checked_sub_months(Months::new(m))
    }
}

/// (year, month) shifted by `n` months.
fn shift_month(y: i32, m: u32, n: i64) -> (i32, u32) {
    let idx = y as i64 * 12 + (m as i64 - 1) + n;
    (idx.div_euclid(12) as i32, (idx.rem_euclid(12) + 1) as u32)
}

fn unresolved(p: Precision) -> Resolved {
    let v = match p {
        Precision::Week => "XXXX-WXX",
        Precision::Month => "XXXX-XX",
        Precision::Year => "XXXX",
        _ => "XXXX-XX-XX",
    };
    res(TimexType::Date, v.into(), Precision::None, false)
}

fn season_start(s: &str) -> u32 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// Resolves `sem` against `anchor`. `future` selects forward resolution for
/// bare weekdays, months and seasons.
pub(crate) fn resolve(sem: &Sem, anchor: Option<NaiveDate>, future: bool) -> Resolved {
    use TimexType::*;
    match sem {
        Sem::Date { y, m, d } => match NaiveDate::from_ymd_opt(*y, *m, *d) {
            Some(day) => day_res(day, false),
            None => unresolved(Precision::Day),
        },
        Sem::YearMonth { y, m } => res(Date, format!("{y:04}-{m:02}"), Precision::Month, false),
        Sem::Year(y) => res(Date, format!("{y:04}"), Precision::Year, false),
        Sem::Decade(y) => res(Date, format!("{:03}", y / 10), Precision::Decade, false),
        Sem::ShortDecade(x) => {
            let (y, anchored) = match anchor {
                Some(a) => {
                    let mut y = a.year() / 100 * 100 + x;
                    if y > a.year() {
                        y -= 100;
                    }
                    (y, true)
                }
                None => (1900 + x, false),
            };
            res(Date, format!("{:03}", y / 10), Precision::Decade, anchored)
        }
        Sem::MonthDay { m, d } => {
            let Some(a) = anchor else {
                return res(Date, format!("XXXX-{m:02}-{d:02}"), Precision::None, false);
            };
            // Year from context, news-safe (see `pick_year`).
            let cands =
                (a.year() - 1..=a.year() + 1).filter_map(|y| NaiveDate::from_ymd_opt(y, *m, *d));
            let best = pick_year(cands, a, future);
            match best {
                Some(day) => day_res(day, true),
                None => unresolved(Precision::Day),
            }
        }
        Sem::Holiday { spec, rel } => {
            let Some(a) = anchor else {
                return res(Date, "XXXX-XX-XX".into(), Precision::None, false);
            };
            let mut cands = (a.year() - 1..=a.year() + 1).filter_map(|y| holiday_date(spec, y));
            let pick = match rel {
                Some(r) if *r < 0 => cands.filter(|c| *c < a).max(),
                Some(r) if *r > 0 => cands.find(|c| *c > a),
                _ => pick_year(cands, a, future),
            };
            match pick {
                Some(day) => day_res(day, true),
                None => unresolved(Precision::Day),
            }
        }
        Sem::MonthRelYear { m, rel } => match anchor {
            Some(a) => res(
                Date,
                format!("{:04}-{m:02}", a.year() + rel),
                Precision::Month,
                true,
            ),
            None => res(Date, format!("XXXX-{m:02}"), Precision::None, false),
        },
        Sem::Month { m, rel } => {
            let Some(a) = anchor else {
                return res(Date, format!("XXXX-{m:02}"), Precision::None, false);
            };
            let (ay, am) = (a.year(), a.month());
            let y = match rel {
                Some(0) => ay,
                Some(r) if *r < 0 => {
                    if *m < am {
                        ay
                    } else {
                        ay - 1
                    }
                }
                Some(_) => {
                    if *m > am {
                        ay
                    } else {
                        ay + 1
                    }
                }
                None if future => {
                    if *m >= am {
                        ay
                    } else {
                        ay + 1
                    }
                }
                None => {
                    if *m <= am {
                        ay
                    } else {
                        ay - 1
                    }
                }
            };
            res(Date, format!("{y:04}-{m:02}"), Precision::Month, true)
        }
        Sem::Weekday { wd, rel } => {
            let Some(a) = anchor else {
                return res(Date, format!("XXXX-WXX-{wd}"), Precision::None, false);
            };
            let cur = a.weekday().number_from_monday() as i64;
            let back = (cur - *wd as i64).rem_euclid(7);
            let fwd = (*wd as i64 - cur).rem_euclid(7);
            let n = match rel {
                Some(r) if *r < 0 => -(if back == 0 { 7 } else { back }),
                Some(r) if *r > 0 => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                Some(_) => fwd,
                None if future => fwd,
                None => -back,
            };
            match add_days(a, n) {
                Some(d) => day_res(d, true),
                None => unresolved(Precision::Day),
            }
        }
        Sem::DayRel(n) => match anchor.and_then(|a| add_days(a, *n)) {
            Some(d) => day_res(d, true),
            None => unresolved(Precision::Day),
        },
        Sem::Unit { unit, rel } => {
            let Some(a) = anchor else {
                return unresolved(Precision::None);
            };
            let weekend_now = a.weekday().number_from_monday() >= 6;
            let r = rel.unwrap_or(if *unit == Unit::Weekend && !weekend_now {
                -1
            } else {
                0
            }) as i64;
            match unit {
                Unit::Week | Unit::Weekend => match add_days(a, 7 * r) {
                    Some(d) if *unit == Unit::Week => res(Date, fmt_week(d), Precision::Week, true),
                    Some(d) => res(Date, format!("{}-WE", fmt_week(d)), Precision::Week, true),
                    None => unresolved(Precision::Week),
                },
                Unit::Month => {
                    let (y, m) = shift_month(a.year(), a.month(), r);
                    res(Date, format!("{y:04}-{m:02}"), Precision::Month, true)
                }
                Unit::Quarter => {
                    let (y, m) = shift_month(a.year(), a.month(), 3 * r);
                    res(
                        Date,
                        format!("{y:04}-Q{}", (m - 1) / 3 + 1),
                        Precision::Quarter,
                        true,
                    )
                }
                Unit::Year => res(
                    Date,
                    format!("{:04}", a.year() as i64 + r),
                    Precision::Year,
                    true,
                ),
                Unit::Decade => res(
                    Date,
                    format!("{:03}", a.year() as i64 / 10 + r),
                    Precision::Decade,
                    true,
                ),
                _ => unresolved(Precision::None),
            }
        }
        Sem::Quarter { q, year } => {
            let y = match (year, anchor) {
                (Some(y), _) => *y,
                (None, Some(a)) => {
                    let aq = (a.month() - 1) / 3 + 1;
                    if future {
                        if *q >= aq {
                            a.year()
                        } else {
                            a.year() + 1
                        }
                    } else if *q <= aq {
                        a.year()
                    } else {
                        a.year() - 1
                    }
                }
                (None, None) => return res(Date, format!("XXXX-Q{q}"), Precision::None, false),
            };
            res(
                Date,
                format!("{y:04}-Q{q}"),
                Precision::Quarter,
                year.is_none(),
            )
        }
        Sem::Half { h, year } => {
            let y = match (year, anchor) {
                (Some(y), _) => *y,
                (None, Some(a)) => {
                    let ah = if a.month() <= 6 { 1 } else { 2 };
                    if future {
                        if *h >= ah {
                            a.year()
                        } else {
                            a.year() + 1
                        }
                    } else if *h <= ah {
                        a.year()
                    } else {
                        a.year() - 1
                    }
                }
                (None, None) => return res(Date, format!("XXXX-H{h}"), Precision::None, false),
            };
            res(
                Date,
                format!("{y:04}-H{h}"),
                Precision::Quarter,
                year.is_none(),
            )
        }
        Sem::Season { s, year, rel } => {
            if let Some(y) = year {
                return res(Date, format!("{y:04}-{s}"), Precision::Season, false);
            }
            let Some(a) = anchor else {
                return res(Date, format!("XXXX-{s}"), Precision::None, false);
            };
            // Seasons are compared by their start month index.
            let idx = |y: i32, m: u32| y as i64 * 12 + m as i64;
            let (ay, am) = (a.year(), a.month());
            let cur_start = match am {
                3..=5 => idx(ay, 3),
                6..=8 => idx(ay, 6),
                9..=11 => idx(ay, 9),
                12 => idx(ay, 12),
                _ => idx(ay - 1, 12),
            };
            let sm = season_start(s);
            let cands: Vec<i32> = (ay - 2..=ay + 1).collect();
            let pick = match rel {
                Some(r) if *r < 0 => cands.iter().rev().find(|&&y| idx(y, sm) < cur_start),
                Some(r) if *r > 0 => cands.iter().find(|&&y| idx(y, sm) > cur_start),
                // "this summer": the occurrence nearest the anchor, earlier on ties.
                Some(_) => cands
                    .iter()
                    .min_by_key(|&&y| (idx(y, sm) + 1 - idx(ay, am)).abs()),
                None if future => cands.iter().find(|&&y| idx(y, sm) >= cur_start),
                None => cands.iter().rev().find(|&&y| idx(y, sm) <= idx(ay, am)),
            };
            match pick {
                Some(y) => res(Date, format!("{y:04}-{s}"), Precision::Season, true),
                None => unresolved(Precision::None),
            }
        }
        Sem::Offset { n, unit, sign } => match (n, anchor) {
            (Some(n), Some(a)) => offset(a, *n, *unit, *sign),
            (None, _) => res(
                Date,
                if *sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into(),
                Precision::None,
                false,
            ),
            (Some(_), None) => unresolved(Precision::None),
        },
        // Resolved by the caller when its anchor expression is known.
        Sem::OffsetFrom { .. } | Sem::Narrative { .. } => unresolved(Precision::None),
        Sem::Duration { n, unit } => {
            res(Duration, duration_value(*n, *unit), Precision::None, false)
        }
        Sem::Ref(v) => res(Date, v.clone(), Precision::None, false),
        Sem::Set(v) => res(Set, v.clone(), Precision::None, false),
        Sem::Time { h, min, day } => {
            let base = match day {
                Some(d) => resolve(d, anchor, future),
                None => match anchor {
                    Some(a) => day_res(a, true),
                    None => unresolved(Precision::Day),
                },
            };
            let clock = format!("T{h:02}:{min:02}");
            match base.day {
                Some(d) => Resolved {
                    kind: Time,
                    value: format!("{}{clock}", fmt_day(d)),
                    precision: Precision::Day,
                    anchored: base.anchored,
                    day: Some(d),
                },
                None => res(Time, format!("XXXX-XX-XX{clock}"), Precision::None, false),
            }
        }
        Sem::PartOfDay { day, part } => {
            let base = resolve(day, anchor, future);
            match base.day {
                Some(d) => Resolved {
                    kind: Time,
                    value: format!("{}T{part}", fmt_day(d)),
                    precision: Precision::Day,
                    anchored: base.anchored,
                    day: Some(d),
                },
                None => res(Time, format!("XXXX-XX-XXT{part}"), Precision::None, false),
            }
        }
    }
}

/// `n` units before (`sign` < 0) or after the anchor date.
pub(crate) fn offset(a: NaiveDate, n: f64, unit: Unit, sign: i32) -> Resolved {
    use TimexType::Date;
    let s = sign.signum() as i64;
    // Nothing larger is a time expression; keeps the arithmetic in range.
    if !(0.0..=100_000.0).contains(&n) {
        return unresolved(Precision::None);
    }
    let whole = n.round() as i64;
    let r = match unit {
        Unit::Second | Unit::Minute | Unit::Hour => add_days(a, 0).map(|d| day_res(d, true)),
        Unit::Day => add_days(a, s * whole).map(|d| day_res(d, true)),
        Unit::Week | Unit::Weekend => {
            add_days(a, s * 7 * whole).map(|d| res(Date, fmt_week(d), Precision::Week, true))
        }
        Unit::Fortnight => {
            add_days(a, s * 14 * whole).map(|d| res(Date, fmt_week(d), Precision::Week, true))
        }
        Unit::Month => add_months(a, s * whole).map(|d| {
            res(
                Date,
                format!("{:04}-{:02}", d.year(), d.month()),
                Precision::Month,
                true,
            )
        }),
        Unit::Quarter => add_months(a, s * 3 * whole).map(|d| {
            res(
                Date,
                format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
                Precision::Quarter,
                true,
            )
        }),
        Unit::Year | Unit::Decade | Unit::Century => {
            let k = match unit {
                Unit::Decade => 10,
                Unit::Century => 100,
                _ => 1,
            };
            let y = a.year() as i64 + s * k * whole;
            Some(res(Date, format!("{y:04}"), Precision::Year, true))
        }
    };
    r.unwrap_or_else(|| unresolved(Precision::None))
}

/// Among dates of the same calendar day in different years, the latest one
/// not more than two months after the anchor; in a future clause, the
/// earliest one not more than a month before it.
fn pick_year(
    cands: impl Iterator<Item = NaiveDate>,
    a: NaiveDate,
    future: bool,
) -> Option<NaiveDate> {
    if future {
        cands.filter(|c| (*c - a).num_days() >= -30).min()
    } else {
        cands.filter(|c| (*c - a).num_days() <= 60).max()
    }
}

/// The date of a holiday in year `y`. Specs (from the lexicon): `MM-DD`
/// fixed; `MM/N/W` the N-th weekday W (1 = Monday) of month MM, N = -1 for
/// the last; `E+N` N days after (Western) Easter Sunday.
pub(crate) fn holiday_date(spec: &str, y: i32) -> Option<NaiveDate> {
    if let Some(off) = spec.strip_prefix('E') {
        let off: i64 = off.parse().ok()?;
        return add_days(easter(y)?, off);
    }
    if !spec.contains('/') {
        let (m, d) = spec.split_once('-')?;
        return NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?);
    }
    let mut it = spec.split('/');
    let (m, n, w): (u32, i32, u32) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    let wd = match w {
        1 => chrono::Weekday::Mon,
        2 => chrono::Weekday::Tue,
        3 => chrono::Weekday::Wed,
        4 => chrono::Weekday::Thu,
        5 => chrono::Weekday::Fri,
        6 => chrono::Weekday::Sat,
        7 => chrono::Weekday::Sun,
        _ => return None,
    };
    if n > 0 {
        NaiveDate::from_weekday_of_month_opt(y, m, wd, u8::try_from(n).ok()?)
    } else {
        (1..=5)
            .rev()
            .find_map(|k| NaiveDate::from_weekday_of_month_opt(y, m, wd, k))
    }
}

/// Western Easter Sunday (anonymous Gregorian algorithm).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(y, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Resolves a narrative expression ("the next day", "that year") against
/// the previous resolved expression of the document (`last`: its first day
/// and precision); unresolved when that is missing or too coarse.
pub(crate) fn narrative(
    unit: Unit,
    shift: i64,
    part: Option<&str>,
    last: Option<(NaiveDate, Precision)>,
) -> Resolved {
    use TimexType::{Date, Time};
    let Some((d, p)) = last else {
        return unresolved(Precision::None);
    };
    let r = match unit {
        Unit::Day if p == Precision::Day => add_days(d, shift).map(|day| match part {
            Some(part) => Resolved {
                kind: Time,
                value: format!("{}T{part}", fmt_day(day)),
                precision: Precision::Day,
                anchored: true,
                day: Some(day),
            },
            None => day_res(day, true),
        }),
        Unit::Week if p <= Precision::Week => {
            add_days(d, 7 * shift).map(|w| res(Date, fmt_week(w), Precision::Week, true))
        }
        Unit::Month if p <= Precision::Month => add_months(d, shift).map(|m| {
            res(
                Date,
                format!("{:04}-{:02}", m.year(), m.month()),
                Precision::Month,
                true,
            )
        }),
        Unit::Year if p <= Precision::Year => Some(res(
            Date,
            format!("{:04}", d.year() as i64 + shift),
            Precision::Year,
            true,
        )),
        _ => None,
    };
    r.unwrap_or_else(|| unresolved(Precision::None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn holidays() {
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2000), d(2000, 4, 23));
        assert_eq!(holiday_date("E-2", 2024), d(2024, 3, 29));
        assert_eq!(holiday_date("11/4/4", 1998), d(1998, 11, 26));
        assert_eq!(holiday_date("05/-1/1", 2024), d(2024, 5, 27));
        assert_eq!(holiday_date("12-25", 2024), d(2024, 12, 25));
        assert_eq!(holiday_date("13-25", 2024), None);
        assert_eq!(holiday_date("bogus", 2024), None);
    }

    #[test]
    fn huge_offsets_do_not_overflow() {
        let a = NaiveDate::MAX;
        for unit in [
            Unit::Day,
            Unit::Week,
            Unit::Month,
            Unit::Quarter,
            Unit::Year,
            Unit::Century,
        ] {
            let r = offset(a, 1e30, unit, -1);
            assert_eq!(r.precision, Precision::None);
            let _ = offset(a, 99_999.0, unit, 1);
            let _ = offset(NaiveDate::MIN, 99_999.0, unit, -1);
        }
    }
}
