#!/usr/bin/env python3
"""Write an argmap ROOT whose N references all carry a distinct DOI.

usage: doi_corpus.py OUT N

Titles, authors and years are those slow_server.py's agency registers, so a correct
resolver verifies every DOI. One map cites every reference, so the offline rules are quiet.
"""
import os
import sys


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(os.path.join(out, "references"), exist_ok=True)
    os.makedirs(os.path.join(out, "arguments"), exist_ok=True)
    with open(os.path.join(out, "references", "refs.yaml"), "w") as fh:
        fh.write("references:\n")
        for i in range(n):
            fh.write(f"  - id: ref{i:05d}\n    type: article-journal\n")
            fh.write(f"    title: \"Synthetic work bench.{i}\"\n")
            fh.write("    author:\n      - {family: Author, given: A.}\n")
            fh.write("    issued: {date-parts: [[2020]]}\n")
            fh.write(f"    DOI: 10.5555/bench.{i}\n")
    with open(os.path.join(out, "arguments", "bench.yaml"), "w") as fh:
        fh.write("title: Benchmark map\nsource: ref00000\nclaims:\n")
        for i in range(n):
            fh.write(f"  - id: c{i}\n    text: \"Claim {i} [@ref{i:05d}].\"\n")
            if i:
                fh.write("    supports: [c0]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
