//! End-to-end tests of `petrel actors learn | review | show`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn petrel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_petrel"))
        .args(args)
        .output()
        .expect("petrel runs")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("petrel-actors-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

const CORPUS: &str = r#"{"id":"a1","published":"1987-03-02","text":"Colombian President Virgilio Barco met union leaders on Monday. Barco said the talks went well."}
{"id":"a2","published":"1987-03-05","text":"Virgilio Barco, Colombia's president, flew to Caracas. Japan's foreign minister Tadashi Kuranari arrived in Seoul."}
{"id":"a3","published":"1987-03-09","text":"Venezuelan President Jaime Lusinchi said Gustavo Petro, Colombia's president, would attend."}
"#;

#[test]
fn learn_review_check_show() {
    let d = tmp("e2e");
    let input = d.join("corpus.jsonl");
    std::fs::write(&input, CORPUS).expect("write corpus");
    let tsv = d.join("cands.tsv");
    let o = petrel(&[
        "actors",
        "learn",
        input.to_str().unwrap_or_default(),
        "--input",
        "jsonl",
        "--out",
        tsv.to_str().unwrap_or_default(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&tsv).expect("tsv written");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("name\tcountry\trole\tcode\tcount"));
    // Barco: two full mentions plus the bare surname "Barco" is not a pattern match.
    let barco = lines
        .iter()
        .find(|l| l.starts_with("Virgilio Barco\tCOL\tGOV\tCOLGOV\t2\t1987-03-02\t1987-03-05\tnew"))
        .unwrap_or_else(|| panic!("Barco candidate missing:\n{text}"));
    assert!(barco.contains("a1: Colombian President Virgilio Barco met union leaders on Monday."));
    assert!(
        text.contains("Tadashi Kuranari\tJPN\tGOV\tJPNGOV\t1\t"),
        "{text}"
    );
    // A curated name is reported as known, with whether the code agrees
    // (Petro was not Colombia's president in 1987: it does not).
    assert!(
        text.lines()
            .any(|l| l.starts_with("Gustavo Petro\tCOL\tGOV\tCOLGOV\t1\t")
                && l.contains("\tknown-differs\tactors/people.txt:")),
        "{text}"
    );
    // Sorted by count, then name.
    assert!(lines[1].starts_with("Virgilio Barco\t"), "{text}");

    // Review: accept by count, write a Petrel actors file into a copy of the dictionaries.
    let dicts = d.join("dicts");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dictionaries/petrel"),
        &dicts,
    );
    let learned = dicts.join("actors/learned.txt");
    let o = petrel(&[
        "actors",
        "review",
        tsv.to_str().unwrap_or_default(),
        "--min-count",
        "1",
        "--out",
        learned.to_str().unwrap_or_default(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("ACCEPT") && shown.contains("known"),
        "{shown}"
    );
    let file = std::fs::read_to_string(&learned).expect("learned file");
    assert!(
        file.contains("\nVirgilio Barco\n  COLGOV 1987-03-02..\n"),
        "{file}"
    );
    assert!(
        !file.contains("\nGustavo Petro\n"),
        "curated name re-learned:\n{file}"
    );
    let o = petrel(&["dict", "check", dicts.to_str().unwrap_or_default()]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );

    // --accept picks names explicitly.
    let only = d.join("only.txt");
    let o = petrel(&[
        "actors",
        "review",
        tsv.to_str().unwrap_or_default(),
        "--accept",
        "tadashi kuranari",
        "--out",
        only.to_str().unwrap_or_default(),
    ]);
    assert!(o.status.success());
    let file = std::fs::read_to_string(&only).expect("only file");
    assert!(
        file.contains("\nTadashi Kuranari\n  JPNGOV 1987-03-05..\n") && !file.contains("Barco\n"),
        "{file}"
    );

    // Show: the learned entry from the folder, the curated one embedded.
    let o = petrel(&[
        "actors",
        "show",
        "Virgilio Barco",
        "--dicts",
        dicts.to_str().unwrap_or_default(),
        "--date",
        "1987-06-01",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success()
            && out.contains("actors/learned.txt:")
            && out.contains("in force on 1987-06-01: COLGOV"),
        "{out}"
    );
    let o = petrel(&["actors", "show", "Gustavo Petro", "--date", "2023-01-01"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("actors/people.txt:") && out.contains("in force on 2023-01-01: COLGOV"),
        "{out}"
    );
    assert!(out.contains("COLLEG 2018-07-20..2022-08-06"), "{out}");
    let o = petrel(&["actors", "show", "Nobody Atall"]);
    assert!(!o.status.success());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn review_rejects_a_malformed_file() {
    let d = tmp("bad");
    let f = d.join("bad.tsv");
    std::fs::write(&f, "name\tcountry\n").expect("write");
    let o = petrel(&["actors", "review", f.to_str().unwrap_or_default()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1"));
    let _ = std::fs::remove_dir_all(&d);
}
