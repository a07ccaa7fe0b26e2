//! Evaluation on TimeBank + AQUAINT (TempEval-3 "TBAQ-cleaned", TimeML):
//! TIMEX3 detection with strict (same span) and relaxed (any overlap)
//! matching, type accuracy, and value accuracy on detected DATE expressions.
//! Each document is normalised against its creation time (the TIMEX3 with
//! `functionInDocument="CREATION_TIME"`).

use crate::find_times;
use chrono::NaiveDate;
use petrel_doc::{Doc, Span};
use std::fmt;
use std::path::{Path, PathBuf};

/// A gold TIMEX3 of a TimeML document, over the tag-free text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldTimex {
    pub span: Span,
    pub kind: String,
    pub value: String,
}

/// A TimeML document reduced to the text of its `<TEXT>` element (tags
/// removed, entities decoded), its creation date and its gold TIMEX3s.
#[derive(Debug, Clone, PartialEq)]
pub struct TimemlDoc {
    pub id: String,
    pub text: String,
    pub dct: Option<NaiveDate>,
    pub timexes: Vec<GoldTimex>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let mut from = 0;
    while let Some(p) = tag[from..].find(&key) {
        let at = from + p;
        // Must be a whole attribute name.
        if at == 0 || tag.as_bytes()[at - 1].is_ascii_whitespace() {
            let rest = &tag[at + key.len()..];
            return rest.find('"').map(|e| rest[..e].to_string());
        }
        from = at + key.len();
    }
    None
}

fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.get(..12).unwrap_or(s).find(';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x') {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Parses one TimeML file. Errors say what is missing or malformed, with
/// the byte offset.
pub fn parse_timeml(xml: &str) -> Result<TimemlDoc, String> {
    let id = xml
        .find("<DOCID>")
        .and_then(|s| {
            xml[s + 7..]
                .find("</DOCID>")
                .map(|e| xml[s + 7..s + 7 + e].trim().to_string())
        })
        .unwrap_or_default();
    let mut dct = None;
    let mut from = 0;
    while let Some(p) = xml[from..].find("<TIMEX3") {
        let at = from + p;
        let end = xml[at..]
            .find('>')
            .ok_or_else(|| format!("byte {at}: unterminated <TIMEX3"))?;
        let tag = &xml[at..at + end];
        if attr(tag, "functionInDocument").as_deref() == Some("CREATION_TIME") {
            dct = attr(tag, "value")
                .and_then(|v| petrel_doc::parse_published(v.get(..10).unwrap_or(&v)).ok());
            break;
        }
        from = at + end;
    }
    let start = xml.find("<TEXT>").ok_or("no <TEXT> element")? + "<TEXT>".len();
    let stop = start + xml[start..].find("</TEXT>").ok_or("no </TEXT>")?;
    let body = &xml[start..stop];
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let end = rest
                .find('>')
                .ok_or_else(|| format!("byte {}: unterminated tag", start + i))?;
            let tag = &rest[1..end];
            if tag.starts_with("TIMEX3") {
                let kind = attr(tag, "type").unwrap_or_default();
                let value = attr(tag, "value").unwrap_or_default();
                open = Some((text.len(), kind, value));
            } else if tag.starts_with("/TIMEX3") {
                if let Some((s, kind, value)) = open.take() {
                    let raw = &text[s..];
                    let lead = raw.len() - raw.trim_start().len();
                    let e = s + raw.trim_end().len();
                    if s + lead < e {
                        timexes.push(GoldTimex {
                            span: Span::new(s + lead, e),
                            kind,
                            value,
                        });
                    }
                }
            }
            i += end + 1;
        } else if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((c, n)) => {
                    text.push(c);
                    i += n;
                }
                None => {
                    text.push('&');
                    i += 1;
                }
            }
        } else {
            let n = rest.find(['<', '&']).unwrap_or(rest.len());
            text.push_str(&rest[..n]);
            i += n;
        }
    }
    Ok(TimemlDoc {
        id,
        text,
        dct,
        timexes,
    })
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(tp_pred: usize, pred: usize, tp_gold: usize, gold: usize) -> Prf {
        let p = if pred == 0 {
            0.0
        } else {
            tp_pred as f64 / pred as f64
        };
        let r = if gold == 0 {
            0.0
        } else {
            tp_gold as f64 / gold as f64
        };
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: p,
            recall: r,
            f1,
        }
    }
}

/// Scores of [`evaluate_tbaq`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub docs: usize,
    pub gold: usize,
    pub predicted: usize,
    pub strict: Prf,
    pub relaxed: Prf,
    /// Share of detected gold expressions (relaxed) given the right type.
    pub type_accuracy: f64,
    /// Gold DATE expressions detected (relaxed match).
    pub dates_detected: usize,
    /// Share of those whose predicted value equals the gold value.
    pub date_value_accuracy: f64,
    /// Value accuracy over all detected expressions, any type.
    pub value_accuracy: f64,
    /// Files that could not be read or parsed (path: reason).
    pub failures: Vec<String>,
    /// One line per error: "MISS", "FP" or "VALUE", document, text, values.
    pub errors: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents {}  gold TIMEX3 {}  predicted {}",
            self.docs, self.gold, self.predicted
        )?;
        let line = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{name:<8} P {:.3}  R {:.3}  F1 {:.3}",
                p.precision, p.recall, p.f1
            )
        };
        line(f, "relaxed", &self.relaxed)?;
        line(f, "strict", &self.strict)?;
        writeln!(f, "type accuracy (detected) {:.3}", self.type_accuracy)?;
        writeln!(
            f,
            "value accuracy on detected DATE {:.3} (n={})  on all detected {:.3}",
            self.date_value_accuracy, self.dates_detected, self.value_accuracy
        )?;
        if !self.failures.is_empty() {
            writeln!(f, "unreadable files: {}", self.failures.len())?;
        }
        Ok(())
    }
}

fn tml_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries {
        let p = e.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if p.is_dir() {
            tml_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "tml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Runs [`find_times`] on every `*.tml` file under `dir` (recursively) and
/// scores it against the gold TIMEX3s. Unreadable files are listed in
/// [`Report::failures`], not fatal.
pub fn evaluate_tbaq(dir: &Path) -> Report {
    let mut rep = Report::default();
    let mut files = Vec::new();
    if let Err(e) = tml_files(dir, &mut files) {
        rep.failures.push(e);
    }
    files.sort();
    let (mut strict_pred, mut strict_gold, mut relaxed_pred, mut relaxed_gold) = (0, 0, 0, 0);
    let (mut detected, mut type_ok, mut value_ok, mut date_ok) = (0usize, 0usize, 0usize, 0usize);
    for path in files {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|s| parse_timeml(&s));
        let tdoc = match parsed {
            Ok(d) => d,
            Err(e) => {
                rep.failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let mut doc = Doc::new(tdoc.id.clone(), tdoc.text.clone());
        doc.published = tdoc.dct;
        let (spans, sentences) = petrel_text::segment(&doc.text);
        doc.tokens.span = spans;
        doc.sentences = sentences;
        let pred = find_times(&doc);
        rep.docs += 1;
        rep.gold += tdoc.timexes.len();
        rep.predicted += pred.len();
        for p in &pred {
            let hit = tdoc.timexes.iter().any(|g| g.span.overlaps(&p.span));
            relaxed_pred += hit as usize;
            strict_pred += tdoc.timexes.iter().any(|g| g.span == p.span) as usize;
            if !hit {
                rep.errors.push(format!(
                    "FP\t{}\t{}\t{}\t{}",
                    tdoc.id,
                    doc.span_text(p.span),
                    p.kind.as_str(),
                    p.value
                ));
            }
        }
        for g in &tdoc.timexes {
            strict_gold += pred.iter().any(|p| p.span == g.span) as usize;
            let overlap = |p: &&crate::TimeExpr| {
                p.span
                    .end
                    .min(g.span.end)
                    .saturating_sub(p.span.start.max(g.span.start))
            };
            let Some(p) = pred
                .iter()
                .filter(|p| p.span.overlaps(&g.span))
                .max_by_key(overlap)
            else {
                rep.errors.push(format!(
                    "MISS\t{}\t{}\t{}\t{}",
                    tdoc.id,
                    doc.span_text(g.span),
                    g.kind,
                    g.value
                ));
                continue;
            };
            relaxed_gold += 1;
            if p.span != g.span {
                rep.errors.push(format!(
                    "SPAN\t{}\t{} | {}",
                    tdoc.id,
                    doc.span_text(g.span),
                    doc.span_text(p.span)
                ));
            }
            detected += 1;
            type_ok += (p.kind.as_str() == g.kind) as usize;
            let same = p.value == g.value;
            value_ok += same as usize;
            if g.kind == "DATE" {
                rep.dates_detected += 1;
                date_ok += same as usize;
            }
            if !same {
                rep.errors.push(format!(
                    "VALUE\t{}\t{} | {}\t{} {}\tgold {} {}\tdct {:?}\t{}",
                    tdoc.id,
                    doc.span_text(g.span),
                    doc.span_text(p.span),
                    p.kind.as_str(),
                    p.value,
                    g.kind,
                    g.value,
                    tdoc.dct,
                    doc.sentences
                        .iter()
                        .find(|s| s.span.start <= p.span.start && p.span.start < s.span.end)
                        .map(|s| doc.span_text(s.span).replace('\n', " "))
                        .unwrap_or_default()
                ));
            }
        }
    }
    rep.strict = Prf::new(strict_pred, rep.predicted, strict_gold, rep.gold);
    rep.relaxed = Prf::new(relaxed_pred, rep.predicted, relaxed_gold, rep.gold);
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    rep.type_accuracy = ratio(type_ok, detected);
    rep.value_accuracy = ratio(value_ok, detected);
    rep.date_value_accuracy = ratio(date_ok, rep.dates_detected);
    rep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeml_is_stripped_and_gold_spans_kept() {
        let xml = r#"<TimeML><DOCID>d1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1989-11-02" functionInDocument="CREATION_TIME">11/02/89</TIMEX3></DCT>
<TEXT>A &amp; B <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" value="1989-11-01" type="DATE">yesterday</TIMEX3>.</TEXT></TimeML>"#;
        let d = parse_timeml(xml).expect("parses");
        assert_eq!(d.id, "d1");
        assert_eq!(d.text, "A & B met yesterday.");
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(1989, 11, 2));
        assert_eq!(d.timexes.len(), 1);
        assert_eq!(&d.text[d.timexes[0].span.range()], "yesterday");
        assert_eq!(d.timexes[0].value, "1989-11-01");
        assert_eq!(d.timexes[0].kind, "DATE");
    }

    #[test]
    fn malformed_timeml_is_an_error_not_a_panic() {
        assert!(parse_timeml("<TimeML>no text</TimeML>").is_err());
        assert!(parse_timeml("<TEXT>a <TIMEX3 tid=").is_err());
        assert!(parse_timeml("<TEXT>a &bogus b</TEXT>").is_ok());
    }
}

#[cfg(test)]
mod tbaq {
    use super::*;

    /// Figures on TimeBank + AQUAINT; see README.md. Set
    /// `PETREL_TIME_ERRORS=1` to print every error line.
    #[test]
    fn tbaq_scores() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/time/tbaq_cleaned");
        if !dir.is_dir() {
            println!("SKIPPED tbaq_scores: {} not found", dir.display());
            return;
        }
        let rep = evaluate_tbaq(&dir);
        println!("{rep}");
        if std::env::var_os("PETREL_TIME_ERRORS").is_some() {
            for e in &rep.errors {
                println!("{e}");
            }
        }
        assert!(rep.failures.is_empty(), "{:?}", rep.failures);
        assert_eq!(rep.docs, 256);
        assert!(rep.relaxed.f1 >= 0.90, "relaxed F1 {:.3}", rep.relaxed.f1);
        assert!(rep.strict.f1 >= 0.80, "strict F1 {:.3}", rep.strict.f1);
        assert!(
            rep.date_value_accuracy >= 0.82,
            "DATE value accuracy {:.3}",
            rep.date_value_accuracy
        );
        assert!(
            rep.type_accuracy >= 0.92,
            "type accuracy {:.3}",
            rep.type_accuracy
        );
    }
}
