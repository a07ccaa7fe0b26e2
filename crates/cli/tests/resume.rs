//! End-to-end tests of the streaming engine: a run killed with SIGKILL and
//! restarted on the same database ends with exactly the events of an
//! uninterrupted run, and the output does not depend on the thread count.
//!
//! The corpus is the first 120 Reuters-21578 articles when `../shared/data`
//! is present, else the example articles repeated under new ids.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ARTICLES: usize = 120;

fn petrel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_petrel"))
}

fn run(args: &[&str]) -> Output {
    let out = petrel()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("petrel runs");
    assert!(
        out.status.success(),
        "petrel {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("petrel-resume-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes the test corpus into `dir` and returns the arguments that read it.
fn corpus(dir: &Path, n: usize) -> Vec<String> {
    let reuters =
        repo().join("../shared/data/corpora/reuters21578/reuters21578_bodies_part00.jsonl");
    let file = dir.join("corpus.jsonl");
    if let Ok(text) = std::fs::read_to_string(&reuters) {
        let lines: Vec<&str> = text.lines().take(n).collect();
        std::fs::write(&file, lines.join("\n") + "\n").expect("write corpus");
        return vec![
            file.display().to_string(),
            "--input".into(),
            "reuters".into(),
        ];
    }
    eprintln!(
        "{} not found: using the example articles repeated under new ids",
        reuters.display()
    );
    let mut texts: Vec<serde_json::Value> =
        std::fs::read_to_string(repo().join("examples/articles.jsonl"))
            .expect("examples/articles.jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("example JSON"))
            .collect();
    assert!(!texts.is_empty());
    let mut out = String::new();
    for i in 0..n {
        let k = i % texts.len();
        let rec = &mut texts[k];
        rec["id"] = serde_json::Value::String(format!("ex-{i:04}"));
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    std::fs::write(&file, out).expect("write corpus");
    vec![file.display().to_string()]
}

/// Articles stored so far (0 while the database does not exist yet).
fn stored(db: &Path) -> u64 {
    if !db.exists() {
        return 0;
    }
    petrel_store::Store::open(db)
        .and_then(|s| s.counts())
        .map_or(0, |c| c.articles)
}

/// Runs `petrel code` and SIGKILLs it once at least `target` articles are stored.
/// Returns the count stored when it was killed (None: it finished first).
fn code_and_kill(input: &[String], db: &Path, extra: &[&str], target: u64) -> Option<u64> {
    let mut args: Vec<String> = vec!["code".into()];
    args.extend(input.iter().cloned());
    args.extend([
        "--db".into(),
        db.display().to_string(),
        "--no-progress".into(),
    ]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut child = petrel()
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("petrel starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return None;
        }
        let n = stored(db);
        if n >= target || Instant::now() > deadline {
            child.kill().expect("SIGKILL");
            let status = child.wait().expect("wait");
            // Killed, unless it happened to exit on its own just before.
            return (!status.success()).then_some(n);
        }
        std::thread::sleep(Duration::from_millis(3));
    }
}

/// Every event of a database as sorted JSON lines.
fn exported(db: &Path) -> Vec<String> {
    let out = run(&[
        "export",
        "--db",
        &db.display().to_string(),
        "--format",
        "jsonl",
    ]);
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// A tiny deterministic generator (xorshift64*), seeded.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

#[test]
fn a_killed_run_resumed_on_the_same_database_gives_exactly_the_same_events() {
    let dir = tmp("kill");
    let input = corpus(&dir, ARTICLES);
    let n = ARTICLES as u64;
    let code = |db: &Path, extra: &[&str]| {
        let mut args: Vec<String> = vec!["code".into()];
        args.extend(input.iter().cloned());
        args.extend([
            "--db".into(),
            db.display().to_string(),
            "--no-progress".into(),
        ]);
        args.extend(["-o".into(), dir.join("events.out").display().to_string()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs)
    };

    // The reference: one uninterrupted run into a fresh database.
    let reference_db = dir.join("reference.db");
    code(&reference_db, &["--threads", "1"]);
    let reference = exported(&reference_db);
    assert!(!reference.is_empty(), "the corpus codes into events");

    // Killed twice at seeded pseudo-random points (small chunks, so that a
    // kill can land inside a transaction), then run to the end.
    let seed = std::env::var("PETREL_RESUME_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_1234_u64);
    let mut rng = Rng(seed | 1);
    let db = dir.join("interrupted.db");
    let batch = ["--batch", "4", "--threads", "2"];
    let first = 4 + rng.below(n / 3);
    let killed_at = code_and_kill(&input, &db, &batch, first);
    let second = first.max(killed_at.unwrap_or(0)) + 4 + rng.below(n / 3);
    let resume: Vec<&str> = batch.iter().copied().chain(["--resume"]).collect();
    let killed_again = code_and_kill(&input, &db, &resume, second);
    eprintln!(
        "seed {seed:#x}: killed at {killed_at:?} then {killed_again:?} of {n} articles stored"
    );
    assert!(
        killed_at.is_some_and(|k| k < n),
        "the first run was not interrupted (killed at {killed_at:?})"
    );
    let last = code(&db, &resume);
    let err = String::from_utf8_lossy(&last.stderr);
    assert!(err.contains("already coded (resume)"), "stderr: {err}");

    let resumed = exported(&db);
    assert_eq!(resumed.len(), reference.len(), "same number of events");
    assert!(
        resumed == reference,
        "the events differ from the uninterrupted run"
    );
    let counts = |db: &Path| petrel_store::Store::open(db).and_then(|s| s.counts()).ok();
    assert_eq!(counts(&db), counts(&reference_db));
    assert_eq!(counts(&db).map(|c| c.articles), Some(n));

    // Without --resume the articles are coded again and replace their rows:
    // still the same events, no duplicates.
    code(&db, &["--threads", "2"]);
    assert!(exported(&db) == reference);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count_and_chunk_size() {
    let dir = tmp("threads");
    let input = corpus(&dir, 48);
    let events = |extra: &[&str]| {
        let mut args: Vec<&str> = vec!["code"];
        args.extend(input.iter().map(String::as_str));
        args.extend(["--no-db", "--no-progress"]);
        args.extend(extra);
        run(&args).stdout
    };
    let one = events(&["--threads", "1"]);
    assert!(!one.is_empty());
    assert!(one == events(&["--threads", "2", "--batch", "3"]));
    assert!(one == events(&["--threads", "3", "--batch", "1000"]));
    // GDELT rows carry DATEADDED (the wall clock of the run); the rest agrees.
    let gdelt = |extra: &[&str]| {
        let mut args = vec!["--format", "gdelt"];
        args.extend(extra);
        let text = String::from_utf8_lossy(&events(&args)).to_string();
        text.lines()
            .map(|l| {
                let mut cols: Vec<&str> = l.split('\t').collect();
                if cols.len() > 59 {
                    cols[59] = "";
                }
                cols.join("\t")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        gdelt(&["--threads", "1"]),
        gdelt(&["--threads", "2", "--batch", "5"])
    );

    let annotate = |extra: &[&str]| {
        let mut args: Vec<&str> = vec!["annotate"];
        args.extend(input.iter().map(String::as_str));
        args.extend(["--no-progress"]);
        args.extend(extra);
        run(&args).stdout
    };
    let a1 = annotate(&["--threads", "1"]);
    assert!(!a1.is_empty());
    assert!(a1 == annotate(&["--threads", "2", "--batch", "7"]));
    let _ = std::fs::remove_dir_all(&dir);
}
