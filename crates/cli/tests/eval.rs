//! Regression guard over `petrel eval` on the dev sets in `../shared/data`
//! (skipped with a message when the folder is absent). The thresholds sit a
//! little under the figures measured when the coder was last changed, so a
//! regression fails CI; the figures themselves are printed for the log.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn dev_set_scores_do_not_regress() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.join("events").is_dir() {
        eprintln!("skipping: {} not found", data.display());
        return;
    }
    let json = std::env::temp_dir().join(format!("petrel-eval-{}.json", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_petrel"))
        .args([
            "eval",
            "--data",
            data.to_str().unwrap(),
            "--sets",
            "petrarch,conflibert",
            "--json",
            json.to_str().unwrap(),
        ])
        .output()
        .expect("petrel eval runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}", String::from_utf8_lossy(&out.stdout));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json report"))
        .expect("valid JSON");
    let f = |a: &str, b: &str| {
        v[a][b]
            .as_f64()
            .unwrap_or_else(|| panic!("{a}.{b} in the report"))
    };
    assert!(
        f("petrarch_parses", "accuracy") >= 0.90,
        "PETRARCH from supplied parses"
    );
    assert!(
        f("petrarch_text", "accuracy") >= 0.81,
        "PETRARCH from Petrel's own analysis"
    );
    assert!(
        f("conflibert_classes", "accuracy") >= 0.76,
        "ConfliBERT PentaClass accuracy"
    );
    assert!(
        f("conflibert_classes", "any_right_when_coded") >= 0.87,
        "ConfliBERT right class when coded"
    );
    assert!(
        f("conflibert_spans", "source_f1") >= 0.75,
        "ConfliBERT source span F1"
    );
    assert!(
        f("conflibert_spans", "target_f1") >= 0.52,
        "ConfliBERT target span F1"
    );
}
