//! ConfliBERT CAMEO sentences (`events/conflibert-cameo`): PentaClass accuracy
//! from `cameo_class.train.tsv`, and source/target span F1 from
//! `cameo_ner.train.txt` (BIO tags: S source, T target, R both).

use crate::metrics::{ratio, Prf};
use crate::{penta_class, Annotator};
use petrel_doc::{CharMap, Doc, Event};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// PentaClass scores.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClassReport {
    pub sentences: usize,
    /// Sentences whose chosen event has the gold class, over all sentences.
    pub accuracy: f64,
    /// Sentences where Petrel coded at least one event.
    pub coded: usize,
    /// Of the coded sentences, those with *some* event of the gold class.
    pub any_right_when_coded: f64,
    /// Of the coded sentences, those whose chosen event has the gold class.
    pub chosen_right_when_coded: f64,
    /// Per gold class: (precision, recall) of the chosen class.
    pub per_class: Vec<(u8, f64, f64)>,
    /// `confusion[gold][predicted]`, predicted index 5 = no event.
    pub confusion: [[usize; 6]; 5],
}

/// Span scores. `source`/`target` score the actors of every event Petrel
/// codes (gold marks about one event per sentence, so secondary events
/// count as false positives); `main_source`/`main_target` score only the
/// sentence's [`main_event`], as the PentaClass scorer picks it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpanReport {
    pub sentences: usize,
    pub source: Prf,
    pub target: Prf,
    pub source_f1: f64,
    pub target_f1: f64,
    pub main_source: Prf,
    pub main_target: Prf,
    pub main_source_f1: f64,
    pub main_target_f1: f64,
    /// The events of the [`main_act`]: the main event with the other events
    /// of its verb and pattern (coordinated actors, the reverse of a mutual act).
    pub main_act_source: Prf,
    pub main_act_target: Prf,
    pub main_act_source_f1: f64,
    pub main_act_target_f1: f64,
}

/// The event that stands for a sentence: not negated, with both actors, not a
/// bare statement, earliest in the text, not the reverse event of a mutual
/// act (rule `+mutual(…)`) — in that order of preference.
pub fn main_event(events: &[Event]) -> Option<&Event> {
    events.iter().max_by_key(|e| {
        (
            !e.negated,
            // Coded actors: an unresolved target phrase (empty code) does not count.
            e.source.as_ref().is_some_and(|a| !a.code.is_empty())
                && e.target.as_ref().is_some_and(|a| !a.code.is_empty()),
            e.root != "01",
            std::cmp::Reverse(e.verb.start),
            !e.rule.contains("+mutual("),
        )
    })
}

/// The act that stands for a sentence: the [`main_event`] and every event
/// coded from the same verb by the same pattern — one per coordinated actor
/// ("sanctions against *India* and *Pakistan*") and the reverse event of a
/// mutual act — as annotators mark every party of the one act.
pub fn main_act(events: &[Event]) -> Vec<&Event> {
    let base = |r: &str| r.split("+mutual(").next().unwrap_or("").to_string();
    let Some(m) = main_event(events) else {
        return Vec::new();
    };
    let rule = base(&m.rule);
    events
        .iter()
        .filter(|e| e.verb_tokens == m.verb_tokens && base(&e.rule) == rule)
        .collect()
}

/// Reads `sentence<TAB>label` lines (CRLF tolerated).
pub fn read_class_file(path: &Path) -> Result<Vec<(String, u8)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (s, l) = line
            .rsplit_once('\t')
            .ok_or_else(|| format!("{}:{}: expected sentence<TAB>label", path.display(), i + 1))?;
        let l: u8 = l
            .trim()
            .parse()
            .map_err(|_| format!("{}:{}: bad label {l:?}", path.display(), i + 1))?;
        out.push((s.to_string(), l));
    }
    Ok(out)
}

pub fn score_classes(annotator: &dyn Annotator, data: &[(String, u8)]) -> ClassReport {
    let preds: Vec<(u8, Option<u8>, Vec<u8>)> = data
        .par_iter()
        .enumerate()
        .map(|(i, (s, gold))| {
            let doc = annotator.annotate(&format!("cb-{i}"), s, None);
            let chosen = main_event(&doc.events).and_then(|e| penta_class(&e.root));
            let all = doc
                .events
                .iter()
                .filter(|e| !e.negated)
                .filter_map(|e| penta_class(&e.root))
                .collect();
            (*gold, chosen, all)
        })
        .collect();
    let mut r = ClassReport {
        sentences: data.len(),
        ..ClassReport::default()
    };
    let (mut right, mut coded, mut any_right, mut chosen_right) = (0, 0, 0, 0);
    for (gold, chosen, all) in &preds {
        let g = (*gold).min(4) as usize;
        r.confusion[g][chosen.map(|c| c as usize).unwrap_or(5)] += 1;
        if *chosen == Some(*gold) {
            right += 1;
        }
        if chosen.is_some() {
            coded += 1;
            if all.contains(gold) {
                any_right += 1;
            }
            if *chosen == Some(*gold) {
                chosen_right += 1;
            }
        }
    }
    r.accuracy = ratio(right, data.len());
    r.coded = coded;
    r.any_right_when_coded = ratio(any_right, coded);
    r.chosen_right_when_coded = ratio(chosen_right, coded);
    for c in 0..5 {
        let tp = r.confusion[c][c];
        let predicted: usize = (0..5).map(|g| r.confusion[g][c]).sum();
        let gold: usize = r.confusion[c].iter().sum();
        r.per_class
            .push((c as u8, ratio(tp, predicted), ratio(tp, gold)));
    }
    r
}

/// One sentence of the BIO file: its tokens and the gold spans (token ranges).
#[derive(Debug, Clone, Default)]
pub struct BioSentence {
    pub tokens: Vec<String>,
    pub sources: Vec<(usize, usize)>,
    pub targets: Vec<(usize, usize)>,
}

pub fn read_bio_file(path: &Path) -> Result<Vec<BioSentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    let mut cur = BioSentence::default();
    let mut open: Option<(char, usize)> = None;
    let close = |cur: &mut BioSentence, open: &mut Option<(char, usize)>, end: usize| {
        if let Some((kind, start)) = open.take() {
            if matches!(kind, 'S' | 'R') {
                cur.sources.push((start, end));
            }
            if matches!(kind, 'T' | 'R') {
                cur.targets.push((start, end));
            }
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            let n = cur.tokens.len();
            close(&mut cur, &mut open, n);
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (tok, tag) = line
            .rsplit_once(' ')
            .ok_or_else(|| format!("{}:{}: expected `token TAG`", path.display(), i + 1))?;
        let n = cur.tokens.len();
        let kind = tag.chars().last().unwrap_or('O');
        match tag.chars().next() {
            Some('B') => {
                close(&mut cur, &mut open, n);
                open = Some((kind, n));
            }
            Some('I') if open.map(|(k, _)| k) == Some(kind) => {}
            Some('I') => {
                close(&mut cur, &mut open, n);
                open = Some((kind, n));
            }
            _ => close(&mut cur, &mut open, n),
        }
        cur.tokens.push(tok.to_string());
    }
    let n = cur.tokens.len();
    close(&mut cur, &mut open, n);
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn char_spans<'a>(
    doc: &Doc,
    events: impl Iterator<Item = &'a Event>,
    pick: impl Fn(&Event) -> Option<petrel_doc::Span>,
) -> Vec<(usize, usize)> {
    let map = CharMap::new(&doc.text);
    events.filter_map(&pick).map(|s| map.chars(s)).collect()
}

/// One predicted event of a sentence, as [`SpanDetail`] lists it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DetailEvent {
    pub cameo: String,
    pub rule: String,
    /// The sentence's [`main_event`].
    pub main: bool,
    pub negated: bool,
    /// Character span, code and resolution (`via`) of each actor.
    pub source: Option<(usize, usize, String, String)>,
    pub target: Option<(usize, usize, String, String)>,
    /// Character span of the verb.
    pub verb: (usize, usize),
    /// Dependency relation of the verb (empty when unparsed).
    pub verb_rel: String,
}

/// One sentence of the span set with its gold and predicted spans
/// (character offsets into `text`), for error analysis (`petrel eval
/// --errors FILE`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpanDetail {
    pub index: usize,
    pub text: String,
    pub gold_sources: Vec<(usize, usize)>,
    pub gold_targets: Vec<(usize, usize)>,
    pub events: Vec<DetailEvent>,
}

pub fn score_spans(annotator: &dyn Annotator, data: &[BioSentence]) -> SpanReport {
    score_spans_detailed(annotator, data).0
}

/// [`score_spans`], with the gold and predicted spans of every sentence.
pub fn score_spans_detailed(
    annotator: &dyn Annotator,
    data: &[BioSentence],
) -> (SpanReport, Vec<SpanDetail>) {
    let results: Vec<([Prf; 6], SpanDetail)> = data
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            // The text is the tokens joined by single spaces; gold token ranges become character ranges.
            let mut starts = Vec::with_capacity(s.tokens.len() + 1);
            let mut text = String::new();
            for t in &s.tokens {
                if !text.is_empty() {
                    text.push(' ');
                }
                starts.push(text.chars().count());
                text.push_str(t);
            }
            let char_range = |&(a, b): &(usize, usize)| -> Option<(usize, usize)> {
                let start = *starts.get(a)?;
                let last = b.checked_sub(1)?;
                Some((
                    start,
                    starts.get(last)? + s.tokens.get(last)?.chars().count(),
                ))
            };
            let gold_s: Vec<(usize, usize)> = s.sources.iter().filter_map(char_range).collect();
            let gold_t: Vec<(usize, usize)> = s.targets.iter().filter_map(char_range).collect();
            let doc = annotator.annotate(&format!("cbner-{i}"), &text, None);
            let src = |e: &Event| e.source.as_ref().map(|a| a.span);
            let tgt = |e: &Event| e.target.as_ref().map(|a| a.span);
            let main = main_event(&doc.events);
            let act = main_act(&doc.events);
            let mut out = [Prf::default(); 6];
            out[0].add_sets(&char_spans(&doc, doc.events.iter(), src), &gold_s);
            out[1].add_sets(&char_spans(&doc, doc.events.iter(), tgt), &gold_t);
            out[2].add_sets(&char_spans(&doc, main.into_iter(), src), &gold_s);
            out[3].add_sets(&char_spans(&doc, main.into_iter(), tgt), &gold_t);
            out[4].add_sets(&char_spans(&doc, act.iter().copied(), src), &gold_s);
            out[5].add_sets(&char_spans(&doc, act.iter().copied(), tgt), &gold_t);
            let map = CharMap::new(&doc.text);
            let actor = |a: &Option<petrel_doc::ActorRef>| {
                a.as_ref().map(|a| {
                    let (x, y) = map.chars(a.span);
                    (x, y, a.code.clone(), a.via.clone())
                })
            };
            let events = doc
                .events
                .iter()
                .map(|e| DetailEvent {
                    cameo: e.cameo.clone(),
                    rule: e.rule.clone(),
                    main: main.is_some_and(|m| std::ptr::eq(m, e)),
                    negated: e.negated,
                    source: actor(&e.source),
                    target: actor(&e.target),
                    verb: map.chars(e.verb),
                    verb_rel: doc
                        .tokens
                        .deprel
                        .get(e.verb_tokens.start as usize)
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect();
            let detail = SpanDetail {
                index: i,
                text,
                gold_sources: gold_s,
                gold_targets: gold_t,
                events,
            };
            (out, detail)
        })
        .collect();
    let mut r = SpanReport {
        sentences: data.len(),
        ..SpanReport::default()
    };
    let mut details = Vec::with_capacity(results.len());
    for (x, d) in results {
        for (sum, v) in [
            &mut r.source,
            &mut r.target,
            &mut r.main_source,
            &mut r.main_target,
            &mut r.main_act_source,
            &mut r.main_act_target,
        ]
        .into_iter()
        .zip(x)
        {
            sum.tp += v.tp;
            sum.fp += v.fp;
            sum.fn_ += v.fn_;
        }
        details.push(d);
    }
    r.source_f1 = r.source.f1();
    r.target_f1 = r.target.f1();
    r.main_source_f1 = r.main_source.f1();
    r.main_target_f1 = r.main_target.f1();
    r.main_act_source_f1 = r.main_act_source.f1();
    r.main_act_target_f1 = r.main_act_target.f1();
    (r, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event `src` → `tgt` of `cameo` on token `verb`, made by `rule`.
    fn event(cameo: &str, src: &str, tgt: &str, rule: &str, verb: u32) -> Event {
        let actor = |code: &str| petrel_doc::ActorRef {
            code: code.into(),
            span: petrel_doc::Span::new(0, 3),
            tokens: 0..1,
            via: String::new(),
        };
        Event {
            cameo: cameo.into(),
            root: cameo.get(..2).unwrap_or(cameo).into(),
            quad_class: 1,
            goldstein: 0.0,
            plover_type: None,
            plover_mode: None,
            source: Some(actor(src)),
            target: Some(actor(tgt)),
            verb: petrel_doc::Span::new(verb as usize * 4, verb as usize * 4 + 3),
            verb_tokens: verb..verb + 1,
            negated: false,
            modality: petrel_doc::Modality::Asserted,
            reported_by: None,
            date: None,
            sentence: 0,
            rule: rule.into(),
            confidence: 0.6,
        }
    }

    #[test]
    fn main_event_prefers_the_forward_event_of_a_mutual_act() {
        let ev = |src: &str, tgt: &str, rule: &str| event("040", src, tgt, rule, 1);
        let events = vec![
            ev("COL", "VEN", "v:1"),
            ev("VEN", "COL", "v:1+mutual(modality.txt:9)"),
        ];
        let main = main_event(&events).and_then(|e| e.source.as_ref());
        assert_eq!(main.map(|a| a.code.as_str()), Some("COL"));
    }

    #[test]
    fn main_act_keeps_the_events_of_the_main_verb_and_pattern() {
        let ev = |src: &str, tgt: &str, rule: &str, verb: u32| event("163", src, tgt, rule, verb);
        // Another pattern on the same verb, and another verb, are other acts.
        let events = vec![
            ev("JPN", "CHN", "v:4", 1),
            ev("JPN", "IND", "v:1", 1),
            ev("JPN", "PAK", "v:1", 1),
            ev("IND", "JPN", "v:1+mutual(m:2)", 1),
            ev("JPN", "USA", "v:3", 5),
        ];
        let act: Vec<&str> = main_act(&events)
            .iter()
            .filter_map(|e| e.target.as_ref().map(|a| a.code.as_str()))
            .collect();
        assert_eq!(act, vec!["IND", "PAK", "JPN"]);
        assert!(main_act(&[]).is_empty());
    }

    #[test]
    fn bio_reader_builds_spans_including_reciprocal() {
        let dir = std::env::temp_dir().join(format!("petrel-bio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.txt");
        std::fs::write(
            &p,
            "A B-S\ncar I-S\nhit O\nthe B-T\nman I-T\n\nX B-R\nmet O\nY B-R\n",
        )
        .unwrap();
        let s = read_bio_file(&p).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].sources, vec![(0, 2)]);
        assert_eq!(s[0].targets, vec![(3, 5)]);
        assert_eq!(s[1].sources, vec![(0, 1), (2, 3)]);
        assert_eq!(s[1].targets, vec![(0, 1), (2, 3)]);
    }
}
