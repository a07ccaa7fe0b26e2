//! The abbreviation list (`data/abbreviations.txt`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// How an abbreviation behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    /// Precedes a name; never ends a sentence.
    Title,
    /// Month; never ends a sentence before a number.
    Month,
    /// An abbreviation only before a digit ("No. 5").
    Number,
    /// May end a sentence.
    Other,
}

const DATA: &str = include_str!("../data/abbreviations.txt");

fn table() -> &'static HashMap<&'static str, AbbrevKind> {
    static T: OnceLock<HashMap<&'static str, AbbrevKind>> = OnceLock::new();
    T.get_or_init(|| {
        parse(DATA).unwrap_or_else(|e| panic!("data/abbreviations.txt (compiled in): {e}"))
    })
}

fn parse(data: &'static str) -> Result<HashMap<&'static str, AbbrevKind>, String> {
    let mut m = HashMap::new();
    for (n, line) in data.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (form, kind) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected FORM<TAB>KIND", n + 1))?;
        let kind = match kind.trim() {
            "title" => AbbrevKind::Title,
            "month" => AbbrevKind::Month,
            "number" => AbbrevKind::Number,
            "other" => AbbrevKind::Other,
            k => return Err(format!("line {}: unknown kind {k:?}", n + 1)),
        };
        m.insert(form, kind);
    }
    Ok(m)
}

/// Kind of the abbreviation `w` (without its final period), if listed.
pub(crate) fn kind(w: &str) -> Option<AbbrevKind> {
    table().get(w).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses() {
        let t = parse(DATA).expect("abbreviations.txt");
        assert!(t.len() > 50);
        assert_eq!(kind("Gen"), Some(AbbrevKind::Title));
        assert_eq!(kind("Inc"), Some(AbbrevKind::Other));
        assert_eq!(kind("gen"), None);
        assert!(parse("Mr title").is_err());
        assert!(parse("Mr\tbogus").is_err());
    }
}
