#!/usr/bin/env python3
"""Compile Petrel's tone lexicon (data/tone_lexicon.tsv) from VADER.

Source: PyPI package vaderSentiment 3.3.2, file vaderSentiment/vader_lexicon.txt,
MIT License, Copyright (c) 2016 C.J. Hutto.

Rebuild (from crates/graph):
    pip download --no-deps vaderSentiment==3.3.2 -d /tmp/vader
    (cd /tmp/vader && unzip -o vaderSentiment-3.3.2-py2.py3-none-any.whl)
    python3 scripts/build_tone_lexicon.py /tmp/vader/vaderSentiment/vader_lexicon.txt > data/tone_lexicon.tsv

Kept: entries made only of lowercase letters (with inner apostrophes or
hyphens allowed), i.e. words, not emoticons; their mean valence (-4..+4) is
kept rounded to 0.1. Petrel counts a word as positive when valence >= +0.5 and
as negative when valence <= -0.5 (see src/tone.rs).
"""
import re
import sys


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: build_tone_lexicon.py vader_lexicon.txt > tone_lexicon.tsv")
    word = re.compile(r"^[a-z][a-z'\-]*[a-z]$")
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                sys.exit(f"{sys.argv[1]}:{n}: expected at least 2 tab-separated fields")
            w, v = parts[0], float(parts[1])
            if word.match(w):
                rows.append((w, v))
    rows.sort()
    out = sys.stdout
    out.write("# Petrel tone lexicon: word<TAB>valence (-4..+4).\n")
    out.write("# Derived from VADER 3.3.2 (PyPI vaderSentiment==3.3.2, vader_lexicon.txt),\n")
    out.write("# MIT License, Copyright (c) 2016 C.J. Hutto. Only alphabetic entries kept.\n")
    out.write("# Rebuild: see crates/graph/scripts/build_tone_lexicon.py (docstring).\n")
    for w, v in rows:
        out.write(f"{w}\t{v:.1f}\n")


if __name__ == "__main__":
    main()
