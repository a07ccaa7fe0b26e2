//! Modality, negation and cue-verb tables (`dictionaries/petrel/modality.txt`).
//!
//! The table is data: which auxiliaries mark the future or a hypothesis,
//! which words negate, which verbs embed an act as intent / threat / appeal /
//! refusal / reported speech, and how an embedded CAMEO code is re-coded
//! under each cue class (longest code prefix wins).

use petrel_dict::DictError;
use petrel_doc::Modality;
use std::collections::HashMap;

/// The class of a cue verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueClass {
    Intent,
    Threat,
    Appeal,
    Refuse,
    Report,
}

impl CueClass {
    fn parse(s: &str) -> Option<CueClass> {
        Some(match s {
            "intent" => CueClass::Intent,
            "threat" => CueClass::Threat,
            "appeal" => CueClass::Appeal,
            "refuse" => CueClass::Refuse,
            "report" => CueClass::Report,
            _ => return None,
        })
    }

    /// The modality of an act embedded under this cue.
    pub fn modality(self) -> Modality {
        match self {
            CueClass::Intent => Modality::Intent,
            CueClass::Threat => Modality::Threat,
            _ => Modality::Asserted,
        }
    }
}

/// A parsed modality table.
#[derive(Debug, Clone, Default)]
pub struct ModalityTable {
    pub future: Vec<String>,
    pub hypothetical: Vec<String>,
    /// Auxiliaries that mark the future in reported speech ("would").
    pub report_future: Vec<String>,
    pub negation: Vec<String>,
    /// Cue verb (lemma, particle joined with `_`) → class and line id.
    pub cues: HashMap<String, (CueClass, String)>,
    /// (class, code prefix) → (result code, line id).
    maps: HashMap<(CueClass, String), (String, String)>,
    /// Code prefixes of mutual acts ("met", "held talks", "signed an
    /// agreement"), each with its line id.
    mutual: Vec<(String, String)>,
}

/// The table shipped with Petrel.
pub const DEFAULT_MODALITY: &str = include_str!("../../../dictionaries/petrel/modality.txt");

impl ModalityTable {
    /// The built-in table (`dictionaries/petrel/modality.txt`).
    pub fn builtin() -> ModalityTable {
        // The shipped file is validated by a unit test; fall back to an empty
        // table rather than panicking should it ever fail to parse.
        ModalityTable::parse(DEFAULT_MODALITY, "modality.txt").unwrap_or_default()
    }

    /// Parses a table; `file` names it in errors and ids.
    pub fn parse(text: &str, file: &str) -> Result<ModalityTable, DictError> {
        let mut t = ModalityTable::default();
        let err = |line: usize, message: String| DictError {
            file: file.to_string(),
            line,
            message,
        };
        for (i, raw) in text.lines().enumerate() {
            let ln = i + 1;
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let f: Vec<String> = line.split_whitespace().map(|w| w.to_lowercase()).collect();
            let id = format!("{file}:{ln}");
            match f[0].as_str() {
                "future" => t.future.extend(f[1..].iter().cloned()),
                "hypo" => t.hypothetical.extend(f[1..].iter().cloned()),
                "reportfuture" => t.report_future.extend(f[1..].iter().cloned()),
                "negation" => t.negation.extend(f[1..].iter().cloned()),
                "cue" => {
                    let class = f
                        .get(1)
                        .and_then(|c| CueClass::parse(c))
                        .ok_or_else(|| err(ln, format!("unknown cue class in {line:?}")))?;
                    if f.len() < 3 {
                        return Err(err(ln, "a cue line needs at least one verb".into()));
                    }
                    for v in &f[2..] {
                        t.cues.insert(v.clone(), (class, id.clone()));
                    }
                }
                "map" => {
                    if f.len() != 4 {
                        return Err(err(
                            ln,
                            format!("expected `map CLASS PREFIX CODE`, got {line:?}"),
                        ));
                    }
                    let class = CueClass::parse(&f[1])
                        .ok_or_else(|| err(ln, format!("unknown class {:?}", f[1])))?;
                    let prefix_ok = f[2] == "*" || f[2].bytes().all(|b| b.is_ascii_digit());
                    if !prefix_ok
                        || !f[3].bytes().all(|b| b.is_ascii_digit())
                        || !(3..=4).contains(&f[3].len())
                    {
                        return Err(err(ln, format!("bad prefix or code in {line:?}")));
                    }
                    let prefix = if f[2] == "*" {
                        String::new()
                    } else {
                        f[2].clone()
                    };
                    t.maps.insert((class, prefix), (f[3].clone(), id));
                }
                "mutual" => {
                    if f.len() < 2 || !f[1..].iter().all(|c| c.bytes().all(|b| b.is_ascii_digit()))
                    {
                        return Err(err(
                            ln,
                            format!("expected `mutual PREFIX ...` (digits), got {line:?}"),
                        ));
                    }
                    t.mutual
                        .extend(f[1..].iter().map(|c| (c.clone(), id.clone())));
                }
                other => return Err(err(ln, format!("unknown entry kind {other:?}"))),
            }
        }
        Ok(t)
    }

    /// The cue class of a verb lemma (with an optional particle).
    pub fn cue(&self, lemma: &str, particle: Option<&str>) -> Option<(CueClass, &str)> {
        if let Some(p) = particle {
            if let Some((c, id)) = self.cues.get(&format!("{lemma}_{p}")) {
                return Some((*c, id));
            }
        }
        self.cues.get(lemma).map(|(c, id)| (*c, id.as_str()))
    }

    /// Re-codes an embedded act under a cue class; `None` when the class has
    /// no mapping (reported speech) or nothing matches.
    pub fn recode(&self, class: CueClass, code: &str) -> Option<(&str, &str)> {
        (0..=code.len()).rev().find_map(|k| {
            let p = code.get(..k)?;
            self.maps
                .get(&(class, p.to_string()))
                .map(|(c, id)| (c.as_str(), id.as_str()))
        })
    }

    /// The line id of the `mutual` entry whose prefix the act's code has
    /// (the longest), if any.
    pub fn mutual(&self, code: &str) -> Option<&str> {
        self.mutual
            .iter()
            .filter(|(p, _)| code.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, id)| id.as_str())
    }

    pub fn is_negation(&self, w: &str) -> bool {
        self.negation.iter().any(|n| n == w)
    }
    pub fn is_future(&self, w: &str) -> bool {
        self.future.iter().any(|n| n == w)
    }
    pub fn is_report_future(&self, w: &str) -> bool {
        self.report_future.iter().any(|n| n == w)
    }
    pub fn is_hypothetical(&self, w: &str) -> bool {
        self.hypothetical.iter().any(|n| n == w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_maps() {
        let t =
            ModalityTable::parse(DEFAULT_MODALITY, "modality.txt").expect("shipped table parses");
        assert_eq!(t.recode(CueClass::Intent, "073").map(|x| x.0), Some("0333"));
        assert_eq!(t.recode(CueClass::Intent, "042").map(|x| x.0), Some("036"));
        assert_eq!(t.recode(CueClass::Intent, "161").map(|x| x.0), Some("1313"));
        assert_eq!(t.recode(CueClass::Threat, "190").map(|x| x.0), Some("138"));
        assert_eq!(
            t.recode(CueClass::Threat, "1831").map(|x| x.0),
            Some("1384")
        );
        assert_eq!(t.recode(CueClass::Appeal, "036").map(|x| x.0), Some("020"));
        assert_eq!(t.recode(CueClass::Appeal, "043").map(|x| x.0), Some("026"));
        assert_eq!(t.recode(CueClass::Refuse, "0432").map(|x| x.0), Some("125"));
        assert_eq!(t.recode(CueClass::Report, "190"), None);
        assert_eq!(
            t.cue("call", Some("on")).map(|x| x.0),
            Some(CueClass::Appeal)
        );
        assert_eq!(t.cue("threaten", None).map(|x| x.0), Some(CueClass::Threat));
        assert!(t.is_future("will") && t.is_negation("n't") && t.is_hypothetical("could"));
        assert!(t.is_report_future("would") && !t.is_report_future("could"));
        assert_eq!(t.cue("willing", None).map(|x| x.0), Some(CueClass::Intent));
        assert!(t.mutual("040").is_some() && t.mutual("0571").is_some());
        assert!(t.mutual("042").is_none() && t.mutual("190").is_none());
    }

    #[test]
    fn mutual_lines_are_checked() {
        let t = ModalityTable::parse("mutual 04 046", "m.txt").expect("parses");
        assert_eq!(t.mutual("0461"), Some("m.txt:1"));
        assert_eq!(t.mutual("05"), None);
        assert!(ModalityTable::parse("mutual", "m.txt").is_err());
        assert!(ModalityTable::parse("mutual 04x", "m.txt").is_err());
    }

    #[test]
    fn errors_carry_file_and_line() {
        let e = ModalityTable::parse("future will\nmap intent 07 3x\n", "m.txt").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("m.txt", 2));
        let e = ModalityTable::parse("cue nonsense vow\n", "m.txt").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(ModalityTable::parse("bogus line\n", "m.txt").is_err());
    }
}
