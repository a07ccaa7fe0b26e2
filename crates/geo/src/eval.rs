//! Evaluation on GeoWebNews (brat stand-off: `N.txt` + `N.ann`).
//!
//! Gold toponyms for detection are the annotations of type `Literal`,
//! `Mixed`, `Metonymic`, and `Literal_Modifier` / `Non_Literal_Modifier`
//! whose `Modifier_Type` is `Noun` (place names written as names). Embedded
//! toponyms ("Texas" in "University of Texas"), adjectival modifiers and
//! demonyms ("Syrian"), languages, homonyms and coercions (facility names)
//! are *optional*: a prediction overlapping one of them is neither rewarded
//! nor penalised. For resolution, the gold point is the annotator's
//! coordinates when given, else the gazetteer point of the annotator's
//! GeoNames id; gold toponyms whose id is not in the gazetteer cannot be
//! scored and are counted apart.

use crate::gazetteer::Gazetteer;
use crate::resolve::{find_locations, haversine_km, resolve_spans};
use crate::GeoError;
use petrel_doc::{CharMap, Doc, Span};
use std::collections::HashMap;
use std::path::Path;

/// One brat text-bound annotation with its notes.
#[derive(Debug, Clone, PartialEq)]
pub struct BratSpan {
    pub id: String,
    pub kind: String,
    /// Byte span in the text.
    pub span: Span,
    pub text: String,
    /// `Modifier_Type` attribute, if any (`Noun`, `Adjective`).
    pub modifier: Option<String>,
    pub geonameid: Option<u32>,
    pub coords: Option<(f64, f64)>,
}

/// Parses a brat `.ann` against its text (character offsets → byte spans).
pub fn read_brat(text: &str, ann: &str, file: &str) -> Result<Vec<BratSpan>, GeoError> {
    let map = CharMap::new(text);
    let err = |line: usize, msg: String| GeoError::Parse {
        file: file.to_string(),
        line,
        msg,
    };
    let mut spans: Vec<BratSpan> = Vec::new();
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut mods: HashMap<String, String> = HashMap::new();
    for (ln, line) in ann.lines().enumerate() {
        let ln = ln + 1;
        let f: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') => {
                if f.len() < 3 {
                    return Err(err(
                        ln,
                        "text-bound annotation needs 3 tab-separated fields".into(),
                    ));
                }
                let mut head = f[1].split([' ', ';']);
                let kind = head.next().unwrap_or("").to_string();
                let nums: Vec<usize> = head.filter_map(|x| x.parse().ok()).collect();
                let (Some(&s), Some(&e)) = (nums.first(), nums.last()) else {
                    return Err(err(ln, format!("no offsets in {:?}", f[1])));
                };
                if s > e {
                    return Err(err(ln, format!("start {s} after end {e}")));
                }
                let span = Span {
                    start: map.byte_of(s),
                    end: map.byte_of(e),
                };
                spans.push(BratSpan {
                    id: f[0].to_string(),
                    kind,
                    span,
                    text: f[2].to_string(),
                    modifier: None,
                    geonameid: None,
                    coords: None,
                });
            }
            Some('#') if f.len() >= 3 => {
                if let Some(t) = f[1].strip_prefix("AnnotatorNotes ") {
                    notes.insert(t.trim().to_string(), f[2].trim().to_string());
                }
            }
            Some('A') if f.len() >= 2 => {
                let p: Vec<&str> = f[1].split(' ').collect();
                if p.len() == 3 && p[0] == "Modifier_Type" {
                    mods.insert(p[1].to_string(), p[2].to_string());
                }
            }
            _ => {}
        }
    }
    for s in &mut spans {
        s.modifier = mods.get(&s.id).cloned();
        if let Some(n) = notes.get(&s.id) {
            if let Ok(id) = n.parse::<u32>() {
                s.geonameid = Some(id);
            } else if let Some((a, b)) = n.split_once(',') {
                if let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                    s.coords = Some((lat, lon));
                }
            }
        }
    }
    Ok(spans)
}

/// Whether an annotation is a gold toponym of the detection set (see the module doc).
pub fn is_gold(s: &BratSpan) -> bool {
    match s.kind.as_str() {
        "Literal" | "Mixed" | "Metonymic" => true,
        "Literal_Modifier" | "Non_Literal_Modifier" => s.modifier.as_deref() != Some("Adjective"),
        _ => false,
    }
}

/// Whether an annotation is an optional toponym (neither rewarded nor penalised).
pub fn is_optional(s: &BratSpan) -> bool {
    matches!(
        s.kind.as_str(),
        "Embedded_Literal"
            | "Embedded_Non_Lit"
            | "Literal_Modifier"
            | "Non_Literal_Modifier"
            | "Demonym"
            | "Language"
            | "Homonym"
            | "Coercion"
    )
}

/// Figures of one evaluation run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub docs: usize,
    /// Gold toponyms (detection set).
    pub gold: usize,
    /// Predictions that count (not only over optional annotations).
    pub predicted: usize,
    /// Exact span matches.
    pub tp: usize,
    /// Predictions overlapping a gold toponym (lenient).
    pub tp_overlap: usize,
    /// Gold toponyms with a gold point (scorable for resolution).
    pub res_scorable: usize,
    /// ... of which resolved within 161 km of the gold point.
    pub res_within_161km: usize,
    /// ... of which no gazetteer name fitted the span.
    pub res_unmatched: usize,
    /// Gold toponyms whose GeoNames id is not in the gazetteer (not scored).
    pub res_unscorable: usize,
    /// Seconds spent in recognition and resolution (not file reading).
    pub seconds: f64,
    /// One line per error, for analysis: `FP`, `FN` (detection), `RERR`
    /// (resolved over 161 km away), `RNONE` (no gazetteer name fits).
    pub errors: Vec<String>,
}

impl Report {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn f1_overlap(&self) -> f64 {
        f1(
            ratio(self.tp_overlap, self.predicted),
            ratio(self.tp_overlap, self.gold),
        )
    }
    /// Share of scorable gold toponyms resolved within 161 km (100 miles).
    pub fn accuracy_161km(&self) -> f64 {
        ratio(self.res_within_161km, self.res_scorable)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Evaluates detection (P/R/F1 against gold toponyms) and resolution
/// (share of gold toponyms, given their spans, resolved within 161 km) on
/// the GeoWebNews folder `dir`.
pub fn evaluate_geowebnews(dir: &Path, gaz: &Gazetteer) -> Result<Report, GeoError> {
    let mut files: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir(dir)
        .map_err(|source| GeoError::Io {
            path: dir.display().to_string(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse().ok())
                .map(|n| (n, p))
        })
        .collect();
    files.sort();
    let mut r = Report::default();
    for (_, txt) in files {
        let ann_path = txt.with_extension("ann");
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| GeoError::Io {
                path: p.display().to_string(),
                source,
            })
        };
        let text = read(&txt)?;
        let ann = read(&ann_path)?;
        let spans = read_brat(&text, &ann, &ann_path.display().to_string())?;
        // Adjectival forms ("African", "Turkish") are optional whatever their type.
        let demonym = |s: &BratSpan| {
            gaz.demonym_country(&s.text).is_some() && gaz.lookup_ids(&s.text).is_empty()
        };
        let mut gold: Vec<&BratSpan> = spans.iter().filter(|s| is_gold(s) && !demonym(s)).collect();
        gold.sort_by_key(|s| (s.span.start, s.span.end));
        gold.dedup_by_key(|s| (s.span.start, s.span.end));
        let mut optional: Vec<Span> = spans
            .iter()
            .filter(|s| (is_optional(s) || demonym(s)) && !is_gold(s))
            .map(|s| s.span)
            .collect();
        optional.extend(
            spans
                .iter()
                .filter(|s| is_gold(s) && demonym(s))
                .map(|s| s.span),
        );
        // The "TITLE: ... LINK: ..." header line is not annotated.
        if text.starts_with("TITLE:") {
            optional.push(Span::new(0, text.find('\n').unwrap_or(text.len())));
        }

        let t = std::time::Instant::now();
        let mut doc = Doc::new(txt.display().to_string(), text);
        petrel_text::tokenize(&mut doc);
        let found = find_locations(&doc, gaz);
        let gold_spans: Vec<Span> = gold.iter().map(|s| s.span).collect();
        let resolved = resolve_spans(&doc, gaz, &gold_spans);
        r.seconds += t.elapsed().as_secs_f64();

        r.docs += 1;
        r.gold += gold.len();
        let name = txt
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        for l in &found {
            let exact = gold_spans.contains(&l.span);
            let overlap = gold_spans.iter().any(|g| g.overlaps(&l.span));
            if !exact && !overlap && optional.iter().any(|o| o.overlaps(&l.span)) {
                continue;
            }
            r.predicted += 1;
            r.tp += usize::from(exact);
            r.tp_overlap += usize::from(overlap);
            if !exact {
                r.errors.push(format!(
                    "FP\t{name}\t{}\t{} {} {}",
                    doc.span_text(l.span),
                    l.name,
                    l.country_iso2,
                    l.feature_code
                ));
            }
        }
        for g in &gold {
            if !found.iter().any(|l| l.span == g.span) {
                let near = found
                    .iter()
                    .find(|l| l.span.overlaps(&g.span))
                    .map_or("", |l| doc.span_text(l.span));
                r.errors.push(format!(
                    "FN\t{name}\t{}\t{}\t{near}",
                    doc.span_text(g.span),
                    g.kind
                ));
            }
        }
        for (g, res) in gold.iter().zip(&resolved) {
            let point = g.coords.or_else(|| {
                g.geonameid
                    .and_then(|id| gaz.by_geonameid(id))
                    .map(|p| (f64::from(p.lat), f64::from(p.lon)))
            });
            let Some((glat, glon)) = point else {
                if g.geonameid.is_some() {
                    r.res_unscorable += 1;
                }
                continue;
            };
            r.res_scorable += 1;
            match res {
                None => {
                    r.res_unmatched += 1;
                    r.errors
                        .push(format!("RNONE\t{name}\t{}", doc.span_text(g.span)));
                }
                Some(l) => {
                    let d = haversine_km(glat, glon, l.lat, l.lon);
                    if l.geonameid.is_some() && l.geonameid == g.geonameid || d <= 161.0 {
                        r.res_within_161km += 1;
                    } else {
                        let gold_name = g
                            .geonameid
                            .and_then(|id| gaz.by_geonameid(id))
                            .map(|p| format!("{} {} {} {}", p.name, p.cc, p.admin1, p.feature_code))
                            .unwrap_or_else(|| format!("{glat:.3},{glon:.3}"));
                        r.errors.push(format!(
                            "RERR\t{name}\t{}\tgot {} {} {} {}\tgold {gold_name}\t{d:.0} km",
                            doc.span_text(g.span),
                            l.name,
                            l.country_iso2,
                            l.admin1,
                            l.feature_code
                        ));
                    }
                }
            }
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brat_with_notes_attributes_and_unicode_offsets() {
        let text = "In Bogotá and Rue d’Enghein.";
        let ann = "T1\tLiteral 3 9\tBogotá\n#1\tAnnotatorNotes T1\t3688689\n\
                   T2\tLiteral_Modifier 14 27\tRue d’Enghein\n#2\tAnnotatorNotes T2\t29.96, -90.05\n\
                   A1\tModifier_Type T2 Noun\n";
        let s = read_brat(text, ann, "x.ann").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(&text[s[0].span.range()], "Bogotá");
        assert_eq!(s[0].geonameid, Some(3688689));
        assert_eq!(&text[s[1].span.range()], "Rue d’Enghein");
        assert_eq!(s[1].coords, Some((29.96, -90.05)));
        assert_eq!(s[1].modifier.as_deref(), Some("Noun"));
        assert!(is_gold(&s[0]) && is_gold(&s[1]));
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(read_brat("abc", "T1\tLiteral x y\tabc\n", "f.ann").is_err());
        assert!(read_brat("abc", "T1\tLiteral 2 1\tabc\n", "f.ann").is_err());
        assert!(read_brat("abc", "T1\tLiteral 0 3\n", "f.ann").is_err());
    }

    #[test]
    fn scores() {
        let r = Report {
            gold: 10,
            predicted: 8,
            tp: 6,
            tp_overlap: 7,
            res_scorable: 4,
            res_within_161km: 3,
            ..Report::default()
        };
        assert!((r.precision() - 0.75).abs() < 1e-9);
        assert!((r.recall() - 0.6).abs() < 1e-9);
        assert!((r.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-9);
        assert!((r.accuracy_161km() - 0.75).abs() < 1e-9);
        assert_eq!(Report::default().f1(), 0.0);
    }
}
