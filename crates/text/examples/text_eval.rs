//! Prints segmentation and lemma scores on a CoNLL-U file with error samples.
//!
//! `cargo run --release -p petrel-text --example text_eval -- FILE.conllu [SEP]`
//! where SEP is `space` (default) or `newline`: how sentences of a paragraph
//! are joined into raw text. `SENT_MODEL=rules` scores the rule splitter
//! alone, `SENT_MODEL=PATH` a boundary model file instead of the built-in one.

use petrel_doc::Span;
use petrel_text::boundary::BoundaryModel;
use petrel_text::eval::{lemma_accuracy, read_conllu, rebuild, segmentation_scores_by};
use std::collections::HashSet;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: text_eval FILE.conllu [space|newline]")?;
    let sep = if args.get(2).map(String::as_str) == Some("newline") {
        "\n"
    } else {
        " "
    };
    let src = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let model = match std::env::var("SENT_MODEL") {
        Ok(m) if m == "rules" => None,
        Ok(m) => {
            let data = std::fs::read_to_string(&m).map_err(|e| format!("{m}: {e}"))?;
            Some(BoundaryModel::from_data(&data).map_err(|e| format!("{m}: {e}"))?)
        }
        Err(_) => Some(BoundaryModel::builtin().clone()),
    };
    let seg = |t: &str| match &model {
        Some(m) => petrel_text::segment_with(t, m),
        None => petrel_text::segment_rules(t),
    };
    let sc = segmentation_scores_by(&src, sep, seg)?;
    println!("tokens    {:?} F1 {:.4}", sc.tokens, sc.tokens.f1());
    println!(
        "sentences {:?} F1 {:.4} unaligned {}",
        sc.sentences,
        sc.sentences.f1(),
        sc.unaligned
    );
    let verbose = std::env::var("VERBOSE").is_ok();
    if verbose {
        for doc in read_conllu(&src)? {
            let raw = rebuild(&doc, sep);
            let (toks, sents) = seg(&raw.text);
            let gold: HashSet<Span> = raw.words.iter().copied().collect();
            let pred: HashSet<Span> = toks.iter().copied().collect();
            for t in &toks {
                if !gold.contains(t) {
                    let ctx_s = raw.text[..t.start as usize]
                        .char_indices()
                        .rev()
                        .nth(15)
                        .map(|x| x.0)
                        .unwrap_or(0);
                    let ctx_e = (t.end as usize + 15).min(raw.text.len());
                    let ctx_e = (ctx_e..=raw.text.len())
                        .find(|&i| raw.text.is_char_boundary(i))
                        .unwrap_or(raw.text.len());
                    println!(
                        "TOK-FP {:?} in {:?}",
                        &raw.text[t.range()],
                        &raw.text[ctx_s..ctx_e]
                    );
                }
            }
            for g in &raw.words {
                if !pred.contains(g) {
                    println!("TOK-FN {:?}", &raw.text[g.range()]);
                }
            }
            let gs: HashSet<Span> = raw.sentences.iter().copied().collect();
            let ps: HashSet<Span> = sents.iter().map(|s| s.span).collect();
            for g in &raw.sentences {
                if !ps.contains(g) {
                    println!("SENT-FN {:?}", &raw.text[g.range()]);
                }
            }
            for s in &sents {
                if !gs.contains(&s.span) {
                    println!("SENT-FP {:?}", &raw.text[s.span.range()]);
                }
            }
        }
    }
    let ls = lemma_accuracy(&src, if verbose { 100000 } else { 0 })?;
    println!(
        "lemma accuracy {:.4} ({} / {})",
        ls.accuracy(),
        ls.correct,
        ls.words
    );
    for e in &ls.errors {
        println!("LEMMA {}\t{}\tgold={}\tpred={}", e.0, e.1, e.2, e.3);
    }
    Ok(())
}
