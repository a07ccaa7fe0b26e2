//! Name normalisation shared by the gazetteer index and the lookups.

/// Normalises a place name for lookup: lowercase, Latin diacritics folded
/// ("Bogotá" → "bogota", "Łódź" → "lodz"), hyphens, dashes and slashes read
/// as spaces, full stops, commas, parentheses and double quotes dropped
/// ("St. Louis" → "st louis", "U.S." → "us"), curly apostrophes made
/// straight, and runs of whitespace collapsed to one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        match c {
            '-' | '\u{2010}'..='\u{2015}' | '/' | '_' => pending_space = true,
            c if c.is_whitespace() => pending_space = true,
            '.' | ',' | '(' | ')' | '"' | '\u{201C}' | '\u{201D}' => {}
            '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' => push(&mut out, &mut pending_space, "'"),
            c => {
                for l in c.to_lowercase() {
                    match fold(l) {
                        Some(f) => push(&mut out, &mut pending_space, f),
                        None => {
                            let mut b = [0u8; 4];
                            push(&mut out, &mut pending_space, l.encode_utf8(&mut b));
                        }
                    }
                }
            }
        }
    }
    out
}

fn push(out: &mut String, pending_space: &mut bool, s: &str) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(s);
}

/// ASCII replacement of a lowercase Latin letter with a diacritic.
fn fold(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăąǎạảấầẩẫậắằẳẵặ", "a"),
        ("æ", "ae"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęěẹẻẽếềểễệ", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįıǐỉị", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏőǒọỏốồổỗộớờởỡợơ", "o"),
        ("œ", "oe"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ß", "ss"),
        ("ţťŧț", "t"),
        ("þ", "th"),
        ("ùúûüũūŭůűųǔụủứừửữựư", "u"),
        ("ŵ", "w"),
        ("ýÿŷỳỵỷỹ", "y"),
        ("źżž", "z"),
    ];
    TABLE
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|(_, r)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("Bogotá"), "bogota");
        assert_eq!(normalize("  São  Paulo "), "sao paulo");
        assert_eq!(normalize("Łódź"), "lodz");
        assert_eq!(normalize("St. Louis"), "st louis");
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("Gilgit-Baltistan"), "gilgit baltistan");
        assert_eq!(normalize("Gilgit – Baltistan"), "gilgit baltistan");
        assert_eq!(normalize("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(normalize("Düsseldorf"), "dusseldorf");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Hà Nội"), "ha noi");
    }
}
