//! News dateline detection: "BOGOTA (Reuters) -", "WASHINGTON, May 3 (AP) —",
//! "LONDON —", "SALVADOR, Feb 26 -", "Bogota, Colombia (AFP) --".

use petrel_doc::Span;

/// Longest dateline accepted, in bytes (up to the dash).
const MAX_LEN: usize = 90;

/// Lowercase words allowed inside a place name.
const PARTICLES: &[&str] = &[
    "de", "del", "la", "el", "al", "of", "the", "da", "do", "di", "dos", "das", "von", "van",
    "upon", "on", "es", "sur", "am", "an", "le", "les", "y",
];

const MONTHS: &[&str] = &[
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Span of a leading news dateline, from its first character through the
/// dash that closes it, if the text starts with one. A dateline is a place
/// (first word in capitals, e.g. "BOGOTA", "NEW YORK"), optionally followed
/// by comma-separated places or a date, and/or an agency in parentheses
/// ("(Reuters)"); with an agency, the place may be in title case
/// ("Bogota, Colombia (AP) —").
pub fn dateline(text: &str) -> Option<Span> {
    let start = text.len() - text.trim_start().len();
    let head_end = (start + MAX_LEN + 4).min(text.len());
    let head_end = (head_end..=text.len()).find(|&i| text.is_char_boundary(i))?;
    let head = &text[start..head_end];
    let (dash_at, dash_end) = find_dash(head)?;
    let prefix = head[..dash_at].trim_end();
    if prefix.is_empty()
        || prefix.len() > MAX_LEN
        || prefix.contains('\n') && !prefix.ends_with(')')
    {
        return None;
    }
    if prefix.contains(['!', '?', ';', '"', '“', '”']) {
        return None;
    }
    let (main, agency) = match prefix.strip_suffix(')') {
        Some(p) => {
            let open = p.rfind('(')?;
            (p[..open].trim_end(), Some(&p[open + 1..]))
        }
        None => (prefix, None),
    };
    if let Some(a) = agency {
        let ok =
            !a.is_empty() && a.len() <= 40 && a.chars().next().is_some_and(|c| c.is_uppercase());
        if !ok {
            return None;
        }
    }
    let main = main.trim_end_matches(',').trim();
    if main.is_empty() {
        return None;
    }
    let mut segments = main.split(',').map(str::trim);
    let place = segments.next()?;
    if !is_place(place) {
        return None;
    }
    let caps = place.split_whitespace().next().is_some_and(|w| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(|c| c.is_lowercase())
    });
    if !(caps || agency.is_some()) {
        return None;
    }
    for seg in segments {
        if !(is_place(seg) || is_date(seg)) {
            return None;
        }
    }
    Some(Span::new(start, start + dash_end))
}

/// First dash that can close a dateline: " - ", " -- ", "—", "–" (with or
/// without spaces). Returns (start, end) byte offsets in `head`.
fn find_dash(head: &str) -> Option<(usize, usize)> {
    for (i, c) in head.char_indices() {
        match c {
            '—' | '–' => return Some((i, i + c.len_utf8())),
            '-' => {
                let before_space = head[..i].ends_with(' ');
                let run = head[i..].bytes().take_while(|&b| b == b'-').count();
                let after = &head[i + run..];
                if before_space && (after.is_empty() || after.starts_with([' ', '\n', '\t'])) {
                    return Some((i, i + run));
                }
            }
            '.' | '!' | '?'
                if head[i + 1..].starts_with(' ') && !abbreviation_before(&head[..i]) =>
            {
                return None
            }
            _ => {}
        }
    }
    None
}

fn abbreviation_before(s: &str) -> bool {
    let w = s.rsplit([' ', ',', '(']).next().unwrap_or("");
    (w.len() <= 5 && w.chars().next().is_some_and(|c| c.is_uppercase())) || w.contains('.')
}

fn is_place(seg: &str) -> bool {
    let words: Vec<&str> = seg.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let first_ok = words[0].chars().next().is_some_and(|c| c.is_uppercase());
    first_ok
        && words.iter().all(|w| {
            let c0 = w.chars().next().unwrap_or(' ');
            (c0.is_uppercase() || PARTICLES.contains(w))
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        })
}

fn is_date(seg: &str) -> bool {
    let words: Vec<&str> = seg.split_whitespace().collect();
    match words.as_slice() {
        [m, d] | [m, d, _] => {
            MONTHS.contains(&m.trim_end_matches('.'))
                && d.trim_end_matches(',').bytes().all(|b| b.is_ascii_digit())
        }
        [y] => y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(t: &str) -> Option<&str> {
        dateline(t).map(|s| &t[s.range()])
    }

    #[test]
    fn detects_datelines() {
        assert_eq!(
            dl("BOGOTA (Reuters) - Colombia cut ties."),
            Some("BOGOTA (Reuters) -")
        );
        assert_eq!(
            dl("WASHINGTON, May 3 (AP) — The talks ended."),
            Some("WASHINGTON, May 3 (AP) —")
        );
        assert_eq!(dl("LONDON — Britain said."), Some("LONDON —"));
        assert_eq!(
            dl("SALVADOR, Feb 26 - Showers continued."),
            Some("SALVADOR, Feb 26 -")
        );
        assert_eq!(
            dl("NEW YORK, Jan. 5 (Reuters) -- Stocks fell."),
            Some("NEW YORK, Jan. 5 (Reuters) --")
        );
        assert_eq!(
            dl("Bogota, Colombia (AP) — Petro said."),
            Some("Bogota, Colombia (AP) —")
        );
        assert_eq!(
            dl("  RALEIGH, N.C., Oct 20 - Net rose."),
            Some("RALEIGH, N.C., Oct 20 -")
        );
    }

    #[test]
    fn rejects_ordinary_sentences() {
        assert_eq!(dl("Colombia cut ties - officials said."), None);
        assert_eq!(dl("The minister said - again - no."), None);
        assert_eq!(dl("US officials met. LONDON - no"), None);
        assert_eq!(dl("a well-known fact"), None);
        assert_eq!(dl(""), None);
        assert_eq!(dl("BOGOTA"), None);
    }
}
