#!/usr/bin/env python3
"""Builds a WARC.gz of news pages from a folder of plain-text articles, for end-to-end runs.

Each text file (first line = headline, blank line, paragraphs separated by blank lines, as in the
BBC corpus) becomes an HTML page in one of three templates (<article>, itemprop=articleBody, plain
divs), wrapped in navigation, a cookie notice, related links, an ad, comments and a footer, and is
stored as a WARC/1.1 `response` record (HTTP 200, text/html), one gzip member per record. Every
50th page is followed by two records that are not articles (an image and a 404).

    python3 scripts/make_warc.py ../shared/data/corpora/bbc2225/bbc /tmp/bbc.warc.gz --pages 1000
    target/release/petrel code /tmp/bbc.warc.gz --no-db > /tmp/bbc-events.jsonl

The output is made data: never commit it (the corpus it wraps is not ours to redistribute).
"""

import argparse
import gzip
import html
import sys
from pathlib import Path

RELATED = "Related: Russia condemned France over the visit."
COMMENT = "Comment: The army attacked rebels in the north."


def page(n: int, text: str) -> str:
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    title = html.escape(blocks[0] if blocks else "Untitled", quote=True)
    paras = "".join(f"<p>{html.escape(' '.join(b.split()))}</p>\n" for b in blocks[1:])
    day = 1 + n % 28
    head = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - BBC News</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="2005-02-{day:02}T10:00:00Z">'
        f'<link rel="canonical" href="/news/{n}"></head><body>'
        '<div id="cookie-notice"><p>We use cookies. Accept all cookies to continue browsing the site.</p></div>'
        '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>'
    )
    noise = (
        f'<aside class="related-links"><p>{RELATED}</p></aside>'
        '<div class="ad-slot"><p>Advertisement for a better mortgage, apply today.</p></div>'
    )
    tail = (
        f'<section class="comments"><p>{COMMENT}</p></section>'
        "<footer><p>Copyright BBC. Terms of use, privacy and cookies.</p></footer></body></html>"
    )
    if n % 3 == 0:
        main = f"<main><article><h1>{title}</h1>{paras}{noise}</article></main>"
    elif n % 3 == 1:
        main = f'<div class="page"><div class="col"><div itemprop="articleBody">{paras}</div>{noise}</div></div>'
    else:
        main = (
            '<div class="layout"><div class="teasers"><a href="/a">More news</a></div>'
            f'<div class="story-text">{paras}</div>{noise}</div>'
        )
    return head + main + tail


def record(warc_type: str, record_id: str, uri: str, block: bytes) -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <{record_id}>\r\n"
        f"WARC-Date: 2005-03-01T00:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="folder of .txt articles (searched recursively)")
    ap.add_argument("out", type=Path, help="the .warc.gz to write")
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()
    files = sorted(p for p in args.corpus.rglob("*.txt") if p.name.lower() != "readme.txt")[: args.pages]
    if len(files) < args.pages:
        print(f"only {len(files)} articles in {args.corpus}", file=sys.stderr)
    with open(args.out, "wb") as out:
        for n, f in enumerate(files):
            text = f.read_bytes().decode("utf-8", errors="replace")
            body = page(n, text).encode()
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
            out.write(gzip.compress(record("response", f"urn:uuid:bbc-{n:05}", f"https://www.bbc.co.uk/news/{n}", http)))
            if n % 50 == 0:
                for status, ct in (("200 OK", "image/jpeg"), ("404 Not Found", "text/html")):
                    block = f"HTTP/1.1 {status}\r\nContent-Type: {ct}\r\n\r\nxx".encode()
                    out.write(gzip.compress(record("response", f"urn:uuid:other-{n}-{status[:3]}", "https://www.bbc.co.uk/x", block)))
    print(f"{len(files)} pages -> {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
