//! Prints the sentences and tokens `petrel_text::segment` finds in a file
//! (tokens separated by `|`), and its dateline if any.
//!
//! `cargo run --release -p petrel-text --example show_segment -- FILE`

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).ok_or("usage: show_segment FILE")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    if let Some(d) = petrel_text::dateline(&text) {
        println!("DATELINE {:?}", &text[d.range()]);
    }
    let (toks, sents) = petrel_text::segment(&text);
    for s in &sents {
        let words: Vec<&str> = toks[s.tokens.start as usize..s.tokens.end as usize]
            .iter()
            .map(|t| &text[t.range()])
            .collect();
        println!("S: {}", words.join("|"));
    }
    Ok(())
}
