#!/usr/bin/env bash
# End-to-end benchmark of `petrel code` (issue 7): ingest → analysis → coding
# → SQLite store, through the same streaming engine as `petrel code`, with
# `petrel bench --store`.
#
#   scripts/bench_e2e.sh               # all phases below
#   scripts/bench_e2e.sh --quick       # phases 1 and 3 only (a few minutes)
#   scripts/bench_e2e.sh --no-build    # use target/release/petrel as it is
#
# Phases (threads 1 and all cores unless said otherwise):
#   1. the first 2,000 Reuters-21578 articles (scaling, per-core throughput)
#   2. all 19,043 Reuters-21578 articles (all cores)
#   3. all 2,225 BBC News articles (text files, five category folders)
#   4. Reuters + BBC read 5 times under new ids (~106k articles, all cores):
#      peak RSS on a large corpus
# Each phase logs the load average before it and the process's CPU time and
# peak RSS (/usr/bin/time); outputs go to target/bench-results/e2e-<UTC time>/.
#
# Read the CPU columns first on a shared machine: wall-clock figures depend on
# the CPU share the process gets (Linux autogroup gives each session an equal
# share whatever its thread count). `petrel bench` reports, per pass, each
# worker's CPU time, its time waiting for a CPU and its idle time, and an
# idle-machine estimate (busiest worker's CPU + idle time).
#
# A benchmark, not a test: CI does not run it. Needs ../shared/data/corpora.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

QUICK=0
BUILD=1
CORPORA=../shared/data/corpora
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --no-build) BUILD=0 ;;
        --corpora) CORPORA=$2; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "bench_e2e: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

REUTERS=("$CORPORA"/reuters21578/*.jsonl)
BBC=("$CORPORA"/bbc2225/bbc/{business,entertainment,politics,sport,tech})
[ -f "${REUTERS[0]}" ] || { echo "bench_e2e: no Reuters corpus under $CORPORA" >&2; exit 1; }
[ -d "${BBC[0]}" ] || { echo "bench_e2e: no BBC corpus under $CORPORA" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
    cargo build --release --bin petrel
fi
PETREL=${PETREL:-target/release/petrel}
CORES=$(nproc)
OUT=target/bench-results/e2e-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$OUT"
{
    echo "date_utc=$(date -u +%Y-%m-%dT%H:%M)"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+dirty')"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "nproc=$CORES"
    echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo '?')"
} | tee "$OUT/machine.txt"

phase() {
    local name=$1; shift
    echo "== $name: load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.md"
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/$name.time" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
    cat "$OUT/$name.out" | tee -a "$OUT/summary.md"
    read -r wall user sys rss < "$OUT/$name.time"
    echo "process: wall $wall s, CPU $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') s, peak RSS $((rss / 1024)) MiB" | tee -a "$OUT/summary.md"
}

phase reuters2k "$PETREL" bench "${REUTERS[@]}" --input reuters --limit 2000 --store --threads "1,$CORES"
if [ "$QUICK" = 0 ]; then
    phase reuters_all "$PETREL" bench "${REUTERS[@]}" --input reuters --store --threads "$CORES"
fi
phase bbc "$PETREL" bench "${BBC[@]}" --store --threads "1,$CORES"
if [ "$QUICK" = 0 ]; then
    # BBC folders are walked (text files); the Reuters files are read as `reuters`.
    phase big_x5 "$PETREL" bench "${REUTERS[@]}" "${BBC[@]}" --input reuters --repeat 5 --store --threads "$CORES"
fi
echo "results in $OUT"
