//! Validates Petrel's own dictionaries (`dictionaries/petrel/`), on disk and
//! as embedded in the binary.

use petrel_dict::petrel;
use std::collections::BTreeSet;
use std::path::Path;

fn folder() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dictionaries/petrel")
}

#[test]
fn petrel_folder_validates() {
    let report = petrel::validate_dir(&folder());
    println!("{report}");
    assert!(
        report.is_ok(),
        "{} errors in dictionaries/petrel",
        report.errors.len()
    );
    let s = &report.stats;
    assert_eq!(s.cameo_codes, 312);
    assert!(s.patterns > 0 && s.actors > 0, "{report}");
}

#[test]
fn embedded_matches_folder() {
    let on_disk = petrel::load_dir(&folder());
    let embedded = petrel::embedded();
    match (on_disk, embedded) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.verbs, b.verbs);
            assert_eq!(a.actors, b.actors);
            assert_eq!(a.cameo.len(), b.cameo.len());
        }
        (a, b) => panic!("disk: {:?}\nembedded: {:?}", a.err(), b.err()),
    }
    assert!(petrel::embedded_file("cameo.tsv").is_some());
    let table = petrel::embedded_cameo().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(table.len(), 312);
    assert_eq!(table.get("190").map(|c| c.goldstein), Some(-10.0));
    assert!(petrel::embedded_files()
        .iter()
        .all(|(p, _)| !p.contains('\\')));
}

/// The code table has exactly the codes of the CAMEO codebook.
#[test]
fn cameo_table_matches_codebook() {
    let csv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/events/cameo-codebook/cameo-codes.csv");
    let Ok(bytes) = std::fs::read(&csv) else {
        println!("SKIPPED: {} is absent", csv.display());
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    // Column 4 (`code`) of a quoted CSV (names may hold commas).
    let book: BTreeSet<String> = text
        .lines()
        .skip(1)
        .filter_map(|l| csv_fields(l).into_iter().nth(3))
        .filter(|c| !c.is_empty())
        .collect();
    let (d, _) = petrel::load_dir_report(&folder());
    let ours: BTreeSet<String> = d.cameo.keys().cloned().collect();
    let missing: Vec<&String> = book.difference(&ours).collect();
    let extra: Vec<&String> = ours.difference(&book).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?} extra {extra:?}"
    );
}

/// Splits one CSV line with `"` quoting (no embedded newlines).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}
