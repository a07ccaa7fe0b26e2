//! Reads PETRARCH2's unit-test records from the shared data folder.

use petrel_eval::petr::{self, Expected};

#[test]
fn unit_test_records() {
    let Some(path) = petr::unit_test_path() else {
        println!("SKIPPED: ../shared/data/events/petrarch2-unit-tests is absent");
        return;
    };
    let f = petr::load(&path).unwrap_or_else(|e| panic!("{e:?}"));
    let events: usize = f.records.iter().map(|r| r.expected_events().count()).sum();
    let none = f
        .records
        .iter()
        .flat_map(|r| &r.expected)
        .filter(|e| **e == Expected::NoEvents)
        .count();
    let errors = f
        .records
        .iter()
        .flat_map(|r| &r.expected)
        .filter(|e| matches!(e, Expected::Error(_)))
        .count();
    println!(
        "{} records, {} codings: {events} events, {none} no-event, {errors} error marks; {} with parses",
        f.records.len(),
        f.codings(),
        f.records.iter().filter(|r| r.parse.is_some()).count()
    );
    assert_eq!(f.records.len(), 284);
    assert_eq!(f.codings(), 385);
    assert_eq!(events + none + errors, 385);
    assert!(f
        .records
        .iter()
        .all(|r| !r.text.is_empty() && r.parse.is_some() && r.date.is_some()));
    let demo = &f.records[0];
    assert_eq!(demo.id, "DEMO-00");
    assert_eq!(
        demo.expected_events().collect::<Vec<_>>(),
        vec![("ARN", "GON", "064")]
    );
    assert!(demo.text.starts_with(
        "Arnor is about to restore full diplomatic ties with Gondor almost five years"
    ));
    assert_eq!(
        f.environment.actorfile.as_deref(),
        Some("PETR.Validate.actors.txt")
    );
    assert_eq!(
        f.environment
            .config
            .get("stop_on_error")
            .map(String::as_str),
        Some("True")
    );
    // Settings change along the file.
    assert!(f
        .records
        .iter()
        .any(|r| r.config_flag("require_dyad") == Some(false)));
    assert!(f
        .records
        .iter()
        .any(|r| r.config.get("new_actor_length").map(String::as_str) == Some("4")));
    // The environment names dictionaries that load.
    if let Some(dir) = petrel_eval::shared_data().map(|d| d.join("dictionaries/petrarch2")) {
        let d = f
            .load_dictionaries(&dir)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!d.verbs.is_empty() && !d.actors.is_empty());
    }
}

/// Truncated or mangled files give line-numbered errors, never a panic.
#[test]
fn damaged_records_never_panic() {
    let Some(path) = petr::unit_test_path() else {
        println!("SKIPPED: unit-test records absent");
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut failures = 0;
    for cut in (0..text.len()).step_by(9973) {
        let mut end = cut;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if petr::parse(&text[..end]).is_err() {
            failures += 1;
        }
    }
    for damaged in [
        text.replace("</Text>", ""),
        text.replace('"', ""),
        text.replace('>', ""),
    ] {
        match petr::parse(&damaged) {
            Err(e) => assert!(e.iter().all(|e| e.line > 0)),
            Ok(f) => assert!(f.records.len() <= 284),
        }
    }
    assert!(failures > 0);
}
