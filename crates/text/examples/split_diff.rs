//! Where the boundary model changes the rule splitter's sentences: prints
//! the sentences of each `.txt` file under a folder that only one of the
//! two splitters produces, and the counts.
//!
//! `cargo run --release -p petrel-text --example split_diff -- DIR`

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in rd {
        let p = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    Ok(())
}

fn main() -> Result<(), String> {
    let dir = std::env::args().nth(1).ok_or("usage: split_diff DIR")?;
    let mut files = Vec::new();
    collect(Path::new(&dir), &mut files)?;
    files.sort();
    let (mut rules_n, mut model_n, mut changed_docs) = (0usize, 0usize, 0usize);
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let (_, a) = petrel_text::segment_rules(&text);
        let (_, b) = petrel_text::segment(&text);
        rules_n += a.len();
        model_n += b.len();
        let sa: HashSet<_> = a.iter().map(|s| s.span).collect();
        let sb: HashSet<_> = b.iter().map(|s| s.span).collect();
        if sa != sb {
            changed_docs += 1;
            println!("== {}", f.display());
            for s in &a {
                if !sb.contains(&s.span) {
                    println!("RULES {:?}", &text[s.span.range()]);
                }
            }
            for s in &b {
                if !sa.contains(&s.span) {
                    println!("MODEL {:?}", &text[s.span.range()]);
                }
            }
        }
    }
    println!(
        "{} files: {rules_n} sentences by rules, {model_n} with the model; {changed_docs} files differ",
        files.len()
    );
    Ok(())
}
