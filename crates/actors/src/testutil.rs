//! Builds small parsed [`Doc`]s from CoNLL-U-like tables, for tests here and
//! in the crates that consume actor resolution.
//!
//! One token per line: `ID FORM LEMMA UPOS XPOS HEAD DEPREL`, whitespace
//! separated; `HEAD` is 1-based within the sentence, `0` for the root. A
//! blank line starts a new sentence. Tokens are joined with single spaces.

use petrel_doc::{Doc, Sentence, Span};

/// Parses the table; errors name the offending line.
pub fn doc_from_table(table: &str) -> Result<Doc, String> {
    let mut doc = Doc::new("test", "");
    let mut sent_start_tok = 0u32;
    let mut sent_start_byte = 0usize;
    let mut text = String::new();
    let mut pending = false;
    let close = |doc: &mut Doc, start_tok: u32, start_byte: usize, text: &str| {
        let end_tok = doc.tokens.len() as u32;
        if end_tok > start_tok {
            doc.sentences.push(Sentence {
                span: Span::new(start_byte, text.len()),
                tokens: start_tok..end_tok,
            });
        }
    };
    for (ln, line) in table.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            if pending {
                close(&mut doc, sent_start_tok, sent_start_byte, &text);
                pending = false;
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 7 {
            return Err(format!(
                "line {}: expected 7 columns, got {}",
                ln + 1,
                f.len()
            ));
        }
        if !pending {
            sent_start_tok = doc.tokens.len() as u32;
            if !text.is_empty() {
                text.push(' ');
            }
            sent_start_byte = text.len();
            pending = true;
        } else {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(f[1]);
        doc.tokens.span.push(Span::new(start, text.len()));
        doc.tokens.lemma.push(f[2].to_string());
        doc.tokens
            .upos
            .push(f[3].parse().map_err(|e| format!("line {}: {e}", ln + 1))?);
        doc.tokens.xpos.push(f[4].to_string());
        let h: u32 = f[5]
            .parse()
            .map_err(|_| format!("line {}: bad head {:?}", ln + 1, f[5]))?;
        doc.tokens.head.push(if h == 0 {
            None
        } else {
            Some(sent_start_tok + h - 1)
        });
        doc.tokens.deprel.push(f[6].to_string());
    }
    if pending {
        close(&mut doc, sent_start_tok, sent_start_byte, &text);
    }
    doc.text = text;
    Ok(doc)
}
