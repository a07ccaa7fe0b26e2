//! Loads every PETRARCH2/Phoenix dictionary of `../shared/data` as it is.

use petrel_dict::petrarch::{self, LoadStats, Loaded};
use petrel_dict::{Code, PatTok};
use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/dictionaries/petrarch2");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("SKIPPED: {} is absent", dir.display());
        None
    }
}

fn load(f: fn(&Path) -> Result<Loaded, Vec<petrel_dict::DictError>>, path: &Path) -> Loaded {
    match f(path) {
        Ok(l) => l,
        Err(errors) => {
            for e in errors.iter().take(30) {
                eprintln!("{e}");
            }
            panic!("{}: {} errors", path.display(), errors.len());
        }
    }
}

fn show(name: &str, l: &Loaded) {
    let s: &LoadStats = &l.stats;
    println!(
        "{name}: blocks {} verbs {} synsets {} ({} members) pattern lines {} patterns {} skipped {} \
         transformations {} irregular forms {} | actors {} names {} dated codes {} | agents {} names {} \
         | discards {} story {} | warnings {}",
        s.verb_blocks,
        s.verbs,
        s.synsets,
        s.synset_members,
        s.pattern_lines,
        s.patterns,
        s.skipped_patterns,
        s.transformations,
        s.irregular_forms,
        s.actors,
        s.actor_names,
        s.dated_codes,
        s.agents,
        s.agent_names,
        s.discards,
        s.story_discards,
        l.warnings.len()
    );
    for w in l.warnings.iter().take(8) {
        println!("  warning {w}");
    }
}

#[test]
fn cameo_verbs_load() {
    let Some(dir) = data_dir() else { return };
    let l = load(petrarch::load_verbs, &dir.join("CAMEO.2.0.txt"));
    show("CAMEO.2.0.txt", &l);
    // Figures from the file itself (CAMEO_notes.md §1a).
    assert_eq!(l.stats.verb_blocks, 397);
    assert_eq!(l.stats.synsets, 40);
    assert_eq!(l.stats.pattern_lines, 4668);
    assert_eq!(l.stats.transformations, 8);
    assert!(l.stats.verbs >= 1600, "{}", l.stats.verbs);
    // BLAME block: CONDEMN [111] and a pattern `* (FOR {&MILITARY INCURSION}) [111]`.
    let condemn: Vec<_> = l
        .dict
        .verbs
        .iter()
        .filter(|v| v.verb == ["condemn"])
        .collect();
    assert!(condemn
        .iter()
        .any(|v| v.code == Code::Cameo("111".into()) && v.after.is_empty()));
    assert!(condemn.iter().any(|v| matches!(v.after.first(),
        Some(PatTok::Prep(p, inner)) if p == "for" && matches!(inner.first(), Some(PatTok::Phrase(ws)) if ws[0].iter().any(|w| w == "armed forces")))));
    assert_eq!(
        l.dict.verb_forms.get("brought").map(String::as_str),
        Some("bring")
    );
}

#[test]
fn validate_verbs_load() {
    let Some(dir) = data_dir() else { return };
    let l = load(petrarch::load_verbs, &dir.join("PETR.Validate.verbs.txt"));
    show("PETR.Validate.verbs.txt", &l);
    assert!(l.stats.pattern_lines > 400);
    assert!(l
        .dict
        .verbs
        .iter()
        .any(|v| v.before.contains(&PatTok::Compound)));
    assert!(l.dict.verbs.iter().any(|v| v.reverse_code.is_some()));
}

#[test]
fn actors_load() {
    let Some(dir) = data_dir() else { return };
    let mut total = 0;
    for f in [
        "PETR.Validate.actors.txt",
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ] {
        let l = load(petrarch::load_actors, &dir.join(f));
        show(f, &l);
        assert!(l.stats.actors > 50, "{f}");
        total += l.stats.dated_codes;
    }
    assert!(total > 1000, "dated codes {total}");
}

#[test]
fn agents_and_discards_load() {
    let Some(dir) = data_dir() else { return };
    for f in ["PETR.Validate.agents.txt", "Phoenix.agents.txt"] {
        let l = load(petrarch::load_agents, &dir.join(f));
        show(f, &l);
        assert!(l.stats.agents > 50, "{f}");
        assert!(l
            .dict
            .agents
            .iter()
            .any(|a| a.code == "COP" || a.code == "GOV"));
    }
    for f in ["PETR.Validate.discards.txt", "Phoenix.discards.txt"] {
        let l = load(petrarch::load_discards, &dir.join(f));
        show(f, &l);
        assert!(l.stats.discards >= 8 && l.stats.story_discards >= 2, "{f}");
    }
}

#[test]
fn validation_set_loads() {
    let Some(dir) = data_dir() else { return };
    let p = |f: &str| vec![dir.join(f)];
    let d = petrarch::load_set(
        &p("PETR.Validate.verbs.txt"),
        &p("PETR.Validate.actors.txt"),
        &p("PETR.Validate.agents.txt"),
        &p("PETR.Validate.discards.txt"),
    );
    match d {
        Ok(d) => {
            assert!(
                !d.verbs.is_empty()
                    && !d.actors.is_empty()
                    && !d.agents.is_empty()
                    && !d.discards.is_empty()
            );
            let arnor = d
                .actors
                .iter()
                .find(|a| a.names.iter().any(|n| n == &["arnor"]));
            assert_eq!(arnor.and_then(|a| a.code_on(None)), Some("ARN"));
        }
        Err(e) => panic!("{e:?}"),
    }
    let missing = petrarch::load_set(&p("no-such-file.txt"), &[], &[], &[]);
    assert!(matches!(missing, Err(e) if e.len() == 1 && e[0].file == "no-such-file.txt"));
}

/// Every reader survives every file (and mangled copies): errors, never panics.
#[test]
fn readers_never_panic() {
    let Some(dir) = data_dir() else { return };
    let mut inputs: Vec<(String, String)> = Vec::new();
    for f in [
        "PETR.Validate.verbs.txt",
        "PETR.Validate.actors.txt",
        "PETR.Validate.agents.txt",
        "Phoenix.discards.txt",
    ] {
        let bytes = std::fs::read(dir.join(f)).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // Truncations at odd places and bracket-stripped variants.
        for cut in [7usize, 333, 1001, 4099] {
            let mut end = cut.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            inputs.push((format!("{f}@{cut}"), text[..end].to_string()));
        }
        inputs.push((format!("{f}-no]"), text.replace(']', "")));
        inputs.push((format!("{f}-no)"), text.replace([')', '}'], "")));
        inputs.push((f.to_string(), text));
    }
    inputs.push((
        "odd".into(),
        "[\n]\n{\n}\n(\n)\n- *\n- * (\n~\n&\n+\n!X! =\n\t[\n---\n--- [\n- [:]\n".into(),
    ));
    let mut loaded = 0;
    for (name, text) in &inputs {
        for r in [
            petrarch::parse_verbs(name, text),
            petrarch::parse_actors(name, text),
            petrarch::parse_agents(name, text),
            petrarch::parse_discards(name, text),
        ] {
            if let Err(e) = r {
                assert!(e.iter().all(|e| e.file == *name));
            } else {
                loaded += 1;
            }
        }
        let (_, report) = petrel_dict::petrel::parse_files(&[
            ("cameo.tsv", text),
            ("verbs/01.txt", text),
            ("actors/a.txt", text),
            ("agents.txt", text),
            ("discards.txt", text),
        ]);
        assert!(!report.errors.is_empty());
    }
    assert!(loaded > 0);
}
