//! Print the analysis, quotes and counts of a text given as argument.
use petrel_doc::Doc;

fn main() -> Result<(), String> {
    let text = std::env::args().nth(1).ok_or("usage: dump TEXT")?;
    let mut doc = Doc::new("x", text);
    petrel_text::tokenize(&mut doc);
    let nlp = petrel_nlp::Nlp::embedded().map_err(|e| e.to_string())?;
    nlp.annotate(&mut doc);
    for i in 0..doc.tokens.len() {
        println!(
            "{i}\t{}\t{}\t{}\t{}\t{:?}\t{}",
            doc.token_text(i),
            doc.tokens.lemma[i],
            doc.tokens.upos[i],
            doc.tokens.xpos[i],
            doc.tokens.head[i],
            doc.tokens.deprel[i]
        );
    }
    for s in &doc.sentences {
        println!("SENT {:?}", s.tokens);
    }
    for q in petrel_graph::quotes(&doc) {
        println!(
            "QUOTE {:?} {:?} cue={:?} speaker={:?} resolved={:?}",
            q.kind,
            doc.span_text(q.content),
            q.cue.map(|s| doc.span_text(s)),
            q.speaker.map(|s| doc.span_text(s)),
            q.speaker_resolved.map(|s| doc.span_text(s))
        );
    }
    for c in petrel_graph::counts(&doc) {
        println!(
            "COUNT {:?} {} {:?} {:?} obj={:?} trig={:?} generic={}",
            c.kind,
            c.number,
            c.qualifier,
            doc.span_text(c.span),
            c.object.map(|s| doc.span_text(s)),
            doc.span_text(c.trigger),
            c.generic
        );
    }
    Ok(())
}
