//! Evaluation of the extractors on shared dev sets.
//!
//! The functions take the analyser as a closure (`&str → Doc`, e.g.
//! `petrel_text::tokenize` followed by `petrel_nlp::Nlp::annotate`) so that
//! this crate does not depend on the NLP models.
//!
//! * [`polnear`]: attribution content F1 on PolNeAR (brat stand-off). A
//!   predicted content matches a gold one when their overlap covers at least
//!   half of each (≥ 50 % of the longer span); matching is one-to-one,
//!   greedy in text order. Speaker accuracy is measured on the gold
//!   attributions whose content is a direct quote (the gold content starts
//!   with, or right after, a quotation mark) and has a source: the matched
//!   prediction's speaker (else its resolved speaker) must overlap the gold
//!   source span.
//! * [`gvdb`]: per-article killed and injured totals on GVDB, with
//!   [`crate::counts::casualty_totals_in`]; gold = number of victim entries
//!   marked `killed` / `injured` (a victim marked only `hospitalized`, not
//!   `killed`, counts as injured).

use crate::counts::casualty_totals_in;
use crate::{counts, quotes, QuoteKind};
use petrel_doc::{CharMap, Doc, Span};
use std::path::Path;

/// Scores on PolNeAR.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolnearScores {
    pub docs: usize,
    pub gold: usize,
    /// Top-level predicted attributions (the ones scored).
    pub predicted: usize,
    /// Nested predicted attributions, kept by [`quotes`] but not scored.
    pub nested: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Gold direct quotes with a source.
    pub direct_gold: usize,
    /// … of which a prediction matched the content.
    pub direct_found: usize,
    /// … of which the predicted speaker overlaps the gold source.
    pub speaker_correct: usize,
    /// `speaker_correct / direct_found`.
    pub speaker_accuracy: f64,
    /// Error samples for inspection: `MISS`, `FALSE` and `SPEAKER` lines.
    pub errors: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct GoldAttr {
    pub content: Span,
    pub source: Option<Span>,
    pub cue: Option<Span>,
}

fn span_of(field: &str, map: &CharMap, ctx: &str) -> Result<Span, String> {
    // "Type start end" or "Type s1 e1;s2 e2"
    let mut parts = field.splitn(2, ' ');
    let _ty = parts.next();
    let rest = parts.next().ok_or_else(|| format!("{ctx}: no offsets"))?;
    let mut lo = usize::MAX;
    let mut hi = 0usize;
    for piece in rest.split(';') {
        let mut it = piece.split_whitespace();
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            return Err(format!("{ctx}: bad offsets {piece:?}"));
        };
        let a: usize = a.parse().map_err(|e| format!("{ctx}: {e}"))?;
        let b: usize = b.parse().map_err(|e| format!("{ctx}: {e}"))?;
        lo = lo.min(a);
        hi = hi.max(b);
    }
    Ok(Span {
        start: map.byte_of(lo),
        end: map.byte_of(hi),
    })
}

fn read_ann(path: &Path, text: &str) -> Result<Vec<GoldAttr>, String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let map = CharMap::new(text);
    let mut spans = std::collections::HashMap::new();
    let mut events = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let ctx = format!("{}:{}", path.display(), n + 1);
        let f: Vec<&str> = line.split('\t').collect();
        match f.first().and_then(|s| s.chars().next()) {
            Some('T') if f.len() >= 2 => {
                spans.insert(f[0].to_string(), span_of(f[1], &map, &ctx)?);
            }
            Some('E') if f.len() >= 2 => events.push((ctx, f[1].to_string())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (ctx, e) in events {
        let mut content = None;
        let mut source = None;
        let mut cue = None;
        for arg in e.split_whitespace() {
            let Some((role, id)) = arg.split_once(':') else {
                continue;
            };
            let sp = spans
                .get(id)
                .copied()
                .ok_or_else(|| format!("{ctx}: unknown id {id}"))?;
            match role {
                "Content" => content = Some(sp),
                "Source" => source = Some(sp),
                "Cue" => cue = Some(sp),
                _ => {}
            }
        }
        if let Some(content) = content {
            out.push(GoldAttr {
                content,
                source,
                cue,
            });
        }
    }
    Ok(out)
}

fn overlap(a: Span, b: Span) -> usize {
    (a.end.min(b.end) as usize).saturating_sub(a.start.max(b.start) as usize)
}

/// Whether `a` and `b` overlap by at least half of the longer one.
pub fn half_overlap(a: Span, b: Span) -> bool {
    let o = overlap(a, b);
    o > 0 && 2 * o >= a.len().max(b.len())
}

fn is_direct(text: &str, s: Span) -> bool {
    let before = text.get(..s.start as usize).unwrap_or("");
    let inner = text.get(s.range()).unwrap_or("");
    let quote = |c: char| matches!(c, '"' | '\u{201C}' | '\u{201D}');
    inner.starts_with(quote) || before.trim_end().ends_with(quote) && !before.ends_with("\n")
}

/// The articles of a PolNeAR split folder with their gold attributions
/// (first `.ann` file in name order per article).
pub(crate) fn polnear_docs(dir: &Path) -> Result<Vec<(String, Vec<GoldAttr>)>, String> {
    let list = |d: &Path, ext: &str| -> Result<Vec<String>, String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(ext))
            .collect();
        v.sort();
        Ok(v)
    };
    let (tdir, adir) = (dir.join("text"), dir.join("attributions"));
    let anns = list(&adir, ".ann")?;
    let mut out = Vec::new();
    for name in list(&tdir, ".txt")? {
        let stem = name.trim_end_matches(".txt");
        let Some(ann) = anns.iter().find(|a| {
            a.strip_prefix(stem)
                .is_some_and(|rest| rest.starts_with('_') && !rest[1..].contains('_'))
        }) else {
            continue;
        };
        let tpath = tdir.join(&name);
        let text =
            std::fs::read_to_string(&tpath).map_err(|e| format!("{}: {e}", tpath.display()))?;
        let gold = read_ann(&adir.join(ann), &text)?;
        out.push((text, gold));
    }
    Ok(out)
}

/// Score [`quotes`] on a PolNeAR split folder (`…/polnear/dev`, with `text/`
/// and `attributions/`). When an article has several annotators, the first
/// `.ann` file in name order is used. Nested attributions
/// ([`crate::Quote::nested`]) are not scored.
pub fn polnear(dir: &Path, analyse: &dyn Fn(&str) -> Doc) -> Result<PolnearScores, String> {
    polnear_with(dir, analyse, &quotes)
}

/// [`polnear`] with another extractor (e.g. [`crate::quotes_with`] and a
/// boundary model under training).
pub fn polnear_with(
    dir: &Path,
    analyse: &dyn Fn(&str) -> Doc,
    extract: &dyn Fn(&Doc) -> Vec<crate::Quote>,
) -> Result<PolnearScores, String> {
    let mut s = PolnearScores::default();
    for (text, gold) in polnear_docs(dir)? {
        let doc = analyse(&text);
        // Only top-level attributions: PolNeAR marks one attribution per
        // stretch of text, so reported speech nested inside another
        // attribution's content ("X said Y warned Z": Y's) has no gold
        // counterpart of its own and would count as a false positive.
        let (nested, pred): (Vec<_>, Vec<_>) = extract(&doc).into_iter().partition(|q| q.nested);
        s.nested += nested.len();
        s.docs += 1;
        s.gold += gold.len();
        s.predicted += pred.len();
        let mut used = vec![false; pred.len()];
        for g in &gold {
            let m = pred
                .iter()
                .enumerate()
                .find(|(k, p)| !used[*k] && half_overlap(p.content, g.content))
                .map(|(k, _)| k);
            if let Some(k) = m {
                used[k] = true;
                s.matched += 1;
            } else {
                let near = pred.iter().find(|p| overlap(p.content, g.content) > 0);
                let mut ctx_start = g.content.start.saturating_sub(40) as usize;
                while ctx_start > 0 && !text.is_char_boundary(ctx_start) {
                    ctx_start -= 1;
                }
                s.errors.push(format!(
                    "MISS cue {:?} [{}] {:?}\n   near {:?}",
                    g.cue.and_then(|c| text.get(c.range())).unwrap_or(""),
                    text.get(ctx_start..g.content.start as usize)
                        .unwrap_or("")
                        .replace('\n', " "),
                    text.get(g.content.range()).unwrap_or(""),
                    near.map(|p| text.get(p.content.range()).unwrap_or(""))
                ));
            }
            if let Some(src) = g.source.filter(|_| is_direct(&text, g.content)) {
                s.direct_gold += 1;
                if let Some(k) = m {
                    s.direct_found += 1;
                    let p = &pred[k];
                    let sp = p.speaker.or(p.speaker_resolved);
                    if sp.is_some_and(|sp| overlap(sp, src) > 0) {
                        s.speaker_correct += 1;
                    } else {
                        s.errors.push(format!(
                            "SPEAKER gold {:?} pred {:?} for {:?}",
                            text.get(src.range()).unwrap_or(""),
                            sp.map(|x| text.get(x.range()).unwrap_or("")),
                            text.get(g.content.range())
                                .unwrap_or("")
                                .chars()
                                .take(60)
                                .collect::<String>()
                        ));
                    }
                }
            }
        }
        // Missed gold contents that an unmatched prediction overlaps (by
        // less than half): wrong starts/ends, splits and merges.
        for g in gold
            .iter()
            .filter(|g| !pred.iter().any(|p| half_overlap(p.content, g.content)))
        {
            let best = pred
                .iter()
                .enumerate()
                .filter(|(k, p)| !used[*k] && overlap(p.content, g.content) > 0)
                .max_by_key(|(_, p)| overlap(p.content, g.content));
            if let Some((_, p)) = best {
                let d = |a: u32, b: u32| a as i64 - b as i64;
                s.errors.push(format!(
                    "PARTIAL {:?} start {:+} end {:+} cue {:?} pcue {:?}\n   gold {:?}\n   pred {:?}",
                    p.kind,
                    d(p.content.start, g.content.start),
                    d(p.content.end, g.content.end),
                    g.cue.and_then(|c| text.get(c.range())).unwrap_or(""),
                    p.cue.and_then(|c| text.get(c.range())).unwrap_or(""),
                    text.get(g.content.range()).unwrap_or(""),
                    text.get(p.content.range()).unwrap_or("")
                ));
            }
        }
        // Nested predictions that would match a missed gold content, with
        // the attribution they are nested in (is the nesting wrong?).
        for q in &nested {
            let hit = gold.iter().find(|g| {
                half_overlap(q.content, g.content)
                    && !pred.iter().any(|p| half_overlap(p.content, g.content))
            });
            if hit.is_some() {
                let outer = pred.iter().find(|p| {
                    q.cue
                        .is_some_and(|c| p.content.start <= c.start && c.end <= p.content.end)
                });
                let outer_ok =
                    outer.is_some_and(|o| gold.iter().any(|g| half_overlap(o.content, g.content)));
                s.errors.push(format!(
                    "NESTED {:?} cue {:?} {:?}\n   outer {} cue {:?} {:?}",
                    q.kind,
                    q.cue.and_then(|c| text.get(c.range())).unwrap_or(""),
                    text.get(q.content.range()).unwrap_or(""),
                    if outer_ok { "matched" } else { "unmatched" },
                    outer
                        .and_then(|o| o.cue)
                        .and_then(|c| text.get(c.range()))
                        .unwrap_or(""),
                    outer.map(|o| text.get(o.content.range()).unwrap_or(""))
                ));
            }
        }
        for (k, p) in pred.iter().enumerate() {
            if !used[k] {
                s.errors.push(format!(
                    "FALSE {:?} cue {:?} {:?}",
                    p.kind,
                    p.cue.and_then(|c| text.get(c.range())).unwrap_or(""),
                    text.get(p.content.range()).unwrap_or("")
                ));
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.precision = ratio(s.matched, s.predicted);
    s.recall = ratio(s.matched, s.gold);
    s.f1 = if s.precision + s.recall > 0.0 {
        2.0 * s.precision * s.recall / (s.precision + s.recall)
    } else {
        0.0
    };
    s.speaker_accuracy = ratio(s.speaker_correct, s.direct_found);
    Ok(s)
}

/// Scores on GVDB.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GvdbScores {
    pub articles: usize,
    pub killed_exact: usize,
    pub injured_exact: usize,
    /// Articles with both totals exactly right.
    pub both_exact: usize,
    pub both_accuracy: f64,
}

/// Gold (killed, injured) of one GVDB JSON annotation.
fn gvdb_gold(json: &str, ctx: &str) -> Result<(u64, u64), String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{ctx}: {e}"))?;
    let mut k = 0;
    let mut i = 0;
    if let Some(victims) = v.get("victim-section").and_then(|x| x.as_array()) {
        for vic in victims {
            let was: Vec<&str> = vic
                .get("victim-was")
                .and_then(|x| x.as_array())
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            let killed = was.contains(&"killed");
            k += u64::from(killed);
            // A victim marked only "hospitalized" (24 of 535 victims in dev)
            // was hurt and survived: injured.
            i += u64::from(was.contains(&"injured") || (!killed && was.contains(&"hospitalized")));
        }
    }
    Ok((k, i))
}

/// Score per-article casualty totals on GVDB's `dev.tsv`. `limit` caps the
/// number of articles (0 = all). Also returns per-article
/// `(id, gold killed, gold injured, predicted killed, predicted injured)`.
#[allow(clippy::type_complexity)]
pub fn gvdb(
    file: &Path,
    analyse: &dyn Fn(&str) -> Doc,
    limit: usize,
) -> Result<(GvdbScores, Vec<(String, u64, u64, u64, u64)>), String> {
    let src = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut s = GvdbScores::default();
    let mut rows = Vec::new();
    for (n, line) in src.lines().enumerate().skip(1) {
        if limit > 0 && s.articles >= limit {
            break;
        }
        let ctx = format!("{}:{}", file.display(), n + 1);
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            return Err(format!("{ctx}: expected at least 5 tab-separated fields"));
        }
        let (gk, gi) = gvdb_gold(f[4], &ctx)?;
        // GVDB's full text is the title glued to the body: put a line break
        // back between them.
        let text = match f[3].strip_prefix(f[2]) {
            Some(body) if !f[2].is_empty() => format!("{}\n{}", f[2], body),
            _ => f[3].to_string(),
        };
        let doc = analyse(&text);
        let (pk, pi) = casualty_totals_in(&doc, &counts(&doc));
        s.articles += 1;
        s.killed_exact += usize::from(pk == gk);
        s.injured_exact += usize::from(pi == gi);
        s.both_exact += usize::from(pk == gk && pi == gi);
        rows.push((f[0].to_string(), gk, gi, pk, pi));
    }
    s.both_accuracy = if s.articles == 0 {
        0.0
    } else {
        s.both_exact as f64 / s.articles as f64
    };
    Ok((s, rows))
}

/// Number of quotes by kind, for reporting.
pub fn kind_histogram(qs: &[crate::Quote]) -> [usize; 3] {
    let mut h = [0; 3];
    for q in qs {
        h[match q.kind {
            QuoteKind::Direct => 0,
            QuoteKind::Indirect => 1,
            QuoteKind::Mixed => 2,
        }] += 1;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_rule() {
        assert!(half_overlap(Span::new(0, 10), Span::new(0, 10)));
        assert!(half_overlap(Span::new(0, 10), Span::new(5, 12)));
        assert!(!half_overlap(Span::new(0, 10), Span::new(6, 30)));
        assert!(!half_overlap(Span::new(0, 10), Span::new(10, 20)));
    }

    #[test]
    fn gold_counts_from_json() {
        let j = r#"{"victim-section":[{"victim-was":["killed"]},{"victim-was":["injured","hospitalized"]},{"victim-was":[]}]}"#;
        assert_eq!(gvdb_gold(j, "x").unwrap(), (1, 1));
        let j = r#"{"victim-section":[{"victim-was":["killed","hospitalized"]},{"victim-was":["hospitalized"]}]}"#;
        assert_eq!(gvdb_gold(j, "x").unwrap(), (1, 1));
        assert!(gvdb_gold("{", "x:1").unwrap_err().starts_with("x:1"));
    }

    #[test]
    fn direct_gold_detection() {
        let t = "He said \"we win\" today. She said we lose.";
        assert!(is_direct(t, Span::new(9, 15)));
        assert!(!is_direct(t, Span::new(34, 41)));
    }
}
