#!/usr/bin/env python3
"""Build data/{train,valid,test}.{de,en} from the hand-written pairs in data/parts/.

Each part is a TSV file (German TAB English), written by topic. This script checks every
line, drops a pair whose German or English side already occurred (so that no sentence is
shared between splits), shuffles with a fixed seed, and cuts 300 test and 300 validation
pairs off the front; the rest is training data. Run from the repository root:

    python3 scripts/make_corpus_splits.py
"""
import pathlib
import random
import sys

DATA = pathlib.Path("data")
SPLITS = [("test", 300), ("valid", 300)]


def read_pairs():
    pairs, seen = [], set()
    for part in sorted((DATA / "parts").glob("*.tsv")):
        for number, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            fields = line.split("\t")
            if len(fields) != 2 or not all(f.strip() == f and f for f in fields):
                sys.exit(f"{part}:{number}: expected 'German<TAB>English' without stray spaces")
            german, english = fields
            if not 3 <= len(german.split()) <= 25:
                sys.exit(f"{part}:{number}: German side has {len(german.split())} words, not 3-25")
            if german in seen or english in seen:
                continue
            seen.update(fields)
            pairs.append((german, english))
    return pairs


def write(name, pairs):
    for side, language in enumerate(["de", "en"]):
        text = "".join(pair[side] + "\n" for pair in pairs)
        (DATA / f"{name}.{language}").write_text(text, encoding="utf-8")


def main():
    pairs = read_pairs()
    random.Random(2026).shuffle(pairs)
    start = 0
    for name, size in SPLITS:
        write(name, pairs[start:start + size])
        start += size
    write("train", pairs[start:])
    print(f"{len(pairs)} pairs: train {len(pairs) - start}, " + ", ".join(f"{n} {s}" for n, s in SPLITS))


if __name__ == "__main__":
    main()
