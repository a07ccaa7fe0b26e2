//! End-to-end tests: run the `petrel` binary as a user would.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn petrel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_petrel"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = petrel();
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("petrel runs");
    if let Some(s) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(s.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("petrel finishes")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("petrel-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn jsonl(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The article of the foundation issue, written by us: one country severs
/// ties with another, a foreign minister of the second condemns it, a third
/// country's envoy urges an armed group to accept a cease-fire offer, and a
/// prime minister vows to send troops into a town.
const ARTICLE: &str = r#"{"id":"e2e-1","url":"https://example.org/e2e","source":"Petrel tests","published":"2024-05-02","title":"Ties cut","text":"BOGOTA, May 2 (Petrel) - Colombia severed diplomatic relations with Israel on Wednesday, President Gustavo Petro said in a speech in the capital.\n\nIsrael's foreign minister condemned Colombia on Thursday and called the decision a reward for terror.\n\nIn Cairo, the Egyptian envoy urged Hamas to accept the cease-fire offer.\n\nMeanwhile, the Israeli prime minister vowed to send troops into the Palestinian town of Rafah."}"#;

fn find(events: &[Value], pred: impl Fn(&Value) -> bool) -> Option<&Value> {
    events.iter().find(|e| pred(e))
}

fn code_of(v: &Value, slot: &str) -> String {
    v[slot]["code"].as_str().unwrap_or("").to_string()
}

#[test]
fn codes_the_four_events_of_the_foundation_article_with_evidence() {
    let dir = tmp("e2e");
    let db = dir.join("e2e.db");
    let out = run(&["code", "-", "--db", db.to_str().unwrap()], Some(ARTICLE));
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = jsonl(&out.stdout);
    let text: String = serde_json::from_str::<Value>(ARTICLE).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let chars: Vec<char> = text.chars().collect();
    let span_text = |s: &Value| -> String {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        chars[a..b].iter().collect()
    };

    let sever =
        find(&events, |e| e["cameo"] == "161").expect("a 161 event (sever diplomatic relations)");
    assert_eq!(code_of(sever, "source"), "COL");
    assert_eq!(code_of(sever, "target"), "ISR");
    assert_eq!(sever["root"], "16");
    assert_eq!(sever["quad_class"], 4);
    assert_eq!(sever["goldstein"].as_f64(), Some(-4.0));
    assert_eq!(span_text(&sever["verb"]["span"]), "severed");
    assert_eq!(span_text(&sever["source"]["span"]), "Colombia");
    assert_eq!(span_text(&sever["target"]["span"]), "Israel");
    assert_eq!(
        sever["date"], "2024-05-01",
        "\"on Wednesday\" before a Thursday publication"
    );
    assert!(
        sever["rule"].as_str().unwrap().starts_with("verbs/16"),
        "rule: {}",
        sever["rule"]
    );
    assert_eq!(sever["sentence"], 1, "the dateline is sentence 0");

    let condemn = find(&events, |e| e["cameo"] == "111").expect("a 111 event (condemn)");
    assert_eq!(code_of(condemn, "source"), "ISRGOV");
    assert_eq!(code_of(condemn, "target"), "COL");
    assert_eq!(span_text(&condemn["verb"]["span"]), "condemned");
    assert_eq!(
        span_text(&condemn["source"]["span"]),
        "Israel's foreign minister"
    );

    let urge = find(&events, |e| {
        e["cameo"].as_str().unwrap_or("").starts_with("025")
    })
    .expect("an appeal-to-yield event (025x) for the cease-fire");
    assert_eq!(
        urge["cameo"], "0256",
        "appeal for de-escalation of military engagement"
    );
    assert_eq!(code_of(urge, "source"), "EGYGOV");
    assert_eq!(code_of(urge, "target"), "PSEREBHMS");
    assert_eq!(span_text(&urge["verb"]["span"]), "urged");

    let vow =
        find(&events, |e| e["root"] == "13").expect("a threat (13x) for the vow to send troops");
    assert_eq!(code_of(vow, "source"), "ISRGOV");
    assert_eq!(code_of(vow, "target"), "PSE");
    assert_eq!(vow["quad_class"], 3);
    assert!(
        span_text(&vow["verb"]["span"]).contains("vowed"),
        "verb: {}",
        vow["verb"]
    );

    for e in [sever, condemn, urge, vow] {
        assert!(!e["sentence_text"].as_str().unwrap_or("").is_empty());
        assert_eq!(e["negated"], false);
    }
}

#[test]
fn recoding_the_same_article_replaces_its_events() {
    let dir = tmp("recode");
    let db = dir.join("r.db");
    let db = db.to_str().unwrap();
    let first = run(&["code", "-", "--db", db], Some(ARTICLE));
    assert!(first.status.success());
    let second = run(&["code", "-", "--db", db], Some(ARTICLE));
    assert!(second.status.success());
    let exported = run(&["export", "--db", db], None);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert_eq!(jsonl(&exported.stdout).len(), jsonl(&first.stdout).len());
    // --resume skips the article: nothing recoded, nothing printed.
    let third = run(&["code", "-", "--db", db, "--resume"], Some(ARTICLE));
    assert!(third.status.success());
    assert!(jsonl(&third.stdout).is_empty());
}

#[test]
fn malformed_records_are_reported_with_line_numbers_and_skipped_or_rejected() {
    let dir = tmp("bad");
    let input = dir.join("in.jsonl");
    let good =
        r#"{"id":"a","published":"2024-01-02","text":"Chile recalled its ambassador from Peru."}"#;
    let bad_json = r#"{"id":"b", "text": oops}"#;
    let bad_date = r#"{"id":"c","published":"yesterday","text":"x"}"#;
    std::fs::write(
        &input,
        format!(
            "{good}\n{bad_json}\n{bad_date}\n{}\n",
            good.replace("\"a\"", "\"d\"")
        ),
    )
    .unwrap();
    let db = dir.join("b.db");
    let out = run(
        &[
            "code",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in.jsonl:2:"), "stderr: {err}");
    assert!(err.contains("in.jsonl:3:"), "stderr: {err}");
    assert!(err.contains("2 articles coded"), "stderr: {err}");

    let rejected = run(
        &[
            "code",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--on-error",
            "reject",
        ],
        None,
    );
    assert!(!rejected.status.success());
    assert!(String::from_utf8_lossy(&rejected.stderr).contains("in.jsonl:2:"));
    // What was stored before is still there.
    let exported = run(&["export", "--db", db.to_str().unwrap()], None);
    assert!(exported.status.success());
}

#[test]
fn gdelt_export_has_61_columns_and_csv_has_a_header() {
    let out = run(
        &["code", "-", "--no-db", "--format", "gdelt"],
        Some(ARTICLE),
    );
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.lines().count() >= 4);
    for line in s.lines() {
        assert_eq!(line.split('\t').count(), 61, "{line}");
    }
    let csv = run(&["code", "-", "--no-db", "--format", "csv"], Some(ARTICLE));
    let s = String::from_utf8_lossy(&csv.stdout);
    assert!(s.lines().next().unwrap_or("").contains("cameo"));
}

#[test]
fn annotate_uses_character_offsets() {
    let text = "Ukraine’s president accused Moscow — again — of targeting civilians in Kharkiv.";
    let input = serde_json::json!({"id": "u", "published": "2024-10-08", "text": text}).to_string();
    let out = run(&["annotate", "--input", "jsonl", "-"], Some(&input));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    let chars: Vec<char> = text.chars().collect();
    let check = |s: &Value| {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= chars.len());
        assert_eq!(
            chars[a..b].iter().collect::<String>(),
            s["text"].as_str().unwrap()
        );
    };
    for key in ["sentences", "tokens", "entities"] {
        for s in d[key].as_array().unwrap() {
            check(s);
        }
    }
    let events = d["events"].as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        check(&e["verb"]["span"]);
        if !e["source"].is_null() {
            check(&e["source"]["span"]);
        }
    }
}

#[test]
fn parse_writes_conllu_and_keeps_given_tokens() {
    let conllu = "# text = Chile recalled its ambassador.\n1\tChile\t_\t_\t_\t_\t_\t_\t_\t_\n2\trecalled\t_\t_\t_\t_\t_\t_\t_\t_\n3\tits\t_\t_\t_\t_\t_\t_\t_\t_\n4\tambassador\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
    let out = run(&["parse", "--input", "conllu", "-"], Some(conllu));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = s
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1][1], "recalled");
    assert_eq!(rows[1][2], "recall");
    assert_eq!(rows[1][7], "root");
    assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 1);

    let out = run(
        &["parse", "-"],
        Some("Gen. Smith arrived in the U.S. on Monday. He met the president."),
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(s.matches("# text = ").count(), 2, "{s}");

    // `--fast` (greedy parsing) gives a well-formed tree over the same tokens.
    let out = run(&["parse", "--fast", "--input", "conllu", "-"], Some(conllu));
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    let heads: Vec<&str> = s
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split('\t').nth(6))
        .collect();
    assert_eq!(heads.len(), 5);
    assert_eq!(heads.iter().filter(|h| **h == "0").count(), 1);
}

#[test]
fn the_embedded_dictionaries_validate() {
    let out = run(&["dict", "check"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn example_articles_code_into_a_database() {
    let dir = tmp("examples");
    let db = dir.join("x.db");
    let out = run(
        &[
            "code",
            repo().join("examples/articles.jsonl").to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(jsonl(&out.stdout).len() >= 8);
    let text = run(
        &[
            "code",
            repo().join("examples/text").to_str().unwrap(),
            "--no-db",
        ],
        None,
    );
    assert!(text.status.success());
}

#[test]
fn annotate_reports_quotes_with_speakers_counts_and_tone() {
    let text = "Gunmen killed at least 12 civilians and wounded 30 others in an attack on a market in northern Mali on Sunday, officials said.\n\n\"We will not rest until those responsible are brought to justice,\" Malian Prime Minister Choguel Maiga said. He added that 40 people had been arrested.";
    let input = serde_json::json!({"id": "g", "published": "2024-06-03", "text": text}).to_string();
    let out = run(&["annotate", "--input", "jsonl", "-"], Some(&input));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = &jsonl(&out.stdout)[0];

    let quotes = d["quotes"].as_array().expect("quotes");
    let direct = quotes
        .iter()
        .find(|q| q["kind"] == "direct")
        .expect("the direct quote");
    assert!(direct["content"]["text"]
        .as_str()
        .unwrap()
        .starts_with("We will not rest"));
    assert_eq!(direct["cue"]["text"], "said");
    assert!(direct["speaker"]["text"]
        .as_str()
        .unwrap()
        .contains("Choguel Maiga"));
    assert_eq!(direct["speaker_code"], "MLIGOV");
    let added = quotes
        .iter()
        .find(|q| q["cue"]["text"] == "added")
        .expect("the indirect quote after 'He added'");
    assert_eq!(added["speaker"]["text"], "He");
    assert!(added["speaker_resolved"]["text"]
        .as_str()
        .unwrap_or("")
        .contains("Maiga"));

    let counts = d["counts"].as_array().expect("counts");
    let find = |kind: &str| {
        counts
            .iter()
            .find(|c| c["type"] == kind)
            .unwrap_or_else(|| panic!("a {kind} count in {counts:?}"))
    };
    assert_eq!(find("KILL")["number"], 12);
    assert_eq!(find("KILL")["qualifier"], "at least");
    assert_eq!(find("KILL")["object"]["text"], "civilians");
    assert_eq!(find("WOUND")["number"], 30);
    assert_eq!(find("ARREST")["number"], 40);

    let tone = &d["tone"];
    assert!(tone["negative"].as_f64().unwrap() > tone["positive"].as_f64().unwrap());
    assert!(tone["tone"].as_f64().unwrap() < 0.0);
    assert!(tone["word_count"].as_u64().unwrap() > 40);
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_a_crash() {
    // `petrel dict check | head -0`: the read end is closed before Petrel
    // writes, so its first write fails with a broken pipe.
    let mut child = petrel()
        .args(["dict", "check"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn petrel");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for petrel");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "stderr: {err}");
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
}
