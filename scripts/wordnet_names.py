#!/usr/bin/env python3
"""Compile WordNet's named instances into `data/geo/wordnet_names.tsv`, a
lexicon of Petrel's NER (models/en_ner.md, "Lexicon").

Reads WordNet 3.0's `data.noun` (Debian package `wordnet-base`, WordNet
license: permissive, attribution in data/geo/ATTRIBUTION.md) and keeps the
capitalised lemmas of *instance* synsets (those with an instance-hypernym
pointer `@i`: "Abraham Lincoln", "Coral Sea", "Harvard") by the lexicographer
file of the synset, plus the capitalised lemmas of every noun.group synset
("Red Cross", "Liberal Party", "CIA": WordNet files most organisations as
classes, not instances):

    noun.person (18)                      -> person
    noun.group (14)                       -> org
    noun.location (15), noun.object (17)  -> place     (cities, regions, islands,
                                                        rivers, mountains)
    noun.artifact (06)                    -> facility  (buildings, bridges,
                                                        laboratories, exchanges)

Output: a `#` header, then `name<TAB>kind` lines (name: the lemma with `_` as
spaces), sorted, unique per (name, kind). Deterministic. Rebuild:

    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb /tmp/wn
    python3 scripts/wordnet_names.py /tmp/wn/usr/share/wordnet/data.noun > data/geo/wordnet_names.tsv
"""

import sys

LEXFILES = {"18": "person", "14": "org", "15": "place", "17": "place", "06": "facility"}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: wordnet_names.py PATH/TO/data.noun")
    out = set()
    with open(sys.argv[1], encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            if len(fields) < 4:
                continue
            kind = LEXFILES.get(fields[1])
            if kind is None:
                continue
            n = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i] for i in range(n)]
            rest = fields[4 + 2 * n:]
            if not rest:
                continue
            p = int(rest[0])
            ptrs = rest[1:1 + 4 * p]
            if "@i" not in ptrs[0::4] and kind != "org":
                continue
            for lem in lemmas:
                name = lem.split("(")[0].replace("_", " ").strip()
                if name[:1].isupper() and len(name.split()) <= 6:
                    out.add((name, kind))
    print("# WordNet 3.0 named instances (scripts/wordnet_names.py): name<TAB>person|org|place|facility")
    print("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.")
    print("# Used under the WordNet 3.0 license; notice and disclaimer in data/geo/ATTRIBUTION.md.")
    for name, kind in sorted(out):
        print(f"{name}\t{kind}")


if __name__ == "__main__":
    main()
