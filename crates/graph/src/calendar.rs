//! Month and weekday names, shared by the quote and count rules (closed
//! classes of English, not a lexicon to extend).

/// Months in full and abbreviated (lowercase, without the dot).
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether the lowercase word names a month ("march", "aug", "aug.").
pub(crate) fn is_month(w: &str) -> bool {
    MONTHS.contains(&w.trim_end_matches('.'))
}

/// Whether the lowercase word names a day of the week.
pub(crate) fn is_weekday(w: &str) -> bool {
    WEEKDAYS.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_with_and_without_the_dot() {
        assert!(is_month("march") && is_month("aug.") && is_month("sept") && is_month("dec."));
        assert!(!is_month("mayor") && !is_month("day") && !is_month(""));
        assert!(is_weekday("sunday") && !is_weekday("sun"));
    }
}
